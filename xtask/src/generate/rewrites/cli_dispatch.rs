//! The generated CLI's `execute`, made to box each command's future. progenitor's `execute`
//! awaits every `execute_*` in one `match`, so its future holds each command's future inline and
//! the compiler builds one poll function for all of them: with the vendor's 100 operations it was
//! the largest function in the release binary (about 850 KB of code). Behind a boxed
//! `dyn Future` each command keeps its own poll function and `execute` stays small, for one
//! allocation per run of `vast`.

use syn::{Expr, ImplItem, Item, Stmt};

use crate::generate::rewrites::cli_bodies::is_cli;

/// Rewrites `Cli::execute` so each `match` arm boxes its command's future.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let execute = file
        .items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(block) if is_cli(&block.self_ty) => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .find_map(|item| match item {
            ImplItem::Fn(function) if function.sig.ident == "execute" => Some(function),
            _ => None,
        })
        .ok_or("internal error: the generated CLI has no `Cli::execute`")?;
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
            ::std::boxed::Box<dyn ::std::future::Future<Output = anyhow::Result<()>> + '_>,
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
        apply(&mut file).unwrap();
        let code = prettyplease::unparse(&file);
        for command in ["show_api_keys", "show_instances"] {
            let boxed = format!("::std::boxed::Box::pin(self.execute_{command}(matches))");
            assert!(code.contains(&boxed), "{code}");
        }
        assert!(code.contains("dyn ::std::future::Future<Output = anyhow::Result<()>> + '_"));
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
            apply(&mut file).unwrap_err(),
            "internal error: `Cli::execute` does not end in a `match`"
        );
    }
}
