//! The course's material: the preloaded database (students, employees) and the examples menu.

use crate::error::Localized;
use crate::rng::SeededRng;
use serde::{Deserialize, Serialize};

/// The database the course creates and the page starts in.
pub const DEFAULT_DB: &str = "student_db2";
/// How many generated students the page starts with.
pub const STUDENT_ROWS: usize = 30;

const SURNAMES: [&str; 8] = ["김", "이", "박", "최", "구", "강", "조", "윤"];
const GIVEN_NAMES: [&str; 5] = ["영희", "철수", "준호", "철호", "미나"];

/// The students table exactly as the course declares it.
pub const STUDENTS_DDL: &str = "create table if not exists student_db2.students(
    id int auto_increment primary key,
    name varchar(100) not null,
    age int not null,
    kor int,
    eng int,
    math int
)";

const EMPLOYEES_SQL: &str = "create table employees (
    id int primary key,
    name varchar(50) not null,
    manager_id int
);
insert into employees (id, name, manager_id) values
    (1, '김대표', null),
    (2, '이부장', 1),
    (3, '박부장', 1),
    (4, '최과장', 2),
    (5, '구과장', 3),
    (6, '강대리', 4),
    (7, '조사원', 4),
    (8, '윤사원', 6)";

/// The `INSERT` that fills the students table: names and scores drawn the way the course's
/// `ELT(FLOOR(1 + RAND() * n), …)` example draws them, from `seed`. Two students have no math
/// score yet, so NULL shows up in the first lesson.
pub fn students_insert(seed: u64, rows: usize) -> String {
    let mut rng = SeededRng::new(seed);
    let values: Vec<String> = (0..rows)
        .map(|i| {
            let surname = SURNAMES[usize::try_from(rng.range(0, 7)).unwrap_or(0)];
            let given = GIVEN_NAMES[usize::try_from(rng.range(0, 4)).unwrap_or(0)];
            let age = rng.range(70, 89);
            let kor = rng.range(70, 90);
            let eng = rng.range(70, 90);
            let math = rng.range(70, 90);
            let math = if i % 13 == 7 {
                "null".to_owned()
            } else {
                math.to_string()
            };
            format!("('{surname}{given}', {age}, {kor}, {eng}, {math})")
        })
        .collect();
    format!(
        "insert into student_db2.students(name, age, kor, eng, math) values\n    {}",
        values.join(",\n    ")
    )
}

/// The script that builds the preloaded database.
pub fn setup_script(seed: u64) -> String {
    format!(
        "{STUDENTS_DDL};\n{};\n{EMPLOYEES_SQL};",
        students_insert(seed, STUDENT_ROWS)
    )
}

/// One entry of the examples menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub id: &'static str,
    pub title: Localized,
    /// One line saying what the example shows.
    pub explanation: Localized,
    pub sql: String,
}

fn ex(id: &'static str, title: (&str, &str), explain: (&str, &str), sql: &str) -> Example {
    Example {
        id,
        title: Localized::new(title.0, title.1),
        explanation: Localized::new(explain.0, explain.1),
        sql: sql.to_owned(),
    }
}

/// The first example, shown in the editor on a first visit.
pub const STUDENT_EXAMPLE: &str = "-- 학생 테이블 만들기와 랜덤 데이터 넣기 (course example)
create database if not exists student_db2;

create table if not exists student_db2.students(
    id int auto_increment primary key,
    name varchar(100) not null,
    age int not null,
    kor int,
    eng int,
    math int
);

select * from student_db2.students;

insert into student_db2.students(name,age,kor,eng,math)
select
    concat(
        ELT(floor(1+rand()*8), '김','이','박','최','구','강','조','윤'),
        ELT(floor(1+rand()*5), '영희','철수','준호','철호','미나')
    ) as name,
    floor(70+rand()*20) as age,
    floor(70+rand()*21) as kor,
    floor(70+rand()*21) as eng,
    floor(70+rand()*21) as math
;

select * from student_db2.students;

commit;
";

/// Every SQL snippet of the course material, in the order the material gives them, and last
/// all of them as one script (for stepping through the course statement by statement).
pub fn course_examples() -> Vec<Example> {
    let mut examples = course_snippets();
    let whole = examples
        .iter()
        .map(|e| format!("-- {}\n{}", e.title.ko, e.sql.trim_end()))
        .collect::<Vec<_>>()
        .join("\n\n");
    // Not part of the whole course (its denied UPDATE is the point, and it would stop a run).
    examples.push(dcl_example());
    examples.push(Example {
        id: "course",
        title: Localized::new("강의 전체 (한 단계씩 실행해 보세요)", "The whole course (try Step)"),
        explanation: Localized::new(
            "강의의 모든 문장을 순서대로 담았습니다. '한 단계'로 한 문장씩 실행하고 '뒤로'로 되돌려 보세요.",
            "Every statement of the course in order. Run it one statement at a time with Step, undo with Back.",
        ),
        sql: whole,
    });
    examples
}

/// The course's third family, DCL ("grant, revoke: 권한부여 삭제"), acted out: an account gets
/// SELECT, tries an UPDATE and is denied, then loses SELECT again.
fn dcl_example() -> Example {
    ex("dcl", ("DCL: GRANT와 REVOKE (계정 바꾸기)", "DCL: GRANT and REVOKE (switching accounts)"),
       ("계정을 만들고 SELECT 권한만 준 뒤 그 계정으로 바꿔 UPDATE를 해 봅니다. 거부되는 것을 보고, root로 돌아와 권한을 회수합니다. '한 단계'로 실행해 보세요.",
        "Create an account, grant it SELECT only, switch to it and try an UPDATE: it is denied. Switch back to root and revoke. Try it with Step."),
       "-- DCL: 권한 부여(GRANT)와 회수(REVOKE). '한 단계'로 한 문장씩 실행해 보세요.
-- 관리자 root로 시작해 계정을 만들고 SELECT 권한만 줍니다
SET SESSION AUTHORIZATION DEFAULT;
CREATE USER IF NOT EXISTS 'student'@'%' IDENTIFIED BY 'pw1234';
GRANT SELECT ON student_db2.students TO 'student'@'%';
SHOW GRANTS FOR 'student'@'%';

-- student 계정으로 바꿉니다 (mysql -u student 로 다시 접속하는 것과 같습니다)
SET SESSION AUTHORIZATION 'student'@'%';
SELECT CURRENT_USER();
-- SELECT 권한이 있어 됩니다
SELECT name, kor FROM student_db2.students LIMIT 3;
-- UPDATE 권한은 없어 거부됩니다 (MySQL 오류 1142)
UPDATE student_db2.students SET kor = 100 WHERE id = 1;

-- root로 돌아와 권한을 회수합니다
SET SESSION AUTHORIZATION DEFAULT;
REVOKE SELECT ON student_db2.students FROM 'student'@'%';
SHOW GRANTS FOR 'student'@'%';")
}

fn course_snippets() -> Vec<Example> {
    vec![
        ex("elt-rand", ("ELT와 RAND로 성 고르기", "Pick a surname with ELT and RAND"),
           ("1 + RAND()*5는 1 이상 6 미만의 실수이고, ELT는 그 값을 반올림해 n번째 문자열을 고릅니다 (6이 되면 NULL).",
            "1 + RAND()*5 is a real in [1, 6); ELT rounds it and picks the n-th string (6 gives NULL)."),
           "SELECT concat(ELT(1+rand()*5, '김', '이', '박', '최', '정')) AS name;"),
        ex("elt-floor", ("FLOOR로 안전하게", "Safer with FLOOR"),
           ("FLOOR로 내림하면 1~5만 나오므로 NULL이 생기지 않습니다.",
            "FLOOR rounds down to 1..5, so the result is never NULL."),
           "SELECT ELT(FLOOR(1 + RAND() * 5), '김', '이', '박', '최', '정') AS name;"),
        ex("random-name", ("랜덤 이름 만들기", "Build a random name"),
           ("성과 이름을 각각 ELT로 고르고 CONCAT으로 붙입니다.",
            "ELT picks a surname and a given name; CONCAT joins them."),
           "SELECT\n    CONCAT(\n        ELT(FLOOR(1 + RAND() * 5), '김', '이', '박', '최', '정'),\n        ELT(FLOOR(1 + RAND() * 5), '민수', '지훈', '예은', '도현', '서윤')\n    ) AS full_name;"),
        ex("elt-index", ("ELT는 1부터 센다", "ELT counts from 1"),
           ("SQL의 위치 번호는 1부터 시작합니다.", "Positions in SQL start at 1."),
           "SELECT ELT(1, 'A', 'B', 'C'); -- 결과: 'A'\nSELECT ELT(2, 'A', 'B', 'C'); -- 결과: 'B'\nSELECT ELT(3, 'A', 'B', 'C'); -- 결과: 'C'"),
        ex("auto-increment", ("AUTO_INCREMENT 기본 키", "AUTO_INCREMENT primary key"),
           ("id를 넣지 않으면 1, 2, 3… 순서로 자동으로 매겨집니다.",
            "Leave id out and it is numbered 1, 2, 3… automatically."),
           "CREATE TABLE users (\n    id INT AUTO_INCREMENT PRIMARY KEY,\n    name VARCHAR(50) NOT NULL\n);"),
        ex("enum", ("ENUM 열", "An ENUM column"),
           ("ENUM은 정해진 값 중 하나만 담는 열입니다.", "An ENUM column holds one of a fixed list of values."),
           "CREATE TABLE example (\n    category ENUM('small', 'medium', 'large')\n);"),
        ex("floor-concat", ("FLOOR와 CONCAT", "FLOOR and CONCAT"),
           ("난수를 정수로 내리고, 문자열을 이어 붙입니다.", "Round a random number down; join strings."),
           "select floor(1+rand()*5);\nselect concat('hello',' world') as name;"),
        ex("students", ("학생 테이블과 랜덤 데이터", "Students table with random data"),
           ("데이터베이스와 테이블을 만들고, INSERT … SELECT로 랜덤 학생 한 명을 넣습니다.",
            "Create the database and table, then INSERT … SELECT one random student."),
           STUDENT_EXAMPLE),
        ex("avg-group", ("평균 점수별 학생 수", "Students per average score"),
           ("FROM 안의 서브쿼리가 먼저 평균을 계산하고, GROUP BY가 같은 평균끼리 묶어 셉니다.",
            "The subquery in FROM computes averages first; GROUP BY then counts equal averages."),
           "SELECT avg_score, COUNT(*) AS count_students\nFROM (\n    SELECT ROUND((kor + eng + math) / 3.0, 2) AS avg_score\n    FROM student_db2.students\n) AS avg_scores\nGROUP BY avg_score;"),
        ex("cte", ("WITH 절 (CTE)", "WITH clause (CTE)"),
           ("CTE는 이름 붙인 임시 결과입니다. 평균 80점 이상인 학생만 고릅니다.",
            "A CTE is a named temporary result; keep students averaging 80 or more."),
           "WITH high_achievers AS (\n    SELECT id, name, (kor + eng + math) / 3.0 AS avg_score\n    FROM student_db2.students\n)\nSELECT * FROM high_achievers WHERE avg_score >= 80;"),
        ex("cte-chain", ("CTE 여러 개", "Several CTEs"),
           ("두 번째 CTE가 첫 번째 CTE를 읽습니다.", "The second CTE reads the first."),
           "WITH\nscore_avg AS (\n    SELECT id, name, (kor + eng + math) / 3.0 AS avg_score\n    FROM student_db2.students\n),\nhigh_achievers AS (\n    SELECT * FROM score_avg WHERE avg_score >= 80\n)\nSELECT * FROM high_achievers;"),
        ex("recursive", ("재귀 CTE: 조직도", "Recursive CTE: org chart"),
           ("대표(manager_id가 NULL)에서 시작해 부하 직원을 한 단계씩 이어 붙입니다.",
            "Start from the CEO (manager_id IS NULL) and add reports one level at a time."),
           "WITH RECURSIVE org_chart AS (\n    -- 기초 데이터: 최상위 관리자 (CEO)\n    SELECT id, name, manager_id, 1 AS level\n    FROM employees\n    WHERE manager_id IS NULL\n    UNION ALL\n    -- 재귀적으로 직원들을 연결\n    SELECT e.id, e.name, e.manager_id, oc.level + 1\n    FROM employees e\n    INNER JOIN org_chart oc ON e.manager_id = oc.id\n)\nSELECT * FROM org_chart;"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_script_is_one_entry_of_twenty_statements() {
        let course = course_examples().pop().expect("the whole-course entry");
        assert_eq!(course.id, "course");
        assert_eq!(crate::split_script(&course.sql).len(), 20);
    }

    #[test]
    fn the_same_seed_gives_the_same_students() {
        assert_eq!(students_insert(7, 3), students_insert(7, 3));
        assert_ne!(students_insert(7, 3), students_insert(8, 3));
    }
}
