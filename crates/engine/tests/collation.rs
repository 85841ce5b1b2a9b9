//! GlueSQL's collation (a sqlnori patch, `gluesql_core::data::collation`): text compares as
//! MySQL's default collation compares it. Hangul and CJK ideographs take a shortcut there
//! (they weigh as themselves without a case table's search); this holds the shortcut to what
//! the case tables say of every one of those characters.

use gluesql_core::data::collation::folded;

/// The ranges the shortcut covers: Hangul syllables, jamo, compatibility jamo, CJK ideographs.
const NO_CASE: [(char, char); 4] = [
    ('\u{ac00}', '\u{d7a3}'),
    ('\u{1100}', '\u{11ff}'),
    ('\u{3130}', '\u{318f}'),
    ('\u{4e00}', '\u{9fff}'),
];

#[test]
fn hangul_and_ideographs_weigh_as_themselves_as_the_case_tables_say() {
    let mut checked = 0;
    for (first, last) in NO_CASE {
        for c in first..=last {
            let text = c.to_string();
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lower case");
            assert!(folded(&text).eq([c]), "{c:?} is folded");
            checked += 1;
        }
    }
    assert_eq!(checked, 11_172 + 256 + 96 + 20_992);
}

#[test]
fn korean_names_compare_and_match_beside_latin_letters() {
    let weigh = |s: &str| folded(s).collect::<String>();
    assert_eq!(weigh("김민준 Kim"), "김민준 kim");
    assert_eq!(weigh("ＫＩＭ 이서연"), "kim 이서연");
    assert_ne!(weigh("김민준"), weigh("김민주"));
}
