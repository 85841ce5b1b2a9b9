// Measures typing in a 1,000-line script in headless Chromium: the time from a key press to
// the highlighted line being drawn, over 30 keys. Prints a Markdown line.
import { serveDist, launch, openPage } from './harness.mjs';

const { server, url } = await serveDist();
const browser = await launch();
const { page, ctx } = await openPage(browser, url);
const script = Array.from({ length: 1000 }, (_, i) =>
  `SELECT name, kor + ${i} AS k, '줄 ${i}' AS note FROM students WHERE id = ${i % 30}; -- 줄 ${i}`).join('\n');
await page.evaluate((text) => {
  const e = document.querySelector('[data-testid=editor]');
  e.value = text;
  e.dispatchEvent(new Event('input', { bubbles: true }));
}, script);
await page.getByTestId('editor').press('Control+End');
const times = [];
for (let i = 0; i < 30; i++) {
  const ms = await page.evaluate(async (ch) => {
    const start = performance.now();
    const e = document.querySelector('[data-testid=editor]');
    document.execCommand('insertText', false, ch);
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const last = [...document.querySelectorAll('[data-testid=highlight] .line')].at(-1).textContent;
    if (!last.includes(ch.repeat(1))) throw new Error('not drawn');
    return performance.now() - start + (e ? 0 : 0);
  }, String.fromCharCode(97 + (i % 26)));
  times.push(ms);
}
await ctx.close();
await browser.close();
server.close();
const sorted = times.slice().sort((a, b) => a - b);
console.log(`Typing in a 1,000-line script, key → line drawn (two frames): median ${sorted[15].toFixed(0)} ms, ` +
  `worst ${sorted.at(-1).toFixed(0)} ms over ${times.length} keys`);
