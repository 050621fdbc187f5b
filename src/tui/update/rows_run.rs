//! Running the connector over the rows file beside it, from the try-it view: `r` reads the
//! file, every row's request is built here (as `patchcord try --rows` builds them), and the
//! scheduler's answers fill a live table. Enter shows a row's response, Esc cancels the run
//! (and closes the table once it is over), `e` exports the results as JSON Lines, `c` as CSV.

use super::super::effect::Effect;
use super::super::state::{Overlay, RowResult, RowsRun, State};
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

/// The rows file was read: build every row's request and start the run.
pub(super) fn loaded(state: &mut State, result: Result<(String, Rows), String>) -> Vec<Effect> {
    if !matches!(state.overlay, Some(Overlay::FireResult { .. })) {
        return Vec::new();
    }
    let built = result.and_then(|(source, table)| {
        let jobs = table
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let request =
                    fire::build(&state.doc.connector, &rows::fill(&state.doc.samples, row))
                        .map_err(|e| format!("row {}: {e}", index + 1))?;
                Ok(Job {
                    row: index + 1,
                    request,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok((source, table, jobs))
    });
    match built {
        Err(text) => {
            state.overlay = Some(Overlay::Message {
                title: "Cannot run the rows".into(),
                text,
            });
            Vec::new()
        }
        Ok((source, table, jobs)) => {
            let request = state.new_request();
            state.toast = None;
            state.overlay = Some(Overlay::Rows(Box::new(RowsRun::new(
                request, source, table,
            ))));
            vec![Effect::RunRows {
                request,
                jobs,
                pace: Pace::of(Limits::of(&state.doc.connector)),
                file: state.doc.file.clone(),
            }]
        }
    }
}

pub(super) fn row_done(state: &mut State, request: u64, row: usize, result: RowResult) {
    if let Some(Overlay::Rows(run)) = &mut state.overlay
        && run.request == request
    {
        run.record(row, result);
    }
}

pub(super) fn finished(state: &mut State, request: u64) {
    if let Some(Overlay::Rows(run)) = &mut state.overlay
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
                        records: run.csv_records(),
                    }
                });
            }
            None => state.toast = Some("save the connector first".into()),
        },
        _ => {}
    }
    Some(Overlay::Rows(run))
}
