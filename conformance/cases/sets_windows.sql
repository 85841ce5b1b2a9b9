-- UNION / UNION ALL and window functions.
SELECT name FROM students WHERE age = 17 UNION SELECT name FROM students WHERE kor > 85 ORDER BY name;
SELECT age FROM students WHERE id <= 3 UNION ALL SELECT age FROM students WHERE id <= 2 ORDER BY age;
SELECT age FROM students UNION SELECT age FROM students ORDER BY age;
SELECT name, kor, ROW_NUMBER() OVER (ORDER BY kor DESC, id) AS rn, RANK() OVER (ORDER BY kor DESC) AS rk, DENSE_RANK() OVER (ORDER BY kor DESC) AS dr FROM students WHERE kor IS NOT NULL ORDER BY rn;
SELECT name, age, kor, RANK() OVER (PARTITION BY age ORDER BY kor DESC) AS rank_in_age FROM students WHERE kor IS NOT NULL ORDER BY age, rank_in_age, id;
SELECT id, salary, SUM(salary) OVER (ORDER BY id) AS running, salary - AVG(salary) OVER () AS diff, LAG(salary) OVER (ORDER BY id) AS prev, LEAD(salary, 2) OVER (ORDER BY id) AS next2 FROM employees ORDER BY id;
SELECT id, NTILE(3) OVER (ORDER BY id) AS tile, COUNT(*) OVER (PARTITION BY manager_id) AS peers FROM employees ORDER BY id;
