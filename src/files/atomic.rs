//! Atomic writes: a temporary file in the same directory, fsynced, renamed over the target
//! (through symbolic links, keeping the target's mode), then the directory fsynced.

use super::FileError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many symbolic links a save follows before giving up (the kernel's own limit).
const MAX_LINKS: usize = 40;

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
