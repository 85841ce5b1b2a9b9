//! The layering, checked rather than remembered:
//! - the page (the root package) cannot reach GlueSQL: it is not in its dependency graph;
//! - the model reaches no browser crate (leptos, web-sys, gloo, wasm-bindgen) and no GlueSQL;
//!   the engine depends on no browser crate itself (GlueSQL's own wasm support aside);
//! - every Rust source file says what lives there in a `//!` line.
//!
//! The graph is read from `Cargo.lock`, which lists every package with its dependencies.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Package name → the names of its dependencies, from `Cargo.lock`.
fn lock_graph() -> BTreeMap<String, Vec<String>> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let name = block
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_owned())
            .expect("a package has a name");
        let deps = match block.split("dependencies = [").nth(1) {
            Some(list) => list
                .split(']')
                .next()
                .unwrap_or("")
                .lines()
                .filter_map(|l| l.trim().strip_prefix('"'))
                .map(|d| d.split([' ', '"']).next().unwrap_or("").to_owned())
                .collect(),
            None => vec![],
        };
        graph.entry(name).or_default().extend(deps);
    }
    graph
}

fn reachable(graph: &BTreeMap<String, Vec<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(p) = stack.pop() {
        if seen.insert(p.clone()) {
            stack.extend(graph.get(&p).cloned().unwrap_or_default());
        }
    }
    seen
}

#[test]
fn the_page_cannot_reach_the_engine() {
    let graph = lock_graph();
    let page = reachable(&graph, "sqlnori-web");
    assert!(
        page.contains("sqlnori-model"),
        "the page depends on the model"
    );
    for forbidden in ["sqlnori-engine", "gluesql-core", "gluesql_memory_storage"] {
        assert!(!page.contains(forbidden), "the page reaches {forbidden}");
    }
}

const BROWSER: [&str; 5] = [
    "leptos",
    "web-sys",
    "js-sys",
    "gloo-storage",
    "wasm-bindgen",
];

#[test]
fn the_model_and_the_engine_know_no_browser() {
    let graph = lock_graph();
    let model = reachable(&graph, "sqlnori-model");
    for forbidden in BROWSER.iter().chain(&["gluesql-core", "sqlnori-engine"]) {
        assert!(!model.contains(*forbidden), "the model reaches {forbidden}");
    }
    let engine = graph
        .get("sqlnori-engine")
        .expect("the engine is in the lock");
    for browser in BROWSER {
        assert!(
            !engine.iter().any(|d| d == browser),
            "the engine depends on {browser}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_says_what_lives_there() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for krate in ["model", "engine", "worker", "cli"] {
        for dir in ["src", "tests", "examples"] {
            let path = root().join("crates").join(krate).join(dir);
            if path.is_dir() {
                rust_files(&path, &mut files);
            }
        }
    }
    assert!(files.len() > 40, "found only {} files", files.len());
    let silent: Vec<String> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(silent.is_empty(), "files without a //! line: {silent:?}");
}
