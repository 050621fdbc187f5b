//! Connector files on disk: load, atomic save, and the crash journal of unsaved edits.
//!
//! The format itself is pure and lives in `connector::file_format`; this module only moves bytes.
//! A save never leaves a half-written file: it writes a temporary file in the same directory,
//! fsyncs it, renames it over the target and fsyncs the directory.

use crate::connector::{self, Connector, ParseError};
use crate::template::Samples;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The largest connector or samples file read (16 MiB). A real one is a few kilobytes; the cap
/// keeps `/dev/zero`, a pipe that never ends or a wrong file from filling memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

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
    #[error("{path}: larger than {} MiB; connector and samples files are at most that", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

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
    let bytes = read_capped(path).map_err(|e| e.for_path(path))?;
    let connector = connector::parse_file(&bytes).map_err(|source| FileError::Parse {
        path: path.to_owned(),
        source,
    })?;
    let samples_file = samples_path(path);
    let samples = match read_capped(&samples_file) {
        Ok(bytes) => connector::parse_samples(&bytes).map_err(|source| FileError::Parse {
            path: samples_file,
            source,
        })?,
        Err(Capped::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Samples::new(),
        Err(e) => return Err(e.for_path(&samples_file)),
    };
    Ok((connector, samples))
}

/// Why a capped read failed, before it is given the file's name.
enum Capped {
    Io(std::io::Error),
    TooLarge,
}

impl Capped {
    fn for_path(self, path: &Path) -> FileError {
        let path = path.to_owned();
        match self {
            Capped::Io(source) => FileError::Read { path, source },
            Capped::TooLarge => FileError::TooLarge { path },
        }
    }
}

/// Reads at most [`MAX_FILE_BYTES`] from `path`. Reading one byte more tells a file over the
/// cap from one exactly at it, for devices and pipes too, whose size metadata says nothing.
fn read_capped(path: &Path) -> Result<Vec<u8>, Capped> {
    let file = std::fs::File::open(path).map_err(Capped::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Capped::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Capped::TooLarge);
    }
    Ok(bytes)
}

/// Saves a connector file atomically; the samples file is written beside it when there are
/// samples (or one exists already, so clearing them sticks).
pub fn save(path: &Path, connector: &Connector, samples: &Samples) -> Result<(), FileError> {
    write_atomic(path, connector::to_file(connector).as_bytes())?;
    let samples_file = samples_path(path);
    if !samples.is_empty() || samples_file.exists() {
        write_atomic(&samples_file, connector::to_samples(samples).as_bytes())?;
    }
    Ok(())
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let wrap = |source| FileError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(wrap)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".patchcord-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(wrap)?;
    temp.write_all(bytes).map_err(wrap)?;
    temp.as_file().sync_all().map_err(wrap)?;
    temp.persist(path).map_err(|e| wrap(e.error))?;
    // The rename is durable only once the directory entry is; not every platform allows this.
    if let Ok(handle) = std::fs::File::open(&dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Unsaved edits, kept so that a crash or a kill loses nothing.
pub mod journal {
    use super::{FileError, write_atomic};
    use crate::connector::{self, Connector};
    use crate::template::Samples;
    use serde_json::{Value, json};
    use std::path::{Path, PathBuf};

    /// One journaled editing session, offered back at the next start.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Entry {
        /// The journal file itself (to discard it once handled).
        pub journal_file: PathBuf,
        /// The connector file being edited, or `None` for an unsaved new connector.
        pub path: Option<PathBuf>,
        /// When the edits were journaled (RFC 3339).
        pub saved_at: String,
        pub connector: Connector,
        pub samples: Samples,
    }

    /// The journal directory: `crate::paths::journal_dir` (`$PATCHCORD_JOURNAL_DIR`, else
    /// `$XDG_STATE_HOME/patchcord/journal`).
    pub fn dir() -> Option<PathBuf> {
        crate::paths::journal_dir()
    }

    /// The journal file for an editing session: one per connector file, or per process for a
    /// new, never-saved connector.
    pub fn file_for(dir: &Path, path: Option<&Path>) -> PathBuf {
        let key = match path {
            Some(p) => {
                let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
                format!("file-{:016x}", fnv1a(absolute.to_string_lossy().as_bytes()))
            }
            None => format!("new-{}", std::process::id()),
        };
        dir.join(format!("{key}.json"))
    }

    /// Stable across runs (unlike `DefaultHasher`), so a restarted editor finds its journal.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
            (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Records the current unsaved state (atomically, replacing the previous record).
    pub fn record(
        journal_file: &Path,
        path: Option<&Path>,
        connector: &Connector,
        samples: &Samples,
    ) -> Result<(), FileError> {
        let file_json: Value =
            serde_json::from_str(&connector::to_file(connector)).unwrap_or(Value::Null);
        let saved_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let entry = json!({
            "path": path.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_owned()).to_string_lossy().into_owned()),
            "saved_at": saved_at,
            "connector": file_json,
            "samples": samples,
        });
        let text = serde_json::to_string_pretty(&entry).unwrap_or_default();
        write_atomic(journal_file, text.as_bytes())
    }

    /// Forgets a journal record (after a save, or when the user discards it).
    pub fn discard(journal_file: &Path) {
        let _ = std::fs::remove_file(journal_file);
    }

    /// Every readable journal record in `dir`, newest first. Unreadable records are skipped
    /// (they are never deleted here: a human may want them).
    pub fn pending(dir: &Path) -> Vec<Entry> {
        let Ok(read) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| parse_entry(&p))
            .collect();
        entries.sort_by(|a, b| b.saved_at.cmp(&a.saved_at));
        entries
    }

    fn parse_entry(journal_file: &Path) -> Option<Entry> {
        let bytes = std::fs::read(journal_file).ok()?;
        let value: Value = serde_json::from_slice(&bytes).ok()?;
        let connector_json = serde_json::to_vec(value.get("connector")?).ok()?;
        let connector = connector::parse_file(&connector_json).ok()?;
        let samples_json = serde_json::to_vec(value.get("samples")?).ok()?;
        let samples = connector::parse_samples(&samples_json).ok()?;
        Some(Entry {
            journal_file: journal_file.to_owned(),
            path: value.get("path").and_then(Value::as_str).map(PathBuf::from),
            saved_at: value
                .get("saved_at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            connector,
            samples,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::Vendor;

    #[test]
    fn save_then_load_round_trips_and_keeps_samples_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scoring.json");
        let mut connector = Connector::new(Vendor::Databar);
        connector.set("name", "Scoring".into());
        connector.set_remote_id(
            &crate::connector::TargetRef::new("prod", "https://api.databar.ai"),
            "42".into(),
        );
        let mut samples = Samples::new();
        samples.insert("domain".into(), "example.com".into());
        save(&path, &connector, &samples).unwrap();
        let (loaded, loaded_samples) = load(&path).unwrap();
        assert_eq!(loaded, connector);
        assert_eq!(loaded_samples, samples);
        let body = std::fs::read_to_string(&path).unwrap();
        assert!(
            !body.contains("example.com"),
            "samples must not be in the connector file"
        );
        assert!(dir.path().join("scoring.samples.json").exists());
        // No temporary files left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn load_names_the_file_and_the_position_of_bad_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        std::fs::write(&path, "{\n  \"name\": \"x\",\n  oops\n}").unwrap();
        let message = load(&path).unwrap_err().to_string();
        assert!(message.contains("bad.json"), "{message}");
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn missing_file_is_a_read_error_naming_it() {
        let err = load(Path::new("/nonexistent/x.json")).unwrap_err();
        assert!(matches!(err, FileError::Read { .. }));
        assert!(err.to_string().contains("/nonexistent/x.json"));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_naming_it_and_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let err = load(&path).unwrap_err();
        assert!(matches!(err, FileError::TooLarge { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("huge.json"), "{message}");
        assert!(message.contains("larger than 16 MiB"), "{message}");
        // Exactly at the cap is read (and then judged as JSON like any other file).
        file.set_len(MAX_FILE_BYTES).unwrap();
        assert!(matches!(load(&path), Err(FileError::Parse { .. })));
    }

    #[test]
    fn a_samples_file_over_the_cap_is_refused_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        save(&path, &Connector::new(Vendor::Databar), &Samples::new()).unwrap();
        let samples = std::fs::File::create(samples_path(&path)).unwrap();
        samples.set_len(MAX_FILE_BYTES + 1).unwrap();
        let message = load(&path).unwrap_err().to_string();
        assert!(message.contains("c.samples.json"), "{message}");
        assert!(message.contains("larger than 16 MiB"), "{message}");
    }

    #[test]
    fn journal_records_and_offers_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        let journal_file = journal::file_for(dir.path(), Some(&file));
        let mut connector = Connector::new(Vendor::Databar);
        connector.set("name", "unsaved edit".into());
        journal::record(&journal_file, Some(&file), &connector, &Samples::new()).unwrap();
        let pending = journal::pending(dir.path());
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].connector.text("name"), Some("unsaved edit"));
        assert_eq!(
            pending[0].path.as_deref(),
            Some(std::path::absolute(&file).unwrap().as_path())
        );
        journal::discard(&journal_file);
        assert!(journal::pending(dir.path()).is_empty());
    }

    #[test]
    fn journal_file_is_stable_for_a_path() {
        let dir = Path::new("/j");
        assert_eq!(
            journal::file_for(dir, Some(Path::new("/a/b.json"))),
            journal::file_for(dir, Some(Path::new("/a/b.json")))
        );
        assert_ne!(
            journal::file_for(dir, Some(Path::new("/a/b.json"))),
            journal::file_for(dir, Some(Path::new("/a/c.json")))
        );
    }
}
