// Pictures in real headless Chromium (issue 13): the course's GROUP BY example as a chart
// (one bar per group, heights in proportion to the counts), the recursive CTE's org chart as
// a tree (eight nodes, the right parents, folding), the schema diagram with an arrow for a
// foreign key created in the test, and GROUP BY's groups as coloured bands of rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor, showSteps } from './harness.mjs';

const env = pageTests();

test('the course GROUP BY example charts one bar per group, heights by count', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  await runEditor(page);
  const panel = page.getByTestId('panel').first();
  // The table first; the chart one click away, and back.
  const table = await panel.getByTestId('result-table').evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)));
  // A chart not asked for is not drawn (most results are read as a table).
  assert.equal(await panel.getByTestId('chart').count(), 0);
  await panel.getByTestId('view-chart').click();
  const chart = panel.getByTestId('chart');
  await chart.locator('svg .bar').first().waitFor();
  assert.equal(await panel.getByTestId('result-table').isVisible(), false);
  const bars = await chart.locator('svg .bar').evaluateAll((gs) =>
    gs.map((g) => ({ label: g.dataset.label, value: Number(g.dataset.value), h: Number(g.querySelector('rect').getAttribute('height')) })));
  assert.equal(bars.length, table.length, 'one bar per group');
  const counts = new Map(table.map(([avg, n]) => [avg, Number(n)]));
  for (const b of bars) assert.equal(b.value, counts.get(b.label), `bar ${b.label}`);
  // Heights in proportion to the counts (the axis starts at zero).
  const unit = bars[0].h / bars[0].value;
  for (const b of bars) assert.ok(Math.abs(b.h - b.value * unit) < 0.6, `height of ${b.label}`);
  // Ordered by the average, as a histogram.
  const labels = bars.map((b) => Number(b.label));
  assert.deepEqual(labels, [...labels].sort((a, b) => a - b));
  // A text alternative, and focus shows a value.
  assert.match(await chart.getByTestId('chart-description').textContent(), /막대 차트: avg_score별 count_students/);
  await chart.locator('svg .bar').first().focus();
  assert.equal(await chart.locator('svg .bar:focus .value').evaluate((t) => getComputedStyle(t).opacity), '1');
  // Saved as SVG: the drawing with its own styles.
  const [download] = await Promise.all([page.waitForEvent('download'), chart.getByTestId('save-svg').click()]);
  assert.equal(download.suggestedFilename(), 'chart.svg');
  const saved = await (await download.createReadStream()).toArray();
  const svg = Buffer.concat(saved).toString();
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><style>/);
  assert.equal((svg.match(/class="bar /g) ?? []).length, bars.length);
  const [png] = await Promise.all([page.waitForEvent('download'), chart.getByTestId('save-png').click()]);
  assert.equal(png.suggestedFilename(), 'chart.png');
  await panel.getByTestId('view-table').click();
  assert.equal(await panel.getByTestId('result-table').isVisible(), true);
  assert.deepEqual(errors, []);
});

test('the recursive CTE org chart draws as a tree of eight nodes that folds', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
  await runEditor(page);
  const panel = page.getByTestId('panel').last();
  const rows = await panel.getByTestId('result-table').evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)));
  await panel.getByTestId('view-tree').click();
  const tree = panel.getByTestId('tree');
  const nodes = await tree.getByTestId('tree-node').evaluateAll((lis) =>
    lis.map((li) => ({ id: li.dataset.id, parent: li.dataset.parent, under: li.parentElement.closest('li')?.dataset.id ?? '' })));
  assert.equal(nodes.length, 8);
  // Each node hangs under its manager_id, as the rows say (columns: id, name, manager_id, level).
  for (const [id, , manager] of rows) {
    const node = nodes.find((n) => n.id === id);
    assert.equal(node.under, manager === 'NULL' ? '' : manager, `node ${id}`);
    assert.equal(node.parent, node.under);
  }
  // Folding the root hides the rest.
  await tree.getByTestId('tree-fold').first().click();
  assert.equal(await tree.locator('[data-testid=tree-node]:visible').count(), 1);
  await tree.getByTestId('tree-fold').first().click();
  assert.equal(await tree.locator('[data-testid=tree-node]:visible').count(), 8);
  // The recursion's steps draw the tree as it grows, a level per iteration, new rows marked.
  await showSteps(panel);
  const grown = panel.getByTestId('iteration-tree');
  const sizes = await grown.evaluateAll((ds) => ds.map((d) => d.querySelectorAll('[data-testid=tree-node]').length));
  assert.ok(sizes.length >= 3, `trees: ${sizes}`);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => a - b), 'each iteration adds nodes');
  assert.equal(sizes.at(-1), 8);
  const fresh = await grown.first().locator('.node.fresh').count();
  assert.equal(fresh, 2, 'iteration 1 adds the two 부장s');
  assert.deepEqual(errors, []);
});

test('the schema diagram shows an arrow for a foreign key created in the test', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await setEditor(page, `CREATE TABLE dept (id INT PRIMARY KEY, name VARCHAR(20));
CREATE TABLE staff (id INT PRIMARY KEY, name VARCHAR(20), dept_id INT, boss_id INT,
  FOREIGN KEY (dept_id) REFERENCES dept (id), FOREIGN KEY (boss_id) REFERENCES staff (id));
INSERT INTO dept VALUES (1, '개발');
INSERT INTO staff VALUES (1, '김', 1, NULL);
INSERT INTO staff VALUES (2, '이', 7, 1);`);
  await runEditor(page);
  // The last INSERT breaks the key: MySQL's 1452, in Korean.
  const error = page.getByTestId('panel').last().getByTestId('error');
  assert.equal(await error.getAttribute('data-code'), 'foreign_key');
  assert.match(await error.textContent(), /1452/);
  await page.getByTestId('diagram-open').click();
  const diagram = page.getByTestId('diagram');
  await diagram.locator('svg').waitFor();
  assert.equal(await diagram.locator('path.fk[data-from="staff.dept_id"][data-to="dept.id"]').count(), 1);
  assert.equal(await diagram.locator('path.fk[data-from="staff.boss_id"][data-to="staff.id"]').count(), 1);
  assert.ok(await diagram.locator('g.box[data-table=students]').count() === 1);
  // The arrow leaves staff's box and ends at dept's.
  const geometry = await diagram.evaluate((d) => {
    const box = (t) => { const b = d.querySelector(`g.box[data-table=${t}] rect`).getBBox(); return { x: b.x, width: b.width }; };
    const path = d.querySelector('path.fk[data-from="staff.dept_id"]');
    const len = path.getTotalLength();
    const at = (l) => { const p = path.getPointAtLength(l); return { x: p.x, y: p.y }; };
    return { staff: box('staff'), dept: box('dept'), start: at(0), end: at(len) };
  });
  assert.ok(Math.abs(geometry.start.x - geometry.staff.x) < 1, JSON.stringify(geometry));
  assert.ok(Math.abs(geometry.end.x - (geometry.dept.x + geometry.dept.width)) < 3);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('diagram').count(), 0);
  assert.deepEqual(errors.filter((e) => !/1452/.test(e)), []);
});

test('GROUP BY steps band the rows by the group they go into', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  // Grouped by id, not by a random column: ages are drawn per session, and all seven rows
  // fell on one side of `age > 80` in about one visit in forty (one group, one band).
  await setEditor(page, 'SELECT id > 4 AS late, COUNT(*) AS n FROM students WHERE id < 8 GROUP BY id > 4;');
  await runEditor(page);
  const panel = page.getByTestId('panel').first();
  await showSteps(panel);
  const where = panel.locator('[data-testid=trace-step][data-stage=where]');
  const group = panel.locator('[data-testid=trace-step][data-stage=group_by]');
  const bands = await where.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[1].textContent, tr.dataset.band ?? null]));
  // Rows 1–7 are in a group (two bands), the rows WHERE dropped in none.
  const kept = bands.filter(([id]) => Number(id) < 8);
  assert.ok(kept.every(([, b]) => b === '0' || b === '1'));
  assert.equal(new Set(kept.map(([, b]) => b)).size, 2);
  assert.ok(bands.filter(([id]) => Number(id) >= 8).every(([, b]) => b === null));
  // The band colour is drawn, and the groups list and GROUP BY's own rows use the same bands.
  const colour = await where.locator('tbody tr[data-band="0"] td').nth(1).evaluate((td) => getComputedStyle(td).backgroundColor);
  assert.notEqual(colour, 'rgba(0, 0, 0, 0)');
  assert.deepEqual(await group.locator('tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.band)), ['0', '1']);
  assert.equal(await group.locator('[data-testid=group].band-1').count(), 1);
  assert.deepEqual(errors, []);
});
