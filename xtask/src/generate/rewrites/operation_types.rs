//! `vast_api::Operation` for every generated builder: the success and error bodies its `send()`
//! gives, so hand-written code can name them whatever the spec calls them (the wait of
//! `show_instance` names its error type this way). A rewrite of the syntax tree, after
//! `typed_errors`, for every operation of any spec.

use syn::{GenericArgument, ImplItem, Item, ItemImpl, PathArguments, ReturnType, Type};

/// The builder module's items, where progenitor puts each operation's builder.
pub fn builder_items(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// An operation's builder: its type's name and the bodies `send()` gives.
pub struct Builder {
    pub name: syn::Ident,
    /// The operationId the builder's `send` hands the hooks.
    pub operation_id: String,
    pub response: Type,
    pub error: Type,
}

/// The builder an `impl` block is of, when it has a `send`.
pub fn builder_of(block: &ItemImpl) -> Option<Builder> {
    let Type::Path(self_ty) = &*block.self_ty else {
        return None;
    };
    let name = self_ty.path.segments.last()?.ident.clone();
    let send = block.items.iter().find_map(|item| match item {
        ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })?;
    let ReturnType::Type(_, ty) = &send.sig.output else {
        return None;
    };
    // Result<ResponseValue<R>, crate::Error<E>>
    let [ok, err] = type_arguments(ty)?.try_into().ok()?;
    let [response] = type_arguments(&ok)?.try_into().ok()?;
    let [error] = type_arguments(&err)?.try_into().ok()?;
    Some(Builder {
        name,
        operation_id: crate::generate::rewrites::typed_errors::operation_id(&send.block)?,
        response,
        error,
    })
}

/// The type arguments of the last segment of a path type: `A, B` of `x::Y<A, B>`.
pub fn type_arguments(ty: &Type) -> Option<Vec<Type>> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// Adds `impl crate::Operation for Builder<'_>` after each builder's own `impl`.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let Some(items) = builder_items(file) else {
        return Ok(());
    };
    let impls: Vec<Item> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() => builder_of(block),
            _ => None,
        })
        .map(
            |Builder {
                 name,
                 response,
                 error,
                 ..
             }| {
                syn::parse_quote! {
                    impl crate::Operation for #name<'_> {
                        type Response = #response;
                        type Error = #error;
                    }
                }
            },
        )
        .collect();
    items.extend(impls);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_builder_names_its_bodies() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ShowThings<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Things>, crate::Error<types::Oops>> {
                        let info = OperationInfo { operation_id: "show_things" };
                        todo!()
                    }
                }
            }
        };
        super::apply(&mut file).unwrap();
        let code: String = prettyplease::unparse(&file)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            code.contains("implcrate::OperationforShowThings<'_>{typeResponse=types::Things;typeError=types::Oops;}"),
            "{code}"
        );
    }
}
