//! Filter expressions for every operation whose JSON body is a filter of operator objects (the
//! command table's rule, [`crate::generate::commands`]' `filter`): its fields as a `const` in
//! `vast_api::filters` (`SEARCH_OFFERS`), which the CLI's command table names too, and
//! `filter(query)` on its builder, whose `send()` sends the body with the expression merged in
//! (`vast_api::filter`). A rewrite of the syntax tree, so it holds for every spec; a spec
//! without filter bodies (the seed) gets neither module.

use quote::format_ident;
use syn::{ImplItem, Item};

use crate::generate::commands::{Command, FilterField, const_name};
use crate::generate::rewrites::operation_types::{Builder, builder_items, builder_of};

/// Adds `filters` (each filtering operation's fields) and `filtered` (their builders'
/// `filter()` and the filtered `send()`).
pub fn apply(file: &mut syn::File, commands: &[Command]) -> Result<(), String> {
    let filtering: Vec<&Command> = commands.iter().filter(|c| !c.filter.is_empty()).collect();
    if filtering.is_empty() {
        return Ok(());
    }
    let consts = filtering.iter().map(|c| field_table(c));
    let mut methods: Vec<Item> = Vec::new();
    let mut builders: Vec<syn::Ident> = Vec::new();
    for item in builder_items(file).into_iter().flatten() {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = block.trait_.is_none().then(|| builder_of(block)).flatten() else {
            continue;
        };
        let Some(command) = filtering
            .iter()
            .find(|c| c.operation_id == builder.operation_id)
        else {
            continue;
        };
        // A builder with a setter of that name (a `filter` parameter) keeps it.
        let taken = block
            .items
            .iter()
            .any(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == "filter"));
        if taken {
            continue;
        }
        methods.extend(filter_methods(&builder, command));
        builders.push(builder.name.clone());
    }
    file.items.push(syn::parse_quote! {
        /// The fields of each operation whose JSON body is a filter of operator objects, for
        /// [`Filter::parse`](crate::filter::Filter::parse).
        pub mod filters {
            use crate::filter::FilterField;
            #(#consts)*
        }
    });
    if !methods.is_empty() {
        file.items.push(syn::parse_quote! {
            /// `filter()` of each filtering operation's builder.
            mod filtered {
                use super::types;
                #[allow(unused_imports)]
                use super::types::*;
                use super::builder::{#(#builders),*};
                #(#methods)*
            }
        });
    }
    Ok(())
}

/// `filter()` on the builder, and `send()` on the builder with a filter.
fn filter_methods(builder: &Builder, command: &Command) -> [Item; 2] {
    let fields = format_ident!("{}", const_name(&command.operation_id));
    let (name, response, error) = (&builder.name, &builder.response, &builder.error);
    let doc = format!(
        "Sets a filter expression, as `vast {}` takes it (`vast_api::filter`): its \
         conditions are merged into the body on `send()`. An unknown field or a value of \
         the wrong type is an error naming it.",
        command.words.join(" ")
    );
    [
        syn::parse_quote! {
            impl<'a> #name<'a> {
                #[doc = #doc]
                pub fn filter(
                    self,
                    query: &str,
                ) -> Result<crate::filter::Filtered<Self>, crate::filter::FilterError> {
                    let filter = crate::filter::Filter::parse(query, super::filters::#fields)?;
                    Ok(crate::filter::Filtered { builder: self, filter })
                }
            }
        },
        syn::parse_quote! {
            impl<'a> crate::filter::Filtered<#name<'a>> {
                /// Sends the request with the filter expression merged into the body.
                pub async fn send(
                    self,
                ) -> Result<super::ResponseValue<#response>, crate::Error<#error>> {
                    crate::filter::sending(self.filter, self.builder.send()).await
                }
            }
        },
    ]
}

/// `pub const SEARCH_OFFERS: &[FilterField] = &[FilterField { name: "verified", typed: &[("eq",
/// "boolean")], kind: Some("boolean"), description: "…", default: Some(r#"{"eq":true}"#) }, ...];`
fn field_table(command: &Command) -> Item {
    let name = format_ident!("{}", const_name(&command.operation_id));
    let doc = format!(
        "The filter fields of `{}` (`vast {}`).",
        command.operation_id,
        command.words.join(" ")
    );
    let optional = |value: &Option<String>| match value {
        Some(v) => quote::quote!(Some(#v)),
        None => quote::quote!(None),
    };
    let fields = command.filter.iter().map(|field| {
        let FilterField {
            name, description, ..
        } = field;
        let typed = field.typed.iter().map(|(op, ty)| quote::quote!((#op, #ty)));
        let (kind, default) = (optional(&field.kind), optional(&field.default));
        quote::quote!(FilterField {
            name: #name,
            typed: &[#(#typed),*],
            kind: #kind,
            description: #description,
            default: #default,
        })
    });
    syn::parse_quote! {
        #[doc = #doc]
        pub const #name: &[FilterField] = &[#(#fields),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(filter: Vec<FilterField>) -> Command {
        Command {
            operation_id: "search_things".into(),
            words: vec!["search".into(), "things".into()],
            filter,
            method: "POST".into(),
            ..Default::default()
        }
    }

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {}
            pub mod builder {
                impl<'a> SearchThings<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Things>, crate::Error<types::Oops>> {
                        let info = OperationInfo { operation_id: "search_things" };
                        todo!()
                    }
                }
            }
        }
    }

    use crate::generate::tests::squashed as code;

    #[test]
    fn a_filter_body_gets_its_fields_and_a_filter_method() {
        let mut file = file();
        let fields = vec![FilterField {
            name: "num_gpus".into(),
            typed: vec![("in".into(), "integer".into())],
            kind: Some("number".into()),
            description: "Number of GPUs".into(),
            default: Some(r#"{"gte":1}"#.into()),
        }];
        apply(&mut file, &[command(fields)]).unwrap();
        let code = code(&file);
        assert!(
            code.contains(r#"pubconstSEARCH_THINGS:&[FilterField]=&[FilterField{name:"num_gpus",typed:&[("in","integer")],kind:Some("number"),description:"NumberofGPUs",default:Some("{\"gte\":1}"),},];"#),
            "{code}"
        );
        assert!(code.contains("pubfnfilter(self,query:&str,)->Result<crate::filter::Filtered<Self>,crate::filter::FilterError>"), "{code}");
        assert!(
            code.contains("impl<'a>crate::filter::Filtered<SearchThings<'a>>"),
            "{code}"
        );
        assert!(
            code.contains(
                "->Result<super::ResponseValue<types::Things>,crate::Error<types::Oops>>"
            ),
            "{code}"
        );
    }

    #[test]
    fn no_filter_body_adds_nothing() {
        let mut file = file();
        let before = code(&file);
        apply(&mut file, &[command(vec![])]).unwrap();
        assert_eq!(code(&file), before);
    }
}
