//! A workspace: a folder of connector files kept in step with a target (`pull --all`, `plan`,
//! `apply`). This module only finds and reads them; what to do with them is
//! `connector::plan`.

use super::{FileError, Stamp};
use crate::connector::{self, Connector};
use crate::template::Samples;
use std::path::{Path, PathBuf};

/// One connector file of the folder.
#[derive(Debug)]
pub struct WorkspaceFile {
    pub path: PathBuf,
    /// The file name, as plans show it.
    pub name: String,
    /// The connector, its samples and the stamp of what was read, or why it could not be read.
    pub loaded: Result<(Connector, Samples, Stamp), FileError>,
}

/// The connector files directly in `dir`, by name: every `*.json` but samples files and JSON
/// that is not a connector file (an object without the `$patchcord` key, such as a
/// `package.json`). A file that is not even JSON is listed, unreadable: it may be a broken
/// connector file. A missing folder holds none.
pub fn scan(dir: &Path) -> Result<Vec<WorkspaceFile>, FileError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(FileError::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut found: Vec<WorkspaceFile> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let lower = name.to_ascii_lowercase();
            if !path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                || lower.ends_with(".samples.json")
            {
                return None;
            }
            if is_foreign_json(&path) {
                return None;
            }
            let loaded = super::load_stamped(&path);
            Some(WorkspaceFile { path, name, loaded })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Whether the file is JSON, but not a connector file.
fn is_foreign_json(path: &Path) -> bool {
    let Ok(bytes) = super::read_capped(path) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(object)) => !object.contains_key(connector::META_KEY),
        Ok(_) => true,
        Err(_) => false,
    }
}
