//! Pickers: the target, a field's fixed choices, a boolean, a rate's unit. ←/→ step through the
//! choices; a typed letter jumps to the next choice starting with it, as in a GUI list box.

use super::super::effect::Effect;
use super::super::state::{State, Status};
use super::document::edited;
use crate::connector::{FieldKind, FieldSpec};
use serde_json::Value;

/// The next choice after `current` (cyclically) whose first letter is `letter`, ignoring case;
/// typing the same letter again walks through all that start with it.
fn starting_with<S: AsRef<str>>(
    options: &[S],
    current: Option<usize>,
    letter: char,
) -> Option<usize> {
    let len = options.len();
    let first = current.map_or(0, |i| i + 1);
    (0..len).map(|k| (first + k) % len).find(|&i| {
        options[i]
            .as_ref()
            .chars()
            .next()
            .is_some_and(|c| c.to_lowercase().eq(letter.to_lowercase()))
    })
}

/// Whether a letter typed on this field picks one of its choices (on a rate, where digits type
/// the number, other letters are refused as before).
pub(super) fn picks(field: &FieldSpec, letter: char) -> bool {
    match field.kind {
        FieldKind::Choice { options } => starting_with(options, None, letter).is_some(),
        FieldKind::UnitRate { units } => starting_with(units, None, letter).is_some(),
        FieldKind::Bool => starting_with(&["false", "true"], None, letter).is_some(),
        _ => false,
    }
}

fn step_index(current: Option<usize>, len: usize, forward: bool) -> usize {
    match (current, forward) {
        (None, _) => 0,
        (Some(i), true) => (i + 1) % len.max(1),
        (Some(i), false) => (i + len.max(1) - 1) % len.max(1),
    }
}

fn target_index(state: &State) -> Option<usize> {
    state
        .session
        .target
        .names
        .iter()
        .position(|t| *t == state.session.target.picked)
}

/// Switches to the target at `index` and reconnects.
fn switch_target(state: &mut State, index: usize) -> Vec<Effect> {
    let Some(name) = state.session.target.names.get(index).cloned() else {
        return Vec::new();
    };
    if name == state.session.target.picked {
        return Vec::new();
    }
    state.session.target.picked = name;
    state.session.target.status = Status::Connecting { named: true };
    vec![Effect::Connect {
        target: Some(state.session.target.picked.clone()),
    }]
}

/// ←/→ on the target picker.
pub(super) fn step_target(state: &mut State, forward: bool) -> Vec<Effect> {
    let len = state.session.target.names.len();
    if len < 2 {
        state.toast = Some("only the sandbox: add [targets.NAME] to the config for more".into());
        return Vec::new();
    }
    let next = step_index(Some(target_index(state).unwrap_or(0)), len, forward);
    switch_target(state, next)
}

/// A letter typed on the target picker.
pub(super) fn jump_target(state: &mut State, letter: char) -> Vec<Effect> {
    match starting_with(&state.session.target.names, target_index(state), letter) {
        Some(index) => switch_target(state, index),
        None => Vec::new(),
    }
}

/// The choice a field holds now, as an index into `options`.
fn choice_index(state: &State, field: &FieldSpec, options: &[&str]) -> Option<usize> {
    state
        .doc
        .connector
        .text(field.key)
        .or(field.default)
        .and_then(|v| options.iter().position(|o| *o == v))
}

fn set_choice(state: &mut State, field: &'static FieldSpec, value: &str) -> Vec<Effect> {
    state.doc.connector.set(field.key, value.into());
    state.load_form_input();
    edited(state, field.key)
}

/// ←/→ on a field's picker.
pub(super) fn step(state: &mut State, field: &'static FieldSpec, forward: bool) -> Vec<Effect> {
    match field.kind {
        FieldKind::Choice { options } if !options.is_empty() => {
            let next = step_index(choice_index(state, field, options), options.len(), forward);
            set_choice(state, field, options.get(next).copied().unwrap_or_default())
        }
        FieldKind::Bool => {
            let current = state
                .doc
                .connector
                .fields
                .get(field.key)
                .and_then(Value::as_bool);
            let default = field.default == Some("true");
            state
                .doc
                .connector
                .set(field.key, Value::Bool(!current.unwrap_or(default)));
            edited(state, field.key)
        }
        FieldKind::UnitRate { units } => {
            let current = rate_unit(state, field.key, units);
            let next = step_index(current, units.len(), forward);
            set_unit(
                state,
                field.key,
                units.get(next).copied().unwrap_or_default(),
            )
        }
        _ => Vec::new(),
    }
}

/// A letter typed on a field's picker: `p` on a method picks POST, again PUT, then PATCH;
/// `t`/`f` on a boolean; `d`, `h`, `m` on a rate's unit.
pub(super) fn jump(state: &mut State, field: &'static FieldSpec, letter: char) -> Vec<Effect> {
    match field.kind {
        FieldKind::Choice { options } => {
            match starting_with(options, choice_index(state, field, options), letter) {
                Some(i) => set_choice(state, field, options.get(i).copied().unwrap_or_default()),
                None => Vec::new(),
            }
        }
        FieldKind::Bool => {
            let Some(value) = starting_with(&["false", "true"], None, letter) else {
                return Vec::new();
            };
            state.doc.connector.set(field.key, Value::Bool(value == 1));
            edited(state, field.key)
        }
        FieldKind::UnitRate { units } => {
            match starting_with(units, rate_unit(state, field.key, units), letter) {
                Some(i) => set_unit(state, field.key, units.get(i).copied().unwrap_or_default()),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn rate_unit(state: &State, key: &str, units: &[&str]) -> Option<usize> {
    let Some(Value::Object(rate)) = state.doc.connector.fields.get(key) else {
        return None;
    };
    rate.get("unit")
        .and_then(Value::as_str)
        .and_then(|u| units.iter().position(|x| *x == u))
}

/// Sets a rate's unit (the number stays); the number comes first.
fn set_unit(state: &mut State, key: &'static str, unit: &str) -> Vec<Effect> {
    let Some(Value::Object(rate)) = state.doc.connector.fields.get(key) else {
        state.toast = Some("type the number first, then pick the unit".into());
        return Vec::new();
    };
    let mut rate = rate.clone();
    rate.insert("unit".into(), Value::from(unit));
    state.doc.connector.set(key, Value::Object(rate));
    edited(state, key)
}

#[cfg(test)]
mod tests {
    use super::starting_with;

    #[test]
    fn a_letter_walks_the_choices_that_start_with_it() {
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        assert_eq!(starting_with(&methods, Some(0), 'p'), Some(1));
        assert_eq!(starting_with(&methods, Some(1), 'p'), Some(2));
        assert_eq!(starting_with(&methods, Some(3), 'P'), Some(1));
        assert_eq!(starting_with(&methods, None, 'd'), Some(4));
        assert_eq!(starting_with(&methods, Some(4), 'd'), Some(4));
        assert_eq!(starting_with(&methods, Some(0), 'x'), None);
    }
}
