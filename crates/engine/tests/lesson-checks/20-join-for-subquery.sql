-- lesson: in-subquery
-- why: a join instead of a subquery is right
SELECT DISTINCT m.id, m.name FROM employees m JOIN employees e ON e.manager_id = m.id
