//! Submitting: the review of what will be sent (asking first about an id recorded without a
//! target), and what the target answered: the stored connector adopted, or the refusal placed
//! on its fields. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::msg::RemoteError;
use super::super::state::{LineInput, Overlay, State};
use crate::connector;
use serde_json::Value;

/// Ctrl-R: asks about an id recorded without a target first (it may be another target's
/// connector, so nothing is PUT to it unasked), then reviews.
pub(super) fn review(state: &mut State) {
    let target = state.target_ref();
    if let Some(id) = state.doc.connector.unbound_legacy_id(&target) {
        state.overlay = Some(Overlay::AdoptAsk {
            id: id.to_owned(),
            target,
        });
        return;
    }
    open_review(state, target);
}

/// Opens the review overlay: exactly what a submit to `target` sends, secrets masked. A live
/// target asks for its name to be typed before Enter sends.
pub(super) fn open_review(state: &mut State, target: connector::TargetRef) {
    let spec = state.doc.connector.spec();
    let (method, path) = crate::api::submit_request(&state.doc.connector, &target);
    let recreate = match (state.doc.connector.remote_id_for(&target), spec.update) {
        (Some(id), connector::UpdateMode::Recreate) => Some(format!(
            "{} has no update: confirming deletes connector {id} and creates it again",
            spec.label
        )),
        _ => None,
    };
    let blocked = state
        .findings
        .iter()
        .filter(|f| f.severity == connector::Severity::Error)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    state.overlay = Some(Overlay::Review {
        method,
        path,
        body: crate::api::submit_body(&state.doc.connector, &target),
        blocked,
        recreate,
        scroll: 0,
        typed: (!target.is_sandbox()).then(LineInput::default),
        target,
    });
}

/// When a submit to `target` failed because the connector it updates no longer exists there
/// (404 on the PUT): the target and that id, to offer creating it again.
fn gone(
    state: &State,
    target: &connector::TargetRef,
    error: &RemoteError,
) -> Option<(connector::TargetRef, String)> {
    let id = state.doc.connector.remote_id_for(target)?;
    let updates = !matches!(
        state.doc.connector.spec().update,
        connector::UpdateMode::Recreate
    );
    (error.status == Some(404) && updates).then(|| (target.clone(), id.to_owned()))
}

pub(super) fn submitted(
    state: &mut State,
    request: u64,
    stored: Value,
    changes: Vec<connector::FieldChange>,
    id: Option<String>,
    created: bool,
) -> Vec<Effect> {
    let target = match &state.overlay {
        Some(Overlay::Sending { request: r, target }) if *r == request => target.clone(),
        _ => return Vec::new(),
    };
    let vendor = state.doc.connector.vendor;
    if let Some(id) = id {
        state.doc.connector.set_remote_id(&target, id);
    }
    // Adopt what the server stored for the vendor's own fields; keep everything else as loaded.
    for change in &changes {
        if vendor.spec().field(&change.key).is_some() {
            match &change.stored {
                Some(v) => state.doc.connector.set(&change.key, v.clone()),
                None => {
                    state.doc.connector.fields.shift_remove(&change.key);
                }
            }
        }
    }
    // What the file (once saved) and the server hold in step: the base of its sync state.
    state.doc.connector.record_sync(&target, &stored);
    state.server_errors.clear();
    state.changes.clone_from(&changes);
    state.doc.dirty = true;
    state.refresh();
    state.load_form_input();
    state.reload_json();
    if super::super::state::has_link_state(vendor) {
        // The stored connector carries its state (a new or recreated one starts `created`).
        state.link = Some(super::super::state::LinkState::from_connector(&stored));
    }
    state.overlay = Some(Overlay::Response {
        created,
        stored,
        changes,
        scroll: 0,
    });
    super::journal::sync_journal(state)
}

/// The submit was refused (or the target not reached): the error's field messages land on
/// their fields (the client placed a conflict on the field that clashes), and the overlay
/// says why.
pub(super) fn failed(state: &mut State, request: u64, error: RemoteError) {
    if let Some(Overlay::Sending { request: r, target }) = &state.overlay
        && *r == request
    {
        let gone = gone(state, target, &error);
        state.server_errors.clone_from(&error.fields);
        state.overlay = Some(Overlay::SubmitError { error, gone });
    }
}
