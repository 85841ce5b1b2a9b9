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
-- A UNIQUE key over several columns or a prefix: NULLs never collide, text compares under
-- the collation, a failed write changes nothing.
CREATE TABLE enrol (student INT, course VARCHAR(10), grade INT, UNIQUE KEY one_each (student, course));
INSERT INTO enrol VALUES (1, 'sql', 90), (1, 'web', 80), (2, 'sql', 70);
INSERT INTO enrol VALUES (1, 'SQL', 60);
INSERT INTO enrol VALUES (4, 'db', 1), (4, 'db', 2);
INSERT INTO enrol VALUES (3, NULL, 1), (3, NULL, 2);
UPDATE enrol SET course = 'web' WHERE student = 1 AND course = 'sql';
UPDATE enrol SET grade = grade + 1 WHERE student = 1;
SELECT * FROM enrol ORDER BY student, course, grade;
CREATE UNIQUE INDEX pair ON enrol (student, grade);
CREATE UNIQUE INDEX twice ON enrol (student);
ALTER TABLE enrol ADD UNIQUE (course, grade);
INSERT INTO enrol VALUES (9, 'web', 81);
CREATE TABLE tags (tag VARCHAR(20));
INSERT INTO tags VALUES ('database'), ('design');
CREATE UNIQUE INDEX by_prefix ON tags (tag(3));
CREATE UNIQUE INDEX by_prefix2 ON tags (tag(1));
INSERT INTO tags VALUES ('dat');
INSERT INTO tags VALUES ('DESK');
SELECT tag FROM tags ORDER BY tag;
-- REPLACE, ON DUPLICATE KEY UPDATE and INSERT IGNORE see every key: the PRIMARY KEY, a UNIQUE
-- column, and a composite or prefix UNIQUE index.
CREATE TABLE seats (id INT AUTO_INCREMENT PRIMARY KEY, room INT, seat INT, who VARCHAR(10) UNIQUE, n INT DEFAULT 0, UNIQUE KEY place (room, seat));
INSERT INTO seats (room, seat, who) VALUES (1, 1, 'kim'), (1, 2, 'lee'), (2, 1, 'park');
INSERT INTO seats (room, seat, who) VALUES (1, 1, 'choi') ON DUPLICATE KEY UPDATE n = n + 1, who = VALUES(who);
INSERT INTO seats (room, seat, who) VALUES (3, 3, 'LEE') ON DUPLICATE KEY UPDATE n = n + 10;
SELECT * FROM seats ORDER BY id;
REPLACE INTO seats (room, seat, who) VALUES (2, 1, 'kim');
SELECT * FROM seats ORDER BY id;
REPLACE INTO seats (room, seat, who) VALUES (1, 2, 'jung');
SELECT * FROM seats ORDER BY id;
INSERT IGNORE INTO seats (room, seat, who) VALUES (1, 2, 'han'), (4, 4, 'han'), (5, 5, 'HAN'), (6, 6, NULL), (6, 6, NULL);
SELECT * FROM seats ORDER BY id;
INSERT IGNORE INTO seats (id, room, seat, who) VALUES (1, 9, 9, 'oh');
SELECT COUNT(*) FROM seats;
INSERT IGNORE INTO tags VALUES ('DATA'), ('web'), ('website');
SELECT tag FROM tags ORDER BY tag;
REPLACE INTO tags VALUES ('DEStiny');
SELECT tag FROM tags ORDER BY tag;
-- A PRIMARY KEY over several columns (a course's enrolment table): NOT NULL, unique as a
-- pair (1062 for key 'PRIMARY'), and the key REPLACE, ON DUPLICATE KEY UPDATE and INSERT
-- IGNORE see first.
CREATE TABLE takes (student INT, course VARCHAR(10), grade INT, PRIMARY KEY (student, course));
INSERT INTO takes VALUES (1, 'sql', 90), (1, 'web', 80), (2, 'sql', 70);
INSERT INTO takes VALUES (2, 'SQL', 75);
INSERT INTO takes VALUES (3, NULL, 60);
INSERT INTO takes (course, grade) VALUES ('sql', 60);
UPDATE takes SET course = 'sql' WHERE student = 1 AND course = 'web';
INSERT INTO takes VALUES (2, 'sql', 99) ON DUPLICATE KEY UPDATE grade = VALUES(grade);
REPLACE INTO takes VALUES (1, 'web', 85);
INSERT IGNORE INTO takes VALUES (1, 'sql', 0), (3, 'sql', 65);
SELECT * FROM takes ORDER BY student, course;
SELECT student, COUNT(*), MAX(grade) FROM takes GROUP BY student ORDER BY student;
CREATE TABLE takes2 (student INT PRIMARY KEY, course INT, PRIMARY KEY (student, course));
CREATE TABLE takes3 (student INT, course INT, PRIMARY KEY (student, nope));
CREATE INDEX `PRIMARY` ON takes (grade);
DROP INDEX `PRIMARY` ON takes;
INSERT INTO takes VALUES (1, 'sql', 1);
SELECT COUNT(*) FROM takes;
