//! The sandbox over real HTTP on 127.0.0.1: every Databar endpoint and status code, the seed
//! example verbatim, concurrency, restart on the same file, malformed requests, and the demo
//! endpoints. Each validation rule's answer is in `sandbox_contract.rs`'s tables.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "the helpers outside #[test] functions fail loudly, like the tests they serve"
)]

#[path = "common/http.rs"]
mod http;

use http::{Harness, answer, client, options};
use patchcord::sandbox::{DbPath, Plan};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;

/// Seed 000's example request, verbatim (shared by the core, CLI and sandbox tests).
const SEED_REQUEST: &str = include_str!("fixtures/seed_000_request.json");

/// Seed 000's example response, verbatim except for `body_template: null`, which the
/// `Connector` schema (seed 003) has and the example leaves out.
const SEED_RESPONSE: &str = r#"{
  "id": 42,
  "name": "My Scoring API",
  "type": "enrichment",
  "method": "post",
  "url": "https://api.example.com/v1/score",
  "headers": [
    {"name": "Authorization", "value": "Bearer sk-xxx"},
    {"name": "Content-Type", "value": "application/json"}
  ],
  "parameters": [{"name": "company_domain", "value": ""}],
  "body": [
    {"name": "domain", "value": ""},
    {"name": "enrichment_type", "value": "full"}
  ],
  "body_template": null,
  "rate_limit": 10,
  "max_concurrency": 5,
  "created_at": "2025-01-15T10:30:00Z"
}"#;

const KEY: &str = "test-key";
const COLLECTION: &str = "/v1/connectors/";

impl Harness {
    async fn start() -> Harness {
        Harness::with(options(DbPath::Memory, KEY)).await
    }

    /// A request with the key and, when there is a body, a JSON Content-Type.
    async fn send(&self, method: Method, path: &str, body: Option<&str>) -> (StatusCode, Value) {
        self.request(method, path, &[("x-apikey", KEY)], body).await
    }

    async fn create(&self, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, COLLECTION, Some(&body.to_string()))
            .await
    }

    /// Proof the server still answers normally.
    async fn still_serving(&self) {
        let (status, list) = self.send(Method::GET, COLLECTION, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.is_array());
    }
}

fn minimal() -> Value {
    json!({"name": "Minimal", "method": "get", "url": "https://api.example.com/x"})
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_rfc3339_utc_seconds(text: &str) -> bool {
    let format = time::format_description::well_known::Rfc3339;
    text.ends_with('Z') && text.len() == 20 && time::OffsetDateTime::parse(text, &format).is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_example_comes_back_as_the_seed_response() {
    let h = Harness::start().await;
    let (status, created) = h.send(Method::POST, COLLECTION, Some(SEED_REQUEST)).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut expected: Value = serde_json::from_str(SEED_RESPONSE).unwrap();
    assert!(created["id"].is_i64());
    assert!(is_rfc3339_utc_seconds(
        created["created_at"].as_str().unwrap()
    ));
    expected["id"] = created["id"].clone();
    expected["created_at"] = created["created_at"].clone();
    assert_eq!(created, expected);
    // The schema's key order, as FastAPI serialises the response model.
    assert_eq!(keys(&created), keys(&expected));
    let (status, fetched) = h
        .send(
            Method::GET,
            &format!("/v1/connectors/{}", created["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, created);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_endpoint_answers_with_its_status_code() {
    let h = Harness::start().await;
    let (status, list) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));

    let (status, created) = h.create(&minimal()).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    let item = format!("/v1/connectors/{id}");
    assert_eq!(
        created,
        json!({
            "id": id, "name": "Minimal", "type": "enrichment", "method": "get",
            "url": "https://api.example.com/x", "headers": [], "parameters": [], "body": [],
            "body_template": null, "rate_limit": null, "max_concurrency": null,
            "created_at": created["created_at"].clone()
        })
    );

    let (status, list) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!((status, list), (StatusCode::OK, json!([created.clone()])));
    let (status, fetched) = h.send(Method::GET, &item, None).await;
    assert_eq!((status, &fetched), (StatusCode::OK, &created));

    // PUT replaces everything: fields left out go back to their defaults.
    let replacement = json!({
        "name": "Replaced", "method": "post", "url": "https://api.example.com/y",
        "type": "simple", "parameters": [{"name": "q"}], "max_concurrency": 2
    });
    let (status, replaced) = h
        .send(Method::PUT, &item, Some(&replacement.to_string()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        replaced,
        json!({
            "id": id, "name": "Replaced", "type": "simple", "method": "post",
            "url": "https://api.example.com/y", "headers": [],
            "parameters": [{"name": "q", "value": ""}], "body": [],
            "body_template": null, "rate_limit": null, "max_concurrency": 2,
            "created_at": created["created_at"].clone()
        })
    );
    let (_, fetched) = h.send(Method::GET, &item, None).await;
    assert_eq!(fetched, replaced);

    let (status, body) = h.send(Method::DELETE, &item, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));

    let not_found = json!({"detail": "Connector not found"});
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = h.send(method, &item, None).await;
        assert_eq!((status, &body), (StatusCode::NOT_FOUND, &not_found));
    }
    let (status, body) = h
        .send(Method::PUT, &item, Some(&minimal().to_string()))
        .await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, not_found));
    h.sandbox.shutdown().await;
}

/// A wrong key is the vendor's 403 on every endpoint; a missing one is `FastAPI`'s 422 for the
/// required `x-apikey` header parameter (the contract table has the item).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_wrong_key_is_refused_on_every_endpoint() {
    let h = Harness::start().await;
    let (_, created) = h.create(&minimal()).await;
    let item = format!("/v1/connectors/{}", created["id"]);
    let body = minimal().to_string();
    let calls = [
        (Method::GET, COLLECTION),
        (Method::POST, COLLECTION),
        (Method::GET, item.as_str()),
        (Method::PUT, item.as_str()),
        (Method::DELETE, item.as_str()),
    ];
    for (method, path) in calls {
        for key in [None, Some("wrong-key"), Some("")] {
            let mut request = h
                .client
                .request(method.clone(), h.url(path))
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(key) = key {
                request = request.header("x-apikey", key);
            }
            let (status, answer) = answer(request).await;
            if key.is_some() {
                assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} key {key:?}");
                assert_eq!(answer, json!({"detail": "Invalid API key"}));
            } else {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {path}");
                assert_eq!(answer["detail"][0]["loc"], json!(["header", "x-apikey"]));
            }
        }
    }
    // Nothing was changed by the refused calls.
    let (_, list) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(list, json!([created]));
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_key_is_required_when_none_is_given() {
    let mut opts = options(DbPath::Memory, KEY);
    opts.keys.clear();
    let h = Harness::with(opts).await;
    assert_eq!(h.sandbox.keys.len(), 1);
    let generated = h.sandbox.keys[0].clone();
    assert!(generated.len() >= 32);
    let (status, _) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let request = h
        .client
        .get(h.url(COLLECTION))
        .header("x-apikey", generated);
    assert_eq!(answer(request).await.0, StatusCode::OK);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_do_not_reject_and_the_template_derives_the_body() {
    let h = Harness::start().await;
    // A duplicate header is only a warning.
    let duplicate = with(
        minimal(),
        "headers",
        json!([{"name": "Accept", "value": "a"}, {"name": "accept", "value": "b"}]),
    );
    let (status, created) = h.create(&duplicate).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["headers"], duplicate["headers"]);

    // A body list that disagrees with the template is replaced by the template's variables.
    let templated = json!({
        "name": "Templated", "method": "post", "url": "https://api.example.com/score",
        "body": [{"name": "stale", "value": "x"}],
        "body_template": "{\"domain\": {{ domain|tojson }}, \"tier\": {{ tier|tojson }}, \"again\": {{ domain|tojson }}}"
    });
    let (status, created) = h.create(&templated).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created["body"],
        json!([{"name": "domain", "value": ""}, {"name": "tier", "value": ""}])
    );
    assert_eq!(created["body_template"], templated["body_template"]);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_clamped_to_the_plan() {
    let mut opts = options(DbPath::Memory, KEY);
    opts.plan = Plan {
        rate_limit: 100,
        max_concurrency: 1,
    };
    let h = Harness::with(opts).await;
    let payload = with(
        with(minimal(), "rate_limit", json!(60)),
        "max_concurrency",
        json!(3),
    );
    let (_, created) = h.create(&payload).await;
    assert_eq!(created["rate_limit"], 60);
    assert_eq!(created["max_concurrency"], 1);
    let payload = with(minimal(), "rate_limit", json!(1000));
    let (_, created) = h.create(&payload).await;
    assert_eq!(created["rate_limit"], 100);
    assert_eq!(created["max_concurrency"], Value::Null);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_4xx_and_the_server_keeps_serving() {
    let h = Harness::start().await;
    let post_raw = |body: Vec<u8>, content_type: Option<&str>| {
        let mut request = h
            .client
            .post(h.url(COLLECTION))
            .header("x-apikey", KEY)
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        answer(request)
    };
    let json_type = Some("application/json");

    // Truncated JSON.
    let truncated = SEED_REQUEST.as_bytes()[..SEED_REQUEST.len() / 2].to_vec();
    let (status, body) = post_raw(truncated, json_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    assert_eq!(body["detail"][0]["msg"], "JSON decode error");
    assert_eq!(body["detail"][0]["loc"][0], "body");
    assert!(body["detail"][0]["loc"][1].is_u64(), "{body}");
    h.still_serving().await;

    // Invalid UTF-8 inside a string: bytes Python cannot decode are FastAPI's 400.
    let (status, body) = post_raw(
        b"{\"name\": \"\xff\xfe\", \"method\": \"get\"}".to_vec(),
        json_type,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["detail"], "There was an error parsing the body");
    h.still_serving().await;

    // Wrong types everywhere.
    let wrong = json!({"name": [], "method": 1, "url": {}, "headers": "h", "rate_limit": 1.5});
    let (status, body) = post_raw(wrong.to_string().into_bytes(), json_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"].as_array().unwrap().len(), 5, "{body}");
    h.still_serving().await;

    // Empty body.
    let (status, body) = post_raw(Vec::new(), json_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "missing");
    h.still_serving().await;

    // Missing and wrong Content-Type: FastAPI does not read the body as JSON, so no model
    // accepts it (422, not 415).
    let seed = SEED_REQUEST.as_bytes().to_vec();
    for content_type in [None, Some("text/plain")] {
        let (status, body) = post_raw(seed.clone(), content_type).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{content_type:?}");
        assert_eq!(body["detail"][0]["type"], "model_attributes_type");
    }
    let (status, _) = post_raw(seed, Some("application/json; charset=utf-8")).await;
    assert_eq!(status, StatusCode::CREATED);
    h.still_serving().await;

    // A 10 MB body, and one just over the 1 MiB limit.
    for size in [10_000_000, patchcord::sandbox::MAX_BODY + 1] {
        let mut huge = b"{\"name\": \"".to_vec();
        huge.resize(size, b'a');
        let (status, body) = post_raw(huge, json_type).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{size} bytes");
        assert!(body["detail"].as_str().unwrap().contains("1 MiB"));
        h.still_serving().await;
    }

    // A JSON null is no object.
    let (status, body) = post_raw(b"null".to_vec(), json_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body"]));

    // Only the one good create above was stored.
    let (_, list) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    h.sandbox.shutdown().await;
}

/// Hundreds of mangled versions of the seed request (cut short, a byte replaced, a byte
/// inserted): each is answered with 201 or a 4xx carrying a `detail`, never a 5xx or a
/// dropped connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mangled_requests_never_get_a_server_error() {
    let h = Harness::start().await;
    let seed = SEED_REQUEST.as_bytes();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        // xorshift64: deterministic, so a failure reproduces.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % bound as u64).unwrap()
    };
    let noise = b"{}[]\",:0-9.eE\"\xff\x00 \nnulltrue";
    for round in 0..400 {
        let mut body = seed.to_vec();
        match round % 3 {
            0 => body.truncate(next(seed.len())),
            1 => body[next(seed.len())] = noise[next(noise.len())],
            _ => body.insert(next(seed.len()), noise[next(noise.len())]),
        }
        let request = h
            .client
            .post(h.url(COLLECTION))
            .header("x-apikey", KEY)
            .header("content-type", "application/json")
            .body(body.clone());
        let (status, answer) = answer(request).await;
        let shown = String::from_utf8_lossy(&body);
        assert!(
            status == StatusCode::CREATED || status.is_client_error(),
            "{status} for {shown}"
        );
        if status.is_client_error() {
            assert!(!answer["detail"].is_null(), "{answer} for {shown}");
        }
    }
    h.still_serving().await;
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_clients_creating_500_each_get_4000_distinct_ids() {
    let h = Harness::start().await;
    let url = h.url(COLLECTION);
    let mut workers = Vec::new();
    for worker in 0..8 {
        let client = h.client.clone();
        let url = url.clone();
        workers.push(tokio::spawn(async move {
            let mut ids = Vec::with_capacity(500);
            for n in 0..500 {
                let payload = json!({
                    "name": format!("w{worker}-{n}"), "method": "get",
                    "url": "https://api.example.com/x"
                });
                let response = client
                    .post(&url)
                    .header("x-apikey", KEY)
                    .json(&payload)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
                let created: Value = response.json().await.unwrap();
                assert_eq!(created["name"], payload["name"]);
                ids.push(created["id"].as_i64().unwrap());
            }
            ids
        }));
    }
    let mut answered = HashSet::new();
    for worker in workers {
        answered.extend(worker.await.unwrap());
    }
    assert_eq!(answered.len(), 4000);
    let (_, list) = h.send(Method::GET, COLLECTION, None).await;
    let listed: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed.len(), 4000);
    assert_eq!(listed.iter().copied().collect::<HashSet<_>>(), answered);
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "listed by id");
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_on_the_same_file_keeps_everything_and_never_reuses_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = DbPath::File(dir.path().join("nested").join("sandbox.sqlite3"));

    let h = Harness::with(options(db.clone(), KEY)).await;
    let (_, seed) = h.send(Method::POST, COLLECTION, Some(SEED_REQUEST)).await;
    let (_, second) = h.create(&minimal()).await;
    let (_, third) = h.create(&with(minimal(), "name", json!("third"))).await;
    let third_id = third["id"].as_i64().unwrap();
    let (status, _) = h
        .send(Method::DELETE, &format!("/v1/connectors/{third_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, before) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(before, json!([seed, second]));
    h.sandbox.shutdown().await;

    let h = Harness::with(options(db.clone(), KEY)).await;
    let (status, after) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after, before);
    // The deleted highest id is not handed out again, even after a restart.
    let (_, fourth) = h.create(&minimal()).await;
    let fourth_id = fourth["id"].as_i64().unwrap();
    assert!(fourth_id > third_id);

    // The answered write is already in the file: another connection reads it while the
    // server still runs, as the JSON the response showed (minus the id column).
    let DbPath::File(path) = &db else {
        unreachable!("a file store")
    };
    let reader = rusqlite::Connection::open(path).unwrap();
    let text: String = reader
        .query_row(
            "SELECT data FROM connectors WHERE id = ?1",
            [fourth_id],
            |row| row.get(0),
        )
        .unwrap();
    let mut expected = fourth.clone();
    expected.as_object_mut().unwrap().remove("id");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);
    drop(reader);

    // Dropped without a graceful shutdown: a restart still finds everything.
    drop(h);
    let h = Harness::with(options(db, KEY)).await;
    let (_, last) = h.send(Method::GET, COLLECTION, None).await;
    assert_eq!(last, json!([before[0], before[1], fourth]));
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_score_is_deterministic_and_needs_no_key() {
    let h = Harness::start().await;
    let score = |body: Value| answer(h.client.post(h.url("/demo/score")).json(&body));
    let (status, first) = score(json!({"domain": "acme.com"})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = score(json!({"domain": "ACME.com "})).await;
    assert_eq!(first, again);
    assert_eq!(first["domain"], "acme.com");
    let value = first["score"].as_u64().unwrap();
    assert!(value <= 100);
    let (_, other) = score(json!({"domain": "globex.com"})).await;
    assert_ne!(other, first);
    let (status, by_query) =
        answer(h.client.get(h.url("/demo/score?company_domain=acme.com"))).await;
    assert_eq!((status, &by_query), (StatusCode::OK, &first));
    let (status, body) = score(json!({"nothing": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "domain"]));
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_echo_returns_the_request_it_got() {
    let h = Harness::start().await;
    let (status, echoed) = answer(
        h.client
            .put(h.url("/demo/echo/some/where?a=1&b=two&a=3"))
            .header("x-custom", "yes")
            .json(&json!({"domain": "acme.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(echoed["method"], "PUT");
    assert_eq!(echoed["path"], "/demo/echo/some/where");
    assert_eq!(echoed["query"], json!({"a": ["1", "3"], "b": "two"}));
    assert_eq!(echoed["headers"]["x-custom"], "yes");
    assert_eq!(echoed["headers"]["content-type"], "application/json");
    assert_eq!(echoed["body"], json!({"domain": "acme.com"}));

    let (status, echoed) = answer(h.client.delete(h.url("/demo/echo")).body("plain text")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(echoed["method"], "DELETE");
    assert_eq!(echoed["body"], "plain text");
    let (_, echoed) = answer(h.client.get(h.url("/demo/echo"))).await;
    assert_eq!(echoed["body"], Value::Null);
    h.sandbox.shutdown().await;
}

/// Reads the child's stdout lines on a thread, so the test can wait for one under a deadline.
#[cfg(unix)]
fn line_reader(stream: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (send, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// `patchcord serve` with no key prints the address and a generated key once, serves with that
/// key and the plan from its flags, and exits 0 on SIGTERM.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patchcord_serve_prints_a_generated_key_once_and_stops_on_sigterm() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchcord"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db", ":memory:"])
        .args(["--plan-rate-limit", "100"])
        .env_remove("PATCHCORD_SANDBOX_KEYS")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("PATCHCORD_CONFIG", home.path().join("config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The banner is status: on stderr.
    let lines = line_reader(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut printed = Vec::new();
    while !printed.iter().any(|l: &String| l.contains("Ctrl-C")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => printed.push(line),
            Err(e) => panic!("serve printed {printed:?} then {e}"),
        }
    }
    let base = printed
        .iter()
        .find_map(|l| {
            l.split_once("listening on ")
                .map(|(_, url)| url.trim().to_owned())
        })
        .unwrap();
    let key_lines: Vec<&String> = printed.iter().filter(|l| l.contains("API key")).collect();
    assert_eq!(key_lines.len(), 1, "{printed:?}");
    let key = key_lines[0].rsplit(' ').next().unwrap().to_owned();

    let client = client();
    let request = client
        .post(format!("{base}{COLLECTION}"))
        .header("x-apikey", &key)
        .json(&with(minimal(), "rate_limit", json!(60)));
    let (status, created) = answer(request).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["rate_limit"], 60);
    let request = client
        .get(format!("{base}{COLLECTION}"))
        .header("x-apikey", "wrong");
    assert_eq!(answer(request).await.0, StatusCode::FORBIDDEN);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exit.success(), "{exit:?}");
    // Nothing after the banner repeats the key.
    let rest: Vec<String> = lines.try_iter().collect();
    assert!(rest.iter().all(|l| !l.contains(&key)), "{rest:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_bomb_is_stored_without_rendering_it() {
    // The sandbox, like the vendor, only compiles a template (for its variables); it never
    // renders one, so the 80-character bomb is stored at once.
    let h = Harness::start().await;
    let bomb = with(
        minimal(),
        "body_template",
        json!(
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ x }}{% endfor %}{% endfor %}"
        ),
    );
    let (status, created) =
        tokio::time::timeout(std::time::Duration::from_secs(20), h.create(&bomb))
            .await
            .expect("the sandbox answers promptly");
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["body"], json!([{"name": "x", "value": ""}]));
    h.still_serving().await;
    h.sandbox.shutdown().await;
}
