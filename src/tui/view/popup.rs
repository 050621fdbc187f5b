//! The boxes every overlay is drawn in: a centred rectangle, a bordered box with a title, the
//! footer line of keys, a list's filter line, and a box sized to its (wrapped) text. Shared by
//! all overlay views, so none of them needs another's module.

use super::{input_spans, to_u16};
use crate::tui::state::LineInput;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub(super) fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width
        .min(area.width.saturating_sub(2))
        .max(1)
        .min(area.width);
    let height = height
        .min(area.height.saturating_sub(2))
        .max(1)
        .min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub(super) fn boxed(frame: &mut Frame, rect: Rect, title: &str, style: Style) -> Rect {
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {title} "), theme::title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

pub(super) fn keys_line(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_owned(), theme::muted()))
}

/// Draws `lines` in a box with a fixed footer line; `scroll` moves the body. The box is as wide
/// as the longest line needs, up to the terminal's width, and as tall as the lines take once
/// wrapped at that width, so a long message is shown whole (or scrolls when the terminal is
/// shorter).
pub(super) fn text_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    style: Style,
    lines: Vec<Line<'static>>,
    footer: &str,
    scroll: u16,
) {
    let width = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(20)
        .max(footer.len())
        .max(title.len() + 4);
    let width = to_u16(width).saturating_add(4);
    let inner_width = popup(area, width, 1).width.saturating_sub(2);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let height = to_u16(paragraph.line_count(inner_width)).saturating_add(3);
    let rect = popup(area, width, height);
    let inner = boxed(frame, rect, title, style);
    if inner.height == 0 {
        return;
    }
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(paragraph.scroll((scroll, 0)), body);
    footer_line(frame, inner, footer);
}

/// The line that shows a list's `/` filter as typed, with its cursor.
pub(super) fn filter_line(filter: &LineInput, width: usize) -> Line<'static> {
    let mut spans = vec![Span::styled("/ ", theme::key())];
    spans.extend(input_spans(
        &filter.text,
        filter.cursor,
        width.saturating_sub(2),
        theme::selected_row(),
    ));
    Line::from(spans)
}

/// The footer line of keys, on the last row of a box's inside.
pub(super) fn footer_line(frame: &mut Frame, inner: Rect, text: &str) {
    frame.render_widget(
        Paragraph::new(keys_line(text)),
        Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        },
    );
}
