//! Every generated `send()` returns `vast_api::Error`, the crate's readable, matchable error,
//! instead of progenitor's: its body, as progenitor wrote it, runs inside `call::run`, which
//! makes the error from progenitor's and from what the hooks saw during the call, and (with the
//! `tracing` feature) opens the request's span, named by the operation's method and path
//! template. A rewrite of the syntax tree, so it holds for every operation of any spec.

use std::collections::BTreeMap;

use proc_macro2::TokenTree;
use serde_json::Value;
use syn::{ImplItem, Item, ReturnType, Type};

use crate::generate::progenitor_names;

/// Each operation's method and path template, by operationId as progenitor spells it in the
/// code (snake case), from the normalised document.
pub fn operations(doc: &Value) -> BTreeMap<String, (String, String)> {
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let id = progenitor_names::method(op.get("operationId")?.as_str()?);
            Some((id, (method.to_uppercase(), path.to_string())))
        })
        .collect()
}

/// Rewrites each `send` of the generated `builder` module.
pub fn apply(
    file: &mut syn::File,
    operations: &BTreeMap<String, (String, String)>,
) -> Result<(), String> {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        let Some((_, items)) = module
            .content
            .as_mut()
            .filter(|_| module.ident == "builder")
        else {
            continue;
        };
        for item in items {
            let Item::Impl(block) = item else { continue };
            for item in &mut block.items {
                let ImplItem::Fn(function) = item else {
                    continue;
                };
                match function.sig.ident.to_string().as_str() {
                    "send" => wrap_send(function, operations)?,
                    // progenitor's paginated `stream()` yields what `send()` returns: its type is
                    // rewritten by the guard, and one that cannot be is refused.
                    "stream" if !returns_progenitor_error(&mut function.sig.output) => {
                        return Err(unrecognised("stream"));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

fn wrap_send(
    function: &mut syn::ImplItemFn,
    operations: &BTreeMap<String, (String, String)>,
) -> Result<(), String> {
    let id = operation_id(&function.block);
    let Some((method, path)) = id.as_ref().and_then(|id| operations.get(id)) else {
        return Err(format!(
            "internal error: a generated `send` names the operation {id:?}, which the spec does not have"
        ));
    };
    if !returns_progenitor_error(&mut function.sig.output) {
        return Err(unrecognised("send"));
    }
    let body = &function.block;
    function.block = syn::parse_quote!({
        let client = self.client;
        crate::call::run(client, #method, #path, async move #body).await
    });
    Ok(())
}

fn unrecognised(function: &str) -> String {
    format!(
        "internal error: a generated `{function}` does not return `Result<_, Error<_>>`, so it cannot return vast_api::Error (has progenitor changed?)"
    )
}

/// The operation a `send` performs: the `operation_id: "…"` of the `OperationInfo` it hands
/// the hooks.
pub fn operation_id(block: &syn::Block) -> Option<String> {
    fn find(tokens: proc_macro2::TokenStream) -> Option<String> {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match (token, tokens.get(i + 1), tokens.get(i + 2)) {
                (
                    TokenTree::Ident(name),
                    Some(TokenTree::Punct(colon)),
                    Some(TokenTree::Literal(id)),
                ) if name == "operation_id" && colon.as_char() == ':' => {
                    let id: syn::LitStr = syn::parse_str(&id.to_string()).ok()?;
                    return Some(id.value());
                }
                (TokenTree::Group(group), _, _) => {
                    if let Some(id) = find(group.stream()) {
                        return Some(id);
                    }
                }
                _ => {}
            }
        }
        None
    }
    find(quote::quote!(#block))
}

/// Points every bare `Error<…>` in a return type (`Result<T, Error<E>>`, or a stream's
/// `Item = Result<T, Error<E>>`) at `crate::Error<…>`; false when there is none.
fn returns_progenitor_error(output: &mut ReturnType) -> bool {
    let ReturnType::Type(arrow, ty) = output else {
        return false;
    };
    let (tokens, found) = crate_errors(quote::quote!(#ty));
    match syn::parse2::<Type>(tokens) {
        Ok(rewritten) if found => {
            *output = ReturnType::Type(*arrow, Box::new(rewritten));
            true
        }
        _ => false,
    }
}

/// `tokens` with `crate::` before each `Error <` that is not already part of a path.
fn crate_errors(tokens: proc_macro2::TokenStream) -> (proc_macro2::TokenStream, bool) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_punct = |tree: Option<&TokenTree>, c: char| matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c);
    let mut out = Vec::new();
    let mut found = false;
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident)
                if ident == "Error"
                    && is_punct(trees.get(i + 1), '<')
                    && !is_punct(i.checked_sub(1).and_then(|j| trees.get(j)), ':') =>
            {
                out.extend(quote::quote!(crate::));
                out.push(tree.clone());
                found = true;
            }
            TokenTree::Group(group) => {
                let (inner, inner_found) = crate_errors(group.stream());
                let mut rewritten = proc_macro2::Group::new(group.delimiter(), inner);
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
                found |= inner_found;
            }
            other => out.push(other.clone()),
        }
    }
    (out.into_iter().collect(), found)
}

#[cfg(test)]
mod tests {
    #[test]
    fn send_returns_the_crates_error_and_runs_inside_its_call() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ShowThings<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Things>, Error<types::Oops>> {
                        let Self { client } = self;
                        let info = OperationInfo { operation_id: "show_things" };
                        todo!()
                    }
                    pub fn stream(self) -> impl futures::Stream<Item = Result<types::Thing, Error<types::Oops>>> + Unpin + 'a { todo!() }
                    pub fn other(self) -> Result<(), Error<()>> { todo!() }
                }
            }
        };
        let operations = [(
            "show_things".to_string(),
            ("GET".to_string(), "/things/{id}/".to_string()),
        )]
        .into();
        super::apply(&mut file, &operations).unwrap();
        // Without whitespace: what is said, not how it is laid out.
        let code: String = prettyplease::unparse(&file)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            code.contains("->Result<ResponseValue<types::Things>,crate::Error<types::Oops>>"),
            "{code}"
        );
        assert!(
            code.contains(
                r#"crate::call::run(client,"GET","/things/{id}/",asyncmove{letSelf{client}=self;"#
            ),
            "{code}"
        );
        assert!(
            code.contains("Item=Result<types::Thing,crate::Error<types::Oops>>"),
            "a paginated stream yields what send returns: {code}"
        );
        assert!(
            code.contains("fnother(self)->Result<(),Error<()>>"),
            "only send is rewritten: {code}"
        );
    }
}
