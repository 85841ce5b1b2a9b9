-- lesson: cte
-- why: a float with another scale is right
WITH h AS (SELECT id, name, (kor + eng + math) / 3 AS avg_score FROM students) SELECT * FROM h WHERE avg_score >= 80
