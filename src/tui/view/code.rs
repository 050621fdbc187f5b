//! Draws a [`CodeEditor`]: only the rows on screen, with a line-number gutter that stays put
//! while the text scrolls sideways, syntax colours, the selection, the cursor, a placeholder,
//! secret values masked (the bulk edit) and a syntax error's mark.

use crate::connector::mask;
use crate::template::Position;
use crate::template::highlight::{self, Mark};
use crate::tui::state::code_editor::{CodeEditor, Pos, Scroll, char_width, display_width};
use crate::tui::theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// How much text above the first row on screen is read to highlight it: the whole text up to
/// there when it is this small (a real template always is), otherwise only the rows on screen
/// (a tag or string opened above them may then be coloured as plain text).
const HIGHLIGHT_CONTEXT_BYTES: usize = 64 * 1024;

/// The language an editor's text is coloured as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Plain,
    Jinja,
    Json,
}

/// How an editor is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub syntax: Syntax,
    /// The editor has the focus: the cursor is shown.
    pub focused: bool,
    /// `name: value` lines whose name is secret show their value as bullets.
    pub mask: bool,
    /// A syntax error's place (1-based line and character column), marked in red.
    pub error: Option<Position>,
}

/// Draws the editor into `rect` (gutter included).
pub fn draw(editor: &CodeEditor, look: &Look, rect: Rect, buf: &mut Buffer) {
    if rect.is_empty() {
        return;
    }
    let (scroll, gutter, text) = layout(editor, rect);
    let lines = editor.lines();
    let end = (scroll.top + usize::from(rect.height)).min(lines.len());
    let marks = line_marks(lines, scroll.top..end, look.syntax);
    let selection = editor.selection();
    let digits = usize::from(gutter.saturating_sub(2));
    let error_row = look.error.map(|p| p.line.saturating_sub(1));
    for (i, row) in (scroll.top..end).enumerate() {
        let y = rect.y + u16::try_from(i).unwrap_or(u16::MAX);
        let line = &lines[row];
        if gutter > 0 {
            let style = if error_row == Some(row) {
                theme::error()
            } else {
                theme::muted()
            };
            buf.set_stringn(
                rect.x,
                y,
                format!(" {:>digits$} ", row + 1),
                usize::from(gutter),
                style,
            );
        }
        let shown = Row {
            line,
            marks: marks.get(i).map_or(&[][..], Vec::as_slice),
            selected: selection.and_then(|s| selected_in_row(s, row)),
            masked_from: if look.mask { masked_from(line) } else { None },
        };
        buf.set_line(
            text.x,
            y,
            &shown.spans(scroll.left, usize::from(text.width)),
            text.width,
        );
    }
    if editor.is_empty() && !editor.placeholder.is_empty() {
        buf.set_stringn(
            text.x,
            text.y,
            editor.placeholder,
            usize::from(text.width),
            theme::muted(),
        );
    }
    let mut mark = |at: Pos, style: Style| {
        if let Some(cell) = cell_of(editor, scroll, text, at).and_then(|xy| buf.cell_mut(xy)) {
            cell.set_style(style);
        }
    };
    if let Some(p) = look.error {
        let at = Pos::new(p.line.saturating_sub(1), p.column.saturating_sub(1));
        mark(at, theme::error_mark());
    }
    if look.focused {
        mark(editor.cursor(), theme::cursor());
    }
}

/// The characters of `row` a selection covers (a selected line break is one past its end).
fn selected_in_row((start, end): (Pos, Pos), row: usize) -> Option<std::ops::Range<usize>> {
    (start.row <= row && row <= end.row).then(|| {
        let from = if start.row == row { start.col } else { 0 };
        let to = if end.row == row { end.col } else { usize::MAX };
        from..to
    })
}

/// The screen cell of a text position, when it is inside `text` (the area right of the gutter)
/// at that scroll.
fn cell_of(editor: &CodeEditor, scroll: Scroll, text: Rect, at: Pos) -> Option<(u16, u16)> {
    let line = editor.lines().get(at.row)?;
    let y = at.row.checked_sub(scroll.top)?;
    let x = display_width(line, at.col).checked_sub(scroll.left)?;
    let (x, y) = (u16::try_from(x).ok()?, u16::try_from(y).ok()?);
    (x < text.width && y < text.height).then_some((text.x + x, text.y + y))
}

/// Where a `name: value` line's secret value starts (in characters), when its name is secret.
fn masked_from(line: &str) -> Option<usize> {
    let (name, value) = line.split_once(':')?;
    if !mask::is_secret_name(name.trim()) {
        return None;
    }
    let lead = value.chars().take_while(|c| c.is_whitespace()).count();
    Some(name.chars().count() + 1 + lead)
}

/// Highlight marks for rows `rows` of the text, one list per row, ranges within the row.
fn line_marks(lines: &[String], rows: std::ops::Range<usize>, syntax: Syntax) -> Vec<Vec<Mark>> {
    let mut out: Vec<Vec<Mark>> = vec![Vec::new(); rows.len()];
    if syntax == Syntax::Plain || rows.is_empty() {
        return out;
    }
    // Whether the text above the screen is short enough to read for context; counting stops
    // at the limit, so a draw deep in a 2 MiB template does not walk every line above it.
    let near_top = lines[..rows.start]
        .iter()
        .scan(0usize, |above, l| {
            *above += l.len() + 1;
            Some(*above)
        })
        .all(|above| above <= HIGHLIGHT_CONTEXT_BYTES);
    let from = if near_top { 0 } else { rows.start };
    let text = lines[from..rows.end].join("\n");
    let marks = match syntax {
        Syntax::Jinja => highlight::jinja(&text),
        Syntax::Json | Syntax::Plain => highlight::json(&text),
    };
    // Where each row starts in `text`.
    let mut starts = Vec::with_capacity(rows.end - from);
    let mut at = 0;
    for line in &lines[from..rows.end] {
        starts.push(at);
        at += line.len() + 1;
    }
    for mark in marks {
        let first = starts
            .partition_point(|s| *s <= mark.range.start)
            .saturating_sub(1);
        for (r, start) in starts.iter().enumerate().skip(first) {
            let len = lines[from + r].len();
            if *start >= mark.range.end {
                break;
            }
            let (a, b) = (
                mark.range.start.max(*start) - start,
                (mark.range.end - start).min(len),
            );
            if let Some(slot) = (from + r)
                .checked_sub(rows.start)
                .and_then(|i| out.get_mut(i))
                && a < b
            {
                slot.push(Mark {
                    range: a..b,
                    kind: mark.kind,
                });
            }
        }
    }
    out
}

/// One row as drawn.
struct Row<'a> {
    line: &'a str,
    marks: &'a [Mark],
    /// The selected characters of the row.
    selected: Option<std::ops::Range<usize>>,
    masked_from: Option<usize>,
}

impl Row<'_> {
    /// The spans of the row from display column `left`, `width` columns of it.
    fn spans(&self, left: usize, width: usize) -> Line<'static> {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run = String::new();
        let mut run_style = Style::new();
        let mut x = 0;
        let mut mark = 0;
        let mut chars = 0;
        for (byte, c) in self.line.char_indices() {
            if x >= left + width {
                break;
            }
            while self.marks.get(mark).is_some_and(|m| m.range.end <= byte) {
                mark += 1;
            }
            let mut style = match self.marks.get(mark) {
                Some(m) if m.range.start <= byte => theme::code(m.kind),
                _ => Style::new(),
            };
            if self.selected.as_ref().is_some_and(|s| s.contains(&chars)) {
                style = style.patch(theme::selection());
            }
            let w = char_width(c, x);
            let shown = if self.masked_from.is_some_and(|m| chars >= m) {
                '•'
            } else {
                c
            };
            chars += 1;
            let start = x;
            x += w;
            if x <= left {
                continue;
            }
            // A tab, or a wide character cut by the left edge, shows as spaces.
            let text: String = if shown == '\t' || start < left {
                " ".repeat(x - start.max(left))
            } else {
                shown.to_string()
            };
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push_str(&text);
        }
        if self.selected.as_ref().is_some_and(|s| s.end > chars) && x >= left && x < left + width {
            if run_style != theme::selection() && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = theme::selection();
            run.push(' ');
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        Line::from(spans)
    }
}

/// A text with its marks, one styled `Line` per line (the JSON previews and responses).
pub fn styled_lines(text: &str, marks: &[Mark]) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut mark = 0;
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        let mut spans = Vec::new();
        let mut at = start;
        while at < end {
            while marks.get(mark).is_some_and(|m| m.range.end <= at) {
                mark += 1;
            }
            let (to, style) = match marks.get(mark) {
                Some(m) if m.range.start <= at => (m.range.end.min(end), theme::code(m.kind)),
                Some(m) => (m.range.start.min(end), Style::new()),
                None => (end, Style::new()),
            };
            spans.push(Span::styled(
                text.get(at..to).unwrap_or_default().to_owned(),
                style,
            ));
            at = to;
        }
        out.push(Line::from(spans));
        start = end + 1;
    }
    out
}

/// Where the editor's cursor is on screen when drawn into `rect`, if it is in view.
pub fn cursor_cell(editor: &CodeEditor, rect: Rect) -> Option<(u16, u16)> {
    let (scroll, _, text) = layout(editor, rect);
    cell_of(editor, scroll, text, editor.cursor())
}

/// How the editor lies in `rect`: its scroll there, the gutter's width and the text's area
/// right of the gutter (the drawing and the cursor's cell agree through this one place).
fn layout(editor: &CodeEditor, rect: Rect) -> (Scroll, u16, Rect) {
    let scroll = editor.scroll_for(rect.height, rect.width);
    let gutter = editor.gutter_width().min(rect.width);
    let text = Rect {
        x: rect.x + gutter,
        width: rect.width - gutter,
        ..rect
    };
    (scroll, gutter, text)
}

/// The completion list under the cursor (above it near the bottom), its first name marked:
/// `key` (Tab) takes it, and is its title.
pub fn completion_popup(
    completion: &crate::template::complete::Completion,
    key: &str,
    at: (u16, u16),
    area: Rect,
    buf: &mut Buffer,
) {
    use ratatui::widgets::{Block, Clear, Paragraph, Widget};
    use unicode_width::UnicodeWidthStr;
    let widest = completion
        .items
        .iter()
        .map(|n| n.width())
        .max()
        .unwrap_or(0);
    let width = u16::try_from(widest.max(6) + 4)
        .unwrap_or(u16::MAX)
        .min(area.width);
    let height = u16::try_from(completion.items.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let word = u16::try_from(completion.word.width()).unwrap_or(0);
    let x =
        at.0.saturating_sub(word + 1)
            .max(area.x)
            .min(area.right().saturating_sub(width));
    let y = if at.1 + 1 + height <= area.bottom() {
        at.1 + 1
    } else {
        at.1.saturating_sub(height).max(area.y)
    };
    let rect = Rect::new(x, y, width, height);
    Clear.render(rect, buf);
    let lines: Vec<Line<'static>> = completion
        .items
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let style = if i == 0 {
                theme::selected_row()
            } else {
                theme::text()
            };
            Line::from(Span::styled(format!(" {name:<widest$} "), style))
        })
        .collect();
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_style(theme::focused_border())
                .title(Span::styled(format!(" {key} "), theme::muted())),
        )
        .render(rect, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, left: usize, width: usize) -> String {
        let row = Row {
            line,
            marks: &[],
            selected: None,
            masked_from: None,
        };
        row.spans(left, width).to_string()
    }

    #[test]
    fn tabs_reach_the_next_stop_and_wide_characters_cut_by_the_edge_show_as_spaces() {
        assert_eq!(shown("a\tb", 0, 10), "a b");
        assert_eq!(shown("\tb", 0, 10), "  b");
        assert_eq!(shown("日本語", 0, 10), "日本語");
        assert_eq!(shown("日本語", 1, 10), " 本語");
        assert_eq!(shown("abcdef", 2, 3), "cde");
    }

    #[test]
    fn secret_values_are_bullets_one_per_character() {
        assert_eq!(masked_from("Authorization: Bearer x"), Some(15));
        assert_eq!(masked_from("Content-Type: json"), None);
        let row = Row {
            line: "token: é1",
            marks: &[],
            selected: None,
            masked_from: masked_from("token: é1"),
        };
        assert_eq!(row.spans(0, 20).to_string(), "token: ••");
    }
}
