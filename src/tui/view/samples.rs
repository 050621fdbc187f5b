//! The template tab's variables: each variable's sample value (never sent), the one under the
//! editor's cursor marked, edited in place like a table cell.

use super::{fit, input_spans, to_u16};
use crate::tui::keymap::Context;
use crate::tui::state::{Focus, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(state: &State, rect: Rect, frame: &mut Frame) {
    if rect.is_empty() {
        return;
    }
    let focused = state.focus == Focus::Samples && state.overlay.is_none();
    let block = theme::framed(focused).title(Line::from(vec![
        Span::styled(" Variables ", theme::title()),
        Span::styled("sample values, never sent ", theme::muted()),
    ]));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if state.preview.variables.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no variables", theme::muted())),
            inner,
        );
        return;
    }
    let name_width = state
        .preview
        .variables
        .iter()
        .map(|v| v.width())
        .max()
        .unwrap_or(4)
        .clamp(4, usize::from(inner.width) / 2);
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let offset = (state.sample_row + 1).saturating_sub(visible);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("  {:<w$} ", "name", w = name_width), theme::muted()),
            Span::styled("sample", theme::muted()),
        ])),
        Rect { height: 1, ..inner },
    );
    // The variable under the template editor's cursor is marked here.
    let under_cursor = state.name_at_cursor();
    for (i, name) in state.preview.variables.iter().enumerate().skip(offset) {
        let y = (inner.y + 1).saturating_add(to_u16(i - offset));
        if y >= inner.bottom() {
            break;
        }
        let selected = focused && i == state.sample_row;
        let room = usize::from(inner.width).saturating_sub(name_width + 3);
        let marked = under_cursor.as_deref() == Some(name.as_str());
        let line = sample_line(state, i, name, (selected, marked), name_width, room);
        frame.render_widget(
            Paragraph::new(line),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
    }
}

/// One variable's row: its name (`marked` when under the editor's cursor), then its sample, the
/// cell being typed, or how to set an empty one.
fn sample_line(
    state: &State,
    i: usize,
    name: &str,
    (selected, marked): (bool, bool),
    name_width: usize,
    room: usize,
) -> Line<'static> {
    let value = state.doc.samples.get(name).cloned().unwrap_or_default();
    let mut spans = vec![
        Span::styled(if selected { "▸ " } else { "  " }, theme::key()),
        Span::styled(
            format!("{:<w$} ", fit(name, name_width), w = name_width),
            if marked {
                theme::json::key().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                theme::json::key()
            },
        ),
    ];
    match state
        .cell
        .as_ref()
        .filter(|c| c.row == i && state.focus == Focus::Samples)
    {
        Some(cell) => spans.extend(input_spans(
            &cell.input.text,
            cell.input.cursor,
            room,
            theme::text(),
        )),
        None if value.is_empty() => {
            let key = state.keymap.key(Context::Table, "Enter");
            spans.push(Span::styled(
                format!("(empty: {key} to set)"),
                theme::muted(),
            ));
        }
        None => spans.push(Span::styled(fit(&value, room), theme::text())),
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme::selected_row())
    } else {
        line
    }
}
