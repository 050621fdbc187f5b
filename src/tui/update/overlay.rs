//! Keys while an overlay is open (help, review, results, questions, prompts, the bulk
//! editor). What a key means comes from the keymap's row for the overlay's context; the
//! letters that answer a question are the letters it prints. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context, Key};
use super::super::state::code_editor::{CodeEditor, Outcome};
use super::super::state::{LineInput, Overlay, State, Switch};
use super::prompt::edit_line;
use crate::connector::NameValue;
use crossterm::event::KeyEvent;
use std::path::PathBuf;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // The overlay's typed text before the key, so the journal can follow what it changes.
    let draft = super::journal::draft(state);
    let Some(overlay) = state.overlay.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let next = match overlay {
        Overlay::Browse(browse) => return super::browse::key(state, browse, &key),
        Overlay::Problems { selected } => return super::problems::key(state, selected, &key),
        // The prompts set the overlay themselves; the journal follows their text below.
        prompt @ (Overlay::ConnectAsk { .. }
        | Overlay::ImportCurl { .. }
        | Overlay::SpecPath { .. }
        | Overlay::Operations(_)) => {
            effects.extend(prompt_key(state, prompt, &key));
            None
        }
        Overlay::ConfirmDelete {
            browse,
            label,
            typed,
        } => {
            let (next, done) = super::browse::confirm_delete_key(state, browse, label, typed, &key);
            effects.extend(done);
            next
        }
        Overlay::Help { scroll, filter } => help_key(state, scroll, filter, &key),
        review @ Overlay::Review { .. } => review_key(state, review, &key, &mut effects),
        Overlay::AdoptAsk { id, target } => adopt_key(state, id, target, &key, &mut effects),
        busy @ (Overlay::Sending { .. } | Overlay::Firing { .. } | Overlay::Linking { .. }) => {
            busy_key(state, busy, &key, &mut effects)
        }
        view @ (Overlay::FireResult { .. } | Overlay::Rows(_))
            if super::try_select::claims(state, &view, &key) =>
        {
            effects.extend(super::try_select::on_view(state, view, &key));
            None
        }
        Overlay::TrySelect { input, error, back } => {
            super::try_select::key(state, input, error, back, &key)
        }
        Overlay::RowsTable(table) => super::rows_table::key(state, table, &key, &mut effects),
        results @ (Overlay::Response { .. } | Overlay::FireResult { .. }) => {
            results_key(state, results, &key, &mut effects)
        }
        Overlay::Rows(run) => super::rows_run::key(state, run, key.code, &mut effects),
        Overlay::Tries { runs, selected } => tries_key(state, runs, selected, &key, &mut effects),
        Overlay::SubmitError { gone, .. } => submit_error_key(state, gone, &key, &mut effects),
        Overlay::Message { .. } => None,
        Overlay::ConfirmQuit => confirm_quit_key(state, &key, &mut effects),
        Overlay::ConfirmSwitch(switch) => confirm_switch_key(state, switch, &key, &mut effects),
        Overlay::Recover { entries, selected } => {
            super::session::recover_key(state, entries, selected, key, &mut effects)
        }
        Overlay::ChangedOnDisk { path } => {
            super::session::changed_key(state, path, key, &mut effects)
        }
        Overlay::Bulk { key: field, area } => bulk_key(state, field, area, &key, &mut effects),
        Overlay::SaveAs { input } => save_as_key(state, input, &key, &mut effects),
        // The palette's keys are dispatched before the overlays (they run keys themselves).
        palette @ Overlay::Palette(_) => Some(palette),
    };
    // A key handler may have opened a new overlay (save-as from the quit prompt); keep it.
    if state.overlay.is_none() {
        state.overlay = next;
    }
    effects.extend(super::journal::after_overlay_key(state, draft.as_ref()));
    effects
}

/// A refused submit: any key closes it; when the connector was deleted on the target, the
/// create-again key forgets its id there and reviews it as a new one.
fn submit_error_key(
    state: &mut State,
    gone: Option<(crate::connector::TargetRef, String)>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let again = state.keymap.lookup(Context::Review, key) == Some(Action::CreateAgain);
    if let Some((target, id)) = gone.filter(|_| again) {
        state.doc.connector.forget_remote_id(&target);
        effects.extend(super::document::edited(state, ""));
        state.toast = Some(format!(
            "forgot connector {id}: confirming creates a new one on {}",
            target.name
        ));
        super::submit::open_review(state, target);
    }
    None
}

/// The prompts that keep their overlay themselves: connect, and the import prompts.
fn prompt_key(state: &mut State, prompt: Overlay, key: &KeyEvent) -> Vec<Effect> {
    match prompt {
        Overlay::ConnectAsk { input } => super::link::ask_key(state, input, key),
        Overlay::ImportCurl { input } => super::browse_import::curl_key(state, input, key),
        Overlay::SpecPath {
            input,
            loading,
            filter,
            ..
        } => super::browse_import::spec_key(state, input, loading, filter, key),
        Overlay::Operations(pick) => super::browse_import::operations_key(state, pick, key),
        other => {
            state.overlay = Some(other);
            Vec::new()
        }
    }
}

/// The help overlay's keys: the list keys scroll, the filter key starts a filter, Esc clears
/// it, then closes; any other key closes help, as before it filtered.
fn help_key(
    state: &State,
    scroll: u16,
    mut filter: Option<LineInput>,
    key: &KeyEvent,
) -> Option<Overlay> {
    let query = filter.as_ref().map_or("", |f| f.text.as_str());
    // One line per key row, plus each section's heading and the blank after it.
    let lines: usize = (state.keymap.help_matching(query).iter())
        .map(|(_, rows)| rows.len() + 2)
        .sum();
    let action = super::list::action(state, key, filter.is_some());
    let scroll = if let Some(to) = super::list::moved(action, usize::from(scroll), lines) {
        u16::try_from(to).unwrap_or(u16::MAX)
    } else {
        match (action, filter.as_mut()) {
            (Some(Action::Back), Some(_)) => {
                filter = None;
                0
            }
            (Some(Action::Filter), None) => {
                filter = Some(LineInput::default());
                0
            }
            (_, Some(input)) => {
                edit_line(input, key);
                0
            }
            (_, None) => return None,
        }
    };
    Some(Overlay::Help { scroll, filter })
}

/// The review's keys. Confirm sends, except on a LIVE target until its name is typed: there
/// characters go to the name, so neither a stray Enter nor a stray `y` sends anything. The
/// sandbox sends on Enter; `n`, `q` and Esc go back.
fn review_key(
    state: &mut State,
    review: Overlay,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let Overlay::Review {
        method,
        path,
        body,
        blocked,
        recreate,
        mut scroll,
        target,
        mut typed,
    } = review
    else {
        return Some(review);
    };
    let sandbox = typed.is_none();
    let action = if sandbox {
        state.keymap.lookup(Context::Review, key)
    } else {
        state.keymap.command(Context::Review, key)
    };
    let answer = |c: char| sandbox && Key::answers(key, c);
    if action == Some(Action::Confirm) && blocked.is_empty() {
        if typed.as_ref().is_none_or(|t| t.text == target.name) {
            let request = state.new_request();
            effects.push(Effect::Submit {
                request,
                target: target.clone(),
                connector: Box::new(state.doc.connector.clone()),
                recreate: recreate.is_some(),
            });
            return Some(Overlay::Sending { request, target });
        }
        state.toast = Some(format!(
            "LIVE target: type {} to send, {} to go back",
            target.name,
            state.keymap.key(Context::Review, "Esc")
        ));
    } else if action == Some(Action::Back) || answer('n') || answer('q') {
        return None;
    } else if !typed.as_mut().is_some_and(|input| edit_line(input, key)) {
        scroll = super::list::scrolled(action, scroll).unwrap_or(scroll);
    }
    Some(Overlay::Review {
        method,
        path,
        body,
        blocked,
        recreate,
        scroll,
        target,
        typed,
    })
}

/// An id recorded without a target: yes, it is this target's; no, create a new one here.
fn adopt_key(
    state: &mut State,
    id: String,
    target: crate::connector::TargetRef,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    match state.keymap.lookup(Context::Review, key) {
        Some(Action::AdoptId) => {
            state.doc.connector.adopt_legacy_id(&target);
            effects.extend(super::document::edited(state, ""));
            state.toast = Some(format!("id {id} is now {}'s", target.name));
            super::submit::open_review(state, target);
            None
        }
        Some(Action::CreateNew) => {
            super::submit::open_review(state, target);
            None
        }
        Some(Action::Back) => None,
        _ => Some(Overlay::AdoptAsk { id, target }),
    }
}

/// A request in flight: the back key cancels it.
fn busy_key(
    state: &mut State,
    busy: Overlay,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    if state.keymap.lookup(Context::Global, key) != Some(Action::Back) {
        return Some(busy);
    }
    let (Overlay::Sending { request, .. }
    | Overlay::Firing { request, .. }
    | Overlay::Linking { request, .. }) = busy
    else {
        return Some(busy);
    };
    effects.push(Effect::Cancel(request));
    state.toast = Some(if matches!(busy, Overlay::Linking { .. }) {
        "cancelled (the server may still finish it)".into()
    } else {
        "cancelled".into()
    });
    None
}

/// What try-it and a submit got back: the scroll keys scroll; in try-it's results `y` copies
/// the request as curl, `r` runs the rows file, `h` lists the past tries; other keys close.
fn results_key(
    state: &mut State,
    results: Overlay,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let action = state.keymap.lookup(Context::Results, key);
    match results {
        Overlay::Response {
            created,
            stored,
            changes,
            scroll,
        } => Some(Overlay::Response {
            scroll: super::list::scrolled(action, scroll)?,
            created,
            stored,
            changes,
        }),
        Overlay::FireResult {
            fire,
            response,
            scroll,
        } => {
            if let Some(scroll) = super::list::scrolled(action, scroll) {
                return Some(Overlay::FireResult {
                    fire,
                    response,
                    scroll,
                });
            }
            if action == Some(Action::CopyCurl) {
                state.copy_label = if state.reveal {
                    "the fired request as curl".to_owned()
                } else {
                    let reveal = state.keymap.key(Context::Table, "v");
                    format!("the fired request as curl (secrets masked; {reveal} reveals)")
                };
                let curl = crate::api::fire::curl(&fire, state.reveal);
                effects.push(Effect::CopyToClipboard(curl));
            } else if Key::answers(key, 'r') {
                effects.extend(super::rows_run::start(state));
            } else if Key::answers(key, 'h') {
                effects.push(Effect::ListTries(state.doc.file.clone()));
                return Some(Overlay::Tries {
                    runs: None,
                    selected: 0,
                });
            } else {
                return None;
            }
            Some(Overlay::FireResult {
                fire,
                response,
                scroll,
            })
        }
        other => Some(other),
    }
}

/// The past tries: the list keys choose, Enter opens one; other keys close.
fn tries_key(
    state: &State,
    runs: Option<Result<Vec<crate::history::Run>, String>>,
    selected: usize,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let count = runs
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .map_or(0, Vec::len);
    let action = super::list::action(state, key, false);
    if let Some(selected) = super::list::moved(action, selected, count) {
        return Some(Overlay::Tries { runs, selected });
    }
    if action != Some(Action::Confirm) {
        return None;
    }
    if let Some(Ok(list)) = &runs
        && let Some(run) = list.get(selected)
    {
        effects.push(Effect::OpenTry(run.id));
    }
    Some(Overlay::Tries { runs, selected })
}

/// Unsaved changes before a quit: save first (the quit waits for the save), discard, stay,
/// or quit now (the journal keeps the edits).
fn confirm_quit_key(
    state: &mut State,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    match state.keymap.lookup(Context::Unsaved, key) {
        Some(Action::Save) => {
            state.quit_pending = true;
            effects.extend(super::session::save(state));
            // A new connector asks where to save; the quit waits for that save.
            state.overlay.take()
        }
        Some(Action::Discard) => {
            // Nothing is kept: the exit removes the record rather than writing it again.
            state.quit = true;
            state.doc.dirty = false;
            state.drafted = false;
            effects.extend(super::journal::sync_journal(state));
            None
        }
        Some(Action::Quit) => {
            state.quit = true;
            None
        }
        Some(Action::Back) => None,
        _ => Some(Overlay::ConfirmQuit),
    }
}

/// Unsaved changes before opening another connector: save first, discard, or stay.
fn confirm_switch_key(
    state: &mut State,
    switch: Switch,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    match state.keymap.lookup(Context::Unsaved, key) {
        Some(Action::Save) => {
            // A new connector asks where to save; the switch waits for that save.
            state.switch_pending = Some(switch);
            effects.extend(super::session::save(state));
            state.overlay.take()
        }
        Some(Action::Discard) => {
            // The journal of the discarded edits goes with them once the other connector
            // is open (`opened`); if it cannot be opened, nothing was lost.
            effects.extend(super::session::switch_to(state, switch));
            state.overlay.take()
        }
        Some(Action::Back) => None,
        _ => Some(Overlay::ConfirmSwitch(switch)),
    }
}

/// The bulk editor: the apply key writes the lines as the table's rows, Esc cancels, other
/// keys edit the text.
fn bulk_key(
    state: &mut State,
    field: &'static str,
    mut area: Box<CodeEditor>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let action = state.keymap.lookup(Context::Bulk, key);
    match action {
        Some(Action::Save) => {
            let rows = parse_bulk(&area.text());
            if let Some(slot) = state.rows.get_mut(state.tab) {
                *slot = 0;
            }
            effects.extend(super::document::set_rows(state, field, &rows));
            state.toast = Some(format!("{} rows applied", rows.len()));
            None
        }
        Some(Action::Back) => None,
        _ => {
            // The editor's own editing actions (indenting Tab) come from the template's rows.
            let action = action.or_else(|| state.keymap.lookup(Context::Template, key));
            let action = action.filter(|a| super::editor::is_editing_action(*a));
            if let Outcome::Cut(text) = super::editor::editing(&mut area, action, key) {
                "the cut text".clone_into(&mut state.copy_label);
                effects.push(Effect::CopyToClipboard(text));
            }
            Some(Overlay::Bulk { key: field, area })
        }
    }
}

/// Save as: Enter saves to the typed path, Esc cancels (and a quit or switch waiting for it).
fn save_as_key(
    state: &mut State,
    mut input: LineInput,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    match super::prompt::action(state, key) {
        Some(Action::Back) => {
            state.quit_pending = false;
            state.switch_pending = None;
            None
        }
        Some(Action::Confirm) if !input.text.trim().is_empty() => {
            let path = PathBuf::from(input.text.trim());
            effects.push(Effect::Save {
                base: super::session::base_for(state, &path),
                path,
                connector: Box::new(state.doc.connector.clone()),
                samples: state.doc.samples.clone(),
            });
            None
        }
        _ => {
            edit_line(&mut input, key);
            Some(Overlay::SaveAs { input })
        }
    }
}

/// Parses bulk-edit text: one `name: value` per line; a line without a colon is a name with an
/// empty value (an input slot); blank lines are skipped.
pub fn parse_bulk(text: &str) -> Vec<NameValue> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) => NameValue::new(name.trim(), value.trim_start()),
            None => NameValue::slot(line.trim()),
        })
        .collect()
}
