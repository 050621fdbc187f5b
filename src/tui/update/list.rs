//! Moving in a list (browse, help, problems, the other pickers) and scrolling a text overlay:
//! one rule for every list's keys, read from the keymap's `Lists` rows.

use super::super::keymap::{Action, Context};
use super::super::state::State;
use crossterm::event::KeyEvent;

/// Rows a page key moves.
const PAGE: usize = 10;

/// The list action of a key. `filtering`: a filter takes typed text, so characters are no
/// actions (k/j/g/G type).
pub(super) fn action(state: &State, key: &KeyEvent, filtering: bool) -> Option<Action> {
    if filtering {
        state.keymap.command(Context::Lists, key)
    } else {
        state.keymap.lookup(Context::Lists, key)
    }
}

/// Where a list action moves the selection of a list of `len` rows, or `None` if it is no move.
pub(super) fn moved(action: Option<Action>, selected: usize, len: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    let to = match action? {
        Action::Up => selected.saturating_sub(1),
        Action::Down => selected + 1,
        Action::First => 0,
        Action::Last => last,
        Action::PageUp => selected.saturating_sub(PAGE),
        Action::PageDown => selected + PAGE,
        _ => return None,
    };
    Some(to.min(last))
}

/// Where a scroll action (a line up or down, or a page) takes a text's scroll, or `None` if
/// it is no scroll.
pub(super) fn scrolled(action: Option<Action>, scroll: u16) -> Option<u16> {
    let page = u16::try_from(PAGE).unwrap_or(u16::MAX);
    Some(match action? {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1),
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => scroll.saturating_add(page),
        _ => return None,
    })
}
