//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the editor's state, and nothing
//! else. Pure: no IO, no terminal, no clock; what must happen outside comes back as `Effect`s.
//! Key handling per area lives in `update/keys.rs`, overlays in `update/overlay.rs`.

mod browse_import;
mod editor;
mod import;
mod keys;
mod link;
mod list;
mod overlay;
mod palette;
mod picker;
mod problems;
mod rows_run;
mod session;
mod table;
#[cfg(test)]
mod tests;
mod undo;

use super::effect::Effect;
use super::msg::Msg;
use super::state::{Browse, Focus, LineInput, Overlay, State, Status};
use crate::connector::{self, FieldKind, NameValue};
use serde_json::Value;
use std::path::PathBuf;

pub use session::exit;

/// Applies one message to the state and returns what has to be done outside.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply(state, msg);
    editor::follow_editor(state);
    // Whatever changed the template or its samples, the render runs off the loop.
    effects.extend(state.take_preview_job().map(Effect::Preview));
    effects
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per message, as the Msg enum reads"
)]
fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            state.toast = None;
            state.begin_input();
            keys::key(state, key)
        }
        Msg::Mouse(mouse) => {
            state.begin_input();
            keys::mouse(state, mouse)
        }
        Msg::Paste(text) => {
            state.begin_input();
            keys::paste(state, &text)
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
        Msg::Saved { path, disk } => session::saved(state, path, disk),
        Msg::SaveConflict(path) => {
            state.overlay = Some(Overlay::ChangedOnDisk { path });
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
        Msg::SaveFailed(error) => {
            state.overlay = Some(Overlay::Message {
                title: "Not saved".into(),
                text: error,
            });
            Vec::new()
        }
        Msg::Submitted {
            request,
            sent: _,
            stored,
            changes,
            id,
            created,
        } => submitted(state, request, stored, changes, id, created),
        Msg::SubmitFailed { request, error } => {
            if let Some(Overlay::Sending { request: r, target }) = &state.overlay
                && *r == request
            {
                let gone = gone(state, target, &error);
                state.server_errors.clone_from(&error.fields);
                state.overlay = Some(Overlay::SubmitError { error, gone });
            }
            Vec::new()
        }
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
            Vec::new()
        }
        Msg::RowsLoaded(result) => rows_run::loaded(state, result),
        Msg::RowDone {
            request,
            row,
            result,
        } => {
            rows_run::row_done(state, request, row, *result);
            Vec::new()
        }
        Msg::RowsFinished { request } => {
            rows_run::finished(state, request);
            Vec::new()
        }
        Msg::RowsExported(result) => {
            state.toast = Some(match result {
                Ok(path) => format!("wrote the results to {path}"),
                Err(error) => format!("export failed: {error}"),
            });
            Vec::new()
        }
        Msg::TriesListed(listed) => {
            if let Some(Overlay::Tries { runs, .. }) = &mut state.overlay {
                *runs = Some(listed);
            }
            Vec::new()
        }
        Msg::TryOpened(opened) => {
            if matches!(state.overlay, Some(Overlay::Tries { .. })) {
                state.overlay = Some(match opened {
                    Ok((fire, response)) => Overlay::FireResult {
                        fire: Box::new(fire),
                        response,
                        scroll: 0,
                    },
                    Err(text) => Overlay::Message {
                        title: "Past try".into(),
                        text,
                    },
                });
            }
            Vec::new()
        }
        Msg::RemoteListed(result) => {
            if let Some(Overlay::Browse(browse)) = &mut state.overlay {
                browse.remote = Some(result);
            }
            Vec::new()
        }
        Msg::SpecRead { source, result } => {
            browse_import::spec_read(state, &source, result);
            Vec::new()
        }
        Msg::LocalListed { files, examples } => {
            let Some(Overlay::Browse(browse)) = &mut state.overlay else {
                return Vec::new();
            };
            let paths = files.iter().map(|f| f.path.clone()).collect();
            browse.files = files;
            browse.examples = examples;
            vec![Effect::SyncStates(paths)]
        }
        Msg::SyncStates(states) => {
            if let Some(Overlay::Browse(browse)) = &mut state.overlay {
                browse.sync = states;
            }
            Vec::new()
        }
        Msg::Opened {
            path,
            connector,
            samples,
            disk,
        } => opened(state, path, *connector, samples, disk),
        Msg::OpenFailed(error) | Msg::DeleteFailed(error) => {
            state.overlay = Some(Overlay::Message {
                title: "Failed".into(),
                text: error,
            });
            Vec::new()
        }
        Msg::Deleted(label) => {
            state.toast = Some(format!("deleted {label}"));
            state.overlay = Some(Overlay::Browse(Browse::default()));
            vec![
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ]
        }
        Msg::ExternalEdited(Ok(text)) if keys::external_edits_json(state) => {
            // What $EDITOR gave back is one undoable step.
            state.checkpoint();
            state.json = super::state::json_area(Some(&Value::String(text)));
            state.toast = Some("config updated from $EDITOR".into());
            keys::sync_json(state)
        }
        Msg::ExternalEdited(Ok(text)) => {
            state.checkpoint();
            set_template(state, text);
            state.reload_template();
            state.toast = Some("template updated from $EDITOR".into());
            edited(state, "body_template")
        }
        Msg::ExternalEdited(Err(error)) => {
            state.overlay = Some(Overlay::Message {
                title: "$EDITOR".into(),
                text: error,
            });
            Vec::new()
        }
        Msg::Copied(bytes) => {
            state.toast = Some(format!(
                "copied {} to the clipboard ({bytes} bytes, OSC 52)",
                state.copy_label
            ));
            Vec::new()
        }
        Msg::Linked { request, result } => link::linked(state, request, result),
        Msg::Previewed { generation, done } => {
            state.previewed(generation, done);
            Vec::new()
        }
    }
}

/// After any edit: mark unsaved, forget server notes on the field, re-validate, journal.
pub(super) fn edited(state: &mut State, key: &str) -> Vec<Effect> {
    state.record_edit(key);
    state.doc.dirty = true;
    state.server_errors.retain(|(p, _)| p.field() != Some(key));
    state.changes.retain(|c| c.key != key);
    state.refresh();
    session::sync_journal(state)
}

/// Writes the template text into the connector; an empty template becomes `null`, so the body
/// list is used again.
pub(super) fn set_template(state: &mut State, text: String) {
    let Some(key) = state.doc.connector.spec().template_field else {
        return;
    };
    // Taken by value: a keystroke in a big template copies its text once, not twice.
    let value = if text.trim().is_empty() {
        Value::Null
    } else {
        Value::String(text)
    };
    state.doc.connector.set(key, value);
}

/// Writes the focused form field's input into the connector.
pub(super) fn commit_form(state: &mut State) -> Vec<Effect> {
    let Some(field) = state.focused_field() else {
        return Vec::new();
    };
    // Pickers write their choice directly; they have no text to commit.
    if matches!(field.kind, FieldKind::Choice { .. } | FieldKind::Bool) {
        return Vec::new();
    }
    let text = state.form_input.text.clone();
    let value = match field.kind {
        FieldKind::Integer { .. } if text.is_empty() => Value::Null,
        FieldKind::Integer { .. } => match text.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Vec::new(),
        },
        // A rate: the typed number with the unit already picked (else the finest unit); no
        // number removes the field.
        FieldKind::UnitRate { units } => {
            if text.is_empty() {
                return match state.doc.connector.fields.shift_remove(field.key) {
                    Some(_) => edited(state, field.key),
                    None => Vec::new(),
                };
            }
            let Ok(max) = text.parse::<u64>() else {
                return Vec::new();
            };
            let unit = state
                .doc
                .connector
                .fields
                .get(field.key)
                .and_then(|v| v.get("unit"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| units.last().map(|u| (*u).to_owned()))
                .unwrap_or_default();
            serde_json::json!({"unit": unit, "max": max})
        }
        // Edited on its own tab (`keys::sync_json`); never a form row.
        FieldKind::JsonObject => return Vec::new(),
        _ => Value::String(text),
    };
    if state.doc.connector.fields.get(field.key) == Some(&value) {
        return Vec::new();
    }
    if value.is_null() && !state.doc.connector.fields.contains_key(field.key) {
        return Vec::new();
    }
    state.doc.connector.set(field.key, value);
    edited(state, field.key)
}

/// Replaces a name-value list (or a string map, for vendors that keep pairs in an object)
/// and records the edit.
pub(super) fn set_rows(state: &mut State, key: &str, rows: &[NameValue]) -> Vec<Effect> {
    let is_map = state
        .doc
        .connector
        .spec()
        .field(key)
        .is_some_and(|f| matches!(f.kind, FieldKind::StringMap { .. }));
    if is_map {
        let map = rows
            .iter()
            .map(|r| (r.name.clone(), Value::String(r.value.clone())))
            .collect();
        state.doc.connector.set(key, Value::Object(map));
    } else {
        state.doc.connector.set_name_values(key, rows);
    }
    edited(state, key)
}

/// Ctrl-R: asks about an id recorded without a target first (it may be another target's
/// connector, so nothing is PUT to it unasked), then reviews.
pub(super) fn review(state: &mut State) {
    let target = state.target_ref();
    if let Some(id) = state.doc.connector.unbound_legacy_id(&target) {
        state.overlay = Some(Overlay::AdoptAsk {
            id: id.to_owned(),
            target,
        });
        return;
    }
    open_review(state, target);
}

/// Opens the review overlay: exactly what a submit to `target` sends, secrets masked. A live
/// target asks for its name to be typed before Enter sends.
pub(super) fn open_review(state: &mut State, target: connector::TargetRef) {
    let spec = state.doc.connector.spec();
    let (method, path) = crate::api::submit_request(&state.doc.connector, &target);
    let recreate = match (state.doc.connector.remote_id_for(&target), spec.update) {
        (Some(id), connector::UpdateMode::Recreate) => Some(format!(
            "{} has no update: confirming deletes connector {id} and creates it again",
            spec.label
        )),
        _ => None,
    };
    let blocked = state
        .findings
        .iter()
        .filter(|f| f.severity == connector::Severity::Error)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    state.overlay = Some(Overlay::Review {
        method,
        path,
        body: crate::api::submit_body(&state.doc.connector, &target),
        blocked,
        recreate,
        scroll: 0,
        typed: (!target.is_sandbox()).then(LineInput::default),
        target,
    });
}

/// When a submit to `target` failed because the connector it updates no longer exists there
/// (404 on the PUT): the target and that id, to offer creating it again.
fn gone(
    state: &State,
    target: &connector::TargetRef,
    error: &super::msg::RemoteError,
) -> Option<(connector::TargetRef, String)> {
    let id = state.doc.connector.remote_id_for(target)?;
    let updates = !matches!(
        state.doc.connector.spec().update,
        connector::UpdateMode::Recreate
    );
    (error.status == Some(404) && updates).then(|| (target.clone(), id.to_owned()))
}

fn submitted(
    state: &mut State,
    request: u64,
    stored: Value,
    changes: Vec<connector::FieldChange>,
    id: Option<String>,
    created: bool,
) -> Vec<Effect> {
    let target = match &state.overlay {
        Some(Overlay::Sending { request: r, target }) if *r == request => target.clone(),
        _ => return Vec::new(),
    };
    let vendor = state.doc.connector.vendor;
    if let Some(id) = id {
        state.doc.connector.set_remote_id(&target, id);
    }
    // Adopt what the server stored for the vendor's own fields; keep everything else as loaded.
    for change in &changes {
        if vendor.spec().field(&change.key).is_some() {
            match &change.stored {
                Some(v) => state.doc.connector.set(&change.key, v.clone()),
                None => {
                    state.doc.connector.fields.shift_remove(&change.key);
                }
            }
        }
    }
    // What the file (once saved) and the server hold in step: the base of its sync state.
    state.doc.connector.record_sync(&target, &stored);
    state.server_errors.clear();
    state.changes.clone_from(&changes);
    state.doc.dirty = true;
    state.refresh();
    state.load_form_input();
    state.reload_json();
    if super::state::has_link_state(vendor) {
        // The stored connector carries its state (a new or recreated one starts `created`).
        state.link = Some(super::state::LinkState::from_connector(&stored));
    }
    state.overlay = Some(Overlay::Response {
        created,
        stored,
        changes,
        scroll: 0,
    });
    session::sync_journal(state)
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
        let effects = commit_form(self);
        self.focus = focus;
        self.load_form_input();
        effects
    }
}
