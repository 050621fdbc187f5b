//! The rows table: a column per connector slot, a line per row, the chosen cell marked (with
//! its cursor while it is typed into), and where the rows came from.

use super::footers;
use super::input_spans;
use super::popup::text_box;
use crate::connector::plain_line;
use crate::tui::state::{RowsTable, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The widest a cell is shown.
const CELL: usize = 20;

pub(super) fn rows_table(state: &State, frame: &mut Frame, area: Rect, table: &RowsTable) {
    let mut lines = vec![Line::from(Span::styled(
        plain_line(&table.note),
        theme::muted(),
    ))];
    if table.columns.is_empty() {
        lines.push(Line::from(Span::styled(
            "the connector has no slots: every row sends the same request",
            theme::muted(),
        )));
    }
    let mut header = vec![Span::styled(format!("  {:<5}", "row"), theme::label())];
    header.extend(
        (table.columns.iter()).map(|c| Span::styled(format!("{} ", cell(c)), theme::label())),
    );
    lines.push(Line::from(header));
    for (index, row) in table.rows.iter().enumerate() {
        let chosen = index == table.row;
        let mark = if chosen { "›" } else { " " };
        let mut spans = vec![Span::styled(
            format!("{mark} {:<5}", index + 1),
            theme::key(),
        )];
        for (column, text) in row.iter().enumerate() {
            let here = chosen && column == table.column;
            match &table.edit {
                Some(input) if here => {
                    spans.extend(input_spans(
                        &input.text,
                        input.cursor,
                        CELL - 1,
                        theme::selected_row(),
                    ));
                    spans.push(Span::raw(" "));
                }
                _ if here => {
                    spans.push(Span::styled(cell(text), theme::selected_row()));
                    spans.push(Span::raw(" "));
                }
                _ => spans.push(Span::raw(format!("{} ", cell(text)))),
            }
        }
        lines.push(Line::from(spans));
    }
    if let Some(input) = &table.path {
        let mut spans = vec![Span::styled(
            "rows file (CSV or JSON Lines): ",
            theme::label(),
        )];
        spans.extend(input_spans(&input.text, input.cursor, 40, theme::text()));
        lines.push(Line::default());
        lines.push(Line::from(spans));
    }
    let footer = if table.path.is_some() {
        &footers::ROWS_PATH
    } else if table.edit.is_some() {
        &footers::ROWS_CELL
    } else {
        &footers::ROWS_TABLE
    };
    let title = format!("Rows table · {} row(s)", table.rows.len());
    text_box(
        frame,
        area,
        &title,
        theme::focused_border(),
        lines,
        &footer.text(&state.keymap),
        u16::try_from(table.row.saturating_sub(8)).unwrap_or(u16::MAX),
    );
}

/// A cell's text on one line, cut to `CELL` columns and padded to them.
fn cell(text: &str) -> String {
    super::padded(text, CELL)
}
