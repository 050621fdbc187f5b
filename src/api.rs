//! HTTP clients for the vendors' connector APIs, and the connection the faces open to a target.
//!
//! Owns everything on the wire: reqwest with rustls, timeouts, retries for idempotent calls
//! only, vendor error bodies turned into [`ApiError`]s on field paths. It knows no terminal and
//! no files; it returns the server's JSON (`serde_json::Value`), which the core turns into
//! connectors (`Connector::from_remote`) and compares (`connector::changes`).
//!
//! Entry points:
//! - [`Connection::open`]: resolve a target name through the config (starting the embedded
//!   sandbox when the target is the sandbox) and get a [`Client`] plus a display label.
//! - [`Client`]: one value per vendor behind one set of methods (`list`, `get`, `create`,
//!   `replace`, `delete`, `submit`).
//! - [`curl::command`]: the equivalent curl command for a submit.

mod connection;
pub mod curl;
pub mod databar;
mod error;
pub mod fire;
mod retry;
mod transport;

pub use connection::{Connection, SANDBOX_DB_ENV};
pub use databar::DatabarClient;
pub use error::{ApiError, FieldError, loc_to_path};
pub use retry::{RetryPolicy, parse_retry_after};
pub use transport::ClientOptions;

use crate::config::Secret;
use crate::connector::{self, Connector, FieldChange, Vendor};
use serde_json::Value;

/// A client for one vendor's connector API. An enum rather than a trait object so calls stay
/// plain `async fn`s; each vendor's quirks live in its own module.
#[derive(Debug, Clone)]
pub enum Client {
    Databar(DatabarClient),
}

/// What a submit did: which call, what was sent, what the server stored and how they differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// True for a create (POST), false for a replace (PUT).
    pub created: bool,
    /// The server's id for the connector (from the answer, else the one replaced).
    pub id: Option<String>,
    /// The JSON body that was sent (`connector.outgoing()`).
    pub sent: Value,
    /// The connector the server answered with.
    pub stored: Value,
    /// Every field the server stored differently (`rate_limit: sent 60, stored 10`).
    pub changes: Vec<FieldChange>,
}

impl Client {
    /// A client for `vendor` at `base_url` (no trailing slash needed) with default timeouts
    /// and retries.
    pub fn new(vendor: Vendor, base_url: &str, secret: Secret) -> Result<Client, ApiError> {
        Client::with_options(vendor, base_url, secret, ClientOptions::default())
    }

    pub fn with_options(
        vendor: Vendor,
        base_url: &str,
        secret: Secret,
        options: ClientOptions,
    ) -> Result<Client, ApiError> {
        match vendor {
            Vendor::Databar => Ok(Client::Databar(DatabarClient::new(
                base_url, secret, options,
            )?)),
            Vendor::AgentStack | Vendor::Cargo => Err(ApiError::Unsupported {
                vendor: vendor.to_string(),
            }),
        }
    }

    pub fn vendor(&self) -> Vendor {
        match self {
            Client::Databar(_) => Vendor::Databar,
        }
    }

    pub fn base_url(&self) -> &str {
        match self {
            Client::Databar(c) => c.base_url(),
        }
    }

    /// Every connector, as the server returns them.
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        match self {
            Client::Databar(c) => c.list().await,
        }
    }

    /// One connector by id.
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        match self {
            Client::Databar(c) => c.get(id).await,
        }
    }

    /// Creates a connector from a request body. Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        match self {
            Client::Databar(c) => c.create(body).await,
        }
    }

    /// Replaces a connector with a whole request body.
    pub async fn replace(&self, id: &str, body: &Value) -> Result<Value, ApiError> {
        match self {
            Client::Databar(c) => c.replace(id, body).await,
        }
    }

    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        match self {
            Client::Databar(c) => c.delete(id).await,
        }
    }

    /// Sends a connector: a create when it has no remote id, a replace of the whole object
    /// (unknown fields included) when it has one. Does not validate; callers validate first
    /// so the user sees every finding, not just the server's.
    pub async fn submit(&self, connector: &Connector) -> Result<Submitted, ApiError> {
        let sent = connector.outgoing();
        let (created, stored) = match &connector.remote_id {
            None => (true, self.create(&sent).await?),
            Some(id) => (false, self.replace(id, &sent).await?),
        };
        let id = stored
            .get("id")
            .and_then(connector::id_to_string)
            .or_else(|| connector.remote_id.clone());
        let changes = connector::changes(connector.vendor, &sent, &stored);
        Ok(Submitted {
            created,
            id,
            sent,
            stored,
            changes,
        })
    }

    /// The method and URL a submit of `connector` would use, for dry runs and curl.
    pub fn submit_request(&self, connector: &Connector) -> (&'static str, String) {
        submit_request(connector, self.base_url())
    }
}

/// The method and full URL of a submit: `POST` to the collection, or `PUT` to the item.
pub fn submit_request(connector: &Connector, base_url: &str) -> (&'static str, String) {
    let spec = connector.spec();
    let base = base_url.trim_end_matches('/');
    match &connector.remote_id {
        None => ("POST", format!("{base}{}", spec.collection_path)),
        Some(id) => ("PUT", format!("{base}{}", spec.item_path_for(id))),
    }
}
