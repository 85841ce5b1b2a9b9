-- lesson: where-null
-- why: another column alias is right
SELECT name AS 이름 FROM students WHERE math IS NULL
