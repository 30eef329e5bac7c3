//! An answer that names a `result_url` (`show logs`, `execute`): the result is fetched (by the
//! library, without the API key) and printed as text, as `vastai logs` does; `--raw` prints the
//! answer's JSON instead and fetches nothing.

use vast_api::results::{self, ResultError};

use crate::failure::{Exit, Failure};
use crate::redact;
use crate::render::{self, Layout};

/// Whether `body`, an answer, is printed by [`print_result`] rather than as itself.
pub fn fetches(raw: bool, body: &[u8]) -> bool {
    !raw && results::result_url(body).is_some()
}

/// Fetches the result `body` names and prints it: on a terminal with what would act on it
/// escaped, in a pipe as it came. The answer's `writeable_path`, the instance's folder the
/// text names, is taken out, as `vastai execute` does. `None` when Ctrl-C ended the wait.
pub fn print_result(
    runtime: &tokio::runtime::Runtime,
    body: &[u8],
    layout: Layout,
) -> Option<Result<(), Failure>> {
    let url = results::result_url(body)?;
    let fetched = runtime.block_on(async {
        tokio::select! {
            text = results::fetch_result(&url, results::RESULT_WAIT) => Some(text),
            _ = tokio::signal::ctrl_c() => None,
        }
    })?;
    Some(fetched.map_err(failure).and_then(|text| {
        let text = match writeable_path(body) {
            Some(path) => text.replace(&path, ""),
            None => text,
        };
        let printed = redact::stream_stdout(|out| {
            match layout {
                Layout::Terminal => render::raw_for_terminal(text.as_bytes(), out)?,
                Layout::Pipe => out.write_all(text.as_bytes())?,
            }
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        });
        printed.map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")))
    }))
}

fn writeable_path(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Answer {
        writeable_path: Option<String>,
    }
    let path = serde_json::from_slice::<Answer>(body)
        .ok()?
        .writeable_path?;
    (!path.is_empty()).then_some(path)
}

fn failure(e: ResultError) -> Failure {
    let exit = match e {
        ResultError::Config(_) => Exit::Usage,
        ResultError::Http { .. } => Exit::Unreachable,
        _ => Exit::Failure,
    };
    Failure::new(exit, e.to_string()).hint("--raw prints the answer with its result_url instead")
}
