//! Agent Stack's connect probe: what the sandbox sends to a connector's URL (an MCP
//! `initialize` POST, as the vendor's MCP client does first) and how the answer reads (2xx/3xx
//! reachable, 401 with the authorization endpoint, another status, no answer), plus two
//! stand-in MCP servers on the sandbox itself so connect can be shown offline.
//!
//! Owns no state changes: `agent_stack.rs` turns a `Probe` into a state or an error.

use crate::sandbox::request::read_body;
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::Duration;

/// How long connect waits for the connector's server (connect plus answer headers).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// A stand-in remote MCP server on the sandbox itself, so connect can be shown offline:
/// register `http://127.0.0.1:PORT/demo/mcp` and connect gives `connected`. No key needed.
pub const DEMO_MCP: &str = "/demo/mcp";
/// The same behind OAuth: every request is a 401 with a bare `Bearer` challenge, so connect
/// gives `auth_required` with `http://127.0.0.1:PORT/authorize`.
pub const DEMO_MCP_OAUTH: &str = "/demo/mcp/oauth";

/// Answers an MCP `initialize` the way a server without auth does.
pub(super) async fn demo_mcp(body: Body) -> Response {
    let bytes = read_body(body).await.unwrap_or_default();
    let id = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|request| request.get("id").cloned())
        .unwrap_or(Value::Null);
    axum::Json(json!({
        "jsonrpc": "2.0",
        "id": id,
        "result": {
            "protocolVersion": "2025-06-18",
            "capabilities": { "tools": {} },
            "serverInfo": { "name": "patchcord-sandbox-demo", "version": env!("CARGO_PKG_VERSION") },
        },
    }))
    .into_response()
}

pub(super) async fn demo_mcp_oauth() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"patchcord-sandbox\"",
        )],
        axum::Json(
            json!({ "error": "invalid_token", "error_description": "Authorization required" }),
        ),
    )
        .into_response()
}

/// What the connector's server said to the probe.
pub(super) enum Probe {
    /// 2xx or 3xx.
    Reachable,
    /// 401, with the authorization endpoint to send the user to.
    Unauthorized { endpoint: String },
    /// Any other HTTP status, with the start of the body.
    Upstream { status: u16, text: String },
    /// Refused, timed out, or not HTTP.
    Unreachable(String),
}

/// The probe's client: no redirects (a 3xx is an answer), no proxy (loopback servers must be
/// reached directly), a short timeout.
fn probe_client() -> Result<&'static reqwest::Client, String> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .connect_timeout(PROBE_TIMEOUT)
                .timeout(PROBE_TIMEOUT)
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Sends what an MCP client sends first (an `initialize` request over streamable HTTP) and
/// reads only the status and headers, plus a little of an error body.
pub(super) async fn probe(url: &str) -> Probe {
    let client = match probe_client() {
        Ok(client) => client,
        Err(reason) => return Probe::Unreachable(reason),
    };
    let initialize = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "patchcord-sandbox", "version": env!("CARGO_PKG_VERSION") },
        },
    });
    let sent = client
        .post(url)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .json(&initialize)
        .send()
        .await;
    let mut answer = match sent {
        Ok(answer) => answer,
        Err(error) => {
            let reason = if error.is_timeout() {
                format!("no answer within {} s", PROBE_TIMEOUT.as_secs())
            } else {
                error_chain(&error)
            };
            return Probe::Unreachable(reason);
        }
    };
    let status = answer.status();
    if status.is_success() || status.is_redirection() {
        return Probe::Reachable;
    }
    if status == StatusCode::UNAUTHORIZED {
        let named = answer
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(named_endpoint);
        let endpoint = named.unwrap_or_else(|| default_endpoint(url));
        return Probe::Unauthorized { endpoint };
    }
    let mut text = Vec::new();
    let reading = tokio::time::timeout(PROBE_TIMEOUT, async {
        while text.len() < 512 {
            match answer.chunk().await {
                Ok(Some(chunk)) => text.extend_from_slice(&chunk),
                _ => break,
            }
        }
    });
    let _ = reading.await;
    let text: String = String::from_utf8_lossy(&text).chars().take(200).collect();
    Probe::Upstream {
        status: status.as_u16(),
        text: if text.trim().is_empty() {
            status.canonical_reason().unwrap_or("error").to_owned()
        } else {
            text.trim().to_owned()
        },
    }
}

/// reqwest's error with its causes ("error sending request: connection refused").
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// An authorization endpoint a `WWW-Authenticate` challenge names outright, as
/// `authorization_uri="…"` (RFC 6750 style, used by several OAuth servers) or
/// `authorization_endpoint="…"`; only absolute http(s) URLs count.
fn named_endpoint(challenge: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    ["authorization_uri=", "authorization_endpoint="]
        .iter()
        .find_map(|name| {
            let start = lower.find(name)? + name.len();
            let rest = challenge.get(start..)?.trim_start();
            let value = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => rest.split([',', ' ']).next()?,
            };
            let parsed = url::Url::parse(value).ok()?;
            matches!(parsed.scheme(), "http" | "https").then(|| value.to_owned())
        })
}

/// The MCP authorization spec's fallback when a server names no endpoint:
/// `/authorize` at the server's origin.
fn default_endpoint(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => format!("{}/authorize", parsed.origin().ascii_serialization()),
        Err(_) => format!("{}/authorize", url.trim_end_matches('/')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_names_the_endpoint_or_origin_authorize_is_used() {
        assert_eq!(
            named_endpoint(
                r#"Bearer realm="x", authorization_uri="https://auth.example/oauth/authorize""#
            ),
            Some("https://auth.example/oauth/authorize".to_owned())
        );
        assert_eq!(
            named_endpoint("Bearer AUTHORIZATION_ENDPOINT=http://a.example/go, error=x"),
            Some("http://a.example/go".to_owned())
        );
        assert_eq!(
            named_endpoint(r#"Bearer resource_metadata="https://a/.well-known/x""#),
            None
        );
        assert_eq!(
            named_endpoint(r#"Bearer authorization_uri="not a url""#),
            None
        );
        assert_eq!(
            default_endpoint("http://127.0.0.1:9/mcp/sse?x=1"),
            "http://127.0.0.1:9/authorize"
        );
    }
}
