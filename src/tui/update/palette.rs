//! Keys in the command palette: typing filters, the list keys choose, Enter runs the chosen
//! action by pressing its key where the palette was opened, Esc (or the palette key again)
//! closes.

use super::super::keymap::{Action, Context};
use super::super::state::{Overlay, State};
use crossterm::event::KeyEvent;

/// A key in the open palette; the key to run on the screen below when Enter chose an entry
/// (the palette is closed then).
pub(super) fn key(state: &mut State, key: &KeyEvent) -> Option<KeyEvent> {
    let Some(Overlay::Palette(mut palette)) = state.overlay.take() else {
        return None;
    };
    let count = state.palette_entries(&palette).len();
    let action = super::list::action(state, key, true);
    if state.keymap.lookup(Context::Global, key) == Some(Action::Palette) {
        return None;
    }
    match action {
        Some(Action::Back) => return None,
        Some(Action::Confirm) => {
            let chosen = state
                .palette_entries(&palette)
                .into_iter()
                .nth(palette.selected);
            if let Some(entry) = chosen {
                return Some(KeyEvent::new(entry.key.code, entry.key.mods));
            }
        }
        _ => {
            // Home and End move the query's cursor here, not the selection.
            let action = action.filter(|a| !matches!(a, Action::First | Action::Last));
            if let Some(to) = super::list::moved(action, palette.selected, count) {
                palette.selected = to;
            } else {
                let before = palette.query.text.clone();
                super::prompt::edit_line(&mut palette.query, key);
                if palette.query.text != before {
                    palette.selected = 0;
                }
            }
        }
    }
    state.overlay = Some(Overlay::Palette(palette));
    None
}
