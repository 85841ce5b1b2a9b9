// The published page in real headless Chromium: a first visit stays within its byte budget, it
// runs under its Content-Security-Policy without a single violation, it works offline after
// the first visit (the service worker keeps the build), and a newer build installs in the
// background and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { serveDist, distFile, launch, openPage, waitReady, setEditor, runEditor, showSteps } from './harness.mjs';

let server;
let served;
let url;
let browser;
// What a newer build's service worker looks like: the same files under another version.
const overrides = new Map([['/sqlnori/sw.js', (text) => (newer ? text.replace(/const VERSION = '[0-9a-f]+'/, "const VERSION = 'a-newer-build'") : text)]]);
let newer = false;
before(async () => {
  ({ server, served, url } = await serveDist({ overrides }));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** Resolves once the service worker controls the page and has cached the build. */
const controlled = (page) => page.evaluate(async () => {
  await navigator.serviceWorker.ready;
  while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 20));
  const keys = await caches.keys();
  const cache = await caches.open(keys.find((k) => k.startsWith('sqlnori-')));
  return (await cache.keys()).length;
});

test('the page runs under its Content-Security-Policy without a violation', async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`);
    });
  });
  const { page, errors } = await openPage(browser, url, { context: ctx });
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
  // Everything that sets styles or loads code: a run, its steps, the completion popup.
  await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  await runEditor(page);
  await showSteps(page.getByTestId('panel').first());
  await setEditor(page, '');
  await page.getByTestId('editor').focus();
  await page.keyboard.type('select rou');
  await page.getByTestId('completions').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the engine worker says it runs before its wasm loads, and the page takes the signal for no message', async () => {
  const loader = (await distFile('/sqlnori/sqlnori-worker_loader.js')).toString('utf8');
  // Its first statement is the signal; it then keeps what the page sends before its wasm runs
  // (the page's `Init`, sent at once).
  assert.match(loader, /^\/\/[^\n]*\npostMessage\('sqlnori:started'\);\nself\.sqlnoriEarly = \[\];/);
  // The wasm-bindgen glue is in the loader itself (one request fewer before the wasm's).
  assert.doesNotMatch(loader, /importScripts\(/);
  assert.equal(await distFile('/sqlnori/sqlnori-worker.js'), null);
  const ctx = await browser.newContext();
  // (The boot's page start waits for the signal, or 300 ms; the order is not asserted, a
  // loaded machine may take the fallback.)
  await ctx.addInitScript(() => {
    const OrigWorker = window.Worker;
    window.__signal = null;
    window.Worker = class extends OrigWorker {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (e.data === 'sqlnori:started' && window.__signal === null) window.__signal = performance.now();
        });
      }
    };
  });
  const { page, errors } = await openPage(browser, url, { context: ctx });
  await waitReady(page);
  assert.notEqual(await page.evaluate(() => window.__signal), null, 'the boot worker posted its start signal');
  // The signal is not taken for a broken message: the engine answers.
  await setEditor(page, 'SELECT COUNT(*) AS n FROM students;');
  await runEditor(page);
  assert.match(await page.getByTestId('panel').first().innerText(), /\bn\b/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the boot comes first and the worker\'s wasm downloads from the first line, once, with no warning', async () => {
  const html = (await distFile('/sqlnori/index.html')).toString('utf8');
  // The boot runs as soon as it arrives, behind no style sheet, and there is one style sheet:
  // eight held it back (six connections to a host over HTTP/1.1).
  const head = html.slice(html.indexOf('</title>'));
  assert.match(head, /^<\/title>\s*<link rel="preload" href="\.\/sqlnori-worker_bg\.wasm" as="fetch"[^>]*>\s*<script type="module" async src="\.\/boot-/);
  assert.equal(html.match(/rel="stylesheet"/g)?.length, 1);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() !== 'log') warnings.push(m.text()); });
  const wasmRequests = [];
  page.on('request', (r) => { if (r.url().endsWith('/sqlnori-worker_bg.wasm')) wasmRequests.push(r.url()); });
  await page.goto(url);
  await waitReady(page);
  const out = await page.evaluate(() => window.sqlnori.run('select count(*) from students'));
  assert.deepEqual(out[0].rows, [[30]]);
  // The boot took the preload and handed it over: Chromium warns of a preload left unused
  // three seconds after the load event.
  await page.waitForTimeout(3500);
  assert.deepEqual(wasmRequests.length, 1, 'the worker\'s wasm is requested once');
  assert.deepEqual(warnings.filter((w) => /preload|deprecated/i.test(w) && !/integrity/.test(w)), []);
  await ctx.close();
});

test('after the first visit the playground opens and runs with the network off', async () => {
  const { page, ctx, errors } = await openPage(browser, url);
  const sw = (await distFile('/sqlnori/sw.js')).toString('utf8');
  const listed = JSON.parse(/const FILES = (\[[^\]]*\]);/.exec(sw)[1]);
  assert.ok(listed.length >= 8, 'the service worker lists the build');
  assert.equal(await controlled(page), listed.length, 'the build is cached');
  await ctx.setOffline(true);
  await page.reload();
  await waitReady(page);
  const out = await page.evaluate(() => window.sqlnori.run('select count(*) from students'));
  assert.deepEqual(out[0].rows, [[30]]);
  // The engine worker came from the cache too: a crash recovery starts a fresh one offline.
  await page.evaluate(() => window.sqlnori.run('select 1'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a newer build installs in the background and the page says it is ready', async () => {
  const { page, ctx } = await openPage(browser, url);
  await controlled(page);
  newer = true;
  try {
    await page.reload();
    await waitReady(page);
    await page.getByTestId('notice').filter({ hasText: '새 버전이 준비되었습니다' }).waitFor();
    // The page in front is still the build it started with, and works.
    const out = await page.evaluate(() => window.sqlnori.run('select 2'));
    assert.deepEqual(out[0].rows, [[2]]);
  } finally {
    newer = false;
  }
  await ctx.close();
});

/**
 * What a first visit may transfer, gzip -9 (what GitHub Pages sends), every file counted once.
 * The goal is 1 MiB (issue 15); the engine worker alone is 1.13 MiB gzip today (GlueSQL and
 * sqlparser, see BENCHMARKS.md), so the budget holds the line at what the build is now and is
 * lowered as bytes are cut: a change that adds weight fails here and must say why.
 * Raised once, from 1.62 to 1.69 MiB: the lessons (issue 11) cost the page 92 KiB, the
 * sessions list, the undo of replaced scripts, the run report and the keys' list (issue 14)
 * 16 KiB; new built-ins, errors said as sentences, name suggestions, ENUM order and text read
 * as numbers (issues 14, 16) the worker 13 KiB; GlueSQL's regex without its speed-ups took
 * 89 KiB off the worker, so the whole grew 80 KiB (the table in BENCHMARKS.md).
 * The lesson files themselves are fetched only when the lessons open.
 * Raised again, from 1.69 to 1.75 MiB: pictures (issue 13: the chart, the tree, the schema
 * diagram drawn as SVG by the model, their views, saving as SVG/PNG, the group bands) cost the
 * page 43 KiB; foreign keys and every engine error said as a sentence (issues 13, 14) the
 * worker 16 KiB (measured 1.744 MiB; the table in BENCHMARKS.md).
 * Raised again, from 1.75 to 1.82 MiB: accounts and privileges (issue 12: the account
 * statements' reader and executor, the privilege walk, the privilege step) cost the worker
 * 59 KiB; the account menu and password hashing for links, history and log the page 11 KiB
 * (measured 1.810 MiB).
 * Raised again, from 1.82 to 1.85 MiB: over fifty more MySQL built-ins (issue 16: CONV,
 * SUBSTRING_INDEX, SOUNDEX, STR_TO_DATE, WEEK, TIMESTAMPDIFF, JSON_*, REGEXP_*, SHA1/SHA2 …
 * evaluated in Rust) cost the worker 31 KiB; their catalogue lines (autocomplete, the hint of
 * an unknown function) the page 3 KiB (measured 1.846 MiB).
 * Raised again, from 1.85 to 1.87 MiB: indexes (CREATE/DROP INDEX, SHOW INDEX, UNIQUE
 * enforced), ANY/ALL and text read as numbers cost the worker 14 KiB, the sidebar's index line
 * the page 2 KiB (measured 1.861 MiB).
 * Raised again, from 1.87 to 1.89 MiB: MOD, shifts and ~, numbers as conditions, SHOW CREATE
 * TABLE and UUID() cost the worker 8 KiB (measured 1.870 MiB in a clean clone, whose longer
 * path weighed a little more: scripts/wasm-flags.sh now remaps source paths, so the bytes no
 * longer depend on where the checkout lives).
 * Raised again, from 1.89 to 1.92 MiB: MySQL's warnings and SHOW WARNINGS, errno/SQLSTATE,
 * declared result types, JSON -> and ->>, seven more built-ins cost the worker 16 KiB; the
 * warnings list, the function examples in completion and the catalogue's new entries the page
 * 9 KiB (measured 1.894 MiB).
 * Lowered, from 1.92 to 1.90 MiB: regex (GlueSQL's and the REGEXP built-ins') now carries
 * only the Unicode data for case folding and \w \d \s, not the property classes' tables,
 * which took 52 KiB off the worker while composite keys, CHECK, ON DELETE CASCADE, multi-table
 * UPDATE/DELETE and error 1052 (issue 16) added about 27 KiB (measured 1.881 MiB, from 1.942).
 * Raised, from 1.90 to 1.91 MiB: on the machine of 2026-12-06 the same commit (80b8429) built
 * a worker 20 KiB heavier than the 1.881 MiB above (a fresh machine; same Cargo.lock), and
 * this session's speed patches and the worker's start signal added under 1 KiB (measured
 * 1.900 MiB).
 * Lowered, from 1.91 to 1.85 MiB: every walk over sqlparser's AST goes through one visitor
 * type (crates/engine/src/walk.rs), where forty visitor types each compiled their own copy of
 * the derived walk: 62 KiB off the worker (measured 1.84 MiB).
 * Lowered, from 1.85 to 1.83 MiB: GlueSQL's error for a join operator it does not run printed
 * the operator with `{:?}`, which linked the Debug code of the whole SQL AST; a gluesql-core
 * patch names the operator instead, 29 KiB off the worker (measured 1.815 MiB).
 * Lowered, from 1.83 to 1.77 MiB: GlueSQL's evaluator compiled once (not a second time for a
 * mock storage), one shared stable sort, sqlparser without other databases' statements, and
 * GlueSQL's integer and decimal arithmetic as one function per type: 58 KiB off the worker
 * (measured 1.759 MiB).
 * Raised, from 1.77 to 1.80 MiB: the everyday MySQL of 2026-12-07 (CREATE TABLE … AS SELECT,
 * booleans as integers, row subqueries, column positions, IS TRUE/UNKNOWN, UPDATE/DELETE with
 * ORDER BY … LIMIT, SELECT … INTO, savepoints, CHAR/VARCHAR lengths and ENUMs on UPDATE,
 * system variables, JSON_ARRAYAGG/OBJECTAGG, text and numbers converted as MySQL does) cost the
 * worker 32 KiB under gzip -9 (1,190 → 1,222 KiB, f69f132 and this build measured on the
 * same machine; the 1.759 above was another machine's); the page 1 KiB. Measured 1.797 MiB,
 * where f69f132 measures 1.76 MiB on this machine.
 * Lowered, from 1.80 to 1.79 MiB: sqlparser's branches for dialects other than MySQL are
 * dropped at compile time (`dialect_of!` answered by `built_for`, about 25 KiB off the worker),
 * while numbers stored as MySQL stores them, UNSIGNED/ZEROFILL/FLOAT(M,D), compound interval
 * units, UPDATE left to right, ON UPDATE CURRENT_TIMESTAMP, ALTER … ADD FOREIGN KEY and SET/DROP
 * DEFAULT added about 13 KiB (measured 1.784 MiB, from 1.797).
 * Raised, from 1.79 to 1.80 MiB: full scans that read the storage's rows in place, GROUP BY and
 * aggregates reading their columns in place (the GROUP BY of the side-by-side bench 37 → 14
 * million instructions), key lookups from a correlated subquery's outer row (10^8 rows read
 * → 10^4) and key lookups that compare as `=` does (NULL, 2.5, text), and the boot splash cost
 * about 7 KiB (measured 1.791 MiB).
 * Raised, from 1.80 to 1.81 MiB: the classic subqueries of a course at 10,000 rows, from
 * seconds to milliseconds natively (`EXISTS … o.customer_id = c.id` through an index of the
 * column built per SELECT, 12 s → 24 ms; long IN lists of constants through a set, 5 s →
 * 18 ms; correlated IN kept per outer value, and three-valued as MySQL's), table sources
 * finding their columns once per SELECT, filters reading columns in place and comparing
 * integers with literals without the heap: about 7 KiB in the worker (measured 1.802 MiB).
 */
const FIRST_VISIT_BUDGET = 1.81 * 1024 * 1024;

test('a first visit stays within its byte budget, and the offline copy costs no second download', async () => {
  served.length = 0;
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  await waitReady(page);
  const out = await page.evaluate(() => window.sqlnori.run('select count(*) from students'));
  assert.deepEqual(out[0].rows, [[30]]);
  await controlled(page);
  await ctx.close();
  // Counted at the server: a revalidation (304, the service worker's install) carries no body.
  const bodies = new Map();
  for (const { path, status } of served) {
    if (status === 200) bodies.set(path, (bodies.get(path) ?? 0) + 1);
  }
  let total = 0;
  for (const path of bodies.keys()) {
    const body = await distFile(path);
    assert.ok(body, `${path} is a built file`);
    total += gzipSync(body, { level: 9 }).length;
  }
  for (const name of ['index.html', 'sqlnori-worker_bg.wasm', 'sw.js']) {
    assert.ok([...bodies.keys()].some((p) => p.endsWith(name)), `${name} was fetched`);
  }
  const twice = [...bodies.entries()].filter(([, n]) => n > 1).map(([p]) => p);
  assert.deepEqual(twice, [], 'the service worker keeps the files without downloading them again');
  assert.ok(total <= FIRST_VISIT_BUDGET,
    `a first visit transfers ${(total / 1048576).toFixed(3)} MiB gzip, over its budget of ${(FIRST_VISIT_BUDGET / 1048576).toFixed(2)} MiB`);
});
