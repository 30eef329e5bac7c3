//! A body field the spec constrains as text (`ssh_key` with `minLength: 1`) is a newtype in the
//! library (`types::AttachSshKeyBodySshKey`), and progenitor's CLI parses its flag straight into
//! it, so the rules `vast` has for text (`@PATH`, a key's file, values starting with `-`) never
//! saw it: `--ssh-key @~/.ssh/id.pub` sent the text `@/home/…`. Every such argument is read as a
//! `String` instead, and turned into the newtype when the command runs, after those rules, with
//! the newtype's own checks (an empty key is still refused). A rewrite of the syntax tree over
//! the newtypes the client's `types` holds, so it covers every such field of any spec.

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, GenericArgument, ImplItem, Item, Stmt};

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
    if newtypes.is_empty() {
        return;
    }
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            let ImplItem::Fn(function) = item else {
                continue;
            };
            TextParsers { newtypes }.visit_block_mut(&mut function.block);
            for stmt in &mut function.block.stmts {
                // `if let Some(value) = matches.get_one::<types::X>("ssh-key") { … }`
                if let Stmt::Expr(Expr::If(branch), _) = stmt
                    && let Expr::Let(binding) = branch.cond.as_mut()
                    && let Some((newtype, flag)) = read_as_text(&mut binding.expr, newtypes)
                {
                    let message = format!("invalid value for --{flag}: {{e}}");
                    branch.then_branch.stmts.insert(
                        0,
                        syn::parse_quote! {
                            let value = &value
                                .parse::<types::#newtype>()
                                .map_err(|e| anyhow::anyhow!(#message))?;
                        },
                    );
                }
            }
        }
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

/// Turns `matches.get_one::<types::X>(NAME)` for a newtype `X` into a read of a `String`; the
/// newtype's name and the flag's.
fn read_as_text(expr: &mut Expr, newtypes: &[String]) -> Option<(syn::Ident, String)> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    let turbofish = call
        .turbofish
        .as_mut()
        .filter(|_| call.method == "get_one")?;
    let Some(GenericArgument::Type(syn::Type::Path(ty))) = turbofish.args.first() else {
        return None;
    };
    let segments: Vec<String> = ty
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let [module, name] = segments.as_slice() else {
        return None;
    };
    if module != "types" || !newtypes.contains(name) {
        return None;
    }
    let newtype = syn::Ident::new(name, proc_macro2::Span::call_site());
    let Some(Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(flag),
        ..
    })) = call.args.first()
    else {
        return None;
    };
    let flag = flag.value();
    turbofish.args[0] = syn::parse_quote!(::std::string::String);
    Some((newtype, flag))
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
    fn a_text_newtype_is_read_as_text_and_parsed_when_the_command_runs() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub fn cli_attach() -> ::clap::Command {
                    ::clap::Command::new("")
                        .arg(::clap::Arg::new("ssh-key").value_parser(::clap::value_parser!(types::Key)))
                        .arg(::clap::Arg::new("id").value_parser(::clap::value_parser!(types::Other)))
                }
                pub async fn execute_attach(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.attach();
                    if let Some(value) = matches.get_one::<types::Key>("ssh-key") {
                        request = request.body_map(|body| { body.ssh_key(value.clone()) });
                    }
                    if let Some(value) = matches.get_one::<types::Other>("id") {
                        request = request.id(value.clone());
                    }
                    Ok(())
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
        assert!(
            code.contains(
                r#"ifletSome(value)=matches.get_one::<::std::string::String>("ssh-key"){letvalue=&value.parse::<types::Key>().map_err(|e|anyhow::anyhow!("invalidvaluefor--ssh-key:{e}"))?;"#
            ),
            "{code}"
        );
        assert!(
            code.contains(r#"matches.get_one::<types::Other>("id")"#),
            "{code}"
        );
    }
}
