//! Keys in the form: the target picker and the connector's fields (text, numbers, pickers,
//! a rate's number and unit). Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{Focus, Overlay, State, form_fields};
use super::document::commit_form;
use super::global::global;
use super::picker;
use crate::connector::FieldKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn has_ctrl_or_alt(key: &KeyEvent) -> bool {
    key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The target picker: ←/→ switch targets (reconnecting), ↑/↓ move on.
pub(super) fn target_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = state.keymap.lookup(Context::Form, &key);
    match action {
        Some(Action::PickPrev | Action::PickNext) => {
            picker::step_target(state, action == Some(Action::PickNext))
        }
        Some(Action::Down) => state.set_focus(Focus::Field(0)),
        Some(Action::Up) => Vec::new(),
        Some(other) => global(state, other).unwrap_or_default(),
        None if key.code == KeyCode::Char('?') => {
            state.overlay = Some(Overlay::Help {
                scroll: 0,
                filter: None,
            });
            Vec::new()
        }
        None => match key.code {
            KeyCode::Char(c) if !has_ctrl_or_alt(&key) => picker::jump_target(state, c),
            _ => Vec::new(),
        },
    }
}

pub(super) fn form_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(field) = state.focused_field() else {
        return Vec::new();
    };
    let textual = !matches!(field.kind, FieldKind::Choice { .. } | FieldKind::Bool);
    let edits = matches!(
        key.code,
        KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
    );
    if state.read_only(field) && edits && !has_ctrl_or_alt(&key) {
        state.toast = Some(format!(
            "{} is fixed once created (the update cannot change it)",
            field.label
        ));
        return Vec::new();
    }
    // A rate's ←/→ pick its unit; its number is typed.
    let unit_rate = matches!(field.kind, FieldKind::UnitRate { .. });
    if unit_rate && matches!(key.code, KeyCode::Left | KeyCode::Right) {
        return form_action(state, key, field);
    }
    if textual && !has_ctrl_or_alt(&key) {
        let input = &mut state.form_input;
        let handled = match key.code {
            KeyCode::Char(c) if unit_rate && picker::picks(field, c) => {
                return picker::jump(state, field, c);
            }
            KeyCode::Char(c) => {
                if (matches!(field.kind, FieldKind::Integer { .. }) || unit_rate)
                    && !c.is_ascii_digit()
                {
                    state.toast = Some(format!("{}: digits only", field.label));
                    return Vec::new();
                }
                input.insert(c);
                true
            }
            KeyCode::Backspace => {
                input.backspace();
                true
            }
            KeyCode::Delete => {
                input.delete();
                true
            }
            KeyCode::Left => {
                input.left();
                false
            }
            KeyCode::Right => {
                input.right();
                false
            }
            KeyCode::Home => {
                input.home();
                false
            }
            KeyCode::End => {
                input.end();
                false
            }
            _ => return form_action(state, key, field),
        };
        return if handled {
            commit_form(state)
        } else {
            Vec::new()
        };
    }
    form_action(state, key, field)
}

fn form_action(
    state: &mut State,
    key: KeyEvent,
    field: &'static crate::connector::FieldSpec,
) -> Vec<Effect> {
    let Some(action) = state.keymap.lookup(Context::Form, &key) else {
        return match key.code {
            KeyCode::Char('?') => {
                state.overlay = Some(Overlay::Help {
                    scroll: 0,
                    filter: None,
                });
                Vec::new()
            }
            // A picker jumps to the first choice starting with the letter typed.
            KeyCode::Char(c) if !has_ctrl_or_alt(&key) => picker::jump(state, field, c),
            _ => Vec::new(),
        };
    };
    let Focus::Field(index) = state.focus else {
        return Vec::new();
    };
    match action {
        Action::Up if index == 0 => state.set_focus(Focus::Target),
        Action::Up => state.set_focus(Focus::Field(index - 1)),
        Action::Down => {
            let last = form_fields(state.doc.connector.vendor)
                .len()
                .saturating_sub(1);
            let next = if index >= last {
                Focus::Panel
            } else {
                Focus::Field(index + 1)
            };
            state.set_focus(next)
        }
        Action::PickPrev | Action::PickNext => {
            picker::step(state, field, action == Action::PickNext)
        }
        other => global(state, other).unwrap_or_default(),
    }
}
