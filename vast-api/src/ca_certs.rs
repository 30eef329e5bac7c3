//! The CA certificates `SSL_CERT_FILE` and `SSL_CERT_DIR` name, read here rather than by the
//! system's trust store (rustls-native-certs, under rustls-platform-verifier), which reads each
//! file whole whatever its size: a 4 GiB file in the folder, or a `/proc` file that says it holds
//! nothing and never ends, took all the memory there was. Here every read is bounded by what is
//! read, never by the size a file reports: at most [`FILE_LIMIT`] from one file, [`TOTAL_LIMIT`]
//! from all, and [`FOLDER_ENTRIES`] entries of a folder looked at. Otherwise the rules are the
//! trust store's: the named certificates replace the system's, symlinks are followed, a folder's
//! entries that are not regular files are skipped (never opened, so a named pipe cannot block),
//! and what is not a certificate is skipped.

use std::path::{Path, PathBuf};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::local_file::{self, FileError};
use crate::text::size_text;

/// The most read from one certificate file: the system's whole bundle is about 200 KiB.
const FILE_LIMIT: usize = 16 << 20;

/// The most read from all the certificate files together.
const TOTAL_LIMIT: usize = 32 << 20;

/// The most entries of one `SSL_CERT_DIR` folder looked at: a system's has a few hundred.
const FOLDER_ENTRIES: usize = 10_000;

/// The certificate variables, set and not empty: `SSL_CERT_FILE`, then each folder of
/// `SSL_CERT_DIR` (`:`-separated).
fn certificate_paths() -> Vec<(&'static str, PathBuf)> {
    let file = std::env::var_os("SSL_CERT_FILE")
        .filter(|v| !v.is_empty())
        .map(|v| ("SSL_CERT_FILE", PathBuf::from(v)));
    let dirs = std::env::var_os("SSL_CERT_DIR")
        .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| ("SSL_CERT_DIR", p));
    file.into_iter().chain(dirs).collect()
}

/// The certificates the variables name, as reqwest takes them; `None` when neither is set, and
/// the system's store is used.
pub(crate) fn from_env() -> Result<Option<Vec<reqwest::Certificate>>, Unusable> {
    let paths = certificate_paths();
    let Some((first_variable, first_path)) = paths.first() else {
        return Ok(None);
    };
    let mut reading = Reading::default();
    for (variable, path) in &paths {
        let refused = |path: &Path, reason: String| Unusable::Refused {
            variable,
            path: path.to_owned(),
            reason,
        };
        if *variable == "SSL_CERT_FILE" {
            reading
                .file(path)
                .map_err(|e| refused(path, e.to_string()))?;
            continue;
        }
        local_file::check_folder(path).map_err(|e| refused(path, e.to_string()))?;
        let entries = std::fs::read_dir(path).map_err(|e| refused(path, e.to_string()))?;
        for (n, entry) in entries.enumerate() {
            if n == FOLDER_ENTRIES {
                return Err(refused(
                    path,
                    format!("it holds more than {FOLDER_ENTRIES} entries"),
                ));
            }
            // As the trust store does: what cannot be listed or is not a regular file (a
            // subfolder, a pipe, a dangling link) is no certificate.
            let Ok(entry) = entry else { continue };
            let file = entry.path();
            if !std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
                continue;
            }
            match reading.file(&file) {
                Ok(()) => {}
                Err(Refused::Total) => return Err(refused(path, Refused::Total.to_string())),
                Err(Refused::File(e @ FileError::TooLarge { .. })) => {
                    return Err(refused(&file, e.to_string()));
                }
                // Changed since it was listed, or not readable by this user: skipped, as the
                // trust store skips it.
                Err(Refused::File(_)) => {}
            }
        }
    }
    // Only what rustls can use as a trust anchor, as the trust store keeps; reqwest would
    // refuse the whole set for one it cannot use. A certificate found twice (a folder holds each
    // under two names) counts once.
    let mut certs = reading.certs;
    certs.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    certs.dedup();
    let mut usable = rustls::RootCertStore::empty();
    certs.retain(|cert| usable.add(cert.clone()).is_ok());
    if certs.is_empty() {
        return Err(Unusable::Refused {
            variable: first_variable,
            path: first_path.clone(),
            reason: "no certificate could be read from it".into(),
        });
    }
    certs
        .iter()
        .map(|cert| reqwest::Certificate::from_der(cert))
        .collect::<Result<_, _>>()
        .map(Some)
        .map_err(|e| Unusable::Http(e.to_string()))
}

/// Why the certificates the variables name cannot be used (`ClientConfig::build` says it as a
/// `ConfigError`).
#[derive(Debug)]
pub(crate) enum Unusable {
    /// A file or folder the variable names, or a file in such a folder, and why.
    Refused {
        variable: &'static str,
        path: PathBuf,
        reason: String,
    },
    /// reqwest did not take a certificate rustls accepted.
    Http(String),
}

/// Why a certificate file was not read.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("{0}")]
    File(FileError),
    #[error(
        "its files hold more than the {} limit for certificates in all",
        size_text(TOTAL_LIMIT)
    )]
    Total,
}

/// The certificates found so far, and how many bytes were read for them.
#[derive(Default)]
struct Reading {
    certs: Vec<CertificateDer<'static>>,
    read: usize,
}

impl Reading {
    /// Reads the certificates of one file, within what is left of [`TOTAL_LIMIT`].
    fn file(&mut self, path: &Path) -> Result<(), Refused> {
        let left = TOTAL_LIMIT - self.read;
        let bytes = match local_file::read_small(path, FILE_LIMIT.min(left)) {
            Err(FileError::TooLarge { .. }) if left < FILE_LIMIT => return Err(Refused::Total),
            read => read.map_err(Refused::File)?,
        };
        self.read += bytes.len();
        // Sections that are not certificates, or not valid ones, are passed over, as the trust
        // store passes over them.
        self.certs
            .extend(CertificateDer::pem_slice_iter(&bytes).filter_map(Result::ok));
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_no_further_than_the_limit_whatever_size_it_reports() {
        let mut reading = Reading::default();
        // /proc files report a size of 0; this one gives 8 bytes per page of address space.
        let err = reading.file(Path::new("/proc/self/pagemap")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is larger than the 16 MiB limit for this file"
        );
        reading.read = TOTAL_LIMIT - 4096;
        let err = reading.file(Path::new("/proc/self/pagemap")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "its files hold more than the 32 MiB limit for certificates in all"
        );
    }
}
