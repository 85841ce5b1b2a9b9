-- Every join MySQL learners write: INNER, LEFT, RIGHT, CROSS, comma, USING, self joins.
SELECT s.name, c.name AS class FROM students s INNER JOIN classes c ON s.class_id = c.id ORDER BY s.id;
SELECT s.name, c.name AS class FROM students s LEFT JOIN classes c ON s.class_id = c.id ORDER BY s.id;
SELECT c.name AS class, s.name FROM students s RIGHT JOIN classes c ON s.class_id = c.id ORDER BY c.id, s.id;
SELECT COUNT(*) AS pairs FROM classes a CROSS JOIN classes b;
SELECT s.name, c.teacher FROM students s, classes c WHERE s.class_id = c.id AND c.teacher IS NOT NULL ORDER BY s.id;
SELECT e.name, m.name AS manager FROM employees e LEFT JOIN employees m ON e.manager_id = m.id ORDER BY e.id;
SELECT c.name, COUNT(s.id) AS n, ROUND(AVG(s.kor), 1) AS avg_kor FROM classes c LEFT JOIN students s ON s.class_id = c.id GROUP BY c.name ORDER BY c.name;
