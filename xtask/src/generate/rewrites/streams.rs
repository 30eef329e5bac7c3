//! `stream()` for every paged list operation's builder: the items of every page, one after
//! another, as a `futures::Stream`. Paged lists are found by the command table's rule
//! ([`crate::generate::commands`]' `pagination`: a `next_<x>` response field and an `<x>`/`after_<x>`
//! query parameter), the same the CLI follows. A rewrite of the syntax tree after
//! `typed_errors`, so it holds for every spec; one whose page parameter is not a string, or
//! whose fields the generated types do not have as named, gets no `stream()` (the CLI still
//! follows its pages).

use quote::format_ident;
use syn::{ImplItem, Item, ItemImpl, Type};

use crate::generate::commands::Command;
use crate::generate::rewrites::operation_types::{
    Builder, builder_items, builder_of, type_arguments,
};

/// Adds `stream()` to the builder of each paged command, in a module of its own (`streams`)
/// where the types' names are in scope as the response structs' fields spell them.
pub fn apply(file: &mut syn::File, commands: &[Command]) -> Result<(), String> {
    let fields = response_fields(file);
    let Some(items) = builder_items(file) else {
        return Ok(());
    };
    let mut added: Vec<Item> = Vec::new();
    let mut builders: Vec<syn::Ident> = Vec::new();
    for item in items.iter() {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = block.trait_.is_none().then(|| builder_of(block)).flatten() else {
            continue;
        };
        let Some(command) = commands
            .iter()
            .find(|c| c.operation_id == builder.operation_id)
        else {
            continue;
        };
        if let Some(method) = stream_method(block, &builder, command, &fields) {
            added.push(method);
            builders.push(builder.name);
        }
    }
    if !added.is_empty() {
        file.items.push(syn::parse_quote! {
            /// `stream()` of each paged list operation's builder.
            mod streams {
                use super::types;
                #[allow(unused_imports)]
                use super::types::*;
                use super::builder::{#(#builders),*};
                #(#added)*
            }
        });
    }
    Ok(())
}

/// Each response struct of the `types` module, by name, with its fields' names and types.
fn response_fields(file: &syn::File) -> Vec<(String, Vec<(String, Type)>)> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            Item::Struct(s) => Some((
                s.ident.to_string(),
                s.fields
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// The `impl` adding `stream()` to one paged builder, when its types allow.
fn stream_method(
    block: &ItemImpl,
    builder: &Builder,
    command: &Command,
    fields: &[(String, Vec<(String, Type)>)],
) -> Option<Item> {
    let pagination = command.pagination.as_ref()?;
    // progenitor's own, for a spec that marks the operation paginated its way.
    let has_stream = block
        .items
        .iter()
        .any(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == "stream"));
    if has_stream {
        return None;
    }
    let list = pagination.list_field.as_ref()?;
    let Type::Path(response) = &builder.response else {
        return None;
    };
    let response_name = response.path.segments.last()?.ident.to_string();
    let (_, response_fields) = fields.iter().find(|(name, _)| *name == response_name)?;
    let field_type = |name: &str| {
        response_fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, ty)| ty.clone())
    };
    let list_type = field_type(list)?;
    field_type(&pagination.response_field)?;
    if !takes_string(block, &pagination.query_param) {
        return None;
    }
    let (name, response, error) = (&builder.name, &builder.response, &builder.error);
    let (list, token, setter) = (
        format_ident!("{list}"),
        format_ident!("{}", pagination.response_field),
        format_ident!("{}", pagination.query_param),
    );
    let doc = format!(
        "Every item of `{list}` across pages, as a stream: each page's `{token}` goes back in \
         `{setter}` until the server gives none. A token given twice, or more than \
         `vast_api::pages::PAGE_CAP` pages, ends the stream with an error \
         (`ErrorKind::PagesStopped`) rather than following it."
    );
    Some(syn::parse_quote! {
        impl<'a> #name<'a> {
            #[doc = #doc]
            pub fn stream(
                self,
            ) -> impl futures_core::Stream<
                Item = Result<<#list_type as crate::pages::Items>::Item, crate::Error<#error>>,
            > + Unpin + 'a {
                crate::pages::stream(
                    self,
                    |builder| builder.send(),
                    |builder, token| builder.#setter(token),
                    |page: #response| {
                        (
                            crate::pages::Items::items(page.#list),
                            crate::pages::Token::token(page.#token),
                        )
                    },
                )
            }
        }
    })
}

/// Whether the builder's setter `name` takes a string (`V: TryInto<String>`): the token goes
/// back as the text it came as.
fn takes_string(block: &ItemImpl, name: &str) -> bool {
    block.items.iter().any(|item| {
        let ImplItem::Fn(f) = item else { return false };
        let bound = f.sig.generics.where_clause.as_ref().and_then(|w| {
            w.predicates.iter().find_map(|p| match p {
                syn::WherePredicate::Type(t) => t.bounds.iter().find_map(|b| match b {
                    syn::TypeParamBound::Trait(t) => Some(Type::Path(syn::TypePath {
                        qself: None,
                        path: t.path.clone(),
                    })),
                    _ => None,
                }),
                _ => None,
            })
        });
        f.sig.ident == name
            && bound
                .and_then(|b| type_arguments(&b))
                .is_some_and(|args| matches!(args.as_slice(), [Type::Path(p)] if p.path.segments.last().is_some_and(|s| s.ident == "String")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::commands::Pagination;

    fn paged(list_field: Option<&str>) -> Command {
        Command {
            operation_id: "show_things".into(),
            words: vec!["show".into(), "things".into()],
            pagination: Some(Pagination {
                response_field: "next_token".into(),
                query_param: "after_token".into(),
                list_field: list_field.map(String::from),
            }),
            method: "GET".into(),
            ..Default::default()
        }
    }

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub struct Things {
                    pub things: Option<Vec<Thing>>,
                    pub next_token: Option<::std::string::String>,
                }
            }
            pub mod builder {
                impl<'a> ShowThings<'a> {
                    pub fn after_token<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::std::string::String>,
                    { todo!() }
                    pub async fn send(self) -> Result<ResponseValue<types::Things>, crate::Error<types::Oops>> {
                        let info = OperationInfo { operation_id: "show_things" };
                        todo!()
                    }
                }
            }
        }
    }

    use crate::generate::tests::squashed as code;

    #[test]
    fn a_paged_builder_streams_its_list() {
        let mut file = file();
        apply(&mut file, &[paged(Some("things"))]).unwrap();
        let code = code(&file);
        assert!(code.contains("pubfnstream(self,)->implfutures_core::Stream<Item=Result<<Option<Vec<Thing>>ascrate::pages::Items>::Item,crate::Error<types::Oops>,>,>+Unpin+'a"), "{code}");
        assert!(
            code.contains("|builder,token|builder.after_token(token)"),
            "{code}"
        );
        assert!(code.contains("crate::pages::Items::items(page.things),crate::pages::Token::token(page.next_token),"), "{code}");
    }

    #[test]
    fn no_list_or_an_unknown_field_gets_no_stream() {
        for command in [paged(None), paged(Some("others"))] {
            let mut file = file();
            apply(&mut file, &[command]).unwrap();
            assert!(!code(&file).contains("fnstream"));
        }
    }
}
