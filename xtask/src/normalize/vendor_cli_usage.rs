//! Rule `vendor-cli-usage`, for the CLI only: Vast.ai ends most operation descriptions with a
//! paragraph giving the vendor CLI's syntax ("CLI Usage: `vastai show api-keys`"). In `vast`'s
//! help that would name another program and its flags, next to clap's own usage line, so the CLI
//! leaves that paragraph out; the library's docs keep it (it maps a method to the vendor command).

use serde_json::Value;

use super::Change;
use crate::openapi::for_each_operation;

const MARK: &str = "CLI Usage:";

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_operation(doc, |at, op| {
        let Some(text) = op.get("description").and_then(Value::as_str) else {
            return;
        };
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        let kept: Vec<&str> = paragraphs
            .iter()
            .copied()
            .filter(|p| !p.trim_start().starts_with(MARK))
            .collect();
        if kept.len() == paragraphs.len() {
            return;
        }
        let kept = kept.join("\n\n");
        if kept.trim().is_empty() {
            op.remove("description");
        } else {
            op.insert("description".into(), Value::String(kept));
        }
        rewrites.push(Change {
            at: at.key("description"),
            what: "the vendor CLI's usage: left out of `vast` help".into(),
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_usage_paragraph_goes_and_the_rest_stays() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"description": "Lists things.\n\nCLI Usage: `vastai show a\n  [--raw]`\n\nPaged."}},
            "/b": {"get": {"description": "CLI Usage: `vastai show b`"}},
            "/c": {"get": {"description": "Mentions CLI Usage: in passing."}},
        }});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        assert_eq!(
            doc["paths"],
            json!({
                "/a": {"get": {"description": "Lists things.\n\nPaged."}},
                "/b": {"get": {}},
                "/c": {"get": {"description": "Mentions CLI Usage: in passing."}},
            })
        );
        assert_eq!(
            rewrites.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "paths./a.get.description: the vendor CLI's usage: left out of `vast` help",
                "paths./b.get.description: the vendor CLI's usage: left out of `vast` help",
            ]
        );
    }
}
