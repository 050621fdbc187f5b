//! The connector form: target, then one row per field (pickers and numbers two to a row), each
//! with its counter and its problem beside it; the final URL under the URL.

use super::{Areas, fit, input_spans, to_u16};
use crate::api::fire;
use crate::connector::{FieldKind, FieldSpec, mask};
use crate::tui::keymap::Context;
use crate::tui::state::{Focus, State, Status, form_fields};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(state: &State, areas: &Areas, frame: &mut Frame) {
    let in_form = matches!(state.focus, Focus::Field(_) | Focus::Target) && state.overlay.is_none();
    let name = super::title_name(state);
    let target = state.target_ref();
    let remote = match (
        state.remote_id(),
        state.doc.connector.unbound_legacy_id(&target),
    ) {
        (Some(id), _) => format!(" · id {id}"),
        (None, Some(legacy)) => format!(" · id {legacy} (no target recorded)"),
        (None, None) => String::new(),
    };
    let block = theme::framed(in_form).title(Line::from(vec![
        Span::styled(" patchcord ", theme::title().fg(theme::ACCENT)),
        Span::styled(
            format!("{} connector: ", state.doc.connector.spec().label),
            theme::muted(),
        ),
        Span::styled(fit(name, 40), theme::title()),
        Span::styled(format!("{remote} "), theme::muted()),
    ]));
    frame.render_widget(block, areas.form);
    target_row(state, areas.target_row, frame);
    let fields = form_fields(state.doc.connector.vendor);
    for (index, rect) in &areas.fields {
        if let Some(field) = fields.get(*index) {
            field_row(state, *index, field, *rect, frame);
        }
    }
    if areas.final_url.height > 0 {
        final_url(state, areas.final_url, frame);
    }
    if areas.link_state.height > 0 {
        link_state(state, areas.link_state, frame);
    }
    if areas.link.height > 0 {
        link(state, areas.link, frame);
    }
}

/// The connector's connection state on the target, its disconnect reason or the last error,
/// and the keys that change it.
fn link_state(state: &State, rect: Rect, frame: &mut Frame) {
    let lw = label_width(state);
    let mut spans = vec![Span::styled(
        format!(" {:<w$}", "State", w = lw - 1),
        theme::label(),
    )];
    let link = state.link.as_ref();
    let key = |default| super::status::caret(&state.keymap.key(Context::Global, default));
    let hint = if state.remote_id().is_none() {
        spans.push(Span::styled("not on the target yet", theme::muted()));
        format!(
            "submit ({}), then {} connects",
            key("Ctrl-R"),
            key("Ctrl-K")
        )
    } else if link.is_some_and(|l| l.fetching.is_some()) {
        spans.push(Span::styled("checking…", theme::muted()));
        String::new()
    } else {
        match link.and_then(|l| l.state.as_deref()) {
            Some(word) => {
                let style = match word {
                    "connected" => theme::ok(),
                    "auth_required" => theme::warning(),
                    _ => theme::text(),
                };
                spans.push(Span::styled(
                    format!(" {word} "),
                    style.add_modifier(ratatui::style::Modifier::REVERSED),
                ));
            }
            None if link.is_some_and(|l| l.error.is_some()) => {}
            None => spans.push(Span::styled("unknown", theme::muted())),
        }
        format!("{} connect · {} disconnect", key("Ctrl-K"), key("Ctrl-D"))
    };
    if let Some(reason) = link.and_then(|l| l.disconnect_reason.as_deref()) {
        spans.push(Span::styled(format!(" reason: {reason}"), theme::muted()));
    }
    if let Some(error) = link.and_then(|l| l.error.as_deref()) {
        spans.push(Span::styled(format!(" ✗ {error}"), theme::error()));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let room = usize::from(rect.width);
    if used + hint.width() + 2 <= room {
        spans.push(Span::raw(" ".repeat(room - used - hint.width())));
        spans.push(Span::styled(hint, theme::muted()));
    } else {
        // Cut the message, never the state.
        let mut out: Vec<Span<'static>> = Vec::new();
        let mut left = room;
        for span in spans {
            let text = fit(&span.content, left);
            left = left.saturating_sub(text.width());
            out.push(Span::styled(text, span.style));
        }
        spans = out;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

/// The authorization link, in full where it fits (wrapped, plain text so a terminal selection
/// copies it; Ctrl-L copies it too).
fn link(state: &State, rect: Rect, frame: &mut Frame) {
    let Some(url) = state
        .link
        .as_ref()
        .and_then(|l| l.authorization_endpoint.as_deref())
    else {
        return;
    };
    let lw = label_width(state);
    let room = usize::from(rect.width).saturating_sub(lw + 1).max(1);
    let chars: Vec<char> = url.chars().collect();
    let rows = usize::from(rect.height);
    let mut lines = Vec::new();
    for (i, chunk) in chars.chunks(room).take(rows).enumerate() {
        let mut text: String = chunk.iter().collect();
        if i + 1 == rows && chars.len() > room * rows {
            text = fit(&format!("{text}…"), room);
        }
        let label = if i == 0 {
            format!(" {:<w$}", "Authorize", w = lw - 1)
        } else {
            " ".repeat(lw)
        };
        lines.push(Line::from(vec![
            Span::styled(label, theme::warning()),
            Span::styled(
                text,
                theme::text()
                    .fg(theme::ACCENT)
                    .add_modifier(ratatui::style::Modifier::UNDERLINED),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), rect);
}

pub(super) fn label_width(state: &State) -> usize {
    form_fields(state.doc.connector.vendor)
        .iter()
        .map(|f| f.label.width())
        .max()
        .unwrap_or(6)
        .max(6)
        + 2
}

fn target_row(state: &State, rect: Rect, frame: &mut Frame) {
    let lw = label_width(state);
    let target = &state.session.target;
    let detail = target.detail().unwrap_or_else(|| target.label());
    let (badge, style) = match &target.status {
        Status::Connected { at, .. } if at.is_sandbox() => (" SANDBOX ", theme::sandbox_badge()),
        Status::Connected { .. } => (" LIVE ", theme::live_badge()),
        Status::Offline(_) => ("", theme::error()),
        Status::Connecting { .. } => ("", theme::muted()),
    };
    let focused = state.focus == Focus::Target && state.overlay.is_none();
    let mut spans = vec![Span::styled(
        format!(
            "{}{:<w$}",
            if focused { "▸" } else { " " },
            "Target",
            w = lw.saturating_sub(1)
        ),
        if focused {
            theme::focused_label()
        } else {
            theme::label()
        },
    )];
    if focused || state.session.target.names.len() > 1 {
        let (open, close) = if focused {
            ("‹ ", " › ")
        } else {
            ("", "  ")
        };
        spans.push(Span::styled(open, theme::key()));
        spans.push(Span::styled(
            state.session.target.picked.clone(),
            theme::title(),
        ));
        spans.push(Span::styled(close, theme::key()));
    }
    if badge.is_empty() {
        spans.push(Span::styled(detail, style));
    } else {
        spans.push(Span::styled(badge, style));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(detail, theme::muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

/// One field row: label, value by kind, then the problem (or the server's change) and the
/// counter on the right.
fn field_row(state: &State, index: usize, field: &FieldSpec, rect: Rect, frame: &mut Frame) {
    let focused = state.focus == Focus::Field(index) && state.overlay.is_none();
    let text = if focused {
        state.form_input.text.clone()
    } else {
        state.field_text(field)
    };
    let layout = row_layout(state, field, &text, rect.width);
    let value = FieldValue {
        text: &text,
        focused,
        width: layout.value_width,
        style: if state.changed(field.key).is_some() {
            theme::changed()
        } else {
            theme::text()
        },
    };
    let mut spans = vec![row_label(state, field, focused, rect.width)];
    spans.extend(value_spans(state, field, &value));
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
    right_side(layout, rect, frame);
}

/// The label, padded so labels align across rows; a narrow (paired) row keeps at least 8
/// columns for its value before a label is cut.
fn row_label(state: &State, field: &FieldSpec, focused: bool, width: u16) -> Span<'static> {
    let lw = label_width(state).min(usize::from(width).saturating_sub(8));
    let marker = if focused { "▸" } else { " " };
    let label_style = if focused {
        theme::focused_label()
    } else {
        theme::label()
    };
    Span::styled(
        format!(
            "{marker}{:<w$}",
            fit(field.label, lw.saturating_sub(1)),
            w = lw.saturating_sub(1)
        ),
        label_style,
    )
}

/// A field's value as a row shows it.
struct FieldValue<'a> {
    text: &'a str,
    focused: bool,
    width: usize,
    style: ratatui::style::Style,
}

/// The value by the field's kind: a picker, a rate, a masked secret, an input with its cursor.
fn value_spans(state: &State, field: &FieldSpec, value: &FieldValue<'_>) -> Vec<Span<'static>> {
    let (text, focused, width, style) = (value.text, value.focused, value.width, value.style);
    match field.kind {
        FieldKind::Choice { options } => choice_spans(state, field, options, value),
        FieldKind::Bool => bool_spans(state, field, value),
        FieldKind::UnitRate { .. } => rate_spans(state, field, value),
        _ if state.read_only(field) => vec![Span::styled(fit(text, width), theme::muted())],
        FieldKind::SecretText if !focused && !state.reveal && !text.is_empty() => {
            vec![Span::styled(mask::MASK, theme::muted())]
        }
        FieldKind::SecretText if focused => input_spans(
            &super::shown_secret_input(state, text),
            state.form_input.cursor,
            width,
            style,
        ),
        FieldKind::Url { .. } if !focused => vec![Span::styled(
            fit(&super::shown_url(state, text), width),
            style,
        )],
        _ if focused => input_spans(text, state.form_input.cursor, width, style),
        FieldKind::Integer { .. } if text.is_empty() => {
            vec![Span::styled("none", theme::muted())]
        }
        _ => vec![Span::styled(fit(text, width), style)],
    }
}

/// `‹ shown ›` on a focused picker.
fn picked(shown: String, style: ratatui::style::Style) -> Vec<Span<'static>> {
    vec![
        Span::styled("‹ ", theme::key()),
        Span::styled(shown, style.add_modifier(ratatui::style::Modifier::BOLD)),
        Span::styled(" ›", theme::key()),
    ]
}

fn choice_spans(
    state: &State,
    field: &FieldSpec,
    options: &[&str],
    value: &FieldValue<'_>,
) -> Vec<Span<'static>> {
    let current = state.doc.connector.text(field.key);
    let shown = current.or(field.default).unwrap_or("(choose)");
    let invalid = current.is_some_and(|c| !options.contains(&c));
    let style = if invalid { theme::error() } else { value.style };
    if value.focused {
        picked(shown.to_owned(), style)
    } else if current.is_none() {
        vec![Span::styled(format!("{shown} (default)"), theme::muted())]
    } else {
        vec![Span::styled(shown.to_owned(), style)]
    }
}

fn bool_spans(state: &State, field: &FieldSpec, value: &FieldValue<'_>) -> Vec<Span<'static>> {
    let current = state
        .doc
        .connector
        .fields
        .get(field.key)
        .and_then(serde_json::Value::as_bool);
    let shown = current.map_or_else(
        || format!("{} (default)", field.default.unwrap_or("false")),
        |b| b.to_string(),
    );
    if value.focused {
        picked(shown, value.style)
    } else {
        let style = if current.is_none() {
            theme::muted()
        } else {
            value.style
        };
        vec![Span::styled(shown, style)]
    }
}

/// `60 per ‹ minute ›`: the number typed, the unit picked.
fn rate_spans(state: &State, field: &FieldSpec, value: &FieldValue<'_>) -> Vec<Span<'static>> {
    let (text, style) = (value.text, value.style);
    let unit = state.rate_unit(field.key).map(str::to_owned);
    if value.focused {
        let mut spans = input_spans(
            text,
            state.form_input.cursor,
            text.chars().count() + 1,
            style,
        );
        spans.push(Span::styled(" per ", theme::muted()));
        spans.extend(picked(unit.unwrap_or_else(|| "unit".into()), style));
        spans
    } else if text.is_empty() {
        vec![Span::styled("none", theme::muted())]
    } else {
        vec![
            Span::styled(text.to_owned(), style),
            Span::styled(" per ", theme::muted()),
            Span::styled(unit.unwrap_or_else(|| "?".into()), style),
        ]
    }
}

/// The problem and the counter at the row's right end; when they do not fit, the counter
/// stays and the message is cut.
fn right_side(layout: RowLayout, rect: Rect, frame: &mut Frame) {
    let RowLayout {
        mut right,
        right_width,
        right_room,
        has_counter,
        ..
    } = layout;
    if right_room == 0 {
        return;
    }
    let right_rect = Rect {
        x: rect.right().saturating_sub(to_u16(right_room) + 1),
        width: to_u16(right_room),
        ..rect
    };
    let right = if right_width > right_room {
        let counter = if has_counter { right.pop() } else { None };
        let counter_width = counter.as_ref().map_or(0, |c| c.content.width());
        let room = right_room.saturating_sub(counter_width);
        let mut cut: Vec<Span<'static>> = right
            .into_iter()
            .map(|s| Span::styled(fit(&s.content, room), s.style))
            .collect();
        cut.extend(counter);
        cut
    } else {
        right
    };
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        right_rect,
    );
}

/// How a field row's width is shared: the value's columns, and the problem / counter on the
/// right (cut to `right_room`).
struct RowLayout {
    right: Vec<Span<'static>>,
    right_width: usize,
    right_room: usize,
    value_width: usize,
    /// Whether the last right span is a `count/max` counter.
    has_counter: bool,
}

fn row_layout(state: &State, field: &FieldSpec, text: &str, width: u16) -> RowLayout {
    let lw = label_width(state).min(usize::from(width) / 2);
    let mut right: Vec<Span<'static>> = Vec::new();
    if let Some(change) = state.changed(field.key) {
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref().map_or("absent".to_owned(), |v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        right.push(Span::styled(
            format!("was {} ", show(&change.sent)),
            theme::changed(),
        ));
    } else if state.read_only(field) {
        right.push(Span::styled("fixed once created ", theme::muted()));
    } else if let Some((message, is_error)) = state.problem_for(field.key, None) {
        let mark = if is_error { "✗ " } else { "! " };
        right.push(Span::styled(
            format!("{mark}{message} "),
            if is_error {
                theme::error()
            } else {
                theme::warning()
            },
        ));
    }
    let max = match field.kind {
        FieldKind::Text { max } | FieldKind::Url { max } => max,
        _ => None,
    };
    if let Some(max) = max {
        let count = text.chars().count();
        let style = if count > max {
            theme::error()
        } else {
            theme::muted()
        };
        right.push(Span::styled(format!("{count}/{max}"), style));
    }
    let value_room = usize::from(width).saturating_sub(lw + 1);
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    // Text values keep at least half the room, numbers and pickers a few columns; the message
    // is cut to fit the rest.
    let short = matches!(
        field.kind,
        FieldKind::Choice { .. } | FieldKind::Integer { .. }
    );
    let keep = match field.kind {
        FieldKind::UnitRate { .. } => 17,
        _ if short => 8,
        _ => value_room / 2,
    };
    let right_room = right_width.min(value_room.saturating_sub(keep + 1));
    let value_width = value_room.saturating_sub(right_room + 1);
    RowLayout {
        right,
        right_width,
        right_room,
        value_width,
        has_counter: max.is_some(),
    }
}

/// Where a click `column` cells into a field row's value lands in its text: the first shown
/// character (an input scrolls to keep its cursor visible) and the column within the shown
/// text. `None` when the click is on the label.
pub(super) fn value_click(
    state: &State,
    index: usize,
    field: &FieldSpec,
    width: u16,
    column: u16,
) -> Option<(usize, usize)> {
    let lw = label_width(state).min(usize::from(width) / 2);
    let column = usize::from(column).checked_sub(lw)?;
    let focused = state.focus == Focus::Field(index);
    let text = if focused {
        state.form_input.text.clone()
    } else {
        state.field_text(field)
    };
    let layout = row_layout(state, field, &text, width);
    let start = if focused {
        super::input_start(state.form_input.cursor, layout.value_width)
    } else {
        0
    };
    Some((start, column))
}

fn final_url(state: &State, rect: Rect, frame: &mut Frame) {
    let lw = label_width(state);
    // Drawn only for vendors whose request has query params (`layout`).
    let Some(request) = state.doc.connector.spec().request else {
        return;
    };
    let params = (request.params).map_or_else(Vec::new, |key| state.doc.connector.name_values(key));
    let url = state.doc.connector.text(request.url).unwrap_or_default();
    let width = usize::from(rect.width).saturating_sub(lw + 2);
    let line = if url.trim().is_empty() {
        Line::from(Span::styled(
            format!("{:lw$}(enter the endpoint URL)", ""),
            theme::muted(),
        ))
    } else {
        match fire::final_url(url, &params, &state.doc.samples) {
            Ok(_) if params.is_empty() => Line::from(Span::styled(
                format!("{:lw$}no query params (Params tab)", ""),
                theme::muted(),
            )),
            Ok(full) => Line::from(vec![
                Span::styled(
                    format!(" {:w$}", "→ sends", w = lw.saturating_sub(1)),
                    theme::muted(),
                ),
                Span::styled(
                    fit(&super::shown_url(state, &full), width),
                    theme::muted().fg(theme::ACCENT),
                ),
            ]),
            Err(_) => Line::from(Span::styled(
                format!("{:lw$}(final URL appears once the URL is valid)", ""),
                theme::muted(),
            )),
        }
    };
    frame.render_widget(Paragraph::new(line), rect);
}
