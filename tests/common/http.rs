//! The sandbox over raw HTTP, for the test files that speak to it byte by byte
//! (`#[path]`-included): a server on an ephemeral loopback port accepting one key, a client
//! that follows no redirect, and every answer read as (status, JSON).

use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// A sandbox on an ephemeral loopback port with the store `db`, accepting `key`.
pub fn options(db: DbPath, key: &str) -> ServeOptions {
    ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        db,
        keys: vec![key.to_owned()],
        plan: Plan::default(),
    }
}

/// A client that shows redirects instead of following them and never goes through a proxy.
pub fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// A running sandbox and the client that talks to it.
pub struct Harness {
    pub sandbox: Sandbox,
    pub client: Client,
}

impl Harness {
    pub async fn with(options: ServeOptions) -> Harness {
        Harness {
            sandbox: Sandbox::start(options).await.unwrap(),
            client: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// A request with `headers` and, when there is a body, a JSON Content-Type.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        answer(request).await
    }
}

/// The status and the JSON body (`null` when empty) of an answer.
pub async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, value)
}
