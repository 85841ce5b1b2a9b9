-- lesson: update
-- why: a change lesson: the right rows after the statements
UPDATE students SET math = math + 5 WHERE math <= 74
