//! The browse screen's import prompts (a curl command, an OpenAPI document's path) and the
//! list of the document's operations, filtered as typed.

use super::footers;
use super::popup::{boxed, footer_line, popup};
use super::{fit, input_spans, to_u16};
use crate::connector::import_openapi::Operation;
use crate::tui::state::{LineInput, OperationPick, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// A one-line prompt with a line of help above it and, when set, what went wrong below.
pub(super) struct Prompt<'a> {
    pub title: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub input: &'a LineInput,
    pub status: Option<(String, ratatui::style::Style)>,
    /// The footer line.
    pub keys: String,
}

pub(super) fn prompt(frame: &mut Frame, area: Rect, prompt: &Prompt<'_>) {
    let rect = popup(area, 80, 9);
    let inner = boxed(frame, rect, prompt.title, theme::focused_border());
    let width = usize::from(inner.width);
    let label_width = prompt.label.chars().count();
    let mut spans = vec![Span::styled(prompt.label.to_owned(), theme::label())];
    spans.extend(input_spans(
        &prompt.input.text,
        prompt.input.cursor,
        width.saturating_sub(label_width + 1),
        theme::text(),
    ));
    let mut lines = vec![
        Line::from(Span::styled(prompt.help.to_owned(), theme::muted())),
        Line::from(spans),
    ];
    if let Some((text, style)) = &prompt.status {
        lines.push(Line::from(Span::styled(text.clone(), *style)));
    }
    let body_height = inner.height.saturating_sub(1);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect {
            height: body_height,
            ..inner
        },
    );
    footer_line(frame, inner, &prompt.keys);
}

/// The operation list: the filter, then one row per matching operation, the chosen one
/// marked, and why the last import failed.
pub(super) fn operations(state: &State, frame: &mut Frame, area: Rect, pick: &OperationPick) {
    let rect = popup(area, area.width, area.height.saturating_sub(2));
    let title = match &pick.spec.title {
        Some(title) => format!("Import an operation of {title}"),
        None => "Import an operation".to_owned(),
    };
    let inner = boxed(frame, rect, &title, theme::focused_border());
    let width = usize::from(inner.width);
    let matches = pick.matches();
    let header = operations_header(pick, matches.len(), width);
    let rows = operation_rows(&matches, pick.selected, width);
    let header_height = to_u16(header.len()).min(inner.height);
    frame.render_widget(
        Paragraph::new(header),
        Rect {
            height: header_height,
            ..inner
        },
    );
    let list_height = inner.height.saturating_sub(header_height + 1);
    let scroll = to_u16((pick.selected + 1).saturating_sub(usize::from(list_height)));
    frame.render_widget(
        Paragraph::new(rows).scroll((scroll, 0)),
        Rect {
            y: inner.y + header_height,
            height: list_height,
            ..inner
        },
    );
    footer_line(frame, inner, &footers::OPERATIONS.text(&state.keymap));
}

/// The filter as typed, how many operations match it, and why the last import failed.
fn operations_header(pick: &OperationPick, matching: usize, width: usize) -> Vec<Line<'static>> {
    let mut spans = vec![Span::styled("filter: ", theme::label())];
    spans.extend(input_spans(
        &pick.filter.text,
        pick.filter.cursor,
        width.saturating_sub(9),
        theme::text(),
    ));
    let mut header = vec![
        Line::from(spans),
        Line::from(Span::styled(
            format!("{matching} of {} operations", pick.operations.len()),
            theme::muted(),
        )),
    ];
    if let Some(error) = &pick.error {
        header.push(Line::from(Span::styled(
            fit(&format!("not imported: {error}"), width),
            theme::error(),
        )));
    }
    header
}

/// One line per matching operation, the chosen one marked.
fn operation_rows(matches: &[&Operation], selected: usize, width: usize) -> Vec<Line<'static>> {
    matches
        .iter()
        .enumerate()
        .map(|(i, operation)| {
            let chosen = i == selected;
            let text = format!(
                "{:7} {}  {}  {}",
                operation.method,
                operation.path,
                operation.id.as_deref().unwrap_or("-"),
                operation.summary.as_deref().unwrap_or_default()
            );
            let line = Line::from(vec![
                Span::styled(if chosen { "▸ " } else { "  " }, theme::key()),
                Span::raw(fit(&text, width.saturating_sub(2))),
            ]);
            if chosen {
                line.style(theme::selected_row())
            } else {
                line
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::connector::{Connector, Vendor, import_openapi};
    use crate::template::Samples;
    use crate::tui::msg::Msg;
    use crate::tui::state::State;
    use crate::tui::test_fixtures::{key as press, screen};
    use crate::tui::update::update;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn browse_shows_the_import_entries_and_the_operation_list() {
        let mut s = State::new(Connector::new(Vendor::Databar), Samples::new(), None);
        s.session.size = (100, 30);
        press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
        let browse = screen(&s);
        assert!(browse.contains("Import into the form"), "{browse}");
        assert!(
            browse.contains("import curl…  paste a curl command"),
            "{browse}"
        );
        assert!(
            browse.contains("import OpenAPI…  pick an operation"),
            "{browse}"
        );

        for _ in 0..10 {
            press(&mut s, KeyCode::Down, KeyModifiers::NONE);
        }
        press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
        for c in "api.yaml".chars() {
            press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
        }
        let prompt = screen(&s);
        assert!(prompt.contains("Import OpenAPI"), "{prompt}");
        assert!(prompt.contains("document: api.yaml"), "{prompt}");

        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/openapi/petstore.yaml");
        let spec = import_openapi::parse(&std::fs::read_to_string(path).expect("fixture"))
            .expect("parses");
        press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
        update(
            &mut s,
            Msg::SpecRead {
                source: "api.yaml".into(),
                result: Ok(Box::new(spec)),
            },
        );
        for c in "user".chars() {
            press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
        }
        let list = screen(&s);
        assert!(
            list.contains("Import an operation of Swagger Petstore - OpenAPI 3.0"),
            "{list}"
        );
        assert!(list.contains("filter: user"), "{list}");
        assert!(list.contains("7 of 19 operations"), "{list}");
        assert!(
            list.contains("▸ GET     /user/{username}  getUserByName  Get user by user name"),
            "{list}"
        );
        assert!(
            list.contains("  POST    /user  createUser  Create user"),
            "{list}"
        );
        assert!(list.contains("Esc back"), "{list}");
        crate::tui::test_fixtures::draw_at_odd_sizes(&mut s);
    }
}
