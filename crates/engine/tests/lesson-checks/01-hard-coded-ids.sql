-- lesson: where-null
-- why: hard-coded ids pass on the visible data only (a column moved to other rows tells them apart)
SELECT name FROM students WHERE id IN (8, 21)
