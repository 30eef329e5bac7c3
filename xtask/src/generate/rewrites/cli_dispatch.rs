//! The generated CLI's dispatch, made to return what each call came to. progenitor's
//! `execute_*` hand a response or an error to `CliConfig` hooks and return nothing, so a caller
//! learns the outcome only through state the hooks share with it. Here each returns a
//! `crate::answer::Answer` (a success, or the error with its typed body dropped) and the caller
//! decides what to print. A paged operation asks `CliConfig::page_token` for the token to send
//! (each page a call with its own config, rather than a token shared with a hook). And
//! progenitor's `execute` awaits every `execute_*` in one `match`, so its future holds each
//! command's future inline and the compiler builds one poll function for all of them: with the
//! vendor's 100 operations it was the largest function in the release binary (about 850 KB of
//! code). Behind a boxed `dyn Future` each command keeps its own poll function and `execute`
//! stays small, for one allocation per run of `vast`.

use syn::{Expr, ImplItem, Item, Stmt};

use crate::generate::commands::Command;
use crate::generate::progenitor_names;
use crate::generate::rewrites::cli_bodies::is_cli;

/// progenitor's `CliConfig` methods that took a response or an error.
const RESPONSE_HOOKS: &[&str] = &[
    "success_item",
    "success_no_item",
    "error",
    "list_start",
    "list_item",
    "list_end_success",
    "list_end_error",
];

/// Rewrites `Cli::execute` and every `Cli::execute_*` to return an `Answer`, and gives
/// `CliConfig` `page_token` in place of the response hooks.
pub fn apply(file: &mut syn::File, commands: &[Command]) -> Result<(), String> {
    for item in &mut file.items {
        match item {
            Item::Impl(block) if is_cli(&block.self_ty) => {
                for item in &mut block.items {
                    let ImplItem::Fn(function) = item else {
                        continue;
                    };
                    let name = function.sig.ident.to_string();
                    if name == "execute" {
                        boxed_dispatch(function)?;
                    } else if let Some(stem) = name.strip_prefix("execute_") {
                        answering(function, stem, commands)?;
                    }
                }
            }
            Item::Trait(config) if config.ident == "CliConfig" => {
                // Nothing calls progenitor's hooks for a response now.
                config.items.retain(|item| {
                    !matches!(item, syn::TraitItem::Fn(f) if RESPONSE_HOOKS.contains(&f.sig.ident.to_string().as_str()))
                });
                config.items.push(syn::parse_quote! {
                    /// The page token a paged command sends (the token of the page before);
                    /// `None` asks for the first page.
                    fn page_token(&self) -> Option<String> {
                        None
                    }
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// `execute_*`: its answer returned rather than handed to the config's hooks, and for a paged
/// operation the config's page token sent.
fn answering(
    function: &mut syn::ImplItemFn,
    stem: &str,
    commands: &[Command],
) -> Result<(), String> {
    function.sig.output = syn::parse_quote!(-> anyhow::Result<crate::answer::Answer>);
    let Some(Stmt::Expr(Expr::Match(_), None)) = function.block.stmts.last() else {
        return Err(format!(
            "internal error: `Cli::execute_{stem}` does not end in a `match` on its result"
        ));
    };
    *function.block.stmts.last_mut().expect("checked above") = Stmt::Expr(
        syn::parse_quote!(Ok(crate::answer::Answer::of(result))),
        None,
    );
    let paged = commands
        .iter()
        .find(|c| progenitor_names::method(&c.operation_id) == stem)
        .and_then(|c| c.pagination.as_ref());
    if let Some(pagination) = paged {
        let param = &pagination.query_param;
        let missing = || {
            format!(
                "internal error: `Cli::execute_{stem}` does not read its page parameter `{param}`"
            )
        };
        let setter = quote::format_ident!("{}", progenitor_names::setter(param));
        // The parameter's own statement reads its argument as its type (`get_one::<T>("arg")`):
        // the token goes in as that type, after it, so the page's token wins over the flag's.
        let plain_argument = progenitor_names::parameter_argument(param);
        let argument = format!("{plain_argument:?}");
        let (at, ty) = function
            .block
            .stmts
            .iter()
            .enumerate()
            .find_map(|(at, stmt)| Some((at, argument_type(stmt, &argument)?)))
            .ok_or_else(missing)?;
        function.block.stmts.insert(
            at + 1,
            syn::parse_quote! {
                if let Some(token) = self.config.page_token() {
                    let value = token.parse::<#ty>().map_err(|e| {
                        anyhow::anyhow!(
                            "the server's page token {} is not a value of --{}: {e}",
                            vast_api::text::shown(&token),
                            #plain_argument,
                        )
                    })?;
                    request = request.#setter(value);
                }
            },
        );
    }
    Ok(())
}

/// The type a statement reads `argument` (quoted: `"after-token"`) as: `T` of
/// `matches.get_one::<T>("after-token")`.
fn argument_type(stmt: &Stmt, argument: &str) -> Option<syn::Type> {
    let text = quote::quote!(#stmt).to_string();
    let (before, _) = text.split_once(&format!("> ({argument})"))?;
    let (_, ty) = before.rsplit_once("get_one :: <")?;
    syn::parse_str(ty).ok()
}

/// `execute`: each `match` arm boxes its command's future.
fn boxed_dispatch(execute: &mut syn::ImplItemFn) -> Result<(), String> {
    execute.sig.output = syn::parse_quote!(-> anyhow::Result<crate::answer::Answer>);
    let Some(Stmt::Expr(Expr::Match(dispatch), None)) = execute.block.stmts.last_mut() else {
        return Err("internal error: `Cli::execute` does not end in a `match`".into());
    };
    for arm in &mut dispatch.arms {
        let Some(awaited) = awaited_command(&arm.body) else {
            return Err("internal error: a `Cli::execute` arm that awaits no command".into());
        };
        let command = &awaited.base;
        *arm.body = syn::parse_quote!(::std::boxed::Box::pin(#command));
    }
    let dispatch = dispatch.clone();
    execute.block.stmts = syn::parse_quote! {
        let command: ::std::pin::Pin<
            ::std::boxed::Box<
                dyn ::std::future::Future<Output = anyhow::Result<crate::answer::Answer>> + '_,
            >,
        > = #dispatch;
        command.await
    };
    Ok(())
}

/// The `command.await` an arm is, seen through the braces (`{ … }`) progenitor writes around it
/// and the invisible groups `quote!` may add.
fn awaited_command(body: &Expr) -> Option<&syn::ExprAwait> {
    match body {
        Expr::Await(awaited) => Some(awaited),
        Expr::Group(group) => awaited_command(&group.expr),
        Expr::Block(block) => match block.block.stmts.as_slice() {
            [Stmt::Expr(inner, None)] => awaited_command(inner),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_runs_as_a_boxed_future() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute(&self, cmd: CliCommand, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    match cmd {
                        CliCommand::ShowApiKeys => { self.execute_show_api_keys(matches).await }
                        CliCommand::ShowInstances => self.execute_show_instances(matches).await,
                    }
                }
            }
        };
        apply(&mut file, &[]).unwrap();
        let code = prettyplease::unparse(&file);
        for command in ["show_api_keys", "show_instances"] {
            let boxed = format!("::std::boxed::Box::pin(self.execute_{command}(matches))");
            assert!(code.contains(&boxed), "{code}");
        }
        assert!(
            crate::generate::tests::squashed(&file).contains(
                "dyn::std::future::Future<Output=anyhow::Result<crate::answer::Answer>,>+'_"
            ),
            "{code}"
        );
        assert!(code.contains("> = match cmd {"), "{code}");
        assert_eq!(code.matches(".await").count(), 1, "{code}");
        assert!(
            code.trim_end().ends_with("command.await\n    }\n}"),
            "{code}"
        );
    }

    #[test]
    fn an_unexpected_execute_is_an_internal_error() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute(&self) -> anyhow::Result<()> { Ok(()) }
            }
        };
        assert_eq!(
            apply(&mut file, &[]).unwrap_err(),
            "internal error: `Cli::execute` does not end in a `match`"
        );
    }

    #[test]
    fn each_command_returns_its_answer_and_a_paged_one_sends_the_page_token() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute_show_things(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.show_things();
                    if let Some(value) = matches.get_one::<i64>("after-token") {
                        request = request.after_token(value.clone());
                    }
                    self.config.execute_show_things(matches, &mut request)?;
                    let result = request.send().await;
                    match result {
                        Ok(r) => {
                            self.config.success_item(&r);
                            Ok(())
                        }
                        Err(r) => {
                            self.config.error(&r);
                            Err(anyhow::Error::new(r))
                        }
                    }
                }
            }
            pub trait CliConfig {
                fn success_item<T>(&self, value: &ResponseValue<T>);
                fn execute_show_things(&self, matches: &::clap::ArgMatches, request: &mut builder::ShowThings) -> anyhow::Result<()> {
                    Ok(())
                }
            }
        };
        let things = Command {
            operation_id: "show_things".into(),
            pagination: Some(crate::generate::commands::Pagination {
                response_field: "next_token".into(),
                query_param: "afterToken".into(),
                list_field: None,
            }),
            ..Default::default()
        };
        apply(&mut file, &[things]).unwrap();
        let code = crate::generate::tests::squashed(&file);
        assert!(
            code.contains(
                "->anyhow::Result<crate::answer::Answer>{letmutrequest=self.client.show_things();\
                 ifletSome(value)=matches.get_one::<i64>(\"after-token\"){request=request.after_token(value.clone());}\
                 ifletSome(token)=self.config.page_token(){letvalue=token.parse::<i64>().map_err(|e|{anyhow::anyhow!(\"theserver'spagetoken{}isnotavalueof--{}:{e}\",vast_api::text::shown(&token),\"after-token\",)})?;request=request.after_token(value);}\
                 self.config.execute_show_things(matches,&mutrequest)?;\
                 letresult=request.send().await;Ok(crate::answer::Answer::of(result))}"
            ),
            "{code}"
        );
        assert!(
            code.contains("fnpage_token(&self)->Option<String>{None}"),
            "{code}"
        );
        assert!(!code.contains("success_item"), "{code}");
        assert!(code.contains("fnexecute_show_things(&self,"), "{code}");
    }
}
