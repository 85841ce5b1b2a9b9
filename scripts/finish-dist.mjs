#!/usr/bin/env node
// Finishes what Trunk built (its post_build hook; see Trunk.toml), for any static host:
//
// - The page's boot becomes a file, `boot-<hash>.js`: Trunk writes it inline, which a
//   Content-Security-Policy without 'unsafe-inline' would block. The boot first starts the
//   engine worker, so the worker's wasm downloads and compiles while the page's own loads
//   (the page adopts it, see src/host.rs), then loads the page, then registers the service
//   worker. It is the first script of the page and runs as soon as it arrives (`async`).
// - The engine worker's wasm is downloaded from index.html's first line on (a preload that the
//   boot takes and hands to the worker), not once the worker's loader runs, two requests
//   later.
// - The style sheets become one file: eight requests held the boot back behind them (a
//   browser opens six connections to a host over HTTP/1.1).
// - index.html gets the Content-Security-Policy (what the page needs and nothing more: its own
//   scripts, styles, workers and fetches, and compiling wasm).
// - `sw.js`, the service worker: it keeps this build's files so the page opens and runs with
//   the network off, and a new build (a new list, a new version) is picked up on a later visit.
// - `lessons.json`: the built-in lessons (`lessons/*.md`), fetched when the lessons open and
//   kept by the service worker from then on (not at install: the first visit stays small).
//
// `node scripts/finish-dist.mjs --compress DIR` writes `.gz` and `.br` beside each file for
// hosts that serve them (scripts/build.sh does it; a local `trunk serve` does not need it).
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, writeFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const sha = (alg, data) => createHash(alg).update(data).digest();

/** The engine worker's first message (`WORKER_STARTED` in crates/model/src/protocol.rs). */
const WORKER_STARTED = 'sqlnori:started';
const WORKER_LOADER = 'sqlnori-worker_loader.js';
/** The worker's wasm-bindgen glue, which Trunk's loader imports (inlined into it here). */
const WORKER_GLUE = 'sqlnori-worker.js';
/** The page's event when it is first idle (`IDLE_EVENT` in src/api.rs). */
const IDLE_EVENT = 'sqlnori-idle';
/** Where the loader keeps the page's messages until the worker's wasm runs (`WORKER_EARLY`). */
const WORKER_EARLY = 'sqlnoriEarly';
/** The worker's wasm, as Trunk names it. */
const WORKER_WASM = 'sqlnori-worker_bg.wasm';
/** The name the boot gives its worker: that worker's wasm comes from the boot (a worker the
 *  page starts later, after a crash, fetches its own). */
const BOOT_WORKER_NAME = 'sqlnori-boot';
/** The key of the boot's message that hands the worker its wasm (its bytes, or null). */
const WASM_MESSAGE = 'sqlnoriWasm';

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await files(path));
    else out.push(path);
  }
  return out.sort();
}

/** What runs before the page's own boot (Trunk's module code follows it in the same file). */
function prelude(build, dev) {
  return `// sqlnori's boot, written by scripts/finish-dist.mjs (build ${build}).
// 1. The engine worker starts now, in parallel with the page's download; the page adopts it
//    and the messages it sent meanwhile (src/host.rs).
const boot = (self.sqlnoriBoot = { build: '${build}', events: [] });
// (Resolved by the worker's first message, '${WORKER_STARTED}', or its failure; see 3.)
const workerStarted = new Promise((resolve) => { boot.started = resolve; });
try {
  // (\`worker\`, not \`boot.worker\`, below: the page may have adopted it by then.)
  const worker = (boot.worker = new Worker('./${WORKER_LOADER}', { name: '${BOOT_WORKER_NAME}' }));
  worker.onmessage = (e) => {
    if (e.data === '${WORKER_STARTED}') boot.started();
    else boot.events.push(e);
  };
  worker.onerror = (e) => { e.preventDefault(); boot.events.push(e); boot.started(); };
  // Its wasm, preloaded since index.html's first line, goes to it whole (moved, not copied):
  // the download does not wait for the worker's thread and loader, and nothing is fetched
  // twice. (Not as a stream: a transferred stream's chunks pass through this thread, which is
  // busy mounting the page just then.) Null, and the worker fetches it itself, when the
  // download or the hand-over fails.
  const handOver = (bytes) => worker.postMessage({ ${WASM_MESSAGE}: bytes }, bytes ? [bytes] : []);
  fetch('./${WORKER_WASM}').then((response) => {
    if (!response.ok) throw new Error(String(response.status));
    return response.arrayBuffer();
  }).then(handOver).catch(() => {
    try { handOver(null); } catch { /* the worker is gone: the page starts one */ }
  });
} catch {
  // The page starts its own and says why it cannot.
  boot.started();
}
// 2. The service worker keeps this build for offline use. A newer build installs beside it
//    and takes over on a later visit; the page is told (the 'sqlnori-update' event). It is
//    registered once the page is first idle ('${IDLE_EVENT}', src/api.rs), or 20 s in at the
//    latest: its install downloads and stores the whole build again, and registered at once it
//    made the first answer a quarter slower on a two-core machine (579 → 434 ms, median of 7).
if ('serviceWorker' in navigator) {
  ${dev ? `// (Local development: no service worker, and none left from a build before.)
  navigator.serviceWorker.getRegistrations().then((all) => all.forEach((r) => r.unregister()));`
    : `const register = () => navigator.serviceWorker.register('./sw.js').then((reg) => {
    const waiting = () => {
      if (reg.waiting && navigator.serviceWorker.controller) {
        boot.update = 'ready';
        dispatchEvent(new CustomEvent('sqlnori-update'));
      }
    };
    waiting();
    reg.addEventListener('updatefound', () => {
      reg.installing?.addEventListener('statechange', waiting);
    });
  }).catch(() => { /* offline use is a bonus; the page works without it */ });
  const once = () => {
    removeEventListener('${IDLE_EVENT}', once);
    clearTimeout(latest);
    register();
  };
  const latest = setTimeout(once, 20000);
  addEventListener('${IDLE_EVENT}', once);`}
}
// 3. The page (Trunk's loader), once the worker's thread runs (or 300 ms later at most):
//    started at the same moment, the page's wasm start held the worker's script request back
//    by about 250 ms, and the worker is the longer road to the first result.
await Promise.race([workerStarted, new Promise((resolve) => setTimeout(resolve, 300))]);
// The boot runs as soon as it arrives: the page mounts once the document and its style sheet
// are there.
if (document.readyState === 'loading') {
  await new Promise((resolve) => addEventListener('DOMContentLoaded', resolve, { once: true }));
}
await Promise.all([...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.sheet
  || new Promise((resolve) => { link.onload = resolve; link.onerror = resolve; })));
`;
}

/** The first line of a loader finished here. */
const LOADER_MARK = "// The engine worker's loader, finished by scripts/finish-dist.mjs.";

/** The worker loader's first lines: it says it runs, and keeps what the page sends until the
 *  wasm runs; the boot's worker waits for its wasm from the boot. */
function loaderHead() {
  return `${LOADER_MARK}
postMessage('${WORKER_STARTED}');
self.${WORKER_EARLY} = [];
let handedOver = null;
const wasmFromBoot = self.name === '${BOOT_WORKER_NAME}'
  ? new Promise((resolve) => { handedOver = resolve; }) : null;
onmessage = (e) => {
  if (e.data && typeof e.data === 'object' && '${WASM_MESSAGE}' in e.data) handedOver?.(e.data.${WASM_MESSAGE});
  else self.${WORKER_EARLY}.push(e.data);
};
`;
}

/** The loader's last lines: the wasm from the boot, or fetched here; what the boot handed over
 *  is fetched again if it does not compile. */
function loaderStart() {
  return `
const fetchWasm = () => fetch('./${WORKER_WASM}');
const wasmSource = wasmFromBoot
  ? wasmFromBoot.then((bytes) => (bytes
    ? new Response(bytes, { headers: { 'content-type': 'application/wasm' } }) : fetchWasm()))
  : fetchWasm();
wasm_bindgen({ module_or_path: wasmSource })
  .catch(() => wasmFromBoot && wasm_bindgen({ module_or_path: fetchWasm() }));
`;
}

/** The style sheets Trunk linked, in their order, as one file linked where the first was. */
async function mergeStyles(dir, html) {
  const link = /[ \t]*<link rel="stylesheet" href="\.\/([^"]+\.css)"(?: integrity="[^"]*")?\s*\/?>\n?/g;
  const found = [...html.matchAll(link)];
  if (found.length < 2) return html;
  let css = '';
  for (const [, name] of found) {
    css += `${(await readFile(join(dir, name), 'utf8')).trimEnd()}\n`;
    await rm(join(dir, name));
  }
  const name = `style-${sha('sha256', css).toString('hex').slice(0, 16)}.css`;
  await writeFile(join(dir, name), css);
  const integrity = `sha384-${sha('sha384', css).toString('base64')}`;
  let first = true;
  return html.replace(link, () => {
    if (!first) return '';
    first = false;
    return `  <link rel="stylesheet" href="./${name}" integrity="${integrity}">\n`;
  });
}

/** The service worker for this build's files. */
function serviceWorker(version, list, lazy) {
  return `// sqlnori's service worker, written by scripts/finish-dist.mjs: build ${version}.
// Keeps this build's files and answers from them first, so the playground opens and runs
// offline. A new build is a new file (a new version and list): the browser installs it beside
// this one, and it takes over once no page of this build is open (never mid-visit, when the
// page and its engine worker must stay the same build).
const VERSION = '${version}';
const FILES = ${JSON.stringify(list, null, 2)};
// Kept once fetched (not at install, so the first visit does not download them).
const LAZY = ${JSON.stringify(lazy)};
const CACHE = 'sqlnori-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) =>
    // 'no-cache': the browser revalidates what the page has just downloaded (a 304, no body),
    // so the first visit does not transfer the build twice, and a stale copy is never taken.
    cache.addAll(FILES.map((f) => new Request(new URL(f, self.registration.scope), { cache: 'no-cache' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('sqlnori-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  let path = url.pathname.slice(scope.pathname.length);
  if (request.mode === 'navigate' && (path === '' || path === 'index.html')) path = 'index.html';
  if (LAZY.includes(path)) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(new URL(path, scope));
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) await cache.put(new URL(path, scope), response.clone());
      return response;
    })());
    return;
  }
  if (!FILES.includes(path)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(new URL(path, scope));
    return hit ?? fetch(request);
  })());
});
`;
}

/** The built-in lessons (`lessons/*.md`) as one file the page fetches when the lessons open. */
async function lessonsBundle(dir) {
  const source = join(process.env.TRUNK_SOURCE_DIR ?? process.cwd(), 'lessons');
  const names = (await readdir(source)).filter((n) => n.endsWith('.md') && n !== 'README.md').sort();
  const lessons = [];
  for (const file of names) lessons.push({ file, source: await readFile(join(source, file), 'utf8') });
  await writeFile(join(dir, LESSONS_FILE), JSON.stringify({ lessons }));
}

const LESSONS_FILE = 'lessons.json';

async function finish(dir, dev) {
  const indexPath = join(dir, 'index.html');
  await lessonsBundle(dir);
  let html = await readFile(indexPath, 'utf8');
  const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(html);
  if (!inline) throw new Error('index.html: Trunk\'s module script is missing');
  // The worker's loader says it runs before it loads its wasm (the boot waits for it), and
  // keeps what the page sends meanwhile: the page sends its `Init` as soon as it starts, and
  // the worker's wasm takes the kept messages when it runs (`WORKER_EARLY`, crates/worker).
  // The glue goes into the loader itself: one request fewer before the worker's wasm download
  // starts, a round trip on a real network (a probe at 50 ms of latency: 775 → 736 ms to the
  // first result, median of 5).
  const loaderPath = join(dir, WORKER_LOADER);
  const workerLoader = await readFile(loaderPath, 'utf8');
  if (!workerLoader.startsWith(LOADER_MARK)) {
    const glueImport = `importScripts("./${WORKER_GLUE}");`;
    if (!workerLoader.includes(glueImport)) throw new Error(`${WORKER_LOADER}: Trunk's loader changed shape`);
    const gluePath = join(dir, WORKER_GLUE);
    const glue = await readFile(gluePath, 'utf8');
    await rm(gluePath);
    const start = `wasm_bindgen("./${WORKER_WASM}");`;
    if (!workerLoader.trimEnd().endsWith(start)) throw new Error(`${WORKER_LOADER}: Trunk's loader changed shape`);
    await writeFile(loaderPath, loaderHead() + workerLoader.replace(glueImport, () => `${glue}\n`)
      .trimEnd().slice(0, -start.length) + loaderStart());
  }
  // The build's id: every file but the ones written here.
  const before = await files(dir);
  const h = createHash('sha256');
  for (const f of before) {
    if (f === indexPath) continue;
    h.update(relative(dir, f));
    h.update(await readFile(f));
  }
  const build = h.digest('hex').slice(0, 16);
  // Trunk's static import would run before the prelude (imports are hoisted): made dynamic.
  const staticImport = /import init, \* as bindings from '([^']+)';/;
  if (!staticImport.test(inline[1])) throw new Error('index.html: Trunk\'s loader changed shape');
  const loader = inline[1].trim().replace(staticImport,
    "const bindings = await import('$1');\nconst init = bindings.default;");
  const bootCode = prelude(build, dev) + loader + '\n';
  const bootName = `boot-${sha('sha256', bootCode).toString('hex').slice(0, 16)}.js`;
  await writeFile(join(dir, bootName), bootCode);
  const integrity = `sha384-${sha('sha384', bootCode).toString('base64')}`;
  html = html.replace(inline[0], '');
  html = await mergeStyles(dir, html);
  if (!html.includes('</title>')) throw new Error('index.html: the title is missing');
  html = html.replace('</title>', `</title>
  <link rel="preload" href="./${WORKER_WASM}" as="fetch" type="application/wasm" crossorigin="anonymous">
  <script type="module" async src="./${bootName}" integrity="${integrity}"></script>`);
  html = html.replace('<meta charset="utf-8">',
    `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${CSP}">`);
  await writeFile(indexPath, html);

  const all = (await files(dir)).map((f) => relative(dir, f)).filter((f) => f !== 'sw.js');
  const lazy = [LESSONS_FILE];
  const list = all.filter((f) => !lazy.includes(f));
  const version = createHash('sha256');
  for (const f of all) {
    version.update(f);
    version.update(await readFile(join(dir, f)));
  }
  await writeFile(join(dir, 'sw.js'), serviceWorker(version.digest('hex').slice(0, 16), list, lazy));
}

async function compress(dir) {
  for (const f of await files(dir)) {
    if (f.endsWith('.gz') || f.endsWith('.br')) continue;
    const body = await readFile(f);
    if ((await stat(f)).size < 256) continue;
    await writeFile(`${f}.gz`, gzipSync(body, { level: 9 }));
    await writeFile(`${f}.br`, brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }));
  }
}

const args = process.argv.slice(2);
if (args[0] === '--compress') {
  await compress(args[1] ?? 'dist');
} else {
  const dir = args[0] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error('usage: finish-dist.mjs [DIR] (or as Trunk\'s post_build hook)');
  await finish(dir, process.env.SQLNORI_DEV === '1');
}
