//! The sandbox's `FastAPI` layer: Databar and Agent Stack are `FastAPI` services, so their
//! requests are judged in `FastAPI`'s order and answered in its shapes.
//!
//! `FastAPI`'s order for one request: the route (404, 405 with the first route's `Allow`, HEAD
//! only where declared, Starlette's 307 trailing-slash redirect); the body's JSON, read only for
//! a JSON content type (a syntax error is a 422 `json_invalid` at once, bytes Python cannot
//! read a 400); the dependencies (auth: 401/403 at once, a missing header collected); then the
//! path, query and body parameters, every error collected into one 422 `HTTPValidationError`
//! (`loc` with list indexes, pydantic's `type`, `msg`, `input`, `ctx`). `Checks` collects in
//! that order; the field rules are `connector::schema`'s.

mod pyjson;

use super::errors::HttpError;
use crate::connector::schema::{self, ErrorKind, quoted_choice};
use crate::connector::{Coercion, FieldPath, FieldSpec, PathSeg};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use pyjson::Decoded;
use serde_json::{Map, Value, json};

/// A request body as `FastAPI` hands it to validation.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyInput {
    /// No bytes at all: the body parameter is `missing`.
    Absent,
    Json(Value),
    /// Bytes under another content type (or none), which no model accepts.
    Text(String),
}

/// Decodes a body as `FastAPI` does: JSON only under a JSON content type (`application/json`,
/// `application/*+json`), whose syntax errors are answered at once.
pub fn decode(bytes: &[u8], headers: &HeaderMap) -> Result<BodyInput, HttpError> {
    if bytes.is_empty() {
        return Ok(BodyInput::Absent);
    }
    if !is_json(headers) {
        return Ok(BodyInput::Text(String::from_utf8_lossy(bytes).into_owned()));
    }
    match pyjson::decode(bytes) {
        Decoded::Json(value) => Ok(BodyInput::Json(value)),
        Decoded::Syntax { position, message } => Err(HttpError::validation(vec![json!({
            "type": "json_invalid",
            "loc": ["body", position],
            "msg": "JSON decode error",
            "input": {},
            "ctx": { "error": message },
        })])),
        Decoded::Unreadable => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "There was an error parsing the body",
        )),
    }
}

/// Python's `email.message` reading of the Content-Type: main type `application`, subtype
/// `json` or `*+json`, any case, parameters ignored.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return false;
    };
    let value = String::from_utf8_lossy(value.as_bytes()).to_ascii_lowercase();
    let essence = value.split(';').next().unwrap_or_default().trim();
    match essence.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

/// One pydantic error item, keys in `FastAPI`'s order.
pub fn item(place: &str, path: &FieldPath, kind: &ErrorKind, input: &Value) -> Value {
    let mut loc = vec![Value::from(place)];
    loc.extend(path.0.iter().map(|seg| match seg {
        PathSeg::Key(key) => Value::from(key.as_str()),
        PathSeg::Index(index) => Value::from(*index),
    }));
    let mut out = Map::new();
    out.insert("type".into(), Value::from(kind.code()));
    out.insert("loc".into(), Value::Array(loc));
    out.insert("msg".into(), Value::from(kind.message()));
    out.insert("input".into(), input.clone());
    let ctx = match kind {
        ErrorKind::StringTooLong(max) => Some(json!({ "max_length": max })),
        ErrorKind::GreaterThanEqual(ge) => Some(json!({ "ge": ge })),
        ErrorKind::LessThanEqual(le) => Some(json!({ "le": le })),
        ErrorKind::UrlParsing(error) | ErrorKind::UuidParsing(error) => {
            Some(json!({ "error": error }))
        }
        // `FastAPI` encodes the `ValueError` object itself, which has no fields.
        ErrorKind::MapLimit { .. } => Some(json!({ "error": {} })),
        ErrorKind::Enum(options) => Some(json!({ "expected": quoted_choice(options) })),
        _ => None,
    };
    if let Some(ctx) = ctx {
        out.insert("ctx".into(), ctx);
    }
    Value::Object(out)
}

/// The errors of one request, collected in `FastAPI`'s order.
#[derive(Debug, Default)]
pub struct Checks {
    items: Vec<Value>,
}

impl Checks {
    pub fn new() -> Checks {
        Checks::default()
    }

    fn push(&mut self, place: &str, name: &str, kind: &ErrorKind, input: &Value) {
        self.items
            .push(item(place, &FieldPath::key(name), kind, input));
    }

    /// A required header; a missing one is collected, not answered at once.
    pub fn header<'h>(&mut self, headers: &'h HeaderMap, name: &str) -> Option<&'h [u8]> {
        let value = headers.get(name).map(HeaderValue::as_bytes);
        if value.is_none() {
            self.push("header", name, &ErrorKind::Missing, &Value::Null);
        }
        value
    }

    /// An `int` path parameter.
    pub fn path_int(&mut self, name: &str, raw: &str) -> Option<i64> {
        let input = Value::from(raw);
        schema::lax_int(&input)
            .map_err(|kind| self.push("path", name, &kind, &input))
            .ok()
    }

    /// A `UUID` path parameter, in canonical form.
    pub fn path_uuid(&mut self, name: &str, raw: &str) -> Option<String> {
        self.uuid("path", name, raw)
    }

    fn uuid(&mut self, place: &str, name: &str, raw: &str) -> Option<String> {
        match uuid::Uuid::parse_str(raw) {
            Ok(id) => Some(id.hyphenated().to_string()),
            Err(error) => {
                let kind = ErrorKind::UuidParsing(error.to_string());
                self.push(place, name, &kind, &Value::from(raw));
                None
            }
        }
    }

    /// An `int` query parameter with bounds and a default; the last of repeated values wins.
    pub fn query_int(
        &mut self,
        query: &Query,
        name: &str,
        default: i64,
        (ge, le): (i64, i64),
    ) -> i64 {
        let Some(raw) = query.last(name) else {
            return default;
        };
        let input = Value::from(raw);
        let checked = schema::lax_int(&input).and_then(|n| {
            if n < ge {
                Err(ErrorKind::GreaterThanEqual(ge))
            } else if n > le {
                Err(ErrorKind::LessThanEqual(le))
            } else {
                Ok(n)
            }
        });
        checked
            .map_err(|kind| self.push("query", name, &kind, &input))
            .unwrap_or(default)
    }

    /// An optional `UUID` query parameter.
    pub fn query_uuid(&mut self, query: &Query, name: &str) -> Option<String> {
        let raw = query.last(name)?;
        self.uuid("query", name, raw)
    }

    /// The body parameter validated as the model `fields` describes.
    pub fn model(
        &mut self,
        body: &BodyInput,
        fields: &[FieldSpec],
        coercion: Coercion,
    ) -> Option<Map<String, Value>> {
        let value = match body {
            BodyInput::Absent => {
                self.items.push(item(
                    "body",
                    &FieldPath::default(),
                    &ErrorKind::Missing,
                    &Value::Null,
                ));
                return None;
            }
            BodyInput::Text(text) => Value::from(text.as_str()),
            BodyInput::Json(value) => value.clone(),
        };
        match schema::model(fields, coercion, &value) {
            Ok(model) => Some(model),
            Err(errors) => {
                self.items.extend(
                    errors
                        .iter()
                        .map(|e| item("body", &e.path, &e.kind, &e.input)),
                );
                None
            }
        }
    }

    /// A 422 with every collected error, if any.
    pub fn done(self) -> Result<(), HttpError> {
        if self.items.is_empty() {
            Ok(())
        } else {
            Err(HttpError::validation(self.items))
        }
    }
}

/// A query string's pairs, decoded.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(uri: &Uri) -> Query {
        Query(
            url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The last value given for `name`, as Starlette's `QueryParams` reads a scalar.
    fn last(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A `FastAPI` route: `HEAD` and every undeclared method answer 405 with `allow`, the methods
/// of the first route declared for the path (Starlette answers from the first partial match).
pub fn route<S: Clone + Send + Sync + 'static>(
    methods: MethodRouter<S>,
    allow: &'static str,
) -> MethodRouter<S> {
    let not_allowed = move || async move { method_not_allowed(allow) };
    methods.head(not_allowed).fallback(not_allowed)
}

fn method_not_allowed(allow: &'static str) -> Response {
    let mut response = HttpError::method_not_allowed().into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// Starlette's answer for a path no route matches: when the path with its trailing slashes
/// stripped (or one added) has a route among `patterns`, a 307 to that absolute URL, query
/// kept; otherwise 404.
pub fn not_found_or_redirect(patterns: &[String], uri: &Uri, headers: &HeaderMap) -> Response {
    let path = uri.path();
    let toggled = if path.ends_with('/') {
        path.trim_end_matches('/').to_owned()
    } else {
        format!("{path}/")
    };
    if path == "/" || !patterns.iter().any(|p| matches(p, &toggled)) {
        return HttpError::not_found("Not Found").into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}"))
        .unwrap_or_default();
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, format!("{host}{toggled}{query}"))],
    )
        .into_response()
}

/// Whether `path` matches a route pattern whose `{param}` segments take any non-empty segment.
fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_starlette() {
        assert!(matches("/v1/connectors/", "/v1/connectors/"));
        assert!(matches("/v1/connectors/{id}", "/v1/connectors/abc"));
        assert!(!matches("/v1/connectors/{id}", "/v1/connectors/"));
        assert!(!matches("/v1/connectors/{id}", "/v1/connectors/1/x"));
        assert!(!matches("/v1/connectors/", "//v1/connectors/"));
    }

    #[test]
    fn only_json_content_types_are_parsed() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        for (value, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/vnd.api+json", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("json", false),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), json, "{value}");
        }
    }
}
