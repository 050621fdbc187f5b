//! Overlays: which one draws, and the small ones here (help, a request in flight, unsaved
//! changes, bulk edit, the prompts); the larger ones have files of their own. Each is a centred
//! box over the editor; the last line says which keys close or confirm it (`footers`).

use super::footers;
use super::popup::{boxed, filter_line, footer_line, keys_line, popup, text_box};
use super::{fit, input_spans};
use crate::tui::state::{CodeEditor, LineInput, Overlay, State, Switch};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub(super) fn render(state: &State, area: Rect, frame: &mut Frame) {
    let Some(overlay) = &state.overlay else {
        return;
    };
    match overlay {
        Overlay::Help { scroll, filter } => help(state, filter.as_ref(), *scroll, area, frame),
        Overlay::Problems { selected } => super::problems::render(state, *selected, area, frame),
        Overlay::Palette(palette) => super::palette::render(state, palette, area, frame),
        Overlay::Review { .. } => super::review::review(state, overlay, area, frame),
        Overlay::AdoptAsk { id, target } => {
            super::review::adopt_ask(state, id, target, area, frame);
        }
        Overlay::Sending { .. } | Overlay::Firing { .. } | Overlay::Linking { .. } => {
            in_flight(state, overlay, area, frame);
        }
        Overlay::Response {
            created,
            stored,
            changes,
            scroll,
        } => super::answer::stored(state, *created, stored, changes, *scroll, area, frame),
        Overlay::SubmitError { error, gone } => {
            super::answer::submit_error(state, error, gone.as_ref(), area, frame);
        }
        Overlay::FireResult {
            response, scroll, ..
        } => {
            let selects = &state.tries.selects;
            super::results::fire_result(state, frame, area, response, *scroll, selects);
        }
        Overlay::Rows(run) => {
            super::rows_run::rows_run(state, frame, area, run, &state.tries.selects);
        }
        Overlay::RowsTable(table) => super::rows_table::rows_table(state, frame, area, table),
        Overlay::TrySelect { input, error, back } => {
            let back = back.as_deref();
            super::try_select::prompt(state, frame, area, input, error.as_deref(), back);
        }
        Overlay::Tries { runs, selected } => {
            super::results::tries(state, frame, area, runs.as_ref(), *selected);
        }
        Overlay::Browse(browse) => super::results::browse_view(state, browse, frame, area),
        Overlay::ConfirmDelete { label, typed, .. } => {
            super::answer::confirm_delete(state, label, typed.as_ref(), area, frame);
        }
        Overlay::ConfirmQuit => unsaved(state, "Quit", None, area, frame),
        Overlay::ConfirmSwitch(switch) => {
            unsaved(state, "Unsaved changes", Some(switch), area, frame);
        }
        Overlay::Recover { entries, selected } => {
            super::session::recover(state, frame, area, entries, *selected);
        }
        Overlay::ChangedOnDisk { path } => super::session::changed(state, frame, area, path),
        Overlay::Bulk { key, area: editor } => bulk(state, key, editor, area, frame),
        Overlay::Message { title, text } => {
            let lines = text.lines().map(|l| Line::from(l.to_owned())).collect();
            let footer = footers::MESSAGE.text(&state.keymap);
            text_box(frame, area, title, theme::error(), lines, &footer, 0);
        }
        Overlay::ConnectAsk { input } => connect_ask(state, input, area, frame),
        Overlay::ImportCurl { input } => import_curl(state, input, area, frame),
        Overlay::SpecPath {
            input,
            loading,
            error,
            ..
        } => spec_path(state, input, *loading, error.as_deref(), area, frame),
        Overlay::Operations(pick) => super::import::operations(state, frame, area, pick),
        Overlay::SaveAs { input } => save_as(state, input, area, frame),
    }
}

/// The spinner's frame now; it turns only while a request is in flight (`State::busy`).
pub(super) fn spinner(state: &State) -> &'static str {
    SPINNER
        .get(state.spinner % SPINNER.len())
        .copied()
        .unwrap_or("·")
}

/// A request in flight (a submit, try it, a connect or disconnect): one line saying what, and
/// the key that cancels it.
fn in_flight(state: &State, overlay: &Overlay, area: Rect, frame: &mut Frame) {
    let spin = spinner(state);
    let (title, line) = match overlay {
        Overlay::Firing { fire, .. } => {
            let url = format!("{} {}", fire.method, super::shown_url(state, &fire.url));
            ("Try it", format!("{spin} {}", fit(&url, 90)))
        }
        Overlay::Linking { verb, .. } => {
            let name = super::title_name(state);
            let line = format!("{spin} {verb} {name} on {}…", state.session.target.label());
            ("Connection", line)
        }
        _ => {
            let line = format!("{spin} submitting to {}…", state.session.target.label());
            ("Submit", line)
        }
    };
    let footer = footers::IN_FLIGHT.text(&state.keymap);
    let lines = vec![Line::from(line)];
    text_box(
        frame,
        area,
        title,
        theme::focused_border(),
        lines,
        &footer,
        0,
    );
}

/// Unsaved changes, before a quit (`switch` is `None`) or before opening another connector.
fn unsaved(state: &State, title: &str, switch: Option<&Switch>, area: Rect, frame: &mut Frame) {
    let first = match switch {
        None => "There are unsaved changes.".to_owned(),
        Some(switch) => {
            let next = match switch {
                Switch::File { path, .. } => path.display().to_string(),
                Switch::Remote { id, .. } => format!("remote connector {id}"),
                Switch::New(vendor) => format!("a new {} connector", vendor.spec().label),
            };
            format!(
                "{} has unsaved changes; open {next}?",
                state.doc.connector.display_name()
            )
        }
    };
    let lines = vec![
        Line::from(first),
        Line::from(Span::styled(
            "(they are also in the crash journal until you decide)",
            theme::muted(),
        )),
    ];
    let footer = if switch.is_some() {
        &footers::SWITCH
    } else {
        &footers::QUIT
    };
    let footer = footer.text(&state.keymap);
    text_box(frame, area, title, theme::warning(), lines, &footer, 0);
}

/// The bulk editor of a table: its text in the code editor, its keys below.
fn bulk(state: &State, key: &str, editor: &CodeEditor, area: Rect, frame: &mut Frame) {
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
    footer_line(frame, inner, &footers::BULK.text(&state.keymap));
}

/// Agent Stack's connect: the optional redirect URL.
fn connect_ask(state: &State, input: &LineInput, area: Rect, frame: &mut Frame) {
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
            keys_line(&footers::CONNECT.text(&state.keymap)),
        ])
        .wrap(Wrap { trim: true }),
        inner,
    );
}

fn import_curl(state: &State, input: &LineInput, area: Rect, frame: &mut Frame) {
    let prompt = super::import::Prompt {
        title: "Import curl",
        label: "curl: ",
        help: "Paste a curl command (Copy as cURL); it fills the form.",
        input,
        status: None,
        keys: format!(
            "paste or type, {}",
            footers::IMPORT_CURL.text(&state.keymap)
        ),
    };
    super::import::prompt(frame, area, &prompt);
}

/// The OpenAPI document's path, read in a task (`loading`), or what was wrong with it.
fn spec_path(
    state: &State,
    input: &LineInput,
    loading: bool,
    error: Option<&str>,
    area: Rect,
    frame: &mut Frame,
) {
    let status = match (loading, error) {
        (true, _) => Some((format!("{} reading…", spinner(state)), theme::muted())),
        (false, Some(error)) => Some((error.to_owned(), theme::error())),
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
            keys: footers::SPEC_PATH.text(&state.keymap),
        },
    );
}

fn save_as(state: &State, input: &LineInput, area: Rect, frame: &mut Frame) {
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
            keys_line(&footers::SAVE_AS.text(&state.keymap)),
        ]),
        inner,
    );
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
        &footers::HELP_FILTERING
    } else {
        &footers::HELP
    };
    text_box(
        frame,
        area,
        "Keys",
        theme::focused_border(),
        lines,
        &footer.text(&state.keymap),
        scroll,
    );
}
