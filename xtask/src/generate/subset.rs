//! `subset.toml`: generating only some of the spec's operations, so that users who need a few
//! compile only those (as swift-openapi-generator's document filter and the Haskell generator's
//! operation filters do). The file sits beside `openapi.yaml`:
//!
//! ```toml
//! operations = ["show_instances", "createInstance"]  # Rust name (names.toml) or operationId
//! tags = ["Billing"]
//! paths = ["/api/v0/instances"]  # whole segments; `{…}` matches any parameter
//! ```
//!
//! An operation is kept when any entry matches it. It is applied to the normalised document,
//! whose operations were all named first, so `names.toml` and every name stay what the whole spec
//! gives, with or without a subset. The components nothing kept refers to are dropped, or
//! progenitor would still generate their types.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::generate::names::Naming;
use crate::generate::openapi::{Location, METHODS};

pub const FILE: &str = "subset.toml";

/// Always kept: the demo, the library's examples, the README and the tests call it.
const ALWAYS_KEPT: &str = "show_api_keys";

/// The component kinds an operation reaches through `$ref`, and that are dropped when nothing
/// kept reaches them. Others (security schemes) hold no types.
const PRUNED: [&str; 4] = ["schemas", "responses", "parameters", "requestBodies"];

/// The entries of `subset.toml`.
#[derive(Debug, Default)]
pub struct Subset {
    operations: Vec<String>,
    tags: Vec<String>,
    paths: Vec<String>,
}

/// How many operations a subset kept, of how many the spec has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kept {
    pub kept: usize,
    pub of: usize,
}

/// One operation, as entries match it.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    rust: &'a str,
    operation_id: Option<&'a str>,
    tags: Vec<&'a str>,
}

impl Subset {
    /// The workspace's `subset.toml`; none means the whole spec.
    pub fn load(root: &Path) -> Result<Option<Subset>, String> {
        match std::fs::read_to_string(root.join(FILE)) {
            Ok(text) => Subset::parse(&text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{FILE}: cannot read: {e}")),
        }
    }

    pub fn parse(text: &str) -> Result<Subset, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
            format!("{FILE}: line {line}: {}", e.message())
        })?;
        let mut subset = Subset::default();
        for (key, value) in table {
            let list = match key.as_str() {
                "operations" => &mut subset.operations,
                "tags" => &mut subset.tags,
                "paths" => &mut subset.paths,
                _ => {
                    return Err(format!(
                        "{FILE}: unknown key `{key}`{}: the keys are `operations`, `tags` and `paths`",
                        did_you_mean(&key, ["operations", "tags", "paths"])
                    ));
                }
            };
            *list = value
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .map(|item| item.as_str().map(String::from))
                        .collect()
                })
                .ok_or_else(|| {
                    format!("{FILE}: `{key}` must be a list of strings, as `{key} = [\"…\"]`")
                })?;
        }
        Ok(subset)
    }

    /// Drops from `doc` the operations no entry matches, then the components only they used.
    /// An entry that matches nothing is refused: it is a typo, or the spec no longer has it.
    pub fn apply(&self, doc: &mut Value, naming: &Naming) -> Result<Kept, String> {
        let ops = operations(doc, naming);
        let keys = [
            ("operations", &self.operations),
            ("tags", &self.tags),
            ("paths", &self.paths),
        ];
        for (key, entries) in keys {
            for entry in entries {
                if !ops.iter().any(|op| matches(key, entry, op)) {
                    return Err(no_match(key, entry, &ops));
                }
            }
        }
        let (kept, dropped): (Vec<_>, Vec<_>) = ops.iter().partition(|op| {
            op.rust == ALWAYS_KEPT
                || keys
                    .iter()
                    .any(|(key, entries)| entries.iter().any(|e| matches(key, e, op)))
        });
        let kept = Kept {
            kept: kept.len(),
            of: ops.len(),
        };
        let dropped: Vec<(String, &str)> = dropped
            .iter()
            .map(|op| (op.path.to_string(), op.method))
            .collect();
        // `shift_remove` keeps the rest in the spec's order, which the generated code follows.
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, method) in dropped {
                if let Some(item) = paths.get_mut(&path).and_then(Value::as_object_mut) {
                    item.shift_remove(method);
                    if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
                        paths.shift_remove(&path);
                    }
                }
            }
        }
        prune_components(doc);
        Ok(kept)
    }
}

/// Every named operation of the normalised document.
fn operations<'a>(doc: &'a Value, naming: &'a Naming) -> Vec<Operation<'a>> {
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let named = naming.of(&Location::root().key("paths").key(path).key(method))?;
            Some(Operation {
                path,
                method,
                rust: &named.rust,
                operation_id: named.operation_id.as_deref(),
                tags: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect(),
            })
        })
        .collect()
}

fn matches(key: &str, entry: &str, op: &Operation) -> bool {
    match key {
        "operations" => op.rust == entry || op.operation_id == Some(entry),
        "tags" => op.tags.contains(&entry),
        _ => is_prefix(entry, op.path),
    }
}

/// Whether `prefix` is the first whole segments of `path` (a trailing `/` does not count); a
/// `{…}` segment matches any parameter segment, whatever its name, as the vendor renames them.
fn is_prefix(prefix: &str, path: &str) -> bool {
    let (prefix, path): (Vec<&str>, Vec<&str>) = (
        prefix.trim_end_matches('/').split('/').collect(),
        path.trim_end_matches('/').split('/').collect(),
    );
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    prefix.len() <= path.len()
        && prefix
            .iter()
            .zip(&path)
            .all(|(a, b)| a == b || is_param(a) && is_param(b))
}

/// The error for an entry that matches nothing, with the closest thing the spec has.
fn no_match(key: &str, entry: &str, ops: &[Operation]) -> String {
    let (what, candidates, fix): (_, Vec<String>, _) = match key {
        "operations" => (
            "has the Rust name or operationId",
            ops.iter()
                .flat_map(|op| std::iter::once(op.rust).chain(op.operation_id))
                .map(String::from)
                .collect(),
            "correct the entry (names.toml lists every operation's Rust name) or remove it",
        ),
        "tags" => (
            "has the tag",
            ops.iter()
                .flat_map(|op| op.tags.iter().map(|t| t.to_string()))
                .collect(),
            "correct the entry or remove it",
        ),
        // Compared with the paths cut to the entry's length: a mistyped prefix is close to one.
        _ => (
            "has a path starting with the segments",
            ops.iter()
                .map(|op| {
                    let segments = entry.trim_end_matches('/').split('/').count();
                    let cut: Vec<&str> = op.path.split('/').take(segments).collect();
                    cut.join("/")
                })
                .collect(),
            "correct the entry or remove it",
        ),
    };
    format!(
        "{FILE}: {key}: no operation {what} `{entry}`{}: {fix}",
        did_you_mean(entry, candidates.iter().map(String::as_str))
    )
}

/// ` (did you mean `x`?)` for the candidate closest to `text`, if one is close.
fn did_you_mean<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(text, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}

/// Drops the components of the [`PRUNED`] kinds that nothing else in the document reaches
/// through `$ref`, directly or through other components.
fn prune_components(doc: &mut Value) {
    let mut todo = Vec::new();
    for (key, value) in doc.as_object().into_iter().flatten() {
        match (key.as_str(), value.as_object()) {
            ("components", Some(kinds)) => kinds
                .iter()
                .filter(|(kind, _)| !PRUNED.contains(&kind.as_str()))
                .for_each(|(_, v)| refs(v, &mut todo)),
            _ => refs(value, &mut todo),
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(pointer) = todo.pop() {
        if let Some(target) = doc.pointer(&pointer)
            && reached.insert(pointer.clone())
        {
            refs(target, &mut todo);
        }
    }
    for kind in PRUNED {
        if let Some(map) = doc
            .pointer_mut(&format!("/components/{kind}"))
            .and_then(Value::as_object_mut)
        {
            map.retain(|name, _| {
                let name = name.replace('~', "~0").replace('/', "~1");
                reached.contains(&format!("/components/{kind}/{name}"))
            });
        }
    }
}

/// Adds each `$ref` in `value` to `out`, as a JSON pointer to the component it points into
/// (`#/components/schemas/A/properties/b` is `/components/schemas/A`).
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(component) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/"))
            {
                let parts: Vec<&str> = component.splitn(3, '/').take(2).collect();
                out.push(format!("/components/{}", parts.join("/")));
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, names, normalize, spec};

    /// Five operations: the seed; two under `/api/v0/instances` tagged `instances`, one of them
    /// with a parameter; one under `/api/v0/instances2`; one tagged `templates`. Components:
    /// some reached only through other components, and one nothing uses.
    const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /api/v0/auth/apikeys/:
    get:
      operationId: showApiKeys
      tags: [accounts]
      responses: {'200': {description: ok}}
  /api/v0/instances/:
    get:
      operationId: listInstances
      tags: [instances]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Instances'}}}
  /api/v0/instances/{id}/:
    delete:
      operationId: destroyInstance
      tags: [instances]
      parameters: [{$ref: '#/components/parameters/Id'}]
      responses: {'200': {description: ok}, '404': {$ref: '#/components/responses/NotFound'}}
  /api/v0/instances2/:
    get:
      operationId: showOther
      responses: {'200': {description: ok}}
  /api/v0/template/:
    post:
      operationId: createTemplate
      tags: [templates]
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Template'}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Instances:
      type: object
      properties: {instances: {type: array, items: {$ref: '#/components/schemas/Instance'}}}
    Instance: {type: object, properties: {id: {type: integer}}}
    Missing: {type: object, properties: {msg: {type: string}}}
    Template: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {x: {type: string}}}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: integer}}
  responses:
    NotFound:
      description: not found
      content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}
"##;

    fn spec() -> spec::Spec {
        spec::from_bytes(SPEC.as_bytes(), Path::new("openapi.yaml")).unwrap()
    }

    /// The Rust names of the operations `subset` keeps, and the components left, by kind.
    fn kept(subset: &str) -> Result<(Vec<String>, Vec<String>), String> {
        let normalize::Normalised {
            mut doc, naming, ..
        } = normalize::normalize(spec().doc, &names::Table::default()).unwrap();
        Subset::parse(subset)?.apply(&mut doc, &naming)?;
        let mut operations: Vec<String> = crate::generate::openapi::operations(&doc)
            .map(|(_, _, op)| op["operationId"].as_str().unwrap().to_string())
            .collect();
        operations.sort();
        let components = PRUNED
            .iter()
            .flat_map(|kind| {
                let names = doc["components"][kind].as_object().cloned();
                names
                    .into_iter()
                    .flatten()
                    .map(move |(name, _)| format!("{kind}.{name}"))
            })
            .collect();
        Ok((operations, components))
    }

    #[test]
    fn a_path_prefix_is_whole_segments_and_a_parameter_matches_any_name() {
        let (operations, _) = kept("paths = ['/api/v0/instances']").unwrap();
        assert_eq!(
            operations,
            ["destroy_instance", "list_instances", "show_api_keys"]
        );
        let (operations, _) = kept("paths = ['/api/v0/instances/{instance_id}/']").unwrap();
        assert_eq!(operations, ["destroy_instance", "show_api_keys"]);
        assert!(is_prefix("/api/v0/instances2", "/api/v0/instances2/"));
        assert!(!is_prefix(
            "/api/v0/instances/{id}",
            "/api/v0/instances/bid_price"
        ));
        assert!(!is_prefix(
            "/api/v0/instances/{id}/ssh",
            "/api/v0/instances/{id}"
        ));
    }

    #[test]
    fn operations_are_named_by_rust_name_or_operation_id_tags_by_tag_and_any_entry_keeps() {
        let (operations, _) = kept("operations = ['destroy_instance', 'createTemplate']").unwrap();
        assert_eq!(
            operations,
            ["create_template", "destroy_instance", "show_api_keys"]
        );
        let (operations, _) = kept("tags = ['instances']\noperations = ['show_other']").unwrap();
        assert_eq!(
            operations,
            [
                "destroy_instance",
                "list_instances",
                "show_api_keys",
                "show_other"
            ]
        );
    }

    #[test]
    fn show_api_keys_is_always_kept() {
        assert_eq!(kept("").unwrap().0, ["show_api_keys"]);
        assert_eq!(
            kept("tags = ['templates']").unwrap().0,
            ["create_template", "show_api_keys"]
        );
    }

    #[test]
    fn components_only_dropped_operations_use_are_dropped() {
        let (_, components) = kept("tags = ['templates']").unwrap();
        assert_eq!(components, ["schemas.Template"]);
        let (_, components) = kept("operations = ['destroy_instance']").unwrap();
        assert_eq!(
            components,
            ["schemas.Missing", "responses.NotFound", "parameters.Id"]
        );
        let (_, components) = kept("operations = ['list_instances']").unwrap();
        assert_eq!(components, ["schemas.Instances", "schemas.Instance"]);
    }

    #[test]
    fn an_entry_that_matches_nothing_is_refused_naming_the_closest() {
        assert_eq!(
            kept("operations = ['destroy_instanse']").unwrap_err(),
            "subset.toml: operations: no operation has the Rust name or operationId `destroy_instanse` (did you mean `destroy_instance`?): correct the entry (names.toml lists every operation's Rust name) or remove it"
        );
        assert_eq!(
            kept("tags = ['instance']").unwrap_err(),
            "subset.toml: tags: no operation has the tag `instance` (did you mean `instances`?): correct the entry or remove it"
        );
        assert_eq!(
            kept("paths = ['/api/v0/instance']").unwrap_err(),
            "subset.toml: paths: no operation has a path starting with the segments `/api/v0/instance` (did you mean `/api/v0/instances`?): correct the entry or remove it"
        );
        assert_eq!(
            kept("paths = ['/v2']").unwrap_err(),
            "subset.toml: paths: no operation has a path starting with the segments `/v2`: correct the entry or remove it"
        );
    }

    #[test]
    fn an_unknown_key_or_a_value_not_a_list_is_refused() {
        assert_eq!(
            Subset::parse("operation = ['show_other']").unwrap_err(),
            "subset.toml: unknown key `operation` (did you mean `operations`?): the keys are `operations`, `tags` and `paths`"
        );
        assert_eq!(
            Subset::parse("tags = 'instances'").unwrap_err(),
            "subset.toml: `tags` must be a list of strings, as `tags = [\"…\"]`"
        );
        let err = Subset::parse("tags = [\n").unwrap_err();
        assert!(err.starts_with("subset.toml: line 1: "), "{err}");
    }

    /// What users see: only the kept operations and their types are generated, the header says
    /// so, and `names.toml` names every operation as without a subset.
    #[test]
    fn the_generated_code_has_only_what_is_kept_and_names_every_operation() {
        let subset = Subset::parse("paths = ['/api/v0/instances']").unwrap();
        let table = names::Table::default();
        let part = generate::generate(&spec(), &table, Some(&subset)).unwrap();
        let whole = generate::generate(&spec(), &table, None).unwrap();
        let client = part.client();
        for kept in [
            "fn show_api_keys(",
            "fn list_instances(",
            "fn destroy_instance(",
        ] {
            assert!(client.contains(kept), "{kept}");
        }
        for dropped in [
            "fn show_other(",
            "fn create_template(",
            "struct Template ",
            "struct Unused ",
        ] {
            assert!(!client.contains(dropped), "{dropped}");
            assert!(whole.client().contains(dropped), "{dropped}");
        }
        assert!(client.contains("pub struct Instance "));
        assert_eq!(part.subset, Some(Kept { kept: 3, of: 5 }));
        for (path, code) in &part.files[..generate::GENERATED.len()] {
            let header: Vec<&str> = code.lines().take(4).collect();
            assert_eq!(
                header[2..],
                ["// Only the operations subset.toml keeps (3 of 5).", ""],
                "{path}"
            );
        }
        assert_eq!(part.file(names::FILE), whole.file(names::FILE));
        assert!(
            part.file(names::FILE)
                .contains("rust = \"create_template\"")
        );
    }

    /// `gen` and `gen --check` read the workspace's subset.toml: a changed subset makes the
    /// checked-in code stale until `gen` runs.
    #[test]
    fn gen_check_notices_a_changed_subset() {
        let dir = generate::tests::scratch_workspace();
        std::fs::write(dir.path().join(FILE), "operations = ['show_api_keys']\n").unwrap();
        let err = generate::run(dir.path(), generate::Mode::Check).unwrap_err();
        assert!(
            err.starts_with("vast-api/src/generated.rs, vast-api/httpmock/src/generated_httpmock.rs, vast-api-cli/src/generated_commands.rs are not what openapi.yaml produces"),
            "{err}"
        );
        generate::run(dir.path(), generate::Mode::Write).unwrap();
        generate::run(dir.path(), generate::Mode::Check).unwrap();
        let client = std::fs::read_to_string(dir.path().join(generate::CLIENT)).unwrap();
        // The scratch workspace's spec is the seed's: its one operation.
        assert!(client.contains("\n// Only the operations subset.toml keeps (1 of 1).\n"));
    }

    /// The vendor's whole spec with a subset: 13 of its 100 operations generated, every name kept.
    #[test]
    fn the_vendor_spec_generates_a_subset_with_every_name() {
        let root = crate::workspace_root();
        let path = root.join(crate::generate::FULL_SPEC);
        if !path.exists() {
            eprintln!("SKIPPED: {} is absent", path.display());
            return;
        }
        let spec = spec::load(&path, &path).unwrap();
        let table = names::Table::load(&root).unwrap();
        let subset = Subset::parse(
            "tags = ['Billing']\npaths = ['/api/v0/instances/{id}']\noperations = ['showUser', 'get_machines']",
        )
        .unwrap();
        let part = generate::generate(&spec, &table, Some(&subset)).unwrap();
        let whole = generate::generate(&spec, &table, None).unwrap();
        assert_eq!(part.subset, Some(Kept { kept: 13, of: 100 }));
        assert_eq!(part.file(names::FILE), whole.file(names::FILE));
        for kept in [
            "fn show_api_keys(",
            "fn show_invoices(",
            "fn show_instance(",
            "fn get_machines(",
        ] {
            assert!(part.client().contains(kept), "{kept}");
        }
        assert!(!part.client().contains("fn search_offers("));
        assert!(part.client().lines().count() * 3 < whole.client().lines().count());
    }
}
