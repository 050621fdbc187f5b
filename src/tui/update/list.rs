//! Moving in a list (browse, help, problems): one rule for every list's keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Rows a PgUp/PgDn moves.
const PAGE: usize = 10;

/// Where `key` moves the selection of a list of `len` rows, or `None` if it is no move key.
/// `letters`: whether k/j/g/G move too (not while a filter takes typed text).
pub(super) fn moved(key: &KeyEvent, selected: usize, len: usize, letters: bool) -> Option<usize> {
    let last = len.saturating_sub(1);
    let letter = |c: char| {
        letters && key.code == KeyCode::Char(c) && !key.modifiers.contains(KeyModifiers::CONTROL)
    };
    let to = match key.code {
        KeyCode::Up => selected.saturating_sub(1),
        KeyCode::Down => selected + 1,
        KeyCode::Home => 0,
        KeyCode::End => last,
        KeyCode::PageUp => selected.saturating_sub(PAGE),
        KeyCode::PageDown => selected + PAGE,
        _ if letter('k') => selected.saturating_sub(1),
        _ if letter('j') => selected + 1,
        _ if letter('g') => 0,
        _ if letter('G') => last,
        _ => return None,
    };
    Some(to.min(last))
}
