//! The secret scan: distinctive secrets in every place a connector can hold one (headers,
//! params, body rows, the URL's query, Cargo `config` keys at any depth, Agent Stack
//! `metadata` and `client_secret`) and the target's key, then every CLI command, in text and
//! `--json`, against a real sandbox on loopback (`try` against its echo, which sends the
//! credentials back). No secret may appear in stdout, stderr, the log or the history file
//! unless `--reveal` asked for it.

use serde_json::{Value, json};
use std::fmt::Write as _;

mod common;
#[path = "common/sandbox.rs"]
mod sandbox;

use common::{Home, KEY, KEY_ENV, Out, runtime};
use sandbox::RealSandbox;

/// Every secret planted in the files; each is unique so a hit names its place.
const SECRETS: [&str; 8] = [
    "SECRET-HDR-1111",
    "SECRET-PRM-2222",
    "SECRET-BODY-3333",
    "SECRET-URL-4444",
    "SECRET-CS-5555",
    "SECRET-META-6666",
    "SECRET-CFG-7777",
    "SECRET-CFG-8888",
];

fn files(home: &Home, base: &str) {
    home.write(
        "db.json",
        json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Scan", "method": "post",
            "url": "https://api.example.com/v1/score?token=SECRET-URL-4444",
            "headers": [{"name": "Authorization", "value": "Bearer SECRET-HDR-1111"},
                        {"name": "Content-Type", "value": "application/json"}],
            "parameters": [{"name": "api_key", "value": "SECRET-PRM-2222"},
                           {"name": "domain", "value": ""}],
            "body": [{"name": "password", "value": "SECRET-BODY-3333"},
                     {"name": "company", "value": ""}],
            "rate_limit": 5
        })
        .to_string(),
    );
    home.write(
        "mcp.json",
        json!({
            "$patchcord": {"vendor": "agent_stack"},
            "url": format!("{base}/demo/mcp/oauth"),
            "client_id": "app", "client_secret": "SECRET-CS-5555",
            "metadata": {"team": "growth", "api_key": "SECRET-META-6666"}
        })
        .to_string(),
    );
    home.write(
        "cargo.json",
        json!({
            "$patchcord": {"vendor": "cargo"},
            "name": "Scan", "slug": "scan-1", "integrationSlug": "http",
            "config": {"baseUrl": "https://h.example",
                       "auth": {"token": "SECRET-CFG-7777"},
                       "steps": [{"headers": {"password": "SECRET-CFG-8888"}}]}
        })
        .to_string(),
    );
}

fn targets(home: &mut Home, base: &str) {
    let mut text = String::new();
    for (name, vendor) in [
        ("db", "databar"),
        ("agents", "agent_stack"),
        ("cg", "cargo"),
    ] {
        let _ = write!(
            text,
            "[targets.{name}]\nvendor = \"{vendor}\"\nbase_url = \"{base}\"\nsecret_env = \"{KEY_ENV}\"\n\n"
        );
    }
    home.config = Some(home.write("config.toml", text));
}

/// Fails naming the command and the secret when any output of the run shows one.
fn assert_clean(args: &[&str], out: &Out, log: &str) {
    for secret in SECRETS.iter().chain(std::iter::once(&KEY)) {
        assert!(
            !out.all().contains(secret),
            "`patchcord {}` showed {secret}:\n{out:?}",
            args.join(" ")
        );
        assert!(
            !log.contains(secret),
            "`patchcord {}` logged {secret}",
            args.join(" ")
        );
    }
}

/// Runs one command and checks that nothing it printed or logged shows a secret.
fn scan(home: &Home, args: &[&str]) -> Out {
    let out = home.run(args);
    assert_clean(args, &out, &home.log());
    out
}

/// [`scan`] in text, then again with `--json`; returns the JSON run.
fn scan_both(home: &Home, args: &[&str]) -> Out {
    scan(home, args);
    let mut with_json = args.to_vec();
    with_json.push("--json");
    scan(home, &with_json)
}

fn id_of(out: &Out) -> String {
    let value: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    let id = &value["id"];
    id.as_str()
        .map(str::to_owned)
        .or_else(|| id.as_i64().map(|n| n.to_string()))
        .expect("the JSON answer has an id")
}

/// A server that refuses everything with a message quoting what it was sent: the key, the
/// request body and its credentials.
async fn echoing_server() -> String {
    use axum::http::{HeaderMap, StatusCode};
    let app = axum::Router::new().fallback(|headers: HeaderMap, body: String| async move {
        let key = headers
            .get("x-apikey")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let detail = format!("key {key} may not send {body}");
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"detail": detail})),
        )
    });
    let addr = common::serve(app).await;
    format!("http://{addr}")
}

#[test]
fn a_server_that_echoes_secrets_back_is_scrubbed() {
    let rt = runtime();
    let base = rt.block_on(echoing_server());
    let mut home = Home::new();
    targets(&mut home, &base);
    files(&home, &base);
    for args in [
        &["submit", "db.json", "--target", "db"][..],
        &["submit", "db.json", "--target", "db", "--json"],
    ] {
        let out = scan(&home, args);
        out.exits(3, &["may not send"]);
    }
}

#[test]
fn no_command_shows_a_secret_unless_revealed() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = RealSandbox::start();
    let base = sandbox.base_url();
    let mut home = Home::new();
    targets(&mut home, &base);
    files(&home, &base);

    for (file, target, vendor) in [
        ("db.json", "db", "databar"),
        ("mcp.json", "agents", "agent_stack"),
        ("cargo.json", "cg", "cargo"),
    ] {
        let t = ["--target", target];
        scan_both(&home, &["validate", file]);
        scan_both(&home, &["curl", file, t[0], t[1]]);
        scan_both(&home, &["submit", file, "--dry-run", t[0], t[1]]);
        // Create in text, then update (Agent Stack: recreate) in JSON.
        let created = scan(&home, &["submit", file, t[0], t[1]]);
        assert_eq!(created.code, 0, "{created:?}");
        let again: &[&str] = if vendor == "agent_stack" {
            &["submit", file, "--recreate", "--json"]
        } else {
            &["submit", file, "--json"]
        };
        let updated = scan(&home, &[again, &t].concat());
        assert_eq!(updated.code, 0, "{updated:?}");
        let id = id_of(&updated);
        scan_both(&home, &["list", t[0], t[1]]);
        let pulled = scan_both(&home, &["pull", &id, t[0], t[1]]);
        assert_eq!(pulled.code, 0, "{pulled:?}");
        if vendor == "agent_stack" {
            scan_both(&home, &["connect", &id, t[0], t[1]]);
            scan_both(&home, &["disconnect", &id, t[0], t[1]]);
        }
        let copy = format!("pulled-{vendor}.json");
        scan(&home, &["pull", &id, "-o", &copy, t[0], t[1]]);
        let kept = std::fs::read_to_string(home.path(&copy)).unwrap_or_default();
        assert!(
            kept.contains("SECRET-"),
            "-o FILE keeps the values as stored: {kept}"
        );
        scan(&home, &["delete", &id, t[0], t[1]]);
    }
    scan_both(&home, &["pull", "999999", "--target", "db"]);

    // `try` fires the connector itself: at the sandbox's echo, which sends every credential
    // back; the output, the history and its file show none of them.
    let mut fired: Value =
        serde_json::from_str(&std::fs::read_to_string(home.path("db.json")).unwrap_or_default())
            .unwrap_or(Value::Null);
    fired["url"] = json!(format!("{base}/demo/echo?token=SECRET-URL-4444"));
    home.write("try.json", fired.to_string());
    home.write(
        "rows.csv",
        "domain,company
acme.com,Acme
globex.com,Globex
",
    );
    let tried = scan_both(&home, &["try", "try.json", "-s", "domain=acme.com"]);
    assert_eq!(tried.code, 0, "{tried:?}");
    assert!(tried.stdout.contains("/demo/echo"), "{tried:?}");
    scan_both(&home, &["try", "try.json", "--rows", "rows.csv"]);
    scan_both(&home, &["history"]);
    scan_both(&home, &["history", "try.json"]);
    scan_both(&home, &["history", "--show", "1"]);
    let kept = std::fs::read(home.path("xdg-state/patchcord/history.sqlite3")).unwrap_or_default();
    let kept = String::from_utf8_lossy(&kept);
    assert!(kept.contains("/demo/echo"), "the history keeps the tries");
    for secret in SECRETS {
        assert!(!kept.contains(secret), "the history file holds {secret}");
    }

    // Asked for explicitly, the values come out.
    let out = home.run(&["curl", "db.json", "--target", "db", "--reveal"]);
    assert!(out.stdout.contains("SECRET-HDR-1111"), "{out:?}");
    assert!(out.stdout.contains(KEY), "{out:?}");
    let out = home.run(&["curl", "cargo.json", "--target", "cg", "--reveal"]);
    assert!(out.stdout.contains("SECRET-CFG-8888"), "{out:?}");
}
