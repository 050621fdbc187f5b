//! Keys in the problems list: the list keys choose, Enter goes to the chosen problem's field,
//! Esc (or the problems key again) closes.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{Overlay, State};
use crossterm::event::KeyEvent;

pub(super) fn key(state: &mut State, selected: usize, key: &KeyEvent) -> Vec<Effect> {
    let problems = state.problems();
    let action = super::list::action(state, key, false);
    let again = state.keymap.lookup(Context::Global, key) == Some(Action::Problems);
    let selected = match action {
        _ if let Some(to) = super::list::moved(action, selected, problems.len()) => to,
        Some(Action::Confirm) => {
            let Some(goto) = problems.get(selected).and_then(|p| p.goto) else {
                return Vec::new();
            };
            let focus = state.go_to(goto);
            return state.set_focus(focus);
        }
        Some(Action::Back) => return Vec::new(),
        _ if again => return Vec::new(),
        _ => selected,
    };
    state.overlay = Some(Overlay::Problems { selected });
    Vec::new()
}
