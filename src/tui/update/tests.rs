//! Tests of `update`: one per interaction, asserting the state a user would see and the effects
//! that would run.

use super::super::effect::Effect;
use super::super::keymap::Action;
use super::super::msg::{Msg, RemoteError};
use super::super::state::{Column, Focus, Overlay, PreviewJob, State, Status};
use super::update;
use crate::connector::{Connector, FieldPath, NameValue, TargetRef, Vendor};
use crate::template::Samples;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use effects::Effects;
use serde_json::json;
use std::path::PathBuf;

mod editor;
mod effects;
mod import;
mod lists;
mod rebinding;
mod session;
mod sync;
mod targets;
mod try_rows;

use super::super::test_fixtures::{self as fixtures, scoring as state};

/// The sandbox as the editor's state names it before a connection is up.
fn sandbox() -> TargetRef {
    TargetRef::sandbox("")
}

/// The shared key presses, their effects checked (see `effects`).
fn press(state: &mut State, code: KeyCode) -> Effects {
    Effects::new(fixtures::press(state, code))
}

fn ctrl(state: &mut State, c: char) -> Effects {
    Effects::new(fixtures::ctrl(state, c))
}

fn alt(state: &mut State, c: char) -> Effects {
    Effects::new(fixtures::alt(state, c))
}

fn typed(state: &mut State, text: &str) -> Effects {
    Effects::new(fixtures::typed(state, text))
}

/// Ctrl-O: browse opens and asks for the target's list and the folder's files.
fn open_browse(state: &mut State) {
    ctrl(state, 'o').expect(&[
        |e| matches!(e, Effect::ListRemote(_)),
        |e| matches!(e, Effect::ListLocal),
    ]);
}

fn focus_field(state: &mut State, key: &str) {
    let index = super::super::state::form_fields(state.doc.connector.vendor)
        .iter()
        .position(|f| f.key == key)
        .unwrap();
    state.set_focus(Focus::Field(index));
}

#[test]
fn typing_in_a_field_edits_validates_and_journals() {
    let mut s = state();
    focus_field(&mut s, "name");
    for _ in 0.."Scoring".len() {
        press(&mut s, KeyCode::Backspace);
    }
    assert_eq!(s.doc.connector.text("name"), Some(""));
    assert!(
        s.problem_for("name", None)
            .unwrap()
            .0
            .contains("must not be empty")
    );
    let effects = typed(&mut s, "Acme");
    assert_eq!(s.doc.connector.text("name"), Some("Acme"));
    assert!(s.problem_for("name", None).is_none());
    assert!(s.doc.dirty);
    assert!(
        matches!(effects.last(), Some(Effect::Journal { snapshot, .. }) if snapshot.connector.text("name") == Some("Acme"))
    );
}

#[test]
fn numbers_take_digits_only_and_empty_is_null() {
    let mut s = state();
    focus_field(&mut s, "rate_limit");
    typed(&mut s, "6x");
    assert!(s.toast.as_deref().unwrap().contains("digits only"));
    typed(&mut s, "0");
    assert_eq!(s.doc.connector.fields.get("rate_limit"), Some(&json!(60)));
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.doc.connector.fields.get("rate_limit"), Some(&json!(null)));
    typed(&mut s, "0");
    assert!(
        s.problem_for("rate_limit", None)
            .unwrap()
            .0
            .contains("at least 1")
    );
}

#[test]
fn passing_through_a_picker_leaves_it_unset() {
    let mut s = state();
    focus_field(&mut s, "name");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    assert_eq!(s.doc.connector.fields.get("type"), None);
    assert!(s.problem_for("type", None).is_none());
}

#[test]
fn pickers_cycle_through_the_vendor_choices() {
    let mut s = state();
    focus_field(&mut s, "method");
    press(&mut s, KeyCode::Right);
    assert_eq!(s.doc.connector.text("method"), Some("put"));
    press(&mut s, KeyCode::Char(' '));
    assert_eq!(s.doc.connector.text("method"), Some("patch"));
    press(&mut s, KeyCode::Right);
    assert_eq!(s.doc.connector.text("method"), Some("get"));
    press(&mut s, KeyCode::Left);
    assert_eq!(s.doc.connector.text("method"), Some("patch"));
    // Letters cannot type a method; a letter jumps to the next method starting with it.
    press(&mut s, KeyCode::Char('x'));
    assert_eq!(s.doc.connector.text("method"), Some("patch"));
    press(&mut s, KeyCode::Char('p'));
    assert_eq!(s.doc.connector.text("method"), Some("post"));
    press(&mut s, KeyCode::Char('P'));
    assert_eq!(s.doc.connector.text("method"), Some("put"));
    press(&mut s, KeyCode::Char('g'));
    assert_eq!(s.doc.connector.text("method"), Some("get"));
}

#[test]
fn a_letter_picks_a_rate_unit_and_the_target() {
    let mut s = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    focus_field(&mut s, "rateLimit");
    typed(&mut s, "60h");
    assert_eq!(
        s.doc.connector.fields.get("rateLimit"),
        Some(&json!({"unit": "hour", "max": 60}))
    );
    typed(&mut s, "x");
    assert_eq!(s.toast.as_deref(), Some("Rate limit: digits only"));
    s.session.target.names = vec!["sandbox".into(), "staging".into(), "prod".into()];
    s.focus = Focus::Target;
    let effects = press(&mut s, KeyCode::Char('p'));
    assert_eq!(s.session.target.picked, "prod");
    assert!(matches!(effects.as_slice(), [Effect::Connect { target: Some(t) }] if t == "prod"));
    assert!(press(&mut s, KeyCode::Char('z')).is_empty());
    assert_eq!(s.session.target.picked, "prod");
}

#[test]
fn tab_moves_through_fields_into_the_panel_and_back() {
    let mut s = state();
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.focus, Focus::Panel);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Focus::Target);
    press(&mut s, KeyCode::Down);
    assert_eq!(s.focus, Focus::Field(0));
    press(&mut s, KeyCode::BackTab);
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, Focus::Panel);
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.focus, Focus::Field(0));
}

#[test]
fn table_add_edit_in_place_name_then_value() {
    let mut s = state();
    alt(&mut s, '1');
    assert_eq!(s.focus, Focus::Panel);
    press(&mut s, KeyCode::Char('a'));
    assert_eq!(s.cell.as_ref().unwrap().column, Column::Name);
    typed(&mut s, "X-Api-Token");
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "s3cret");
    press(&mut s, KeyCode::Enter);
    assert!(s.cell.is_none());
    assert_eq!(
        s.doc.connector.name_values("headers"),
        vec![
            NameValue::new("Content-Type", "application/json"),
            NameValue::new("X-Api-Token", "s3cret")
        ]
    );
    assert!(s.doc.connector.name_values("headers")[1].looks_secret());
}

#[test]
fn escape_on_a_new_row_removes_it_and_on_an_edit_restores_it() {
    let mut s = state();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('a'));
    typed(&mut s, "Half");
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.doc.connector.name_values("headers").len(), 1);
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "-Oops");
    assert_eq!(
        s.doc.connector.name_values("headers")[0].name,
        "Content-Type-Oops"
    );
    press(&mut s, KeyCode::Esc);
    assert_eq!(
        s.doc.connector.name_values("headers")[0].name,
        "Content-Type"
    );
}

#[test]
fn invalid_header_names_are_flagged_on_the_row_while_typing() {
    let mut s = state();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('a'));
    typed(&mut s, "bad name");
    let (message, is_error) = s.problem_for("headers", Some(1)).unwrap();
    assert!(is_error);
    assert!(
        message.contains("not a valid HTTP header name"),
        "{message}"
    );
}

#[test]
fn delete_duplicate_and_move_rows() {
    let mut s = state();
    s.doc.connector.set_name_values(
        "parameters",
        &[
            NameValue::new("a", "1"),
            NameValue::new("b", "2"),
            NameValue::new("c", "3"),
        ],
    );
    alt(&mut s, '2');
    press(&mut s, KeyCode::Char('c')); // duplicate a
    let names = |s: &State| {
        s.doc
            .connector
            .name_values("parameters")
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&s), ["a", "a", "b", "c"]);
    press(&mut s, KeyCode::Char('d')); // delete the copy (selected)
    assert_eq!(names(&s), ["a", "b", "c"]);
    press(&mut s, KeyCode::Char('J')); // move b down
    assert_eq!(names(&s), ["a", "c", "b"]);
    assert_eq!(s.selected_row(), 2);
    press(&mut s, KeyCode::Char('K'));
    press(&mut s, KeyCode::Char('K'));
    assert_eq!(names(&s), ["b", "a", "c"]);
}

#[test]
fn bulk_edit_parses_name_value_lines() {
    let mut s = state();
    alt(&mut s, '2');
    press(&mut s, KeyCode::Char('b'));
    assert!(matches!(
        s.overlay,
        Some(Overlay::Bulk {
            key: "parameters",
            ..
        })
    ));
    update(&mut s, Msg::Paste("q: a b\nlimit:10\n\ndomain".into()));
    ctrl(&mut s, 's');
    assert!(s.overlay.is_none());
    assert_eq!(
        s.doc.connector.name_values("parameters"),
        vec![
            NameValue::new("q", "a b"),
            NameValue::new("limit", "10"),
            NameValue::slot("domain")
        ]
    );
}

#[test]
fn reveal_toggles_secret_masking() {
    let mut s = state();
    alt(&mut s, '1');
    assert!(!s.reveal);
    press(&mut s, KeyCode::Char('v'));
    assert!(s.reveal);
    press(&mut s, KeyCode::Char('v'));
    assert!(!s.reveal);
}

#[test]
fn template_typing_updates_preview_variables_and_body() {
    let mut s = state();
    alt(&mut s, '4');
    assert!(s.on_template_tab());
    update(
        &mut s,
        Msg::Paste("{\"d\": {{ domain|tojson }}, \"n\": {{ n }}}".into()),
    );
    assert_eq!(s.preview.variables, ["domain", "n"]);
    s.render_preview_now();
    assert!(
        matches!(s.preview.json, Some(Err(_))),
        "n renders empty: invalid JSON"
    );
    // The body tab is derived and read-only.
    alt(&mut s, '3');
    assert!(s.tab_is_derived());
    assert_eq!(
        s.tab_rows(),
        vec![NameValue::slot("domain"), NameValue::slot("n")]
    );
    press(&mut s, KeyCode::Char('a'));
    assert!(s.toast.as_deref().unwrap().contains("read-only"));
    assert_eq!(s.tab_rows().len(), 2);
}

#[test]
fn sample_values_feed_the_preview() {
    let mut s = state();
    alt(&mut s, '4');
    update(&mut s, Msg::Paste("{\"n\": {{ n }}}".into()));
    // Tab indents in the editor; Esc leaves it for the form, where Shift-Tab from the target
    // row wraps round to the sample values.
    press(&mut s, KeyCode::Esc);
    press(&mut s, KeyCode::BackTab);
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, Focus::Samples);
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "42");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.doc.samples.get("n").map(String::as_str), Some("42"));
    s.render_preview_now();
    assert_eq!(s.preview.json, Some(Ok(json!({"n": 42}))));
}

#[test]
fn a_syntax_error_has_a_position_and_keeps_the_variables() {
    let mut s = state();
    alt(&mut s, '4');
    update(&mut s, Msg::Paste("{{ a }}\n{{ b }".into()));
    let err = s.preview.output.clone().unwrap_err();
    assert!(err.syntax);
    assert_eq!(err.position.unwrap().line, 2);
    assert!(s.problem_counts().0 >= 1);
}

#[test]
fn clearing_the_template_makes_it_null() {
    let mut s = state();
    alt(&mut s, '4');
    typed(&mut s, "x");
    assert_eq!(s.doc.connector.template(), Some("x"));
    press(&mut s, KeyCode::Backspace);
    assert_eq!(
        s.doc.connector.fields.get("body_template"),
        Some(&json!(null))
    );
}

#[test]
fn submit_reviews_sends_records_id_and_changes_then_puts() {
    let mut s = state();
    s.doc.connector.set("rate_limit", json!(60));
    ctrl(&mut s, 'r');
    let Some(Overlay::Review {
        method,
        path,
        blocked,
        ..
    }) = &s.overlay
    else {
        panic!("no review");
    };
    assert_eq!((*method, path.as_str()), ("POST", "/v1/connectors/"));
    assert!(blocked.is_empty());
    let effects = press(&mut s, KeyCode::Enter);
    let [Effect::Submit { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let request = *request;
    assert!(s.busy());
    let answer = fixtures::stored_with_rate_limit_10(&s, request, 7);
    update(&mut s, answer);
    assert_eq!(s.remote_id(), Some("7"));
    assert_eq!(s.doc.connector.fields.get("rate_limit"), Some(&json!(10)));
    assert_eq!(s.changed("rate_limit").unwrap().sent, Some(json!(60)));
    assert!(matches!(
        s.overlay,
        Some(Overlay::Response { created: true, .. })
    ));
    press(&mut s, KeyCode::Esc);
    ctrl(&mut s, 'r');
    assert!(
        matches!(&s.overlay, Some(Overlay::Review { method: "PUT", path, .. }) if path == "/v1/connectors/7")
    );
}

#[test]
fn review_blocks_a_connector_with_errors() {
    let mut s = state();
    s.doc.connector.set("url", "ftp://x".into());
    s.refresh();
    ctrl(&mut s, 'r');
    assert!(matches!(&s.overlay, Some(Overlay::Review { blocked, .. }) if blocked.len() == 1));
    assert!(press(&mut s, KeyCode::Enter).is_empty());
}

#[test]
fn server_field_errors_land_on_the_fields() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Enter);
    let Some(Effect::Submit { request, .. }) = effects.first() else {
        panic!()
    };
    let error = RemoteError {
        status: Some(422),
        message: "rejected".into(),
        fields: vec![(
            FieldPath::parse("rate_limit"),
            "Input should be a valid integer".into(),
        )],
    };
    update(
        &mut s,
        Msg::SubmitFailed {
            request: *request,
            error,
        },
    );
    assert!(matches!(s.overlay, Some(Overlay::SubmitError { .. })));
    let (message, _) = s.problem_for("rate_limit", None).unwrap();
    assert_eq!(message, "server: Input should be a valid integer");
    press(&mut s, KeyCode::Esc);
    focus_field(&mut s, "rate_limit");
    typed(&mut s, "5");
    assert!(
        s.problem_for("rate_limit", None).is_none(),
        "editing the field clears the server note"
    );
}

#[test]
fn escape_cancels_a_request_in_flight_and_ignores_its_late_answer() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Enter);
    let Some(Effect::Submit { request, .. }) = effects.first() else {
        panic!()
    };
    let request = *request;
    assert_eq!(press(&mut s, KeyCode::Esc), vec![Effect::Cancel(request)]);
    assert!(!s.busy());
    update(
        &mut s,
        Msg::Submitted {
            request,
            stored: json!({"id": 1}),
            changes: Vec::new(),
            id: Some("1".into()),
            created: true,
        },
    );
    assert!(s.overlay.is_none());
    assert_eq!(s.remote_id(), None);
}

#[test]
fn try_it_fires_the_connectors_own_request() {
    let mut s = state();
    let effects = ctrl(&mut s, 't');
    let [Effect::Fire { request, fire, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(fire.method, "POST");
    assert_eq!(fire.url, "https://api.example.com/score");
    assert!(matches!(s.overlay, Some(Overlay::Firing { .. })));
    let request = *request;
    update(
        &mut s,
        Msg::Fired {
            request,
            result: Err("refused".into()),
        },
    );
    assert!(matches!(
        s.overlay,
        Some(Overlay::FireResult {
            response: Err(_),
            ..
        })
    ));
}

#[test]
fn past_tries_are_listed_from_the_try_it_view_and_open_there() {
    let mut s = state();
    s.doc.file = Some(std::path::PathBuf::from("/w/score.json"));
    let effects = ctrl(&mut s, 't');
    let [Effect::Fire { request, file, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        file.as_deref(),
        s.doc.file.as_deref(),
        "the try is kept for its file"
    );
    let request = *request;
    update(
        &mut s,
        Msg::Fired {
            request,
            result: Err("refused".into()),
        },
    );
    let effects = press(&mut s, KeyCode::Char('h'));
    assert!(
        matches!(effects.as_slice(), [Effect::ListTries(Some(path))] if path.ends_with("score.json")),
        "{effects:?}"
    );
    let run = |id| crate::history::Run {
        id,
        at: "2026-12-01T14:00:00Z".into(),
        file: "/w/score.json".into(),
        entries: 1,
        ok: 1,
    };
    update(&mut s, Msg::TriesListed(Ok(vec![run(7), run(3)])));
    press(&mut s, KeyCode::Down);
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::OpenTry(3)]),
        "{effects:?}"
    );
    let fire = crate::api::fire::build(&s.doc.connector, &s.doc.samples)
        .unwrap()
        .masked();
    let row = crate::tui::state::RowResult {
        fire,
        response: Err("refused".into()),
        line: json!({"row": 1, "status": null, "error": "refused"}),
    };
    update(
        &mut s,
        Msg::TryOpened {
            id: 3,
            rows: Ok(vec![row]),
        },
    );
    assert!(
        matches!(s.overlay, Some(Overlay::FireResult { .. })),
        "{:?}",
        s.overlay
    );
}

#[test]
fn the_rows_file_runs_from_the_try_it_view_as_a_live_table() {
    use crate::connector::rows::{Rows, RowsFormat, parse};
    use crate::tui::state::RowResult;
    let mut c = state().doc.connector;
    c.set_name_values("parameters", &[NameValue::slot("domain")]);
    let mut s = State::new(c, Samples::new(), Some(PathBuf::from("/w/score.json")));
    let effects = ctrl(&mut s, 't');
    let Some(Effect::Fire { request, .. }) = effects.last() else {
        panic!("{effects:?}")
    };
    let request = *request;
    update(
        &mut s,
        Msg::Fired {
            request,
            result: Err("refused".into()),
        },
    );
    let effects = press(&mut s, KeyCode::Char('r'));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadRows(path)] if path.ends_with("score.json")),
        "{effects:?}"
    );
    let table: Rows = parse(b"domain\nacme.com\nglobex.com\n", RowsFormat::Csv).unwrap();
    let effects = update(
        &mut s,
        Msg::RowsLoaded(Ok(("score.rows.csv".into(), table))),
    );
    let [
        Effect::RunRows {
            request,
            jobs,
            pace,
            file,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    // Each row fills the slots, as `patchcord try --rows` does, within the connector's limits.
    assert_eq!(jobs.len(), 2);
    assert!(jobs[1].request.url.contains("globex.com"), "{:?}", jobs[1]);
    assert_eq!(
        *pace,
        crate::api::schedule::Pace::of(crate::connector::rows::Limits::of(&s.doc.connector))
    );
    assert_eq!(file.as_deref(), s.doc.file.as_deref());
    let run_id = *request;
    let line = json!({"row": 2, "status": 200, "elapsed_ms": 3.5, "response": {"score": 9}});
    let result = RowResult {
        fire: jobs[1].request.masked(),
        response: Err("unused".into()),
        line: line.clone(),
    };
    update(
        &mut s,
        Msg::RowDone {
            request: run_id,
            row: 2,
            result: Box::new(result),
        },
    );
    let Some(Overlay::Rows(run)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(run.done(), 1);
    assert_eq!(run.lines(), [line]);
    // Esc while running cancels the run, and stays on the table.
    let effects = press(&mut s, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::Cancel(id)] if *id == run_id),
        "{effects:?}"
    );
    let effects = press(&mut s, KeyCode::Char('e'));
    assert!(
        matches!(effects.as_slice(), [Effect::ExportRows { path, lines }]
            if path.ends_with("score.results.jsonl") && lines.len() == 1),
        "{effects:?}"
    );
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

#[test]
fn copy_as_curl_goes_to_the_clipboard_with_a_confirmation() {
    let mut s = state();
    let effects = ctrl(&mut s, 'y');
    let [Effect::CopyToClipboard(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // The submit call, as `patchcord curl` prints it; on the sandbox the key is a variable
    // for the user to set.
    assert!(text.starts_with("curl --request POST"), "{text}");
    assert!(
        text.contains("https://api.databar.ai/v1/connectors/"),
        "{text}"
    );
    assert!(
        text.contains(r#""x-apikey: $PATCHCORD_SANDBOX_KEY""#),
        "{text}"
    );
    update(&mut s, Msg::Copied(text.len()));
    assert!(s.toast.as_deref().unwrap().contains("clipboard"));

    // On a live target the key is named by its source, and the toast names what was masked.
    update(
        &mut s,
        Msg::Connected {
            target: TargetRef::new("prod", "https://api.databar.ai"),
            key_source: Some(crate::config::SecretSource::Env("DATABAR_API_KEY".into())),
        },
    );
    s.doc.connector.set_name_values(
        "headers",
        &[NameValue::new("Authorization", "Bearer sk-live-abcdef0123")],
    );
    let effects = ctrl(&mut s, 'y');
    let [Effect::CopyToClipboard(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(text.contains(r#""x-apikey: $DATABAR_API_KEY""#), "{text}");
    assert!(!text.contains("sk-live-abcdef0123"), "{text}");
    update(&mut s, Msg::Copied(text.len()));
    let toast = s.toast.clone().unwrap_or_default();
    assert!(toast.contains("headers[0].value"), "{toast}");
}

#[test]
fn try_it_results_copy_the_fired_request_as_curl() {
    let mut s = state();
    let effects = ctrl(&mut s, 't');
    let Some(Effect::Fire { request, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Msg::Fired {
            request: *request,
            result: Err("refused".into()),
        },
    );
    let effects = press(&mut s, KeyCode::Char('y'));
    let [Effect::CopyToClipboard(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        text.starts_with("curl -X POST 'https://api.example.com/score'"),
        "{text}"
    );
    assert!(matches!(s.overlay, Some(Overlay::FireResult { .. })));
}

#[test]
fn save_writes_the_file_or_asks_where() {
    let mut s = state();
    let effects = ctrl(&mut s, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Save { path, .. }] if path == &PathBuf::from("scoring.json"))
    );
    s.doc.file = None;
    s.doc.connector.set("name", "My Great API!".into());
    s.load_form_input();
    assert!(ctrl(&mut s, 's').is_empty());
    let Some(Overlay::SaveAs { input }) = &s.overlay else {
        panic!()
    };
    assert_eq!(input.text, "my-great-api.json");
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Save { path, .. }] if path == &PathBuf::from("my-great-api.json"))
    );
    s.doc.dirty = true;
    let effects = update(
        &mut s,
        Msg::Saved {
            path: PathBuf::from("my-great-api.json"),
            disk: crate::files::Stamp::ABSENT,
        },
    );
    assert!(!s.doc.dirty);
    // The record of the unsaved connector goes; the session moves to the file's record.
    let new_record = crate::files::journal::file_for(
        std::path::Path::new("/journal"),
        Some(std::path::Path::new("my-great-api.json")),
        "",
    );
    assert_eq!(
        effects,
        vec![
            Effect::DiscardJournal(PathBuf::from("/journal/file-1.json")),
            Effect::Release(PathBuf::from("/journal/file-1.json")),
            Effect::Claim {
                journal_file: new_record,
                path: Some(PathBuf::from("my-great-api.json")),
            },
        ]
    );
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut s = state();
    ctrl(&mut s, 'q').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert!(s.quit, "nothing unsaved: quits at once");
    let mut s = state();
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    ctrl(&mut s, 'c');
    assert!(!s.quit);
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none() && !s.quit);
    ctrl(&mut s, 'q');
    let effects = press(&mut s, KeyCode::Char('s'));
    assert!(matches!(effects.as_slice(), [Effect::Save { .. }]));
    assert!(!s.quit, "waits for the save");
    update(
        &mut s,
        Msg::Saved {
            path: PathBuf::from("scoring.json"),
            disk: crate::files::Stamp::ABSENT,
        },
    );
    assert!(s.quit);
}

#[test]
fn discard_and_quit_forgets_the_journal() {
    let mut s = state();
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    ctrl(&mut s, 'q');
    let effects = press(&mut s, KeyCode::Char('d'));
    assert!(s.quit);
    assert_eq!(
        effects,
        vec![Effect::DiscardJournal(PathBuf::from(
            "/journal/file-1.json"
        ))]
    );
}

#[test]
fn external_editor_round_trip() {
    let mut s = state();
    let effects = ctrl(&mut s, 'e');
    assert_eq!(effects, vec![Effect::EditExternally(String::new())]);
    update(
        &mut s,
        Msg::ExternalEdited(Ok("{\"x\": {{ x|tojson }}}".into())),
    );
    assert_eq!(s.template.lines(), ["{\"x\": {{ x|tojson }}}"]);
    assert_eq!(s.preview.variables, ["x"]);
    assert!(s.doc.dirty);
}

#[test]
fn help_opens_from_f1_and_question_mark_in_tables_and_esc_closes() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('?'));
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    // In a text field `?` is just a character.
    press(&mut s, KeyCode::Esc);
    focus_field(&mut s, "name");
    typed(&mut s, "?");
    assert_eq!(s.doc.connector.text("name"), Some("Scoring?"));
}

#[test]
fn browse_lists_opens_and_confirms_deletes() {
    use super::super::msg::{LocalItem, RemoteItem};
    let mut s = state();
    assert_eq!(
        ctrl(&mut s, 'o'),
        vec![Effect::ListRemote(Vendor::Databar), Effect::ListLocal]
    );
    update(
        &mut s,
        Msg::RemoteListed(Ok(vec![RemoteItem {
            id: "3".into(),
            name: "Remote".into(),
            method: "get".into(),
            url: "https://x".into(),
            state: String::new(),
        }])),
    );
    update(
        &mut s,
        Msg::LocalListed {
            files: vec![LocalItem {
                path: "a.json".into(),
                summary: "A".into(),
            }],
            examples: vec![LocalItem {
                path: "/ex/demo.json".into(),
                summary: "Demo".into(),
            }],
        },
    );
    press(&mut s, KeyCode::Char('d'));
    assert!(
        matches!(&s.overlay, Some(Overlay::ConfirmDelete { label, .. }) if label.contains("remote connector 3"))
    );
    assert_eq!(
        press(&mut s, KeyCode::Char('y')),
        vec![Effect::DeleteRemote {
            vendor: Vendor::Databar,
            id: "3".into(),
            target: sandbox(),
        }]
    );
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::OpenFile {
            path: "/ex/demo.json".into(),
            as_new: true
        }]
    );
    let mut opened = Connector::new(Vendor::Databar);
    opened.set("name", "Demo".into());
    update(
        &mut s,
        Msg::Opened {
            path: None,
            connector: Box::new(opened),
            samples: Samples::new(),
            disk: None,
        },
    );
    assert_eq!(s.doc.connector.text("name"), Some("Demo"));
    // An untouched example has nothing to lose: moving on asks nothing.
    assert!(s.doc.file.is_none() && !s.doc.dirty);
}

/// Browse with one local file listed, from a state with `dirty` edits or not.
fn browsing(dirty: bool) -> State {
    let mut s = state();
    if dirty {
        let _ = press(&mut s, KeyCode::Char('!'));
        assert!(s.doc.dirty);
    }
    open_browse(&mut s);
    update(
        &mut s,
        Msg::LocalListed {
            files: vec![super::super::msg::LocalItem {
                path: "b.json".into(),
                summary: "B".into(),
            }],
            examples: Vec::new(),
        },
    );
    s
}

#[test]
fn opening_another_connector_over_unsaved_edits_asks_save_discard_or_stay() {
    let open_b = vec![Effect::OpenFile {
        path: "b.json".into(),
        as_new: false,
    }];
    // Nothing unsaved: Enter opens at once.
    let mut s = browsing(false);
    assert_eq!(press(&mut s, KeyCode::Enter), open_b);

    // Unsaved: Esc stays with the edits.
    let mut s = browsing(true);
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::ConfirmSwitch(_))));
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.overlay.is_none() && s.doc.dirty);
    assert_eq!(s.doc.connector.text("name"), Some("Scoring!"));

    // d discards: the other file opens.
    let mut s = browsing(true);
    let _ = press(&mut s, KeyCode::Enter);
    assert_eq!(press(&mut s, KeyCode::Char('d')), open_b);

    // s saves first, then opens once the save has landed.
    let mut s = browsing(true);
    let _ = press(&mut s, KeyCode::Enter);
    let effects = press(&mut s, KeyCode::Char('s'));
    assert!(
        matches!(effects.as_slice(), [Effect::Save { .. }, ..]),
        "{effects:?}"
    );
    let effects = update(
        &mut s,
        Msg::Saved {
            path: PathBuf::from("scoring.json"),
            disk: crate::files::Stamp::ABSENT,
        },
    );
    assert!(effects.contains(&open_b[0]), "{effects:?}");
}

/// A tick turns the spinner and does nothing else; it shows only while a request is in
/// flight, which is also the only time the loop sends ticks (`State::busy`, in `tui.rs`).
#[test]
fn only_the_spinner_ticks_and_only_while_busy() {
    use fixtures::screen;
    let mut s = state();
    s.session.size = (80, 24);
    assert!(!s.busy(), "idle: no ticks are scheduled");
    let idle = screen(&s);
    assert!(update(&mut s, Msg::Tick).is_empty());
    assert_eq!(screen(&s), idle, "a tick when idle changes nothing drawn");

    ctrl(&mut s, 'r');
    press(&mut s, KeyCode::Enter).expect(&[|e| matches!(e, Effect::Submit { .. })]);
    assert!(s.busy(), "submitting: ticks are scheduled");
    let before = screen(&s);
    assert!(update(&mut s, Msg::Tick).is_empty());
    let after = screen(&s);
    assert_ne!(after, before, "the spinner turns while busy");
    assert!(after.contains("submitting to"), "{after}");

    press(&mut s, KeyCode::Esc).expect(&[|e| matches!(e, Effect::Cancel(_))]);
    assert!(!s.busy(), "cancelled: no more ticks");
    let idle = screen(&s);
    update(&mut s, Msg::Tick);
    assert_eq!(
        screen(&s),
        idle,
        "a tick after the request changes nothing drawn"
    );
}

#[test]
fn the_target_picker_reconnects() {
    let mut s = state();
    s.session.target.names = vec!["sandbox".into(), "prod".into()];
    press(&mut s, KeyCode::Up);
    assert_eq!(s.focus, Focus::Target);
    let effects = press(&mut s, KeyCode::Right);
    assert_eq!(
        effects,
        vec![Effect::Connect {
            target: Some("prod".into())
        }]
    );
    assert_eq!(s.session.target.picked, "prod");
    assert!(!s.session.target.connected());
    assert!(s.session.target.label().contains("connecting"));
    update(
        &mut s,
        Msg::Connected {
            target: TargetRef::new("prod", "https://api.databar.ai"),
            key_source: None,
        },
    );
    assert!(s.live() && s.session.target.connected());
    let effects = press(&mut s, KeyCode::Left);
    assert_eq!(
        effects,
        vec![Effect::Connect {
            target: Some("sandbox".into())
        }]
    );
}

#[test]
fn agent_stack_metadata_is_a_table_over_a_json_object() {
    let mut c = Connector::new(Vendor::AgentStack);
    c.set("url", "https://mcp.example.com/sse".into());
    let mut s = State::new(c, Samples::new(), None);
    assert!(s.tab_field().is_some_and(|f| f.key == "metadata"));
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('a'));
    typed(&mut s, "team");
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "growth");
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.doc.connector.fields.get("metadata"),
        Some(&json!({"team": "growth"}))
    );
}

#[test]
fn bool_fields_are_pickers_and_secrets_stay_text() {
    let mut s = State::new(Connector::new(Vendor::AgentStack), Samples::new(), None);
    focus_field(&mut s, "match_preset");
    press(&mut s, KeyCode::Right);
    assert_eq!(
        s.doc.connector.fields.get("match_preset"),
        Some(&json!(false)),
        "default true flips"
    );
    press(&mut s, KeyCode::Char(' '));
    assert_eq!(
        s.doc.connector.fields.get("match_preset"),
        Some(&json!(true))
    );
    focus_field(&mut s, "client_secret");
    typed(&mut s, "s3cret");
    assert_eq!(s.doc.connector.text("client_secret"), Some("s3cret"));
}

#[test]
fn json_fields_keep_unparsable_text_until_it_parses() {
    let mut s = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    // Cargo's config is a tab of its own (a JSON editor), drawn from the vendor table.
    let panels = super::super::state::panel_fields(Vendor::Cargo);
    assert_eq!(panels.iter().map(|f| f.key).collect::<Vec<_>>(), ["config"]);
    s.doc.connector.fields.shift_remove("config");
    s.reload_json();
    alt(&mut s, '1');
    assert!(s.on_json_tab());
    assert_eq!(s.focus, Focus::Panel);
    typed(&mut s, "{");
    // Enter indents the line after `{` (and keeps that indent after it).
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "\"region\": \"eu\",");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "\"retries\": 3");
    // Not JSON yet: kept as text, the problem says what and where.
    assert_eq!(
        s.doc.connector.fields.get("config"),
        Some(&json!("{\n  \"region\": \"eu\",\n  \"retries\": 3"))
    );
    let problem = s.json_problem.clone().unwrap();
    assert!(problem.message.contains("EOF"), "{problem:?}");
    assert_eq!(problem.position.map(|p| p.0), Some(3));
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "}");
    assert_eq!(
        s.doc.connector.fields.get("config"),
        Some(&json!({"region": "eu", "retries": 3}))
    );
    assert_eq!(s.json_problem, None);
    assert!(s.doc.dirty);
    // Valid JSON that is not an object is stored as JSON and flagged.
    let mut s = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    s.doc.connector.fields.shift_remove("config");
    s.reload_json();
    alt(&mut s, '1');
    typed(&mut s, "[1, 2]");
    assert_eq!(s.doc.connector.fields.get("config"), Some(&json!([1, 2])));
    assert_eq!(
        s.json_problem.as_ref().map(|p| p.message.as_str()),
        Some("must be a JSON object")
    );
    // Emptied: the field goes (and validation says it is required).
    for _ in 0..6 {
        press(&mut s, KeyCode::Backspace);
    }
    assert_eq!(s.doc.connector.fields.get("config"), None);
    assert!(s.problem_for("config", None).is_some());
}

#[test]
fn json_text_from_a_file_reads_back_as_typed() {
    let mut c = Connector::new(Vendor::Cargo);
    c.set("config", json!("{\"a\": "));
    let s = State::new(c, Samples::new(), None);
    assert_eq!(s.json.lines().join("\n"), "{\"a\": ");
    assert!(s.json_problem.is_some());
    let mut c = Connector::new(Vendor::Cargo);
    c.set("config", json!({"a": {"b": 1}}));
    let s = State::new(c, Samples::new(), None);
    assert_eq!(
        s.json.lines().join("\n"),
        "{\n  \"a\": {\n    \"b\": 1\n  }\n}"
    );
}

#[test]
fn cargo_config_goes_to_the_external_editor_and_comes_back() {
    let mut c = Connector::new(Vendor::Cargo);
    c.set("config", json!({"a": 1}));
    let mut s = State::new(c, Samples::new(), None);
    let effects = ctrl(&mut s, 'e');
    assert_eq!(effects, [Effect::EditExternally("{\n  \"a\": 1\n}".into())]);
    update(&mut s, Msg::ExternalEdited(Ok("{\"b\": [1, 2]}\n".into())));
    assert_eq!(
        s.doc.connector.fields.get("config"),
        Some(&json!({"b": [1, 2]}))
    );
    assert!(s.toast.as_deref().unwrap().contains("config"));
    update(&mut s, Msg::ExternalEdited(Ok("{oops".into())));
    assert_eq!(s.doc.connector.fields.get("config"), Some(&json!("{oops")));
    assert!(s.json_problem.is_some());
}

#[test]
fn rate_limit_is_a_number_and_a_unit_picker() {
    let mut s = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    focus_field(&mut s, "rateLimit");
    // Picking a unit before the number says what to do first.
    press(&mut s, KeyCode::Right);
    assert!(s.toast.as_deref().unwrap().contains("number first"));
    typed(&mut s, "6x");
    assert_eq!(s.toast.as_deref(), Some("Rate limit: digits only"));
    typed(&mut s, "0");
    assert_eq!(
        s.doc.connector.fields.get("rateLimit"),
        Some(&json!({"unit": "minute", "max": 60}))
    );
    press(&mut s, KeyCode::Right);
    assert_eq!(
        s.doc.connector.fields.get("rateLimit"),
        Some(&json!({"unit": "day", "max": 60}))
    );
    press(&mut s, KeyCode::Left);
    press(&mut s, KeyCode::Left);
    assert_eq!(
        s.doc.connector.fields.get("rateLimit"),
        Some(&json!({"unit": "hour", "max": 60}))
    );
    assert!(s.problem_for("rateLimit", None).is_none());
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.doc.connector.fields.get("rateLimit"), None);
}

#[test]
fn slugs_are_read_only_once_created() {
    let mut c = Connector::new(Vendor::Cargo);
    c.set("name", "Scoring".into());
    c.set("slug", "scoring".into());
    let mut s = State::new(c.clone(), Samples::new(), None);
    focus_field(&mut s, "slug");
    typed(&mut s, "-v2");
    assert_eq!(s.doc.connector.text("slug"), Some("scoring-v2"));
    c.set_remote_id(&sandbox(), "2f1c".into());
    let mut s = State::new(c, Samples::new(), None);
    focus_field(&mut s, "slug");
    typed(&mut s, "-v2");
    press(&mut s, KeyCode::Backspace);
    update(&mut s, Msg::Paste("x".into()));
    assert_eq!(s.doc.connector.text("slug"), Some("scoring"));
    assert!(s.toast.as_deref().unwrap().contains("fixed once created"));
    // The name still updates.
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    assert_eq!(s.doc.connector.text("name"), Some("Scoring!"));
}

fn agent_stack(id: Option<&str>) -> State {
    let mut c = Connector::new(Vendor::AgentStack);
    c.set("url", "http://127.0.0.1:8765/demo/mcp/oauth".into());
    if let Some(id) = id {
        c.set_remote_id(&sandbox(), id.to_owned());
    }
    let mut s = State::new(c, Samples::new(), Some(PathBuf::from("mcp.json")));
    update(
        &mut s,
        Msg::Connected {
            target: TargetRef::sandbox("http://127.0.0.1:8765"),
            key_source: None,
        },
    );
    s
}

fn link(state: &str, endpoint: Option<&str>) -> super::super::state::LinkState {
    super::super::state::LinkState {
        state: Some(state.into()),
        authorization_endpoint: endpoint.map(str::to_owned),
        ..Default::default()
    }
}

#[test]
fn agent_stack_state_is_fetched_when_connected_or_opened() {
    use super::super::effect::LinkAction;
    let mut s = agent_stack(None);
    assert!(s.link.is_none(), "nothing to fetch without an id");
    let mut c = Connector::new(Vendor::AgentStack);
    c.set("url", "https://mcp.example.com/mcp".into());
    c.set_remote_id(&sandbox(), "0b7c".into());
    let effects = update(
        &mut s,
        Msg::Opened {
            path: Some("mcp.json".into()),
            connector: Box::new(c),
            samples: Samples::new(),
            disk: None,
        },
    );
    let Some(Effect::Link {
        request,
        id,
        action: LinkAction::Fetch,
        ..
    }) = effects.last().cloned()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(id, "0b7c");
    assert_eq!(s.link.as_ref().unwrap().fetching, Some(request));
    // A stale answer is dropped; the current one lands.
    update(
        &mut s,
        Msg::Linked {
            request: request + 100,
            result: Ok(link("connected", None)),
        },
    );
    assert_eq!(s.link.as_ref().unwrap().state, None);
    update(
        &mut s,
        Msg::Linked {
            request,
            result: Ok(link(
                "auth_required",
                Some("https://auth.example.com/a?x=1"),
            )),
        },
    );
    assert_eq!(
        s.link.as_ref().unwrap().state.as_deref(),
        Some("auth_required")
    );
    // A Databar connector never asks.
    let mut d = state();
    d.doc.connector.set_remote_id(&sandbox(), "7".into());
    let effects = update(
        &mut d,
        Msg::Connected {
            target: TargetRef::sandbox("x"),
            key_source: None,
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
}

/// The connection's messages name the keys as the user bound them.
#[test]
fn connection_messages_name_rebound_keys() {
    let mut s = agent_stack(None);
    s.keymap = super::super::test_fixtures::keys("submit = \"f9\"\nconnect = \"f10\"");
    press(&mut s, KeyCode::F(10));
    let Some(Overlay::Message { text, .. }) = &s.overlay else {
        panic!("{:?}", s.overlay);
    };
    assert!(text.contains("Submit it first (F9)"), "{text}");
    press(&mut s, KeyCode::Esc);
    ctrl(&mut s, 'l');
    assert_eq!(
        s.toast.as_deref(),
        Some("no authorization link (connect first: F10)")
    );
}

#[test]
fn agent_stack_connect_asks_for_a_redirect_then_spins_and_answers() {
    use super::super::effect::LinkAction;
    // Without an id: says to submit first.
    let mut s = agent_stack(None);
    ctrl(&mut s, 'k');
    assert!(
        matches!(&s.overlay, Some(Overlay::Message { text, .. }) if text.contains("Submit it first"))
    );
    let mut s = agent_stack(Some("0b7c"));
    let fetch = s.link.as_ref().unwrap().fetching.unwrap();
    update(
        &mut s,
        Msg::Linked {
            request: fetch,
            result: Ok(link("created", None)),
        },
    );
    ctrl(&mut s, 'k');
    assert!(matches!(s.overlay, Some(Overlay::ConnectAsk { .. })));
    typed(&mut s, "https://app.example.com/back");
    let effects = press(&mut s, KeyCode::Enter);
    let [
        Effect::Link {
            request,
            id,
            action: LinkAction::Connect { redirect_url },
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(id, "0b7c");
    assert_eq!(
        redirect_url.as_deref(),
        Some("https://app.example.com/back")
    );
    assert!(s.busy());
    update(
        &mut s,
        Msg::Linked {
            request: *request,
            result: Ok(link(
                "auth_required",
                Some("https://auth.example.com/authorize?c=1"),
            )),
        },
    );
    assert!(s.overlay.is_none());
    let l = s.link.clone().unwrap();
    assert_eq!(l.state.as_deref(), Some("auth_required"));
    assert!(s.toast.as_deref().unwrap().contains("authorization link"));
    // Ctrl-L copies the link.
    let effects = ctrl(&mut s, 'l');
    assert_eq!(
        effects,
        [Effect::CopyToClipboard(
            "https://auth.example.com/authorize?c=1".into()
        )]
    );
    update(&mut s, Msg::Copied(38));
    assert!(s.toast.as_deref().unwrap().contains("authorization link"));
    // An empty redirect URL sends none; Esc cancels the request.
    ctrl(&mut s, 'k');
    let effects = press(&mut s, KeyCode::Enter);
    let [
        Effect::Link {
            request, action, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(*action, LinkAction::Connect { redirect_url: None });
    let effects = press(&mut s, KeyCode::Esc);
    assert_eq!(effects, [Effect::Cancel(*request)]);
    assert!(s.overlay.is_none());
}

#[test]
fn agent_stack_connect_errors_are_explained_and_disconnect_answers() {
    use super::super::effect::LinkAction;
    let mut s = agent_stack(Some("0b7c"));
    for (status, words) in [
        (504, "could not be reached"),
        (502, "upstream failed"),
        (400, "current state"),
    ] {
        ctrl(&mut s, 'k');
        let effects = press(&mut s, KeyCode::Enter);
        let [Effect::Link { request, .. }] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        update(
            &mut s,
            Msg::Linked {
                request: *request,
                result: Err(RemoteError {
                    status: Some(status),
                    message: format!("HTTP {status}: nope"),
                    fields: Vec::new(),
                }),
            },
        );
        let Some(Overlay::Message { title, text }) = &s.overlay else {
            panic!("{:?}", s.overlay);
        };
        assert_eq!(title, &format!("Connect failed ({status})"));
        assert!(text.contains(words), "{text}");
        assert!(
            s.link
                .as_ref()
                .unwrap()
                .error
                .as_deref()
                .unwrap()
                .contains(words)
        );
        press(&mut s, KeyCode::Esc);
    }
    let effects = ctrl(&mut s, 'd');
    let [
        Effect::Link {
            request,
            action: LinkAction::Disconnect,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    let mut done = link("disconnected", None);
    done.disconnect_reason = Some("user".into());
    update(
        &mut s,
        Msg::Linked {
            request: *request,
            result: Ok(done.clone()),
        },
    );
    assert_eq!(s.link, Some(done));
    assert_eq!(s.toast.as_deref(), Some("now disconnected"));
}

#[test]
fn connection_keys_are_editing_keys_in_other_vendors_editors() {
    // Databar's template editor: Ctrl-K deletes to the end of the line, as before.
    let mut s = state();
    alt(&mut s, '4');
    typed(&mut s, "{\"a\": 1}");
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::Right);
    ctrl(&mut s, 'k');
    assert_eq!(s.doc.connector.template(), Some("{"));
    assert!(s.overlay.is_none());
    // In a form field it only says so.
    s.set_focus(Focus::Field(0));
    ctrl(&mut s, 'k');
    assert!(s.overlay.is_none());
    assert!(s.toast.as_deref().unwrap().contains("no connect"));
}

#[test]
fn agent_stack_submit_adopts_the_stored_state() {
    let mut s = agent_stack(None);
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Enter);
    let [Effect::Submit { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    update(
        &mut s,
        Msg::Submitted {
            request: *request,
            stored: json!({"id": "9a", "url": "http://127.0.0.1:8765/demo/mcp/oauth", "state": "created", "auth_request": null}),
            changes: Vec::new(),
            id: Some("9a".into()),
            created: true,
        },
    );
    assert_eq!(s.remote_id(), Some("9a"));
    assert_eq!(s.link.as_ref().unwrap().state.as_deref(), Some("created"));
}

#[test]
fn a_vendor_without_update_says_it_will_recreate() {
    let mut c = Connector::new(Vendor::AgentStack);
    c.set("url", "https://mcp.example.com/sse".into());
    c.set_remote_id(&sandbox(), "0b7c".into());
    let mut s = State::new(c, Samples::new(), None);
    ctrl(&mut s, 'r');
    let Some(Overlay::Review {
        recreate, method, ..
    }) = &s.overlay
    else {
        panic!("no review");
    };
    assert_eq!(*method, "POST");
    assert!(
        recreate
            .as_deref()
            .unwrap()
            .contains("deletes connector 0b7c")
    );
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Submit { recreate: true, .. }]),
        "{effects:?}"
    );
}

#[test]
fn opening_another_connector_keeps_the_target() {
    let mut s = state();
    update(
        &mut s,
        Msg::Connected {
            target: TargetRef::sandbox("http://127.0.0.1:1"),
            key_source: None,
        },
    );
    s.doc.dirty = false;
    open_browse(&mut s);
    update(
        &mut s,
        Msg::LocalListed {
            files: Vec::new(),
            examples: Vec::new(),
        },
    );
    // One "new" entry per vendor (then the import entries); pick Cargo's, the third.
    for _ in 0..2 {
        press(&mut s, KeyCode::Down);
    }
    press(&mut s, KeyCode::Enter).expect(&[
        |e| matches!(e, Effect::Claim { .. }),
        |e| matches!(e, Effect::DiscardJournal(..)),
        |e| matches!(e, Effect::Release(..)),
    ]);
    assert_eq!(s.doc.connector.vendor, Vendor::Cargo);
    assert!(s.session.target.connected());
    assert_eq!(s.target_ref().base_url, "http://127.0.0.1:1");
    assert_eq!(s.session.target.label(), "SANDBOX http://127.0.0.1:1");
}

#[test]
fn ctrl_c_quits_from_an_overlay_and_cancels_what_is_in_flight() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    ctrl(&mut s, 'c').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert!(
        s.quit,
        "nothing unsaved: the help closes and the editor quits"
    );
    let mut s = state();
    s.doc.dirty = true;
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Enter);
    let Some(Effect::Submit { request, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let request = *request;
    let effects = ctrl(&mut s, 'c');
    assert_eq!(effects.first(), Some(&Effect::Cancel(request)));
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    ctrl(&mut s, 'c');
    assert!(s.quit, "a second Ctrl-C quits, keeping the journal");
}

#[test]
fn pasted_binary_and_control_characters_are_dropped() {
    let mut s = state();
    alt(&mut s, '4');
    update(
        &mut s,
        Msg::Paste("{\u{1}\u{2}\u{1b}[99~\u{7}\"a\": 1,\r\n\t\"b\": 2}".into()),
    );
    // The stray escape sequence goes whole, not just its ESC.
    assert_eq!(s.doc.connector.template(), Some("{\"a\": 1,\n\t\"b\": 2}"));
    // A one-line field gets the lines joined.
    focus_field(&mut s, "name");
    update(&mut s, Msg::Paste(" two\nlines\u{0}".into()));
    assert_eq!(s.doc.connector.text("name"), Some("Scoring two lines"));
}

/// The preview renders a template edit asks for, as the runner gets them.
fn preview_jobs(effects: &[Effect]) -> Vec<PreviewJob> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Preview(job) => Some(job.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_preview_renders_off_the_loop_and_a_stale_answer_is_dropped() {
    let mut s = state();
    alt(&mut s, '4');
    let first = preview_jobs(&update(&mut s, Msg::Paste("{\"a\": 1}".into())));
    let [first] = first.as_slice() else {
        panic!("one render asked for: {first:?}")
    };
    // Nothing was rendered in `update`: the preview says it is on its way.
    assert!(s.rendering.pending);
    assert_eq!(s.preview.output, Ok(String::new()));
    let second = preview_jobs(&typed(&mut s, " "));
    let [second] = second.as_slice() else {
        panic!("one render asked for: {second:?}")
    };
    assert!(second.generation > first.generation);
    // The older render answers late: ignored, still waiting for the newest.
    update(
        &mut s,
        Msg::Previewed {
            generation: first.generation,
            done: first.run(),
        },
    );
    assert!(s.rendering.pending);
    assert_eq!(s.preview.output, Ok(String::new()));
    update(
        &mut s,
        Msg::Previewed {
            generation: second.generation,
            done: second.run(),
        },
    );
    assert!(!s.rendering.pending);
    assert_eq!(s.preview.output, Ok("{\"a\": 1} ".to_owned()));
    assert_eq!(s.preview.json, Some(Ok(json!({"a": 1}))));
    // An edit that leaves the template and samples alone renders nothing again.
    focus_field(&mut s, "name");
    assert!(preview_jobs(&typed(&mut s, "x")).is_empty());
}

#[test]
fn a_template_bomb_is_stopped_by_its_budget_and_shown_as_such() {
    let mut s = state();
    alt(&mut s, '4');
    let bomb = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
    let jobs = preview_jobs(&update(&mut s, Msg::Paste(bomb.into())));
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    s.render_preview_now();
    let err = s.preview.output.clone().unwrap_err();
    assert_eq!(err.limit, Some(crate::template::Limit::Fuel), "{err}");
    assert!(err.message.contains("budget"), "{err}");
}

#[test]
fn a_document_opened_later_drops_the_previous_documents_renders() {
    let mut s = state();
    alt(&mut s, '4');
    let old = preview_jobs(&update(&mut s, Msg::Paste("old".into())));
    let mut c = Connector::new(Vendor::Databar);
    c.set("body_template", json!("new"));
    let opened = preview_jobs(&update(
        &mut s,
        Msg::Opened {
            path: None,
            connector: Box::new(c),
            samples: Samples::new(),
            disk: None,
        },
    ));
    assert_eq!(opened.len(), 1, "{opened:?}");
    update(
        &mut s,
        Msg::Previewed {
            generation: old[0].generation,
            done: old[0].run(),
        },
    );
    assert!(s.rendering.pending, "the old document's answer is not ours");
    s.render_preview_now();
    assert_eq!(s.preview.output, Ok("new".to_owned()));
}

#[test]
fn a_paste_over_the_cap_is_refused_with_a_message() {
    let mut s = state();
    alt(&mut s, '4');
    let huge = "x".repeat(super::input::MAX_PASTE_BYTES + 1);
    let effects = update(&mut s, Msg::Paste(huge));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(s.doc.connector.template(), None);
    let toast = s.toast.clone().unwrap_or_default();
    assert!(toast.contains("paste refused"), "{toast}");
    assert!(toast.contains("1 MiB paste limit"), "{toast}");
    // At the cap it is taken.
    let at_cap = "y".repeat(super::input::MAX_PASTE_BYTES);
    update(&mut s, Msg::Paste(at_cap));
    assert_eq!(
        s.doc.connector.template().map(str::len),
        Some(super::input::MAX_PASTE_BYTES)
    );
}

#[test]
fn a_click_in_a_field_puts_the_cursor_there() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut s = state();
    s.session.size = (80, 24);
    let click = |s: &mut State, column: u16, row: u16| {
        update(
            s,
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column,
                row,
                modifiers: KeyModifiers::NONE,
            }),
        )
    };
    // The name's value starts after the border and the 17-column label: "Sco|ring".
    let _ = click(&mut s, 21, 2);
    assert_eq!(s.focus, Focus::Field(0));
    assert_eq!(s.form_input.cursor, 3);
    let _ = press(&mut s, KeyCode::Char('X'));
    assert_eq!(s.doc.connector.text("name"), Some("ScoXring"));
    // Again on the focused field, and past the end of the text.
    let _ = click(&mut s, 19, 2);
    assert_eq!(s.form_input.cursor, 1);
    let _ = click(&mut s, 70, 2);
    assert_eq!(s.form_input.cursor, 8);
    // On the label: focus only, the cursor at the end.
    let _ = click(&mut s, 3, 2);
    assert_eq!(s.form_input.cursor, 8);
}

#[test]
fn keys_typed_while_the_terminal_is_too_small_do_not_edit() {
    let mut s = state();
    let _ = update(&mut s, Msg::Resize(20, 5));
    let before = s.doc.connector.clone();
    for code in [KeyCode::Char('x'), KeyCode::Backspace, KeyCode::Delete] {
        let effects = press(&mut s, code);
        assert!(effects.is_empty(), "{effects:?}");
    }
    assert_eq!(s.doc.connector, before);
    assert!(!s.doc.dirty);
    // Quitting still works, as the screen says.
    ctrl(&mut s, 'q').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert!(s.quit);
    let _ = update(&mut s, Msg::Resize(80, 24));
}

#[test]
fn a_large_template_is_compiled_off_the_loop_with_its_render() {
    use crate::connector::Rule;
    let mut s = state();
    alt(&mut s, '4');
    let big = format!(
        "{{{{ first }}}}{}",
        "x".repeat(super::super::state::SYNC_ANALYSIS_BYTES)
    );
    let effects = update(&mut s, Msg::Paste(big));
    // Nothing compiled on the loop: the job asks the preview task to compile.
    let job = effects.iter().find_map(|e| match e {
        Effect::Preview(job) => Some(job.clone()),
        _ => None,
    });
    assert!(job.is_some_and(|j| j.analyze));
    assert!(s.preview.variables.is_empty());
    s.render_preview_now();
    assert_eq!(s.preview.variables, ["first"]);
    // A broken tag: the last analysis stands until the task answers, then the error shows.
    let _ = update(&mut s, Msg::Paste("{% if %}".into()));
    assert!(!s.findings.iter().any(|f| f.rule == Rule::TemplateSyntax));
    s.render_preview_now();
    assert!(
        s.findings.iter().any(|f| f.rule == Rule::TemplateSyntax),
        "{:?}",
        s.findings
    );
    // A small template is compiled at once, as before.
    let mut s = state();
    alt(&mut s, '4');
    let _ = update(&mut s, Msg::Paste("{% if %}".into()));
    assert!(s.findings.iter().any(|f| f.rule == Rule::TemplateSyntax));
}

#[test]
fn rebound_keys_survive_opening_another_connector() {
    let mut s = state();
    let keys = vec!["ctrl-g".to_owned()];
    s.keymap = crate::tui::keymap::Keymap::with_overrides([("save", keys.as_slice())])
        .expect("valid [keys]");
    update(
        &mut s,
        Msg::Opened {
            path: None,
            connector: Box::new(Connector::new(Vendor::Databar)),
            samples: Samples::new(),
            disk: None,
        },
    );
    assert!(
        s.keymap
            .keys_for(
                crate::tui::keymap::Context::Global,
                crate::tui::keymap::Action::Save
            )
            .contains("Ctrl-G")
    );
}

#[test]
fn a_template_past_its_limits_is_an_error_of_the_connector() {
    use crate::connector::Rule;
    let mut s = state();
    alt(&mut s, '4');
    let _ = update(
        &mut s,
        Msg::Paste(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
                .into(),
        ),
    );
    s.render_preview_now();
    let limited = |s: &State| s.findings.iter().any(|f| f.rule == Rule::TemplateLimit);
    assert!(limited(&s), "{:?}", s.findings);
    // An edit elsewhere renders nothing new, and the limit still stands.
    alt(&mut s, '1');
    let _ = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
    );
    s.focus = Focus::Field(0);
    let _ = press(&mut s, KeyCode::Char('!'));
    assert!(limited(&s), "{:?}", s.findings);
}

#[test]
fn the_problems_list_goes_to_the_field_or_row() {
    let mut s = state();
    s.doc.connector.set("url", "not a url".into());
    s.doc.connector.set_name_values(
        "headers",
        &[NameValue::new("ok", "1"), NameValue::new("bad header", "x")],
    );
    s.doc.connector.set("body_template", json!("{}"));
    s.doc
        .connector
        .set_name_values("body", &[NameValue::new("stale", "x")]);
    s.refresh();
    press(&mut s, KeyCode::F(3));
    let problems = s.problems();
    let places: Vec<&str> = problems.iter().map(|p| p.place.as_str()).collect();
    assert!(places.contains(&"URL"), "{places:?}");
    assert!(places.contains(&"Headers, row 2"), "{places:?}");
    let ignored = problems
        .iter()
        .position(|p| p.kind == crate::tui::state::ProblemKind::Warning)
        .expect("the body-ignored warning is listed");
    assert!(
        problems[ignored].message.contains("ignored"),
        "{problems:?}"
    );
    // Walk to the header row's problem and go there.
    let row = places.iter().position(|p| *p == "Headers, row 2").unwrap();
    for _ in 0..row {
        press(&mut s, KeyCode::Down);
    }
    assert!(matches!(s.overlay, Some(Overlay::Problems { selected }) if selected == row));
    press(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
    assert_eq!(s.focus, Focus::Panel);
    assert_eq!(s.tab_field().map(|f| f.key), Some("headers"));
    assert_eq!(s.selected_row(), 1);
    // And to a form field.
    press(&mut s, KeyCode::F(3));
    press(&mut s, KeyCode::Home);
    let url = places.iter().position(|p| *p == "URL").unwrap();
    for _ in 0..url {
        press(&mut s, KeyCode::Char('j'));
    }
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.focused_field().map(|f| f.key), Some("url"));
}

#[test]
fn the_palette_lists_the_focused_contexts_actions_filters_and_runs_one() {
    let mut s = state();
    s.focus = Focus::Panel;
    ctrl(&mut s, 'p');
    let Some(Overlay::Palette(palette)) = &s.overlay else {
        panic!("no palette: {:?}", s.overlay);
    };
    let entries = s.palette_entries(palette);
    let actions: Vec<Action> = entries.iter().map(|e| e.action).collect();
    // The table's own actions and the global ones, with their keys; Databar has no link.
    assert!(actions.contains(&Action::Duplicate), "{actions:?}");
    assert!(actions.contains(&Action::Save), "{actions:?}");
    assert!(!actions.contains(&Action::Connect), "{actions:?}");
    assert!(!actions.contains(&Action::PickNext), "{actions:?}");
    let save = entries.iter().find(|e| e.action == Action::Save).unwrap();
    assert_eq!(save.keys, "Ctrl-S");
    typed(&mut s, "duplic");
    let Some(Overlay::Palette(palette)) = &s.overlay else {
        panic!("palette closed while typing");
    };
    assert_eq!(s.palette_entries(palette)[0].action, Action::Duplicate);
    let rows = s.doc.connector.name_values("headers").len();
    press(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
    assert_eq!(s.doc.connector.name_values("headers").len(), rows + 1);
    // Esc closes without running anything; nothing matches says so and Enter does nothing.
    ctrl(&mut s, 'p');
    typed(&mut s, "zzzzqq");
    press(&mut s, KeyCode::Enter);
    assert!(matches!(s.overlay, Some(Overlay::Palette(_))));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

#[test]
fn the_palette_shows_rebound_keys() {
    let mut s = state();
    let keys = vec!["f9".to_owned()];
    s.keymap = crate::tui::keymap::Keymap::with_overrides([("save", keys.as_slice())]).unwrap();
    ctrl(&mut s, 'p');
    typed(&mut s, "save the");
    let Some(Overlay::Palette(palette)) = &s.overlay else {
        panic!("no palette");
    };
    let first = &s.palette_entries(palette)[0];
    assert_eq!((first.action, first.keys.as_str()), (Action::Save, "F9"));
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Save { .. }))
            || matches!(s.overlay, Some(Overlay::SaveAs { .. })),
        "{effects:?} {:?}",
        s.overlay
    );
}

/// Hints and the palette offer only what applies: an Agent Stack connector the transitions its
/// state allows, Cargo no try-it, a derived table no row edits.
#[test]
fn only_the_actions_that_apply_are_offered() {
    let mut s = agent_stack(Some("c0ffee00-0000-4000-8000-000000000001"));
    s.link = Some(link("created", None));
    assert!(s.offers(Action::Connect));
    assert!(!s.offers(Action::Disconnect));
    assert!(!s.offers(Action::CopyLink));
    s.link = Some(link(
        "auth_required",
        Some("https://auth.example.com/authorize"),
    ));
    assert!(s.offers(Action::Disconnect) && s.offers(Action::CopyLink));
    s.link = Some(link("connected", None));
    assert!(s.offers(Action::Disconnect) && !s.offers(Action::CopyLink));
    s.link = Some(link("disconnected", None));
    assert!(s.offers(Action::Connect) && !s.offers(Action::Disconnect));

    let cargo = State::new(Connector::new(Vendor::Cargo), Samples::new(), None);
    assert!(!cargo.offers(Action::TryIt));
    assert!(!cargo.offers(Action::Connect));
    let mut databar = state();
    assert!(databar.offers(Action::TryIt) && !databar.offers(Action::Connect));
    // The Body tab is derived once a template is set: no add or delete there.
    databar
        .doc
        .connector
        .set("body_template", json!("{\"a\": {{ a }}}"));
    databar.refresh();
    databar.focus = Focus::Panel;
    databar.tab = 2;
    assert!(databar.tab_is_derived());
    assert!(!databar.offers(Action::Add) && !databar.offers(Action::Delete));
    assert!(databar.offers(Action::Reveal));
}

fn headers(s: &State) -> Vec<String> {
    s.doc
        .connector
        .name_values("headers")
        .iter()
        .map(|h| format!("{}={}", h.name, h.value))
        .collect()
}

/// Ctrl-U undoes and Alt-U redoes every kind of edit, one step per run of typing in one place
/// and one per row operation; back at the saved document nothing is unsaved.
#[test]
fn undo_and_redo_every_kind_of_edit() {
    let mut s = state();
    s.mark_saved();
    // A form field: typing in it is one step.
    focus_field(&mut s, "name");
    typed(&mut s, " v2");
    assert_eq!(s.doc.connector.text("name"), Some("Scoring v2"));
    // A picker: each pick in the field is part of that field's run.
    focus_field(&mut s, "method");
    press(&mut s, KeyCode::Right);
    let picked = s.doc.connector.text("method").map(str::to_owned);
    // A row added and typed into (a cell run), then a row duplicated and one moved.
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('a'));
    typed(&mut s, "X-A");
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "1");
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Char('K'));
    press(&mut s, KeyCode::Char('c'));
    assert_eq!(
        headers(&s),
        ["X-A=1", "X-A=1", "Content-Type=application/json"]
    );
    press(&mut s, KeyCode::Char('d'));
    assert_eq!(headers(&s).len(), 2);
    assert!(s.doc.dirty);

    ctrl(&mut s, 'u'); // the delete
    assert_eq!(headers(&s).len(), 3);
    assert!(
        s.toast.as_deref().unwrap().starts_with("undid: Headers"),
        "{:?}",
        s.toast
    );
    ctrl(&mut s, 'u'); // the duplicate
    assert_eq!(headers(&s), ["X-A=1", "Content-Type=application/json"]);
    ctrl(&mut s, 'u'); // the move
    assert_eq!(headers(&s), ["Content-Type=application/json", "X-A=1"]);
    ctrl(&mut s, 'u'); // the value typed
    ctrl(&mut s, 'u'); // the name typed
    ctrl(&mut s, 'u'); // the row added
    assert_eq!(headers(&s), ["Content-Type=application/json"]);
    ctrl(&mut s, 'u'); // the method
    assert_eq!(s.doc.connector.text("method"), Some("post"));
    ctrl(&mut s, 'u').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]); // the name
    assert_eq!(s.doc.connector.text("name"), Some("Scoring"));
    assert!(!s.doc.dirty, "back at the saved document");
    ctrl(&mut s, 'u').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert_eq!(s.toast.as_deref(), Some("nothing to undo"));

    alt(&mut s, 'u');
    assert_eq!(s.doc.connector.text("name"), Some("Scoring v2"));
    alt(&mut s, 'u');
    assert_eq!(s.doc.connector.text("method").map(str::to_owned), picked);
    assert!(s.doc.dirty);
    // A new edit drops what could be redone.
    focus_field(&mut s, "url");
    typed(&mut s, "/x");
    alt(&mut s, 'u');
    assert_eq!(s.toast.as_deref(), Some("nothing to redo"));
}

#[test]
fn bulk_edits_and_template_text_are_steps_and_revert_is_one_too() {
    let mut s = state();
    s.mark_saved();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('b'));
    press(&mut s, KeyCode::End);
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "X-B: 2");
    ctrl(&mut s, 's');
    assert_eq!(headers(&s), ["Content-Type=application/json", "X-B=2"]);
    alt(&mut s, '4');
    typed(&mut s, "{}");
    assert!(s.doc.connector.template().is_some());
    // Revert puts back the saved connector; undo brings the edits back.
    alt(&mut s, 'r').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert_eq!(headers(&s), ["Content-Type=application/json"]);
    assert_eq!(s.doc.connector.template(), None);
    assert!(!s.doc.dirty);
    alt(&mut s, 'r').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert!(s.toast.as_deref().unwrap().starts_with("nothing to revert"));
    ctrl(&mut s, 'u');
    assert_eq!(headers(&s), ["Content-Type=application/json", "X-B=2"]);
    assert!(s.doc.connector.template().is_some());
    ctrl(&mut s, 'u');
    assert_eq!(s.doc.connector.template(), None);
    ctrl(&mut s, 'u').expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert_eq!(headers(&s), ["Content-Type=application/json"]);
}

/// Cargo's 409 says which slug clashes only in its message: it lands beside Slug.
#[test]
fn a_cargo_conflict_lands_beside_the_slug() {
    let mut c = Connector::new(Vendor::Cargo);
    c.set("name", "Enrich".into());
    c.set("slug", "enrich".into());
    c.set("integrationSlug", "http".into());
    c.set("config", json!({}));
    let mut s = State::new(c, Samples::new(), None);
    s.session.target.status = Status::Connected {
        at: sandbox(),
        key_source: None,
    };
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Enter);
    let Some(Effect::Submit { request, .. }) = effects.first() else {
        panic!("no submit: {effects:?} {:?}", s.overlay)
    };
    let said = "A connector with slug \"enrich\" already exists in this workspace";
    // As the client reports it (`ApiError::placed_for`): on the vendor's unique field.
    let error = RemoteError {
        status: Some(409),
        message: format!("the server rejected the request (409 Conflict): {said}"),
        fields: vec![(FieldPath::key("slug"), said.into())],
    };
    let request = *request;
    update(&mut s, Msg::SubmitFailed { request, error });
    let (message, is_error) = s.problem_for("slug", None).expect("beside Slug");
    assert_eq!(message, format!("server: {said}"));
    assert!(is_error);
}
