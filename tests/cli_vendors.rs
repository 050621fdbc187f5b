//! The CLI end to end for Agent Stack and Cargo: the built `patchcord` binary against the real
//! sandbox over 127.0.0.1, reached through a small recording proxy in this file so the tests can
//! assert the exact bytes, paths and auth headers each vendor's client sends (Cargo's partial
//! update without `slug`/`integrationSlug`, Basic and Bearer auth, Agent Stack's paging). The
//! connect tests start their own 127.0.0.1 "MCP server" that answers 401 (or 200), which the
//! sandbox probes. All XDG and patchcord variables point into a temporary directory.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use patchcord::api::Client;
use patchcord::config::Secret;
use patchcord::connector::{TargetRef, Vendor};
use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::runtime::Runtime;

mod common;
#[path = "common/ids.rs"]
mod ids;

use common::{Home, KEY, KEY_ENV, Out, runtime};

/// An Agent Stack connector file; `{url}` is replaced per test.
const MCP: &str = r#"{
  "$patchcord": {"vendor": "agent_stack"},
  "url": "{url}",
  "metadata": {"team": "growth"},
  "match_preset": false
}"#;

/// A Cargo connector file; `{slug}` is replaced per test.
const CARGO: &str = r#"{
  "$patchcord": {"vendor": "cargo"},
  "name": "Company scoring API",
  "slug": "{slug}",
  "integrationSlug": "http",
  "config": {"baseUrl": "https://api.example.com/v1", "path": "/score"},
  "rateLimit": {"unit": "minute", "max": 60},
  "cacheTtlMilliseconds": 3600000
}"#;

fn mcp_file(url: &str) -> String {
    MCP.replace("{url}", url)
}

fn cargo_file(slug: &str) -> String {
    CARGO.replace("{slug}", slug)
}

/// What only these tests ask of a home.
trait VendorHome {
    fn json(&self, name: &str) -> Value;
    /// The remote id recorded in a connector file.
    fn file_id(&self, name: &str) -> Option<String>;
    /// Targets `agents` (Agent Stack), `cargo-t` (Cargo) and `db` (Databar), all at
    /// `base_url`, key from `$PATCHCORD_TEST_KEY`.
    fn targets(&mut self, base_url: &str);
}

impl VendorHome for Home {
    fn json(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.path(name)).expect("read test file");
        serde_json::from_str(&text).expect("test file is JSON")
    }

    fn file_id(&self, name: &str) -> Option<String> {
        self.json(name)
            .get("$patchcord")?
            .get("ids")?
            .get(0)?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    }

    fn targets(&mut self, base_url: &str) {
        let mut text = String::new();
        for (name, vendor) in [
            ("agents", "agent_stack"),
            ("cargo-t", "cargo"),
            ("db", "databar"),
        ] {
            let _ = write!(
                text,
                "[targets.{name}]\nvendor = \"{vendor}\"\nbase_url = \"{base_url}\"\nsecret_env = \"{KEY_ENV}\"\n\n"
            );
        }
        self.config = Some(self.write("config.toml", text));
    }
}

/// One request the proxy passed on.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query.
    path: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    seen: Mutex<Vec<Seen>>,
}

/// The real sandbox in this process, behind a recording proxy, both on ephemeral loopback
/// ports.
struct World {
    runtime: Runtime,
    sandbox: Option<Sandbox>,
    proxy: SocketAddr,
    state: Arc<ProxyState>,
}

impl World {
    fn start() -> World {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = runtime();
        let sandbox = runtime
            .block_on(Sandbox::start(ServeOptions {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                db: DbPath::Memory,
                keys: vec![KEY.to_owned()],
                plan: Plan::default(),
            }))
            .expect("sandbox starts");
        let state = Arc::new(ProxyState {
            upstream: sandbox.base_url(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("proxy client"),
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new().fallback(forward).with_state(state.clone());
        let proxy = runtime.block_on(common::serve(app));
        World {
            runtime,
            sandbox: Some(sandbox),
            proxy,
            state,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.proxy)
    }

    fn seen(&self) -> Vec<Seen> {
        self.state
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    fn clear(&self) {
        if let Ok(mut seen) = self.state.seen.lock() {
            seen.clear();
        }
    }

    /// A library client straight at the sandbox (for setup and for checking what it stored).
    fn client(&self, vendor: Vendor) -> Client {
        let base = self
            .sandbox
            .as_ref()
            .map(Sandbox::base_url)
            .unwrap_or_default();
        Client::new(vendor, &TargetRef::new("direct", &base), Secret::new(KEY)).expect("client")
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }
}

async fn forward(
    State(state): State<Arc<ProxyState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Ok(mut seen) = state.seen.lock() {
        seen.push(Seen {
            method: method.to_string(),
            path: path.clone(),
            authorization: authorization.clone(),
            body: body.to_vec(),
        });
    }
    let mut request = state
        .http
        .request(method, format!("{}{path}", state.upstream))
        .body(body.to_vec());
    for name in [header::AUTHORIZATION, header::CONTENT_TYPE] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let Ok(answer) = request.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = answer.status();
    let mut copied = HeaderMap::new();
    for name in [header::CONTENT_TYPE, header::WWW_AUTHENTICATE] {
        if let Some(value) = answer.headers().get(&name) {
            copied.insert(name, value.clone());
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    (status, copied, bytes).into_response()
}

/// A stand-in MCP server on 127.0.0.1 that answers every request with `status` (401 with a
/// bearer challenge, or 200).
struct Mcp {
    _runtime: Runtime,
    addr: SocketAddr,
}

impl Mcp {
    fn start(status: StatusCode) -> Mcp {
        let runtime = runtime();
        let app = Router::new().fallback(move || async move {
            let mut headers = HeaderMap::new();
            if status == StatusCode::UNAUTHORIZED {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"mcp\""),
                );
            }
            (
                status,
                headers,
                axum::Json(json!({"jsonrpc": "2.0", "id": 1, "result": {}})),
            )
        });
        let addr = runtime.block_on(common::serve(app));
        Mcp {
            _runtime: runtime,
            addr,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }
}

fn assert_secret_hidden(home: &Home, out: &Out) {
    assert!(
        !out.all().contains(KEY),
        "the key leaked into output: {out:?}"
    );
    assert!(!home.log().contains(KEY), "the key leaked into the log");
}

fn basic_header() -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("patchcord:{KEY}"));
    format!("Basic {encoded}")
}

// ---------------------------------------------------------------- Agent Stack

#[test]
fn agent_stack_create_list_pull_delete() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("mcp.json", mcp_file("https://mcp.example.com/mcp"));

    let out = home.run(&["submit", "mcp.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = home.file_id("mcp.json").expect("the new id is recorded");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert!(
        out.stdout.starts_with(&format!(
            "created connector {id} on LIVE agents (id recorded in mcp.json)\n"
        )),
        "{out:?}"
    );
    let post = world
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .expect("a POST");
    assert_eq!(post.path, "/api/v1/connectors");
    assert_eq!(post.authorization.as_deref(), Some(basic_header().as_str()));
    assert_eq!(
        post.json(),
        json!({"url": "https://mcp.example.com/mcp", "metadata": {"team": "growth"}, "match_preset": false})
    );
    assert_secret_hidden(&home, &out);

    let out = home.run(&["list", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("ID"), "{out:?}");
    assert!(lines[0].contains("STATE"), "{out:?}");
    assert!(lines[1].starts_with(&id), "{out:?}");
    assert!(lines[1].contains("created"), "{out:?}");
    assert!(lines[1].ends_with("https://mcp.example.com/mcp"), "{out:?}");
    assert_eq!(lines.len(), 2, "the rows only: {out:?}");
    assert_eq!(out.stderr, "1 connector on LIVE agents\n", "{out:?}");

    let out = home.run(&["pull", &id, "--target", "agents", "-o", "pulled.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let pulled = home.json("pulled.json");
    assert_eq!(
        ids::without_bases(&pulled["$patchcord"]),
        json!({"vendor": "agent_stack", "ids": [{"target": "agents", "base_url": world.base_url(), "id": id}]})
    );
    assert_eq!(pulled["url"], "https://mcp.example.com/mcp");
    assert_eq!(pulled["metadata"], json!({"team": "growth"}));
    assert!(
        pulled.get("state").is_none(),
        "server fields stay out: {pulled}"
    );

    let out = home.run(&["delete", &id, "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr,
        format!("deleted connector {id} on LIVE agents\n")
    );
    let out = home.run(&["pull", &id, "--target", "agents"]);
    out.exits(3, &["404"]);
    let out = home.run(&["pull", "42", "--target", "agents"]);
    assert_eq!(out.code, 2, "a Databar-style id is a usage error: {out:?}");
    assert!(
        out.stderr.contains("not a valid Agent Stack connector id"),
        "{out:?}"
    );
}

#[test]
fn agent_stack_edit_is_refused_without_recreate_and_recreated_with_it() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("mcp.json", mcp_file("https://mcp.example.com/mcp"));
    let out = home.run(&["submit", "mcp.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let old = home.file_id("mcp.json").expect("id recorded");

    // Edit the file, keeping its id.
    let mut edited = home.json("mcp.json");
    edited["metadata"] = json!({"team": "sales"});
    home.write(
        "mcp.json",
        serde_json::to_vec_pretty(&edited).expect("json"),
    );
    world.clear();
    let out = home.run(&["submit", "mcp.json", "--target", "agents"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "Agent Stack has no update; editing connector {old} means deleting it and creating it again"
        )),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("patchcord submit --recreate mcp.json"),
        "{out:?}"
    );
    assert!(
        world.seen().is_empty(),
        "nothing is sent: {:?}",
        world.seen()
    );
    assert_eq!(home.file_id("mcp.json").as_deref(), Some(old.as_str()));

    let out = home.run(&["submit", "mcp.json", "--target", "agents", "--dry-run"]);
    assert_eq!(out.code, 1, "a dry run is refused the same way: {out:?}");
    let out = home.run(&[
        "submit",
        "mcp.json",
        "--target",
        "agents",
        "--dry-run",
        "--recreate",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(&format!(
            "dry run: would DELETE {}/api/v1/connectors/{old}, then POST {}/api/v1/connectors on LIVE agents",
            world.base_url(),
            world.base_url()
        )),
        "{out:?}"
    );
    assert!(world.seen().is_empty(), "a dry run sends nothing");

    let out = home.run(&["submit", "mcp.json", "--target", "agents", "--recreate"]);
    assert_eq!(out.code, 0, "{out:?}");
    let new = home.file_id("mcp.json").expect("new id recorded");
    assert_ne!(new, old);
    assert!(
        out.stdout.starts_with(&format!(
            "recreated connector {new} on LIVE agents (deleted {old}) (id recorded in mcp.json)\n\
             the new connector is in state created: run `patchcord connect {new}` to connect it\n"
        )),
        "{out:?}"
    );
    let calls: Vec<(String, String)> = world
        .seen()
        .into_iter()
        .map(|s| (s.method, s.path))
        .collect();
    // The GET finds the server holding something else: an edit, so recreated.
    assert_eq!(
        calls,
        vec![
            ("GET".to_owned(), format!("/api/v1/connectors/{old}")),
            ("DELETE".to_owned(), format!("/api/v1/connectors/{old}")),
            ("POST".to_owned(), "/api/v1/connectors".to_owned()),
        ]
    );
    let out = home.run(&["list", "--target", "agents", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let items: Value = serde_json::from_str(&out.stdout).expect("json list");
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
    assert_eq!(items[0]["id"], json!(new));
    assert_eq!(items[0]["metadata"], json!({"team": "sales"}));
}

#[test]
fn connect_shows_the_authorization_link_and_disconnect_follows_the_states() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    let locked = Mcp::start(StatusCode::UNAUTHORIZED);
    home.write("mcp.json", mcp_file(&locked.url()));
    let out = home.run(&["submit", "mcp.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = home.file_id("mcp.json").expect("id recorded");

    // Disconnect before any connect: the vendor's 400.
    let out = home.run(&["disconnect", &id, "--target", "agents"]);
    out.exits(3, &["connected or auth_required"]);

    world.clear();
    let out = home.run(&[
        "connect",
        &id,
        "--target",
        "agents",
        "--redirect-url",
        "http://127.0.0.1:9/back",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let link = format!("http://{}/authorize", locked.addr);
    assert_eq!(
        out.stdout,
        format!(
            "connector {id} on LIVE agents: auth_required\nauthorize at: {link}\nopen the link in a browser to grant access\n"
        )
    );
    let seen = world.seen();
    assert_eq!(
        seen.len(),
        1,
        "connect is one POST, never retried: {seen:?}"
    );
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, format!("/api/v1/connectors/{id}/connect"));
    assert_eq!(
        seen[0].json(),
        json!({"redirect_url": "http://127.0.0.1:9/back"})
    );

    let out = home.run(&["connect", &id, "--target", "agents", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let answer: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(answer["state"], "auth_required");
    assert_eq!(answer["authorization_endpoint"], json!(link));

    let out = home.run(&["disconnect", &id, "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with(&format!("connector {id} on LIVE agents: disconnected\n")),
        "{out:?}"
    );
    assert!(out.stdout.contains("disconnect reason: "), "{out:?}");

    // A reachable server connects; an unreachable one is the vendor's 504 (exit 4).
    let open = Mcp::start(StatusCode::OK);
    home.write("open.json", mcp_file(&open.url()));
    let out = home.run(&["submit", "open.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let open_id = home.file_id("open.json").expect("id recorded");
    let out = home.run(&["connect", &open_id, "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        format!("connector {open_id} on LIVE agents: connected\n")
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_url = format!("http://{}/mcp", closed.local_addr().expect("addr"));
    drop(closed);
    home.write("gone.json", mcp_file(&closed_url));
    let out = home.run(&["submit", "gone.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    let gone_id = home.file_id("gone.json").expect("id recorded");
    world.clear();
    let out = home.run(&["connect", &gone_id, "--target", "agents"]);
    out.exits(4, &["504"]);
    assert_eq!(world.seen().len(), 1, "a failed connect is not retried");
}

#[test]
fn agent_stack_list_follows_every_page() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    let client = world.client(Vendor::AgentStack);
    world.runtime.block_on(async {
        for n in 0..45 {
            client
                .create(&json!({"url": format!("https://mcp{n}.example.com/mcp"), "match_preset": false}))
                .await
                .expect("create");
        }
    });
    let out = home.run(&["list", "--target", "agents", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let items: Value = serde_json::from_str(&out.stdout).expect("json");
    let urls: Vec<&str> = items
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["url"].as_str())
        .collect();
    assert_eq!(urls.len(), 45, "{urls:?}");
    assert_eq!(urls.first(), Some(&"https://mcp0.example.com/mcp"));
    assert_eq!(urls.last(), Some(&"https://mcp44.example.com/mcp"));
    let gets: Vec<String> = world.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(gets.len(), 2, "two pages: {gets:?}");
    assert_eq!(gets[0], "/api/v1/connectors");
    assert!(
        gets[1].starts_with("/api/v1/connectors?page_token="),
        "{gets:?}"
    );
}

// ---------------------------------------------------------------- Cargo

#[test]
fn cargo_create_update_list_pull_delete() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("cargo.json", cargo_file("company-scoring"));

    let out = home.run(&["submit", "cargo.json", "--target", "cargo-t"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = home.file_id("cargo.json").expect("uuid recorded");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert_eq!(
        out.stdout,
        format!(
            "created connector {id} on LIVE cargo-t (id recorded in cargo.json)\nstored as sent\n"
        )
    );
    let post = world
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .expect("a POST");
    assert_eq!(post.path, "/v1/connection/connectors");
    assert_eq!(
        post.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(post.json()["slug"], "company-scoring");
    assert_eq!(post.json()["integrationSlug"], "http");
    assert_secret_hidden(&home, &out);

    // Edit the updatable fields and, by mistake, the slug.
    let mut edited = home.json("cargo.json");
    edited["name"] = json!("Company scoring v2");
    edited["rateLimit"] = json!({"unit": "hour", "max": 500});
    edited["slug"] = json!("renamed-slug");
    home.write(
        "cargo.json",
        serde_json::to_vec_pretty(&edited).expect("json"),
    );
    world.clear();
    let out = home.run(&["submit", "cargo.json", "--target", "cargo-t"]);
    assert_eq!(out.code, 0, "{out:?}");
    let seen = world.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].path, format!("/v1/connection/connectors/{id}"));
    let body = String::from_utf8_lossy(&seen[0].body).into_owned();
    assert!(
        !body.contains("slug"),
        "slug and integrationSlug are never sent: {body}"
    );
    assert_eq!(
        seen[0].json(),
        json!({
            "name": "Company scoring v2",
            "config": {"baseUrl": "https://api.example.com/v1", "path": "/score"},
            "rateLimit": {"unit": "hour", "max": 500},
            "cacheTtlMilliseconds": 3_600_000,
        })
    );
    assert_eq!(
        out.stdout,
        format!(
            "updated connector {id} on LIVE cargo-t\n\
             not sent: slug is fixed once created; the file says \"renamed-slug\", the server keeps \"company-scoring\"\n\
             stored as sent\n"
        )
    );

    let stored = world
        .runtime
        .block_on(world.client(Vendor::Cargo).get(&id))
        .expect("stored");
    assert_eq!(stored["name"], "Company scoring v2");
    assert_eq!(stored["slug"], "company-scoring");
    assert_eq!(stored["rateLimit"], json!({"unit": "hour", "max": 500}));

    let out = home.run(&["list", "--target", "cargo-t"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("ID"), "{out:?}");
    assert!(lines[0].contains("SLUG"), "{out:?}");
    assert!(lines[1].starts_with(&id), "{out:?}");
    assert!(lines[1].contains("company-scoring"), "{out:?}");
    assert!(lines[1].ends_with("Company scoring v2"), "{out:?}");

    let out = home.run(&["pull", &id, "--target", "cargo-t", "-o", "pulled.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let pulled = home.json("pulled.json");
    assert_eq!(
        ids::without_bases(&pulled["$patchcord"]),
        json!({"vendor": "cargo", "ids": [{"target": "cargo-t", "base_url": world.base_url(), "id": id}]})
    );
    assert_eq!(pulled["slug"], "company-scoring");
    assert!(pulled.get("workspaceUuid").is_none(), "{pulled}");

    let out = home.run(&["delete", &id, "--target", "cargo-t"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = home.run(&["submit", "pulled.json", "--target", "cargo-t"]);
    assert_eq!(
        out.code, 3,
        "updating a deleted connector is a 404: {out:?}"
    );
    let way_out = format!(
        "connector {id} no longer exists on LIVE cargo-t; run `patchcord submit --create --target cargo-t pulled.json`"
    );
    assert!(out.stderr.contains(&way_out), "{out:?}");
}

#[test]
fn cargo_rejections_keep_the_vendor_message() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("a.json", cargo_file("same-slug"));
    home.write("b.json", cargo_file("same-slug"));
    assert_eq!(
        home.run(&["submit", "a.json", "--target", "cargo-t"]).code,
        0
    );
    let out = home.run(&["submit", "b.json", "--target", "cargo-t"]);
    out.exits(3, &["409"]);
    assert!(
        out.stderr.contains("slug \"same-slug\" already exists"),
        "{out:?}"
    );
    assert_eq!(home.file_id("b.json"), None, "no id on a refused create");
    // The conflict is about the slug, the one field that can clash: `--json` says so.
    let out = home.run(&["submit", "b.json", "--target", "cargo-t", "--json"]);
    assert_eq!(out.code, 3, "{out:?}");
    let error: serde_json::Value = serde_json::from_str(&out.stdout).expect("--json error is JSON");
    assert_eq!(error["error"]["fields"][0]["path"], "slug", "{error}");

    let out = home.run_with(
        &["list", "--target", "cargo-t"],
        &[(KEY_ENV, "wrong-token-0000000000")],
    );
    out.exits(3, &["401"]);

    // A bad unit is caught before sending, with the field named.
    let mut bad: Value = serde_json::from_str(&cargo_file("bad-unit")).expect("json");
    bad["rateLimit"]["unit"] = json!("week");
    home.write("bad.json", serde_json::to_vec(&bad).expect("json"));
    world.clear();
    let out = home.run(&["submit", "bad.json", "--target", "cargo-t"]);
    out.exits(1, &["rateLimit"]);
    assert!(world.seen().is_empty());
}

// ---------------------------------------------------------------- every vendor

#[test]
fn the_embedded_sandbox_follows_the_file_and_the_vendor_flag() {
    let mut home = Home::new();
    home.sandbox_db = home.path("sandbox.sqlite3").display().to_string();
    home.write("mcp.json", mcp_file("https://mcp.example.com/mcp"));
    home.write("cargo.json", cargo_file("embedded"));

    let out = home.run(&["submit", "mcp.json", "--target", "sandbox"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("on SANDBOX"), "{out:?}");
    let agent_id = home.file_id("mcp.json").expect("id");
    let out = home.run(&["submit", "cargo.json"]);
    assert_eq!(out.code, 0, "the sandbox is the default target: {out:?}");
    let cargo_id = home.file_id("cargo.json").expect("id");

    let out = home.run(&["list", "--vendor", "agent_stack"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(&agent_id), "{out:?}");
    assert_eq!(out.stderr, "1 connector on SANDBOX\n", "{out:?}");
    let out = home.run(&["list", "--vendor", "cargo"]);
    assert!(out.stdout.contains(&cargo_id), "{out:?}");
    let out = home.run(&["list"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("", "no connectors on SANDBOX\n"),
        "Databar by default: {out:?}"
    );

    let out = home.run(&["pull", &cargo_id, "--vendor", "cargo"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("\"slug\": \"embedded\""), "{out:?}");
    let out = home.run(&["pull", &cargo_id]);
    assert_eq!(out.code, 2, "a UUID is not a Databar id: {out:?}");

    let out = home.run(&["delete", &agent_id, "--vendor", "agent-stack"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = home.run(&["list", "--vendor", "agent_stack"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("", "no connectors on SANDBOX\n"),
        "{out:?}"
    );

    let out = home.run(&["list", "--vendor", "zapier"]);
    out.exits(2, &["unknown vendor"]);
}

#[test]
fn wrong_vendor_and_unsupported_operations_are_usage_errors() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("cargo.json", cargo_file("x"));
    home.write("mcp.json", mcp_file("https://mcp.example.com/mcp"));

    let out = home.run(&["submit", "cargo.json", "--target", "agents"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("the connector is for Cargo, but target agents speaks Agent Stack"),
        "{out:?}"
    );
    let out = home.run(&["submit", "cargo.json", "--target", "agents", "--dry-run"]);
    assert_eq!(out.code, 2, "{out:?}");
    let out = home.run(&["list", "--target", "cargo-t", "--vendor", "databar"]);
    assert_eq!(out.code, 2, "{out:?}");

    let some_id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    let out = home.run(&["connect", some_id, "--target", "cargo-t"]);
    out.exits(2, &["speaks Cargo"]);
    let out = home.run(&["disconnect", some_id, "--target", "db"]);
    assert_eq!(out.code, 2, "{out:?}");

    // Agent Stack has no public address to fall back on.
    let out = Home::new().run(&["list", "--target", "agent_stack"]);
    out.exits(2, &["has no public API address"]);

    let out = home.run(&["render", "cargo.json"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("Cargo connectors have no body template"),
        "{out:?}"
    );
    assert!(
        world.seen().is_empty(),
        "nothing was sent: {:?}",
        world.seen()
    );

    let out = home.run_with(
        &["list", "--target", "agents"],
        &[(KEY_ENV, "wrong-password-000000")],
    );
    out.exits(3, &["401"]);
}

#[test]
fn curl_uses_each_vendors_auth() {
    let world = World::start();
    let mut home = Home::new();
    home.targets(&world.base_url());
    home.write("mcp.json", mcp_file("https://mcp.example.com/mcp"));
    home.write("cargo.json", cargo_file("curl-me"));

    let out = home.run(&["curl", "mcp.json", "--target", "agents"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("--user \"patchcord:${KEY_ENV}\"")),
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains(&format!("--url '{}/api/v1/connectors'", world.base_url())),
        "{out:?}"
    );
    assert_secret_hidden(&home, &out);
    let out = home.run(&["curl", "cargo.json", "--target", "cargo-t", "--reveal"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("--header 'Authorization: Bearer {KEY}'")),
        "{out:?}"
    );

    // The printed command really works without --reveal: the shell reads the key from the
    // variable the target names.
    let out = home.run(&["curl", "mcp.json", "--target", "agents"]);
    let has_curl = std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok();
    if has_curl {
        let ran = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{} --silent --show-error --write-out ' %{{http_code}}'",
                out.stdout.trim_end()
            ))
            .env(KEY_ENV, KEY)
            .output()
            .expect("sh runs");
        let text = String::from_utf8_lossy(&ran.stdout);
        assert!(
            text.ends_with(" 201"),
            "{text} {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        assert!(text.contains("\"state\":\"created\""), "{text}");
    }
}

// ---------------------------------------------------------------- failures, from a stub

/// What the stub answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// 500 with a `FastAPI` detail, every time.
    Error500,
    /// An Agent Stack list page that always says there is more, with the same token.
    EndlessPages,
    /// 400 in the `{"error": {"code", "message"}}` shape.
    CargoError,
}

struct Stub {
    _runtime: Runtime,
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

impl Stub {
    fn start(mode: Mode) -> Stub {
        let runtime = runtime();
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = Router::new().fallback(move |method: Method, uri: Uri| {
            let log = log.clone();
            async move {
                if let Ok(mut log) = log.lock() {
                    log.push((method.to_string(), uri.to_string()));
                }
                match mode {
                    Mode::Error500 => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        axum::Json(json!({"detail": "database is on fire"})),
                    ),
                    Mode::EndlessPages => (
                        StatusCode::OK,
                        axum::Json(json!({
                            "items": [{"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "url": "https://x.example", "state": "created"}],
                            "total_count": 1000,
                            "has_more": true,
                            "next_page_token": "again",
                        })),
                    ),
                    Mode::CargoError => (
                        StatusCode::BAD_REQUEST,
                        axum::Json(json!({"error": {"code": "invalid_config", "message": "config.baseUrl must be a URL"}})),
                    ),
                }
            }
        });
        let addr = runtime.block_on(common::serve(app));
        Stub {
            _runtime: runtime,
            addr,
            seen,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<(String, String)> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[test]
fn gets_are_retried_and_connect_never_is() {
    let stub = Stub::start(Mode::Error500);
    let mut home = Home::new();
    home.targets(&stub.base_url());
    let config = home.path("config.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("[http]\nattempts = 3\n");
    std::fs::write(&config, text).expect("config");
    let id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

    let out = home.run(&["pull", id, "--target", "agents"]);
    out.exits(4, &["database is on fire", "after 3 attempts"]);
    let out = home.run(&["connect", id, "--target", "agents"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("after 1 attempt)"), "{out:?}");
    let out = home.run(&["pull", id, "--target", "cargo-t"]);
    assert_eq!(out.code, 4, "{out:?}");
    let calls: Vec<String> = stub
        .seen()
        .into_iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let get = format!("GET /api/v1/connectors/{id}");
    let connect = format!("POST /api/v1/connectors/{id}/connect");
    let cargo = format!("GET /v1/connection/connectors/{id}");
    assert_eq!(
        calls,
        vec![
            get.clone(),
            get.clone(),
            get,
            connect,
            cargo.clone(),
            cargo.clone(),
            cargo
        ]
    );
}

#[test]
fn endless_paging_stops_with_a_network_error() {
    let stub = Stub::start(Mode::EndlessPages);
    let mut home = Home::new();
    home.targets(&stub.base_url());
    let out = home.run(&["list", "--target", "agents"]);
    out.exits(4, &["listing did not finish", "\"again\" twice"]);
    assert_eq!(stub.seen().len(), 2, "{:?}", stub.seen());
}

#[test]
fn cargo_error_objects_are_shown() {
    let stub = Stub::start(Mode::CargoError);
    let mut home = Home::new();
    home.targets(&stub.base_url());
    home.write("cargo.json", cargo_file("shape"));
    let out = home.run(&["submit", "cargo.json", "--target", "cargo-t"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains(
            "the server rejected the request (400 Bad Request): invalid_config: config.baseUrl must be a URL"
        ),
        "{out:?}"
    );
    assert_eq!(stub.seen().len(), 1, "a POST is sent once");
}
