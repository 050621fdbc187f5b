//! Where a submit or a delete goes: the review names the target and marks LIVE; on a live
//! target Enter alone sends nothing until the target's name is typed, on the sandbox Enter
//! sends; an id recorded without a target is asked about before any PUT; a 404 on an update
//! offers to create the connector again; ids are recorded for the target they came from.

use super::*;
use crate::tui::msg::RemoteItem;

fn prod() -> TargetRef {
    TargetRef::new("prod", "https://api.databar.ai")
}

fn connected(s: &mut State, target: TargetRef) {
    update(
        s,
        Msg::Connected {
            target,
            key_source: None,
        },
    );
}

fn live() -> State {
    let mut s = state();
    s.session.target.names = vec!["sandbox".into(), "prod".into()];
    s.session.target.picked = "prod".into();
    connected(&mut s, prod());
    s
}

fn submits(effects: &[Effect]) -> Vec<(TargetRef, bool)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Submit {
                target, recreate, ..
            } => Some((target.clone(), *recreate)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_review_names_a_live_target_and_enter_alone_sends_nothing() {
    let mut s = live();
    ctrl(&mut s, 'r');
    let Some(Overlay::Review {
        target,
        typed: input,
        path,
        ..
    }) = &s.overlay
    else {
        panic!("no review: {:?}", s.overlay);
    };
    assert_eq!(*target, prod());
    assert!(input.is_some(), "a live target asks for its name");
    assert_eq!(path, "https://api.databar.ai/v1/connectors/");
    // Enter, twice, and the keys that confirm or close elsewhere: nothing is sent.
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(s.toast.as_deref().unwrap().contains("type prod to send"));
    assert!(typed(&mut s, "yqn").is_empty());
    assert!(
        matches!(s.overlay, Some(Overlay::Review { .. })),
        "n and q are typed, not a close"
    );
    for _ in 0..3 {
        press(&mut s, KeyCode::Backspace);
    }
    // A wrong name does not send either.
    typed(&mut s, "pro");
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    typed(&mut s, "d");
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(submits(&effects), vec![(prod(), false)]);
    assert!(matches!(&s.overlay, Some(Overlay::Sending { target, .. }) if *target == prod()));
}

#[test]
fn enter_sends_on_the_sandbox() {
    let mut s = state();
    connected(&mut s, TargetRef::sandbox("http://127.0.0.1:8765"));
    ctrl(&mut s, 'r');
    assert!(matches!(
        &s.overlay,
        Some(Overlay::Review { typed: None, .. })
    ));
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(
        submits(&effects),
        vec![(TargetRef::sandbox("http://127.0.0.1:8765"), false)]
    );
}

#[test]
fn an_id_is_recorded_for_the_target_it_came_from_and_used_only_there() {
    let mut s = live();
    ctrl(&mut s, 'r');
    typed(&mut s, "prod");
    let effects = press(&mut s, KeyCode::Enter);
    let [Effect::Submit { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let answer = Msg::Submitted {
        request: *request,
        stored: json!({"id": 7}),
        changes: Vec::new(),
        id: Some("7".into()),
        created: true,
    };
    update(&mut s, answer);
    assert_eq!(s.doc.connector.remote_id_for(&prod()), Some("7"));
    press(&mut s, KeyCode::Esc);
    // On another target the connector does not exist yet: the review creates it there.
    connected(&mut s, TargetRef::new("staging", "https://staging.example"));
    assert_eq!(s.remote_id(), None);
    ctrl(&mut s, 'r');
    assert!(matches!(
        &s.overlay,
        Some(Overlay::Review { method: "POST", .. })
    ));
    press(&mut s, KeyCode::Esc);
    connected(&mut s, prod());
    ctrl(&mut s, 'r');
    assert!(
        matches!(&s.overlay, Some(Overlay::Review { method: "PUT", path, .. }) if path.ends_with("/v1/connectors/7"))
    );
}

#[test]
fn a_legacy_id_is_asked_about_then_bound_or_created_anew() {
    let mut s = live();
    s.doc.connector.legacy_id = Some("42".into());
    ctrl(&mut s, 'r');
    assert!(
        matches!(&s.overlay, Some(Overlay::AdoptAsk { id, target }) if id == "42" && *target == prod())
    );
    // No: a new connector on prod; the legacy id is not sent anywhere.
    press(&mut s, KeyCode::Char('n'));
    assert!(matches!(
        &s.overlay,
        Some(Overlay::Review { method: "POST", .. })
    ));
    press(&mut s, KeyCode::Esc);
    // Nothing was created, so the next submit asks again; Esc cancels.
    ctrl(&mut s, 'r');
    assert!(matches!(&s.overlay, Some(Overlay::AdoptAsk { .. })));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    // Yes: bound to prod (an unsaved, journaled edit), then reviewed as an update.
    ctrl(&mut s, 'r');
    let effects = press(&mut s, KeyCode::Char('y'));
    assert!(
        matches!(effects.last(), Some(Effect::Journal { .. })),
        "{effects:?}"
    );
    assert!(s.doc.dirty);
    assert_eq!(s.doc.connector.remote_id_for(&prod()), Some("42"));
    assert_eq!(s.doc.connector.legacy_id, None);
    assert!(
        matches!(&s.overlay, Some(Overlay::Review { method: "PUT", path, .. }) if path.ends_with("/v1/connectors/42"))
    );
    press(&mut s, KeyCode::Esc);
    ctrl(&mut s, 'r');
    assert!(
        matches!(&s.overlay, Some(Overlay::Review { .. })),
        "asked once"
    );
}

fn fail(s: &mut State, status: u16) {
    let Some(Overlay::Sending { request, .. }) = s.overlay else {
        panic!("not sending: {:?}", s.overlay);
    };
    let error = RemoteError {
        status: Some(status),
        message: "the server rejected the request (404 Not Found): Connector not found".into(),
        fields: Vec::new(),
    };
    update(s, Msg::SubmitFailed { request, error });
}

#[test]
fn an_update_answering_404_offers_to_create_it_again() {
    let mut s = state();
    s.doc.connector.set_remote_id(&sandbox(), "7".into());
    ctrl(&mut s, 'r');
    press(&mut s, KeyCode::Enter).expect(&[|e| matches!(e, Effect::Submit { .. })]);
    fail(&mut s, 404);
    assert!(
        matches!(&s.overlay, Some(Overlay::SubmitError { gone: Some((t, id)), .. }) if *t == sandbox() && id == "7")
    );
    press(&mut s, KeyCode::Char('c'));
    assert_eq!(s.remote_id(), None, "the dead id is forgotten");
    assert!(s.doc.dirty);
    assert!(matches!(
        &s.overlay,
        Some(Overlay::Review { method: "POST", .. })
    ));
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(submits(&effects).len(), 1);
    // A create that answers 404 has nothing to create again.
    fail(&mut s, 404);
    assert!(matches!(
        &s.overlay,
        Some(Overlay::SubmitError { gone: None, .. })
    ));
    assert!(press(&mut s, KeyCode::Char('c')).is_empty());
}

#[test]
fn deleting_a_remote_connector_on_a_live_target_needs_its_name() {
    let mut s = live();
    super::open_browse(&mut s);
    update(
        &mut s,
        Msg::RemoteListed(Ok(vec![RemoteItem {
            id: "3".into(),
            name: "Remote".into(),
            method: "get".into(),
            url: "https://x".into(),
            state: String::new(),
        }])),
    );
    press(&mut s, KeyCode::Char('d'));
    assert!(matches!(
        &s.overlay,
        Some(Overlay::ConfirmDelete { typed: Some(_), .. })
    ));
    assert!(
        press(&mut s, KeyCode::Char('y')).is_empty(),
        "y is typed, not a yes"
    );
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    press(&mut s, KeyCode::Backspace);
    typed(&mut s, "prod");
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::DeleteRemote {
            vendor: Vendor::Databar,
            id: "3".into(),
            target: prod(),
        }]
    );
}

#[test]
fn a_rebound_confirm_key_confirms_and_enter_no_longer_does() {
    let keys = vec!["ctrl-g".to_owned()];
    let mut s = state();
    s.keymap = crate::tui::keymap::Keymap::with_overrides([("confirm", keys.as_slice())])
        .expect("valid keys");
    ctrl(&mut s, 'r');
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert_eq!(submits(&ctrl(&mut s, 'g')).len(), 1);
}
