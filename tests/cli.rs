//! The CLI end to end: the built `patchcord` binary against real HTTP servers on 127.0.0.1,
//! the real sandbox (started in-process here, or embedded by the CLI itself) for the happy
//! paths, and a small axum server in this file for the failures (HTML, 500, a closed
//! connection, 429 with Retry-After, a 422 list). Every bad input of issue 3 is checked for its
//! exit code and a message naming the field or the cause. All XDG and patchcord variables point
//! into a temporary directory, so no test touches the real home.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

mod common;
#[path = "common/ids.rs"]
mod ids;
#[path = "common/sandbox.rs"]
mod sandbox;

use common::{Home, KEY, KEY_ENV, Out, runtime};
use sandbox::RealSandbox;

/// Seed 000's example request as a connector file.
const SCORING: &str = include_str!("fixtures/seed_000_request.json");

/// What only these tests ask of a home.
trait DatabarHome {
    fn read(&self, name: &str) -> String;
    /// Points the CLI at `base_url` as the default target `test`, key from `$PATCHCORD_TEST_KEY`.
    fn target(&mut self, base_url: &str);
}

impl DatabarHome for Home {
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read test file")
    }

    fn target(&mut self, base_url: &str) {
        let text = format!(
            "default_target = \"test\"\n\n[targets.test]\nvendor = \"databar\"\nbase_url = \"{base_url}\"\nsecret_env = \"{KEY_ENV}\"\n"
        );
        self.config = Some(self.write("config.toml", text));
    }
}

/// What the fake server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// 200 with an HTML page (a base URL pointing at a website).
    Html,
    /// 502 with a proxy's HTML error page.
    BadGateway,
    /// 500 with a JSON detail, every time.
    Error500,
    /// The first request of each method gets 429 + `Retry-After: 1`, later ones succeed.
    RateLimitedOnce,
    /// 422 with `FastAPI`'s list of `{loc, msg, type}`.
    Reject422,
}

/// One request the fake saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    at: Instant,
    key: Option<String>,
}

struct FakeState {
    mode: Mode,
    seen: Mutex<Vec<Seen>>,
}

struct Fake {
    _runtime: Runtime,
    addr: SocketAddr,
    state: Arc<FakeState>,
}

impl Fake {
    fn start(mode: Mode) -> Fake {
        let runtime = runtime();
        let state = Arc::new(FakeState {
            mode,
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .fallback(fake_handler)
            .with_state(state.clone());
        let addr = runtime.block_on(common::serve(app));
        Fake {
            _runtime: runtime,
            addr,
            state,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.state
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

fn stored_connector(id: u64) -> Value {
    let mut value: Value = serde_json::from_str(SCORING).expect("valid json");
    value["id"] = json!(id);
    value["rate_limit"] = json!(10);
    value["body_template"] = Value::Null;
    value["created_at"] = json!("2025-01-15T10:30:00Z");
    value
}

async fn fake_handler(
    State(state): State<Arc<FakeState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    _body: Bytes,
) -> Response {
    let earlier = {
        let Ok(mut seen) = state.seen.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let earlier = seen.iter().filter(|s| s.method == method.as_str()).count();
        seen.push(Seen {
            method: method.to_string(),
            path: uri.path().to_owned(),
            at: Instant::now(),
            key: headers
                .get("x-apikey")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        });
        earlier
    };
    let html = [(axum::http::header::CONTENT_TYPE, "text/html")];
    match state.mode {
        Mode::Html => (
            StatusCode::OK,
            html,
            "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>",
        )
            .into_response(),
        Mode::BadGateway => (
            StatusCode::BAD_GATEWAY,
            html,
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        )
            .into_response(),
        Mode::Error500 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"detail": "database is on fire"})),
        )
            .into_response(),
        Mode::Reject422 => (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"detail": [
                {"loc": ["body", "headers", 1, "name"], "msg": "Field required", "type": "missing"},
                {"loc": ["body", "rate_limit"], "msg": "Input should be greater than or equal to 1", "type": "greater_than_equal"}
            ]})),
        )
            .into_response(),
        Mode::RateLimitedOnce if earlier == 0 => (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, "1")],
            axum::Json(json!({"detail": "Too many requests"})),
        )
            .into_response(),
        Mode::RateLimitedOnce => match method {
            Method::GET if uri.path() == "/v1/connectors/" => {
                axum::Json(json!([stored_connector(7)])).into_response()
            }
            Method::GET | Method::PUT => axum::Json(stored_connector(7)).into_response(),
            Method::POST => (StatusCode::CREATED, axum::Json(stored_connector(7))).into_response(),
            _ => StatusCode::NO_CONTENT.into_response(),
        },
    }
}

/// A server that accepts connections and never answers (held open until the test ends).
struct Silent {
    _runtime: Runtime,
    addr: SocketAddr,
}

impl Silent {
    fn start() -> Silent {
        let runtime = runtime();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        runtime.spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        Silent {
            _runtime: runtime,
            addr,
        }
    }
}

/// A server that accepts connections and closes them without answering.
struct Closer {
    _runtime: Runtime,
    addr: SocketAddr,
    accepted: Arc<Mutex<usize>>,
}

impl Closer {
    fn start() -> Closer {
        let runtime = runtime();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let accepted = Arc::new(Mutex::new(0));
        let counter = accepted.clone();
        runtime.spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                if let Ok(mut n) = counter.lock() {
                    *n += 1;
                }
                let mut buf = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buf).await;
                drop(stream);
            }
        });
        Closer {
            _runtime: runtime,
            addr,
            accepted,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.lock().map(|n| *n).unwrap_or_default()
    }
}

/// The id a connector file records for the target `test` (the one `DatabarHome::target`
/// configures), or for the embedded sandbox.
fn file_id(home: &Home, name: &str) -> Option<u64> {
    let value: Value = serde_json::from_str(&home.read(name)).ok()?;
    value
        .get("$patchcord")?
        .get("ids")?
        .as_array()?
        .iter()
        .find(|entry| matches!(entry["target"].as_str(), Some("test" | "sandbox")))?
        .get("id")?
        .as_u64()
}

fn assert_secret_hidden(home: &Home, out: &Out) {
    assert!(
        !out.all().contains(KEY),
        "the key leaked into output: {out:?}"
    );
    assert!(!home.log().contains(KEY), "the key leaked into the log");
}

// ---------------------------------------------------------------- the real sandbox

#[test]
fn submit_creates_then_replaces_and_shows_what_the_server_changed() {
    let sandbox = RealSandbox::start();
    let mut home = Home::new();
    home.target(&sandbox.base_url());
    home.write("scoring.json", SCORING);

    let out = home.run(&["submit", "scoring.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = file_id(&home, "scoring.json").expect("the new id is recorded in the file");
    assert!(
        out.stdout
            .contains(&format!("created connector {id} on LIVE test")),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("rate_limit: sent 60, stored 10"),
        "{out:?}"
    );
    assert_secret_hidden(&home, &out);
    // The file kept its body: the name is still there, samples were not added to it.
    assert!(home.read("scoring.json").contains("\"My Scoring API\""));

    // Second submit: a PUT to the same id.
    let out = home.run(&["submit", "scoring.json", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let report: Value = serde_json::from_str(&out.stdout).expect("--json is JSON");
    assert_eq!(report["action"], "replaced");
    assert_eq!(report["id"], json!(id.to_string()));
    assert_eq!(report["changes"][0]["field"], "rate_limit");
    assert_eq!(report["changes"][0]["sent"], 60);
    assert_eq!(report["changes"][0]["stored"], 10);

    let out = home.run(&["list"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("My Scoring API"), "{out:?}");
    assert!(
        out.stderr.contains("1 connector on LIVE test"),
        "the count is status: {out:?}"
    );
    let out = home.run(&["list", "--json"]);
    let items: Value = serde_json::from_str(&out.stdout).expect("list --json is JSON");
    assert_eq!(items[0]["id"], json!(id));

    let out = home.run(&["pull", &id.to_string(), "-o", "pulled.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let pulled: Value = serde_json::from_str(&home.read("pulled.json")).expect("pulled file");
    assert_eq!(
        ids::without_bases(&pulled["$patchcord"]["ids"]),
        json!([{"target": "test", "base_url": sandbox.base_url(), "id": id}]),
        "pull records the target the id lives on"
    );
    assert_eq!(pulled["rate_limit"], 10);
    assert!(
        pulled.get("created_at").is_none(),
        "server-only fields are dropped"
    );

    let out = home.run(&["pull", &id.to_string()]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("\"$patchcord\""), "{out:?}");

    let out = home.run(&["delete", &id.to_string()]);
    assert_eq!(out.code, 0, "{out:?}");
    // A status line, on stderr: stdout is for data.
    assert!(
        out.stderr
            .contains(&format!("deleted connector {id} on LIVE test")),
        "{out:?}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");

    // Gone: pull and a PUT of the file are rejections (404), exit 3; the submit's message
    // names the way out, and `--create` takes it.
    let out = home.run(&["pull", &id.to_string()]);
    out.exits(3, &["404"]);
    let out = home.run(&["submit", "scoring.json"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "error: connector {id} no longer exists on LIVE test; run `patchcord submit --create scoring.json` to create it again"
        )),
        "{out:?}"
    );
    assert_eq!(
        file_id(&home, "scoring.json"),
        Some(id),
        "the file is untouched"
    );
    let out = home.run(&["submit", "--create", "scoring.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let new = file_id(&home, "scoring.json").expect("the new id is recorded");
    assert_ne!(new, id);
    assert!(
        out.stdout
            .contains(&format!("created connector {new} on LIVE test")),
        "{out:?}"
    );
    let out = home.run(&["list", "--json"]);
    let items: Value = serde_json::from_str(&out.stdout).expect("list --json is JSON");
    assert_eq!(items[0]["id"], json!(new));
}

#[test]
fn a_wrong_key_is_a_rejection() {
    let sandbox = RealSandbox::start();
    let mut home = Home::new();
    home.target(&sandbox.base_url());
    let out = home.run_with(&["list"], &[(KEY_ENV, "wrong-key-0123456789")]);
    out.exits(3, &["403"]);
    assert!(!out.all().contains("wrong-key-0123456789"), "{out:?}");
}

#[test]
fn the_embedded_sandbox_is_the_default_and_keeps_its_store() {
    let home = Home::new();
    home.write("scoring.json", SCORING);
    let db = home.path("sandbox.sqlite3");
    let db_env = db.to_string_lossy().into_owned();
    let env = [("PATCHCORD_SANDBOX_DB", db_env.as_str())];

    let out = home.run_with(&["submit", "scoring.json"], &env);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("on SANDBOX"), "{out:?}");
    assert!(
        out.stdout.contains("rate_limit: sent 60, stored 10"),
        "{out:?}"
    );

    // A new process, a new sandbox on the same file: the connector is still there.
    let out = home.run_with(&["list", "--target", "sandbox"], &env);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("My Scoring API"), "{out:?}");
    assert!(out.stderr.contains("1 connector on SANDBOX"), "{out:?}");
}

#[test]
fn dry_run_sends_nothing() {
    let fake = Fake::start(Mode::Error500);
    let mut home = Home::new();
    home.target(&fake.base_url());
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json", "--dry-run"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "dry run: would POST {}/v1/connectors/ on LIVE test",
            fake.base_url()
        )),
        "{out:?}"
    );
    assert!(out.stdout.contains("\"rate_limit\": 60"), "{out:?}");
    assert!(
        out.stdout.contains("\"Bearer ••••••••\"") && !out.stdout.contains("sk-xxx"),
        "credentials masked: {out:?}"
    );
    assert!(fake.seen().is_empty());
}

// ---------------------------------------------------------------- failures on the wire

#[test]
fn html_answers_are_network_failures() {
    let fake = Fake::start(Mode::Html);
    let mut home = Home::new();
    home.target(&fake.base_url());
    let out = home.run(&["list"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("an HTML page instead of JSON"),
        "{out:?}"
    );
    assert!(out.stderr.contains("Welcome to nginx!"), "{out:?}");

    let fake = Fake::start(Mode::BadGateway);
    home.target(&fake.base_url());
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json"]);
    out.exits(4, &["502 Bad Gateway"]);
    // A POST is never retried.
    assert_eq!(fake.seen().len(), 1);
    assert_eq!(
        file_id(&home, "scoring.json"),
        None,
        "no id recorded on failure"
    );
}

#[test]
fn a_500_is_retried_for_get_but_not_for_post() {
    let fake = Fake::start(Mode::Error500);
    let mut home = Home::new();
    home.target(&fake.base_url());
    let out = home.run(&["list"]);
    out.exits(4, &["500", "database is on fire", "after 4 attempts"]);
    assert_eq!(fake.seen().len(), 4, "GET is retried, bounded");
    assert!(fake.seen().iter().all(|s| s.key.as_deref() == Some(KEY)));

    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json"]);
    assert_eq!(out.code, 4, "{out:?}");
    let posts = fake.seen().iter().filter(|s| s.method == "POST").count();
    assert_eq!(posts, 1, "POST is never retried");
    assert_secret_hidden(&home, &out);
}

#[test]
fn a_closed_connection_is_a_clear_network_failure() {
    let closer = Closer::start();
    let mut home = Home::new();
    home.target(&format!("http://{}", closer.addr));
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json"]);
    out.exits(4, &["connection closed"]);
    assert_eq!(closer.accepted(), 1, "POST is not retried");

    let out = home.run(&["delete", "5"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(closer.accepted(), 1 + 4, "DELETE is retried 3 times");
}

#[test]
fn a_silent_server_times_out() {
    let silent = Silent::start();
    let mut home = Home::new();
    home.target(&format!("http://{}", silent.addr));
    let config = home.read("config.toml") + "\n[http]\nread_timeout = 1\nattempts = 2\n";
    home.write("config.toml", config);
    home.write("scoring.json", SCORING);
    let started = Instant::now();
    let out = home.run(&["submit", "scoring.json"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("no answer within 1s (timed out)"),
        "{out:?}"
    );
    let out = home.run(&["list"]);
    out.exits(4, &["timed out"]);
    // POST once (1s), GET twice (1s + 0.25s backoff + 1s): bounded, not hanging.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn serve_runs_the_sandbox_with_the_given_keys_and_plan() {
    use std::io::BufRead;
    let mut home = Home::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_patchcord"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            ":memory:",
            "--plan-rate-limit",
            "3",
        ])
        .env("PATCHCORD_SANDBOX_KEYS", format!("other-key,{KEY}"))
        .env("XDG_STATE_HOME", home.path("xdg-state"))
        .env("XDG_DATA_HOME", home.path("xdg-data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    // Drain stderr (where the banner is) on a thread for the server's whole life, so it
    // never writes to a closed pipe; the address line comes back through a channel.
    let stdout = child.stderr.take().expect("piped stderr");
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut base_url = None;
    while let Ok(line) = lines_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(url) = line.strip_prefix("patchcord sandbox listening on ") {
            base_url = Some(url.trim().to_owned());
            break;
        }
    }
    let Some(base_url) = base_url else {
        let _ = child.kill();
        unreachable!("serve did not print its address");
    };
    home.target(&base_url);
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("rate_limit: sent 60, stored 3"),
        "{out:?}"
    );
}

#[test]
fn nothing_listening_is_a_connect_failure() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let mut home = Home::new();
    home.target(&format!("http://{addr}"));
    let out = home.run(&["list"]);
    out.exits(4, &["cannot connect"]);
}

#[test]
fn retry_after_is_honoured_for_get_put_delete_and_never_for_post() {
    let fake = Fake::start(Mode::RateLimitedOnce);
    let mut home = Home::new();
    home.target(&fake.base_url());

    let out = home.run(&["list"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = home.run(&["delete", "7"]);
    assert_eq!(out.code, 0, "{out:?}");
    let mut with_id: Value = serde_json::from_str(SCORING).expect("json");
    with_id["$patchcord"] = json!({"vendor": "databar",
        "ids": [{"target": "test", "base_url": fake.base_url(), "id": 7}]});
    home.write("put.json", with_id.to_string());
    let out = home.run(&["submit", "put.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("replaced connector 7"), "{out:?}");

    home.write("post.json", SCORING);
    let out = home.run(&["submit", "post.json"]);
    out.exits(4, &["rate limited (429)", "retry after 1s"]);

    let seen = fake.seen();
    for method in ["GET", "PUT", "DELETE"] {
        let times: Vec<Instant> = seen
            .iter()
            .filter(|s| s.method == method)
            .map(|s| s.at)
            .collect();
        assert_eq!(times.len(), 2, "{method} retried once: {seen:?}");
        let gap = times[1].duration_since(times[0]);
        assert!(
            gap >= Duration::from_millis(950),
            "{method} waited {gap:?}, Retry-After said 1s"
        );
    }
    assert_eq!(
        seen.iter().filter(|s| s.method == "POST").count(),
        1,
        "{seen:?}"
    );
    // Exact paths: the collection keeps its trailing slash, the item has none.
    for s in &seen {
        let expected = match s.method.as_str() {
            "GET" | "POST" => "/v1/connectors/",
            _ => "/v1/connectors/7",
        };
        assert_eq!(s.path, expected, "{s:?}");
        assert_eq!(s.key.as_deref(), Some(KEY), "x-apikey carries the key");
    }
}

#[test]
fn a_422_is_shown_on_field_paths() {
    let fake = Fake::start(Mode::Reject422);
    let mut home = Home::new();
    home.target(&fake.base_url());
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json"]);
    out.exits(3, &["422 Unprocessable Entity"]);
    assert!(
        out.stderr.contains("\n  headers[1].name: Field required"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("\n  rate_limit: Input should be greater than or equal to 1"),
        "{out:?}"
    );
    let out = home.run(&["submit", "scoring.json", "--json"]);
    assert_eq!(out.code, 3, "{out:?}");
    let report: Value = serde_json::from_str(&out.stdout).expect("--json error is JSON");
    assert_eq!(report["error"]["status"], 422);
    assert_eq!(report["error"]["exit"], 3);
    assert_eq!(report["error"]["fields"][0]["path"], "headers[1].name");
    assert_eq!(report["error"]["fields"][0]["type"], "missing");
}

// ---------------------------------------------------------------- bad input

#[test]
fn validate_accepts_the_seed_and_reports_every_bad_input() {
    let home = Home::new();
    home.write("scoring.json", SCORING);
    let out = home.run(&["validate", "scoring.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "scoring.json: ok\n");

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "invalid.json",
            b"{\n  \"name\": \"x\",\n  \"method\": \n}".to_vec(),
            "invalid.json: invalid JSON at line 4, column 1",
        ),
        (
            "types.json",
            br#"{"name": "x", "method": "post", "url": "https://a.example", "rate_limit": "ten", "headers": {}}"#.to_vec(),
            "rate_limit: must be an integer or null",
        ),
        (
            "template.json",
            format!(
                r#"{{"name": "x", "method": "post", "url": "https://a.example", "body_template": "{}"}}"#,
                "a".repeat(2049)
            )
            .into_bytes(),
            "body_template: must be at most 2048 characters (got 2049)",
        ),
        (
            "url.json",
            format!(
                r#"{{"name": "x", "method": "post", "url": "https://a.example/{}"}}"#,
                "p".repeat(500)
            )
            .into_bytes(),
            "url: must be at most 512 characters (got 518)",
        ),
        (
            "latin1.json",
            b"{\"name\": \"caf\xe9\", \"method\": \"post\", \"url\": \"https://a.example\"}".to_vec(),
            "latin1.json: not UTF-8: invalid byte at offset 13",
        ),
        (
            "header.json",
            br#"{"name": "x", "method": "post", "url": "https://a.example", "headers": [{"name": "ok", "value": ""}, {"name": "bad name", "value": ""}]}"#.to_vec(),
            "header.json: error: headers[1].name:",
        ),
    ];
    for (name, bytes, expected) in &cases {
        home.write(name, bytes);
        let out = home.run(&["validate", name]);
        assert_eq!(out.code, 1, "{name}: {out:?}");
        assert!(
            out.all().contains(expected),
            "{name}: expected {expected:?} in {out:?}"
        );
    }
    let out = home.run(&["validate", "types.json"]);
    assert!(out.stdout.contains("headers: must be a list"), "{out:?}");

    let out = home.run(&["validate", "missing.json", "scoring.json"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.all().contains("missing.json: No such file"), "{out:?}");
    assert!(out.all().contains("scoring.json: ok"), "{out:?}");

    let out = home.run(&["validate", "types.json", "--json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let report: Value = serde_json::from_str(&out.stdout).expect("--json is JSON");
    assert_eq!(report[0]["ok"], false);
    let paths: Vec<&str> = report[0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["headers", "rate_limit"]);
}

#[test]
fn submit_refuses_an_invalid_file_without_sending() {
    let fake = Fake::start(Mode::Error500);
    let mut home = Home::new();
    home.target(&fake.base_url());
    home.write(
        "bad.json",
        br#"{"name": "", "method": "delete", "url": "ftp://x"}"#,
    );
    let out = home.run(&["submit", "bad.json"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("name: Name must not be empty"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("method: \"delete\" is not one of"),
        "{out:?}"
    );
    assert!(out.stderr.contains("url: must be http or https"), "{out:?}");
    assert!(fake.seen().is_empty());

    let out = home.run(&["submit", "nope.json"]);
    out.exits(1, &["nope.json"]);
}

#[test]
fn render_uses_samples_and_locates_errors() {
    let home = Home::new();
    let connector = json!({
        "name": "t", "method": "post", "url": "https://a.example",
        "headers": [{"name": "Content-Type", "value": "application/json"}],
        "body_template": "{\"domain\": {{ domain|tojson }}, \"n\": {{ n }}}"
    });
    home.write("t.json", connector.to_string());
    home.write("t.samples.json", r#"{"domain": "acme.io", "n": "3"}"#);
    let out = home.run(&["render", "t.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "{\"domain\": \"acme.io\", \"n\": 3}\n");

    let out = home.run(&["render", "t.json", "--sample", "domain=x.org", "-s", "n=4"]);
    assert_eq!(out.stdout, "{\"domain\": \"x.org\", \"n\": 4}\n", "{out:?}");

    // An empty sample makes the JSON invalid: the error has a line and column.
    let out = home.run(&["render", "t.json", "--sample", "n="]);
    out.exits(1, &["not valid JSON", "line 1, column 28"]);

    let out = home.run(&["render", "t.json", "--json", "--sample", "n="]);
    let report: Value = serde_json::from_str(&out.stdout).expect("--json is JSON");
    assert_eq!(report["variables"], json!(["domain", "n"]));
    assert_eq!(report["json"]["valid"], false);
    assert_eq!(report["json"]["column"], 28);

    let broken = json!({"name": "t", "method": "post", "url": "https://a.example",
                        "body_template": "line one\n{{ domain "});
    home.write("broken.json", broken.to_string());
    let out = home.run(&["render", "broken.json"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("body_template: syntax error"),
        "{out:?}"
    );
    assert!(out.stderr.contains("line 2"), "{out:?}");

    let out = home.run(&["render", "t.json", "--sample", "novalue"]);
    out.exits(2, &["expected NAME=VALUE"]);

    home.write("plain.json", SCORING);
    let out = home.run(&["render", "plain.json"]);
    out.exits(1, &["body_template is not set"]);
}

#[test]
fn curl_masks_secrets_unless_revealed() {
    let mut home = Home::new();
    home.target("https://api.databar.ai");
    home.write("scoring.json", SCORING);
    let out = home.run(&["curl", "scoring.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("curl --request POST"), "{out:?}");
    assert!(
        out.stdout
            .contains("'https://api.databar.ai/v1/connectors/'"),
        "{out:?}"
    );
    // The key by its source, so the pasted command works; the header credential is masked
    // and stderr names it.
    assert!(
        out.stdout
            .contains(&format!("--header \"x-apikey: ${KEY_ENV}\"")),
        "{out:?}"
    );
    assert!(
        !out.stdout.contains("sk-xxx"),
        "header credentials are masked: {out:?}"
    );
    assert!(out.stderr.contains("headers[0].value"), "{out:?}");
    assert_secret_hidden(&home, &out);

    let out = home.run(&["curl", "scoring.json", "--reveal"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(&format!("'x-apikey: {KEY}'")),
        "{out:?}"
    );
    assert!(out.stdout.contains("Bearer sk-xxx"), "{out:?}");
}

#[test]
fn usage_errors_exit_2() {
    let mut home = Home::new();
    let out = home.run(&["list", "--target", "nowhere"]);
    out.exits(2, &["unknown target \"nowhere\""]);

    // Global options go before the command too; the command is not taken for the editor's FILE.
    let out = home.run(&["--target", "nowhere", "list"]);
    out.exits(2, &["unknown target \"nowhere\""]);
    let out = home.run(&["scoring.json", "list"]);
    out.exits(2, &["cannot go before a command"]);

    let out = home.run(&["frobnicate", "x", "y"]);
    assert_eq!(out.code, 2, "{out:?}");

    home.config = Some(home.path("no-such-config.toml"));
    let out = home.run(&["list"]);
    out.exits(2, &["cannot read config file"]);

    // A secret from a command that fails: named, exit 2, nothing sent.
    home.config = Some(home.write(
        "config.toml",
        "default_target = \"cmd\"\n[targets.cmd]\nvendor = \"databar\"\nbase_url = \"http://127.0.0.1:9\"\nsecret_command = \"echo locked >&2; exit 1\"\n",
    ));
    let out = home.run(&["list"]);
    out.exits(2, &["secret command", "locked"]);

    home.config = Some(home.write(
        "config.toml",
        "[targets.prod]\nvendor = \"databar\"\nbase_ur = \"x\"\n",
    ));
    let out = home.run(&["list"]);
    out.exits(2, &["base_ur", "line 3"]);

    home.target("http://127.0.0.1:9");
    let out = home.run(&["delete", "../etc"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("not a valid Databar connector id"),
        "{out:?}"
    );

    let out = home.run_with(&["list"], &[(KEY_ENV, "")]);
    out.exits(2, &["secret is empty"]);
}

/// A bad `[keys]` table is a config error naming the key and value: commands that read the
/// config exit 2, and the editor refuses to start with the same message.
#[test]
fn a_bad_keys_table_is_a_config_error() {
    let mut home = Home::new();
    home.config = Some(home.write("config.toml", "[keys]\nsubmit = \"ctrl-nope\"\n"));
    let out = home.run(&["list"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("keys.submit = \"ctrl-nope\": unknown key name \"nope\""),
        "{out:?}"
    );
    let out = home.run(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("keys.submit = \"ctrl-nope\": unknown key name \"nope\""),
        "{out:?}"
    );
    // Any config the editor cannot read stops it the same way (it would run with other
    // targets than the user wrote), before it takes the terminal.
    home.config = Some(home.write("config.toml", "[targets.prod\nvendor = 1\n"));
    let out = home.run(&[]);
    out.exits(2, &["config file"]);
}

#[test]
fn every_command_has_help() {
    let home = Home::new();
    for command in [
        "validate", "render", "submit", "list", "pull", "delete", "curl", "serve",
    ] {
        let out = home.run(&[command, "--help"]);
        assert_eq!(out.code, 0, "{command}: {out:?}");
        assert!(
            out.stdout.contains("Usage: patchcord"),
            "{command}: {out:?}"
        );
    }
    let out = home.run(&["--help"]);
    assert!(out.stdout.contains("Exit codes:"), "{out:?}");
}

#[test]
fn pull_keeps_existing_samples() {
    let sandbox = RealSandbox::start();
    let mut home = Home::new();
    home.target(&sandbox.base_url());
    let template = json!({"name": "t", "method": "post", "url": "https://a.example",
                          "body_template": "{{ domain }}"});
    home.write("t.json", template.to_string());
    home.write("t.samples.json", r#"{"domain": "acme.io"}"#);
    let out = home.run(&["submit", "t.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = file_id(&home, "t.json").expect("id recorded").to_string();
    let out = home.run(&["pull", &id, "-o", "t.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.read("t.samples.json").contains("acme.io"));
}

/// The issue's 80-character loop bomb: it compiles, and rendering it would never end.
const LOOP_BOMB: &str =
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";

/// A macro calling itself three levels deep, ten times a level: 2 MB of output.
const MACRO_BOMB: &str = "{% macro m(n) %}{% if n > 0 %}{% for i in range(10) %}{{ m(n - 1) }}{% endfor %}{% else %}{{ 'x' * 2000 }}{% endif %}{% endmacro %}{{ m(3) }}";

/// How long a refused input may take before the run is killed (and the test fails).
const PROMPTLY: Duration = Duration::from_secs(20);

fn write_template(home: &Home, name: &str, template: &str) {
    let connector = json!({"name": "bomb", "method": "post", "url": "https://a.example",
                           "body_template": template});
    home.write(name, connector.to_string());
}

#[test]
fn render_of_a_template_bomb_stops_promptly_with_the_reason() {
    let home = Home::new();
    write_template(&home, "loop.json", LOOP_BOMB);
    let out = home.run_within(&["render", "loop.json"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("body_template: the template did not finish within its budget (fuel 500000)"),
        "{out:?}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");

    write_template(&home, "macro.json", MACRO_BOMB);
    let out = home.run_within(&["render", "macro.json", "--json"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    let report: Value = serde_json::from_str(&out.stdout).expect("--json is JSON");
    assert_eq!(report["output"], Value::Null);
    assert_eq!(
        report["error"]["message"],
        "the template renders more than 1 MiB"
    );
}

#[test]
fn submit_of_a_template_bomb_is_refused_before_anything_is_sent() {
    let home = Home::new();
    write_template(&home, "loop.json", LOOP_BOMB);
    let out = home.run_within(&["submit", "loop.json"], &[], PROMPTLY);
    out.exits(1, &["within its budget", "not submitted"]);
}

#[test]
fn validate_of_a_template_bomb_names_the_limit_with_the_files_samples() {
    let home = Home::new();
    write_template(&home, "loop.json", LOOP_BOMB);
    let out = home.run_within(&["validate", "loop.json"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "loop.json: error: body_template: the template did not finish within its budget (fuel 500000)"
        ),
        "{out:?}"
    );
    let out = home.run_within(&["validate", "loop.json", "--json"], &[], PROMPTLY);
    let report: Value = serde_json::from_str(&out.stdout).expect("--json is JSON");
    assert_eq!(report[0]["ok"], false);
    assert_eq!(report[0]["findings"][0]["rule"], "template_limit");
    assert_eq!(report[0]["findings"][0]["path"], "body_template");

    // The cost depends on the samples: cheap with the file's, a bomb with others.
    let sized = "{% for i in range(n|int) %}{% for j in range(n|int) %}x{% endfor %}{% endfor %}";
    write_template(&home, "sized.json", sized);
    home.write("sized.samples.json", r#"{"n": "3"}"#);
    let out = home.run_within(&["validate", "sized.json"], &[], PROMPTLY);
    assert_eq!(out.code, 0, "{out:?}");
    home.write("sized.samples.json", r#"{"n": "100000"}"#);
    let out = home.run_within(&["validate", "sized.json"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.contains("within its budget"), "{out:?}");
}

#[test]
fn endless_input_files_are_refused_at_16_mib() {
    let home = Home::new();
    let out = home.run_within(&["validate", "/dev/zero"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("/dev/zero: larger than 16 MiB"),
        "{out:?}"
    );
    let out = home.run_within(&["render", "/dev/zero"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("/dev/zero: larger than 16 MiB"),
        "{out:?}"
    );
    // The editor refuses it before it takes the terminal (no terminal needed to see it).
    let out = home.run_within(&["/dev/zero"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("/dev/zero: larger than 16 MiB"),
        "{out:?}"
    );
    // A samples file is held to the same cap.
    write_template(&home, "t.json", "{{ a }}");
    std::fs::File::create(home.path("t.samples.json"))
        .and_then(|f| f.set_len(16 * 1024 * 1024 + 1))
        .expect("sparse samples file");
    let out = home.run_within(&["render", "t.json"], &[], PROMPTLY);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("t.samples.json: larger than 16 MiB"),
        "{out:?}"
    );
}

/// A server that answers every request 200 with a JSON-looking body that never ends (chunked),
/// or, with `declared`, one that announces a 100 GiB `Content-Length`.
struct Flood {
    _runtime: Runtime,
    addr: SocketAddr,
}

impl Flood {
    fn start(declared: bool) -> Flood {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let runtime = runtime();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        runtime.spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    let head = if declared {
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 107374182400\r\n\r\n"
                    } else {
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                    };
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let piece = "[".repeat(64 * 1024);
                    let chunk = if declared {
                        piece
                    } else {
                        format!("{:x}\r\n{piece}\r\n", piece.len())
                    };
                    // Until the client hangs up.
                    while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                });
            }
        });
        Flood {
            _runtime: runtime,
            addr,
        }
    }
}

#[test]
fn a_server_answering_an_endless_body_is_refused_at_16_mib() {
    for declared in [false, true] {
        let flood = Flood::start(declared);
        let mut home = Home::new();
        home.target(&format!("http://{}", flood.addr));
        let out = home.run_within(&["list"], &[], PROMPTLY);
        assert_eq!(out.code, 4, "declared {declared}: {out:?}");
        assert!(
            out.stderr
                .contains("answered 200 with a body over patchcord's 16 MiB limit"),
            "declared {declared}: {out:?}"
        );
    }
}
