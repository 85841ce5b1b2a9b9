-- lesson: left-join-count
-- why: COUNT(*) counts the NULL-filled row of a LEFT JOIN
SELECT m.id, m.name, COUNT(*) AS reports FROM employees m LEFT JOIN employees e ON e.manager_id = m.id GROUP BY m.id, m.name
