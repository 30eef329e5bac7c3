//! When a request is tried again, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::error::GaveUp;

/// How transient failures are retried: 429, 502, 503, 504, failed connections and timeouts.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are retried unless
/// [`with_retry_non_idempotent`](Self::with_retry_non_idempotent) says otherwise: a POST that
/// timed out may have been carried out. The wait is the server's `Retry-After` when it sends one
/// (a longer one than [`max_retry_after`](Self::max_retry_after) ends the call at once), else
/// exponential backoff with jitter. No retry starts after the [`deadline`](Self::deadline).
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
/// assert!(!policy.retries_non_idempotent());
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
    pub(crate) non_idempotent: bool,
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
            non_idempotent: false,
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

    /// Retry POST and PATCH too (only for operations known to be safe to repeat).
    pub fn with_retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
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

    /// Whether POST and PATCH are retried too.
    pub fn retries_non_idempotent(&self) -> bool {
        self.non_idempotent
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

    pub(crate) fn may_retry(&self, method: &Method) -> bool {
        self.attempts > 1 && (self.non_idempotent || is_idempotent(method))
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

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
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
    /// No connection, or no answer in time: the request may not have reached the server.
    Unreached,
    /// Anything else: not worth trying again.
    Other,
}

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Keep this outcome; the reason is given when the failure was a transient one.
    Stop(Option<GaveUp>),
    /// Wait this long, then try again.
    RetryAfter(Duration),
}

/// The retry decision after attempt number `attempt` (from 1) ended in `outcome`, `elapsed`
/// after the first began. `repeatable` says whether the request may be sent again at all (its
/// method, and a body that can be copied). Only the backoff's jitter is random.
pub(crate) fn next_attempt(
    policy: &RetryPolicy,
    repeatable: bool,
    outcome: Outcome,
    attempt: u32,
    elapsed: Duration,
    now: SystemTime,
) -> Next {
    let wait = match outcome {
        Outcome::Unreached => policy.backoff_after(attempt),
        Outcome::Status(status, headers) if is_retryable_status(status) => {
            match retry_after(headers, now) {
                Some(asked) if repeatable && attempt < policy.attempts => {
                    if asked > policy.max_retry_after {
                        return Next::Stop(Some(GaveUp::WaitTooLong {
                            asked: (asked.as_secs() != u64::MAX).then_some(asked),
                            limit: policy.max_retry_after,
                        }));
                    }
                    asked
                }
                _ => policy.backoff_after(attempt),
            }
        }
        Outcome::Status(..) | Outcome::Other => return Next::Stop(None),
    };
    if !repeatable {
        return Next::Stop(None);
    }
    if attempt >= policy.attempts {
        return Next::Stop(Some(GaveUp::AttemptsUsed));
    }
    if elapsed + wait > policy.deadline {
        return Next::Stop(Some(GaveUp::Deadline(policy.deadline)));
    }
    Next::RetryAfter(wait)
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

    #[test]
    fn only_idempotent_methods_retry_by_default() {
        let policy = RetryPolicy::default();
        assert!(policy.may_retry(&Method::GET) && policy.may_retry(&Method::DELETE));
        assert!(!policy.may_retry(&Method::POST) && !policy.may_retry(&Method::PATCH));
        assert!(
            policy
                .clone()
                .with_retry_non_idempotent(true)
                .may_retry(&Method::POST)
        );
        assert!(!RetryPolicy::none().may_retry(&Method::GET));
    }

    fn decide(policy: &RetryPolicy, outcome: Outcome, attempt: u32, elapsed: u64) -> Next {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        next_attempt(
            policy,
            true,
            outcome,
            attempt,
            Duration::from_secs(elapsed),
            now,
        )
    }

    #[test]
    fn transient_failures_are_retried_until_the_attempts_are_used() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for outcome in [
            Outcome::Unreached,
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
            decide(&policy, Outcome::Unreached, 3, 0),
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
            next_attempt(&policy, false, Outcome::Unreached, 1, Duration::ZERO, now),
            Next::Stop(None),
            "a request that cannot be repeated is sent once"
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
    }
}
