//! The API surface of a generated client — its operations, what each one takes, and the fields of
//! each one's success response — so `cargo xtask gen` can say what a spec change means for the
//! code that uses the client: breaking or additive, and which version bump that asks for.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Fields, FnArg, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// One operation as its callers see it.
#[derive(Debug, Default, PartialEq)]
pub struct Operation {
    /// Dotted response field paths (`apikeys.team_name`) and their Rust types.
    pub response: BTreeMap<String, String>,
    /// The builder's inputs (parameters, and `body.<field>` for a JSON body) and whether each is
    /// required.
    pub inputs: BTreeMap<String, Input>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub ty: String,
    pub required: bool,
}

/// Each operation, by method name, and the variants of each enum in `types` (a variant added or
/// removed breaks a `match` on it: typify's enums are exhaustive).
#[derive(Debug, Default, PartialEq)]
pub struct Surface(BTreeMap<String, Operation>, BTreeMap<String, Vec<String>>);

type Structs = BTreeMap<String, Vec<(String, Type)>>;

/// Read from generated client code; code that does not parse has an empty surface.
pub fn of_code(code: &str) -> Surface {
    let Ok(file) = syn::parse_file(code) else {
        return Surface::default();
    };
    let mut items = Items::default();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "types" || m.ident == "builder" => items.read_module(m),
            Item::Impl(imp)
                if last_ident(&imp.self_ty).as_deref() == Some("Client")
                    && imp.trait_.is_none() =>
            {
                items.read_client(imp);
            }
            _ => {}
        }
    }
    let mut surface = Surface::default();
    for (method, builder) in &items.methods {
        surface.0.insert(method.clone(), items.operation(builder));
    }
    surface.1 = items.enums;
    surface
}

/// What the surface is read from: the `types` and `builder` modules and `Client`'s methods.
#[derive(Default)]
struct Items {
    structs: Structs,
    builders: Structs,
    sends: BTreeMap<String, Type>,
    /// Each operation's method and the builder it returns.
    methods: Vec<(String, String)>,
    enums: BTreeMap<String, Vec<String>>,
}

impl Items {
    fn read_module(&mut self, m: &syn::ItemMod) {
        let types = m.ident == "types";
        for inner in m.content.iter().flat_map(|(_, items)| items) {
            match inner {
                Item::Enum(e) if types => {
                    self.enums.insert(
                        e.ident.to_string(),
                        e.variants.iter().map(|v| v.ident.to_string()).collect(),
                    );
                }
                Item::Struct(s) => {
                    let into = if types {
                        &mut self.structs
                    } else {
                        &mut self.builders
                    };
                    into.insert(s.ident.to_string(), fields(&s.fields));
                }
                Item::Impl(imp) if !types => self.read_builder(imp),
                _ => {}
            }
        }
    }

    /// A builder's `send()`, whose type names the success body.
    fn read_builder(&mut self, imp: &syn::ItemImpl) {
        let Some(name) = last_ident(&imp.self_ty) else {
            return;
        };
        for f in &imp.items {
            if let ImplItem::Fn(f) = f
                && f.sig.ident == "send"
                && let ReturnType::Type(_, ty) = &f.sig.output
            {
                self.sends.insert(name.clone(), (**ty).clone());
            }
        }
    }

    fn read_client(&mut self, imp: &syn::ItemImpl) {
        for f in &imp.items {
            if let ImplItem::Fn(f) = f
                && matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_)))
                && let ReturnType::Type(_, ty) = &f.sig.output
                && let Some(builder) = last_ident(ty)
            {
                self.methods.push((f.sig.ident.to_string(), builder));
            }
        }
    }

    /// The inputs and response fields of the operation whose builder is `builder`.
    fn operation(&self, builder: &str) -> Operation {
        let mut op = Operation::default();
        // send() -> Result<ResponseValue<types::T>, Error<…>>: T's fields, nested ones dotted.
        if let Some(success) = self
            .sends
            .get(builder)
            .and_then(|t| generic(t, 0))
            .and_then(|t| generic(t, 0))
        {
            collect(success, "", &self.structs, &mut op.response, 0);
        }
        // Builder fields are `Result<T, String>`; an optional input's T is an Option.
        for (name, ty) in self.builders.get(builder).into_iter().flatten() {
            let Some(inner) = generic(ty, 0) else {
                continue;
            };
            let body = last_ident(inner).filter(|_| name == "body");
            match body.and_then(|b| self.structs.get(&b)) {
                Some(fields) => {
                    for (field, ty) in fields {
                        op.inputs.insert(format!("body.{field}"), input(ty));
                    }
                }
                None => {
                    op.inputs.insert(name.clone(), input(inner));
                }
            }
        }
        op
    }
}

fn fields(fields: &Fields) -> Vec<(String, Type)> {
    fields
        .iter()
        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
        .collect()
}

fn input(ty: &Type) -> Input {
    Input {
        ty: shown(ty),
        required: last_ident(ty).as_deref() != Some("Option"),
    }
}

/// A type as a person reads it: `Option<Vec<ApiKey>>`, without the paths.
fn shown(ty: &Type) -> String {
    // prettyplease leaves a trailing comma in long generic lists: `Option<Vec<A>,>`.
    let text = ty
        .to_token_stream()
        .to_string()
        .replace(' ', "")
        .replace(",>", ">");
    let mut out = String::new();
    // Keep the last segment of each path: `::std::option::Option<types::A>` → `Option<A>`.
    for piece in text.split_inclusive(['<', '>', ',', '(', ')', '[', ']', ';']) {
        let (path, delimiter) = match piece.char_indices().last() {
            Some((i, c)) if "<>,()[];".contains(c) => (&piece[..i], &piece[i..]),
            _ => (piece, ""),
        };
        out.push_str(path.rsplit("::").next().unwrap_or(path));
        out.push_str(delimiter);
    }
    out
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The `index`th generic argument of the type's last path segment.
fn generic(ty: &Type, index: usize) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .nth(index)
}

fn collect(
    ty: &Type,
    prefix: &str,
    structs: &Structs,
    out: &mut BTreeMap<String, String>,
    depth: usize,
) {
    let Some(name) = last_ident(ty) else { return };
    if matches!(name.as_str(), "Option" | "Vec" | "Box") {
        if let Some(inner) = generic(ty, 0) {
            collect(inner, prefix, structs, out, depth);
        }
        return;
    }
    // Deep enough for any real response; a recursive type stops here.
    if depth > 4 {
        return;
    }
    for (field, field_ty) in structs.get(&name).into_iter().flatten() {
        let path = if prefix.is_empty() {
            field.clone()
        } else {
            format!("{prefix}.{field}")
        };
        out.insert(path.clone(), shown(field_ty));
        collect(field_ty, &path, structs, out, depth + 1);
    }
}

/// What kind of change a spec update is for the crates' users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    None,
    Additive,
    Breaking,
}

/// Lines for the person updating the spec: operations added and removed, then per operation
/// that stays, response fields and inputs added, removed and changed; last, whether the update
/// is breaking or additive and the version bump that asks for (from `version`, the crates' own).
pub fn changes(old: &Surface, new: &Surface, version: &str) -> Vec<String> {
    let mut report = Report::default();
    for op in new.0.keys().filter(|op| !old.0.contains_key(*op)) {
        report.additive(format!("api: + operation {op}"), "operations added", 1);
    }
    for op in old.0.keys().filter(|op| !new.0.contains_key(*op)) {
        report.breaking(format!("api: - operation {op}"), "operations removed", 1);
    }
    for (op, now) in &new.0 {
        if let Some(before) = old.0.get(op) {
            report.response_changes(op, before, now);
            report.input_changes(op, before, now);
        }
    }
    for (name, variants) in &new.1 {
        if let Some(before) = old.1.get(name) {
            report.variant_changes(name, before, variants);
        }
    }
    report.finish(old, new, version)
}

/// The change report as it is written: its lines, and how many changes of each kind.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    breaking: BTreeMap<&'static str, usize>,
    additive: BTreeMap<&'static str, usize>,
}

impl Report {
    fn breaking(&mut self, line: String, what: &'static str, n: usize) {
        self.lines.push(line);
        *self.breaking.entry(what).or_default() += n;
    }

    fn additive(&mut self, line: String, what: &'static str, n: usize) {
        self.lines.push(line);
        *self.additive.entry(what).or_default() += n;
    }

    fn response_changes(&mut self, op: &str, before: &Operation, now: &Operation) {
        let added: Vec<&String> = now
            .response
            .keys()
            .filter(|f| !before.response.contains_key(*f))
            .collect();
        let removed: Vec<&String> = before
            .response
            .keys()
            .filter(|f| !now.response.contains_key(*f))
            .collect();
        if !added.is_empty() {
            let line = format!("api: {op}: + response fields {}", join(&added));
            self.additive(line, "response fields added", added.len());
        }
        if !removed.is_empty() {
            let line = format!("api: {op}: - response fields {}", join(&removed));
            self.breaking(line, "response fields removed", removed.len());
        }
        for (field, ty) in &now.response {
            if let Some(was) = before.response.get(field)
                && was != ty
            {
                let line = format!("api: {op}: response field {field}: {was} → {ty}");
                self.breaking(line, "types changed", 1);
            }
        }
    }

    fn input_changes(&mut self, op: &str, before: &Operation, now: &Operation) {
        for (name, input) in &now.inputs {
            let line = |what: String| format!("api: {op}: {what}");
            match before.inputs.get(name) {
                None if input.required => self.breaking(
                    line(format!("+ required parameter {name}: {}", input.ty)),
                    "required parameters added",
                    1,
                ),
                None => self.additive(
                    line(format!("+ parameter {name}: {}", input.ty)),
                    "parameters added",
                    1,
                ),
                Some(was) if input.required && !was.required => self.breaking(
                    line(format!("parameter {name} became required")),
                    "parameters became required",
                    1,
                ),
                Some(was) if was.ty != input.ty && was.required == input.required => self.breaking(
                    line(format!("parameter {name}: {} → {}", was.ty, input.ty)),
                    "types changed",
                    1,
                ),
                // A body field is a public struct field: `String` → `Option<String>` breaks code
                // that builds or reads the struct. A parameter is only a setter's argument.
                Some(was) if !input.required && was.required && name.starts_with("body.") => self
                    .breaking(
                        line(format!(
                            "parameter {name} became optional: {} → {}",
                            was.ty, input.ty
                        )),
                        "types changed",
                        1,
                    ),
                Some(was) if !input.required && was.required => self.additive(
                    line(format!("parameter {name} became optional")),
                    "parameters became optional",
                    1,
                ),
                Some(_) => {}
            }
        }
        for name in before
            .inputs
            .keys()
            .filter(|n| !now.inputs.contains_key(*n))
        {
            let line = format!("api: {op}: - parameter {name}");
            self.breaking(line, "parameters removed", 1);
        }
    }

    fn variant_changes(&mut self, name: &str, before: &[String], variants: &[String]) {
        let added: Vec<&String> = variants.iter().filter(|v| !before.contains(v)).collect();
        let removed: Vec<&String> = before.iter().filter(|v| !variants.contains(v)).collect();
        if !added.is_empty() {
            let line = format!("api: enum {name}: + variants {}", join(&added));
            self.breaking(line, "enum variants added", added.len());
        }
        if !removed.is_empty() {
            let line = format!("api: enum {name}: - variants {}", join(&removed));
            self.breaking(line, "enum variants removed", removed.len());
        }
    }

    /// The lines with the summary: the operation counts first, the kind and semver bump last.
    fn finish(mut self, old: &Surface, new: &Surface, version: &str) -> Vec<String> {
        let kind = if !self.breaking.is_empty() {
            Kind::Breaking
        } else if !self.additive.is_empty() {
            Kind::Additive
        } else {
            Kind::None
        };
        if kind == Kind::None {
            self.lines.push(
                "api: no operation, parameter or response field added, removed or changed".into(),
            );
            return self.lines;
        }
        let added = new.0.keys().filter(|op| !old.0.contains_key(*op)).count();
        let removed = old.0.keys().filter(|op| !new.0.contains_key(*op)).count();
        self.lines.insert(
            0,
            format!(
                "api: {} ({added} added, {removed} removed)",
                counted(new.0.len(), "operations")
            ),
        );
        let counts = |m: &BTreeMap<&str, usize>| {
            m.iter()
                .map(|(what, n)| counted(*n, what))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (label, why) = match kind {
            Kind::Breaking => ("breaking", counts(&self.breaking)),
            _ => ("additive", counts(&self.additive)),
        };
        self.lines
            .push(format!("api: {label}: {why}; {}", bump(version, kind)));
        self.lines
    }
}

/// The semver bump for a change of this kind: Cargo reads 0.x versions as x being the major.
fn bump(version: &str, kind: Kind) -> String {
    let parts: Vec<u64> = version
        .split(['.', '-', '+'])
        .take(3)
        .map_while(|p| p.parse().ok())
        .collect();
    let [major, minor, patch] = parts[..] else {
        return format!("cannot suggest a version: {version:?} is not major.minor.patch");
    };
    let next = match (kind, major) {
        (Kind::Breaking, 0) => format!("0.{}.0", minor + 1),
        (Kind::Breaking, _) => format!("{}.0.0", major + 1),
        (_, 0) => format!("0.{minor}.{}", patch + 1),
        _ => format!("{major}.{}.0", minor + 1),
    };
    let rule = match (kind, major) {
        (Kind::Breaking, 0) => "a breaking change bumps the minor version before 1.0",
        (Kind::Breaking, _) => "a breaking change bumps the major version",
        (_, 0) => "an addition bumps the patch version before 1.0",
        _ => "an addition bumps the minor version",
    };
    format!("suggested version {version} → {next} ({rule})")
}

/// `1 operation removed`, `2 operations removed`: the counted noun is the first word, and
/// "parameters became" is "parameter became" for one.
fn counted(n: usize, what: &str) -> String {
    if n != 1 {
        return format!("{n} {what}");
    }
    let mut words: Vec<String> = what.split(' ').map(String::from).collect();
    if let Some(noun) = words.iter_mut().rev().find(|w| w.ends_with('s')) {
        // The noun is the last plural word: "response fields removed" → "response field removed".
        noun.pop();
    }
    format!("1 {}", words.join(" "))
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"
        pub mod types {
            pub struct Keys { pub apikeys: Option<Vec<Item>> }
            pub struct Item { pub id: Option<i64>, pub old_name: Option<String> }
            pub struct NewBody { pub name: String, pub note: Option<String> }
        }
        impl Client {
            pub fn show_api_keys(&self) -> builder::ShowApiKeys<'_> { todo!() }
            pub fn gone(&self) -> builder::Gone<'_> { todo!() }
            pub fn new(baseurl: &str) -> Self { todo!() }
        }
        pub mod builder {
            pub struct ShowApiKeys<'a> {
                client: &'a super::Client,
                limit: Result<Option<u64>, String>,
                body: Result<types::builder::NewBody, String>,
            }
            impl<'a> ShowApiKeys<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Keys>, Error<types::E>> { todo!() }
            }
            pub struct Gone<'a> { client: &'a super::Client }
            impl<'a> Gone<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
            }
        }
    "#;

    #[test]
    fn reads_operations_inputs_and_nested_response_fields() {
        let surface = of_code(OLD);
        assert_eq!(
            surface.0.keys().collect::<Vec<_>>(),
            ["gone", "show_api_keys"]
        );
        let keys = &surface.0["show_api_keys"];
        assert_eq!(
            keys.response
                .iter()
                .map(|(f, t)| format!("{f}: {t}"))
                .collect::<Vec<_>>(),
            [
                "apikeys: Option<Vec<Item>>",
                "apikeys.id: Option<i64>",
                "apikeys.old_name: Option<String>"
            ]
        );
        assert_eq!(
            keys.inputs
                .iter()
                .map(|(n, i)| format!("{n}: {} {}", i.ty, i.required))
                .collect::<Vec<_>>(),
            [
                "body.name: String true",
                "body.note: Option<String> false",
                "limit: Option<u64> false"
            ]
        );
    }

    #[test]
    fn an_update_that_only_adds_is_additive() {
        let new = OLD
            .replace(
                "pub old_name: Option<String> }",
                "pub old_name: Option<String>, pub team_name: Option<String> }",
            )
            .replace(
                "pub note: Option<String> }",
                "pub note: Option<String>, pub tag: Option<String> }",
            );
        assert_eq!(
            changes(&of_code(OLD), &of_code(&new), "0.1.0"),
            [
                "api: 2 operations (0 added, 0 removed)",
                "api: show_api_keys: + response fields apikeys.team_name",
                "api: show_api_keys: + parameter body.tag: Option<String>",
                "api: additive: 1 parameter added, 1 response field added; suggested version 0.1.0 → 0.1.1 (an addition bumps the patch version before 1.0)",
            ]
        );
    }

    #[test]
    fn removals_type_changes_and_new_requirements_are_breaking() {
        let new = OLD
            .replace(
                "pub old_name: Option<String> }",
                "pub team_name: Option<String> }",
            )
            .replace("pub id: Option<i64>", "pub id: Option<String>")
            .replace(
                "limit: Result<Option<u64>, String>",
                "limit: Result<u64, String>",
            )
            .replace("pub fn gone", "pub fn added")
            .replace("pub struct Gone<'a>", "pub struct Added<'a>")
            .replace("impl<'a> Gone<'a>", "impl<'a> Added<'a>")
            .replace("builder::Gone", "builder::Added");
        assert_eq!(
            changes(&of_code(OLD), &of_code(&new), "0.3.2"),
            [
                "api: 2 operations (1 added, 1 removed)",
                "api: + operation added",
                "api: - operation gone",
                "api: show_api_keys: + response fields apikeys.team_name",
                "api: show_api_keys: - response fields apikeys.old_name",
                "api: show_api_keys: response field apikeys.id: Option<i64> → Option<String>",
                "api: show_api_keys: parameter limit became required",
                "api: breaking: 1 operation removed, 1 parameter became required, 1 response field removed, 1 type changed; suggested version 0.3.2 → 0.4.0 (a breaking change bumps the minor version before 1.0)",
            ]
        );
        assert_eq!(
            changes(&of_code(OLD), &of_code(OLD), "0.1.0"),
            ["api: no operation, parameter or response field added, removed or changed"]
        );
    }

    #[test]
    fn enum_variants_and_body_fields_made_optional_are_breaking() {
        let old = "pub mod types { pub enum Kind { A, B } pub struct Body { pub a: String } }
            impl Client { pub fn put(&self) -> builder::Put<'_> { todo!() } }
            pub mod builder { pub struct Put<'a> { client: &'a super::Client, body: Result<types::builder::Body, String> } }";
        let new = old.replace("A, B", "A, C").replace(
            "pub a: String",
            "pub a: ::std::option::Option<::std::string::String,>",
        );
        assert_eq!(
            changes(&of_code(old), &of_code(&new), "0.1.0"),
            [
                "api: 1 operation (0 added, 0 removed)",
                "api: put: parameter body.a became optional: String → Option<String>",
                "api: enum Kind: + variants C",
                "api: enum Kind: - variants B",
                "api: breaking: 1 enum variant added, 1 enum variant removed, 1 type changed; suggested version 0.1.0 → 0.2.0 (a breaking change bumps the minor version before 1.0)",
            ]
        );
    }

    #[test]
    fn versions_from_one_bump_the_major_or_minor() {
        assert_eq!(
            bump("1.4.2", Kind::Breaking),
            "suggested version 1.4.2 → 2.0.0 (a breaking change bumps the major version)"
        );
        assert_eq!(
            bump("1.4.2", Kind::Additive),
            "suggested version 1.4.2 → 1.5.0 (an addition bumps the minor version)"
        );
        assert!(bump("x", Kind::Additive).starts_with("cannot suggest"));
    }
}
