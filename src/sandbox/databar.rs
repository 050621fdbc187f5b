//! Databar's connector API (seeds 000, 001, 003) as the sandbox serves it: the five endpoints
//! at the vendor table's exact paths, the `x-apikey` check, validation through the core, plan
//! clamping, defaults filled in, `body` derived from `body_template`, and `FastAPI`'s answers.
//!
//! Owns the mapping from a request to a stored record and back; the rules themselves live in
//! `crate::connector` and the SQL in `store.rs`.

use super::errors::HttpError;
use super::fastapi::{self, BodyInput, Checks};
use super::request::is_key;
use super::{Plan, Shared};
use crate::connector::{Auth, Connector, NameValue, Vendor};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value};
use std::sync::Arc;

const VENDOR: Vendor = Vendor::Databar;

type Answer = Result<Response, HttpError>;

/// The Databar routes: the collection with its trailing slash, the item without (the other
/// spelling of each is the fallback's 307).
pub fn routes() -> Router<Arc<Shared>> {
    let spec = VENDOR.spec();
    Router::new()
        .route(
            spec.collection_path,
            fastapi::route(get(list).post(create), "GET"),
        )
        .route(
            spec.item_path,
            fastapi::route(get(read).put(replace).delete(remove), "GET"),
        )
}

/// The `x-apikey` header parameter: missing is a collected 422 item, a wrong key the 403.
fn api_key(shared: &Shared, headers: &HeaderMap, checks: &mut Checks) -> Result<(), HttpError> {
    let Auth::Header(name) = VENDOR.spec().auth else {
        return Ok(());
    };
    match checks.header(headers, name) {
        Some(given) if !is_key(&shared.keys, given) => {
            Err(HttpError::new(StatusCode::FORBIDDEN, "Invalid API key"))
        }
        _ => Ok(()),
    }
}

async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Answer {
    let mut checks = Checks::new();
    api_key(&shared, &headers, &mut checks)?;
    checks.done()?;
    let rows = shared
        .store
        .list(VENDOR.key())
        .await
        .map_err(|e| HttpError::internal(&e))?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(id, record)| with_id(id, record))
        .collect();
    Ok(axum::Json(Value::Array(items)).into_response())
}

async fn read(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    let mut checks = Checks::new();
    api_key(&shared, &headers, &mut checks)?;
    let id = checks.path_int("connector_id", &raw_id);
    checks.done()?;
    let id = id.unwrap_or_default();
    let record = shared
        .store
        .get(VENDOR.key(), id)
        .await
        .map_err(|e| HttpError::internal(&e))?
        .ok_or_else(not_found)?;
    Ok(axum::Json(with_id(id, record)).into_response())
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Answer {
    let body = fastapi::read(body, &headers).await?;
    let mut checks = Checks::new();
    api_key(&shared, &headers, &mut checks)?;
    let record = admit(&mut checks, &body, shared.plan);
    checks.done()?;
    let mut record = record.unwrap_or_default();
    record.insert("created_at".into(), now());
    let id = shared
        .store
        .insert(VENDOR.key(), record.clone())
        .await
        .map_err(|e| HttpError::internal(&e))?;
    Ok((StatusCode::CREATED, axum::Json(with_id(id, record))).into_response())
}

async fn replace(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
    body: Body,
) -> Answer {
    let body = fastapi::read(body, &headers).await?;
    let mut checks = Checks::new();
    api_key(&shared, &headers, &mut checks)?;
    let id = checks.path_int("connector_id", &raw_id);
    let record = admit(&mut checks, &body, shared.plan);
    checks.done()?;
    let (id, mut record) = (id.unwrap_or_default(), record.unwrap_or_default());
    let stored = shared
        .store
        .update(VENDOR.key(), id, move |old| {
            // A full replace, except that the creation time stays the creation time.
            record.insert(
                "created_at".into(),
                old.get("created_at").cloned().unwrap_or(Value::Null),
            );
            record
        })
        .await
        .map_err(|e| HttpError::internal(&e))?
        .ok_or_else(not_found)?;
    Ok(axum::Json(with_id(id, stored)).into_response())
}

async fn remove(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Answer {
    let mut checks = Checks::new();
    api_key(&shared, &headers, &mut checks)?;
    let id = checks.path_int("connector_id", &raw_id);
    checks.done()?;
    let deleted = shared
        .store
        .delete(VENDOR.key(), id.unwrap_or_default())
        .await
        .map_err(|e| HttpError::internal(&e))?;
    if deleted {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

fn not_found() -> HttpError {
    HttpError::not_found("Connector not found")
}

/// The body as `ConnectorCreate` (seed 003) and the record to store: pydantic's model (schema
/// order, defaults, coerced values, unknown fields dropped), limits clamped to the plan, and
/// `body` derived from a template that compiles.
fn admit(checks: &mut Checks, body: &BodyInput, plan: Plan) -> Option<Map<String, Value>> {
    let spec = VENDOR.spec();
    let mut record = checks.model(body, spec.fields, spec.coercion)?;
    for (key, ceiling) in [
        ("rate_limit", plan.rate_limit),
        ("max_concurrency", plan.max_concurrency),
    ] {
        if let Some(n) = record.get(key).and_then(Value::as_i64) {
            record.insert(key.to_owned(), Value::from(n.min(ceiling)));
        }
    }
    let derived = Connector::from_fields(VENDOR, record.clone()).derived_body();
    if let (Some(derived), Some(key)) = (derived, spec.derived_field) {
        let list = derived.iter().map(NameValue::to_json).collect();
        record.insert(key.to_owned(), Value::Array(list));
    }
    Some(record)
}

/// The response object: `id` first, then the stored record in its order.
fn with_id(id: i64, record: Map<String, Value>) -> Value {
    let mut out = Map::with_capacity(record.len() + 1);
    out.insert("id".into(), Value::from(id));
    out.extend(record);
    Value::Object(out)
}

/// Now as RFC 3339 UTC to the second (`2025-01-15T10:30:00Z`, the seed's form).
fn now() -> Value {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .map_or(Value::Null, Value::String)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn admitted(payload: Value) -> Map<String, Value> {
        let mut checks = Checks::new();
        let record = admit(&mut checks, &BodyInput::Json(payload), Plan::default());
        match (checks.done(), record) {
            (Ok(()), Some(record)) => record,
            (result, _) => unreachable!("rejected: {result:?}"),
        }
    }

    #[test]
    fn defaults_fill_coerced_values_and_unknown_fields_drop() {
        let record = admitted(json!({
            "name": "n", "method": "get", "url": "https://a.example/x", "extra": 1,
            "max_concurrency": "2"
        }));
        assert_eq!(
            Value::Object(record),
            json!({
                "name": "n", "type": "enrichment", "method": "get", "url": "https://a.example/x",
                "headers": [], "parameters": [], "body": [], "body_template": null,
                "rate_limit": null, "max_concurrency": 2
            })
        );
    }

    #[test]
    fn template_derives_body_and_limits_clamp() {
        let record = admitted(json!({
            "name": "n", "method": "post", "url": "https://a.example/x",
            "body": [{"name": "stale"}],
            "body_template": "{\"d\": {{ domain|tojson }}, \"t\": {{ tier }}}",
            "rate_limit": 3, "max_concurrency": 99
        }));
        assert_eq!(
            record["body"],
            json!([{"name": "domain", "value": ""}, {"name": "tier", "value": ""}])
        );
        assert_eq!(record["rate_limit"], 3);
        assert_eq!(record["max_concurrency"], 5);
    }
}
