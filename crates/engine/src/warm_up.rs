//! Work done ahead on a throwaway engine: the course's database built, then one query of
//! each family a learner of the course meets first (a grouping with AVG, a CTE, ELT and
//! RAND, a multi-row INSERT, a self-join, a recursive CTE, UPDATE and DELETE).
//!
//! Browsers compile a wasm function the first time it is called and optimise it once it has
//! run a while, so a learner's first query of each kind paid for compiling the code it
//! touches. The page's `Init` builds the course's database itself; after it the worker takes
//! these steps one per task: the throwaway database and the first query (a grouping with
//! COUNT and AVG, what the course does most) at once, while the page is still mounting, the
//! rest only while the worker is idle, so a request waits for one step at most.

use crate::{example_engine, Clock, Engine, EngineOptions};
use sqlnori_model::{split_script, ScriptStatement};

/// One query of each family, on the course's tables and a small one of its own.
const FAMILIES: &str = "
SELECT s.name, COUNT(*), AVG(s.kor) FROM students s JOIN employees e ON e.id = s.id
  WHERE s.kor > 50 GROUP BY s.name ORDER BY 2 DESC LIMIT 3;
SELECT age, COUNT(*) AS n, AVG(kor) AS avg_kor, AVG(math) FROM students GROUP BY age ORDER BY age;
WITH high AS (SELECT id, name, (kor + eng + math) / 3.0 AS avg_score FROM students)
  SELECT * FROM high WHERE avg_score >= 60 ORDER BY avg_score DESC;
SELECT ELT(FLOOR(RAND() * 3) + 1, '김', '이', '박'), CONCAT(name, '님'), FLOOR(RAND() * 100)
  FROM students LIMIT 3;
CREATE TABLE warm_up (id INT PRIMARY KEY, name VARCHAR(20), kor INT, age INT);
INSERT INTO warm_up VALUES (1, '김민준', 50, 15), (2, '이서연', 60, 16), (3, '박도윤', 70, 17),
  (4, '최하은', 80, 18), (5, '정시우', 90, 19), (6, '강지유', 50, 20), (7, '조주원', 60, 15),
  (8, '윤서윤', 70, 16), (9, '장하준', 80, 17), (10, '임지민', NULL, 18);
WITH RECURSIVE chain (id, depth) AS (SELECT id, 0 FROM employees WHERE manager_id IS NULL
  UNION ALL SELECT e.id, c.depth + 1 FROM employees e JOIN chain c ON e.manager_id = c.id)
  SELECT COUNT(*) AS people, MAX(depth) AS levels FROM chain;
SELECT a.id, b.id FROM warm_up a JOIN warm_up b ON a.kor = b.kor AND a.id < b.id WHERE a.id <= 8 LIMIT 5;
UPDATE warm_up SET kor = kor + 1 WHERE id < 5;
DELETE FROM warm_up WHERE id > 8;
DROP TABLE warm_up";

/// The warm-up's progress.
pub struct WarmUp {
    stage: Stage,
    /// The statements not run yet.
    statements: std::vec::IntoIter<ScriptStatement>,
    /// How many statements have run.
    ran: usize,
}

enum Stage {
    NotStarted,
    /// The throwaway engine the statements run on.
    Running(Box<Engine>),
    Done,
}

impl Default for WarmUp {
    fn default() -> Self {
        Self::new()
    }
}

impl WarmUp {
    /// A warm-up that has taken no step yet.
    pub fn new() -> Self {
        // (Not the course's examples themselves: their text would weigh on the worker's
        // download; these statements are of the same kinds.)
        Self {
            stage: Stage::NotStarted,
            statements: split_script(FAMILIES).into_iter(),
            ran: 0,
        }
    }

    /// Whether the next step is one to take without waiting for the worker to be idle: the
    /// throwaway database, then the first query.
    pub fn eager(&self) -> bool {
        self.ran == 0 && !matches!(self.stage, Stage::Done)
    }

    /// Takes the next step: `None` once there is none left, else whether it went without an
    /// error (a warm-up that fails only compiles less; the tests hold it to no errors). The
    /// first step builds the database, each of the others runs one statement.
    pub fn step(&mut self, clock: &dyn Clock) -> Option<bool> {
        // Done unless this step says otherwise: a failed start or the last statement ends
        // it, and the throwaway engine's memory goes back.
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Done => None,
            Stage::NotStarted => match example_engine(&EngineOptions::default(), clock) {
                Ok(engine) => {
                    self.stage = Stage::Running(Box::new(engine));
                    Some(true)
                }
                Err(_) => Some(false),
            },
            Stage::Running(mut engine) => {
                let stmt = self.statements.next()?;
                let ok = engine.run_statement(&stmt, clock).is_ok();
                self.ran += 1;
                self.stage = Stage::Running(engine);
                Some(ok)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FixedClock;

    #[test]
    fn the_warm_up_runs_the_course_without_an_error_and_ends() {
        let clock = FixedClock { epoch_ms: 0 };
        let mut warm = WarmUp::new();
        let mut steps = 0;
        let mut eager = 0;
        while warm.eager() {
            assert!(warm.step(&clock) == Some(true), "step {steps}");
            steps += 1;
            eager += 1;
        }
        // The database and the first query are taken at once.
        assert_eq!(eager, 2);
        while let Some(ok) = warm.step(&clock) {
            assert!(ok, "step {steps}");
            assert!(!warm.eager());
            steps += 1;
        }
        // The database, then eleven families.
        assert_eq!(steps, 12);
        assert!(matches!(warm.stage, Stage::Done));
        assert_eq!(warm.step(&clock), None);
    }
}
