//! GlueSQL alone in a page, for the floor bench (`scripts/bench-floor.sh`): one in-memory
//! database and `run(sql)`, which executes a script and answers with its last payload as text.
//! What any playground built on GlueSQL and sqlparser must download and start, before anything
//! of its own.

use gluesql_core::prelude::Glue;
use gluesql_memory_storage::MemoryStorage;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static GLUE: RefCell<Glue<MemoryStorage>> = RefCell::new(Glue::new(MemoryStorage::default()));
}

/// Runs `sql` on the page's database: its last payload, printed as GlueSQL prints it, or the
/// error's message.
#[wasm_bindgen]
pub fn run(sql: &str) -> String {
    GLUE.with(|glue| match glue.borrow_mut().execute(sql) {
        Ok(payloads) => format!("{:?}", payloads.last()),
        Err(error) => format!("error: {error}"),
    })
}
