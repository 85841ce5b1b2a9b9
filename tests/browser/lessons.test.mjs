// The lessons (issue 11) in real headless Chromium: a lesson is solved, the page reloads and
// it is still solved; a wrong answer right only on the visible data is explained with the
// smallest database that shows it, both results and the first step that differs; the
// session's own database is never touched; `#lesson=ID` opens a lesson; a teacher's file opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, waitReady } from './harness.mjs';

const env = pageTests();

async function openLesson(page, id) {
  if (!(await page.getByTestId('lessons').isVisible().catch(() => false))) {
    await page.getByTestId('lessons-toggle').click();
  }
  await page.locator(`[data-testid=lesson-item][data-id=${id}]`).click();
  await page.waitForSelector(`[data-testid=lesson][data-id=${id}]`);
}

async function answer(page, sql) {
  const area = page.getByTestId('lesson-answer');
  await area.fill(sql);
  await page.getByTestId('lesson-check').click();
  await page.waitForSelector('[data-testid=verdict]');
  return page.getByTestId('verdict');
}

test('a lesson solved stays solved after a reload; the session database is untouched', async () => {
  const { page } = await openPage(env.browser, env.url);
  const rowsBefore = await page
    .locator('[data-testid=schema-table][data-table=students]').getAttribute('data-rows');
  await page.getByTestId('lessons-toggle').click();
  await page.waitForSelector('[data-testid=lesson-item]');
  assert.ok(await page.getByTestId('lesson-item').count() >= 20, 'at least 20 lessons');
  await openLesson(page, 'where-null');
  assert.match(await page.getByTestId('lesson-text').innerText(), /수학 점수/);
  // A hint, one at a time.
  await page.getByTestId('lesson-hint').click();
  assert.equal(await page.getByTestId('hint').count(), 1);
  // Run shows the answer's rows on the lesson's database.
  await page.getByTestId('lesson-answer').fill('SELECT name FROM students WHERE math IS NULL');
  await page.getByTestId('lesson-run').click();
  await page.waitForSelector('[data-testid=lesson-ran] table');
  // A change answer would not reach the session either: check a right one.
  const verdict = await answer(page, 'SELECT name AS 이름 FROM students WHERE math IS NULL;');
  assert.equal(await verdict.getAttribute('data-correct'), 'true');
  assert.match(await verdict.innerText(), /정답입니다/);
  assert.equal(
    await page.locator('[data-testid=lesson-item][data-id=where-null]').getAttribute('data-state'),
    'solved');
  await page.reload();
  await waitReady(page);
  await page.getByTestId('lessons-toggle').click();
  await page.waitForSelector('[data-testid=lesson-item][data-id=where-null][data-state=solved]');
  // The lesson open last opens again, with the answer as it was written.
  await page.waitForSelector('[data-testid=lesson][data-id=where-null]');
  assert.equal(await page.getByTestId('lesson-answer').inputValue(),
    'SELECT name AS 이름 FROM students WHERE math IS NULL;');
  assert.equal(await page.getByTestId('hint').count(), 1, 'the hint shown is remembered');
  await page.getByTestId('lessons-toggle').click();
  assert.equal(await page
    .locator('[data-testid=schema-table][data-table=students]').getAttribute('data-rows'), rowsBefore);
  await page.close();
});

test('a wrong answer right only on the visible data is explained', async () => {
  const { page } = await openPage(env.browser, env.url);
  await openLesson(page, 'top-score');
  const verdict = await answer(page, 'SELECT name, kor FROM students ORDER BY kor DESC LIMIT 1');
  assert.equal(await verdict.getAttribute('data-correct'), 'false');
  assert.equal(await verdict.getAttribute('data-reason'), 'not_general');
  // The known mistake's feedback, the smallest database (a tie at the top: two rows), both
  // results and the first step that differs.
  assert.match(await page.getByTestId('verdict-feedback').innerText(), /LIMIT 1/);
  const witness = page.getByTestId('witness');
  assert.match(await witness.innerText(), /최댓값이 둘/);
  assert.equal(await page.locator('[data-testid=witness-table] tbody tr').count(), 2);
  assert.equal(await page.locator('[data-testid=witness-answer] tbody tr').count(), 1);
  assert.equal(await page.locator('[data-testid=witness-expected] tbody tr').count(), 2);
  assert.ok(await page.getByTestId('divergence').isVisible());
  // The list says it was tried; showing the answer is recorded.
  assert.equal(await page.locator('[data-testid=lesson-item][data-id=top-score]').getAttribute('data-state'), 'tried');
  await page.getByTestId('lesson-show-answer').click();
  assert.match(await page.getByTestId('lesson-reference').innerText(), /MAX\(kor\)/);
  assert.equal(await page.locator('[data-testid=lesson-item][data-id=top-score]').getAttribute('data-state'), 'answer_shown');
  await page.close();
});

test('#lesson=ID opens a lesson, and a teacher\'s lesson file opens and checks', async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${env.url}#lesson=recursive-org-chart`);
  // The lessons open at once (the playground waits, hidden, behind them).
  await page.waitForSelector('[data-testid=lesson][data-id=recursive-org-chart]');
  assert.match(await page.getByTestId('lesson-title').innerText(), /재귀/);
  await page.getByTestId('lesson-file').setInputFiles({
    name: 'mine.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(`+++
id = "teacher-one"
title = "선생님의 레슨"
reference = "SELECT COUNT(*) FROM employees WHERE manager_id = 1"
+++
대표에게 바로 보고하는 직원 수.
`),
  });
  await page.waitForSelector('[data-testid=lesson][data-id=teacher-one]');
  const verdict = await answer(page, 'SELECT COUNT(*) FROM employees WHERE manager_id = 1');
  assert.equal(await verdict.getAttribute('data-correct'), 'true');
  // Its link carries the lesson file and the answer to another browser.
  await page.getByTestId('lesson-share').click();
  const link = await page.getByTestId('share-link').inputValue();
  assert.match(link, /#v1/);
  const other = await env.browser.newContext();
  const friend = await other.newPage();
  await friend.goto(link);
  await friend.waitForSelector('[data-testid=lesson][data-id=teacher-one]');
  assert.match(await friend.getByTestId('lesson-text').innerText(), /대표에게/);
  assert.equal(await friend.getByTestId('lesson-answer').inputValue(),
    'SELECT COUNT(*) FROM employees WHERE manager_id = 1');
  await other.close();
  // A file that is not a lesson is refused with its line.
  await page.getByTestId('lesson-file').setInputFiles({
    name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from('+++\nid = "x"\n'),
  });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid=notice]')].some((n) => /1행|line 1/.test(n.textContent)));
  await ctx.close();
});
