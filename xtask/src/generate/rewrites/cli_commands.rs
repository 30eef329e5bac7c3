//! progenitor's CLI, kept for its command definitions only. `vast` makes each request from its
//! command table (`generated_commands.rs`, with [`crate::generate::requests`]) and
//! sends it through the library's untyped call (`vast_api::JsonCall`), so the binary compiles
//! no code per operation but the clap arguments: not the library's types, builders and
//! decoding, whose build time and size grew with every operation (issue 20's budgets). So
//! `Cli::new`, `execute` and every `execute_*` go, with the `CliConfig` trait; `Cli` is no
//! longer generic; and an enum argument's possible values, which progenitor reads from the
//! library's type (`types::X::Running.to_string()`), are written as the text that type
//! displays (`"running"`), read back as a `String`.

use std::collections::HashMap;

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

/// Each enum's variants' texts in the client's `types`: (`CreateInstanceBodyRuntype`,
/// `SshProxy`) → `ssh_proxy`, from its `Display`.
/// (A visitor that changes nothing: xtask's syn has no read-only one.)
pub fn enum_texts(client: &mut syn::File) -> HashMap<(String, String), String> {
    let mut texts = EnumTexts::default();
    texts.visit_file_mut(client);
    texts.found
}

#[derive(Default)]
struct EnumTexts {
    found: HashMap<(String, String), String>,
    within: Option<String>,
}

impl VisitMut for EnumTexts {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let display = block
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .is_some_and(|s| s.ident == "Display");
        if !display {
            return;
        }
        self.within = Some(block.self_ty.to_token_stream().to_string());
        syn::visit_mut::visit_item_impl_mut(self, block);
        self.within = None;
    }

    /// `Self::SshProxy => f.write_str("ssh_proxy")`
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let (Some(ty), syn::Pat::Path(pattern)) = (&self.within, &arm.pat) else {
            return;
        };
        let Expr::MethodCall(call) = arm.body.as_ref() else {
            return;
        };
        let text = match call.args.first() {
            Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            })) if call.method == "write_str" => text.value(),
            _ => return,
        };
        if let Some(variant) = pattern.path.segments.last() {
            self.found
                .insert((ty.clone(), variant.ident.to_string()), text);
        }
    }
}

/// Reduces the generated CLI to `Cli::get_command`, the `cli_*` functions and `CliCommand`.
pub fn apply(
    file: &mut syn::File,
    enums: &HashMap<(String, String), String>,
) -> Result<(), String> {
    file.items.retain(|item| match item {
        Item::Trait(t) => t.ident != "CliConfig",
        Item::Use(_) => false,
        _ => true,
    });
    for item in &mut file.items {
        match item {
            Item::Struct(s) if s.ident == "Cli" => {
                *s = syn::parse_quote!(
                    pub struct Cli;
                )
            }
            Item::Impl(block) if is_cli(&block.self_ty) => {
                block.generics = syn::Generics::default();
                *block.self_ty = syn::parse_quote!(Cli);
                block.items.retain(|item| {
                    matches!(item, ImplItem::Fn(f)
                        if f.sig.ident == "get_command" || f.sig.ident.to_string().starts_with("cli_"))
                });
                // Each command's arguments in a function of its own: inlined into
                // `get_command`'s one `match`, their locals made one stack frame of every
                // command's (120 KB more stack, in peak memory, with 100 operations).
                for item in &mut block.items {
                    if let ImplItem::Fn(f) = item
                        && f.sig.ident.to_string().starts_with("cli_")
                    {
                        f.attrs.push(syn::parse_quote!(#[inline(never)]));
                    }
                }
            }
            _ => {}
        }
    }
    let mut texts = Texts {
        enums,
        missing: None,
    };
    texts.visit_file_mut(file);
    if let Some(missing) = texts.missing {
        return Err(format!(
            "internal error: the CLI's enum argument `{missing}` has no text in the client's types"
        ));
    }
    let mut types = ArgumentTypes::default();
    types.visit_file_mut(file);
    if let Some(ty) = types.unknown {
        return Err(format!(
            "the generated CLI reads an argument as `{ty}`, which `vast` does not know how to \
             send (vast-api-cli/src/request.rs, `argument`)"
        ));
    }
    let left = file.to_token_stream().to_string();
    match left.contains("types ::") {
        true => Err("internal error: the generated CLI still names the client's types".into()),
        false => Ok(()),
    }
}

/// The argument types `vast`'s request builder reads (`request::argument`), as progenitor
/// writes them in `value_parser!(…)`: text, the integer and float types, a switch, a file, a
/// time, a date and a uuid.
const KNOWN_TYPES: &[&str] = &[
    "::std::string::String",
    "i64",
    "i32",
    "u64",
    "u32",
    "::std::num::NonZeroU64",
    "f64",
    "f32",
    "bool",
    "std::path::PathBuf",
    "::chrono::DateTime<::chrono::offset::Utc>",
    "::chrono::naive::NaiveDate",
    "::uuid::Uuid",
];

/// The first `value_parser!(T)` whose `T` is not among [`KNOWN_TYPES`].
#[derive(Default)]
struct ArgumentTypes {
    unknown: Option<String>,
}

impl VisitMut for ArgumentTypes {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let is_parser = mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "value_parser");
        let ty = mac.tokens.to_string().replace(' ', "");
        if is_parser && self.unknown.is_none() && !KNOWN_TYPES.contains(&ty.as_str()) {
            self.unknown = Some(ty);
        }
    }
}

/// progenitor's `Cli<T>`.
fn is_cli(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Cli"))
}

/// `TypedValueParser::map(PossibleValuesParser::new([types::X::A.to_string(), …]), |s| …)`
/// becomes `PossibleValuesParser::new(["a", …])`.
struct Texts<'a> {
    enums: &'a HashMap<(String, String), String>,
    missing: Option<String>,
}

impl VisitMut for Texts<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Call(call) = expr else { return };
        let is_map = matches!(call.func.as_ref(), Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "map"));
        let Some(Expr::Call(values)) = call.args.first().filter(|_| is_map) else {
            return;
        };
        let Some(Expr::Array(list)) = values.args.first() else {
            return;
        };
        let mut texts = Vec::new();
        for element in &list.elems {
            match self.text_of(element) {
                Some(text) => texts.push(text),
                None => {
                    self.missing = Some(element.to_token_stream().to_string());
                    return;
                }
            }
        }
        *expr = syn::parse_quote!(::clap::builder::PossibleValuesParser::new([#(#texts),*]));
    }
}

impl Texts<'_> {
    /// `types::X::A.to_string()`'s text.
    fn text_of(&self, element: &Expr) -> Option<String> {
        let Expr::MethodCall(call) = element else {
            return None;
        };
        let Expr::Path(path) = call.receiver.as_ref() else {
            return None;
        };
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let [.., ty, variant] = &segments[..] else {
            return None;
        };
        self.enums.get(&(ty.clone(), variant.clone())).cloned()
    }
}
