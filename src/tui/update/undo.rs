//! Undo, redo and revert to saved, over the document history kept in the state
//! (`state/history.rs`). Each says in the status bar what it did.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::State;
use super::document::commit_form;
use super::journal;

/// Ctrl-U: the last step back (what is being typed is committed first, so it is that step).
pub(super) fn undo(state: &mut State) -> Vec<Effect> {
    let mut effects = commit_form(state);
    let redo = state.keymap.keys_for(Context::Global, Action::Redo);
    state.toast = Some(match state.undo() {
        Some(what) => format!("undid: {what} ({redo} redoes)"),
        None => "nothing to undo".to_owned(),
    });
    effects.extend(settle(state));
    effects
}

/// Alt-U: the last undone step again.
pub(super) fn redo(state: &mut State) -> Vec<Effect> {
    let mut effects = commit_form(state);
    state.toast = Some(match state.redo() {
        Some(what) => format!("redid: {what}"),
        None => "nothing to redo".to_owned(),
    });
    effects.extend(settle(state));
    effects
}

/// Alt-R: the connector as last opened or saved; undo brings the edits back.
pub(super) fn revert(state: &mut State) -> Vec<Effect> {
    let mut effects = commit_form(state);
    let undo = state.keymap.keys_for(Context::Global, Action::Undo);
    state.toast = Some(match state.revert_to_saved() {
        Some(()) => format!("reverted to saved ({undo} brings your edits back)"),
        None => "nothing to revert: this is the saved connector".to_owned(),
    });
    effects.extend(settle(state));
    effects
}

/// After the document changed under the user: unsaved unless it is the saved one again; the
/// journal follows.
fn settle(state: &mut State) -> Vec<Effect> {
    state.doc.dirty = state.differs_from_saved();
    state.server_errors.clear();
    journal::sync_journal(state)
}
