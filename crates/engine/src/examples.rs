//! The course's database as an engine: the examples' setup script (see the model's
//! `examples`) run into a fresh engine.

use crate::{Clock, Engine, EngineOptions, RunOptions};
use sqlnori_model::examples::{setup_script, DEFAULT_DB};

/// A fresh engine loaded with the course's tables. Fails only if the built-in script does,
/// which the tests rule out.
pub fn example_engine(options: &EngineOptions, clock: &dyn Clock) -> Result<Engine, String> {
    let mut engine = Engine::new(options, DEFAULT_DB);
    let results = engine.run_script(&setup_script(options.seed), RunOptions::default(), clock);
    match results.iter().find(|r| !r.is_ok()) {
        Some(r) => Err(format!("example setup failed at: {}", r.sql)),
        None => {
            // The learner's session starts here, as a fresh MySQL connection would.
            engine.state.last_insert_id = 0;
            engine.row_count = -1;
            Ok(engine)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FixedClock;
    use sqlnori_model::examples::{course_examples, STUDENT_ROWS};

    #[test]
    fn the_whole_course_runs_statement_by_statement_and_traced() {
        let clock = FixedClock { epoch_ms: 0 };
        let mut engine = example_engine(&EngineOptions::default(), &clock).expect("setup");
        let course = course_examples().pop().expect("the whole-course entry");
        assert_eq!(course.id, "course");
        let statements = sqlnori_model::split_script(&course.sql);
        assert_eq!(statements.len(), 20, "the course has 20 statements");
        for stmt in &statements {
            let (result, _) = engine.trace_statement(stmt, &clock);
            assert!(result.is_ok(), "{}: {:?}", stmt.sql, result.outcome);
        }
    }

    #[test]
    fn examples_database_loads() {
        let engine = example_engine(&EngineOptions::default(), &FixedClock { epoch_ms: 0 })
            .expect("setup script runs");
        let schema = engine.schema();
        let names: Vec<_> = schema.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["employees", "students"]);
        assert_eq!(schema[1].row_count, STUDENT_ROWS as u64);
    }
}
