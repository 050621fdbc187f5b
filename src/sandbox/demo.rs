//! Demo endpoints, so a connector can be fired offline: `/demo/score` answers a deterministic
//! score for a domain (the shape of a typical enrichment API), `/demo/echo` returns the request
//! it got. Neither asks for a key: they stand in for the third-party API a connector calls.
//!
//! Owns only these two routes; no storage.

use super::Shared;
use super::errors::HttpError;
use super::request::read_body;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/demo/score", get(score).post(score))
        .route("/demo/echo", any(echo))
        .route("/demo/echo/", any(echo))
        .route("/demo/echo/{*rest}", any(echo))
}

/// `POST /demo/score` with `{"domain": "acme.com"}` (or `company_domain`, or either as a query
/// parameter, which is also how `GET` takes it): the same domain always gets the same answer.
async fn score(uri: Uri, headers: HeaderMap, body: Body) -> Result<Response, HttpError> {
    let bytes = read_body(body).await?;
    let mut domain = query_pairs(&uri)
        .into_iter()
        .find(|(k, _)| k == "domain" || k == "company_domain")
        .map(|(_, v)| v);
    let has_body = !bytes.iter().all(u8::is_ascii_whitespace);
    if has_body && domain.is_none() {
        let is_json = headers.get(header::CONTENT_TYPE).is_none_or(|v| {
            v.as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"json"))
        });
        if !is_json {
            return Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ));
        }
        let payload: Value = serde_json::from_slice(&bytes).map_err(|error| {
            HttpError::new(StatusCode::BAD_REQUEST, format!("invalid JSON: {error}"))
        })?;
        domain = ["domain", "company_domain"]
            .iter()
            .find_map(|k| payload.get(*k).and_then(Value::as_str).map(str::to_owned));
    }
    let domain = domain
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            HttpError::validation(vec![json!({
                "type": "missing",
                "loc": ["body", "domain"],
                "msg": "Field required",
            })])
        })?;
    Ok(axum::Json(score_for(&domain)).into_response())
}

/// The deterministic answer for a (normalised) domain.
pub fn score_for(domain: &str) -> Value {
    let hash = fnv1a(domain.as_bytes());
    let score = hash % 101;
    let tier = match score {
        70.. => "high",
        40..=69 => "medium",
        _ => "low",
    };
    let employees = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
    let industries = [
        "software",
        "finance",
        "healthcare",
        "retail",
        "manufacturing",
        "education",
    ];
    let pick = |list: &[&'static str], shift: u32| {
        let len = list.len() as u64;
        let index = usize::try_from((hash >> shift) % len).unwrap_or_default();
        list.get(index).copied().unwrap_or_default()
    };
    json!({
        "domain": domain,
        "score": score,
        "tier": tier,
        "employees": pick(&employees, 16),
        "industry": pick(&industries, 32),
        "source": "patchcord sandbox (deterministic demo data)",
    })
}

/// 64-bit FNV-1a: tiny, stable across versions and platforms (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Any method on `/demo/echo[/...]`: the method, path, query, headers and body it received.
/// The body comes back as JSON when it parses, as text otherwise, `null` when empty.
async fn echo(
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let bytes = read_body(body).await?;
    let mut query = Map::new();
    for (key, value) in query_pairs(&uri) {
        match query.get_mut(&key) {
            Some(Value::Array(values)) => values.push(Value::String(value)),
            Some(first) => *first = json!([first.take(), value]),
            None => {
                query.insert(key, Value::String(value));
            }
        }
    }
    let mut echoed_headers = Map::new();
    for (name, value) in &headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match echoed_headers.get_mut(name.as_str()) {
            Some(Value::String(first)) => {
                first.push_str(", ");
                first.push_str(&value);
            }
            _ => {
                echoed_headers.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Ok(axum::Json(json!({
        "method": method.as_str(),
        "path": uri.path(),
        "query": query,
        "headers": echoed_headers,
        "body": body,
    }))
    .into_response())
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_deterministic_and_in_range() {
        let a = score_for("acme.com");
        assert_eq!(a, score_for("acme.com"));
        assert_ne!(a["score"], score_for("globex.com")["score"]);
        assert!(a["score"].as_u64().is_some_and(|s| s <= 100));
    }
}
