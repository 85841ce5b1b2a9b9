//! Every snapshot format ever written must keep loading: the golden files in
//! `crates/model/tests/golden/` (one per version) are restored and must give the database
//! they were made from (compared through its `.sql` dump).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use sqlnori_engine::{Engine, FixedClock, RunOptions};
use std::path::Path;

/// The dump a golden snapshot must give; `UPDATE_EXPECT=1` rewrites it when the dump's layout
/// changes on purpose (the snapshot files themselves are never rewritten).
fn expected_dump(actual: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/tests/golden/snapshot-v1.dump.sql");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).expect("write the expected dump");
    }
    golden("snapshot-v1.dump.sql")
}

fn golden(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../model/tests/golden")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn version_1_snapshots_migrate_to_the_same_database() {
    let engine = Engine::from_snapshot_json(&golden("snapshot-v1.json")).expect("v1 loads");
    let dump = engine.dump_sql();
    assert_eq!(dump, expected_dump(&dump));
    assert!(engine.in_transaction(), "the open BEGIN survives");
    // Defaults, keys and the transaction still work after the migration.
    let clock = FixedClock { epoch_ms: 0 };
    let mut engine = engine;
    let r = engine.run_script(
        "ROLLBACK; SELECT COUNT(*) FROM employees; INSERT INTO kinds (code) VALUES ('C'); \
         SELECT id, t, n FROM kinds WHERE code = 'C'; INSERT INTO kinds (code) VALUES ('C')",
        RunOptions { force: true },
        &clock,
    );
    assert_eq!(r[1].to_json_line()["rows"], serde_json::json!([[8]]));
    assert_eq!(
        r[3].to_json_line()["rows"],
        serde_json::json!([[4, "x", 3]])
    );
    assert!(!r[4].is_ok(), "UNIQUE still holds");
}

#[test]
fn version_2_snapshots_load_to_the_same_database() {
    let text = golden("snapshot-v2.json");
    let engine = Engine::from_snapshot_json(&text).expect("v2 loads");
    assert_eq!(engine.dump_sql(), golden("snapshot-v1.dump.sql"));
    // This build writes version 2 exactly as it was written when the file was made.
    assert_eq!(engine.snapshot_json(), text);
}
