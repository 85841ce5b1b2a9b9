-- ELT and IF as MySQL rounds and branches; dates at a fixed time; FROM dual.
SELECT ELT(1, 'A', 'B', 'C') AS a, ELT(3, 'A', 'B', 'C') AS c, ELT(4, 'A', 'B', 'C') AS out_of_range, ELT(0, 'A') AS zero, ELT(1.5, 'A', 'B') AS rounded, ELT(2.4, 'A', 'B', 'C') AS down;
SELECT name, IF(kor >= 80, '우수', '보통') AS grade, IF(math IS NULL, '미응시', '응시') AS took FROM students ORDER BY id;
SELECT CASE WHEN kor >= 90 THEN 'A' WHEN kor >= 80 THEN 'B' ELSE 'C' END AS g, COUNT(*) AS n FROM students GROUP BY g ORDER BY g;
SELECT 1 + 1 AS two FROM dual;
SELECT DATE_FORMAT('2025-03-01 14:05:09', '%Y-%m-%d') AS d, DATE_FORMAT('2025-03-01 14:05:09', '%H:%i:%s') AS t, DATE_FORMAT('2025-03-01', '%Y년 %m월 %d일') AS k;
SELECT YEAR('2025-03-01') AS y, MONTH('2025-03-01') AS m, DAY('2025-03-01') AS d;
SELECT DATE_ADD('2025-11-15', INTERVAL 1 MONTH) AS next_month, DATE_ADD('2025-01-31', INTERVAL 1 MONTH) AS clamped;
