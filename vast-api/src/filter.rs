//! Filter expressions, the vendor's query language (its CLI's `vastai search offers 'QUERY'`,
//! its Python SDK's `search_offers(query=...)`): `gpu_ram>=24 num_gpus=1 gpu_name in
//! [RTX_4090,A100]` becomes the JSON of operator objects the search endpoints take,
//! `{"gpu_ram":{"gte":24},"num_gpus":{"eq":1},"gpu_name":{"in":["RTX 4090","A100"]}}`.
//!
//! The fields, and the value types the spec gives some operators, are generated per operation
//! whose JSON body is a filter (`vast_api::filters::SEARCH_OFFERS`), and such an operation's
//! builder takes an expression: `client.search_offers().filter("num_gpus>=2")?.send()`. The
//! `vast` CLI parses its QUERY argument with the same code.

use serde_json::{Map, Number, Value};

pub mod units;
pub mod vendor;

use units::Unit;

/// The operators, by every spelling the vendor CLI accepts, and their JSON names.
const SYMBOLS: &[(&str, &str)] = &[
    ("<=", "lte"),
    (">=", "gte"),
    ("==", "eq"),
    ("!=", "neq"),
    ("<", "lt"),
    (">", "gt"),
    ("=", "eq"),
];
const WORDS: &[(&str, &str)] = &[
    ("not in", "notin"),
    ("not eq", "neq"),
    ("notin", "notin"),
    ("nin", "notin"),
    ("noteq", "neq"),
    ("neq", "neq"),
    ("in", "in"),
    ("eq", "eq"),
    ("gte", "gte"),
    ("gt", "gt"),
    ("lte", "lte"),
    ("lt", "lt"),
];
const OPERATORS_HELP: &str = "<, <=, =, ==, !=, >=, >, in, notin, eq, neq, gt, gte, lt, lte";

/// A field of a filter body, and what the spec says of its values. `cargo xtask gen` writes each
/// filtering operation's fields into [`crate::filters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterField {
    /// The body field, as the API names it (`gpu_ram`).
    pub name: &'static str,
    /// (operator, JSON type of its value or, for `in`/`notin`, of the list's items): the value
    /// type the spec gives some of its operators (`("in", "integer")`: a list of whole numbers).
    pub typed: &'static [(&'static str, &'static str)],
    /// The JSON type of the field's values where the spec shows it (the searched objects'
    /// property of that name, or the examples in its description): `number`, `string` or
    /// `boolean`.
    pub kind: Option<&'static str>,
    /// The spec's description of the field, on one line; the API's unit is read from it
    /// (`GPU RAM in MB`).
    pub description: &'static str,
    /// The spec's `default` for the field, as JSON (`{"eq":true}`): the condition the operation
    /// applies unless a body sets the field.
    pub default: Option<&'static str>,
}

impl FilterField {
    /// The unit the API takes the field's values in: the one its description names, else the
    /// one `vastai` converts into (see [`vendor::BARE_UNITS`]).
    pub fn unit(&self) -> Option<Unit> {
        units::described(self.description).or_else(|| {
            let (_, _, api) = vendor::BARE_UNITS.iter().find(|(f, ..)| *f == self.name)?;
            units::named(api)
        })
    }

    /// The unit a bare number is read in: `vastai`'s where it converts (GB for `gpu_ram`,
    /// days for `duration`), else the API's.
    pub fn bare_unit(&self) -> Option<Unit> {
        let api = self.unit()?;
        let vendor = vendor::BARE_UNITS
            .iter()
            .find(|(f, ..)| *f == self.name)
            .and_then(|(_, bare, _)| units::named(bare))
            .filter(|bare| bare.dimension == api.dimension);
        Some(vendor.unwrap_or(api))
    }

    /// The field's units as help names them: `MB/s`, or `MB; a bare number is GB, as in
    /// vastai`.
    pub fn unit_note(&self) -> Option<String> {
        let (api, bare) = (self.unit()?, self.bare_unit()?);
        Some(if bare == api {
            api.name.to_string()
        } else {
            format!("{}; a bare number is {}, as in vastai", api.name, bare.name)
        })
    }
}

/// A parsed filter expression: the body fields it sets, each an object of operators, or
/// `null` for a field to leave out of the body (`FIELD=any` drops a default condition).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    fields: Map<String, Value>,
}

/// Why an expression was refused. Its text names the bad part; an unknown field also names
/// the close ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// A field the operation does not filter on, and up to three that are close to it.
    UnknownField {
        /// The field as written.
        field: String,
        /// The operation's fields nearest to it, closest first.
        close: Vec<&'static str>,
    },
    /// Anything else: a missing or unknown operator, a value of the wrong type, an unclosed
    /// list or quote.
    Invalid(String),
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FilterError::UnknownField { field, close } => {
                let names: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
                let hint = match names.as_slice() {
                    [] => String::new(),
                    [one] => format!("; did you mean {one}?"),
                    [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
                };
                write!(f, "unknown field `{field}` in the filter{hint}")
            }
            FilterError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for FilterError {}

impl Filter {
    /// Parses `query` against an operation's filter fields, as the `vast` CLI and the vendor's
    /// tools take it: `Filter::parse("num_gpus>=2 reliability>0.9", vast_api::filters::SEARCH_OFFERS)`.
    pub fn parse(query: &str, fields: &[FilterField]) -> Result<Filter, FilterError> {
        parse(query, fields).map(|fields| Filter { fields })
    }

    /// The body fields the expression sets (`null`: leave the field out).
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// Merges the expression into a JSON body: a field's operators join those the body has
    /// (the expression's win), and a `null` field is taken out.
    pub fn merge_into(&self, body: &mut Map<String, Value>) {
        for (field, ops) in &self.fields {
            match (body.get_mut(field), ops) {
                (_, Value::Null) => {
                    body.remove(field);
                }
                (Some(Value::Object(present)), Value::Object(ops)) => {
                    present.extend(ops.clone());
                }
                (_, ops) => {
                    body.insert(field.clone(), ops.clone());
                }
            }
        }
    }
}

/// A sort order in the vendor CLI's syntax (`vastai search offers -o 'dph_total,num_gpus-'`):
/// comma-separated fields, each ascending, or descending with a `-` before or after it (`+`
/// says ascending), as the `order` of a search body takes them: `[["dph_total", "asc"],
/// ["num_gpus", "desc"]]`. A field may be any the server sorts by (`score` is no filter
/// field); `vastai`'s names for fields (`dph`) are read as it reads them where `fields` has
/// what they stand for.
pub fn order(text: &str, fields: &[FilterField]) -> Value {
    let known = |name: &str| fields.iter().any(|f| f.name == name);
    let pairs = text
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|written| {
            let bare = written.trim_matches(['-', '+']);
            let direction = if written.starts_with('-') || written.ends_with('-') {
                "desc"
            } else {
                "asc"
            };
            serde_json::json!([vendor::aliased(bare, known), direction])
        });
    Value::Array(pairs.collect())
}

/// A builder with a filter expression, from a filtering operation's `filter()`: its `send()`
/// sends the builder's body with the expression merged in. The body goes out as JSON rather
/// than through the operation's typed body, whose types keep only the operators the spec
/// lists (`num_gpus` declares `in` alone, so `num_gpus>=2` would be dropped).
#[derive(Debug, Clone)]
pub struct Filtered<B> {
    pub(crate) builder: B,
    pub(crate) filter: Filter,
}

impl<B> Filtered<B> {
    /// Changes the builder under the filter (`.map(|b| b.body_map(|body| body.limit(5)))`).
    pub fn map(self, f: impl FnOnce(B) -> B) -> Self {
        Filtered {
            builder: f(self.builder),
            filter: self.filter,
        }
    }

    /// The parsed expression.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
}

tokio::task_local! {
    /// The filter of the `Filtered::send` in progress, for the request hook to merge in.
    static SENDING: Filter;
}

/// Runs `send` (one operation's request) with `filter` merged into the body it sends.
#[cfg(vast_filters)]
pub(crate) async fn sending<T>(filter: Filter, send: impl Future<Output = T>) -> T {
    SENDING.scope(filter, send).await
}

/// The request hook's part: the body of a request made under [`sending`], with the filter
/// merged in. Other requests are left alone.
pub(crate) fn merge_into_request(request: &mut reqwest::Request) {
    let _ = SENDING.try_with(|filter| {
        let mut body = request
            .body()
            .and_then(|b| b.as_bytes())
            .and_then(|b| serde_json::from_slice::<Map<String, Value>>(b).ok())
            .unwrap_or_default();
        filter.merge_into(&mut body);
        let bytes = serde_json::to_vec(&body).expect("JSON values serialise");
        *request.body_mut() = Some(bytes.into());
    });
}

/// The body fields an expression sets, each an object of operators or `null`.
fn parse(query: &str, fields: &[FilterField]) -> Result<Map<String, Value>, FilterError> {
    let mut out = Map::new();
    let mut rest = query.trim_start();
    while !rest.is_empty() {
        let (condition, after) = condition(rest).map_err(FilterError::Invalid)?;
        rest = after.trim_start();
        let Condition {
            text,
            field,
            op,
            value,
        } = condition;
        let field = vendor::aliased(field, |name| fields.iter().any(|f| f.name == name));
        let Some(spec) = fields.iter().find(|f| f.name == field) else {
            return Err(unknown_field(field, fields));
        };
        if op == "eq"
            && matches!(value, Parsed::Word(ref w) if ["any", "*", "?"].contains(&w.as_str()))
        {
            out.insert(field.to_string(), Value::Null);
            continue;
        }
        let value = typed(text, spec, op, value).map_err(FilterError::Invalid)?;
        match out.entry(field.to_string()).or_insert(Value::Null) {
            Value::Object(ops) => {
                ops.insert(op.to_string(), value);
            }
            slot => *slot = Value::Object(Map::from_iter([(op.to_string(), value)])),
        }
    }
    Ok(out)
}

struct Condition<'a> {
    text: &'a str,
    field: &'a str,
    op: &'static str,
    value: Parsed,
}

/// A value as written, before the field's types are applied.
enum Parsed {
    Word(String),
    Quoted(String),
    List(Vec<Parsed>),
}

/// One condition from the start of `input`, and what follows it.
fn condition(input: &str) -> Result<(Condition<'_>, &str), String> {
    let field_end = input
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(input.len());
    let word_end = input.find(char::is_whitespace).unwrap_or(input.len());
    if field_end == 0 {
        return Err(format!(
            "`{}` in the filter is not a condition: it must start with a field name, as in \
             gpu_ram>=24",
            &input[..word_end.max(1)]
        ));
    }
    let field = &input[..field_end];
    let after_field = &input[field_end..];
    let spaced = after_field.trim_start();
    let symbols = spaced
        .find(|c: char| !"=<>!".contains(c))
        .unwrap_or(spaced.len());
    let (op, after_op) = if symbols > 0 {
        let written = &spaced[..symbols];
        let Some((_, op)) = SYMBOLS.iter().find(|(s, _)| *s == written) else {
            return Err(format!(
                "unknown operator `{written}` after `{field}` in the filter; use one of \
                 {OPERATORS_HELP}"
            ));
        };
        (*op, &spaced[symbols..])
    } else {
        let word = WORDS.iter().find(|(w, _)| {
            after_field.starts_with(char::is_whitespace)
                && spaced.starts_with(w)
                && spaced[w.len()..].starts_with(char::is_whitespace)
        });
        match word {
            Some((w, op)) => (*op, &spaced[w.len()..]),
            None if spaced.is_empty() || after_field.starts_with(char::is_whitespace) => {
                return Err(format!(
                    "`{field}` in the filter needs an operator and a value, as in {field}=true \
                     or {field}>=1"
                ));
            }
            None => {
                let bad = spaced.split(char::is_whitespace).next().unwrap_or_default();
                return Err(format!(
                    "unknown operator in `{field}{bad}` in the filter; use one of {OPERATORS_HELP}"
                ));
            }
        }
    };
    let value_text = after_op.trim_start();
    if value_text.is_empty() {
        return Err(format!(
            "`{}` in the filter has no value",
            input[..input.len() - after_op.len()].trim_end()
        ));
    }
    let (value, rest) = value(value_text, op)?;
    let text = input[..input.len() - rest.len()].trim_end();
    Ok((
        Condition {
            text,
            field,
            op,
            value,
        },
        rest,
    ))
}

/// A value from the start of `input`: a list, a quoted string or a word.
fn value<'a>(input: &'a str, op: &str) -> Result<(Parsed, &'a str), String> {
    if let Some(inner) = input.strip_prefix('[') {
        let end = inner
            .find(']')
            .ok_or_else(|| format!("the list `{input}` in the filter has no closing ]"))?;
        let items = split_list(&inner[..end])?;
        return Ok((Parsed::List(items), &inner[end + 1..]));
    }
    if input.starts_with(['"', '\'']) {
        let (item, rest) = quoted(input)?;
        return Ok((item, rest));
    }
    let end = input.find(char::is_whitespace).unwrap_or(input.len());
    let word = &input[..end];
    let parsed = if op == "in" || op == "notin" {
        Parsed::List(split_list(word)?)
    } else {
        Parsed::Word(word.to_string())
    };
    Ok((parsed, &input[end..]))
}

fn quoted(input: &str) -> Result<(Parsed, &str), String> {
    let quote = input.chars().next().expect("starts with a quote");
    let body = &input[1..];
    let end = body
        .find(quote)
        .ok_or_else(|| format!("the quoted value {input} in the filter has no closing {quote}"))?;
    Ok((Parsed::Quoted(body[..end].to_string()), &body[end + 1..]))
}

/// `a, b,"c d"`: items separated by commas, each a word or a quoted string.
fn split_list(text: &str) -> Result<Vec<Parsed>, String> {
    let mut items = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if rest.starts_with(['"', '\'']) {
            let (item, after) = quoted(rest)?;
            items.push(item);
            rest = after.trim_start();
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let word = rest[..end].trim();
            if !word.is_empty() {
                items.push(Parsed::Word(word.to_string()));
            }
            rest = &rest[end..];
        }
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    if items.is_empty() {
        return Err(format!("the list [{text}] in the filter is empty"));
    }
    Ok(items)
}

/// The JSON value of `value`, checked against the type the spec gives the operator, if any.
fn typed(text: &str, field: &FilterField, op: &str, value: Parsed) -> Result<Value, String> {
    let declared = field
        .typed
        .iter()
        .find(|(o, _)| *o == op)
        .map(|(_, ty)| *ty);
    match value {
        Parsed::List(items) if op == "in" || op == "notin" => items
            .into_iter()
            .map(|item| scalar(text, field, item, declared))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Parsed::List(_) => Err(format!(
            "`{text}` in the filter: a list goes with in or notin, not with a comparison"
        )),
        single => scalar(text, field, single, declared),
    }
}

fn scalar(
    text: &str,
    field: &FilterField,
    value: Parsed,
    declared: Option<&str>,
) -> Result<Value, String> {
    if let Parsed::Word(word) = &value
        && let Some(value) = field_value(text, field, word, declared)?
    {
        return Ok(value);
    }
    let value = match value {
        Parsed::Quoted(s) => Value::String(s),
        Parsed::Word(w) => match w.as_str() {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            "null" | "None" => Value::Null,
            _ => number(&w).unwrap_or_else(|| Value::String(w.replace('_', " "))),
        },
        Parsed::List(_) => unreachable!("lists are not nested"),
    };
    let fits = match (declared, &value) {
        (None, _) | (_, Value::Null) => true,
        (Some("boolean"), v) => v.is_boolean(),
        (Some("integer"), v) => v.is_i64() || v.is_u64(),
        (Some("number"), v) => v.is_number(),
        (Some("string"), Value::Number(_) | Value::Bool(_)) => {
            return Ok(Value::String(value.to_string()));
        }
        (Some(_), _) => true,
    };
    if fits {
        Ok(value)
    } else {
        let kind = match declared {
            Some("boolean") => "true or false",
            Some("integer") => "a whole number",
            _ => "a number",
        };
        Err(format!("`{text}` in the filter: the value must be {kind}"))
    }
}

/// A word's value where the field says more than the grammar: a number in the API's unit for a
/// field with one (`24GB`, or a bare number in [`FilterField::bare_unit`]), a version as `vastai`
/// sends it, a number where the field takes numbers, text where it takes text (the operator's
/// declared type first). `None` where the grammar's reading stands (`true`, `null`, a field the
/// spec says nothing of, a type the caller checks).
fn field_value(
    text: &str,
    field: &FilterField,
    word: &str,
    declared: Option<&str>,
) -> Result<Option<Value>, String> {
    if ["true", "True", "false", "False", "null", "None"].contains(&word) {
        return Ok(None);
    }
    if vendor::VERSION_NUMBERS.contains(&field.name)
        && let Some(version) = vendor::version_number(word)
    {
        return Ok(Some(Value::from(version)));
    }
    if let (Some(api), Some(bare)) = (field.unit(), field.bare_unit()) {
        let refused = || {
            format!(
                "`{text}` in the filter: {} is in {}; write a number with a unit, as in {}, or \
                 a bare number ({})",
                field.name,
                api.name,
                units::examples(api.dimension),
                bare.name
            )
        };
        let (value, written) = units::measured(word).ok_or_else(refused)?;
        let converted = units::convert(value, written.unwrap_or(bare), api).ok_or_else(refused)?;
        return Ok(Some(whole_if_close(converted)));
    }
    match declared.or(field.kind) {
        Some("number") => number(word)
            .map(Some)
            .ok_or_else(|| format!("`{text}` in the filter: {} takes a number", field.name)),
        Some("string") => Ok(Some(Value::String(word.replace('_', " ")))),
        _ => Ok(None),
    }
}

/// A converted number as JSON: a whole number when it is one but for the rounding of the
/// conversion (0.1 GB is 100 MB, not 100.00000000000001).
fn whole_if_close(value: f64) -> Value {
    let whole = value.round();
    if (value - whole).abs() <= 1e-9 * value.abs().max(1.0) && whole.abs() < 9e15 {
        Value::from(whole as i64)
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

fn number(word: &str) -> Option<Value> {
    if let Ok(i) = word.parse::<i64>() {
        return Some(Value::from(i));
    }
    // `inf`, `nan` and the like parse as floats but are words here; JSON has no such numbers.
    let looks_numeric = word
        .chars()
        .all(|c| c.is_ascii_digit() || ".-+eE".contains(c));
    let f = word.parse::<f64>().ok().filter(|_| looks_numeric)?;
    Number::from_f64(f).map(Value::Number)
}

/// The error for a field the operation does not filter on, naming the closest ones.
fn unknown_field(field: &str, fields: &[FilterField]) -> FilterError {
    let mut close: Vec<(usize, &'static str)> = fields
        .iter()
        .map(|f| f.name)
        .filter_map(|name| {
            let d = distance(field, name);
            let related = name.contains(field) || field.contains(name);
            (d <= 2.max(field.len() / 4) || related && field.len() >= 3).then_some((d, name))
        })
        .collect();
    close.sort();
    FilterError::UnknownField {
        field: field.to_string(),
        close: close.into_iter().take(3).map(|(_, n)| n).collect(),
    }
}

/// Edit distance, for naming the fields a mistyped one is close to.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const fn field(
        name: &'static str,
        typed: &'static [(&'static str, &'static str)],
        kind: Option<&'static str>,
        description: &'static str,
    ) -> FilterField {
        FilterField {
            name,
            typed,
            kind,
            description,
            default: None,
        }
    }

    const FIELDS: &[FilterField] = &[
        field("gpu_ram", &[], Some("number"), "GPU RAM in MB"),
        field("num_gpus", &[("in", "integer")], Some("number"), ""),
        field("gpu_name", &[("in", "string")], Some("string"), ""),
        field("verified", &[("eq", "boolean")], None, ""),
        field("dph_total", &[], Some("number"), "Total $/hour rental cost"),
        field("driver_version", &[], None, ""),
        field("score", &[], None, ""),
        field("inet_down", &[], None, "Download bandwidth (MB/s)"),
        field("duration", &[], None, "Minimum duration in seconds"),
        field("cpu_ram", &[], None, ""),
    ];

    fn parsed(query: &str) -> Value {
        Value::Object(parse(query, FIELDS).unwrap_or_else(|e| panic!("{query}: {e}")))
    }

    fn error(query: &str) -> String {
        parse(query, FIELDS).unwrap_err().to_string()
    }

    #[test]
    fn the_issue_example() {
        assert_eq!(
            parsed("gpu_ram>=24 num_gpus=1 gpu_name in [RTX_4090,A100]"),
            json!({"gpu_ram":{"gte":24000},"num_gpus":{"eq":1},"gpu_name":{"in":["RTX 4090","A100"]}})
        );
    }

    #[test]
    fn every_operator_by_every_spelling() {
        for (query, op) in [
            ("score<2", "lt"),
            ("score<=2", "lte"),
            ("score=2", "eq"),
            ("score==2", "eq"),
            ("score!=2", "neq"),
            ("score>=2", "gte"),
            ("score>2", "gt"),
            ("score >= 2", "gte"),
            ("score eq 2", "eq"),
            ("score neq 2", "neq"),
            ("score noteq 2", "neq"),
            ("score not eq 2", "neq"),
            ("score gt 2", "gt"),
            ("score gte 2", "gte"),
            ("score lt 2", "lt"),
            ("score lte 2", "lte"),
        ] {
            assert_eq!(parsed(query), json!({"score": {op: 2}}), "{query}");
        }
        for (query, op) in [
            ("score in [1,2]", "in"),
            ("score notin [1,2]", "notin"),
            ("score nin [1,2]", "notin"),
            ("score not in [1,2]", "notin"),
            ("score in 1,2", "in"),
            ("score in [ 1 , 2 ]", "in"),
        ] {
            assert_eq!(parsed(query), json!({"score": {op: [1, 2]}}), "{query}");
        }
    }

    #[test]
    fn values_are_typed_and_underscores_are_spaces_outside_quotes() {
        assert_eq!(
            parsed(
                "verified=true score>0.5 gpu_name=RTX_4090 driver_version=\"535.54_x\" dph_total=null"
            ),
            json!({"verified":{"eq":true},"score":{"gt":0.5},"gpu_name":{"eq":"RTX 4090"},
                   "driver_version":{"eq":"535.54_x"},"dph_total":{"eq":null}})
        );
        assert_eq!(
            parsed("gpu_name in ['RTX 4090', A_100, 3090]"),
            json!({"gpu_name":{"in":["RTX 4090","A 100","3090"]}}),
            "the spec types gpu_name's list as strings"
        );
        assert_eq!(parsed("verified=False"), json!({"verified":{"eq":false}}));
        assert_eq!(parsed("score=-1e3"), json!({"score":{"eq":-1000.0}}));
        assert_eq!(parsed("score=inf"), json!({"score":{"eq":"inf"}}));
        assert_eq!(parsed("gpu_name=3090"), json!({"gpu_name":{"eq":"3090"}}));
    }

    #[test]
    fn conditions_on_one_field_combine_and_any_drops_it() {
        assert_eq!(
            parsed("  gpu_ram>=24   gpu_ram<80 verified=any "),
            json!({"gpu_ram":{"gte":24000,"lt":80000},"verified":null})
        );
        assert_eq!(parsed(""), json!({}));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            error("gpu_rm>=24"),
            "unknown field `gpu_rm` in the filter; did you mean `gpu_ram` or `cpu_ram`?"
        );
        assert_eq!(
            error("dph_totl<1"),
            "unknown field `dph_totl` in the filter; did you mean `dph_total`?"
        );
        assert_eq!(error("xyzzy=1"), "unknown field `xyzzy` in the filter");
        assert_eq!(
            error("gpu_ram=>24"),
            "unknown operator `=>` after `gpu_ram` in the filter; use one of <, <=, =, ==, !=, >=, >, in, notin, eq, neq, gt, gte, lt, lte"
        );
        assert_eq!(
            error("gpu_ram~24"),
            "unknown operator in `gpu_ram~24` in the filter; use one of <, <=, =, ==, !=, >=, >, in, notin, eq, neq, gt, gte, lt, lte"
        );
        assert_eq!(
            error("gpu_ram like 24"),
            "`gpu_ram` in the filter needs an operator and a value, as in gpu_ram=true or gpu_ram>=1"
        );
        assert_eq!(
            error("verified"),
            "`verified` in the filter needs an operator and a value, as in verified=true or verified>=1"
        );
        assert_eq!(
            error("gpu_ram>= "),
            "`gpu_ram>=` in the filter has no value"
        );
        assert_eq!(
            error(">=24"),
            "`>=24` in the filter is not a condition: it must start with a field name, as in gpu_ram>=24"
        );
        assert_eq!(
            error("gpu_name in [a,b"),
            "the list `[a,b` in the filter has no closing ]"
        );
        assert_eq!(
            error("gpu_name=\"RTX 4090"),
            "the quoted value \"RTX 4090 in the filter has no closing \""
        );
        assert_eq!(
            error("gpu_name in []"),
            "the list [] in the filter is empty"
        );
        assert_eq!(
            error("gpu_ram=[1,2]"),
            "`gpu_ram=[1,2]` in the filter: a list goes with in or notin, not with a comparison"
        );
        assert_eq!(
            error("verified=yes"),
            "`verified=yes` in the filter: the value must be true or false"
        );
        assert_eq!(
            error("num_gpus in [1,two]"),
            "`num_gpus in [1,two]` in the filter: the value must be a whole number"
        );
    }

    #[test]
    fn units_convert_to_the_api_s_and_bare_numbers_mean_what_vastai_means() {
        assert_eq!(
            parsed("gpu_ram>=24GB gpu_ram<=81920MB cpu_ram>=1.5 duration>=7d inet_down>=1GB/s"),
            json!({"gpu_ram":{"gte":24000,"lte":81920},"cpu_ram":{"gte":1500},
                   "duration":{"gte":604_800},"inet_down":{"gte":1000}})
        );
        assert_eq!(
            parsed("duration>=3 duration<12h inet_down>100 gpu_ram in [24,48gb]"),
            json!({"duration":{"gte":259_200,"lt":43200},"inet_down":{"gt":100},
                   "gpu_ram":{"in":[24000,48000]}})
        );
        assert_eq!(parsed("gpu_ram>=0.1GB"), json!({"gpu_ram":{"gte":100}}));
        assert_eq!(parsed("gpu_ram>=0.5MB"), json!({"gpu_ram":{"gte":0.5}}));
        assert_eq!(
            parsed("gpu_ram=\"24GB\" gpu_ram!=null"),
            json!({"gpu_ram":{"eq":"24GB","neq":null}}),
            "a quoted value is taken as written"
        );
    }

    #[test]
    fn vastai_names_and_versions_mean_what_they_mean_there() {
        assert_eq!(
            parsed("dph<0.5 driver_version>=535.86.05"),
            json!({"dph_total":{"lt":0.5},"driver_version":{"gte":535_086_005}})
        );
        assert_eq!(
            parsed("driver_version='535.86.05'"),
            json!({"driver_version":{"eq":"535.86.05"}})
        );
    }

    #[test]
    fn a_value_that_is_not_in_the_field_s_terms_is_refused() {
        assert_eq!(
            error("gpu_ram>=24GHz"),
            "`gpu_ram>=24GHz` in the filter: gpu_ram is in MB; write a number with a unit, as in 24GB or 512MB, or a bare number (GB)"
        );
        assert_eq!(
            error("gpu_ram>=big"),
            "`gpu_ram>=big` in the filter: gpu_ram is in MB; write a number with a unit, as in 24GB or 512MB, or a bare number (GB)"
        );
        assert_eq!(
            error("duration>=2GB"),
            "`duration>=2GB` in the filter: duration is in seconds; write a number with a unit, as in 7d, 12h or 30m, or a bare number (days)"
        );
        assert_eq!(
            error("dph_total<cheap"),
            "`dph_total<cheap` in the filter: dph_total takes a number"
        );
    }

    #[test]
    fn an_order_is_a_list_of_field_and_direction() {
        assert_eq!(
            order("dph, num_gpus-,-score,+gpu_ram,,", FIELDS),
            json!([
                ["dph_total", "asc"],
                ["num_gpus", "desc"],
                ["score", "desc"],
                ["gpu_ram", "asc"]
            ])
        );
        assert_eq!(order("", FIELDS), json!([]));
    }

    #[test]
    fn no_input_panics() {
        for query in [
            "\"",
            "[",
            "a=\"",
            "a in [",
            "é=1",
            "gpu_ram=é",
            "gpu_ram in ,,",
            "gpu_ram !",
            "_=1",
        ] {
            let _ = parse(query, FIELDS);
        }
    }
}
