-- Everyday MySQL built-ins beyond the course (issue 16): numbers, text, dates, JSON, regular
-- expressions, LAST_INSERT_ID and ROW_COUNT. Inputs avoid the places where MariaDB 10.11 and
-- MySQL 8 answer differently (JSON key order, session time zone, REGEXP_LIKE, which MariaDB
-- lacks, and REGEXP_SUBSTR without a match: MySQL's NULL, MariaDB's ''), written in the README
-- and checked in crates/engine/tests/fixtures/builtins.sql instead.
SELECT CONV('ff', 16, 10) AS a, CONV('11', 2, 10) AS b, CONV(255, 10, 16) AS c, CONV('-17', 10, -16) AS d, CONV('zz', 36, 10) AS e, CONV('12', 1, 10) AS f;
SELECT BIN(5) AS a, BIN(0) AS b, OCT(8) AS c, CRC32('MySQL') AS d, CRC32('김영희') AS e, BIT_COUNT(7) AS f, BIT_COUNT(0) AS g;
SELECT FORMAT(1234567.891, 2) AS a, FORMAT(0.5, 0) AS b, FORMAT(-1234.5, 1) AS c, FORMAT(12, 3) AS d, FORMAT(99.995, 2) AS e, FORMAT(DATE '2024-03-05', 0) AS f, FORMAT(NULL, 2) AS g;
SELECT SUBSTRING_INDEX('www.mysql.com', '.', 2) AS a, SUBSTRING_INDEX('www.mysql.com', '.', -2) AS b, SUBSTRING_INDEX('a,b', ',', 5) AS c, SUBSTRING_INDEX('김영희@학교.kr', '@', 1) AS d, SUBSTRING_INDEX('abc', '', 1) AS e, SUBSTRING_INDEX('abc', 'b', 0) AS f;
SELECT name, SUBSTRING_INDEX(name, '영', 1) AS before_y FROM students ORDER BY id;
SELECT ORD('A') AS a, ORD('김') AS b, ORD('') AS c, FIND_IN_SET('b', 'a,b,c') AS d, FIND_IN_SET('B', 'a,b,c') AS e, FIND_IN_SET('z', 'a,b') AS f, FIND_IN_SET('a,b', 'a,b') AS g;
SELECT INSERT('Quadratic', 3, 4, 'What') AS a, INSERT('Quadratic', -1, 4, 'What') AS b, INSERT('Quadratic', 3, 100, 'What') AS c, INSERT('김영희', 2, 1, '철') AS d;
SELECT UNHEX('4D7953514C') AS a, UNHEX('GG') AS b, TO_BASE64('abc') AS c, FROM_BASE64('YWJj') AS d, TO_BASE64('김영희') AS e, QUOTE('Don''t') AS f, QUOTE(NULL) AS g;
SELECT SOUNDEX('Hello') AS a, SOUNDEX('Quadratically') AS b, SOUNDEX('Robert') AS c, SOUNDEX('Rupert') AS d, SOUNDEX('') AS e, SOUNDEX('Tymczak') AS f, SOUNDEX('김철수') AS g, SOUNDEX('김abc') AS h, SOUNDEX(name) AS i FROM students WHERE id = 1;
SELECT EXPORT_SET(5, 'Y', 'N', ',', 4) AS a, EXPORT_SET(6, '1', '0', '', 5) AS b, MAKE_SET(5, 'a', 'b', 'c') AS c, MAKE_SET(1 | 4, 'hello', 'nice', NULL, 'world') AS d, MAKE_SET(0, 'a') AS e;
SELECT SHA1('abc') AS a, SHA2('abc', 256) AS b, SHA2('abc', 224) AS c, SHA2('abc', 7) AS d, MD5('abc') AS e;
SELECT TIME('2024-03-05 10:20:30') AS a, HOUR('10:20:30') AS b, MINUTE('2024-03-05 10:20:30') AS c, SECOND('10:20:30') AS d;
SELECT TIMESTAMPDIFF(DAY, '2024-03-01', '2024-03-05') AS a, TIMESTAMPDIFF(MONTH, '2024-01-31', '2024-02-29') AS b, TIMESTAMPDIFF(MONTH, '2024-01-31', '2024-03-31') AS c, TIMESTAMPDIFF(YEAR, '2000-02-29', '2024-02-28') AS d, TIMESTAMPDIFF(HOUR, '2024-03-05 10:00:00', '2024-03-04 09:30:00') AS e, TIMESTAMPDIFF(WEEK, '2024-03-01', '2024-03-20') AS f;
SELECT TIMEDIFF('10:00:00', '09:30:00') AS a, TIMEDIFF('09:00:00', '10:30:15') AS b, TIMEDIFF('2024-03-05 10:00:00', '2024-03-04 09:00:00') AS c;
SELECT ADDDATE('2024-03-01', 2) AS a, SUBDATE('2024-03-01', 1) AS b, '2024-03-01' + INTERVAL 2 DAY AS c, '2024-01-31' + INTERVAL 1 MONTH AS d, INTERVAL 1 DAY + '2024-12-31' AS e, '2024-03-01' - INTERVAL 1 DAY AS f;
SELECT LAST_DAY('2024-02-10') AS a, LAST_DAY('2023-02-10') AS b, MAKEDATE(2024, 60) AS c, MAKEDATE(2023, 366) AS d, MAKEDATE(2024, 0) AS e, EXTRACT(YEAR FROM '2024-03-05') AS f, EXTRACT(MONTH FROM '2024-03-05') AS g;
SELECT STR_TO_DATE('05/03/2024', '%d/%m/%Y') AS a, STR_TO_DATE('2024-03-05 14:30:00', '%Y-%m-%d %H:%i:%s') AS b, STR_TO_DATE('March 5 2024', '%M %d %Y') AS c, STR_TO_DATE('nope', '%d/%m/%Y') AS d;
SELECT WEEK('2024-03-05') AS a, WEEK('2024-01-01') AS b, WEEK('2024-01-01', 1) AS c, WEEK('2021-01-03', 3) AS d, WEEK('2024-12-31', 0) AS e, WEEK('2024-12-31', 3) AS f, WEEK('2024-12-29', 2) AS g, WEEK('2023-01-01', 7) AS h;
SELECT TO_DAYS('2024-03-05') AS a, FROM_DAYS(739315) AS b, TO_DAYS('2000-01-01') AS c, TIME_FORMAT('14:05:09', '%h:%i %p') AS d, TIME_FORMAT('10:20:30', '%H시 %i분') AS e;
SELECT JSON_OBJECT('id', 1, 'name', '김영희') AS a, JSON_ARRAY(1, 'a', NULL, 2.5) AS b, JSON_OBJECT() AS c, JSON_ARRAY() AS d;
SELECT JSON_EXTRACT('{"a": {"b": [10, 20]}}', '$.a.b[1]') AS a, JSON_EXTRACT('{"a": "x"}', '$.a') AS b, JSON_EXTRACT('{"a": 1}', '$.z') AS c, JSON_UNQUOTE(JSON_EXTRACT('{"a": "x"}', '$.a')) AS d, JSON_EXTRACT('[1, 2, 3]', '$[0]') AS e;
SELECT JSON_LENGTH('{"a": 1, "b": [1, 2]}') AS a, JSON_LENGTH('[1, 2, 3]') AS b, JSON_LENGTH('"x"') AS c, JSON_KEYS('{"a": 1, "b": 2}') AS d, JSON_CONTAINS('[1, 2, 3]', '2') AS e, JSON_CONTAINS('{"a": 1, "b": 2}', '{"a": 1}') AS f, JSON_CONTAINS('[1, 2]', '5') AS g;
SELECT JSON_VALID('{"a": 1}') AS a, JSON_VALID('{a}') AS b, JSON_TYPE('[1]') AS c, JSON_TYPE('{"a": 1}') AS d, JSON_UNQUOTE('plain') AS e;
SELECT name, JSON_OBJECT('id', id, 'kor', kor) AS doc FROM students ORDER BY id;
SELECT 'abc' REGEXP 'b' AS a, 'abc' RLIKE '^a' AS b, 'ABC' REGEXP 'b' AS c, 'abc' NOT REGEXP 'x' AS d, NULL REGEXP 'a' AS g;
SELECT REGEXP_REPLACE('a1b22c', '[0-9]+', '#') AS a, REGEXP_SUBSTR('abc123def45', '[0-9]+') AS b, REGEXP_INSTR('김철수 010', '[0-9]') AS d, REGEXP_REPLACE('김영희', '영', '0') AS e;
SELECT name FROM students WHERE name REGEXP '^(김|이)' ORDER BY id;
SELECT name FROM students WHERE name NOT REGEXP '수$' AND name REGEXP '[가-힣]{3}' ORDER BY id;
SELECT CHARSET('a') AS a, LAST_INSERT_ID() AS b;
INSERT INTO students (name, age, class_id, kor, eng, math) VALUES ('한지우', 17, 3, 80, 81, 82), ('오하늘', 18, 3, 70, 71, 72);
SELECT LAST_INSERT_ID() AS last_id, ROW_COUNT() AS changed;
UPDATE students SET kor = kor + 1 WHERE class_id = 3;
SELECT ROW_COUNT() AS changed, LAST_INSERT_ID() AS still_last;
INSERT INTO students (id, name, age) VALUES (100, '고정호', 19);
SELECT LAST_INSERT_ID() AS unchanged_by_a_given_id;
-- Comparisons with ANY, SOME and ALL of a subquery, NULLs and empty results included.
SELECT 80 > ALL (SELECT kor FROM students WHERE class_id = 1) AS a, 95 > ALL (SELECT kor FROM students WHERE class_id = 1) AS b, 90 = ANY (SELECT kor FROM students) AS c, 60 > SOME (SELECT kor FROM students) AS d, 5 > ALL (SELECT kor FROM students WHERE id < 0) AS e, 5 > ANY (SELECT kor FROM students WHERE id < 0) AS f;
SELECT 100 > ALL (SELECT math FROM students) AS with_null, 0 < ANY (SELECT math FROM students) AS any_null, 200 < ANY (SELECT math FROM students) AS none_null, NULL > ALL (SELECT kor FROM students WHERE id = 1) AS null_left, 90 <> ALL (SELECT kor FROM students WHERE kor IS NOT NULL) AS ne_all, 90 <> ANY (SELECT kor FROM students) AS ne_any, 90 = ALL (SELECT kor FROM students WHERE id = 1) AS eq_all;
SELECT name, kor FROM students WHERE kor > ALL (SELECT kor FROM students WHERE class_id = 2 AND kor IS NOT NULL) ORDER BY id;
SELECT name, kor FROM students WHERE kor >= ALL (SELECT kor FROM students WHERE kor IS NOT NULL) ORDER BY id;
SELECT name FROM students WHERE kor < ANY (SELECT kor FROM students WHERE class_id = 3) ORDER BY id;
SELECT id FROM employees e WHERE id > ALL (SELECT manager_id FROM employees m WHERE m.id < e.id) ORDER BY id;
SELECT id FROM employees e WHERE id < ANY (SELECT m.id FROM employees m WHERE m.manager_id = e.id) ORDER BY id;
SELECT id FROM employees e WHERE id = SOME (SELECT manager_id FROM employees m WHERE m.id > e.id) ORDER BY id;
SELECT id, id > ALL (SELECT manager_id FROM employees m WHERE m.id <= e.id) AS above, id <> ALL (SELECT manager_id FROM employees m WHERE m.id > e.id AND m.manager_id IS NOT NULL) AS not_managed_later FROM employees e ORDER BY id;
SELECT name, kor FROM students s WHERE kor >= ALL (SELECT kor FROM students t WHERE t.class_id = s.class_id AND t.kor IS NOT NULL) ORDER BY id;
SELECT class_id, COUNT(*) AS n FROM students s WHERE math > ANY (SELECT math FROM students t WHERE t.class_id = s.class_id AND t.id <> s.id) GROUP BY class_id ORDER BY class_id;
SELECT id FROM students s WHERE kor > ALL (SELECT AVG(kor) FROM students t WHERE t.class_id = s.class_id) ORDER BY id;
SELECT name FROM students WHERE math > ALL (SELECT math FROM students WHERE class_id = 1) ORDER BY id;
SELECT name FROM students WHERE age = SOME (SELECT age FROM students WHERE class_id = 2) ORDER BY id;
SELECT name FROM students WHERE kor > ALL (SELECT AVG(kor) FROM students GROUP BY class_id) ORDER BY id;
-- Text in arithmetic is the number it starts with (MySQL warns; the answer is the number).
SELECT '10' + 5 AS a, '3abc' + 1 AS b, 'abc' * 2 AS c, '1.5' * 2 AS d, ' 12' - 2 AS e, 10 / '4' AS g, CAST('abc' AS SIGNED) AS h, CAST('12abc' AS SIGNED) AS i, '2024-03-01' + 1 AS k;
SELECT name, kor + '5' AS plus_five FROM students ORDER BY id;
-- MySQL's operators: MOD, DIV as tight as *, shifts, ~ over 64-bit unsigned numbers.
SELECT 10 MOD 3 AS a, 7 DIV 2 + 1 AS b, 1 << 4 AS c, 256 >> 2 AS d, 1 + 1 << 2 AS e, ~0 AS f, ~5 AS g, 10 MOD 0 AS h, -7 MOD 3 AS i;
SELECT name, kor MOD 10 AS ones, kor DIV 10 AS tens FROM students ORDER BY id;
-- Numbers and text as conditions, as MySQL reads them: 0 is false, other numbers true.
SELECT NOT 0 AS a, 2 AND 3 AS b, 1 XOR 0 AS c, 1 XOR 1 AS d, NOT 'abc' AS e, 0 OR NULL AS f, 1 AND NULL AS g, NOT '1x' AS h;
SELECT name FROM students WHERE math ORDER BY id;
SELECT name FROM students WHERE kor - 90 ORDER BY id;
SELECT CASE WHEN 0 THEN 'a' WHEN 2 THEN 'b' END AS w, IF(kor, 'has', 'none') AS k FROM students ORDER BY id;
SELECT CONVERT('12', SIGNED) AS a, CONVERT('3.5', DECIMAL(4,1)) AS b, CONVERT('x' USING utf8mb4) AS c, CONVERT(42, CHAR) AS d;
-- Row constructors, pair by pair.
SELECT (1, 2) < (1, 3), (2, 1) > (1, 9), (1, NULL) = (1, 2), (1, NULL) = (2, 2), (1, 2) <> (1, 2), (1, 2) <=> (1, 2), (1, 2) >= (1, 2), (1, 2) <= (1, 1);
SELECT (1, 2) IN ((1, 2), (3, 4)), (5, 6) NOT IN ((1, 2), (3, 4)), (1, NULL) IN ((1, 2)), (1, NULL) IN ((2, 2));
SELECT id, name FROM students WHERE (age, class_id) = (17, 1) ORDER BY id;
SELECT id FROM students WHERE (class_id, kor) IN ((1, 90), (2, 85), (3, 0)) ORDER BY id;
SELECT (1, 2) = (1, 2, 3);
SELECT name FROM students WHERE id = 1 FOR UPDATE;
-- User variables: SET, read anywhere an expression goes, NULL when never set.
SET @x = 5;
SELECT @x + 1, @X, @nope;
SET @name = (SELECT name FROM students ORDER BY id LIMIT 1), @n = @x * 2;
SELECT @name, @n;
SET @avg = (SELECT AVG(kor) FROM students);
SELECT name FROM students WHERE kor > @avg ORDER BY id;
SELECT COUNT(*), @x FROM students;
SET @d = '2024-01-31';
SELECT DATE_ADD(@d, INTERVAL 1 MONTH);
