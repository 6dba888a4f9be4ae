//! Running code that may panic (a contract's sample factory) and turning the panic into a
//! message with its place, without the default hook printing a backtrace.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// While set, panics on this thread are recorded here instead of printed.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs, once per process, a hook that records panics on threads inside [`catch`] and
/// hands every other panic to the hook installed before it.
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let recorded = CAUGHT.with(|caught| {
                let mut caught = caught.borrow_mut();
                let slot = caught.as_mut()?;
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".to_owned());
                let place =
                    info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
                *slot = Some(format!("{message}{place}"));
                Some(())
            });
            if recorded.is_none() {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic becomes `Err("message (file:line)")`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CAUGHT.with(|caught| *caught.borrow_mut() = Some(None));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    let message = CAUGHT.with(|caught| caught.borrow_mut().take().flatten());
    outcome.map_err(|_| message.unwrap_or_else(|| "a panic without a message".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_place() {
        let error = catch(|| -> u8 { panic!("factory exploded") }).unwrap_err();
        assert!(error.starts_with("factory exploded (xtask/src/panics.rs:"), "{error}");
        assert_eq!(catch(|| 7), Ok(7));
    }
}
