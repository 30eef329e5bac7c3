//! The generated CLI's `--json-body`, made to send what the user wrote. progenitor reads the
//! file into the operation's typed body, which drops what the spec's types do not list (an
//! operator `{"gte": 2}` where the schema names only `in`) and refuses what they forbid, and
//! applies it after the flags, so a flag given beside `--json-body` was silently lost. A
//! rewrite of the syntax tree, so it holds for every operation of any spec: each command first
//! asks `CliConfig::json_body` for the typed body the builder needs (or none, when the types
//! refuse it); the flags then apply over it. The CLI's implementation reads the file with the
//! rest of the command line, keeps the JSON as written and sends it, with the flags over it;
//! the fields progenitor has no flag for (objects, lists) come from the CLI's own JSON flags
//! through the same call.

use quote::ToTokens;
use syn::{ImplItem, Item, Stmt};

/// Rewrites every `execute_*` of the generated `Cli` and adds `json_body` to `CliConfig`.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    for item in &mut file.items {
        match item {
            Item::Impl(block) if is_cli(&block.self_ty) => {
                for item in &mut block.items {
                    if let ImplItem::Fn(function) = item
                        && function.sig.ident.to_string().starts_with("execute_")
                    {
                        rewrite_execute(&mut function.block.stmts)?;
                    }
                }
            }
            Item::Trait(config) if config.ident == "CliConfig" => {
                config.items.push(syn::parse_quote! {
                    /// The typed body of what the command line wrote (a `--json-body` file, the
                    /// JSON flags), asked of every command with a JSON body; `None` leaves the
                    /// body to the flags.
                    fn json_body<B: serde::de::DeserializeOwned>(&self) -> Option<B>;
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether an `impl` is for the generated `Cli`.
pub fn is_cli(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Cli"))
}

/// Moves the `--json-body` statement to just after the builder is made, the body read through
/// `json_body`.
fn rewrite_execute(stmts: &mut Vec<Stmt>) -> Result<(), String> {
    let Some(at) = stmts
        .iter()
        .position(|s| s.to_token_stream().to_string().contains("\"json-body\""))
    else {
        return Ok(());
    };
    let text = stmts[at].to_token_stream().to_string();
    let body_type = text
        .split_once("from_str :: <")
        .and_then(|(_, rest)| rest.split_once("> (& body_txt"))
        .map(|(ty, _)| ty)
        .ok_or_else(|| format!("internal error: an unexpected `--json-body` reader: {text}"))?;
    let body_type: syn::Type = syn::parse_str(body_type)
        .map_err(|e| format!("internal error: the body type `{body_type}`: {e}"))?;
    stmts.remove(at);
    stmts.insert(
        1,
        syn::parse_quote! {
            if let Some(body_value) = self.config.json_body::<#body_type>() {
                request = request.body(body_value);
            }
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_comes_first_and_from_the_config() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute_search(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.search();
                    if let Some(value) = matches.get_one::<i64>("limit") {
                        request = request.body_map(|body| { body.limit(value.clone()) });
                    }
                    if let Some(value) = matches.get_one::<std::path::PathBuf>("json-body") {
                        let body_txt = std::fs::read_to_string(value)
                            .with_context(|| format!("failed to read {}", value.display()))?;
                        let body_value = serde_json::from_str::<types::SearchBody>(&body_txt)
                            .with_context(|| format!("failed to parse {}", value.display()))?;
                        request = request.body(body_value);
                    }
                    self.config.execute_search(matches, &mut request)?;
                    Ok(())
                }
            }
            pub trait CliConfig {}
        };
        apply(&mut file).unwrap();
        let code = prettyplease::unparse(&file);
        let json_body = code.find(".json_body::<").unwrap();
        assert!(json_body < code.find("\"limit\"").unwrap(), "{code}");
        assert!(
            code.contains(
                "if let Some(body_value) = self.config.json_body::<types::SearchBody>() {"
            ),
            "{code}"
        );
        assert!(!code.contains("read_to_string"), "{code}");
        assert!(code.contains("fn json_body<B: serde::de::DeserializeOwned>(&self) -> Option<B>;"));
    }
}
