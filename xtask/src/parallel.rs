//! Work shared among the machine's cores.
//!
//! schema-emit keeps its own copy for emitting modules; this one is xtask's, so xtask does not
//! reach into an engine's internals for a thread pool. Both are `std::thread::scope` and an
//! atomic counter: rayon would be one copy, at the compile time of four more crates.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over `items` on up to as many threads as the machine has cores, results in input
/// order. Items are handed out one at a time, so uneven jobs still keep every core busy.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break done };
            done.push((index, f(item)));
        }
    };
    // The calling thread is one of the workers: one thread fewer to start, and what it
    // makes is freed later by the thread that made it (cheaper than freeing another's).
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut results = work();
        for handle in handles {
            results.extend(handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        results
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_input_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..64).rev().collect();
        let out = super::map(&items, |&n| {
            std::thread::sleep(std::time::Duration::from_micros(n * 10));
            n * 2
        });
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |_| 0).is_empty());
    }
}
