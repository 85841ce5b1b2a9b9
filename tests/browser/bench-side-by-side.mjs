// sqlnori beside sql.js (SQLite in wasm, what most browser SQL playgrounds run), in the same
// headless-Chromium run on the same SQL: first-visit bytes, cold start to the first result,
// a 10,000-row bulk insert, a GROUP BY, a self-join, a recursive CTE over 10,000 employees,
// and the renderer's peak memory. Runs are interleaved (sql.js, sqlnori, sql.js, …), each in a
// fresh browser so its renderer's peak is its own; medians are reported.
//
// Prints the Markdown table; with `--write FILE` also puts it into FILE between the
// `<!-- side-by-side -->` markers. Run with scripts/bench.sh (it builds the page first).
import { readFile, readdir } from 'node:fs/promises';
import { serveDist, launch, servedBytes, coldStart, writeSection, SQLJS_PATH } from './harness.mjs';
import { bulkInsert, orgChart, QUERIES, FIRST } from './bench-workload.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Peak resident memory (VmHWM) of the renderer processes started by this node process. */
async function rendererPeakMiB() {
  const procs = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      procs.push({ pid: Number(pid), ppid, hwm, renderer: cmd.includes('--type=renderer') });
    } catch { /* gone */ }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
    }
  }
  const peaks = procs.filter((p) => p.renderer && mine.has(p.pid)).map((p) => p.hwm);
  return Math.max(0, ...peaks) / 1024;
}

/** One visit of one engine: its timings, bytes and the renderer's peak. */
async function visit(engine, base, served) {
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  // (The bytes are counted from the server's log once the visit is over; see servedBytes.)
  const servedBefore = served.length;
  const url = engine === 'sqljs' ? new URL(SQLJS_PATH, base).href : base;
  const api = engine === 'sqljs' ? 'sqljs' : 'sqlnori';
  await page.goto(url);
  // Cold start: from navigation to the first query's answer, on the page's own clock.
  const cold = await coldStart(page, api, FIRST);
  const timed = (sql) => page.evaluate(async ({ api, sql }) => {
    const start = performance.now();
    const out = await window[api].run(sql);
    const ms = performance.now() - start;
    if (api === 'sqlnori') {
      const failed = out.find((r) => !r.ok);
      if (failed) throw new Error(`${failed.sql.slice(0, 80)}: ${failed.error}`);
      return { ms, rows: out.at(-1).rows ?? [] };
    }
    return { ms, rows: out };
  }, { api, sql });
  const insert = await timed(bulkInsert());
  const groupBy = await timed(QUERIES.groupBy);
  const selfJoin = await timed(QUERIES.selfJoin);
  const correlated = await timed(QUERIES.correlated);
  await timed(orgChart());
  const recursive = await timed(QUERIES.recursive);
  const managers = await timed(QUERIES.managers);
  const memory = await rendererPeakMiB();
  await browser.close();
  // Every file the visit fetched, once, as a static host sends it (gzip -9).
  const total = await servedBytes(served, servedBefore);
  return {
    cold, insert: insert.ms, groupBy: groupBy.ms, selfJoin: selfJoin.ms, correlated: correlated.ms,
    recursive: recursive.ms, managers: managers.ms,
    memory, bytes: total,
    answers: {
      groupBy: groupBy.rows, selfJoin: selfJoin.rows.length, correlated: correlated.rows, recursive: recursive.rows,
      managers: managers.rows,
    },
  };
}

const { server, served, url } = await serveDist();
const runs = { sqljs: [], sqlnori: [] };
for (let i = 0; i < RUNS; i++) {
  for (const engine of ['sqljs', 'sqlnori']) {
    runs[engine].push(await visit(engine, url, served));
  }
}
server.close();

// The same answers, or the comparison means nothing. (AVG is a DECIMAL of 4 places in
// sqlnori, as in MySQL, and a double in SQLite: compared to 3 places.)
const norm = (rows) => JSON.stringify(rows, (_, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v));
const [a, b] = [runs.sqljs[0].answers, runs.sqlnori[0].answers];
for (const key of ['groupBy', 'correlated', 'recursive', 'managers']) {
  if (norm(a[key]) !== norm(b[key])) {
    throw new Error(`${key} answers differ:\nsql.js  ${norm(a[key])}\nsqlnori ${norm(b[key])}`);
  }
}
if (a.selfJoin !== b.selfJoin) throw new Error(`self-join: ${a.selfJoin} vs ${b.selfJoin} rows`);

const med = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const m = (engine, key) => med(runs[engine].map((r) => r[key]));
const ms = (v) => `${Math.round(v).toLocaleString('en')} ms`;
const mib = (v) => `${(v / 1048576).toFixed(2)} MiB`;
const lines = [
  ['first visit, gzip', 'bytes', mib, 1.0],
  ['cold start → first result', 'cold', ms, 1.0],
  ['insert 10,000 rows (10 INSERTs of 1,000, one transaction)', 'insert', ms, 3],
  ['GROUP BY of average scores', 'groupBy', ms, 3],
  ['self-join (`a.kor = b.kor AND a.id < b.id WHERE a.id <= 300 LIMIT 1000`)', 'selfJoin', ms, 3],
  ['correlated subquery by key (`b.kor < (SELECT c.kor FROM big c WHERE c.id = b.id - 1)`)', 'correlated', ms, null],
  ['recursive CTE over 10,000 employees', 'recursive', ms, 3],
  ['correlated EXISTS on a column without a key (`EXISTS (SELECT 1 FROM emp s WHERE s.boss_id = e.id)`)', 'managers', ms, null],
  ['renderer peak memory', 'memory', (v) => `${Math.round(v)} MiB`, 2],
];
let table = `| | sql.js | sqlnori | ratio | goal |\n|---|---:|---:|---:|---:|\n`;
for (const [label, key, fmt, goal] of lines) {
  const s = m('sqljs', key);
  const n = m('sqlnori', key);
  const ratio = n / s;
  const goalText = key === 'bytes' ? '≤ 1.00 MiB' : `≤ ${goal}×`;
  const met = key === 'bytes' ? n <= 1048576 : ratio <= goal;
  const verdict = goal === null ? '—' : `${goalText} ${met ? '✓' : '✗'}`;
  table += `| ${label} | ${fmt(s)} | ${fmt(n)} | ${ratio.toFixed(2)}× | ${verdict} |\n`;
}
const stamp = new Date().toISOString().slice(0, 10);
const report = `Measured ${stamp}, ${RUNS} interleaved runs each (medians), headless Chromium on this machine, `
  + `served from loopback. Answers checked equal between the two engines.\n\n${table}`;
console.log(report);

await writeSection('side-by-side', report);
