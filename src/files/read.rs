//! Reading files whole with a size cap, so `/dev/zero`, an endless pipe or a wrong file never
//! fills memory.

use super::FileError;
use std::io::Read;
use std::path::Path;

/// The largest connector or samples file read (16 MiB). A real one is a few kilobytes; the cap
/// keeps `/dev/zero`, a pipe that never ends or a wrong file from filling memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A file's bytes, or `None` when it does not exist.
pub(super) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FileError> {
    match read_capped(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Capped::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.for_path(path)),
    }
}

/// Why a capped read failed, before it is given the file's name.
pub(super) enum Capped {
    Io(std::io::Error),
    TooLarge,
}

impl Capped {
    pub(super) fn for_path(self, path: &Path) -> FileError {
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
pub(super) fn read_capped(path: &Path) -> Result<Vec<u8>, Capped> {
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
