-- lesson: subquery
-- why: >= against the average passes while no score equals it (one value in every row tells them apart)
SELECT name, kor FROM students WHERE kor >= (SELECT AVG(kor) FROM students)
