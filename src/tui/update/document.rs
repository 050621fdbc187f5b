//! Writing edits into the document: the focused field's input, a table's rows, the template
//! and the config JSON, each followed by the same bookkeeping ([`edited`]). Pure, like all of
//! `update`.

use super::super::effect::Effect;
use super::super::state::State;
use crate::connector::{FieldKind, NameValue};
use serde_json::Value;

/// After any edit: mark unsaved, forget server notes on the field, re-validate, journal.
pub(super) fn edited(state: &mut State, key: &str) -> Vec<Effect> {
    state.record_edit(key);
    state.doc.dirty = true;
    state.server_errors.retain(|(p, _)| p.field() != Some(key));
    state.changes.retain(|c| c.key != key);
    state.refresh();
    super::journal::sync_journal(state)
}

/// Writes the template text into the connector; an empty template becomes `null`, so the body
/// list is used again.
pub(super) fn set_template(state: &mut State, text: String) {
    let Some(key) = state.doc.connector.spec().template_field else {
        return;
    };
    // Taken by value: a keystroke in a big template copies its text once, not twice.
    let value = if text.trim().is_empty() {
        Value::Null
    } else {
        Value::String(text)
    };
    state.doc.connector.set(key, value);
}

/// Writes the focused form field's input into the connector.
pub(super) fn commit_form(state: &mut State) -> Vec<Effect> {
    let Some(field) = state.focused_field() else {
        return Vec::new();
    };
    // Pickers write their choice directly; they have no text to commit.
    if matches!(field.kind, FieldKind::Choice { .. } | FieldKind::Bool) {
        return Vec::new();
    }
    let text = state.form_input.text.clone();
    let value = match field.kind {
        FieldKind::Integer { .. } if text.is_empty() => Value::Null,
        FieldKind::Integer { .. } => match text.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Vec::new(),
        },
        // A rate: the typed number with the unit already picked (else the finest unit); no
        // number removes the field.
        FieldKind::UnitRate { units } => {
            if text.is_empty() {
                return match state.doc.connector.fields.shift_remove(field.key) {
                    Some(_) => edited(state, field.key),
                    None => Vec::new(),
                };
            }
            let Ok(max) = text.parse::<u64>() else {
                return Vec::new();
            };
            let unit = state
                .rate_unit(field.key)
                .or_else(|| units.last().copied())
                .unwrap_or_default()
                .to_owned();
            serde_json::json!({"unit": unit, "max": max})
        }
        // Edited on its own tab (`sync_json`); never a form row.
        FieldKind::JsonObject => return Vec::new(),
        _ => Value::String(text),
    };
    if state.doc.connector.fields.get(field.key) == Some(&value) {
        return Vec::new();
    }
    if value.is_null() && !state.doc.connector.fields.contains_key(field.key) {
        return Vec::new();
    }
    state.doc.connector.set(field.key, value);
    edited(state, field.key)
}

/// Replaces a name-value list (or a string map, for vendors that keep pairs in an object)
/// and records the edit.
pub(super) fn set_rows(state: &mut State, key: &str, rows: &[NameValue]) -> Vec<Effect> {
    let is_map = state
        .doc
        .connector
        .spec()
        .field(key)
        .is_some_and(|f| matches!(f.kind, FieldKind::StringMap { .. }));
    if is_map {
        let map = rows
            .iter()
            .map(|r| (r.name.clone(), Value::String(r.value.clone())))
            .collect();
        state.doc.connector.set(key, Value::Object(map));
    } else {
        state.doc.connector.set_name_values(key, rows);
    }
    edited(state, key)
}

/// Whether `$EDITOR` gets the JSON field rather than the template (a vendor without a template).
pub(super) fn external_edits_json(state: &State) -> bool {
    let vendor = state.doc.connector.vendor;
    vendor.spec().template_field.is_none() && crate::tui::state::json_field(vendor).is_some()
}

/// Writes the JSON editor's text into its field: the parsed value when it is JSON, else the
/// text itself (validation and the editor's title say what is wrong; nothing typed is lost).
/// An empty editor removes the field.
pub(super) fn sync_json(state: &mut State) -> Vec<Effect> {
    let Some(field) = crate::tui::state::json_field(state.doc.connector.vendor) else {
        return Vec::new();
    };
    let text = state.json.text();
    if text.trim().is_empty() {
        state.doc.connector.fields.shift_remove(field.key);
    } else {
        let value = match serde_json::from_str::<Value>(&text) {
            // A bare JSON string is kept as typed, quotes and all, so it reads back the same.
            Ok(Value::String(_)) | Err(_) => Value::String(text),
            Ok(value) => value,
        };
        state.doc.connector.set(field.key, value);
    }
    edited(state, field.key)
}

/// Copies the template editor's text into the connector after an edit.
pub(super) fn sync_template(state: &mut State) -> Vec<Effect> {
    let text = state.template.text();
    set_template(state, text);
    template_edited(state)
}

/// The template was written into the connector: one step of the document's history.
pub(super) fn template_edited(state: &mut State) -> Vec<Effect> {
    let key = state
        .doc
        .connector
        .spec()
        .template_field
        .unwrap_or_default();
    edited(state, key)
}
