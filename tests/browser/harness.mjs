// Shared set-up of the browser tests: serves the built page (dist/) under a sub-path, the way
// a GitHub Pages project site would, and drives Debian's Chromium through playwright-core.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const BASE_PATH = '/sqlnori/';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Starts a static server for dist/ on a free loopback port; resolves to its base URL. */
export async function serveDist() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE_PATH)) { res.writeHead(404); res.end(); return; }
    let rel = url.pathname.slice(BASE_PATH.length) || 'index.html';
    const path = normalize(join(DIST, rel));
    if (!path.startsWith(DIST)) { res.writeHead(403); res.end(); return; }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}${BASE_PATH}` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
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
