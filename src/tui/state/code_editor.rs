//! `CodeEditor`: the multi-line editor behind the template, Cargo's config JSON and the bulk
//! edit. Lines of text, a cursor counted in characters (moved and deleted by grapheme
//! cluster), an optional selection, a scroll position and an undo history.
//!
//! Every change is one [`Splice`] (a range of text replaced by other text) applied to the lines
//! it touches, so a keystroke costs the edited line, never the file, and undo replays splices
//! backwards. Knows nothing of drawing (`view/code.rs`); keys are mapped in `code_editor/keys.rs`.

use unicode_width::UnicodeWidthChar;

mod keys;
mod motion;
#[cfg(test)]
mod tests;

pub use keys::Outcome;

/// Spaces one indent level is (Tab, Shift-Tab and auto-indent).
pub const INDENT: &str = "  ";

/// How much undo history an editor keeps: this many groups, and about this many bytes of
/// removed and inserted text; the oldest groups go first.
const MAX_UNDO_GROUPS: usize = 1000;
const MAX_UNDO_BYTES: usize = 8 * 1024 * 1024;

/// A place in the text: row, and column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub row: usize,
    pub col: usize,
}

impl Pos {
    pub const fn new(row: usize, col: usize) -> Self {
        Pos { row, col }
    }
}

/// One change: at `at`, `removed` was replaced by `inserted`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Splice {
    at: Pos,
    removed: String,
    inserted: String,
}

/// What kind of edit a group holds, so typing (or deleting) in a row undoes as one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Typing,
    Deleting,
    /// Newlines, pastes, indents, cuts: each its own undo step.
    Other,
}

/// The splices one undo step takes back, and where the cursor was before and after them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    splices: Vec<Splice>,
    before: Pos,
    after: Pos,
    kind: EditKind,
    bytes: usize,
}

/// What is drawn where: the first row and the first display column shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scroll {
    pub top: usize,
    pub left: usize,
}

/// A multi-line text editor's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEditor {
    lines: Vec<String>,
    cursor: Pos,
    /// The other end of the selection, while there is one.
    anchor: Option<Pos>,
    scroll: Scroll,
    /// The text rows the editor had on screen when `update` last asked (page moves).
    page: usize,
    undo: Vec<Group>,
    redo: Vec<Group>,
    /// The next edit starts a new undo group (the cursor moved since the last one).
    sealed: bool,
    pub placeholder: &'static str,
    /// Whether a line-number gutter is drawn (template and JSON editors, not the bulk edit).
    pub gutter: bool,
}

impl CodeEditor {
    /// An editor over `text`, cursor at the top. A final newline gives a last empty line, so
    /// [`CodeEditor::text`] gives back exactly what came in (`\r\n` read as `\n`).
    pub fn new(text: &str, placeholder: &'static str, gutter: bool) -> Self {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if text.ends_with('\n') || lines.is_empty() {
            lines.push(String::new());
        }
        CodeEditor {
            lines,
            cursor: Pos::default(),
            anchor: None,
            scroll: Scroll::default(),
            page: 10,
            undo: Vec::new(),
            redo: Vec::new(),
            sealed: true,
            placeholder,
            gutter,
        }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The whole text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    pub fn cursor(&self) -> Pos {
        self.cursor
    }

    /// The selection as (start, end), start first; `None` when nothing is selected.
    pub fn selection(&self) -> Option<(Pos, Pos)> {
        let anchor = self.anchor?;
        (anchor != self.cursor).then(|| (anchor.min(self.cursor), anchor.max(self.cursor)))
    }

    pub fn scroll(&self) -> Scroll {
        self.scroll
    }

    /// Columns the line-number gutter takes: the widest number and a space either side.
    pub fn gutter_width(&self) -> u16 {
        if self.gutter {
            u16::try_from(self.lines.len().to_string().len() + 2).unwrap_or(u16::MAX)
        } else {
            0
        }
    }

    fn line(&self, row: usize) -> &str {
        self.lines.get(row).map_or("", String::as_str)
    }

    fn line_chars(&self, row: usize) -> usize {
        self.line(row).chars().count()
    }

    /// A position moved inside the text.
    fn clamp(&self, pos: Pos) -> Pos {
        let row = pos.row.min(self.lines.len() - 1);
        Pos::new(row, pos.col.min(self.line_chars(row)))
    }

    /// Puts the cursor at `pos` (clamped into the text); `select` keeps or starts a selection
    /// from where the cursor was, otherwise any selection ends.
    pub fn move_to(&mut self, pos: Pos, select: bool) {
        if select {
            self.anchor.get_or_insert(self.cursor);
        } else {
            self.anchor = None;
        }
        self.cursor = self.clamp(pos);
        self.sealed = true;
    }

    /// The cursor at the very end of the text.
    pub fn move_to_end(&mut self) {
        let row = self.lines.len() - 1;
        self.move_to(Pos::new(row, self.line_chars(row)), false);
    }

    /// The scroll position that shows the cursor, moved as little as possible from the current
    /// one, for a text area of `height` rows and `width` columns (the gutter included).
    pub fn scroll_for(&self, height: u16, width: u16) -> Scroll {
        let height = usize::from(height.max(1));
        let width = usize::from(width.saturating_sub(self.gutter_width()).max(1));
        let Scroll { mut top, mut left } = self.scroll;
        let row = self.cursor.row;
        if row < top {
            top = row;
        } else if row >= top + height {
            top = row + 1 - height;
        }
        let x = display_width(self.line(row), self.cursor.col);
        if x < left {
            left = x;
        } else if x >= left + width {
            left = x + 1 - width;
        }
        Scroll { top, left }
    }

    /// Keeps the cursor in view of a text area that size (`update` calls it after each key).
    pub fn follow(&mut self, height: u16, width: u16) {
        self.scroll = self.scroll_for(height, width);
        self.page = usize::from(height.max(1));
    }

    /// Scrolls by `rows` (negative: up), the cursor moving with the text so it stays in view.
    pub fn scroll_by(&mut self, rows: isize) {
        let last = self.lines.len() - 1;
        let shift = |v: usize| v.saturating_add_signed(rows).min(last);
        self.scroll.top = shift(self.scroll.top);
        let to = Pos::new(shift(self.cursor.row), self.cursor.col);
        self.move_to(to, false);
    }

    /// The position a click at `(x, y)` in the text area lands on (the gutter included in `x`).
    pub fn click(&mut self, x: u16, y: u16) {
        let row = self.scroll.top + usize::from(y);
        let row = row.min(self.lines.len() - 1);
        let column = self.scroll.left + usize::from(x.saturating_sub(self.gutter_width()));
        let col = col_at_width(self.line(row), column);
        self.move_to(Pos::new(row, col), false);
    }

    /// The byte offset of character `col` in line `row` (the line's end when past it).
    fn byte_at(&self, pos: Pos) -> usize {
        let line = self.line(pos.row);
        line.char_indices()
            .nth(pos.col)
            .map_or(line.len(), |(i, _)| i)
    }

    /// The text between two positions (`start` first), newlines included.
    pub fn text_between(&self, start: Pos, end: Pos) -> String {
        let (sb, eb) = (self.byte_at(start), self.byte_at(end));
        if start.row == end.row {
            return self
                .line(start.row)
                .get(sb..eb)
                .unwrap_or_default()
                .to_owned();
        }
        let mut out = self
            .line(start.row)
            .get(sb..)
            .unwrap_or_default()
            .to_owned();
        for row in start.row + 1..end.row {
            out.push('\n');
            out.push_str(self.line(row));
        }
        out.push('\n');
        out.push_str(self.line(end.row).get(..eb).unwrap_or_default());
        out
    }

    /// Replaces the text from `start` to `end` with `text` and returns where the inserted text
    /// ends. Only the lines in the range are touched.
    fn splice(&mut self, start: Pos, end: Pos, text: &str) -> Pos {
        let (sb, eb) = (self.byte_at(start), self.byte_at(end));
        let end_pos = end_of(start, text);
        if start.row == end.row && !text.contains('\n') {
            self.lines[start.row].replace_range(sb..eb, text);
            return end_pos;
        }
        let head = self
            .line(start.row)
            .get(..sb)
            .unwrap_or_default()
            .to_owned();
        let tail = self.line(end.row).get(eb..).unwrap_or_default().to_owned();
        let mut pieces: Vec<String> = text.split('\n').map(str::to_owned).collect();
        if let Some(first) = pieces.first_mut() {
            first.insert_str(0, &head);
        }
        if let Some(last) = pieces.last_mut() {
            last.push_str(&tail);
        }
        self.lines.splice(start.row..=end.row, pieces);
        end_pos
    }

    /// Replaces `start..end` with `text` (unrecorded), returning the change made.
    fn apply(&mut self, start: Pos, end: Pos, text: &str) -> Option<Splice> {
        let (start, end) = (self.clamp(start.min(end)), self.clamp(start.max(end)));
        let removed = self.text_between(start, end);
        if removed.is_empty() && text.is_empty() {
            return None;
        }
        self.splice(start, end, text);
        Some(Splice {
            at: start,
            removed,
            inserted: text.to_owned(),
        })
    }

    /// Replaces `start..end` with `text` as one recorded edit and puts the cursor after it.
    pub fn edit(&mut self, start: Pos, end: Pos, text: &str, kind: EditKind) {
        let before = self.cursor;
        if let Some(splice) = self.apply(start, end, text) {
            self.cursor = end_of(splice.at, &splice.inserted);
            self.anchor = None;
            self.record(vec![splice], before, kind);
        }
    }

    /// Keeps splices for undo: typing (or deleting) right after typing (deleting) joins its
    /// group, anything else starts one. Drops the oldest groups past the bounds.
    fn record(&mut self, splices: Vec<Splice>, before: Pos, kind: EditKind) {
        self.redo.clear();
        let bytes: usize = splices
            .iter()
            .map(|s| s.removed.len() + s.inserted.len())
            .sum();
        let after = self.cursor;
        match self.undo.last_mut() {
            Some(group) if !self.sealed && kind != EditKind::Other && group.kind == kind => {
                group.splices.extend(splices);
                group.after = after;
                group.bytes += bytes;
            }
            _ => self.undo.push(Group {
                splices,
                before,
                after,
                kind,
                bytes,
            }),
        }
        self.sealed = kind == EditKind::Other;
        let mut total: usize = self.undo.iter().map(|g| g.bytes).sum();
        while self.undo.len() > MAX_UNDO_GROUPS || (total > MAX_UNDO_BYTES && self.undo.len() > 1) {
            total -= self.undo.remove(0).bytes;
        }
    }

    /// Takes back the last undo step; `false` when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(group) = self.undo.pop() else {
            return false;
        };
        for s in group.splices.iter().rev() {
            let end = end_of(s.at, &s.inserted);
            self.splice(s.at, end, &s.removed);
        }
        self.cursor = self.clamp(group.before);
        self.anchor = None;
        self.sealed = true;
        self.redo.push(group);
        true
    }

    /// Does again what the last undo took back; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(group) = self.redo.pop() else {
            return false;
        };
        for s in &group.splices {
            let end = end_of(s.at, &s.removed);
            self.splice(s.at, end, &s.inserted);
        }
        self.cursor = self.clamp(group.after);
        self.anchor = None;
        self.sealed = true;
        self.undo.push(group);
        true
    }

    /// Inserts text at the cursor (replacing the selection) as one undo step: a paste.
    pub fn insert_str(&mut self, text: &str) {
        let (start, end) = self.selection().unwrap_or((self.cursor, self.cursor));
        self.edit(start, end, text, EditKind::Other);
    }

    /// Types one character (replacing the selection). A closing `}` or `]` typed into a line's
    /// indentation takes one level off it, as the matching opening line had.
    pub fn insert_char(&mut self, c: char) {
        let (mut start, end) = self.selection().unwrap_or((self.cursor, self.cursor));
        let head = self
            .line(start.row)
            .get(..self.byte_at(start))
            .unwrap_or_default();
        if matches!(c, '}' | ']') && head.len() >= INDENT.len() && head.bytes().all(|b| b == b' ') {
            start.col -= INDENT.len();
        }
        let mut buf = [0; 4];
        let kind = if self.selection().is_none() {
            EditKind::Typing
        } else {
            EditKind::Other
        };
        self.edit(start, end, c.encode_utf8(&mut buf), kind);
    }

    /// Deletes the selection, or the text from the cursor to `to`.
    pub fn delete_to(&mut self, to: Pos) {
        match self.selection() {
            Some((start, end)) => self.edit(start, end, "", EditKind::Other),
            None => self.edit(self.cursor, to, "", EditKind::Deleting),
        }
    }

    /// Replaces the `word` just before the cursor with `with` (a completion taken).
    pub fn complete_word(&mut self, word: &str, with: &str) {
        let start = Pos::new(
            self.cursor.row,
            self.cursor.col.saturating_sub(word.chars().count()),
        );
        self.edit(start, self.cursor, with, EditKind::Other);
    }

    /// The selected text, removed; `None` when nothing is selected.
    pub fn cut(&mut self) -> Option<String> {
        let (start, end) = self.selection()?;
        let text = self.text_between(start, end);
        self.edit(start, end, "", EditKind::Other);
        Some(text)
    }

    /// A new line at the cursor, indented like the current line, one level more after a line
    /// that opens a block (`{`, `[`, `(` or a Jinja block tag such as `{% for %}`).
    pub fn newline(&mut self) {
        let (start, end) = self.selection().unwrap_or((self.cursor, self.cursor));
        let line = self.line(start.row);
        let before: String = line.chars().take(start.col).collect();
        let mut indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        indent.truncate(before.len().min(indent.len()));
        if crate::template::highlight::opens_block(&before) {
            indent.push_str(INDENT);
        }
        self.edit(start, end, &format!("\n{indent}"), EditKind::Other);
    }

    /// The rows the selection covers, or the cursor's row.
    fn selected_rows(&self) -> std::ops::RangeInclusive<usize> {
        match self.selection() {
            // A selection that ends at the start of a line leaves that line alone.
            Some((start, end)) if end.col == 0 && end.row > start.row => start.row..=end.row - 1,
            Some((start, end)) => start.row..=end.row,
            None => self.cursor.row..=self.cursor.row,
        }
    }

    /// Tab: with a selection, every selected line one level in; without, spaces to the next
    /// indent stop at the cursor.
    pub fn indent(&mut self) {
        if self.selection().is_none() {
            let width = INDENT.len() - self.cursor.col % INDENT.len();
            self.edit(
                self.cursor,
                self.cursor,
                &" ".repeat(width),
                EditKind::Other,
            );
            return;
        }
        self.reindent(|line| (0, if line.is_empty() { "" } else { INDENT }));
    }

    /// Shift-Tab: the cursor's line (or every selected line) one level out.
    pub fn outdent(&mut self) {
        self.reindent(|line| {
            let spaces = line.chars().take_while(|c| *c == ' ').count();
            (spaces.min(INDENT.len()), "")
        });
    }

    /// Rewrites the start of each selected line: `change(line)` says how many characters to
    /// remove there and what to insert. One undo step; cursor and selection stay on their text.
    fn reindent(&mut self, change: impl Fn(&str) -> (usize, &'static str)) {
        let before = self.cursor;
        let (mut cursor, mut anchor) = (self.cursor, self.anchor);
        let mut splices = Vec::new();
        for row in self.selected_rows() {
            let (remove, insert) = change(self.line(row));
            let Some(splice) = self.apply(Pos::new(row, 0), Pos::new(row, remove), insert) else {
                continue;
            };
            splices.push(splice);
            cursor = shifted(cursor, row, remove, insert.len());
            anchor = anchor.map(|a| shifted(a, row, remove, insert.len()));
        }
        self.cursor = self.clamp(cursor);
        self.anchor = anchor.map(|a| self.clamp(a));
        if !splices.is_empty() {
            self.record(splices, before, EditKind::Other);
        }
    }
}

/// Where a position is once `removed` characters at the start of `row` became `inserted` ones.
fn shifted(pos: Pos, row: usize, removed: usize, inserted: usize) -> Pos {
    if pos.row != row {
        return pos;
    }
    let col = if pos.col < removed {
        inserted
    } else {
        pos.col - removed + inserted
    };
    Pos::new(row, col)
}

/// Where text inserted at `at` ends.
fn end_of(at: Pos, text: &str) -> Pos {
    match text.rsplit_once('\n') {
        None => Pos::new(at.row, at.col + text.chars().count()),
        Some((head, last)) => Pos::new(
            at.row + head.matches('\n').count() + 1,
            last.chars().count(),
        ),
    }
}

/// How wide a character is on screen at display column `x`: a tab reaches the next indent
/// stop, a control character (none should be there) takes one cell.
pub fn char_width(c: char, x: usize) -> usize {
    if c == '\t' {
        INDENT.len() - x % INDENT.len()
    } else {
        c.width().unwrap_or(1)
    }
}

/// The display width of the first `chars` characters of a line.
pub fn display_width(line: &str, chars: usize) -> usize {
    line.chars()
        .take(chars)
        .fold(0, |x, c| x + char_width(c, x))
}

/// The character a display column falls in (the line's end when past it).
fn col_at_width(line: &str, column: usize) -> usize {
    let mut x = 0;
    for (i, c) in line.chars().enumerate() {
        let w = char_width(c, x);
        if column < x + w {
            return i;
        }
        x += w;
    }
    line.chars().count()
}
