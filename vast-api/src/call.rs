//! The call runtime: each generated operation's `send()`, and each untyped call
//! (`Client::send_json`), runs its request through [`run`], in
//! a task-local [`CallRecord`] the hooks write what they see into ([`note`]), and gets its
//! [`Error`] made from it at the end.

use std::cell::RefCell;
use std::future::Future;

use crate::Client;
use crate::call_record::CallRecord;
use crate::error::Error;

tokio::task_local! {
    static CALL: RefCell<CallRecord>;
}

/// Lets the hooks note what they see about the call in progress (and read it back); outside
/// [`run`] (a hook run by hand) there is nothing to note into.
pub(crate) fn note<R>(f: impl FnOnce(&mut CallRecord) -> R) -> Option<R> {
    CALL.try_with(|record| f(&mut record.borrow_mut())).ok()
}

/// Runs one operation's request (`send`, as progenitor wrote it, or `json_call`'s) and turns its
/// error into an [`Error`]. The generated `send()` calls this (see `cargo xtask gen`), and
/// `Client::send_json`, with the operation's method and path template, which name its span under
/// the `tracing` feature.
pub(crate) async fn run<T, E>(
    client: &Client,
    method: &'static str,
    path: &'static str,
    send: impl Future<Output = Result<T, progenitor_client::Error<E>>>,
) -> Result<T, Error<E>> {
    #[cfg(feature = "tracing")]
    let (span, started) = (
        tracing::info_span!(
            "vast_api.request",
            method,
            path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        ),
        std::time::Instant::now(),
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (method, path);
    let scoped = CALL.scope(RefCell::new(CallRecord::default()), async {
        let result = send.await;
        (result, CALL.with(|record| record.take()))
    });
    #[cfg(feature = "tracing")]
    let scoped = tracing::Instrument::instrument(scoped, span.clone());
    let (result, record) = scoped.await;
    #[cfg(feature = "tracing")]
    {
        if let Some(status) = record.status {
            span.record("status", status.as_u16());
        }
        span.record("attempts", record.attempts);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    }
    match result {
        Ok(value) => Ok(value),
        Err(e) => Err(Error::new(e, record, client).await),
    }
}
