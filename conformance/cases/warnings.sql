-- MySQL's warnings and strict-mode errors (issue 16): text read as a number, division by
-- zero in a query (NULL and warning 1365) and in a write (error 1365, nothing changes),
-- SHOW WARNINGS / SHOW ERRORS / SHOW COUNT(*) WARNINGS after each.
SELECT '3abc' + 1, '10' + 5, 'abc' * 2;
SHOW WARNINGS;
SHOW COUNT(*) WARNINGS;
SELECT '7' * '6', ' 12' + 0;
SELECT CAST('12abc' AS SIGNED);
SHOW WARNINGS;
SELECT 1 / 0;
SELECT 5 MOD 0 AS m;
SELECT 7 DIV 0;
SELECT 10 / 4, 10 DIV 4, MOD(10, 0);
SHOW WARNINGS;
SELECT name, kor / 0 FROM students WHERE id <= 2 ORDER BY id;
SHOW COUNT(*) WARNINGS;
SELECT 1 + 1;
SHOW WARNINGS;
INSERT INTO students (name, age, kor, eng, math) VALUES ('영', 20, 1 / 0, 1, 1);
SHOW ERRORS;
SHOW COUNT(*) ERRORS;
SELECT COUNT(*) FROM students WHERE name = '영';
UPDATE students SET kor = kor / 0 WHERE id = 1;
SELECT kor FROM students WHERE id = 1;
UPDATE students SET kor = kor + 1 WHERE id <= 3;
DELETE FROM students WHERE id = 99;
SELECT kor / (kor - kor) FROM students WHERE id = 3;
SHOW WARNINGS;
SELECT name FROM students WHERE name = 0 ORDER BY id;
SELECT CONCAT('3', 'abc') = 3 AS a, CONCAT('1', '0') > 9 AS b, CONCAT('x') < 1 AS c;
SELECT NOT 'abc' AS a, NOT '0' AS b;
DROP TABLE IF EXISTS no_such_table;
CREATE TABLE IF NOT EXISTS students (id INT);
CREATE DATABASE IF NOT EXISTS school;
DROP DATABASE IF EXISTS no_such_db;
SELECT STR_TO_DATE('nope', '%Y') AS d;
SELECT INITCAP('ab');
SELECT GCD(4, 6);
