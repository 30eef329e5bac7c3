//! What one call of an operation came to: the caller decides what to print.

use vast_api::{Error, ResponseValue};

pub enum Answer {
    /// A success; its body as the server sent it is the response capture's last.
    Succeeded,
    /// The call failed: the error, its typed body dropped (the CLI prints the sentence and the
    /// server's message, which the error keeps).
    Failed(Error),
}

impl Answer {
    pub fn of<T>(result: Result<ResponseValue<T>, Error<serde_json::Value>>) -> Self {
        match result {
            Ok(_) => Answer::Succeeded,
            Err(e) => Answer::Failed(e.into_untyped()),
        }
    }
}
