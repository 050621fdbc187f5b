//! A remote id belongs to the target it lives on. Two real sandboxes on ephemeral loopback
//! ports are configured as two live targets, `staging` and `prod`, whose ids collide (each
//! hands out 1 first): the built binary must never PUT staging's id to prod, must record one
//! id per target, must ask before using an id an older patchcord wrote without a target, and
//! must say how to create again a connector deleted on the target. What each server stored is
//! read back from it over HTTP.

use patchcord::api::Client;
use patchcord::config::Secret;
use patchcord::connector::{TargetRef, Vendor};
use serde_json::{Value, json};
use std::fmt::Write as _;

#[expect(
    dead_code,
    reason = "the shared harness has helpers for servers this file does not start"
)]
mod common;
#[path = "common/ids.rs"]
mod ids;
#[path = "common/sandbox.rs"]
mod sandbox;

use common::{Home, KEY, KEY_ENV};
use sandbox::RealSandbox;

/// Seed 000's example request as a connector file, renamed.
fn scoring(name: &str) -> String {
    let mut value: Value =
        serde_json::from_str(include_str!("fixtures/seed_000_request.json")).expect("json");
    value["name"] = json!(name);
    value.to_string()
}

/// Two Databar targets on two sandboxes, and a home configured for both (no default target).
struct Targets {
    staging: RealSandbox,
    prod: RealSandbox,
    home: Home,
}

impl Targets {
    fn start() -> Targets {
        let staging = RealSandbox::start();
        let prod = RealSandbox::start();
        let mut home = Home::new();
        let mut text = String::new();
        for (name, sandbox) in [("staging", &staging), ("prod", &prod)] {
            let _ = write!(
                text,
                "[targets.{name}]\nvendor = \"databar\"\nbase_url = \"{}\"\nsecret_env = \"{KEY_ENV}\"\n\n",
                sandbox.base_url()
            );
        }
        home.config = Some(home.write("config.toml", text));
        Targets {
            staging,
            prod,
            home,
        }
    }

    fn run(&self, args: &[&str]) -> common::Out {
        let out = self.home.run(args);
        assert!(!out.all().contains(KEY), "the key leaked: {out:?}");
        assert!(
            !self.home.log().contains(KEY),
            "the key leaked into the log"
        );
        out
    }

    fn meta(&self, file: &str) -> Value {
        let text = std::fs::read_to_string(self.home.path(file)).expect("read file");
        let value: Value = serde_json::from_str(&text).expect("file is JSON");
        ids::without_bases(&value["$patchcord"])
    }
}

/// What a sandbox stores: every connector, as `GET /v1/connectors/` answers.
fn stored(sandbox: &RealSandbox, name: &str) -> Vec<Value> {
    let target = TargetRef::new(name, &sandbox.base_url());
    let client = Client::new(Vendor::Databar, &target, Secret::new(KEY)).expect("client");
    sandbox.runtime.block_on(client.list()).expect("list")
}

fn by_id(items: &[Value], id: u64) -> Value {
    items
        .iter()
        .find(|c| c["id"] == json!(id))
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn a_file_sent_to_a_second_target_is_created_there_and_never_overwrites_a_colliding_id() {
    let t = Targets::start();
    // Connector A exists on prod first, as id 1.
    t.home.write("a.json", scoring("Connector A"));
    let out = t.run(&["submit", "a.json", "--target", "prod"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("created connector 1 on LIVE prod"),
        "{out:?}"
    );
    let a_before = by_id(&stored(&t.prod, "prod"), 1);
    assert_eq!(a_before["name"], "Connector A");

    // The file's connector is created on staging, where it also gets id 1.
    t.home.write("b.json", scoring("File B"));
    let out = t.run(&["submit", "b.json", "--target", "staging"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("created connector 1 on LIVE staging"),
        "{out:?}"
    );

    // Sent to prod, it is created there (POST), and prod's connector 1 is left alone.
    let out = t.run(&["submit", "b.json", "--target", "prod", "--dry-run"]);
    assert_eq!(out.code, 0, "{out:?}");
    let collection = format!("{}/v1/connectors/", t.prod.base_url());
    assert!(
        out.stdout
            .contains(&format!("would POST {collection} on LIVE prod")),
        "{out:?}"
    );
    let out = t.run(&["submit", "b.json", "--target", "prod"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("created connector 2 on LIVE prod"),
        "{out:?}"
    );
    let on_prod = stored(&t.prod, "prod");
    assert_eq!(on_prod.len(), 2, "{on_prod:?}");
    assert_eq!(
        by_id(&on_prod, 1),
        a_before,
        "prod's connector A is unchanged"
    );
    assert_eq!(by_id(&on_prod, 2)["name"], "File B");
    assert_eq!(stored(&t.staging, "staging").len(), 1);

    // The file records both ids, each with the target it lives on.
    assert_eq!(
        t.meta("b.json"),
        json!({"vendor": "databar", "ids": [
            {"target": "staging", "base_url": t.staging.base_url(), "id": 1},
            {"target": "prod", "base_url": t.prod.base_url(), "id": 2},
        ]})
    );

    // Each target's submit now updates that target's connector, and only it.
    let out = t.run(&["submit", "b.json", "--target", "prod"]);
    assert!(
        out.stdout.contains("replaced connector 2 on LIVE prod"),
        "{out:?}"
    );
    let out = t.run(&["submit", "b.json", "--target", "staging"]);
    assert!(
        out.stdout.contains("replaced connector 1 on LIVE staging"),
        "{out:?}"
    );
    assert_eq!(by_id(&stored(&t.prod, "prod"), 1), a_before);
}

#[test]
fn a_target_whose_address_changed_is_another_target() {
    let t = Targets::start();
    t.home.write("b.json", scoring("File B"));
    assert_eq!(t.run(&["submit", "b.json", "--target", "staging"]).code, 0);
    // `staging` now names the prod server: the id recorded for the old address is not used.
    let moved = format!(
        "[targets.staging]\nvendor = \"databar\"\nbase_url = \"{}\"\nsecret_env = \"{KEY_ENV}\"\n",
        t.prod.base_url()
    );
    t.home.write("config.toml", moved);
    t.home.write("a.json", scoring("Connector A"));
    let out = t.run(&["submit", "a.json", "--target", "staging"]);
    assert!(out.stdout.contains("created connector 1"), "{out:?}");
    let a_before = by_id(&stored(&t.prod, "prod"), 1);
    let out = t.run(&["submit", "b.json", "--target", "staging"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("created connector 2"), "{out:?}");
    assert_eq!(by_id(&stored(&t.prod, "prod"), 1), a_before);
}

#[test]
fn a_legacy_id_is_refused_until_adopted_or_created_anew() {
    let t = Targets::start();
    t.home.write("a.json", scoring("Connector A"));
    assert_eq!(t.run(&["submit", "a.json", "--target", "prod"]).code, 0);
    let a_before = by_id(&stored(&t.prod, "prod"), 1);
    t.home.write("old.json", scoring("Old file"));
    assert_eq!(
        t.run(&["submit", "old.json", "--target", "staging"]).code,
        0
    );
    // An older patchcord wrote the id without its target.
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(t.home.path("old.json")).expect("read"))
            .expect("json");
    old["$patchcord"] = json!({"vendor": "databar", "id": 1});
    t.home.write("old.json", old.to_string());

    // Not a terminal: no guess, a message with both ways out, nothing sent, nothing written.
    let out = t.run(&["submit", "old.json", "--target", "prod"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("id 1 was recorded without a target"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("`patchcord submit --adopt old.json`"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("`patchcord submit --create old.json`"),
        "{out:?}"
    );
    assert_eq!(by_id(&stored(&t.prod, "prod"), 1), a_before);
    assert_eq!(t.meta("old.json"), json!({"vendor": "databar", "id": 1}));

    // Not prod's: created there; the legacy id waits for the target it belongs to.
    let out = t.run(&["submit", "--create", "old.json", "--target", "prod"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("created connector 2 on LIVE prod"),
        "{out:?}"
    );
    assert_eq!(by_id(&stored(&t.prod, "prod"), 1), a_before);
    assert_eq!(
        t.meta("old.json"),
        json!({"vendor": "databar", "id": 1,
               "ids": [{"target": "prod", "base_url": t.prod.base_url(), "id": 2}]})
    );

    // It is staging's: bound there, and that connector is updated.
    let out = t.run(&["submit", "--adopt", "old.json", "--target", "staging"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("replaced connector 1 on LIVE staging"),
        "{out:?}"
    );
    assert_eq!(
        t.meta("old.json"),
        json!({"vendor": "databar", "ids": [
            {"target": "prod", "base_url": t.prod.base_url(), "id": 2},
            {"target": "staging", "base_url": t.staging.base_url(), "id": 1},
        ]})
    );
}

#[test]
fn pull_records_its_target_and_delete_uses_the_files_id_there() {
    let t = Targets::start();
    t.home.write("a.json", scoring("Connector A"));
    assert_eq!(t.run(&["submit", "a.json", "--target", "prod"]).code, 0);
    t.home.write("b.json", scoring("File B"));
    assert_eq!(t.run(&["submit", "b.json", "--target", "staging"]).code, 0);
    assert_eq!(t.run(&["submit", "b.json", "--target", "prod"]).code, 0);

    // Refreshing the file from prod keeps staging's id.
    let out = t.run(&["pull", "2", "--target", "prod", "-o", "b.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        t.meta("b.json")["ids"],
        json!([
            {"target": "prod", "base_url": t.prod.base_url(), "id": 2},
            {"target": "staging", "base_url": t.staging.base_url(), "id": 1},
        ])
    );

    // `delete FILE` deletes the file's connector on that target, then forgets its id there.
    let out = t.run(&["delete", "b.json", "--target", "prod"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("deleted connector 2 on LIVE prod; the id was removed from b.json"),
        "{out:?}"
    );
    let on_prod = stored(&t.prod, "prod");
    assert_eq!(
        on_prod.len(),
        1,
        "only the file's connector went: {on_prod:?}"
    );
    assert_eq!(on_prod[0]["name"], "Connector A");
    assert_eq!(stored(&t.staging, "staging").len(), 1);
    assert_eq!(
        t.meta("b.json")["ids"],
        json!([{"target": "staging", "base_url": t.staging.base_url(), "id": 1}])
    );
    let out = t.run(&["delete", "b.json", "--target", "prod"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("b.json: no connector id recorded for LIVE prod"),
        "{out:?}"
    );
}

#[test]
fn the_sandbox_is_a_target_known_by_name() {
    let t = Targets::start();
    t.home.write("b.json", scoring("File B"));
    let out = t.run(&["submit", "b.json"]);
    assert_eq!(out.code, 0, "the embedded sandbox is the default: {out:?}");
    assert!(
        out.stdout.contains("created connector 1 on SANDBOX"),
        "{out:?}"
    );
    // Its address is not recorded: it changes from run to run.
    assert_eq!(
        t.meta("b.json")["ids"],
        json!([{"target": "sandbox", "id": 1}])
    );
    let out = t.run(&["submit", "b.json", "--target", "prod"]);
    assert!(
        out.stdout.contains("created connector 1 on LIVE prod"),
        "{out:?}"
    );
    let out = t.run(&["submit", "b.json", "--dry-run"]);
    assert!(
        out.stdout
            .contains("would PUT http://127.0.0.1:<embedded>/v1/connectors/1"),
        "{out:?}"
    );
}
