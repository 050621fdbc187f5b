//! The session's journal, lock and on-disk prompts, as `update` sees them: the effects that
//! would run and what the screen would say.

use super::super::super::effect::Effect;
use super::super::super::msg::Msg;
use super::super::super::state::{Overlay, State};
use super::super::{exit, update};
use super::{alt, ctrl, focus_field, press, typed};
use crate::connector::Connector;
use crate::files::Stamp;
use crate::files::journal::{Draft, Entry, Snapshot};
use crate::template::Samples;
use crossterm::event::KeyCode;
use std::path::PathBuf;

/// The session's record for `scoring.json`, named the way the editor names it.
fn record() -> PathBuf {
    crate::files::journal::file_for(
        std::path::Path::new("/journal"),
        Some(std::path::Path::new("scoring.json")),
        "",
    )
}

fn state() -> State {
    let mut s = super::state();
    s.session.journal.file = Some(record());
    s
}

fn screen(state: &State) -> String {
    crate::tui::test_fixtures::screen_at(state, 120, 30)
}

fn journaled(effects: &[Effect]) -> Option<&Snapshot> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Journal { file, snapshot } if *file == record() => Some(&**snapshot),
        _ => None,
    })
}

fn entry(file: &str, path: Option<&str>, name: &str, draft: Option<Draft>) -> Entry {
    let mut connector = Connector::new(crate::connector::Vendor::Databar);
    connector.set("name", name.into());
    Entry {
        journal_file: PathBuf::from(file),
        saved_at: "2026-01-01T00:00:00Z".into(),
        snapshot: Snapshot {
            path: path.map(PathBuf::from),
            base: None,
            connector,
            samples: Samples::new(),
            draft,
        },
        changed_on_disk: false,
    }
}

#[test]
fn text_typed_in_the_bulk_editor_is_journaled_and_cancelling_forgets_it() {
    let mut s = state();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('b'));
    assert!(matches!(s.overlay, Some(Overlay::Bulk { .. })));
    press(&mut s, KeyCode::End);
    press(&mut s, KeyCode::Enter);
    let effects = typed(&mut s, "X-Trace: 12345");
    assert!(!s.doc.dirty, "the connector itself is unchanged");
    let snapshot = journaled(&effects).expect("every typed key is journaled");
    assert_eq!(
        snapshot.draft,
        Some(Draft::Bulk {
            field: "headers".into(),
            text: "Content-Type: application/json\nX-Trace: 12345".into()
        })
    );
    let effects = update(&mut s, Msg::Paste("6".into()));
    assert!(
        journaled(&effects)
            .and_then(|snap| snap.draft.as_ref())
            .is_some_and(|d| d.text().ends_with("X-Trace: 123456")),
        "{effects:?}"
    );
    // Esc throws the text away on purpose: nothing is left to recover.
    let effects = press(&mut s, KeyCode::Esc);
    assert_eq!(effects, vec![Effect::DiscardJournal(record())]);
    assert!(!s.drafted);
}

#[test]
fn applying_the_bulk_edit_journals_the_rows_without_the_draft() {
    let mut s = state();
    alt(&mut s, '1');
    press(&mut s, KeyCode::Char('b'));
    typed(&mut s, "X-");
    let effects = ctrl(&mut s, 's');
    let snapshot = journaled(&effects).unwrap();
    assert_eq!(snapshot.draft, None);
    assert!(s.doc.dirty);
    assert_eq!(
        snapshot.connector.name_values("headers")[0].name,
        "X-Content-Type"
    );
}

#[test]
fn the_save_as_name_and_the_redirect_url_are_journaled_too() {
    let mut s = state();
    s.doc.file = None;
    ctrl(&mut s, 's');
    let effects = typed(&mut s, "x");
    assert!(matches!(
        journaled(&effects).and_then(|snap| snap.draft.clone()),
        Some(Draft::SaveAs { text }) if text == "scoring.jsonx"
    ));
}

#[test]
fn several_pending_journals_are_one_list_to_recover_or_discard() {
    let mut s = state();
    s.overlay = Some(Overlay::Recover {
        entries: vec![
            entry("/journal/a.json", Some("scoring.json"), "Mine", None),
            entry("/journal/b.json", Some("/w/other.json"), "Other", None),
            entry("/journal/c.json", None, "Brand new", None),
        ],
        selected: 0,
    });
    let shown = screen(&s);
    assert!(shown.contains("3 sets of unsaved edits"), "{shown}");
    assert!(
        shown.contains("› scoring.json: connector \"Mine\""),
        "{shown}"
    );
    assert!(
        shown.contains("/w/other.json: connector \"Other\""),
        "{shown}"
    );
    assert!(
        shown.contains("a new connector: connector \"Brand new\""),
        "{shown}"
    );
    press(&mut s, KeyCode::Down);
    assert!(screen(&s).contains("› /w/other.json"));
    // d discards the selected one; the others stay listed.
    let effects = press(&mut s, KeyCode::Char('d'));
    assert_eq!(
        effects,
        vec![Effect::DiscardJournal(PathBuf::from("/journal/b.json"))]
    );
    let Some(Overlay::Recover { entries, selected }) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(*selected, 1);
    press(&mut s, KeyCode::Up);
    // y recovers: the new record is written before the old one goes.
    let effects = press(&mut s, KeyCode::Char('y'));
    assert!(s.overlay.is_none());
    assert_eq!(s.doc.connector.text("name"), Some("Mine"));
    assert!(s.doc.dirty);
    let journal_at = effects
        .iter()
        .position(|e| matches!(e, Effect::Journal { .. }))
        .unwrap();
    let discard_at = effects
        .iter()
        .position(|e| *e == Effect::DiscardJournal(PathBuf::from("/journal/a.json")))
        .unwrap();
    assert!(journal_at < discard_at, "{effects:?}");
    assert!(
        s.toast
            .as_deref()
            .unwrap()
            .contains("recovered unsaved edits")
    );
}

#[test]
fn recovering_edits_to_another_file_moves_the_session_to_it() {
    let mut s = state();
    s.overlay = Some(Overlay::Recover {
        entries: vec![entry(
            "/journal/b.json",
            Some("/w/other.json"),
            "Other",
            None,
        )],
        selected: 0,
    });
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(s.doc.file, Some(PathBuf::from("/w/other.json")));
    let moved = s.session.journal.file.clone().unwrap();
    assert_ne!(moved, record());
    assert_eq!(effects[0], Effect::Release(record()));
    assert_eq!(
        effects[1],
        Effect::Claim {
            journal_file: moved,
            path: Some(PathBuf::from("/w/other.json"))
        }
    );
}

#[test]
fn a_recovered_draft_reopens_its_overlay_with_the_text() {
    let mut s = state();
    let draft = Draft::Bulk {
        field: "headers".into(),
        text: "X-Trace: 12345".into(),
    };
    let mut e = entry(
        "/journal/a.json",
        Some("scoring.json"),
        "Mine",
        Some(draft.clone()),
    );
    e.changed_on_disk = true;
    s.overlay = Some(Overlay::Recover {
        entries: vec![e],
        selected: 0,
    });
    let shown = screen(&s);
    assert!(
        shown.contains("with 14 characters typed in the bulk editor of headers"),
        "{shown}"
    );
    assert!(shown.contains("the file changed on disk after"), "{shown}");
    let effects = press(&mut s, KeyCode::Char('y'));
    let Some(Overlay::Bulk { key, area }) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(*key, "headers");
    assert_eq!(area.lines(), ["X-Trace: 12345"]);
    assert_eq!(journaled(&effects).unwrap().draft, Some(draft));
    assert!(s.toast.as_deref().unwrap().contains("a save asks first"));
    // Typing goes on where it stopped.
    typed(&mut s, "6");
    let Some(Overlay::Bulk { area, .. }) = &s.overlay else {
        panic!()
    };
    assert_eq!(area.lines(), ["X-Trace: 123456"]);
}

#[test]
fn a_file_changed_on_disk_asks_overwrite_reload_or_save_as() {
    let base = Stamp {
        connector: Some(1),
        samples: None,
    };
    let mut s = state();
    s.doc.disk = Some(base);
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    let effects = ctrl(&mut s, 's');
    assert!(
        matches!(effects.as_slice(), [Effect::Save { base: Some(b), .. }] if *b == base),
        "the save checks what was loaded: {effects:?}"
    );
    update(&mut s, Msg::SaveConflict(PathBuf::from("scoring.json")));
    let shown = screen(&s);
    assert!(
        shown.contains("scoring.json changed on disk since it was opened or saved"),
        "{shown}"
    );
    assert!(
        shown.contains("o overwrite · r reload · a save as · Esc cancel"),
        "{shown}"
    );
    // Overwrite: the same save, unconditional.
    let effects = press(&mut s, KeyCode::Char('o'));
    assert!(
        matches!(effects.as_slice(), [Effect::Save { base: None, path, .. }] if path == &PathBuf::from("scoring.json")),
        "{effects:?}"
    );
    // Save as: asks for a name; a new name must not exist yet.
    update(&mut s, Msg::SaveConflict(PathBuf::from("scoring.json")));
    press(&mut s, KeyCode::Char('a'));
    let Some(Overlay::SaveAs { input }) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(input.text, "scoring.json");
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    let effects = typed(&mut s, "2.json");
    assert!(matches!(s.overlay, Some(Overlay::SaveAs { .. })));
    drop(effects);
    let effects = press(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Save { base: Some(b), path, .. }, ..]
            if *b == Stamp::ABSENT && path == &PathBuf::from("scoring2.json")),
        "{effects:?}"
    );
    // Reload: the file's version replaces the edits, which are set aside in the journal.
    update(&mut s, Msg::SaveConflict(PathBuf::from("scoring.json")));
    let effects = press(&mut s, KeyCode::Char('r'));
    assert_eq!(effects, vec![Effect::Reload(PathBuf::from("scoring.json"))]);
    let mut theirs = Connector::new(crate::connector::Vendor::Databar);
    theirs.set("name", "Written by a script".into());
    let now = Stamp {
        connector: Some(2),
        samples: None,
    };
    let effects = update(
        &mut s,
        Msg::Reloaded {
            path: PathBuf::from("scoring.json"),
            connector: Box::new(theirs),
            samples: Samples::new(),
            disk: now,
        },
    );
    assert_eq!(effects.first(), Some(&Effect::SetAsideJournal(record())));
    assert_eq!(s.doc.connector.text("name"), Some("Written by a script"));
    assert!(!s.doc.dirty);
    assert_eq!(s.doc.disk, Some(now));
    assert_eq!(
        s.session.journal.file,
        Some(record()),
        "same file, same session record"
    );
    assert!(s.toast.as_deref().unwrap().contains("kept in the journal"));
}

#[test]
fn a_conflict_while_quitting_cancels_the_quit_unless_overwritten() {
    let mut s = state();
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    ctrl(&mut s, 'q');
    press(&mut s, KeyCode::Char('s')).expect(&[|e| matches!(e, Effect::Save { .. })]);
    update(&mut s, Msg::SaveConflict(PathBuf::from("scoring.json")));
    press(&mut s, KeyCode::Esc);
    assert!(!s.quit && !s.quit_pending);
    ctrl(&mut s, 'q');
    press(&mut s, KeyCode::Char('s')).expect(&[|e| matches!(e, Effect::Save { .. })]);
    update(&mut s, Msg::SaveConflict(PathBuf::from("scoring.json")));
    press(&mut s, KeyCode::Char('o')).expect(&[|e| matches!(e, Effect::Save { .. })]);
    update(
        &mut s,
        Msg::Saved {
            path: PathBuf::from("scoring.json"),
            disk: Stamp::ABSENT,
        },
    );
    assert!(s.quit);
}

#[test]
fn saving_the_open_file_keeps_the_session_record_and_lock() {
    let mut s = state();
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    let effects = update(
        &mut s,
        Msg::Saved {
            path: PathBuf::from("scoring.json"),
            disk: Stamp::ABSENT,
        },
    );
    assert_eq!(effects, vec![Effect::DiscardJournal(record())]);
    assert_eq!(s.doc.disk, Some(Stamp::ABSENT));
}

#[test]
fn another_editor_on_the_file_is_named_by_pid() {
    let mut s = state();
    update(
        &mut s,
        Msg::Claimed {
            journal_file: PathBuf::from("/journal/someone-else.json"),
            others: vec![Some(4242)],
        },
    );
    assert!(
        s.session.journal.elsewhere.is_empty(),
        "an answer for another record is stale"
    );
    update(
        &mut s,
        Msg::Claimed {
            journal_file: record(),
            others: vec![Some(4242)],
        },
    );
    let shown = screen(&s);
    assert!(
        shown.contains("scoring.json is also open in another patchcord (PID 4242)"),
        "{shown}"
    );
    press(&mut s, KeyCode::Esc);
    let shown = screen(&s);
    assert!(
        shown.contains("⚠ also open in another patchcord (PID 4242)"),
        "the status bar keeps saying it: {shown}"
    );
}

#[test]
fn a_journal_that_cannot_be_written_is_shown_in_the_status_bar() {
    let mut s = state();
    update(
        &mut s,
        Msg::Journaled(Err("No space left on device (os error 28)".into())),
    );
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    let shown = screen(&s);
    assert!(
        shown.contains("⚠ edits not journaled: No space left on device (os error 28)"),
        "{shown}"
    );
    update(&mut s, Msg::Journaled(Ok(())));
    assert!(!screen(&s).contains("not journaled"));
}

#[test]
fn the_exit_keeps_unsaved_edits_and_discard_leaves_nothing() {
    let mut s = state();
    assert_eq!(
        exit(&s),
        vec![Effect::DiscardJournal(record()), Effect::Release(record())]
    );
    focus_field(&mut s, "name");
    typed(&mut s, "!");
    let kept = exit(&s);
    assert!(
        matches!(kept.first(), Some(Effect::Journal { .. })),
        "{kept:?}"
    );
    assert_eq!(kept.last(), Some(&Effect::Release(record())));
    ctrl(&mut s, 'q');
    let effects = press(&mut s, KeyCode::Char('d'));
    assert!(s.quit);
    assert_eq!(effects, vec![Effect::DiscardJournal(record())]);
    // The exit must not write back what was just discarded.
    assert_eq!(
        exit(&s),
        vec![Effect::DiscardJournal(record()), Effect::Release(record())]
    );
}

#[test]
fn opening_another_connector_keeps_the_session_and_the_settings_whole() {
    use crate::connector::{TargetRef, Vendor};
    use crate::tui::state::Status;
    let mut s = State::new(Connector::new(Vendor::Databar), Samples::new(), None);
    s.palette = crate::tui::theme::Palette::Light;
    s.session.size = (132, 50);
    s.session.target.names = vec!["sandbox".into(), "prod".into()];
    s.session.target.picked = "prod".into();
    let prod = TargetRef::new("prod", "https://api.databar.ai");
    s.session.target.status = Status::Connected {
        at: prod.clone(),
        key_source: None,
    };
    s.session.journal.session_id = "s-1".into();
    let request = s.new_request();
    typed(&mut s, "x");
    s.replace_document(
        Connector::new(Vendor::Cargo),
        Samples::new(),
        Some("cargo.json".into()),
    );
    // The document is the new one, whole: no edits, no undo steps of the old one.
    assert_eq!(s.doc.connector.vendor, Vendor::Cargo);
    assert!(!s.doc.dirty);
    assert_eq!(s.history_depth(), (0, 0));
    // The session and the settings are the same: the colours too (they were lost before).
    assert_eq!(s.palette, crate::tui::theme::Palette::Light);
    assert_eq!(s.session.size, (132, 50));
    assert_eq!(s.session.target.picked, "prod");
    assert_eq!(s.session.target.connected_to(), Some(&prod));
    assert_eq!(s.session.journal.session_id, "s-1");
    assert!(s.new_request() > request);
}
