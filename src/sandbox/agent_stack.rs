//! Agent Stack's connector API (seed 002) as the sandbox serves it: create, list with paging,
//! read, delete, and the connect / disconnect state machine, behind HTTP Basic (the key is the
//! password). Connect probes the connector's URL the way the vendor does (an MCP `initialize`
//! POST) and turns the answer into a state: 2xx/3xx connected, 401 `auth_required` with an
//! authorization endpoint, another status 502, no answer 504.
//!
//! Owns the mapping from a request to a stored record and back, the state machine and the
//! presets; `probe.rs` holds the connect probe. Field rules live in `crate::connector::schema`,
//! `FastAPI`'s answers in `fastapi.rs`, the SQL in `store.rs`.

mod probe;

pub use probe::{DEMO_MCP, DEMO_MCP_OAUTH};

use super::Shared;
use super::api::{self, Api, Incoming, Judged, Op};
use super::clock::{Precision, stamp_after};
use super::errors::HttpError;
use super::fastapi::{self, Checks, Query};
use super::request::{basic_password, check_secret, read_body};
use super::store::{Backfill, Key, NewRow, Record};
use crate::connector::{Connector, FieldKind, FieldSpec, Severity, Vendor, service_rules};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use probe::{Probe, demo_mcp, demo_mcp_oauth, probe};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Agent Stack's API for the shared handlers.
pub struct AgentStack;

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

/// `limit` when a list request gives none, and its bounds (the vendor's `PaginationQuery`).
const DEFAULT_LIMIT: i64 = 40;
const LIMIT_RANGE: (i64, i64) = (1, 100);

/// `ConnectorConnectRequest`: `{redirect_url: AnyUrl | None, auth_token: str | None}`.
static CONNECT_REQUEST: [FieldSpec; 2] = [
    FieldSpec::new(
        "redirect_url",
        "Redirect URL",
        FieldKind::Url { max: None },
        "Where to send the user after authorizing",
    )
    .nullable()
    .any_url(),
    FieldSpec::new(
        "auth_token",
        "Auth token",
        FieldKind::Text { max: None },
        "A token for the MCP server",
    )
    .nullable(),
];

type Answer = Result<Response, HttpError>;

/// Collection, item, and the item's two actions at the vendor table's paths; `Allow` names
/// the first route the vendor declares for each path.
pub fn routes() -> Router<Arc<Shared>> {
    let spec = AgentStack::VENDOR.spec();
    let item = spec.item_path;
    Router::new()
        .route(
            spec.collection_path,
            fastapi::route(post(api::create::<AgentStack>).get(list), "POST"),
        )
        .route(
            item,
            fastapi::route(
                get(api::read::<AgentStack>).delete(api::remove::<AgentStack>),
                "GET",
            ),
        )
        .route(
            &format!("{item}/connect"),
            fastapi::route(post(connect), "POST"),
        )
        .route(
            &format!("{item}/disconnect"),
            fastapi::route(post(disconnect), "POST"),
        )
        .route(DEMO_MCP, post(demo_mcp))
        .route(DEMO_MCP_OAUTH, any(demo_mcp_oauth))
}

/// How the store finds a record written before it indexed the id.
pub const BACKFILL: Backfill = Backfill {
    vendor: "agent_stack",
    keys: |record| (text(record, "id"), None),
};

impl Api for AgentStack {
    const VENDOR: Vendor = Vendor::AgentStack;
    type Error = HttpError;

    /// The body's JSON first; then HTTP Basic (refused at once), the `connector_id` UUID and
    /// the body model (the connector, or connect's request), every error in one 422.
    fn judge(shared: &Shared, incoming: Incoming<'_>, op: Op) -> Result<Judged, HttpError> {
        let body = match incoming.body {
            Some(bytes) => Some(fastapi::decode(&bytes?, incoming.headers)?),
            None => None,
        };
        check_secret(
            basic_password(incoming.headers).as_deref(),
            &shared.keys,
            "Basic",
        )?;
        let mut checks = Checks::new();
        let key = incoming
            .id
            .and_then(|raw| checks.path_uuid("connector_id", raw))
            .map(Key::Uuid);
        let fields: &[FieldSpec] = match op {
            Op::Action => &CONNECT_REQUEST,
            _ => Self::VENDOR.spec().fields,
        };
        let coercion = Self::VENDOR.spec().coercion;
        let body = body.and_then(|body| checks.model(&body, fields, coercion));
        checks.done()?;
        Ok(Judged { key, body })
    }

    /// The vendor's service rule (a client secret needs a client id) is its 400.
    fn new_row(_shared: &Shared, body: Record) -> Result<NewRow, HttpError> {
        let connector = Connector::from_fields(Self::VENDOR, body);
        let refused = service_rules(&connector)
            .into_iter()
            .find(|f| f.severity == Severity::Error);
        if let Some(finding) = refused {
            return Err(HttpError::new(StatusCode::BAD_REQUEST, finding.message));
        }
        let data = admit(&connector.fields);
        Ok(NewRow {
            uuid: text(&data, "id"),
            data,
            unique: None,
        })
    }

    fn present(_row: i64, record: Record, _op: Op) -> Value {
        response(&record)
    }

    /// The vendor's `EntityNotFoundError` message.
    fn not_found(key: &Key) -> HttpError {
        let id = match key {
            Key::Uuid(id) => id.clone(),
            Key::Row(row) => row.to_string(),
        };
        HttpError::not_found(&format!("connector with id {id} not found"))
    }
}

fn text(record: &Record, key: &str) -> Option<String> {
    record.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// `GET /api/v1/connectors?limit=&page_token=`: a keyset page in id order. Ids are
/// time-ordered (`UUIDv7`), so id order is creation order, and a page starts after its token
/// even when that connector has been deleted since.
async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Answer {
    let incoming = Incoming::new(&headers, None, None);
    AgentStack::judge(&shared, incoming, Op::List)?;
    let query = Query::parse(&uri);
    let mut checks = Checks::new();
    let limit = checks.query_int(&query, "limit", DEFAULT_LIMIT, LIMIT_RANGE);
    let after = checks.query_uuid(&query, "page_token");
    checks.done()?;
    let limit = usize::try_from(limit).unwrap_or(1);
    let page = shared
        .store
        .page(AgentStack::VENDOR.key(), after, limit)
        .await
        .map_err(|e| HttpError::internal(&e))?;
    let items: Vec<Value> = page.rows.iter().map(response).collect();
    // The vendor's computed field: the last item's id, whatever follows.
    let next = items.last().map_or(Value::Null, |item| item["id"].clone());
    Ok(axum::Json(json!({
        "items": items,
        "total_count": page.total,
        "has_more": page.more,
        "next_page_token": next,
    }))
    .into_response())
}

/// `POST .../{id}/connect` with `{redirect_url?, auth_token?}`: probes the URL and moves the
/// state. Allowed from every state (the vendor re-probes a connected or disconnected
/// connector too); a failed probe (502, 504) leaves the stored connector as it was.
async fn connect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Answer {
    let body = Some(read_body(body).await);
    let incoming = Incoming::new(&headers, Some(&id), body);
    let judged = AgentStack::judge(&shared, incoming, Op::Action)?;
    let (key, _, record) = api::find::<AgentStack>(&shared, &judged).await?;
    let url = text(&record, "url").unwrap_or_default();
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
    api::update::<AgentStack, _>(&shared, key, Op::Action, move |record| {
        Ok(moved(record, state, auth_request, Value::Null))
    })
    .await
}

/// `POST .../{id}/disconnect`: only a connected or `auth_required` connector can be
/// disconnected; any other state is the vendor's 400, and nothing changes.
async fn disconnect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let incoming = Incoming::new(&headers, Some(&id), None);
    let judged = AgentStack::judge(&shared, incoming, Op::Action)?;
    let key = judged
        .key
        .clone()
        .ok_or_else(|| HttpError::not_found("Not Found"))?;
    api::update::<AgentStack, _>(&shared, key, Op::Action, |record| {
        let link = AgentStack::VENDOR.spec().link;
        let state = link
            .and_then(|l| record.get(l.state_field))
            .and_then(Value::as_str);
        if !link.is_some_and(|l| l.can_disconnect(state)) {
            return Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                "Connector must be in connected or auth_required state",
            ));
        }
        let reason = Value::from("Disconnected by user");
        Ok(moved(record, "disconnected", Value::Null, reason))
    })
    .await
}

/// A record in a new state, with its `updated_at` moved forward.
fn moved(mut record: Record, state: &str, auth_request: Value, reason: Value) -> Record {
    let stamp = stamp_after(record.get("updated_at"), Precision::Micros);
    record.insert("state".into(), Value::from(state));
    record.insert("auth_request".into(), auth_request);
    record.insert("disconnect_reason".into(), reason);
    record.insert("updated_at".into(), stamp);
    record
}

/// The record to store for a validated create body (the model, whose URL pydantic's `AnyUrl`
/// already normalised: `https://x.example` is `https://x.example/`): the response fields plus
/// the OAuth client (kept, never returned).
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
    let stamp = stamp_after(None, Precision::Micros);
    let mut record = Map::new();
    record.insert("id".into(), Value::from(uuid::Uuid::now_v7().to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

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
