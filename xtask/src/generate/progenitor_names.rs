//! progenitor's naming rules, in one place: the code it generates and what `gen` writes beside it
//! (the command table, the rewrites, try-spec's expectations) must name things alike.

use heck::{ToKebabCase, ToSnakeCase};

/// An operation's method, and its builder's and CLI function's stem: the operationId in snake
/// case (`showApiKeys` → `show_api_keys`). `gen` checks the generated CLI agrees.
pub fn method(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// A parameter's setter on the builder: its name in snake case.
pub fn setter(name: &str) -> String {
    name.to_snake_case()
}

/// A parameter's argument in progenitor's CLI: its setter's name in kebab case.
pub fn parameter_argument(name: &str) -> String {
    setter(name).to_kebab_case()
}

/// A JSON body field's argument in progenitor's CLI: the field's name in kebab case.
pub fn body_argument(name: &str) -> String {
    name.to_kebab_case()
}
