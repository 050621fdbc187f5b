//! Cargo's connector API (seed 004) as the sandbox serves it: create answers the seed's
//! `{connector, dataset}` wrapper, slugs are unique (409) and fixed once created, `PUT` is a
//! partial update of `name`, `config`, `rateLimit` and `cacheTtlMilliseconds`, behind a Bearer
//! token. Errors are `{"message": ...}` (plus `errors` for validation), not `FastAPI`'s shape.
//!
//! Owns the mapping from a request to a stored record and back and Cargo's error shape. Field
//! rules live in `crate::connector::validate`, the SQL in `store.rs`.

use super::Shared;
use super::clock::{Precision, stamp_after};
use super::errors::HttpError;
use super::request::{bearer_token, check_secret, json_content_type, read_body};
use crate::connector::{Connector, Finding, Severity, Vendor, vendor_findings};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use std::sync::Arc;

const VENDOR: Vendor = Vendor::Cargo;

/// The workspace and user every sandbox token stands for.
pub const SANDBOX_WORKSPACE: &str = "ca760000-0000-4000-8000-00000000c0de";
pub const SANDBOX_USER: &str = "ca760000-0000-4000-8000-0000000005e5";

/// Where the connector's id and slug sit in a stored `{connector, dataset}` record.
const UUID_PATH: &str = "connector.uuid";
const SLUG_PATH: &str = "connector.slug";

/// Fields fixed at create; a `PUT` naming them is refused rather than silently ignored.
const IMMUTABLE: [&str; 2] = ["slug", "integrationSlug"];

type Answer = Result<Response, CargoError>;

/// Collection and item at the vendor table's paths.
pub fn routes() -> Router<Arc<Shared>> {
    let spec = VENDOR.spec();
    Router::new()
        .route(spec.collection_path, get(list).post(create))
        .route(spec.item_path, get(read).put(update).delete(remove))
}

/// An error answer in Cargo's shape: `{"message": "..."}`, with `errors` listing each field
/// problem of a validation failure (`[{path, message, rule}]`).
#[derive(Debug, Clone, PartialEq)]
pub struct CargoError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Option<Vec<Value>>,
    challenge: Option<&'static str>,
    close: bool,
}

impl CargoError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        CargoError {
            status,
            message: message.into(),
            errors: None,
            challenge: None,
            close: false,
        }
    }

    fn not_found() -> Self {
        CargoError::new(StatusCode::NOT_FOUND, "Connector not found")
    }

    fn internal(error: &super::StoreError) -> Self {
        HttpError::internal(error).into()
    }
}

/// The shared request reading (413, an unreadable body) and store failures, dressed as Cargo's.
impl From<HttpError> for CargoError {
    fn from(error: HttpError) -> Self {
        let message = match error.detail {
            Value::String(text) => text,
            other => other.to_string(),
        };
        CargoError {
            status: error.status,
            message,
            errors: None,
            challenge: error.challenge,
            close: error.close,
        }
    }
}

impl IntoResponse for CargoError {
    fn into_response(self) -> Response {
        let mut body = json!({ "message": self.message });
        if let (Some(errors), Some(object)) = (self.errors, body.as_object_mut()) {
            object.insert("errors".into(), Value::Array(errors));
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(scheme) = self.challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
        }
        if self.close {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

fn auth(shared: &Shared, headers: &HeaderMap) -> Result<(), CargoError> {
    Ok(check_secret(
        bearer_token(headers).as_deref(),
        &shared.keys,
        "Bearer",
    )?)
}

/// A JSON object body: 415 for another content type, 400 for anything but an object.
async fn json_body(headers: &HeaderMap, body: Body) -> Result<Map<String, Value>, CargoError> {
    let bytes = read_body(body).await;
    json_content_type(headers)
        .map_err(|message| CargoError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message))?;
    let bytes = bytes?;
    match serde_json::from_slice(&bytes) {
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

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Answer {
    let fields = json_body(&headers, body).await;
    auth(&shared, &headers)?;
    let connector = Connector::from_fields(VENDOR, fields?);
    reject(&vendor_findings(&connector))?;
    let record = admit(&connector.fields);
    let slug = connector.text("slug").unwrap_or_default().to_owned();
    let stored = shared
        .store
        .insert_unique(VENDOR.key(), record.clone(), (SLUG_PATH, slug.clone()))
        .await
        .map_err(|e| CargoError::internal(&e))?;
    if stored.is_none() {
        return Err(CargoError::new(
            StatusCode::CONFLICT,
            format!("A connector with slug {slug:?} already exists in this workspace"),
        ));
    }
    let status = StatusCode::from_u16(VENDOR.spec().create_status).unwrap_or(StatusCode::OK);
    Ok((status, axum::Json(Value::Object(record))).into_response())
}

async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Answer {
    auth(&shared, &headers)?;
    let rows = shared
        .store
        .list(VENDOR.key())
        .await
        .map_err(|e| CargoError::internal(&e))?;
    let connectors: Vec<Value> = rows
        .into_iter()
        .filter_map(|(_, mut record)| record.remove("connector"))
        .collect();
    Ok(axum::Json(json!({ "connectors": connectors })).into_response())
}

async fn read(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    auth(&shared, &headers)?;
    let (_, record) = find(&shared, &raw_id).await?;
    Ok(axum::Json(connector_only(record)).into_response())
}

/// Partial update: only the fields present change; `slug` or `integrationSlug` is a 400.
async fn update(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
    body: Body,
) -> Answer {
    let sent = json_body(&headers, body).await;
    auth(&shared, &headers)?;
    let sent = sent?;
    let named: Vec<&str> = IMMUTABLE
        .into_iter()
        .filter(|key| sent.contains_key(*key))
        .collect();
    if !named.is_empty() {
        return Err(CargoError {
            errors: Some(
                named
                    .iter()
                    .map(|key| json!({ "path": key, "message": format!("{key} is immutable: it cannot be changed after the connector is created"), "rule": "immutable" }))
                    .collect(),
            ),
            ..CargoError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "{} cannot be changed after create: slug and integrationSlug are immutable",
                    named.join(" and ")
                ),
            )
        });
    }
    let spec = VENDOR.spec();
    let patch: Map<String, Value> = sent
        .into_iter()
        .filter(|(key, _)| spec.field(key).is_some() && spec.updatable(key))
        .collect();
    let (row, record) = find(&shared, &raw_id).await?;
    let mut merged = body_fields(&record);
    merged.extend(patch.clone());
    reject(&vendor_findings(&Connector::from_fields(VENDOR, merged)))?;
    let stored = shared
        .store
        .update(VENDOR.key(), row, move |mut record| {
            if let Some(Value::Object(connector)) = record.get_mut("connector") {
                let stamp = stamp_after(connector.get("updatedAt"), Precision::Millis);
                connector.extend(patch);
                connector.insert("updatedAt".into(), stamp);
            }
            record
        })
        .await
        .map_err(|e| CargoError::internal(&e))?
        .ok_or_else(CargoError::not_found)?;
    Ok(axum::Json(connector_only(stored)).into_response())
}

async fn remove(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    auth(&shared, &headers)?;
    let (row, _) = find(&shared, &raw_id).await?;
    let deleted = shared
        .store
        .delete(VENDOR.key(), row)
        .await
        .map_err(|e| CargoError::internal(&e))?;
    if deleted {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(CargoError::not_found())
    }
}

/// The stored record for an id; an id that is not a UUID cannot name a connector, so it is
/// simply not found.
async fn find(shared: &Shared, raw_id: &str) -> Result<(i64, Map<String, Value>), CargoError> {
    let id = uuid::Uuid::parse_str(raw_id)
        .map_err(|_| CargoError::not_found())?
        .hyphenated()
        .to_string();
    shared
        .store
        .find(VENDOR.key(), UUID_PATH, id)
        .await
        .map_err(|e| CargoError::internal(&e))?
        .ok_or_else(CargoError::not_found)
}

/// What GET and PUT answer: the stored record's `connector`, without its dataset (the seed
/// shows the dataset only in create's answer).
fn connector_only(mut record: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert(
        "connector".into(),
        record.remove("connector").unwrap_or(Value::Null),
    );
    Value::Object(out)
}

/// Every error the vendor's rules find (schema and service alike) in one 400.
fn reject(findings: &[Finding]) -> Result<(), CargoError> {
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let Some(first) = errors.first() else {
        return Ok(());
    };
    Err(CargoError {
        errors: Some(
            errors
                .iter()
                .map(|f| {
                    json!({
                        "path": f.path.to_string(),
                        "message": f.message,
                        "rule": f.rule.code(),
                    })
                })
                .collect(),
        ),
        ..CargoError::new(
            StatusCode::BAD_REQUEST,
            format!("Invalid request body: {}: {}", first.path, first.message),
        )
    })
}

/// The connector's body fields as stored (the ones a create takes), for re-validation after a
/// partial update; a stored null (an optional field never set) counts as absent.
fn body_fields(record: &Map<String, Value>) -> Map<String, Value> {
    let empty = Map::new();
    let connector = record
        .get("connector")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    VENDOR
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
    let uuid = uuid::Uuid::new_v4().to_string();
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
        "uuid": uuid::Uuid::new_v4().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admitted_record_has_the_seed_shape() {
        let fields =
            json!({"name": "n", "slug": "s", "integrationSlug": "i", "config": {"a": 1}, "x": 1});
        let record = admit(fields.as_object().unwrap());
        let connector = record["connector"].as_object().unwrap();
        let keys: Vec<&str> = connector.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
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
                "config"
            ]
        );
        assert_eq!(
            record["dataset"]["config"]["connectorUuid"],
            connector["uuid"]
        );
        assert_eq!(record["dataset"]["slug"], "s");
    }
}
