//! Turning a generator panic into an error message instead of a backtrace.
//!
//! progenitor asserts and `todo!()`s on constructs it does not handle. The normaliser's rules avoid
//! the known ones; this catches the rest so `cargo xtask gen` can name the operation instead.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message, and prints nothing.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let text = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let first_line = text.lines().next().unwrap_or_default().to_string();
                MESSAGE.set(Some(first_line));
            } else {
                default(info);
            }
        }));
    });
    CAPTURING.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.set(false);
    result.map_err(|_| MESSAGE.take().unwrap_or_else(|| "(no message)".into()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_its_message() {
        let r: Result<(), String> = super::catch(|| panic!("assertion failed: x <= 1\nmore"));
        assert_eq!(r.unwrap_err(), "assertion failed: x <= 1");
        assert_eq!(super::catch(|| 7).unwrap(), 7);
    }
}
