//! One stable sort for every caller in the engine and the model.
//!
//! The standard library's sort is compiled anew for each element type and each comparison
//! closure, about 4 KB of wasm every time; the worker held forty copies of it. Here the items'
//! indices are sorted once, through one comparison behind a `dyn`, and the items are put in
//! that order. A call costs a `Vec` of indices and an indirect call per comparison, nothing a
//! learner's table notices.

use std::cmp::Ordering;

/// The positions of `len` items in sorted order (stable: equal items keep their order).
// The one place the standard sort is compiled (clippy.toml sends every other caller here).
#[allow(clippy::disallowed_methods)]
fn order(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `items` by `cmp`, stably, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items = &*items;
        order(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `items` by the key `key` gives each, stably, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order, stably, as `slice::sort` does.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // compared with the standard sort
mod tests {
    use super::*;

    #[test]
    fn it_sorts_as_the_standard_library_does_and_keeps_equal_items_in_order() {
        // A small generator, so the test repeats exactly.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in [0, 1, 2, 3, 7, 20, 33, 100, 1_000] {
            let items: Vec<(u64, usize)> = (0..len).map(|i| (next() % 10, i)).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "{len} items");
            let mut by_key = items.clone();
            sort_by_key(&mut by_key, |x| std::cmp::Reverse(x.0));
            let mut std = items.clone();
            std.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(by_key, std, "{len} items, by key");
            let mut whole = items.clone();
            sort(&mut whole);
            let mut std = items;
            std.sort();
            assert_eq!(whole, std, "{len} items, whole");
        }
    }

    #[test]
    fn items_without_copy_or_clone_move_into_place() {
        let mut names: Vec<String> = ["민수", "영희", "철수", "가영"].map(String::from).into();
        sort(&mut names);
        assert_eq!(names, ["가영", "민수", "영희", "철수"]);
    }
}
