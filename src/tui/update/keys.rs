//! Key, mouse and paste handling for the editor's main screen: form fields, tables, the template
//! editor and the global actions. Overlays are in `overlay.rs`. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{self, Action, Context};
use super::super::state::{
    CellEdit, Column, Focus, LineInput, Overlay, State, form_fields, panel_fields,
};
use super::super::view;
use super::{commit_form, edited, review, set_rows, set_template};
use crate::api::fire;
use crate::connector::{FieldKind, NameValue};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use serde_json::Value;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if state.overlay.is_some() {
        return super::overlay::key(state, key);
    }
    if state.cell.is_some() {
        return cell_key(state, key);
    }
    match state.focus {
        Focus::Target => target_key(state, key),
        Focus::Field(_) => form_key(state, key),
        Focus::Panel if state.on_template_tab() => template_key(state, key),
        Focus::Panel | Focus::Samples => table_key(state, key),
    }
}

fn has_ctrl_or_alt(key: &KeyEvent) -> bool {
    key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The actions that mean the same everywhere on the main screen.
fn global(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let effects = match action {
        Action::Quit => {
            let mut effects = commit_form(state);
            if state.dirty {
                state.overlay = Some(Overlay::ConfirmQuit);
            } else {
                state.quit = true;
                if let Some(file) = &state.journal_file {
                    effects.push(Effect::DiscardJournal(file.clone()));
                }
            }
            effects
        }
        Action::Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Action::Save => {
            let mut effects = commit_form(state);
            effects.extend(save(state));
            effects
        }
        Action::Review => {
            let effects = commit_form(state);
            review(state);
            effects
        }
        Action::TryIt => try_it(state),
        Action::CopyCurl => {
            // The submit call, as `patchcord curl` prints it; the key stays a placeholder.
            let base = state
                .base_url
                .clone()
                .unwrap_or_else(|| state.connector.spec().default_base_url.to_owned());
            vec![Effect::CopyToClipboard(crate::api::curl::command(
                &state.connector,
                &base,
                crate::api::curl::KeyShown::Placeholder,
                state.reveal,
            ))]
        }
        Action::Browse => {
            state.overlay = Some(Overlay::Browse(super::super::state::Browse::default()));
            vec![
                Effect::ListRemote(state.connector.vendor),
                Effect::ListLocal,
            ]
        }
        Action::ExternalEditor => vec![Effect::EditExternally(
            state.connector.template().unwrap_or_default().to_owned(),
        )],
        Action::NextFocus => {
            let next = next_focus(state, true);
            state.set_focus(next)
        }
        Action::PrevFocus => {
            let next = next_focus(state, false);
            state.set_focus(next)
        }
        Action::SelectTab(tab) => {
            if tab < panel_fields(state.connector.vendor).len() {
                state.tab = tab;
                state.set_focus(Focus::Panel)
            } else {
                Vec::new()
            }
        }
        Action::Back => match state.focus {
            Focus::Field(_) | Focus::Target => Vec::new(),
            Focus::Samples => state.set_focus(Focus::Panel),
            Focus::Panel => state.set_focus(Focus::Field(0)),
        },
        _ => return None,
    };
    Some(effects)
}

/// Saves to the connector's file, or asks where when it has none.
pub(super) fn save(state: &mut State) -> Vec<Effect> {
    if let Some(path) = &state.file {
        vec![Effect::Save {
            path: path.clone(),
            connector: Box::new(state.connector.clone()),
            samples: state.samples.clone(),
        }]
    } else {
        state.overlay = Some(Overlay::SaveAs {
            input: LineInput::new(&state.suggested_file()),
        });
        Vec::new()
    }
}

fn try_it(state: &mut State) -> Vec<Effect> {
    let mut effects = commit_form(state);
    match fire::build(&state.connector, &state.samples) {
        Ok(request) => {
            let id = state.new_request();
            state.overlay = Some(Overlay::Firing {
                request: id,
                fire: Box::new(request.clone()),
            });
            effects.push(Effect::Fire {
                request: id,
                fire: request,
            });
        }
        Err(e) => {
            state.overlay = Some(Overlay::Message {
                title: "Cannot try it".into(),
                text: e.to_string(),
            });
        }
    }
    effects
}

/// The focus after (or before) the current one: the form fields, then the panel, then (on the
/// template tab) the sample values.
fn next_focus(state: &State, forward: bool) -> Focus {
    let fields = form_fields(state.connector.vendor).len();
    let mut order: Vec<Focus> = vec![Focus::Target];
    order.extend((0..fields).map(Focus::Field));
    order.push(Focus::Panel);
    if state.on_template_tab() {
        order.push(Focus::Samples);
    }
    let at = order.iter().position(|f| *f == state.focus).unwrap_or(0);
    let len = order.len();
    let next = if forward {
        (at + 1) % len
    } else {
        (at + len - 1) % len
    };
    order.get(next).copied().unwrap_or(Focus::Field(0))
}

/// The target picker: ←/→ switch targets (reconnecting), ↑/↓ move on.
fn target_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = keymap::lookup(Context::Form, &key);
    match action {
        Some(Action::PickPrev | Action::PickNext) => {
            let len = state.targets.len();
            if len < 2 {
                state.toast =
                    Some("only the sandbox: add [targets.NAME] to the config for more".into());
                return Vec::new();
            }
            let at = state
                .targets
                .iter()
                .position(|t| *t == state.target)
                .unwrap_or(0);
            let next = if action == Some(Action::PickNext) {
                (at + 1) % len
            } else {
                (at + len - 1) % len
            };
            state.target = state.targets.get(next).cloned().unwrap_or_default();
            state.target_label = format!("connecting to {}…", state.target);
            state.connected = false;
            state.live = false;
            vec![Effect::Connect {
                target: Some(state.target.clone()),
            }]
        }
        Some(Action::Down) => state.set_focus(Focus::Field(0)),
        Some(Action::Up) => Vec::new(),
        Some(other) => global(state, other).unwrap_or_default(),
        None if key.code == KeyCode::Char('?') => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn form_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(field) = state.focused_field() else {
        return Vec::new();
    };
    let textual = !matches!(field.kind, FieldKind::Choice { .. } | FieldKind::Bool);
    if textual && !has_ctrl_or_alt(&key) {
        let input = &mut state.form_input;
        let handled = match key.code {
            KeyCode::Char(c) => {
                if matches!(field.kind, FieldKind::Integer { .. }) && !c.is_ascii_digit() {
                    state.toast = Some(format!("{}: digits only", field.label));
                    return Vec::new();
                }
                input.insert(c);
                true
            }
            KeyCode::Backspace => {
                input.backspace();
                true
            }
            KeyCode::Delete => {
                input.delete();
                true
            }
            KeyCode::Left => {
                input.left();
                false
            }
            KeyCode::Right => {
                input.right();
                false
            }
            KeyCode::Home => {
                input.home();
                false
            }
            KeyCode::End => {
                input.end();
                false
            }
            _ => return form_action(state, key, field),
        };
        return if handled {
            commit_form(state)
        } else {
            Vec::new()
        };
    }
    form_action(state, key, field)
}

fn form_action(
    state: &mut State,
    key: KeyEvent,
    field: &'static crate::connector::FieldSpec,
) -> Vec<Effect> {
    let Some(action) = keymap::lookup(Context::Form, &key) else {
        if key.code == KeyCode::Char('?') {
            state.overlay = Some(Overlay::Help { scroll: 0 });
        }
        return Vec::new();
    };
    let Focus::Field(index) = state.focus else {
        return Vec::new();
    };
    match action {
        Action::Up if index == 0 => state.set_focus(Focus::Target),
        Action::Up => state.set_focus(Focus::Field(index - 1)),
        Action::Down => {
            let last = form_fields(state.connector.vendor).len().saturating_sub(1);
            let next = if index >= last {
                Focus::Panel
            } else {
                Focus::Field(index + 1)
            };
            state.set_focus(next)
        }
        Action::PickPrev | Action::PickNext => match field.kind {
            FieldKind::Choice { options } if !options.is_empty() => {
                let current = state
                    .connector
                    .text(field.key)
                    .or(field.default)
                    .and_then(|v| options.iter().position(|o| *o == v));
                let len = options.len();
                let next = match (current, action == Action::PickNext) {
                    (None, _) => 0,
                    (Some(i), true) => (i + 1) % len,
                    (Some(i), false) => (i + len - 1) % len,
                };
                let value = options.get(next).copied().unwrap_or_default();
                state.connector.set(field.key, value.into());
                state.load_form_input();
                edited(state, field.key)
            }
            FieldKind::Bool => {
                let current = state
                    .connector
                    .fields
                    .get(field.key)
                    .and_then(Value::as_bool);
                let default = field.default == Some("true");
                state
                    .connector
                    .set(field.key, Value::Bool(!current.unwrap_or(default)));
                edited(state, field.key)
            }
            _ => Vec::new(),
        },
        other => global(state, other).unwrap_or_default(),
    }
}

fn template_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if let Some(action) = keymap::lookup(Context::Template, &key)
        && let Some(effects) = global(state, action)
    {
        return effects;
    }
    if state.template.input(key) {
        sync_template(state)
    } else {
        Vec::new()
    }
}

/// Copies the template editor's text into the connector after an edit.
fn sync_template(state: &mut State) -> Vec<Effect> {
    let text = state.template.lines().join("\n");
    set_template(state, &text);
    edited(state, "body_template")
}

#[expect(clippy::too_many_lines, reason = "one arm per table action")]
fn table_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(action) = keymap::lookup(Context::Table, &key) else {
        return Vec::new();
    };
    if state.focus == Focus::Samples {
        return samples_action(state, action);
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let mut rows = state.tab_rows();
    let selected = state.selected_row();
    let tabs = panel_fields(state.connector.vendor).len();
    let writes = matches!(
        action,
        Action::Edit
            | Action::Add
            | Action::Delete
            | Action::Duplicate
            | Action::MoveUp
            | Action::MoveDown
            | Action::BulkEdit
    );
    if writes && state.tab_is_derived() {
        state.toast = Some(format!(
            "{} is read-only: derived from the template's variables",
            field.label
        ));
        return Vec::new();
    }
    let select = |state: &mut State, row: usize| {
        if let Some(slot) = state.rows.get_mut(state.tab) {
            *slot = row;
        }
    };
    match action {
        Action::Up => {
            select(state, selected.saturating_sub(1));
            Vec::new()
        }
        Action::Down => {
            select(state, (selected + 1).min(rows.len().saturating_sub(1)));
            Vec::new()
        }
        Action::PrevTab if tabs > 0 => {
            state.tab = (state.tab + tabs - 1) % tabs;
            Vec::new()
        }
        Action::NextTab if tabs > 0 => {
            state.tab = (state.tab + 1) % tabs;
            Vec::new()
        }
        Action::Edit if rows.is_empty() => add_row(state, field.key, rows, 0),
        Action::Edit => {
            let original = rows.get(selected).cloned();
            state.cell = Some(CellEdit {
                row: selected,
                column: Column::Name,
                input: LineInput::new(original.as_ref().map_or("", |r| r.name.as_str())),
                original,
            });
            Vec::new()
        }
        Action::Add => {
            let at = if rows.is_empty() { 0 } else { selected + 1 };
            add_row(state, field.key, rows, at)
        }
        Action::Delete if selected < rows.len() => {
            rows.remove(selected);
            select(state, selected.min(rows.len().saturating_sub(1)));
            set_rows(state, field.key, &rows)
        }
        Action::Duplicate if selected < rows.len() => {
            let copy = rows.get(selected).cloned().unwrap_or_default();
            rows.insert(selected + 1, copy);
            select(state, selected + 1);
            set_rows(state, field.key, &rows)
        }
        Action::MoveUp if selected > 0 && selected < rows.len() => {
            rows.swap(selected, selected - 1);
            select(state, selected - 1);
            set_rows(state, field.key, &rows)
        }
        Action::MoveDown if selected + 1 < rows.len() => {
            rows.swap(selected, selected + 1);
            select(state, selected + 1);
            set_rows(state, field.key, &rows)
        }
        Action::BulkEdit => {
            let text: Vec<String> = rows
                .iter()
                .map(|r| format!("{}: {}", r.name, r.value))
                .collect();
            let mut area = ratatui_textarea::TextArea::new(text);
            area.set_cursor_line_style(ratatui::style::Style::new());
            area.set_placeholder_text("Content-Type: application/json");
            state.overlay = Some(Overlay::Bulk {
                key: field.key,
                area: Box::new(area),
            });
            Vec::new()
        }
        Action::Reveal => {
            state.reveal = !state.reveal;
            state.toast = Some(
                if state.reveal {
                    "secrets revealed"
                } else {
                    "secrets masked"
                }
                .into(),
            );
            Vec::new()
        }
        other => global(state, other).unwrap_or_default(),
    }
}

fn add_row(state: &mut State, key: &str, mut rows: Vec<NameValue>, at: usize) -> Vec<Effect> {
    let at = at.min(rows.len());
    rows.insert(at, NameValue::default());
    if let Some(slot) = state.rows.get_mut(state.tab) {
        *slot = at;
    }
    state.cell = Some(CellEdit {
        row: at,
        column: Column::Name,
        input: LineInput::default(),
        original: None,
    });
    set_rows(state, key, &rows)
}

fn samples_action(state: &mut State, action: Action) -> Vec<Effect> {
    let count = state.preview.variables.len();
    match action {
        Action::Up => state.sample_row = state.sample_row.saturating_sub(1),
        Action::Down => state.sample_row = (state.sample_row + 1).min(count.saturating_sub(1)),
        Action::Edit => {
            if let Some(name) = state.preview.variables.get(state.sample_row) {
                let value = state.samples.get(name).cloned().unwrap_or_default();
                state.cell = Some(CellEdit {
                    row: state.sample_row,
                    column: Column::Value,
                    input: LineInput::new(&value),
                    original: Some(NameValue::new(name.clone(), value)),
                });
            }
        }
        Action::Add
        | Action::Delete
        | Action::Duplicate
        | Action::MoveUp
        | Action::MoveDown
        | Action::BulkEdit => {
            state.toast =
                Some("the variables come from the template; edit it to add or remove one".into());
        }
        other => return global(state, other).unwrap_or_default(),
    }
    Vec::new()
}

fn cell_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // A global command ends the cell edit (keeping what was typed) and then runs.
        state.cell = None;
        return match keymap::lookup(Context::Global, &key) {
            Some(action) => global(state, action).unwrap_or_default(),
            None => Vec::new(),
        };
    }
    let rows = state.tab_rows();
    let in_samples = state.focus == Focus::Samples;
    let Some(cell) = state.cell.as_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => return cancel_cell(state),
        KeyCode::Enter => {
            state.cell = None;
            return Vec::new();
        }
        KeyCode::Tab | KeyCode::BackTab if !in_samples => {
            let row = rows.get(cell.row).cloned().unwrap_or_default();
            cell.column = match cell.column {
                Column::Name => Column::Value,
                Column::Value => Column::Name,
            };
            cell.input = LineInput::new(match cell.column {
                Column::Name => &row.name,
                Column::Value => &row.value,
            });
            return Vec::new();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::ALT) => cell.input.insert(c),
        KeyCode::Backspace => cell.input.backspace(),
        KeyCode::Delete => cell.input.delete(),
        KeyCode::Left => cell.input.left(),
        KeyCode::Right => cell.input.right(),
        KeyCode::Home => cell.input.home(),
        KeyCode::End => cell.input.end(),
        _ => return Vec::new(),
    }
    write_cell(state)
}

/// Writes the cell being edited into its row (or sample), live, so validation follows typing.
pub(super) fn write_cell(state: &mut State) -> Vec<Effect> {
    let Some(cell) = state.cell.clone() else {
        return Vec::new();
    };
    if state.focus == Focus::Samples {
        let Some(name) = state.preview.variables.get(cell.row).cloned() else {
            return Vec::new();
        };
        state.samples.insert(name, cell.input.text);
        state.dirty = true;
        state.refresh_preview();
        return super::journal_effect(state);
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let mut rows = state.tab_rows();
    let Some(row) = rows.get_mut(cell.row) else {
        return Vec::new();
    };
    match cell.column {
        Column::Name => row.name = cell.input.text,
        Column::Value => row.value = cell.input.text,
    }
    set_rows(state, field.key, &rows)
}

fn cancel_cell(state: &mut State) -> Vec<Effect> {
    let Some(cell) = state.cell.take() else {
        return Vec::new();
    };
    if state.focus == Focus::Samples {
        if let Some(original) = cell.original {
            state.samples.insert(original.name, original.value);
            state.refresh_preview();
        }
        return Vec::new();
    }
    let Some(field) = state.tab_field() else {
        return Vec::new();
    };
    let mut rows = state.tab_rows();
    match cell.original {
        None if cell.row < rows.len() => {
            rows.remove(cell.row);
        }
        Some(original) => {
            if let Some(row) = rows.get_mut(cell.row) {
                *row = original;
            }
        }
        None => {}
    }
    set_rows(state, field.key, &rows)
}

pub(super) fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    match &mut state.overlay {
        Some(Overlay::Bulk { area, .. }) => {
            area.insert_str(text);
            return Vec::new();
        }
        Some(Overlay::SaveAs { input }) => {
            input.insert_str(text);
            return Vec::new();
        }
        Some(_) => return Vec::new(),
        None => {}
    }
    if let Some(cell) = state.cell.as_mut() {
        cell.input.insert_str(text);
        return write_cell(state);
    }
    match state.focus {
        Focus::Field(_) => {
            let integer = state
                .focused_field()
                .is_some_and(|f| matches!(f.kind, FieldKind::Integer { .. }));
            let text: String = if integer {
                text.chars().filter(char::is_ascii_digit).collect()
            } else {
                text.to_owned()
            };
            state.form_input.insert_str(&text);
            commit_form(state)
        }
        Focus::Panel if state.on_template_tab() => {
            state.template.insert_str(text);
            sync_template(state)
        }
        _ => Vec::new(),
    }
}

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
        Some(view::Hit::Field(i)) => state.set_focus(Focus::Field(i)),
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
        Some(view::Hit::Template) => state.set_focus(Focus::Panel),
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
            Overlay::Help { scroll }
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
        state.template.scroll((if down { 3 } else { -3 }, 0));
        return Vec::new();
    }
    let action = if down { Action::Down } else { Action::Up };
    if matches!(state.focus, Focus::Panel | Focus::Samples) {
        let key = KeyEvent::new(
            if down { KeyCode::Down } else { KeyCode::Up },
            KeyModifiers::NONE,
        );
        let _ = action;
        return table_key(state, key);
    }
    Vec::new()
}
