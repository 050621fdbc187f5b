//! The test-only fourth vendor (`Vendor::Plain`) as the sandbox serves it: plain JSON CRUD at
//! its table's paths behind its API-key header, integer ids, a full replace on `PUT`, every
//! rule its description states (schema and service rules) as one 400.
//!
//! All it owns is what no description says: how a record is stored and answered.

use super::Shared;
use super::api::{self, Api, Incoming, Judged, Op, Replace};
use super::errors::HttpError;
use super::request::{check_secret, json_content_type};
use super::store::{Key, NewRow, Record};
use crate::connector::{Auth, Connector, Vendor, vendor_findings};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;

pub struct Plain;

pub fn routes() -> Router<Arc<Shared>> {
    let spec = Plain::VENDOR.spec();
    Router::new()
        .route(spec.collection_path, get(list).post(api::create::<Plain>))
        .route(
            spec.item_path,
            get(api::read::<Plain>)
                .put(api::replace::<Plain>)
                .delete(api::remove::<Plain>),
        )
}

impl Api for Plain {
    const VENDOR: Vendor = Vendor::Plain;
    type Error = HttpError;

    /// The key header (401), the integer id (404), then a JSON object body judged by the
    /// vendor's rules (400).
    fn judge(shared: &Shared, incoming: Incoming<'_>, _op: Op) -> Result<Judged, HttpError> {
        let given = match Self::VENDOR.spec().auth {
            Auth::Header(name) => incoming
                .headers
                .get(name)
                .map(axum::http::HeaderValue::as_bytes),
            Auth::Basic | Auth::Bearer => None,
        };
        check_secret(given, &shared.keys, "ApiKey")?;
        let key = match incoming.id {
            Some(raw) => Some(Key::Row(
                raw.parse()
                    .map_err(|_| HttpError::not_found("Widget not found"))?,
            )),
            None => None,
        };
        let body = match incoming.body {
            Some(bytes) => Some(judged_body(incoming.headers, &bytes?)?),
            None => None,
        };
        Ok(Judged { key, body })
    }

    fn new_row(_shared: &Shared, data: Record) -> Result<NewRow, HttpError> {
        Ok(NewRow {
            data,
            uuid: None,
            unique: None,
        })
    }

    /// `id` first, then the body as it was sent.
    fn present(row: i64, record: Record, _op: Op) -> Value {
        let mut out = Record::new();
        out.insert("id".into(), Value::from(row));
        out.extend(record);
        Value::Object(out)
    }

    fn not_found(_key: &Key) -> HttpError {
        HttpError::not_found("Widget not found")
    }
}

impl Replace for Plain {
    fn replaced(_old: Record, body: Record) -> Result<Record, HttpError> {
        Ok(body)
    }
}

/// A JSON object the vendor's rules accept, else the 400 listing every finding as
/// `{loc, msg, type}`.
fn judged_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Record, HttpError> {
    json_content_type(headers)
        .map_err(|message| HttpError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message))?;
    let Ok(Value::Object(body)) = serde_json::from_slice(bytes) else {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "expected a JSON object",
        ));
    };
    let findings = vendor_findings(&Connector::from_fields(Plain::VENDOR, body.clone()));
    if findings.is_empty() {
        Ok(body)
    } else {
        let detail = findings
            .iter()
            .map(|f| json!({"loc": ["body", f.path.to_string()], "msg": f.message, "type": f.rule.code()}))
            .collect();
        Err(HttpError {
            detail: Value::Array(detail),
            ..HttpError::new(StatusCode::BAD_REQUEST, "")
        })
    }
}

/// `GET /v1/widgets`: `{widgets: [...]}` by id.
async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let widgets: Vec<Value> = api::listed::<Plain>(&shared, &headers)
        .await?
        .into_iter()
        .map(|(id, record)| Plain::present(id, record, Op::List))
        .collect();
    let answer = match Plain::VENDOR.spec().list_key {
        Some(key) => json!({ key: widgets }),
        None => Value::Array(widgets),
    };
    Ok(axum::Json(answer).into_response())
}
