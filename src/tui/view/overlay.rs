//! Overlays: help, review, progress, response, try-it result, browse and the prompts. Each is a
//! centred box over the editor; the last line says which keys close or confirm it.

use super::json::highlight;
use super::popup::{boxed, filter_line, keys_line, popup, text_box};
use super::{fit, input_spans};
use crate::connector::mask;
use crate::tui::keymap::{Action, Context};
use crate::tui::state::{LineInput, Overlay, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

#[expect(clippy::too_many_lines, reason = "one arm per overlay")]
pub(super) fn render(state: &State, area: Rect, frame: &mut Frame) {
    let Some(overlay) = &state.overlay else {
        return;
    };
    let spin = SPINNER
        .get(state.spinner % SPINNER.len())
        .copied()
        .unwrap_or("·");
    match overlay {
        Overlay::Help { scroll, filter } => help(state, filter.as_ref(), *scroll, area, frame),
        Overlay::Problems { selected } => super::problems::render(state, *selected, area, frame),
        Overlay::Palette(palette) => super::palette::render(state, palette, area, frame),
        Overlay::Review { .. } => super::review::review(state, overlay, area, frame),
        Overlay::AdoptAsk { id, target } => {
            super::review::adopt_ask(state, id, target, area, frame);
        }
        Overlay::Sending { .. } => {
            let lines = vec![Line::from(format!(
                "{spin} submitting to {}…",
                state.session.target.label()
            ))];
            text_box(
                frame,
                area,
                "Submit",
                theme::focused_border(),
                lines,
                "Esc cancel",
                0,
            );
        }
        Overlay::Firing { fire, .. } => {
            let url = format!("{} {}", fire.method, super::shown_url(state, &fire.url));
            let lines = vec![Line::from(format!("{spin} {}", fit(&url, 90)))];
            text_box(
                frame,
                area,
                "Try it",
                theme::focused_border(),
                lines,
                "Esc cancel",
                0,
            );
        }
        Overlay::Response {
            created,
            stored,
            changes,
            scroll,
        } => {
            let id = state.remote_id().unwrap_or_default();
            let mut lines = vec![Line::from(Span::styled(
                if *created {
                    format!("✓ created, id {id}: {}", super::next_submit(state))
                } else {
                    match state.doc.connector.spec().update {
                        crate::connector::UpdateMode::Partial(_) => {
                            format!("✓ updated connector {id}")
                        }
                        _ => format!("✓ replaced connector {id}"),
                    }
                },
                theme::ok(),
            ))];
            if changes.is_empty() {
                lines.push(Line::from(Span::styled(
                    "stored exactly as sent",
                    theme::muted(),
                )));
            } else {
                lines.push(Line::from(Span::styled(
                    format!("the server changed {} field(s):", changes.len()),
                    theme::changed(),
                )));
                for change in changes {
                    let change = if state.reveal {
                        change.clone()
                    } else {
                        mask::mask_change(state.doc.connector.vendor, change)
                    };
                    lines.push(Line::from(Span::styled(
                        format!("  {change}"),
                        theme::changed(),
                    )));
                }
            }
            lines.push(Line::default());
            let changed_keys: Vec<String> =
                changes.iter().map(|c| format!("  {:?}", c.key)).collect();
            for line in highlight(&mask::shown_body(
                state.doc.connector.vendor,
                stored,
                state.reveal,
            )) {
                let text = line.to_string();
                let hit = changed_keys
                    .iter()
                    .any(|k| text.starts_with(&format!("{k}:")));
                lines.push(if hit {
                    line.patch_style(theme::changed())
                } else {
                    line
                });
            }
            text_box(
                frame,
                area,
                "Stored",
                theme::ok(),
                lines,
                "↑↓ scroll · Esc close",
                *scroll,
            );
        }
        Overlay::SubmitError { error, gone } => {
            let status = error
                .status
                .map(|s| format!("HTTP {s}: "))
                .unwrap_or_default();
            let mut lines = vec![Line::from(Span::styled(
                format!("{status}{}", error.message),
                theme::error(),
            ))];
            for (path, message) in &error.fields {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {path}: "), theme::key()),
                    Span::styled(message.clone(), theme::error()),
                ]));
            }
            if !error.fields.is_empty() {
                lines.push(Line::from(Span::styled(
                    "marked on the fields; fix them and submit again",
                    theme::muted(),
                )));
            }
            let mut footer = "Esc close".to_owned();
            if let Some((target, id)) = gone {
                lines.push(Line::from(format!(
                    "connector {id} no longer exists on {} (deleted there?)",
                    target.name
                )));
                let key = state.keymap.keys_for(Context::Review, Action::CreateAgain);
                footer = format!("{key} create it again as a new connector · Esc close");
            }
            text_box(frame, area, "Not stored", theme::error(), lines, &footer, 0);
        }
        Overlay::FireResult {
            response, scroll, ..
        } => super::results::fire_result(frame, area, response, *scroll),
        Overlay::Rows(run) => super::rows_run::rows_run(frame, area, run),
        Overlay::Tries { runs, selected } => {
            super::results::tries(frame, area, runs.as_ref(), *selected);
        }
        Overlay::Browse(browse) => super::results::browse_view(state, browse, frame, area),
        Overlay::ConfirmDelete { label, typed, .. } => {
            let mut lines = vec![
                Line::from(format!("Delete {label}?")),
                Line::from(Span::styled("This cannot be undone.", theme::warning())),
            ];
            let footer = match typed {
                Some(input) => {
                    let target = state.target_ref();
                    lines.insert(0, super::review::target_line(&target));
                    lines.push(super::review::typed_line(&target, input));
                    let key = state.keymap.keys_for(Context::Review, Action::Confirm);
                    format!("type {} then {key} to delete · Esc keep", target.name)
                }
                None => "y delete · n/Esc keep".to_owned(),
            };
            text_box(frame, area, "Delete", theme::error(), lines, &footer, 0);
        }
        Overlay::ConfirmQuit => {
            let lines = vec![
                Line::from("There are unsaved changes."),
                Line::from(Span::styled(
                    "(they are also in the crash journal until you decide)",
                    theme::muted(),
                )),
            ];
            text_box(
                frame,
                area,
                "Quit",
                theme::warning(),
                lines,
                "s save and quit · d discard and quit · Esc stay",
                0,
            );
        }
        Overlay::ConfirmSwitch(switch) => {
            let next = match switch {
                crate::tui::state::Switch::File { path, .. } => path.display().to_string(),
                crate::tui::state::Switch::Remote { id, .. } => format!("remote connector {id}"),
                crate::tui::state::Switch::New(vendor) => {
                    format!("a new {} connector", vendor.spec().label)
                }
            };
            let lines = vec![
                Line::from(format!(
                    "{} has unsaved changes; open {next}?",
                    state.doc.connector.display_name()
                )),
                Line::from(Span::styled(
                    "(they are also in the crash journal until you decide)",
                    theme::muted(),
                )),
            ];
            text_box(
                frame,
                area,
                "Unsaved changes",
                theme::warning(),
                lines,
                "s save first · d discard them · Esc stay",
                0,
            );
        }
        Overlay::Recover { entries, selected } => {
            super::session::recover(frame, area, entries, *selected);
        }
        Overlay::ChangedOnDisk { path } => super::session::changed(state, frame, area, path),
        Overlay::Bulk { key, area: editor } => {
            let rect = bulk_popup(area);
            let inner = boxed(
                frame,
                rect,
                &format!("Bulk edit {key}: one `name: value` per line"),
                theme::focused_border(),
            );
            let look = super::code::Look {
                syntax: super::code::Syntax::Plain,
                focused: true,
                mask: !state.reveal,
                error: None,
            };
            super::code::draw(editor, &look, bulk_body(inner), frame.buffer_mut());
            frame.render_widget(
                Paragraph::new(keys_line(
                    "Ctrl-S apply · Esc cancel · a line without `:` is an empty slot",
                )),
                Rect {
                    y: inner.bottom().saturating_sub(1),
                    height: 1,
                    ..inner
                },
            );
        }
        Overlay::Message { title, text } => {
            let lines = text.lines().map(|l| Line::from(l.to_owned())).collect();
            text_box(frame, area, title, theme::error(), lines, "Esc close", 0);
        }
        Overlay::ConnectAsk { input } => {
            let rect = popup(area, 76, 7);
            let inner = boxed(frame, rect, "Connect", theme::focused_border());
            let width = usize::from(inner.width);
            let mut spans = vec![Span::styled("redirect URL: ", theme::label())];
            spans.extend(input_spans(
                &input.text,
                input.cursor,
                width.saturating_sub(15),
                theme::text(),
            ));
            frame.render_widget(
                Paragraph::new(vec![
                    Line::from(Span::styled(
                        fit(
                            "The target probes the connector's MCP server. Optional: where the \
                             authorization should come back to.",
                            width * 2,
                        ),
                        theme::muted(),
                    )),
                    Line::from(spans),
                    Line::default(),
                    keys_line("Enter connect · Esc cancel"),
                ])
                .wrap(Wrap { trim: true }),
                inner,
            );
        }
        Overlay::ImportCurl { input } => super::import::prompt(
            frame,
            area,
            &super::import::Prompt {
                title: "Import curl",
                label: "curl: ",
                help: "Paste a curl command (Copy as cURL); it fills the form.",
                input,
                status: None,
                keys: "paste or type, Enter import · Esc cancel",
            },
        ),
        Overlay::SpecPath {
            input,
            loading,
            error,
            ..
        } => {
            let status = match (loading, error) {
                (true, _) => Some((format!("{spin} reading…"), theme::muted())),
                (false, Some(error)) => Some((error.clone(), theme::error())),
                (false, None) => None,
            };
            super::import::prompt(
                frame,
                area,
                &super::import::Prompt {
                    title: "Import OpenAPI",
                    label: "document: ",
                    help: "An OpenAPI 3.0/3.1 file (YAML or JSON); a base URL after it stands in for a relative or missing server.",
                    input,
                    status,
                    keys: "Enter list its operations · Esc cancel",
                },
            );
        }
        Overlay::Operations(pick) => super::import::operations(frame, area, pick),
        Overlay::Linking { verb, .. } => {
            let lines = vec![Line::from(format!(
                "{spin} {verb} {} on {}…",
                super::title_name(state),
                state.session.target.label()
            ))];
            text_box(
                frame,
                area,
                "Connection",
                theme::focused_border(),
                lines,
                "Esc cancel",
                0,
            );
        }
        Overlay::SaveAs { input } => {
            let rect = popup(area, 70, 5);
            let inner = boxed(frame, rect, "Save as", theme::focused_border());
            let width = usize::from(inner.width);
            let mut spans = vec![Span::styled("file: ", theme::label())];
            spans.extend(input_spans(
                &input.text,
                input.cursor,
                width.saturating_sub(7),
                theme::text(),
            ));
            frame.render_widget(
                Paragraph::new(vec![
                    Line::from(spans),
                    Line::default(),
                    keys_line("Enter save · Esc cancel"),
                ]),
                inner,
            );
        }
    }
}

/// The bulk editor's box.
pub(super) fn bulk_popup(area: Rect) -> Rect {
    popup(area, 80, area.height.saturating_sub(4))
}

/// Where the bulk editor's text goes in its box: all of it but the key line at the bottom.
pub(super) fn bulk_body(inner: Rect) -> Rect {
    Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// The keys of every context, as the keymap has them; `/` narrows them to a fuzzy filter.
fn help(state: &State, filter: Option<&LineInput>, scroll: u16, area: Rect, frame: &mut Frame) {
    let mut lines = Vec::new();
    let query = filter.map_or("", |f| f.text.as_str());
    if let Some(filter) = filter {
        lines.push(filter_line(filter, 40));
    }
    let sections = state.keymap.help_matching(query);
    if sections.is_empty() {
        lines.push(Line::from(Span::styled("no key matches", theme::muted())));
    }
    let width = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(keys, _)| keys.chars().count()))
        .max()
        .unwrap_or(10);
    for (section, rows) in sections {
        lines.push(Line::from(Span::styled(section, theme::title())));
        for (keys, help) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<width$} "), theme::key()),
                Span::raw(help),
            ]));
        }
        lines.push(Line::default());
    }
    let footer = if filter.is_some() {
        "type to filter · ↑↓ PgUp PgDn scroll · Esc clear the filter"
    } else {
        "↑↓ PgUp PgDn Home End scroll · / filter · Esc close"
    };
    text_box(
        frame,
        area,
        "Keys",
        theme::focused_border(),
        lines,
        footer,
        scroll,
    );
}
