// What a new user hit (issue 14), each in real headless Chromium: clicks on any drawn line of a
// long script reach the editor; a browser that blocks site data still gets a working page;
// editing a script while stepping never runs a statement twice; a finished script says so;
// a long result pages forward and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor, waitReady } from './harness.mjs';

const env = pageTests();
const idle = (page) => page.waitForSelector('[data-testid=status][data-status=ready]');
const studentRows = (page) =>
  page.locator('[data-testid=schema-table][data-table=students]').getAttribute('data-rows');

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`a click on any drawn line of a long script puts the cursor there (${name})`, async () => {
    const ctx = await env.browser.newContext({ viewport });
    const { page } = await openPage(env.browser, env.url, { context: ctx });
    const lines = Array.from({ length: 30 }, (_, i) => `select ${i + 1} as line_${i + 1};`);
    await setEditor(page, lines.join('\n'));
    const editor = page.getByTestId('editor');
    // Every line drawn where the page shows it is covered by the text area, whatever the
    // script's length; lines scrolled away are hidden with it.
    for (const target of [2, 12, 27, 30]) {
      const line = page.locator('[data-testid=highlight] .line').nth(target - 1);
      // The text area scrolls to it (as a learner would scroll the editor), the page to the
      // editor.
      await editor.evaluate((el, n) => {
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
        el.scrollTop = Math.max(0, (n - 3) * lineHeight);
        el.scrollIntoView({ block: 'nearest' });
      }, target);
      await page.waitForTimeout(50);
      const box = await line.boundingBox();
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.id, { x: box.x + 40, y: box.y + box.height / 2 });
      assert.equal(hit, 'editor', `line ${target} is under the text area`);
      await page.mouse.click(box.x + box.width - 5, box.y + box.height / 2);
      await page.keyboard.press('End');
      await page.keyboard.type(' -- here');
      const value = (await editor.inputValue()).split('\n');
      assert.equal(value[target - 1], `${lines[target - 1]} -- here`, `typed on line ${target}`);
      await setEditor(page, lines.join('\n'));
    }
    await ctx.close();
  });
}

test('the line clicked at the editor\'s bottom edge and typed on is shown whole, not cut by the edge', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  const lines = Array.from({ length: 40 }, (_, i) => `SELECT ${i + 1} AS n, '학생${i + 1}' AS name;`);
  await setEditor(page, lines.join('\n'));
  const editor = page.getByTestId('editor');
  // Scrolled so that the last line is only partly inside the text area, as a learner leaves it.
  const partly = await editor.evaluate((el) => {
    el.scrollTop = el.scrollHeight - el.clientHeight - 14;
    return el.scrollTop;
  });
  await page.waitForTimeout(50);
  const box = await editor.boundingBox();
  await editor.click({ position: { x: 200, y: box.height - 6 } });
  await page.keyboard.press('End');
  await page.keyboard.type(' -- 끝');
  const value = (await editor.inputValue()).split('\n');
  assert.equal(value[39], `${lines[39]} -- 끝`, 'typed on the last line');
  // The drawn last line lies wholly inside the text area's visible box, and the highlight and
  // the line numbers scrolled with it.
  await page.waitForFunction(() => {
    const el = document.getElementById('editor');
    const line = document.querySelectorAll('[data-testid=highlight] .line')[39].getBoundingClientRect();
    const area = el.getBoundingClientRect();
    return line.top >= area.top && line.bottom <= area.top + el.clientHeight;
  });
  const tops = await page.evaluate(() => [
    document.getElementById('editor').scrollTop,
    document.querySelector('.editor-backdrop').scrollTop,
    document.querySelector('.gutter').scrollTop,
  ]);
  assert.ok(tops[0] > partly, `the text area scrolled on (${partly} -> ${tops[0]})`);
  assert.deepEqual(tops, [tops[0], tops[0], tops[0]]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('with site data blocked (localStorage throws) the page mounts, runs SQL and says work is not kept', async () => {
  const ctx = await env.browser.newContext();
  await ctx.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.url);
  await waitReady(page);
  assert.match(await page.getByTestId('unsaved').innerText(), /저장되지 않습니다|새로 고치면 사라집니다/);
  await setEditor(page, 'select count(*) from students;');
  await runEditor(page);
  assert.match(await page.getByTestId('result-table').locator('tbody').innerText(), /^30$/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('editing statements already stepped resets to before them, with a notice; nothing runs twice', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  const script = [
    "insert into students (name, age, kor, eng, math) values ('가나다', 20, 90, 90, 90);",
    'select count(*) from students;',
    'select 1;',
  ];
  await setEditor(page, script.join('\n'));
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('step').click();
    await idle(page);
  }
  assert.equal(await studentRows(page), '31');
  // An edit below the statements run keeps the stepper where it is.
  await setEditor(page, [...script.slice(0, 2), 'select 2;'].join('\n'));
  await page.getByTestId('step').click();
  await idle(page);
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '3');
  assert.equal(await studentRows(page), '31');
  // An edit of the INSERT already run: the database goes back to before it and stepping
  // starts again from statement 1, so the INSERT runs once, not twice.
  await setEditor(page, [script[0].replace('가나다', '라마바'), ...script.slice(1, 2), 'select 2;'].join('\n'));
  await page.getByTestId('step').click();
  await idle(page);
  await page.getByTestId('notice').filter({ hasText: '처음부터 다시' }).waitFor();
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '1');
  assert.equal(await studentRows(page), '31');
  const out = await page.evaluate(() => window.sqlnori.run("select count(*) from students where name in ('가나다', '라마바')"));
  assert.deepEqual(out[0].rows, [[1]]);
  // To the end; one more Step says the script is finished and runs nothing.
  await page.getByTestId('run-to-end').click();
  await idle(page);
  const panels = await page.getByTestId('panel').count();
  await page.getByTestId('step').click();
  await page.getByTestId('notice').filter({ hasText: '끝까지 실행했습니다' }).waitFor();
  assert.equal(await page.getByTestId('panel').count(), panels);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a result over 100 rows pages forward and back', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select a.id as a, b.id as b from students a cross join employees b order by a.id, b.id;');
  await runEditor(page);
  const place = page.getByTestId('page-place');
  assert.equal(await place.innerText(), '240행 중 1–100');
  assert.equal(await page.getByTestId('page-next').innerText(), '다음');
  await page.getByTestId('page-next').click();
  assert.equal(await place.innerText(), '240행 중 101–200');
  await page.getByTestId('page-next').click();
  assert.equal(await place.innerText(), '240행 중 201–240');
  assert.ok(await page.getByTestId('page-next').isDisabled());
  assert.equal(await page.getByTestId('result-table').locator('tbody tr').count(), 40);
  await page.getByTestId('page-previous').click();
  assert.equal(await place.innerText(), '240행 중 101–200');
  await ctx.close();
});

test('at 1280 px the toolbar is one line; the page icon loads without an error', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const failed = [];
  ctx.on('requestfailed', (r) => failed.push(r.url()));
  ctx.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  const { page } = await openPage(env.browser, env.url, { context: ctx });
  // In both languages (English words are longer), with the account menu in the bar.
  for (const lang of ['ko', 'en']) {
    if (lang === 'en') await page.getByTestId('lang').click();
    const tops = await page.locator('.toolbar').evaluate((bar) =>
      [...bar.querySelectorAll('button, select')].filter((e) => e.offsetParent).map((e) => Math.round(e.getBoundingClientRect().top)));
    assert.ok(tops.length >= 10);
    assert.ok(Math.max(...tops) - Math.min(...tops) < 10, `${lang}: toolbar controls on one line: tops ${tops}`);
  }
  assert.deepEqual(failed, []);
  await ctx.close();
});

test('the stepper brings each new result into view, far below the editor', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openPage(env.browser, env.url, { context: ctx });
  await setEditor(page, Array.from({ length: 12 }, (_, i) => `select id, name, kor from students where id > ${i} limit 8;`).join('\n'));
  for (let i = 0; i < 12; i++) {
    await page.getByTestId('step').click();
    await idle(page);
  }
  await page.getByTestId('panel').last().getByTestId('trace').first().waitFor();
  await page.waitForTimeout(100);
  const box = await page.getByTestId('panel').last().boundingBox();
  const first = await page.getByTestId('panel').first().boundingBox();
  assert.ok(box.y > 800 || first.y < 0, 'the results are longer than the window');
  assert.ok(box.y < 800 && box.y + Math.min(box.height, 200) > 0, `the new result is in view (top at ${box.y})`);
  await ctx.close();
});

test('on a phone (390 px) nothing makes the page wider than the screen', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page } = await openPage(env.browser, env.url, { context: ctx });
  await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  await runEditor(page);
  await page.getByTestId('session').click();
  await page.getByTestId('stored-keys').waitFor();
  const wide = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    culprits: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 391 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  }));
  assert.ok(wide.page <= 390, `the page is ${wide.page} px wide: ${wide.culprits.join(', ')}`);
  await ctx.close();
});

test('an example or an imported file replacing the script can be undone', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  const mine = 'select name from students where kor > 85; -- my work';
  await setEditor(page, mine);
  await page.getByTestId('examples').selectOption({ index: 2 });
  assert.notEqual(await page.getByTestId('editor').inputValue(), mine);
  await page.getByTestId('notice-undo').click();
  assert.equal(await page.getByTestId('editor').inputValue(), mine);
  // Importing a file does the same.
  await page.getByTestId('session').click();
  await page.getByTestId('import-file').setInputFiles({
    name: 'other.sql', mimeType: 'application/sql', buffer: Buffer.from('select 42;'),
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value === 'select 42;');
  await page.getByTestId('notice-undo').click();
  assert.equal(await page.getByTestId('editor').inputValue(), mine);
  await ctx.close();
});

test('the sessions kept in this browser are listed: open an older one, delete one', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select "first session";');
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.endsWith('.editor')
    && localStorage.getItem(k).includes('first session')));
  const first = (await ctx.cookies())[0].value;
  await page.getByTestId('session').click();
  await page.getByTestId('new-session').click();
  await page.waitForLoadState('load');
  await waitReady(page);
  await page.getByTestId('session').click();
  const rows = page.getByTestId('stored-session');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.first().getAttribute('data-current'), 'true');
  const older = page.locator(`[data-testid=stored-session][data-id="${first}"]`);
  assert.match(await older.innerText(), /first session/);
  await older.getByTestId('session-open').click();
  await page.waitForLoadState('load');
  await waitReady(page);
  assert.equal((await ctx.cookies())[0].value, first);
  assert.equal(await page.getByTestId('editor').inputValue(), 'select "first session";');
  // Delete asks twice; the open session has no Delete.
  await page.getByTestId('session').click();
  const other = page.locator('[data-testid=stored-session][data-current=false]');
  await other.getByTestId('session-delete').click();
  assert.equal(await page.getByTestId('stored-session').count(), 2);
  await other.getByTestId('session-delete').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=stored-session]').length === 1);
  assert.equal(await page.locator('[data-testid=stored-session] [data-testid=session-delete]').count(), 0);
  await ctx.close();
});

test('after an error the page says what ran, what failed and what was skipped', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select 1;\nselect nope from students;\nselect 2;\nselect 3;');
  await runEditor(page);
  assert.equal(await page.getByTestId('panel').count(), 2);
  assert.equal(await page.getByTestId('status').innerText(),
    '4개 문장 중 1개 실행, 2행의 문장에서 오류가 났습니다. 나머지 2개(3, 4행)는 실행하지 않았습니다.');
  // A run that runs everything says "ready" again.
  await setEditor(page, 'select 1;');
  await runEditor(page);
  assert.equal(await page.getByTestId('status').innerText(), '준비됨');
  await ctx.close();
});

test('the sidebar preview shows every column; on a phone the tables come before the editor', async () => {
  const desk = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openPage(env.browser, env.url, { context: desk });
  await page.locator('[data-testid=schema-table][data-table=students] h3 button').click();
  const preview = page.getByTestId('preview');
  await preview.locator('table').waitFor();
  const [scroll, client] = await preview.evaluate((p) => [p.scrollWidth, p.clientWidth]);
  assert.ok(scroll <= client, `the preview is not cut: ${scroll} > ${client}`);
  await desk.close();
  const phoneCtx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await openPage(env.browser, env.url, { context: phoneCtx });
  const [schemaTop, workTop, width] = await phone.page.evaluate(() => [
    document.querySelector('.schema').getBoundingClientRect().top,
    document.querySelector('.work').getBoundingClientRect().top,
    document.documentElement.scrollWidth]);
  assert.ok(schemaTop < workTop, 'the table list is above the editor');
  assert.ok(workTop < 844 / 2, `the editor starts in the first half of the screen (${workTop})`);
  assert.equal(width, 390);
  await phoneCtx.close();
});

test('keys: Ctrl+/ and Shift+Tab keep a caret a caret, Esc then Tab goes to the next control, the keys are listed', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  const editor = page.getByTestId('editor');
  await setEditor(page, 'select 1;\n    select 2;');
  await editor.press('Control+End');
  await editor.press('Control+/');
  await page.keyboard.type('X');
  assert.equal(await editor.inputValue(), 'select 1;\n--     select 2;X', 'typing after Ctrl+/ does not replace the line');
  await editor.press('Control+/');
  await editor.press('Shift+Tab');
  await page.keyboard.type('Y');
  assert.equal(await editor.inputValue(), 'select 1;\nselect 2;XY', 'typing after Shift+Tab does not replace the line');
  // Escape, then Tab: out of the editor to the next control, the keys' list (not the body).
  await editor.press('Escape');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement?.closest('[data-testid=keys-help]') !== null),
    'the focus moved to the control after the editor');
  // The keys are listed one click away.
  await page.getByTestId('keys-help').locator('summary').click();
  assert.match(await page.getByTestId('keys-help').innerText(), /Shift \+ Enter/);
  await ctx.close();
});

test('RAND() after Back does not repeat the numbers of the statement taken back', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select rand() as r, rand() as s;');
  const drawn = async () => {
    await page.getByTestId('step').click();
    await idle(page);
    return page.getByTestId('panel').last().getByTestId('result-table').locator('tbody tr').first().innerText();
  };
  const first = await drawn();
  await page.getByTestId('back').click();
  await idle(page);
  const again = await drawn();
  assert.notEqual(again, first, 'the sequence moved on: Back undid the statement, not the draw');
  await ctx.close();
});
