//! The house's layout: no file of a crate imports, through a chain of others, a file that
//! imports it (by `crate::`, `super::` and `self::` paths; a module and its own children count as
//! one). A cycle is where a newcomer cannot tell which module comes first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module of the crate whose sources are under `src`, by its path (`generate::names`; the
/// crate root is ``), with the text of its file, tests and comments left out.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.insert(module_path(src, &path), code(&path));
            }
        }
    }
    found
}

fn module_path(src: &Path, file: &Path) -> String {
    let relative: PathBuf = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// A file's code without its comments and its `#[cfg(test)] mod tests`.
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `module`'s code names, other than itself, its ancestors and its descendants.
fn imports(module: &str, code: &str, all: &BTreeMap<String, String>) -> BTreeSet<String> {
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    let related = |other: &str| {
        other.is_empty()
            || module.is_empty()
            || other == module
            || other.starts_with(&format!("{module}::"))
            || module.starts_with(&format!("{other}::"))
    };
    let mut found = BTreeSet::new();
    for (prefix, base) in [("crate::", ""), ("super::", parent), ("self::", module)] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // `crate::a::b::Item`, or a group: `crate::{a, b::c}`.
            let rest = &code[at + prefix.len()..];
            let paths: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(group.len())]
                    .split(',')
                    .map(str::trim)
                    .collect(),
                // The path alone: up to the first character that is not in one.
                None => {
                    let end = rest
                        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                        .unwrap_or(rest.len());
                    vec![&rest[..end]]
                }
            };
            for path in paths {
                let segments: Vec<&str> = path
                    .split("::")
                    .map(|s| {
                        let end = s
                            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .unwrap_or(s.len());
                        &s[..end]
                    })
                    .take_while(|s| !s.is_empty())
                    .collect();
                // The longest prefix that is a module.
                let named = (1..=segments.len()).rev().find_map(|n| {
                    let mut path: Vec<&str> = Vec::new();
                    if !base.is_empty() {
                        path.push(base);
                    }
                    path.extend(&segments[..n]);
                    let path = path.join("::");
                    all.contains_key(&path).then_some(path)
                });
                if let Some(named) = named.filter(|n| !related(n)) {
                    found.insert(named);
                }
            }
        }
    }
    found
}

/// A cycle among the modules, as the chain of imports that closes it, if there is one.
fn a_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == at) {
            let mut cycle = path[start..].to_vec();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if !done.insert(at.to_string()) {
            return None;
        }
        path.push(at.to_string());
        for next in &graph[at] {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut done, &mut Vec::new()))
}

#[test]
fn no_crate_has_an_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for src in [
        "vast-api/src",
        "vast-api-cli/src",
        "xtask/src",
        "tests/servers/src",
        "tests/tests/it",
    ] {
        let all = modules(&root.join(src));
        assert!(all.len() > 1, "{src}: no modules found");
        let graph: BTreeMap<String, BTreeSet<String>> = all
            .iter()
            .map(|(m, code)| (m.clone(), imports(m, code, &all)))
            .collect();
        if let Some(cycle) = a_cycle(&graph) {
            panic!("{src}: an import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn a_cycle_is_found_through_groups_and_super() {
    let all: BTreeMap<String, String> = [
        ("".to_string(), String::new()),
        ("a".to_string(), "use crate::{b::Thing, c};".to_string()),
        ("b".to_string(), "fn f() { super::a::g() }".to_string()),
        ("c".to_string(), "use crate::d;".to_string()),
        ("d".to_string(), "// crate::c in a comment only".to_string()),
    ]
    .into();
    let graph: BTreeMap<String, BTreeSet<String>> = all
        .iter()
        .map(|(m, code)| (m.clone(), imports(m, &code_of(code), &all)))
        .collect();
    assert_eq!(graph["a"], ["b", "c"].map(String::from).into());
    assert_eq!(
        a_cycle(&graph),
        Some(["a", "b", "a"].map(String::from).to_vec())
    );
}

/// [`code`] for a text rather than a file.
fn code_of(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.rs");
    std::fs::write(&file, text).unwrap();
    code(&file)
}
