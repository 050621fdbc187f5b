//! Cargo's error answer: `{"message": "..."}`, with `errors` listing each field problem of a
//! validation failure (`[{path, message, rule}]`), not `FastAPI`'s shape.

use crate::connector::{Finding, Severity};
use crate::sandbox::errors::HttpError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct CargoError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Option<Vec<Value>>,
    challenge: Option<&'static str>,
    close: bool,
}

impl CargoError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        CargoError {
            status,
            message: message.into(),
            errors: None,
            challenge: None,
            close: false,
        }
    }

    pub fn not_found() -> Self {
        CargoError::new(StatusCode::NOT_FOUND, "Connector not found")
    }

    /// A 400 listing each error the vendor's rules found; `None` when there is none.
    pub fn invalid(findings: &[Finding]) -> Option<Self> {
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let first = errors.first()?;
        Some(CargoError {
            errors: Some(
                errors
                    .iter()
                    .map(|f| {
                        json!({ "path": f.path.to_string(), "message": f.message, "rule": f.rule.code() })
                    })
                    .collect(),
            ),
            ..CargoError::new(
                StatusCode::BAD_REQUEST,
                format!("Invalid request body: {}: {}", first.path, first.message),
            )
        })
    }

    /// A 400 for fields a `PUT` may not name.
    pub fn immutable(named: &[&str]) -> Self {
        let errors = named
            .iter()
            .map(|key| {
                json!({
                    "path": key,
                    "message": format!("{key} is immutable: it cannot be changed after the connector is created"),
                    "rule": "immutable",
                })
            })
            .collect();
        CargoError {
            errors: Some(errors),
            ..CargoError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "{} cannot be changed after create: slug and integrationSlug are immutable",
                    named.join(" and ")
                ),
            )
        }
    }
}

/// The shared request reading (413, an unreadable body), the credentials' 401 and store
/// failures, dressed as Cargo's.
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
        let response = (self.status, axum::Json(body)).into_response();
        crate::sandbox::errors::with_headers(response, self.challenge, self.close)
    }
}
