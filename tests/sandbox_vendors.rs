//! The sandbox's Agent Stack (seed 002) and Cargo (seed 004) APIs over real HTTP on 127.0.0.1:
//! each endpoint and status code, each validation rule's answer, auth refusals in each vendor's
//! shape, Agent Stack's paging and its connect / disconnect state machine against upstream
//! servers started here (401, 200, 302, 500, a closed port, one that never answers), presets,
//! Cargo's wrapper, slug rules and partial update, malformed requests, restart on one file.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers outside #[test] functions fail loudly, like the tests they serve"
)]

#[path = "common/http.rs"]
mod http;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{Harness, answer, options};
use patchcord::sandbox::DbPath;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

const KEY: &str = "vendor-test-key";
const AS: &str = "/api/v1/connectors";
const CARGO: &str = "/v1/connection/connectors";

/// The keys of an Agent Stack connector, in the seed's order.
const AS_KEYS: [&str; 9] = [
    "id",
    "url",
    "state",
    "auth_request",
    "disconnect_reason",
    "metadata",
    "created_at",
    "updated_at",
    "created_by",
];

const CARGO_CONNECTOR_KEYS: [&str; 16] = [
    "uuid",
    "workspaceUuid",
    "userUuid",
    "name",
    "slug",
    "rateLimit",
    "cacheTtlMilliseconds",
    "integrationSlug",
    "playsCount",
    "toolsCount",
    "modelsCount",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "useCredits",
    "config",
];

const CARGO_DATASET_KEYS: [&str; 7] = [
    "uuid",
    "workspaceUuid",
    "slug",
    "config",
    "createdAt",
    "updatedAt",
    "deletedAt",
];

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

impl Harness {
    async fn start() -> Harness {
        Harness::with(options(DbPath::Memory, KEY)).await
    }

    /// A request with the given `Authorization` (if any) and, with a body, a JSON Content-Type.
    async fn raw(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let headers: Vec<(&str, &str)> = authorization
            .map(|a| ("authorization", a))
            .into_iter()
            .collect();
        self.request(method, path, &headers, body).await
    }

    /// Agent Stack: HTTP Basic with the key as the password.
    async fn agent(&self, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let text = body.map(Value::to_string);
        self.raw(method, path, Some(&basic("me", KEY)), text.as_deref())
            .await
    }

    /// Cargo: the key as a Bearer token.
    async fn cargo(&self, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let text = body.map(Value::to_string);
        self.raw(
            method,
            path,
            Some(&format!("Bearer {KEY}")),
            text.as_deref(),
        )
        .await
    }

    async fn agent_create(&self, body: &Value) -> Value {
        let (status, created) = self.agent(Method::POST, AS, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created
    }

    async fn cargo_create(&self, body: &Value) -> Value {
        let (status, created) = self.cargo(Method::POST, CARGO, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{created}");
        created
    }

    async fn connect(&self, id: &str, body: &Value) -> (StatusCode, Value) {
        self.agent(Method::POST, &format!("{AS}/{id}/connect"), Some(body))
            .await
    }

    async fn disconnect(&self, id: &str) -> (StatusCode, Value) {
        self.agent(Method::POST, &format!("{AS}/{id}/disconnect"), None)
            .await
    }

    async fn agent_get(&self, id: &str) -> Value {
        let (status, body) = self.agent(Method::GET, &format!("{AS}/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Proof both vendors' APIs still answer normally.
    async fn still_serving(&self) {
        let (status, list) = self.agent(Method::GET, AS, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list["items"].is_array());
        let (status, list) = self.cargo(Method::GET, CARGO, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list["connectors"].is_array());
    }
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_uuid(value: &Value) -> bool {
    value
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .is_some_and(|u| u.hyphenated().to_string() == value.as_str().unwrap_or_default())
}

/// What an upstream test server saw: method, path, body.
type Seen = Arc<Mutex<Vec<(String, String, Value)>>>;

/// An upstream server on 127.0.0.1 answering every request with `status`, extra headers and a
/// body, recording what it got.
async fn upstream(
    status: u16,
    headers: &[(&'static str, &'static str)],
    body: &'static str,
) -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    let headers: Vec<(&'static str, &'static str)> = headers.to_vec();
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let record = Arc::clone(&record);
        let headers = headers.clone();
        async move {
            let method = request.method().to_string();
            let path = request.uri().path().to_owned();
            let bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            record.lock().unwrap().push((method, path, json));
            let mut response = axum::response::Response::new(axum::body::Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            for (name, value) in headers {
                response
                    .headers_mut()
                    .append(name, axum::http::HeaderValue::from_static(value));
            }
            response
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}

/// A port on 127.0.0.1 nothing listens on.
async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

/// A server that accepts connections and never answers.
async fn silent_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    addr
}

// ---------------------------------------------------------------- Agent Stack

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_create_answers_201_in_the_seed_shape() {
    let h = Harness::start().await;
    let created = h
        .agent_create(&json!({
            "url": "https://MCP.Example.com",
            "client_id": "cid",
            "client_secret": "shh",
            "metadata": {"team": "growth"},
            "match_preset": true,
            "unknown": 1
        }))
        .await;
    assert_eq!(keys(&created), AS_KEYS);
    assert!(is_uuid(&created["id"]), "{created}");
    assert!(is_uuid(&created["created_by"]), "{created}");
    // pydantic's AnyUrl normalization (lowercase host, a path of "/").
    assert_eq!(created["url"], "https://mcp.example.com/");
    assert_eq!(created["state"], "created");
    assert_eq!(created["auth_request"], Value::Null);
    assert_eq!(created["disconnect_reason"], Value::Null);
    assert_eq!(created["metadata"], json!({"team": "growth"}));
    assert_eq!(created["created_at"], created["updated_at"]);
    let stamp = created["created_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339).is_ok(),
        "{stamp}"
    );
    assert!(stamp.ends_with('Z'));
    let text = created.to_string();
    assert!(!text.contains("shh") && !text.contains("cid"), "{text}");
    // Read back: the same object.
    let id = created["id"].as_str().unwrap();
    assert_eq!(h.agent_get(id).await, created);
    // Only the URL is required; metadata left out is null.
    let minimal = h
        .agent_create(&json!({"url": "http://127.0.0.1:9/mcp"}))
        .await;
    assert_eq!(minimal["metadata"], Value::Null);
    assert_eq!(minimal["url"], "http://127.0.0.1:9/mcp");
}

/// Refused creates store nothing; the answers themselves are `sandbox_contract.rs`'s table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_refused_creates_store_nothing() {
    let h = Harness::start().await;
    for body in [
        json!({}),
        json!({"url": ""}),
        json!({"url": "https://a.example/", "metadata": {"k": 1}}),
        json!({"url": "https://a.example/", "client_secret": "s"}),
    ] {
        let (status, answer) = h.agent(Method::POST, AS, Some(&body)).await;
        assert!(status.is_client_error(), "{body}: {status} {answer}");
    }
    let (_, list) = h.agent(Method::GET, AS, None).await;
    assert_eq!(list["total_count"], 0);
    // With the id a secret is fine; null secrets and ids are fine; the secret never comes back.
    let created = h
        .agent_create(&json!({"url": "https://a.example/", "client_id": "c", "client_secret": "s"}))
        .await;
    assert_eq!(keys(&created), AS_KEYS);
    h.agent_create(&json!({"url": "https://a.example/", "client_id": null, "client_secret": null}))
        .await;
    h.still_serving().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_refuses_other_credentials_with_401_basic() {
    let h = Harness::start().await;
    let created = h.agent_create(&json!({"url": "https://a.example/"})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    // Any user name: only the password is checked.
    let (status, _) = h
        .raw(Method::GET, AS, Some(&basic("someone-else", KEY)), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let wrong = [
        None,
        Some(basic("me", "nope")),
        Some(format!("Bearer {KEY}")),
        Some("Basic !!!not-base64".to_owned()),
        Some(format!("Basic {}", BASE64.encode(KEY))),
    ];
    let endpoints = [
        (Method::GET, AS.to_owned(), None),
        (
            Method::POST,
            AS.to_owned(),
            Some(r#"{"url":"https://b.example/"}"#),
        ),
        (Method::GET, format!("{AS}/{id}"), None),
        (Method::DELETE, format!("{AS}/{id}"), None),
        (Method::POST, format!("{AS}/{id}/connect"), Some("{}")),
        (Method::POST, format!("{AS}/{id}/disconnect"), None),
    ];
    for authorization in &wrong {
        for (method, path, body) in &endpoints {
            let response = {
                let mut request = h.client.request(method.clone(), h.url(path));
                if let Some(value) = authorization {
                    request = request.header("authorization", value);
                }
                if let Some(body) = body {
                    request = request
                        .header("content-type", "application/json")
                        .body(body.to_string());
                }
                request.send().await.unwrap()
            };
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            assert_eq!(response.headers()["www-authenticate"], "Basic");
            let body: Value = response.json().await.unwrap();
            assert!(body["detail"].is_string(), "{body}");
        }
    }
    // x-apikey (Databar's way) is not Agent Stack's.
    let (status, _) = answer(h.client.get(h.url(AS)).header("x-apikey", KEY)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nothing was created or deleted by the refused requests.
    assert_eq!(h.agent_get(&id).await, created);
    let (_, list) = h.agent(Method::GET, AS, None).await;
    assert_eq!(list["total_count"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_list_pages_with_uuid_tokens() {
    let h = Harness::start().await;
    let (status, empty) = h.agent(Method::GET, AS, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        empty,
        json!({"items": [], "total_count": 0, "has_more": false, "next_page_token": null})
    );
    let mut ids = Vec::new();
    for i in 0..5 {
        let created = h
            .agent_create(&json!({"url": format!("https://s{i}.example/mcp")}))
            .await;
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let (_, all) = h.agent(Method::GET, AS, None).await;
    assert_eq!(
        keys(&all),
        ["items", "total_count", "has_more", "next_page_token"]
    );
    assert_eq!(all["total_count"], 5);
    assert_eq!(all["has_more"], false);
    // The vendor's computed field: the last item's id, whatever follows.
    assert_eq!(all["next_page_token"], all["items"][4]["id"]);
    let listed: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids, "oldest first");
    assert_eq!(keys(&all["items"][0]), AS_KEYS);
    // Pages of two: 2, 2, 1, each token leading on, no repeats.
    let mut seen = Vec::new();
    let mut path = format!("{AS}?limit=2");
    let mut pages = 0;
    loop {
        let (status, page) = h.agent(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total_count"], 5);
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        let token = page["next_page_token"].as_str().unwrap();
        assert!(
            is_uuid(&page["next_page_token"]),
            "a UUID, as the schema says: {token}"
        );
        if page["has_more"] == true {
            path = format!("{AS}?limit=2&page_token={token}");
        } else {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);
    // A token stays good when the item it points after is deleted.
    let (_, first) = h.agent(Method::GET, &format!("{AS}?limit=2"), None).await;
    let token = first["next_page_token"].as_str().unwrap().to_owned();
    let (status, _) = h
        .agent(Method::DELETE, &format!("{AS}/{}", ids[1]), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, next) = h
        .agent(
            Method::GET,
            &format!("{AS}?limit=2&page_token={token}"),
            None,
        )
        .await;
    assert_eq!(next["items"][0]["id"], ids[2].as_str());
    assert_eq!(next["total_count"], 4);
    // Bad paging parameters.
    for (query, kind) in [
        ("limit=0", "greater_than_equal"),
        ("limit=101", "less_than_equal"),
        ("limit=two", "int_parsing"),
    ] {
        let (status, body) = h.agent(Method::GET, &format!("{AS}?{query}"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["detail"][0]["type"], kind);
        assert_eq!(body["detail"][0]["loc"], json!(["query", "limit"]));
    }
    let (status, _) = h.agent(Method::GET, &format!("{AS}?limit=100"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = h
        .agent(Method::GET, &format!("{AS}?page_token=garbage"), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "page_token"]));
    // Past the end: an empty page.
    let last = ids.last().unwrap();
    let (_, after) = h
        .agent(Method::GET, &format!("{AS}?page_token={last}"), None)
        .await;
    assert_eq!(
        (
            after["items"].clone(),
            after["has_more"].clone(),
            after["next_page_token"].clone()
        ),
        (json!([]), json!(false), Value::Null)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_item_endpoints_and_ids() {
    let h = Harness::start().await;
    let created = h.agent_create(&json!({"url": "https://a.example/"})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    // Any spelling of the UUID finds it.
    assert_eq!(h.agent_get(&id.to_uppercase()).await, created);
    assert_eq!(h.agent_get(&id.replace('-', "")).await, created);
    let unknown = uuid::Uuid::new_v4().to_string();
    for (method, suffix, body) in [
        (Method::GET, "", None),
        (Method::DELETE, "", None),
        (Method::POST, "/connect", Some(json!({}))),
        (Method::POST, "/disconnect", None),
    ] {
        let (status, answer) = h
            .agent(
                method.clone(),
                &format!("{AS}/{unknown}{suffix}"),
                body.as_ref(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {suffix}");
        assert!(answer["detail"].as_str().unwrap().contains(&unknown));
        let (status, answer) = h
            .agent(method.clone(), &format!("{AS}/42{suffix}"), body.as_ref())
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {suffix}"
        );
        assert_eq!(answer["detail"][0]["type"], "uuid_parsing");
        assert_eq!(answer["detail"][0]["loc"], json!(["path", "connector_id"]));
        assert_eq!(answer["detail"][0]["input"], "42");
    }
    // No update endpoint: editing is delete and recreate.
    let (status, _) = h
        .agent(
            Method::PUT,
            &format!("{AS}/{id}"),
            Some(&json!({"url": "https://b.example/"})),
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, body) = h.agent(Method::DELETE, &format!("{AS}/{id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _) = h.agent(Method::GET, &format!("{AS}/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = h.agent(Method::DELETE, &format!("{AS}/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Deleted: every action on it is 404 too.
    let (status, _) = h.connect(&id, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_moves_created_to_connected_and_disconnect_back_out() {
    let h = Harness::start().await;
    let (ok, seen) = upstream(200, &[("content-type", "application/json")], "{}").await;
    let created = h
        .agent_create(&json!({"url": format!("http://{ok}/mcp")}))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    // created -> disconnect is refused: only connected or auth_required may disconnect.
    let (status, body) = h.disconnect(&id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["detail"],
        "Connector must be in connected or auth_required state"
    );
    assert_eq!(h.agent_get(&id).await, created);
    // created -> connected.
    let (status, connected) = h
        .connect(&id, &json!({"redirect_url": "http://127.0.0.1:1/back"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{connected}");
    assert_eq!(keys(&connected), AS_KEYS);
    assert_eq!(connected["state"], "connected");
    assert_eq!(connected["auth_request"], Value::Null);
    assert_eq!(connected["disconnect_reason"], Value::Null);
    assert_eq!(connected["created_at"], created["created_at"]);
    assert!(connected["updated_at"].as_str() > created["updated_at"].as_str());
    assert_eq!(h.agent_get(&id).await, connected);
    // The probe is what an MCP client sends first: an initialize POST to the URL itself.
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, "POST");
        assert_eq!(seen[0].1, "/mcp");
        assert_eq!(seen[0].2["method"], "initialize");
        assert_eq!(seen[0].2["jsonrpc"], "2.0");
    }
    // connected -> connect again re-probes and stays connected.
    let (status, again) = h.connect(&id, &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["state"], "connected");
    assert!(again["updated_at"].as_str() > connected["updated_at"].as_str());
    // connected -> disconnected, with a reason.
    let (status, gone) = h.disconnect(&id).await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert_eq!(gone["state"], "disconnected");
    assert!(
        gone["disconnect_reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert!(gone["updated_at"].as_str() > again["updated_at"].as_str());
    // disconnected -> disconnect is refused, and nothing changes.
    let (status, _) = h.disconnect(&id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(h.agent_get(&id).await, gone);
    // disconnected -> connect -> connected, reason cleared.
    let (status, back) = h.connect(&id, &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(back["state"], "connected");
    assert_eq!(back["disconnect_reason"], Value::Null);
    // A 3xx is an answer too: connected, the redirect not followed.
    let (moved, moved_seen) =
        upstream(302, &[("location", "http://127.0.0.1:1/elsewhere")], "").await;
    let other = h
        .agent_create(&json!({"url": format!("http://{moved}/")}))
        .await;
    let (status, body) = h.connect(other["id"].as_str().unwrap(), &json!({})).await;
    assert_eq!(
        (status, body["state"].clone()),
        (StatusCode::OK, json!("connected"))
    );
    assert_eq!(moved_seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_probe_asks_for_authorization() {
    let h = Harness::start().await;
    // No endpoint named: the MCP default, /authorize at the server's origin.
    let (bare, _) = upstream(401, &[("www-authenticate", "Bearer")], "").await;
    let created = h
        .agent_create(&json!({"url": format!("http://{bare}/deep/mcp?x=1")}))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, body) = h.connect(&id, &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "auth_required");
    assert_eq!(
        body["auth_request"],
        json!({"authorization_endpoint": format!("http://{bare}/authorize"), "type": "code"})
    );
    assert_eq!(
        keys(&body["auth_request"]),
        ["authorization_endpoint", "type"]
    );
    assert_eq!(body["disconnect_reason"], Value::Null);
    assert_eq!(h.agent_get(&id).await, body);
    // auth_required -> disconnected: the pending authorization goes away.
    let (status, gone) = h.disconnect(&id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(gone["state"], "disconnected");
    assert_eq!(gone["auth_request"], Value::Null);
    // A challenge naming the endpoint: that endpoint.
    let (named, _) = upstream(
        401,
        &[(
            "www-authenticate",
            r#"Bearer realm="mcp", authorization_uri="https://auth.example/oauth2/authorize""#,
        )],
        r#"{"error":"unauthorized"}"#,
    )
    .await;
    let created = h
        .agent_create(&json!({"url": format!("http://{named}/mcp")}))
        .await;
    let (status, body) = h.connect(created["id"].as_str().unwrap(), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["auth_request"]["authorization_endpoint"],
        "https://auth.example/oauth2/authorize"
    );
    // auth_required -> connect again re-probes (still 401: still auth_required).
    let (status, again) = h.connect(created["id"].as_str().unwrap(), &json!({})).await;
    assert_eq!(
        (status, again["state"].clone()),
        (StatusCode::OK, json!("auth_required"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_probes_answer_502_or_504_and_change_nothing() {
    let h = Harness::start().await;
    let (broken, _) = upstream(500, &[], "database on fire").await;
    let closed = closed_port().await;
    let silent = silent_server().await;
    let mut cases = Vec::new();
    for (addr, status) in [
        (broken, StatusCode::BAD_GATEWAY),
        (closed, StatusCode::GATEWAY_TIMEOUT),
        (silent, StatusCode::GATEWAY_TIMEOUT),
    ] {
        let created = h
            .agent_create(&json!({"url": format!("http://{addr}/mcp")}))
            .await;
        cases.push((created, status));
    }
    let started = std::time::Instant::now();
    let answers = futures_util::future::join_all(cases.iter().map(|(created, _)| async {
        h.connect(created["id"].as_str().unwrap(), &json!({})).await
    }))
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "the probe timeout is short"
    );
    for ((created, expected), (status, body)) in cases.iter().zip(answers) {
        assert_eq!(status, *expected, "{body}");
        let detail = body["detail"].as_str().unwrap_or_else(|| panic!("{body}"));
        assert!(
            detail.contains(created["url"].as_str().unwrap()),
            "{detail}"
        );
        assert_eq!(h.agent_get(created["id"].as_str().unwrap()).await, *created);
    }
    let (_, body) = h
        .connect(cases[0].0["id"].as_str().unwrap(), &json!({}))
        .await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("500") && detail.contains("database on fire"),
        "{detail}"
    );
    h.still_serving().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_body_is_checked_like_fastapi() {
    let h = Harness::start().await;
    let (ok, seen) = upstream(200, &[], "").await;
    let created = h
        .agent_create(&json!({"url": format!("http://{ok}/")}))
        .await;
    let path = format!("{AS}/{}/connect", created["id"].as_str().unwrap());
    let auth = basic("me", KEY);
    // The body is required (send `{}`).
    let (status, body) = h.raw(Method::POST, &path, Some(&auth), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["type"], "missing");
    let (status, body) = h.raw(Method::POST, &path, Some(&auth), Some("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "missing");
    let (status, body) = h
        .raw(
            Method::POST,
            &path,
            Some(&auth),
            Some(r#"{"redirect_url": "not a url"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "url_parsing");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "redirect_url"]));
    let (status, body) = h
        .raw(
            Method::POST,
            &path,
            Some(&auth),
            Some(r#"{"redirect_url": 3}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "redirect_url"]));
    let (status, _) = h.raw(Method::POST, &path, Some(&auth), Some("{bad")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // None of those reached the upstream server.
    assert!(seen.lock().unwrap().is_empty());
    let (status, _) = h
        .raw(
            Method::POST,
            &path,
            Some(&auth),
            Some(r#"{"redirect_url": null}"#),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_preset_fills_metadata_from_a_known_server() {
    let h = Harness::start().await;
    let preset = h
        .agent_create(&json!({"url": "https://mcp.notion.com/mcp"}))
        .await;
    assert_eq!(
        preset["metadata"],
        json!({"name": "Notion", "preset": "notion"})
    );
    let empty = h
        .agent_create(&json!({"url": "https://mcp.notion.com/mcp", "metadata": {}}))
        .await;
    assert_eq!(
        empty["metadata"]["preset"], "notion",
        "an empty map takes the preset's"
    );
    let own = h
        .agent_create(&json!({"url": "https://mcp.notion.com/mcp", "metadata": {"mine": "yes"}}))
        .await;
    assert_eq!(own["metadata"], json!({"mine": "yes"}));
    let off = h
        .agent_create(&json!({"url": "https://mcp.notion.com/mcp", "match_preset": false}))
        .await;
    assert_eq!(off["metadata"], Value::Null);
    let near = h
        .agent_create(&json!({"url": "https://mcp.notion.com/mcp/other"}))
        .await;
    assert_eq!(near["metadata"], Value::Null, "only the exact URL matches");
}

// ---------------------------------------------------------------- Cargo

fn cargo_body(slug: &str) -> Value {
    json!({
        "name": "Clearbit lookup",
        "slug": slug,
        "integrationSlug": "clearbit",
        "config": {"apiKey": "k", "nested": {"list": [1, 2]}},
        "rateLimit": {"unit": "minute", "max": 60},
        "cacheTtlMilliseconds": 3_600_000
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_create_answers_the_connector_and_its_dataset() {
    let h = Harness::start().await;
    let mut sent = cargo_body("clearbit-main");
    sent["unknown"] = json!(true);
    let created = h.cargo_create(&sent).await;
    assert_eq!(keys(&created), ["connector", "dataset"]);
    let connector = &created["connector"];
    let dataset = &created["dataset"];
    assert_eq!(keys(connector), CARGO_CONNECTOR_KEYS);
    assert_eq!(keys(dataset), CARGO_DATASET_KEYS);
    for key in [
        "name",
        "slug",
        "integrationSlug",
        "config",
        "rateLimit",
        "cacheTtlMilliseconds",
    ] {
        assert_eq!(connector[key], sent[key], "{key}");
    }
    for key in ["uuid", "workspaceUuid", "userUuid"] {
        assert!(is_uuid(&connector[key]), "{key}: {connector}");
    }
    assert_eq!(connector["playsCount"], 0);
    assert_eq!(connector["useCredits"], false);
    assert_eq!(connector["deletedAt"], Value::Null);
    assert_eq!(connector["createdAt"], connector["updatedAt"]);
    assert!(is_uuid(&dataset["uuid"]));
    assert_ne!(dataset["uuid"], connector["uuid"]);
    assert_eq!(dataset["workspaceUuid"], connector["workspaceUuid"]);
    assert_eq!(dataset["slug"], "clearbit-main");
    assert_eq!(
        dataset["config"],
        json!({"kind": "connector", "connectorUuid": connector["uuid"]})
    );
    // GET answers the connector alone (the seed shows the dataset only in create's answer);
    // the list holds bare connectors.
    let uuid = connector["uuid"].as_str().unwrap().to_owned();
    let (status, read) = h.cargo(Method::GET, &format!("{CARGO}/{uuid}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, json!({"connector": connector}));
    let (status, list) = h.cargo(Method::GET, CARGO, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!({"connectors": [connector]}));
    // Optional fields left out come back null.
    let minimal = h
        .cargo_create(&json!({"name": "n", "slug": "m", "integrationSlug": "i", "config": {}}))
        .await;
    assert_eq!(minimal["connector"]["rateLimit"], Value::Null);
    assert_eq!(minimal["connector"]["cacheTtlMilliseconds"], Value::Null);
    // DELETE 204, then 404 everywhere.
    let (status, body) = h
        .cargo(Method::DELETE, &format!("{CARGO}/{uuid}"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = h.cargo(method, &format!("{CARGO}/{uuid}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["message"].is_string(), "{body}");
    }
    let (status, _) = h
        .cargo(
            Method::PUT,
            &format!("{CARGO}/{uuid}"),
            Some(&json!({"name": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = h
        .cargo(Method::GET, &format!("{CARGO}/not-a-uuid"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_validation_answers_400_with_each_field() {
    let h = Harness::start().await;
    let check = |(status, body): (StatusCode, Value), path: &str, rule: &str| {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"));
        assert!(
            errors
                .iter()
                .any(|e| e["path"] == path && e["rule"] == rule && e["message"].is_string()),
            "no {rule} at {path} in {body}"
        );
    };
    let post = |body: Value| {
        let h = &h;
        async move { h.cargo(Method::POST, CARGO, Some(&body)).await }
    };
    let (status, body) = post(json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let paths: HashSet<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        HashSet::from(["name", "slug", "integrationSlug", "config"])
    );
    let with = |key: &str, value: Value| {
        let mut body = cargo_body("s");
        body[key] = value;
        body
    };
    check(
        post(with("slug", json!("has space"))).await,
        "slug",
        "slug_spaces",
    );
    check(
        post(with("slug", json!("tab\there"))).await,
        "slug",
        "slug_spaces",
    );
    check(
        post(with("integrationSlug", json!("a b"))).await,
        "integrationSlug",
        "slug_spaces",
    );
    check(post(with("config", json!("{}"))).await, "config", "type");
    check(post(with("config", json!([1]))).await, "config", "type");
    // A blank name is patchcord's advice, not Cargo's rule.
    assert_eq!(post(with("name", json!(""))).await.0, StatusCode::OK);
    check(post(with("name", json!(3))).await, "name", "type");
    check(
        post(with("rateLimit", json!({"unit": "week", "max": 1}))).await,
        "rateLimit.unit",
        "one_of",
    );
    check(
        post(with("rateLimit", json!({"unit": "day", "max": 0}))).await,
        "rateLimit.max",
        "minimum",
    );
    check(
        post(with("rateLimit", json!({"unit": "day"}))).await,
        "rateLimit.max",
        "required",
    );
    check(
        post(with("rateLimit", json!({"max": 5}))).await,
        "rateLimit.unit",
        "required",
    );
    check(
        post(with("rateLimit", json!({"unit": "day", "max": "5"}))).await,
        "rateLimit.max",
        "type",
    );
    check(
        post(with("rateLimit", json!(60))).await,
        "rateLimit",
        "type",
    );
    check(
        post(with("cacheTtlMilliseconds", json!(-1))).await,
        "cacheTtlMilliseconds",
        "minimum",
    );
    check(
        post(with("cacheTtlMilliseconds", json!(1.5))).await,
        "cacheTtlMilliseconds",
        "type",
    );
    h.still_serving().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_accepts_every_unit_and_a_zero_ttl() {
    let h = Harness::start().await;
    let with = |key: &str, value: Value| {
        let mut body = cargo_body("s");
        body[key] = value;
        body
    };
    for unit in ["day", "hour", "minute"] {
        let body = with("rateLimit", json!({"unit": unit, "max": 1}));
        let mut body = body;
        body["slug"] = json!(format!("unit-{unit}"));
        h.cargo_create(&body).await;
    }
    let mut zero = with("cacheTtlMilliseconds", json!(0));
    zero["slug"] = json!("ttl-zero");
    h.cargo_create(&zero).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_slugs_are_unique_until_deleted() {
    let h = Harness::start().await;
    let first = h.cargo_create(&cargo_body("dup")).await;
    let (status, body) = h.cargo(Method::POST, CARGO, Some(&cargo_body("dup"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"].as_str().unwrap().contains("dup"));
    // Case matters; another slug is fine; the same integration twice is fine.
    h.cargo_create(&cargo_body("Dup")).await;
    let (_, list) = h.cargo(Method::GET, CARGO, None).await;
    assert_eq!(list["connectors"].as_array().unwrap().len(), 2);
    // Eight racing creates of one slug: exactly one wins.
    let racers = futures_util::future::join_all((0..8).map(|_| async {
        h.cargo(Method::POST, CARGO, Some(&cargo_body("race")))
            .await
    }))
    .await;
    let wins = racers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = racers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .count();
    assert_eq!((wins, conflicts), (1, 7));
    let uuid = first["connector"]["uuid"].as_str().unwrap();
    let (status, _) = h
        .cargo(Method::DELETE, &format!("{CARGO}/{uuid}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    h.cargo_create(&cargo_body("dup")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_put_changes_only_what_it_names() {
    let h = Harness::start().await;
    let created = h.cargo_create(&cargo_body("partial")).await;
    let uuid = created["connector"]["uuid"].as_str().unwrap().to_owned();
    let path = format!("{CARGO}/{uuid}");
    let put = |body: Value| {
        let h = &h;
        let path = path.clone();
        async move { h.cargo(Method::PUT, &path, Some(&body)).await }
    };
    // Name only: everything else as it was.
    let (status, renamed) = put(json!({"name": "Renamed"})).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(keys(&renamed), ["connector"]);
    let (before, after) = (&created["connector"], &renamed["connector"]);
    assert_eq!(keys(after), CARGO_CONNECTOR_KEYS);
    for key in CARGO_CONNECTOR_KEYS {
        match key {
            "name" => assert_eq!(after[key], "Renamed"),
            "updatedAt" => assert!(after[key].as_str() > before[key].as_str()),
            _ => assert_eq!(after[key], before[key], "{key}"),
        }
    }
    // rateLimit, cacheTtlMilliseconds and config each replace the stored value whole.
    let (status, changed) = put(json!({
        "rateLimit": {"unit": "day", "max": 5},
        "cacheTtlMilliseconds": 0,
        "config": {"only": "this"}
    }))
    .await;
    assert_eq!(status, StatusCode::OK);
    let c = &changed["connector"];
    assert_eq!(c["name"], "Renamed");
    assert_eq!(c["rateLimit"], json!({"unit": "day", "max": 5}));
    assert_eq!(c["cacheTtlMilliseconds"], 0);
    assert_eq!(c["config"], json!({"only": "this"}));
    // An empty body changes nothing but the update time; unknown fields are ignored.
    let (status, same) = put(json!({"playsCount": 99, "whatever": 1})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(same["connector"]["playsCount"], 0);
    assert_eq!(same["connector"]["config"], c["config"]);
    // slug and integrationSlug are immutable: 400, naming them, and nothing changes.
    for body in [
        json!({"slug": "new-slug"}),
        json!({"integrationSlug": "other", "name": "x"}),
        json!({"slug": "partial"}),
    ] {
        let (status, answer) = put(body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains("immutable"), "{message}");
        let named = body
            .as_object()
            .unwrap()
            .keys()
            .find(|k| k.contains("lug"))
            .unwrap();
        assert!(message.contains(named.as_str()), "{message}");
    }
    // Invalid values: the same rules as create, and nothing changes.
    for (body, field) in [
        (
            json!({"rateLimit": {"unit": "year", "max": 1}}),
            "rateLimit.unit",
        ),
        (json!({"config": "text"}), "config"),
        (json!({"name": 5}), "name"),
        (json!({"cacheTtlMilliseconds": -5}), "cacheTtlMilliseconds"),
        (json!({"rateLimit": null}), "rateLimit"),
    ] {
        let (status, answer) = put(body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["errors"][0]["path"], field, "{answer}");
    }
    let (_, now) = h.cargo(Method::GET, &path, None).await;
    assert_eq!(now, same);
    // Not an object.
    let (status, answer) = put(json!([1])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["message"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_refuses_other_credentials_with_401_bearer() {
    let h = Harness::start().await;
    let created = h.cargo_create(&cargo_body("auth")).await;
    let uuid = created["connector"]["uuid"].as_str().unwrap().to_owned();
    let wrong = [
        None,
        Some("Bearer nope".to_owned()),
        Some(basic("me", KEY)),
        Some(KEY.to_owned()),
        Some(format!("Bearer {KEY}x")),
    ];
    let item = format!("{CARGO}/{uuid}");
    let endpoints = [
        (Method::GET, CARGO, None),
        (Method::POST, CARGO, Some(cargo_body("other").to_string())),
        (Method::GET, item.as_str(), None),
        (
            Method::PUT,
            item.as_str(),
            Some(r#"{"name":"x"}"#.to_owned()),
        ),
        (Method::DELETE, item.as_str(), None),
    ];
    for authorization in &wrong {
        for (method, path, body) in &endpoints {
            let mut request = h.client.request(method.clone(), h.url(path));
            if let Some(value) = authorization {
                request = request.header("authorization", value);
            }
            if let Some(body) = body {
                request = request
                    .header("content-type", "application/json")
                    .body(body.clone());
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            assert_eq!(response.headers()["www-authenticate"], "Bearer");
            let body: Value = response.json().await.unwrap();
            assert!(
                body["message"].is_string() && body.get("detail").is_none(),
                "{body}"
            );
        }
    }
    let (status, read) = h.cargo(Method::GET, &item, None).await;
    assert_eq!(
        (status, &read["connector"]),
        (StatusCode::OK, &created["connector"])
    );
    // The token's scheme is case-insensitive.
    let (status, _) = h
        .raw(Method::GET, CARGO, Some(&format!("bearer {KEY}")), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

// ---------------------------------------------------------------- both

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_4xx_and_the_server_keeps_serving() {
    let h = Harness::start().await;
    let send = |path: &'static str,
                authorization: String,
                body: Vec<u8>,
                content_type: Option<&'static str>| {
        let h = &h;
        async move {
            let mut request = h
                .client
                .post(h.url(path))
                .header("authorization", authorization)
                .body(body);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            answer(request).await
        }
    };
    let json_type = Some("application/json");
    let vendors = [(AS, basic("me", KEY)), (CARGO, format!("Bearer {KEY}"))];
    for (path, auth) in &vendors {
        let cases: Vec<(Vec<u8>, Option<&'static str>)> = vec![
            (b"{\"url\": ".to_vec(), json_type),
            (b"{oops}".to_vec(), json_type),
            (Vec::new(), json_type),
            (b"null".to_vec(), json_type),
            (b"\"text\"".to_vec(), json_type),
            (vec![0xff, 0xfe, 0x00], json_type),
            (b"{}".to_vec(), None),
            (b"{}".to_vec(), Some("text/plain")),
            (vec![b' '; (1 << 20) + 10], json_type),
        ];
        for (body, content_type) in cases {
            let length = body.len();
            let (status, answer) = send(path, auth.clone(), body, content_type).await;
            assert!(
                status.is_client_error(),
                "{path} {length} {content_type:?}: {status}"
            );
            let shape = if *path == AS { "detail" } else { "message" };
            assert!(answer.get(shape).is_some(), "{path}: {answer}");
        }
        h.still_serving().await;
    }
    // The status codes per vendor: Agent Stack speaks FastAPI, Cargo does not.
    let (status, body) = send(AS, vendors[0].1.clone(), b"{oops".to_vec(), json_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    let (status, body) = send(CARGO, vendors[1].1.clone(), b"{oops".to_vec(), json_type).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("JSON"), "{body}");
    let (status, _) = send(
        CARGO,
        vendors[1].1.clone(),
        b"{}".to_vec(),
        Some("text/plain"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = send(
        CARGO,
        vendors[1].1.clone(),
        vec![b' '; (1 << 20) + 10],
        json_type,
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Mangled paths and methods are never a server error.
    for (method, path) in [
        (Method::PATCH, AS.to_owned()),
        (Method::GET, format!("{AS}/%00")),
        (
            Method::GET,
            format!("{AS}/{}/connect", uuid::Uuid::new_v4()),
        ),
        (Method::PATCH, format!("{CARGO}/x")),
        (Method::POST, format!("{CARGO}/x")),
        (Method::GET, format!("{CARGO}/%ZZ")),
    ] {
        let (status, _) = h
            .raw(method.clone(), &path, Some(&basic("me", KEY)), None)
            .await;
        assert!(status.is_client_error(), "{method} {path}: {status}");
    }
    h.still_serving().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_on_the_same_file_keeps_both_vendors_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = DbPath::File(dir.path().join("sandbox.sqlite3"));
    let h = Harness::with(options(db.clone(), KEY)).await;
    let agent = h.agent_create(&json!({"url": "https://a.example/"})).await;
    let cargo = h.cargo_create(&cargo_body("kept")).await;
    // Databar's integer ids keep working beside the UUIDs.
    let (status, databar) = answer(
        h.client
            .post(h.url("/v1/connectors/"))
            .header("x-apikey", KEY)
            .json(&json!({"name": "n", "method": "get", "url": "https://d.example/"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    h.sandbox.shutdown().await;
    let h = Harness::with(options(db, KEY)).await;
    assert_eq!(h.agent_get(agent["id"].as_str().unwrap()).await, agent);
    let uuid = cargo["connector"]["uuid"].as_str().unwrap();
    let (status, read) = h.cargo(Method::GET, &format!("{CARGO}/{uuid}"), None).await;
    assert_eq!(
        (status, &read["connector"]),
        (StatusCode::OK, &cargo["connector"])
    );
    let (status, _) = h
        .cargo(Method::POST, CARGO, Some(&cargo_body("kept")))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the slug is still taken");
    let (status, _) = answer(
        h.client
            .get(h.url(&format!("/v1/connectors/{}", databar["id"])))
            .header("x-apikey", KEY),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Each vendor lists only its own.
    let (_, list) = h.agent(Method::GET, AS, None).await;
    assert_eq!(list["total_count"], 1);
    let (_, list) = h.cargo(Method::GET, CARGO, None).await;
    assert_eq!(list["connectors"].as_array().unwrap().len(), 1);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_hosts_demo_mcp_servers_and_fastapi_slash_redirects() {
    let h = Harness::start().await;
    let base = h.sandbox.base_url();
    let open = h
        .agent_create(&json!({"url": format!("{base}/demo/mcp"), "metadata": null}))
        .await;
    assert_eq!(open["metadata"], Value::Null, "null metadata is accepted");
    let (status, body) = h.connect(open["id"].as_str().unwrap(), &json!({})).await;
    assert_eq!(
        (status, body["state"].clone()),
        (StatusCode::OK, json!("connected"))
    );
    let locked = h
        .agent_create(&json!({"url": format!("{base}/demo/mcp/oauth")}))
        .await;
    let (status, body) = h.connect(locked["id"].as_str().unwrap(), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["state"], "auth_required");
    assert_eq!(
        body["auth_request"]["authorization_endpoint"],
        format!("{base}/authorize")
    );
    // The other spelling of each path answers FastAPI's 307.
    let auth = basic("me", KEY);
    let id = open["id"].as_str().unwrap();
    for (path, target) in [
        (format!("{AS}/?limit=1"), format!("{AS}?limit=1")),
        (format!("{AS}/{id}/"), format!("{AS}/{id}")),
    ] {
        let response = h
            .client
            .get(h.url(&path))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT, "{path}");
        assert_eq!(response.headers()["location"], h.url(&target).as_str());
    }
}

/// An upstream server whose answer status can be changed while it runs.
async fn switchable(initial: u16) -> (SocketAddr, Arc<std::sync::atomic::AtomicU16>) {
    let status = Arc::new(std::sync::atomic::AtomicU16::new(initial));
    let current = Arc::clone(&status);
    let app = axum::Router::new().fallback(move || {
        let code = current.load(std::sync::atomic::Ordering::SeqCst);
        async move { axum::http::StatusCode::from_u16(code).unwrap() }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_reconnects_and_a_failed_probe_keeps_the_state() {
    use std::sync::atomic::Ordering::SeqCst;
    let h = Harness::start().await;
    let (addr, status) = switchable(401).await;
    let created = h
        .agent_create(&json!({"url": format!("http://{addr}/mcp")}))
        .await;
    let id = created["id"].as_str().unwrap();
    let state = |body: &Value| body["state"].as_str().unwrap().to_owned();
    // created -> auth_required -> (the server now lets us in) connected.
    let (_, body) = h.connect(id, &json!({})).await;
    assert_eq!(state(&body), "auth_required");
    status.store(200, SeqCst);
    let (_, connected) = h.connect(id, &json!({})).await;
    assert_eq!(state(&connected), "connected");
    assert_eq!(connected["auth_request"], Value::Null);
    // The server breaks: 502 and 504 leave the connector connected, untouched.
    status.store(503, SeqCst);
    let (code, _) = h.connect(id, &json!({})).await;
    assert_eq!(code, StatusCode::BAD_GATEWAY);
    assert_eq!(h.agent_get(id).await, connected);
    // connected -> auth_required when the server starts asking for a token.
    status.store(401, SeqCst);
    let (_, body) = h.connect(id, &json!({})).await;
    assert_eq!(state(&body), "auth_required");
    // auth_required -> disconnected -> auth_required.
    let (_, body) = h.disconnect(id).await;
    assert_eq!(state(&body), "disconnected");
    let (_, body) = h.connect(id, &json!({})).await;
    assert_eq!(state(&body), "auth_required");
    assert_eq!(body["disconnect_reason"], Value::Null);
    // A failed probe from auth_required keeps the pending authorization too.
    status.store(500, SeqCst);
    let (code, _) = h.connect(id, &json!({})).await;
    assert_eq!(code, StatusCode::BAD_GATEWAY);
    assert_eq!(h.agent_get(id).await, body);
}

/// The client asks to recreate an Agent Stack connector only when the file says something the
/// server does not hold; resubmitting it unchanged sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resubmitting_an_unchanged_agent_stack_file_is_no_edit() {
    use patchcord::api::{ApiError, Client as Api, SubmitAction};
    use patchcord::connector::{Connector, TargetRef, Vendor};
    let h = Harness::start().await;
    let target = TargetRef::new("direct", &h.sandbox.base_url());
    let api = Api::new(
        Vendor::AgentStack,
        &target,
        patchcord::config::Secret::new(KEY),
    )
    .unwrap();
    let mut connector = Connector::new(Vendor::AgentStack);
    connector.set("url", json!("https://mcp.example.com"));
    connector.set("metadata", json!({"team": "data"}));
    let first = api.submit(&connector).await.unwrap();
    assert_eq!(first.action, SubmitAction::Created);
    connector.set_remote_id(&target, first.id.clone().unwrap_or_default());
    let again = api.submit(&connector).await.unwrap();
    assert_eq!(again.action, SubmitAction::Unchanged);
    assert_eq!(again.id, first.id);
    let (_, list) = h.agent(Method::GET, AS, None).await;
    assert_eq!(list["total_count"], 1, "nothing deleted or created");
    connector.set("metadata", json!({"team": "ops"}));
    let edited = api.submit(&connector).await.unwrap_err();
    assert!(
        matches!(edited, ApiError::NeedsRecreate { .. }),
        "{edited:?}"
    );
}
