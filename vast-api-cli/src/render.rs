//! Turning a response into text: a table for lists of objects, pretty JSON for anything else.

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

/// How a list is laid out: aligned under a header on a terminal, tab-separated rows for pipes.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Layout {
    Terminal,
    Pipe,
}

/// A top-level array of objects, or an object whose one array field holds objects, prints as a
/// table of scalar columns (`columns` from the spec when it lists them, else as found); anything
/// else as pretty JSON.
pub fn render(value: &Value, columns: &[&str], layout: Layout) -> String {
    match rows(value) {
        Some(rows) => table(rows, columns, layout),
        // A list response (the spec gives its columns) whose list is `null` or absent: servers
        // say "nothing" that way, and it prints as the empty table it means.
        None if !columns.is_empty() && is_empty_object(value) => table(&[], columns, layout),
        None => {
            let mut text = serde_json::to_string_pretty(value).expect("a Value always serialises");
            text.push('\n');
            text
        }
    }
}

fn rows(value: &Value) -> Option<&Vec<Value>> {
    let list = match value {
        Value::Array(items) => items,
        Value::Object(fields) => {
            let mut arrays = fields.values().filter_map(Value::as_array);
            let one = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            one
        }
        _ => return None,
    };
    list.iter().all(Value::is_object).then_some(list)
}

fn is_empty_object(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|fields| fields.values().all(Value::is_null))
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn table(rows: &[Value], columns: &[&str], layout: Layout) -> String {
    let columns: Vec<String> = if columns.is_empty() {
        // No list schema in the spec: the scalar fields in the order they first appear.
        let mut found: Vec<String> = Vec::new();
        for row in rows.iter().filter_map(Value::as_object) {
            for (key, value) in row {
                if is_scalar(value) && !found.contains(key) {
                    found.push(key.clone());
                }
            }
        }
        found
    } else {
        columns.iter().map(|c| c.to_string()).collect()
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| cell(row.get(c))).collect())
        .collect();
    let mut out = String::new();
    match layout {
        Layout::Pipe => {
            for row in &cells {
                out.push_str(&row.join("\t"));
                out.push('\n');
            }
        }
        Layout::Terminal => {
            let header: Vec<String> = columns.iter().map(|c| clean(c)).collect();
            let widths: Vec<usize> = (0..columns.len())
                .map(|i| {
                    std::iter::once(&header)
                        .chain(&cells)
                        .map(|row| row[i].width())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in std::iter::once(&header).chain(&cells) {
                let mut line = String::new();
                for (i, text) in row.iter().enumerate() {
                    if i + 1 == row.len() {
                        line.push_str(text);
                    } else {
                        line.push_str(text);
                        line.extend(std::iter::repeat_n(' ', widths[i] - text.width() + 2));
                    }
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    out
}

/// A value as a table cell: absent and `null` are blank; nested values print as compact JSON.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => clean(s),
        Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string(),
        Some(nested) => clean(&nested.to_string()),
    }
}

/// A server's text must not move the cursor, change colours, reorder a line or break a row:
/// control characters (escape, tab, newline…) and bidirectional overrides become spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { ' ' } else { c }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLUMNS: &[&str] = &["id", "user_id", "rights", "team_id", "team_name"];

    #[test]
    fn a_wrapped_list_is_a_table_in_spec_order_with_blanks() {
        let value = json!({"apikeys": [
            {"id": 1, "rights": "read", "user_id": 2, "team_name": null},
            {"id": 10, "user_id": 20, "rights": "admin", "team_id": 3, "team_name": "Team Alpha"},
        ]});
        assert_eq!(
            render(&value, COLUMNS, Layout::Terminal),
            "id  user_id  rights  team_id  team_name\n\
             1   2        read\n\
             10  20       admin   3        Team Alpha\n"
        );
        assert_eq!(
            render(&value, COLUMNS, Layout::Pipe),
            "1\t2\tread\t\t\n10\t20\tadmin\t3\tTeam Alpha\n"
        );
    }

    #[test]
    fn a_null_or_missing_list_is_an_empty_table() {
        for value in [json!({"apikeys": null}), json!({})] {
            assert_eq!(
                render(&value, COLUMNS, Layout::Terminal),
                "id  user_id  rights  team_id  team_name\n"
            );
            assert_eq!(render(&value, COLUMNS, Layout::Pipe), "");
        }
        assert_eq!(
            render(&json!({}), &[], Layout::Pipe),
            "{}\n",
            "not a list response"
        );
    }

    #[test]
    fn wide_characters_align_by_screen_width() {
        let value = json!([{"name": "東京", "n": 1}, {"name": "ab", "n": 2}]);
        assert_eq!(
            render(&value, &["name", "n"], Layout::Terminal),
            "name  n\n東京  1\nab    2\n"
        );
    }

    #[test]
    fn columns_are_found_when_the_spec_has_none() {
        let value = json!([{"a": 1, "nested": {"x": 1}}, {"b": true, "a": 2}]);
        assert_eq!(render(&value, &[], Layout::Pipe), "1\t\n2\ttrue\n");
    }

    #[test]
    fn anything_else_is_pretty_json() {
        let value = json!({"success": true, "id": 5});
        assert_eq!(
            render(&value, &[], Layout::Pipe),
            "{\n  \"success\": true,\n  \"id\": 5\n}\n"
        );
        let two_lists = json!({"a": [{"x": 1}], "b": [{"y": 2}]});
        assert!(render(&two_lists, &[], Layout::Pipe).starts_with('{'));
        let scalars = json!([1, 2]);
        assert_eq!(render(&scalars, &[], Layout::Pipe), "[\n  1,\n  2\n]\n");
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let value = json!([{"name": "a\u{1b}[31mred\tx\ny\u{202e}z"}]);
        assert_eq!(render(&value, &[], Layout::Pipe), "a [31mred x y z\n");
    }
}
