//! Databar's connector API (seeds 000, 001, 003) as the sandbox serves it: the five endpoints
//! at the vendor table's exact paths, the `x-apikey` check, validation through the core, plan
//! clamping, defaults filled in, `body` derived from `body_template`, and `FastAPI`'s answers.
//!
//! Owns the mapping from a request to a stored record and back; the rules themselves live in
//! `crate::connector` and the SQL in `store.rs`.

use super::errors::HttpError;
use super::request::{check_auth, parse_json, read_body, require_json};
use super::{Plan, Shared};
use crate::connector::{
    Connector, FieldKind, Finding, NameValue, PathSeg, Rule, Severity, Vendor, validate,
};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Map, Value, json};
use std::sync::Arc;

const VENDOR: Vendor = Vendor::Databar;

type Answer = Result<Response, HttpError>;

/// The Databar routes: collection with its trailing slash, item without, and `FastAPI`'s 307
/// redirects for the other spelling of each.
pub fn routes() -> Router<Arc<Shared>> {
    let spec = VENDOR.spec();
    let collection = spec.collection_path;
    let item = spec.item_path;
    let mut router = Router::new()
        .route(collection, get(list).post(create))
        .route(item, get(read).put(replace).delete(remove));
    if let Some(bare) = collection.strip_suffix('/') {
        router = router.route(bare, any(redirect_slash));
    }
    router.route(&format!("{item}/"), any(redirect_slash))
}

fn auth(shared: &Shared, headers: &HeaderMap) -> Result<(), HttpError> {
    check_auth(headers, VENDOR.spec().auth, &shared.keys)
}

async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Answer {
    auth(&shared, &headers)?;
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
    auth(&shared, &headers)?;
    let id = parse_id(&raw_id)?;
    let record = shared
        .store
        .get(VENDOR.key(), id)
        .await
        .map_err(|e| HttpError::internal(&e))?
        .ok_or_else(not_found)?;
    Ok(axum::Json(with_id(id, record)).into_response())
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Answer {
    let bytes = read_body(body).await;
    auth(&shared, &headers)?;
    require_json(&headers)?;
    let mut record = admit(shared.plan, parse_json(&bytes?)?)?;
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
    let bytes = read_body(body).await;
    auth(&shared, &headers)?;
    let id = parse_id(&raw_id)?;
    require_json(&headers)?;
    let mut record = admit(shared.plan, parse_json(&bytes?)?)?;
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
    auth(&shared, &headers)?;
    let id = parse_id(&raw_id)?;
    let deleted = shared
        .store
        .delete(VENDOR.key(), id)
        .await
        .map_err(|e| HttpError::internal(&e))?;
    if deleted {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

/// `FastAPI`'s `redirect_slashes`: 307 to the same path with the trailing slash toggled.
pub(super) async fn redirect_slash(uri: Uri) -> Response {
    let path = uri.path();
    let target = match path.strip_suffix('/') {
        Some(bare) => bare.to_owned(),
        None => format!("{path}/"),
    };
    let location = match uri.query() {
        Some(query) => format!("{target}?{query}"),
        None => target,
    };
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}

fn not_found() -> HttpError {
    HttpError::not_found("Connector not found")
}

/// The `connector_id` path parameter: an integer, else `FastAPI`'s `int_parsing` 422. A number
/// too large for any stored id is simply not found.
fn parse_id(raw: &str) -> Result<i64, HttpError> {
    match raw.parse::<i64>() {
        Ok(id) => Ok(id),
        Err(_) if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => Err(not_found()),
        Err(_) => Err(HttpError::validation(vec![json!({
            "type": "int_parsing",
            "loc": ["path", "connector_id"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": raw,
        })])),
    }
}

/// Judges a request body with the core's `validate` and turns it into the record to store:
/// exactly the schema's fields in the schema's order, defaults filled in, limits clamped to
/// the plan, `body` derived from the template, unknown fields dropped (as pydantic does).
fn admit(plan: Plan, payload: Value) -> Result<Map<String, Value>, HttpError> {
    if payload.is_null() {
        // FastAPI reads a JSON `null` body as no body at all.
        return Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::Required,
        )]));
    }
    let Value::Object(fields) = payload else {
        return Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::NotAnObject,
        )]));
    };
    let connector = Connector::from_fields(VENDOR, fields);
    reject(&validate(&connector))?;
    Ok(normalize(&connector, plan))
}

/// Schema errors become one 422 listing each; otherwise semantic errors become one 400.
/// Warnings never reject.
pub(super) fn reject(findings: &[Finding]) -> Result<(), HttpError> {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error);
    let schema: Vec<Value> = errors
        .clone()
        .filter(|f| f.rule.is_schema())
        .map(|f| fastapi_item(&f.path.0, &f.rule))
        .collect();
    if !schema.is_empty() {
        return Err(HttpError::validation(schema));
    }
    let semantic: Vec<String> = errors
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    if semantic.is_empty() {
        Ok(())
    } else {
        Err(HttpError::new(StatusCode::BAD_REQUEST, semantic.join("; ")))
    }
}

/// One pydantic error: `loc` from `["body"]` plus the finding's path, `type` and `msg` from the
/// rule, and pydantic's `ctx` for the limit rules.
pub(super) fn fastapi_item(path: &[PathSeg], rule: &Rule) -> Value {
    let mut loc = vec![Value::from("body")];
    loc.extend(path.iter().map(|seg| match seg {
        PathSeg::Key(key) => Value::from(key.as_str()),
        PathSeg::Index(index) => Value::from(*index),
    }));
    let (kind, msg) = rule.fastapi();
    let mut item = json!({ "type": kind, "loc": loc, "msg": msg });
    let ctx = match rule {
        Rule::MaxLength(max) => Some(json!({ "max_length": max })),
        Rule::Minimum(min) => Some(json!({ "ge": min })),
        _ => None,
    };
    if let (Some(ctx), Some(object)) = (ctx, item.as_object_mut()) {
        object.insert("ctx".into(), ctx);
    }
    item
}

fn normalize(connector: &Connector, plan: Plan) -> Map<String, Value> {
    let spec = connector.spec();
    let mut record = Map::new();
    for field in spec.fields {
        let given = connector.fields.get(field.key).filter(|v| !v.is_null());
        let value = match field.kind {
            FieldKind::NameValues { .. } => Value::Array(
                connector
                    .name_values(field.key)
                    .iter()
                    .map(NameValue::to_json)
                    .collect(),
            ),
            FieldKind::Integer { .. } => {
                match (given.and_then(Value::as_i64), cap(plan, field.key)) {
                    (Some(n), Some(cap)) => Value::from(n.min(cap)),
                    (Some(n), None) => Value::from(n),
                    (None, _) => Value::Null,
                }
            }
            _ => given
                .cloned()
                .or_else(|| field.default.map(Value::from))
                .unwrap_or(Value::Null),
        };
        record.insert(field.key.to_owned(), value);
    }
    if let (Some(derived), Some(key)) = (connector.derived_body(), spec.derived_field) {
        let list = derived.iter().map(NameValue::to_json).collect();
        record.insert(key.to_owned(), Value::Array(list));
    }
    record
}

/// The plan's ceiling for a field, if it has one.
fn cap(plan: Plan, key: &str) -> Option<i64> {
    match key {
        "rate_limit" => Some(plan.rate_limit),
        "max_concurrency" => Some(plan.max_concurrency),
        _ => None,
    }
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

    fn admitted(payload: Value) -> Map<String, Value> {
        match admit(Plan::default(), payload) {
            Ok(record) => record,
            Err(error) => unreachable!("rejected: {error:?}"),
        }
    }

    #[test]
    fn defaults_fill_and_unknown_fields_drop() {
        let record = admitted(json!({
            "name": "n", "method": "get", "url": "https://a.example/x", "extra": 1
        }));
        assert_eq!(
            Value::Object(record),
            json!({
                "name": "n", "type": "enrichment", "method": "get", "url": "https://a.example/x",
                "headers": [], "parameters": [], "body": [], "body_template": null,
                "rate_limit": null, "max_concurrency": null
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

    #[test]
    fn schema_errors_win_over_semantic_ones() {
        let Err(error) = admit(
            Plan::default(),
            json!({"name": 5, "method": "delete", "url": "x"}),
        ) else {
            unreachable!("accepted");
        };
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error.detail,
            json!([{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string"}])
        );
    }

    #[test]
    fn ids_parse_like_fastapi() {
        assert_eq!(parse_id("42").ok(), Some(42));
        assert_eq!(parse_id("99999999999999999999").unwrap_err().status, 404);
        assert_eq!(parse_id("abc").unwrap_err().status, 422);
    }
}
