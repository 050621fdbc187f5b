//! Where the cursor moves to in a [`CodeEditor`]: by grapheme cluster, word, line,
//! paragraph, page, and to either end. Each returns a position; `keys.rs` moves there.

use super::{CodeEditor, Pos};
use unicode_segmentation::UnicodeSegmentation;

impl CodeEditor {
    /// The position one grapheme cluster before the cursor (the previous line's end at a
    /// line's start).
    pub fn back(&self) -> Pos {
        let Pos { row, col } = self.cursor;
        if col == 0 {
            return match row.checked_sub(1) {
                Some(up) => Pos::new(up, self.line_chars(up)),
                None => self.cursor,
            };
        }
        let head = self
            .line(row)
            .get(..self.byte_at(self.cursor))
            .unwrap_or_default();
        let last = head
            .graphemes(true)
            .next_back()
            .map_or(1, |g| g.chars().count());
        Pos::new(row, col - last)
    }

    /// The position one grapheme cluster after the cursor (the next line's start at its end).
    pub fn forward(&self) -> Pos {
        let Pos { row, col } = self.cursor;
        if col >= self.line_chars(row) {
            return if row + 1 < self.lines.len() {
                Pos::new(row + 1, 0)
            } else {
                self.cursor
            };
        }
        let rest = self
            .line(row)
            .get(self.byte_at(self.cursor)..)
            .unwrap_or_default();
        let next = rest.graphemes(true).next().map_or(1, |g| g.chars().count());
        Pos::new(row, col + next)
    }

    /// The start of the word before the cursor (the previous line's end at a line's start).
    pub fn word_back(&self) -> Pos {
        let Pos { row, col } = self.cursor;
        if col == 0 {
            return self.back();
        }
        let chars: Vec<char> = self.line(row).chars().take(col).collect();
        let mut i = chars.len();
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        if let Some(class) = i.checked_sub(1).map(|j| class_of(chars[j])) {
            while i > 0 && class_of(chars[i - 1]) == class {
                i -= 1;
            }
        }
        Pos::new(row, i)
    }

    /// The start of the next word (the next line's start at a line's end).
    pub fn word_forward(&self) -> Pos {
        let Pos { row, col } = self.cursor;
        let chars: Vec<char> = self.line(row).chars().collect();
        if col >= chars.len() {
            return self.forward();
        }
        let mut i = col;
        let class = class_of(chars[i]);
        if !chars[i].is_whitespace() {
            while i < chars.len() && class_of(chars[i]) == class {
                i += 1;
            }
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        Pos::new(row, i)
    }

    /// The next (or previous) blank line, or the last (first) line.
    pub fn paragraph(&self, forward: bool) -> Pos {
        let blank = |row: usize| self.line(row).trim().is_empty();
        let row = self.cursor.row;
        let found = if forward {
            (row + 1..self.lines.len()).find(|r| blank(*r) && !blank(*r - 1))
        } else {
            (0..row).rev().find(|r| blank(*r) && !blank(*r + 1))
        };
        let row = found.unwrap_or(if forward { self.lines.len() - 1 } else { 0 });
        Pos::new(row, 0)
    }

    /// The cursor `rows` lines down (negative: up), column kept where the line allows.
    pub fn vertical(&self, rows: isize) -> Pos {
        let row = self.cursor.row.saturating_add_signed(rows);
        self.clamp(Pos::new(row, self.cursor.col))
    }

    /// The start and end of the text, and of the cursor's line.
    pub fn top(&self) -> Pos {
        Pos::default()
    }
    pub fn bottom(&self) -> Pos {
        let row = self.lines.len() - 1;
        Pos::new(row, self.line_chars(row))
    }
    pub fn line_start(&self) -> Pos {
        Pos::new(self.cursor.row, 0)
    }
    pub fn line_end(&self) -> Pos {
        Pos::new(self.cursor.row, self.line_chars(self.cursor.row))
    }

    /// One page (the rows on screen) down or up, the view scrolling with it.
    pub fn page(&mut self, down: bool, select: bool) {
        let rows = isize::try_from(self.page).unwrap_or(isize::MAX);
        let rows = if down { rows } else { -rows };
        let last = self.lines.len() - 1;
        self.scroll.top = self.scroll.top.saturating_add_signed(rows).min(last);
        let to = self.vertical(rows);
        self.move_to(to, select);
    }
}

/// Words are letters, digits and `_`; runs of other punctuation move as one word too.
fn class_of(c: char) -> u8 {
    if c.is_alphanumeric() || c == '_' {
        0
    } else if c.is_whitespace() {
        1
    } else {
        2
    }
}
