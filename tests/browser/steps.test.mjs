// The step-by-step view in real headless Chromium: the script stepper (forward, Back with
// the database restored, Run to end, Reset) and the clause pipeline of the course's
// GROUP BY example and of its recursive CTE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor, showSteps } from './harness.mjs';

const env = pageTests();

// The statement the stepper marks in the editor's highlight.
const marked = async (page) =>
  (await page.locator('[data-testid=highlight] .current').allTextContents()).join('');
const idle = (page) => page.waitForSelector('[data-testid=status][data-status=ready]');
const studentRows = (page) =>
  page.locator('[data-testid=schema-table][data-table=students]').getAttribute('data-rows');
const stages = (root) =>
  root.locator('[data-testid=trace-step]').evaluateAll((els) => els.map((e) => e.dataset.stage));

async function step(page, times = 1) {
  for (let i = 0; i < times; i++) {
    await page.getByTestId('step').click();
    await idle(page);
  }
}

test('the stepper walks the course script forward and back, database included', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '강의 전체 (한 단계씩 실행해 보세요)' });
  const script = await page.getByTestId('editor').inputValue();
  await step(page, 3);
  assert.equal(await page.getByTestId('panel').count(), 3);
  // A step shows its steps at once (computed from the database before it).
  await page.getByTestId('panel').last().getByTestId('trace').first().waitFor();
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '3');
  // The statement just run is marked in the editor.
  const mark = await marked(page);
  assert.match(mark, /^SELECT\s+CONCAT\(/);
  // (Lines are drawn one by one, so the mark's text comes without its line breaks.)
  assert.ok(script.replace(/\n/g, '').includes(mark));

  // On to the INSERT … SELECT that adds a random student (statement 14 of 20).
  await step(page, 11);
  assert.equal(await page.getByTestId('panel').count(), 14);
  assert.match(await marked(page), /^insert into student_db2\.students/);
  assert.equal(await studentRows(page), '31');

  // Back undoes it: the panel goes and the new row with it.
  await page.getByTestId('back').click();
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 13);
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '13');
  assert.equal(await studentRows(page), '30');
  assert.equal(await page.getByTestId('notice').count(), 0, 'a Back is not a crash: no notice');

  // Run to end runs the rest, one panel per statement.
  await page.getByTestId('run-to-end').click();
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 20);
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '20');
  assert.equal(await studentRows(page), '31');
  assert.equal(await page.locator('[data-testid=panel][data-ok=false]').count(), 0);

  // Reset returns to before the first step.
  await page.getByTestId('reset').click();
  await idle(page);
  assert.equal(await page.getByTestId('panel').count(), 0);
  assert.equal(await studentRows(page), '30');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the GROUP BY example shows its clauses in evaluation order, with groups', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  await runEditor(page);
  const panel = page.getByTestId('panel').first();
  await showSteps(panel);
  const trace = panel.getByTestId('trace').first();
  const top = await trace.locator(':scope > [data-testid=trace-step]').evaluateAll((els) => els.map((e) => e.dataset.stage));
  assert.deepEqual(top, ['from', 'group_by', 'select']);
  // The derived table in FROM is a nested trace of its own (FROM, SELECT).
  const nested = panel.getByTestId('nested').first();
  await nested.locator('summary').click();
  assert.deepEqual(await stages(nested), ['from', 'select']);
  // GROUP BY lists each group with its rows and COUNT(*); the groups cover every row.
  const groupStep = trace.locator(':scope > [data-stage=group_by]');
  const groups = groupStep.getByTestId('group');
  assert.ok(await groups.count() > 1);
  assert.match(await groups.first().textContent(), /COUNT\(\*\) = \d+/);
  const resultRows = await panel.getByTestId('result-table').locator('tbody tr').count();
  assert.equal(await groups.count(), resultRows);
  // Each stage explains itself in the page's language.
  assert.match(await groupStep.locator('.explain').textContent(), /GROUP BY는/);
  await ctx.close();
});

test('the recursive CTE shows its anchor, each iteration and why it stopped', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
  await runEditor(page);
  const panel = page.getByTestId('panel').first();
  await showSteps(panel);
  const all = await stages(panel);
  assert.equal(all[0], 'cte');
  assert.equal(all[1], 'recursive_anchor');
  const iterations = all.filter((s) => s === 'recursive_iteration').length;
  assert.ok(iterations >= 3, `${iterations} iterations`);
  const notes = await panel.getByTestId('step-note').allTextContents();
  assert.match(notes.at(-1), /새 행이 없어서 멈췄습니다/);
  // The anchor is the CEO alone.
  const anchor = panel.locator('[data-stage=recursive_anchor] [data-testid=stage-table] tbody tr');
  assert.equal(await anchor.count(), 1);
  await ctx.close();
});

test('WHERE keeps dropped rows visible with their reason, and big stages are paged', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select id, math from students where math > 85 or id = 8;\nselect a.id, b.name from students a cross join employees b where a.id <= 20;');
  await runEditor(page);
  const first = page.getByTestId('panel').nth(0);
  await showSteps(first);
  const where = first.locator('[data-stage=where]');
  assert.ok(await where.locator('tr[data-mark=droppednull]').count() >= 1, 'NULL math is unknown, not false');
  assert.ok(await where.locator('tr[data-mark=droppedfalse]').count() >= 1);
  assert.match(await where.getByTestId('step-count').textContent(), /30행 중 \d+행이 남음/);

  const second = page.getByTestId('panel').nth(1);
  await showSteps(second);
  const join = second.locator('[data-testid=trace-step]').nth(1);
  const pager = join.getByTestId('pager');
  assert.match(await pager.textContent(), /240행 중 1–50/);
  const firstCell = () => join.locator('[data-testid=stage-table] tbody tr').first().locator('td').nth(1).textContent();
  const before = await firstCell();
  await pager.getByRole('button', { name: '다음' }).click();
  await page.waitForFunction(() => /240행 중 51–100/.test(document.querySelectorAll('[data-testid=pager]')[0]?.textContent ?? ''));
  assert.notEqual(await firstCell(), before);
  await ctx.close();
});
