// Measures the result grid with a 100,000-row result in headless Chromium: the engine's time
// (the statement's elapsed_ms, traced as the page always runs) and the page's time from the
// result's arrival to the first page of rows on screen. Prints a Markdown table.
// Run with scripts/bench.sh (it builds the page first).
import { serveDist, launch, openPage, setEditor } from './harness.mjs';

const RUNS = 3;
const { server, url } = await serveDist();
const browser = await launch();
const { page, ctx } = await openPage(browser, url);
await page.evaluate(() => window.sqlnori.run(
  'create table d (x int); insert into d values (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);'));
const sql = 'select a.x * 10000 + b.x * 1000 + c.x * 100 + e.x * 10 + f.x as n, a.x as a, f.x as f '
  + 'from d a cross join d b cross join d c cross join d e cross join d f;';
await setEditor(page, sql);
const rows = [];
for (let i = 0; i < RUNS; i++) {
  const t = await page.evaluate(async () => {
    // The time the result message reaches the page, then the time its table is drawn.
    const start = performance.now();
    document.querySelector('[data-testid=run]').click();
    // The previous result goes first; then wait for the new one.
    await new Promise((ok) => {
      const gone = () => (document.querySelectorAll('[data-testid=panel]').length === 0 ? ok() : requestAnimationFrame(gone));
      gone();
    });
    const meta = await new Promise((ok) => {
      const poll = () => {
        const count = document.querySelector('[data-testid=row-count]')?.textContent ?? '';
        const rows = document.querySelectorAll('[data-testid=result-table] tbody tr').length;
        if (rows > 0 && count.includes('100000')) ok(count); else requestAnimationFrame(poll);
      };
      poll();
    });
    return { total: performance.now() - start, meta };
  });
  const engineMs = Number(/([\d.]+) ms/.exec(t.meta)[1]);
  rows.push({ total: t.total, engine: engineMs, page: t.total - engineMs, meta: t.meta });
  await page.waitForSelector('[data-testid=status][data-status=ready]');
}
await ctx.close();
await browser.close();
server.close();
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| 100,000-row result | median ms | runs |\n|---|---:|---|');
console.log(`| engine (traced run, in the worker) | ${med(rows.map((r) => r.engine)).toFixed(0)} | ${rows.map((r) => r.engine.toFixed(0)).join(', ')} |`);
console.log(`| page: message, grid, first 100 rows drawn | ${med(rows.map((r) => r.page)).toFixed(0)} | ${rows.map((r) => r.page.toFixed(0)).join(', ')} |`);
console.log(`| Run click → rows on screen | ${med(rows.map((r) => r.total)).toFixed(0)} | ${rows.map((r) => r.total.toFixed(0)).join(', ')} |`);
console.log(`\n(${rows[0].meta})`);
