//! What trying over rows puts on screen: the selection marked in the try-it response (checked
//! on the buffer's cells), the prompt's parser message, the typed rows table, and a past run
//! over rows reopened with every row.

use super::*;
use crate::connector::rows::parse_selects;
use crate::tui::state::{LineInput, Overlay, RowResult, RowsRun, RowsTable};
use crate::tui::theme;
use ratatui::buffer::Buffer;

fn answer(body: &serde_json::Value) -> crate::api::fire::FireResponse {
    let body = body.to_string();
    crate::api::fire::FireResponse {
        status: 200,
        reason: "OK".into(),
        elapsed: std::time::Duration::from_millis(5),
        headers: vec![("content-type".into(), "application/json".into())],
        body_bytes: body.len(),
        body,
        truncated: false,
        not_followed: None,
    }
}

fn buffer(state: &State) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(state.session.size.0, state.session.size.1)).unwrap();
    terminal.draw(|f| view(state, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The text of each screen line, and of its cells drawn in the mark's style.
fn marked_lines(buffer: &Buffer) -> Vec<(String, String)> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let cells: Vec<_> = (0..area.width).map(|x| &buffer[(x, y)]).collect();
            let text = cells.iter().map(|c| c.symbol()).collect();
            let marked = (cells.iter())
                .filter(|c| Some(c.bg) == theme::matched().bg)
                .map(|c| c.symbol())
                .collect();
            (text, marked)
        })
        .collect()
}

#[test]
fn the_selection_is_listed_above_the_body_and_marked_in_it() {
    let body = json!({"name": "Acme Inc.", "employees": 120, "tags": ["b2b", "saas"]});
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let mut s = try_it_state(w, h, Ok(answer(&body)));
        s.tries.selects = parse_selects("$.name; $.tags[1]; $.nope").unwrap();
        let lines = marked_lines(&buffer(&s));
        let find = |needle: &str| {
            (lines.iter())
                .find(|(text, _)| text.contains(needle))
                .unwrap_or_else(|| panic!("{w}x{h}: no {needle:?} in {lines:#?}"))
        };
        // The list: each expression and what it found (or that it found nothing).
        assert_eq!(find("$.name Acme Inc.").1, "Acme Inc.");
        assert_eq!(find("$.tags[1] saas").1, "saas");
        assert_eq!(find("$.nope no match").1, "");
        // The body: the matched values' own cells, not their keys.
        assert_eq!(find("\"name\": \"Acme Inc.\"").1, "\"Acme Inc.\"");
        assert_eq!(find("\"employees\": 120").1, "");
        if h >= 24 {
            assert_eq!(find("\"saas\"").1, "\"saas\"");
        }
    }
}

#[test]
fn the_select_prompt_shows_the_parsers_message_over_the_response() {
    let body = json!({"name": "Acme Inc."});
    let mut s = try_it_state(100, 30, Ok(answer(&body)));
    let back = s.overlay.take().map(Box::new);
    let error = parse_selects("company[").unwrap_err();
    s.overlay = Some(Overlay::TrySelect {
        input: LineInput::new("company["),
        error: Some(error),
        back,
    });
    let text = box_text(&s, "Select (JSONPath)").expect("the prompt is drawn");
    assert!(text.contains("$ company["), "{text}");
    assert!(
        text.contains("\"company[\" is not a JSONPath expression"),
        "{text}"
    );
    // The response is still under it, unmarked (the text does not parse).
    let lines = marked_lines(&buffer(&s));
    assert!(
        lines
            .iter()
            .any(|(t, m)| t.contains("\"name\"") && m.is_empty())
    );
}

#[test]
fn the_rows_table_shows_the_slot_columns_the_typed_rows_and_the_chosen_cell() {
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let mut s = state(w, h);
        let mut table =
            RowsTable::from_samples(vec!["domain".into(), "size".into()], &s.doc.samples);
        table.add(false);
        table.set_cell("globex.com".into());
        table.step(0, 1);
        table.edit = Some(LineInput::new("50"));
        s.overlay = Some(Overlay::RowsTable(Box::new(table)));
        let screen = render(&s);
        assert!(
            screen.contains("Rows table · 2 row(s)"),
            "{w}x{h}:\n{screen}"
        );
        assert!(screen.contains("one row of the sample values"), "{screen}");
        assert!(screen.contains("acme.com"), "{screen}");
        assert!(screen.contains("120"), "{screen}");
        assert!(screen.contains("globex.com"), "{screen}");
        assert!(screen.contains("Tab the next cell"), "{screen}");
        let lines = marked_lines(&buffer(&s));
        assert!(
            lines
                .iter()
                .any(|(t, _)| t.contains("globex.com") && t.contains("50"))
        );
    }
}

#[test]
fn a_reopened_run_over_rows_lists_every_row_with_its_selection() {
    let fire =
        crate::api::fire::build(&state(80, 24).doc.connector, &state(80, 24).doc.samples).unwrap();
    let row = |n: u64, domain: &str, status: u64| {
        let mut fire = fire.clone();
        fire.body = Some(format!("{{\"domain\": \"{domain}\"}}"));
        RowResult {
            fire,
            response: Err("unused".into()),
            line: json!({"row": n, "status": status, "elapsed_ms": 2.5,
                         "response": {"name": format!("{domain} Co")}}),
        }
    };
    let run = RowsRun::reopened(
        4,
        vec![
            row(1, "acme.de", 200),
            row(2, "globex.com", 200),
            row(3, "initech.io", 429),
        ],
    );
    for (w, h) in [(100, 24), (120, 40)] {
        let mut s = state(w, h);
        s.tries.selects = parse_selects("$.name").unwrap();
        s.overlay = Some(Overlay::Rows(Box::new(run.clone())));
        let screen = render(&s);
        assert!(
            screen.contains("Rows: try 4 · 3/3 answered · finished"),
            "{w}x{h}:\n{screen}"
        );
        for domain in ["acme.de", "globex.com", "initech.io"] {
            assert!(screen.contains(domain), "{domain}: {screen}");
        }
        assert!(screen.contains("$.name"), "{screen}");
        assert!(screen.contains("globex.com Co"), "{screen}");
        assert!(screen.contains("429"), "{screen}");
        assert!(screen.contains("c CSV · Esc close"), "{screen}");
    }
}
