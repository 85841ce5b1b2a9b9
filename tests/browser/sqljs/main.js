// sql.js in a page, for the side-by-side benchmark: `window.sqljs.ready` resolves once SQLite
// is loaded and the students table exists; `window.sqljs.run(sql)` runs a script and returns
// its last result's rows (and renders them as a plain table, as a playground would).
const STUDENTS = "CREATE TABLE students (id INT PRIMARY KEY, name VARCHAR(20), kor INT, eng INT, math INT);"
  + Array.from({ length: 30 }, (_, i) => `INSERT INTO students VALUES (${i + 1}, '학생${i + 1}', ${50 + (i * 7) % 50}, ${40 + (i * 11) % 60}, ${i % 5 === 0 ? 'NULL' : 30 + (i * 13) % 70});`).join('');

function render(result) {
  const out = document.getElementById('out');
  if (!result) { out.textContent = 'ok'; return; }
  const lines = [result.columns.join('\t'), ...result.values.map((r) => r.join('\t'))];
  out.textContent = lines.join('\n');
}

window.sqljs = {
  ready: initSqlJs({ locateFile: (file) => `./${file}` }).then((SQL) => {
    const db = new SQL.Database();
    db.run(STUDENTS);
    window.sqljs.run = (sql) => {
      const results = db.exec(sql);
      const last = results.at(-1);
      render(last);
      return last ? last.values : [];
    };
    return true;
  }),
};
