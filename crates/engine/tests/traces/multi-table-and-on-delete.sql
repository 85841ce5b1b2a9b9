-- A multi-table UPDATE shows the table it changes (here the second one); a DELETE whose
-- foreign keys cascade says what else changed.
CREATE TABLE dept (id INT PRIMARY KEY, name VARCHAR(20), bonus INT);
CREATE TABLE emp (id INT PRIMARY KEY, dept_id INT REFERENCES dept (id) ON DELETE CASCADE, pay INT);
INSERT INTO dept VALUES (1, 'HR', 10), (2, 'IT', 50);
INSERT INTO emp VALUES (1, 1, 100), (2, 2, 200);
UPDATE dept d JOIN emp e ON e.dept_id = d.id SET e.pay = e.pay + d.bonus WHERE d.name = 'IT';
DELETE FROM dept WHERE id = 1;
