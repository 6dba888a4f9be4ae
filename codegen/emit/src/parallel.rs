//! Work shared among the machine's cores, without oversubscribing them.
//!
//! A thread of [`parallel_map`] is marked a worker: any parallel work it starts in turn (a
//! module's parts, a large module's halves) runs on that thread, since the other cores are
//! busy already. xtask keeps its own copy (`xtask/src/parallel.rs`) rather than reach into
//! the emitter's internals.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs its closure when dropped.
struct Restore<F: FnMut()>(F);

impl<F: FnMut()> Drop for Restore<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

thread_local! {
    /// Set on [`parallel_map`]'s threads, the calling thread included, while they work.
    static WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The cores work may be shared among: the machine's, or one on a thread of
/// [`parallel_map`] (the others are busy already).
pub(crate) fn free_cores() -> usize {
    if WORKER.with(std::cell::Cell::get) {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` over `items` on up to as many threads as the machine has cores, results in order.
/// typify is single-threaded, but modules are independent, and so is the preparation of a
/// module's definitions for it.
///
/// Called on one of its own threads (a module's work inside
/// [`emit_modules`](crate::rust::emit_modules)), it runs on
/// that thread: the cores are busy already.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = free_cores().min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let was_worker = WORKER.with(|worker| worker.replace(true));
        let _restore = Restore(move || WORKER.with(|worker| worker.set(was_worker)));
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
