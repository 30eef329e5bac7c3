//! The API surface of a generated client — its operations and the fields of each operation's
//! success response — so `cargo xtask gen` can say what a spec change adds and removes.

use std::collections::{BTreeMap, BTreeSet};

use syn::{FnArg, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// Each operation's method name and the dotted paths of its response fields (`apikeys.team_name`).
#[derive(Debug, Default, PartialEq)]
pub struct Surface(BTreeMap<String, BTreeSet<String>>);

/// Read from generated client code; code that does not parse has an empty surface.
pub fn of_code(code: &str) -> Surface {
    let Ok(file) = syn::parse_file(code) else {
        return Surface::default();
    };
    let mut structs: BTreeMap<String, Vec<(String, Type)>> = BTreeMap::new();
    let mut sends: BTreeMap<String, Type> = BTreeMap::new();
    let mut methods: Vec<(String, String)> = Vec::new();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "types" || m.ident == "builder" => {
                for inner in m.content.iter().flat_map(|(_, items)| items) {
                    match inner {
                        Item::Struct(s) if m.ident == "types" => {
                            let fields = s
                                .fields
                                .iter()
                                .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                                .collect();
                            structs.insert(s.ident.to_string(), fields);
                        }
                        Item::Impl(imp) if m.ident == "builder" => {
                            let Some(name) = last_ident(&imp.self_ty) else {
                                continue;
                            };
                            for f in &imp.items {
                                if let ImplItem::Fn(f) = f
                                    && f.sig.ident == "send"
                                    && let ReturnType::Type(_, ty) = &f.sig.output
                                {
                                    sends.insert(name.clone(), (**ty).clone());
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Item::Impl(imp)
                if last_ident(&imp.self_ty).as_deref() == Some("Client")
                    && imp.trait_.is_none() =>
            {
                for f in &imp.items {
                    if let ImplItem::Fn(f) = f
                        && matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_)))
                        && let ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(builder) = last_ident(ty)
                    {
                        methods.push((f.sig.ident.to_string(), builder));
                    }
                }
            }
            _ => {}
        }
    }
    let mut surface = Surface::default();
    for (method, builder) in methods {
        let mut fields = BTreeSet::new();
        // send() -> Result<ResponseValue<types::T>, Error<…>>: T's fields, nested ones dotted.
        if let Some(success) = sends
            .get(&builder)
            .and_then(|t| generic(t, 0))
            .and_then(|t| generic(t, 0))
        {
            collect(success, "", &structs, &mut fields, 0);
        }
        surface.0.insert(method, fields);
    }
    surface
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
    structs: &BTreeMap<String, Vec<(String, Type)>>,
    out: &mut BTreeSet<String>,
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
        out.insert(path.clone());
        collect(field_ty, &path, structs, out, depth + 1);
    }
}

/// Lines for the person updating the spec: operations added and removed, then response fields
/// added and removed per operation that stays.
pub fn changes(old: &Surface, new: &Surface) -> Vec<String> {
    let mut lines = Vec::new();
    for op in new.0.keys().filter(|op| !old.0.contains_key(*op)) {
        lines.push(format!("api: + operation {op}"));
    }
    for op in old.0.keys().filter(|op| !new.0.contains_key(*op)) {
        lines.push(format!("api: - operation {op}"));
    }
    for (op, fields) in &new.0 {
        let Some(before) = old.0.get(op) else {
            continue;
        };
        let added: Vec<&String> = fields.difference(before).collect();
        let removed: Vec<&String> = before.difference(fields).collect();
        if !added.is_empty() {
            lines.push(format!("api: {op}: + response fields {}", join(&added)));
        }
        if !removed.is_empty() {
            lines.push(format!("api: {op}: - response fields {}", join(&removed)));
        }
    }
    if lines.is_empty() {
        lines.push("api: no operation or response field added or removed".into());
    } else {
        let added = new.0.keys().filter(|op| !old.0.contains_key(*op)).count();
        let removed = old.0.keys().filter(|op| !new.0.contains_key(*op)).count();
        lines.insert(
            0,
            format!(
                "api: {} operations ({added} added, {removed} removed)",
                new.0.len()
            ),
        );
    }
    lines
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
        }
        impl Client {
            pub fn show_api_keys(&self) -> builder::ShowApiKeys<'_> { todo!() }
            pub fn gone(&self) -> builder::Gone<'_> { todo!() }
            pub fn new(baseurl: &str) -> Self { todo!() }
        }
        pub mod builder {
            impl<'a> ShowApiKeys<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Keys>, Error<types::E>> { todo!() }
            }
            impl<'a> Gone<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
            }
        }
    "#;

    #[test]
    fn reads_operations_and_nested_response_fields() {
        let surface = of_code(OLD);
        assert_eq!(
            surface.0.keys().collect::<Vec<_>>(),
            ["gone", "show_api_keys"]
        );
        assert_eq!(
            surface.0["show_api_keys"].iter().collect::<Vec<_>>(),
            ["apikeys", "apikeys.id", "apikeys.old_name"]
        );
    }

    #[test]
    fn reports_what_was_added_and_removed() {
        let new = OLD
            .replace(
                "pub old_name: Option<String>",
                "pub team_name: Option<String>",
            )
            .replace("pub fn gone", "pub fn added")
            .replace("impl<'a> Gone<'a>", "impl<'a> Added<'a>")
            .replace("builder::Gone", "builder::Added");
        assert_eq!(
            changes(&of_code(OLD), &of_code(&new)),
            [
                "api: 2 operations (1 added, 1 removed)",
                "api: + operation added",
                "api: - operation gone",
                "api: show_api_keys: + response fields apikeys.team_name",
                "api: show_api_keys: - response fields apikeys.old_name",
            ]
        );
        assert_eq!(
            changes(&of_code(OLD), &of_code(OLD)),
            ["api: no operation or response field added or removed"]
        );
    }
}
