//! `cargo xtask update-spec [URL|FILE]`: replace `openapi.yaml` with the vendor's published spec
//! and regenerate, in one step. A spec that cannot be generated leaves everything as it was.

use std::path::Path;
use std::process::Command;

use crate::generate::{self, names, spec, subset};

/// The vendor's published spec: the file its API reference (docs.vast.ai) is rendered from, in
/// its public docs repository. The earlier versions of it are the history this project is tested
/// against; the vendor CLI's repository carries older copies that it no longer updates.
pub const DEFAULT_URL: &str =
    "https://raw.githubusercontent.com/vast-ai/docs/main/api-reference/openapi.yaml";

/// Larger than any spec the vendor has published by two orders of magnitude; a server that
/// sends more is not sending a spec.
const MAX_BYTES: u64 = 64 << 20;

pub fn run(root: &Path, source: Option<&str>) -> Result<(), String> {
    let source = source.unwrap_or(DEFAULT_URL);
    let bytes = fetch(source)?;
    let new = spec::from_bytes(&bytes, Path::new(source))?;
    let generated = generate::generate_in(root, &new).map_err(|e| {
        // names.toml and subset.toml were written for the old spec; an entry the new one
        // no longer fits is theirs to change, not a fault of the spec.
        let why = if e.starts_with(subset::FILE) || e.starts_with(names::FILE) {
            "change that file to fit the new spec, then run update-spec again"
        } else {
            "this spec cannot be generated"
        };
        format!("{e}\nopenapi.yaml is left as it was: {why}")
    })?;
    let target = root.join(generate::SPEC);
    if std::fs::read(&target).is_ok_and(|old| old == bytes) {
        println!("{}: the same as openapi.yaml", source);
    } else {
        std::fs::write(&target, &bytes)
            .map_err(|e| format!("{}: cannot write: {e}", generate::SPEC))?;
        println!(
            "wrote {} ({} bytes, sha256 {}) from {source}",
            generate::SPEC,
            bytes.len(),
            new.sha256
        );
    }
    generate::write(root, &generated)
}

/// A URL's body (through curl, so that xtask carries no TLS stack of its own), or a file's bytes.
fn fetch(source: &str) -> Result<Vec<u8>, String> {
    if let Some(path) = source.strip_prefix("file://") {
        return std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"));
    }
    if !(source.starts_with("https://") || source.starts_with("http://")) {
        if let Some((scheme, _)) = source.split_once("://") {
            return Err(format!(
                "{source}: a {scheme}:// URL cannot be fetched: give an http:// or https:// URL, or a file"
            ));
        }
        return std::fs::read(source).map_err(|e| format!("{source}: cannot read: {e}"));
    }
    let output = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--proto",
            "=https,http",
            "--connect-timeout",
            "20",
            "--max-time",
            "120",
            "--max-filesize",
            &MAX_BYTES.to_string(),
            source,
        ])
        .output()
        .map_err(|e| {
            format!(
                "cannot run curl to download {source}: {e}; download the file another way and run `cargo xtask update-spec FILE`"
            )
        })?;
    if !output.status.success() {
        return Err(format!(
            "cannot download {source}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    if output.stdout.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{source}: larger than {} MiB: not a spec",
            MAX_BYTES >> 20
        ));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::spec_mock::{Route, SpecMock};
    use crate::generate::names;

    use crate::generate::tests::scratch_workspace as workspace;

    fn serving(path: &str, body: String) -> SpecMock {
        SpecMock::serve(vec![Route {
            method: "GET".into(),
            path: path.into(),
            body,
            last_page: None,
        }])
        .unwrap()
    }

    /// The seed retitled as the vendor's newer versions have it, with one more response field.
    fn retitled() -> String {
        std::fs::read_to_string(crate::workspace_root().join(generate::SEED))
            .unwrap()
            .replace("summary: show api keys", "summary: List User API Keys\n      operationId: listUserAPIKeys")
            .replace("/api/v0/auth/apikeys/:", "/api/v0/auth/apikeys:")
            .replace(
                "                        team_name:",
                "                        team_note:\n                          type: string\n                        team_name:",
            )
    }

    #[test]
    fn a_url_replaces_the_spec_and_regenerates_keeping_the_names() {
        let dir = workspace();
        let names_before = std::fs::read_to_string(dir.path().join(names::FILE)).unwrap();
        let server = serving("/api-reference/openapi.yaml", retitled());
        let url = format!("{}/api-reference/openapi.yaml", server.url);
        run(dir.path(), Some(&url)).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap(),
            retitled()
        );
        let client = std::fs::read_to_string(dir.path().join(generate::CLIENT)).unwrap();
        assert!(client.contains("pub fn show_api_keys(&self)"));
        assert!(client.contains("pub team_note:"), "the new field");
        assert!(
            client.contains("/api/v0/auth/apikeys\""),
            "the path as this version spells it"
        );
        let commands = std::fs::read_to_string(dir.path().join(generate::COMMANDS)).unwrap();
        assert!(
            commands.contains(r#""show_api_keys\u{1e}show api-keys\u{1e}list user-api-keys\n"#),
            "the kept name and the spec's as an alias, in the table's index: {commands}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(names::FILE)).unwrap(),
            names_before,
            "the table already names this operation"
        );
    }

    #[test]
    fn a_spec_that_cannot_be_generated_changes_nothing() {
        let dir = workspace();
        let before = std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap();
        let server = serving("/spec.yaml", "openapi: 2.0\npaths: {}\n".into());
        let url = format!("{}/spec.yaml", server.url);
        let err = run(dir.path(), Some(&url)).unwrap_err();
        assert!(err.contains("cannot be generated"), "{err}");
        assert!(err.starts_with(&url), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap(),
            before
        );
    }

    #[test]
    fn a_subset_entry_the_new_spec_lacks_is_blamed_on_subset_toml() {
        let dir = workspace();
        let before = std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap();
        std::fs::write(
            dir.path().join(subset::FILE),
            // An operation of earlier versions that the vendor's whole spec no longer has.
            "operations = [\"get_notification_inbox\"]\n",
        )
        .unwrap();
        let file = dir.path().join("new.yaml");
        std::fs::write(&file, retitled()).unwrap();
        let err = run(dir.path(), Some(file.to_str().unwrap())).unwrap_err();
        assert!(err.starts_with("subset.toml: operations: "), "{err}");
        assert!(
            err.ends_with(
                "openapi.yaml is left as it was: change that file to fit the new spec, then run update-spec again"
            ),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap(),
            before
        );
    }

    #[test]
    fn a_failed_download_says_so_and_changes_nothing() {
        let dir = workspace();
        let server = serving("/other", String::new());
        let url = format!("{}/missing.yaml", server.url);
        let err = run(dir.path(), Some(&url)).unwrap_err();
        assert!(
            err.starts_with(&format!("cannot download {url}: ")),
            "{err}"
        );
        assert!(err.contains("404"), "{err}");
    }

    #[test]
    fn a_file_works_as_well_as_a_url() {
        let dir = workspace();
        let file = dir.path().join("new.yaml");
        std::fs::write(&file, retitled()).unwrap();
        run(dir.path(), file.to_str()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(generate::SPEC)).unwrap(),
            retitled()
        );
        let err = run(dir.path(), Some("ftp://example.com/spec.yaml")).unwrap_err();
        assert_eq!(
            err,
            "ftp://example.com/spec.yaml: a ftp:// URL cannot be fetched: give an http:// or https:// URL, or a file"
        );
        let url = format!("file://{}", file.display());
        run(dir.path(), Some(&url)).unwrap();
    }
}
