use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn editor(text: &str) -> CodeEditor {
    CodeEditor::new(text, "", true)
}

fn press(e: &mut CodeEditor, code: KeyCode, mods: KeyModifiers) -> Outcome {
    e.input(&KeyEvent::new(code, mods))
}

fn plain(e: &mut CodeEditor, code: KeyCode) -> Outcome {
    press(e, code, KeyModifiers::NONE)
}

fn typed(e: &mut CodeEditor, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            plain(e, KeyCode::Enter);
        } else {
            plain(e, KeyCode::Char(c));
        }
    }
}

#[test]
fn text_comes_back_as_it_went_in() {
    for text in ["", "a", "a\n", "a\nb", "\n", "{\n  \"a\": 1\n}\n"] {
        assert_eq!(editor(text).text(), text, "{text:?}");
    }
    assert_eq!(editor("a\r\nb").text(), "a\nb");
}

#[test]
fn typing_backspace_delete_and_newline_edit_where_the_cursor_is() {
    let mut e = editor("ab");
    plain(&mut e, KeyCode::Right);
    typed(&mut e, "X");
    assert_eq!(e.text(), "aXb");
    plain(&mut e, KeyCode::Backspace);
    plain(&mut e, KeyCode::Delete);
    assert_eq!(e.text(), "a");
    typed(&mut e, "\nz");
    assert_eq!(e.text(), "a\nz");
    plain(&mut e, KeyCode::Home);
    plain(&mut e, KeyCode::Backspace);
    assert_eq!(e.text(), "az");
    assert_eq!(e.cursor(), Pos::new(0, 1));
}

#[test]
fn moves_and_deletes_by_grapheme_cluster() {
    let mut e = editor("ae\u{301}b👍🏽");
    press(&mut e, KeyCode::End, KeyModifiers::NONE);
    plain(&mut e, KeyCode::Backspace);
    assert_eq!(e.text(), "ae\u{301}b");
    plain(&mut e, KeyCode::Left);
    plain(&mut e, KeyCode::Backspace);
    assert_eq!(e.text(), "ab");
}

#[test]
fn the_emacs_and_word_keys_of_the_old_editor() {
    let ctrl = KeyModifiers::CONTROL;
    let mut e = editor("one two three\nnext");
    press(&mut e, KeyCode::Right, ctrl);
    assert_eq!(e.cursor(), Pos::new(0, 4));
    press(&mut e, KeyCode::Char('e'), ctrl);
    assert_eq!(e.cursor(), Pos::new(0, 13));
    press(&mut e, KeyCode::Char('w'), ctrl);
    assert_eq!(e.text(), "one two \nnext");
    press(&mut e, KeyCode::Char('a'), ctrl);
    press(&mut e, KeyCode::Char('k'), ctrl);
    assert_eq!(e.text(), "\nnext");
    press(&mut e, KeyCode::Char('n'), ctrl);
    press(&mut e, KeyCode::Char('f'), ctrl);
    press(&mut e, KeyCode::Char('j'), ctrl);
    assert_eq!(e.text(), "\next");
    press(&mut e, KeyCode::Left, ctrl);
    assert_eq!(
        e.cursor(),
        Pos::new(0, 0),
        "a word back from a line's start is the line above"
    );
    press(&mut e, KeyCode::Char('>'), KeyModifiers::ALT);
    assert_eq!(e.cursor(), Pos::new(1, 3));
    press(&mut e, KeyCode::Char('<'), KeyModifiers::ALT);
    assert_eq!(e.cursor(), Pos::new(0, 0));
    assert_eq!(plain(&mut e, KeyCode::F(3)), Outcome::Ignored);
}

#[test]
fn undo_takes_back_a_run_of_typing_at_once_and_redo_brings_it_back() {
    let mut e = editor("x");
    plain(&mut e, KeyCode::End);
    typed(&mut e, "abc");
    typed(&mut e, "\n");
    typed(&mut e, "de");
    assert_eq!(e.text(), "xabc\nde");
    assert!(e.undo());
    assert_eq!(e.text(), "xabc\n");
    assert!(e.undo());
    assert_eq!(e.text(), "xabc");
    assert!(e.undo());
    assert_eq!((e.text().as_str(), e.cursor()), ("x", Pos::new(0, 1)));
    assert!(!e.undo());
    assert!(e.redo() && e.redo() && e.redo());
    assert_eq!(
        (e.text().as_str(), e.cursor()),
        ("xabc\nde", Pos::new(1, 2))
    );
    assert!(!e.redo());
    // A move ends the run; a new edit forgets what could be redone.
    e.undo();
    plain(&mut e, KeyCode::Left);
    typed(&mut e, "!");
    assert!(!e.redo());
    assert_eq!(e.text(), "xabc!\n");
}

#[test]
fn deleting_in_a_row_undoes_at_once_and_a_paste_is_one_step() {
    let mut e = editor("hello");
    plain(&mut e, KeyCode::End);
    for _ in 0..3 {
        plain(&mut e, KeyCode::Backspace);
    }
    e.insert_str("p\nq\nr");
    assert_eq!(e.text(), "hep\nq\nr");
    e.undo();
    assert_eq!(e.text(), "he");
    e.undo();
    assert_eq!(e.text(), "hello");
}

#[test]
fn undo_history_is_bounded() {
    let mut e = editor("");
    for _ in 0..(MAX_UNDO_GROUPS + 50) {
        typed(&mut e, "\n");
    }
    let mut undone = 0;
    while e.undo() {
        undone += 1;
    }
    assert_eq!(undone, MAX_UNDO_GROUPS);
}

#[test]
fn shift_selects_and_typing_replaces_the_selection() {
    let shift = KeyModifiers::SHIFT;
    let mut e = editor("abc\ndef");
    press(&mut e, KeyCode::Right, shift);
    press(&mut e, KeyCode::Down, shift);
    assert_eq!(e.selection(), Some((Pos::new(0, 0), Pos::new(1, 1))));
    typed(&mut e, "Z");
    assert_eq!(e.text(), "Zef");
    press(&mut e, KeyCode::End, shift);
    assert_eq!(
        press(&mut e, KeyCode::Char('x'), KeyModifiers::CONTROL),
        Outcome::Cut("ef".into())
    );
    assert_eq!(e.text(), "Z");
    e.undo();
    assert_eq!(e.text(), "Zef");
}

#[test]
fn enter_keeps_the_indent_and_adds_a_level_after_an_opening() {
    let mut e = editor("");
    typed(&mut e, "{\n\"a\": [\n1\n");
    assert_eq!(e.text(), "{\n  \"a\": [\n    1\n    ");
    typed(&mut e, "]\n}");
    assert_eq!(e.text(), "{\n  \"a\": [\n    1\n  ]\n}");
    let mut e = editor("");
    typed(&mut e, "{% for x in xs %}\n{{ x }}\n");
    assert_eq!(e.text(), "{% for x in xs %}\n  {{ x }}\n  ");
}

#[test]
fn tab_indents_and_shift_tab_outdents_lines() {
    let mut e = editor("a\n  b\nc");
    e.indent();
    assert_eq!(e.text(), "  a\n  b\nc");
    assert_eq!(e.cursor(), Pos::new(0, 2));
    e.move_to(Pos::new(0, 3), false);
    e.move_to(Pos::new(2, 1), true);
    e.indent();
    assert_eq!(e.text(), "    a\n    b\n  c");
    assert_eq!(e.selection(), Some((Pos::new(0, 5), Pos::new(2, 3))));
    e.outdent();
    e.outdent();
    e.outdent();
    assert_eq!(e.text(), "a\nb\nc");
    e.undo();
    assert_eq!(e.text(), "  a\n  b\nc");
}

#[test]
fn the_scroll_follows_the_cursor_both_ways_and_only_as_far_as_needed() {
    let text: Vec<String> = (0..100).map(|i| format!("{i}{}", "x".repeat(50))).collect();
    let mut e = editor(&text.join("\n"));
    // 10 rows, 20 columns of which the gutter takes 5 (" 100 ").
    e.follow(10, 20);
    e.move_to(Pos::new(30, 40), false);
    e.follow(10, 20);
    assert_eq!(e.scroll(), Scroll { top: 21, left: 26 });
    e.move_to(Pos::new(25, 30), false);
    e.follow(10, 20);
    assert_eq!(e.scroll(), Scroll { top: 21, left: 26 });
    e.move_to(Pos::new(0, 0), false);
    e.follow(10, 20);
    assert_eq!(e.scroll(), Scroll::default());
    e.page(true, false);
    assert_eq!(e.cursor().row, 10);
    e.click(5 + 3, 2);
    assert_eq!(e.cursor(), Pos::new(12, 3));
}
