//! Waiting for a rented instance to run: [`Client::wait_for_instance`](crate::Client) polls
//! `show instance` with backoff until its `actual_status` is `running`, within an overall limit.
//!
//! The spec warns of a poll trap: an instance whose `actual_status` becomes `exited`, `unknown`
//! or `offline` while it is meant to run never reaches `running`; the way out is to destroy it
//! and rent another. Waiting stops there at once with [`WaitError::WillNotRun`] rather than
//! polling until the limit.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::Error;

/// The statuses the spec names as the poll trap.
pub const NEVER_RUNNING: &[&str] = &["exited", "unknown", "offline"];

/// How long and how often to poll; `WaitOptions::default()` waits up to 10 minutes, polling
/// after 2 s, then each gap 1.5 times the last, up to 30 s.
#[derive(Clone)]
pub struct WaitOptions {
    max_wait: Duration,
    interval: Duration,
    max_interval: Duration,
    on_change: Option<OnChange>,
}

/// What [`WaitOptions::on_change`] calls.
type OnChange = Arc<dyn Fn(&InstanceState) + Send + Sync>;

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(600),
            interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            on_change: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("max_wait", &self.max_wait)
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .finish_non_exhaustive()
    }
}

impl WaitOptions {
    /// The overall limit: past it the wait ends with [`WaitError::TimedOut`]. Each request
    /// keeps the client's own timeout and retries within it.
    pub fn max_wait(mut self, limit: Duration) -> Self {
        self.max_wait = limit;
        self
    }

    /// The gap before the second poll; each later gap is 1.5 times the last, up to
    /// [`max_interval`](Self::max_interval).
    pub fn interval(mut self, first: Duration) -> Self {
        self.interval = first;
        self
    }

    /// The longest gap between polls.
    pub fn max_interval(mut self, longest: Duration) -> Self {
        self.max_interval = longest;
        self
    }

    /// Called with the instance's state at the first poll and whenever its status changes.
    pub fn on_change(mut self, f: impl Fn(&InstanceState) + Send + Sync + 'static) -> Self {
        self.on_change = Some(Arc::new(f));
        self
    }
}

/// An instance as `show instance` last described it: the fields a wait reads, and the whole
/// object as the server sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceState {
    /// The instance's id (the `new_contract` of `create instance`).
    pub id: i64,
    /// What the instance is doing: `loading`, `running`, `exited`, …; `None` before the server
    /// lists it.
    pub actual_status: Option<String>,
    /// What it is meant to do: `running`, `stopped`.
    pub intended_status: Option<String>,
    /// The server's words about the status, if any.
    pub status_msg: Option<String>,
    /// Where to ssh to, once it runs.
    pub ssh_host: Option<String>,
    /// The ssh port on that host.
    pub ssh_port: Option<u64>,
    /// The instance object as received (`Value::Null` before the server lists it).
    pub instance: Value,
}

impl InstanceState {
    /// Reads the instance from a `show instance` body: its `instances` object, or the body
    /// itself when the fields are at the top.
    pub fn from_body(id: i64, body: Value) -> Self {
        let instance = match body {
            Value::Object(mut top) if !top.contains_key("actual_status") => {
                top.remove("instances").unwrap_or(Value::Null)
            }
            other => other,
        };
        let text = |field: &str| {
            instance
                .get(field)
                .and_then(Value::as_str)
                .map(String::from)
        };
        Self {
            id,
            actual_status: text("actual_status"),
            intended_status: text("intended_status"),
            status_msg: text("status_msg"),
            ssh_host: text("ssh_host"),
            ssh_port: instance.get("ssh_port").and_then(|p| {
                p.as_u64()
                    .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
            }),
            instance,
        }
    }

    /// Whether it runs.
    pub fn is_running(&self) -> bool {
        self.actual_status.as_deref() == Some("running")
    }

    /// The poll trap: a status from which it never reaches `running` while it is meant to run.
    pub fn will_not_run(&self) -> bool {
        let meant_to_run = matches!(self.intended_status.as_deref(), None | Some("running"));
        meant_to_run
            && self
                .actual_status
                .as_deref()
                .is_some_and(|s| NEVER_RUNNING.contains(&s))
    }

    /// `ssh -p PORT root@HOST`, when the server gave both (the host as [`crate::text::shown`]
    /// makes it safe to print).
    pub fn ssh_command(&self) -> Option<String> {
        let (host, port) = (self.ssh_host.as_deref()?, self.ssh_port?);
        Some(format!("ssh -p {port} root@{}", crate::text::shown(host)))
    }

    /// What changes are reported on: the status pair.
    fn status(&self) -> (Option<&str>, Option<&str>) {
        (
            self.actual_status.as_deref(),
            self.intended_status.as_deref(),
        )
    }
}

/// Why a wait ended without the instance running.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// The poll trap: the instance is `exited`, `unknown` or `offline` while meant to run, and
    /// will never run; destroy it and rent another.
    WillNotRun(InstanceState),
    /// The overall limit passed first.
    TimedOut {
        /// The limit.
        limit: Duration,
        /// The last state seen, if a poll answered.
        last: Option<InstanceState>,
    },
    /// A poll failed (after the client's own retries).
    Api(Error<E>),
}

impl<E> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::WillNotRun(state) => {
                let status = state.actual_status.as_deref().unwrap_or_default();
                write!(
                    f,
                    "instance {} is {status} and will never reach running",
                    state.id
                )?;
                match &state.status_msg {
                    Some(msg) => write!(f, " ({})", crate::text::said(msg, None)),
                    None => Ok(()),
                }
            }
            WaitError::TimedOut { limit, last } => {
                let status = last
                    .as_ref()
                    .and_then(|s| s.actual_status.as_deref())
                    .unwrap_or("not listed yet");
                write!(
                    f,
                    "the instance is not running after {} (last status: {})",
                    duration_text(*limit),
                    crate::text::shown(status)
                )
            }
            WaitError::Api(e) => write!(f, "{e}"),
        }
    }
}

/// No `source()`, as [`Error`] has none: each message says its cause itself.
impl<E: fmt::Debug> std::error::Error for WaitError<E> {}

/// `90 s`, `10 min`, `1 h 30 min`: a limit as messages show it.
pub fn duration_text(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) if d.subsec_millis() == 0 => format!("{s} s"),
        (0, 0, _) => format!("{} s", d.as_secs_f64()),
        (0, m, 0) => format!("{m} min"),
        (h, 0, 0) => format!("{h} h"),
        _ => format!("{secs} s"),
    }
}

/// Polls with `fetch` (a `show instance` body) until the instance runs, falls into the trap,
/// or the limit passes. A poll rate limited past the client's retries is not the end: the
/// gap doubles and polling goes on. [`Client::wait_for_instance`](crate::Client) fetches with
/// the typed `show_instance`; a caller without it (`vast`, which calls operations untyped)
/// passes its own fetch.
pub async fn until_running<E, F, Fut>(
    id: i64,
    options: &WaitOptions,
    mut fetch: F,
) -> Result<InstanceState, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Value, Error<E>>>,
{
    let deadline = tokio::time::Instant::now() + options.max_wait;
    let timed_out = |last| WaitError::TimedOut {
        limit: options.max_wait,
        last,
    };
    let (mut gap, mut last): (Duration, Option<InstanceState>) = (options.interval, None);
    loop {
        let polled = tokio::time::timeout_at(deadline, fetch()).await;
        let Ok(polled) = polled else {
            return Err(timed_out(last));
        };
        match polled {
            Ok(body) => {
                let state = InstanceState::from_body(id, body);
                if last.as_ref().map(InstanceState::status) != Some(state.status())
                    && let Some(report) = &options.on_change
                {
                    report(&state);
                }
                if state.is_running() {
                    return Ok(state);
                }
                if state.will_not_run() {
                    return Err(WaitError::WillNotRun(state));
                }
                last = Some(state);
            }
            Err(e) if e.status().is_some_and(|s| s == 429) => gap *= 2,
            Err(e) => return Err(WaitError::Api(e)),
        }
        if tokio::time::Instant::now() + gap >= deadline {
            tokio::time::sleep_until(deadline).await;
            return Err(timed_out(last));
        }
        tokio::time::sleep(gap).await;
        gap = gap
            .mul_f64(1.5)
            .min(options.max_interval.max(options.interval));
    }
}

#[cfg(vast_op = "show_instance")]
impl crate::Client {
    /// Polls `show instance` for instance `id` (the `new_contract` of `create instance`) until
    /// its `actual_status` is `running`, and returns its state (with
    /// [`ssh_command`](InstanceState::ssh_command)). Ends early at the poll trap
    /// ([`WaitError::WillNotRun`]), at the limit ([`WaitError::TimedOut`]), or when a poll
    /// fails ([`WaitError::Api`]).
    pub async fn wait_for_instance(
        &self,
        id: i64,
        options: WaitOptions,
    ) -> Result<
        InstanceState,
        WaitError<<crate::builder::ShowInstance<'static> as crate::Operation>::Error>,
    > {
        until_running(id, &options, || async move {
            let body = self
                .show_instance()
                .id(crate::Id(id))
                .send()
                .await?
                .into_inner();
            Ok(serde_json::to_value(body).unwrap_or(Value::Null))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_instance_is_read_from_its_field_or_the_top() {
        let nested = json!({"instances": {"actual_status": "running", "intended_status": "running",
            "ssh_host": "ssh4.vast.ai", "ssh_port": 22014}});
        let state = InstanceState::from_body(7, nested);
        assert!(state.is_running());
        assert_eq!(
            state.ssh_command().as_deref(),
            Some("ssh -p 22014 root@ssh4.vast.ai")
        );
        let top = json!({"actual_status": "exited", "intended_status": "running"});
        assert!(InstanceState::from_body(7, top).will_not_run());
        let unlisted = InstanceState::from_body(7, json!({"instances": null}));
        assert_eq!(unlisted.actual_status, None);
        assert!(!unlisted.will_not_run());
    }

    #[test]
    fn the_servers_words_are_shown_safe() {
        let hostile = json!({"actual_status": "loading\u{1b}]0;x\u{7}\nok", "ssh_port": 22,
            "ssh_host": "h\u{202e}\u{1b}[2J"});
        let state = InstanceState::from_body(7, hostile);
        assert_eq!(
            state.ssh_command().as_deref(),
            Some("ssh -p 22 root@h\\u{202e}\\u{1b}[2J")
        );
        let timed_out = WaitError::<()>::TimedOut {
            limit: Duration::from_secs(60),
            last: Some(state),
        };
        assert_eq!(
            timed_out.to_string(),
            "the instance is not running after 1 min (last status: loading\\u{1b}]0;x\\u{7}\\u{a}ok)"
        );
    }

    #[test]
    fn a_stopped_instance_is_no_trap() {
        let stopped =
            json!({"instances": {"actual_status": "exited", "intended_status": "stopped"}});
        assert!(!InstanceState::from_body(7, stopped).will_not_run());
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(duration_text(Duration::from_secs(600)), "10 min");
        assert_eq!(duration_text(Duration::from_secs(45)), "45 s");
        assert_eq!(duration_text(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(duration_text(Duration::from_secs(7200)), "2 h");
    }
}
