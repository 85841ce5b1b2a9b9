// Shared set-up of the browser tests: serves the built page (dist/) under a sub-path, the way
// a GitHub Pages project site would, and drives Debian's Chromium through playwright-core.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const BASE_PATH = '/sqlnori/';
/** sql.js beside it, for the side-by-side benchmark: its page and the npm package's files. */
export const SQLJS_PATH = '/sqljs/';
const SQLJS_DIRS = [
  fileURLToPath(new URL('./sqljs/', import.meta.url)),
  fileURLToPath(new URL('./node_modules/sql.js/dist/', import.meta.url)),
];
/** GlueSQL alone (bench/floor, built by scripts/bench-floor.sh), for the floor bench. */
export const FLOOR_PATH = '/floor/';
const FLOOR_DIRS = [fileURLToPath(new URL('../../target/floor/www/', import.meta.url))];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Reads `rel` from the first of `dirs` that has it (never outside them). */
async function readFrom(dirs, rel) {
  for (const dir of dirs) {
    const path = normalize(join(dir, rel));
    if (!path.startsWith(dir)) return null;
    try {
      return { path, body: await readFile(path) };
    } catch { /* try the next */ }
  }
  return null;
}

/** Starts a static server for dist/ (and sql.js under /sqljs/) on a free loopback port;
 *  resolves to the page's URL. `overrides` maps a path (`/sqlnori/sw.js`) to a function of the
 *  file's text that gives what is served instead (a new build, in the update test).
 *  `served` lists every response's path and status. */
export async function serveDist({ overrides = new Map() } = {}) {
  /** Every response, `{ path, status }`: what a test of transferred bytes counts. */
  const served = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    res.on('finish', () => served.push({ path: url.pathname, status: res.statusCode }));
    if (overrides.has(url.pathname)) {
      const found = await readFrom([DIST], url.pathname.slice(BASE_PATH.length));
      res.writeHead(200, { 'content-type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' });
      res.end(overrides.get(url.pathname)(found?.body.toString('utf8') ?? ''));
      return;
    }
    const found = await fileFor(url.pathname);
    if (!found) { res.writeHead(404); res.end(); return; }
    // An ETag as static hosts send (GitHub Pages does): a revalidation of an unchanged file is
    // a 304 without a body, as the service worker's install relies on.
    const etag = `"${createHash('sha1').update(found.body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(found.path)] ?? 'application/octet-stream', etag });
    res.end(found.body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { server, served, url: `http://127.0.0.1:${port}${BASE_PATH}` };
}

/** The file a served path names, `{ path, body }`: `/sqlnori/…` from dist/, `/sqljs/…` from
 *  sql.js's files, `/floor/…` from the floor's build; a path ending in `/` is its
 *  `index.html`. Null when there is none. */
async function fileFor(path) {
  const [prefix, dirs] = path.startsWith(BASE_PATH) ? [BASE_PATH, [DIST]]
    : path.startsWith(SQLJS_PATH) ? [SQLJS_PATH, SQLJS_DIRS]
      : path.startsWith(FLOOR_PATH) ? [FLOOR_PATH, FLOOR_DIRS] : [null, null];
  return prefix ? readFrom(dirs, path.slice(prefix.length) || 'index.html') : null;
}

/** The file behind a served path of sqlnori's (`/sqlnori/index.html`) or sql.js's, or null. */
export async function servedFile(path) {
  return (await fileFor(path))?.body ?? null;
}

/** Files' sizes gzip -9, computed once per path (the files do not change during a bench, and
 *  the worker's wasm takes a while to compress). */
const gzipped = new Map();

/** What a visit transferred, as a static host sends it (gzip -9): every distinct path served
 *  with status 200 from `served[from]` on. Counted once the visit is over: reading and
 *  gzipping each response while the page starts took the two cores' time from the cold start. */
export async function servedBytes(served, from) {
  const paths = new Set(served.slice(from).filter((s) => s.status === 200).map((s) => s.path));
  let total = 0;
  for (const path of paths) {
    if (!gzipped.has(path)) {
      const body = await servedFile(path);
      gzipped.set(path, body ? gzipSync(body, { level: 9 }).length : 0);
    }
    total += gzipped.get(path);
  }
  return total;
}

/** Cold start, as the benches measure it: from navigation to the answer of `first`, on the
 *  page's own clock, through the page's `window[api]` (`ready`, then `run`). */
export async function coldStart(page, api, first) {
  return page.evaluate(async ({ api, first }) => {
    while (!window[api]) await new Promise((r) => setTimeout(r, 5));
    await window[api].ready;
    await window[api].run(first);
    return performance.now();
  }, { api, first });
}

/** With `--write FILE` among the arguments, puts `report` into FILE between the markers
 *  `<!-- section -->` and `<!-- /section -->` (a bench's table in BENCHMARKS.md). */
export async function writeSection(section, report) {
  const at = process.argv.indexOf('--write');
  if (at < 0) return;
  const file = process.argv[at + 1];
  const text = await readFile(file, 'utf8');
  const start = `<!-- ${section} -->`;
  const end = `<!-- /${section} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} … ${end} section`);
  await writeFile(file, `${text.slice(0, i + start.length)}\n${report}${text.slice(j)}`);
}

/** The built file behind a served path (`/sqlnori/index.html`), or null. */
export async function distFile(path) {
  return path.startsWith(BASE_PATH) ? servedFile(path) : null;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...(process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []), '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the page in a fresh context and waits until the engine is ready. */
export async function openPage(browser, url, { context } = {}) {
  const ctx = context ?? await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await waitReady(page);
  return { page, ctx, errors };
}

/** Waits for the wasm module to install window.sqlnori (it runs after `load`), then for the
 *  engine to be ready. */
export async function waitReady(page) {
  await page.waitForFunction(() => window.sqlnori !== undefined);
  await page.evaluate(() => window.sqlnori.ready);
}

/** Replaces the editor's text as a learner typing would (input events fire). */
export async function setEditor(page, sql) {
  await page.getByTestId('editor').fill(sql);
}

/** Clicks Run and waits until the engine is idle again. */
export async function runEditor(page) {
  await page.getByTestId('run').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');
}

/** Opens a result panel's steps (computed on demand by the worker) and waits for them. */
export async function showSteps(panel) {
  await panel.getByTestId('show-steps').click();
  await panel.getByTestId('trace').first().waitFor();
}

/** Starts the server and the browser before a test file's tests and stops them after;
 *  `env.url` and `env.browser` are set once the tests run. */
export function pageTests() {
  const env = {};
  before(async () => {
    ({ server: env.server, url: env.url } = await serveDist());
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
  });
  return env;
}
