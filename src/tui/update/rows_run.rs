//! Running the connector over the rows file beside it, from the try-it view: `r` reads the
//! file, every row's request is built here (as `patchcord try --rows` builds them), and the
//! scheduler's answers fill a live table (the rows table's typed rows run the same way). Enter
//! shows a row's response, Esc cancels the run (and closes the table once it is over, back to
//! the rows table when the rows were typed), `e` exports the results as JSON Lines, `c` as CSV.
//! A past run over rows opens here too, finished.

use super::super::effect::Effect;
use super::super::state::{Origin, Overlay, RowResult, RowsRun, State};
use crate::api::fire;
use crate::api::schedule::{Job, Pace};
use crate::connector::rows::{self, Limits, Rows};
use crossterm::event::KeyCode;

/// `r` in the try-it view: read the rows file beside the connector.
pub(super) fn start(state: &mut State) -> Vec<Effect> {
    let Some(file) = state.doc.file.clone() else {
        state.toast = Some("save the connector first: its rows file sits beside it".into());
        return Vec::new();
    };
    state.toast = Some("reading the rows file…".into());
    vec![Effect::LoadRows(file)]
}

/// The rows file beside the connector was read for `r`: build every row's request and start
/// the run.
pub(super) fn loaded(state: &mut State, result: Result<(String, Rows), String>) -> Vec<Effect> {
    if !matches!(state.overlay, Some(Overlay::FireResult { .. })) {
        return Vec::new();
    }
    match result.and_then(|(source, table)| run(state, source, table, Origin::RowsFile)) {
        Err(text) => {
            state.overlay = Some(Overlay::Message {
                title: "Cannot run the rows".into(),
                text,
            });
            Vec::new()
        }
        Ok(effects) => effects,
    }
}

/// Builds every row's request (as `patchcord try --rows` builds them: a row that cannot be
/// built stops the run before anything is sent) and opens the live table over them.
pub(super) fn run(
    state: &mut State,
    source: String,
    table: Rows,
    origin: Origin,
) -> Result<Vec<Effect>, String> {
    let jobs = (table.rows.iter().enumerate())
        .map(|(index, row)| {
            let request = fire::build(&state.doc.connector, &rows::fill(&state.doc.samples, row))
                .map_err(|e| format!("row {}: {e}", index + 1))?;
            Ok(Job {
                row: index + 1,
                request,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let request = state.new_request();
    state.toast = None;
    let mut run = RowsRun::new(request, source, table);
    run.origin = origin;
    state.overlay = Some(Overlay::Rows(Box::new(run)));
    Ok(vec![Effect::RunRows {
        request,
        jobs,
        pace: Pace::of(Limits::of(&state.doc.connector)),
        file: state.doc.file.clone(),
        selects: state.tries.selects.clone(),
    }])
}

/// A past try was read from the history: one row opens in the try-it view, a run over rows
/// as its live table, finished.
pub(super) fn reopened(state: &mut State, id: i64, rows: Result<Vec<RowResult>, String>) {
    if !matches!(state.overlay, Some(Overlay::Tries { .. })) {
        return;
    }
    state.overlay = Some(match rows {
        Ok(mut rows) if rows.len() == 1 => {
            let RowResult { fire, response, .. } = rows.remove(0);
            Overlay::FireResult {
                fire: Box::new(fire),
                response,
                scroll: 0,
            }
        }
        Ok(rows) => Overlay::Rows(Box::new(RowsRun::reopened(id, rows))),
        Err(text) => Overlay::Message {
            title: "Past try".into(),
            text,
        },
    });
}

pub(super) fn row_done(state: &mut State, request: u64, row: usize, result: RowResult) {
    if let Some(Overlay::Rows(run)) = state.overlay.as_mut().map(Overlay::beneath_prompt)
        && run.request == request
    {
        run.record(row, result);
    }
}

pub(super) fn finished(state: &mut State, request: u64) {
    if let Some(Overlay::Rows(run)) = state.overlay.as_mut().map(Overlay::beneath_prompt)
        && run.request == request
    {
        run.finished = true;
    }
}

/// A key on the live table; `None` closes it.
pub(super) fn key(
    state: &mut State,
    mut run: Box<RowsRun>,
    code: KeyCode,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let last = run.inputs.len().saturating_sub(1);
    match code {
        KeyCode::Esc if run.open => run.open = false,
        KeyCode::Esc if !run.finished => {
            effects.push(Effect::Cancel(run.request));
            run.cancelled = true;
            run.finished = true;
            state.toast = Some("cancelled: rows already sent finish".into());
        }
        KeyCode::Esc if run.origin == Origin::Typed => return state.tries.table_overlay(),
        KeyCode::Esc => return None,
        KeyCode::Up if run.open => run.scroll = run.scroll.saturating_sub(1),
        KeyCode::Down if run.open => run.scroll = run.scroll.saturating_add(1),
        KeyCode::Up => run.selected = run.selected.saturating_sub(1),
        KeyCode::Down => run.selected = (run.selected + 1).min(last),
        KeyCode::Enter => {
            run.open = !run.open;
            run.scroll = 0;
        }
        KeyCode::Char(c @ ('e' | 'c')) => match &state.doc.file {
            Some(file) => {
                let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                effects.push(if c == 'e' {
                    Effect::ExportRows {
                        path: file.with_file_name(format!("{stem}.results.jsonl")),
                        lines: run.lines(),
                    }
                } else {
                    Effect::ExportRowsCsv {
                        path: file.with_file_name(format!("{stem}.results.csv")),
                        records: run.csv_records(&state.tries.selects),
                    }
                });
            }
            None => state.toast = Some("save the connector first".into()),
        },
        _ => {}
    }
    Some(Overlay::Rows(run))
}
