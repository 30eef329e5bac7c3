//! Following pages: a response's next-page token (`next_token`) goes back in the query
//! parameter that takes it (`after_token`) until the server gives none. Bounded, since a mock
//! or a bug can hand out tokens forever: at most [`PAGE_CAP`] pages, and never a token twice.

use std::collections::HashSet;

use serde_json::{Map, Value};

/// The most pages `--all` fetches.
pub const PAGE_CAP: usize = 1000;

/// What to do after a page.
#[derive(Debug, PartialEq)]
pub enum Next {
    Fetch(String),
    /// The server gave no next page.
    Done,
    /// The server gave this token before: following it would go round in circles.
    Repeated(String),
    /// The cap is reached and the server names more.
    Capped,
}

/// Tracks the tokens seen while following pages.
#[derive(Debug)]
pub struct Follower {
    field: &'static str,
    cap: usize,
    seen: HashSet<String>,
    fetched: usize,
}

impl Follower {
    pub fn new(field: &'static str, cap: usize) -> Self {
        Self {
            field,
            cap,
            seen: HashSet::new(),
            fetched: 0,
        }
    }

    /// Counts a page with this body, and says what comes next.
    pub fn after(&mut self, body: &[u8]) -> Next {
        self.fetched += 1;
        let Some(token) = token(body, self.field) else {
            return Next::Done;
        };
        if !self.seen.insert(token.clone()) {
            Next::Repeated(token)
        } else if self.fetched >= self.cap {
            Next::Capped
        } else {
            Next::Fetch(token)
        }
    }

    pub fn fetched(&self) -> usize {
        self.fetched
    }
}

/// The next-page token in a response body: a non-empty string or a number in the top-level
/// field; `null`, absent or `""` mean there is no next page.
pub fn token(body: &[u8], field: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Top(Map<String, Value>);
    let top: Top = serde_json::from_slice(body).ok()?;
    match top.0.get(field)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The pages as one document of the first page's shape: lists are joined (a top-level list,
/// or each list field of an object), other fields are the last page's.
pub fn joined<B: AsRef<[u8]>>(pages: &[B]) -> Vec<u8> {
    let mut whole: Option<Value> = None;
    for page in pages {
        let Ok(value) = serde_json::from_slice::<Value>(page.as_ref()) else {
            continue;
        };
        whole = Some(match (whole, value) {
            (None, value) => value,
            (Some(Value::Array(mut all)), Value::Array(more)) => {
                all.extend(more);
                Value::Array(all)
            }
            (Some(Value::Object(mut all)), Value::Object(more)) => {
                for (key, value) in more {
                    match (all.get_mut(&key), value) {
                        (Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
                        (_, value) => {
                            all.insert(key, value);
                        }
                    }
                }
                Value::Object(all)
            }
            (_, value) => value,
        });
    }
    serde_json::to_vec(&whole.unwrap_or(Value::Null)).expect("JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(token: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({"results": [], "next_token": token})).unwrap()
    }

    #[test]
    fn follows_until_no_token() {
        let mut pages = Follower::new("next_token", 10);
        assert_eq!(pages.after(&body(json!("a"))), Next::Fetch("a".into()));
        assert_eq!(pages.after(&body(json!(7))), Next::Fetch("7".into()));
        assert_eq!(pages.after(&body(json!(""))), Next::Done);
        assert_eq!(pages.fetched(), 3);
        for last in [json!(null), json!({})] {
            assert_eq!(
                Follower::new("next_token", 10).after(&body(last)),
                Next::Done
            );
        }
        assert_eq!(Follower::new("next_token", 10).after(b"[]"), Next::Done);
    }

    #[test]
    fn stops_on_a_repeated_token() {
        let mut pages = Follower::new("next_token", 10);
        assert_eq!(pages.after(&body(json!("a"))), Next::Fetch("a".into()));
        assert_eq!(pages.after(&body(json!("b"))), Next::Fetch("b".into()));
        assert_eq!(pages.after(&body(json!("a"))), Next::Repeated("a".into()));
    }

    #[test]
    fn stops_at_the_cap() {
        let mut pages = Follower::new("next_token", 3);
        assert_eq!(pages.after(&body(json!("a"))), Next::Fetch("a".into()));
        assert_eq!(pages.after(&body(json!("b"))), Next::Fetch("b".into()));
        assert_eq!(pages.after(&body(json!("c"))), Next::Capped);
        let mut last = Follower::new("next_token", 1);
        assert_eq!(
            last.after(&body(json!(null))),
            Next::Done,
            "no more: not capped"
        );
    }

    #[test]
    fn pages_join_into_one_list() {
        let pages = [
            json!({"results": [{"id": 1}], "next_token": "a", "total": 3}),
            json!({"results": [{"id": 2}, {"id": 3}], "next_token": null, "total": 3}),
        ]
        .map(|v| serde_json::to_vec(&v).unwrap());
        assert_eq!(
            serde_json::from_slice::<Value>(&joined(&pages)).unwrap(),
            json!({"results": [{"id": 1}, {"id": 2}, {"id": 3}], "next_token": null, "total": 3})
        );
        let lists = [json!([1]), json!([2])].map(|v| serde_json::to_vec(&v).unwrap());
        assert_eq!(joined(&lists), b"[1,2]");
    }
}
