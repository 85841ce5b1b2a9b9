-- Data changes: the table before and after, with inserted, deleted and changed rows.
CREATE TABLE pets (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20), age INT);
INSERT INTO pets (name, age) VALUES ('초코', 3), ('콩이', 5);
UPDATE pets SET age = age + 1 WHERE name = '초코';
INSERT INTO pets (name) VALUES ('보리');
DELETE FROM pets WHERE id = 2;
ALTER TABLE pets ADD COLUMN owner VARCHAR(20);
-- CREATE TABLE … AS SELECT shows the table it made, every row new; an existing name changes
-- nothing.
CREATE TABLE top_math AS SELECT name, math FROM students WHERE math >= 85;
CREATE TABLE IF NOT EXISTS top_math AS SELECT name, math FROM students;
