//! The problems list (F3): every finding and server message with its place, whole (wrapped
//! at the box's width, never clipped at the border), the chosen one highlighted.

use super::popup::{boxed, footer_line, popup};
use super::to_u16;
use crate::connector::Enforcer;
use crate::tui::state::{ProblemKind, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

fn who(kind: ProblemKind, by: Option<Enforcer>) -> &'static str {
    match (kind, by) {
        (ProblemKind::Server, _) => "the server said so on the last submit",
        (_, Some(Enforcer::Schema)) => "the vendor's schema refuses it",
        (_, Some(Enforcer::Service)) => "the vendor refuses it",
        (_, Some(Enforcer::Client) | None) => "patchcord's advice",
    }
}

pub(super) fn render(state: &State, selected: usize, area: Rect, frame: &mut Frame) {
    let problems = state.problems();
    let width = area.width.saturating_sub(4).min(100);
    // The text is wrapped here (by words, continuation lines indented), so each line is one row.
    let text_width = usize::from(width.saturating_sub(2))
        .saturating_sub(4)
        .max(8);
    let mut lines = Vec::new();
    let mut chosen_rows = (0, 0);
    if problems.is_empty() {
        lines.push(Line::from(Span::styled("✓ no problems", theme::ok())));
    }
    for (i, problem) in problems.iter().enumerate() {
        let (mark, style) = match problem.kind {
            ProblemKind::Server => ("✗ server", theme::error()),
            ProblemKind::Error => ("✗", theme::error()),
            ProblemKind::Warning => ("!", theme::warning()),
        };
        let chosen = i == selected;
        let start = lines.len();
        let head = format!(
            "{mark} {} · {}",
            problem.place,
            who(problem.kind, problem.by)
        );
        for (n, row) in wrap_words(&head, text_width + 2).into_iter().enumerate() {
            let pointer = if chosen && n == 0 { "▶ " } else { "  " };
            let row_style = if chosen { theme::selected_row() } else { style };
            lines.push(Line::from(vec![
                Span::styled(pointer, theme::key()),
                Span::styled(row, row_style),
            ]));
        }
        for row in wrap_words(&problem.message, text_width) {
            lines.push(Line::from(vec![Span::raw("    "), Span::raw(row)]));
        }
        if chosen {
            chosen_rows = (start, lines.len());
        }
    }
    let height = to_u16(lines.len()).saturating_add(3);
    let rect = popup(area, width, height);
    let inner = boxed(frame, rect, "Problems", theme::focused_border());
    if inner.height == 0 {
        return;
    }
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    // Scroll so the chosen problem's lines are all in view.
    let top = chosen_rows.1.saturating_sub(usize::from(body.height));
    let top = top.min(chosen_rows.0);
    frame.render_widget(Paragraph::new(lines).scroll((to_u16(top), 0)), body);
    footer_line(frame, inner, &super::footers::PROBLEMS.text(&state.keymap));
}

/// Wraps text at `width` columns by words; a word longer than a line is cut.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let needed = usize::from(!row.is_empty()) + word.width();
        if !row.is_empty() && row.width() + needed > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        for c in word.chars() {
            if row.width() + c.width().unwrap_or(0) > width {
                rows.push(std::mem::take(&mut row));
            }
            row.push(c);
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::wrap_words;

    #[test]
    fn words_wrap_and_long_words_are_cut() {
        assert_eq!(wrap_words("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 4), [""]);
    }
}
