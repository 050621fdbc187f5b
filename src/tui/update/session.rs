//! The editing session's hold on its file: the journal (every text typed, overlays included),
//! the lock that tells other editors the file is open, saves that ask when the file changed on
//! disk, and the list of edits left by sessions that are gone. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context, Key};
use super::super::state::{LineInput, Overlay, State, Switch};
use super::journal::sync_journal;
use crate::connector::Connector;
use crate::files::Stamp;
use crate::files::journal::{self, Draft, Entry};
use crate::template::Samples;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

/// Saves to the connector's file, or asks where when it has none.
pub(super) fn save(state: &mut State) -> Vec<Effect> {
    if let Some(path) = &state.doc.file {
        vec![Effect::Save {
            path: path.clone(),
            connector: Box::new(state.doc.connector.clone()),
            samples: state.doc.samples.clone(),
            base: state.doc.disk,
        }]
    } else {
        state.overlay = Some(Overlay::SaveAs {
            input: LineInput::new(&state.suggested_file()),
        });
        Vec::new()
    }
}

/// Opens another connector, asking first when the current one has unsaved changes.
pub(super) fn switch_or_ask(state: &mut State, switch: Switch) -> Vec<Effect> {
    if state.doc.dirty {
        state.overlay = Some(Overlay::ConfirmSwitch(switch));
        return Vec::new();
    }
    switch_to(state, switch)
}

/// Opens another connector in place of the current one.
pub(super) fn switch_to(state: &mut State, switch: Switch) -> Vec<Effect> {
    match switch {
        Switch::File { path, as_new } => vec![Effect::OpenFile { path, as_new }],
        Switch::Remote { vendor, id } => vec![Effect::OpenRemote { vendor, id }],
        Switch::New(vendor) => {
            super::opened(state, None, Connector::new(vendor), Samples::new(), None)
        }
    }
}

/// Moves the session to the record for `path` (another file, or none): gives up the old
/// lock and takes the new one. The old record is the caller's to keep or discard.
pub(super) fn switch_journal(state: &mut State, path: Option<&Path>) -> Vec<Effect> {
    let Some(old) = state.session.journal.file.clone() else {
        return Vec::new();
    };
    let dir = old.parent().map(Path::to_path_buf).unwrap_or_default();
    let new = journal::file_for(&dir, path, &state.session.journal.session_id);
    if new == old {
        return Vec::new();
    }
    state.session.journal.file = Some(new.clone());
    state.session.journal.elsewhere.clear();
    vec![
        Effect::Release(old),
        Effect::Claim {
            journal_file: new,
            path: path.map(Path::to_path_buf),
        },
    ]
}

/// The session holds its lock: other editors with the file open are named, once in a
/// message and for as long as it lasts in the status bar.
pub(super) fn claimed(state: &mut State, journal_file: &Path, others: Vec<Option<u32>>) {
    if state.session.journal.file.as_deref() != Some(journal_file) {
        return;
    }
    state.session.journal.elsewhere = others;
    if let Some(label) = state.elsewhere_label()
        && state.overlay.is_none()
    {
        let file = state
            .doc
            .file
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        state.overlay = Some(Overlay::Message {
            title: "Open elsewhere".into(),
            text: format!(
                "{file} is {label}.\nEach editor journals its own edits; a save here asks first \
                 if the file changed on disk."
            ),
        });
    }
}

/// The base a save to `path` checks: what was loaded when it is the open file, else that
/// nothing is there yet (saving as over an existing file asks too).
pub(super) fn base_for(state: &State, path: &Path) -> Option<Stamp> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    match &state.doc.file {
        Some(file) if absolute(file) == absolute(path) => state.doc.disk,
        _ => Some(Stamp::ABSENT),
    }
}

/// The save landed: the record is no longer needed, and the session follows the file.
pub(super) fn saved(state: &mut State, path: PathBuf, disk: Stamp) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Some(old) = &state.session.journal.file {
        effects.push(Effect::DiscardJournal(old.clone()));
    }
    effects.extend(switch_journal(state, Some(&path)));
    state.toast = Some(format!("saved {}", path.display()));
    state.doc.file = Some(path);
    state.doc.disk = Some(disk);
    state.doc.dirty = false;
    state.mark_saved();
    if state.quit_pending {
        state.quit = true;
    }
    if let Some(switch) = state.switch_pending.take() {
        effects.extend(switch_to(state, switch));
    }
    effects
}

/// The file was read again: its content replaces the edits, which are set aside in the
/// journal (offered at the next start), never dropped.
pub(super) fn reloaded(
    state: &mut State,
    path: PathBuf,
    connector: Connector,
    samples: Samples,
    disk: Stamp,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    let kept = state.doc.dirty || state.drafted;
    if let Some(file) = &state.session.journal.file
        && kept
    {
        effects.push(Effect::SetAsideJournal(file.clone()));
    }
    effects.extend(switch_journal(state, Some(&path)));
    state.replace_document(connector, samples, Some(path));
    state.doc.disk = Some(disk);
    state.toast = Some(if kept {
        "reloaded from disk; your edits are kept in the journal and offered at the next start"
            .into()
    } else {
        "reloaded from disk".into()
    });
    effects.extend(super::link::fetch(state));
    effects
}

/// The changed-on-disk prompt: `o` overwrite, `r` reload, `a` save as, Esc cancel.
pub(super) fn changed_key(
    state: &mut State,
    path: PathBuf,
    key: KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Overlay::ChangedOnDisk { path });
    }
    match key.code {
        KeyCode::Char('o') => {
            effects.push(Effect::Save {
                path,
                connector: Box::new(state.doc.connector.clone()),
                samples: state.doc.samples.clone(),
                base: None,
            });
            None
        }
        KeyCode::Char('r') => {
            state.quit_pending = false;
            effects.push(Effect::Reload(path));
            None
        }
        KeyCode::Char('a') => Some(Overlay::SaveAs {
            input: LineInput::new(&path.display().to_string()),
        }),
        _ if state.keymap.lookup(Context::Unsaved, &key) == Some(Action::Back) => {
            state.quit_pending = false;
            None
        }
        _ => Some(Overlay::ChangedOnDisk { path }),
    }
}

/// The recovery list: ↑/↓ choose, `y`/Enter recover, `d`/`n` discard, Esc decide later
/// (every record stays for the next start).
pub(super) fn recover_key(
    state: &mut State,
    mut entries: Vec<Entry>,
    selected: usize,
    key: KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let selected = selected.min(entries.len().saturating_sub(1));
    let keep = |entries, selected| Some(Overlay::Recover { entries, selected });
    let action = super::list::action(state, &key, false);
    if let Some(to) = super::list::moved(action, selected, entries.len()) {
        return keep(entries, to);
    }
    let chosen = action == Some(Action::Confirm) || Key::answers(&key, 'y');
    let dropped = Key::answers(&key, 'd') || Key::answers(&key, 'n');
    match action {
        _ if chosen && selected < entries.len() => {
            effects.extend(recover(state, entries.swap_remove(selected)));
            None
        }
        _ if dropped && selected < entries.len() => {
            effects.push(Effect::DiscardJournal(
                entries.remove(selected).journal_file,
            ));
            if entries.is_empty() {
                None
            } else {
                let last = entries.len() - 1;
                keep(entries, selected.min(last))
            }
        }
        Some(Action::Back) => None,
        _ => keep(entries, selected),
    }
}

/// Takes a record's edits back: its file, its connector and samples, the base it began from
/// (so a save asks when the file changed since), and the overlay text it was typing. The
/// session's new record is written before the old one is removed.
fn recover(state: &mut State, entry: Entry) -> Vec<Effect> {
    let Entry {
        journal_file,
        saved_at,
        snapshot,
        changed_on_disk,
    } = entry;
    let mut effects = switch_journal(state, snapshot.path.as_deref());
    state.replace_document(snapshot.connector, snapshot.samples, snapshot.path);
    state.doc.disk = snapshot.base;
    state.doc.dirty = true;
    if let Some(draft) = snapshot.draft {
        state.overlay = draft_overlay(state, draft);
        state.drafted = state.overlay.is_some();
        if let Some(Overlay::SpecPath {
            input,
            loading: true,
            ..
        }) = &state.overlay
        {
            effects.push(super::browse_import::read_spec(&input.text));
        }
    }
    state.toast = Some(if changed_on_disk {
        format!(
            "recovered unsaved edits from {saved_at}; the file changed on disk since, so a save asks first"
        )
    } else {
        format!("recovered unsaved edits from {saved_at}")
    });
    effects.extend(sync_journal(state));
    effects.push(Effect::DiscardJournal(journal_file));
    effects
}

/// The overlay a draft was typed in, open again with its text (cursor at the end).
fn draft_overlay(state: &State, draft: Draft) -> Option<Overlay> {
    match draft {
        Draft::Bulk { field, text } => {
            let key = state
                .doc
                .connector
                .spec()
                .fields
                .iter()
                .find(|f| f.key == field)?
                .key;
            let mut area = crate::tui::state::bulk_area(&text);
            area.move_to_end();
            Some(Overlay::Bulk {
                key,
                area: Box::new(area),
            })
        }
        Draft::SaveAs { text } => Some(Overlay::SaveAs {
            input: LineInput::new(&text),
        }),
        Draft::RedirectUrl { text } => Some(Overlay::ConnectAsk {
            input: LineInput::new(&text),
        }),
        Draft::ImportCurl { text } => Some(Overlay::ImportCurl {
            input: LineInput::new(&text),
        }),
        Draft::SpecPath { text } => Some(Overlay::SpecPath {
            input: LineInput::new(&text),
            loading: false,
            error: None,
            filter: String::new(),
        }),
        // The document is read again; the list opens with the filter as it was.
        Draft::OperationFilter { spec, text } => Some(Overlay::SpecPath {
            input: LineInput::new(&spec),
            loading: true,
            error: None,
            filter: text,
        }),
    }
}
