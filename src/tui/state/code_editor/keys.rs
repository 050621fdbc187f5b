//! The editing keys of [`CodeEditor`]: those `ratatui-textarea` gave (arrows, Home/End,
//! PgUp/PgDn, words, paragraphs, the emacs-style Ctrl and Alt keys), Shift with a move to
//! select, and Enter with auto-indent. Undo, redo, Tab and Shift-Tab are keymap actions
//! (`keymap.rs`), since they are listed in the help; `update` calls them.

use super::{CodeEditor, Pos};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not an editing key.
    Ignored,
    /// The cursor (or selection) moved; the text is the same.
    Moved,
    /// The text changed.
    Edited,
    /// The selection was cut: the text changed, and this is what was cut.
    Cut(String),
}

/// A cursor move a key asks for.
#[derive(Debug, Clone, Copy)]
enum Move {
    Back,
    Forward,
    Up,
    Down,
    Head,
    End,
    WordBack,
    WordForward,
    ParagraphBack,
    ParagraphForward,
    Top,
    Bottom,
    PageUp,
    PageDown,
}

impl CodeEditor {
    /// Handles one key press.
    pub fn input(&mut self, key: &KeyEvent) -> Outcome {
        let mods = key.modifiers;
        let ctrl = mods.contains(KeyModifiers::CONTROL);
        let alt = mods.contains(KeyModifiers::ALT);
        let select = mods.contains(KeyModifiers::SHIFT);
        if let Some(step) = movement(key.code, ctrl, alt) {
            self.step(step, select);
            return Outcome::Moved;
        }
        match (key.code, ctrl, alt) {
            (KeyCode::Enter, _, false) | (KeyCode::Char('m'), true, false) => self.newline(),
            (KeyCode::Char(c), false, false) => self.insert_char(c),
            (KeyCode::Backspace, false, false) | (KeyCode::Char('h'), true, false) => {
                self.delete_to(self.back());
            }
            (KeyCode::Delete, false, false) | (KeyCode::Char('d'), true, false) => {
                self.delete_to(self.forward());
            }
            (KeyCode::Char('k'), true, false) => self.delete_to(self.line_end()),
            (KeyCode::Char('j'), true, false) => self.delete_to(self.line_start()),
            (KeyCode::Char('w'), true, false)
            | (KeyCode::Char('h') | KeyCode::Backspace, false, true) => {
                self.delete_to(self.word_back());
            }
            (KeyCode::Delete | KeyCode::Char('d'), false, true) => {
                self.delete_to(self.word_forward());
            }
            (KeyCode::Char('x'), true, false) => {
                return self.cut().map_or(Outcome::Ignored, Outcome::Cut);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Edited
    }

    fn step(&mut self, step: Move, select: bool) {
        let to = match step {
            Move::PageUp | Move::PageDown => {
                self.page(matches!(step, Move::PageDown), select);
                return;
            }
            Move::Back => self.back(),
            Move::Forward => self.forward(),
            Move::Up => self.vertical(-1),
            Move::Down => self.vertical(1),
            Move::Head => self.line_start(),
            Move::End => self.line_end(),
            Move::WordBack => self.word_back(),
            Move::WordForward => self.word_forward(),
            Move::ParagraphBack => self.paragraph(false),
            Move::ParagraphForward => self.paragraph(true),
            Move::Top => self.top(),
            Move::Bottom => self.bottom(),
        };
        // A plain ← or → over a selection lands on its edge, as most editors do.
        let to = match (self.selection(), step, select) {
            (Some((start, _)), Move::Back, false) => start,
            (Some((_, end)), Move::Forward, false) => end,
            _ => to,
        };
        self.move_to(Pos::new(to.row, to.col), select);
    }
}

/// The move a key means (Shift, which selects, aside).
fn movement(code: KeyCode, ctrl: bool, alt: bool) -> Option<Move> {
    let step = match (code, ctrl, alt) {
        (KeyCode::Left, false, false) | (KeyCode::Char('b'), true, false) => Move::Back,
        (KeyCode::Right, false, false) | (KeyCode::Char('f'), true, false) => Move::Forward,
        (KeyCode::Up, false, false) | (KeyCode::Char('p'), true, false) => Move::Up,
        (KeyCode::Down, false, false) | (KeyCode::Char('n'), true, false) => Move::Down,
        (KeyCode::Home, false, _)
        | (KeyCode::Char('a'), true, false)
        | (KeyCode::Left | KeyCode::Char('b'), true, true) => Move::Head,
        (KeyCode::End, false, _)
        | (KeyCode::Char('e'), true, false)
        | (KeyCode::Right | KeyCode::Char('f'), true, true) => Move::End,
        (KeyCode::Left, true, false) | (KeyCode::Char('b'), false, true) => Move::WordBack,
        (KeyCode::Right, true, false) | (KeyCode::Char('f'), false, true) => Move::WordForward,
        (KeyCode::Up, true, false) | (KeyCode::Char('[' | 'p'), false, true) => Move::ParagraphBack,
        (KeyCode::Down, true, false) | (KeyCode::Char(']' | 'n'), false, true) => {
            Move::ParagraphForward
        }
        (KeyCode::Home, true, _)
        | (KeyCode::Char('<'), false, true)
        | (KeyCode::Up | KeyCode::Char('p'), true, true) => Move::Top,
        (KeyCode::End, true, _)
        | (KeyCode::Char('>'), false, true)
        | (KeyCode::Down | KeyCode::Char('n'), true, true) => Move::Bottom,
        (KeyCode::PageUp, ..) | (KeyCode::Char('v'), false, true) => Move::PageUp,
        (KeyCode::PageDown, ..) | (KeyCode::Char('v'), true, false) => Move::PageDown,
        _ => return None,
    };
    Some(step)
}
