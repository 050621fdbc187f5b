//! Key, mouse and paste handling for the editor's main screen: form fields, tables, the template
//! editor and the global actions. Overlays are in `overlay.rs`. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{
    CommandPalette, Focus, LineInput, MIN_HEIGHT, MIN_WIDTH, Overlay, State, form_fields,
    panel_fields,
};
use super::super::view;
use super::{commit_form, edited, picker, review, set_template};
use crate::api::fire;
use crate::connector::{self, FieldKind};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use serde_json::Value;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-C / Ctrl-Q mean quit from anywhere: an overlay closes (a request in flight is
    // cancelled) and the usual quit runs, asking first when there are unsaved changes.
    let quit = state.keymap.lookup(Context::Global, &key) == Some(Action::Quit);
    // "Terminal too small" hides the editor: keys typed blind must not edit it. Quitting (and
    // answering the quit question) still works, as the screen says.
    let blind = state.session.size.0 < MIN_WIDTH || state.session.size.1 < MIN_HEIGHT;
    if blind && !quit && !matches!(state.overlay, Some(Overlay::ConfirmQuit)) {
        return Vec::new();
    }
    if quit && !matches!(state.overlay, None | Some(Overlay::ConfirmQuit)) {
        let mut effects = Vec::new();
        if let Some(
            Overlay::Sending { request, .. }
            | Overlay::Firing { request, .. }
            | Overlay::Linking { request, .. },
        ) = state.overlay
        {
            effects.push(Effect::Cancel(request));
        }
        state.overlay = None;
        // Text typed in the overlay goes with it, as with Esc.
        state.drafted = false;
        state.quit_pending = false;
        state.cell = None;
        effects.extend(global(state, Action::Quit).unwrap_or_default());
        return effects;
    }
    if state.overlay.is_some() {
        return super::overlay::key(state, key);
    }
    if state.cell.is_some() {
        return super::table::cell_key(state, key);
    }
    match state.focus {
        Focus::Target => target_key(state, key),
        Focus::Field(_) => form_key(state, key),
        Focus::Panel if state.on_template_tab() => super::editor::template_key(state, key),
        Focus::Panel if state.on_json_tab() => super::editor::json_key(state, key),
        Focus::Panel | Focus::Samples => super::table::table_key(state, key),
    }
}

fn has_ctrl_or_alt(key: &KeyEvent) -> bool {
    key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The actions that mean the same everywhere on the main screen.
/// Quits, asking first when there are unsaved changes.
fn quit(state: &mut State) -> Vec<Effect> {
    let mut effects = commit_form(state);
    if state.doc.dirty {
        state.overlay = Some(Overlay::ConfirmQuit);
    } else {
        state.quit = true;
        if let Some(file) = &state.session.journal.file {
            effects.push(Effect::DiscardJournal(file.clone()));
        }
    }
    effects
}

/// The submit call, as `patchcord curl` prints it: the key named by its source, never the key
/// itself; masked values are named in the toast.
fn copy_curl(state: &mut State) -> Vec<Effect> {
    let mut target = state.target_ref();
    if target.base_url.is_empty() {
        state
            .doc
            .connector
            .spec()
            .default_base_url
            .clone_into(&mut target.base_url);
    }
    let key = match &state.session.target.key_source() {
        Some(source) => crate::api::curl::KeyShown::Source(source),
        None => crate::api::curl::KeyShown::Placeholder,
    };
    let curl = crate::api::curl::command(&state.doc.connector, &target, key, state.reveal);
    state.copy_label = match curl.masked_note() {
        Some(note) => format!("the submit call as curl ({note}; v reveals)"),
        None => "the submit call as curl".to_owned(),
    };
    vec![Effect::CopyToClipboard(curl.text)]
}

pub(super) fn global(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let effects = match action {
        Action::Quit => quit(state),
        Action::Help => {
            state.overlay = Some(Overlay::Help {
                scroll: 0,
                filter: None,
            });
            Vec::new()
        }
        Action::Palette => {
            let effects = commit_form(state);
            state.overlay = Some(Overlay::Palette(CommandPalette {
                query: LineInput::default(),
                selected: 0,
                context: state.key_context(),
            }));
            effects
        }
        Action::Problems => {
            let effects = commit_form(state);
            state.overlay = Some(Overlay::Problems { selected: 0 });
            effects
        }
        Action::Suspend => vec![Effect::Suspend],
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
        Action::Undo => super::undo::undo(state),
        Action::Redo => super::undo::redo(state),
        Action::Revert => super::undo::revert(state),
        Action::UndoImport => super::import::undo(state),
        Action::CopyCurl => copy_curl(state),
        Action::Browse => {
            state.overlay = Some(Overlay::Browse(super::super::state::Browse::default()));
            vec![
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ]
        }
        Action::Connect => {
            let mut effects = commit_form(state);
            effects.extend(super::link::ask_connect(state));
            effects
        }
        Action::Disconnect => {
            let mut effects = commit_form(state);
            effects.extend(super::link::disconnect(state));
            effects
        }
        Action::CopyLink => super::link::copy_link(state),
        // The template, or for a vendor without one its JSON field (Cargo's config).
        Action::ExternalEditor => vec![Effect::EditExternally(if external_edits_json(state) {
            state.json.text()
        } else {
            state
                .doc
                .connector
                .template()
                .unwrap_or_default()
                .to_owned()
        })],
        Action::NextFocus => {
            let next = next_focus(state, true);
            state.set_focus(next)
        }
        Action::PrevFocus => {
            let next = next_focus(state, false);
            state.set_focus(next)
        }
        Action::SelectTab(tab) => {
            if tab < panel_fields(state.doc.connector.vendor).len() {
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
    if let Some(path) = &state.doc.file {
        vec![Effect::Save {
            path: path.clone(),
            connector: Box::new(state.doc.connector.clone()),
            samples: state.doc.samples.clone(),
            base: state.doc.disk,
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
    match fire::build(&state.doc.connector, &state.doc.samples) {
        Ok(request) => {
            let id = state.new_request();
            state.overlay = Some(Overlay::Firing {
                request: id,
                fire: Box::new(request.clone()),
            });
            effects.push(Effect::Fire {
                request: id,
                fire: request,
                file: state.doc.file.clone(),
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
    let fields = form_fields(state.doc.connector.vendor).len();
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
    let action = state.keymap.lookup(Context::Form, &key);
    match action {
        Some(Action::PickPrev | Action::PickNext) => {
            picker::step_target(state, action == Some(Action::PickNext))
        }
        Some(Action::Down) => state.set_focus(Focus::Field(0)),
        Some(Action::Up) => Vec::new(),
        Some(other) => global(state, other).unwrap_or_default(),
        None if key.code == KeyCode::Char('?') => {
            state.overlay = Some(Overlay::Help {
                scroll: 0,
                filter: None,
            });
            Vec::new()
        }
        None => match key.code {
            KeyCode::Char(c) if !has_ctrl_or_alt(&key) => picker::jump_target(state, c),
            _ => Vec::new(),
        },
    }
}

fn form_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(field) = state.focused_field() else {
        return Vec::new();
    };
    let textual = !matches!(field.kind, FieldKind::Choice { .. } | FieldKind::Bool);
    let edits = matches!(
        key.code,
        KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
    );
    if state.read_only(field) && edits && !has_ctrl_or_alt(&key) {
        state.toast = Some(format!(
            "{} is fixed once created (the update cannot change it)",
            field.label
        ));
        return Vec::new();
    }
    // A rate's ←/→ pick its unit; its number is typed.
    let unit_rate = matches!(field.kind, FieldKind::UnitRate { .. });
    if unit_rate && matches!(key.code, KeyCode::Left | KeyCode::Right) {
        return form_action(state, key, field);
    }
    if textual && !has_ctrl_or_alt(&key) {
        let input = &mut state.form_input;
        let handled = match key.code {
            KeyCode::Char(c) if unit_rate && picker::picks(field, c) => {
                return picker::jump(state, field, c);
            }
            KeyCode::Char(c) => {
                if (matches!(field.kind, FieldKind::Integer { .. }) || unit_rate)
                    && !c.is_ascii_digit()
                {
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
    let Some(action) = state.keymap.lookup(Context::Form, &key) else {
        return match key.code {
            KeyCode::Char('?') => {
                state.overlay = Some(Overlay::Help {
                    scroll: 0,
                    filter: None,
                });
                Vec::new()
            }
            // A picker jumps to the first choice starting with the letter typed.
            KeyCode::Char(c) if !has_ctrl_or_alt(&key) => picker::jump(state, field, c),
            _ => Vec::new(),
        };
    };
    let Focus::Field(index) = state.focus else {
        return Vec::new();
    };
    match action {
        Action::Up if index == 0 => state.set_focus(Focus::Target),
        Action::Up => state.set_focus(Focus::Field(index - 1)),
        Action::Down => {
            let last = form_fields(state.doc.connector.vendor)
                .len()
                .saturating_sub(1);
            let next = if index >= last {
                Focus::Panel
            } else {
                Focus::Field(index + 1)
            };
            state.set_focus(next)
        }
        Action::PickPrev | Action::PickNext => {
            picker::step(state, field, action == Action::PickNext)
        }
        other => global(state, other).unwrap_or_default(),
    }
}

/// Whether `$EDITOR` gets the JSON field rather than the template (a vendor without a template).
pub(super) fn external_edits_json(state: &State) -> bool {
    let vendor = state.doc.connector.vendor;
    vendor.spec().template_field.is_none() && crate::tui::state::json_field(vendor).is_some()
}

/// Writes the JSON editor's text into its field: the parsed value when it is JSON, else the
/// text itself (validation and the editor's title say what is wrong; nothing typed is lost).
/// An empty editor removes the field.
pub(super) fn sync_json(state: &mut State) -> Vec<Effect> {
    let Some(field) = crate::tui::state::json_field(state.doc.connector.vendor) else {
        return Vec::new();
    };
    let text = state.json.text();
    if text.trim().is_empty() {
        state.doc.connector.fields.shift_remove(field.key);
    } else {
        let value = match serde_json::from_str::<Value>(&text) {
            // A bare JSON string is kept as typed, quotes and all, so it reads back the same.
            Ok(Value::String(_)) | Err(_) => Value::String(text),
            Ok(value) => value,
        };
        state.doc.connector.set(field.key, value);
    }
    edited(state, field.key)
}

/// Copies the template editor's text into the connector after an edit.
pub(super) fn sync_template(state: &mut State) -> Vec<Effect> {
    let text = state.template.text();
    set_template(state, text);
    edited(state, "body_template")
}

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
            return super::session::sync_journal(state);
        }
        Some(Overlay::SaveAs { input } | Overlay::SpecPath { input, .. }) => {
            input.insert_str(&one_line(text));
            state.drafted = true;
            return super::session::sync_journal(state);
        }
        Some(Overlay::Operations(pick)) => {
            pick.filter.insert_str(&one_line(text));
            pick.selected = 0;
            state.drafted = true;
            return super::session::sync_journal(state);
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
    let action = if down { Action::Down } else { Action::Up };
    if matches!(state.focus, Focus::Panel | Focus::Samples) {
        let key = KeyEvent::new(
            if down { KeyCode::Down } else { KeyCode::Up },
            KeyModifiers::NONE,
        );
        let _ = action;
        return super::table::table_key(state, key);
    }
    Vec::new()
}
