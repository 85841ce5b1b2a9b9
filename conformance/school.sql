-- The conformance suite's fixed school dataset. Every case starts from exactly this, on a
-- real MariaDB server (recording) and in sqlnori (checking).
CREATE DATABASE IF NOT EXISTS school;
USE school;
CREATE TABLE classes (
    id INT PRIMARY KEY,
    name VARCHAR(20) NOT NULL,
    teacher VARCHAR(20)
);
INSERT INTO classes VALUES (1, '1반', '김선생'), (2, '2반', '이선생'), (3, '3반', NULL);
CREATE TABLE students (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    age INT NOT NULL,
    class_id INT,
    kor INT,
    eng INT,
    math INT
);
INSERT INTO students (name, age, class_id, kor, eng, math) VALUES
    ('김영희', 17, 1, 90, 85, 77),
    ('이철수', 18, 1, 72, 88, NULL),
    ('박준호', 17, 2, 85, 91, 80),
    ('최미나', 19, 2, NULL, 70, 95),
    ('정도현', 18, 2, 88, 79, 84),
    ('강서윤', 17, NULL, 95, 92, 99),
    ('조민수', 19, 1, 61, 55, 70),
    ('윤예은', 18, 3, 77, 80, NULL);
CREATE TABLE employees (
    id INT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    manager_id INT,
    salary INT
);
INSERT INTO employees VALUES
    (1, '김대표', NULL, 900),
    (2, '이부장', 1, 700),
    (3, '박부장', 1, 650),
    (4, '최과장', 2, 500),
    (5, '정대리', 4, 400),
    (6, '강사원', 5, 300),
    (7, '조과장', 3, 520),
    (8, '윤사원', 7, 310);
