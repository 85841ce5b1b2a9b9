// Takes the README's screenshot of the real page: the course's student example, run.
// Usage: node screenshot.mjs OUT.png   (the page must be built into dist/ first)
import { serveDist, launch, openPage, runEditor } from './harness.mjs';

const out = process.argv[2] ?? '../../docs/screenshot.png';
const { server, url } = await serveDist();
const browser = await launch();
const { page } = await openPage(browser, url, {
  context: await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' }),
});
await page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
await runEditor(page);
await page.screenshot({ path: out, fullPage: false });
await browser.close();
server.close();
