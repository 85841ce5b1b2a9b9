-- lesson: where-null
-- why: an error is reported with its place
SELECT nam FROM students WHERE math IS NULL
