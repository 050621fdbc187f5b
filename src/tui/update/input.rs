//! Pastes and the mouse: pasted text goes where typed text would (a curl command pasted into
//! the URL field is imported), clicks move the focus and the cursor, the wheel scrolls. Pure,
//! like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::Action;
use super::super::state::{Focus, Overlay, State};
use super::super::view;
use super::document::{commit_form, sync_json, sync_template};
use crate::connector::{self, FieldKind};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

/// Pasted text as an editor can hold it: line endings made `\n`, control characters (a pasted
/// binary blob) and terminal escape sequences dropped whole; tabs and newlines kept.
fn clean_paste(text: &str) -> String {
    connector::plain_text(&text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Pasted text for a one-line input: as [`clean_paste`], with line breaks and tabs as spaces.
fn one_line(text: &str) -> String {
    connector::plain_line(&clean_paste(text))
}

/// The largest paste taken (1 MiB): far past any connector field or template, and small enough
/// that the editor stays responsive. A bigger one is refused whole rather than cut somewhere.
pub const MAX_PASTE_BYTES: usize = 1024 * 1024;

/// Pasted text, where the focus (or the open overlay) takes it.
pub(super) fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    if text.len() > MAX_PASTE_BYTES {
        state.toast = Some(format!(
            "paste refused: {} KiB is over the {} MiB paste limit",
            text.len().div_ceil(1024),
            MAX_PASTE_BYTES / (1024 * 1024)
        ));
        return Vec::new();
    }
    let text = &clean_paste(text);
    if state.overlay.is_none() && state.cell.is_none() && super::import::is_import(state, text) {
        return super::import::import(state, text);
    }
    match &mut state.overlay {
        Some(Overlay::Bulk { area, .. }) => {
            area.insert_str(text);
            state.drafted = true;
            return super::journal::sync_journal(state);
        }
        Some(Overlay::SaveAs { input } | Overlay::SpecPath { input, .. }) => {
            input.insert_str(&one_line(text));
            state.drafted = true;
            return super::journal::sync_journal(state);
        }
        Some(Overlay::Operations(pick)) => {
            pick.filter.insert_str(&one_line(text));
            pick.selected = 0;
            state.drafted = true;
            return super::journal::sync_journal(state);
        }
        Some(Overlay::ImportCurl { input }) => {
            let whole = format!("{}{text}", input.text);
            state.overlay = None;
            return super::browse_import::paste_curl(state, &whole);
        }
        Some(_) => return Vec::new(),
        None => {}
    }
    if let Some(cell) = state.cell.as_mut() {
        cell.input.insert_str(&one_line(text));
        return super::table::write_cell(state);
    }
    match state.focus {
        Focus::Field(_) => {
            if state.focused_field().is_some_and(|f| state.read_only(f)) {
                return Vec::new();
            }
            let integer = state.focused_field().is_some_and(|f| {
                matches!(
                    f.kind,
                    FieldKind::Integer { .. } | FieldKind::UnitRate { .. }
                )
            });
            let text: String = if integer {
                text.chars().filter(char::is_ascii_digit).collect()
            } else {
                one_line(text)
            };
            state.form_input.insert_str(&text);
            commit_form(state)
        }
        Focus::Panel if state.on_template_tab() => {
            state.template.insert_str(text);
            sync_template(state)
        }
        Focus::Panel if state.on_json_tab() => {
            state.json.insert_str(text);
            sync_json(state)
        }
        _ => Vec::new(),
    }
}

/// A click or a wheel turn.
pub(super) fn mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    let scroll = match mouse.kind {
        MouseEventKind::ScrollUp => Some(false),
        MouseEventKind::ScrollDown => Some(true),
        MouseEventKind::Down(MouseButton::Left) => None,
        _ => return Vec::new(),
    };
    if let Some(down) = scroll {
        return scroll_by(state, down);
    }
    if state.overlay.is_some() || state.cell.is_some() {
        return Vec::new();
    }
    match view::hit(state, mouse.column, mouse.row) {
        Some(view::Hit::Field(i, place)) => {
            let effects = state.set_focus(Focus::Field(i));
            if let Some((start, column)) = place {
                state.form_input.click(start, column);
            }
            effects
        }
        Some(view::Hit::Target) => state.set_focus(Focus::Target),
        Some(view::Hit::Tab(i)) => {
            state.tab = i;
            state.set_focus(Focus::Panel)
        }
        Some(view::Hit::Row(i)) => {
            let effects = state.set_focus(Focus::Panel);
            if let Some(slot) = state.rows.get_mut(state.tab) {
                *slot = i;
            }
            effects
        }
        Some(view::Hit::Sample(i)) => {
            let effects = state.set_focus(Focus::Samples);
            state.sample_row = i;
            effects
        }
        Some(view::Hit::Editor(place)) => {
            let effects = state.set_focus(Focus::Panel);
            if let Some((x, y)) = place {
                let editor = if state.on_json_tab() {
                    &mut state.json
                } else {
                    &mut state.template
                };
                editor.click(x, y);
            }
            effects
        }
        None => Vec::new(),
    }
}

fn scroll_by(state: &mut State, down: bool) -> Vec<Effect> {
    let step = |v: &mut u16| {
        *v = if down {
            v.saturating_add(3)
        } else {
            v.saturating_sub(3)
        };
    };
    match &mut state.overlay {
        Some(
            Overlay::Help { scroll, .. }
            | Overlay::Response { scroll, .. }
            | Overlay::FireResult { scroll, .. },
        ) => {
            step(scroll);
            return Vec::new();
        }
        Some(_) => return Vec::new(),
        None => {}
    }
    if state.on_template_tab() && state.focus == Focus::Panel {
        state.template.scroll_by(if down { 3 } else { -3 });
        return Vec::new();
    }
    if state.on_json_tab() && state.focus == Focus::Panel {
        state.json.scroll_by(if down { 3 } else { -3 });
        return Vec::new();
    }
    if matches!(state.focus, Focus::Panel | Focus::Samples) {
        let action = if down { Action::Down } else { Action::Up };
        return super::table::table_action(state, action);
    }
    Vec::new()
}
