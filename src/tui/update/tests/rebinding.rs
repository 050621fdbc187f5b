//! The overlays' keys come from the keymap: a key rebound under `[keys]` works in the overlay
//! and the default one no longer does, while text typed into a prompt stays text.

use super::*;
use crate::tui::keymap::{Context, Keymap, KeymapError};

fn overrides(pairs: &[(&str, &[&str])]) -> Result<Keymap, KeymapError> {
    let owned: Vec<(String, Vec<String>)> = pairs
        .iter()
        .map(|(a, k)| ((*a).to_owned(), k.iter().map(|k| (*k).to_owned()).collect()))
        .collect();
    Keymap::with_overrides(owned.iter().map(|(a, k)| (a.as_str(), k.as_slice())))
}

/// The state with `[keys]` applied.
fn rebound(s: &mut State, pairs: &[(&str, &[&str])]) {
    s.keymap = overrides(pairs).expect("valid keys");
}

fn key(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Effects {
    Effects::new(update(s, Msg::Key(KeyEvent::new(code, mods))))
}

#[test]
fn a_rebound_back_key_closes_help_and_esc_no_longer_does() {
    let mut s = state();
    rebound(&mut s, &[("back", &["ctrl-g"])]);
    press(&mut s, KeyCode::F(1)).none();
    press(&mut s, KeyCode::Char('/')).none();
    typed(&mut s, "save").none();
    // Esc is no key of the help's filter any more: the filter stays.
    press(&mut s, KeyCode::Esc).none();
    assert!(
        matches!(&s.overlay, Some(Overlay::Help { filter: Some(f), .. }) if f.text == "save"),
        "{:?}",
        s.overlay
    );
    ctrl(&mut s, 'g').none();
    assert!(
        matches!(s.overlay, Some(Overlay::Help { filter: None, .. })),
        "the new key clears the filter first"
    );
    ctrl(&mut s, 'g').none();
    assert!(s.overlay.is_none(), "then closes help");
}

#[test]
fn rebound_list_keys_move_in_the_problems_list() {
    let mut s = state();
    s.doc.connector.set("url", "not a url".into());
    s.doc.connector.set("name", serde_json::Value::Null);
    // The focused field's input is the connector's again (F3 writes it back first).
    s.load_form_input();
    s.refresh();
    assert!(s.problems().len() >= 2, "{:?}", s.problems());
    // Ctrl-P is the palette's: `up` cannot take it while the palette keeps it.
    assert!(overrides(&[("down", &["ctrl-n"]), ("up", &["ctrl-p"])]).is_err());
    rebound(
        &mut s,
        &[
            ("down", &["ctrl-n"]),
            ("up", &["alt-p"]),
            ("palette", &["f2"]),
        ],
    );
    let _ = press(&mut s, KeyCode::F(3)).into_vec();
    let selected = |s: &State| match s.overlay {
        Some(Overlay::Problems { selected }) => Some(selected),
        _ => None,
    };
    assert_eq!(selected(&s), Some(0));
    press(&mut s, KeyCode::Down).none();
    press(&mut s, KeyCode::Char('j')).none();
    assert_eq!(selected(&s), Some(0), "↓ and j no longer move");
    ctrl(&mut s, 'n').none();
    assert_eq!(selected(&s), Some(1));
    alt(&mut s, 'p').none();
    assert_eq!(selected(&s), Some(0));
}

#[test]
fn a_rebound_confirm_key_saves_as_and_enter_no_longer_does() {
    let mut s = state();
    s.doc.file = None;
    rebound(&mut s, &[("confirm", &["ctrl-j"])]);
    ctrl(&mut s, 's').none();
    assert!(matches!(s.overlay, Some(Overlay::SaveAs { .. })));
    press(&mut s, KeyCode::Enter).none();
    assert!(
        matches!(s.overlay, Some(Overlay::SaveAs { .. })),
        "Enter saves no more"
    );
    ctrl(&mut s, 'j').expect(&[
        |e| matches!(e, Effect::Save { path, .. } if path == &PathBuf::from("scoring.json")),
    ]);
}

#[test]
fn a_prompt_action_cannot_be_a_plain_character() {
    let err = overrides(&[("confirm", &["y"])]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "keys.confirm = \"y\": a plain character types text in Editing a table cell; \
         use ctrl-, alt- or a named key"
    );
    // Browse's own letters can be other letters: they are no text there.
    let map = overrides(&[("refresh", &["R"])]).expect("a letter in browse");
    assert_eq!(map.keys_for(Context::Browse, Action::Refresh), "R");
}

#[test]
fn rebound_browse_keys_refresh_and_create_and_the_old_letters_do_not() {
    let mut s = state();
    rebound(&mut s, &[("refresh", &["R"]), ("new", &["ctrl-n"])]);
    open_browse(&mut s);
    press(&mut s, KeyCode::Char('r')).none();
    key(&mut s, KeyCode::Char('R'), KeyModifiers::SHIFT).expect(&[
        |e| matches!(e, Effect::ListRemote(_)),
        |e| matches!(e, Effect::ListLocal),
    ]);
    press(&mut s, KeyCode::Char('n')).none();
    assert!(
        matches!(s.overlay, Some(Overlay::Browse(_))),
        "n is no key now"
    );
    s.doc.dirty = false;
    // The new connector replaces the file's: its journal record and lock move.
    let opened = ctrl(&mut s, 'n').into_vec();
    assert!(!opened.is_empty());
    assert!(
        s.overlay.is_none(),
        "a new connector opened: {:?}",
        s.overlay
    );
    assert!(s.doc.file.is_none());
}

#[test]
fn rebound_unsaved_answers_and_cell_keys() {
    let mut s = state();
    rebound(&mut s, &[("discard", &["x"])]);
    focus_field(&mut s, "name");
    let _ = typed(&mut s, "!").into_vec();
    ctrl(&mut s, 'q').none();
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    press(&mut s, KeyCode::Char('d')).none();
    assert!(!s.quit, "d discards no more");
    // Nothing is kept: the journal record of the edits goes.
    press(&mut s, KeyCode::Char('x')).expect(&[|e| matches!(e, Effect::DiscardJournal(_))]);
    assert!(s.quit, "x discards and quits");

    let mut s = state();
    rebound(&mut s, &[("next_focus", &["ctrl-t"]), ("try_it", &["f9"])]);
    alt(&mut s, '1').none();
    press(&mut s, KeyCode::Enter).none();
    assert!(s.cell.as_ref().is_some_and(|c| c.column == Column::Name));
    press(&mut s, KeyCode::Tab).none();
    assert!(
        s.cell.as_ref().is_some_and(|c| c.column == Column::Name),
        "Tab switches no more"
    );
    ctrl(&mut s, 't').none();
    assert!(s.cell.as_ref().is_some_and(|c| c.column == Column::Value));
}
