//! One cargo feature per API area (names.toml's `area`), so that a program compiles only the
//! operations it calls and the types they use (as async-stripe, aws-sdk-rust and k8s-openapi let
//! their users do): a rewrite of the generated client's syntax tree, for any spec.
//!
//! Each operation's method on `Client`, its builder struct and the builder's impl get
//! `#[cfg(feature = "<area>")]`. A type (struct, enum, alias), its impls, its struct builder in
//! `types::builder` and its serde defaults in `types::defaults` get the features of every area
//! whose operations reach it, directly or through other types: `#[cfg(any(feature = "a",
//! feature = "b"))]`. What reaches what is read from the code progenitor wrote, not from the
//! spec, so it covers the types progenitor makes up (inline schemas, merged error bodies). A type
//! no operation reaches (a component nothing uses) is kept in every build, with what it uses:
//! gating it would remove public items for no operation's sake.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use serde_json::Value;
use syn::{ImplItem, Item};

use crate::generate::names::Naming;
use crate::generate::openapi::Location;
use crate::generate::progenitor_names;

/// Path segments that name a module of the generated code (or a way to it), not a type: in
/// `super::builder::Thing` the type is `Thing`.
const MODULES: [&str; 7] = [
    "super", "self", "crate", "types", "builder", "defaults", "error",
];

/// Each operation's area, by the method name progenitor gives it (its operationId in snake case,
/// as [`crate::generate::rewrites::typed_errors::operations`] reads it).
pub fn operations(doc: &Value, naming: &Naming) -> BTreeMap<String, String> {
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let id = progenitor_names::method(op.get("operationId")?.as_str()?);
            let named = naming.of(&Location::root().key("paths").key(path).key(method))?;
            Some((id, named.area.clone()))
        })
        .collect()
}

/// Gates every operation's and type's items behind the features of the areas that need them.
pub fn apply(file: &mut syn::File, areas: &BTreeMap<String, String>) -> Result<(), String> {
    let builders = operation_builders(file, areas)?;
    let builder_names: BTreeSet<String> = builders.keys().cloned().collect();
    let graph = Graph::of(module(file, "types").map_or(&[][..], |items| &items[..]));
    let mut roots: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in module(file, "builder").into_iter().flatten() {
        if let Some(name) = owner(item, &builder_names) {
            let found = roots.entry(builders[&name].clone()).or_default();
            mentions(quote::quote!(#item), &graph.nodes, found);
        }
    }
    let reach = graph.reach(&roots);
    for item in &mut file.items {
        match item {
            Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
                for member in &mut block.items {
                    if let ImplItem::Fn(f) = member
                        && let Some(area) = areas.get(&f.sig.ident.to_string())
                    {
                        f.attrs.insert(0, cfg(&[BTreeSet::from([area.clone()])]));
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                let needs = |item: &Item| match owner(item, &builder_names) {
                    Some(name) => vec![BTreeSet::from([builders[&name].clone()])],
                    None => reach.needs(item),
                };
                gate_all(m.content.iter_mut().flat_map(|(_, items)| items), &needs);
            }
            Item::Mod(m) if m.ident == "types" => gate_types(m, &reach),
            Item::Mod(m) if m.ident != "prelude" => gate_added(m, &builders, &reach),
            _ => {}
        }
    }
    Ok(())
}

/// Gates a module the passes after progenitor add (`streams`, `filtered`, …): each item by the
/// areas of the operations' builders it names and of the types it names, a `use` of several
/// builders split into one `use` each so that each is gated alone.
fn gate_added(m: &mut syn::ItemMod, builders: &BTreeMap<String, String>, reach: &Reach) {
    let Some((_, items)) = m.content.as_mut() else {
        return;
    };
    *items = std::mem::take(items)
        .into_iter()
        .flat_map(split_use)
        .collect();
    let nodes: BTreeSet<String> = builders.keys().chain(&reach.gated).cloned().collect();
    let needs = |item: &Item| {
        let mut about = BTreeSet::new();
        mentions(quote::quote!(#item), &nodes, &mut about);
        let sets = about.iter().filter_map(|node| match builders.get(node) {
            Some(area) => Some(BTreeSet::from([area.clone()])),
            None => reach.areas.get(node).cloned(),
        });
        minimal(sets)
    };
    gate_all(items.iter_mut(), &needs);
}

/// `use a::{B, C};` as `use a::B; use a::C;`; any other item as it is.
fn split_use(item: Item) -> Vec<Item> {
    let Item::Use(u) = &item else {
        return vec![item];
    };
    let mut leaves = Vec::new();
    use_leaves(&u.tree, TokenStream::new(), &mut leaves);
    if leaves.len() < 2 {
        return vec![item];
    }
    let attrs = &u.attrs;
    leaves
        .into_iter()
        .map(|path| syn::parse_quote!(#(#attrs)* use #path;))
        .collect()
}

/// Each path a `use` tree brings in, as tokens (`super::builder::B`, `super::types::*`).
fn use_leaves(tree: &syn::UseTree, prefix: TokenStream, out: &mut Vec<TokenStream>) {
    match tree {
        syn::UseTree::Path(p) => {
            let ident = &p.ident;
            use_leaves(&p.tree, quote::quote!(#prefix #ident ::), out);
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix.clone(), out);
            }
        }
        leaf => out.push(quote::quote!(#prefix #leaf)),
    }
}

/// Each operation's builder struct (the type its `Client` method returns), with its area. A
/// method returning a builder that no operation has means progenitor wrote something this pass
/// does not know: refused, rather than generating a client that builds only with every area.
fn operation_builders(
    file: &syn::File,
    areas: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    let mut builders = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(block) = item else { continue };
        if !is_client(&block.self_ty) || block.trait_.is_some() {
            continue;
        }
        for member in &block.items {
            let ImplItem::Fn(f) = member else { continue };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(path) = &**ty else {
                continue;
            };
            let segments = super::segments(&path.path);
            let [module, builder] = &segments[..] else {
                continue;
            };
            if module != "builder" {
                continue;
            }
            let method = f.sig.ident.to_string();
            let area = areas.get(&method).ok_or_else(|| {
                format!(
                    "internal error: the generated client has the method `{method}`, which no operation of the spec has, so it has no area (has progenitor changed?)"
                )
            })?;
            builders.insert(builder.clone(), area.clone());
        }
    }
    Ok(builders)
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Client"))
}

/// The items of the top-level module `name`.
fn module<'a>(file: &'a syn::File, name: &str) -> Option<&'a Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The name a type, alias or function defines.
fn own_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Union(u) => Some(u.ident.to_string()),
        Item::Fn(f) => Some(f.sig.ident.to_string()),
        _ => None,
    }
}

/// The node of `nodes` an item belongs to: the one it defines, or an impl's self type (else the
/// first node its trait names, for `impl From<Thing> for String`).
fn owner(item: &Item, nodes: &BTreeSet<String>) -> Option<String> {
    let Item::Impl(block) = item else {
        return own_name(item).filter(|name| nodes.contains(name));
    };
    let ty = &block.self_ty;
    if let syn::Type::Path(p) = &**ty
        && let Some(last) = p.path.segments.last()
        && nodes.contains(&last.ident.to_string())
    {
        return Some(last.ident.to_string());
    }
    let trait_path = block.trait_.as_ref().map(|(_, path, _)| path);
    let mut found = BTreeSet::new();
    mentions(quote::quote!(#ty #trait_path), nodes, &mut found);
    found.into_iter().next()
}

/// What types reach what: the types module's named items (types, serde default functions) and
/// the names each item mentions.
struct Graph {
    nodes: BTreeSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn of(items: &[Item]) -> Graph {
        let mut nodes = BTreeSet::new();
        walk_types(items, &mut |item| nodes.extend(own_name(item)));
        // An impl's body counts for its type: more edges only compile more, never too little.
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        walk_types(items, &mut |item| {
            if let Some(from) = owner(item, &nodes) {
                let to = edges.entry(from.clone()).or_default();
                mentions(quote::quote!(#item), &nodes, to);
                to.remove(&from);
            }
        });
        Graph { nodes, edges }
    }

    /// The areas that reach each node from the operations' own mentions (`roots`), and the
    /// nodes no operation reaches, with everything they reach: kept in every build.
    fn reach(&self, roots: &BTreeMap<String, BTreeSet<String>>) -> Reach {
        let mut areas: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (area, from) in roots {
            for node in self.closure(from.iter().cloned()) {
                areas.entry(node).or_default().insert(area.clone());
            }
        }
        let unreached = self
            .nodes
            .iter()
            .filter(|n| !areas.contains_key(*n))
            .cloned();
        let always = self.closure(unreached);
        let gated = areas
            .keys()
            .filter(|n| !always.contains(*n))
            .cloned()
            .collect();
        Reach { gated, areas }
    }

    /// `from` and every node reachable from it.
    fn closure(&self, from: impl Iterator<Item = String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = from.collect();
        while let Some(node) = todo.pop() {
            if seen.insert(node.clone()) {
                todo.extend(self.edges.get(&node).into_iter().flatten().cloned());
            }
        }
        seen
    }
}

/// Calls `f` on every item of the types module and of its inner modules but `error` (whose
/// conversion error every type shares).
fn walk_types(items: &[Item], f: &mut impl FnMut(&Item)) {
    for item in items {
        match item {
            Item::Mod(m) if m.ident != "error" => {
                walk_types(m.content.as_ref().map_or(&[][..], |(_, items)| items), f)
            }
            Item::Mod(_) => {}
            item => f(item),
        }
    }
}

/// Which areas reach which node.
struct Reach {
    /// The nodes built only for some areas; the others are kept in every build.
    gated: BTreeSet<String>,
    areas: BTreeMap<String, BTreeSet<String>>,
}

impl Reach {
    /// What an item needs: for each node it is about, one of that node's areas. A type's own
    /// items are about it; an impl is about its self type and what its trait names
    /// (`impl From<A> for B` needs both). Nodes kept in every build need nothing.
    fn needs(&self, item: &Item) -> Vec<BTreeSet<String>> {
        let mut about = BTreeSet::new();
        match item {
            Item::Impl(block) => {
                let ty = &block.self_ty;
                let trait_path = block.trait_.as_ref().map(|(_, path, _)| path);
                mentions(quote::quote!(#ty #trait_path), &self.gated, &mut about);
            }
            item => about.extend(owner(item, &self.gated)),
        }
        minimal(
            about
                .iter()
                .filter_map(|node| self.areas.get(node).cloned()),
        )
    }
}

/// The sets of areas an item needs, one of each: one of a smaller set's areas on means one of a
/// larger set's is, so only the smallest sets say anything.
fn minimal(sets: impl Iterator<Item = BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let mut minimal: Vec<BTreeSet<String>> = Vec::new();
    for set in sets {
        if !minimal.iter().any(|m| m.is_subset(&set)) {
            minimal.retain(|m| !set.is_subset(m));
            minimal.push(set);
        }
    }
    minimal
}

/// Gates the types module's items, and those of its `builder` and `defaults` modules.
fn gate_types(module: &mut syn::ItemMod, reach: &Reach) {
    let Some((_, items)) = module.content.as_mut() else {
        return;
    };
    for item in items.iter_mut() {
        if let Item::Mod(inner) = item {
            if inner.ident != "error" {
                gate_types(inner, reach);
            }
            continue;
        }
        gate_all(std::iter::once(item), &|item: &Item| reach.needs(item));
    }
}

/// Adds to each item the `#[cfg]` for what `needs` says it needs, if anything.
fn gate_all<'a>(
    items: impl Iterator<Item = &'a mut Item>,
    needs: &dyn Fn(&Item) -> Vec<BTreeSet<String>>,
) {
    for item in items {
        let needed = needs(item);
        if needed.is_empty() {
            continue;
        }
        let attr = cfg(&needed);
        match item {
            Item::Struct(s) => s.attrs.insert(0, attr),
            Item::Enum(e) => e.attrs.insert(0, attr),
            Item::Type(t) => t.attrs.insert(0, attr),
            Item::Union(u) => u.attrs.insert(0, attr),
            Item::Fn(f) => f.attrs.insert(0, attr),
            Item::Impl(i) => i.attrs.insert(0, attr),
            Item::Use(u) => u.attrs.insert(0, attr),
            Item::Const(c) => c.attrs.insert(0, attr),
            _ => {}
        }
    }
}

/// `#[cfg(…)]` that holds when, for every set, one of its areas' features is on.
fn cfg(needed: &[BTreeSet<String>]) -> syn::Attribute {
    let any = |set: &BTreeSet<String>| -> TokenStream {
        let features = set.iter().map(|area| quote::quote!(feature = #area));
        if set.len() == 1 {
            quote::quote!(#(#features)*)
        } else {
            quote::quote!(any(#(#features),*))
        }
    };
    let sets = needed.iter().map(any);
    if needed.len() == 1 {
        syn::parse_quote!(#[cfg(#(#sets)*)])
    } else {
        syn::parse_quote!(#[cfg(all(#(#sets),*))])
    }
}

/// Adds to `out` the `nodes` that `tokens` name: the first segment of each path that is not a
/// module (`super::builder::Thing` names `Thing`, `Thing::Variant` names `Thing`, `Self::Thing`
/// nothing), and the serde default functions attributes name in strings
/// (`default = "defaults::thing_size"`). An associated type (`type Error =`,
/// `<T as TryFrom<i64>>::Error`) is not a mention, whatever its name.
fn mentions(tokens: TokenStream, nodes: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_colons = |i: usize| {
        matches!((trees.get(i), trees.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
    };
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(ident) => {
                // `type Error =` names an associated type; `<T as Trait>::Error` is one.
                let after_type =
                    i > 0 && matches!(&trees[i - 1], TokenTree::Ident(t) if t == "type");
                let qualified = i >= 3
                    && is_colons(i - 2)
                    && matches!(&trees[i - 3], TokenTree::Punct(p) if p.as_char() == '>');
                let mut segments = vec![ident.to_string()];
                while is_colons(i + 1) {
                    let Some(TokenTree::Ident(next)) = trees.get(i + 3) else {
                        break;
                    };
                    segments.push(next.to_string());
                    i += 3;
                }
                let first = segments.iter().find(|s| !MODULES.contains(&s.as_str()));
                if let Some(name) =
                    first.filter(|n| !after_type && !qualified && nodes.contains(*n))
                {
                    out.insert(name.clone());
                }
            }
            TokenTree::Group(group) => mentions(group.stream(), nodes, out),
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                for (at, _) in text.match_indices("defaults::") {
                    let name: String = text[at + "defaults::".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if nodes.contains(&name) {
                        out.insert(name);
                    }
                }
            }
            TokenTree::Punct(_) => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::generate::{self, names, spec};

    /// Three areas: `billing` and `instances` share `Currency`; `other` is the operation without
    /// a tag. `Unused`, which no operation uses, uses `Money`.
    const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /invoices:
    get:
      operationId: show_invoices
      tags: [Billing]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Invoices'}}}
  /instances:
    get:
      operationId: show_instances
      tags: [Instances]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Instances'}}}
  /misc:
    get:
      operationId: show_misc
      responses: {'200': {description: ok}}
components:
  schemas:
    Invoices:
      type: object
      properties: {currency: {$ref: '#/components/schemas/Currency'}, total: {$ref: '#/components/schemas/Money'}}
    Instances:
      type: object
      properties:
        currency: {$ref: '#/components/schemas/Currency'}
        state: {type: string, enum: [running, stopped]}
    Currency: {type: string, enum: [usd, eur]}
    Money: {type: object, properties: {amount: {type: number}}}
    Unused: {type: object, properties: {money: {$ref: '#/components/schemas/Money'}}}
"##;

    fn client() -> syn::File {
        let spec = spec::from_bytes(SPEC.as_bytes(), Path::new("openapi.yaml")).unwrap();
        let generated = generate::generate(&spec, &names::Table::default(), None).unwrap();
        syn::parse_file(generated.client()).unwrap()
    }

    /// The `#[cfg(…)]` of each item of module `path` (`types`, `types::builder`) named `name`
    /// (its impls included), without spaces; `-` for an item without one.
    fn gates(file: &syn::File, path: &str, name: &str) -> Vec<String> {
        let mut items = &file.items;
        for module in path.split("::") {
            items = items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Mod(m) if m.ident == module => m.content.as_ref().map(|c| &c.1),
                    _ => None,
                })
                .unwrap();
        }
        let nodes = [name.to_string()].into();
        items
            .iter()
            .filter(|item| super::owner(item, &nodes).is_some())
            .map(|item| {
                let attrs = match item {
                    syn::Item::Struct(s) => &s.attrs,
                    syn::Item::Enum(e) => &e.attrs,
                    syn::Item::Impl(i) => &i.attrs,
                    _ => panic!("unexpected item"),
                };
                attrs
                    .iter()
                    .find(|a| a.path().is_ident("cfg"))
                    .map_or("-".into(), |a| {
                        quote::quote!(#a).to_string().replace(' ', "")
                    })
            })
            .collect()
    }

    #[test]
    fn each_operation_is_gated_by_its_area_and_each_type_by_the_areas_that_reach_it() {
        let file = client();
        let code: String = prettyplease::unparse(&file)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // Each method on `Client`, whose doc names its path.
        for (area, path) in [
            ("billing", "/invoices"),
            ("instances", "/instances"),
            ("other", "/misc"),
        ] {
            let gated = format!("#[cfg(feature=\"{area}\")]/**Sendsa`GET`requestto`{path}`");
            assert!(code.contains(&gated), "{gated}: {code}");
        }
        let billing = "#[cfg(feature=\"billing\")]";
        let both = "#[cfg(any(feature=\"billing\",feature=\"instances\"))]";
        // The type and its impls; its struct builder and its impls.
        all_are(gates(&file, "types", "Invoices"), billing);
        all_are(gates(&file, "types::builder", "Invoices"), billing);
        all_are(gates(&file, "types", "Currency"), both);
        all_are(
            gates(&file, "types", "InstancesState"),
            "#[cfg(feature=\"instances\")]",
        );
        // What no operation uses stays, with what it uses, though an area uses that too.
        all_are(gates(&file, "types", "Unused"), "-");
        all_are(gates(&file, "types", "Money"), "-");
        // Each operation's builder, its impl, and its `Operation` impl.
        assert_eq!(
            gates(&file, "builder", "ShowInvoices"),
            [billing, billing, billing]
        );
    }

    /// There are items (the type and its impls), and each has the gate.
    fn all_are(gates: Vec<String>, gate: &str) {
        assert!(
            gates.len() > 1 && gates.iter().all(|g| g == gate),
            "{gates:?}"
        );
    }

    #[test]
    fn a_method_of_no_operation_is_an_internal_error() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn show_things(&self) -> builder::ShowThings<'_> { builder::ShowThings::new(self) }
            }
        };
        let err = super::apply(&mut file, &Default::default()).unwrap_err();
        assert!(
            err.starts_with("internal error: the generated client has the method `show_things`, which no operation of the spec has"),
            "{err}"
        );
    }
}
