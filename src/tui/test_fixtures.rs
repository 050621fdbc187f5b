//! What the editor's update and view tests share: the connectors and states they start from,
//! keys pressed through `update`, the screen as drawn, and the messages the effects answer
//! with. One copy, so a change to `State` or to a message is made once.

use super::effect::Effect;
use super::items::{LocalItem, RemoteItem};
use super::msg::Msg;
use super::state::{State, Status};
use super::update::update;
use crate::connector::{Connector, NameValue, TargetRef, Vendor};
use crate::template::Samples;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use std::path::PathBuf;

/// A small Databar connector in `scoring.json`, journaled: what most update tests start from.
pub fn scoring() -> State {
    let mut c = Connector::new(Vendor::Databar);
    c.set("name", "Scoring".into());
    c.set("method", "post".into());
    c.set("url", "https://api.example.com/score".into());
    c.set_name_values(
        "headers",
        &[NameValue::new("Content-Type", "application/json")],
    );
    let mut s = State::new(c, Samples::new(), Some(PathBuf::from("scoring.json")));
    s.session.journal.file = Some(PathBuf::from("/journal/file-1.json"));
    s
}

/// A fuller Databar connector (a secret header, a bad header name, a slot, a template): what
/// the screen tests draw.
fn company_scoring_connector() -> Connector {
    let mut c = Connector::new(Vendor::Databar);
    c.set("name", "Company scoring".into());
    c.set("type", "enrichment".into());
    c.set("method", "post".into());
    c.set("url", "https://api.example.com/v1/score".into());
    c.set_name_values(
        "headers",
        &[
            NameValue::new("Content-Type", "application/json"),
            NameValue::new("Authorization", "Bearer sk-live-123"),
            NameValue::new("bad header", "x"),
        ],
    );
    c.set_name_values(
        "parameters",
        &[NameValue::new("version", "2"), NameValue::slot("domain")],
    );
    c.set(
        "body_template",
        json!("{\n  \"domain\": {{ domain|tojson }},\n  \"size\": {{ size }}\n}"),
    );
    c.set("rate_limit", json!(60));
    c
}

/// The company-scoring connector with samples, rendered, connected to the sandbox, at `w`×`h`.
pub fn company_scoring(w: u16, h: u16) -> State {
    let mut samples = Samples::new();
    samples.insert("domain".into(), "acme.com".into());
    samples.insert("size".into(), "120".into());
    let mut s = State::new(
        company_scoring_connector(),
        samples,
        Some("scoring.json".into()),
    );
    s.render_preview_now();
    on_sandbox(s, w, h)
}

/// The state as the screen tests draw it: connected to the sandbox at `http://127.0.0.1:PORT`,
/// on a `w`×`h` terminal.
pub fn on_sandbox(mut s: State, w: u16, h: u16) -> State {
    s.session.target.status = Status::Connected {
        at: TargetRef::sandbox("http://127.0.0.1:PORT"),
        key_source: None,
    };
    s.session.size = (w, h);
    s
}

pub fn key(state: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, mods)))
}

pub fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    key(state, code, KeyModifiers::NONE)
}

pub fn ctrl(state: &mut State, c: char) -> Vec<Effect> {
    key(state, KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn alt(state: &mut State, c: char) -> Vec<Effect> {
    key(state, KeyCode::Char(c), KeyModifiers::ALT)
}

/// Each character pressed in turn.
pub fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(press(state, KeyCode::Char(c)));
    }
    effects
}

/// The screen drawn at the state's size, as text.
pub fn screen(state: &State) -> String {
    screen_at(state, state.session.size.0, state.session.size.1)
}

/// The screen drawn on a `w`×`h` terminal, as text.
pub fn screen_at(state: &State, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| super::view::view(state, f))
        .expect("draws");
    terminal.backend().to_string()
}

/// Sizes from none to huge, on both sides of the minimum (60×16).
pub const ODD_SIZES: [(u16, u16); 10] = [
    (1, 1),
    (0, 0),
    (2, 1),
    (20, 5),
    (59, 15),
    (60, 16),
    (61, 17),
    (300, 100),
    (60, 200),
    (1000, 3),
];

/// Draws the state at every odd size (a panic fails the test).
pub fn draw_at_odd_sizes(state: &mut State) {
    for (w, h) in ODD_SIZES {
        state.session.size = (w, h);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal
            .draw(|f| super::view::view(state, f))
            .expect("draws");
    }
}

/// The submit's answer: the connector as sent, stored with `rate_limit` 10 and `id`, created.
pub fn stored_with_rate_limit_10(state: &State, request: u64, id: u64) -> Msg {
    let sent = state.doc.connector.outgoing();
    let mut stored = sent.clone();
    stored["rate_limit"] = json!(10);
    stored["id"] = json!(id);
    let changes = crate::connector::changes(state.doc.connector.vendor, &sent, &stored);
    Msg::Submitted {
        request,
        stored,
        changes,
        id: Some(id.to_string()),
        created: true,
    }
}

/// A row of the target's connector list.
pub fn remote(id: &str, name: &str, url: &str, state: &str) -> RemoteItem {
    RemoteItem {
        id: id.into(),
        name: name.into(),
        method: "post".into(),
        url: url.into(),
        state: state.into(),
    }
}

/// A local file or example of the browse list.
pub fn local(path: &str, summary: &str) -> LocalItem {
    LocalItem {
        path: path.into(),
        summary: summary.into(),
    }
}

/// The keymap a config's `[keys]` lines ask for (`submit = "f9"`), as the editor would load it.
pub fn keys(lines: &str) -> super::keymap::Keymap {
    let config =
        crate::config::Config::parse(&format!("[keys]\n{lines}\n"), None).expect("a valid config");
    super::keymap::Keymap::from_config(&config).expect("valid keys")
}
