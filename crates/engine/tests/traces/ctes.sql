-- The course's CTEs and its recursive org chart.
WITH score_avg AS (SELECT id, name, (kor + eng + math) / 3.0 AS avg_score FROM students WHERE id <= 5), high AS (SELECT * FROM score_avg WHERE avg_score >= 80) SELECT * FROM high;
WITH RECURSIVE org_chart AS (SELECT id, name, manager_id, 1 AS level FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name, e.manager_id, oc.level + 1 FROM employees e INNER JOIN org_chart oc ON e.manager_id = oc.id) SELECT * FROM org_chart;
-- A recursion that never stops is cut at the bound; the steps before stay.
WITH RECURSIVE forever (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) SELECT COUNT(*) FROM forever;
