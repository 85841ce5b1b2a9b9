// The floor of issue 15's two unmet goals: how much of sqlnori's first visit and cold start
// any page built on GlueSQL must pay before doing anything of its own. Three pages in the same
// headless-Chromium run, interleaved, each visit a fresh browser: sql.js, GlueSQL alone
// (bench/floor: the patched GlueSQL and its memory storage, no worker, no UI, no MySQL layer)
// and sqlnori; the bytes each visit fetched (gzip -9) and the time from navigation to the
// answer of the first query, as bench-side-by-side.mjs measures them.
//
// Prints the Markdown table; with `--write FILE` also puts it into FILE between the
// `<!-- floor -->` markers. Run with scripts/bench-floor.sh (it builds the floor first).
import { serveDist, launch, servedBytes, coldStart, writeSection, SQLJS_PATH, FLOOR_PATH } from './harness.mjs';
import { FIRST } from './bench-workload.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const PAGES = [
  { name: 'sql.js', path: SQLJS_PATH, api: 'sqljs' },
  { name: 'GlueSQL alone', path: FLOOR_PATH, api: 'floor' },
  { name: 'sqlnori', path: null, api: 'sqlnori' },
];

/** One cold visit: the first query's answer time on the page's clock, and the bytes fetched. */
async function visit(page, base, served) {
  const browser = await launch();
  const tab = await (await browser.newContext()).newPage();
  const before = served.length;
  await tab.goto(page.path ? new URL(page.path, base).href : base);
  const cold = await coldStart(tab, page.api, FIRST);
  await browser.close();
  return { cold, bytes: await servedBytes(served, before) };
}

const { server, served, url } = await serveDist();
const runs = new Map(PAGES.map((p) => [p.name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const page of PAGES) runs.get(page.name).push(await visit(page, url, served));
}
server.close();

const med = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const m = (name, key) => med(runs.get(name).map((r) => r[key]));
const cell = (name, key, fmt) => {
  const ratio = m(name, key) / m('sql.js', key);
  return name === 'sql.js' ? fmt(m(name, key)) : `${fmt(m(name, key))} (${ratio.toFixed(2)}×)`;
};
const mib = (v) => `${(v / 1048576).toFixed(2)} MiB`;
const ms = (v) => `${Math.round(v).toLocaleString('en')} ms`;
let table = `| | ${PAGES.map((p) => p.name).join(' | ')} |\n|---|${PAGES.map(() => '---:').join('|')}|\n`;
table += `| first visit, gzip | ${PAGES.map((p) => cell(p.name, 'bytes', mib)).join(' | ')} |\n`;
table += `| cold start → first result | ${PAGES.map((p) => cell(p.name, 'cold', ms)).join(' | ')} |\n`;
const stamp = new Date().toISOString().slice(0, 10);
const report = `Measured ${stamp}, ${RUNS} interleaved runs each (medians, ratios to sql.js), headless `
  + `Chromium on this machine, served from loopback.\n\n${table}`;
console.log(report);

await writeSection('floor', report);
