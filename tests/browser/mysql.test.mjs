// Everyday MySQL in the page (issue 16): an index made in the editor is listed under its table
// in the sidebar and by SHOW INDEX; a UNIQUE one refuses a duplicate with MySQL's 1062; the
// built-ins evaluated in Rust answer in the page as in the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageTests, openPage, setEditor, runEditor } from './harness.mjs';

const env = pageTests();

test('indexes show in the sidebar and SHOW INDEX; UNIQUE is enforced; built-ins answer', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await setEditor(page, `CREATE INDEX by_kor ON students (kor);
CREATE UNIQUE INDEX one_name ON employees (name);
INSERT INTO employees VALUES (100, '김대표', NULL);
SHOW INDEX FROM students;
SELECT JSON_OBJECT('id', 1, 'name', '김영희') AS doc, SUBSTRING_INDEX('a.b.c', '.', 2) AS part,
       'abc' REGEXP 'B' AS re, 90 > ALL (SELECT kor FROM students WHERE kor < 80) AS above;`);
  await page.getByTestId('run').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  const panels = page.getByTestId('panel');
  // The duplicate stops the run at the INSERT: MySQL's 1062 naming the value.
  const error = panels.nth(2).getByTestId('error');
  assert.match(await error.textContent(), /1062/);
  assert.match(await error.textContent(), /김대표/);
  const indexes = page.locator('[data-testid=schema-table][data-table=students] [data-testid=schema-indexes]');
  assert.match(await indexes.textContent(), /by_kor \(kor\)/);
  assert.match(await page.locator('[data-testid=schema-table][data-table=employees] [data-testid=schema-indexes]').textContent(),
    /one_name \(name\) UNIQUE/);

  // Text compares under MySQL's default collation (case and accents ignored) unless BINARY.
  await setEditor(page, `SHOW INDEX FROM students;
SELECT JSON_OBJECT('id', 1, 'name', '김영희') AS doc, SUBSTRING_INDEX('a.b.c', '.', 2) AS part,
       'abc' REGEXP 'B' AS re, 90 > ALL (SELECT kor FROM students WHERE kor < 80) AS above,
       'Café' = 'CAFE' AS ci, BINARY 'Café' = 'CAFE' AS bin;`);
  await runEditor(page);
  const show = await panels.first().getByTestId('result-table').evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(show.map((r) => r[2]), ['PRIMARY', 'by_kor']);
  const row = await panels.last().getByTestId('result-table').evaluate((t) =>
    [...t.querySelectorAll('tbody td')].map((c) => c.textContent));
  assert.deepEqual(row, ['{"id": 1, "name": "김영희"}', 'a.b', '1', '1', '1', '0']);
  assert.deepEqual(errors, []);
});

test('a warning shows under its result and in window.sqlnori; an error shows its MySQL number and SQLSTATE', async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await setEditor(page, `SELECT '3abc' + 1 AS n, kor / 0 AS d FROM students WHERE id = 1;
SHOW WARNINGS;
SELECT * FROM no_such_table;`);
  await page.getByTestId('run').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  const panels = page.getByTestId('panel');
  // The first statement's two warnings, with MySQL's codes, said in the page's language.
  const warnings = panels.first().getByTestId('warning');
  assert.equal(await warnings.count(), 2);
  assert.deepEqual(await warnings.evaluateAll((ws) => ws.map((w) => w.dataset.code)), ['1292', '1365']);
  assert.match(await warnings.first().textContent(), /'3abc'/);
  // SHOW WARNINGS lists them as rows.
  const shown = await panels.nth(1).getByTestId('result-table').evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(shown.map((r) => r[1]), ['1292', '1365']);
  // The error: ERROR 1146 (42S02) beside the message, which no longer repeats the number.
  const error = panels.nth(2).getByTestId('error');
  assert.equal(await error.getByTestId('error-mysql').textContent(), 'ERROR 1146 (42S02)');
  assert.doesNotMatch(await error.textContent(), /오류 1146\)|error 1146\)/);
  // window.sqlnori carries the same, as the CLI's JSON lines do.
  const out = await page.evaluate(() => window.sqlnori.run("SELECT 1 / 0 AS d; SELECT nope FROM students;"));
  assert.deepEqual(out[0].warnings, [{ level: 'Warning', code: 1365, message: 'Division by 0' }]);
  assert.equal(out[1].errno, 1054);
  assert.equal(out[1].sqlstate, '42S22');
  assert.deepEqual(errors, []);
});
