//! `docs/functions.md` is the function catalogue as a page: this test fails when the two part,
//! and `UPDATE_EXPECT=1` writes the page anew.
#![allow(clippy::expect_used)]

#[test]
fn the_functions_page_is_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/functions.md");
    let expected = sqlnori_model::catalog::reference_markdown();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &expected).expect("write docs/functions.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/functions.md is not the catalogue: run UPDATE_EXPECT=1 cargo test -p sqlnori-model --test functions_reference"
    );
}
