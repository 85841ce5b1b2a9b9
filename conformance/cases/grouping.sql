-- GROUP BY, HAVING on a select alias, GROUP_CONCAT, DISTINCT, LIMIT a, b.
SELECT age, COUNT(*) AS n, AVG(kor) AS avg_kor FROM students GROUP BY age HAVING n >= 2 ORDER BY age;
SELECT class_id, GROUP_CONCAT(name ORDER BY name SEPARATOR ', ') AS names FROM students GROUP BY class_id ORDER BY class_id;
SELECT GROUP_CONCAT(DISTINCT age ORDER BY age) AS ages FROM students;
SELECT DISTINCT age FROM students ORDER BY age DESC;
SELECT name, kor FROM students ORDER BY kor DESC LIMIT 2, 3;
SELECT name FROM students ORDER BY id LIMIT 3 OFFSET 5;
SELECT age AS a, MAX(eng) AS best FROM students GROUP BY a HAVING best > 85 ORDER BY a;
SELECT class_id, ROUND(STDDEV(kor), 4) AS sd, ROUND(STD(eng), 4) AS s2, ROUND(STDDEV_POP(kor), 4) AS s3, ROUND(VARIANCE(kor), 4) AS v, ROUND(VAR_POP(eng), 4) AS v2 FROM students GROUP BY class_id ORDER BY class_id;
SELECT STDDEV(kor) AS sd, VARIANCE(kor) AS v FROM students WHERE id > 1000;
SELECT class_id, ROUND(VAR_SAMP(kor), 4) AS vs, ROUND(STDDEV_SAMP(kor), 4) AS ss, COUNT(*) AS n FROM students GROUP BY class_id ORDER BY class_id;
SELECT VAR_SAMP(kor) AS vs, STDDEV_SAMP(kor) AS ss FROM students WHERE id = 1;
-- GROUP BY … WITH ROLLUP: each group, then its subtotal, the grand total last (GROUPING()
-- and ORDER BY with ROLLUP are MySQL 8's, not MariaDB's: see the fixture rollup.sql).
SELECT class_id, COUNT(*) AS n, SUM(kor) AS kor FROM students WHERE class_id IS NOT NULL GROUP BY class_id WITH ROLLUP;
SELECT class_id, age, COUNT(*) AS n FROM students WHERE class_id IS NOT NULL GROUP BY class_id, age WITH ROLLUP;
SELECT class_id, COUNT(*) AS n FROM students WHERE class_id IS NOT NULL GROUP BY class_id WITH ROLLUP HAVING n > 2;
