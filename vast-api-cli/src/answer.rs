//! What one call of an operation came to, as each generated `execute_*` returns it (`cargo
//! xtask gen`'s `cli_dispatch` rewrite): the caller decides what to print.

use vast_api::{Error, ResponseValue};

pub enum Answer {
    /// A success; its body as the server sent it is the response capture's last.
    Succeeded,
    /// The call failed: the error, its typed body dropped (the CLI prints the sentence and the
    /// server's message, which the error keeps).
    Failed(Error),
}

impl Answer {
    pub fn of<T, E>(result: Result<ResponseValue<T>, Error<E>>) -> Self {
        match result {
            Ok(_) => Answer::Succeeded,
            Err(e) => Answer::Failed(e.into_untyped()),
        }
    }
}
