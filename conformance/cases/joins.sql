-- Every join MySQL learners write: INNER, LEFT, RIGHT, CROSS, comma, USING, self joins.
SELECT s.name, c.name AS class FROM students s INNER JOIN classes c ON s.class_id = c.id ORDER BY s.id;
SELECT s.name, c.name AS class FROM students s LEFT JOIN classes c ON s.class_id = c.id ORDER BY s.id;
SELECT c.name AS class, s.name FROM students s RIGHT JOIN classes c ON s.class_id = c.id ORDER BY c.id, s.id;
SELECT COUNT(*) AS pairs FROM classes a CROSS JOIN classes b;
SELECT s.name, c.teacher FROM students s, classes c WHERE s.class_id = c.id AND c.teacher IS NOT NULL ORDER BY s.id;
SELECT e.name, m.name AS manager FROM employees e LEFT JOIN employees m ON e.manager_id = m.id ORDER BY e.id;
SELECT c.name, COUNT(s.id) AS n, ROUND(AVG(s.kor), 1) AS avg_kor FROM classes c LEFT JOIN students s ON s.class_id = c.id GROUP BY c.name ORDER BY c.name;
-- A bare column two joined tables both have is ambiguous (1052); qualified, merged by USING,
-- matching a select item in ORDER BY, or found in a subquery's own table, it is not.
SELECT name FROM students s JOIN classes c ON s.class_id = c.id;
SELECT s.name FROM students s JOIN classes c ON s.class_id = c.id WHERE id = 1;
SELECT s.name, teacher FROM students s JOIN classes c ON s.class_id = c.id ORDER BY s.id;
SELECT s.name FROM students s JOIN classes c ON s.class_id = c.id ORDER BY name;
SELECT c.name FROM classes c WHERE EXISTS (SELECT 1 FROM students s WHERE s.class_id = c.id AND kor > 90) ORDER BY c.id;
SELECT c.name FROM classes c WHERE c.id IN (SELECT class_id FROM students WHERE name = '김영희');
SELECT COUNT(*) FROM students a JOIN students b USING (class_id) WHERE a.id < b.id;
SELECT COUNT(*) FROM students a JOIN students b ON a.class_id = b.class_id GROUP BY class_id;
SELECT x.name FROM (SELECT id, name FROM students) x JOIN classes c ON c.id = x.id ORDER BY x.id;
-- NATURAL JOIN: on every column the two tables share (none shared: a cross join).
SELECT s.name, c.teacher FROM students s NATURAL JOIN classes c ORDER BY s.id;
SELECT COUNT(*) FROM (SELECT id AS class_id FROM classes) x NATURAL JOIN students;
SELECT COUNT(*) FROM classes NATURAL LEFT JOIN employees;
SELECT class_id, COUNT(*) AS pairs FROM students a JOIN students b USING (class_id) WHERE class_id > 1 GROUP BY class_id ORDER BY class_id;
SELECT name FROM students NATURAL JOIN employees ORDER BY name;
