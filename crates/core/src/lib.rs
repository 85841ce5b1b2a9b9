//! sqlnori's pure core: the MySQL teaching dialect over GlueSQL, the engine façade, the result
//! model, statement splitting, the worker protocol and the course's examples.
//!
//! Architecture invariant: nothing here knows about the browser (no leptos, web-sys, gloo or
//! wasm-bindgen), and nothing here reads a clock or an OS random source — time and seeds are
//! passed in, so every run is reproducible and tested natively.

pub mod csv;
pub mod dialect;
pub mod editor;
pub mod engine;
pub mod error;
pub mod examples;
pub mod export;
pub mod protocol;
pub mod result;
pub mod rng;
pub mod session;
pub mod share;
pub mod split;
pub mod trace;

pub use engine::{Clock, Engine, EngineOptions, FixedClock, RunOptions, Snapshot, TableInfo};
pub use error::{Localized, SqlError};
pub use result::{Cell, Column, Output, StatementError, StatementResult};
pub use split::{split_script, ScriptStatement, SourceSpan};
