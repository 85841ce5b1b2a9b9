-- Every clause of a SELECT, in the order SQL evaluates it.
SELECT age, COUNT(*) AS n, AVG(kor) AS avg_kor FROM students WHERE math IS NOT NULL AND id <= 12 GROUP BY age HAVING n >= 2 ORDER BY avg_kor DESC LIMIT 2;
-- WHERE with NULL: unknown drops the row as false does.
SELECT id, name, math FROM students WHERE math > 85 OR id = 8 ORDER BY id;
-- Joins, each its own step; DISTINCT; LIMIT with OFFSET.
SELECT DISTINCT m.name AS manager FROM employees e JOIN employees m ON e.manager_id = m.id ORDER BY manager LIMIT 2 OFFSET 1;
-- A derived table is traced on its own.
SELECT avg_score, COUNT(*) AS count_students FROM (SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score FROM students WHERE id <= 6) AS avg_scores GROUP BY avg_score;
-- A subquery in WHERE.
SELECT name FROM employees WHERE manager_id IN (SELECT id FROM employees WHERE name LIKE '%부장') ORDER BY id;
-- UNION and window functions.
SELECT name FROM employees WHERE id < 3 UNION SELECT name FROM employees WHERE id < 4;
SELECT name, kor, RANK() OVER (ORDER BY kor DESC) AS rk FROM students WHERE id <= 5 ORDER BY rk, id;
