//! The `--select` prompt, over the view it was opened from: that view is drawn with the
//! expressions as typed so far whenever they parse, so the marks follow the typing.

use super::footers;
use super::input_spans;
use super::popup::{boxed, keys_line};
use crate::connector::plain_line;
use crate::connector::rows::{self, Select};
use crate::tui::state::{LineInput, Overlay, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn prompt(
    state: &State,
    frame: &mut Frame,
    area: Rect,
    input: &LineInput,
    error: Option<&str>,
    back: Option<&Overlay>,
) {
    let typed = rows::parse_selects(&input.text);
    let selects: &[Select] = typed.as_deref().unwrap_or(&state.tries.selects);
    match back {
        Some(Overlay::FireResult {
            response, scroll, ..
        }) => super::results::fire_result(state, frame, area, response, *scroll, selects),
        Some(Overlay::Rows(run)) => super::rows_run::rows_run(state, frame, area, run, selects),
        Some(Overlay::RowsTable(table)) => super::rows_table::rows_table(state, frame, area, table),
        _ => {}
    }
    let height = if error.is_some() { 7 } else { 6 };
    let width = area.width.saturating_sub(4).min(90);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.bottom().saturating_sub(height + 1).max(area.y),
        width,
        height: height.min(area.height),
    };
    let inner = boxed(frame, rect, "Select (JSONPath)", theme::focused_border());
    let width = usize::from(inner.width);
    let mut spans = vec![Span::styled("$ ", theme::key())];
    spans.extend(input_spans(
        &input.text,
        input.cursor,
        width.saturating_sub(3),
        theme::text(),
    ));
    let mut lines = vec![
        Line::from(Span::styled(
            "as `try --select` takes them; `;` between several; empty: none",
            theme::muted(),
        )),
        Line::from(spans),
    ];
    if let Some(error) = error {
        lines.push(Line::from(Span::styled(plain_line(error), theme::error())));
    }
    lines.push(Line::default());
    lines.push(keys_line(&footers::SELECT.text(&state.keymap)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
