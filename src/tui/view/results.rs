//! The larger overlays: what "try it" got back, and the browse list of remote connectors,
//! local files, examples and new connectors.

use super::footers;
use super::json::highlight_marked;
use super::popup::{boxed, filter_line, footer_line, popup, text_box};
use super::{fit, to_u16};
use crate::api::fire::FireResponse;
use crate::connector::Vendor;
use crate::connector::rows::Select;
use crate::connector::{FieldPath, mask, plain_line};
use crate::tui::keymap::Context;
use crate::tui::state::{BrowseEntry, ImportKind, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

pub(super) fn fire_result(
    state: &State,
    frame: &mut Frame,
    area: Rect,
    response: &Result<FireResponse, String>,
    scroll: u16,
    selects: &[Select],
) {
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            let lines = vec![Line::from(Span::styled(e.clone(), theme::error()))];
            text_box(
                frame,
                area,
                "Try it: no answer",
                theme::error(),
                lines,
                &footers::CLOSE.text(&state.keymap),
                0,
            );
            return;
        }
    };
    let ok = (200..300).contains(&response.status);
    let json = json_body(response);
    let mut lines = response_head(response, selected_lines(selects, json.as_ref()));
    lines.push(Line::default());
    lines.extend(response_body(response, json.as_ref(), selects));
    let rect = popup(area, area.width, area.height.saturating_sub(2));
    let inner = boxed(
        frame,
        rect,
        "Try it: response",
        if ok { theme::ok() } else { theme::error() },
    );
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
    footer_line(frame, inner, &footers::RESPONSE.text(&state.keymap));
}

/// The status line (status, time, size), a redirect not followed, what the selects matched
/// (seen first, without scrolling), and the headers.
fn response_head(response: &FireResponse, selected: Vec<Line<'static>>) -> Vec<Line<'static>> {
    let ok = (200..300).contains(&response.status);
    let status_style = if ok { theme::ok() } else { theme::error() };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} {}", response.status, response.reason),
            status_style,
        ),
        Span::styled(
            format!(
                "  ·  {} ms  ·  {} bytes{}",
                response.elapsed.as_millis(),
                response.body_bytes,
                if response.truncated {
                    " (shown: first 64 KiB)"
                } else {
                    ""
                }
            ),
            theme::muted(),
        ),
    ])];
    if let Some(note) = &response.not_followed {
        lines.push(Line::from(Span::styled(
            format!("⚠ {}", plain_line(note)),
            theme::warning(),
        )));
    }
    lines.extend(selected);
    // Header values and a non-JSON body are the server's text: shown plain.
    for (name, value) in &response.headers {
        let value = if mask::is_secret_name(name) {
            mask::mask_value(value)
        } else {
            plain_line(value)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{name}: "), theme::muted().fg(theme::ACCENT)),
            Span::styled(value, theme::muted()),
        ]));
    }
    lines
}

/// The body as JSON, credentials echoed back masked (`None`: not JSON, or cut).
fn json_body(response: &FireResponse) -> Option<Value> {
    match serde_json::from_str::<Value>(&response.body) {
        Ok(mut value) if !response.truncated => {
            // An echo of the request (the sandbox's demo) carries its credentials back.
            mask::mask_json(&mut value, &FieldPath::default(), &mut Vec::new());
            Some(value)
        }
        _ => None,
    }
}

/// The body: JSON coloured with what the selects matched marked, anything else as plain lines.
fn response_body(
    response: &FireResponse,
    json: Option<&Value>,
    selects: &[Select],
) -> Vec<Line<'static>> {
    match json {
        Some(value) => {
            let pointers: Vec<String> = (selects.iter()).flat_map(|s| s.pointers(value)).collect();
            highlight_marked(value, &pointers, theme::matched())
        }
        None => response
            .body
            .lines()
            .take(2000)
            .map(|l| Line::from(plain_line(l)))
            .collect(),
    }
}

/// One line per select: its expression and what it matched in the response (the value as a
/// table cell shows it, in the mark's style), or that it matched nothing.
fn selected_lines(selects: &[Select], json: Option<&Value>) -> Vec<Line<'static>> {
    let Some(response) = json else {
        return (!selects.is_empty())
            .then(|| {
                Line::from(Span::styled(
                    "the body is not JSON (or was cut): nothing to select",
                    theme::muted(),
                ))
            })
            .into_iter()
            .collect();
    };
    selects
        .iter()
        .map(|select| {
            let value = match select.value(response) {
                Value::Null => Span::styled("no match", theme::muted()),
                found => Span::styled(
                    fit(&plain_line(&crate::connector::rows::cell(&found)), 500),
                    theme::matched(),
                ),
            };
            Line::from(vec![
                Span::styled(format!("{} ", plain_line(&select.expr)), theme::key()),
                value,
            ])
        })
        .collect()
}

/// A browse row's section heading and its cells, one per column.
fn entry_cells(
    browse: &crate::tui::state::Browse,
    vendor: Vendor,
    entry: &BrowseEntry<'_>,
) -> (String, Vec<String>) {
    match entry {
        BrowseEntry::Remote(item) => (
            // The list holds only the open connector's vendor: say so.
            format!("On the target: {} connectors", vendor.spec().label),
            vec![
                format!("#{}", item.id),
                item.name.clone(),
                item.method.to_uppercase(),
                // Agent Stack has no name (it shows the URL): its state says more than the URL again.
                if item.state.is_empty() {
                    item.url.clone()
                } else {
                    item.state.clone()
                },
            ],
        ),
        BrowseEntry::File(item) => {
            let state = browse
                .sync
                .iter()
                .find(|(path, _)| *path == item.path)
                .map(|(_, state)| format!("[{}]", state.label()))
                .unwrap_or_default();
            (
                "Files here".to_owned(),
                vec![item.path.display().to_string(), state, item.summary.clone()],
            )
        }
        BrowseEntry::New(vendor) => (
            "New".to_owned(),
            vec![format!("empty {} connector", vendor.spec().label)],
        ),
        BrowseEntry::Import(kind) => (
            "Import into the form".to_owned(),
            // One cell each: the import entries keep their own spacing.
            vec![match kind {
                ImportKind::Curl => "import curl…  paste a curl command".to_owned(),
                ImportKind::OpenApi => {
                    "import OpenAPI…  pick an operation of an OpenAPI document".to_owned()
                }
            }],
        ),
        BrowseEntry::Example(item) => (
            "Examples (open as new)".to_owned(),
            vec![
                item.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                item.summary.clone(),
            ],
        ),
    }
}

/// The connector's past tries: when, how many rows answered 2xx; Enter opens one.
pub(super) fn tries(
    state: &State,
    frame: &mut Frame,
    area: Rect,
    runs: Option<&Result<Vec<crate::history::Run>, String>>,
    selected: usize,
) {
    let lines = match runs {
        None => vec![Line::from(Span::styled(
            "reading the history…",
            theme::muted(),
        ))],
        Some(Err(error)) => vec![Line::from(Span::styled(plain_line(error), theme::error()))],
        Some(Ok(list)) if list.is_empty() => vec![Line::from(Span::styled(
            "no tries of this connector yet",
            theme::muted(),
        ))],
        Some(Ok(list)) => list
            .iter()
            .enumerate()
            .map(|(i, run)| {
                let (mark, style) = if i == selected {
                    ("›", theme::key())
                } else {
                    (" ", theme::text())
                };
                Line::from(Span::styled(
                    format!(
                        "{mark} try {} · {} · {} row(s), {} 2xx",
                        run.id, run.at, run.entries, run.ok
                    ),
                    style,
                ))
            })
            .collect(),
    };
    text_box(
        frame,
        area,
        "Past tries (patchcord history --show ID has every row)",
        theme::focused_border(),
        lines,
        &footers::TRIES.text(&state.keymap),
        // Keeps the chosen line in sight in a long list.
        u16::try_from(selected.saturating_sub(8)).unwrap_or(u16::MAX),
    );
}

/// Each row's cells padded to their column's widest in the section (a column but the last at
/// most a third of `width`), cut with an ellipsis where they do not fit.
fn aligned(rows: &[(String, Vec<String>)], width: usize) -> Vec<String> {
    let cap = (width / 3).max(6);
    rows.iter()
        .map(|(heading, cells)| {
            let last = cells.len().saturating_sub(1);
            let mut out = String::new();
            for (column, cell) in cells.iter().enumerate() {
                if column == last {
                    out.push_str(cell);
                    break;
                }
                let widest = (rows.iter())
                    .filter(|(h, c)| h == heading && c.len() == cells.len())
                    .filter_map(|(_, c)| c.get(column).map(|c| c.width()))
                    .max()
                    .unwrap_or(0)
                    .min(cap);
                if widest == 0 {
                    // A column empty on every row (no file compared yet) takes no room.
                    continue;
                }
                let cut = fit(cell, widest);
                let pad = widest.saturating_sub(cut.width());
                out.push_str(&cut);
                out.push_str(&" ".repeat(pad + 2));
            }
            fit(out.trim_end(), width)
        })
        .collect()
}

/// What the remote list says while it loads, when it failed, or when it is empty.
fn remote_note(state: &State, browse: &crate::tui::state::Browse) -> Option<Line<'static>> {
    match &browse.remote {
        None => Some(Line::from(Span::styled(
            format!("On {}: loading…", state.session.target.label()),
            theme::muted(),
        ))),
        Some(Err(e)) => Some(Line::from(Span::styled(
            format!("On the target: {e}"),
            theme::error(),
        ))),
        Some(Ok(items)) if items.is_empty() => Some(Line::from(Span::styled(
            format!(
                "On {}: no {} connectors yet",
                state.session.target.label(),
                state.doc.connector.vendor.spec().label
            ),
            theme::muted(),
        ))),
        Some(Ok(_)) => None,
    }
}

/// The rows under their section headings, aligned in columns, the selected one marked; pushed
/// onto `lines`. Answers the selected row's index in `lines` (0 when none is).
fn entry_lines(
    rows: &[(String, Vec<String>)],
    selected: usize,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) -> usize {
    let mut selected_line = 0;
    let texts = aligned(rows, width.saturating_sub(2));
    let mut section = "";
    for (i, ((heading, _), text)) in rows.iter().zip(texts).enumerate() {
        if heading != section {
            section = heading;
            lines.push(Line::from(Span::styled(heading.clone(), theme::title())));
        }
        let is_selected = i == selected;
        if is_selected {
            selected_line = lines.len();
        }
        let line = Line::from(vec![
            Span::styled(if is_selected { "▸ " } else { "  " }, theme::key()),
            Span::raw(text),
        ]);
        lines.push(if is_selected {
            line.style(theme::selected_row())
        } else {
            line
        });
    }
    selected_line
}

pub(super) fn browse_view(
    state: &State,
    browse: &crate::tui::state::Browse,
    frame: &mut Frame,
    area: Rect,
) {
    let rect = popup(area, area.width, area.height.saturating_sub(2));
    let inner = boxed(frame, rect, "Open", theme::focused_border());
    let width = usize::from(inner.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(filter) = &browse.filter {
        lines.push(filter_line(filter, width));
    }
    lines.extend(remote_note(state, browse));
    let entries = browse.entries();
    if entries.is_empty() {
        lines.push(Line::from(Span::styled("nothing matches", theme::muted())));
    }
    let rows: Vec<(String, Vec<String>)> = (entries.iter())
        .map(|entry| entry_cells(browse, state.doc.connector.vendor, entry))
        .collect();
    let selected_line = entry_lines(&rows, browse.selected, width, &mut lines);
    let body_height = usize::from(inner.height.saturating_sub(1));
    let scroll = to_u16((selected_line + 1).saturating_sub(body_height));
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)),
        Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        },
    );
    let footer = if browse.filter.is_some() {
        footers::BROWSE_FILTERING.text(&state.keymap)
    } else {
        state.keymap.footer(Context::Browse)
    };
    footer_line(frame, inner, &footer);
}
