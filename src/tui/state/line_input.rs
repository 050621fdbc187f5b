//! `LineInput`: a one-line text input. The cursor is counted in characters (what the views
//! index by) but always sits on a grapheme-cluster boundary, so a ZWJ emoji or a letter with
//! a combining accent moves and deletes as one. Inserting a string is one splice, so a 100 KB
//! paste costs one copy of the text, not one per character.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A one-line text input: the text and a cursor counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineInput {
    pub text: String,
    pub cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        LineInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    /// The byte offset of character `chars` (the end when past it).
    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts `s` at the cursor, control characters dropped, in one splice.
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// The grapheme cluster before the cursor, as (byte start, characters in it).
    fn before(&self) -> Option<(usize, usize)> {
        let at = self.byte_at(self.cursor);
        self.text
            .get(..at)?
            .grapheme_indices(true)
            .next_back()
            .map(|(i, g)| (i, g.chars().count()))
    }

    /// The grapheme cluster at the cursor, as (byte start, characters in it).
    fn after(&self) -> Option<(usize, usize)> {
        let at = self.byte_at(self.cursor);
        self.text
            .get(at..)?
            .graphemes(true)
            .next()
            .map(|g| (at, g.chars().count()))
    }

    pub fn backspace(&mut self) {
        if let Some((start, count)) = self.before() {
            let end = self.byte_at(self.cursor);
            self.text.replace_range(start..end, "");
            self.cursor -= count;
        }
    }

    pub fn delete(&mut self) {
        if let Some((start, count)) = self.after() {
            let end = self.byte_at(self.cursor + count);
            self.text.replace_range(start..end, "");
        }
    }

    pub fn left(&mut self) {
        if let Some((_, count)) = self.before() {
            self.cursor -= count;
        }
    }

    pub fn right(&mut self) {
        if let Some((_, count)) = self.after() {
            self.cursor += count;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// Puts the cursor where a click `column` cells into the shown text lands, the text being
    /// shown from character `start` on: before the cluster under the click, or at the end.
    pub fn click(&mut self, start: usize, column: usize) {
        let from = self.byte_at(start);
        let mut cursor = start;
        let mut used = 0;
        for cluster in self.text.get(from..).unwrap_or_default().graphemes(true) {
            let width = cluster.width();
            if used + width > column {
                break;
            }
            used += width;
            cursor += cluster.chars().count();
        }
        self.cursor = cursor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_move_and_delete_whole() {
        // A family (four people joined by ZWJs), then e with a combining acute.
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        let mut input = LineInput::new(&format!("a{family}e\u{301}"));
        input.backspace();
        assert_eq!(input.text, format!("a{family}"));
        input.backspace();
        assert_eq!(input.text, "a");
        let mut input = LineInput::new(&format!("{family}b"));
        input.home();
        input.right();
        assert_eq!(input.cursor, family.chars().count());
        input.left();
        assert_eq!(input.cursor, 0);
        input.delete();
        assert_eq!(input.text, "b");
    }

    #[test]
    fn a_large_paste_is_one_splice() {
        let mut input = LineInput::new("ab");
        input.left();
        input.insert_str(&"x\u{7}".repeat(100_000));
        assert_eq!(input.text.len(), 100_002);
        assert_eq!(input.cursor, 100_001);
        assert!(input.text.ends_with("xb"));
    }

    #[test]
    fn clicks_land_on_cluster_boundaries_and_wide_characters() {
        let mut input = LineInput::new("a漢字bc");
        input.click(0, 0);
        assert_eq!(input.cursor, 0);
        // 漢 takes columns 1 and 2: a click on either lands before it.
        input.click(0, 2);
        assert_eq!(input.cursor, 1);
        input.click(0, 3);
        assert_eq!(input.cursor, 2);
        input.click(0, 99);
        assert_eq!(input.cursor, 5);
        // Shown from character 3 on ("bc"), column 1 is before "c".
        input.click(3, 1);
        assert_eq!(input.cursor, 4);
    }
}
