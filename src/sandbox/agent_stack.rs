//! Agent Stack's connector API (seed 002) as the sandbox serves it: create, list with paging,
//! read, delete, and the connect / disconnect state machine, behind HTTP Basic (the key is the
//! password). Connect probes the connector's URL the way the vendor does (an MCP `initialize`
//! POST) and turns the answer into a state: 2xx/3xx connected, 401 `auth_required` with an
//! authorization endpoint, another status 502, no answer 504.
//!
//! Owns the mapping from a request to a stored record and back, the probe and the presets.
//! Field rules live in `crate::connector::validate`, the SQL in `store.rs`.

use super::Shared;
use super::databar::{fastapi_item, redirect_slash, reject};
use super::errors::HttpError;
use super::request::{check_auth, parse_json, read_body, require_json};
use crate::connector::{Connector, Finding, Rule, Severity, Vendor, validate};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const VENDOR: Vendor = Vendor::AgentStack;

/// How long connect waits for the connector's server (connect plus answer headers).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// `limit` when a list request gives none, and the most it may ask for.
pub const DEFAULT_LIMIT: usize = 40;
pub const MAX_LIMIT: usize = 100;

/// The user every sandbox key stands for: `created_by` of every connector.
pub const SANDBOX_USER: &str = "5a4db0c5-0000-4000-8000-00000000a5a5";

/// The keys of a connector as the API returns it, in the seed's order. Anything else in the
/// stored record (the OAuth client) is never sent back.
const RESPONSE_KEYS: [&str; 9] = [
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

/// A known MCP server: with `match_preset` (the default) a connector created for exactly this
/// URL gets the preset's metadata when it brings none, as the vendor's server does with its
/// configured presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub url: &'static str,
    pub metadata: &'static [(&'static str, &'static str)],
}

/// The sandbox's configured presets: a few well-known remote MCP servers.
pub const PRESETS: &[Preset] = &[
    Preset {
        url: "https://api.githubcopilot.com/mcp/",
        metadata: &[("name", "GitHub"), ("preset", "github")],
    },
    Preset {
        url: "https://mcp.notion.com/mcp",
        metadata: &[("name", "Notion"), ("preset", "notion")],
    },
    Preset {
        url: "https://mcp.linear.app/mcp",
        metadata: &[("name", "Linear"), ("preset", "linear")],
    },
    Preset {
        url: "https://mcp.stripe.com/",
        metadata: &[("name", "Stripe"), ("preset", "stripe")],
    },
];

type Answer = Result<Response, HttpError>;

/// Collection, item, and the item's two actions at the vendor table's paths.
pub fn routes() -> Router<Arc<Shared>> {
    let spec = VENDOR.spec();
    let collection = spec.collection_path;
    let item = spec.item_path;
    Router::new()
        .route(collection, get(list).post(create))
        .route(item, get(read).delete(remove))
        .route(&format!("{item}/connect"), post(connect))
        .route(&format!("{item}/disconnect"), post(disconnect))
        // FastAPI's redirect_slashes: the other spelling answers 307.
        .route(&format!("{collection}/"), any(redirect_slash))
        .route(&format!("{item}/"), any(redirect_slash))
        .route(DEMO_MCP, post(demo_mcp))
        .route(DEMO_MCP_OAUTH, any(demo_mcp_oauth))
}

/// A stand-in remote MCP server on the sandbox itself, so connect can be shown offline:
/// register `http://127.0.0.1:PORT/demo/mcp` and connect gives `connected`. No key needed.
pub const DEMO_MCP: &str = "/demo/mcp";
/// The same behind OAuth: every request is a 401 with a bare `Bearer` challenge, so connect
/// gives `auth_required` with `http://127.0.0.1:PORT/authorize`.
pub const DEMO_MCP_OAUTH: &str = "/demo/mcp/oauth";

/// Answers an MCP `initialize` the way a server without auth does.
async fn demo_mcp(body: Body) -> Response {
    let bytes = read_body(body).await.unwrap_or_default();
    let id = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|request| request.get("id").cloned())
        .unwrap_or(Value::Null);
    axum::Json(json!({
        "jsonrpc": "2.0",
        "id": id,
        "result": {
            "protocolVersion": "2025-06-18",
            "capabilities": { "tools": {} },
            "serverInfo": { "name": "patchcord-sandbox-demo", "version": env!("CARGO_PKG_VERSION") },
        },
    }))
    .into_response()
}

async fn demo_mcp_oauth() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"patchcord-sandbox\"",
        )],
        axum::Json(
            json!({ "error": "invalid_token", "error_description": "Authorization required" }),
        ),
    )
        .into_response()
}

fn auth(shared: &Shared, headers: &HeaderMap) -> Result<(), HttpError> {
    check_auth(headers, VENDOR.spec().auth, &shared.keys)
}

fn internal(error: &super::StoreError) -> HttpError {
    HttpError::internal(error)
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Answer {
    let bytes = read_body(body).await;
    auth(&shared, &headers)?;
    require_json(&headers)?;
    let fields = body_object(parse_json(&bytes?)?)?;
    let connector = Connector {
        vendor: VENDOR,
        fields,
        remote_id: None,
        extra_meta: Map::new(),
    };
    judge(&validate(&connector))?;
    let record = admit(&connector.fields);
    shared
        .store
        .insert(VENDOR.key(), record.clone())
        .await
        .map_err(|e| internal(&e))?;
    Ok((StatusCode::CREATED, axum::Json(response(&record))).into_response())
}

async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Answer {
    auth(&shared, &headers)?;
    let (limit, after) = page_query(uri.query().unwrap_or_default())?;
    let rows = shared
        .store
        .list(VENDOR.key())
        .await
        .map_err(|e| internal(&e))?;
    let total = rows.len();
    let rest: Vec<&(i64, Map<String, Value>)> = rows
        .iter()
        .filter(|(row, _)| after.is_none_or(|a| *row > a))
        .collect();
    let page = rest.get(..limit.min(rest.len())).unwrap_or_default();
    let has_more = rest.len() > page.len();
    let next = page
        .last()
        .filter(|_| has_more)
        .map(|(row, _)| Value::String(page_token(*row)));
    let items: Vec<Value> = page.iter().map(|(_, record)| response(record)).collect();
    Ok(axum::Json(json!({
        "items": items,
        "total_count": total,
        "has_more": has_more,
        "next_page_token": next.unwrap_or(Value::Null),
    }))
    .into_response())
}

async fn read(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    auth(&shared, &headers)?;
    let id = parse_uuid(&raw_id)?;
    let (_, record) = find(&shared, &id).await?;
    Ok(axum::Json(response(&record)).into_response())
}

async fn remove(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    auth(&shared, &headers)?;
    let id = parse_uuid(&raw_id)?;
    let (row, _) = find(&shared, &id).await?;
    let deleted = shared
        .store
        .delete(VENDOR.key(), row)
        .await
        .map_err(|e| internal(&e))?;
    if deleted {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found(&id))
    }
}

/// `POST .../{id}/connect` with `{redirect_url?}`: probes the URL and moves the state. Allowed
/// from every state (the vendor re-probes a connected or disconnected connector too); a failed
/// probe (502, 504) leaves the stored connector as it was.
async fn connect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
    body: Body,
) -> Answer {
    let bytes = read_body(body).await;
    auth(&shared, &headers)?;
    let id = parse_uuid(&raw_id)?;
    require_json(&headers)?;
    check_connect_body(&body_object(parse_json(&bytes?)?)?)?;
    let (row, record) = find(&shared, &id).await?;
    let url = record
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let (state, auth_request) = match probe(&url).await {
        Probe::Reachable => ("connected", Value::Null),
        Probe::Unauthorized { endpoint } => (
            "auth_required",
            json!({ "authorization_endpoint": endpoint, "type": "code" }),
        ),
        Probe::Upstream { status, text } => {
            return Err(HttpError::new(
                StatusCode::BAD_GATEWAY,
                format!("The connector's server at {url} answered HTTP {status}: {text}"),
            ));
        }
        Probe::Unreachable(reason) => {
            return Err(HttpError::new(
                StatusCode::GATEWAY_TIMEOUT,
                format!("The connector's server at {url} could not be reached: {reason}"),
            ));
        }
    };
    let stored = shared
        .store
        .update(VENDOR.key(), row, move |mut record| {
            let stamp = stamp_after(record.get("updated_at"));
            record.insert("state".into(), Value::from(state));
            record.insert("auth_request".into(), auth_request);
            record.insert("disconnect_reason".into(), Value::Null);
            record.insert("updated_at".into(), stamp);
            record
        })
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(|| not_found(&id))?;
    Ok(axum::Json(response(&stored)).into_response())
}

/// `POST .../{id}/disconnect`: only a connected or `auth_required` connector can be
/// disconnected; any other state is the vendor's 400.
async fn disconnect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    auth(&shared, &headers)?;
    let id = parse_uuid(&raw_id)?;
    let (row, _) = find(&shared, &id).await?;
    let refused = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&refused);
    let stored = shared
        .store
        .update(VENDOR.key(), row, move |mut record| {
            let state = record.get("state").and_then(Value::as_str);
            if !matches!(state, Some("connected" | "auth_required")) {
                flag.store(true, Ordering::SeqCst);
                return record;
            }
            let stamp = stamp_after(record.get("updated_at"));
            record.insert("state".into(), Value::from("disconnected"));
            record.insert("auth_request".into(), Value::Null);
            record.insert(
                "disconnect_reason".into(),
                Value::from("Disconnected by user"),
            );
            record.insert("updated_at".into(), stamp);
            record
        })
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(|| not_found(&id))?;
    if refused.load(Ordering::SeqCst) {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "Connector must be in connected or auth_required state",
        ));
    }
    Ok(axum::Json(response(&stored)).into_response())
}

async fn find(shared: &Shared, id: &str) -> Result<(i64, Map<String, Value>), HttpError> {
    shared
        .store
        .find(VENDOR.key(), VENDOR.spec().id_field, id.to_owned())
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(|| not_found(id))
}

/// The vendor's `EntityNotFoundError` message.
fn not_found(id: &str) -> HttpError {
    HttpError::not_found(&format!("connector with id {id} not found"))
}

/// The body as an object; JSON `null` is `FastAPI`'s missing body.
fn body_object(payload: Value) -> Result<Map<String, Value>, HttpError> {
    match payload {
        Value::Object(fields) => Ok(fields),
        Value::Null => Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::Required,
        )])),
        _ => Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::NotAnObject,
        )])),
    }
}

/// Databar's judgement (schema rules 422, the rest 400), except that the URL's own rules are
/// schema rules here: Agent Stack's `url` is `string<uri>` with a minimum length of 1 (pydantic's
/// `AnyUrl`), so a blank or unparsable URL is a 422 `url_parsing`, as the vendor answers it.
fn judge(findings: &[Finding]) -> Result<(), HttpError> {
    let is_url_rule = |f: &Finding| {
        f.path.field() == Some("url")
            && matches!(f.rule, Rule::UrlInvalid | Rule::UrlScheme | Rule::Blank)
    };
    let url_items: Vec<Value> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && is_url_rule(f))
        .map(|f| {
            let reason = match f.rule {
                Rule::Blank => "input is empty".to_owned(),
                _ => f.message.clone(),
            };
            let kind = if f.rule == Rule::UrlScheme {
                "url_scheme"
            } else {
                "url_parsing"
            };
            json!({
                "type": kind,
                "loc": ["body", "url"],
                "msg": format!("Input should be a valid URL, {reason}"),
                "ctx": { "error": reason },
            })
        })
        .collect();
    let rest: Vec<Finding> = findings
        .iter()
        .filter(|f| !is_url_rule(f))
        .cloned()
        .collect();
    if url_items.is_empty() {
        return reject(&rest);
    }
    let mut items: Vec<Value> = rest
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule.is_schema())
        .map(|f| fastapi_item(&f.path.0, &f.rule))
        .collect();
    items.splice(0..0, url_items);
    Err(HttpError::validation(items))
}

/// `ConnectorConnectRequest`: `redirect_url` is an absolute URL or null; `auth_token` (the
/// vendor's other optional field) a string or null; anything else is ignored, as pydantic does.
fn check_connect_body(fields: &Map<String, Value>) -> Result<(), HttpError> {
    let mut errors = Vec::new();
    match fields.get("redirect_url") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            if let Err(error) = url::Url::parse(text) {
                errors.push(json!({
                    "type": "url_parsing",
                    "loc": ["body", "redirect_url"],
                    "msg": format!("Input should be a valid URL, {error}"),
                    "input": text,
                    "ctx": { "error": error.to_string() },
                }));
            }
        }
        Some(other) => errors.push(json!({
            "type": "url_type",
            "loc": ["body", "redirect_url"],
            "msg": "URL input should be a string or URL",
            "input": other,
        })),
    }
    if let Some(token) = fields.get("auth_token")
        && !token.is_null()
        && !token.is_string()
    {
        let mut item = fastapi_item(
            &[crate::connector::PathSeg::Key("auth_token".into())],
            &Rule::Type("string"),
        );
        if let Some(object) = item.as_object_mut() {
            object.insert("input".into(), token.clone());
        }
        errors.push(item);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(HttpError::validation(errors))
    }
}

/// The record to store for a validated create body: the response fields plus the OAuth client
/// (kept, never returned). The URL is normalized as pydantic's `AnyUrl` does (same `url`
/// crate), so `https://x.example` comes back as `https://x.example/`.
fn admit(fields: &Map<String, Value>) -> Map<String, Value> {
    let text = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let raw_url = text("url").unwrap_or_default();
    let url = normalize_url(&raw_url);
    let match_preset = fields
        .get("match_preset")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut metadata = fields
        .get("metadata")
        .filter(|m| m.as_object().is_some_and(|m| !m.is_empty()))
        .cloned()
        .unwrap_or(Value::Null);
    if match_preset
        && metadata.is_null()
        && let Some(preset) = find_preset(&url)
    {
        let pairs = preset
            .metadata
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect();
        metadata = Value::Object(pairs);
    }
    // The vendor keeps `{}` as sent when no preset applies; `metadata or preset.metadata` only
    // swaps an empty map for the preset's.
    if metadata.is_null()
        && let Some(sent @ Value::Object(_)) = fields.get("metadata")
    {
        metadata = sent.clone();
    }
    let stamp = stamp_after(None);
    let mut record = Map::new();
    record.insert("id".into(), Value::from(uuid::Uuid::new_v4().to_string()));
    record.insert("url".into(), Value::from(url));
    record.insert("state".into(), Value::from("created"));
    record.insert("auth_request".into(), Value::Null);
    record.insert("disconnect_reason".into(), Value::Null);
    record.insert("metadata".into(), metadata);
    record.insert("created_at".into(), stamp.clone());
    record.insert("updated_at".into(), stamp);
    record.insert("created_by".into(), Value::from(SANDBOX_USER));
    record.insert(
        "client_id".into(),
        text("client_id").map_or(Value::Null, Value::from),
    );
    record.insert(
        "client_secret".into(),
        text("client_secret").map_or(Value::Null, Value::from),
    );
    record
}

fn normalize_url(text: &str) -> String {
    url::Url::parse(text).map_or_else(|_| text.to_owned(), String::from)
}

/// The preset whose URL equals this one once both are normalized.
pub fn find_preset(url: &str) -> Option<&'static Preset> {
    let url = normalize_url(url);
    PRESETS.iter().find(|p| normalize_url(p.url) == url)
}

/// A stored record as the API shows it: the seed's keys in the seed's order.
fn response(record: &Map<String, Value>) -> Value {
    let mut out = Map::with_capacity(RESPONSE_KEYS.len());
    for key in RESPONSE_KEYS {
        out.insert(
            key.to_owned(),
            record.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(out)
}

/// A path id: any form pydantic's UUID accepts, in canonical lowercase form; else its 422.
fn parse_uuid(raw: &str) -> Result<String, HttpError> {
    uuid::Uuid::parse_str(raw)
        .map(|id| id.hyphenated().to_string())
        .map_err(|error| {
            HttpError::validation(vec![json!({
                "type": "uuid_parsing",
                "loc": ["path", "connector_id"],
                "msg": format!("Input should be a valid UUID, {error}"),
                "input": raw,
                "ctx": { "error": error.to_string() },
            })])
        })
}

/// `limit` (1..=100, default 40) and the row after which the page starts (from `page_token`).
fn page_query(query: &str) -> Result<(usize, Option<i64>), HttpError> {
    let mut limit = DEFAULT_LIMIT;
    let mut after = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "limit" => limit = parse_limit(&value)?,
            "page_token" if !value.is_empty() => {
                after = Some(read_page_token(&value).ok_or_else(|| {
                    HttpError::new(
                        StatusCode::BAD_REQUEST,
                        format!("Invalid page_token {value:?}: pass back a next_page_token"),
                    )
                })?);
            }
            _ => {}
        }
    }
    Ok((limit, after))
}

fn parse_limit(raw: &str) -> Result<usize, HttpError> {
    let item = |kind: &str, msg: String, ctx: Option<Value>| {
        let mut item = json!({ "type": kind, "loc": ["query", "limit"], "msg": msg, "input": raw });
        if let (Some(ctx), Some(object)) = (ctx, item.as_object_mut()) {
            object.insert("ctx".into(), ctx);
        }
        HttpError::validation(vec![item])
    };
    let Ok(n) = raw.trim().parse::<i64>() else {
        return Err(item(
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer".into(),
            None,
        ));
    };
    let max = i64::try_from(MAX_LIMIT).unwrap_or(i64::MAX);
    if n < 1 {
        return Err(item(
            "greater_than_equal",
            "Input should be greater than or equal to 1".into(),
            Some(json!({ "ge": 1 })),
        ));
    }
    if n > max {
        return Err(item(
            "less_than_equal",
            format!("Input should be less than or equal to {MAX_LIMIT}"),
            Some(json!({ "le": MAX_LIMIT })),
        ));
    }
    Ok(usize::try_from(n).unwrap_or(DEFAULT_LIMIT))
}

/// Opaque to clients: the store row after which the next page starts, so a page is stable
/// when earlier connectors are deleted.
fn page_token(row: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("after:{row}"))
}

fn read_page_token(token: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("after:")?.parse().ok()
}

/// What the connector's server said to the probe.
enum Probe {
    /// 2xx or 3xx.
    Reachable,
    /// 401, with the authorization endpoint to send the user to.
    Unauthorized { endpoint: String },
    /// Any other HTTP status, with the start of the body.
    Upstream { status: u16, text: String },
    /// Refused, timed out, or not HTTP.
    Unreachable(String),
}

/// The probe's client: no redirects (a 3xx is an answer), no proxy (loopback servers must be
/// reached directly), a short timeout.
fn probe_client() -> Result<&'static reqwest::Client, String> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .connect_timeout(PROBE_TIMEOUT)
                .timeout(PROBE_TIMEOUT)
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Sends what an MCP client sends first (an `initialize` request over streamable HTTP) and
/// reads only the status and headers, plus a little of an error body.
async fn probe(url: &str) -> Probe {
    let client = match probe_client() {
        Ok(client) => client,
        Err(reason) => return Probe::Unreachable(reason),
    };
    let initialize = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "patchcord-sandbox", "version": env!("CARGO_PKG_VERSION") },
        },
    });
    let sent = client
        .post(url)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .json(&initialize)
        .send()
        .await;
    let mut answer = match sent {
        Ok(answer) => answer,
        Err(error) => {
            let reason = if error.is_timeout() {
                format!("no answer within {} s", PROBE_TIMEOUT.as_secs())
            } else {
                error_chain(&error)
            };
            return Probe::Unreachable(reason);
        }
    };
    let status = answer.status();
    if status.is_success() || status.is_redirection() {
        return Probe::Reachable;
    }
    if status == StatusCode::UNAUTHORIZED {
        let named = answer
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(named_endpoint);
        let endpoint = named.unwrap_or_else(|| default_endpoint(url));
        return Probe::Unauthorized { endpoint };
    }
    let mut text = Vec::new();
    let reading = tokio::time::timeout(PROBE_TIMEOUT, async {
        while text.len() < 512 {
            match answer.chunk().await {
                Ok(Some(chunk)) => text.extend_from_slice(&chunk),
                _ => break,
            }
        }
    });
    let _ = reading.await;
    let text: String = String::from_utf8_lossy(&text).chars().take(200).collect();
    Probe::Upstream {
        status: status.as_u16(),
        text: if text.trim().is_empty() {
            status.canonical_reason().unwrap_or("error").to_owned()
        } else {
            text.trim().to_owned()
        },
    }
}

/// reqwest's error with its causes ("error sending request: connection refused").
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// An authorization endpoint a `WWW-Authenticate` challenge names outright, as
/// `authorization_uri="…"` (RFC 6750 style, used by several OAuth servers) or
/// `authorization_endpoint="…"`; only absolute http(s) URLs count.
fn named_endpoint(challenge: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    ["authorization_uri=", "authorization_endpoint="]
        .iter()
        .find_map(|name| {
            let start = lower.find(name)? + name.len();
            let rest = challenge.get(start..)?.trim_start();
            let value = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => rest.split([',', ' ']).next()?,
            };
            let parsed = url::Url::parse(value).ok()?;
            matches!(parsed.scheme(), "http" | "https").then(|| value.to_owned())
        })
}

/// The MCP authorization spec's fallback when a server names no endpoint:
/// `/authorize` at the server's origin.
fn default_endpoint(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => format!("{}/authorize", parsed.origin().ascii_serialization()),
        Err(_) => format!("{}/authorize", url.trim_end_matches('/')),
    }
}

/// Now, as pydantic prints an aware UTC datetime (`2023-11-07T05:31:56.123456Z`), and always
/// later than `previous`, so `updated_at` moves on every change even within one microsecond.
fn stamp_after(previous: Option<&Value>) -> Value {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    // Cut to the printed precision first, so "later" is later once printed too.
    let now = time::OffsetDateTime::now_utc();
    let mut now = now
        .replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now);
    if let Some(before) = previous
        .and_then(Value::as_str)
        .and_then(|text| time::PrimitiveDateTime::parse(text, &format).ok())
        .map(time::PrimitiveDateTime::assume_utc)
        && now <= before
    {
        now = before + time::Duration::microseconds(1);
    }
    now.format(&format).map_or(Value::Null, Value::String)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_names_the_endpoint_or_origin_authorize_is_used() {
        assert_eq!(
            named_endpoint(
                r#"Bearer realm="x", authorization_uri="https://auth.example/oauth/authorize""#
            ),
            Some("https://auth.example/oauth/authorize".to_owned())
        );
        assert_eq!(
            named_endpoint("Bearer AUTHORIZATION_ENDPOINT=http://a.example/go, error=x"),
            Some("http://a.example/go".to_owned())
        );
        assert_eq!(
            named_endpoint(r#"Bearer resource_metadata="https://a/.well-known/x""#),
            None
        );
        assert_eq!(
            named_endpoint(r#"Bearer authorization_uri="not a url""#),
            None
        );
        assert_eq!(
            default_endpoint("http://127.0.0.1:9/mcp/sse?x=1"),
            "http://127.0.0.1:9/authorize"
        );
    }

    #[test]
    fn page_tokens_round_trip_and_garbage_is_refused() {
        assert_eq!(read_page_token(&page_token(42)), Some(42));
        assert_eq!(read_page_token("nope"), None);
        assert!(page_query("page_token=nope").is_err());
        assert_eq!(page_query("").ok(), Some((DEFAULT_LIMIT, None)));
        assert_eq!(page_query("limit=0").unwrap_err().status, 422);
        assert_eq!(page_query("limit=101").unwrap_err().status, 422);
        assert_eq!(page_query("limit=x").unwrap_err().status, 422);
    }

    #[test]
    fn stamps_taken_in_a_row_always_increase() {
        let mut last = stamp_after(None);
        for _ in 0..2000 {
            let next = stamp_after(Some(&last));
            assert!(next.as_str() > last.as_str(), "{next} after {last}");
            last = next;
        }
    }

    #[test]
    fn stamps_always_move_forward() {
        let far = Value::from("2999-01-01T00:00:00.000000Z");
        assert_eq!(
            stamp_after(Some(&far)),
            Value::from("2999-01-01T00:00:00.000001Z")
        );
    }

    #[test]
    fn presets_match_normalized_urls_and_fill_empty_metadata() {
        assert!(find_preset("https://MCP.notion.com/mcp").is_some());
        assert!(find_preset("https://mcp.notion.com/mcp/other").is_none());
        let fields = |v: Value| v.as_object().cloned().unwrap();
        let record = admit(&fields(
            json!({"url": "https://mcp.stripe.com", "metadata": {}}),
        ));
        assert_eq!(record["url"], "https://mcp.stripe.com/");
        assert_eq!(record["metadata"]["preset"], "stripe");
        let record = admit(&fields(
            json!({"url": "https://mcp.stripe.com", "match_preset": false, "metadata": {}}),
        ));
        assert_eq!(record["metadata"], json!({}));
        let record = admit(&fields(json!({"url": "https://x.example/mcp"})));
        assert_eq!(record["metadata"], Value::Null);
    }
}
