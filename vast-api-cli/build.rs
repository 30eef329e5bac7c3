//! `cfg(vast_op = "NAME")` for each operation the generated client has, as vast-api's build
//! script lists them (`DEP_VAST_API_OPERATIONS`): the hand-written commands that call an
//! operation a spec may lack (`vast wait instance`, `create instance --wait`) compile only
//! where the spec has it.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(vast_op, values(any()))");
    println!("cargo::rerun-if-env-changed=DEP_VAST_API_OPERATIONS");
    let operations = std::env::var("DEP_VAST_API_OPERATIONS").unwrap_or_default();
    for id in operations.split(',').filter(|id| !id.is_empty()) {
        println!("cargo::rustc-cfg=vast_op=\"{id}\"");
    }
}
