-- lesson: where-compare
-- why: another row order is right when the lesson asks for none
SELECT name, kor FROM students WHERE kor >= 85 ORDER BY name DESC
