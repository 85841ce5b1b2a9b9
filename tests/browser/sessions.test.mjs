// Sessions and share links in real headless Chromium: a reload restores everything, corrupt
// storage and a full quota are survived with a notice, a shared link reproduces the same
// random rows in a fresh profile without touching anyone's saved work, hostile links are
// refused, two tabs do not overwrite each other silently, export and import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pageTests, openPage, setEditor, runEditor, waitReady } from './harness.mjs';

const env = pageTests();

const RANDOM_ROWS = "create table pets (id int auto_increment primary key, name varchar(10), r double);\n"
  + "insert into pets (name, r) select '초코', rand();\ninsert into pets (name, r) select '콩이', rand();\nselect * from pets;";
// The rows of the last result, as text (the header also names each column's type).
const lastTable = (page) => page.getByTestId('result-table').last().locator('tbody').innerText();

test('a reload restores the editor, the database with its random rows, language, theme and stepper', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  await setEditor(page, RANDOM_ROWS);
  await runEditor(page);
  const rows = await lastTable(page);
  await page.getByTestId('lang').click();
  await page.getByTestId('theme').click();
  // Two steps of a second script.
  await setEditor(page, 'select 1;\nselect 2;\nselect 3;');
  await page.getByTestId('step').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');
  await page.getByTestId('step').click();
  await page.waitForSelector('[data-testid=status][data-status=ready]');

  await page.reload();
  await waitReady(page);
  assert.equal(await page.getByTestId('editor').inputValue(), 'select 1;\nselect 2;\nselect 3;');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getByTestId('step-position').getAttribute('data-done'), '2');
  const out = await page.evaluate(() => window.sqlnori.run('select * from pets'));
  const again = out[0].rows.map((r) => r.join('\t')).join('\n');
  assert.equal(again, rows);
  // The session panel shows the cookie and the keys it points to.
  await page.getByTestId('session').click();
  const cookie = await page.getByTestId('cookie-line').innerText();
  assert.match(cookie, /^sqlnori_sid=[0-9a-f]{32}; Path=\/sqlnori\/; Max-Age=31536000; SameSite=Lax$/);
  const id = cookie.slice('sqlnori_sid='.length, 'sqlnori_sid='.length + 32);
  const keys = await page.getByTestId('stored-keys').innerText();
  // (The tables are saved when the page is idle; until then the log of writes holds them.)
  for (const slot of ['meta', 'editor', 'log', 'history', 'stepper']) {
    assert.ok(keys.includes(`sqlnori.s.${id}.${slot}`), slot);
  }
  const [browserCookie] = await ctx.cookies();
  assert.equal(browserCookie.name, 'sqlnori_sid');
  assert.equal(browserCookie.sameSite, 'Lax');
  assert.equal(browserCookie.path, '/sqlnori/');
  assert.ok(browserCookie.expires > Date.now() / 1000 + 360 * 86400);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The stored session, read straight from localStorage.
const stored = (page, id) => page.evaluate((id) => {
  const get = (slot) => JSON.parse(localStorage.getItem(`sqlnori.s.${id}.${slot}`) ?? 'null');
  const tables = Object.keys(localStorage).filter((k) => k.startsWith(`sqlnori.s.${id}.t.`)).sort();
  return { db: get('db'), log: get('log'), tables };
}, id);

test('a write is logged at once; when the page is idle only the changed tables are saved', async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  const id = (await ctx.cookies())[0].value;
  await setEditor(page, 'create table notes (id int, body text);\ninsert into notes values (1, \'가\'), (2, \'나\');');
  await runEditor(page);
  // At the end of the run the log holds both writes (a reload would replay them)...
  let s = await stored(page, id);
  assert.equal(s.log.data.writes.length, 2);
  // ...and once the page is idle the tables are saved, each under its own key, and the log
  // is empty again.
  await page.waitForFunction((id) => localStorage.getItem(`sqlnori.s.${id}.db`) !== null, id);
  s = await stored(page, id);
  assert.equal(s.log.data.writes.length, 0);
  assert.ok(s.db.data.parts, 'stored in parts');
  const first = s.tables;
  assert.ok(first.some((k) => k.endsWith('.notes')), first.join(', '));
  assert.ok(first.some((k) => k.endsWith('.students')), 'the course tables too');
  // One more row: only the notes table is written again (under the next generation).
  await setEditor(page, "insert into notes values (3, '다');");
  await runEditor(page);
  await page.waitForFunction((id) => JSON.parse(localStorage.getItem(`sqlnori.s.${id}.db`)).data.parts.generation === 2, id);
  s = await stored(page, id);
  const changed = s.tables.filter((k) => !first.includes(k));
  assert.equal(changed.length, 1);
  assert.ok(changed[0].endsWith('.notes'));
  assert.equal(s.tables.length, first.length, 'the old key of the changed table is gone');
  // A reload comes back to the same rows from the stored parts.
  await page.reload();
  await waitReady(page);
  const out = await page.evaluate(() => window.sqlnori.run('select body from notes order by id'));
  assert.deepEqual(out[0].rows, [['가'], ['나'], ['다']]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('corrupt stored data is set aside, not deleted, and the page starts clean with a notice', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select 42;');
  const id = (await ctx.cookies())[0].value;
  await page.evaluate((id) => {
    localStorage.setItem(`sqlnori.s.${id}.db`, '{"v":1,"slot":"db","data":"{broken"}');
    localStorage.setItem(`sqlnori.s.${id}.meta`, 'not json at all');
    localStorage.setItem(`sqlnori.s.${id}.history`, '{"v":99,"slot":"history","data":{}}');
  }, id);
  await page.reload();
  await waitReady(page);
  const notice = await page.getByTestId('notice').innerText();
  assert.match(notice, /옆으로 치워/);
  assert.match(notice, /저장된 데이터베이스를 읽지 못해/);
  const aside = await page.evaluate((id) => Object.keys(localStorage).filter((k) => k.includes('.set-aside-')), id);
  // Meta and history are unreadable; the database is a readable envelope holding a snapshot
  // the engine refuses. All three are set aside.
  assert.deepEqual(aside.map((k) => k.split('.')[3]).sort(), ['db', 'history', 'meta']);
  assert.equal(await page.getByTestId('editor').inputValue(), 'select 42;');
  // The page works, from the examples.
  const out = await page.evaluate(() => window.sqlnori.run('select count(*) from students'));
  assert.deepEqual(out[0].rows, [[30]]);
  await ctx.close();
});

test('a full storage quota is survived: work goes on, a notice says so, saved work is kept', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select "saved";');
  const id = (await ctx.cookies())[0].value;
  // Fill the real quota.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(1 << 20);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-${i}`, chunk); } catch { break; }
    }
    for (const size of [65536, 4096, 256, 16, 1]) {
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`small-${size}-${i}`, 'x'.repeat(size)); } catch { break; }
      }
    }
  });
  await setEditor(page, RANDOM_ROWS);
  await runEditor(page);
  assert.match(await page.getByTestId('unsaved').innerText(), /저장 공간이 가득/);
  assert.equal(await page.getByTestId('panel').count(), 4, 'the run still worked');
  const saved = await page.evaluate((id) => localStorage.getItem(`sqlnori.s.${id}.editor`), id);
  assert.match(saved, /select \\"saved\\";/, 'what was saved before is not overwritten with less');
  await page.evaluate(() => Object.keys(localStorage).filter((k) => /^(filler|small)-/.test(k)).forEach((k) => localStorage.removeItem(k)));
  await ctx.close();
});

test('a shared link reproduces the same random rows in a fresh profile and leaves saved work alone', async () => {
  const script = 'select name, rand() as r from students order by rand() limit 3;';
  const a = await openPage(env.browser, env.url);
  await setEditor(a.page, script);
  await runEditor(a.page);
  const rowsA = await lastTable(a.page);
  await a.page.getByTestId('share').click();
  const link = await a.page.getByTestId('share-link').inputValue();
  assert.match(link, /\/sqlnori\/#v1[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 2000);

  // B has saved work of its own, then opens the link.
  const b = await openPage(env.browser, env.url);
  await setEditor(b.page, 'select "my own work";');
  await b.page.goto(link);
  await b.page.getByTestId('shared-banner').waitFor();
  await waitReady(b.page);
  assert.equal(await b.page.getByTestId('editor').inputValue(), script);
  assert.equal(await b.page.getByTestId('panel').count(), 0, 'nothing runs until Run');
  await runEditor(b.page);
  assert.equal(await lastTable(b.page), rowsA);
  // B's saved session is untouched; going back shows it.
  await b.page.getByTestId('leave-shared').click();
  await waitReady(b.page);
  assert.equal(await b.page.getByTestId('editor').inputValue(), 'select "my own work";');
  assert.equal(await b.page.getByTestId('shared-banner').count(), 0);
  await a.ctx.close();
  await b.ctx.close();
});

test('hostile links are refused with a clear message; the learner keeps their work', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await setEditor(page, 'select "mine";');
  const good = await (async () => {
    await page.getByTestId('share').click();
    return page.getByTestId('share-link').inputValue();
  })();
  const hostile = [
    `${env.url}#v1%%%garbage***`,
    good.slice(0, good.length - 7),
    `${env.url}#v1${'A'.repeat(30000)}`,
    `${env.url}#v7abcdef`,
  ];
  for (const link of hostile) {
    await page.goto('about:blank');
    await page.goto(link);
    await waitReady(page);
    assert.match(await page.getByTestId('notice').innerText(), /공유 링크를 열 수 없습니다/, link.slice(0, 60));
    assert.equal(await page.getByTestId('shared-banner').count(), 0);
    assert.equal(await page.getByTestId('editor').inputValue(), 'select "mine";');
  }
  await ctx.close();
});

test('two tabs of one session do not silently overwrite each other', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  const other = await ctx.newPage();
  await other.goto(env.url);
  await waitReady(other);
  await setEditor(page, 'select "tab one";');
  await other.getByTestId('conflict').waitFor();
  await setEditor(other, 'select "tab two";');
  const id = (await ctx.cookies())[0].value;
  const stored = await page.evaluate((id) => localStorage.getItem(`sqlnori.s.${id}.editor`), id);
  assert.match(stored, /tab one/, 'tab two paused instead of overwriting');
  await other.getByTestId('keep-this-tab').click();
  const now = await page.evaluate((id) => localStorage.getItem(`sqlnori.s.${id}.editor`), id);
  assert.match(now, /tab two/);
  await ctx.close();
});

test('export writes a .sql dump; import puts a CSV in the editor as SQL that runs', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await page.getByTestId('session').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-sql').click(),
  ]);
  const dump = await readFile(await download.path(), 'utf8');
  assert.match(dump, /CREATE TABLE `students` \(/);
  assert.match(dump, /INSERT INTO `students`/);
  await page.getByTestId('import-file').setInputFiles({
    name: '성적.csv', mimeType: 'text/csv',
    buffer: Buffer.from('\ufeffname,score\n"김, 영희",90\n이철수,85\n'),
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.startsWith('CREATE TABLE'));
  await runEditor(page);
  const out = await page.evaluate(() => window.sqlnori.run('select name, score from `성적` order by score desc'));
  assert.deepEqual(out[0].rows, [['김, 영희', 90], ['이철수', 85]]);
  await ctx.close();
});

test('a shared script can be kept as my session; new session and reset start afresh', async () => {
  const a = await openPage(env.browser, env.url);
  await setEditor(a.page, 'select "from the teacher";');
  await a.page.getByTestId('share').click();
  const link = await a.page.getByTestId('share-link').inputValue();
  const b = await openPage(env.browser, env.url);
  const cookieBefore = (await b.ctx.cookies())[0].value;
  await b.page.goto(link);
  await b.page.getByTestId('shared-banner').waitFor();
  await b.page.getByTestId('keep-shared').click();
  assert.equal(await b.page.getByTestId('shared-banner').count(), 0);
  assert.ok(!b.page.url().includes('#'), 'the link leaves the address bar');
  await b.page.reload();
  await waitReady(b.page);
  assert.equal(await b.page.getByTestId('editor').inputValue(), 'select "from the teacher";');
  // New session: a new cookie, a fresh page; reset: this session back to the examples.
  await b.page.getByTestId('session').click();
  await b.page.getByTestId('new-session').click();
  await b.page.waitForLoadState('load');
  await waitReady(b.page);
  const cookieAfter = (await b.ctx.cookies())[0].value;
  assert.notEqual(cookieAfter, cookieBefore);
  assert.match(await b.page.getByTestId('editor').inputValue(), /create table if not exists student_db2\.students/);
  await setEditor(b.page, 'drop table students;');
  await runEditor(b.page);
  await b.page.getByTestId('session').click();
  // Reset asks first (it cannot be undone); Cancel keeps everything.
  await b.page.getByTestId('reset-examples').click();
  await b.page.getByTestId('reset-cancel').click();
  assert.equal(await b.page.getByTestId('reset-confirm-box').count(), 0);
  await b.page.getByTestId('reset-examples').click();
  await b.page.getByTestId('reset-confirm').click();
  await b.page.waitForLoadState('load');
  await waitReady(b.page);
  const out = await b.page.evaluate(() => window.sqlnori.run('select count(*) from students'));
  assert.deepEqual(out[0].rows, [[30]]);
  await a.ctx.close();
  await b.ctx.close();
});

test('a script too long for a link is offered as a .sql download instead', async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  const big = Array.from({ length: 2500 }, (_, i) => `select ${(i * 7919) % 10007};`).join('\n');
  // (Playwright's fill types a 40 kB text slowly; an input event is what the page listens to.)
  await page.evaluate((text) => {
    const editor = document.querySelector('[data-testid=editor]');
    editor.value = text;
    editor.dispatchEvent(new Event('input', { bubbles: true }));
  }, big);
  await page.getByTestId('share').click();
  assert.match(await page.getByTestId('share-error').innerText(), /너무 깁니다/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('share-download').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'script.sql');
  await ctx.close();
});

test('with cookies disabled the page works in memory and says work will not survive a reload', async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
  await page.goto(env.url);
  await waitReady(page);
  assert.match(await page.getByTestId('unsaved').innerText(), /저장되지 않습니다|새로 고치면 사라집니다/);
  await setEditor(page, 'select 1 + 1 as two;');
  await runEditor(page);
  assert.match(await page.getByTestId('result-table').locator('tbody').innerText(), /^2$/);
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sqlnori.s.')));
  assert.deepEqual(stored, [], 'nothing is written under a session no cookie can carry');
  await ctx.close();
});
