//! The rows table: rows typed into a table with a column per connector slot, run with the
//! scheduler and limits of `patchcord try --rows`. It opens prefilled from the rows file
//! beside the connector (else one row of the samples), takes the editor's table keys (add,
//! delete, duplicate, move, Enter edits a cell), `o` loads another rows file, `r` runs. The
//! session keeps the rows while the connector is open.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{LineInput, Origin, Overlay, RowsTable, State};
use super::prompt;
use crate::api::fire::FireError;
use crate::connector::rows::{self, Rows};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Opens the rows table: the session's rows (under the connector's slots as they are now),
/// or one row of the samples while the rows file beside the connector is read.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    if !state.offers(Action::TryRows) {
        state.toast = Some(FireError::NoRequest(state.doc.connector.spec().label).to_string());
        return Vec::new();
    }
    let columns = rows::slots(&state.doc.connector);
    let mut effects = Vec::new();
    let table = match &state.tries.table {
        Some(table) if table.columns == columns => table.clone(),
        Some(table) => table.with_columns(columns, &state.doc.samples),
        None => {
            let mut table = RowsTable::from_samples(columns, &state.doc.samples);
            if let Some(file) = &state.doc.file {
                table.loading = true;
                "looking for the rows file beside the connector…".clone_into(&mut table.note);
                effects.push(Effect::LoadRows(file.clone()));
            }
            table
        }
    };
    state.tries.table = Some(table.clone());
    state.overlay = Some(Overlay::RowsTable(Box::new(table)));
    effects
}

/// A rows file was read: for the table (it may be under the select prompt), its rows replace
/// the table's, and not finding one beside the connector leaves the samples' row, saying so;
/// else it was read for `r`, which runs it.
pub(super) fn loaded(state: &mut State, result: Result<(String, Rows), String>) -> Vec<Effect> {
    let samples = state.doc.samples.clone();
    let Some(Overlay::RowsTable(table)) = state.overlay.as_mut().map(Overlay::beneath_prompt)
    else {
        return super::rows_run::loaded(state, result);
    };
    if !std::mem::take(&mut table.loading) {
        return Vec::new();
    }
    table.note = match result {
        Ok((source, file)) => {
            let unused = table.fill(&file, &samples);
            let mut note = format!("{} row(s) from {source}", table.rows.len());
            if !unused.is_empty() {
                let _ = write!(note, "; not a slot, left out: {}", unused.join(", "));
            }
            note
        }
        Err(error) => error,
    };
    state.tries.table = Some((**table).clone());
    Vec::new()
}

/// A key on the rows table; `None` closes it (or a run took its place).
pub(super) fn key(
    state: &mut State,
    mut table: Box<RowsTable>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    if let Some(mut input) = table.path.take() {
        match prompt::action(state, key) {
            Some(Action::Confirm) if !input.text.trim().is_empty() => {
                let path = PathBuf::from(input.text.trim());
                table.note = format!("reading {}…", path.display());
                table.loading = true;
                effects.push(Effect::LoadRowsFile(path));
            }
            Some(Action::Back) => {}
            _ => {
                prompt::edit_line(&mut input, key);
                table.path = Some(input);
            }
        }
    } else if let Some(mut input) = table.edit.take() {
        // A cell as the editor's tables edit theirs: done, the next cell, or as it was.
        match state.keymap.command(Context::CellEdit, key) {
            Some(Action::Confirm) => table.set_cell(input.text),
            Some(Action::NextFocus) => {
                table.set_cell(input.text);
                if table.column + 1 < table.columns.len() {
                    table.step(0, 1);
                    table.edit = Some(LineInput::new(table.cell(table.row, table.column)));
                }
            }
            Some(Action::Back) => {}
            _ => {
                prompt::edit_line(&mut input, key);
                table.edit = Some(input);
            }
        }
    } else {
        return table_key(state, table, key, effects);
    }
    state.tries.table = Some((*table).clone());
    Some(Overlay::RowsTable(table))
}

/// The table's own keys, then the editor's table keys.
fn table_key(
    state: &mut State,
    mut table: Box<RowsTable>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let select = (plain && key.code == KeyCode::Char('s'))
        || state.keymap.lookup(Context::Table, key) == Some(Action::TrySelect);
    if select {
        state.tries.table = Some((*table).clone());
        let back = Some(Box::new(Overlay::RowsTable(table)));
        state.overlay = Some(state.tries.prompt(back));
        return None;
    }
    match key.code {
        KeyCode::Esc => return None,
        KeyCode::Char('r') if plain => {
            match super::rows_run::run(state, "typed rows".into(), table.to_rows(), Origin::Typed) {
                Ok(started) => {
                    effects.extend(started);
                    return None;
                }
                Err(error) => table.note = error,
            }
        }
        KeyCode::Char('o') if plain => table.path = Some(LineInput::default()),
        _ => match state.keymap.lookup(Context::Table, key) {
            Some(Action::Up) => table.step(-1, 0),
            Some(Action::Down) => table.step(1, 0),
            Some(Action::PrevTab) => table.step(0, -1),
            Some(Action::NextTab) => table.step(0, 1),
            Some(Action::Edit) if !table.columns.is_empty() => {
                table.edit = Some(LineInput::new(table.cell(table.row, table.column)));
            }
            Some(Action::Add) => {
                table.add(false);
                table.column = 0;
                table.edit = (!table.columns.is_empty()).then(LineInput::default);
            }
            Some(Action::Duplicate) => table.add(true),
            Some(Action::Delete) => table.delete(),
            Some(Action::MoveUp) => table.shift(true),
            Some(Action::MoveDown) => table.shift(false),
            _ => {}
        },
    }
    state.tries.table = Some((*table).clone());
    Some(Overlay::RowsTable(table))
}
