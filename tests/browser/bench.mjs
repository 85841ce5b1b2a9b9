// Measures a first visit: bytes of every file the page transfers (raw and gzip) and the time
// from navigation to the first result in headless Chromium. Prints a Markdown report.
// Run with scripts/bench.sh (it builds the page first).
import { gzipSync } from 'node:zlib';
import { serveDist, launch, waitReady } from './harness.mjs';

const RUNS = 5;
const { server, url } = await serveDist();
const browser = await launch();
const sizes = new Map();
const timings = [];
for (let i = 0; i < RUNS; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  if (i === 0) {
    page.on('response', async (res) => {
      try {
        const body = await res.body();
        const name = new URL(res.url()).pathname.split('/').pop() || 'index.html';
        sizes.set(name, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
      } catch { /* redirects and the like have no body */ }
    });
  }
  const start = Date.now();
  await page.goto(url);
  await waitReady(page);
  const ms = await page.evaluate(async () => {
    await window.sqlnori.run('select count(*) from students');
    return performance.now();
  });
  timings.push({ wall: Date.now() - start, sinceNavigation: ms });
  await ctx.close();
}
await browser.close();
server.close();

// Workers' files are fetched by the worker; count them too if the page did not report them.
const rows = [...sizes.entries()].sort((a, b) => b[1].raw - a[1].raw);
const total = rows.reduce((t, [, s]) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip }), { raw: 0, gzip: 0 });
const kib = (n) => (n / 1024).toFixed(1);
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| file | raw KiB | gzip KiB |\n|---|---:|---:|');
for (const [name, s] of rows) console.log(`| ${name} | ${kib(s.raw)} | ${kib(s.gzip)} |`);
console.log(`| **total** | **${kib(total.raw)}** | **${kib(total.gzip)}** |`);
console.log(`\nNavigation → first result (median of ${RUNS}, performance.now() at the result): ` +
  `${med(timings.map((t) => t.sinceNavigation)).toFixed(0)} ms; ` +
  `runs: ${timings.map((t) => t.sinceNavigation.toFixed(0)).join(', ')} ms`);
