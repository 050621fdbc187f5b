//! Keys in the command palette: typing filters, ↑/↓ choose, Enter runs the chosen action by
//! pressing its key where the palette was opened, Esc (or Ctrl-P again) closes.

use super::super::effect::Effect;
use super::super::state::{CommandPalette, Overlay, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) fn key(state: &mut State, mut palette: CommandPalette, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let count = state.palette_entries(&palette).len();
    let query = &mut palette.query;
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Char('p') if ctrl => return Vec::new(),
        KeyCode::Enter => {
            let chosen = state
                .palette_entries(&palette)
                .into_iter()
                .nth(palette.selected);
            // The palette is closed: the key acts on the screen below, as if typed there.
            if let Some(entry) = chosen {
                return super::keys::key(state, KeyEvent::new(entry.key.code, entry.key.mods));
            }
        }
        KeyCode::Up => palette.selected = palette.selected.saturating_sub(1),
        KeyCode::Down => palette.selected = (palette.selected + 1).min(count.saturating_sub(1)),
        KeyCode::PageUp => palette.selected = palette.selected.saturating_sub(10),
        KeyCode::PageDown => {
            palette.selected = (palette.selected + 10).min(count.saturating_sub(1));
        }
        KeyCode::Char(c) if !ctrl => {
            query.insert(c);
            palette.selected = 0;
        }
        KeyCode::Backspace => {
            query.backspace();
            palette.selected = 0;
        }
        KeyCode::Delete => {
            query.delete();
            palette.selected = 0;
        }
        KeyCode::Left => query.left(),
        KeyCode::Right => query.right(),
        KeyCode::Home => query.home(),
        KeyCode::End => query.end(),
        _ => {}
    }
    state.overlay = Some(Overlay::Palette(palette));
    Vec::new()
}
