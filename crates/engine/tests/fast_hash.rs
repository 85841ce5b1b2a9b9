//! GlueSQL's fast hasher (a sqlnori patch, `gluesql_core::fast_hash`) keeps keys apart: the
//! executor's GROUP BY, DISTINCT and hash joins key their tables through it.

use gluesql_core::fast_hash::{FastHasher, FastSet};
use std::hash::Hasher;

#[test]
fn keeps_integers_and_texts_apart() {
    let mut set = FastSet::default();
    for i in 0..10_000_i64 {
        assert!(set.insert(i.to_string()));
        assert!(set.insert(format!("학생{i}")));
    }
    assert_eq!(set.len(), 20_000);
    assert!(set.contains("1234") && set.contains("학생9999") && !set.contains("학생10000"));
}

#[test]
fn a_text_and_the_same_text_with_a_zero_byte_differ() {
    let hash = |bytes: &[u8]| {
        let mut h = FastHasher::default();
        h.write(bytes);
        h.finish()
    };
    assert_ne!(hash(b"ab"), hash(b"ab\0"));
    assert_ne!(hash(b"12345678"), hash(b"12345678\0"));
    assert_eq!(hash("김민준".as_bytes()), hash("김민준".as_bytes()));
}

#[test]
fn small_integers_fill_the_low_bits() {
    // hashbrown picks a bucket by the low bits: 1,024 consecutive ids must not crowd into a
    // few of 1,024 buckets.
    let buckets: std::collections::HashSet<u64> = (0..1024_u64)
        .map(|i| {
            let mut h = FastHasher::default();
            h.write_u64(i);
            h.finish() & 1023
        })
        .collect();
    assert!(buckets.len() > 600, "{} buckets of 1024", buckets.len());
}
