//! The overlays' keys come from the keymap: a key rebound under `[keys]` works in the overlay
//! and the default one no longer does, while text typed into a prompt stays text.

use super::*;
use crate::tui::keymap::{Keymap, KeymapError};

/// The state with `[keys]` applied.
fn rebound(s: &mut State, pairs: &[(&str, &[&str])]) {
    let owned: Vec<(String, Vec<String>)> = pairs
        .iter()
        .map(|(a, k)| ((*a).to_owned(), k.iter().map(|k| (*k).to_owned()).collect()))
        .collect();
    s.keymap = Keymap::with_overrides(owned.iter().map(|(a, k)| (a.as_str(), k.as_slice())))
        .expect("valid keys");
}

fn overrides(pairs: &[(&str, &[&str])]) -> Result<Keymap, KeymapError> {
    let owned: Vec<(String, Vec<String>)> = pairs
        .iter()
        .map(|(a, k)| ((*a).to_owned(), k.iter().map(|k| (*k).to_owned()).collect()))
        .collect();
    Keymap::with_overrides(owned.iter().map(|(a, k)| (a.as_str(), k.as_slice())))
}

fn key(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

#[test]
fn a_rebound_back_key_closes_help_and_esc_no_longer_does() {
    let mut s = state();
    rebound(&mut s, &[("back", &["ctrl-g"])]);
    press(&mut s, KeyCode::F(1));
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "save");
    // Esc is no key of the help's filter any more: the filter stays.
    press(&mut s, KeyCode::Esc);
    assert!(
        matches!(&s.overlay, Some(Overlay::Help { filter: Some(f), .. }) if f.text == "save"),
        "{:?}",
        s.overlay
    );
    ctrl(&mut s, 'g');
    assert!(
        matches!(s.overlay, Some(Overlay::Help { filter: None, .. })),
        "the new key clears the filter first"
    );
    ctrl(&mut s, 'g');
    assert!(s.overlay.is_none(), "then closes help");
}

#[test]
fn rebound_list_keys_move_in_the_problems_list() {
    let mut s = state();
    s.connector.set("url", "not a url".into());
    s.connector.set("name", serde_json::Value::Null);
    // The focused field's input is the connector's again (F3 writes it back first).
    s.load_form_input();
    s.refresh();
    assert!(s.problems().len() >= 2, "{:?}", s.problems());
    // Ctrl-P was the palette's: it moves to another key so the two do not clash.
    assert!(overrides(&[("down", &["ctrl-n"]), ("up", &["ctrl-p"])]).is_err());
    rebound(
        &mut s,
        &[
            ("down", &["ctrl-n"]),
            ("up", &["alt-p"]),
            ("palette", &["f2"]),
        ],
    );
    press(&mut s, KeyCode::F(3));
    let selected = |s: &State| match s.overlay {
        Some(Overlay::Problems { selected }) => Some(selected),
        _ => None,
    };
    assert_eq!(selected(&s), Some(0));
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Char('j'));
    assert_eq!(selected(&s), Some(0), "↓ and j no longer move");
    ctrl(&mut s, 'n');
    assert_eq!(selected(&s), Some(1));
    alt(&mut s, 'p');
    assert_eq!(selected(&s), Some(0));
}

#[test]
fn a_rebound_confirm_key_saves_as_and_enter_types_nothing_in_the_prompt() {
    let mut s = state();
    s.file = None;
    rebound(&mut s, &[("confirm", &["ctrl-j"])]);
    ctrl(&mut s, 's');
    assert!(matches!(s.overlay, Some(Overlay::SaveAs { .. })));
    assert!(
        press(&mut s, KeyCode::Enter).is_empty(),
        "Enter saves no more"
    );
    assert!(matches!(s.overlay, Some(Overlay::SaveAs { .. })));
    let effects = ctrl(&mut s, 'j');
    assert!(
        matches!(effects.as_slice(), [Effect::Save { path, .. }] if path == &PathBuf::from("scoring.json")),
        "{effects:?}"
    );
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
    assert_eq!(
        map.keys_for(crate::tui::keymap::Context::Browse, Action::Refresh),
        "R"
    );
}

#[test]
fn rebound_browse_keys_refresh_and_create_and_the_old_letters_do_not() {
    let mut s = state();
    rebound(&mut s, &[("refresh", &["R"]), ("new", &["ctrl-n"])]);
    ctrl(&mut s, 'o');
    assert!(
        press(&mut s, KeyCode::Char('r')).is_empty(),
        "r refreshes no more"
    );
    let effects = key(&mut s, KeyCode::Char('R'), KeyModifiers::SHIFT);
    assert!(
        effects.contains(&Effect::ListLocal),
        "R refreshes: {effects:?}"
    );
    press(&mut s, KeyCode::Char('n'));
    assert!(
        matches!(s.overlay, Some(Overlay::Browse(_))),
        "n is no key now"
    );
    s.dirty = false;
    ctrl(&mut s, 'n');
    assert!(
        s.overlay.is_none(),
        "a new connector opened: {:?}",
        s.overlay
    );
    assert!(s.file.is_none());
}

#[test]
fn rebound_unsaved_answers_and_cell_keys() {
    let mut s = state();
    rebound(&mut s, &[("discard", &["x"])]);
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    ctrl(&mut s, 'q');
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    press(&mut s, KeyCode::Char('d'));
    assert!(!s.quit, "d discards no more");
    press(&mut s, KeyCode::Char('x'));
    assert!(s.quit, "x discards and quits");

    let mut s = state();
    rebound(&mut s, &[("next_focus", &["ctrl-t"]), ("try_it", &["f9"])]);
    alt(&mut s, '1');
    press(&mut s, KeyCode::Enter);
    assert!(s.cell.as_ref().is_some_and(|c| c.column == Column::Name));
    press(&mut s, KeyCode::Tab);
    assert!(
        s.cell.as_ref().is_some_and(|c| c.column == Column::Name),
        "Tab switches no more"
    );
    ctrl(&mut s, 't');
    assert!(s.cell.as_ref().is_some_and(|c| c.column == Column::Value));
}
