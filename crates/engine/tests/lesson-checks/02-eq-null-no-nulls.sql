-- lesson: kor-null
-- why: = NULL passes while the data has no NULL (NULLs put in tell them apart)
SELECT name FROM students WHERE kor = NULL
