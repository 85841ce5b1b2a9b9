-- lesson: where-null
-- why: one query is asked for
SELECT 1; SELECT 2
