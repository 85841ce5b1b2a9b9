-- lesson: kor-86
-- why: > passes while no value sits on the boundary (values at and beside 86 tell them apart)
SELECT name, kor FROM students WHERE kor > 86
