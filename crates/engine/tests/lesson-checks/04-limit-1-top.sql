-- lesson: top-score
-- why: LIMIT 1 for every top student passes without a tie (a tie at the maximum tells them apart)
SELECT name, kor FROM students ORDER BY kor DESC LIMIT 1
