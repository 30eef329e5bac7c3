//! progenitor's CLI, read for its command definitions: each command's `about` and arguments
//! (id, flag, value type, required, help), as data for the command table
//! ([`crate::generate::command_records`]). `vast` builds its clap commands from that data and
//! makes each request from the table's request ([`crate::generate::requests`]), sent through the
//! library's untyped call (`vast_api::JsonCall`): the binary holds no code per operation, where
//! progenitor's CLI compiled the library's types, builders and decoding and a clap function for
//! every operation (issue 20's budgets). An enum argument's possible values, which progenitor
//! reads from the library's type (`types::X::Running.to_string()`), are the text that type
//! displays (`"running"`).

use std::collections::HashMap;

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

/// One command's definition: its `about` and its arguments, in progenitor's order.
#[derive(Debug, Default, PartialEq)]
pub struct Definition {
    pub about: String,
    pub args: Vec<ArgDef>,
}

/// One argument as progenitor defines it.
#[derive(Debug, Default, PartialEq)]
pub struct ArgDef {
    pub id: String,
    pub long: String,
    pub value_name: Option<String>,
    /// The value's type, as `vast` names it (see [`KINDS`]), or `choices`, or empty for a switch.
    pub kind: String,
    /// An enum's values, as its type displays them.
    pub choices: Vec<String>,
    pub required: Option<bool>,
    pub required_unless: Option<String>,
    /// `ArgAction::SetTrue`: a switch without a value.
    pub set_true: bool,
    pub help: Option<String>,
}

/// The argument types `vast` reads (`request::argument`, `operation_args::defined`), as
/// progenitor writes them in `value_parser!(…)`, and the name the table gives each.
const KINDS: &[(&str, &str)] = &[
    ("::std::string::String", "string"),
    ("i64", "i64"),
    ("i32", "i32"),
    ("u64", "u64"),
    ("u32", "u32"),
    ("::std::num::NonZeroU64", "nonzero-u64"),
    ("f64", "f64"),
    ("f32", "f32"),
    ("bool", "bool"),
    ("std::path::PathBuf", "path"),
    ("::chrono::DateTime<::chrono::offset::Utc>", "date-time"),
    ("::chrono::naive::NaiveDate", "date"),
    ("::uuid::Uuid", "uuid"),
];

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

/// Each command's definition, by its operation's id (`cli_show_api_keys` → `show_api_keys`).
pub fn definitions(
    file: &syn::File,
    enums: &HashMap<(String, String), String>,
) -> Result<HashMap<String, Definition>, String> {
    let mut found = HashMap::new();
    for item in &file.items {
        let Item::Impl(block) = item else { continue };
        for item in &block.items {
            let ImplItem::Fn(function) = item else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let Some(operation) = name.strip_prefix("cli_") else {
                continue;
            };
            let Some(syn::Stmt::Expr(chain, None)) = function.block.stmts.last() else {
                return Err(format!(
                    "internal error: `Cli::{name}` is not one expression"
                ));
            };
            let mut definition = Definition::default();
            command_calls(chain, enums, &mut definition)
                .map_err(|e| format!("`Cli::{name}`: {e}"))?;
            found.insert(operation.to_string(), definition);
        }
    }
    Ok(found)
}

/// `::clap::Command::new("").arg(…).about(…)`, read from the inside out.
fn command_calls(
    expr: &Expr,
    enums: &HashMap<(String, String), String>,
    definition: &mut Definition,
) -> Result<(), String> {
    let Expr::MethodCall(call) = expr else {
        return Ok(());
    };
    command_calls(&call.receiver, enums, definition)?;
    let argument = call.args.first();
    match (call.method.to_string().as_str(), argument) {
        ("about", Some(text)) => definition.about = text_of(text)?,
        ("arg", Some(arg)) => {
            let mut def = ArgDef::default();
            arg_calls(arg, enums, &mut def)?;
            definition.args.push(def);
        }
        (other, _) => {
            return Err(format!(
                "internal error: `.{other}(…)` on a command is not read"
            ));
        }
    }
    Ok(())
}

/// `::clap::Arg::new("id").long("id").value_parser(…).required(true).help("…")`.
fn arg_calls(
    expr: &Expr,
    enums: &HashMap<(String, String), String>,
    def: &mut ArgDef,
) -> Result<(), String> {
    match expr {
        Expr::Call(call) => {
            def.id = call
                .args
                .first()
                .map(text_of)
                .transpose()?
                .unwrap_or_default();
            Ok(())
        }
        Expr::MethodCall(call) => {
            arg_calls(&call.receiver, enums, def)?;
            let argument = call.args.first();
            let text = || argument.map(text_of).transpose();
            match call.method.to_string().as_str() {
                "long" => def.long = text()?.unwrap_or_default(),
                "value_name" => def.value_name = text()?,
                "help" => def.help = text()?,
                "required_unless_present" => def.required_unless = text()?,
                "required" => {
                    def.required = argument.map(|a| a.to_token_stream().to_string() == "true")
                }
                "action" => {
                    def.set_true = argument
                        .is_some_and(|a| a.to_token_stream().to_string().ends_with("SetTrue"))
                }
                "value_parser" => parser(argument, enums, def)?,
                other => {
                    return Err(format!(
                        "internal error: `.{other}(…)` on an argument is not read"
                    ));
                }
            }
            Ok(())
        }
        other => Err(format!(
            "internal error: an argument `{}` is not read",
            other.to_token_stream()
        )),
    }
}

/// A value parser: `value_parser!(T)` of a type in [`KINDS`], or an enum's possible values.
fn parser(
    argument: Option<&Expr>,
    enums: &HashMap<(String, String), String>,
    def: &mut ArgDef,
) -> Result<(), String> {
    let tokens = argument
        .map(|a| a.to_token_stream().to_string().replace(' ', ""))
        .unwrap_or_default();
    if let Some(Expr::Macro(mac)) = argument {
        let ty = mac.mac.tokens.to_string().replace(' ', "");
        let (_, kind) = KINDS.iter().find(|(t, _)| *t == ty).ok_or_else(|| {
            format!(
                "the generated CLI reads an argument as `{ty}`, which `vast` does not know how \
                 to send (vast-api-cli/src/request.rs, `argument`)"
            )
        })?;
        def.kind = (*kind).to_string();
        return Ok(());
    }
    let mut values = Values {
        enums,
        found: Vec::new(),
        missing: None,
    };
    let mut expr = argument
        .cloned()
        .ok_or("internal error: a value parser without a value")?;
    values.visit_expr_mut(&mut expr);
    if let Some(missing) = values.missing {
        return Err(format!(
            "internal error: the CLI's enum argument `{missing}` has no text in the client's types"
        ));
    }
    if !tokens.contains("PossibleValuesParser") || values.found.is_empty() {
        return Err(format!(
            "internal error: the value parser `{tokens}` is not read"
        ));
    }
    def.kind = "choices".into();
    def.choices = values.found;
    Ok(())
}

/// A string literal's text.
fn text_of(expr: &Expr) -> Result<String, String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Ok(text.value()),
        other => Err(format!(
            "internal error: `{}` is not text",
            other.to_token_stream()
        )),
    }
}

/// The possible values of `PossibleValuesParser::new([types::X::A.to_string(), …])` (or of
/// literal texts), in order.
struct Values<'a> {
    enums: &'a HashMap<(String, String), String>,
    found: Vec<String>,
    missing: Option<String>,
}

impl VisitMut for Values<'_> {
    fn visit_expr_array_mut(&mut self, list: &mut syn::ExprArray) {
        for element in &list.elems {
            match self.text_of(element) {
                Some(text) => self.found.push(text),
                None => self.missing = Some(element.to_token_stream().to_string()),
            }
        }
    }
}

impl Values<'_> {
    /// `types::X::A.to_string()`'s text, or a literal's.
    fn text_of(&self, element: &Expr) -> Option<String> {
        if let Ok(text) = text_of(element) {
            return Some(text);
        }
        let Expr::MethodCall(call) = element else {
            return None;
        };
        let Expr::Path(path) = call.receiver.as_ref() else {
            return None;
        };
        let segments = super::segments(&path.path);
        let [.., ty, variant] = &segments[..] else {
            return None;
        };
        self.enums.get(&(ty.clone(), variant.clone())).cloned()
    }
}
