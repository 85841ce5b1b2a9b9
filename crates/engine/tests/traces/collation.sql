-- GROUP BY, DISTINCT and UNION under MySQL's default collation: 'Seoul' and 'seoul' are one
-- value, shown as the first row that had it.
CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(20), city VARCHAR(20));
INSERT INTO people VALUES (1, 'Kim', 'Seoul'), (2, 'KIM', 'seoul'), (3, 'José', 'Busan'), (4, 'jose', 'BUSAN'), (5, 'Lee', 'Incheon');
SELECT city, COUNT(*) AS n, MIN(name) AS first FROM people WHERE name LIKE '%e%' OR name = 'kim' GROUP BY city HAVING n > 1 ORDER BY city;
SELECT DISTINCT city FROM people ORDER BY city;
SELECT name FROM people UNION SELECT 'KIM';
