-- lesson: employee-names
-- why: a missing DISTINCT passes while names are unique (duplicate rows tell them apart)
SELECT name FROM employees
