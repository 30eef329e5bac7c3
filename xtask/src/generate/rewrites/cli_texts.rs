//! A body field the spec constrains as text (`ssh_key` with `minLength: 1`) is a newtype in the
//! library (`types::AttachSshKeyBodySshKey`), and progenitor's CLI parses its flag straight into
//! it, so the rules `vast` has for text (`@PATH`, a key's file, values starting with `-`) never
//! saw it: `--ssh-key @~/.ssh/id.pub` sent the text `@/home/…`. Every such argument is read as a
//! `String` instead, the rules apply, and the body's schema checks what is sent. A rewrite of
//! the syntax tree over the newtypes the client's `types` holds, so it covers every such field
//! of any spec.

use quote::ToTokens;
use syn::Item;
use syn::visit_mut::VisitMut;

/// The newtypes over a `String` in the client's `types` module (`AttachSshKeyBodySshKey`).
pub fn text_newtypes(client: &syn::File) -> Vec<String> {
    let types = client.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    types
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Item::Struct(s) => {
                let syn::Fields::Unnamed(fields) = &s.fields else {
                    return None;
                };
                let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
                    return None;
                };
                let ty = field.ty.to_token_stream().to_string().replace(' ', "");
                (ty == "::std::string::String" || ty == "String").then(|| s.ident.to_string())
            }
            _ => None,
        })
        .collect()
}

/// Reads every argument of a type in `newtypes` as a `String` in the generated `Cli`.
pub fn apply(file: &mut syn::File, newtypes: &[String]) {
    if !newtypes.is_empty() {
        TextParsers { newtypes }.visit_file_mut(file);
    }
}

/// `value_parser!(types::X)` becomes `value_parser!(::std::string::String)`.
struct TextParsers<'a> {
    newtypes: &'a [String],
}

impl VisitMut for TextParsers<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let is_parser = mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "value_parser");
        let ty = mac.tokens.to_string().replace(' ', "");
        let text = ty
            .strip_prefix("types::")
            .is_some_and(|name| self.newtypes.iter().any(|n| n == name));
        if is_parser && text {
            mac.tokens = quote::quote!(::std::string::String);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tests::squashed as code;

    #[test]
    fn the_client_s_text_newtypes_are_found() {
        let client: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct AttachSshKeyBodySshKey(::std::string::String);
                pub struct Count(i64);
                pub struct Body { pub ssh_key: AttachSshKeyBodySshKey }
            }
        };
        assert_eq!(text_newtypes(&client), ["AttachSshKeyBodySshKey"]);
    }

    #[test]
    fn a_text_newtype_is_read_as_text() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub fn cli_attach() -> ::clap::Command {
                    ::clap::Command::new("")
                        .arg(::clap::Arg::new("ssh-key").value_parser(::clap::value_parser!(types::Key)))
                        .arg(::clap::Arg::new("id").value_parser(::clap::value_parser!(types::Other)))
                }
            }
        };
        apply(&mut file, &["Key".into()]);
        let code = code(&file);
        assert!(
            code.contains(
                r#"Arg::new("ssh-key").value_parser(::clap::value_parser!(::std::string::String))"#
            ),
            "{code}"
        );
        assert!(
            code.contains(r#"Arg::new("id").value_parser(::clap::value_parser!(types::Other))"#),
            "{code}"
        );
    }
}
