-- lesson: count
-- why: COUNT(kor) passes while kor has no NULL (NULLs in kor tell them apart)
SELECT COUNT(kor) AS students, COUNT(math) AS with_math FROM students
