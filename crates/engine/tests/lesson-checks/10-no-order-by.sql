-- lesson: log-rows
-- why: LIMIT without ORDER BY follows the insertion order (rows in reverse order tell them apart)
SELECT who FROM visits LIMIT 2
