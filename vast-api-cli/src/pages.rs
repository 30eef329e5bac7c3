//! Following pages, as the CLI prints them: the next-page token read from a page's bytes, and
//! the pages joined into one document. Which page comes next, and when to stop (at most
//! `vast_api::pages::PAGE_CAP` pages, never a token twice), is the library's
//! [`vast_api::pages::Follower`], which paged lists' `stream()` uses too.

use serde_json::{Map, Value};

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
}
