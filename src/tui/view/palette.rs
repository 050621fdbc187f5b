//! The command palette: the query on top, then the matching actions with their keys in an
//! aligned column, the chosen one highlighted and kept in view.

use super::popup::{boxed, footer_line, popup};
use super::{fit, input_spans};
use crate::tui::keymap::Context;
use crate::tui::state::{CommandPalette, PaletteEntry, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(state: &State, palette: &CommandPalette, area: Rect, frame: &mut Frame) {
    let entries = state.palette_entries(palette);
    let rect = popup(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2).min(20),
    );
    let title = match palette.context {
        Context::Global => "Actions".to_owned(),
        context => format!("Actions: {} and everywhere", context.title()),
    };
    let inner = boxed(frame, rect, &title, theme::focused_border());
    if inner.height < 3 {
        return;
    }
    let width = usize::from(inner.width);
    let mut query = vec![Span::styled("> ", theme::key())];
    query.extend(input_spans(
        &palette.query.text,
        palette.query.cursor,
        width.saturating_sub(2),
        theme::text(),
    ));
    frame.render_widget(
        Paragraph::new(Line::from(query)),
        Rect { height: 1, ..inner },
    );
    let list = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let lines = entry_lines(&entries, palette.selected, usize::from(list.height), width);
    frame.render_widget(Paragraph::new(lines), list);
    footer_line(
        frame,
        inner,
        &format!(
            "{} · {} of {}",
            super::footers::PALETTE.text(&state.keymap),
            entries.len().min(palette.selected + 1),
            entries.len()
        ),
    );
}

/// The entries that fit in `rows` lines, the chosen one kept in view, keys in one column.
fn entry_lines(
    entries: &[PaletteEntry],
    selected: usize,
    rows: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let keys_width = entries
        .iter()
        .map(|e| e.keys.width())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let top = (selected + 1).saturating_sub(rows);
    if entries.is_empty() {
        vec![Line::from(Span::styled(
            "no action matches",
            theme::muted(),
        ))]
    } else {
        entries
            .iter()
            .enumerate()
            .skip(top)
            .take(rows)
            .map(|(i, entry)| {
                let chosen = i == selected;
                let help = fit(entry.help, width.saturating_sub(keys_width + 4));
                let style = if chosen {
                    theme::selected_row()
                } else {
                    theme::text()
                };
                let spans = vec![
                    Span::styled(if chosen { "▶ " } else { "  " }, theme::key()),
                    Span::styled(
                        format!("{:<keys_width$} ", fit(&entry.keys, keys_width)),
                        theme::key(),
                    ),
                    Span::styled(help, style),
                ];
                Line::from(spans)
            })
            .collect()
    }
}
