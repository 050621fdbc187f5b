//! Lists that scale: `/` filters browse and help live, Esc clears the filter before it closes,
//! and Home, End, Page Up, Page Down, g and G move in browse, help and the problems list.

use super::*;
use crate::tui::keymap::{CONTEXTS, Context, FIXED, Keymap};
use crate::tui::state::BrowseEntry;
use crate::tui::test_fixtures::{local, remote};

/// Browse on Agent Stack with two remote connectors, two files and an example.
fn browse() -> State {
    let mut s = State::new(Connector::new(Vendor::AgentStack), Samples::new(), None);
    super::open_browse(&mut s);
    let remote = |id, url, state| remote(id, url, url, state);
    update(
        &mut s,
        Msg::RemoteListed(Ok(vec![
            remote("7", "https://hooks.example.com/a", "created"),
            remote("1234", "https://b.example.com/enrich", "connected"),
        ])),
    );
    update(
        &mut s,
        Msg::LocalListed {
            files: vec![
                local("scoring.json", "Scoring"),
                local("weather.json", "Weather"),
            ],
            examples: vec![local("/ex/demo.json", "Demo")],
        },
    );
    s
}

fn selected(s: &State) -> Option<String> {
    let Some(Overlay::Browse(browse)) = &s.overlay else {
        return None;
    };
    browse
        .entries()
        .get(browse.selected)
        .map(BrowseEntry::search_text)
}

fn screen(s: &mut State) -> String {
    s.session.size = (100, 30);
    crate::tui::test_fixtures::screen(s)
}

#[test]
fn slash_filters_browse_live_and_esc_clears_the_filter_then_closes() {
    let mut s = browse();
    press(&mut s, KeyCode::Char('/'));
    // While filtering, letters are text: `d` neither deletes nor `n` opens a new connector.
    typed(&mut s, "weand");
    assert!(matches!(s.overlay, Some(Overlay::Browse(_))));
    let shown = screen(&mut s);
    assert!(shown.contains("/ weand"), "{shown}");
    assert!(shown.contains("nothing matches"), "{shown}");
    for _ in 0.."and".len() {
        press(&mut s, KeyCode::Backspace);
    }
    let shown = screen(&mut s);
    assert!(shown.contains("weather.json"), "{shown}");
    assert!(!shown.contains("scoring.json"), "{shown}");
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::OpenFile {
            path: "weather.json".into(),
            as_new: false
        }]
    );

    let mut s = browse();
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "demo");
    press(&mut s, KeyCode::Esc);
    let Some(Overlay::Browse(b)) = &s.overlay else {
        panic!("the first Esc clears the filter and keeps browse open");
    };
    assert!(b.filter.is_none());
    assert!(screen(&mut s).contains("scoring.json"));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

#[test]
fn home_end_pages_and_g_move_in_browse() {
    let mut s = browse();
    press(&mut s, KeyCode::End);
    assert_eq!(selected(&s).as_deref(), Some("import OpenAPI"));
    press(&mut s, KeyCode::Char('g'));
    assert!(selected(&s).is_some_and(|t| t.starts_with("7 ")));
    press(&mut s, KeyCode::Char('G'));
    assert_eq!(selected(&s).as_deref(), Some("import OpenAPI"));
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::PageDown);
    // 2 remote, 2 files, 1 example, 3 new, 2 imports: a page down from the top stops at the last.
    assert_eq!(selected(&s).as_deref(), Some("import OpenAPI"));
    press(&mut s, KeyCode::PageUp);
    assert!(selected(&s).is_some_and(|t| t.starts_with("7 ")));
    // While filtering, g is text and Home/End still move.
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "json");
    press(&mut s, KeyCode::End);
    assert!(selected(&s).is_some_and(|t| t.contains("demo.json")));
}

#[test]
fn browse_rows_are_columns_and_agent_stack_rows_show_their_state() {
    let mut s = browse();
    let shown = screen(&mut s);
    assert!(
        shown.contains("On the target: Agent Stack connectors"),
        "{shown}"
    );
    assert!(
        shown.contains("#7     https://hooks.example.com/a   POST  created"),
        "{shown}"
    );
    assert!(
        shown.contains("#1234  https://b.example.com/enrich  POST  connected"),
        "{shown}"
    );
    assert!(shown.contains("scoring.json  Scoring"), "{shown}");
}

#[test]
fn slash_filters_help_and_esc_clears_it_then_closes() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "palette");
    let shown = screen(&mut s);
    assert!(shown.contains("command palette"), "{shown}");
    assert!(!shown.contains("undo"), "{shown}");
    press(&mut s, KeyCode::Esc);
    assert!(matches!(
        s.overlay,
        Some(Overlay::Help { filter: None, .. })
    ));
    assert!(screen(&mut s).contains("undo"));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

#[test]
fn home_end_and_pages_scroll_help() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    press(&mut s, KeyCode::PageDown);
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 10, .. })));
    press(&mut s, KeyCode::Char('g'));
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 0, .. })));
    press(&mut s, KeyCode::End);
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll, .. }) if scroll > 20));
    press(&mut s, KeyCode::Home);
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 0, .. })));
}

/// The state with the focus in each context, reached with the keys a user presses.
fn in_every_context() -> Vec<(Context, State)> {
    let mut out = Vec::new();
    let mut form = state();
    focus_field(&mut form, "name");
    out.push((Context::Form, form));
    let mut table = state();
    alt(&mut table, '1');
    out.push((Context::Table, table));
    let mut cell = state();
    alt(&mut cell, '1');
    press(&mut cell, KeyCode::Enter);
    out.push((Context::CellEdit, cell));
    let mut template = state();
    alt(&mut template, '4');
    out.push((Context::Template, template));
    let mut bulk = state();
    alt(&mut bulk, '1');
    press(&mut bulk, KeyCode::Char('b'));
    out.push((Context::Bulk, bulk));
    let mut help = state();
    press(&mut help, KeyCode::F(1));
    out.push((Context::Lists, help));
    out.push((Context::Browse, browse()));
    let mut save_as = State::new(Connector::new(Vendor::Databar), Samples::new(), None);
    ctrl(&mut save_as, 's');
    out.push((Context::Prompt, save_as));
    let mut unsaved = state();
    unsaved.doc.dirty = true;
    ctrl(&mut unsaved, 'q');
    out.push((Context::Unsaved, unsaved));
    out
}

#[test]
fn the_status_bar_hints_the_keys_of_the_context_with_the_focus() {
    for (context, mut s) in in_every_context() {
        assert_eq!(s.key_context(), context, "{context:?}");
        s.toast = None;
        let hints = s.keymap.hints(context, |a| s.offers(a));
        let shown = screen(&mut s);
        let bar = shown.lines().last().unwrap_or_default().to_owned();
        let (key, word) = hints.first().expect("every context hints a key");
        let first = format!("{} {word}", key.replace("Ctrl-", "^"));
        assert!(bar.contains(&first), "{context:?}: {first:?} not in {bar}");
        // A modal overlay or a cell being edited shows its own keys, not the editor's.
        if context.is_modal() {
            assert!(!bar.contains("^R submit"), "{context:?}: {bar}");
        }
    }
}

#[test]
fn help_lists_every_contexts_keys_from_the_keymap() {
    let map = Keymap::default();
    let sections = map.help_sections();
    for context in CONTEXTS {
        let (_, rows) = sections
            .iter()
            .find(|(title, _)| *title == context.title())
            .unwrap_or_else(|| panic!("no help section for {context:?}"));
        assert!(!rows.is_empty(), "{context:?}");
        // A row may show several bindings with one help text (`↑ ↓ k j`): each key is in it.
        for (binding, keys) in map.bindings().filter(|(b, _)| b.context == context) {
            let labels: Vec<String> = keys.iter().map(crate::tui::keymap::Key::label).collect();
            let shown = rows.iter().any(|(row_keys, help)| {
                let words: Vec<&str> = row_keys.split(' ').collect();
                *help == binding.help
                    && (labels.is_empty() && row_keys == "keys"
                        || labels.iter().all(|l| words.contains(&l.as_str())))
            });
            assert!(shown, "{context:?}: {}", binding.help);
        }
        for fixed in FIXED.iter().filter(|f| f.context == context) {
            assert!(
                rows.contains(&(fixed.keys.to_owned(), fixed.help)),
                "{context:?}: {}",
                fixed.help
            );
        }
    }
    // The help overlay shows them: a filter finds a fixed row of a modal context.
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "name value");
    let shown = screen(&mut s);
    assert!(shown.contains("Editing a table cell"), "{shown}");
    assert!(shown.contains("name ↔ value"), "{shown}");
}
