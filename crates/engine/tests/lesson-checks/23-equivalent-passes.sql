-- lesson: where-compare
-- why: an equivalent condition is right
SELECT name, kor FROM students WHERE NOT kor < 85
