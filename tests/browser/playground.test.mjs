// The playground end to end, in real headless Chromium against the release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor, waitReady } from './harness.mjs';

const env = pageTests();

test('loads from a sub-path in Korean with the course tables and the student example', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  const tables = await page.getByTestId('schema-table').evaluateAll((els) => els.map((e) => e.dataset.table));
  assert.deepEqual(tables.sort(), ['employees', 'students']);
  const students = page.locator('[data-table=students]');
  for (const col of ['id', 'name', 'age', 'kor', 'eng', 'math']) {
    assert.ok(await students.locator('.col', { hasText: new RegExp(`^${col}$`) }).count() === 1, col);
  }
  const editor = await page.getByTestId('editor').inputValue();
  assert.match(editor, /create table if not exists student_db2\.students/);
  // The boot splash stands in the served page until the page mounts, then goes.
  const served = await page.evaluate(async () => (await fetch(location.href)).text());
  assert.match(served, /data-boot-splash[^>]*>[\s\S]*놀이터를 여는 중/);
  assert.equal(await page.locator('[data-boot-splash]').count(), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the sidebar keeps each table while only its row count changes, and redraws one whose columns change', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  const students = page.locator('[data-table=students]');
  // Every change to the sidebar's elements while two INSERTs run: only the counts may change.
  await page.evaluate(() => {
    window.sidebarChanges = [];
    new MutationObserver((ms) => window.sidebarChanges.push(...ms.map((m) => m.type)))
      .observe(document.querySelector('aside.schema'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await setEditor(page, "INSERT INTO students (name, age, kor, eng, math) VALUES ('새학생', 20, 90, 90, 90);\nINSERT INTO students (name, age) VALUES ('또학생', 21);");
  await runEditor(page);
  assert.equal(await students.getAttribute('data-rows'), '32');
  assert.match(await students.locator('.rows').innerText(), /32/);
  const changes = await page.evaluate(() => window.sidebarChanges);
  assert.ok(changes.length > 0, 'the counts were updated');
  assert.deepEqual(changes.filter((t) => t === 'childList'), [], 'no table was drawn again for a write');
  // A new column changes the table's shape: it is drawn again, with the column.
  await setEditor(page, 'ALTER TABLE students ADD COLUMN club VARCHAR(20);');
  await runEditor(page);
  assert.equal(await students.locator('.col', { hasText: /^club$/ }).count(), 1);
  assert.equal(await students.getAttribute('data-rows'), '32');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a script renders one panel per statement, in order, with counts', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await runEditor(page);
  const panels = page.getByTestId('panel');
  assert.equal(await panels.count(), 6);
  const oks = await panels.evaluateAll((els) => els.map((e) => e.dataset.ok));
  assert.deepEqual(oks, ['true', 'true', 'true', 'true', 'true', 'true']);
  // The SELECTs before and after the INSERT show the 30 preloaded students, then one more.
  assert.match(await panels.nth(2).getByTestId('row-count').innerText(), /^30/);
  assert.match(await panels.nth(3).getByTestId('affected').innerText(), /INSERT · 1/);
  assert.match(await panels.nth(4).getByTestId('row-count').innerText(), /^31/);
  await ctx.close();
});

test('an error shows its line:column; earlier results stay and the run stops there', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select 1 as one;\nselect name\n  from students\n where;\nselect 3;');
  // Ctrl+Enter in the editor runs the script, like the Run button.
  await page.getByTestId('editor').press('Control+Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=panel]').length === 2);
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  const panels = page.getByTestId('panel');
  assert.equal(await panels.count(), 2);
  assert.equal(await panels.nth(0).getAttribute('data-ok'), 'true');
  assert.equal(await page.getByTestId('error-place').innerText(), '4:7');
  await ctx.close();
});

test('values are text, never HTML; NULL differs from the text NULL; numbers align right', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, "select '<b>bold</b>' as html, null as n, 'NULL' as t, 42 as num;");
  await runEditor(page);
  const cells = page.locator('[data-testid=result-table] td');
  assert.equal(await cells.nth(0).innerText(), '<b>bold</b>');
  assert.equal(await page.locator('[data-testid=result-table] b').count(), 0);
  assert.equal(await cells.nth(1).getAttribute('class'), 'null');
  assert.notEqual(await cells.nth(2).getAttribute('class'), 'null');
  assert.equal(await cells.nth(3).evaluate((e) => getComputedStyle(e).textAlign), 'right');
  await ctx.close();
});

test('window.sqlnori.run gives the CLI objects and shows the run in the page', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  const out = await page.evaluate(() => window.sqlnori.run(
    "select name, manager_id from employees where id <= 2 order by id; create table t (id int); select nope;"));
  assert.deepEqual(out[0], {
    sql: 'select name, manager_id from employees where id <= 2 order by id', ok: true,
    columns: ['name', 'manager_id'], rows: [['김대표', null], ['이부장', 1]],
  });
  assert.deepEqual(out[1], { sql: 'create table t (id int)', ok: true, affected: 0 });
  assert.equal(out[2].ok, false);
  assert.match(out[2].error, /^1:/);
  assert.equal(await page.getByTestId('panel').count(), 3);
  await ctx.close();
});

test('an engine crash kills only the worker: a fresh one comes back with the data intact', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  // Three strings of 900 MB each (each under the engine's 1 GiB bound) exhaust the worker's
  // 32-bit wasm memory: the allocation aborts the whole engine, the one failure no check
  // inside it can turn into an error.
  const bomb = "REPEAT(REPEAT('가', 1000000), 300)";
  const typed = `insert into students (name, age) values ('새학생', 20);\nSELECT LENGTH(CONCAT(${bomb}, ${bomb}, ${bomb}));\nselect 1;`;
  await setEditor(page, typed);
  await runEditor(page);
  const panels = page.getByTestId('panel');
  assert.equal(await panels.count(), 2);
  assert.equal(await panels.nth(1).getByTestId('error').getAttribute('data-code'), 'crashed');
  await page.getByTestId('notice').waitFor();
  assert.equal(await page.getByTestId('editor').inputValue(), typed);
  const out = await page.evaluate(() => window.sqlnori.run("select count(*) as n from students where name = '새학생'"));
  assert.deepEqual(out[0].rows, [[1]]);
  await ctx.close();
});

test('Stop ends a runaway query, the page stays responsive, and the data is intact', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, "delete from employees where id = 8;\nselect count(*) from students a join students b on true join students c on true join students d on true join students e on true;");
  await page.getByTestId('run').click();
  await page.waitForSelector('[data-testid=status][data-status=running]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=panel]').length === 1);
  // The UI thread is free while the worker grinds: typing still works.
  await page.getByTestId('editor').press('End');
  await page.getByTestId('editor').type(' -- still typing');
  assert.match(await page.getByTestId('editor').inputValue(), /still typing$/);
  await page.getByTestId('stop').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  // A stop is said as a stop, not as the learner's error at 1:1; the status says what ran.
  const stopped = page.getByTestId('panel').nth(1);
  assert.equal(await stopped.getByTestId('error').count(), 0);
  assert.match(await stopped.getByTestId('stopped').innerText(), /중단했습니다/);
  assert.match(await page.getByTestId('status').innerText(), /중지함: 2개 문장 중 1개를 실행한 뒤 2행의 문장을 멈췄습니다/);
  const out = await page.evaluate(() => window.sqlnori.run('select count(*) as n from employees'));
  assert.deepEqual(out[0].rows, [[7]]);
  await ctx.close();
});

test('the English switch is remembered across reloads', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  assert.equal(await page.getByTestId('run').innerText(), '실행');
  await page.getByTestId('lang').click();
  assert.equal(await page.getByTestId('run').innerText(), 'Run');
  await page.reload();
  await waitReady(page);
  assert.equal(await page.getByTestId('run').innerText(), 'Run');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await ctx.close();
});

test('the examples menu loads a course snippet with its explanation', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
  assert.match(await page.getByTestId('editor').inputValue(), /WITH RECURSIVE org_chart/);
  assert.match(await page.getByTestId('example-explanation').innerText(), /대표/);
  await runEditor(page);
  assert.match(await page.getByTestId('row-count').innerText(), /^8/);
  await ctx.close();
});
