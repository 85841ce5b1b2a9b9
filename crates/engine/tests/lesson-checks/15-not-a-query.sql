-- lesson: where-null
-- why: a write is not an answer to a query lesson
DELETE FROM students
