//! Keys in the text editors (the template, the config JSON, the bulk edit): the keymap's
//! editing actions (undo, redo, Tab and Shift-Tab indenting), completion, the editor's own
//! keys, and keeping the cursor in view. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::code_editor::Outcome;
use super::super::state::{CodeEditor, Overlay, State};
use super::super::view;
use super::document::{sync_json, sync_template};
use super::global::global;
use crossterm::event::KeyEvent;

/// The text editors on the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editor {
    Template,
    Json,
}

pub(super) fn template_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    editor_key(state, key, Editor::Template)
}

pub(super) fn json_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    editor_key(state, key, Editor::Json)
}

fn editor_key(state: &mut State, key: KeyEvent, which: Editor) -> Vec<Effect> {
    let action = editor_action(state, &key);
    if let Some(action) = action
        && !is_editing_action(action)
        && let Some(effects) = global(state, action)
    {
        return effects;
    }
    let completion = (which == Editor::Template && action == Some(Action::NextFocus))
        .then(|| state.completion())
        .flatten();
    let editor = match which {
        Editor::Template => &mut state.template,
        Editor::Json => &mut state.json,
    };
    let outcome = match completion
        .as_ref()
        .and_then(|c| Some((&c.word, c.items.first()?)))
    {
        // Tab takes the completion offered, if there is one; else it indents.
        Some((word, name)) => {
            editor.complete_word(word, name);
            Outcome::Edited
        }
        None => editing(editor, action, &key),
    };
    // With nothing of its own to undo (or redo), the editor passes the key to the document's
    // history: a revert or a row edit made elsewhere comes back from here too.
    if let (Outcome::Ignored, Some(action @ (Action::Undo | Action::Redo))) = (&outcome, action) {
        return global(state, action).unwrap_or_default();
    }
    let mut effects = match outcome {
        Outcome::Ignored | Outcome::Moved => return Vec::new(),
        Outcome::Edited | Outcome::Cut(_) => match which {
            Editor::Template => sync_template(state),
            Editor::Json => sync_json(state),
        },
    };
    if let Outcome::Cut(text) = outcome {
        "the cut text".clone_into(&mut state.copy_label);
        effects.push(Effect::CopyToClipboard(text));
    }
    effects
}

/// The keymap's actions that a text editor takes for its own: undo, redo, and Tab and
/// Shift-Tab, which indent there instead of moving the focus (Esc leaves the editor).
pub(super) fn is_editing_action(action: Action) -> bool {
    matches!(
        action,
        Action::Undo | Action::Redo | Action::NextFocus | Action::PrevFocus
    )
}

/// One key in a text editor (the template, the config JSON, the bulk edit): the editing
/// actions of the keymap, else the editor's own keys.
pub(super) fn editing(editor: &mut CodeEditor, action: Option<Action>, key: &KeyEvent) -> Outcome {
    let done = |changed: bool| {
        if changed {
            Outcome::Edited
        } else {
            Outcome::Ignored
        }
    };
    match action {
        Some(Action::Undo) => done(editor.undo()),
        Some(Action::Redo) => done(editor.redo()),
        Some(Action::NextFocus) => {
            editor.indent();
            Outcome::Edited
        }
        Some(Action::PrevFocus) => {
            editor.outdent();
            Outcome::Edited
        }
        _ => editor.input(key),
    }
}

/// Keeps the cursor of the editor on screen in view (after any message: a key, a paste, a
/// resize), so the next frame scrolls only as far as it must.
pub(super) fn follow_editor(state: &mut State) {
    let Some(rect) = view::editor_rect(state) else {
        return;
    };
    let (template, json) = (state.on_template_tab(), state.on_json_tab());
    let editor = match &mut state.overlay {
        Some(Overlay::Bulk { area, .. }) => &mut **area,
        None if template => &mut state.template,
        None if json => &mut state.json,
        _ => return,
    };
    editor.follow(rect.height, rect.width);
}

/// The action a key means in a text editor. Agent Stack's connection keys (Ctrl-K, Ctrl-D,
/// Ctrl-L) mean nothing for vendors without a connection, so there they stay the text area's
/// own editing keys (delete to the end of the line, ...).
fn editor_action(state: &State, key: &KeyEvent) -> Option<Action> {
    let action = state.keymap.lookup(Context::Template, key)?;
    let link_key = matches!(
        action,
        Action::Connect | Action::Disconnect | Action::CopyLink
    );
    if link_key && !crate::tui::state::has_link_state(state.doc.connector.vendor) {
        return None;
    }
    Some(action)
}
