//! Requests go to the server the spec names for their operation: OpenAPI lets an operation
//! (`paths./route.post.servers`) or a path (`paths./route.servers`) name servers of its own in
//! place of the document's. progenitor builds every URL on the client's one base URL, so each
//! `send()` of such an operation builds it on `client.operation_server("<its server>")`
//! instead, which is that server unless the client was given a base URL of its own
//! (`vast-api/src/config.rs` says which). A rewrite of the syntax tree, so it holds for every
//! operation of any spec.
//!
//! An operation's server is the first of its own `servers`, else of its path's, with each
//! `{variable}` replaced by its `default`. Only an absolute `https://` URL with a host is taken:
//! the key goes with every request, and never in clear text. A relative URL, plain `http://`, or
//! a variable without a default leaves the operation on the base URL, as is one that names the
//! document's own server.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{ImplItem, Item};

use crate::generate::progenitor_names;
use crate::generate::rewrites::operation_types::builder_items;
use crate::generate::rewrites::typed_errors::operation_id;

/// Each operation that names a server other than the document's: its server, by operationId as
/// progenitor spells it in the code (snake case), from the normalised document.
pub fn operations(doc: &Value) -> BTreeMap<String, String> {
    let document = first_server(doc);
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, _, op)| {
            let item = &doc["paths"][path];
            let server = first_server(op).or_else(|| first_server(item))?;
            let id = progenitor_names::method(op.get("operationId")?.as_str()?);
            (Some(&server) != document.as_ref()).then_some((id, server))
        })
        .collect()
}

/// The first entry of `at`'s `servers`, when it is a usable `https://` URL (see the module's
/// documentation), without a trailing `/`.
fn first_server(at: &Value) -> Option<String> {
    let server = at.get("servers")?.as_array()?.first()?;
    let mut url = server.get("url")?.as_str()?.to_string();
    while let Some(start) = url.find('{') {
        let end = start + url[start..].find('}')?;
        let name = &url[start + 1..end];
        let default = server["variables"][name]["default"].as_str()?;
        url.replace_range(start..=end, default);
    }
    let host = url.strip_prefix("https://")?.split('/').next()?;
    let usable = !host.is_empty()
        && !host.contains('@')
        && !url.contains(['?', '#'])
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    usable.then(|| url.trim_end_matches('/').to_string())
}

/// Builds the URL of each `send` whose operation has a server of its own on that server.
pub fn apply(file: &mut syn::File, servers: &BTreeMap<String, String>) -> Result<(), String> {
    let Some(items) = builder_items(file) else {
        return Ok(());
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
            let Some(server) = operation_id(&function.block).and_then(|id| servers.get(&id)) else {
                continue;
            };
            let mut rewrite = OnServer {
                server,
                replaced: 0,
            };
            rewrite.visit_block_mut(&mut function.block);
            if rewrite.replaced != 1 {
                return Err(format!(
                    "internal error: a generated `send` builds its URL on `client.baseurl` {} times, not once",
                    rewrite.replaced
                ));
            }
        }
    }
    Ok(())
}

/// Replaces `client.baseurl` in the `format!` that builds the URL.
struct OnServer<'a> {
    server: &'a str,
    replaced: usize,
}

impl VisitMut for OnServer<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = self.replace(std::mem::take(&mut mac.tokens));
        }
    }
}

impl OnServer<'_> {
    fn replace(&mut self, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            if let [
                TokenTree::Ident(client),
                TokenTree::Punct(dot),
                TokenTree::Ident(field),
                ..,
            ] = &tokens[i..]
                && client == "client"
                && dot.as_char() == '.'
                && field == "baseurl"
            {
                let server = self.server;
                out.extend(quote::quote!(client.operation_server(#server)));
                self.replaced += 1;
                i += 3;
            } else {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_operation_or_its_path_may_name_its_own_https_server() {
        let doc = json!({
            "servers": [{"url": "https://console.example"}],
            "paths": {
                "/own": {"post": {
                    "operationId": "ownServer",
                    "servers": [{"url": "https://run.example/"}, {"url": "https://other.example"}],
                }},
                "/path": {
                    "servers": [{"url": "https://{region}.example", "variables": {"region": {"default": "eu"}}}],
                    "get": {"operationId": "pathServer"},
                    "put": {"operationId": "opWins", "servers": [{"url": "https://op.example"}]},
                },
                "/same": {"get": {"operationId": "same", "servers": [{"url": "https://console.example"}]}},
                "/plain": {"get": {"operationId": "plain", "servers": [{"url": "http://run.example"}]}},
                "/relative": {"get": {"operationId": "relative", "servers": [{"url": "/v2"}]}},
                "/unknown": {"get": {"operationId": "unknown", "servers": [{"url": "https://{x}.example"}]}},
                "/none": {"get": {"operationId": "none"}},
            }
        });
        let servers = super::operations(&doc);
        assert_eq!(
            servers.into_iter().collect::<Vec<_>>(),
            [
                ("op_wins", "https://op.example"),
                ("own_server", "https://run.example"),
                ("path_server", "https://eu.example"),
            ]
            .map(|(id, url)| (id.to_string(), url.to_string()))
        );
    }

    #[test]
    fn the_url_is_built_on_the_operations_server() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> Route<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let url = format!("{}/route", client.baseurl,);
                        let info = OperationInfo { operation_id: "route" };
                        todo!()
                    }
                }
                impl<'a> Other<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let url = format!("{}/other", client.baseurl,);
                        let info = OperationInfo { operation_id: "other" };
                        todo!()
                    }
                }
            }
        };
        let servers = [("route".to_string(), "https://run.example".to_string())].into();
        super::apply(&mut file, &servers).unwrap();
        let code: String = prettyplease::unparse(&file)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            code.contains(r#"format!("{}/route",client.operation_server("https://run.example"),)"#),
            "{code}"
        );
        assert!(
            code.contains(r#"format!("{}/other",client.baseurl,)"#),
            "{code}"
        );
    }
}
