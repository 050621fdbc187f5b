use super::*;
use crossterm::event::KeyModifiers;

/// The default keymap's answers, as the editor gives them before any `[keys]`.
fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    Keymap::default().lookup(context, event)
}

fn keys_for(context: Context, action: Action) -> String {
    Keymap::default().keys_for(context, action)
}

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn ctrl_keys_are_global_and_case_insensitive() {
    let e = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(lookup(Table, &e), Some(Action::Save));
    assert_eq!(lookup(Form, &e), Some(Action::Save));
    let e = key(
        KeyCode::Char('S'),
        KeyModifiers::CONTROL | KeyModifiers::SHIFT,
    );
    assert_eq!(lookup(Form, &e), Some(Action::Save));
}

#[test]
fn shifted_letters_are_distinct_actions() {
    let lower = key(KeyCode::Char('k'), KeyModifiers::NONE);
    let upper = key(KeyCode::Char('K'), KeyModifiers::SHIFT);
    assert_eq!(lookup(Table, &lower), Some(Action::Up));
    assert_eq!(lookup(Table, &upper), Some(Action::MoveUp));
    let shift_up = key(KeyCode::Up, KeyModifiers::SHIFT);
    assert_eq!(lookup(Table, &shift_up), Some(Action::MoveUp));
    assert_eq!(
        lookup(Table, &key(KeyCode::Up, KeyModifiers::NONE)),
        Some(Action::Up)
    );
}

#[test]
fn plain_letters_do_nothing_in_form_fields() {
    let e = key(KeyCode::Char('a'), KeyModifiers::NONE);
    assert_eq!(lookup(Form, &e), None);
    assert_eq!(lookup(Template, &e), None);
}

#[test]
fn help_lists_every_keyed_binding() {
    let text = markdown();
    assert!(text.contains("| Everywhere | Ctrl-S | save"), "{text}");
    assert!(text.contains("Ctrl-Q Ctrl-C"), "{text}");
    assert_eq!(keys_for(Table, Action::MoveUp), "K/Shift-↑");
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn merged(pairs: &[(&str, &[&str])]) -> Result<Keymap, KeymapError> {
    let owned: Vec<(String, Vec<String>)> = pairs
        .iter()
        .map(|(a, k)| ((*a).to_owned(), keys(k)))
        .collect();
    Keymap::with_overrides(owned.iter().map(|(a, k)| (a.as_str(), k.as_slice())))
}

#[test]
fn parses_the_documented_key_spellings() {
    let cases = [
        ("ctrl-s", ctrl('s')),
        ("Ctrl-S", ctrl('s')),
        ("alt-1", alt('1')),
        ("f5", plain(KeyCode::F(5))),
        ("F12", plain(KeyCode::F(12))),
        ("shift-tab", plain(KeyCode::BackTab)),
        ("esc", plain(KeyCode::Esc)),
        ("enter", plain(KeyCode::Enter)),
        ("space", ch(' ')),
        ("a", ch('a')),
        ("K", ch('K')),
        ("shift-k", ch('K')),
        ("?", ch('?')),
        ("-", ch('-')),
        ("ctrl--", ctrl('-')),
        ("shift-up", shift(KeyCode::Up)),
        ("del", plain(KeyCode::Delete)),
    ];
    for (text, want) in cases {
        assert_eq!(Key::parse(text), Ok(want), "{text}");
    }
    for bad in ["", "ctrl-", "f0", "f99", "hyper-x", "ctrl-foo", "\u{7}"] {
        assert!(Key::parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn a_parsed_key_matches_the_press_it_names() {
    let parsed = Key::parse("ctrl-g").unwrap();
    assert!(parsed.matches(&key(KeyCode::Char('g'), KeyModifiers::CONTROL)));
    let parsed = Key::parse("shift-tab").unwrap();
    assert!(parsed.matches(&key(KeyCode::BackTab, KeyModifiers::SHIFT)));
}

proptest::proptest! {
    #[test]
    fn key_parser_never_panics(text in "\\PC{0,12}") {
        let _ = Key::parse(&text);
    }

    #[test]
    fn key_parser_never_panics_on_modifier_soup(
        text in "(ctrl-|alt-|shift-|CTRL-|-){0,4}[a-zA-Z0-9?\\- ]{0,6}"
    ) {
        let _ = Key::parse(&text);
    }
}

#[test]
fn the_defaults_have_no_conflicts() {
    assert_eq!(merged(&[]), Ok(Keymap::default()));
}

#[test]
fn a_rebound_key_triggers_the_action_and_the_old_one_does_not() {
    let map = merged(&[("submit", &["ctrl-g"]), ("try_it", &["ctrl-t", "f9"])]).unwrap();
    let ctrl_g = key(KeyCode::Char('g'), KeyModifiers::CONTROL);
    let ctrl_r = key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(map.lookup(Table, &ctrl_g), Some(Action::Review));
    assert_eq!(map.lookup(Global, &ctrl_g), Some(Action::Review));
    assert_eq!(map.lookup(Form, &ctrl_r), None);
    let f9 = key(KeyCode::F(9), KeyModifiers::NONE);
    assert_eq!(map.lookup(Form, &f9), Some(Action::TryIt));
    // The defaults are untouched.
    assert_eq!(
        Keymap::default().lookup(Form, &ctrl_r),
        Some(Action::Review)
    );
}

#[test]
fn help_and_hints_show_the_effective_keys() {
    let map = merged(&[("submit", &["ctrl-g"]), ("add", &["n"])]).unwrap();
    assert!(
        map.hints(Table, |_| true)
            .contains(&("Ctrl-G".to_owned(), "submit"))
    );
    assert!(
        map.hints(Table, |_| true)
            .contains(&("n".to_owned(), "add"))
    );
    assert_eq!(map.keys_for(Global, Action::Review), "Ctrl-G");
    let global = &map.help_sections()[0].1;
    assert!(
        global
            .iter()
            .any(|(k, h)| k == "Ctrl-G" && h.starts_with("review"))
    );
    assert!(!global.iter().any(|(k, _)| k == "Ctrl-R"));
}

#[test]
fn an_action_in_two_contexts_is_rebound_in_both() {
    let map = merged(&[("up", &["ctrl-n"])]).unwrap();
    let ctrl_n = key(KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(map.lookup(Form, &ctrl_n), Some(Action::Up));
    assert_eq!(map.lookup(Table, &ctrl_n), Some(Action::Up));
    let k = key(KeyCode::Char('k'), KeyModifiers::NONE);
    assert_eq!(map.lookup(Table, &k), None);
}

#[test]
fn swapping_two_keys_is_allowed() {
    let map = merged(&[("save", &["ctrl-r"]), ("submit", &["ctrl-s"])]).unwrap();
    let ctrl_s = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(map.lookup(Form, &ctrl_s), Some(Action::Review));
}

#[test]
fn bad_tables_are_errors_naming_the_key_and_value() {
    let err = merged(&[("sumbit", &["ctrl-g"])]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("keys.sumbit: unknown action; known: save, submit"),
        "{err}"
    );
    let err = merged(&[("submit", &["ctrl-foo"])]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "keys.submit = \"ctrl-foo\": unknown key name \"foo\""
    );
    let err = merged(&[("save", &["ctrl-r"])]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "keys: Ctrl-R is bound to both save and submit (Form fields)"
    );
    let err = merged(&[("add", &["ctrl-s"])]).unwrap_err();
    assert!(
        err.to_string()
            .contains("Ctrl-S is bound to both save and add"),
        "{err}"
    );
    let err = merged(&[("save", &["w"])]).unwrap_err();
    assert!(
        err.to_string()
            .contains("keys.save = \"w\": a plain character"),
        "{err}"
    );
    let err = merged(&[("save", &[])]).unwrap_err();
    assert_eq!(err.to_string(), "keys.save: give at least one key");
}

/// The README lists every name the `[keys]` table accepts.
#[test]
fn readme_lists_the_action_names() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let list = action_names_markdown();
    assert!(
        readme.contains(&list),
        "README.md's [keys] action list is stale; replace it with:\n{list}"
    );
}

/// The README's key table is generated from this keymap, so it cannot go stale either.
#[test]
fn readme_has_the_keymap_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = markdown();
    assert!(
        readme.contains(table.trim_end()),
        "README.md's key table is stale; replace it with:\n{table}"
    );
}

fn config(text: &str) -> Result<Keymap, ConfigError> {
    let config = Config::parse(text, Some(std::path::Path::new("config.toml")))?;
    Keymap::from_config(&config)
}

#[test]
fn a_configs_keys_table_rebinds_editor_actions() {
    let map =
        config("[keys]\nsubmit = \"ctrl-g\"\ntry_it = [\"ctrl-t\", \"f9\"]\n").expect("valid keys");
    let ctrl_g = key(KeyCode::Char('g'), KeyModifiers::CONTROL);
    let ctrl_r = key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    let f9 = key(KeyCode::F(9), KeyModifiers::NONE);
    assert_eq!(map.lookup(Form, &ctrl_g), Some(Action::Review));
    assert_eq!(map.lookup(Form, &ctrl_r), None);
    assert_eq!(map.lookup(Table, &f9), Some(Action::TryIt));
    assert_eq!(config("").expect("empty"), Keymap::default());
}

#[test]
fn bad_keys_are_config_errors_naming_the_file_key_and_value() {
    let message = |text: &str| config(text).expect_err("refused").to_string();
    assert_eq!(
        message("[keys]\nsubmit = \"ctrl-nope\"\n"),
        "config file config.toml: keys.submit = \"ctrl-nope\": unknown key name \"nope\""
    );
    assert!(message("[keys]\nsubmitt = \"ctrl-g\"\n").starts_with(
        "config file config.toml: keys.submitt: unknown action; known: save, submit,"
    ));
    assert_eq!(
        message("[keys]\nsave = \"ctrl-t\"\n"),
        "config file config.toml: keys: Ctrl-T is bound to both save and try_it (Form fields)"
    );
}

#[test]
fn an_arrow_pair_in_a_text_names_each_arrows_row() {
    let map = Keymap::default();
    assert_eq!(map.key(Context::Results, "↑↓ PgUp PgDn"), "↑↓ PgUp PgDn");
    assert_eq!(
        map.hints(Context::Lists, |_| true)
            .first()
            .map(|h| h.0.as_str()),
        Some("↑↓")
    );
    let map = merged(&[("up", &["alt-p"])]).unwrap();
    assert_eq!(map.key(Context::Results, "↑↓"), "Alt-p/↓");
    assert_eq!(map.key(Context::Lists, "↑↓"), "Alt-p/↓");
}
