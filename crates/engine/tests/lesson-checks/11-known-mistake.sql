-- lesson: where-null
-- why: a known mistake gets its feedback
SELECT name FROM students WHERE math = NULL
