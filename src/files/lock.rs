//! Which editing sessions are alive: each holds a lock file (in the journal directory) with the
//! operating system's advisory lock, which the kernel drops when the process ends, however it
//! ends. The file holds the process id (for messages) and, on a second line, what the session
//! has open. A lock file nobody holds is stale: its session is gone, and whoever finds it may
//! remove it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// How often `acquire` tries: the lock file it locked may have been removed under it, or be
/// held for an instant by a session checking whether it is stale.
const ATTEMPTS: usize = 8;

/// How long `acquire` waits for such a check to let go.
const PROBE_WAIT: std::time::Duration = std::time::Duration::from_millis(5);

/// A lock this process holds. Dropping it unlocks; [`SessionLock::release`] also removes the
/// file.
#[derive(Debug)]
pub struct SessionLock {
    file: File,
    path: PathBuf,
}

/// Someone's live lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The process id written in the lock file (`None` while it is being written).
    pub pid: Option<u32>,
    /// What the holder said it has open (the second line).
    pub about: String,
}

/// Takes the lock at `path` for this process (creating the file and its directory), writing
/// the PID and `about` into it, or fails with `WouldBlock` when a live process holds it. A
/// stale file is taken over.
pub fn acquire(path: &Path, about: &str) -> std::io::Result<SessionLock> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    for attempt in 0..ATTEMPTS {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            // Another session checking whether this lock is stale holds it for an instant.
            Err(TryLockError::WouldBlock) if attempt + 1 < ATTEMPTS => {
                std::thread::sleep(PROBE_WAIT);
                continue;
            }
            Err(TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    format!("{}: held by another process", path.display()),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // Whoever removes a stale lock may have unlinked the path between our open and our
        // lock; a lock on an unlinked file protects nothing, so lock what the path names now.
        if names_same_file(&file, path) {
            file.set_len(0)?;
            file.write_all(format!("{}\n{about}", std::process::id()).as_bytes())?;
            return Ok(SessionLock {
                file,
                path: path.to_owned(),
            });
        }
    }
    Err(std::io::Error::other(format!(
        "{}: the lock file keeps being replaced",
        path.display()
    )))
}

impl SessionLock {
    /// Removes the lock file, then unlocks. Removing while still holding it means nobody can
    /// take the lock of a file that is about to disappear.
    pub fn release(self) {
        let _ = std::fs::remove_file(&self.path);
        drop(self.file);
    }
}

/// Who holds the lock file at `path`: `None` when nobody does (or there is no such file).
pub fn holder(path: &Path) -> Option<Holder> {
    let mut file = File::open(path).ok()?;
    match file.try_lock() {
        // Nobody had it; dropping the file unlocks it again.
        Ok(()) | Err(TryLockError::Error(_)) => None,
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let (pid, about) = text.split_once('\n').unwrap_or((&text, ""));
            Some(Holder {
                pid: pid.trim().parse().ok(),
                about: about.to_owned(),
            })
        }
    }
}

/// Removes the lock file at `path` if nobody holds it; whether it did. Held while removing,
/// for the same reason as [`SessionLock::release`].
pub fn remove_if_stale(path: &Path) -> bool {
    let Ok(file) = OpenOptions::new().read(true).write(true).open(path) else {
        return false;
    };
    if file.try_lock().is_err() || !names_same_file(&file, path) {
        return false;
    }
    let removed = std::fs::remove_file(path).is_ok();
    drop(file);
    removed
}

#[cfg(unix)]
fn names_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names_same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}
