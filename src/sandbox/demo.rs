//! Demo endpoints, so a connector can be fired offline: `/demo/score` answers a deterministic
//! score for a domain (the shape of a typical enrichment API), `/demo/company` a company for a
//! domain and `/demo/person` a person for an email (`enrich.rs`), `/demo/echo` returns the
//! request it got. None asks for a key: they stand in for the third-party API a connector
//! calls. The two enrichment endpoints behave like a real API under load: each has a rate
//! limit (a 429 with `Retry-After` past it), and query parameters add latency or failures,
//! deterministic per input, so a rows run shows back-pressure and errors offline.
//!
//! Owns only these routes and their rate windows; no storage.

mod enrich;

use super::Shared;
use super::errors::HttpError;
use super::request::read_body;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use enrich::fnv1a;
pub use enrich::{company_for, person_for};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Requests per second each enrichment endpoint takes unless `?rps=N` says otherwise.
pub const DEFAULT_RPS: u32 = 20;
/// The most `?latency_ms=` is honoured up to.
const MAX_LATENCY: Duration = Duration::from_secs(10);

pub fn routes() -> Router<Arc<Shared>> {
    let windows = axum::Extension(Arc::new(Windows::default()));
    Router::new()
        .route("/demo/company", get(company).post(company))
        .route("/demo/person", get(person).post(person))
        .layer(windows)
        .route("/demo/score", get(score).post(score))
        .route("/demo/echo", any(echo))
        .route("/demo/echo/", any(echo))
        .route("/demo/echo/{*rest}", any(echo))
}

/// `POST /demo/score` with `{"domain": "acme.com"}` (or `company_domain`, or either as a query
/// parameter, which is also how `GET` takes it): the same domain always gets the same answer.
async fn score(uri: Uri, headers: HeaderMap, body: Body) -> Result<Response, HttpError> {
    let domain = input(&uri, &headers, body, &["domain", "company_domain"]).await?;
    Ok(axum::Json(score_for(&domain)).into_response())
}

/// `GET /demo/company?domain=acme.com` or `POST` `{"domain": "acme.com"}`: the company.
async fn company(
    axum::Extension(windows): axum::Extension<Arc<Windows>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let controls = match Controls::admit(&windows, "/demo/company", &uri) {
        Ok(controls) => controls,
        Err(seconds) => return Ok(too_many("/demo/company", seconds)),
    };
    let domain = input(&uri, &headers, body, &["domain", "company_domain"]).await?;
    controls.apply(&domain).await?;
    Ok(axum::Json(company_for(&domain)).into_response())
}

/// `GET /demo/person?email=ann@acme.com` or `POST` `{"email": ...}`: the person, or a 404 for
/// an address at a personal mail provider.
async fn person(
    axum::Extension(windows): axum::Extension<Arc<Windows>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let controls = match Controls::admit(&windows, "/demo/person", &uri) {
        Ok(controls) => controls,
        Err(seconds) => return Ok(too_many("/demo/person", seconds)),
    };
    let email = input(&uri, &headers, body, &["email"]).await?;
    controls.apply(&email).await?;
    match person_for(&email) {
        Some(found) => Ok(axum::Json(found).into_response()),
        None if !email.contains('@') => Err(HttpError::validation(vec![json!({
            "type": "value_error",
            "loc": ["body", "email"],
            "msg": "value is not a valid email address: An email address must have an @-sign.",
            "input": email,
        })])),
        None => Err(HttpError::not_found(&format!(
            "No person found for {email}"
        ))),
    }
}

/// The request's input: the first of `keys` in the query, else in a JSON body; trimmed and
/// lower-cased. Missing is `FastAPI`'s 422 for a required body field.
async fn input(
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    keys: &[&str],
) -> Result<String, HttpError> {
    let bytes = read_body(body).await?;
    let mut value = query_pairs(uri)
        .into_iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, v)| v);
    let has_body = !bytes.iter().all(u8::is_ascii_whitespace);
    if has_body && value.is_none() {
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
        value = keys
            .iter()
            .find_map(|k| payload.get(*k).and_then(Value::as_str).map(str::to_owned));
    }
    value
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            HttpError::validation(vec![json!({
                "type": "missing",
                "loc": ["body", keys.first().copied().unwrap_or_default()],
                "msg": "Field required",
            })])
        })
}

/// A 429 with `Retry-After`, as a rate-limited API answers.
fn too_many(path: &str, seconds: u64) -> Response {
    let mut refused = HttpError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("Rate limit exceeded on {path}; retry after {seconds} s"),
    )
    .into_response();
    refused
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    refused
}

/// Each endpoint's current one-second window: when it began and how many requests it took.
#[derive(Debug, Default)]
pub struct Windows(Mutex<HashMap<&'static str, (Instant, u32)>>);

impl Windows {
    /// Counts a request to `path` against `rps` (0: no limit); past it, the seconds until
    /// the window ends.
    fn admit(&self, path: &'static str, rps: u32) -> Result<(), u64> {
        if rps == 0 {
            return Ok(());
        }
        let mut windows = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let window = windows.entry(path).or_insert((now, 0));
        if now.duration_since(window.0) >= Duration::from_secs(1) {
            *window = (now, 0);
        }
        if window.1 >= rps {
            let left = Duration::from_secs(1).saturating_sub(now.duration_since(window.0));
            return Err(u64::try_from(left.as_millis().div_ceil(1000))
                .unwrap_or(1)
                .max(1));
        }
        window.1 += 1;
        Ok(())
    }
}

/// `?latency_ms=N&fail_rate=F&rps=N` of an enrichment request.
struct Controls {
    latency: Duration,
    fail_rate: f64,
}

impl Controls {
    /// Reads the controls and takes the request into its endpoint's window; past its
    /// limit, the seconds to wait.
    fn admit(windows: &Windows, path: &'static str, uri: &Uri) -> Result<Controls, u64> {
        let pairs = query_pairs(uri);
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim());
        let rps = get("rps")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RPS);
        windows.admit(path, rps)?;
        let latency = get("latency_ms")
            .and_then(|v| v.parse().ok())
            .map_or(Duration::ZERO, Duration::from_millis)
            .min(MAX_LATENCY);
        let fail_rate = get("fail_rate")
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|r| r.is_finite())
            .map_or(0.0, |r| r.clamp(0.0, 1.0));
        Ok(Controls { latency, fail_rate })
    }

    /// Waits the latency, then fails the inputs whose hash falls under the fail rate (the
    /// same inputs every time) with a 503.
    async fn apply(&self, input: &str) -> Result<(), HttpError> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a fraction from the hash's low bits"
        )]
        let draw = (fnv1a(format!("fail:{input}").as_bytes()) % 10_000) as f64 / 10_000.0;
        if draw < self.fail_rate {
            return Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("Upstream lookup failed for {input} (injected by fail_rate)"),
            ));
        }
        Ok(())
    }
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
