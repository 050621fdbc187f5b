//! `view(&State, &mut Frame)`: draws the editor. Reads the state, never changes it. The layout
//! is a pure function of the size and the state, shared with mouse hit-testing in `update`.
//! Small render helpers live in `view/`.

mod answer;
mod code;
mod footers;
mod form;
mod import;
mod json;
mod overlay;
mod palette;
mod panel;
mod popup;
mod problems;
mod results;
mod review;
mod rows_run;
mod rows_table;
mod samples;
mod session;
mod status;
mod try_select;

use super::keymap::Context;
use super::state::{MIN_HEIGHT, MIN_WIDTH, Overlay, State, form_fields, panel_fields};
use super::theme;
use crate::connector::{FieldKind, mask};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub use json::highlight as highlight_json;

/// Where everything is on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Areas {
    pub form: Rect,
    pub target_row: Rect,
    /// Each form field's rectangle, by index into `form_fields`.
    pub fields: Vec<(usize, Rect)>,
    pub final_url: Rect,
    /// The connection state row (vendors with one: Agent Stack).
    pub link_state: Rect,
    /// The authorization link, wrapped over as many rows as it needs (at most three).
    pub link: Rect,
    pub panel: Rect,
    /// The row of tab titles above the panel.
    pub tab_row: Rect,
    pub tabs: Vec<(usize, Rect)>,
    /// The panel's inside (table, or template editor and preview).
    pub inner: Rect,
    pub editor: Rect,
    pub preview: Rect,
    pub samples: Rect,
    pub status: Rect,
}

/// The form's rows: full-width fields alone, short fields (pickers, numbers) two to a row.
pub fn form_rows(state: &State) -> Vec<Vec<usize>> {
    let short = |kind: FieldKind| {
        matches!(
            kind,
            FieldKind::Choice { .. }
                | FieldKind::Integer { .. }
                | FieldKind::Bool
                | FieldKind::UnitRate { .. }
        )
    };
    let fields = form_fields(state.doc.connector.vendor);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        match rows.last_mut() {
            Some(last)
                if short(field.kind)
                    && last.len() == 1
                    && last
                        .first()
                        .and_then(|j| fields.get(*j))
                        .is_some_and(|f| short(f.kind)) =>
            {
                last.push(i);
            }
            _ => rows.push(vec![i]),
        }
    }
    rows
}

/// The tab titles: label plus a short state (`Headers 2`, `Body derived`, `Template ✓`).
pub fn tab_titles(state: &State) -> Vec<String> {
    panel_fields(state.doc.connector.vendor)
        .iter()
        .map(|field| match field.kind {
            FieldKind::Template { .. } => {
                match (&state.doc.connector.template(), &state.preview.output) {
                    (None, _) => format!("{} –", field.label),
                    (Some(_), Err(_)) => format!("{} ✗", field.label),
                    (Some(_), Ok(_)) => match &state.preview.json {
                        Some(Err(_)) => format!("{} ✗", field.label),
                        _ => format!("{} ✓", field.label),
                    },
                }
            }
            FieldKind::JsonObject => {
                match (&state.json_problem, state.problem_for(field.key, None)) {
                    (Some(_), _) | (None, Some((_, true))) => format!("{} ✗", field.label),
                    _ => format!("{} ✓", field.label),
                }
            }
            _ if state.doc.connector.spec().derived_field == Some(field.key)
                && state.doc.connector.template().is_some() =>
            {
                format!("{} ⇠tpl", field.label)
            }
            _ => {
                let mark = match state.problem_for(field.key, None) {
                    Some((_, true)) => " ✗",
                    Some((_, false)) => " !",
                    None => "",
                };
                format!("{} {}{mark}", field.label, state.rows_of(field).len())
            }
        })
        .collect()
}

/// Lays the screen out; `None` when the terminal is too small.
/// Lays the screen out, top to bottom; `None` when the terminal is too small.
pub fn layout(area: Rect, state: &State) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let rows = form_rows(state);
    // The final-URL line only for vendors whose connectors carry query params.
    let has_params = (state.doc.connector.spec().request).is_some_and(|r| r.params.is_some());
    let url_row = rows.iter().position(|r| {
        has_params
            && r.iter().any(|i| {
                form_fields(state.doc.connector.vendor)
                    .get(*i)
                    .is_some_and(|f| matches!(f.kind, FieldKind::Url { .. }))
            })
    });
    let link_rows = link_rows(state, area.width);
    let form_height = to_u16(rows.len() + 3 + link_rows) + u16::from(url_row.is_some());
    let [form, tab_row, panel, status] = Layout::vertical([
        Constraint::Length(form_height),
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut areas = Areas {
        form,
        panel,
        status,
        tab_row,
        tabs: tab_areas(state, tab_row),
        inner: within_border(panel),
        ..Areas::default()
    };
    form_areas(&rows, url_row, link_rows, &mut areas);
    if state.on_template_tab() {
        template_areas(state, panel, &mut areas);
    }
    Some(areas)
}

/// The form's rows inside its border: the target, the fields (short ones side by side), the
/// final URL under the URL's row, then the connection state and its link.
fn form_areas(rows: &[Vec<usize>], url_row: Option<usize>, link_rows: usize, areas: &mut Areas) {
    let inside = within_border(areas.form);
    areas.target_row = Rect {
        height: 1,
        ..inside
    };
    let mut y = inside.y + 1;
    for (r, row) in rows.iter().enumerate() {
        let line = Rect {
            y,
            height: 1,
            ..inside
        };
        let count = to_u16(row.len().max(1));
        let width = line.width / count;
        for (k, index) in row.iter().enumerate() {
            let k = to_u16(k);
            let w = if k + 1 == count {
                line.width - width * k
            } else {
                width
            };
            areas.fields.push((
                *index,
                Rect {
                    x: line.x + width * k,
                    width: w,
                    ..line
                },
            ));
        }
        y += 1;
        if Some(r) == url_row {
            areas.final_url = Rect {
                y,
                height: 1,
                ..inside
            };
            y += 1;
        }
    }
    if link_rows > 0 {
        areas.link_state = Rect {
            y,
            height: 1,
            ..inside
        };
        areas.link = Rect {
            y: y + 1,
            height: to_u16(link_rows - 1),
            ..inside
        };
    }
}

/// A bordered box's inside.
fn within_border(rect: Rect) -> Rect {
    Rect {
        x: rect.x + 1,
        y: rect.y + 1,
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    }
}

/// Each tab title's place on the tab row, as many as fit.
fn tab_areas(state: &State, tab_row: Rect) -> Vec<(usize, Rect)> {
    let mut tabs = Vec::new();
    let mut x = tab_row.x + 1;
    for (i, title) in tab_titles(state).iter().enumerate() {
        let w = to_u16(title.width()) + 2;
        if x + w > tab_row.right() {
            break;
        }
        tabs.push((
            i,
            Rect {
                x,
                y: tab_row.y,
                width: w,
                height: 1,
            },
        ));
        x += w + 1;
    }
    tabs
}

/// The template tab: the editor on the left, the preview over the variables on the right.
fn template_areas(state: &State, panel: Rect, areas: &mut Areas) {
    let [editor, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(panel);
    areas.editor = editor;
    if right.height < 10 {
        // Too short for both: the variables take the column while they have the focus.
        if state.focus == super::state::Focus::Samples {
            areas.samples = right;
        } else {
            areas.preview = right;
        }
    } else {
        let vars = to_u16(state.preview.variables.len());
        let samples_height = (vars.max(1) + 3).min(right.height / 2).max(3);
        let [preview, samples] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(samples_height)]).areas(right);
        areas.preview = preview;
        areas.samples = samples;
    }
}

/// How many form rows the connection state takes at a width: none for vendors without one,
/// else the state row plus the authorization link's rows (wrapped, at most three).
pub fn link_rows(state: &State, width: u16) -> usize {
    if !super::state::has_link_state(state.doc.connector.vendor) {
        return 0;
    }
    let link = state
        .link
        .as_ref()
        .filter(|l| l.state.as_deref() == Some("auth_required"))
        .and_then(|l| l.authorization_endpoint.as_deref());
    let Some(link) = link else {
        return 1;
    };
    let room = usize::from(width.saturating_sub(2)).saturating_sub(form::label_width(state) + 1);
    1 + link.width().div_ceil(room.max(1)).clamp(1, 3)
}

/// Where the text of the editor on screen goes (its gutter included): the bulk edit's when it
/// is open, else the template's or the config JSON's on their tabs.
pub fn editor_rect(state: &State) -> Option<Rect> {
    let area = Rect::new(0, 0, state.session.size.0, state.session.size.1);
    match &state.overlay {
        Some(Overlay::Bulk { .. }) => {
            let rect = overlay::bulk_popup(area);
            return Some(overlay::bulk_body(inside(rect)));
        }
        Some(_) => return None,
        None => {}
    }
    let areas = layout(area, state)?;
    state.on_editor_tab().then(|| editor_text(state, &areas))
}

/// The editor's text area on its tab: inside the template's box, or the config JSON's.
fn editor_text(state: &State, areas: &Areas) -> Rect {
    if state.on_template_tab() {
        inside(areas.editor)
    } else {
        inside(areas.panel)
    }
}

/// A rectangle's inside, one cell of border off each side.
fn inside(rect: Rect) -> Rect {
    ratatui::widgets::Block::bordered().inner(rect)
}

/// What a click landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Target,
    /// A form field; the place in its text when the click is on its value (first shown
    /// character, column within the shown text).
    Field(usize, Option<(usize, usize)>),
    Tab(usize),
    Row(usize),
    Sample(usize),
    /// The template or JSON editor; the place in its text area when the click is inside it.
    Editor(Option<(u16, u16)>),
}

fn contains(rect: Rect, x: u16, y: u16) -> bool {
    x >= rect.x && x < rect.right() && y >= rect.y && y < rect.bottom()
}

/// Maps a screen position to what is drawn there.
pub fn hit(state: &State, x: u16, y: u16) -> Option<Hit> {
    let area = Rect::new(0, 0, state.session.size.0, state.session.size.1);
    let areas = layout(area, state)?;
    if contains(areas.target_row, x, y) {
        return Some(Hit::Target);
    }
    if let Some((i, rect)) = areas.fields.iter().find(|(_, r)| contains(*r, x, y)) {
        let place = form_fields(state.doc.connector.vendor)
            .get(*i)
            .and_then(|field| form::value_click(state, *i, field, rect.width, x - rect.x));
        return Some(Hit::Field(*i, place));
    }
    if let Some((i, _)) = areas.tabs.iter().find(|(_, r)| contains(*r, x, y)) {
        return Some(Hit::Tab(*i));
    }
    if state.on_editor_tab() {
        let text = editor_text(state, &areas);
        let place = contains(text, x, y).then(|| (x - text.x, y - text.y));
        if contains(areas.editor, x, y) || place.is_some() {
            return Some(Hit::Editor(place));
        }
    }
    if state.on_template_tab() {
        if contains(areas.samples, x, y) {
            let first = areas.samples.y + 2;
            return (y >= first).then(|| Hit::Sample(usize::from(y - first)));
        }
        return None;
    }
    if contains(areas.inner, x, y) {
        let (first, offset) = panel::table_geometry(state, areas.inner);
        if y >= first {
            return Some(Hit::Row(usize::from(y - first) + offset));
        }
    }
    None
}

/// Draws the whole editor.
pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if let Some(areas) = layout(area, state) {
        form::render(state, &areas, frame);
        panel::render(state, &areas, frame);
        status::render(state, areas.status, frame);
        overlay::render(state, area, frame);
    } else {
        too_small(state, frame, area);
    }
    // The screens are drawn in the dark palette; the chosen one is one pass over the cells.
    theme::apply(state.palette, frame.buffer_mut());
}

fn too_small(state: &State, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(Span::styled("terminal too small", theme::warning())),
        Line::from(format!(
            "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        )),
        Line::from(Span::styled(
            format!("{} quits", state.keymap.key(Context::Global, "Ctrl-Q")),
            theme::muted(),
        )),
    ];
    let top = area.height.saturating_sub(3) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// A count as a terminal coordinate (saturating: nothing on a terminal is that large).
pub fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A table cell: server or user text on one line, cut to `width` columns and padded to them
/// (by display width, so wide characters keep the columns aligned).
pub(super) fn padded(text: &str, width: usize) -> String {
    let shown = fit(&crate::connector::plain_line(text), width);
    let pad = width.saturating_sub(shown.width());
    format!("{shown}{}", " ".repeat(pad))
}

/// Cuts text to at most `width` display columns, with `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// What the next submit of an already created connector does, in the vendor's terms.
pub fn next_submit(state: &State) -> &'static str {
    match state.doc.connector.spec().update {
        crate::connector::UpdateMode::Replace => "the next submit replaces it (PUT)",
        crate::connector::UpdateMode::Partial(_) => "the next submit updates it (PUT)",
        crate::connector::UpdateMode::Recreate => "the next submit deletes and recreates it",
    }
}

/// The connector's name for titles: its name, else its URL.
pub fn title_name(state: &State) -> &str {
    state.doc.connector.title().unwrap_or("(unnamed)")
}

/// A URL as the screen shows it: secret query values masked unless revealed.
pub fn shown_url(state: &State, url: &str) -> String {
    if state.reveal {
        url.to_owned()
    } else {
        mask::mask_url(url)
    }
}

/// Text being typed into a secret field, as the screen shows it: one bullet per character
/// (so the cursor stays where it is) unless revealed.
pub fn shown_secret_input(state: &State, text: &str) -> String {
    if state.reveal {
        text.to_owned()
    } else {
        "•".repeat(text.chars().count())
    }
}

/// The first character a one-line input of `width` columns shows, so its cursor stays visible.
pub fn input_start(cursor: usize, width: usize) -> usize {
    (cursor + 1).saturating_sub(width.max(2))
}

/// A one-line input with a visible cursor, scrolled so the cursor stays in `width` columns.
pub fn input_spans(
    text: &str,
    cursor: usize,
    width: usize,
    style: ratatui::style::Style,
) -> Vec<Span<'static>> {
    let chars: Vec<char> = text.chars().collect();
    let width = width.max(2);
    let start = input_start(cursor, width);
    let before: String = chars
        .iter()
        .skip(start)
        .take(cursor - start.min(cursor))
        .collect();
    let at = chars.get(cursor).map_or(" ".to_owned(), char::to_string);
    let after: String = chars
        .iter()
        .skip(cursor + 1)
        .take(width.saturating_sub(cursor - start.min(cursor) + 1))
        .collect();
    vec![
        Span::styled(before, style),
        Span::styled(at, theme::cursor()),
        Span::styled(after, style),
    ]
}

#[cfg(test)]
mod tests;
