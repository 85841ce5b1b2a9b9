-- Indexes (issue 16): CREATE [UNIQUE] INDEX, composite and prefix indexes, KEY and INDEX in
-- CREATE TABLE, ALTER TABLE … ADD INDEX/UNIQUE, DROP INDEX; UNIQUE enforced (1062) and MySQL's
-- errors 1061, 1072 and 1091. (SHOW INDEX is checked in the fixture indexes.sql: MariaDB's has
-- more columns.)
CREATE INDEX by_kor ON students (kor);
CREATE INDEX by_two ON students (kor, eng);
CREATE INDEX by_name ON students (name(2));
CREATE INDEX by_kor ON students (age);
CREATE INDEX bad ON students (nope);
CREATE UNIQUE INDEX by_age ON students (age);
CREATE UNIQUE INDEX by_name_u ON students (name);
INSERT INTO students (name, age) VALUES ('김영희', 20);
DROP INDEX by_name_u ON students;
INSERT INTO students (name, age) VALUES ('김영희', 20);
DROP INDEX by_two ON students;
DROP INDEX nope ON students;
SELECT name FROM students WHERE kor > 80 ORDER BY id;
CREATE TABLE codes (id INT PRIMARY KEY, a INT, code VARCHAR(5) UNIQUE, INDEX ia (a), KEY (a, id));
ALTER TABLE codes ADD UNIQUE KEY ua (a);
INSERT INTO codes VALUES (1, 10, 'x'), (2, 20, 'y');
INSERT INTO codes VALUES (3, 10, 'z');
INSERT INTO codes VALUES (3, 30, 'x');
UPDATE codes SET a = 20 WHERE id = 1;
INSERT INTO codes VALUES (3, NULL, NULL), (4, NULL, NULL);
DROP INDEX ua ON codes;
INSERT INTO codes VALUES (5, 10, 'w');
CREATE UNIQUE INDEX again ON codes (a);
SELECT id, a, code FROM codes ORDER BY id;
DROP TABLE codes;
