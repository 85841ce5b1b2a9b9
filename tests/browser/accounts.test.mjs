// Accounts and privileges in real headless Chromium (issue 12): the toolbar's switcher runs
// SET SESSION AUTHORIZATION, a statement the acting account may not run is denied with MySQL's
// error and the GRANT that would allow it, its steps start with the privilege check, and the
// acting account survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor, showSteps, waitReady } from './harness.mjs';

const env = pageTests();

/** The switcher's options and the one chosen. */
async function accounts(page) {
  return page.getByTestId('account').evaluate((s) => ({
    options: [...s.options].map((o) => o.textContent),
    chosen: s.selectedOptions[0]?.textContent,
  }));
}

/** Chooses an account in the toolbar and waits for the switch to run. */
async function switchTo(page, name) {
  await page.getByTestId('account').selectOption({ label: name });
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  await page.waitForFunction((n) => document.querySelector('[data-testid=account]').selectedOptions[0]?.textContent === n, name);
}

test('switching accounts in the toolbar: a denial explained, its privilege check, back to root', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  assert.deepEqual(await accounts(page), { options: ['root@localhost'], chosen: 'root@localhost' });
  await setEditor(page, `CREATE USER 'kim'@'%' IDENTIFIED BY 'pw';
GRANT SELECT ON student_db2.students TO 'kim'@'%';`);
  await runEditor(page);
  assert.deepEqual(await accounts(page), { options: ['root@localhost', 'kim@%'], chosen: 'root@localhost' });

  await switchTo(page, 'kim@%');
  assert.match(await page.getByTestId('panel').last().textContent(), /'kim'@'%' 계정으로 실행합니다/);
  assert.equal(await page.locator('.toolbar .account.as-user').count(), 1, 'the switcher is marked');

  // Reading is granted; changing is not.
  await setEditor(page, `SELECT name, kor FROM student_db2.students WHERE id <= 2;
UPDATE student_db2.students SET kor = 0 WHERE id = 1;`);
  await runEditor(page);
  const [read, update] = [page.getByTestId('panel').first(), page.getByTestId('panel').last()];
  assert.equal(await read.getAttribute('data-ok'), 'true');
  const error = update.getByTestId('error');
  assert.equal(await error.getAttribute('data-code'), 'denied');
  const text = await error.textContent();
  assert.match(text, /UPDATE command denied to user 'kim'@'%' for table `student_db2`.`students`/);
  assert.match(text, /MySQL 오류 1142/);
  assert.match(text, /GRANT UPDATE ON student_db2\.students TO 'kim'@'%'/);
  // The error points at the table's name in the editor's script (line 2, `students`).
  assert.match(await error.getByTestId('error-place').textContent(), /^2:20$/);

  // The denial's steps: the privilege check, with the missing privilege marked.
  await showSteps(update);
  const first = update.getByTestId('trace-step').first();
  assert.equal(await first.getAttribute('data-stage'), 'privileges');
  const rows = await first.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ dropped: tr.classList.contains('denied'), cells: [...tr.cells].map((c) => c.textContent) })));
  const missing = rows.filter((r) => r.dropped);
  assert.ok(missing.length >= 1, JSON.stringify(rows));
  assert.ok(missing.some((r) => r.cells.some((c) => c === 'UPDATE')), JSON.stringify(rows));
  // The granted read's steps start with the check too, every need allowed by the GRANT.
  await showSteps(read);
  const check = read.getByTestId('trace-step').first();
  assert.equal(await check.getAttribute('data-stage'), 'privileges');
  assert.equal(await check.locator('tbody tr.denied').count(), 0);
  assert.match(await check.textContent(), /GRANT SELECT ON `student_db2`.`students`|GRANT SELECT ON student_db2\.students/);

  // The acting account is part of the session: a reload keeps it.
  await page.reload();
  await waitReady(page);
  assert.deepEqual(await accounts(page), { options: ['root@localhost', 'kim@%'], chosen: 'kim@%' });

  // Back to root: the same UPDATE runs.
  await switchTo(page, 'root@localhost');
  await setEditor(page, 'SELECT CURRENT_USER();\nUPDATE student_db2.students SET kor = 0 WHERE id = 1;');
  await runEditor(page);
  assert.equal(await page.getByTestId('panel').first().locator('tbody td').first().textContent(), 'root@localhost');
  assert.equal(await page.getByTestId('panel').last().getAttribute('data-ok'), 'true');
  assert.equal(await page.locator('.toolbar .account.as-user').count(), 0);
  assert.deepEqual(errors, []);
});

test('the DCL example: denied at its UPDATE, explained, and a switch back in the toolbar', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: 'DCL: GRANT와 REVOKE (계정 바꾸기)' });
  assert.match(await page.getByTestId('example-explanation').textContent(), /거부/);
  await runEditor(page);
  // A run stops at the denial, acting as the student; the switcher shows it and brings root back.
  const failed = page.locator('[data-testid=panel][data-ok=false]');
  assert.equal(await failed.count(), 1);
  assert.match(await failed.getByTestId('error').textContent(), /1142/);
  assert.equal((await accounts(page)).chosen, 'student@%');
  await switchTo(page, 'root@localhost');
  assert.deepEqual(errors, []);
});

test('the stepper keeps switches in order: Back undoes one, and a link carries no password', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await setEditor(page, `CREATE USER 'lee'@'localhost' IDENTIFIED BY 'lee-secret';
SET SESSION AUTHORIZATION 'lee'@'localhost';
SELECT CURRENT_USER();`);
  const step = async () => {
    await page.getByTestId('step').click();
    await page.waitForSelector('[data-testid=status][data-status=ready]');
  };
  await step();
  await step();
  await page.waitForFunction(() => document.querySelector('[data-testid=account]').selectedOptions[0]?.textContent === 'lee@localhost');
  await step();
  assert.equal(await page.getByTestId('panel').last().locator('tbody td').first().textContent(), 'lee@localhost');
  // Back twice: the SELECT, then the switch itself.
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('back').click();
    await page.waitForSelector('[data-testid=status][data-status=ready]');
  }
  await page.waitForFunction(() => document.querySelector('[data-testid=account]').selectedOptions[0]?.textContent === 'root@localhost');
  assert.deepEqual((await accounts(page)).options, ['root@localhost', 'lee@localhost']);
  // Neither the stored session nor a share link holds the password in clear.
  const stored = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => !/editor|stepper/.test(k))
    .map((k) => localStorage.getItem(k)).join('\n'));
  assert.ok(!stored.includes('lee-secret'), 'the stored log and history hold the hash (the editor and the stepper keep the learner\'s own text)');
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const opened = await page.context().newPage();
  await opened.goto(link);
  await waitReady(opened);
  const script = await opened.getByTestId('editor').inputValue();
  assert.match(script, /IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'/);
  assert.ok(!script.includes('lee-secret'));
  assert.deepEqual(errors, []);
});
