// Takes the README's screenshots of the real page (the page must be built into dist/ first):
//   docs/screenshot.png            the course's recursive CTE, run (light)
//   docs/screenshot-dark.png       a highlighted query and its result, dark
//   docs/screenshot-phone.png      the same on a phone: the editor above the results
//   docs/steps-group-by.png        the step-by-step view of the course's GROUP BY example
//   docs/steps-recursive.png       the step-by-step view of the recursive CTE
//   docs/lesson.png                a lesson (the course's GROUP BY), with a hint
//   docs/lesson-wrong.png          a wrong answer explained (LIMIT 1 for every top student)
//   docs/lesson-right.png          a right answer (dark)
//   docs/picture-{chart,tree,diagram}{,-dark,-phone}.png
//                                  the course's GROUP BY as a chart, its org chart as a tree,
//                                  the schema diagram with foreign keys (light, dark, phone)
//   docs/accounts-{denied,toolbar}.png
//                                  the DCL example's denied UPDATE with its privilege check,
//                                  and the toolbar acting as another account
// Usage: node screenshot.mjs [OUT_DIR]
import { serveDist, launch, openPage, runEditor, showSteps } from './harness.mjs';

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
  await showSteps(panel);
  await panel.getByTestId('trace').first().waitFor();
  await panel.screenshot({ path });
}

await shootSteps(`${dir}/steps-recursive.png`);

await page.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
await runEditor(page);
await shootSteps(`${dir}/steps-group-by.png`);

// Dark, with a query that shows the highlighting, an autocomplete and a sorted grid.
const dark = await openPage(browser, url, {
  context: await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }),
});
const sample = "-- 반별 국어 평균 (course data)\nSELECT age, COUNT(*) AS n, ROUND(AVG(kor), 2) AS avg_kor\nFROM students s\nWHERE kor >= 70 AND name LIKE '김%'\nGROUP BY age\nORDER BY avg_kor DESC;\n";
await dark.page.getByTestId('editor').fill(sample);
await runEditor(dark.page);
await dark.page.getByTestId('sort').nth(1).click();
await dark.page.getByTestId('editor').press('Control+End');
await dark.page.keyboard.type('SELECT s.k');
await dark.page.keyboard.press('ArrowLeft');
await dark.page.keyboard.press('ArrowRight');
await dark.page.getByTestId('editor').press('End');
await dark.page.keyboard.type(' FROM students s');
for (let i = 0; i < ' FROM students s'.length; i++) await dark.page.keyboard.press('ArrowLeft');
await dark.page.keyboard.type('o');
await dark.page.screenshot({ path: `${dir}/screenshot-dark.png`, fullPage: false });

const phone = await openPage(browser, url, {
  context: await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' }),
});
await phone.page.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
await runEditor(phone.page);
await phone.page.screenshot({ path: `${dir}/screenshot-phone.png`, fullPage: false });

// The lessons: a lesson with a hint; a wrong answer explained; a right one (dark).
async function lessonShot(colorScheme, id, answer, path, { hint = false, check = true } = {}) {
  const { page: p } = await openPage(browser, url, {
    context: await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme }),
  });
  await p.getByTestId('lessons-toggle').click();
  await p.locator(`[data-testid=lesson-item][data-id=${id}]`).click();
  await p.waitForSelector(`[data-testid=lesson][data-id=${id}]`);
  if (hint) await p.getByTestId('lesson-hint').click();
  await p.getByTestId('lesson-answer').fill(answer);
  if (check) {
    await p.getByTestId('lesson-check').click();
    await p.waitForSelector('[data-testid=verdict]');
  }
  await p.screenshot({ path, fullPage: true });
}
await lessonShot('light', 'group-avg-scores', 'SELECT avg_score, COUNT(*) AS count_students\nFROM (\n    SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score\n    FROM students\n', `${dir}/lesson.png`, { hint: true, check: false });
await lessonShot('light', 'top-score', 'SELECT name, kor\nFROM students\nORDER BY kor DESC\nLIMIT 1;', `${dir}/lesson-wrong.png`);
await lessonShot('dark', 'left-join', 'SELECT e.name, m.name AS 상사\nFROM employees e\nLEFT JOIN employees m ON m.id = e.manager_id;', `${dir}/lesson-right.png`);

// Pictures: the GROUP BY example as a chart, the org chart as a tree, the schema diagram.
const FK_TABLES = `CREATE TABLE dept (id INT PRIMARY KEY, name VARCHAR(20));
CREATE TABLE staff (id INT PRIMARY KEY, name VARCHAR(20), dept_id INT REFERENCES dept (id),
  boss_id INT REFERENCES staff (id));`;
async function pictureShots(suffix, contextOptions) {
  const { page: p } = await openPage(browser, url, { context: await browser.newContext(contextOptions) });
  await p.getByTestId('examples').selectOption({ label: '평균 점수별 학생 수' });
  await runEditor(p);
  let panel = p.getByTestId('panel').first();
  await panel.getByTestId('view-chart').click();
  await panel.getByTestId('chart').locator('svg .bar').nth(3).focus();
  await panel.screenshot({ path: `${dir}/picture-chart${suffix}.png` });
  await p.getByTestId('examples').selectOption({ label: '재귀 CTE: 조직도' });
  await runEditor(p);
  panel = p.getByTestId('panel').last();
  await panel.getByTestId('view-tree').click();
  await panel.screenshot({ path: `${dir}/picture-tree${suffix}.png` });
  await p.getByTestId('editor').fill(FK_TABLES);
  await runEditor(p);
  await p.getByTestId('diagram-open').click();
  await p.getByTestId('diagram').locator('svg').waitFor();
  await p.getByTestId('diagram').screenshot({ path: `${dir}/picture-diagram${suffix}.png` });
}
await pictureShots('', { viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
await pictureShots('-dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
await pictureShots('-phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' });

// Accounts: the DCL example run as far as its denied UPDATE, with the privilege check open.
{
  const { page: p } = await openPage(browser, url, {
    context: await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' }),
  });
  await p.getByTestId('examples').selectOption({ label: 'DCL: GRANT와 REVOKE (계정 바꾸기)' });
  await runEditor(p);
  const denied = p.locator('[data-testid=panel][data-ok=false]');
  await showSteps(denied);
  await denied.screenshot({ path: `${dir}/accounts-denied.png` });
  await p.locator('.toolbar').screenshot({ path: `${dir}/accounts-toolbar.png` });
}

await browser.close();
server.close();
