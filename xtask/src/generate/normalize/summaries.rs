//! Rule `summaries`, for the CLI only: a command's line in `vast <group> --help` is its
//! operation's summary, and Vast.ai's summaries mostly restate the command ("create instance" for
//! `vast create instance`). A summary that is a title, a few words without a sentence's full
//! stop, says no more than the command's name; when the operation has a description, its first
//! sentence is the summary instead (and leaves the description, which `--help` prints after it).
//! Runs after `plain-help`, so the sentence is plain text.

use serde_json::Value;

use super::Change;
use crate::generate::openapi::for_each_operation;

/// A summary of more words than this is taken to say something of its own.
const TITLE_WORDS: usize = 5;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_operation(doc, |at, op| {
        let summary = op
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let is_title =
            summary.split_whitespace().count() <= TITLE_WORDS && !summary.trim_end().ends_with('.');
        let Some(description) = op.get("description").and_then(Value::as_str) else {
            return;
        };
        let Some((sentence, rest)) = first_sentence(description).filter(|_| is_title) else {
            return;
        };
        op.insert("summary".into(), Value::String(sentence.clone()));
        if rest.is_empty() {
            op.remove("description");
        } else {
            op.insert("description".into(), Value::String(rest));
        }
        rewrites.push(Change {
            at: at.key("summary"),
            what: "a title: the description's first sentence instead".into(),
        });
    });
}

/// The first sentence of the first paragraph, on one line, and the text after it. A paragraph
/// that opens with a list or a code block has no sentence to take.
fn first_sentence(text: &str) -> Option<(String, String)> {
    let text = text.trim_start();
    // A paragraph ends at a blank line, or where a list starts under its first line.
    let paragraph_end = text
        .find("\n\n")
        .into_iter()
        .chain(text.find("\n- "))
        .chain(text.find("\n* "))
        .min()
        .unwrap_or(text.len());
    let paragraph = &text[..paragraph_end];
    if paragraph.starts_with(['-', '*', ' ']) || paragraph.trim().is_empty() {
        return None;
    }
    // A full stop followed by a space or a line break ends it ("e.g. x" is rare enough here).
    let end = paragraph
        .match_indices('.')
        .map(|(i, _)| i + 1)
        .find(|&i| {
            paragraph[i..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        })
        .unwrap_or(paragraph.len());
    let sentence = paragraph[..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let rest = format!(
        "{}{}",
        paragraph[end..].trim_start(),
        &text[paragraph_end..]
    );
    let rest = rest.trim_start_matches('\n').trim_end().to_string();
    Some((sentence, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_title_gives_way_to_the_first_sentence() {
        let doc = json!({"paths": {
            "/a": {"put": {"summary": "create instance",
                "description": "Creates a new instance\nfrom an offer. Needs a key.\n\n- Use search offers."}},
            "/b": {"get": {"summary": "show user", "description": "Returns the user."}},
            "/c": {"get": {"summary": "Lists every invoice of the account since it was opened.",
                "description": "Paged."}},
            "/d": {"get": {"summary": "show x", "description": "- a list first"}},
            "/e": {"get": {"summary": "show y"}},
            "/f": {"post": {"summary": "create team",
                "description": "Creates a team with these roles:\n- Owner: all.\n- Member: some."}},
        }});
        let (doc, rewrites) = super::super::rewritten(doc, apply);
        assert_eq!(
            doc["paths"],
            json!({
                "/a": {"put": {"summary": "Creates a new instance from an offer.",
                    "description": "Needs a key.\n\n- Use search offers."}},
                "/b": {"get": {"summary": "Returns the user."}},
                "/c": {"get": {"summary": "Lists every invoice of the account since it was opened.",
                    "description": "Paged."}},
                "/d": {"get": {"summary": "show x", "description": "- a list first"}},
                "/e": {"get": {"summary": "show y"}},
                "/f": {"post": {"summary": "Creates a team with these roles:",
                    "description": "- Owner: all.\n- Member: some."}},
            })
        );
        assert_eq!(
            rewrites,
            [
                "paths./a.put.summary: a title: the description's first sentence instead",
                "paths./b.get.summary: a title: the description's first sentence instead",
                "paths./f.post.summary: a title: the description's first sentence instead",
            ]
        );
    }
}
