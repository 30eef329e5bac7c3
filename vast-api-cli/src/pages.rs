//! Following pages, as the CLI prints them: the next-page token read from a page's bytes, the
//! pages counted and cut at `--max-items`, and joined into one document within a bound on
//! memory. Which page comes next, and when to stop (at most `vast_api::pages::PAGE_CAP` pages,
//! [`TIME_LIMIT`], never a token twice), is the library's [`vast_api::pages::Follower`], which
//! paged lists' `stream()` uses too.

use std::time::Duration;

use serde_json::{Map, Value};

/// How long `vast` asks for next pages of a list.
pub const TIME_LIMIT: Duration = Duration::from_secs(600);

/// The most bytes of pages kept to print as one table. A list past it prints as several
/// tables, each of the pages that came since the last, so memory stays bounded however long
/// the list (each page is bounded by the client's body limit).
pub const KEPT_BYTES: usize = 16 * 1024 * 1024;

/// The pages of a list as they come: counted, cut at `--max-items`, and kept to print together.
#[derive(Debug, Default)]
pub struct Pages {
    kept: Vec<Vec<u8>>,
    kept_bytes: usize,
    items: usize,
    /// `--max-items`: the items to print, over as many pages as that takes.
    max_items: Option<usize>,
}

impl Pages {
    /// No pages yet; `max_items` is `--max-items`.
    pub fn new(max_items: Option<usize>) -> Self {
        Self {
            max_items,
            ..Self::default()
        }
    }

    /// Takes a page and gives what to print now: with `raw`, the page as it came (never cut);
    /// otherwise the pages kept so far, joined, when this one would take them past
    /// [`KEPT_BYTES`]. Past `--max-items` a page is cut to the items still wanted.
    pub fn add(&mut self, body: &[u8], raw: bool) -> Option<Vec<u8>> {
        // Items are counted only to stop at `--max-items`.
        let parsed = self.max_items.and_then(|max| {
            let value = serde_json::from_slice::<Value>(body).ok()?;
            Some((max.saturating_sub(self.items), value))
        });
        if raw {
            self.items += parsed.map_or(0, |(_, v)| item_count(&v));
            return Some(body.to_vec());
        }
        let page = match parsed {
            Some((wanted, mut value)) if item_count(&value) > wanted => {
                cut(&mut value, wanted);
                self.items += wanted;
                serde_json::to_vec(&value).expect("JSON values serialise")
            }
            parsed => {
                self.items += parsed.map_or(0, |(_, v)| item_count(&v));
                body.to_vec()
            }
        };
        let ready = (!self.kept.is_empty() && self.kept_bytes + page.len() > KEPT_BYTES)
            .then(|| self.rest())
            .flatten();
        self.kept_bytes += page.len();
        self.kept.push(page);
        ready
    }

    /// Whether `--max-items` items came: no next page is wanted.
    pub fn full(&self) -> bool {
        self.max_items.is_some_and(|max| self.items >= max)
    }

    /// The pages kept and not yet printed, joined.
    pub fn rest(&mut self) -> Option<Vec<u8>> {
        if self.kept.is_empty() {
            return None;
        }
        self.kept_bytes = 0;
        Some(joined(&std::mem::take(&mut self.kept)))
    }
}

/// A page's lists: the document when it is one, else each list field of the object.
fn lists(value: &mut Value) -> Vec<&mut Vec<Value>> {
    match value {
        Value::Array(list) => vec![list],
        Value::Object(fields) => fields
            .values_mut()
            .filter_map(|v| match v {
                Value::Array(list) => Some(list),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The items in a page: its longest list's (its lists as [`lists`] finds them).
fn item_count(value: &Value) -> usize {
    match value {
        Value::Array(list) => list.len(),
        Value::Object(fields) => fields
            .values()
            .filter_map(|v| v.as_array().map(Vec::len))
            .max()
            .unwrap_or(0),
        _ => 0,
    }
}

/// Keeps the first `keep` items of each of a page's lists.
fn cut(value: &mut Value, keep: usize) {
    for list in lists(value) {
        list.truncate(keep);
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

    fn page(ids: std::ops::Range<i64>) -> Vec<u8> {
        let rows: Vec<Value> = ids.map(|id| json!({"id": id})).collect();
        serde_json::to_vec(&json!({"results": rows, "next_token": "t"})).unwrap()
    }

    #[test]
    fn max_items_cuts_the_page_that_reaches_it() {
        let mut pages = Pages::new(Some(3));
        assert_eq!(pages.add(&page(0..2), false), None);
        assert!(!pages.full());
        assert_eq!(pages.add(&page(2..4), false), None);
        assert!(pages.full());
        let rest: Value = serde_json::from_slice(&pages.rest().unwrap()).unwrap();
        assert_eq!(rest["results"], json!([{"id": 0}, {"id": 1}, {"id": 2}]));
        assert_eq!(pages.rest(), None);
    }

    #[test]
    fn raw_pages_print_as_they_came_and_count() {
        let mut pages = Pages::new(Some(1));
        assert_eq!(pages.add(&page(0..2), true), Some(page(0..2)));
        assert!(pages.full());
        assert_eq!(pages.rest(), None);
    }

    #[test]
    fn pages_past_the_kept_bytes_print_before_the_next() {
        let big = page(0..(KEPT_BYTES as i64 / 16));
        assert!(big.len() > KEPT_BYTES / 2);
        let mut pages = Pages::default();
        assert_eq!(pages.add(&big, false), None);
        assert_eq!(pages.add(&page(0..1), false), None, "still within");
        let printed = pages.add(&big, false).expect("the kept pages print first");
        let printed: Value = serde_json::from_slice(&printed).unwrap();
        assert_eq!(
            printed["results"].as_array().unwrap().len(),
            KEPT_BYTES / 16 + 1
        );
        let rest: Value = serde_json::from_slice(&pages.rest().unwrap()).unwrap();
        assert_eq!(rest["results"].as_array().unwrap().len(), KEPT_BYTES / 16);
    }
}
