//! The tabbed panel: name-value tables (headers, params, body) and the template tab (editor,
//! live preview, sample values).

use super::{Areas, fit, input_spans, shown_secret_input, tab_titles, to_u16};
use crate::connector::mask::mask_value;
use crate::connector::{FieldSpec, NameValue};
use crate::template::Position;
use crate::tui::keymap::Context;
use crate::tui::state::{Column, Focus, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub(super) fn render(state: &State, areas: &Areas, frame: &mut Frame) {
    let focused = matches!(state.focus, Focus::Panel | Focus::Samples) && state.overlay.is_none();
    let block = theme::framed(focused && !state.on_editor_tab());
    frame.render_widget(block, areas.panel);
    if state.tab_field().is_none() {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::border());
        let note = format!(
            "{} connectors have no lists or template: everything is in the form above.",
            state.doc.connector.spec().label
        );
        frame.render_widget(
            Paragraph::new(Span::styled(note, theme::muted()))
                .wrap(Wrap { trim: true })
                .block(block),
            areas.panel,
        );
        return;
    }
    if state.on_template_tab() {
        template(state, areas, frame);
    } else if state.on_json_tab() {
        json_editor(state, areas.panel, frame);
    } else {
        table(state, areas.inner, frame);
    }
    // Tabs last, over the top border.
    let titles = tab_titles(state);
    for (i, rect) in &areas.tabs {
        let title = titles.get(*i).cloned().unwrap_or_default();
        let style = if *i == state.tab {
            theme::key().add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            theme::label()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {title} "), style)),
            *rect,
        );
    }
}

/// Where the table's first data row is drawn and which row is at the top.
pub(super) fn table_geometry(state: &State, inner: Rect) -> (u16, usize) {
    let notes = u16::from(state.tab_is_derived());
    let first = inner.y + 1 + notes;
    let visible = usize::from(inner.height.saturating_sub(1 + notes)).max(1);
    let selected = state.selected_row();
    let offset = (selected + 1).saturating_sub(visible);
    (first, offset)
}

fn table(state: &State, inner: Rect, frame: &mut Frame) {
    let Some(field) = state.tab_field() else {
        return;
    };
    let rows = state.tab_rows();
    let (first, offset) = table_geometry(state, inner);
    let width = usize::from(inner.width);
    let name_width = (width * 2 / 5).clamp(8, 32);
    let value_width = width.saturating_sub(name_width + 6);
    table_header(state, inner, name_width, frame);
    if rows.is_empty() {
        empty_table(state, field, inner, first, frame);
        return;
    }
    let panel_focused = state.focus == Focus::Panel && state.overlay.is_none();
    let selected = state.selected_row();
    for (i, row) in rows.iter().enumerate().skip(offset) {
        let y = first.saturating_add(to_u16(i - offset));
        if y >= inner.bottom() {
            break;
        }
        let rect = Rect {
            y,
            height: 1,
            ..inner
        };
        let is_selected = i == selected && panel_focused;
        let editing = state
            .cell
            .as_ref()
            .filter(|c| c.row == i && state.focus == Focus::Panel);
        let line = table_line(
            state,
            field.key,
            i,
            row,
            is_selected,
            editing,
            name_width,
            value_width,
        );
        let line = if is_selected {
            line.style(theme::selected_row())
        } else {
            line
        };
        frame.render_widget(Paragraph::new(line), rect);
    }
}

/// The derived table's note, then the column names.
fn table_header(state: &State, inner: Rect, name_width: usize, frame: &mut Frame) {
    let mut y = inner.y;
    if state.tab_is_derived() {
        let note =
            "Derived from the template (read-only): its variables are sent as the body list.";
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(note, usize::from(inner.width)),
                theme::warning(),
            )),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        y += 1;
    }
    let header = Line::from(vec![
        Span::styled(format!("  {:<w$}", "name", w = name_width), theme::muted()),
        Span::styled(
            if state.reveal {
                "value (revealed)"
            } else {
                "value"
            },
            theme::muted(),
        ),
    ]);
    frame.render_widget(
        Paragraph::new(header),
        Rect {
            y,
            height: 1,
            ..inner
        },
    );
}

/// A table with no rows says how to add some (the keys as bound now).
fn empty_table(state: &State, field: &FieldSpec, inner: Rect, first: u16, frame: &mut Frame) {
    let hint = if state.tab_is_derived() {
        "The template has no variables.".to_owned()
    } else {
        format!(
            "No {} yet: {} adds a row, {} edits them all as `name: value` lines.",
            field.label.to_lowercase(),
            state.keymap.key(Context::Table, "a"),
            state.keymap.key(Context::Table, "b")
        )
    };
    frame.render_widget(
        Paragraph::new(Span::styled(hint, theme::muted())).wrap(Wrap { trim: true }),
        Rect {
            y: first,
            height: inner.bottom().saturating_sub(first),
            ..inner
        },
    );
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row's drawing needs all of them; a struct would only rename them"
)]
fn table_line(
    state: &State,
    key: &str,
    index: usize,
    row: &NameValue,
    selected: bool,
    editing: Option<&crate::tui::state::CellEdit>,
    name_width: usize,
    value_width: usize,
) -> Line<'static> {
    let marker = if selected { "▸ " } else { "  " };
    let secret = row.looks_secret() && !state.reveal;
    let mut spans = vec![Span::styled(marker, theme::key())];
    match editing {
        Some(cell) if cell.column == Column::Name => {
            let mut name = input_spans(
                &cell.input.text,
                cell.input.cursor,
                name_width - 1,
                theme::text(),
            );
            let used: usize = name.iter().map(|s| s.content.width()).sum();
            name.push(Span::raw(" ".repeat(name_width.saturating_sub(used))));
            spans.extend(name);
        }
        _ => spans.push(Span::styled(
            format!("{:<w$}", fit(&row.name, name_width - 1), w = name_width),
            theme::text(),
        )),
    }
    match editing {
        Some(cell) if cell.column == Column::Value => {
            let shown = if secret {
                shown_secret_input(state, &cell.input.text)
            } else {
                cell.input.text.clone()
            };
            spans.extend(input_spans(
                &shown,
                cell.input.cursor,
                value_width,
                theme::text(),
            ));
        }
        _ if row.value.is_empty() => {
            spans.push(Span::styled("(slot: filled per row)", theme::muted()));
        }
        _ if secret => spans.push(Span::styled(mask_value(&row.value), theme::muted())),
        _ => spans.push(Span::styled(
            fit(&row.value, value_width.saturating_sub(1)),
            theme::text(),
        )),
    }
    if let Some((message, is_error)) = state.problem_for(key, Some(index)) {
        let style = if is_error {
            theme::error()
        } else {
            theme::warning()
        };
        // What does not fit ends in an ellipsis at the border (F3 lists it whole).
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let room = (6 + name_width + value_width).saturating_sub(used);
        let mark = if is_error { "✗" } else { "!" };
        spans.push(Span::styled(
            fit(&format!("  {mark} {message}"), room),
            style,
        ));
    }
    Line::from(spans)
}

fn template(state: &State, areas: &Areas, frame: &mut Frame) {
    let editor_focused = state.focus == Focus::Panel && state.overlay.is_none();
    let source = state.doc.connector.template().unwrap_or_default();
    let count = source.chars().count();
    let max = 2048;
    let syntax_error = match &state.preview.output {
        Err(e) if e.syntax => Some(e),
        _ => None,
    };
    let mut title = vec![Span::styled(" Template ", theme::title())];
    title.push(Span::styled(
        format!("{count}/{max} "),
        if count > max {
            theme::error()
        } else {
            theme::muted()
        },
    ));
    if let Some(err) = syntax_error {
        let at = err
            .position
            .map(|p| format!("{}:{} ", p.line, p.column))
            .unwrap_or_default();
        title.push(Span::styled(format!("✗ {at}"), theme::error()));
    }
    let block = theme::framed(editor_focused).title(Line::from(title));
    let inner = block.inner(areas.editor);
    frame.render_widget(block, areas.editor);
    let look = super::code::Look {
        syntax: super::code::Syntax::Jinja,
        focused: editor_focused,
        mask: false,
        error: syntax_error.and_then(|e| e.position),
    };
    super::code::draw(&state.template, &look, inner, frame.buffer_mut());
    preview(state, areas.preview, frame);
    super::samples::render(state, areas.samples, frame);
    if let Some(err) = syntax_error {
        // The whole message under the editor, on its bottom border.
        let rect = Rect {
            x: areas.editor.x + 1,
            y: areas.editor.bottom().saturating_sub(1),
            width: areas.editor.width.saturating_sub(2),
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(&format!(" {err} "), usize::from(rect.width)),
                theme::error(),
            )),
            rect,
        );
    }
    // Last, so it is drawn over the preview when it reaches that far.
    if let Some(completion) = state.completion()
        && let Some(at) = super::code::cursor_cell(&state.template, inner)
    {
        let key = state.keymap.key(Context::Template, "Tab");
        super::code::completion_popup(&completion, &key, at, areas.panel, frame.buffer_mut());
    }
}

/// The JSON editor of a `JsonObject` field (Cargo's `config`): the text as typed, its parse
/// error marked at its line and column, the verdict in the title.
fn json_editor(state: &State, rect: Rect, frame: &mut Frame) {
    let Some(field) = state.tab_field() else {
        return;
    };
    let focused = state.focus == Focus::Panel && state.overlay.is_none();
    let mut title = vec![Span::styled(format!(" {} ", field.label), theme::title())];
    let verdict = match (&state.json_problem, state.problem_for(field.key, None)) {
        (Some(problem), _) => {
            let at = problem
                .position
                .map(|(l, c)| format!("{l}:{c} "))
                .unwrap_or_default();
            Span::styled(format!("✗ {at}{} ", problem.message), theme::error())
        }
        (None, Some((message, true))) => Span::styled(format!("✗ {message} "), theme::error()),
        (None, _) => Span::styled("✓ JSON object ", theme::ok()),
    };
    title.push(verdict);
    let block = theme::framed(focused).title(Line::from(title));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let look = super::code::Look {
        syntax: super::code::Syntax::Json,
        focused,
        mask: false,
        error: state
            .json_problem
            .as_ref()
            .and_then(|p| p.position)
            .map(|(line, column)| Position { line, column }),
    };
    super::code::draw(&state.json, &look, inner, frame.buffer_mut());
    let hint = if state.json_problem.is_some() {
        " kept as text until it parses; nothing is lost "
    } else {
        " written to the connector as JSON as you type "
    };
    let bottom = Rect {
        x: rect.x + 1,
        y: rect.bottom().saturating_sub(1),
        width: rect.width.saturating_sub(2),
        height: 1,
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit(hint, usize::from(bottom.width)),
            theme::muted(),
        ))
        .alignment(ratatui::layout::Alignment::Right),
        bottom,
    );
}

fn preview(state: &State, rect: Rect, frame: &mut Frame) {
    if rect.is_empty() {
        return;
    }
    let (verdict, verdict_style) = match (
        &state.doc.connector.template(),
        &state.preview.output,
        &state.preview.json,
    ) {
        (None, _, _) => (
            "no template: the body list is sent".to_owned(),
            theme::muted(),
        ),
        (_, Err(e), _) if e.syntax => ("✗ template does not compile".to_owned(), theme::error()),
        // The last render stays on screen until the newest one answers.
        _ if state.rendering.pending => ("rendering…".to_owned(), theme::muted()),
        (_, Err(e), _) if e.limit.is_some() => ("✗ stopped at a limit".to_owned(), theme::error()),
        (_, Err(_), _) => ("✗ render error".to_owned(), theme::error()),
        (_, Ok(_), Some(Ok(_))) => ("✓ valid JSON".to_owned(), theme::ok()),
        (_, Ok(_), Some(Err(e))) => (
            format!(
                "✗ invalid JSON at {}:{}",
                e.position.line, e.position.column
            ),
            theme::error(),
        ),
        (_, Ok(_), None) => ("rendered (not JSON)".to_owned(), theme::muted()),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Line::from(vec![
            Span::styled(" Preview ", theme::title()),
            Span::styled(format!("{verdict} "), verdict_style),
        ]));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let lines: Vec<Line<'static>> = match (
        &state.doc.connector.template(),
        &state.preview.output,
        &state.preview.json,
    ) {
        (None, _, _) => vec![Line::from(Span::styled(
            "Type a Jinja template on the left, e.g. {\"domain\": {{ domain|tojson }}}",
            theme::muted(),
        ))],
        (_, Err(e), _) => vec![Line::from(Span::styled(e.to_string(), theme::error()))],
        (_, Ok(_), Some(Ok(value))) => super::json::highlight(value),
        (_, Ok(text), Some(Err(e))) => {
            let mut lines = vec![Line::from(Span::styled(
                fit(&e.message, width),
                theme::error(),
            ))];
            for (i, line) in text.lines().enumerate() {
                let style = if i + 1 == e.position.line {
                    theme::error()
                } else {
                    theme::text()
                };
                lines.push(Line::from(Span::styled(line.to_owned(), style)));
            }
            lines
        }
        (_, Ok(text), None) => text.lines().map(|l| Line::from(l.to_owned())).collect(),
    };
    // The variable under the template editor's cursor: its sample value is marked where it
    // landed in the rendered body.
    let value = state
        .name_at_cursor()
        .and_then(|name| state.doc.samples.get(&name).cloned())
        .filter(|v| !v.is_empty());
    let lines = match value {
        Some(value) => mark_value(lines, &value),
        None => lines,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Every occurrence of `value` inside a span, restyled as the selection.
fn mark_value(lines: Vec<Line<'static>>, value: &str) -> Vec<Line<'static>> {
    let mark = theme::selected_row();
    lines
        .into_iter()
        .map(|line| {
            let style = line.style;
            let mut spans = Vec::new();
            for span in line.spans {
                let text = span.content.into_owned();
                let mut rest = text.as_str();
                while let Some(at) = rest.find(value) {
                    let (before, tail) = rest.split_at(at);
                    let (hit, after) = tail.split_at(value.len());
                    if !before.is_empty() {
                        spans.push(Span::styled(before.to_owned(), span.style));
                    }
                    spans.push(Span::styled(hit.to_owned(), span.style.patch(mark)));
                    rest = after;
                }
                if !rest.is_empty() {
                    spans.push(Span::styled(rest.to_owned(), span.style));
                }
            }
            Line::from(spans).style(style)
        })
        .collect()
}
