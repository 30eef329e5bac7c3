//! Rule `plain-help`, for the CLI only: descriptions are Markdown, written for the vendor's docs
//! site; a terminal shows them as they are, so `vast` help gets them as plain text. `**bold**`
//! loses its marks, a heading its `#`s, a fenced code block its fences (its lines are indented
//! four spaces instead; `//` comments in it are kept, as the example's notes), and a link becomes
//! its text with the URL in brackets, a relative one (`/api-reference/…`) made absolute against the
//! docs site in `xtask/help.toml`. Inline `code` keeps its backticks, which read well as they are.
//! The library's docs keep the Markdown, which rustdoc renders.

use serde_json::{Map, Value};

use super::Change;
use crate::generate::openapi::Location;

/// The committed table of what the spec does not say (see the file).
const TABLE: &str = include_str!("../../../help.toml");

#[derive(serde::Deserialize)]
struct Table {
    docs_url: String,
}

/// The docs site relative links resolve against, without a final `/`.
pub fn docs_url() -> String {
    let table: Table = toml::from_str(TABLE).expect("xtask/help.toml is valid (tested)");
    table.docs_url.trim_end_matches('/').to_string()
}

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    let docs = docs_url();
    let root = Location::root();
    for section in ["paths", "components"] {
        if let Some(Value::Object(map)) = doc.get_mut(section) {
            walk(map, &root.key(section), false, &docs, rewrites);
        }
    }
}

/// Every `description` string, except a property that happens to be named `description`
/// (`in_properties`: the keys of `map` are property names).
fn walk(
    map: &mut Map<String, Value>,
    at: &Location,
    in_properties: bool,
    docs: &str,
    rewrites: &mut Vec<Change>,
) {
    for (key, value) in map.iter_mut() {
        let here = at.key(key.as_str());
        match value {
            Value::String(text) if key == "description" && !in_properties => {
                let plain = plain(text, docs);
                if plain != *text {
                    *text = plain;
                    rewrites.push(Change {
                        at: here,
                        what: "Markdown as plain text".into(),
                    });
                }
            }
            Value::Object(inner) => walk(inner, &here, key == "properties", docs, rewrites),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if let Value::Object(inner) = item {
                        walk(inner, &here.key(i.to_string()), false, docs, rewrites);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `text`, Markdown, as plain text.
pub fn plain(text: &str, docs: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            // A fence opened and closed on one line: its content, indented.
            if let Some((content, _)) = rest.split_once("```").filter(|_| !in_fence) {
                out.push(format!("    {}", content.trim()));
            } else {
                in_fence = !in_fence;
            }
            continue;
        }
        if in_fence {
            out.push(if line.trim().is_empty() {
                String::new()
            } else {
                format!("    {line}")
            });
            continue;
        }
        let heading = trimmed.trim_start_matches('#');
        let line = if heading.len() < trimmed.len() && heading.starts_with(' ') {
            heading.trim_start()
        } else {
            line
        };
        out.push(links(&line.replace("**", ""), docs));
    }
    let mut plain = out.join("\n");
    if text.ends_with('\n') {
        plain.push('\n');
    }
    plain
}

/// `[text](url)` as `text (url)`, or the URL alone when the text is the URL; a URL starting with
/// `/` is on the docs site.
fn links(line: &str, docs: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some((text, target)) = after.split_once("](").and_then(|(text, tail)| {
            let close = tail.find(')')?;
            (!text.contains('[')).then_some((text, &tail[..close]))
        }) else {
            out.push_str(&rest[..open + 1]);
            rest = after;
            continue;
        };
        let url = if target.starts_with('/') {
            format!("{docs}{target}")
        } else {
            target.to_string()
        };
        out.push_str(&rest[..open]);
        if text == url || text == target {
            out.push_str(&url);
        } else {
            out.push_str(&format!("{text} ({url})"));
        }
        rest = &after[text.len() + 2 + target.len() + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOCS: &str = "https://docs.example";

    #[test]
    fn markdown_reads_as_plain_text() {
        let text = "Creates things.\n\n**Template Precedence Rules:**\n- **`env`**: merged\n\n\
                    ## Example\n```json\n{\n  \"a\": 1 // the count\n}\n```\n\
                    See [templates](/api-reference/templates), [the site](https://vast.ai) \
                    or [https://vast.ai](https://vast.ai). [not a link] (x)";
        assert_eq!(
            plain(text, DOCS),
            "Creates things.\n\nTemplate Precedence Rules:\n- `env`: merged\n\nExample\n    {\n      \"a\": 1 // the count\n    }\n\
             See templates (https://docs.example/api-reference/templates), the site (https://vast.ai) \
             or https://vast.ai. [not a link] (x)"
        );
        assert_eq!(
            plain("Run ``` vast a ``` now", DOCS),
            "Run ``` vast a ``` now"
        );
        assert_eq!(plain("``` vast a ```", DOCS), "    vast a");
    }

    #[test]
    fn every_description_is_rewritten_but_a_property_named_description() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "description": "**Lists** things.",
                "parameters": [{"name": "q", "in": "query", "description": "See [x](/x)."}]
            }}},
            "components": {"schemas": {"S": {"type": "object", "properties": {
                "description": {"type": "string", "description": "A **note**"}
            }}}}
        });
        let (doc, rewrites) = super::super::rewritten(doc, apply);
        assert_eq!(doc["paths"]["/a"]["get"]["description"], "Lists things.");
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["description"],
            format!("See x ({}/x).", docs_url())
        );
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["description"],
            json!({"type": "string", "description": "A note"})
        );
        assert_eq!(
            rewrites,
            [
                "paths./a.get.description: Markdown as plain text",
                "paths./a.get.parameters.0.description: Markdown as plain text",
                "components.schemas.S.properties.description.description: Markdown as plain text",
            ]
        );
    }

    #[test]
    fn the_table_names_an_absolute_docs_site() {
        assert!(docs_url().starts_with("https://"), "{}", docs_url());
    }
}
