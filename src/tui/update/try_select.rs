//! The `--select` prompt: `JSONPath` expressions (`;` between several) parsed by the parser
//! `patchcord try --select` uses. The try-it view marks what they match and lists it above
//! the body; a rows run shows a column each. The session remembers them. An expression that
//! does not parse shows the parser's message in the prompt and changes nothing.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{LineInput, Overlay, State};
use super::overlay::edit_line;
use crate::connector::rows;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Whether a key on a try-it view or a rows run is one of this feature's: `s` (or the
/// `try_select` key) selects; on the try-it view `t` (or `try_rows`) opens the rows table.
pub(super) fn claims(state: &State, view: &Overlay, key: &KeyEvent) -> bool {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let action = state.keymap.lookup(Context::Results, key);
    let select = (plain && key.code == KeyCode::Char('s')) || action == Some(Action::TrySelect);
    let table = (plain && key.code == KeyCode::Char('t')) || action == Some(Action::TryRows);
    match view {
        Overlay::FireResult { .. } => select || table,
        Overlay::Rows(run) => select && !run.open,
        _ => false,
    }
}

/// A key `claims` took, on `view`.
pub(super) fn on_view(state: &mut State, view: Overlay, key: &KeyEvent) -> Vec<Effect> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let table = (plain && key.code == KeyCode::Char('t'))
        || state.keymap.lookup(Context::Results, key) == Some(Action::TryRows);
    if table && matches!(view, Overlay::FireResult { .. }) {
        return super::rows_table::open(state);
    }
    state.overlay = Some(state.tries.prompt(Some(Box::new(view))));
    Vec::new()
}

/// `try_select` or `try_rows` from the main screen: the prompt (returning to the screen) or
/// the rows table.
pub(super) fn from_main(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = super::commit_form(state);
    if action == Action::TryRows {
        effects.extend(super::rows_table::open(state));
    } else {
        state.overlay = Some(state.tries.prompt(None));
    }
    effects
}

/// A key in the prompt: Enter applies the expressions (none clears them), Esc goes back
/// unchanged, other keys edit.
pub(super) fn key(
    state: &mut State,
    mut input: LineInput,
    error: Option<String>,
    back: Option<Box<Overlay>>,
    key: &KeyEvent,
) -> Option<Overlay> {
    match key.code {
        KeyCode::Esc => back.map(|b| *b),
        KeyCode::Enter => match rows::parse_selects(&input.text) {
            Ok(selects) => {
                state.toast = Some(if selects.is_empty() {
                    "no selects".to_owned()
                } else {
                    format!("selecting {}", input.text.trim())
                });
                state.tries.selects = selects;
                back.map(|b| *b)
            }
            Err(message) => Some(Overlay::TrySelect {
                input,
                error: Some(message),
                back,
            }),
        },
        _ => {
            // The message stays until the text changes.
            let error = if edit_line(&mut input, key) {
                None
            } else {
                error
            };
            Some(Overlay::TrySelect { input, error, back })
        }
    }
}
