//! Any depth without a stack overflow.
//!
//! Folding, merging, cloning, dropping and building schemas all follow the nesting of the
//! JSON, so a deep sample means deep recursion. Every recursive step runs through [`deep`],
//! which continues on a fresh stack segment (allocated on the heap by `stacker`) whenever the
//! current one runs low. Depth is then bounded by memory, not by the thread's stack: a
//! sample nested 100,000 levels deep is inferred like any other.

/// Room left on the stack below which the next step moves to a new segment. A step of the
/// fold passes through serde_json's parser between two calls, so this leaves it ample room.
const RED_ZONE: usize = 128 * 1024;

/// Size of each new stack segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `step` (one level of a recursion over nested JSON) with enough stack.
pub(crate) fn deep<R>(step: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, step)
}
