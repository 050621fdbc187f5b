//! The browse screen shows each local file's state against the target: the file list asks
//! for the comparison (an effect), and its answer is shown on the file's row.

use super::*;
use crate::connector::SyncState;
use crate::tui::test_fixtures::{local, screen};

#[test]
fn browse_asks_for_the_files_states_and_shows_them_on_their_rows() {
    let mut s = state();
    super::open_browse(&mut s);
    let effects = update(
        &mut s,
        Msg::LocalListed {
            files: vec![local("a.json", "A"), local("b.json", "B")],
            examples: Vec::new(),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::SyncStates(vec!["a.json".into(), "b.json".into()])]
    );
    let _ = update(
        &mut s,
        Msg::SyncStates(vec![
            ("a.json".into(), SyncState::ChangedOnTarget),
            ("b.json".into(), SyncState::InSync),
        ]),
    );
    s.session.size = (100, 30);
    let screen = screen(&s);
    assert!(
        screen.contains("a.json  [changed on the target]  A"),
        "{screen}"
    );
    // Columns: the state cell is padded to the widest.
    assert!(
        screen.contains("b.json  [in sync]                B"),
        "{screen}"
    );
}

#[test]
fn a_submit_records_what_the_file_and_the_target_now_hold() {
    let mut s = state();
    let target = TargetRef::sandbox("http://127.0.0.1:1");
    s.overlay = Some(Overlay::Sending {
        request: 1,
        target: target.clone(),
    });
    let sent = s.doc.connector.outgoing();
    let mut stored = sent.clone();
    stored["id"] = json!(7);
    let _ = update(
        &mut s,
        Msg::Submitted {
            request: 1,
            stored: stored.clone(),
            changes: Vec::new(),
            id: Some("7".into()),
            created: true,
        },
    );
    assert_eq!(s.doc.connector.remote_id_for(&target), Some("7"));
    assert_eq!(
        crate::connector::sync::sync_state(&s.doc.connector, &target, &[stored]),
        SyncState::InSync
    );
    assert!(s.doc.connector.sync_base(&target).is_some());
}
