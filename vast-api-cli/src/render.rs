//! Turning a response body into text: a table for lists of objects, pretty JSON for anything
//! else. Both read the body's bytes as a stream and write as they go: no tree of the whole
//! document is built, so the memory used stays near the body's own size whatever its shape. A
//! table reads the body up to three times instead: for its shape, its column widths, its rows.

use std::fmt;
use std::io::{self, Write};
use vast_api::text::{clean, is_unsafe};

use crate::presentation::{self, Shown};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

/// How a list is laid out: aligned under a header on a terminal, tab-separated rows for pipes.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Layout {
    Terminal,
    Pipe,
}

/// Which columns a table shows.
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    /// The listed objects' scalar properties, in the spec's order; empty when the spec does
    /// not list them (they are then found in the rows, in order of appearance).
    pub scalar: &'a [&'a str],
    /// Their other properties (objects, lists), printed as compact JSON when asked for.
    pub more: &'a [&'a str],
    pub choice: Choice<'a>,
    /// On a terminal, the columns that lead and how they are shown
    /// ([`crate::presentation`]).
    pub leads: &'a [(&'a str, Shown)],
}

/// The user's choice of columns.
#[derive(Clone, Copy, Debug)]
pub enum Choice<'a> {
    /// The scalar columns; on a terminal, as many as fit in this many character cells.
    Default { width: usize },
    /// `--all-cols`: the scalar columns, then the others.
    All,
    /// `--cols a,b,c`.
    Given(&'a [String]),
}

impl Columns<'_> {
    /// The columns the spec lists, for a table without a choice (tests, messages).
    #[cfg(test)]
    pub fn of<'a>(scalar: &'a [&'a str]) -> Columns<'a> {
        Columns {
            scalar,
            more: &[],
            choice: Choice::Default { width: usize::MAX },
            leads: &[],
        }
    }
}

/// Scalar columns left out to fit the terminal; `vast` names them on stderr.
#[derive(Debug, PartialEq, Default)]
pub struct Hidden(pub Vec<String>);

/// Writes `body`, a JSON document, to `out`. A top-level array of objects, or an object whose
/// one array field holds objects, prints as a table (see [`Columns`]); anything else as pretty
/// JSON. Returns the columns left out to fit the terminal.
pub fn render(
    body: &[u8],
    columns: &Columns,
    layout: Layout,
    out: &mut dyn Write,
) -> io::Result<Hidden> {
    match shape(body) {
        Shape::Rows(rows) => table(body, &rows, columns, layout, out),
        // A list response (the spec gives its columns) whose list is `null` or absent: servers
        // say "nothing" that way, and it prints as the empty table it means.
        Shape::Blank if !columns.scalar.is_empty() => {
            table(body, &Rows::None, columns, layout, out)
        }
        _ => pretty(body, out).map(|()| Hidden::default()),
    }
}

/// Where the rows of a table are.
#[derive(Debug, PartialEq)]
enum Rows {
    /// The document is the list.
    Top,
    /// The list is this field of the top-level object.
    Field(String),
    /// No rows: an empty table.
    None,
}

#[derive(Debug, PartialEq)]
enum Shape {
    Rows(Rows),
    /// An object whose fields are all `null`, or that has none.
    Blank,
    Other,
}

/// What a value is, as far as the table rule cares; finding out reads it without keeping it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Object,
    ObjectList,
    OtherList,
    Null,
    Scalar,
}

struct KindOf;

impl<'de> DeserializeSeed<'de> for KindOf {
    type Value = Kind;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Kind, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KindOf {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut all = true;
        while let Some(kind) = seq.next_element_seed(KindOf)? {
            all &= kind == Kind::Object;
        }
        Ok(if all {
            Kind::ObjectList
        } else {
            Kind::OtherList
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Kind::Object)
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
}

/// The document's shape, from one pass that keeps a few flags.
fn shape(body: &[u8]) -> Shape {
    struct Top;
    impl<'de> Visitor<'de> for Top {
        type Value = Shape;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array or object")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
            Ok(match KindOf.visit_seq(seq)? {
                Kind::ObjectList => Shape::Rows(Rows::Top),
                _ => Shape::Other,
            })
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
            let (mut list, mut lists, mut blank) = (None, 0, true);
            while let Some(key) = map.next_key::<String>()? {
                match map.next_value_seed(KindOf)? {
                    Kind::ObjectList => {
                        lists += 1;
                        list = Some(key);
                    }
                    Kind::OtherList => lists += 1,
                    Kind::Null => {}
                    Kind::Object | Kind::Scalar => blank = false,
                }
            }
            Ok(match (lists, list) {
                (1, Some(field)) => Shape::Rows(Rows::Field(field)),
                (0, _) if blank => Shape::Blank,
                _ => Shape::Other,
            })
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_any(Top).unwrap_or(Shape::Other)
}

/// One row: the fields named in `keep` (all when `None`); the rest are read past, not kept.
struct Row<'a> {
    keep: Option<&'a [String]>,
}

impl<'de> DeserializeSeed<'de> for Row<'_> {
    type Value = Map<String, Value>;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Row<'_> {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut row = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.keep.is_none_or(|keep| keep.contains(&key)) {
                let value = map.next_value()?;
                row.insert(key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(row)
    }
}

/// Calls `each` with every row, one at a time (only the current one is in memory), holding the
/// fields named in `keep` (all when `None`).
fn for_each_row(
    body: &[u8],
    rows: &Rows,
    keep: Option<&[String]>,
    each: &mut dyn FnMut(Map<String, Value>) -> io::Result<()>,
) -> io::Result<()> {
    // A write error stops the reading; it is kept here and returned as itself.
    let mut failed = None;
    struct List<'a, 'b> {
        keep: Option<&'a [String]>,
        each: &'a mut dyn FnMut(Map<String, Value>) -> io::Result<()>,
        failed: &'b mut Option<io::Error>,
    }
    impl<'de> DeserializeSeed<'de> for List<'_, '_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
            de.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for List<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(row) = seq.next_element_seed(Row { keep: self.keep })? {
                if let Err(e) = (self.each)(row) {
                    *self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
            }
            Ok(())
        }
    }
    struct InField<'a, 'b> {
        name: &'a str,
        list: List<'a, 'b>,
    }
    impl<'de> Visitor<'de> for InField<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut list = Some(self.list);
            while let Some(key) = map.next_key::<String>()? {
                match list.take_if(|_| key == self.name) {
                    Some(found) => map.next_value_seed(found)?,
                    None => map.next_value::<IgnoredAny>().map(drop)?,
                }
            }
            Ok(())
        }
    }
    let list = List {
        keep,
        each,
        failed: &mut failed,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let read = match rows {
        Rows::Top => list.deserialize(&mut de),
        Rows::Field(name) => de.deserialize_map(InField { name, list }),
        Rows::None => return Ok(()),
    };
    match (read, failed) {
        (_, Some(e)) => Err(e),
        // The body decoded as the spec's type before it got here, so it is JSON.
        (Err(e), None) => Err(io::Error::other(e)),
        (Ok(()), None) => Ok(()),
    }
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn table(
    body: &[u8],
    rows: &Rows,
    columns: &Columns,
    layout: Layout,
    out: &mut dyn Write,
) -> io::Result<Hidden> {
    let (mut names, mut widths) = measured(body, rows, columns, layout)?;
    let mut hidden = Hidden::default();
    if let (Choice::Default { width }, Layout::Terminal) = (columns.choice, layout) {
        let order = presentation::ordered(&names, columns.leads);
        names = order.iter().map(|i| names[*i].clone()).collect();
        widths = order.iter().map(|i| widths[*i]).collect();
        let fit = fitting(&widths, width);
        hidden.0 = names.split_off(fit);
        widths.truncate(fit);
    }
    let mut line = String::new();
    let mut write_line = |cells: Vec<String>| -> io::Result<()> {
        line.clear();
        let last = cells.len().saturating_sub(1);
        for (i, text) in cells.iter().enumerate() {
            line.push_str(text);
            match layout {
                _ if i == last => {}
                Layout::Pipe => line.push('\t'),
                Layout::Terminal => {
                    line.extend(std::iter::repeat_n(' ', widths[i] - text.width() + 2))
                }
            }
        }
        out.write_all(line.trim_end_matches(' ').as_bytes())?;
        out.write_all(b"\n")
    };
    if layout == Layout::Terminal {
        write_line(names.iter().map(|c| clean(c)).collect())?;
    }
    for_each_row(body, rows, Some(&names), &mut |row| {
        let cells = names
            .iter()
            .map(|name| cell(row.get(name), shown(columns, layout, name)));
        write_line(cells.collect())
    })?;
    Ok(hidden)
}

/// How a column's numbers are shown: in a person's units on a terminal, as sent in a pipe.
fn shown(columns: &Columns, layout: Layout, name: &str) -> Shown {
    match layout {
        Layout::Terminal => presentation::shown(name, columns.leads),
        Layout::Pipe => Shown::AsIs,
    }
}

/// The table's columns and, on a terminal, each one's width in character cells.
fn measured(
    body: &[u8],
    rows: &Rows,
    columns: &Columns,
    layout: Layout,
) -> io::Result<(Vec<String>, Vec<usize>)> {
    let listed = !columns.scalar.is_empty();
    let all = matches!(columns.choice, Choice::All);
    let mut names: Vec<String> = match columns.choice {
        Choice::Given(given) => given.to_vec(),
        Choice::All => columns
            .scalar
            .iter()
            .chain(columns.more)
            .map(|c| c.to_string())
            .collect(),
        Choice::Default { .. } => columns.scalar.iter().map(|c| c.to_string()).collect(),
    };
    let find = !listed && !matches!(columns.choice, Choice::Given(_));
    let width = |row: &Map<String, Value>, name: &str| {
        cell(row.get(name), shown(columns, layout, name)).width()
    };
    let mut widths: Vec<usize> = names.iter().map(|c| clean(c).width()).collect();
    // Columns the spec does not list are found in the rows (scalars, and with --all-cols the
    // rest after them), in the order they first appear. On a terminal, each column's width
    // is needed too. Either needs a pass of its own before any row prints.
    if find || layout == Layout::Terminal {
        let wanted = names.clone();
        let keep = (!find).then_some(wanted.as_slice());
        let mut nested: Vec<String> = Vec::new();
        for_each_row(body, rows, keep, &mut |row| {
            if find {
                for (key, value) in &row {
                    if is_scalar(value) && !names.contains(key) {
                        widths.push(clean(key).width());
                        names.push(key.clone());
                    } else if all && !is_scalar(value) && !value.is_null() && !nested.contains(key)
                    {
                        nested.push(key.clone());
                    }
                }
            }
            for (i, name) in names.iter().enumerate() {
                widths[i] = widths[i].max(width(&row, name));
            }
            Ok(())
        })?;
        if !nested.is_empty() {
            nested.retain(|n| !names.contains(n));
            let start = names.len();
            names.extend(nested);
            widths.extend(names[start..].iter().map(|n| clean(n).width()));
            for_each_row(body, rows, Some(&names[start..]), &mut |row| {
                for (i, name) in names[start..].iter().enumerate() {
                    widths[start + i] = widths[start + i].max(width(&row, name));
                }
                Ok(())
            })?;
        }
    }
    Ok((names, widths))
}

/// How many of the first columns fit in `width` cells, two spaces apart; at least one.
fn fitting(widths: &[usize], width: usize) -> usize {
    let mut used = 0usize;
    for (i, w) in widths.iter().enumerate() {
        used = used.saturating_add(w + if i == 0 { 0 } else { 2 });
        if used > width {
            return i.max(1);
        }
    }
    widths.len()
}

/// A value as a table cell: absent and `null` are blank; a number as `shown` says; nested
/// values print as compact JSON.
fn cell(value: Option<&Value>, shown: Shown) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => clean(s),
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(|n| presentation::number_text(n, shown))
            .unwrap_or_else(|| n.to_string()),
        Some(other @ Value::Bool(_)) => other.to_string(),
        Some(nested) => clean(&nested.to_string()),
    }
}

/// The document as indented JSON, streamed from the body to `out`.
fn pretty(body: &[u8], out: &mut dyn Write) -> io::Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Escaping::default());
    serde_transcode::transcode(&mut de, &mut ser).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Writes `text` with each character `escape` picks (given the text after it) written as a
/// `\uXXXX` escape, as JSON spells it (two for a character beyond U+FFFF).
fn write_escaped<W: ?Sized + Write>(
    text: &str,
    writer: &mut W,
    escape: impl Fn(char, &str) -> bool,
) -> io::Result<()> {
    let mut rest = text;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|(at, c)| escape(*c, &rest[at + c.len_utf8()..]))
    {
        writer.write_all(&rest.as_bytes()[..at])?;
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            write!(writer, "\\u{unit:04x}")?;
        }
        rest = &rest[at + c.len_utf8()..];
    }
    writer.write_all(rest.as_bytes())
}

/// A body as `--raw` shows it on a terminal: as received, but with each character that would act
/// on the terminal written as a `\uXXXX` escape, as pretty JSON writes it (inside a JSON string,
/// the same text), and invalid UTF-8 replaced by U+FFFD. Line breaks, CRLF and tabs stay: they
/// are the layout of a body written to be read.
pub fn raw_for_terminal(body: &[u8], out: &mut dyn Write) -> io::Result<()> {
    let escape = |c: char, after: &str| {
        is_unsafe(c) && !matches!(c, '\n' | '\t') && !(c == '\r' && after.starts_with('\n'))
    };
    for chunk in body.utf8_chunks() {
        write_escaped(chunk.valid(), out, escape)?;
        if !chunk.invalid().is_empty() {
            out.write_all("\u{fffd}".as_bytes())?;
        }
    }
    Ok(())
}

/// Formatter methods that are the pretty printer's own, passed on to it.
macro_rules! pretty_as_is {
    ($($name:ident($($arg:ident: $ty:ty)?);)*) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)?) -> io::Result<()> {
            self.0.$name(w $(, $arg)?)
        }
    )*};
}

/// serde_json's pretty printer, with every unsafe character in a string written as a `\uXXXX`
/// escape (serde_json escapes only C0 controls): the output is still the same JSON document,
/// and nothing in it acts on the terminal.
#[derive(Default)]
struct Escaping(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_escaped(fragment, writer, |c, _| is_unsafe(c))
    }

    pretty_as_is! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLUMNS: &[&str] = &["id", "user_id", "rights", "team_id", "team_name"];

    /// What `render` writes for `value`'s JSON text.
    fn render(value: &Value, columns: &[&str], layout: Layout) -> String {
        chosen(value, &Columns::of(columns), layout).0
    }

    /// What `render` writes with these columns, and the columns it left out.
    fn chosen(value: &Value, columns: &Columns, layout: Layout) -> (String, Vec<String>) {
        let mut out = Vec::new();
        let hidden = super::render(
            &serde_json::to_vec(value).unwrap(),
            columns,
            layout,
            &mut out,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), hidden.0)
    }

    fn with(choice: Choice<'_>) -> Columns<'_> {
        Columns {
            scalar: &["id", "name", "price"],
            more: &["tags"],
            choice,
            leads: &[],
        }
    }

    #[test]
    fn default_columns_fit_the_width_in_spec_order() {
        let value = json!({"offers": [
            {"id": 1, "name": "alpha", "price": 0.25, "tags": ["a"]},
            {"id": 22, "name": "b", "price": 1, "tags": null},
        ]});
        // "id  name   price": 16 cells.
        for (width, shown, hidden) in [
            (
                16,
                "id  name   price\n1   alpha  0.25\n22  b      1\n",
                vec![],
            ),
            (15, "id  name\n1   alpha\n22  b\n", vec!["price"]),
            (1, "id\n1\n22\n", vec!["name", "price"]),
        ] {
            let (out, left) = chosen(&value, &with(Choice::Default { width }), Layout::Terminal);
            assert_eq!(out, shown, "width {width}");
            assert_eq!(left, hidden, "width {width}");
        }
        let (piped, left) = chosen(&value, &with(Choice::Default { width: 1 }), Layout::Pipe);
        assert_eq!(
            piped, "1\talpha\t0.25\n22\tb\t1\n",
            "a pipe gets every scalar column"
        );
        assert!(left.is_empty());
    }

    #[test]
    fn a_terminal_leads_with_the_table_s_columns_in_a_person_s_units() {
        let value = json!({"offers": [
            {"bundle_id": 9, "gpu_ram": 24576, "id": 1, "dph_total": 0.45, "gpu_name": "RTX 4090"},
        ]});
        let columns = Columns {
            scalar: &[],
            more: &[],
            choice: Choice::Default { width: 80 },
            leads: crate::presentation::leads("search_offers"),
        };
        assert_eq!(
            chosen(&value, &columns, Layout::Terminal).0,
            "id  gpu_name  gpu_ram  dph_total  bundle_id\n1   RTX 4090  24.6 GB  $0.4500/h  9\n"
        );
        assert_eq!(
            chosen(&value, &columns, Layout::Pipe).0,
            "9\t24576\t1\t0.45\tRTX 4090\n",
            "a pipe gets the values as sent, in their order"
        );
    }

    #[test]
    fn chosen_and_all_columns() {
        let value = json!([{"id": 1, "name": "alpha", "price": 0.25, "tags": ["a", "b"]}]);
        let cols = ["tags".to_string(), "id".to_string(), "absent".to_string()];
        assert_eq!(
            chosen(&value, &with(Choice::Given(&cols)), Layout::Terminal).0,
            "tags       id  absent\n[\"a\",\"b\"]  1\n"
        );
        assert_eq!(
            chosen(&value, &with(Choice::All), Layout::Pipe).0,
            "1\talpha\t0.25\t[\"a\",\"b\"]\n"
        );
        let unlisted = Columns {
            scalar: &[],
            more: &[],
            choice: Choice::All,
            leads: &[],
        };
        let found = json!([{"nested": {"x": 1}, "a": 1}, {"b": true, "list": [1]}]);
        assert_eq!(
            chosen(&found, &unlisted, Layout::Terminal).0,
            "a  b     nested   list\n1        {\"x\":1}\n   true           [1]\n",
            "found columns: scalars first, then the others"
        );
    }

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
        let value = json!([{"name": "a\u{1b}[31mred\tx\ny\u{202e}z\u{9b}1m\u{7f}\u{2066}\u{200f}\u{2028}\u{200b}\u{feff}!"}]);
        assert_eq!(
            render(&value, &[], Layout::Pipe),
            "a [31mred x y z 1m      !\n"
        );
    }

    #[test]
    fn raw_output_on_a_terminal_escapes_what_would_act_on_it() {
        let body =
            b"{\"a\": \"\x1b]52;c;eA==\x07\x1b[2J\rX\xc2\x9b1m\xe2\x80\xae\xff\"}\r\n\t[1]\n";
        let mut out = Vec::new();
        raw_for_terminal(body, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"a\": \"\\u001b]52;c;eA==\\u0007\\u001b[2J\\u000dX\\u009b1m\\u202e\u{fffd}\"}\r\n\t[1]\n"
        );
    }

    #[test]
    fn pretty_json_escapes_what_would_act_on_a_terminal_and_stays_the_same_document() {
        let text =
            "\u{9b}31m\u{7f}\u{202e}\u{2066}\u{200f}\u{2028}\u{200b}\u{feff}\u{e0041}ok\u{1b}";
        let value = json!({"msg": text, "\u{202e}key": 1});
        let shown = render(&value, &[], Layout::Terminal);
        assert_eq!(
            shown,
            "{\n  \"msg\": \"\\u009b31m\\u007f\\u202e\\u2066\\u200f\\u2028\\u200b\\ufeff\\udb40\\udc41ok\\u001b\",\n  \"\\u202ekey\": 1\n}\n"
        );
        assert_eq!(serde_json::from_str::<Value>(&shown).unwrap(), value);
    }
}
