//! Keys on the browse screen (Ctrl-O): the list keys choose, Enter opens, `/` filters, and
//! the keymap's `Browse` rows create, delete (asking first) and refresh. Pure, like all of
//! `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context, Key};
use super::super::state::{Browse, BrowseEntry, LineInput, Overlay, State, Switch};
use super::prompt::edit_line;
use super::session::switch_or_ask;
use crossterm::event::KeyEvent;

pub(super) fn key(state: &mut State, mut browse: Browse, key: &KeyEvent) -> Vec<Effect> {
    let filtering = browse.filter.is_some();
    let action = if filtering {
        super::list::action(state, key, true)
    } else {
        state.keymap.lookup(Context::Browse, key)
    };
    if let Some(to) = super::list::moved(action, browse.selected, browse.entries().len()) {
        browse.selected = to;
        state.overlay = Some(Overlay::Browse(browse));
        return Vec::new();
    }
    match action {
        // Esc clears a filter first, then closes.
        Some(Action::Back) if filtering => {
            browse.filter = None;
            browse.selected = 0;
        }
        Some(Action::Back) => return Vec::new(),
        Some(Action::Confirm) => return open(state, browse),
        _ if filtering => {
            if let Some(filter) = browse.filter.as_mut() {
                edit_line(filter, key);
            }
            browse.selected = 0;
        }
        Some(Action::Filter) => browse.filter = Some(LineInput::default()),
        Some(Action::Refresh) => {
            state.overlay = Some(Overlay::Browse(browse));
            return vec![
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ];
        }
        Some(Action::New) => return switch_or_ask(state, Switch::New(state.doc.connector.vendor)),
        Some(Action::Delete) => return ask_delete(state, browse),
        _ => {}
    }
    state.overlay = Some(Overlay::Browse(browse));
    Vec::new()
}

/// Enter: opens the selected entry (an import entry opens its prompt).
fn open(state: &mut State, browse: Browse) -> Vec<Effect> {
    let switch = match browse.entries().get(browse.selected) {
        Some(BrowseEntry::Import(kind)) => {
            super::browse_import::open(state, *kind);
            return Vec::new();
        }
        Some(BrowseEntry::Remote(item)) => Switch::Remote {
            vendor: state.doc.connector.vendor,
            id: item.id.clone(),
        },
        Some(BrowseEntry::File(item)) => Switch::File {
            path: item.path.clone(),
            as_new: false,
        },
        Some(BrowseEntry::Example(item)) => Switch::File {
            path: item.path.clone(),
            as_new: true,
        },
        Some(BrowseEntry::New(vendor)) => Switch::New(*vendor),
        None => {
            state.overlay = Some(Overlay::Browse(browse));
            return Vec::new();
        }
    };
    switch_or_ask(state, switch)
}

/// Asks before deleting the selected file or remote connector; a LIVE target's connector
/// asks for the target's name.
fn ask_delete(state: &mut State, browse: Browse) -> Vec<Effect> {
    let live = !state.target_ref().is_sandbox();
    let (label, typed) = match browse.entries().get(browse.selected) {
        Some(BrowseEntry::Remote(item)) => (
            format!("remote connector {} ({})", item.id, item.name),
            live.then(LineInput::default),
        ),
        Some(BrowseEntry::File(item)) => (format!("file {}", item.path.display()), None),
        _ => {
            state.overlay = Some(Overlay::Browse(browse));
            return Vec::new();
        }
    };
    state.overlay = Some(Overlay::ConfirmDelete {
        browse,
        label,
        typed,
    });
    Vec::new()
}

/// The delete question: `y` deletes (a LIVE target: its name typed, then the confirm key),
/// `n` and Esc go back to the list.
pub(super) fn confirm_delete_key(
    state: &mut State,
    browse: Browse,
    label: String,
    mut typed: Option<LineInput>,
    key: &KeyEvent,
) -> (Option<Overlay>, Vec<Effect>) {
    let target = state.target_ref();
    let action = state.keymap.command(Context::Review, key);
    let confirmed = match &mut typed {
        None => Key::answers(key, 'y'),
        Some(input) if action == Some(Action::Confirm) => input.text == target.name,
        Some(input) => {
            edit_line(input, key);
            false
        }
    };
    if confirmed {
        let effect = match browse.entries().get(browse.selected) {
            Some(BrowseEntry::Remote(item)) => Some(Effect::DeleteRemote {
                vendor: state.doc.connector.vendor,
                id: item.id.clone(),
                target,
            }),
            Some(BrowseEntry::File(item)) => Some(Effect::DeleteFile(item.path.clone())),
            _ => None,
        };
        return (Some(Overlay::Browse(browse)), effect.into_iter().collect());
    }
    let back = state.keymap.lookup(Context::Review, key) == Some(Action::Back)
        || (typed.is_none() && Key::answers(key, 'n'));
    let next = if back {
        Overlay::Browse(browse)
    } else {
        Overlay::ConfirmDelete {
            browse,
            label,
            typed,
        }
    };
    (Some(next), Vec::new())
}
