// How long checking a lesson answer takes in the page (the engine worker, wasm): the first
// check of a lesson prepares its databases (the lesson's and its variants, the reference on
// each); later checks of the same lesson reuse them. Median of 5 for each.
// Usage (the page built into dist/): node bench-lessons.mjs
import { serveDist, launch, openPage } from './harness.mjs';

const LESSONS = [
  ['where-null', 'SELECT name FROM students WHERE id IN (8, 21)'],
  ['group-avg-scores', 'SELECT avg_score, COUNT(avg_score) FROM (SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score FROM students) AS t GROUP BY avg_score'],
  ['cte-chain', 'WITH a AS (SELECT age, (kor + eng + math) / 3 AS s FROM students) SELECT age, COUNT(*) FROM a WHERE s >= 80 GROUP BY age'],
  ['recursive-org-chart', 'SELECT id, name, manager_id, 1 FROM employees'],
  ['update', 'UPDATE students SET math = math + 5'],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { server, url } = await serveDist();
const browser = await launch();
const { page } = await openPage(browser, url);
await page.getByTestId('lessons-toggle').click();
await page.waitForSelector('[data-testid=lesson-item]');
console.log('| lesson (answer) | first check: prepare + check, ms | later checks, ms (median of 5) |');
console.log('|---|---:|---:|');
for (const [id, answer] of LESSONS) {
  await page.locator(`[data-testid=lesson-item][data-id=${id}]`).click();
  await page.waitForSelector(`[data-testid=lesson][data-id=${id}]`);
  await page.getByTestId('lesson-answer').fill(answer);
  const times = [];
  for (let i = 0; i < 6; i++) {
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('lesson-check').click();
    await page.waitForSelector('[data-testid=verdict]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=lesson-check]').disabled);
    times.push((await page.evaluate(() => performance.now())) - t0);
  }
  console.log(`| ${id} (\`${answer.slice(0, 40)}…\`) | ${times[0].toFixed(0)} | ${median(times.slice(1)).toFixed(0)} |`);
}
await browser.close();
server.close();
