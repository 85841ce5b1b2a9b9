//! sqlnori's model: the plain data and the rules that need no engine and no browser.
//!
//! Results, traces and their text rendering, the page ⇄ worker protocol, the stored session
//! and share-link formats, statement splitting, the editor's helpers (highlighting,
//! completion, line edits), the function catalogue, export and CSV import, the stepper and
//! the course's examples as text. The page depends on this crate only; the engine crate
//! (GlueSQL) depends on it too, never the other way round.
//!
//! Architecture invariant: nothing here knows about the browser (no leptos, web-sys, gloo or
//! wasm-bindgen) or about GlueSQL, and nothing reads a clock or an OS random source.

pub mod accounts;
pub mod catalog;
pub mod csv;
pub mod diagnostics;
pub mod editor;
pub mod error;
pub mod examples;
pub mod export;
pub mod korean;
pub mod lesson;
pub mod lexer;
pub mod picture;
pub mod protocol;
pub mod render;
pub mod result;
pub mod rng;
pub mod schema;
pub mod session;
pub mod share;
pub mod snapshot;
pub mod sort;
pub mod split;
pub mod sql_text;
pub mod stepper;
pub mod timeline;
pub mod trace;

pub use error::{FormatError, Localized};
pub use result::{Cell, Column, Output, StatementError, StatementResult};
pub use schema::{ColumnInfo, ColumnRef, TableInfo};
pub use split::{split_script, ScriptStatement, SourceSpan};
