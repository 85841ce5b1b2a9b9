-- lesson: order-by
-- why: the right rows in another order
SELECT name, kor FROM students ORDER BY kor, name
