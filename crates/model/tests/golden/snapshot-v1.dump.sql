-- sqlnori dump (MySQL-compatible)

CREATE DATABASE IF NOT EXISTS `other`;
USE `other`;

DROP TABLE IF EXISTS `n`;

CREATE TABLE `n` (
  `k` INT NOT NULL,
  `v` TEXT,
  PRIMARY KEY (`k`)
);
INSERT INTO `n` (`k`, `v`) VALUES
  (1, 'one'),
  (2, 'two');

CREATE DATABASE IF NOT EXISTS `student_db2`;
USE `student_db2`;

DROP TABLE IF EXISTS `students`;
DROP TABLE IF EXISTS `kinds`;
DROP TABLE IF EXISTS `employees`;

CREATE TABLE `employees` (
  `id` INT NOT NULL,
  `name` VARCHAR(50) NOT NULL,
  `manager_id` INT,
  PRIMARY KEY (`id`)
);
INSERT INTO `employees` (`id`, `name`, `manager_id`) VALUES
  (1, '김대표', NULL),
  (2, '이부장', 1),
  (3, '박부장', 1),
  (4, '최과장', 2),
  (5, '구과장', 3),
  (6, '강대리', 4),
  (7, '조사원', 4);

CREATE TABLE `kinds` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `t` VARCHAR(20) NOT NULL DEFAULT 'x',
  `d` DATE,
  `ts` DATETIME,
  `tm` TIME,
  `x` DECIMAL(5,2),
  `f` DOUBLE,
  `ok` BOOLEAN,
  `n` TINYINT DEFAULT 3,
  `code` VARCHAR(5),
  PRIMARY KEY (`id`)
) AUTO_INCREMENT=4;
INSERT INTO `kinds` (`id`, `t`, `d`, `ts`, `tm`, `x`, `f`, `ok`, `n`, `code`) VALUES
  (1, 'it''s', DATE '2025-03-01', TIMESTAMP '2025-03-01 09:30:15', TIME '10:20:30', 1.25, 2.5, true, 7, 'A'),
  (2, '김영희 "q"', NULL, NULL, NULL, -3.5, 1000000000000000600000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, false, NULL, 'B'),
  (3, 'defaults', NULL, NULL, NULL, NULL, NULL, NULL, 3, NULL);
CREATE UNIQUE INDEX `code` ON `kinds` (`code`);

CREATE TABLE `students` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `age` INT NOT NULL,
  `kor` INT,
  `eng` INT,
  `math` INT,
  PRIMARY KEY (`id`)
) AUTO_INCREMENT=31;
INSERT INTO `students` (`id`, `name`, `age`, `kor`, `eng`, `math`) VALUES
  (1, '강철수', 88, 79, 83, 88),
  (2, '강철호', 75, 75, 75, 83),
  (3, '조영희', 86, 75, 87, 88),
  (4, '윤철호', 82, 74, 82, 74),
  (5, '김영희', 87, 80, 71, 85),
  (6, '강준호', 83, 80, 83, 77),
  (7, '이철호', 74, 74, 83, 87),
  (8, '구미나', 73, 81, 73, NULL),
  (9, '조영희', 79, 78, 71, 86),
  (10, '강철호', 79, 82, 77, 71),
  (11, '조준호', 72, 80, 78, 70),
  (12, '구미나', 87, 72, 74, 77),
  (13, '박미나', 80, 79, 83, 72),
  (14, '구영희', 87, 76, 77, 82),
  (15, '최준호', 84, 87, 81, 70),
  (16, '윤철수', 85, 84, 78, 86),
  (17, '윤철수', 85, 70, 77, 77),
  (18, '김철호', 76, 85, 72, 78),
  (19, '최미나', 79, 70, 83, 81),
  (20, '이준호', 70, 72, 85, 88),
  (21, '조철호', 88, 87, 77, NULL),
  (22, '구미나', 87, 74, 80, 89),
  (23, '이철수', 75, 73, 81, 73),
  (24, '강철호', 88, 73, 86, 77),
  (25, '윤준호', 75, 70, 80, 90),
  (26, '최영희', 89, 89, 86, 83),
  (27, '박미나', 85, 78, 88, 88),
  (28, '박철수', 75, 84, 84, 90),
  (29, '이철수', 83, 83, 73, 87),
  (30, '김미나', 74, 79, 71, 80);

DROP VIEW IF EXISTS `adults`;
CREATE VIEW `adults` AS SELECT name FROM students WHERE age >= 80;

USE `student_db2`;
