//! The live table of a rows run: every row's input columns, then its status and time as the
//! answers arrive, and what each select found in its response; Enter shows the selected
//! row's response (masked, as it is kept).

use super::footers;
use super::json::highlight;
use super::popup::text_box;
use crate::connector::plain_line;
use crate::connector::rows::{Select, cell};
use crate::tui::state::{Origin, RowResult, RowsRun, State, selected_cells};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

/// The widest a column's cells are shown.
const CELL: usize = 24;

pub(super) fn rows_run(
    state: &State,
    frame: &mut Frame,
    area: Rect,
    run: &RowsRun,
    selects: &[Select],
) {
    if run.open
        && let Some(Some(result)) = run.results.get(run.selected)
    {
        return response(state, frame, area, run, &result.line);
    }
    let mut header = format!("  {:<5}", "row");
    for column in &run.columns {
        header.push_str(&fit(column));
        header.push(' ');
    }
    header.push_str("status  ms      ");
    for select in selects {
        header.push(' ');
        header.push_str(&fit(&select.expr));
    }
    let mut lines = vec![Line::from(Span::styled(header, theme::label()))];
    for (index, input) in run.inputs.iter().enumerate() {
        let mut text = format!(
            "{} {:<5}",
            if index == run.selected { "›" } else { " " },
            index + 1
        );
        for column in &run.columns {
            text.push_str(&fit(input.get(column).map_or("", String::as_str)));
            text.push(' ');
        }
        let result = run.results.get(index).and_then(Option::as_ref);
        let (answer, style) = answer(run, result);
        let style = if index == run.selected {
            theme::key()
        } else {
            style
        };
        let mut spans = vec![Span::styled(text, style), Span::styled(answer, style)];
        if let Some(result) = result {
            for cell in selected_cells(selects, &result.line) {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(fit(&cell), theme::matched()));
            }
        }
        lines.push(Line::from(spans));
    }
    let progress = if run.cancelled {
        "cancelled"
    } else if run.finished {
        "finished"
    } else {
        "running"
    };
    let title = format!(
        "Rows: {} · {}/{} answered · {progress}",
        plain_line(&run.source),
        run.done(),
        run.inputs.len()
    );
    let footer = match (run.finished, run.origin) {
        (false, _) => &footers::ROWS_RUNNING,
        (true, Origin::Typed) => &footers::ROWS_DONE_TYPED,
        (true, _) => &footers::ROWS_DONE,
    };
    let scroll = u16::try_from(run.selected.saturating_sub(8)).unwrap_or(u16::MAX);
    text_box(
        frame,
        area,
        &title,
        theme::focused_border(),
        lines,
        &footer.text(&state.keymap),
        scroll,
    );
}

/// A cell cut to the column's width, padded to it.
fn fit(text: &str) -> String {
    super::padded(text, CELL)
}

/// A row's status and time (`…` while it is out, `not sent` once cancelled), in its colour.
fn answer(run: &RowsRun, result: Option<&RowResult>) -> (String, Style) {
    match result {
        None if run.cancelled => (format!("{:<16}", "not sent"), theme::muted()),
        None => (format!("{:<16}", "…"), theme::muted()),
        Some(result) => {
            let line = &result.line;
            let ok = line["status"]
                .as_u64()
                .is_some_and(|s| (200..300).contains(&s));
            let status = match &line["status"] {
                Value::Null => "error".to_owned(),
                status => status.to_string(),
            };
            let answer = format!("{status:<7} {:<8}", cell(&line["elapsed_ms"]));
            (answer, if ok { theme::ok() } else { theme::error() })
        }
    }
}

fn response(state: &State, frame: &mut Frame, area: Rect, run: &RowsRun, line: &Value) {
    let status = match &line["status"] {
        Value::Null => plain_line(line["error"].as_str().unwrap_or("no answer")),
        status => format!("{status} · {} ms", cell(&line["elapsed_ms"])),
    };
    let mut lines = vec![Line::from(Span::styled(status, theme::label()))];
    match &line["response"] {
        Value::String(text) => {
            lines.extend(text.lines().take(2000).map(|l| Line::from(plain_line(l))));
        }
        Value::Null => {}
        value => lines.extend(highlight(value)),
    }
    text_box(
        frame,
        area,
        &format!("Row {} of {}", run.selected + 1, run.inputs.len()),
        theme::focused_border(),
        lines,
        &footers::ROW_RESPONSE.text(&state.keymap),
        run.scroll,
    );
}
