// The editor and the result grid in real headless Chromium: Korean IME composition, the
// highlighting, autocomplete after an alias, running the statement under the cursor, sorting,
// the CSV download's bytes, and the main flow with the keyboard only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pageTests, openPage, setEditor, runEditor } from './harness.mjs';

const env = pageTests();

const idle = (page) => page.waitForSelector('[data-testid=status][data-status=ready]');

test('Korean IME composition is never interrupted, duplicated or lost', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  await setEditor(page, "SELECT '");
  const editor = page.getByTestId('editor');
  await editor.press('End');
  const cdp = await ctx.newCDPSession(page);
  // 김 (ㄱ → 기 → 김), then 영 (ㅇ → 여 → 영), each composed, then committed.
  for (const steps of [['ㄱ', '기', '김'], ['ㅇ', '여', '영']]) {
    for (const s of steps) {
      await cdp.send('Input.imeSetComposition', { text: s, selectionStart: 1, selectionEnd: 1 });
      // Mid-composition, the page must not rewrite the text area (it would drop the syllable).
      assert.ok((await editor.inputValue()).endsWith(s));
    }
    await cdp.send('Input.insertText', { text: steps.at(-1) });
  }
  await page.keyboard.type("'");
  assert.equal(await editor.inputValue(), "SELECT '김영'");
  // The highlight follows what was typed, and nothing doubled.
  await page.waitForFunction(() => document.querySelector('[data-testid=highlight] .tk-str')?.textContent === "'김영'");
  assert.equal(await page.locator('[data-testid=completions]').count(), 0, 'no popup while composing');
  await runEditor(page);
  assert.match(await page.getByTestId('result-table').locator('tbody').innerText(), /^김영$/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('highlighting comes from the tokenizer: keywords, functions, strings, numbers, comments', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, "-- 학생\nSELECT name, COUNT(*) AS n FROM students WHERE kor >= 80 AND name LIKE '김%' GROUP BY name;");
  const classOf = async (cls) => page.locator(`[data-testid=highlight] .${cls}`).allTextContents();
  assert.deepEqual(await classOf('tk-cmt'), ['-- 학생']);
  assert.ok((await classOf('tk-kw')).includes('SELECT'));
  assert.ok((await classOf('tk-kw')).includes('GROUP'));
  assert.deepEqual(await classOf('tk-fn'), ['COUNT']);
  assert.deepEqual(await classOf('tk-str'), ["'김%'"]);
  assert.deepEqual(await classOf('tk-num'), ['80']);
  assert.ok((await classOf('tk-id')).includes('students'));
  // Line numbers, and an error marked at its line with the message on focus.
  await setEditor(page, 'select 1;\nselect nope\n  from students;');
  await runEditor(page);
  const mark = page.getByTestId('error-line');
  assert.equal(await mark.innerText(), '2');
  assert.match(await mark.getAttribute('title'), /nope/);
  assert.equal(await page.locator('[data-testid=highlight] .error-mark').first().textContent(), 'nope');
  await ctx.close();
});

test('autocomplete offers the columns of an aliased table, with Tab to accept', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'SELECT s. FROM students s;');
  const editor = page.getByTestId('editor');
  await editor.press('Home');
  for (let i = 0; i < 'SELECT s.'.length; i++) await editor.press('ArrowRight');
  await page.keyboard.type('ko');
  const items = await page.getByTestId('completion').allInnerTexts();
  assert.ok(items.length >= 1);
  assert.match(items[0], /kor/);
  await page.keyboard.press('Tab');
  assert.equal(await editor.inputValue(), 'SELECT s.kor FROM students s;');
  assert.equal(await page.locator('[data-testid=completions]').count(), 0);
  // Functions come with their MySQL signature and a line in the page's language; Esc closes.
  await page.keyboard.type(', rou');
  const fn = await page.getByTestId('completion').first().innerText();
  assert.match(fn, /ROUND/);
  assert.match(fn, /ROUND\(x\[, digits\]\)/);
  assert.match(fn, /반올림/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid=completions]').count(), 0);
  // Native undo still works after an accepted completion.
  await page.keyboard.press('Control+z');
  assert.notEqual(await editor.inputValue(), 'SELECT s.kor, rou FROM students s;');
  await ctx.close();
});

test('Shift+Enter runs the statement under the cursor; a selection runs just the selection', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select 1 as a;\nselect 2 as b;\nselect 3 as c;');
  const editor = page.getByTestId('editor');
  await editor.press('Control+Home');
  await editor.press('ArrowDown');
  await editor.press('End');
  await editor.press('Shift+Enter');
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 1);
  assert.match(await page.getByTestId('result-table').innerText(), /^b/);
  // A selection of the third line.
  await editor.press('ArrowDown');
  await editor.press('Home');
  await editor.press('Shift+End');
  await editor.press('Control+Enter');
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 1);
  assert.match(await page.getByTestId('result-table').innerText(), /^c/);
  // Ctrl+/ comments the line; again uncomments; Tab indents.
  await editor.press('Control+/');
  assert.match(await editor.inputValue(), /\n-- select 3 as c;$/);
  await editor.press('Control+/');
  assert.match(await editor.inputValue(), /\nselect 3 as c;$/);
  await editor.press('Tab');
  assert.match(await editor.inputValue(), /\n    select 3 as c;$/);
  await editor.press('Shift+Tab');
  assert.match(await editor.inputValue(), /\nselect 3 as c;$/);
  await ctx.close();
});

test('the grid sorts the rows shown, pages big results and downloads CSV for Excel', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, "select name, kor, 'a, \"quoted\"' as note from students where id <= 5 order by id;");
  await runEditor(page);
  const table = page.getByTestId('result-table');
  const kor = async () => (await table.locator('tbody tr td:nth-child(2)').allInnerTexts()).map(Number);
  const before = await kor();
  await table.getByTestId('sort').nth(1).click();
  assert.deepEqual(await kor(), [...before].sort((x, y) => x - y));
  assert.equal(await table.locator('th').nth(1).getAttribute('aria-sort'), 'ascending');
  assert.match(await page.getByTestId('sort-note').innerText(), /SQL/);
  await table.getByTestId('sort').nth(1).click();
  assert.deepEqual(await kor(), [...before].sort((x, y) => y - x));
  // The CSV as Excel wants it: BOM, RFC 4180 quoting, Korean in UTF-8, CRLF.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'name,kor,note');
  assert.match(lines[1], /^[가-힣]{3},\d+,"a, ""quoted"""$/);
  assert.equal(lines.length, 7);
  // 240 rows come in pages of 100.
  await setEditor(page, 'select a.id, b.id from students a cross join employees b;');
  await runEditor(page);
  assert.equal(await page.getByTestId('result-table').locator('tbody tr').count(), 100);
  assert.match(await page.getByTestId('result-pager').innerText(), /240행 중 1–100/);
  await ctx.close();
});

test('keyboard only: pick an example, run it, open its steps, all with visible focus', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  // Tab to the examples menu and choose the GROUP BY example with the keyboard.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement?.dataset?.testid)) !== 'examples' && guard++ < 30) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'examples');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  // Into the editor with Tab, then Ctrl+Enter.
  guard = 0;
  while ((await page.evaluate(() => document.activeElement?.id)) !== 'editor' && guard++ < 40) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'editor');
  await page.keyboard.press('Control+Enter');
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 1);
  // Tab indents inside the editor; Escape then Tab leaves it, as in code editors. On to the
  // Show steps toggle.
  const text = await page.getByTestId('editor').inputValue();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await page.getByTestId('editor').inputValue(), text, 'no indent on leaving');
  guard = 0;
  while ((await page.evaluate(() => document.activeElement?.dataset?.testid)) !== 'show-steps' && guard++ < 40) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'show-steps');
  await page.keyboard.press('Enter');
  await page.getByTestId('trace').first().waitFor();
  assert.ok(await page.getByTestId('trace-step').count() >= 3);
  await ctx.close();
});

test('history restores a past script in one click; a table click previews its first rows', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select 1 as first_run;');
  await runEditor(page);
  await setEditor(page, 'select nope;');
  await runEditor(page);
  await page.getByTestId('history').click();
  const entries = page.getByTestId('history-entry');
  assert.equal(await entries.count(), 2);
  assert.match(await entries.nth(0).innerText(), /실패 · select nope/, 'newest first, with its outcome');
  assert.match(await entries.nth(1).innerText(), /성공 · select 1 as first_run/);
  await entries.nth(1).getByTestId('history-restore').click();
  assert.equal(await page.getByTestId('editor').inputValue(), 'select 1 as first_run;');
  const employees = page.locator('[data-testid=schema-table][data-table=employees]');
  await employees.getByTestId('preview-table').click();
  const preview = employees.getByTestId('preview');
  await preview.waitFor();
  assert.equal(await preview.locator('tbody tr').count(), 8);
  assert.match(await preview.locator('thead').innerText(), /manager_id/);
  await ctx.close();
});
