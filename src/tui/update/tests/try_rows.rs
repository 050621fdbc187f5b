//! Trying over rows in the editor: the `--select` prompt of the try-it view, the rows table
//! typed into and run, and past runs over rows opened whole.

use super::*;
use crate::api::fire::FireResponse;
use crate::connector::rows::{RowsFormat, parse};
use crate::tui::state::{RowResult, RowsTable};
use std::time::Duration;

/// An editor over a connector with a `domain` slot, its file at `/w/co.json`, showing a
/// try-it answer with a JSON body.
fn answered() -> State {
    let mut c = state().doc.connector;
    c.set("method", "get".into());
    c.set_name_values("parameters", &[NameValue::slot("domain")]);
    let samples: Samples = [("domain".to_owned(), "acme.com".to_owned())].into();
    let mut s = State::new(c, samples, Some(PathBuf::from("/w/co.json")));
    let fire = crate::api::fire::build(&s.doc.connector, &s.doc.samples).unwrap();
    let body = json!({"name": "Acme Inc.", "employees": 120}).to_string();
    s.overlay = Some(Overlay::FireResult {
        fire: Box::new(fire),
        response: Ok(FireResponse {
            status: 200,
            reason: "OK".into(),
            elapsed: Duration::from_millis(5),
            headers: Vec::new(),
            body_bytes: body.len(),
            body,
            truncated: false,
            not_followed: None,
        }),
        scroll: 0,
    });
    s
}

fn select_prompt(s: &State) -> (&str, Option<&str>) {
    match &s.overlay {
        Some(Overlay::TrySelect { input, error, back }) => {
            assert!(
                matches!(back.as_deref(), Some(Overlay::FireResult { .. })),
                "{back:?}"
            );
            (input.text.as_str(), error.as_deref())
        }
        other => panic!("{other:?}"),
    }
}

fn exprs(s: &State) -> Vec<&str> {
    s.tries.selects.iter().map(|s| s.expr.as_str()).collect()
}

#[test]
fn a_select_typed_in_the_try_it_view_is_parsed_kept_for_the_session_and_refused_when_bad() {
    let mut s = answered();
    press(&mut s, KeyCode::Char('s'));
    assert_eq!(select_prompt(&s), ("", None));
    typed(&mut s, "$.name; company[");
    press(&mut s, KeyCode::Enter);
    // The parser's message, in the prompt; nothing else changes.
    let (text, error) = select_prompt(&s);
    assert_eq!(text, "$.name; company[");
    assert!(
        error.is_some_and(|e| e.starts_with("\"company[\" is not a JSONPath expression")),
        "{error:?}"
    );
    assert!(s.tries.selects.is_empty());
    for _ in 0.."company[".len() {
        press(&mut s, KeyCode::Backspace);
    }
    assert_eq!(select_prompt(&s).1, None, "editing clears the message");
    typed(&mut s, "$.employees");
    press(&mut s, KeyCode::Enter);
    assert!(matches!(s.overlay, Some(Overlay::FireResult { .. })));
    assert_eq!(exprs(&s), ["$.name", "$.employees"]);
    // Opened again it holds them; Esc goes back with them unchanged.
    press(&mut s, KeyCode::Char('s'));
    assert_eq!(select_prompt(&s).0, "$.name; $.employees");
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Esc);
    assert!(matches!(s.overlay, Some(Overlay::FireResult { .. })));
    assert_eq!(exprs(&s), ["$.name", "$.employees"]);
    // The session keeps them when another connector is opened.
    s.replace_document(Connector::new(Vendor::Databar), Samples::new(), None);
    assert_eq!(exprs(&s), ["$.name", "$.employees"]);
}

#[test]
fn the_select_key_is_in_the_keymap_help_and_palette_and_works_from_the_main_screen() {
    let mut s = answered();
    s.overlay = None;
    let help: Vec<String> = (s.keymap.help_sections().into_iter())
        .flat_map(|(_, rows)| rows.into_iter().map(|(k, h)| format!("{k} {h}")))
        .collect();
    assert!(
        help.iter().any(|r| r.starts_with("Alt-s try it: JSONPath")),
        "{help:?}"
    );
    assert!(help.iter().any(|r| r.starts_with("s select: JSONPath")));
    ctrl(&mut s, 'p');
    typed(&mut s, "jsonpath");
    let Some(Overlay::Palette(palette)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    let entries = s.palette_entries(palette);
    assert_eq!(entries.first().map(|e| e.action), Some(Action::TrySelect));
    press(&mut s, KeyCode::Enter);
    assert!(matches!(
        s.overlay,
        Some(Overlay::TrySelect { back: None, .. })
    ));
    typed(&mut s, "$.name");
    press(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
    assert_eq!(exprs(&s), ["$.name"]);
}

fn table(s: &State) -> &RowsTable {
    match &s.overlay {
        Some(Overlay::RowsTable(table)) => table,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_rows_table_fills_from_the_rows_file_is_typed_into_and_runs_with_the_selects() {
    let mut s = answered();
    s.tries.selects = crate::connector::rows::parse_selects("$.name").unwrap();
    let effects = press(&mut s, KeyCode::Char('t'));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadRows(p)] if p.ends_with("co.json")),
        "{effects:?}"
    );
    // One row of the samples, until the rows file is read.
    assert_eq!(table(&s).columns, ["domain"]);
    assert_eq!(table(&s).rows, [["acme.com"]]);
    let file = parse(b"domain,extra\nacme.de,1\ninitech.io,2\n", RowsFormat::Csv).unwrap();
    update(&mut s, Msg::RowsLoaded(Ok(("co.rows.csv".into(), file))));
    assert_eq!(table(&s).rows, [["acme.de"], ["initech.io"]]);
    assert!(
        table(&s).note.contains("2 row(s) from co.rows.csv") && table(&s).note.contains("extra"),
        "{}",
        table(&s).note
    );
    // The table keys: delete a row, add one and type it, edit a cell in place.
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Char('d'));
    press(&mut s, KeyCode::Char('a'));
    typed(&mut s, "globex.co");
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "m");
    press(&mut s, KeyCode::Enter);
    assert_eq!(table(&s).rows, [["acme.de"], ["globex.com"]]);
    let effects = press(&mut s, KeyCode::Char('r'));
    let [
        Effect::RunRows {
            request,
            jobs,
            selects,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(jobs.len(), 2);
    assert!(
        jobs[1].request.url.ends_with("domain=globex.com"),
        "{jobs:?}"
    );
    assert_eq!(selects.len(), 1, "the lines keep what the selects found");
    let (request, first) = (*request, jobs[0].request.masked());
    let Some(Overlay::Rows(run)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(run.origin, crate::tui::state::Origin::Typed);
    // With the select prompt over the running table, the answers still land in it.
    press(&mut s, KeyCode::Char('s'));
    assert!(matches!(s.overlay, Some(Overlay::TrySelect { .. })));
    let line = json!({"row": 1, "status": 200, "elapsed_ms": 1.0, "response": {"name": "A"}});
    let result = RowResult {
        fire: first,
        response: Err("unused".into()),
        line,
    };
    let result = Box::new(result);
    update(
        &mut s,
        Msg::RowDone {
            request,
            row: 1,
            result,
        },
    );
    update(&mut s, Msg::RowsFinished { request });
    press(&mut s, KeyCode::Esc);
    let Some(Overlay::Rows(run)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert!(run.finished && run.done() == 1, "{run:?}");
    // Closing the run goes back to the table, as it was typed.
    press(&mut s, KeyCode::Esc);
    assert_eq!(table(&s).rows, [["acme.de"], ["globex.com"]]);
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    // Alt-T opens it again from the main screen, without reading the file again.
    let effects = alt(&mut s, 't');
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(table(&s).rows, [["acme.de"], ["globex.com"]]);
}

#[test]
fn without_a_file_the_rows_table_has_one_row_of_samples_and_loads_a_file_by_path() {
    let mut s = answered();
    s.doc.file = None;
    let effects = press(&mut s, KeyCode::Char('t'));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(table(&s).rows, [["acme.com"]]);
    press(&mut s, KeyCode::Char('o'));
    typed(&mut s, "rows.jsonl");
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::LoadRowsFile(p)] if p == &PathBuf::from("rows.jsonl")),
        "{effects:?}"
    );
    update(
        &mut s,
        Msg::RowsLoaded(Err("rows.jsonl: line 2: oops".into())),
    );
    assert_eq!(table(&s).note, "rows.jsonl: line 2: oops");
    assert_eq!(table(&s).rows, [["acme.com"]], "a bad file changes no row");
}

#[test]
fn a_past_run_over_rows_opens_whole_as_a_finished_table() {
    let mut s = answered();
    press(&mut s, KeyCode::Char('h')).expect(&[|e| matches!(e, Effect::ListTries(_))]);
    let fire = crate::api::fire::build(&s.doc.connector, &s.doc.samples)
        .unwrap()
        .masked();
    let row = |n: u64, domain: &str| {
        let mut fire = fire.clone();
        fire.url = format!("http://h/demo/company?domain={domain}");
        RowResult {
            fire,
            response: Err("unused".into()),
            line: json!({"row": n, "status": 200, "elapsed_ms": 3.0,
                         "response": {"name": domain}}),
        }
    };
    let rows = vec![
        row(1, "acme.de"),
        row(2, "globex.com"),
        row(3, "initech.io"),
    ];
    update(
        &mut s,
        Msg::TryOpened {
            id: 9,
            rows: Ok(rows),
        },
    );
    let Some(Overlay::Rows(run)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert!(run.finished && !run.cancelled);
    assert_eq!((run.done(), run.source.as_str()), (3, "try 9"));
    assert_eq!(run.inputs[2].get("request").unwrap(), "domain=initech.io");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    let Some(Overlay::Rows(run)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert!(run.open && run.selected == 1);
    press(&mut s, KeyCode::Esc);
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}
