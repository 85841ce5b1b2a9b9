-- MySQL's numbers: decimal division, DIV, %, FLOOR/CEIL/ROUND, GREATEST/LEAST, NULL.
SELECT 10 / 4 AS a, 250 / 3 AS b, 1 / 3 * 3 AS c, 7 / 0 AS d, 1.5 / 3 AS e;
SELECT name, (kor + eng + math) / 3 AS avg3, kor / 3.0 AS third FROM students ORDER BY id;
SELECT 7 DIV 2 AS a, -7 DIV 2 AS b, 7 DIV 0 AS c, 7 % 3 AS d, -7 % 3 AS e, 7 % 0 AS f;
SELECT FLOOR(2.5) AS a, CEIL(2.1) AS b, FLOOR(-2.5) AS c, ROUND(2.5) AS d, ROUND(-2.5) AS e, ROUND(2.345, 2) AS f, ROUND(1234.5, -2) AS g;
SELECT GREATEST(1, 5, 3) AS g, LEAST(4, 2, 8) AS l, GREATEST(1, NULL) AS gn, LEAST('b', 'a') AS ls;
SELECT name, kor + NULL AS n, COALESCE(math, 0) AS m, IFNULL(kor, -1) AS k FROM students ORDER BY id;
SELECT COUNT(*) AS n, COUNT(math) AS with_math, SUM(math) AS s, AVG(kor) AS a, MIN(kor) AS lo, MAX(kor) AS hi FROM students;
SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score FROM students WHERE math IS NOT NULL ORDER BY avg_score DESC;
SELECT CAST(10 AS DECIMAL(5,2)) / 3 AS a, CAST('12' AS SIGNED) + 1 AS b, CAST(3.7 AS UNSIGNED) AS c, CAST(1 AS CHAR) AS e;
SELECT NULL OR TRUE AS a, TRUE OR NULL AS b, NULL AND FALSE AS c, FALSE AND NULL AS d, NULL OR FALSE AS e, NULL AND TRUE AS f, NOT NULL AS g;
SELECT id, math FROM students WHERE math > 85 OR id = 2 ORDER BY id;
SELECT id FROM students WHERE NOT (math > 80 AND kor > 80) ORDER BY id;
