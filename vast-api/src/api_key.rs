//! The API key: a secret type that never prints, and where it is looked for.
//!
//! The order is the vendor CLI's (`vastai`), so a machine set up for it works unchanged:
//! an explicit value, then `VAST_API_KEY`, then `$XDG_CONFIG_HOME/vastai/vast_api_key`
//! (`~/.config/vastai/vast_api_key`), then the legacy `~/.vast_api_key`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::ConfigError;
use crate::local_file::{self, FileError};

/// The most read from a key file: a key is 64 characters, and a file far larger is not a key
/// file (a log, a device, a mistake) whose content should go into a header.
const KEY_FILE_LIMIT: usize = 4 << 10;

/// The longest key accepted, from any source: Vast.ai keys are 64 characters, and a longer
/// "key" is a pasted document that would otherwise travel as one huge header.
pub const MAX_KEY_CHARS: usize = 256;

/// An API key. Its `Debug` shows no part of it and it has no `Display`, so it cannot reach a log
/// or an error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A key from text; surrounding whitespace (a key file's trailing newline) is dropped.
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        let trimmed = key.trim();
        Self(if trimmed.len() == key.len() {
            key
        } else {
            trimmed.to_string()
        })
    }

    /// The key itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

/// Where a key was found; shown by `vast -v` (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// Given by the caller (`--api-key`, [`crate::ClientConfig::api_key`]).
    Explicit,
    /// The `VAST_API_KEY` environment variable.
    Environment,
    /// A key file: the vendor CLI's, or the legacy `~/.vast_api_key`.
    File(PathBuf),
    /// Standard input (`vast set api-key` without a key on the command line).
    Stdin,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Explicit => f.write_str("--api-key"),
            KeySource::Environment => f.write_str("the VAST_API_KEY environment variable"),
            KeySource::File(path) => write!(f, "the key file {}", path.display()),
            KeySource::Stdin => f.write_str("standard input"),
        }
    }
}

/// The key files in the order they are read: the vendor CLI's own, then the legacy one.
pub fn key_files() -> Vec<PathBuf> {
    key_files_from(&|name| std::env::var_os(name))
}

fn key_files_from(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored (it would put the key
    // wherever the command happens to run).
    let config = env("XDG_CONFIG_HOME")
        .filter(|x| std::path::Path::new(x).is_absolute())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    config
        .map(|c| c.join("vastai").join("vast_api_key"))
        .into_iter()
        .chain(home.map(|h| h.join(".vast_api_key")))
        .collect()
}

/// Finds the key: `explicit` if given, else `VAST_API_KEY`, else the first key file that exists.
pub fn resolve(explicit: Option<ApiKey>) -> Result<(ApiKey, KeySource), ConfigError> {
    resolve_from(explicit, &|name| std::env::var_os(name))
}

fn resolve_from(
    explicit: Option<ApiKey>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<(ApiKey, KeySource), ConfigError> {
    if let Some(key) = explicit {
        return checked(key, KeySource::Explicit);
    }
    // As in the vendor CLI, an empty (or blank) variable counts as unset.
    if let Some(value) = env("VAST_API_KEY").filter(|v| !v.to_string_lossy().trim().is_empty()) {
        let value = value
            .into_string()
            .map_err(|_| ConfigError::InvalidApiKey {
                source_name: KeySource::Environment.to_string(),
            })?;
        return checked(ApiKey::new(value), KeySource::Environment);
    }
    let files = key_files_from(env);
    for path in &files {
        match local_file::read_small(path, KEY_FILE_LIMIT) {
            Ok(bytes) => {
                let source = KeySource::File(path.clone());
                let text = String::from_utf8(bytes).map_err(|_| ConfigError::InvalidApiKey {
                    source_name: source.to_string(),
                })?;
                return checked(ApiKey::new(text), source);
            }
            Err(FileError::NotFound) => continue,
            Err(e) => {
                return Err(ConfigError::KeyFile {
                    path: path.clone(),
                    reason: e.to_string(),
                });
            }
        }
    }
    Err(ConfigError::NoApiKey { searched: files })
}

/// Saves the key where the vendor CLI keeps it (`$XDG_CONFIG_HOME/vastai/vast_api_key`, the first
/// of [`key_files`]), readable by the owner only: the folder is created with mode 0700 and the
/// file written to a temporary file (mode 0600) that replaces the old one in a single rename, so
/// an interrupted save never leaves a truncated key.
/// `from` names where the key came from, for the error when it is not usable.
pub fn save(key: &ApiKey, from: KeySource) -> Result<PathBuf, ConfigError> {
    let (key, _) = checked(key.clone(), from)?;
    let path = key_files()
        .into_iter()
        .next()
        .ok_or_else(|| ConfigError::KeyFileWrite {
            path: PathBuf::from("$XDG_CONFIG_HOME/vastai/vast_api_key"),
            reason: "HOME is not set, nor an absolute XDG_CONFIG_HOME".into(),
        })?;
    save_to(&key, &path)?;
    Ok(path)
}

fn save_to(key: &ApiKey, path: &std::path::Path) -> Result<(), ConfigError> {
    use std::io::Write;
    let failed = |e: std::io::Error| ConfigError::KeyFileWrite {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let dir = path.parent().expect("a key file path has a folder");
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(dir).map_err(failed)?;
    // A fresh file with a random name, created exclusively (`O_EXCL`, which also refuses to
    // follow a symlink): in a folder others can write, a predictable name would let them plant a
    // symlink there and have the key written over the file it points to, or a readable file
    // whose mode the key would inherit. Mode 0600 from the start.
    let mut temp = tempfile::Builder::new()
        .prefix(".vast_api_key.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(key.expose().as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(failed)?;
    // The rename replaces whatever is at `path` (a symlink included) rather than writing through
    // it; on failure the temporary file is removed when dropped.
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// A warning, with the fix, when the folder a key was saved in can be changed by other users:
/// they could replace the key file with one of their own.
pub fn open_folder(path: &std::path::Path) -> Option<String> {
    let dir = path.parent()?;
    let mode = mode_if_any(dir, 0o022)?;
    Some(format!(
        "the folder {} can be changed by other users (mode {mode:03o}), who could replace the key; fix: chmod 700 {}",
        dir.display(),
        dir.display()
    ))
}

/// A warning, with the fix, when a key file can be read by other users than its owner.
pub fn loose_permissions(path: &std::path::Path) -> Option<String> {
    let mode = mode_if_any(path, 0o077)?;
    Some(format!(
        "the key file {} can be read by other users (mode {mode:03o}); fix: chmod 600 {}",
        path.display(),
        path.display()
    ))
}

/// The permission bits of `path` when any of `mask` is among them (Unix; elsewhere never).
fn mode_if_any(path: &std::path::Path, mask: u32) -> Option<u32> {
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

/// A key found at `source` is usable: not empty, and only printable ASCII without spaces (Vast.ai
/// keys are hex). Anything else is a pasted quote or line break that the server would refuse
/// after the key had already been sent.
pub(crate) fn checked(key: ApiKey, source: KeySource) -> Result<(ApiKey, KeySource), ConfigError> {
    if key.expose().is_empty() {
        return Err(ConfigError::EmptyApiKey {
            source_name: source.to_string(),
        });
    }
    if key.expose().len() > MAX_KEY_CHARS {
        return Err(ConfigError::ApiKeyTooLong {
            source_name: source.to_string(),
            length: key.expose().chars().count(),
        });
    }
    if !key.expose().bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::InvalidApiKey {
            source_name: source.to_string(),
        });
    }
    Ok((key, source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("sekrit-123");
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        assert_eq!(format!("{:?}", Some(key)), "Some(ApiKey(<redacted>))");
    }

    #[test]
    fn key_files_follow_xdg_then_legacy() {
        assert_eq!(
            key_files_from(&env(&[("HOME", "/h")])),
            [
                PathBuf::from("/h/.config/vastai/vast_api_key"),
                PathBuf::from("/h/.vast_api_key")
            ]
        );
        assert_eq!(
            key_files_from(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")])),
            [
                PathBuf::from("/x/vastai/vast_api_key"),
                PathBuf::from("/h/.vast_api_key")
            ]
        );
        assert_eq!(
            key_files_from(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "relative/x")])),
            [
                PathBuf::from("/h/.config/vastai/vast_api_key"),
                PathBuf::from("/h/.vast_api_key")
            ]
        );
    }

    #[test]
    fn explicit_beats_environment_beats_files() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap();
        std::fs::write(dir.path().join(".vast_api_key"), "from-legacy\n").unwrap();
        let all = env(&[("HOME", home), ("VAST_API_KEY", "from-env")]);
        let (key, source) = resolve_from(Some("given".into()), &all).unwrap();
        assert_eq!((key.expose(), source), ("given", KeySource::Explicit));
        let (key, source) = resolve_from(None, &all).unwrap();
        assert_eq!((key.expose(), source), ("from-env", KeySource::Environment));
        let (key, source) = resolve_from(None, &env(&[("HOME", home)])).unwrap();
        assert_eq!(key.expose(), "from-legacy");
        assert_eq!(source, KeySource::File(dir.path().join(".vast_api_key")));
    }

    #[test]
    fn blank_and_malformed_keys_are_refused_naming_their_source() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap();
        let err = resolve_from(Some("  ".into()), &env(&[("HOME", home)])).unwrap_err();
        assert_eq!(err.to_string(), "the API key from --api-key is empty");
        // A blank variable counts as unset: the search goes on to the files.
        let err = resolve_from(None, &env(&[("HOME", home), ("VAST_API_KEY", " ")])).unwrap_err();
        assert!(matches!(err, ConfigError::NoApiKey { .. }), "{err}");
        std::fs::write(dir.path().join(".vast_api_key"), "line-one\nline-two\n").unwrap();
        let err = resolve_from(None, &env(&[("HOME", home)])).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "the API key from the key file {home}/.vast_api_key contains spaces"
            )),
            "{text}"
        );
        assert!(!text.contains("line-one"));
        std::fs::write(dir.path().join(".vast_api_key"), "\n").unwrap();
        let err = resolve_from(None, &env(&[("HOME", home)])).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the API key from the key file {home}/.vast_api_key is empty")
        );
    }

    #[cfg(unix)]
    #[test]
    fn save_writes_an_owner_only_file_in_an_owner_only_folder() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/vastai/vast_api_key");
        save_to(&ApiKey::new("abc123"), &path).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc123");
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
        assert_eq!(loose_permissions(&path), None);
        // Saving again replaces the key; no temporary file is left behind.
        save_to(&ApiKey::new("def456"), &path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "def456");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(
            loose_permissions(&path).unwrap(),
            format!(
                "the key file {} can be read by other users (mode 644); fix: chmod 600 {}",
                path.display(),
                path.display()
            )
        );
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
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever bytes a key file holds, resolving gives a key or an error, and an error
        /// never quotes the file's content.
        #[test]
        fn any_key_file_bytes_resolve_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(".vast_api_key"), &bytes).unwrap();
            let home = dir.path().to_str().unwrap();
            match resolve_from(None, &env(&[("HOME", home)])) {
                Ok((key, _)) => proptest::prop_assert!(key.expose().bytes().all(|b| b.is_ascii_graphic())),
                Err(e) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let shown = e.to_string().replace(home, "");
                    let word = text.trim();
                    proptest::prop_assert!(word.len() < 4 || !shown.contains(word), "{shown}");
                }
            }
        }
    }

    #[test]
    fn no_key_names_every_place_searched() {
        let err = resolve_from(None, &env(&[("HOME", "/nonexistent")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no API key found: set VAST_API_KEY, or save the key in \
             /nonexistent/.config/vastai/vast_api_key (also read: /nonexistent/.vast_api_key)"
        );
    }
}
