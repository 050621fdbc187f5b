//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the editor's state, and nothing
//! else. Pure: no IO, no terminal, no clock; what must happen outside comes back as `Effect`s.
//! Keys are dispatched in `update/keys.rs` to each area's file (`form`, `table`, `editor`,
//! `overlay`, ...); the files below them (`document`, `session`, `prompt`, `list`) hold what
//! several areas share, so no file imports one that imports it back.

mod browse;
mod browse_import;
mod document;
mod editor;
mod form;
mod global;
mod import;
mod input;
mod journal;
mod keys;
mod link;
mod list;
mod overlay;
mod palette;
mod picker;
mod problems;
mod prompt;
mod rows_run;
mod rows_table;
mod session;
mod submit;
mod table;
#[cfg(test)]
mod tests;
mod try_select;
mod undo;

use super::effect::Effect;
use super::msg::Msg;
use super::state::{Browse, Focus, Overlay, State, Status};
use crate::connector;
use serde_json::Value;
use std::path::PathBuf;

pub use journal::exit;

/// Applies one message to the state and returns what has to be done outside.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply(state, msg);
    editor::follow_editor(state);
    // Whatever changed the template or its samples, the render runs off the loop.
    effects.extend(state.take_preview_job().map(Effect::Preview));
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            state.toast = None;
            state.begin_input();
            keys::key(state, key)
        }
        Msg::Mouse(mouse) => {
            state.begin_input();
            input::mouse(state, mouse)
        }
        Msg::Paste(text) => {
            state.begin_input();
            input::paste(state, &text)
        }
        Msg::Resize(w, h) => {
            state.session.size = (w, h);
            Vec::new()
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Terminate => {
            state.quit = true;
            Vec::new()
        }
        Msg::Copied(bytes) => {
            state.toast = Some(format!(
                "copied {} to the clipboard ({bytes} bytes, OSC 52)",
                state.copy_label
            ));
            Vec::new()
        }
        Msg::Previewed { generation, done } => {
            state.previewed(generation, done);
            Vec::new()
        }
        msg @ (Msg::Connected { .. }
        | Msg::ConnectFailed(_)
        | Msg::Submitted { .. }
        | Msg::SubmitFailed { .. }
        | Msg::Linked { .. }) => target_answered(state, msg),
        msg @ (Msg::Saved { .. }
        | Msg::SaveConflict(_)
        | Msg::SaveFailed(_)
        | Msg::Reloaded { .. }
        | Msg::Claimed { .. }
        | Msg::Journaled(_)
        | Msg::ExternalEdited(_)) => file_answered(state, msg),
        msg @ (Msg::Fired { .. }
        | Msg::RowsLoaded(_)
        | Msg::RowDone { .. }
        | Msg::RowsFinished { .. }
        | Msg::RowsExported(_)
        | Msg::TriesListed(_)
        | Msg::TryOpened { .. }) => tried(state, msg),
        msg => browsed(state, msg),
    }
}

/// The target answered: a connection, a submit, a connection state.
fn target_answered(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Connected { target, key_source } => {
            state.session.target.status = Status::Connected {
                at: target,
                key_source,
            };
            // A connector that exists on the (new) target: read its connection state there.
            state.link = None;
            link::fetch(state)
        }
        Msg::ConnectFailed(error) => {
            // The form's target row keeps the reason; the status bar says "offline".
            state.session.target.status = Status::Offline(error);
            Vec::new()
        }
        Msg::Submitted {
            request,
            stored,
            changes,
            id,
            created,
        } => submit::submitted(state, request, stored, changes, id, created),
        Msg::SubmitFailed { request, error } => {
            submit::failed(state, request, error);
            Vec::new()
        }
        Msg::Linked { request, result } => link::linked(state, request, result),
        _ => Vec::new(),
    }
}

/// The connector's file was written or read, its journal kept, `$EDITOR` closed.
fn file_answered(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Saved { path, disk } => session::saved(state, path, disk),
        Msg::SaveConflict(path) => {
            state.overlay = Some(Overlay::ChangedOnDisk { path });
            Vec::new()
        }
        Msg::SaveFailed(error) => {
            state.overlay = Some(Overlay::Message {
                title: "Not saved".into(),
                text: error,
            });
            Vec::new()
        }
        Msg::Reloaded {
            path,
            connector,
            samples,
            disk,
        } => session::reloaded(state, path, *connector, samples, disk),
        Msg::Claimed {
            journal_file,
            others,
        } => {
            session::claimed(state, &journal_file, others);
            Vec::new()
        }
        Msg::Journaled(result) => {
            state.session.journal.error = result.err();
            Vec::new()
        }
        Msg::ExternalEdited(Ok(text)) if document::external_edits_json(state) => {
            // What $EDITOR gave back is one undoable step.
            state.checkpoint();
            state.json = super::state::json_area(Some(&Value::String(text)));
            state.toast = Some("config updated from $EDITOR".into());
            document::sync_json(state)
        }
        Msg::ExternalEdited(Ok(text)) => {
            state.checkpoint();
            document::set_template(state, text);
            state.reload_template();
            state.toast = Some("template updated from $EDITOR".into());
            document::template_edited(state)
        }
        Msg::ExternalEdited(Err(error)) => {
            state.overlay = Some(Overlay::Message {
                title: "$EDITOR".into(),
                text: error,
            });
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Try-it answered: the fired request, a rows run, the past tries.
fn tried(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Fired { request, result } => {
            if let Some(Overlay::Firing { request: r, fire }) = state.overlay.take() {
                state.overlay = Some(if r == request {
                    Overlay::FireResult {
                        fire,
                        response: result,
                        scroll: 0,
                    }
                } else {
                    Overlay::Firing { request: r, fire }
                });
            }
        }
        Msg::RowsLoaded(result) => return rows_table::loaded(state, result),
        Msg::RowDone {
            request,
            row,
            result,
        } => rows_run::row_done(state, request, row, *result),
        Msg::RowsFinished { request } => rows_run::finished(state, request),
        Msg::RowsExported(result) => {
            state.toast = Some(match result {
                Ok(path) => format!("wrote the results to {path}"),
                Err(error) => format!("export failed: {error}"),
            });
        }
        Msg::TriesListed(listed) => {
            if let Some(Overlay::Tries { runs, .. }) = &mut state.overlay {
                *runs = Some(listed);
            }
        }
        Msg::TryOpened { id, rows } => rows_run::reopened(state, id, rows),
        _ => {}
    }
    Vec::new()
}

/// The browse screen's lists arrived, or a connector was opened or deleted from there.
fn browsed(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::RemoteListed(result) => {
            if let Some(Overlay::Browse(browse)) = &mut state.overlay {
                browse.remote = Some(result);
            }
        }
        Msg::SpecRead { source, result } => browse_import::spec_read(state, &source, result),
        Msg::LocalListed { files, examples } => {
            let Some(Overlay::Browse(browse)) = &mut state.overlay else {
                return Vec::new();
            };
            let paths = files.iter().map(|f| f.path.clone()).collect();
            browse.files = files;
            browse.examples = examples;
            return vec![Effect::SyncStates(paths)];
        }
        Msg::SyncStates(states) => {
            if let Some(Overlay::Browse(browse)) = &mut state.overlay {
                browse.sync = states;
            }
        }
        Msg::Opened {
            path,
            connector,
            samples,
            disk,
        } => return opened(state, path, *connector, samples, disk),
        Msg::OpenFailed(error) | Msg::DeleteFailed(error) => {
            state.overlay = Some(Overlay::Message {
                title: "Failed".into(),
                text: error,
            });
        }
        Msg::Deleted(label) => {
            state.toast = Some(format!("deleted {label}"));
            state.overlay = Some(Overlay::Browse(Browse::default()));
            return vec![
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ];
        }
        _ => {}
    }
    Vec::new()
}
fn opened(
    state: &mut State,
    path: Option<PathBuf>,
    connector: connector::Connector,
    samples: crate::template::Samples,
    disk: Option<crate::files::Stamp>,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Some(old) = &state.session.journal.file {
        effects.push(Effect::DiscardJournal(old.clone()));
    }
    state.replace_document(connector, samples, path);
    let file = state.doc.file.clone();
    effects.extend(session::switch_journal(state, file.as_deref()));
    state.doc.disk = disk;
    // An untouched example or remote connector has nothing to lose: not dirty until edited
    // (Ctrl-S still asks where to save it, since it has no file).
    state.toast = Some(format!("opened {}", state.doc.connector.display_name()));
    effects.extend(link::fetch(state));
    effects
}

impl State {
    /// The default file name for a new connector: its name, slugged.
    pub fn suggested_file(&self) -> String {
        let slug: String = self
            .doc
            .connector
            .text("name")
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let slug = slug.trim_matches('-');
        let slug = if slug.is_empty() { "connector" } else { slug };
        let mut collapsed = String::new();
        for c in slug.chars() {
            if !(c == '-' && collapsed.ends_with('-')) {
                collapsed.push(c);
            }
        }
        format!("{collapsed}.json")
    }

    /// Moves the focus, writing the field being left into the connector first.
    pub fn set_focus(&mut self, focus: Focus) -> Vec<Effect> {
        let effects = document::commit_form(self);
        self.focus = focus;
        self.load_form_input();
        effects
    }
}
