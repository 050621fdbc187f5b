//! Agent Stack's connection to its MCP server: reading the state when a connector is opened or
//! the target changes, connect (with an optional redirect URL) and disconnect with a spinner and
//! cancel, and copying the authorization link. Pure, like all of `update`.

use super::super::effect::{Effect, LinkAction};
use super::super::keymap::{Action, Context};
use super::super::msg::RemoteError;
use super::super::state::{LineInput, LinkState, Overlay, State, has_link_state};
use crossterm::event::KeyEvent;

/// Asks the target for the connector's state, when the vendor has one and the connector exists
/// there (an id recorded for this target). The answer is dropped if another fetch or the
/// document changed meanwhile.
pub(super) fn fetch(state: &mut State) -> Vec<Effect> {
    let vendor = state.doc.connector.vendor;
    let Some(id) = state.remote_id().map(str::to_owned) else {
        return Vec::new();
    };
    if !has_link_state(vendor) || !state.session.target.connected() {
        return Vec::new();
    }
    let request = state.new_request();
    let link = state.link.get_or_insert_with(LinkState::default);
    link.fetching = Some(request);
    vec![Effect::Link {
        request,
        vendor,
        id,
        action: LinkAction::Fetch,
        target: state.target_ref(),
    }]
}

/// Why a connect or disconnect cannot start, if it cannot.
fn blocked(state: &State) -> Option<String> {
    let spec = state.doc.connector.spec();
    if !has_link_state(state.doc.connector.vendor) {
        return Some(format!("{} connectors have no connect", spec.label));
    }
    if state.remote_id().is_none() {
        let target = state.target_ref();
        let submit = state.keymap.keys_for(Context::Global, Action::Review);
        return Some(match state.doc.connector.unbound_legacy_id(&target) {
            Some(id) => format!(
                "Id {id} was recorded without a target. Submit ({submit}) answers whether it is on {}.",
                target.name
            ),
            None => format!(
                "Submit it first ({submit}): connect works on the connector stored on the target."
            ),
        });
    }
    if !state.session.target.connected() {
        return Some("Not connected to a target yet.".into());
    }
    None
}

/// For vendors without a connection the keys only say so, in the status bar.
fn not_applicable(state: &mut State) -> bool {
    if has_link_state(state.doc.connector.vendor) {
        return false;
    }
    state.toast = Some(format!(
        "{} connectors have no connect or disconnect",
        state.doc.connector.spec().label
    ));
    true
}

/// Ctrl-K: asks for an optional redirect URL, then connects.
pub(super) fn ask_connect(state: &mut State) -> Vec<Effect> {
    if not_applicable(state) {
        return Vec::new();
    }
    match blocked(state) {
        Some(why) => {
            state.overlay = Some(Overlay::Message {
                title: "Cannot connect".into(),
                text: why,
            });
        }
        None => {
            state.overlay = Some(Overlay::ConnectAsk {
                input: LineInput::default(),
            });
        }
    }
    Vec::new()
}

/// Ctrl-D: disconnects the connector (the server refuses unless `connected` or `auth_required`).
pub(super) fn disconnect(state: &mut State) -> Vec<Effect> {
    if not_applicable(state) {
        return Vec::new();
    }
    if let Some(why) = blocked(state) {
        state.overlay = Some(Overlay::Message {
            title: "Cannot disconnect".into(),
            text: why,
        });
        return Vec::new();
    }
    start(state, LinkAction::Disconnect)
}

fn start(state: &mut State, action: LinkAction) -> Vec<Effect> {
    let Some(id) = state.remote_id().map(str::to_owned) else {
        return Vec::new();
    };
    let request = state.new_request();
    let verb = match action {
        LinkAction::Disconnect => "disconnecting",
        _ => "connecting",
    };
    state.overlay = Some(Overlay::Linking { request, verb });
    vec![Effect::Link {
        request,
        vendor: state.doc.connector.vendor,
        id,
        action,
        target: state.target_ref(),
    }]
}

/// Ctrl-L: the authorization link to the clipboard.
pub(super) fn copy_link(state: &mut State) -> Vec<Effect> {
    if let Some(link) = state
        .link
        .as_ref()
        .and_then(|l| l.authorization_endpoint.clone())
    {
        "the authorization link".clone_into(&mut state.copy_label);
        vec![Effect::CopyToClipboard(link)]
    } else {
        let connect = state.keymap.keys_for(Context::Global, Action::Connect);
        state.toast = Some(format!("no authorization link (connect first: {connect})"));
        Vec::new()
    }
}

/// The connect prompt's keys: type a redirect URL, Enter connects, Esc cancels.
pub(super) fn ask_key(state: &mut State, mut input: LineInput, key: &KeyEvent) -> Vec<Effect> {
    match super::prompt::action(state, key) {
        Some(Action::Back) => Vec::new(),
        Some(Action::Confirm) => {
            let url = input.text.trim();
            let redirect_url = (!url.is_empty()).then(|| url.to_owned());
            start(state, LinkAction::Connect { redirect_url })
        }
        _ => {
            super::prompt::edit_line(&mut input, key);
            state.overlay = Some(Overlay::ConnectAsk { input });
            Vec::new()
        }
    }
}

/// What a status means for a connect or disconnect, in words.
fn explain(error: &RemoteError) -> String {
    let why = match error.status {
        Some(502) => "the MCP server answered with an error (502, upstream failed)",
        Some(504) => "the MCP server could not be reached (504, unreachable)",
        Some(400) => "not possible in the connector's current state (400)",
        Some(404) => "the target has no such connector (404): submit it first",
        _ => "",
    };
    if why.is_empty() {
        error.message.clone()
    } else {
        format!("{why}\n{}", error.message)
    }
}

/// A state read, connect or disconnect answered. Stale answers are dropped.
pub(super) fn linked(
    state: &mut State,
    request: u64,
    result: Result<LinkState, RemoteError>,
) -> Vec<Effect> {
    if let Some(Overlay::Linking { request: r, verb }) = state.overlay {
        if r != request {
            return Vec::new();
        }
        state.overlay = None;
        match result {
            Ok(link) => {
                state.toast = Some(match link.state.as_deref() {
                    Some("auth_required") => format!(
                        "auth_required: open the authorization link ({} copies it)",
                        state.keymap.keys_for(Context::Global, Action::CopyLink)
                    ),
                    Some(other) => format!("now {other}"),
                    None => "done".into(),
                });
                state.link = Some(link);
            }
            Err(error) => {
                let status = error.status.map(|s| format!(" ({s})")).unwrap_or_default();
                let link = state.link.get_or_insert_with(LinkState::default);
                link.error = Some(format!(
                    "{verb} failed{status}: {}",
                    explain(&error).lines().next().unwrap_or_default()
                ));
                let title = if verb == "disconnecting" {
                    "Disconnect failed"
                } else {
                    "Connect failed"
                };
                state.overlay = Some(Overlay::Message {
                    title: format!("{title}{status}"),
                    text: explain(&error),
                });
            }
        }
        return Vec::new();
    }
    if state.link.as_ref().and_then(|l| l.fetching) != Some(request) {
        return Vec::new();
    }
    state.link = Some(match result {
        Ok(link) => link,
        Err(error) => LinkState {
            error: Some(format!(
                "state unknown: {}",
                explain(&error).lines().next().unwrap_or_default()
            )),
            ..LinkState::default()
        },
    });
    Vec::new()
}
