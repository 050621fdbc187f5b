//! Keys for the name-value tables (headers, params, body, string maps) and the template's
//! sample values: selection, add, in-place cell editing, delete, duplicate, move, bulk edit,
//! reveal. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{CellEdit, Column, Focus, LineInput, Overlay, State, panel_fields};
use super::document::set_rows;
use super::global::global;
use crate::connector::NameValue;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) fn table_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match state.keymap.lookup(Context::Table, &key) {
        Some(action) => table_action(state, action),
        None => Vec::new(),
    }
}

/// A table action on the focused table (or the template's sample values).
pub(super) fn table_action(state: &mut State, action: Action) -> Vec<Effect> {
    if state.focus == Focus::Samples {
        return samples_action(state, action);
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let rows = state.tab_rows();
    let selected = state.selected_row();
    let tabs = panel_fields(state.doc.connector.vendor).len();
    if action.edits_rows() && state.tab_is_derived() {
        state.toast = Some(format!(
            "{} is read-only: derived from the template's variables",
            field.label
        ));
        return Vec::new();
    }
    // Each row operation is an undo step of its own (typing in a cell is one run).
    if action.edits_rows() && action != Action::Edit {
        state.checkpoint();
    }
    match action {
        Action::Up => {
            select(state, selected.saturating_sub(1));
            Vec::new()
        }
        Action::Down => {
            select(state, (selected + 1).min(rows.len().saturating_sub(1)));
            Vec::new()
        }
        Action::PrevTab if tabs > 0 => {
            state.tab = (state.tab + tabs - 1) % tabs;
            Vec::new()
        }
        Action::NextTab if tabs > 0 => {
            state.tab = (state.tab + 1) % tabs;
            Vec::new()
        }
        Action::BulkEdit => {
            let text: Vec<String> = rows
                .iter()
                .map(|r| format!("{}: {}", r.name, r.value))
                .collect();
            state.overlay = Some(Overlay::Bulk {
                key: field.key,
                area: Box::new(crate::tui::state::bulk_area(&text.join("\n"))),
            });
            Vec::new()
        }
        Action::Reveal => {
            state.reveal = !state.reveal;
            state.toast = Some(
                if state.reveal {
                    "secrets revealed"
                } else {
                    "secrets masked"
                }
                .into(),
            );
            Vec::new()
        }
        _ => row_action(state, action, field.key, rows, selected),
    }
}

/// Selects a row of the focused table.
fn select(state: &mut State, row: usize) {
    if let Some(slot) = state.rows.get_mut(state.tab) {
        *slot = row;
    }
}

/// The actions on the table's rows: edit in place, add, delete, duplicate, move.
fn row_action(
    state: &mut State,
    action: Action,
    key: &'static str,
    mut rows: Vec<NameValue>,
    selected: usize,
) -> Vec<Effect> {
    match action {
        Action::Edit if rows.is_empty() => add_row(state, key, rows, 0),
        Action::Edit => {
            let original = rows.get(selected).cloned();
            state.cell = Some(CellEdit {
                row: selected,
                column: Column::Name,
                input: LineInput::new(original.as_ref().map_or("", |r| r.name.as_str())),
                original,
            });
            Vec::new()
        }
        Action::Add => {
            let at = if rows.is_empty() { 0 } else { selected + 1 };
            add_row(state, key, rows, at)
        }
        Action::Delete if selected < rows.len() => {
            rows.remove(selected);
            select(state, selected.min(rows.len().saturating_sub(1)));
            set_rows(state, key, &rows)
        }
        Action::Duplicate if selected < rows.len() => {
            let copy = rows.get(selected).cloned().unwrap_or_default();
            rows.insert(selected + 1, copy);
            select(state, selected + 1);
            set_rows(state, key, &rows)
        }
        Action::MoveUp if selected > 0 && selected < rows.len() => {
            rows.swap(selected, selected - 1);
            select(state, selected - 1);
            set_rows(state, key, &rows)
        }
        Action::MoveDown if selected + 1 < rows.len() => {
            rows.swap(selected, selected + 1);
            select(state, selected + 1);
            set_rows(state, key, &rows)
        }
        other => global(state, other).unwrap_or_default(),
    }
}

fn add_row(state: &mut State, key: &str, mut rows: Vec<NameValue>, at: usize) -> Vec<Effect> {
    let at = at.min(rows.len());
    rows.insert(at, NameValue::default());
    if let Some(slot) = state.rows.get_mut(state.tab) {
        *slot = at;
    }
    state.cell = Some(CellEdit {
        row: at,
        column: Column::Name,
        input: LineInput::default(),
        original: None,
    });
    set_rows(state, key, &rows)
}

fn samples_action(state: &mut State, action: Action) -> Vec<Effect> {
    let count = state.preview.variables.len();
    match action {
        Action::Up => state.sample_row = state.sample_row.saturating_sub(1),
        Action::Down => state.sample_row = (state.sample_row + 1).min(count.saturating_sub(1)),
        Action::Edit => {
            if let Some(name) = state.preview.variables.get(state.sample_row) {
                let value = state.doc.samples.get(name).cloned().unwrap_or_default();
                state.cell = Some(CellEdit {
                    row: state.sample_row,
                    column: Column::Value,
                    input: LineInput::new(&value),
                    original: Some(NameValue::new(name.clone(), value)),
                });
            }
        }
        Action::Add
        | Action::Delete
        | Action::Duplicate
        | Action::MoveUp
        | Action::MoveDown
        | Action::BulkEdit => {
            state.toast =
                Some("the variables come from the template; edit it to add or remove one".into());
        }
        other => return global(state, other).unwrap_or_default(),
    }
    Vec::new()
}

/// A key in the cell being edited: the keymap's cell keys (done, name ↔ value, cancel), a
/// Ctrl command (it ends the edit, keeping what was typed, then runs), else the line's keys.
pub(super) fn cell_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let rows = state.tab_rows();
    let in_samples = state.focus == Focus::Samples;
    let action = state.keymap.command(Context::CellEdit, &key);
    let Some(cell) = state.cell.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::Back) => return cancel_cell(state),
        Some(Action::Confirm) => {
            state.cell = None;
            return Vec::new();
        }
        Some(Action::NextFocus) if !in_samples => {
            let row = rows.get(cell.row).cloned().unwrap_or_default();
            cell.column = match cell.column {
                Column::Name => Column::Value,
                Column::Value => Column::Name,
            };
            cell.input = LineInput::new(match cell.column {
                Column::Name => &row.name,
                Column::Value => &row.value,
            });
            return Vec::new();
        }
        _ if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.cell = None;
            return match state.keymap.lookup(Context::Global, &key) {
                Some(action) => global(state, action).unwrap_or_default(),
                None => Vec::new(),
            };
        }
        _ => {}
    }
    // Alt and a letter is no text in a cell (nor a command there).
    let alt_letter =
        key.modifiers.contains(KeyModifiers::ALT) && matches!(key.code, KeyCode::Char(_));
    if alt_letter || !super::prompt::edit_line(&mut cell.input, &key) {
        return Vec::new();
    }
    write_cell(state)
}

/// Writes the cell being edited into its row (or sample), live, so validation follows typing.
pub(super) fn write_cell(state: &mut State) -> Vec<Effect> {
    let Some(cell) = state.cell.clone() else {
        return Vec::new();
    };
    if state.focus == Focus::Samples {
        let Some(name) = state.preview.variables.get(cell.row).cloned() else {
            return Vec::new();
        };
        state.doc.samples.insert(name, cell.input.text);
        state.doc.dirty = true;
        state.refresh_preview();
        return super::journal::sync_journal(state);
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let mut rows = state.tab_rows();
    let Some(row) = rows.get_mut(cell.row) else {
        return Vec::new();
    };
    match cell.column {
        Column::Name => row.name = cell.input.text,
        Column::Value => row.value = cell.input.text,
    }
    set_rows(state, field.key, &rows)
}

fn cancel_cell(state: &mut State) -> Vec<Effect> {
    let Some(cell) = state.cell.take() else {
        return Vec::new();
    };
    if state.focus == Focus::Samples {
        if let Some(original) = cell.original {
            state.doc.samples.insert(original.name, original.value);
            state.refresh_preview();
        }
        return Vec::new();
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let mut rows = state.tab_rows();
    match cell.original {
        None if cell.row < rows.len() => {
            rows.remove(cell.row);
        }
        Some(original) => {
            if let Some(row) = rows.get_mut(cell.row) {
                *row = original;
            }
        }
        None => {}
    }
    set_rows(state, field.key, &rows)
}
