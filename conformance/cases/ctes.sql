-- CTEs, chained CTEs and the course's recursive org chart.
WITH high_achievers AS (SELECT id, name, (kor + eng + math) / 3.0 AS avg_score FROM students) SELECT * FROM high_achievers WHERE avg_score >= 80 ORDER BY id;
WITH score_avg AS (SELECT id, name, (kor + eng + math) / 3.0 AS avg_score FROM students), high AS (SELECT * FROM score_avg WHERE avg_score >= 80) SELECT * FROM high ORDER BY id;
WITH RECURSIVE org_chart AS (SELECT id, name, manager_id, 1 AS level FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name, e.manager_id, oc.level + 1 FROM employees e INNER JOIN org_chart oc ON e.manager_id = oc.id) SELECT * FROM org_chart ORDER BY level, id;
WITH RECURSIVE n AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM n WHERE x < 10) SELECT SUM(x) AS total, COUNT(*) AS cnt FROM n;
SELECT avg_score, COUNT(*) AS count_students FROM (SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score FROM students) AS avg_scores GROUP BY avg_score ORDER BY avg_score;
