//! Cargo's connector API (seed 004) as the sandbox serves it: create answers the seed's
//! `{connector, dataset}` wrapper, GET and PUT the `{connector}`; slugs are unique (409) and
//! fixed once created; `PUT` is a partial update of `name`, `config`, `rateLimit` and
//! `cacheTtlMilliseconds`, behind a Bearer token. Errors are Cargo's (`error.rs`).
//!
//! Owns the mapping from a request to a stored record and back. Field rules live in
//! `crate::connector` (the vendor's half of them: `vendor_findings`), the SQL in `store.rs`.

mod error;

pub use error::CargoError;

use super::Shared;
use super::api::{self, Api, Incoming, Judged, Op, Replace};
use super::clock::{Precision, stamp_after};
use super::request::{bearer_token, check_secret, json_content_type};
use super::store::{Backfill, Key, NewRow, Record};
use crate::connector::{Connector, Vendor, vendor_findings};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The workspace and user every sandbox token stands for.
pub const SANDBOX_WORKSPACE: &str = "ca760000-0000-4000-8000-00000000c0de";
pub const SANDBOX_USER: &str = "ca760000-0000-4000-8000-0000000005e5";

/// Fields fixed at create; a `PUT` naming them is refused rather than silently ignored.
const IMMUTABLE: [&str; 2] = ["slug", "integrationSlug"];

/// Cargo's API for the shared handlers.
pub struct Cargo;

/// Collection and item at the vendor table's paths.
pub fn routes() -> Router<Arc<Shared>> {
    let spec = Cargo::VENDOR.spec();
    Router::new()
        .route(spec.collection_path, get(list).post(api::create::<Cargo>))
        .route(
            spec.item_path,
            get(api::read::<Cargo>)
                .put(api::replace::<Cargo>)
                .delete(api::remove::<Cargo>),
        )
}

/// How the store finds a record written before it indexed the id and the slug.
pub const BACKFILL: Backfill = Backfill {
    vendor: "cargo",
    keys: |record| {
        let connector = record.get("connector");
        let text = |key: &str| {
            connector
                .and_then(|c| c.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        (text("uuid"), text("slug"))
    },
};

impl Api for Cargo {
    const VENDOR: Vendor = Vendor::Cargo;
    type Error = CargoError;

    /// The Bearer token; an id that is no UUID names no connector (404); a JSON object body
    /// (415 for another content type, 400 otherwise), judged by the vendor's rules for a
    /// create, free of the fixed fields for a `PUT`.
    fn judge(shared: &Shared, incoming: Incoming<'_>, op: Op) -> Result<Judged, CargoError> {
        let token = bearer_token(incoming.headers);
        check_secret(token.as_deref(), &shared.keys, "Bearer")?;
        let key = match incoming.id {
            Some(raw) => Some(Key::Uuid(
                uuid::Uuid::parse_str(raw)
                    .map_err(|_| CargoError::not_found())?
                    .hyphenated()
                    .to_string(),
            )),
            None => None,
        };
        let body = match incoming.body {
            Some(bytes) => Some(json_object(incoming.headers, &bytes?)?),
            None => None,
        };
        if let Some(body) = &body {
            let named: Vec<&str> = IMMUTABLE
                .into_iter()
                .filter(|k| op == Op::Replace && body.contains_key(*k))
                .collect();
            if !named.is_empty() {
                return Err(CargoError::immutable(&named));
            }
            if op == Op::Create {
                refuse(&Connector::from_fields(Self::VENDOR, body.clone()))?;
            }
        }
        Ok(Judged { key, body })
    }

    fn new_row(_shared: &Shared, body: Record) -> Result<NewRow, CargoError> {
        let data = admit(&body);
        let (uuid, unique) = (BACKFILL.keys)(&data);
        Ok(NewRow { data, uuid, unique })
    }

    /// Create answers the record with its dataset; everything else the connector alone (the
    /// seed shows the dataset only in create's answer).
    fn present(_row: i64, mut record: Record, op: Op) -> Value {
        if op != Op::Create {
            record.remove("dataset");
        }
        Value::Object(record)
    }

    fn not_found(_key: &Key) -> CargoError {
        CargoError::not_found()
    }

    fn taken(slug: &str) -> CargoError {
        CargoError::new(
            StatusCode::CONFLICT,
            format!("A connector with slug {slug:?} already exists in this workspace"),
        )
    }
}

impl Replace for Cargo {
    /// Only the updatable fields present change; the result is judged as a create is.
    fn replaced(mut record: Record, body: Record) -> Result<Record, CargoError> {
        let spec = Cargo::VENDOR.spec();
        let patch: Map<String, Value> = body
            .into_iter()
            .filter(|(key, _)| spec.field(key).is_some() && spec.updatable(key))
            .collect();
        let mut merged = body_fields(&record);
        merged.extend(patch.clone());
        refuse(&Connector::from_fields(Cargo::VENDOR, merged))?;
        if let Some(Value::Object(connector)) = record.get_mut("connector") {
            let stamp = stamp_after(connector.get("updatedAt"), Precision::Millis);
            connector.extend(patch);
            connector.insert("updatedAt".into(), stamp);
        }
        Ok(record)
    }
}

/// Every error the vendor's rules find (schema and service alike), as one 400.
fn refuse(connector: &Connector) -> Result<(), CargoError> {
    CargoError::invalid(&vendor_findings(connector)).map_or(Ok(()), Err)
}

/// A JSON object body: 415 for another content type, 400 for anything but an object.
fn json_object(headers: &HeaderMap, bytes: &[u8]) -> Result<Record, CargoError> {
    json_content_type(headers)
        .map_err(|message| CargoError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message))?;
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(CargoError::new(
            StatusCode::BAD_REQUEST,
            "Invalid request body: expected a JSON object",
        )),
        Err(error) => Err(CargoError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Invalid request body: not valid JSON ({})",
                crate::template::json_message(&error)
            ),
        )),
    }
}

/// `GET /v1/connection/connectors`: `{connectors: [...]}`, bare connectors by creation.
async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, CargoError> {
    let connectors: Vec<Value> = api::listed::<Cargo>(&shared, &headers)
        .await?
        .into_iter()
        .filter_map(|(_, mut record)| record.remove("connector"))
        .collect();
    Ok(axum::Json(json!({ "connectors": connectors })).into_response())
}

/// The connector's body fields as stored (the ones a create takes), for judging a partial
/// update; a stored null (an optional field never set) counts as absent.
fn body_fields(record: &Record) -> Record {
    let empty = Map::new();
    let connector = record
        .get("connector")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    Cargo::VENDOR
        .spec()
        .fields
        .iter()
        .filter_map(|f| {
            connector
                .get(f.key)
                .filter(|v| !v.is_null())
                .map(|v| (f.key.to_owned(), v.clone()))
        })
        .collect()
}

/// The `{connector, dataset}` record for a validated create body, in the seed's key order.
/// Optional fields not sent are null; unknown fields are dropped.
fn admit(fields: &Map<String, Value>) -> Map<String, Value> {
    let get = |key: &str| fields.get(key).cloned().unwrap_or(Value::Null);
    // Time-ordered, so a new id lands at the end of the index.
    let uuid = uuid::Uuid::now_v7().to_string();
    let stamp = stamp_after(None, Precision::Millis);
    let connector = json!({
        "uuid": uuid,
        "workspaceUuid": SANDBOX_WORKSPACE,
        "userUuid": SANDBOX_USER,
        "name": get("name"),
        "slug": get("slug"),
        "rateLimit": get("rateLimit"),
        "cacheTtlMilliseconds": get("cacheTtlMilliseconds"),
        "integrationSlug": get("integrationSlug"),
        "playsCount": 0,
        "toolsCount": 0,
        "modelsCount": 0,
        "createdAt": stamp,
        "updatedAt": stamp,
        "deletedAt": null,
        "useCredits": false,
        "config": get("config"),
    });
    let dataset = json!({
        "uuid": uuid::Uuid::now_v7().to_string(),
        "workspaceUuid": SANDBOX_WORKSPACE,
        "slug": get("slug"),
        "config": { "kind": "connector", "connectorUuid": uuid },
        "createdAt": stamp,
        "updatedAt": stamp,
        "deletedAt": null,
    });
    let mut record = Map::new();
    record.insert("connector".into(), connector);
    record.insert("dataset".into(), dataset);
    record
}
