-- Korean text counted in characters; MySQL's edge cases of the string functions.
SELECT LEFT('김영희', 1) AS a, RIGHT('김영희', 2) AS b, SUBSTR('김영희입니다', 2, 2) AS c, SUBSTRING('김영희', 2) AS d, SUBSTR('김영희', -2) AS e, SUBSTR('abc', 0) AS f, SUBSTRING('김영희' FROM 2 FOR 1) AS g, MID('가나다라', 2, 2) AS h;
SELECT POSITION('희' IN '김영희') AS a, LOCATE('영', '김영희') AS b, LOCATE('a', 'banana', 3) AS c, INSTR('김영희', '희') AS d, LOCATE('z', 'abc') AS e;
SELECT LPAD('김', 3, '*') AS a, RPAD('김영희', 2, 'x') AS b, LPAD('7', 3, '0') AS c, REPEAT('가', 3) AS d, REPEAT('a', -1) AS e, REVERSE('김영희') AS f;
SELECT CHAR_LENGTH('김영희') AS chars, LENGTH('김영희') AS bytes, LENGTH('abc') AS ascii, UPPER('abc') AS u, LOWER('ABC') AS l, CONCAT('hello', ' ', 'world') AS c, CONCAT('a', NULL) AS cn;
SELECT name, LEFT(name, 1) AS family, SUBSTR(name, 2) AS given FROM students ORDER BY id;
# a hash comment before a statement
SELECT "double quoted" AS dq, `name` FROM students WHERE id = 1;
SELECT TRIM('  가  ') AS t, REPLACE('김영희', '영', '00') AS r, CONCAT_WS('-', 'a', 'b', 'c') AS w;
-- LIKE escapes: `\%` and `\_` match the character itself; ESCAPE names another escape.
SELECT '50%' LIKE '50\%', '500' LIKE '50\%', 'a_b' LIKE 'a\_b', 'axb' LIKE 'a\_b', '50\%' AS kept;
SELECT '50%' LIKE '50!%' ESCAPE '!', '500' LIKE '50!%' ESCAPE '!', 'a_b' LIKE 'a#_b' ESCAPE '#', 'axb' LIKE 'a#_b' ESCAPE '#', 'a!b' LIKE 'a!!b' ESCAPE '!';
SELECT name FROM students WHERE name LIKE '김%' ESCAPE '!' ORDER BY id;
SELECT 'x' LIKE 'x' ESCAPE 'ab';
