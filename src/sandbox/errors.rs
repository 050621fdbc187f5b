//! The sandbox's errors: why it could not start or store (`SandboxError`, `StoreError`), and the
//! HTTP error answers it gives clients (`HttpError`) in `FastAPI`'s `{"detail": ...}` shape.
//!
//! Owns no routing and no SQL; handlers build an `HttpError` and return it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the sandbox could not start or keep running.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("sandbox: cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("sandbox: cannot read the bound address: {0}")]
    LocalAddr(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("sandbox: server stopped with an error: {0}")]
    Serve(std::io::Error),
    #[error("sandbox: cannot wait for Ctrl-C or SIGTERM: {0}")]
    Signal(std::io::Error),
}

/// Why the connector store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sandbox store: cannot create the directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("sandbox store: cannot open {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("sandbox store: cannot start the store thread: {0}")]
    Thread(std::io::Error),
    #[error("sandbox store: {operation} failed: {source}")]
    Sql {
        operation: &'static str,
        source: rusqlite::Error,
    },
    #[error("sandbox store: stored row {id} is not a JSON object: {reason}")]
    Corrupt { id: i64, reason: String },
    /// The transaction this request was part of failed (copied to every request in it).
    #[error("sandbox store: transaction failed: {0}")]
    Batch(String),
    #[error("sandbox store: the store thread has stopped")]
    Closed,
}

/// An error answer: a status and the JSON `detail` `FastAPI` would send.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub status: StatusCode,
    pub detail: Value,
    /// Whether to close the connection after answering (for bodies we did not read to the end).
    pub close: bool,
    /// The `WWW-Authenticate` scheme of a 401 (`Basic`, `Bearer`).
    pub challenge: Option<&'static str>,
}

impl HttpError {
    /// An error whose detail is a plain message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            detail: Value::String(message.into()),
            close: false,
            challenge: None,
        }
    }

    /// A 422 in `FastAPI`'s `HTTPValidationError` shape.
    pub fn validation(items: Vec<Value>) -> Self {
        HttpError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: Value::Array(items),
            close: false,
            challenge: None,
        }
    }

    pub fn not_found(message: &str) -> Self {
        HttpError::new(StatusCode::NOT_FOUND, message)
    }

    /// axum's method router adds the `Allow` header to this answer.
    pub fn method_not_allowed() -> Self {
        HttpError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    }

    /// The store failed: the client sees a 500 with no internals, the log gets the cause.
    pub fn internal(error: &StoreError) -> Self {
        tracing::error!(%error, "sandbox store failure");
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let response = (self.status, axum::Json(json!({ "detail": self.detail }))).into_response();
        with_headers(response, self.challenge, self.close)
    }
}

/// An error answer's headers, the same for every vendor's shape: the auth scheme to use
/// (`WWW-Authenticate`) and `Connection: close` when the connection is not kept.
pub(super) fn with_headers(
    mut response: Response,
    challenge: Option<&'static str>,
    close: bool,
) -> Response {
    if let Some(scheme) = challenge {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
    }
    if close {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
