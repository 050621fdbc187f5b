//! Keys in the problems list: the list keys (`list::moved`) choose, Enter goes to the chosen
//! problem's field, Esc closes.

use super::super::effect::Effect;
use super::super::state::{Overlay, State};
use crossterm::event::{KeyCode, KeyEvent};

pub(super) fn key(state: &mut State, selected: usize, key: KeyEvent) -> Vec<Effect> {
    let problems = state.problems();
    let selected = match key.code {
        _ if let Some(to) = super::list::moved(&key, selected, problems.len(), true) => to,
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
