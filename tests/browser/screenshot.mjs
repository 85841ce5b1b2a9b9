// Takes the README's screenshots of the real page (the page must be built into dist/ first):
//   docs/screenshot.png            the course's recursive CTE, run
//   docs/steps-group-by.png        the step-by-step view of the course's GROUP BY example
//   docs/steps-recursive.png       the step-by-step view of the recursive CTE
// Usage: node screenshot.mjs [OUT_DIR]
import { serveDist, launch, openPage, runEditor } from './harness.mjs';

const dir = process.argv[2] ?? '../../docs';
const { server, url } = await serveDist();
const browser = await launch();
const { page } = await openPage(browser, url, {
  context: await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' }),
});

await page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
await runEditor(page);
await page.screenshot({ path: `${dir}/screenshot.png`, fullPage: false });

// The steps of a panel: its statement and result, then its trace, as one picture.
async function shootSteps(path) {
  const panel = page.getByTestId('panel').first();
  await panel.getByTestId('show-steps').click();
  await panel.getByTestId('trace').first().waitFor();
  await panel.screenshot({ path });
}

await shootSteps(`${dir}/steps-recursive.png`);

await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
await runEditor(page);
await shootSteps(`${dir}/steps-group-by.png`);

await browser.close();
server.close();
