//! Connector files on disk: load, atomic save, the crash journal of unsaved edits (`journal`)
//! and which editor has a file open (`lock`).
//!
//! The format itself is pure and lives in `connector::file_format`; this module only moves bytes.
//! A save never leaves a half-written file: it writes a temporary file in the same directory,
//! fsyncs it, renames it over the target and fsyncs the directory. It writes through a
//! symbolic link to the link's target (the link stays a link) and keeps the target's mode.
//! A save can be made conditional on the file still holding what was loaded ([`Stamp`]), so a
//! file changed by someone else is never overwritten without asking.

pub mod journal;
pub mod lock;
pub mod workspace;

use crate::connector::{self, Connector, ParseError};
use crate::template::Samples;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The largest connector or samples file read (16 MiB). A real one is a few kilobytes; the cap
/// keeps `/dev/zero`, a pipe that never ends or a wrong file from filling memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How many symbolic links a save follows before giving up (the kernel's own limit).
const MAX_LINKS: usize = 40;

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

/// A file's bytes, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FileError> {
    match read_capped(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Capped::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.for_path(path)),
    }
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

/// The bytes of any file patchcord reads whole (an OpenAPI document, ...), at most
/// [`MAX_FILE_BYTES`], so a wrong file never fills memory.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, FileError> {
    read_capped(path).map_err(|e| e.for_path(path))
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

/// Reads any input file (a rows file) with the connector files' size cap.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, FileError> {
    read_capped(path).map_err(|e| e.for_path(path))
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

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one. A
/// symbolic link is followed and its target written; an existing file keeps its mode, a new
/// one gets the usual `0666` less the umask.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomic_as(path, bytes, 0o666)
}

/// Like [`write_atomic`], for files only the user may read (the journal holds the connector's
/// secrets): a new file is created `0600`.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomic_as(path, bytes, 0o600)
}

fn write_atomic_as(path: &Path, bytes: &[u8], new_mode: u32) -> Result<(), FileError> {
    let wrap = |source| FileError::Write {
        path: path.to_owned(),
        source,
    };
    let target = resolve_links(path).map_err(wrap)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(wrap)?;
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".patchcord-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with the new-file mode (open(2) applies the umask), then set exactly to the
        // existing file's mode, which the umask must not narrow.
        builder.permissions(std::fs::Permissions::from_mode(new_mode));
    }
    #[cfg(not(unix))]
    let _ = new_mode;
    let mut temp = builder.tempfile_in(&dir).map_err(wrap)?;
    if let Some(permissions) = existing {
        temp.as_file().set_permissions(permissions).map_err(wrap)?;
    }
    temp.write_all(bytes).map_err(wrap)?;
    temp.as_file().sync_all().map_err(wrap)?;
    temp.persist(&target).map_err(|e| wrap(e.error))?;
    // The rename is durable only once the directory entry is; not every platform allows this.
    if let Ok(handle) = std::fs::File::open(&dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// The file a write to `path` should replace: `path` itself, or the end of its chain of
/// symbolic links (relative links are read from the link's directory). A dangling link's
/// target is where the new file goes.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row"
    )))
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

    fn connector(name: &str) -> Connector {
        let mut connector = Connector::new(Vendor::Databar);
        connector.set("name", name.into());
        connector
    }

    fn samples(domain: &str) -> Samples {
        let mut samples = Samples::new();
        samples.insert("domain".into(), domain.into());
        samples
    }

    #[test]
    fn a_conditional_save_refuses_a_file_changed_since_it_was_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let first = save_checked(&path, &connector("one"), &samples("a.io"), None).unwrap();
        assert_eq!(first, stamp(&path).unwrap());
        let (_, _, loaded) = load_stamped(&path).unwrap();
        assert_eq!(loaded, first);
        // A script rewrites the file behind the editor's back.
        std::fs::write(&path, r#"{"name": "by the script"}"#).unwrap();
        let err = save_checked(&path, &connector("two"), &samples("a.io"), Some(&first));
        assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("c.json: changed on disk")
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            r#"{"name": "by the script"}"#,
            "nothing written"
        );
        // The samples file counts too.
        let second = save_checked(&path, &connector("two"), &samples("a.io"), None).unwrap();
        std::fs::write(samples_path(&path), r#"{"domain": "b.io"}"#).unwrap();
        let err = save_checked(&path, &connector("three"), &samples("a.io"), Some(&second));
        assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
        // Unchanged: the save goes through and returns the next base.
        let now = stamp(&path).unwrap();
        let third = save_checked(&path, &connector("three"), &samples("a.io"), Some(&now)).unwrap();
        assert_eq!(third, stamp(&path).unwrap());
        assert_eq!(load(&path).unwrap().0.text("name"), Some("three"));
        // A file that appeared where none was expected is a change as well.
        let fresh = dir.path().join("fresh.json");
        std::fs::write(&fresh, "{}").unwrap();
        let err = save_checked(
            &fresh,
            &connector("x"),
            &Samples::new(),
            Some(&Stamp::ABSENT),
        );
        assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_symlink_writes_the_target_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).unwrap();
        let target = real_dir.join("c.json");
        save(&target, &connector("before"), &Samples::new()).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real/c.json", &link).unwrap();
        save(&link, &connector("through the link"), &Samples::new()).unwrap();
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_symlink(), "the link stays a link");
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            PathBuf::from("real/c.json")
        );
        assert_eq!(
            load(&target).unwrap().0.text("name"),
            Some("through the link")
        );
        // A link to a link, and a dangling link (its target is created).
        let chain = dir.path().join("chain.json");
        std::os::unix::fs::symlink(&link, &chain).unwrap();
        save(&chain, &connector("chained"), &Samples::new()).unwrap();
        assert!(
            std::fs::symlink_metadata(&chain)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(load(&target).unwrap().0.text("name"), Some("chained"));
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("real/new.json", &dangling).unwrap();
        save(&dangling, &connector("new"), &Samples::new()).unwrap();
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            load(&real_dir.join("new.json")).unwrap().0.text("name"),
            Some("new")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_mode_of_the_file_and_of_its_samples_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        save(&path, &connector("one"), &samples("a.io")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        for file in [path.clone(), samples_path(&path)] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
        }
        save(&path, &connector("two"), &samples("b.io")).unwrap();
        assert_eq!(mode(&path), 0o664);
        assert_eq!(mode(&samples_path(&path)), 0o664);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        save(&path, &connector("three"), &samples("c.io")).unwrap();
        assert_eq!(mode(&path), 0o640);
        // A new file is not narrowed to 0600 (the usual 0666 less the umask), but a journal
        // record, which holds secrets, is.
        let fresh = dir.path().join("fresh.json");
        save(&fresh, &connector("x"), &Samples::new()).unwrap();
        let usual = dir.path().join("usual");
        std::fs::write(&usual, "").unwrap();
        assert_eq!(mode(&fresh), mode(&usual), "as any program creates a file");
        let record = dir.path().join("record.json");
        write_private(&record, b"{}").unwrap();
        assert_eq!(mode(&record), 0o600);
    }

    #[test]
    fn a_lock_names_its_process_and_a_stale_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lock");
        // A lock file left by a process that died: its PID, but nobody holds it.
        std::fs::write(&path, "999999").unwrap();
        assert_eq!(lock::holder(&path), None);
        let held = lock::acquire(&path, "/a/c.json").unwrap();
        assert_eq!(
            lock::holder(&path),
            Some(lock::Holder {
                pid: Some(std::process::id()),
                about: "/a/c.json".into(),
            })
        );
        let again = lock::acquire(&path, "").unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::WouldBlock);
        assert!(!lock::remove_if_stale(&path), "a held lock stays");
        held.release();
        assert!(!path.exists(), "a released lock is removed");
        std::fs::write(&path, "999999").unwrap();
        assert!(lock::remove_if_stale(&path));
        assert!(!path.exists());
    }

    fn snapshot(path: Option<&Path>, name: &str) -> journal::Snapshot {
        journal::Snapshot {
            path: path.map(Path::to_owned),
            base: None,
            connector: connector(name),
            samples: Samples::new(),
            draft: None,
        }
    }

    #[test]
    fn journal_records_and_offers_back_what_no_live_session_holds() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
        let mut snap = snapshot(Some(&file), "unsaved edit");
        snap.draft = Some(journal::Draft::Bulk {
            field: "headers".into(),
            text: "X-Trace: 12345".into(),
        });
        journal::record(&journal_file, &snap).unwrap();
        // While its session lives, the record is not a crash.
        let live = journal::claim(&journal_file, Some(&file)).unwrap();
        assert!(journal::pending(dir.path()).is_empty());
        drop(live);
        let pending = journal::pending(dir.path());
        assert_eq!(pending.len(), 1);
        let entry = &pending[0];
        assert_eq!(entry.snapshot.connector.text("name"), Some("unsaved edit"));
        assert_eq!(entry.snapshot.draft, snap.draft);
        assert_eq!(
            entry.snapshot.path.as_deref(),
            Some(std::path::absolute(&file).unwrap().as_path())
        );
        assert!(!entry.changed_on_disk);
        journal::discard(&journal_file).unwrap();
        assert!(journal::pending(dir.path()).is_empty());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the stale lock too"
        );
    }

    #[test]
    fn a_record_says_when_its_file_changed_after_the_edits_began() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        let base = save_checked(&file, &connector("v1"), &Samples::new(), None).unwrap();
        let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
        let mut snap = snapshot(Some(&file), "edited v1");
        snap.base = Some(base);
        journal::record(&journal_file, &snap).unwrap();
        assert!(!journal::pending(dir.path())[0].changed_on_disk);
        std::fs::write(&file, r#"{"name": "v2 by someone else"}"#).unwrap();
        let pending = journal::pending(dir.path());
        assert!(pending[0].changed_on_disk);
        assert_eq!(pending[0].snapshot.base, Some(base));
    }

    #[test]
    fn a_set_aside_record_is_pending_while_its_session_journals_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
        let _live = journal::claim(&journal_file, Some(&file)).unwrap();
        journal::record(&journal_file, &snapshot(Some(&file), "before reload")).unwrap();
        journal::set_aside(&journal_file).unwrap();
        journal::record(&journal_file, &snapshot(Some(&file), "after reload")).unwrap();
        let pending = journal::pending(dir.path());
        assert_eq!(pending.len(), 1);
        assert_eq!(
            pending[0].snapshot.connector.text("name"),
            Some("before reload")
        );
    }

    #[test]
    fn others_are_the_live_sessions_on_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        std::fs::write(&file, "{}").unwrap();
        let other = dir.path().join("d.json");
        std::fs::write(&other, "{}").unwrap();
        let mine = journal::file_for(dir.path(), Some(&file), "mine");
        let theirs = journal::file_for(dir.path(), Some(&file), "theirs");
        let dead = journal::file_for(dir.path(), Some(&file), "dead");
        let elsewhere = journal::file_for(dir.path(), Some(&other), "x");
        let _mine = journal::claim(&mine, Some(&file)).unwrap();
        let _theirs = journal::claim(&theirs, Some(&file)).unwrap();
        let _elsewhere = journal::claim(&elsewhere, Some(&other)).unwrap();
        std::fs::write(journal::lock_for(&dead), "999999").unwrap();
        let others = journal::others(dir.path(), &file, &mine);
        assert_eq!(others.len(), 1, "{others:?}");
        assert_eq!(others[0].pid, Some(std::process::id()));
        assert!(
            !journal::lock_for(&dead).exists(),
            "a stale lock is removed"
        );
        // Another name for the same file (a symlink) is the same file.
        #[cfg(unix)]
        {
            let alias = dir.path().join("alias.json");
            std::os::unix::fs::symlink(&file, &alias).unwrap();
            let aliased = journal::file_for(dir.path(), Some(&alias), "alias");
            assert_eq!(journal::others(dir.path(), &alias, &aliased).len(), 2);
        }
    }

    #[test]
    fn journal_file_is_stable_for_a_path_and_a_session() {
        let dir = Path::new("/j");
        let a = Path::new("/a/b.json");
        assert_eq!(
            journal::file_for(dir, Some(a), "s"),
            journal::file_for(dir, Some(a), "s")
        );
        assert_ne!(
            journal::file_for(dir, Some(a), "s"),
            journal::file_for(dir, Some(Path::new("/a/c.json")), "s")
        );
        assert_ne!(
            journal::file_for(dir, Some(a), "s"),
            journal::file_for(dir, Some(a), "t")
        );
        assert_ne!(journal::session_id(), journal::session_id());
    }
}
