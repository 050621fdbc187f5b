//! The HTTP layer every vendor client shares: one reqwest client with rustls and timeouts,
//! the auth header, retries for idempotent methods, and the turning of any answer into JSON or
//! an [`ApiError`]. Vendor clients only choose methods and paths.

use super::cause::{Cause, classify};
use super::error::{ApiError, parse_detail, snippet};
use super::redirect::{self, Refused};
use super::retry::{RetryPolicy, parse_retry_after};
use crate::config::Secret;
use crate::connector::{Auth, mask};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// Timeouts and retries for a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Longest silence while waiting for (more of) an answer.
    pub read_timeout: Duration,
    pub retry: RetryPolicy,
}

impl ClientOptions {
    /// The options the config's `[http]` table asks for; backoff delays stay the defaults.
    pub fn from_settings(settings: &crate::config::HttpSettings) -> ClientOptions {
        ClientOptions {
            connect_timeout: Duration::from_secs(settings.connect_timeout_secs),
            read_timeout: Duration::from_secs(settings.read_timeout_secs),
            retry: RetryPolicy {
                max_attempts: settings.attempts,
                ..RetryPolicy::default()
            },
        }
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// rustls is built without a default crypto provider; install ring once per process.
fn install_crypto_provider() {
    // Err only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A connection to one vendor API: base URL, auth and the shared reqwest client.
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    secret: Secret,
    options: ClientOptions,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

/// A successful answer: its status and JSON body (`Null` for an empty body, as with 204).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

/// An answer read off the wire, before it is judged.
struct Raw {
    status: StatusCode,
    retry_after: Option<Duration>,
    content_type: String,
    /// A redirect answer's `Location`, resolved: the redirect was not followed.
    location: Option<String>,
    bytes: Vec<u8>,
}

impl Transport {
    pub fn new(
        base_url: &str,
        auth: Auth,
        secret: Secret,
        options: ClientOptions,
    ) -> Result<Transport, ApiError> {
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("patchcord/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .read_timeout(options.read_timeout)
            // Our own retry loop decides what is retried; reqwest's would not know about POST.
            .retry(reqwest::retry::never())
            .redirect(redirect::same_origin_only())
            .build()
            .map_err(|e| ApiError::Client(chain(&e)))?;
        Ok(Transport {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            auth,
            secret,
            options,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends a request and returns the JSON answer. GET, PUT and DELETE are retried on 429,
    /// 5xx and network failures with backoff (honouring `Retry-After`); POST never is.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        let url = self.url(path);
        let idempotent = matches!(method, Method::GET | Method::PUT | Method::DELETE);
        let mut attempt = 1;
        loop {
            let result = self.once(&method, &url, body).await;
            let retryable = match &result {
                Ok(raw) => {
                    raw.status == StatusCode::TOO_MANY_REQUESTS || raw.status.is_server_error()
                }
                Err(
                    ApiError::Timeout { .. } | ApiError::Connect { .. } | ApiError::Closed { .. },
                ) => true,
                Err(_) => false,
            };
            let retry_after = result.as_ref().ok().and_then(|raw| raw.retry_after);
            let delay = if idempotent && retryable {
                self.options.retry.next_delay(attempt, retry_after)
            } else {
                None
            };
            let Some(delay) = delay else {
                return result
                    .and_then(|raw| judge(&url, attempt, &raw))
                    .map_err(|error| self.scrubbed(error, body));
            };
            tracing::info!(%method, url = %mask::mask_url(&url), attempt, ?delay, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// An error with the key and the request's credential values masked in the server's words.
    fn scrubbed(&self, error: ApiError, body: Option<&Value>) -> ApiError {
        let mut secrets = body.map(mask::secret_values).unwrap_or_default();
        secrets.push(self.secret.expose().to_owned());
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        error.scrubbed(&secrets)
    }

    async fn once(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Raw, ApiError> {
        let mut request = self.http.request(method.clone(), url);
        request = match self.auth {
            Auth::Header(name) => request.header(name, self.secret.expose()),
            // Agent Stack checks only the password; the user name is ours to choose.
            Auth::Basic => request.basic_auth("patchcord", Some(self.secret.expose())),
            Auth::Bearer => request.bearer_auth(self.secret.expose()),
        };
        if let Some(body) = body {
            request = request.json(body);
        }
        tracing::debug!(%method, url = %mask::mask_url(url), "request");
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(url, &e))?;
        let status = response.status();
        let location = redirect::location(&response);
        let headers = response.headers();
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = super::body::read_capped(response, super::body::MAX_RESPONSE_BYTES)
            .await
            .map_err(|e| {
                e.into_api_error(url, status.as_u16(), |e| self.transport_error(url, e))
            })?;
        tracing::debug!(%method, url = %mask::mask_url(url), status = status.as_u16(), len = bytes.len(), "response");
        Ok(Raw {
            status,
            retry_after,
            content_type,
            location,
            bytes,
        })
    }

    fn transport_error(&self, url: &str, error: &reqwest::Error) -> ApiError {
        let url = url.to_owned();
        let failure = classify(error);
        match failure.cause {
            Cause::Timeout => {
                let limit = if error.is_connect() {
                    self.options.connect_timeout
                } else {
                    self.options.read_timeout
                };
                ApiError::Timeout {
                    url,
                    seconds: limit.as_secs(),
                }
            }
            _ if error.is_connect() => ApiError::Connect {
                url,
                message: failure.message,
            },
            _ => ApiError::Closed {
                url,
                message: failure.message,
            },
        }
    }
}

/// Turns an answer into JSON or the matching error.
fn judge(url: &str, attempts: u32, raw: &Raw) -> Result<Reply, ApiError> {
    let status = raw.status;
    let reason = status.canonical_reason().unwrap_or("").to_owned();
    let empty = raw.bytes.iter().all(u8::is_ascii_whitespace);
    let parsed: Option<Value> = if empty {
        None
    } else {
        serde_json::from_slice(&raw.bytes).ok()
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(ApiError::RateLimited {
            url: url.to_owned(),
            retry_after: raw.retry_after.map(|d| d.as_secs()),
        });
    }
    if status.is_success() {
        return match (parsed, empty) {
            (Some(body), _) => Ok(Reply { status, body }),
            (None, true) => Ok(Reply {
                status,
                body: Value::Null,
            }),
            (None, false) => Err(not_json(url, raw)),
        };
    }
    if status.is_server_error() {
        let message = match &parsed {
            Some(body) => parse_detail(body).message,
            None if empty => "(empty body)".to_owned(),
            None => format!("{} {}", describe(raw), snippet(&raw.bytes)),
        };
        return Err(ApiError::Server {
            status: status.as_u16(),
            reason,
            url: url.to_owned(),
            message,
            attempts,
        });
    }
    if status.is_client_error() {
        let (message, fields) = match &parsed {
            Some(body) => {
                let detail = parse_detail(body);
                (detail.message, detail.fields)
            }
            None if empty => (reason.clone(), Vec::new()),
            None => (
                format!("{} {}", describe(raw), snippet(&raw.bytes)),
                Vec::new(),
            ),
        };
        return Err(ApiError::Rejected {
            status: status.as_u16(),
            reason,
            message,
            fields,
        });
    }
    let status = status.as_u16();
    match redirect::refused(url, raw.location.as_deref()) {
        Some(Refused::OtherOrigin { to, origin }) => {
            Err(ApiError::Redirected { status, to, origin })
        }
        Some(Refused::TooMany { to }) => Err(ApiError::TooManyRedirects {
            status,
            url: url.to_owned(),
            to,
        }),
        // A 1xx, or a 3xx without a `Location`.
        None => Err(not_json(url, raw)),
    }
}

fn describe(raw: &Raw) -> String {
    let content_type = raw.content_type.to_ascii_lowercase();
    let head = raw
        .bytes
        .get(..raw.bytes.len().min(256))
        .unwrap_or_default();
    let head = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    let looks_html = head.starts_with("<!doctype html") || head.starts_with("<html");
    if content_type.contains("html") || looks_html {
        "an HTML page".to_owned()
    } else if raw.bytes.is_empty() {
        "an empty body".to_owned()
    } else if content_type.is_empty() {
        "a non-JSON body".to_owned()
    } else {
        format!("a {content_type} body")
    }
}

fn not_json(url: &str, raw: &Raw) -> ApiError {
    ApiError::NotJson {
        status: raw.status.as_u16(),
        url: url.to_owned(),
        what: describe(raw),
        snippet: snippet(&raw.bytes),
    }
}

fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error;
    while let Some(source) = current.source() {
        parts.push(source.to_string());
        current = source;
    }
    parts.join(": ")
}
