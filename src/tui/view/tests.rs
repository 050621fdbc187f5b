//! Screen tests: insta snapshots of the rendered buffer (`TestBackend`) for the main screens at
//! 80×24, 120×40 and the 60×16 minimum, and no panic at any size or resize sequence.

use super::view;
use crate::connector::{Connector, NameValue, TargetRef, Vendor};
use crate::tui::msg::Msg;
use crate::tui::state::{Focus, State, Status};
use crate::tui::test_fixtures::{
    company_scoring as state, draw_at_odd_sizes, key, keys, local, on_sandbox, remote,
    screen as render, stored_with_rate_limit_10,
};
use crate::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (60, 16)];

#[test]
fn form_and_headers_tab() {
    for (w, h) in SIZES {
        let s = state(w, h);
        insta::assert_snapshot!(format!("headers_{w}x{h}"), render(&s));
    }
}

#[test]
fn template_tab_with_preview() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
        insta::assert_snapshot!(format!("template_{w}x{h}"), render(&s));
    }
}

#[test]
fn template_with_a_syntax_error_marks_it() {
    let mut s = state(80, 24);
    key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
    update(&mut s, Msg::Paste("{% if %}".into()));
    let screen = render(&s);
    assert!(screen.contains("✗ 1:"), "{screen}");
    insta::assert_snapshot!("template_error_80x24", screen);
}

#[test]
fn body_tab_is_derived_and_says_why() {
    let mut s = state(80, 24);
    key(&mut s, KeyCode::Char('3'), KeyModifiers::ALT);
    let screen = render(&s);
    assert!(screen.contains("Derived from the template"), "{screen}");
    insta::assert_snapshot!("body_derived_80x24", screen);
}

#[test]
fn secrets_are_masked_until_revealed() {
    let mut s = state(80, 24);
    assert!(!render(&s).contains("sk-live-123"));
    key(&mut s, KeyCode::Char('1'), KeyModifiers::ALT);
    key(&mut s, KeyCode::Char('v'), KeyModifiers::NONE);
    assert!(render(&s).contains("sk-live-123"));
}

/// A LIVE target's review names it and its address in the live colours, and asks for its name.
#[test]
fn review_on_a_live_target_is_unmistakable() {
    let mut s = state(80, 24);
    s.session.target.picked = "prod".into();
    s.session.target.status = Status::Connected {
        at: TargetRef::new("prod", "https://api.databar.ai"),
        key_source: None,
    };
    s.doc
        .connector
        .set_remote_id(&TargetRef::sandbox(""), "7".into());
    s.doc.connector.set_name_values("headers", &[]);
    s.refresh();
    key(&mut s, KeyCode::Char('r'), KeyModifiers::CONTROL);
    for c in "pro".chars() {
        key(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let screen = render(&s);
    assert!(
        screen.contains("to  LIVE  prod https://api.databar.ai"),
        "{screen}"
    );
    assert!(screen.contains("type prod to confirm: pro"), "{screen}");
    assert!(
        screen.contains("POST https://api.databar.ai/v1/connectors/"),
        "the sandbox's id is not prod's: {screen}"
    );
    insta::assert_snapshot!("review_live_80x24", screen);
}

#[test]
fn review_and_response_overlays() {
    let mut s = state(80, 24);
    s.doc.connector.set_name_values(
        "headers",
        &[NameValue::new("Authorization", "Bearer sk-live-123")],
    );
    s.refresh();
    key(&mut s, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let screen = render(&s);
    assert!(!screen.contains("sk-live-123"), "{screen}");
    insta::assert_snapshot!("review_80x24", screen);
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let answer = stored_with_rate_limit_10(&s, 1, 42);
    update(&mut s, answer);
    let screen = render(&s);
    assert!(
        screen.contains("rate_limit: sent 60, stored 10"),
        "{screen}"
    );
    insta::assert_snapshot!("response_80x24", screen);
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    let screen = render(&s);
    assert!(screen.contains("Rate limit      10"), "{screen}");
    assert!(screen.contains("was 60"), "{screen}");
}

#[test]
fn help_overlay() {
    let mut s = state(120, 40);
    key(&mut s, KeyCode::F(1), KeyModifiers::NONE);
    insta::assert_snapshot!("help_120x40", render(&s));
}

#[test]
fn too_small_says_so() {
    let s = state(59, 16);
    let screen = render(&s);
    assert!(screen.contains("too small"), "{screen}");
    insta::assert_snapshot!("too_small_59x16", screen);
}

#[test]
fn no_panic_at_any_size() {
    let mut s = state(1, 1);
    for focus in [Focus::Field(0), Focus::Panel, Focus::Samples] {
        for tab in 0..4 {
            s.focus = focus;
            s.tab = tab;
            draw_at_odd_sizes(&mut s);
        }
    }
}

#[test]
fn no_panic_on_random_resize_sequences_with_overlays() {
    // A small deterministic generator: the same sequence every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let mut s = state(80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let keys = [
        KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('4'), KeyModifiers::ALT),
        KeyEvent::new(KeyCode::Char('1'), KeyModifiers::ALT),
        KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('{'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
    ];
    for _ in 0..400 {
        let w = u16::try_from(next(200)).unwrap();
        let h = u16::try_from(next(70)).unwrap();
        terminal.backend_mut().resize(w, h);
        update(&mut s, Msg::Resize(w, h));
        let k = keys[usize::try_from(next(keys.len() as u64)).unwrap()];
        update(&mut s, Msg::Key(k));
        s.quit = false;
        terminal.draw(|f| view(&s, f)).unwrap();
    }
}

#[test]
fn clicks_land_on_what_is_drawn() {
    let mut s = state(80, 24);
    let areas = super::layout(ratatui::layout::Rect::new(0, 0, 80, 24), &s).unwrap();
    let (_, tab) = areas.tabs[3];
    update(
        &mut s,
        Msg::Mouse(crossterm::event::MouseEvent {
            kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
            column: tab.x + 1,
            row: tab.y,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert!(s.on_template_tab());
    let (index, rect) = areas.fields[3];
    update(
        &mut s,
        Msg::Mouse(crossterm::event::MouseEvent {
            kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
            column: rect.x + 3,
            row: rect.y,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(s.focus, Focus::Field(index));
}

#[test]
fn other_vendors_forms_come_from_their_tables() {
    let mut agent = Connector::new(Vendor::AgentStack);
    agent.set("url", "https://mcp.example.com/mcp".into());
    agent.set("client_id", "patchcord".into());
    agent.set("client_secret", "shh-very-secret".into());
    agent.set("metadata", json!({"team": "growth"}));
    let s = on_sandbox(
        State::new(agent, crate::template::Samples::new(), None),
        80,
        24,
    );
    let screen = render(&s);
    assert!(!screen.contains("shh-very-secret"), "{screen}");
    assert!(screen.contains("Metadata 1"), "{screen}");
    insta::assert_snapshot!("agent_stack_80x24", screen);

    let mut cargo = Connector::new(Vendor::Cargo);
    cargo.set("name", "Company scoring API".into());
    cargo.set("rateLimit", json!({"unit": "minute", "max": 60}));
    let s = on_sandbox(
        State::new(cargo, crate::template::Samples::new(), None),
        80,
        24,
    );
    let screen = render(&s);
    assert!(screen.contains("Config ✓"), "{screen}");
    assert!(screen.contains("60 per minute"), "{screen}");
    insta::assert_snapshot!("cargo_80x24", screen);
}

fn agent_stack_connected(w: u16, h: u16) -> State {
    let mut agent = Connector::new(Vendor::AgentStack);
    agent.set("url", "http://127.0.0.1:8765/demo/mcp/oauth".into());
    agent.set("metadata", json!({"team": "growth"}));
    agent.set_remote_id(
        &TargetRef::sandbox(""),
        "3c90c3cc-0d44-4b50-8888-8dd25736052a".into(),
    );
    let mut s = on_sandbox(
        State::new(
            agent,
            crate::template::Samples::new(),
            Some("mcp.json".into()),
        ),
        w,
        h,
    );
    s.link = Some(crate::tui::state::LinkState::from_connector(&json!({
        "state": "auth_required",
        "auth_request": {
            "type": "code",
            "authorization_endpoint": "http://127.0.0.1:PORT/demo/mcp/authorize?client_id=patchcord&state=3c90c3cc-0d44-4b50-8888-8dd25736052a&redirect_uri=https%3A%2F%2Fapp.example.com%2Fback"
        },
        "disconnect_reason": null
    })));
    s
}

#[test]
fn agent_stack_state_and_authorization_link() {
    for (w, h) in [(80, 24), (120, 40)] {
        let s = agent_stack_connected(w, h);
        let screen = render(&s);
        assert!(screen.contains("auth_required"), "{screen}");
        assert!(screen.contains("Authorize"), "{screen}");
        assert!(
            screen.contains("http://127.0.0.1:PORT/demo/mcp/authorize"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("agent_stack_link_{w}x{h}"), screen);
    }
    // A failed connect keeps the state and says why; the prompt asks for a redirect URL.
    let mut s = agent_stack_connected(80, 24);
    if let Some(link) = &mut s.link {
        link.state = Some("disconnected".into());
        link.authorization_endpoint = None;
        link.disconnect_reason = Some("user".into());
        link.error = Some("connecting failed (504): the MCP server could not be reached".into());
    }
    key(&mut s, KeyCode::Char('k'), KeyModifiers::CONTROL);
    let screen = render(&s);
    assert!(screen.contains("disconnected"), "{screen}");
    assert!(screen.contains("reason: user"), "{screen}");
    assert!(screen.contains("(504)"), "{screen}");
    assert!(screen.contains("redirect URL:"), "{screen}");
    insta::assert_snapshot!("agent_stack_connect_80x24", screen);
}

#[test]
fn other_vendors_never_panic_at_any_size() {
    let mut cargo = Connector::new(Vendor::Cargo);
    cargo.set("config", json!("{\"a\": "));
    cargo.set("rateLimit", json!({"unit": "day", "max": 5}));
    let mut states = vec![
        agent_stack_connected(80, 24),
        State::new(cargo, crate::template::Samples::new(), None),
    ];
    for s in &mut states {
        for focus in [
            Focus::Target,
            Focus::Field(0),
            Focus::Field(3),
            Focus::Panel,
        ] {
            s.focus = focus;
            draw_at_odd_sizes(s);
        }
    }
}

#[test]
fn cargo_config_editor_marks_json_errors() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut cargo = Connector::new(Vendor::Cargo);
        cargo.set("name", "Company scoring API".into());
        cargo.set("slug", "company-scoring".into());
        cargo.set("integrationSlug", "http".into());
        cargo.set(
            "config",
            json!("{\n  \"region\": \"eu\",\n  \"retries\": 3\n  \"timeout\": 30\n}"),
        );
        cargo.set("rateLimit", json!({"unit": "hour", "max": 500}));
        cargo.set_remote_id(
            &TargetRef::sandbox(""),
            "2f1c7f1e-1111-4c4c-9999-123456789abc".into(),
        );
        let mut s = on_sandbox(
            State::new(
                cargo,
                crate::template::Samples::new(),
                Some("cargo.json".into()),
            ),
            w,
            h,
        );
        key(&mut s, KeyCode::Char('1'), KeyModifiers::ALT);
        let screen = render(&s);
        assert!(screen.contains("Config ✗"), "{screen}");
        assert!(screen.contains("4:3"), "{screen}");
        assert!(screen.contains("fixed once created"), "{screen}");
        assert!(screen.contains("500 per hour"), "{screen}");
        insta::assert_snapshot!(format!("cargo_config_{w}x{h}"), screen);
    }
}

/// The text inside the overlay box titled `title`, as a user reads it: the rows between its
/// borders, trimmed and joined with spaces.
fn box_text(state: &State, title: &str) -> Option<String> {
    let (w, h) = state.session.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view(state, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let rows: Vec<Vec<String>> = (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol().to_owned()).collect())
        .collect();
    let heading = format!(" {title} ");
    for (y, row) in rows.iter().enumerate() {
        let Some(col) = (0..row.len()).find(|&x| row[x..].concat().starts_with(&heading)) else {
            continue;
        };
        let left = (0..col).rev().find(|&x| row[x] == "┌")?;
        let right = (col..row.len()).find(|&x| row[x] == "┐")?;
        let text: Vec<String> = rows[y + 1..]
            .iter()
            .take_while(|r| r[left] != "└")
            .map(|r| r[left + 1..right].concat().trim().to_owned())
            .collect();
        return Some(text.join(" "));
    }
    None
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

fn try_it_state(w: u16, h: u16, response: Result<crate::api::fire::FireResponse, String>) -> State {
    let mut s = state(w, h);
    let fire = crate::api::fire::build(&s.doc.connector, &s.doc.samples).unwrap();
    s.overlay = Some(crate::tui::state::Overlay::FireResult {
        fire: Box::new(fire),
        response,
        scroll: 0,
    });
    s
}

#[test]
fn a_long_try_it_failure_wraps_whole_inside_the_overlay() {
    let failure = crate::api::NetFailure {
        cause: crate::api::Cause::Dns,
        message: "the host name scoring.internal.example.invalid could not be resolved by DNS \
                  (failed to lookup address information: Name or service not known)"
            .into(),
    };
    let error = crate::api::fire::FireError::Network {
        url: "https://scoring.internal.example.invalid/v1/score?version=2&domain=acme.com".into(),
        failure,
    }
    .to_string();
    assert!(
        error.chars().count() > 160,
        "long enough to wrap at 80: {error}"
    );
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let s = try_it_state(w, h, Err(error.clone()));
        let text = box_text(&s, "Try it: no answer").expect("the overlay is drawn");
        assert!(squash(&text).contains(&squash(&error)), "{w}x{h}: {text}");
    }
    // A wide terminal gives the box its width: the message fits on one row.
    let s = try_it_state(240, 30, Err(error.clone()));
    let screen = render(&s);
    assert!(screen.contains(&error), "{screen}");
    // Tiny terminals never panic.
    draw_at_odd_sizes(&mut try_it_state(80, 24, Err(error.clone())));
}

#[test]
fn a_redirect_not_followed_and_hostile_text_show_plain_in_try_it() {
    let response = crate::api::fire::FireResponse {
        status: 307,
        reason: "Temporary Redirect".into(),
        elapsed: std::time::Duration::from_millis(3),
        headers: vec![
            ("location".into(), "http://127.0.0.1:2/elsewhere".into()),
            ("x-note".into(), "a\u{1b}]2;pwned\u{7}b".into()),
        ],
        body: "moved\u{1b}[2J\u{1b}]0;title\u{7} away".into(),
        body_bytes: 30,
        truncated: false,
        not_followed: Some(
            "redirect to http://127.0.0.1:2/elsewhere not followed: another origin, and the \
             request's headers stay with http://127.0.0.1:1"
                .into(),
        ),
    };
    let s = try_it_state(120, 40, Ok(response));
    let text = box_text(&s, "Try it: response").expect("the overlay is drawn");
    assert!(text.contains("307 Temporary Redirect"), "{text}");
    assert!(
        squash(&text).contains(&squash("not followed: another origin")),
        "{text}"
    );
    assert!(text.contains("x-note: ab"), "{text}");
    assert!(text.contains("moved away"), "{text}");
    assert!(!text.contains("]2;") && !text.contains("[2J"), "{text}");
}

/// F3 lists every message whole, wrapped inside the box: a 70-character metadata key (its row
/// shows only ✗), the body-ignored warning, and who enforces each.
#[test]
fn problems_list_shows_every_message_whole() {
    let mut s = state(80, 24);
    s.doc
        .connector
        .set_name_values("body", &[NameValue::new("stale", "x")]);
    s.refresh();
    key(&mut s, KeyCode::F(3), KeyModifiers::NONE);
    insta::assert_snapshot!("problems_80x24", render(&s));

    let mut agent = State::new(
        Connector::new(Vendor::AgentStack),
        crate::template::Samples::new(),
        None,
    );
    agent.doc.connector.set("name", "tools".into());
    agent
        .doc
        .connector
        .set("metadata", json!({"k".repeat(70): "v"}));
    agent.refresh();
    agent.session.size = (60, 16);
    key(&mut agent, KeyCode::F(3), KeyModifiers::NONE);
    let screen = render(&agent);
    assert!(screen.contains("is longer than 64"), "{screen}");
    insta::assert_snapshot!("problems_agent_stack_60x16", screen);
}

/// Ctrl-P: the query, the matching actions with their keys aligned, the chosen one marked.
#[test]
fn palette_lists_actions_with_their_keys() {
    let mut s = state(80, 24);
    s.focus = Focus::Panel;
    key(&mut s, KeyCode::Char('p'), KeyModifiers::CONTROL);
    insta::assert_snapshot!("palette_80x24", render(&s));
    for c in "row".chars() {
        key(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    insta::assert_snapshot!("palette_filtered_80x24", render(&s));
}

/// The cells of one rectangle of the screen with their styles (ratatui's buffer `Debug`), so a
/// snapshot asserts colours, not only text.
fn styled(state: &State, rect: ratatui::layout::Rect) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(state.session.size.0, state.session.size.1)).unwrap();
    terminal.draw(|f| view(state, f)).unwrap();
    let full = terminal.backend().buffer();
    let mut part = ratatui::buffer::Buffer::empty(rect);
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            part[(x, y)] = full[(x, y)].clone();
        }
    }
    format!("{part:?}")
}

const HIGHLIGHTED: &str = "{# one request per domain #}\n{\n  \"domain\": {{ domain|lower|tojson }},\n  \"size\": {{ size or 10 }},\n  \"tags\": [{% for t in tags if t is defined %}\"{{ t }}\"{% if not loop.last %}, {% endif %}{% endfor %}],\n  \"strict\": true\n}";

#[test]
fn template_is_highlighted() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state(w, h);
        key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
        s.doc.connector.set("body_template", json!(HIGHLIGHTED));
        s.reload_template();
        s.refresh();
        let rect = super::editor_rect(&s).unwrap();
        insta::assert_snapshot!(format!("template_highlighted_{w}x{h}"), styled(&s, rect));
    }
}

#[test]
fn the_gutter_stays_while_the_text_scrolls_sideways() {
    let mut s = state(80, 24);
    key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
    let long = format!("{{\"a\": \"{}END\"}}", "x".repeat(100));
    s.doc.connector.set("body_template", json!(long));
    s.reload_template();
    s.refresh();
    key(&mut s, KeyCode::End, KeyModifiers::NONE);
    let screen = render(&s);
    let row = screen.lines().find(|l| l.contains("END")).unwrap();
    assert!(row.starts_with("\"│ 1 xxx"), "{screen}");
    key(&mut s, KeyCode::Home, KeyModifiers::NONE);
    let screen = render(&s);
    assert!(screen.contains("│ 1 {\"a\": \"xxx"), "{screen}");
}

#[test]
fn cargo_config_json_is_highlighted() {
    let mut c = Connector::new(Vendor::Cargo);
    c.set("config", json!({"region": "eu", "retries": 3, "on": true}));
    let mut s = State::new(c, crate::template::Samples::new(), None);
    s.session.size = (80, 24);
    key(&mut s, KeyCode::Char('1'), KeyModifiers::ALT);
    let rect = super::editor_rect(&s).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view(&s, f)).unwrap();
    let buf = terminal.backend().buffer();
    let line = |row: u16| -> String {
        (rect.left()..rect.right())
            .map(|x| buf[(x, rect.y + row)].symbol().to_owned())
            .collect()
    };
    assert!(
        line(1).starts_with(" 2   \"region\": \"eu\","),
        "{}",
        line(1)
    );
    let at = |x: u16, y: u16| buf[(rect.x + x, rect.y + y)].fg;
    assert_eq!(at(7, 1), crate::tui::theme::json::key().fg.unwrap(), "key");
    assert_eq!(
        at(17, 1),
        crate::tui::theme::json::string().fg.unwrap(),
        "string"
    );
    assert_eq!(
        at(16, 2),
        crate::tui::theme::json::number().fg.unwrap(),
        "number"
    );
}

#[test]
fn completion_popup_and_the_variable_under_the_cursor() {
    let mut s = state(80, 24);
    key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
    key(&mut s, KeyCode::Down, KeyModifiers::NONE);
    key(&mut s, KeyCode::End, KeyModifiers::NONE);
    update(&mut s, Msg::Paste(" {{ si".into()));
    let screen = render(&s);
    assert!(screen.contains("│ size "), "{screen}");
    insta::assert_snapshot!("template_completion_80x24", screen);
}

/// The template tab names rebound keys too: the completion list's title (the key that takes
/// it) and an empty sample's hint (the key that edits it).
#[test]
fn the_template_tab_names_rebound_keys() {
    let mut s = state(80, 24);
    s.keymap = keys("next_focus = \"f11\"\nedit = \"f2\"");
    key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
    key(&mut s, KeyCode::Down, KeyModifiers::NONE);
    key(&mut s, KeyCode::End, KeyModifiers::NONE);
    update(&mut s, Msg::Paste(" {{ si".into()));
    let screen = render(&s);
    assert!(screen.contains("┌ F11 ─"), "{screen}");
    assert!(!screen.contains(" Tab "), "{screen}");
    s.doc.samples.insert("size".into(), String::new());
    s.refresh();
    let screen = render(&s);
    assert!(screen.contains("size   (empty: F2 to set)"), "{screen}");
}

#[test]
fn the_bulk_editor_masks_secret_values_until_revealed() {
    let mut s = state(80, 24);
    key(&mut s, KeyCode::Char('1'), KeyModifiers::ALT);
    key(&mut s, KeyCode::Char('b'), KeyModifiers::NONE);
    let screen = render(&s);
    assert!(
        screen.contains("Authorization: •••••••••••••••••"),
        "{screen}"
    );
    assert!(!screen.contains("sk-live-123"), "{screen}");
    assert!(
        screen.contains("Content-Type: application/json"),
        "{screen}"
    );
    s.reveal = true;
    assert!(render(&s).contains("Authorization: Bearer sk-live-123"));
}

#[test]
fn past_tries_show_when_and_how_they_went_at_every_size() {
    let run = |id, ok| crate::history::Run {
        id,
        at: "2026-12-01T14:00:00Z".into(),
        file: "/w/score.json".into(),
        entries: 25,
        ok,
    };
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let mut s = state(w, h);
        s.overlay = Some(crate::tui::state::Overlay::Tries {
            runs: Some(Ok(vec![run(7, 25), run(3, 20)])),
            selected: 1,
        });
        let screen = render(&s);
        assert!(screen.contains("Past tries"), "{w}x{h}:\n{screen}");
        assert!(
            screen.contains("try 7 · 2026-12-01T14:00:00Z · 25 row(s), 25 2xx"),
            "{screen}"
        );
        assert!(screen.contains("› try 3"), "{screen}");
        s.overlay = Some(crate::tui::state::Overlay::Tries {
            runs: Some(Ok(Vec::new())),
            selected: 0,
        });
        assert!(render(&s).contains("no tries of this connector yet"));
    }
}

#[test]
fn a_rows_run_shows_inputs_statuses_and_a_response_one_key_away() {
    use crate::connector::rows::{RowsFormat, parse};
    use crate::tui::state::{Overlay, RowResult, RowsRun};
    let table = parse(b"domain\nacme.com\nglobex.com\n", RowsFormat::Csv).unwrap();
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let mut s = state(w, h);
        let fire = crate::api::fire::build(&s.doc.connector, &s.doc.samples).unwrap();
        let mut run = RowsRun::new(1, "rows.csv".into(), table.clone());
        run.record(
            1,
            RowResult {
                fire,
                response: Err("unused".into()),
                line: serde_json::json!({"row": 1, "status": 200, "elapsed_ms": 4.5,
                                         "response": {"name": "Acme Inc."}}),
            },
        );
        s.overlay = Some(Overlay::Rows(Box::new(run.clone())));
        let screen = render(&s);
        assert!(
            screen.contains("1/2 answered · running"),
            "{w}x{h}:\n{screen}"
        );
        assert!(screen.contains("acme.com"), "{screen}");
        assert!(screen.contains("200     4.5"), "{screen}");
        run.open = true;
        s.overlay = Some(Overlay::Rows(Box::new(run)));
        let screen = render(&s);
        assert!(screen.contains("Acme Inc."), "{w}x{h}:\n{screen}");
    }
}

#[test]
fn browse_in_columns_and_filtered() {
    let mut s = state(100, 24);
    key(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    update(
        &mut s,
        Msg::RemoteListed(Ok(vec![
            remote(
                "3",
                "Company scoring",
                "https://api.example.com/v1/score",
                "",
            ),
            remote("128", "Weather", "https://weather.example.com/now", ""),
        ])),
    );
    update(
        &mut s,
        Msg::LocalListed {
            files: vec![local("scoring.json", "Company scoring")],
            examples: vec![local("/ex/demo-score.json", "Demo score")],
        },
    );
    insta::assert_snapshot!("browse_100x24", render(&s));
    key(&mut s, KeyCode::Char('/'), KeyModifiers::NONE);
    for c in "score".chars() {
        key(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    insta::assert_snapshot!("browse_filtered_100x24", render(&s));
}

/// The variable under the template editor's cursor: its sample value is marked in the preview.
#[test]
fn the_value_of_the_variable_under_the_cursor_is_marked_in_the_preview() {
    let mut s = state(120, 40);
    key(&mut s, KeyCode::Char('4'), KeyModifiers::ALT);
    let marked_in_preview = |s: &State| {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| view(s, f)).unwrap();
        let buf = terminal.backend().buffer().clone();
        let mark = crate::tui::theme::selected_row().bg;
        // The preview's row with the rendered domain (the right half of the screen).
        (0..40u16)
            .map(|y| {
                (60..120u16)
                    .map(|x| buf[(x, y)].clone())
                    .collect::<Vec<_>>()
            })
            .filter(|row| {
                let text: String = row.iter().map(ratatui::buffer::Cell::symbol).collect();
                text.contains("\"domain\": \"acme.com\"")
            })
            .flat_map(|row| row.into_iter().filter(|c| Some(c.bg) == mark))
            .map(|c| c.symbol().to_owned())
            .collect::<String>()
    };
    // `  "domain": {{ domain|tojson }},` with the cursor on the variable's name.
    s.template.move_to(
        crate::tui::state::code_editor::Pos { row: 1, col: 17 },
        false,
    );
    assert_eq!(s.name_at_cursor().as_deref(), Some("domain"));
    assert_eq!(marked_in_preview(&s), "acme.com");
    s.template.move_to(
        crate::tui::state::code_editor::Pos { row: 0, col: 0 },
        false,
    );
    assert_eq!(marked_in_preview(&s), "");
}

/// Footers, tab help and the too-small screen name a key rebound under `[keys]` as the user
/// bound it, not the default.
#[test]
fn rebound_keys_are_named_where_the_screen_names_them() {
    let mut s = state(80, 24);
    s.keymap = keys(
        "confirm = \"ctrl-g\"\nquit = \"f12\"\nadd = \"n\"\nbulk_edit = \"B\"\nreveal = \"x\"",
    );
    s.doc.connector.set_name_values("headers", &[]);
    s.refresh();
    let table = render(&s);
    assert!(
        table.contains("No headers yet: n adds a row, B edits them all"),
        "{table}"
    );
    key(&mut s, KeyCode::Char('1'), KeyModifiers::ALT);
    key(&mut s, KeyCode::Char('x'), KeyModifiers::NONE);
    key(&mut s, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let review = render(&s);
    assert!(
        review.contains("Ctrl-G send · ↑↓ scroll · Esc back"),
        "{review}"
    );
    assert!(
        review.contains("secrets revealed (x in a table masks them)"),
        "{review}"
    );
    s.overlay = None;
    s.session.size = (59, 16);
    let small = render(&s);
    assert!(small.contains("F12 quits"), "{small}");
    let s = state(59, 16);
    assert!(render(&s).contains("Ctrl-Q quits"));
}

mod try_rows;

#[test]
fn a_table_cell_is_cut_and_padded_by_display_width() {
    use unicode_width::UnicodeWidthStr as _;
    assert_eq!(super::padded("abc", 5), "abc  ");
    assert_eq!(super::padded("abcdefgh", 5), "abcd…");
    // Wide characters: the cell still takes exactly its columns.
    assert_eq!(super::padded("日本語のテキスト", 7).width(), 7);
    assert_eq!(
        super::padded("a\u{1b}[2Jb", 6),
        "ab    ",
        "no escape sequence"
    );
}
