//! Rule `vendor-cli-usage`, for the CLI only: Vast.ai's operation descriptions give the vendor
//! CLI's syntax, in several forms: a paragraph "CLI Usage: `vastai show api-keys`" (with or
//! without backticks), "CLI: `vastai …`", "CLI Usage:" over a list or a code block, "CLI Usage
//! Examples: ``` … ```", or the same at the end of a paragraph of other text. In `vast`'s help
//! that would name another program and its flags, next to clap's own usage line, so the CLI
//! leaves each form out; the library's docs keep them (they map a method to the vendor command).

use serde_json::Value;

use super::Change;
use crate::generate::openapi::for_each_operation;

/// What opens the vendor's usage, longest first: `CLI Usage Examples:`, `CLI Usage:`, `CLI:`.
const MARKS: [&str; 3] = ["CLI Usage Examples:", "CLI Usage:", "CLI:"];

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_operation(doc, |at, op| {
        let Some(text) = op.get("description").and_then(Value::as_str) else {
            return;
        };
        let kept = without_usage(text);
        if kept == text {
            return;
        }
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

/// `text` without the vendor's usage: a paragraph that opens with a mark goes (and, when the mark
/// ends it, the list or code block after it); a mark after a sentence or line break inside a
/// paragraph cuts the paragraph there.
fn without_usage(text: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut dropping_block = false;
    let mut in_fence = false;
    for paragraph in text.split("\n\n") {
        let trimmed = paragraph.trim_start();
        if dropping_block || in_fence {
            // The list or code block a bare "CLI Usage:" introduced.
            let fences = paragraph.matches("```").count();
            let block = in_fence || trimmed.starts_with("```") || trimmed.starts_with(['-', '*']);
            in_fence ^= fences % 2 == 1;
            if block {
                dropping_block = in_fence;
                continue;
            }
            dropping_block = false;
        }
        if let Some(mark) = MARKS.iter().find(|m| trimmed.starts_with(*m)) {
            let after = trimmed[mark.len()..].trim();
            dropping_block = after.is_empty();
            in_fence = after.matches("```").count() % 2 == 1;
            continue;
        }
        match mark_inside(paragraph) {
            Some(at) => {
                let before = paragraph[..at].trim_end();
                if !before.is_empty() {
                    kept.push(before.to_string());
                }
            }
            None => kept.push(paragraph.to_string()),
        }
    }
    let mut kept = kept.join("\n\n");
    if text.ends_with('\n') && !kept.is_empty() && !kept.ends_with('\n') {
        kept.push('\n');
    }
    kept
}

/// Where a mark starts inside a paragraph: after a sentence's full stop or a line break, so
/// "The CLI supports filters" or "CLI: see below" in running text do not count unless they open
/// the vendor's usage.
fn mark_inside(paragraph: &str) -> Option<usize> {
    MARKS
        .iter()
        .flat_map(|mark| paragraph.match_indices(mark).map(|(i, _)| i))
        .filter(|&i| {
            let before = paragraph[..i].trim_end_matches(' ');
            before.ends_with(['.', '\n', ':']) && paragraph[i..].contains("vast")
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_form_of_the_usage_goes() {
        let cases = [
            (
                "Lists.\n\nCLI: `vastai show invoices-v1 --charges`",
                "Lists.",
            ),
            (
                "Manages.\n\nCLI Usage:\n- To stop: `vastai stop instance <id>`\n- To start: x",
                "Manages.",
            ),
            (
                "Manages.\n\nCLI Usage:\n\n- stop\n- start\n\nAfter.",
                "Manages.\n\nAfter.",
            ),
            (
                "Searches.\n\nCLI Usage:\n\n```\nvastai search offers\n\nvastai x\n```\n\nAfter.",
                "Searches.\n\nAfter.",
            ),
            (
                "Searches offers.\nCLI Usage Examples: ``` vast search offers 'a > 1' ```",
                "Searches offers.",
            ),
            (
                "Rents a volume by its ID. CLI Usage: vastai rent volume ID",
                "Rents a volume by its ID.",
            ),
            ("Lists.\n\nCLI Usage: vast-ai search benchmarks", "Lists."),
            (
                "The CLI supports client-side filtering.",
                "The CLI supports client-side filtering.",
            ),
        ];
        for (text, kept) in cases {
            assert_eq!(without_usage(text), kept, "{text:?}");
        }
    }

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
