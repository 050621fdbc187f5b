//! The `--select` prompt: `JSONPath` expressions (`;` between several) parsed by the parser
//! `patchcord try --select` uses. The try-it view marks what they match and lists it above
//! the body; a rows run shows a column each. The session remembers them. An expression that
//! does not parse shows the parser's message in the prompt and changes nothing.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{LineInput, Overlay, State};
use super::prompt;
use crate::connector::rows;
use crossterm::event::KeyEvent;

/// What a key on a try-it view or a rows run asks for: the `try_select` key (`s`) the
/// prompt, the `try_rows` key (`t`) the rows table.
fn asked(state: &State, key: &KeyEvent) -> Option<Action> {
    match state.keymap.lookup(Context::Results, key) {
        Some(action @ (Action::TrySelect | Action::TryRows)) => Some(action),
        _ => None,
    }
}

/// Whether a key on `view` is one of this feature's: both on the try-it view, the prompt on
/// a rows run's table.
pub(super) fn claims(state: &State, view: &Overlay, key: &KeyEvent) -> bool {
    match (view, asked(state, key)) {
        (Overlay::FireResult { .. }, Some(_)) => true,
        (Overlay::Rows(run), Some(Action::TrySelect)) => !run.open,
        _ => false,
    }
}

/// A key `claims` took, on `view`.
pub(super) fn on_view(state: &mut State, view: Overlay, key: &KeyEvent) -> Vec<Effect> {
    if asked(state, key) == Some(Action::TryRows) {
        return super::rows_table::open(state);
    }
    state.overlay = Some(state.tries.prompt(Some(Box::new(view))));
    Vec::new()
}

/// `try_select` or `try_rows` from the main screen: the prompt (returning to the screen) or
/// the rows table.
pub(super) fn from_main(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = super::document::commit_form(state);
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
    match prompt::action(state, key) {
        Some(Action::Back) => back.map(|b| *b),
        Some(Action::Confirm) => match rows::parse_selects(&input.text) {
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
            let error = if prompt::edit_line(&mut input, key) {
                None
            } else {
                error
            };
            Some(Overlay::TrySelect { input, error, back })
        }
    }
}
