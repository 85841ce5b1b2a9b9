-- lesson: update
-- why: a change lesson: a missing WHERE
UPDATE students SET math = math + 5
