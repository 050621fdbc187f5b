//! Databar's connector API (seeds 000, 001, 003) as the sandbox serves it: the five endpoints
//! at the vendor table's exact paths, the `x-apikey` check, validation through the core, plan
//! clamping, defaults filled in, `body` derived from `body_template`, and `FastAPI`'s answers.
//!
//! Owns the mapping from a request to a stored record and back; the rules themselves live in
//! `crate::connector` and the SQL in `store.rs`.

use super::api::{self, Api, Incoming, Judged, Op, Replace};
use super::errors::HttpError;
use super::fastapi::{self, Checks};
use super::request::is_key;
use super::store::{Key, NewRow, Record};
use super::{Plan, Shared};
use crate::connector::{Auth, Connector, NameValue, Vendor};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use std::sync::Arc;

/// Databar's API for the shared handlers.
pub struct Databar;

/// The Databar routes: the collection with its trailing slash, the item without (the other
/// spelling of each is the fallback's 307).
pub fn routes() -> Router<Arc<Shared>> {
    let spec = Databar::VENDOR.spec();
    Router::new()
        .route(
            spec.collection_path,
            fastapi::route(get(list).post(api::create::<Databar>), "GET"),
        )
        .route(
            spec.item_path,
            fastapi::route(
                get(api::read::<Databar>)
                    .put(api::replace::<Databar>)
                    .delete(api::remove::<Databar>),
                "GET",
            ),
        )
}

impl Api for Databar {
    const VENDOR: Vendor = Vendor::Databar;
    type Error = HttpError;

    /// The body's JSON first; then the `x-apikey` header (missing: a collected item; wrong:
    /// the 403 at once), the `connector_id` path integer and `ConnectorCreate`, every error
    /// in one 422.
    fn judge(shared: &Shared, incoming: Incoming<'_>, _op: Op) -> Result<Judged, HttpError> {
        let body = match incoming.body {
            Some(bytes) => Some(fastapi::decode(&bytes?, incoming.headers)?),
            None => None,
        };
        let mut checks = Checks::new();
        api_key(shared, incoming.headers, &mut checks)?;
        let key = incoming
            .id
            .and_then(|raw| checks.path_int("connector_id", raw))
            .map(Key::Row);
        let spec = Self::VENDOR.spec();
        let body = body
            .and_then(|body| checks.model(&body, spec.fields, spec.coercion))
            .map(|model| stored(model, shared.plan));
        checks.done()?;
        Ok(Judged { key, body })
    }

    fn new_row(_shared: &Shared, mut data: Record) -> Result<NewRow, HttpError> {
        data.insert("created_at".into(), now());
        Ok(NewRow {
            data,
            uuid: None,
            unique: None,
        })
    }

    fn present(row: i64, record: Record, _op: Op) -> Value {
        with_id(row, record)
    }

    fn not_found(_key: &Key) -> HttpError {
        HttpError::not_found("Connector not found")
    }
}

impl Replace for Databar {
    /// A full replace, except that the creation time stays the creation time. The plan is
    /// applied when the body is judged.
    fn replaced(old: Record, mut body: Record) -> Result<Record, HttpError> {
        body.insert(
            "created_at".into(),
            old.get("created_at").cloned().unwrap_or(Value::Null),
        );
        Ok(body)
    }
}

/// The `x-apikey` header parameter: missing is a collected 422 item, a wrong key the 403.
fn api_key(shared: &Shared, headers: &HeaderMap, checks: &mut Checks) -> Result<(), HttpError> {
    let Auth::Header(name) = Databar::VENDOR.spec().auth else {
        return Ok(());
    };
    match checks.header(headers, name) {
        Some(given) if !is_key(&shared.keys, given) => {
            Err(HttpError::new(StatusCode::FORBIDDEN, "Invalid API key"))
        }
        _ => Ok(()),
    }
}

/// `GET /v1/connectors/`: a bare array, by id.
async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let items: Vec<Value> = api::listed::<Databar>(&shared, &headers)
        .await?
        .into_iter()
        .map(|(id, record)| with_id(id, record))
        .collect();
    Ok(axum::Json(Value::Array(items)).into_response())
}

/// The record to store for an accepted `ConnectorCreate` model: limits clamped to the plan,
/// `body` derived from a template that compiles.
fn stored(mut record: Record, plan: Plan) -> Record {
    for (key, ceiling) in [
        ("rate_limit", plan.rate_limit),
        ("max_concurrency", plan.max_concurrency),
    ] {
        if let Some(n) = record.get(key).and_then(Value::as_i64) {
            record.insert(key.to_owned(), Value::from(n.min(ceiling)));
        }
    }
    let derived = Connector::from_fields(Databar::VENDOR, record.clone()).derived_body();
    if let (Some(derived), Some(key)) = (derived, Databar::VENDOR.spec().derived_field) {
        let list = derived.iter().map(NameValue::to_json).collect();
        record.insert(key.to_owned(), Value::Array(list));
    }
    record
}

/// The response object: `id` first, then the stored record in its order.
fn with_id(id: i64, record: Record) -> Value {
    let mut out = Record::new();
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
    use crate::connector::schema;
    use serde_json::json;

    fn admitted(payload: &Value) -> Record {
        let spec = Databar::VENDOR.spec();
        match schema::model(spec.fields, spec.coercion, payload) {
            Ok(model) => stored(model, Plan::default()),
            Err(errors) => unreachable!("rejected: {errors:?}"),
        }
    }

    #[test]
    fn defaults_fill_coerced_values_and_unknown_fields_drop() {
        let record = admitted(&json!({
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
        let record = admitted(&json!({
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
