//! When a request is tried again, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::text::seconds;

/// How failed attempts are retried: by what the server may have done with the request, not by
/// the name of its method.
///
/// | the attempt failed | GET, HEAD, OPTIONS, TRACE | any other method (PUT, POST, PATCH, DELETE) |
/// | --- | --- | --- |
/// | before anything was sent (the connection could not be made: refused, no route, a name that does not resolve, a connect timeout, a TLS handshake), or with 429 Too Many Requests | retried | retried |
/// | after the request was sent, or may have been, with no complete answer (a timeout once connected, a connection that broke, a body that broke off), or with 502, 503 or 504 | retried | not retried, unless [`with_retry_ambiguous`](Self::with_retry_ambiguous) |
/// | in any other way (another status, a response that is not HTTP, a redirect not followed) | not retried | not retried |
///
/// A failure of the first row left the server untouched: nothing reached it, or it refused the
/// request before acting on it. A failure of the second is ambiguous: the server may have
/// carried the request out, and sending it again could do it twice (`PUT /api/v0/asks/{id}/`
/// rents a machine: a second attempt could rent a second one). Only the methods RFC 9110
/// (§9.2.1) calls safe, which change nothing, are sent again then; for the others the error
/// says the request may have been carried out
/// ([`Error::may_have_been_carried_out`](crate::Error::may_have_been_carried_out)).
///
/// 503 Service Unavailable counts as ambiguous. RFC 9110 (§15.6.4) has it mean that the server
/// could not handle the request, but a proxy or load balancer in front of the server answers 503
/// too when the connection to the server broke after it passed the request on (Envoy does so
/// for an upstream reset or connection termination, its `UR` and `UC` flags), so a 503 does not
/// prove that nothing was done. Retrying it for a PUT could rent twice; not retrying it costs a
/// look at the instance list. A request body that cannot be copied (a stream) is never sent
/// twice.
///
/// The wait is the server's `Retry-After` when it sends one (a longer one than
/// [`max_retry_after`](Self::max_retry_after) ends the call at once), else exponential backoff
/// with jitter. No retry starts after the [`deadline`](Self::deadline).
///
/// ```
/// use std::time::Duration;
/// use vast_api::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_attempts(5)
///     .with_backoff(Duration::from_millis(200), Duration::from_secs(5))
///     .with_deadline(Duration::from_secs(30));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(policy.backoff(), (Duration::from_millis(200), Duration::from_secs(5)));
/// assert!(!policy.retries_ambiguous());
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// // At least one attempt, and no wait cap below the first wait.
/// let odd = RetryPolicy::default()
///     .with_attempts(0)
///     .with_backoff(Duration::from_secs(2), Duration::from_secs(1));
/// assert_eq!((odd.attempts(), odd.backoff().1), (1, Duration::from_secs(2)));
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub(crate) attempts: u32,
    pub(crate) ambiguous: bool,
    pub(crate) max_retry_after: Duration,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) deadline: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts in all (as the vendor CLI), waits from 0.5 s doubling up to 10 s, `Retry-After`
    /// honoured up to 60 s, 2 minutes for the whole call.
    fn default() -> Self {
        Self {
            attempts: 3,
            ambiguous: false,
            max_retry_after: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// No retries: each call is one attempt.
    pub fn none() -> Self {
        Self {
            attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Retry ambiguous failures (sent, no complete answer; 502, 503, 504) of every method, not
    /// only of the safe ones. This can carry out an action twice: a PUT that rents a machine, a
    /// POST that creates something. Only for calls known to be harmless to repeat.
    pub fn with_retry_ambiguous(mut self, yes: bool) -> Self {
        self.ambiguous = yes;
        self
    }

    /// The longest `Retry-After` waited for; a server asking for more ends the call at once.
    pub fn with_max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The first backoff wait, and the most any one wait grows to (at least the first).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// No retry starts when it would end after this long from the first attempt.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Attempts in all, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether ambiguous failures are retried for every method, not only the safe ones.
    pub fn retries_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// The longest `Retry-After` waited for.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The first backoff wait, and the most any one wait grows to.
    pub fn backoff(&self) -> (Duration, Duration) {
        (self.base_delay, self.max_delay)
    }

    /// How long after the first attempt retries may go on.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// Whether a request of `method` may be sent again after a failure at `stage`.
    fn may_repeat(&self, method: &Method, stage: Stage) -> bool {
        self.attempts > 1 && (stage == Stage::Untouched || self.ambiguous || is_safe(method))
    }

    /// The backoff before attempt `attempt + 1`: doubling from the base, capped, with jitter
    /// (50–100 %) so that many clients do not retry in step.
    pub(crate) fn backoff_after(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_delay);
        let jitter = RandomState::new().build_hasher().finish() % 1000;
        capped.mul_f64(0.5 + jitter as f64 / 2000.0)
    }
}

/// The methods RFC 9110 (§9.2.1) calls safe: asking changes nothing on the server.
fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// `Retry-After`, read as RFC 9110 defines it: delay-seconds (digits only) or an HTTP date.
/// `0` and a date in the past mean "now"; a number too large for a `u64` is the longest wait
/// there is (so it exceeds any cap and ends the call, as a long wait does); a negative,
/// fractional or signed number, or any other text, is not a value and is ignored (`None`: the
/// backoff applies).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How an attempt ended, as far as retrying is concerned.
pub(crate) enum Outcome<'a> {
    /// A status came, with these headers.
    Status(StatusCode, &'a HeaderMap),
    /// The connection could not be made: nothing was sent.
    NotSent,
    /// The request was sent, or may have been, and no complete answer came: a timeout once
    /// connected, a connection that broke, a body that broke off.
    Unanswered,
    /// Anything else: not worth trying again.
    Other,
}

/// What the server may have done with a failed attempt worth trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Nothing: the request did not reach it, or it refused it (429) before acting on it.
    Untouched,
    /// It may have carried the request out.
    Ambiguous,
}

impl Outcome<'_> {
    /// The stage of a failure worth trying again; `None` for anything else.
    fn stage(&self) -> Option<Stage> {
        match self {
            Outcome::NotSent => Some(Stage::Untouched),
            Outcome::Unanswered => Some(Stage::Ambiguous),
            Outcome::Status(status, _) => match status.as_u16() {
                429 => Some(Stage::Untouched),
                // 503 too: see `RetryPolicy`'s docs.
                502..=504 => Some(Stage::Ambiguous),
                _ => None,
            },
            Outcome::Other => None,
        }
    }
}

/// Whether a failed request of `method` may have been carried out and matters: an ambiguous
/// failure of a method that is not safe (a GET carried out changed nothing).
pub(crate) fn may_have_been_carried_out(method: &Method, outcome: &Outcome) -> bool {
    outcome.stage() == Some(Stage::Ambiguous) && !is_safe(method)
}

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Keep this outcome; the reason is given when the failure was one retried for its method.
    Stop(Option<GaveUp>),
    /// Wait this long, then try again.
    RetryAfter(Duration),
}

/// The retry decision after attempt number `attempt` (from 1) of a `method` request ended in
/// `outcome`, `elapsed` after the first began. `copyable` says whether the request can be sent
/// again at all (a streamed body cannot). Only the backoff's jitter is random.
pub(crate) fn next_attempt(
    policy: &RetryPolicy,
    method: &Method,
    copyable: bool,
    outcome: Outcome,
    attempt: u32,
    elapsed: Duration,
    now: SystemTime,
) -> Next {
    let Some(stage) = outcome.stage() else {
        return Next::Stop(None);
    };
    if !(copyable && policy.may_repeat(method, stage)) {
        return Next::Stop(None);
    }
    let wait = match outcome {
        Outcome::Status(_, headers) => match retry_after(headers, now) {
            Some(asked) if attempt < policy.attempts => {
                if asked > policy.max_retry_after {
                    return Next::Stop(Some(GaveUp::WaitTooLong {
                        asked: (asked.as_secs() != u64::MAX).then_some(asked),
                        limit: policy.max_retry_after,
                    }));
                }
                asked
            }
            _ => policy.backoff_after(attempt),
        },
        _ => policy.backoff_after(attempt),
    };
    if attempt >= policy.attempts {
        return Next::Stop(Some(GaveUp::AttemptsUsed));
    }
    if elapsed + wait > policy.deadline {
        return Next::Stop(Some(GaveUp::Deadline(policy.deadline)));
    }
    Next::RetryAfter(wait)
}

/// Why retrying a transient failure (429, 502, 503, 504, a failed connection, a timeout) stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GaveUp {
    /// Every attempt the [`RetryPolicy`](crate::RetryPolicy) allows was made.
    AttemptsUsed,
    /// The server asked (`Retry-After`) to wait longer than the policy's `max_retry_after`;
    /// `asked` is `None` for a number too large to count.
    WaitTooLong {
        /// The wait the server asked for.
        asked: Option<Duration>,
        /// The longest wait the policy allows.
        limit: Duration,
    },
    /// The next attempt would have started after the policy's deadline.
    Deadline(Duration),
}

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GaveUp::AttemptsUsed => f.write_str("every attempt was used"),
            GaveUp::WaitTooLong { asked, limit } => {
                let asked = match asked {
                    Some(asked) => seconds(*asked),
                    None => "longer than can be counted".into(),
                };
                write!(
                    f,
                    "the server asked to wait {asked} before retrying, more than the {} limit",
                    seconds(*limit)
                )
            }
            GaveUp::Deadline(deadline) => {
                write!(f, "no retry within the {} deadline", seconds(*deadline))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:50:07 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("0"), now), Some(Duration::ZERO));
        assert_eq!(
            retry_after(&headers(" 007 "), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("99999999999999999999999"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        for ignored in ["-5", "1.5", "+5", "1e3", ""] {
            assert_eq!(retry_after(&headers(ignored), now), None, "{ignored}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    proptest::proptest! {
        /// Any header text is read without panicking; digits only are seconds, however many.
        #[test]
        fn any_retry_after_text_reads_one_way(value in "[ -~]{0,40}") {
            let Ok(header) = HeaderValue::from_str(&value) else { return Ok(()) };
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, header);
            let read = retry_after(&h, SystemTime::now());
            let digits = value.trim();
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                proptest::prop_assert!(read.is_some());
            } else if httpdate::parse_http_date(digits).is_err() {
                proptest::prop_assert_eq!(read, None);
            }
        }
    }

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..50 {
            let first = policy.backoff_after(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let second = policy.backoff_after(2);
            assert!(
                second >= Duration::from_millis(100) && second <= Duration::from_millis(200),
                "{second:?}"
            );
            assert!(policy.backoff_after(10) <= Duration::from_millis(350));
        }
    }

    fn decide(policy: &RetryPolicy, outcome: Outcome, attempt: u32, elapsed: u64) -> Next {
        decide_for(policy, &Method::GET, outcome, attempt, elapsed)
    }

    fn decide_for(
        policy: &RetryPolicy,
        method: &Method,
        outcome: Outcome,
        attempt: u32,
        elapsed: u64,
    ) -> Next {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        next_attempt(
            policy,
            method,
            true,
            outcome,
            attempt,
            Duration::from_secs(elapsed),
            now,
        )
    }

    const METHODS: [Method; 8] = [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::PUT,
        Method::POST,
        Method::PATCH,
        Method::DELETE,
    ];

    /// The rule in `RetryPolicy`'s docs, row by row: what the server may have done, not the
    /// method's name, says whether a request is sent again.
    #[test]
    fn a_failure_is_retried_by_what_the_server_may_have_done() {
        let none = HeaderMap::new();
        let status = |code| Outcome::Status(StatusCode::from_u16(code).unwrap(), &none);
        let untouched = || [Outcome::NotSent, status(429)];
        let ambiguous = || [Outcome::Unanswered, status(502), status(503), status(504)];
        let default = RetryPolicy::default();
        let any_method = RetryPolicy::default().with_retry_ambiguous(true);
        for method in &METHODS {
            let safe = matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE");
            for outcome in untouched() {
                assert!(!may_have_been_carried_out(method, &outcome), "{method}");
                let next = decide_for(&default, method, outcome, 1, 0);
                assert!(matches!(next, Next::RetryAfter(_)), "{method}: {next:?}");
            }
            for outcome in ambiguous() {
                assert_eq!(
                    may_have_been_carried_out(method, &outcome),
                    !safe,
                    "{method}"
                );
                let next = decide_for(&default, method, outcome, 1, 0);
                match safe {
                    true => assert!(matches!(next, Next::RetryAfter(_)), "{method}: {next:?}"),
                    false => assert_eq!(next, Next::Stop(None), "{method}"),
                }
            }
            for outcome in ambiguous() {
                let next = decide_for(&any_method, method, outcome, 1, 0);
                assert!(matches!(next, Next::RetryAfter(_)), "{method}: {next:?}");
            }
            for outcome in [Outcome::Other, status(500), status(400)] {
                assert!(!may_have_been_carried_out(method, &outcome), "{method}");
                assert_eq!(
                    decide_for(&any_method, method, outcome, 1, 0),
                    Next::Stop(None)
                );
            }
        }
        assert!(!default.retries_ambiguous() && any_method.retries_ambiguous());
        assert_eq!(
            decide(&RetryPolicy::none(), Outcome::NotSent, 1, 0),
            Next::Stop(None),
            "with one attempt allowed, no failure is one that is retried"
        );
    }

    #[test]
    fn transient_failures_are_retried_until_the_attempts_are_used() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for outcome in [
            Outcome::NotSent,
            Outcome::Unanswered,
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &none),
            Outcome::Status(StatusCode::BAD_GATEWAY, &none),
            Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &none),
            Outcome::Status(StatusCode::GATEWAY_TIMEOUT, &none),
        ] {
            let Next::RetryAfter(wait) = decide(&policy, outcome, 1, 0) else {
                panic!("a transient failure is retried")
            };
            assert!(wait <= Duration::from_millis(500), "{wait:?}");
        }
        assert_eq!(
            decide(&policy, Outcome::Unanswered, 3, 0),
            Next::Stop(Some(GaveUp::AttemptsUsed))
        );
        assert_eq!(
            decide_for(&policy, &Method::PUT, Outcome::NotSent, 3, 0),
            Next::Stop(Some(GaveUp::AttemptsUsed))
        );
    }

    #[test]
    fn other_outcomes_stop_at_once() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for status in [200, 400, 401, 404, 500, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                decide(&policy, Outcome::Status(status, &none), 1, 0),
                Next::Stop(None)
            );
        }
        assert_eq!(decide(&policy, Outcome::Other, 1, 0), Next::Stop(None));
        let now = SystemTime::now();
        assert_eq!(
            next_attempt(
                &policy,
                &Method::GET,
                false,
                Outcome::NotSent,
                1,
                Duration::ZERO,
                now
            ),
            Next::Stop(None),
            "a request whose body cannot be copied is sent once"
        );
    }

    #[test]
    fn the_servers_wait_is_honoured_up_to_the_limit_and_the_deadline() {
        let policy = RetryPolicy::default();
        let busy = StatusCode::SERVICE_UNAVAILABLE;
        assert_eq!(
            decide(&policy, Outcome::Status(busy, &headers("7")), 1, 0),
            Next::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            decide(&policy, Outcome::Status(busy, &headers("61")), 1, 0),
            Next::Stop(Some(GaveUp::WaitTooLong {
                asked: Some(Duration::from_secs(61)),
                limit: Duration::from_secs(60)
            }))
        );
        assert_eq!(
            decide(
                &policy,
                Outcome::Status(busy, &headers("99999999999999999999999")),
                1,
                0
            ),
            Next::Stop(Some(GaveUp::WaitTooLong {
                asked: None,
                limit: Duration::from_secs(60)
            }))
        );
        assert_eq!(
            decide(&policy, Outcome::Status(busy, &headers("30")), 1, 100),
            Next::Stop(Some(GaveUp::Deadline(Duration::from_secs(120))))
        );
        let limited = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            decide_for(
                &policy,
                &Method::PUT,
                Outcome::Status(limited, &headers("0")),
                1,
                0
            ),
            Next::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            decide_for(
                &policy,
                &Method::PUT,
                Outcome::Status(busy, &headers("61")),
                1,
                0
            ),
            Next::Stop(None),
            "a request that is not sent again has no wait to give up on"
        );
    }
}
