-- lesson: order-by
-- why: rows tied on the sort keys may come in any order
SELECT name, kor FROM students ORDER BY kor DESC, name, id DESC
