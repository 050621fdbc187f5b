use super::*;
use crate::connector::Vendor;

#[test]
fn save_then_load_round_trips_and_keeps_samples_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scoring.json");
    let mut connector = Connector::new(Vendor::Databar);
    connector.set("name", "Scoring".into());
    connector.set_remote_id(
        &crate::connector::TargetRef::new("prod", "https://api.databar.ai"),
        "42".into(),
    );
    let mut samples = Samples::new();
    samples.insert("domain".into(), "example.com".into());
    save(&path, &connector, &samples).unwrap();
    let (loaded, loaded_samples) = load(&path).unwrap();
    assert_eq!(loaded, connector);
    assert_eq!(loaded_samples, samples);
    let body = std::fs::read_to_string(&path).unwrap();
    assert!(
        !body.contains("example.com"),
        "samples must not be in the connector file"
    );
    assert!(dir.path().join("scoring.samples.json").exists());
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn load_names_the_file_and_the_position_of_bad_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{\n  \"name\": \"x\",\n  oops\n}").unwrap();
    let message = load(&path).unwrap_err().to_string();
    assert!(message.contains("bad.json"), "{message}");
    assert!(message.contains("line 3"), "{message}");
}

#[test]
fn missing_file_is_a_read_error_naming_it() {
    let err = load(Path::new("/nonexistent/x.json")).unwrap_err();
    assert!(matches!(err, FileError::Read { .. }));
    assert!(err.to_string().contains("/nonexistent/x.json"));
}

#[test]
fn a_file_over_the_cap_is_refused_naming_it_and_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = load(&path).unwrap_err();
    assert!(matches!(err, FileError::TooLarge { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("huge.json"), "{message}");
    assert!(message.contains("larger than 16 MiB"), "{message}");
    // Exactly at the cap is read (and then judged as JSON like any other file).
    file.set_len(MAX_FILE_BYTES).unwrap();
    assert!(matches!(load(&path), Err(FileError::Parse { .. })));
}

#[test]
fn a_samples_file_over_the_cap_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    save(&path, &Connector::new(Vendor::Databar), &Samples::new()).unwrap();
    let samples = std::fs::File::create(samples_path(&path)).unwrap();
    samples.set_len(MAX_FILE_BYTES + 1).unwrap();
    let message = load(&path).unwrap_err().to_string();
    assert!(message.contains("c.samples.json"), "{message}");
    assert!(message.contains("larger than 16 MiB"), "{message}");
}

fn connector(name: &str) -> Connector {
    let mut connector = Connector::new(Vendor::Databar);
    connector.set("name", name.into());
    connector
}

fn samples(domain: &str) -> Samples {
    let mut samples = Samples::new();
    samples.insert("domain".into(), domain.into());
    samples
}

#[test]
fn a_conditional_save_refuses_a_file_changed_since_it_was_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let first = save_checked(&path, &connector("one"), &samples("a.io"), None).unwrap();
    assert_eq!(first, stamp(&path).unwrap());
    let (_, _, loaded) = load_stamped(&path).unwrap();
    assert_eq!(loaded, first);
    // A script rewrites the file behind the editor's back.
    std::fs::write(&path, r#"{"name": "by the script"}"#).unwrap();
    let err = save_checked(&path, &connector("two"), &samples("a.io"), Some(&first));
    assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
    assert!(
        err.unwrap_err()
            .to_string()
            .contains("c.json: changed on disk")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        r#"{"name": "by the script"}"#,
        "nothing written"
    );
    // The samples file counts too.
    let second = save_checked(&path, &connector("two"), &samples("a.io"), None).unwrap();
    std::fs::write(samples_path(&path), r#"{"domain": "b.io"}"#).unwrap();
    let err = save_checked(&path, &connector("three"), &samples("a.io"), Some(&second));
    assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
    // Unchanged: the save goes through and returns the next base.
    let now = stamp(&path).unwrap();
    let third = save_checked(&path, &connector("three"), &samples("a.io"), Some(&now)).unwrap();
    assert_eq!(third, stamp(&path).unwrap());
    assert_eq!(load(&path).unwrap().0.text("name"), Some("three"));
    // A file that appeared where none was expected is a change as well.
    let fresh = dir.path().join("fresh.json");
    std::fs::write(&fresh, "{}").unwrap();
    let err = save_checked(
        &fresh,
        &connector("x"),
        &Samples::new(),
        Some(&Stamp::ABSENT),
    );
    assert!(matches!(err, Err(FileError::Changed { .. })), "{err:?}");
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("c.json");
    save(&target, &connector("before"), &Samples::new()).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real/c.json", &link).unwrap();
    save(&link, &connector("through the link"), &Samples::new()).unwrap();
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        PathBuf::from("real/c.json")
    );
    assert_eq!(
        load(&target).unwrap().0.text("name"),
        Some("through the link")
    );
    // A link to a link, and a dangling link (its target is created).
    let chain = dir.path().join("chain.json");
    std::os::unix::fs::symlink(&link, &chain).unwrap();
    save(&chain, &connector("chained"), &Samples::new()).unwrap();
    assert!(
        std::fs::symlink_metadata(&chain)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&target).unwrap().0.text("name"), Some("chained"));
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("real/new.json", &dangling).unwrap();
    save(&dangling, &connector("new"), &Samples::new()).unwrap();
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        load(&real_dir.join("new.json")).unwrap().0.text("name"),
        Some("new")
    );
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_mode_of_the_file_and_of_its_samples_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    save(&path, &connector("one"), &samples("a.io")).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    for file in [path.clone(), samples_path(&path)] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
    }
    save(&path, &connector("two"), &samples("b.io")).unwrap();
    assert_eq!(mode(&path), 0o664);
    assert_eq!(mode(&samples_path(&path)), 0o664);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    save(&path, &connector("three"), &samples("c.io")).unwrap();
    assert_eq!(mode(&path), 0o640);
    // A new file is not narrowed to 0600 (the usual 0666 less the umask), but a journal
    // record, which holds secrets, is.
    let fresh = dir.path().join("fresh.json");
    save(&fresh, &connector("x"), &Samples::new()).unwrap();
    let usual = dir.path().join("usual");
    std::fs::write(&usual, "").unwrap();
    assert_eq!(mode(&fresh), mode(&usual), "as any program creates a file");
    let record = dir.path().join("record.json");
    write_private(&record, b"{}").unwrap();
    assert_eq!(mode(&record), 0o600);
}

#[test]
fn a_lock_names_its_process_and_a_stale_one_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.lock");
    // A lock file left by a process that died: its PID, but nobody holds it.
    std::fs::write(&path, "999999").unwrap();
    assert_eq!(lock::holder(&path), None);
    let held = lock::acquire(&path, "/a/c.json").unwrap();
    assert_eq!(
        lock::holder(&path),
        Some(lock::Holder {
            pid: Some(std::process::id()),
            about: "/a/c.json".into(),
        })
    );
    let again = lock::acquire(&path, "").unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::WouldBlock);
    assert!(!lock::remove_if_stale(&path), "a held lock stays");
    held.release();
    assert!(!path.exists(), "a released lock is removed");
    std::fs::write(&path, "999999").unwrap();
    assert!(lock::remove_if_stale(&path));
    assert!(!path.exists());
}

fn snapshot(path: Option<&Path>, name: &str) -> journal::Snapshot {
    journal::Snapshot {
        path: path.map(Path::to_owned),
        base: None,
        connector: connector(name),
        samples: Samples::new(),
        draft: None,
    }
}

#[test]
fn journal_records_and_offers_back_what_no_live_session_holds() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
    let mut snap = snapshot(Some(&file), "unsaved edit");
    snap.draft = Some(journal::Draft::Bulk {
        field: "headers".into(),
        text: "X-Trace: 12345".into(),
    });
    journal::record(&journal_file, &snap).unwrap();
    // While its session lives, the record is not a crash.
    let live = journal::claim(&journal_file, Some(&file)).unwrap();
    assert!(journal::pending(dir.path()).is_empty());
    drop(live);
    let pending = journal::pending(dir.path());
    assert_eq!(pending.len(), 1);
    let entry = &pending[0];
    assert_eq!(entry.snapshot.connector.text("name"), Some("unsaved edit"));
    assert_eq!(entry.snapshot.draft, snap.draft);
    assert_eq!(
        entry.snapshot.path.as_deref(),
        Some(std::path::absolute(&file).unwrap().as_path())
    );
    assert!(!entry.changed_on_disk);
    journal::discard(&journal_file).unwrap();
    assert!(journal::pending(dir.path()).is_empty());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "the stale lock too"
    );
}

#[test]
fn a_record_says_when_its_file_changed_after_the_edits_began() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let base = save_checked(&file, &connector("v1"), &Samples::new(), None).unwrap();
    let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
    let mut snap = snapshot(Some(&file), "edited v1");
    snap.base = Some(base);
    journal::record(&journal_file, &snap).unwrap();
    assert!(!journal::pending(dir.path())[0].changed_on_disk);
    std::fs::write(&file, r#"{"name": "v2 by someone else"}"#).unwrap();
    let pending = journal::pending(dir.path());
    assert!(pending[0].changed_on_disk);
    assert_eq!(pending[0].snapshot.base, Some(base));
}

#[test]
fn a_set_aside_record_is_pending_while_its_session_journals_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let journal_file = journal::file_for(dir.path(), Some(&file), "s1");
    let _live = journal::claim(&journal_file, Some(&file)).unwrap();
    journal::record(&journal_file, &snapshot(Some(&file), "before reload")).unwrap();
    journal::set_aside(&journal_file).unwrap();
    journal::record(&journal_file, &snapshot(Some(&file), "after reload")).unwrap();
    let pending = journal::pending(dir.path());
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].snapshot.connector.text("name"),
        Some("before reload")
    );
}

#[test]
fn others_are_the_live_sessions_on_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    std::fs::write(&file, "{}").unwrap();
    let other = dir.path().join("d.json");
    std::fs::write(&other, "{}").unwrap();
    let mine = journal::file_for(dir.path(), Some(&file), "mine");
    let theirs = journal::file_for(dir.path(), Some(&file), "theirs");
    let dead = journal::file_for(dir.path(), Some(&file), "dead");
    let elsewhere = journal::file_for(dir.path(), Some(&other), "x");
    let _mine = journal::claim(&mine, Some(&file)).unwrap();
    let _theirs = journal::claim(&theirs, Some(&file)).unwrap();
    let _elsewhere = journal::claim(&elsewhere, Some(&other)).unwrap();
    std::fs::write(journal::lock_for(&dead), "999999").unwrap();
    let others = journal::others(dir.path(), &file, &mine);
    assert_eq!(others.len(), 1, "{others:?}");
    assert_eq!(others[0].pid, Some(std::process::id()));
    assert!(
        !journal::lock_for(&dead).exists(),
        "a stale lock is removed"
    );
    // Another name for the same file (a symlink) is the same file.
    #[cfg(unix)]
    {
        let alias = dir.path().join("alias.json");
        std::os::unix::fs::symlink(&file, &alias).unwrap();
        let aliased = journal::file_for(dir.path(), Some(&alias), "alias");
        assert_eq!(journal::others(dir.path(), &alias, &aliased).len(), 2);
    }
}

#[test]
fn journal_file_is_stable_for_a_path_and_a_session() {
    let dir = Path::new("/j");
    let a = Path::new("/a/b.json");
    assert_eq!(
        journal::file_for(dir, Some(a), "s"),
        journal::file_for(dir, Some(a), "s")
    );
    assert_ne!(
        journal::file_for(dir, Some(a), "s"),
        journal::file_for(dir, Some(Path::new("/a/c.json")), "s")
    );
    assert_ne!(
        journal::file_for(dir, Some(a), "s"),
        journal::file_for(dir, Some(a), "t")
    );
    assert_ne!(journal::session_id(), journal::session_id());
}
