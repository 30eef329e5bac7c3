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
pub const MAX_KEY_CHARS: usize = crate::text::LONGEST_SECRET_CHARS;

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

/// Where a key was found (never the key itself). `Display` names it neutrally, as in the
/// library's error messages ("the API key from VAST_API_KEY is empty"); an application that
/// wants its own words (a command-line flag, a settings field) matches on the variants, and can
/// put them into a [`ConfigError`]'s message with [`ConfigError::naming_key_source`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// Given by the caller: [`crate::ClientConfig::api_key`], or `Some` to [`resolve`].
    Explicit,
    /// The `VAST_API_KEY` environment variable.
    Environment,
    /// A key file: the vendor CLI's, or the legacy `~/.vast_api_key`.
    File(PathBuf),
    /// Standard input, for an application that reads the key there.
    Stdin,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Explicit => f.write_str("explicit configuration"),
            KeySource::Environment => f.write_str("VAST_API_KEY"),
            KeySource::File(path) => f.write_str(&crate::text::shown_path(path)),
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
        return validate(key, KeySource::Explicit);
    }
    // As in the vendor CLI, an empty (or blank) variable counts as unset.
    if let Some(value) = env("VAST_API_KEY").filter(|v| !v.to_string_lossy().trim().is_empty()) {
        let value = value
            .into_string()
            .map_err(|_| ConfigError::InvalidApiKey {
                key_source: KeySource::Environment,
            })?;
        return validate(ApiKey::new(value), KeySource::Environment);
    }
    let files = key_files_from(env);
    for path in &files {
        match local_file::read_small(path, KEY_FILE_LIMIT) {
            Ok(bytes) => {
                let key_source = KeySource::File(path.clone());
                let Ok(text) = String::from_utf8(bytes) else {
                    return Err(ConfigError::InvalidApiKey { key_source });
                };
                return validate(ApiKey::new(text), key_source);
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

/// Checks that a key found at `source` is usable: not empty, at most [`MAX_KEY_CHARS`] long, and
/// only printable ASCII without spaces (Vast.ai keys are hex). Anything else is a pasted quote or
/// line break that the server would refuse after the key had already been sent. [`resolve`] and
/// [`crate::ClientConfig::build`] check every key this way; an application that stores a key
/// checks it first with this.
pub fn validate(key: ApiKey, source: KeySource) -> Result<(ApiKey, KeySource), ConfigError> {
    if key.expose().is_empty() {
        return Err(ConfigError::EmptyApiKey { key_source: source });
    }
    if key.expose().len() > MAX_KEY_CHARS {
        return Err(ConfigError::ApiKeyTooLong {
            key_source: source,
            length: key.expose().chars().count(),
        });
    }
    if !key.expose().bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::InvalidApiKey { key_source: source });
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

    /// The library's words for a source are no application's: no flag, no command.
    #[test]
    fn sources_are_named_neutrally() {
        let shown = [
            KeySource::Explicit,
            KeySource::Environment,
            KeySource::File(PathBuf::from("/h/.vast_api_key")),
            KeySource::Stdin,
        ]
        .map(|source| source.to_string());
        assert_eq!(
            shown,
            [
                "explicit configuration",
                "VAST_API_KEY",
                "/h/.vast_api_key",
                "standard input"
            ]
        );
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
        assert_eq!(
            err.to_string(),
            "the API key from explicit configuration is empty"
        );
        // A blank variable counts as unset: the search goes on to the files.
        let err = resolve_from(None, &env(&[("HOME", home), ("VAST_API_KEY", " ")])).unwrap_err();
        assert!(matches!(err, ConfigError::NoApiKey { .. }), "{err}");
        std::fs::write(dir.path().join(".vast_api_key"), "line-one\nline-two\n").unwrap();
        let err = resolve_from(None, &env(&[("HOME", home)])).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "the API key from {home}/.vast_api_key contains spaces"
            )),
            "{text}"
        );
        assert!(!text.contains("line-one"));
        std::fs::write(dir.path().join(".vast_api_key"), "\n").unwrap();
        let err = resolve_from(None, &env(&[("HOME", home)])).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the API key from {home}/.vast_api_key is empty")
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
