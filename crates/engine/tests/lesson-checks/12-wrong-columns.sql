-- lesson: select-columns
-- why: another number of columns
SELECT name FROM students
