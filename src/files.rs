//! Connector files on disk: load, atomic save, the crash journal of unsaved edits (`journal`)
//! and which editor has a file open (`lock`).
//!
//! The format itself is pure and lives in `connector::file_format`; this module only moves bytes.
//! A save never leaves a half-written file: it writes a temporary file in the same directory,
//! fsyncs it, renames it over the target and fsyncs the directory. It writes through a
//! symbolic link to the link's target (the link stays a link) and keeps the target's mode.
//! A save can be made conditional on the file still holding what was loaded ([`Stamp`]), so a
//! file changed by someone else is never overwritten without asking.

mod atomic;
pub mod journal;
pub mod lock;
mod read;
pub mod workspace;

pub use atomic::write_atomic;
pub(crate) use atomic::write_private;
pub use read::{MAX_FILE_BYTES, read_bounded, read_limited};
use read::{read_capped, read_optional};

use crate::connector::{self, Connector, ParseError};
use crate::template::Samples;
use std::path::{Path, PathBuf};

/// Why a file could not be loaded or saved. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse { path: PathBuf, source: ParseError },
    #[error("{path}: larger than {} MiB; patchcord reads no larger file", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A conditional save found the file (or its samples file) different from what was loaded.
    #[error("{path}: changed on disk since it was opened or saved; not overwritten")]
    Changed { path: PathBuf },
}

/// What a connector file and its samples file held when they were last read or written: a
/// content hash of each, `None` where the file did not exist. Two stamps differ when someone
/// else wrote either file in between (the modification time would miss a same-second write,
/// and flag a `touch` that changed nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub connector: Option<u64>,
    pub samples: Option<u64>,
}

impl Stamp {
    /// Neither file exists.
    pub const ABSENT: Stamp = Stamp {
        connector: None,
        samples: None,
    };
}

/// The content hash stamps and the journal use (the same in every run, which `DefaultHasher`
/// does not promise).
pub use crate::connector::content_hash;

/// Where a connector file's sample values live: `scoring.json` → `scoring.samples.json`.
pub fn samples_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.samples.json"))
}

/// Loads a connector file and, when present, its samples file.
pub fn load(path: &Path) -> Result<(Connector, Samples), FileError> {
    load_stamped(path).map(|(connector, samples, _)| (connector, samples))
}

/// Loads a connector file and its samples, with the stamp of the bytes read (hashed from the
/// same bytes that were parsed, so nothing can slip in between).
pub fn load_stamped(path: &Path) -> Result<(Connector, Samples, Stamp), FileError> {
    let bytes = read_capped(path).map_err(|e| e.for_path(path))?;
    let connector = connector::parse_file(&bytes).map_err(|source| FileError::Parse {
        path: path.to_owned(),
        source,
    })?;
    let samples_file = samples_path(path);
    let (samples, samples_hash) = match read_optional(&samples_file)? {
        Some(samples_bytes) => (
            connector::parse_samples(&samples_bytes).map_err(|source| FileError::Parse {
                path: samples_file,
                source,
            })?,
            Some(content_hash(&samples_bytes)),
        ),
        None => (Samples::new(), None),
    };
    let stamp = Stamp {
        connector: Some(content_hash(&bytes)),
        samples: samples_hash,
    };
    Ok((connector, samples, stamp))
}

/// What the connector file at `path` and its samples file hold now.
pub fn stamp(path: &Path) -> Result<Stamp, FileError> {
    let hash = |bytes: Option<Vec<u8>>| bytes.as_deref().map(content_hash);
    Ok(Stamp {
        connector: hash(read_optional(path)?),
        samples: hash(read_optional(&samples_path(path))?),
    })
}

/// Saves a connector file atomically; the samples file is written beside it when there are
/// samples (or one exists already, so clearing them sticks).
pub fn save(path: &Path, connector: &Connector, samples: &Samples) -> Result<(), FileError> {
    save_checked(path, connector, samples, None).map(drop)
}

/// Saves like [`save`], but when `base` is given only if the files on disk still match it
/// ([`FileError::Changed`] otherwise: nothing is written). Returns the stamp of what is on disk
/// afterwards, the base for the next save.
pub fn save_checked(
    path: &Path,
    connector: &Connector,
    samples: &Samples,
    base: Option<&Stamp>,
) -> Result<Stamp, FileError> {
    if let Some(base) = base
        && stamp(path)? != *base
    {
        return Err(FileError::Changed {
            path: path.to_owned(),
        });
    }
    let text = connector::to_file(connector);
    write_atomic(path, text.as_bytes())?;
    let samples_file = samples_path(path);
    let mut samples_hash = None;
    if !samples.is_empty() || samples_file.exists() {
        let text = connector::to_samples(samples);
        write_atomic(&samples_file, text.as_bytes())?;
        samples_hash = Some(content_hash(text.as_bytes()));
    }
    Ok(Stamp {
        connector: Some(content_hash(text.as_bytes())),
        samples: samples_hash,
    })
}

#[cfg(test)]
mod tests;
