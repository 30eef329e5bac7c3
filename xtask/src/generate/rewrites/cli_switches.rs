//! A boolean is a switch on `vast`'s command line (`--vm`, `--no-vm`), not a flag taking `true`
//! or `false`. progenitor reads each boolean argument with `matches.get_one::<bool>(NAME)`; the
//! switch pair is two arguments, so every such read becomes `crate::switches::switch(matches,
//! NAME)`, which gives the same `Option<&bool>` from whichever of the two was given. A rewrite of
//! the syntax tree, so it holds for every boolean parameter and body field of any spec; the
//! arguments themselves are adapted where the CLI builds its commands (`operation_args::adapted`).

use syn::{Expr, GenericArgument, ImplItem, Item, Stmt};

/// Rewrites the boolean reads of every `execute_*` method of the generated `Cli`.
pub fn apply(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            let ImplItem::Fn(function) = item else {
                continue;
            };
            for stmt in &mut function.block.stmts {
                // `if let Some(value) = matches.get_one::<bool>("vm") { … }`
                if let Stmt::Expr(Expr::If(branch), _) = stmt
                    && let Expr::Let(binding) = branch.cond.as_mut()
                {
                    rewrite(&mut binding.expr);
                }
            }
        }
    }
}

fn rewrite(expr: &mut Expr) {
    let Expr::MethodCall(call) = expr else { return };
    let reads_bool = call.method == "get_one"
        && call.turbofish.as_ref().is_some_and(|t| {
            matches!(t.args.first(), Some(GenericArgument::Type(syn::Type::Path(p)))
                if t.args.len() == 1 && p.path.is_ident("bool"))
        });
    if !reads_bool || call.args.len() != 1 {
        return;
    }
    let (receiver, name) = (&call.receiver, &call.args[0]);
    *expr = syn::parse_quote!(crate::switches::switch(#receiver, #name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_reads_go_through_the_switch_pair_and_others_stay() {
        let mut file: syn::File = syn::parse_quote! {
            impl<T: CliConfig> Cli<T> {
                pub async fn execute_x(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.x();
                    if let Some(value) = matches.get_one::<bool>("vm") {
                        request = request.body_map(|body| { body.vm(value.clone()) });
                    }
                    if let Some(value) = matches.get_one::<::std::string::String>("label") {
                        request = request.body_map(|body| { body.label(value.clone()) });
                    }
                    Ok(())
                }
            }
        };
        apply(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("if let Some(value) = crate::switches::switch(matches, \"vm\") {"),
            "{code}"
        );
        assert!(
            code.contains("matches.get_one::<::std::string::String>(\"label\")"),
            "{code}"
        );
    }
}
