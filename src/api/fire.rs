//! "Try it": fires a connector's own request once (its URL, method, headers, query params and
//! body) and reports what came back, so a user can see the endpoint answer before submitting.
//!
//! `build` is pure (connector + samples → the exact request); `fire` does the HTTP with reqwest.
//! Slots (empty values) are filled from the sample values by name, as the platform would fill
//! them from a table column. Owns no UI and no vendor API calls.
//!
//! The request carries the connector's own headers, often its API key, so redirects are
//! followed only within the URL's origin (`super::redirect`); a redirect elsewhere comes back
//! as the answer, its `Location` shown and [`FireResponse::not_followed`] saying why, rather
//! than sending those headers to a host nobody chose. Failures name their cause
//! (`super::cause`).

use super::cause::{Cause, NetFailure, classify};
use super::redirect::{self, Refused};
use crate::connector::{Connector, FieldPath, NameValue, mask};
use crate::template::{self, Samples};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The most body bytes kept from a response; the rest is counted, not shown.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a fired request may take before it is abandoned.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request could not be built or fired.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FireError {
    /// The vendor's connectors describe no request of their own (Cargo's).
    #[error("{0} connectors describe no request of their own to try")]
    NoRequest(&'static str),
    #[error("url: {0}")]
    Url(String),
    #[error("method: {0:?} is not an HTTP method")]
    Method(String),
    #[error("body_template: {0}")]
    Template(String),
    #[error("headers: {name:?} cannot be sent: {message}")]
    Header { name: String, message: String },
    /// The HTTP client could not be built.
    #[error("request failed: {0}")]
    Http(String),
    /// No (complete) answer: refused, unresolvable, TLS, reset, closed.
    #[error("no answer from {url}: {failure}")]
    Network { url: String, failure: NetFailure },
    #[error("no answer from {url} within {seconds}s (timed out)")]
    Timeout { url: String, seconds: u64 },
    #[error(
        "the server answered {status} with a body over patchcord's {} limit; reading stopped there",
        super::body::limit_text()
    )]
    TooLarge { status: u16 },
}

/// Exactly what "try it" sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FireRequest {
    /// Upper-case HTTP method.
    pub method: String,
    /// The final URL, query params encoded.
    pub url: String,
    pub headers: Vec<NameValue>,
    pub body: Option<String>,
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FireResponse {
    pub status: u16,
    pub reason: String,
    pub elapsed: Duration,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8), at most `MAX_BODY_BYTES`.
    pub body: String,
    /// The whole body's size in bytes.
    pub body_bytes: usize,
    pub truncated: bool,
    /// For a redirect answer that was not followed: where it led and why it was not followed.
    pub not_followed: Option<String>,
}

/// A slot's value: the pair's own value, or the sample for its name when it is an input slot.
fn fill(pair: &NameValue, samples: &Samples) -> String {
    if pair.value.is_empty() {
        samples.get(&pair.name).cloned().unwrap_or_default()
    } else {
        pair.value.clone()
    }
}

/// The URL with the query params appended and encoded (params with empty names are skipped).
pub fn final_url(url: &str, params: &[NameValue], samples: &Samples) -> Result<String, FireError> {
    let mut parsed = url::Url::parse(url.trim()).map_err(|e| FireError::Url(e.to_string()))?;
    let params: Vec<&NameValue> = params.iter().filter(|p| !p.name.is_empty()).collect();
    if !params.is_empty() {
        let mut query = parsed.query_pairs_mut();
        for pair in params {
            query.append_pair(&pair.name, &fill(pair, samples));
        }
    }
    Ok(parsed.into())
}

/// Builds the request a connector describes, with the sample values filled in.
pub fn build(connector: &Connector, samples: &Samples) -> Result<FireRequest, FireError> {
    let spec = connector.spec();
    let shape = spec.request.ok_or(FireError::NoRequest(spec.label))?;
    let method = shape
        .method
        .and_then(|key| connector.text(key))
        .unwrap_or("get")
        .to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
        return Err(FireError::Method(method));
    }
    let list = |key: Option<&str>| key.map(|k| connector.name_values(k)).unwrap_or_default();
    let url = final_url(
        connector.text(shape.url).unwrap_or_default(),
        &list(shape.params),
        samples,
    )?;
    let mut headers: Vec<NameValue> = list(shape.headers)
        .iter()
        .filter(|h| !h.name.is_empty())
        .map(|h| NameValue::new(h.name.clone(), fill(h, samples)))
        .collect();
    let body = if let Some(source) = connector.template() {
        let rendered =
            template::render(source, samples).map_err(|e| FireError::Template(e.to_string()))?;
        Some(rendered)
    } else {
        let fields = list(shape.body);
        if fields.is_empty() {
            None
        } else {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .filter(|f| !f.name.is_empty())
                .map(|f| (f.name.clone(), serde_json::Value::String(fill(f, samples))))
                .collect();
            Some(serde_json::Value::Object(object).to_string())
        }
    };
    let has_content_type = headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("content-type"));
    if body.is_some()
        && !has_content_type
        && (connector.template().is_none() || connector.body_is_json())
    {
        headers.push(NameValue::new("Content-Type", "application/json"));
    }
    Ok(FireRequest {
        method,
        url,
        headers,
        body,
    })
}

impl FireRequest {
    /// The request as it may be shown: secret headers, secret query parameters and the
    /// values under secret keys of a JSON body masked by the core's rule.
    #[must_use]
    pub fn masked(&self) -> FireRequest {
        let body = self.body.as_ref().map(|text| {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(mut value) => {
                    let mut masked = Vec::new();
                    mask::mask_json(&mut value, &FieldPath::default(), &mut masked);
                    // Untouched bodies keep their own spacing.
                    if masked.is_empty() {
                        text.clone()
                    } else {
                        value.to_string()
                    }
                }
                Err(_) => text.clone(),
            }
        });
        FireRequest {
            method: self.method.clone(),
            url: mask::mask_url(&self.url),
            headers: mask::mask_pairs(&self.headers),
            body,
        }
    }

    /// A message about this request (an error naming its URL) with its secrets masked: the
    /// URL as [`FireRequest::masked`] shows it, and every secret header or query value.
    pub fn scrub(&self, text: &str) -> String {
        let text = text.replace(&self.url, &mask::mask_url(&self.url));
        let headers: Vec<serde_json::Value> = self.headers.iter().map(NameValue::to_json).collect();
        let secrets =
            mask::secret_values(&serde_json::json!({"url": self.url, "headers": headers}));
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        mask::scrub(&text, &refs)
    }
}

/// The request as a shell command; secrets masked (`FireRequest::masked`) unless `reveal`.
pub fn curl(request: &FireRequest, reveal: bool) -> String {
    let masked;
    let request = if reveal {
        request
    } else {
        masked = request.masked();
        &masked
    };
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut out = format!("curl -X {} {}", request.method, quote(&request.url));
    for header in &request.headers {
        let _ = write!(
            out,
            " \\\n  -H {}",
            quote(&format!("{}: {}", header.name, header.value))
        );
    }
    if let Some(body) = &request.body {
        let _ = write!(out, " \\\n  --data-raw {}", quote(body));
    }
    out
}

/// A client for fired requests (rustls with the ring provider, the crate's choice), giving up
/// after [`TIMEOUT`].
pub fn client() -> Result<reqwest::Client, FireError> {
    client_with_timeout(TIMEOUT)
}

/// [`client`] with another time limit for the whole request.
pub fn client_with_timeout(timeout: Duration) -> Result<reqwest::Client, FireError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(redirect::same_origin_only())
        .build()
        .map_err(|e| FireError::Http(e.to_string()))
}

/// Sends the request and reads the response: a body over `body::MAX_RESPONSE_BYTES` is an
/// error, and at most `MAX_BODY_BYTES` of it is kept to show.
pub async fn fire(
    client: &reqwest::Client,
    request: &FireRequest,
) -> Result<FireResponse, FireError> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| FireError::Method(request.method.clone()))?;
    let mut builder = client.request(method, &request.url);
    for header in &request.headers {
        let name =
            reqwest::header::HeaderName::from_bytes(header.name.as_bytes()).map_err(|e| {
                FireError::Header {
                    name: header.name.clone(),
                    message: e.to_string(),
                }
            })?;
        let value = reqwest::header::HeaderValue::from_str(&header.value).map_err(|e| {
            FireError::Header {
                name: header.name.clone(),
                message: e.to_string(),
            }
        })?;
        builder = builder.header(name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let started = Instant::now();
    let failed = |e: reqwest::Error| http_error(&request.url, &e, started.elapsed());
    let response = builder.send().await.map_err(failed)?;
    let status = response.status();
    let not_followed = not_followed(&request.url, &response);
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut kept = super::body::read_capped(response, super::body::MAX_RESPONSE_BYTES)
        .await
        .map_err(|e| match e {
            super::body::ReadError::Http(e) => failed(e),
            super::body::ReadError::TooLarge { .. } => FireError::TooLarge {
                status: status.as_u16(),
            },
        })?;
    let body_bytes = kept.len();
    kept.truncate(MAX_BODY_BYTES);
    Ok(FireResponse {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
        elapsed: started.elapsed(),
        headers,
        body: String::from_utf8_lossy(&kept).into_owned(),
        body_bytes,
        truncated: body_bytes > kept.len(),
        not_followed,
    })
}

/// Why a redirect answer from the request to `url` came back unfollowed (`None` for any other
/// answer).
fn not_followed(url: &str, response: &reqwest::Response) -> Option<String> {
    Some(
        match redirect::refused(url, redirect::location(response).as_deref())? {
            Refused::OtherOrigin { to, origin } => format!(
                "redirect to {to} not followed: another origin, and the request's headers stay with {origin}"
            ),
            Refused::TooMany { to } => format!(
                "redirect to {to} not followed: more than {} redirects in a row",
                redirect::MAX_REDIRECTS
            ),
        },
    )
}

fn http_error(url: &str, error: &reqwest::Error, waited: Duration) -> FireError {
    let url = url.to_owned();
    let failure = classify(error);
    match failure.cause {
        Cause::Timeout => FireError::Timeout {
            url,
            seconds: (waited + Duration::from_millis(500)).as_secs(),
        },
        _ => FireError::Network { url, failure },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::Vendor;
    use serde_json::json;

    fn connector() -> Connector {
        let mut c = Connector::new(Vendor::Databar);
        c.set("method", "post".into());
        c.set("url", "http://127.0.0.1:9/demo/score".into());
        c.set_name_values(
            "headers",
            &[NameValue::new("x-token", "abc"), NameValue::slot("x-user")],
        );
        c.set_name_values(
            "parameters",
            &[NameValue::new("q", "a b&c"), NameValue::slot("domain")],
        );
        c.set("body_template", json!("{\"domain\": {{ domain|tojson }}}"));
        c
    }

    #[test]
    fn build_fills_slots_encodes_params_and_renders_the_template() {
        let mut samples = Samples::new();
        samples.insert("domain".into(), "acme.com".into());
        samples.insert("x-user".into(), "ann".into());
        let request = build(&connector(), &samples).unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.url,
            "http://127.0.0.1:9/demo/score?q=a+b%26c&domain=acme.com"
        );
        assert_eq!(request.body.as_deref(), Some("{\"domain\": \"acme.com\"}"));
        assert!(request.headers.contains(&NameValue::new("x-user", "ann")));
        assert!(
            request
                .headers
                .contains(&NameValue::new("Content-Type", "application/json"))
        );
    }

    #[test]
    fn body_list_becomes_a_json_object_without_a_template() {
        let mut c = connector();
        c.set("body_template", serde_json::Value::Null);
        c.set_name_values("body", &[NameValue::new("a", "1"), NameValue::slot("b")]);
        let request = build(&c, &Samples::new()).unwrap();
        assert_eq!(request.body.as_deref(), Some(r#"{"a":"1","b":""}"#));
    }

    #[test]
    fn curl_masks_secrets_unless_revealed() {
        let request = build(&connector(), &Samples::new()).unwrap();
        let masked = curl(&request, false);
        assert!(masked.contains("x-token: ••••••••"), "{masked}");
        assert!(!masked.contains("abc"));
        assert!(curl(&request, true).contains("x-token: abc"));
        assert!(
            masked.starts_with("curl -X POST 'http://127.0.0.1:9/demo/score?q=a+b%26c&domain='")
        );
    }

    #[test]
    fn messages_about_a_request_lose_its_secrets() {
        let mut c = connector();
        c.set_name_values("parameters", &[NameValue::new("token", "qt-4567")]);
        c.set_name_values("headers", &[NameValue::new("x-token", "xt-9999")]);
        let request = build(&c, &Samples::new()).unwrap();
        let text = request.scrub(&format!(
            "error sending request for url ({}): header x-token xt-9999 was refused",
            request.url
        ));
        assert_eq!(
            text,
            "error sending request for url (http://127.0.0.1:9/demo/score?token=••••••••): header x-token •••••••• was refused"
        );
    }

    #[test]
    fn masked_request_hides_query_and_body_secrets() {
        let mut c = connector();
        c.set_name_values(
            "parameters",
            &[
                NameValue::new("api_key", "qk-123456"),
                NameValue::slot("domain"),
            ],
        );
        c.set(
            "body_template",
            json!("{\"domain\": {{ domain|tojson }}, \"auth\": {\"token\": \"bt-98765\"}}"),
        );
        let request = build(&c, &Samples::new()).unwrap().masked();
        assert_eq!(
            request.url,
            "http://127.0.0.1:9/demo/score?api_key=••••••••&domain="
        );
        let body = request.body.unwrap_or_default();
        assert!(!body.contains("bt-98765"), "{body}");
        assert!(body.contains(r#""domain":null"#), "{body}");
        assert!(
            request
                .headers
                .contains(&NameValue::new("x-token", "••••••••"))
        );
    }

    #[test]
    fn a_bad_url_names_the_field() {
        let mut c = connector();
        c.set("url", "not a url".into());
        assert!(
            build(&c, &Samples::new())
                .unwrap_err()
                .to_string()
                .starts_with("url: ")
        );
    }
}
