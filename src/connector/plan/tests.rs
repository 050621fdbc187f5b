//! The workspace core: sync states, the plan, file names and the recorded base.

use super::*;
use crate::connector::file_name::{stem_for, unique_file_name};
use crate::connector::sync::{SyncState, diff, fingerprint, sync_state};
use crate::connector::{parse_file, to_file};
use serde_json::json;
use std::collections::HashSet;

fn prod() -> TargetRef {
    TargetRef::new("prod", "https://api.example.com")
}

fn databar(name: &str) -> Connector {
    let mut connector = Connector::new(Vendor::Databar);
    connector.set("name", json!(name));
    connector.set("url", json!("https://x.example/score"));
    connector.set("method", json!("post"));
    connector
}

/// The connector as the server stores it under `id`: its fields, the server's own and the
/// documented defaults filled in.
fn stored(connector: &Connector, id: u64) -> Value {
    let mut body = connector.outgoing();
    body["id"] = json!(id);
    body["created_at"] = json!("2026-01-01T00:00:00Z");
    body["type"] = json!("enrichment");
    body["headers"] = json!([]);
    body
}

fn bound(mut connector: Connector, id: u64) -> Connector {
    connector.set_remote_id(&prod(), id.to_string());
    connector
}

fn file(name: &str, connector: Connector) -> LocalFile {
    LocalFile {
        name: name.to_owned(),
        loaded: Ok((connector, Samples::new())),
    }
}

fn actions(plan: &Plan) -> Vec<(Option<&str>, &Action)> {
    plan.steps
        .iter()
        .map(|s| (s.file.as_deref(), &s.action))
        .collect()
}

#[test]
fn the_comparison_reads_both_sides_as_the_vendor_does() {
    let local = databar("Score");
    let mut remote = stored(&local, 7);
    // Server fields, defaults and key order are no difference; lax coercion reads "5" as 5.
    assert_eq!(diff(Vendor::Databar, &local.outgoing(), &remote), vec![]);
    let mut coerced = local.clone();
    coerced.set("rate_limit", json!("5"));
    remote["rate_limit"] = json!(5);
    assert_eq!(
        fingerprint(Vendor::Databar, &coerced.outgoing()),
        fingerprint(Vendor::Databar, &remote)
    );
    remote["name"] = json!("Other");
    let changes = diff(Vendor::Databar, &coerced.outgoing(), &remote);
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (
            changes[0].key.as_str(),
            changes[0].sent.clone(),
            changes[0].stored.clone()
        ),
        ("name", Some(json!("Score")), Some(json!("Other")))
    );
    // Nested objects compare whatever their key order (Cargo's config).
    let a =
        json!({"name": "c", "slug": "c", "integrationSlug": "http", "config": {"a": 1, "b": 2}});
    let b = json!({"connector": {"name": "c", "slug": "c", "integrationSlug": "http",
        "config": {"b": 2, "a": 1}, "uuid": "u"}});
    assert_eq!(
        fingerprint(Vendor::Cargo, &a),
        fingerprint(Vendor::Cargo, &b)
    );
}

#[test]
fn states_tell_which_side_moved_once_a_base_is_recorded() {
    let target = prod();
    let local = databar("Score");
    assert_eq!(sync_state(&local, &target, &[]), SyncState::NotSubmitted);
    let mut local = bound(local, 7);
    assert_eq!(sync_state(&local, &target, &[]), SyncState::DeletedOnTarget);
    let remote = stored(&local, 7);
    assert_eq!(
        sync_state(&local, &target, std::slice::from_ref(&remote)),
        SyncState::InSync
    );

    // No base (a file from before bases): a difference is the file's change.
    let mut edited = local.clone();
    edited.set("name", json!("Edited"));
    assert_eq!(
        sync_state(&edited, &target, std::slice::from_ref(&remote)),
        SyncState::ChangedLocally
    );

    local.record_sync(&target, &remote);
    let mut moved = remote.clone();
    moved["url"] = json!("https://moved.example/");
    assert_eq!(
        sync_state(&local, &target, &[moved.clone()]),
        SyncState::ChangedOnTarget
    );
    let mut edited = local.clone();
    edited.set("name", json!("Edited"));
    assert_eq!(
        sync_state(&edited, &target, std::slice::from_ref(&remote)),
        SyncState::ChangedLocally
    );
    assert_eq!(
        sync_state(&edited, &target, &[moved]),
        SyncState::ChangedBoth
    );

    // The plan clamps rate_limit 60 to 10: in step as long as neither side moves.
    let mut clamped = local.clone();
    clamped.set("rate_limit", json!(60));
    let mut answer = stored(&clamped, 7);
    answer["rate_limit"] = json!(10);
    clamped.record_sync(&target, &answer);
    assert_eq!(sync_state(&clamped, &target, &[answer]), SyncState::InSync);
}

#[test]
fn the_base_is_kept_in_the_file_and_old_files_still_read() {
    let target = prod();
    let mut connector = bound(databar("Score"), 7);
    connector.record_sync(&target, &stored(&connector, 7));
    let base = connector.sync_base(&target).expect("recorded");
    let text = to_file(&connector);
    let entry = &serde_json::from_str::<Value>(&text).unwrap()["$patchcord"]["ids"][0];
    assert_eq!(entry["id"], json!(7));
    assert_eq!(
        entry["synced"]["file"],
        json!(format!("{:016x}", base.file))
    );
    assert_eq!(parse_file(text.as_bytes()).unwrap(), connector);

    let old = r#"{"$patchcord": {"vendor": "databar", "ids": [{"target": "prod",
        "base_url": "https://api.example.com", "id": 7}]}, "name": "n"}"#;
    let old = parse_file(old.as_bytes()).unwrap();
    assert_eq!(old.remote_id_for(&target), Some("7"));
    assert_eq!(old.sync_base(&target), None);

    // Another id on the same target is another connector: its base is not this one's.
    connector.set_remote_id(&target, "8".into());
    assert_eq!(connector.sync_base(&target), None);
}

#[test]
fn a_plan_creates_replaces_and_lists_what_is_only_on_the_target() {
    let target = prod();
    let mut same = bound(databar("Same"), 1);
    let remote_same = stored(&same, 1);
    same.record_sync(&target, &remote_same);
    let mut edited = bound(databar("Edited"), 2);
    let remote_edited = stored(&edited, 2);
    edited.record_sync(&target, &remote_edited);
    edited.set("url", json!("https://new.example/"));
    let gone = bound(databar("Gone"), 3);
    let remote = vec![remote_same, remote_edited, stored(&databar("Stray"), 4)];
    let files = [
        file("edited.json", edited),
        file("gone.json", gone),
        file("new.json", databar("New")),
        file("same.json", same),
    ];
    let plan = plan(&files, &[(Vendor::Databar, remote.clone())], &target, false);
    let changes = vec![FieldChange {
        key: "url".into(),
        sent: Some(json!("https://new.example/")),
        stored: Some(json!("https://x.example/score")),
    }];
    assert_eq!(
        actions(&plan),
        vec![
            (
                Some("edited.json"),
                &Action::Replace {
                    id: "2".into(),
                    state: SyncState::ChangedLocally,
                    changes
                }
            ),
            (
                Some("gone.json"),
                &Action::Create {
                    deleted: Some("3".into())
                }
            ),
            (Some("new.json"), &Action::Create { deleted: None }),
            (Some("same.json"), &Action::Unchanged { id: "1".into() }),
            (
                None,
                &Action::OnlyOnTarget {
                    id: "4".into(),
                    name: "Stray".into()
                }
            ),
        ]
    );
    assert!(plan.pending());
    assert!(!plan.steps[4].sends(plan.prune));
    let pruned = super::plan(&files, &[(Vendor::Databar, remote)], &target, true);
    assert!(pruned.steps[4].sends(pruned.prune));
}

#[test]
fn agent_stack_replaces_by_recreating_and_other_vendors_stay_out() {
    let target = prod();
    let mut mcp = Connector::new(Vendor::AgentStack);
    mcp.set("url", json!("https://m.example/mcp"));
    let id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    mcp.set_remote_id(&target, id.into());
    let remote = json!({"id": id, "url": "https://m.example/other", "state": "created",
        "metadata": null});
    let cargo = Connector::new(Vendor::Cargo);
    let files = [file("cargo.json", cargo), file("mcp.json", mcp)];
    let plan = plan(&files, &[(Vendor::AgentStack, vec![remote])], &target, true);
    assert!(matches!(
        actions(&plan)[..],
        [
            (Some("cargo.json"), Action::Skipped),
            (Some("mcp.json"), Action::Recreate { .. })
        ]
    ));
}

#[test]
fn files_that_cannot_be_applied_still_hold_their_connectors() {
    let target = prod();
    // Invalid (no URL), but bound to 1: connector 1 is not "only on the target".
    let mut invalid = bound(databar("Broken"), 1);
    invalid.set("url", json!(""));
    let twin = bound(databar("Twin"), 1);
    let remote = vec![stored(&databar("Broken"), 1), stored(&databar("Other"), 2)];
    let files = [
        file("broken.json", invalid),
        LocalFile {
            name: "garbled.json".into(),
            loaded: Err("garbled.json: invalid JSON at line 1, column 2".into()),
        },
        file("twin.json", twin),
    ];
    let plan = plan(&files, &[(Vendor::Databar, remote)], &target, true);
    assert!(plan.has_invalid());
    let invalid: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Invalid { .. }))
        .filter_map(|s| s.file.as_deref())
        .collect();
    assert_eq!(invalid, ["broken.json", "garbled.json", "twin.json"]);
    let only: Vec<&Action> = plan
        .steps
        .iter()
        .filter(|s| s.file.is_none())
        .map(|s| &s.action)
        .collect();
    assert_eq!(
        only,
        [&Action::OnlyOnTarget {
            id: "2".into(),
            name: "Other".into()
        }]
    );
    // An unreadable file may be bound to connector 2: pruning waits.
    assert!(!plan.prune && plan.prune_held);
    assert!(!plan.pending());
}

#[test]
fn pulled_files_get_safe_unique_names() {
    assert_eq!(
        stem_for(&databar("Company Lookup (JSON)!")),
        "company-lookup-json"
    );
    assert_eq!(stem_for(&databar("  ")), "x-example-score");
    let mut mcp = Connector::new(Vendor::AgentStack);
    mcp.set("url", json!("https://mcp.example.com/mcp"));
    assert_eq!(stem_for(&mcp), "mcp-example-com-mcp");
    mcp.set("metadata", json!({"name": "Research tools"}));
    assert_eq!(stem_for(&mcp), "research-tools");
    assert_eq!(stem_for(&Connector::new(Vendor::Cargo)), "connector");
    assert_eq!(stem_for(&databar(&"é".repeat(10))), "x-example-score");
    assert!(stem_for(&databar(&"a".repeat(300))).len() <= 60);

    let taken: HashSet<String> = ["acme.json", "acme-2.samples.json"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(unique_file_name("acme", &taken), "acme-3.json");
    assert_eq!(unique_file_name("other", &taken), "other.json");
}
