//! The actions that mean the same everywhere on the main screen (save, submit, try it, the
//! overlays, undo, the focus and the tabs), whichever area has the focus. Pure, like all of
//! `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{
    Browse, CommandPalette, Focus, LineInput, Overlay, State, form_fields, panel_fields,
};
use super::document::{commit_form, external_edits_json};
use crate::api::fire;

/// Runs a global action; `None` when the action is not one of them.
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
            effects.extend(super::session::save(state));
            effects
        }
        Action::Review => {
            let effects = commit_form(state);
            super::submit::review(state);
            effects
        }
        Action::TryIt => try_it(state),
        Action::TrySelect | Action::TryRows => super::try_select::from_main(state, action),
        Action::Undo => super::undo::undo(state),
        Action::Redo => super::undo::redo(state),
        Action::Revert => super::undo::revert(state),
        Action::UndoImport => super::import::undo(state),
        Action::CopyCurl => copy_curl(state),
        Action::Browse => {
            state.overlay = Some(Overlay::Browse(Browse::default()));
            vec![
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ]
        }
        Action::Connect | Action::Disconnect | Action::CopyLink => link(state, action),
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
        _ => return focus(state, action),
    };
    Some(effects)
}

/// Agent Stack's connection keys.
fn link(state: &mut State, action: Action) -> Vec<Effect> {
    if action == Action::CopyLink {
        return super::link::copy_link(state);
    }
    let mut effects = commit_form(state);
    effects.extend(if action == Action::Connect {
        super::link::ask_connect(state)
    } else {
        super::link::disconnect(state)
    });
    effects
}

/// The focus and the tabs.
fn focus(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    Some(match action {
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
    })
}

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
        Some(note) => format!(
            "the submit call as curl ({note}; {} reveals)",
            state.keymap.key(Context::Table, "v")
        ),
        None => "the submit call as curl".to_owned(),
    };
    vec![Effect::CopyToClipboard(curl.text)]
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
