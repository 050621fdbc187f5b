//! The one-line prompts (save as, connect, the import prompts) and every one-line input: the
//! keymap's `Prompt` rows say what Enter and Esc do; the other keys edit the line.

use super::super::keymap::{Action, Context};
use super::super::state::{LineInput, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key in a prompt asks for: `Confirm` (Enter), `Back` (Esc), or `None` when it is
/// text or a line-editing key (characters typed are always text).
pub(super) fn action(state: &State, key: &KeyEvent) -> Option<Action> {
    state
        .keymap
        .command(Context::Prompt, key)
        .filter(|a| matches!(a, Action::Confirm | Action::Back))
}

/// Edits a one-line input with a key (characters, Backspace, Delete, ←/→, Home, End);
/// whether the key was one of those.
pub(super) fn edit_line(input: &mut LineInput, key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => return false,
    }
    true
}
