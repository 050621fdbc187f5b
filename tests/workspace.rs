//! A folder of connector files as a workspace, end to end with the built binary: `pull --all`,
//! `plan` and `apply` against the embedded sandbox (all three vendors, its store in a file so
//! it lives from one run to the next) and against a live Databar target behind a small
//! loopback proxy that can fail after N requests or answer 429 once. What the server holds is
//! read back from it (`list --json`).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
#[path = "common/sandbox.rs"]
mod sandbox;

use common::{Home, KEY, KEY_ENV, Out, runtime};
use sandbox::RealSandbox;

const VENDORS: [&str; 3] = ["databar", "agent_stack", "cargo"];

/// Connector number `n` of a vendor, as a file.
fn connector(vendor: &str, n: usize) -> Value {
    let body = match vendor {
        "databar" => json!({"name": format!("Databar {n}"), "method": "post",
            "url": format!("https://api.example.com/score/{n}")}),
        "agent_stack" => json!({"url": format!("https://mcp{n}.example.com/mcp"),
            "metadata": {"team": format!("team {n}")}}),
        _ => json!({"name": format!("Cargo {n}"), "slug": format!("cargo-{n}"),
            "integrationSlug": "http", "config": {"path": format!("/score/{n}")}}),
    };
    let mut file = json!({"$patchcord": {"vendor": vendor}});
    if let (Some(file), Some(body)) = (file.as_object_mut(), body.as_object()) {
        file.extend(body.clone());
    }
    file
}

/// A home on the embedded sandbox, whose store is a file shared by every run.
fn sandbox_home() -> Home {
    let mut home = Home::new();
    home.sandbox_db = home.path("sandbox.sqlite3").display().to_string();
    std::fs::create_dir_all(home.path("seed")).expect("seed dir");
    home
}

fn write_json(home: &Home, name: &str, value: &Value) {
    let text = serde_json::to_string_pretty(value).expect("json");
    home.write(name, text);
}

fn read_json(home: &Home, name: &str) -> Value {
    let text = std::fs::read_to_string(home.path(name)).expect("read file");
    serde_json::from_str(&text).expect("file is JSON")
}

/// Every connector on the embedded sandbox, per vendor.
fn on_sandbox(home: &Home) -> HashMap<&'static str, Vec<Value>> {
    VENDORS
        .iter()
        .map(|vendor| {
            let out = home.run(&["list", "--json", "--reveal", "--vendor", vendor]);
            assert_eq!(out.code, 0, "{out:?}");
            let items: Vec<Value> = serde_json::from_str(&out.stdout).expect("list is JSON");
            (*vendor, items)
        })
        .collect()
}

fn count(lists: &HashMap<&str, Vec<Value>>) -> usize {
    lists.values().map(Vec::len).sum()
}

fn plan_json(home: &Home, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["plan", "--json"];
    all.extend_from_slice(args);
    let out = home.run(&all);
    assert!(out.code <= 2, "{out:?}");
    (
        out.code,
        serde_json::from_str(&out.stdout).expect("plan --json is JSON"),
    )
}

fn summary(plan: &Value, kind: &str) -> u64 {
    plan["summary"][kind].as_u64().unwrap_or(u64::MAX)
}

/// 100 files of three vendors created on the sandbox by `apply`, then pulled into `ws`,
/// which plans to nothing.
fn hundred_pulled() -> Home {
    let home = sandbox_home();
    // 100 files of three vendors, created on the target by apply.
    for n in 0..100 {
        let vendor = VENDORS[n % 3];
        write_json(
            &home,
            &format!("seed/{vendor}-{n}.json"),
            &connector(vendor, n),
        );
    }
    let out = home.run(&["apply", "seed", "--yes"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.matches("+ create").count(), 100, "{out:?}");
    assert!(
        !out.stderr.contains('\r'),
        "no progress bar off a terminal: {out:?}"
    );
    assert!(
        out.stderr.contains("applied 100 of 100 changes on SANDBOX"),
        "{out:?}"
    );
    assert_eq!(count(&on_sandbox(&home)), 100);

    // Pulled into a folder of its own: one file each, and nothing to do.
    let out = home.run(&["pull", "--all", "-o", "ws"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("pulled 100 connectors from SANDBOX into ws (100 new files, 0 updated)"),
        "{out:?}"
    );
    let out = home.run(&["plan", "ws"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("nothing to do"), "{out:?}");
    let databar_7 = read_json(&home, "ws/databar-6.json");
    assert_eq!(databar_7["name"], "Databar 6");
    assert!(
        databar_7["$patchcord"]["ids"][0]["synced"]["file"].is_string(),
        "the base is recorded: {databar_7}"
    );

    home
}

#[test]
fn a_hundred_connectors_across_three_vendors_pull_plan_and_apply() {
    let home = hundred_pulled();
    // Edit some files (one with a secret), add some, delete some on the target.
    let mut renamed = read_json(&home, "ws/databar-0.json");
    renamed["name"] = json!("Databar zero");
    write_json(&home, "ws/databar-0.json", &renamed);
    let mut mcp = read_json(&home, "ws/mcp1-example-com-mcp.json");
    mcp["metadata"]["team"] = json!("growth");
    write_json(&home, "ws/mcp1-example-com-mcp.json", &mcp);
    let mut cargo = read_json(&home, "ws/cargo-2.json");
    cargo["config"]["api_token"] = json!("tok-do-not-show-0123");
    write_json(&home, "ws/cargo-2.json", &cargo);
    write_json(&home, "ws/new-databar.json", &connector("databar", 1000));
    write_json(&home, "ws/new-cargo.json", &connector("cargo", 1001));
    let deleted = read_json(&home, "ws/databar-3.json")["$patchcord"]["ids"][0]["id"].clone();
    let out = home.run(&["delete", &deleted.to_string(), "--vendor", "databar"]);
    assert_eq!(out.code, 0, "{out:?}");

    let out = home.run(&["plan", "ws"]);
    assert_eq!(out.code, 2, "changes pending: {out:?}");
    for line in [
        "~ replace   cargo-2.json",
        "~ replace   databar-0.json",
        "name: \"Databar 0\" → \"Databar zero\"",
        "-/+ recreate  mcp1-example-com-mcp.json",
        "Agent Stack has no update: delete, then create under a new id",
        "\"team\":\"team 1\"",
        &format!(
            "+ create    databar-3.json (Databar; connector {deleted} was deleted on the target)"
        ),
        "+ create    new-cargo.json (Cargo, not submitted)",
        "+ create    new-databar.json (Databar, not submitted)",
        "changes pending: 3 to create, 2 to replace, 1 to recreate, 0 to delete, 96 unchanged",
    ] {
        assert!(out.stdout.contains(line), "{line:?} missing: {out:?}");
    }
    assert!(
        !out.all().contains("tok-do-not-show-0123"),
        "a secret in the plan: {out:?}"
    );
    assert!(out.stdout.contains("\"api_token\":\"••••••••\""), "{out:?}");

    let (code, plan) = plan_json(&home, &["ws"]);
    assert_eq!(code, 2);
    assert_eq!(plan["pending"], true);
    assert_eq!(plan["target"], "SANDBOX");
    assert_eq!(
        (
            summary(&plan, "create"),
            summary(&plan, "replace"),
            summary(&plan, "recreate")
        ),
        (3, 2, 1)
    );
    let step = plan["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["file"] == "databar-0.json"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(step["action"], "replace");
    assert_eq!(step["vendor"], "databar");
    assert_eq!(step["state"], "changed locally");
    assert_eq!(
        step["changes"],
        json!([{"field": "name", "target": "Databar 0", "file": "Databar zero"}])
    );
    assert!(!plan.to_string().contains("tok-do-not-show-0123"));

    let out = home.run(&["apply", "ws", "--yes"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.all().contains("tok-do-not-show-0123"), "{out:?}");
    assert!(
        out.stdout
            .contains("from mcp1-example-com-mcp.json (deleted ")
            && out.stdout.contains("to connect it again"),
        "{out:?}"
    );
    let out = home.run(&["plan", "ws"]);
    assert_eq!(out.code, 0, "a second plan has nothing to do: {out:?}");
    let out = home.run(&["apply", "ws", "--yes"]);
    out.exits(0, &["nothing to apply"]);

    // What the target holds: 100 - 1 deleted + 1 created again + 2 new; the edits stored.
    let lists = on_sandbox(&home);
    assert_eq!(count(&lists), 102);
    let names: Vec<&str> = lists["databar"]
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(names.contains(&"Databar zero") && !names.contains(&"Databar 0"));
    assert_eq!(names.iter().filter(|n| **n == "Databar 3").count(), 1);
    let stored_cargo = lists["cargo"]
        .iter()
        .find(|c| c["slug"] == "cargo-2")
        .cloned()
        .unwrap_or_default();
    assert_eq!(stored_cargo["config"]["api_token"], "tok-do-not-show-0123");
    let teams: Vec<&Value> = lists["agent_stack"]
        .iter()
        .map(|c| &c["metadata"]["team"])
        .collect();
    assert!(teams.contains(&&json!("growth")) && !teams.contains(&&json!("team 1")));
}

#[test]
fn prune_deletes_what_only_the_target_holds_and_only_for_the_folder_vendors() {
    let home = sandbox_home();
    write_json(&home, "seed/a.json", &connector("databar", 1));
    write_json(&home, "seed/b.json", &connector("databar", 2));
    write_json(&home, "seed/c.json", &connector("cargo", 3));
    let out = home.run(&["apply", "seed", "--yes"]);
    assert_eq!(out.code, 0, "{out:?}");
    // A folder of Databar files only, one of the two: b is only on the target.
    std::fs::create_dir_all(home.path("ws")).expect("ws");
    std::fs::copy(home.path("seed/a.json"), home.path("ws/a.json")).expect("copy");

    let out = home.run(&["plan", "ws"]);
    assert_eq!(out.code, 0, "kept unless --prune: {out:?}");
    assert!(
        out.stdout.contains(
            "? only on the target: connector 2 \"Databar 2\" (Databar; kept, --prune deletes it)"
        ),
        "{out:?}"
    );
    assert!(!out.stdout.contains("Cargo 3"), "another vendor's: {out:?}");
    let (code, plan) = plan_json(&home, &["ws", "--prune"]);
    assert_eq!(code, 2);
    assert_eq!(summary(&plan, "delete"), 1);
    let out = home.run(&["apply", "ws", "--prune", "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let report: Value = serde_json::from_str(&out.stdout).expect("apply --json is JSON");
    assert_eq!(report["applied"], 1);
    assert_eq!(report["failed"], 0);
    assert_eq!(report["plan"]["summary"]["delete"], 1);
    assert_eq!(
        report["results"],
        json!([{"file": null, "action": "delete", "ok": true,
            "message": "deleted connector 2 on SANDBOX"}])
    );
    let lists = on_sandbox(&home);
    assert_eq!(lists["databar"].len(), 1);
    assert_eq!(lists["cargo"].len(), 1, "another vendor's connector stays");
    assert_eq!(home.run(&["plan", "ws", "--prune"]).code, 0);
}

#[test]
fn pull_all_names_files_safely_and_a_re_pull_updates_the_bound_files() {
    let home = sandbox_home();
    let mut one = connector("databar", 1);
    one["name"] = json!("Acme / Lookup");
    let two = one.clone();
    write_json(&home, "seed/one.json", &one);
    write_json(&home, "seed/two.json", &two);
    assert_eq!(home.run(&["apply", "seed", "--yes"]).code, 0);
    // A file already there that is not a connector keeps its name and bytes.
    std::fs::create_dir_all(home.path("ws")).expect("ws");
    home.write("ws/acme-lookup.json", "{\"not\": \"a connector\"}");

    let out = home.run(&["pull", "--all", "-o", "-"]);
    assert_eq!(out.code, 1, "a folder, not stdout: {out:?}");
    let out = home.run(&["pull", "--all", "--vendor", "databar", "-o", "ws"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read_to_string(home.path("ws/acme-lookup.json")).unwrap_or_default(),
        "{\"not\": \"a connector\"}"
    );
    let a = read_json(&home, "ws/acme-lookup-2.json");
    let b = read_json(&home, "ws/acme-lookup-3.json");
    assert_eq!(
        (a["name"].clone(), b["name"].clone()),
        (json!("Acme / Lookup"), json!("Acme / Lookup"))
    );
    assert_ne!(a["$patchcord"]["ids"], b["$patchcord"]["ids"]);

    // Renamed on the target: the re-pull updates the same file, and writes no new one.
    let id = a["$patchcord"]["ids"][0]["id"].to_string();
    let mut renamed = read_json(&home, "ws/acme-lookup-2.json");
    renamed["name"] = json!("Renamed");
    write_json(&home, "elsewhere.json", &renamed);
    assert_eq!(home.run(&["submit", "elsewhere.json"]).code, 0);
    let out = home.run(&["plan", "ws"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "~ replace   acme-lookup-2.json → connector {id} (Databar; changed on the target)"
        )),
        "{out:?}"
    );
    // A file changed locally is kept: a pull never loses an edit.
    let mut mine = read_json(&home, "ws/acme-lookup-3.json");
    mine["name"] = json!("Mine");
    write_json(&home, "ws/acme-lookup-3.json", &mine);
    let out = home.run(&["pull", "--all", "-o", "ws"]);
    assert!(out.stderr.contains("(0 new files, 1 updated)"), "{out:?}");
    assert!(
        out.stderr
            .contains("kept acme-lookup-3.json: changed locally, so not overwritten"),
        "{out:?}"
    );
    assert_eq!(read_json(&home, "ws/acme-lookup-2.json")["name"], "Renamed");
    assert_eq!(read_json(&home, "ws/acme-lookup-3.json"), mine);
    assert_eq!(
        std::fs::read_dir(home.path("ws")).map_or(0, Iterator::count),
        3
    );
    let (code, plan) = plan_json(&home, &["ws"]);
    assert_eq!(code, 2);
    assert_eq!(
        (summary(&plan, "replace"), summary(&plan, "unchanged")),
        (1, 1),
        "{plan}"
    );
}

#[test]
fn invalid_files_are_shown_and_refused_and_apply_asks_first() {
    let home = sandbox_home();
    write_json(&home, "seed/good.json", &connector("databar", 1));
    let mut bad = connector("databar", 2);
    bad["name"] = json!("");
    write_json(&home, "seed/bad.json", &bad);
    home.write("seed/garbled.json", "{\"$patchcord\": ");

    let out = home.run(&["plan", "seed"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("! invalid   bad.json (not applied):"),
        "{out:?}"
    );
    assert!(out.stdout.contains("name"), "{out:?}");
    assert!(out.stdout.contains("! invalid   garbled.json"), "{out:?}");

    let out = home.run(&["apply", "seed", "--yes"]);
    out.exits(1, &["2 files cannot be applied"]);
    assert_eq!(count(&on_sandbox(&home)), 0, "nothing was sent");

    // No terminal and no --yes: refused, nothing sent.
    std::fs::remove_file(home.path("seed/bad.json")).expect("rm");
    std::fs::remove_file(home.path("seed/garbled.json")).expect("rm");
    let out = home.run(&["apply", "seed"]);
    out.exits(1, &["pass --yes"]);
    assert_eq!(count(&on_sandbox(&home)), 0);

    write_json(&home, "seed/bad.json", &bad);
    let out = home.run(&["apply", "seed", "--yes", "--keep-going"]);
    assert_eq!(out.code, 1, "the refused file still fails the run: {out:?}");
    assert_eq!(count(&on_sandbox(&home)), 1, "the good file was applied");
}

/// What the proxy does with each request.
#[derive(Default)]
struct ProxyState {
    upstream: String,
    /// Answer 503 to every request after this many.
    fail_after: Mutex<Option<usize>>,
    /// Answer the first POST with 429 and `Retry-After: 1`.
    limit_first_post: bool,
    seen: Mutex<Vec<(Method, StatusCode, Instant)>>,
}

/// A loopback proxy in front of a real sandbox.
struct Proxy {
    _runtime: tokio::runtime::Runtime,
    base_url: String,
    state: Arc<ProxyState>,
}

impl Proxy {
    fn start(upstream: String, fail_after: Option<usize>, limit_first_post: bool) -> Proxy {
        // reqwest is built without a default TLS provider; the proxy speaks plain HTTP, but
        // the client wants one all the same (another test may have installed it already).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = runtime();
        let state = Arc::new(ProxyState {
            upstream,
            fail_after: Mutex::new(fail_after),
            limit_first_post,
            ..ProxyState::default()
        });
        let app = Router::new().fallback(forward).with_state(state.clone());
        let addr = runtime.block_on(common::serve(app));
        Proxy {
            _runtime: runtime,
            base_url: format!("http://{addr}"),
            state,
        }
    }

    fn heal(&self) {
        if let Ok(mut fail) = self.state.fail_after.lock() {
            *fail = None;
        }
    }

    fn seen(&self) -> Vec<(Method, StatusCode, Instant)> {
        self.state
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

async fn forward(
    State(state): State<Arc<ProxyState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (n, posts) = state.seen.lock().map_or((0, 0), |s| {
        (
            s.len(),
            s.iter().filter(|(m, _, _)| m == Method::POST).count(),
        )
    });
    let failing = state
        .fail_after
        .lock()
        .ok()
        .and_then(|f| *f)
        .is_some_and(|after| n >= after);
    let log = |status| {
        if let Ok(mut seen) = state.seen.lock() {
            seen.push((method.clone(), status, Instant::now()));
        }
    };
    if failing {
        log(StatusCode::SERVICE_UNAVAILABLE);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"detail": "down"})),
        )
            .into_response();
    }
    if state.limit_first_post && method == Method::POST && posts == 0 {
        log(StatusCode::TOO_MANY_REQUESTS);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, "1")],
            axum::Json(json!({"detail": "Too many requests"})),
        )
            .into_response();
    }
    let url = format!(
        "{}{}",
        state.upstream,
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let client = reqwest::Client::new();
    let mut request = client.request(method.clone(), url).body(body.to_vec());
    for (name, value) in &headers {
        if name != axum::http::header::HOST {
            request = request.header(name, value);
        }
    }
    let Ok(answer) = request.send().await else {
        log(StatusCode::BAD_GATEWAY);
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = answer.status();
    log(status);
    let content_type = answer
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .cloned();
    let bytes = answer.bytes().await.unwrap_or_default();
    let mut response = (status, bytes.to_vec()).into_response();
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, content_type);
    }
    response
}

/// A home whose `prod` is a live Databar target at `base_url`.
fn live_home(base_url: &str) -> Home {
    let mut home = Home::new();
    let config = format!(
        "[targets.prod]\nvendor = \"databar\"\nbase_url = \"{base_url}\"\nsecret_env = \"{KEY_ENV}\"\n"
    );
    home.config = Some(home.write("config.toml", config));
    std::fs::create_dir_all(home.path("ws")).expect("ws");
    for n in 0..8 {
        write_json(&home, &format!("ws/c{n}.json"), &connector("databar", n));
    }
    home
}

fn run(home: &Home, args: &[&str]) -> Out {
    let mut all = vec!["--target", "prod"];
    all.extend_from_slice(args);
    let out = home.run(&all);
    assert!(!out.all().contains(KEY), "the key leaked: {out:?}");
    assert!(!home.log().contains(KEY), "the key leaked into the log");
    out
}

/// The names the sandbox holds, sorted.
fn stored_names(sandbox: &RealSandbox) -> Vec<String> {
    let target = patchcord::connector::TargetRef::new("prod", &sandbox.base_url());
    let client = patchcord::api::Client::new(
        patchcord::connector::Vendor::Databar,
        &target,
        patchcord::config::Secret::new(KEY),
    )
    .expect("client");
    let mut names: Vec<String> = sandbox
        .runtime
        .block_on(client.list())
        .expect("list")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[test]
fn an_interrupted_apply_resumes_without_duplicates() {
    let sandbox = RealSandbox::start();
    // The list, then four creates, then the server goes down.
    let proxy = Proxy::start(sandbox.base_url(), Some(5), false);
    let home = live_home(&proxy.base_url);

    let out = run(&home, &["apply", "ws", "--yes"]);
    assert_eq!(out.code, 4, "a 503 is a server failure: {out:?}");
    assert!(out.stderr.contains("c4.json: create failed"), "{out:?}");
    assert!(out.stderr.contains("applied 4 of 8 changes"), "{out:?}");
    assert_eq!(stored_names(&sandbox).len(), 4);
    let recorded = (0..8)
        .filter(|n| read_json(&home, &format!("ws/c{n}.json"))["$patchcord"]["ids"].is_array())
        .count();
    assert_eq!(recorded, 4, "each id is in its file as soon as it exists");

    proxy.heal();
    let out = run(&home, &["plan", "ws"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stdout
            .contains("4 to create, 0 to replace, 0 to delete, 4 unchanged"),
        "{out:?}"
    );
    let out = run(&home, &["apply", "ws", "--yes"]);
    assert_eq!(out.code, 0, "{out:?}");
    let expected: Vec<String> = {
        let mut names: Vec<String> = (0..8).map(|n| format!("Databar {n}")).collect();
        names.sort();
        names
    };
    assert_eq!(stored_names(&sandbox), expected, "every connector once");
    assert_eq!(run(&home, &["plan", "ws"]).code, 0);
}

#[test]
fn a_429_is_waited_out_as_retry_after_says_even_for_a_create() {
    let sandbox = RealSandbox::start();
    let proxy = Proxy::start(sandbox.base_url(), None, true);
    let home = live_home(&proxy.base_url);
    for n in 1..8 {
        std::fs::remove_file(home.path(&format!("ws/c{n}.json"))).expect("rm");
    }
    let out = run(&home, &["apply", "ws", "--yes"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(stored_names(&sandbox), ["Databar 0"], "created once");
    let posts: Vec<(StatusCode, Instant)> = proxy
        .seen()
        .into_iter()
        .filter(|(m, _, _)| m == Method::POST)
        .map(|(_, s, t)| (s, t))
        .collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert_eq!(posts[0].0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(posts[1].0, StatusCode::CREATED);
    assert!(
        posts[1].1.duration_since(posts[0].1) >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );
}

/// An edit made to a file while `apply` works on it (here: while it waits out a 429) is not
/// overwritten: the new id goes into the file as it now is, which then plans as changed locally.
#[test]
fn apply_never_overwrites_an_edit_made_while_it_runs() {
    let sandbox = RealSandbox::start();
    let proxy = Proxy::start(sandbox.base_url(), None, true);
    let home = live_home(&proxy.base_url);
    for n in 1..8 {
        std::fs::remove_file(home.path(&format!("ws/c{n}.json"))).expect("rm");
    }
    let mut child = home
        .process(&["--target", "prod", "apply", "ws", "--yes"], &[])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn patchcord");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !proxy
        .seen()
        .iter()
        .any(|(_, status, _)| *status == StatusCode::TOO_MANY_REQUESTS)
    {
        assert!(Instant::now() < deadline, "no 429 was served");
        std::thread::park_timeout(Duration::from_millis(10));
    }
    let mut edited = read_json(&home, "ws/c0.json");
    edited["name"] = json!("Edited meanwhile");
    write_json(&home, "ws/c0.json", &edited);
    assert!(child.wait().expect("wait").success());

    let file = read_json(&home, "ws/c0.json");
    assert_eq!(file["name"], "Edited meanwhile", "the edit survives");
    assert!(file["$patchcord"]["ids"][0]["id"].is_number(), "{file}");
    assert_eq!(stored_names(&sandbox), ["Databar 0"]);
    let out = run(&home, &["plan", "ws"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stdout
            .contains("name: \"Databar 0\" → \"Edited meanwhile\""),
        "{out:?}"
    );
}
