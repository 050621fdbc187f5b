//! Keys in the problems list: ↑/↓ (k/j) choose, Home/End (g/G) jump, Enter goes to the chosen
//! problem's field, Esc closes.

use super::super::effect::Effect;
use super::super::state::{Overlay, State};
use crossterm::event::{KeyCode, KeyEvent};

pub(super) fn key(state: &mut State, selected: usize, key: KeyEvent) -> Vec<Effect> {
    let problems = state.problems();
    let last = problems.len().saturating_sub(1);
    let selected = match key.code {
        KeyCode::Up | KeyCode::Char('k') => selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => (selected + 1).min(last),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => last,
        KeyCode::PageUp => selected.saturating_sub(10),
        KeyCode::PageDown => (selected + 10).min(last),
        KeyCode::Enter => {
            let Some(goto) = problems.get(selected).and_then(|p| p.goto) else {
                return Vec::new();
            };
            let focus = state.go_to(goto);
            return state.set_focus(focus);
        }
        KeyCode::Esc | KeyCode::F(3) => return Vec::new(),
        _ => selected,
    };
    state.overlay = Some(Overlay::Problems { selected });
    Vec::new()
}
