//! Every generated `send()` returns `vast_api::Error`, the crate's readable, matchable error,
//! instead of progenitor's: its body, as progenitor wrote it, runs inside `error::call`, which
//! makes the error from progenitor's and from what the hooks saw during the call, and (with the
//! `tracing` feature) opens the request's span, named by the operation's method and path
//! template. A rewrite of the syntax tree, so it holds for every operation of any spec.

use std::collections::BTreeMap;

use proc_macro2::TokenTree;
use serde_json::Value;
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

/// Each operation's method and path template, by operationId, from the normalised document.
pub fn operations(doc: &Value) -> BTreeMap<String, (String, String)> {
    crate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let id = op.get("operationId")?.as_str()?;
            Some((id.to_string(), (method.to_uppercase(), path.to_string())))
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
                if function.sig.ident != "send" {
                    continue;
                }
                let id = operation_id(&function.block);
                let Some((method, path)) = id.as_ref().and_then(|id| operations.get(id)) else {
                    return Err(format!(
                        "internal error: a generated `send` names the operation {id:?}, which the spec does not have"
                    ));
                };
                if returns_progenitor_error(&mut function.sig.output) {
                    let body = &function.block;
                    function.block = syn::parse_quote!({
                        let client = self.client;
                        crate::error::call(client, #method, #path, async move #body).await
                    });
                }
            }
        }
    }
    Ok(())
}

/// The operation a `send` performs: the `operation_id: "…"` of the `OperationInfo` it hands
/// the hooks.
fn operation_id(block: &syn::Block) -> Option<String> {
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

/// Points `Result<T, Error<E>>` at `crate::Error<E>`; false for any other return type.
fn returns_progenitor_error(output: &mut ReturnType) -> bool {
    let ReturnType::Type(_, ty) = output else {
        return false;
    };
    let Type::Path(result) = &mut **ty else {
        return false;
    };
    let Some(segment) = result.path.segments.last_mut() else {
        return false;
    };
    let PathArguments::AngleBracketed(arguments) = &mut segment.arguments else {
        return false;
    };
    let Some(GenericArgument::Type(Type::Path(error))) = arguments.args.iter_mut().nth(1) else {
        return false;
    };
    let bare_error = error.path.leading_colon.is_none()
        && error.path.segments.len() == 1
        && error.path.segments[0].ident == "Error";
    if segment.ident != "Result" || !bare_error {
        return false;
    }
    error.path.segments.insert(0, syn::parse_quote!(crate));
    true
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
                r#"crate::error::call(client,"GET","/things/{id}/",asyncmove{letSelf{client}=self;"#
            ),
            "{code}"
        );
        assert!(
            code.contains("fnother(self)->Result<(),Error<()>>"),
            "only send is rewritten: {code}"
        );
    }
}
