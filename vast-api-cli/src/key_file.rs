//! The key as the CLI handles it: where it came from in the CLI's words (`--api-key`), saving it
//! (`vast set api-key`), and the warnings, with their `chmod` fixes, about files and folders
//! other users can get at. The library finds and checks keys; what to tell a shell user is ours.

use std::path::{Path, PathBuf};

use vast_api::api_key;
use vast_api::text::shown_path;
use vast_api::{ApiKey, ConfigError, KeySource};

use crate::failure::{Exit, Failure};
use crate::redact;

/// Where a key came from, as `vast -v`, the 401 hint and key errors name it.
pub fn source_text(source: &KeySource) -> String {
    match source {
        KeySource::Explicit => "--api-key".into(),
        KeySource::Environment => "the VAST_API_KEY environment variable".into(),
        KeySource::File(path) => format!("the key file {}", shown_path(path)),
        KeySource::Stdin => "standard input".into(),
    }
}

/// A library error about a key, with its source in the CLI's words.
fn failure(e: ConfigError) -> Failure {
    let message = e.naming_key_source(source_text);
    Failure {
        message,
        ..Failure::from(e)
    }
}

/// The key for a call: `--api-key` if given, else `VAST_API_KEY`, else the key files. A key file
/// other users can read gets a warning on stderr; the call goes ahead.
pub fn resolve(explicit: Option<ApiKey>) -> Result<(ApiKey, KeySource), Failure> {
    let (key, source) = api_key::resolve(explicit).map_err(failure)?;
    if let KeySource::File(path) = &source
        && let Some(mode) = mode_if_any(path, 0o077)
    {
        redact::write_stderr(&format!(
            "warning: the key file {} can be read by other users (mode {mode:03o}); fix: chmod 600 {}\n",
            shown_path(path),
            shown_path(path)
        ));
    }
    Ok((key, source))
}

/// The key a call would use, known to redaction before a usage error is printed: the error may
/// quote any argument, and the key typed as one, when the call would read it from a key file,
/// is not among those `main` knows from the command line and the environment.
pub fn redact_resolved() {
    if let Ok((key, _)) = api_key::resolve(None) {
        redact::redact(key.expose());
    }
}

/// Saves the key where the vendor CLI keeps it (`$XDG_CONFIG_HOME/vastai/vast_api_key`, the first
/// of [`api_key::key_files`]) and returns that path; `from` names where the key came from, for the
/// error when it is not usable. A folder other users can change gets a warning on stderr.
pub fn save(key: ApiKey, from: KeySource) -> Result<PathBuf, Failure> {
    let (key, _) = api_key::validate(key, from).map_err(failure)?;
    let path = api_key::key_files().into_iter().next().ok_or_else(|| {
        cannot_save(
            Path::new("$XDG_CONFIG_HOME/vastai/vast_api_key"),
            "HOME is not set, nor an absolute XDG_CONFIG_HOME",
        )
    })?;
    save_to(&key, &path).map_err(|e| cannot_save(&path, e))?;
    if let Some(dir) = path.parent()
        && let Some(mode) = mode_if_any(dir, 0o022)
    {
        // Other users could replace the key file with one of their own.
        redact::write_stderr(&format!(
            "warning: the folder {} can be changed by other users (mode {mode:03o}), who could replace the key; fix: chmod 700 {}\n",
            shown_path(dir),
            shown_path(dir)
        ));
    }
    Ok(path)
}

fn cannot_save(path: &Path, reason: impl std::fmt::Display) -> Failure {
    Failure::new(
        Exit::Failure,
        format!("cannot save the key in {}: {reason}", shown_path(path)),
    )
}

/// Writes the key readable by the owner only: the folder is created with mode 0700 and the key
/// written to a temporary file (mode 0600) that replaces the old one in a single rename, so an
/// interrupted save never leaves a truncated key.
fn save_to(key: &ApiKey, path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("a key file path has a folder");
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(dir)?;
    // A fresh file with a random name, created exclusively (`O_EXCL`, which also refuses to
    // follow a symlink): in a folder others can write, a predictable name would let them plant a
    // symlink there and have the key written over the file it points to, or a readable file
    // whose mode the key would inherit. Mode 0600 from the start.
    let mut temp = tempfile::Builder::new()
        .prefix(".vast_api_key.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(key.expose().as_bytes())?;
    temp.as_file().sync_all()?;
    // The rename replaces whatever is at `path` (a symlink included) rather than writing through
    // it; on failure the temporary file is removed when dropped.
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The permission bits of `path` when any of `mask` is among them (Unix; elsewhere never).
fn mode_if_any(path: &Path, mask: u32) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & mask != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mask);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_named_as_the_cli_names_them() {
        assert_eq!(source_text(&KeySource::Explicit), "--api-key");
        let err = vast_api::ClientConfig::new()
            .api_key("two words")
            .build()
            .unwrap_err();
        let failure = failure(err);
        assert_eq!(failure.exit, Exit::NoApiKey);
        assert!(
            failure
                .message
                .starts_with("the API key from --api-key contains spaces"),
            "{}",
            failure.message
        );
    }

    #[cfg(unix)]
    #[test]
    fn save_writes_an_owner_only_file_in_an_owner_only_folder() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/vastai/vast_api_key");
        save_to(&ApiKey::new("abc123"), &path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc123");
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
        assert_eq!(mode_if_any(&path, 0o077), None);
        // Saving again replaces the key; no temporary file is left behind.
        save_to(&ApiKey::new("def456"), &path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "def456");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(mode_if_any(&path, 0o077), Some(0o644));
    }

    #[cfg(unix)]
    #[test]
    fn save_never_writes_through_a_planted_symlink_or_keeps_a_planted_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("vastai");
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("vast_api_key");
        // What another user could plant at the name the save once used.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let planted = folder.join(format!(".vast_api_key.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        save_to(&ApiKey::new("abc12345"), &path).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc12345");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        // A stale readable file at that name: the key still ends up owner-only.
        std::fs::remove_file(&planted).unwrap();
        std::fs::write(&planted, "").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o644)).unwrap();
        save_to(&ApiKey::new("def45678"), &path).unwrap();
        assert_eq!(
            (
                std::fs::read_to_string(&path).unwrap().as_str(),
                mode(&path)
            ),
            ("def45678", 0o600)
        );
    }
}
