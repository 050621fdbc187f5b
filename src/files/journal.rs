//! Unsaved edits, kept so that a crash or a kill loses nothing.
//!
//! Each editing session writes its own record, `file-<hash of the path>-<session>.json` (or
//! `new-<session>.json` for a connector without a file yet), and holds a lock beside it,
//! `….lock` (see [`super::lock`]). A record whose lock is held belongs to a live session: it is
//! never offered as a crash. Any other record is offered back at the next start, whoever left
//! it: a crash, a kill, a quit that kept the edits, or a reload that set them aside.

use super::{FileError, Stamp, content_hash, lock, write_private};
use crate::connector::{self, Connector};
use crate::template::Samples;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Text being typed outside the connector itself (an overlay or a prompt) when the record was
/// written: it is journaled too, and the overlay opens again with it on recovery.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Draft {
    /// The bulk editor of a list field (`headers`, ...), as `name: value` lines.
    Bulk { field: String, text: String },
    /// The save-as prompt's file name.
    SaveAs { text: String },
    /// The connect prompt's redirect URL.
    RedirectUrl { text: String },
    /// The browse screen's "import curl…" prompt.
    ImportCurl { text: String },
    /// The "import OpenAPI…" prompt's document path.
    SpecPath { text: String },
    /// The OpenAPI operation list's filter, with the prompt's text it was read from.
    OperationFilter { spec: String, text: String },
}

impl Draft {
    /// Where the text was typed, for the recovery prompt.
    pub fn place(&self) -> String {
        match self {
            Draft::Bulk { field, .. } => format!("the bulk editor of {field}"),
            Draft::SaveAs { .. } => "the save-as prompt".to_owned(),
            Draft::RedirectUrl { .. } => "the connect prompt".to_owned(),
            Draft::ImportCurl { .. } => "the import curl prompt".to_owned(),
            Draft::SpecPath { .. } => "the import OpenAPI prompt".to_owned(),
            Draft::OperationFilter { .. } => "the OpenAPI operation filter".to_owned(),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Draft::Bulk { text, .. }
            | Draft::SaveAs { text }
            | Draft::RedirectUrl { text }
            | Draft::ImportCurl { text }
            | Draft::SpecPath { text }
            | Draft::OperationFilter { text, .. } => text,
        }
    }
}

/// Everything one record holds about an editing session.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The connector file being edited, or `None` for a connector without a file yet.
    pub path: Option<PathBuf>,
    /// What the files on disk held when the edits began (`None`: no file, or unknown).
    pub base: Option<Stamp>,
    pub connector: Connector,
    pub samples: Samples,
    pub draft: Option<Draft>,
}

/// One journaled editing session, offered back at the next start.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The journal file itself (to discard it once handled).
    pub journal_file: PathBuf,
    /// When the edits were journaled (RFC 3339).
    pub saved_at: String,
    pub snapshot: Snapshot,
    /// The connector file no longer holds what the edits began from: someone changed it after.
    pub changed_on_disk: bool,
}

/// The journal directory: `crate::paths::journal_dir` (`$PATCHCORD_JOURNAL_DIR`, else
/// `$XDG_STATE_HOME/patchcord/journal`).
pub fn dir() -> Option<PathBuf> {
    crate::paths::journal_dir()
}

/// A name for this process's records, unique across runs: a PID alone is reused (a container
/// restarts from PID 1), and a new process must never write over a crashed one's record.
pub fn session_id() -> String {
    format!(
        "{}-{:08x}",
        std::process::id(),
        uuid::Uuid::new_v4().as_fields().0
    )
}

/// A connector file's identity: its real path (links resolved) when it exists, so two names
/// for one file are one file; else its absolute path.
fn identity(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

/// Whether two paths name the same connector file (links resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    identity(a) == identity(b)
}

/// The record a session journals an editing session to (named from the path as given, with
/// no disk access, so `update` can compute it).
pub fn file_for(dir: &Path, path: Option<&Path>, session: &str) -> PathBuf {
    match path {
        Some(p) => {
            let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
            let hash = content_hash(absolute.to_string_lossy().as_bytes());
            dir.join(format!("file-{hash:016x}-{session}.json"))
        }
        None => dir.join(format!("new-{session}.json")),
    }
}

/// The lock a record's session holds while it lives.
pub fn lock_for(journal_file: &Path) -> PathBuf {
    journal_file.with_extension("lock")
}

/// Takes the lock of the session journaling to `journal_file`, naming the file it has open.
pub fn claim(journal_file: &Path, path: Option<&Path>) -> std::io::Result<lock::SessionLock> {
    lock::acquire(
        &lock_for(journal_file),
        &path.map(identity).unwrap_or_default(),
    )
}

/// The live sessions, other than the one journaling to `own`, that have the connector file
/// at `path` open (under any name for it). Stale locks found on the way are removed.
pub fn others(dir: &Path, path: &Path, own: &Path) -> Vec<lock::Holder> {
    let wanted = identity(path);
    let own_lock = lock_for(own);
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| *p != own_lock && p.extension().is_some_and(|x| x == "lock"))
        .filter_map(|p| {
            let holder = lock::holder(&p);
            if holder.is_none() {
                lock::remove_if_stale(&p);
            }
            holder
        })
        .filter(|holder| holder.about == wanted)
        .collect()
}

/// Records the current unsaved state (atomically, replacing the previous record; readable by
/// the user only, as it holds the connector's secrets).
pub fn record(journal_file: &Path, snapshot: &Snapshot) -> Result<(), FileError> {
    let file_json: Value =
        serde_json::from_str(&connector::to_file(&snapshot.connector)).unwrap_or(Value::Null);
    let saved_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let path = snapshot.path.as_deref().map(|p| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_owned())
            .to_string_lossy()
            .into_owned()
    });
    let entry = json!({
        "path": path,
        "saved_at": saved_at,
        "pid": std::process::id(),
        "base": snapshot.base,
        "connector": file_json,
        "samples": snapshot.samples,
        "draft": snapshot.draft,
    });
    let text = serde_json::to_string_pretty(&entry).unwrap_or_default();
    write_private(journal_file, text.as_bytes())
}

/// Forgets a record (after a save, or when the user discards it), and the lock of its session
/// when that session is gone. A live session's lock (this one's) stays.
pub fn discard(journal_file: &Path) -> std::io::Result<()> {
    let removed = match std::fs::remove_file(journal_file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    };
    lock::remove_if_stale(&lock_for(journal_file));
    removed
}

/// Moves a live session's record out of its way, so that it is offered at the next start
/// while the session journals afresh (a reload from disk keeps the edits it replaced).
pub fn set_aside(journal_file: &Path) -> std::io::Result<()> {
    if !journal_file.exists() {
        return Ok(());
    }
    let stem = journal_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    std::fs::rename(
        journal_file,
        journal_file.with_file_name(format!("{stem}-kept-{nanos}.json")),
    )
}

/// Every readable record in `dir` that no live session holds, newest first. Unreadable
/// records are skipped (they are never deleted here: a human may want them).
pub fn pending(dir: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| lock::holder(&lock_for(p)).is_none())
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
    let field = |key: &str| value.get(key).cloned().unwrap_or(Value::Null);
    let path = value.get("path").and_then(Value::as_str).map(PathBuf::from);
    let base: Option<Stamp> = serde_json::from_value(field("base")).ok().flatten();
    let changed_on_disk = match (&path, &base) {
        (Some(path), Some(base)) => super::stamp(path).map_or(true, |now| now != *base),
        _ => false,
    };
    Some(Entry {
        journal_file: journal_file.to_owned(),
        saved_at: value
            .get("saved_at")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        snapshot: Snapshot {
            path,
            base,
            connector,
            samples,
            draft: serde_json::from_value(field("draft")).ok().flatten(),
        },
        changed_on_disk,
    })
}
