//! The editing session's hold on its file: the journal (every text typed, overlays included),
//! the lock that tells other editors the file is open, saves that ask when the file changed on
//! disk, and the list of edits left by sessions that are gone. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::state::{LineInput, Overlay, State};
use crate::connector::Connector;
use crate::files::Stamp;
use crate::files::journal::{self, Draft, Entry, Snapshot};
use crate::template::Samples;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

/// The text of the open overlay that takes typing (bulk edit, save as, connect, the import
/// prompts and the operation filter).
pub(super) fn draft(state: &State) -> Option<Draft> {
    match &state.overlay {
        Some(Overlay::Bulk { key, area }) => Some(Draft::Bulk {
            field: (*key).to_owned(),
            text: area.text(),
        }),
        Some(Overlay::SaveAs { input }) => Some(Draft::SaveAs {
            text: input.text.clone(),
        }),
        Some(Overlay::ConnectAsk { input }) => Some(Draft::RedirectUrl {
            text: input.text.clone(),
        }),
        Some(Overlay::ImportCurl { input }) => Some(Draft::ImportCurl {
            text: input.text.clone(),
        }),
        Some(Overlay::SpecPath { input, .. }) => Some(Draft::SpecPath {
            text: input.text.clone(),
        }),
        Some(Overlay::Operations(pick)) => Some(Draft::OperationFilter {
            spec: pick.source.clone(),
            text: pick.filter.text.clone(),
        }),
        _ => None,
    }
}

/// What the journal keeps of the session now.
fn snapshot(state: &State) -> Snapshot {
    Snapshot {
        path: state.doc.file.clone(),
        base: state.doc.disk,
        connector: state.doc.connector.clone(),
        samples: state.doc.samples.clone(),
        draft: if state.drafted { draft(state) } else { None },
    }
}

/// Brings the session's record up to date: written while there is something unsaved (edits,
/// or text typed in an overlay), removed once there is nothing.
pub(super) fn sync_journal(state: &State) -> Vec<Effect> {
    let Some(file) = &state.session.journal.file else {
        return Vec::new();
    };
    if state.doc.dirty || state.drafted {
        vec![Effect::Journal {
            file: file.clone(),
            snapshot: Box::new(snapshot(state)),
        }]
    } else {
        vec![Effect::DiscardJournal(file.clone())]
    }
}

/// After a key in an overlay: when the overlay's text changed, the journal follows. Text
/// counts as typed once it changes in the same overlay; a newly opened one is typed only when
/// its opener said so (a recovered draft).
pub(super) fn after_overlay_key(state: &mut State, before: Option<&Draft>) -> Vec<Effect> {
    let after = draft(state);
    let drafted = match (before, &after) {
        (_, None) => false,
        (Some(a), Some(b)) if std::mem::discriminant(a) == std::mem::discriminant(b) => {
            state.drafted || a != b
        }
        _ => state.drafted,
    };
    let changed = drafted != state.drafted || (drafted && before != after.as_ref());
    state.drafted = drafted;
    if changed {
        sync_journal(state)
    } else {
        Vec::new()
    }
}

/// What the journal must do when the editor exits: keep the record when something is unsaved,
/// else remove it; then give up the lock.
pub fn exit(state: &State) -> Vec<Effect> {
    let mut effects = sync_journal(state);
    if let Some(file) = &state.session.journal.file {
        effects.push(Effect::Release(file.clone()));
    }
    effects
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
        effects.extend(super::overlay::switch_to(state, switch));
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
        KeyCode::Esc => {
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
    let last = entries.len().saturating_sub(1);
    let plain = !key.modifiers.contains(KeyModifiers::CONTROL);
    let selected = selected.min(last);
    let keep = |entries, selected| Some(Overlay::Recover { entries, selected });
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => keep(entries, selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => keep(entries, (selected + 1).min(last)),
        KeyCode::Enter | KeyCode::Char('y') if plain && selected < entries.len() => {
            effects.extend(recover(state, entries.swap_remove(selected)));
            None
        }
        KeyCode::Char('d' | 'n') if plain && selected < entries.len() => {
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
        KeyCode::Esc => None,
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
