//! The effects on local files: saving and reading connector files, the browse screen's list
//! of files and examples, an OpenAPI document for the import, deleting a file. Each runs on a
//! blocking thread and answers with one `Msg`.

use super::Effect;
use crate::connector::Connector;
use crate::files;
use crate::template::Samples;
use crate::tui::msg::{LocalItem, Msg};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// Starts a file effect; `examples_dir` is where examples are read from (`None`: the ones
/// built in). Other effects are not this module's and are ignored.
pub(super) fn run(effect: Effect, tx: mpsc::UnboundedSender<Msg>, examples_dir: Option<PathBuf>) {
    tokio::task::spawn_blocking(move || {
        let msg = match effect {
            Effect::Save {
                path,
                connector,
                samples,
                base,
            } => match files::save_checked(&path, &connector, &samples, base.as_ref()) {
                Ok(disk) => Msg::Saved { path, disk },
                Err(files::FileError::Changed { .. }) => Msg::SaveConflict(path),
                Err(e) => Msg::SaveFailed(e.to_string()),
            },
            Effect::Reload(path) => match files::load_stamped(&path) {
                Ok((connector, samples, disk)) => Msg::Reloaded {
                    path,
                    connector: Box::new(connector),
                    samples,
                    disk,
                },
                Err(e) => Msg::OpenFailed(e.to_string()),
            },
            Effect::OpenFile { path, as_new } => open_file(path, as_new, examples_dir.is_none()),
            Effect::ListLocal => Msg::LocalListed {
                files: list_json(Path::new(".")),
                examples: match examples_dir {
                    Some(dir) => list_json(&dir),
                    None => embedded_examples(),
                },
            },
            Effect::ReadSpec { source, path } => Msg::SpecRead {
                source,
                result: read_spec(&path).map(Box::new),
            },
            Effect::DeleteFile(path) => match std::fs::remove_file(&path) {
                Ok(()) => Msg::Deleted(path.display().to_string()),
                Err(e) => Msg::DeleteFailed(format!("{}: {e}", path.display())),
            },
            _ => return,
        };
        let _ = tx.send(msg);
    });
}

/// A connector file, or an example (`as_new`: it opens as a new unsaved connector, from the
/// built-in ones when `embedded`).
fn open_file(path: PathBuf, as_new: bool, embedded: bool) -> Msg {
    let loaded = if as_new && embedded {
        open_embedded(&path).map(|(c, s)| (c, s, files::Stamp::ABSENT))
    } else {
        files::load_stamped(&path).map_err(|e| e.to_string())
    };
    match loaded {
        Ok((mut connector, samples, disk)) => {
            if as_new {
                connector.clear_remote_ids();
            }
            Msg::Opened {
                path: (!as_new).then_some(path),
                connector: Box::new(connector),
                samples,
                disk: (!as_new).then_some(disk),
            }
        }
        Err(e) => Msg::OpenFailed(e),
    }
}

/// The built-in examples, listed by file name.
fn embedded_examples() -> Vec<LocalItem> {
    crate::examples::ALL
        .iter()
        .map(|example| LocalItem {
            path: PathBuf::from(example.file_name()),
            summary: example.summary(),
        })
        .collect()
}

/// A built-in example, by the file name `embedded_examples` listed it under.
fn open_embedded(path: &Path) -> Result<(Connector, Samples), String> {
    let name = path.to_string_lossy();
    let example = crate::examples::find(&name).ok_or_else(|| {
        format!(
            "no example called {name}; known: {}",
            crate::examples::names()
        )
    })?;
    example.load().map_err(|e| format!("example {name}: {e}"))
}

/// An OpenAPI document from a file, as the import's operation list needs it.
fn read_spec(path: &Path) -> Result<crate::connector::import_openapi::Spec, String> {
    let bytes = files::read_limited(path).map_err(|e| e.to_string())?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    crate::connector::import_openapi::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `*.json` connector files in a directory (samples files left out), sorted by name.
fn list_json(dir: &Path) -> Vec<LocalItem> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut items: Vec<LocalItem> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".samples.json")
        })
        .map(|path| {
            let summary = match files::load(&path) {
                Ok((c, _)) => crate::examples::summary(&c),
                Err(e) => format!("not a connector: {e}"),
            };
            let path = path.strip_prefix("./").map(PathBuf::from).unwrap_or(path);
            LocalItem { path, summary }
        })
        .collect();
    items.sort_by(|a, b| a.path.cmp(&b.path));
    items
}
