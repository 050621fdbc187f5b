//! The template, config JSON and bulk editors as `update` drives them: undo and redo from the
//! keymap, Tab and Shift-Tab indenting, Enter's indent, clicks, cuts, and what gets journaled.

use super::{alt, ctrl, press, state, typed};
use crate::connector::{Connector, Vendor};
use crate::template::Samples;
use crate::tui::effect::Effect;
use crate::tui::msg::Msg;
use crate::tui::state::{Focus, Overlay, State};
use crate::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn template_tab() -> State {
    let mut s = state();
    alt(&mut s, '4');
    assert_eq!(s.focus, Focus::Panel);
    s
}

fn template(s: &State) -> &str {
    s.doc.connector.template().unwrap_or_default()
}

fn journals(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Journal { .. }))
}

#[test]
fn ctrl_u_undoes_a_run_of_typing_and_alt_u_redoes_it_into_the_connector() {
    let mut s = template_tab();
    typed(&mut s, "{\"a\":");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "1}");
    assert_eq!(template(&s), "{\"a\":\n1}");
    let effects = ctrl(&mut s, 'u');
    assert_eq!(template(&s), "{\"a\":\n");
    assert!(journals(&effects), "an undo is an edit like any other");
    ctrl(&mut s, 'u');
    ctrl(&mut s, 'u');
    assert_eq!(template(&s), "");
    alt(&mut s, 'u');
    assert_eq!(template(&s), "{\"a\":");
    alt(&mut s, 'u');
    alt(&mut s, 'u');
    assert_eq!(template(&s), "{\"a\":\n1}");
    assert!(s.doc.dirty);
}

#[test]
fn a_paste_undoes_in_one_step() {
    let mut s = template_tab();
    typed(&mut s, "x");
    update(&mut s, Msg::Paste("{\n  \"a\": 1\n}".into()));
    assert_eq!(template(&s), "x{\n  \"a\": 1\n}");
    ctrl(&mut s, 'u');
    assert_eq!(template(&s), "x");
}

#[test]
fn tab_indents_shift_tab_outdents_and_esc_leaves_the_editor() {
    let mut s = template_tab();
    typed(&mut s, "a");
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::Tab);
    assert_eq!(template(&s), "  a");
    assert_eq!(s.focus, Focus::Panel, "Tab stays in the editor");
    press(&mut s, KeyCode::BackTab);
    assert_eq!(template(&s), "a");
    // A selection indents every line it covers.
    press(&mut s, KeyCode::End);
    update(&mut s, Msg::Paste("\nb\nc".into()));
    let shift_up = KeyEvent::new(KeyCode::Up, KeyModifiers::SHIFT);
    update(&mut s, Msg::Key(shift_up));
    update(&mut s, Msg::Key(shift_up));
    press(&mut s, KeyCode::Tab);
    assert_eq!(template(&s), "  a\n  b\n  c");
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.focus, Focus::Field(0));
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Field(1), "out of the editor Tab moves on");
}

#[test]
fn enter_keeps_the_indent_and_opens_a_level_after_a_block_tag() {
    let mut s = template_tab();
    typed(&mut s, "{% for x in xs %}");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "{{ x }}");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "{% endfor %}");
    assert_eq!(template(&s), "{% for x in xs %}\n  {{ x }}\n  {% endfor %}");
    let mut s = template_tab();
    typed(&mut s, "{");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "\"a\": 1");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "}");
    assert_eq!(
        template(&s),
        "{\n  \"a\": 1\n}",
        "a closing brace comes back out"
    );
}

#[test]
fn the_config_json_editor_has_the_same_keys() {
    let mut s = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    s.doc.connector.fields.shift_remove("config");
    s.reload_json();
    alt(&mut s, '1');
    typed(&mut s, "{");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "\"a\": 1");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "}");
    assert_eq!(
        s.doc.connector.fields.get("config"),
        Some(&serde_json::json!({"a": 1}))
    );
    ctrl(&mut s, 'u');
    assert_eq!(
        s.doc.connector.fields.get("config"),
        Some(&serde_json::json!("{\n  \"a\": 1\n  "))
    );
}

#[test]
fn the_bulk_editor_undoes_with_the_same_key_and_journals_its_text() {
    let mut s = state();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('b'));
    press(&mut s, KeyCode::End);
    let effects = typed(&mut s, "!");
    assert!(
        journals(&effects),
        "text typed in the bulk editor is journaled"
    );
    let Some(Overlay::Bulk { area, .. }) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(area.text(), "Content-Type: application/json!");
    ctrl(&mut s, 'u');
    let Some(Overlay::Bulk { area, .. }) = &s.overlay else {
        panic!()
    };
    assert_eq!(area.text(), "Content-Type: application/json");
}

#[test]
fn a_click_in_the_editor_puts_the_cursor_where_it_lands() {
    let mut s = template_tab();
    update(&mut s, Msg::Paste("{\n  \"a\": 1\n}".into()));
    alt(&mut s, '1');
    let rect = crate::tui::view::editor_rect(&s);
    assert!(rect.is_none(), "no editor on the headers tab");
    alt(&mut s, '4');
    let rect = crate::tui::view::editor_rect(&s).unwrap();
    // The gutter is " 1 " wide: column 3 of the text area is the text's first character.
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rect.x + 3 + 4,
        row: rect.y + 1,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Msg::Mouse(click));
    typed(&mut s, "Z");
    assert_eq!(template(&s), "{\n  \"aZ\": 1\n}");
}

#[test]
fn ctrl_x_cuts_the_selection_to_the_clipboard() {
    let mut s = template_tab();
    typed(&mut s, "keep cut");
    for _ in 0..3 {
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT)),
        );
    }
    let effects = ctrl(&mut s, 'x');
    assert_eq!(template(&s), "keep ");
    assert!(
        effects.contains(&Effect::CopyToClipboard("cut".into())),
        "{effects:?}"
    );
}

#[test]
fn the_view_follows_the_cursor_down_a_long_template() {
    let mut s = template_tab();
    let text: Vec<String> = (1..=200).map(|i| format!("line {i}")).collect();
    update(&mut s, Msg::Paste(text.join("\n")));
    let rect = crate::tui::view::editor_rect(&s).unwrap();
    let top = s.template.scroll().top;
    assert_eq!(
        top,
        200 - usize::from(rect.height),
        "the last line is the bottom row"
    );
    press(&mut s, KeyCode::PageUp);
    assert_eq!(s.template.cursor().row, 199 - usize::from(rect.height));
}

#[test]
fn tab_takes_the_completion_of_a_variable_a_filter_and_a_test() {
    let mut s = template_tab();
    s.doc.samples.insert("domain".into(), "acme.com".into());
    typed(&mut s, "{{ do");
    assert_eq!(s.completion().unwrap().items, ["domain"]);
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "|toj");
    press(&mut s, KeyCode::Tab);
    typed(&mut s, " }}{% if domain is def");
    press(&mut s, KeyCode::Tab);
    assert_eq!(template(&s), "{{ domain|tojson }}{% if domain is defined");
    press(&mut s, KeyCode::Left);
    assert_eq!(s.name_at_cursor().as_deref(), Some("defined"));
    // Nothing to complete: Tab indents as usual.
    typed(&mut s, " %}");
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::Tab);
    assert!(template(&s).starts_with("  {{ domain"));
}
