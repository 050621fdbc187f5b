//! Safe against a live workspace, over real HTTP on 127.0.0.1 (ephemeral ports, no internet):
//! credentials never follow a redirect to another origin (for all three vendors' auth, the CLI
//! and "try it") while `FastAPI`'s same-origin trailing-slash 307 keeps working; network
//! failures name their cause (refused, closed, reset, timed out, DNS, TLS); and a server's
//! names, URLs and error bodies reach the terminal without escape sequences.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use patchcord::api::fire::{self, FireError, FireRequest};
use patchcord::api::{ApiError, Cause, Client, ClientOptions, RetryPolicy};
use patchcord::config::Secret;
use patchcord::connector::{NameValue, TargetRef, Vendor};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

mod common;

use common::{Home, KEY, KEY_ENV, Out, runtime};

const VENDORS: [(&str, &str, Vendor); 3] = [
    ("db", "databar", Vendor::Databar),
    ("agents", "agent_stack", Vendor::AgentStack),
    ("cargo-t", "cargo", Vendor::Cargo),
];

/// One request a test server received, every header included.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn record(log: &Log, method: &Method, uri: &Uri, headers: &HeaderMap) {
    let headers = headers
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    if let Ok(mut log) = log.lock() {
        log.push(Seen {
            method: method.to_string(),
            path: uri.path().to_owned(),
            headers,
        });
    }
}

/// An axum app on an ephemeral loopback port, in its own runtime.
struct Server {
    _runtime: Runtime,
    addr: SocketAddr,
    log: Log,
}

impl Server {
    fn start(app: impl FnOnce(Log) -> Router) -> Server {
        let runtime = runtime();
        let log = Log::default();
        let app = app(log.clone());
        let addr = runtime.block_on(common::serve(app));
        Server {
            _runtime: runtime,
            addr,
            log,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.log.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The other origin: records every header it receives and answers an empty list.
fn recorder() -> Server {
    Server::start(|log| {
        Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap| async move {
                record(&log, &method, &uri, &headers);
                axum::Json(json!([]))
            },
        )
    })
}

struct FrontState {
    log: Log,
    elsewhere: String,
}

/// The server a target points at. Under `/cross` every request is answered 307 to the same
/// path on `elsewhere` (another port, so another origin); under `/slash` it behaves like a
/// `FastAPI` app whose routes have no trailing slash: `.../` answers 307 to the path without it
/// (same origin), which answers an empty list.
fn front(elsewhere: &str) -> Server {
    let elsewhere = elsewhere.to_owned();
    Server::start(move |log| {
        Router::new()
            .fallback(front_handler)
            .with_state(Arc::new(FrontState { log, elsewhere }))
    })
}

async fn front_handler(
    State(state): State<Arc<FrontState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state.log, &method, &uri, &headers);
    let path = uri.path();
    let redirect =
        |to: String| (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response();
    if path.starts_with("/cross") {
        redirect(format!("{}{path}", state.elsewhere))
    } else if let Some(bare) = path
        .strip_suffix('/')
        .filter(|_| path.starts_with("/slash"))
    {
        redirect(bare.to_owned())
    } else {
        axum::Json(json!([])).into_response()
    }
}

/// The credential each vendor's client sends, as it appears on the wire.
fn credential(vendor: Vendor) -> (&'static str, String) {
    match vendor {
        Vendor::Databar => ("x-apikey", KEY.to_owned()),
        Vendor::AgentStack => {
            let basic =
                base64::engine::general_purpose::STANDARD.encode(format!("patchcord:{KEY}"));
            ("authorization", format!("Basic {basic}"))
        }
        Vendor::Cargo => ("authorization", format!("Bearer {KEY}")),
    }
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// No header that carries or looks like a credential, and no trace of the key in any value.
fn assert_no_credential(seen: &[Seen]) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("patchcord:{KEY}"));
    for request in seen {
        for (name, value) in &request.headers {
            let lower = name.to_ascii_lowercase();
            assert!(
                !["authorization", "cookie", "x-apikey", "x-api-key"].contains(&lower.as_str()),
                "a credential header reached the other origin: {request:?}"
            );
            assert!(
                !value.contains(KEY) && !value.contains(&encoded),
                "the key reached the other origin: {request:?}"
            );
        }
    }
}

fn client(vendor: Vendor, base_url: &str) -> Client {
    Client::new(
        vendor,
        &TargetRef::new("direct", base_url),
        Secret::new(KEY.to_owned()),
    )
    .expect("client")
}

/// Targets `db`, `agents` and `cargo-t` (one per vendor), all at `base_url`.
fn targets(home: &mut Home, base_url: &str) {
    let mut text = String::new();
    for (name, vendor, _) in VENDORS {
        let _ = write!(
            text,
            "[targets.{name}]\nvendor = \"{vendor}\"\nbase_url = \"{base_url}\"\nsecret_env = \"{KEY_ENV}\"\n\n"
        );
    }
    home.config = Some(home.write("config.toml", text));
}

// ---------------------------------------------------------------- redirects

#[test]
fn the_hazard_is_real_a_default_client_carries_a_custom_key_header_across() {
    // What patchcord no longer does, shown with reqwest's default policy: the recorder sees a
    // custom key header that followed the 307, so the recorder would notice a leak.
    let elsewhere = recorder();
    let front = front(&elsewhere.base_url());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = runtime();
    rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/cross/v1/connectors/", front.base_url()))
            .header("x-apikey", KEY)
            .send()
            .await
            .expect("followed")
    });
    let seen = elsewhere.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(header(&seen[0], "x-apikey"), Some(KEY));
}

#[test]
fn credentials_never_follow_a_redirect_to_another_origin() {
    let elsewhere = recorder();
    let front = front(&elsewhere.base_url());
    let rt = runtime();
    for (_, _, vendor) in VENDORS {
        let before = front.seen().len();
        let client = client(vendor, &format!("{}/cross", front.base_url()));
        let body = json!({"name": "x", "url": "https://x.example/"});
        let results = rt.block_on(async {
            vec![
                ("list", client.list().await.map(|_| ())),
                ("get", client.get(&sample_id(vendor)).await.map(|_| ())),
                ("create", client.create(&body).await.map(|_| ())),
                ("delete", client.delete(&sample_id(vendor)).await),
            ]
        });
        for (call, result) in results {
            let error = result.expect_err(call);
            let ApiError::Redirected { status, to, origin } = &error else {
                panic!("{vendor} {call}: {error:?}");
            };
            assert_eq!(*status, 307);
            assert!(to.starts_with(&elsewhere.base_url()), "{to}");
            assert_eq!(origin, &front.base_url());
            assert!(error.is_network() && !error.is_rejection());
            let message = error.to_string();
            assert!(
                message.contains(&format!("redirected to {}/cross/", elsewhere.base_url()))
                    && message.contains("another origin")
                    && message.contains(&format!("stay with {}", front.base_url())),
                "{message}"
            );
        }
        // The front did get the credential (so the test exercised the vendor's auth), and
        // the other origin got nothing.
        let (name, value) = credential(vendor);
        let sent = front.seen().split_off(before);
        assert_eq!(sent.len(), 4, "{vendor}: {sent:?}");
        assert!(
            sent.iter().all(|s| header(s, name) == Some(value.as_str())),
            "{vendor}: {sent:?}"
        );
    }
    assert_no_credential(&elsewhere.seen());
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());
}

fn sample_id(vendor: Vendor) -> String {
    match vendor {
        Vendor::Databar => "7".to_owned(),
        _ => "2f1c7f1e-1111-4c4c-9999-123456789abc".to_owned(),
    }
}

#[test]
fn the_same_origin_trailing_slash_307_is_followed() {
    let elsewhere = recorder();
    let front = front(&elsewhere.base_url());
    let rt = runtime();
    let client = client(Vendor::Databar, &format!("{}/slash", front.base_url()));
    let listed = rt.block_on(client.list()).expect("followed");
    assert!(listed.is_empty());
    let seen = front.seen();
    assert_eq!(
        seen.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
        ["/slash/v1/connectors/", "/slash/v1/connectors"]
    );
    // The same origin keeps the credential: the redirected request is authenticated too.
    assert!(seen.iter().all(|s| header(s, "x-apikey") == Some(KEY)));

    let mut home = Home::new();
    targets(&mut home, &format!("{}/slash", front.base_url()));
    let out = home.run(&["list", "--target", "db"]);
    out.exits(0, &["no connectors on LIVE db"]);
}

#[test]
fn the_cli_refuses_a_redirect_to_another_origin_with_exit_4() {
    let elsewhere = recorder();
    let front = front(&elsewhere.base_url());
    let mut home = Home::new();
    targets(&mut home, &format!("{}/cross", front.base_url()));
    for (name, _, vendor) in VENDORS {
        let out = home.run(&["list", "--target", name]);
        assert_eq!(out.code, 4, "{out:?}");
        let path = vendor_collection(vendor);
        assert!(
            out.stderr.contains(&format!(
                "the server redirected to {}/cross{path}",
                elsewhere.base_url()
            )),
            "{out:?}"
        );
        assert!(out.stderr.contains("not followed"), "{out:?}");
        assert!(!out.all().contains(KEY), "{out:?}");
    }
    let out = home.run(&["--json", "list", "--target", "db"]);
    assert_eq!(out.code, 4, "{out:?}");
    let error: Value = serde_json::from_str(&out.stdout).expect("JSON error");
    assert_eq!(error["error"]["exit"], 4);
    assert_eq!(error["error"]["status"], 307);
    // A POST is not re-sent elsewhere either.
    home.write(
        "c.json",
        r#"{"name": "n", "method": "get", "url": "https://api.example.com/x"}"#,
    );
    let out = home.run(&["submit", "c.json", "--target", "db"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());
    assert!(!home.log().contains(KEY), "the key leaked into the log");
}

fn vendor_collection(vendor: Vendor) -> &'static str {
    vendor.spec().collection_path
}

fn try_it(url: &str, headers: &[(&str, &str)]) -> FireRequest {
    FireRequest {
        method: "POST".into(),
        url: url.to_owned(),
        headers: headers
            .iter()
            .map(|(k, v)| NameValue::new(*k, *v))
            .collect(),
        body: Some(r#"{"domain": "acme.com"}"#.into()),
    }
}

#[test]
fn try_it_keeps_its_headers_on_the_origin() {
    let elsewhere = recorder();
    let front = front(&elsewhere.base_url());
    let rt = runtime();
    let headers = [
        ("Authorization", "Bearer sk-connector-secret"),
        ("X-Api-Key", KEY),
        ("Cookie", "session=abc"),
        ("X-Trace", "harmless"),
    ];
    let http = fire::client().expect("client");
    let request = try_it(&format!("{}/cross/score", front.base_url()), &headers);
    let response = rt.block_on(fire::fire(&http, &request)).expect("an answer");
    // The redirect is the answer, its Location shown, and says why it was not followed.
    assert_eq!(response.status, 307);
    let location = format!("{}/cross/score", elsewhere.base_url());
    assert!(
        response
            .headers
            .contains(&("location".into(), location.clone()))
    );
    let note = response.not_followed.expect("a note");
    assert!(
        note.contains(&location) && note.contains("another origin"),
        "{note}"
    );
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());

    // Within the origin it is followed, headers and body kept.
    let request = try_it(&format!("{}/slash/score/", front.base_url()), &headers);
    let response = rt.block_on(fire::fire(&http, &request)).expect("an answer");
    assert_eq!(response.status, 200);
    assert_eq!(response.not_followed, None);
    let last = front.seen().pop().expect("seen");
    assert_eq!(last.path, "/slash/score");
    assert_eq!(last.method, "POST");
    assert_eq!(header(&last, "x-api-key"), Some(KEY));
}

// ---------------------------------------------------------------- failures name their cause

/// Accepts connections and closes them after reading the request; with `reset`, by RST.
fn closer(reset: bool) -> (Runtime, SocketAddr) {
    let rt = runtime();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buf).await;
            if reset {
                let _ = stream.set_zero_linger();
            }
            drop(stream);
        }
    });
    (rt, addr)
}

/// Accepts connections and never answers.
fn silent() -> (Runtime, SocketAddr) {
    let rt = runtime();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (rt, addr)
}

fn refused_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr")
}

/// One attempt, short timeouts: each failure is seen once, quickly.
fn once(base_url: &str) -> Client {
    let options = ClientOptions {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
    };
    Client::with_options(
        Vendor::Databar,
        &TargetRef::new("direct", base_url),
        Secret::new(KEY.to_owned()),
        options,
    )
    .expect("client")
}

fn fire_at(rt: &Runtime, url: &str) -> FireError {
    let http = fire::client_with_timeout(Duration::from_secs(1)).expect("client");
    let request = try_it(url, &[("Authorization", "Bearer x")]);
    rt.block_on(fire::fire(&http, &request))
        .expect_err("no answer")
}

fn cause(error: &FireError) -> Option<Cause> {
    match error {
        FireError::Network { failure, .. } => Some(failure.cause),
        FireError::Timeout { .. } => Some(Cause::Timeout),
        _ => None,
    }
}

#[test]
fn a_refused_port_says_connection_refused() {
    let rt = runtime();
    let addr = refused_port();
    let error = rt
        .block_on(once(&format!("http://{addr}")).list())
        .expect_err("refused");
    assert!(matches!(error, ApiError::Connect { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&format!(
            "connection refused: nothing is listening on {addr}"
        )),
        "{error}"
    );
    let error = fire_at(&rt, &format!("http://{addr}/score"));
    assert_eq!(cause(&error), Some(Cause::Refused), "{error:?}");
    assert!(error.to_string().contains("connection refused"), "{error}");
}

#[test]
fn a_server_that_closes_or_resets_says_so() {
    let (rt, addr) = closer(false);
    let error = rt
        .block_on(once(&format!("http://{addr}")).list())
        .expect_err("closed");
    assert!(matches!(error, ApiError::Closed { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&format!(
            "{addr} closed the connection before a complete answer"
        )),
        "{error}"
    );
    let error = fire_at(&rt, &format!("http://{addr}/score"));
    assert_eq!(cause(&error), Some(Cause::Closed), "{error:?}");

    let (rt, addr) = closer(true);
    let error = rt
        .block_on(once(&format!("http://{addr}")).list())
        .expect_err("reset");
    assert!(
        error
            .to_string()
            .contains(&format!("the connection was reset by {addr}")),
        "{error}"
    );
    let error = fire_at(&rt, &format!("http://{addr}/score"));
    assert_eq!(cause(&error), Some(Cause::Reset), "{error:?}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let (rt, addr) = silent();
    let started = Instant::now();
    let error = rt
        .block_on(once(&format!("http://{addr}")).list())
        .expect_err("timeout");
    assert!(
        error
            .to_string()
            .contains("no answer within 1s (timed out)"),
        "{error}"
    );
    let error = fire_at(&rt, &format!("http://{addr}/score"));
    assert_eq!(cause(&error), Some(Cause::Timeout), "{error:?}");
    assert!(
        error.to_string().contains("within 1s (timed out)"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn an_unresolvable_host_says_dns() {
    // `.invalid` never resolves (RFC 6761), and the lookup fails locally in milliseconds here,
    // without internet; the connect timeout bounds it anyway.
    let rt = runtime();
    let error = rt
        .block_on(once("http://nonexistent.invalid").list())
        .expect_err("no such host");
    assert!(matches!(error, ApiError::Connect { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("the host name nonexistent.invalid could not be resolved by DNS"),
        "{error}"
    );
    let error = fire_at(&rt, "http://nonexistent.invalid/score");
    assert_eq!(cause(&error), Some(Cause::Dns), "{error:?}");

    let mut home = Home::new();
    targets(&mut home, "http://nonexistent.invalid");
    let config = std::fs::read_to_string(home.path("config.toml")).expect("config");
    home.write("config.toml", config + "[http]\nattempts = 1\n");
    let out = home.run(&["list", "--target", "db"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr
            .contains("nonexistent.invalid could not be resolved by DNS"),
        "{out:?}"
    );
}

#[test]
fn https_to_a_plain_http_server_says_tls() {
    let plain = recorder();
    let rt = runtime();
    let url = format!("https://{}", plain.addr);
    let error = rt.block_on(once(&url).list()).expect_err("not TLS");
    assert!(
        error
            .to_string()
            .contains(&format!("the TLS handshake with {} failed", plain.addr)),
        "{error}"
    );
    let error = fire_at(&rt, &format!("{url}/score"));
    assert_eq!(cause(&error), Some(Cause::Tls), "{error:?}");
}

// ---------------------------------------------------------------- server text

/// A name with a window title, a screen clear, an 8-bit CSI, a C1 NEL and a carriage return.
const EVIL: &str = "evil\u{1b}]2;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}\r name";
/// What a user should read instead.
const SHOWN: &str = "evil name";

fn hostile() -> Server {
    Server::start(|_| Router::new().fallback(hostile_handler))
}

async fn hostile_handler(method: Method, uri: Uri) -> Response {
    let databar = json!({
        "id": 1, "name": EVIL, "method": "get", "url": format!("https://x.example/{EVIL}"),
        "created_at": "2025-01-15T10:30:00Z"
    });
    match (method, uri.path()) {
        (Method::GET, "/v1/connectors/") => axum::Json(json!([databar])).into_response(),
        (Method::GET, "/v1/connectors/1") => axum::Json(databar).into_response(),
        (Method::DELETE, _) => (StatusCode::NOT_FOUND, axum::Json(json!({"detail": EVIL})))
            .into_response(),
        (Method::POST, "/v1/connectors/") => (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"detail": [{"loc": ["body", "name"], "msg": EVIL, "type": "x"}]})),
        )
            .into_response(),
        (Method::POST, path) if path.ends_with("/connect") => axum::Json(json!({
            "id": "2f1c7f1e-1111-4c4c-9999-123456789abc",
            "url": "https://mcp.example.com/mcp",
            "state": "auth_required",
            "auth_request": {"type": "code", "authorization_endpoint": format!("https://auth.example/{EVIL}")},
            "disconnect_reason": EVIL,
        }))
        .into_response(),
        (Method::GET, "/v1/connection/connectors") => axum::Json(json!({"connectors": [{
            "uuid": "2f1c7f1e-1111-4c4c-9999-123456789abc", "slug": EVIL,
            "integrationSlug": "http", "name": EVIL,
        }]}))
        .into_response(),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain")],
            EVIL,
        )
            .into_response(),
    }
}

/// No ESC, no other C0 or C1 control but newline and tab, on either stream.
fn assert_plain(out: &Out) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
            .collect();
        assert!(bad.is_empty(), "{stream} has controls {bad:?}: {out:?}");
    }
}

#[test]
fn server_text_never_reaches_the_terminal_raw() {
    let server = hostile();
    let mut home = Home::new();
    targets(&mut home, &server.base_url());
    let config = std::fs::read_to_string(home.path("config.toml")).expect("config");
    home.write("config.toml", config + "[http]\nattempts = 1\n");
    home.write(
        "c.json",
        r#"{"name": "n", "method": "get", "url": "https://api.example.com/x"}"#,
    );
    let runs: [(&[&str], i32, bool); 9] = [
        (&["list", "--target", "db"], 0, true),
        (&["--json", "list", "--target", "db"], 0, false),
        (&["pull", "1", "--target", "db"], 0, false),
        (&["delete", "1", "--target", "db"], 3, true),
        (&["submit", "c.json", "--target", "db"], 3, true),
        (
            &[
                "connect",
                "2f1c7f1e-1111-4c4c-9999-123456789abc",
                "--target",
                "agents",
            ],
            0,
            true,
        ),
        (&["list", "--target", "cargo-t"], 0, true),
        (&["--json", "delete", "1", "--target", "db"], 3, false),
        // A 500 with a plain-text body (not JSON): the snippet in the message.
        (&["pull", "2", "--target", "db"], 4, true),
    ];
    for (args, code, shown) in runs {
        let out = home.run(args);
        assert_eq!(out.code, code, "{args:?}: {out:?}");
        assert_plain(&out);
        if shown {
            assert!(out.all().contains(SHOWN), "{args:?}: {out:?}");
        }
    }
    // JSON keeps the server's text exactly, escaped.
    let out = home.run(&["pull", "1", "--target", "db"]);
    let pulled: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(pulled["name"], EVIL);
}
