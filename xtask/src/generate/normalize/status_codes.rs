//! Rule `status-codes`, for the httpmock helpers only: a response status with no standard reason
//! phrase (Vast.ai uses 483) has no name for progenitor's mock helpers, which panic on it. The
//! client keeps matching it exactly; the helpers leave it out (a test can still send it through
//! `into_inner()`). `response-shapes` has run, so dropping it changes no type.

use serde_json::Value;

use super::Change;
use crate::generate::openapi::for_each_operation;

/// The codes that have a reason phrase in the `http` crate progenitor names them with.
fn is_standard(code: u16) -> bool {
    matches!(
        code,
        100..=103 | 200..=208 | 226 | 300..=305 | 307 | 308 | 400..=418 | 421..=426 | 428 | 429 | 431 | 451 | 500..=508 | 510 | 511
    )
}

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_operation(doc, |at, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let odd: Vec<String> = responses
            .keys()
            .filter(|s| {
                s.parse::<u16>()
                    .is_ok_and(|c| (100..600).contains(&c) && !is_standard(c))
            })
            .cloned()
            .collect();
        for status in odd {
            responses.remove(&status);
            rewrites.push(Change {
                at: at.key("responses").key(status.as_str()),
                what: "non-standard status: no mock helper (the client still matches it)".into(),
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_codes_are_left_out() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {"200": {}, "483": {"description": "odd"}, "404": {}}}},
        }});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        let a = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
        assert_eq!(a.keys().collect::<Vec<_>>(), ["200", "404"]);
        assert_eq!(
            rewrites.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "paths./a.get.responses.483: non-standard status: no mock helper (the client still matches it)"
            ]
        );
    }
}
