//! The Agent Stack client (seed 002): HTTP Basic, `/api/v1/connectors` with the paged `items`
//! envelope, `DELETE` → 204, and its two quirks: there is no update endpoint (editing is
//! delete and recreate, done only on request by `Client::submit_with`), and a connector is
//! connected to its MCP server with `POST .../{id}/connect` and `.../{id}/disconnect`.

use super::ApiError;
use super::table::TableClient;
use super::transport::ClientOptions;
use crate::config::Secret;
use crate::connector::Vendor;
use reqwest::Method;
use serde_json::{Value, json};

/// An Agent Stack API client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AgentStackClient {
    table: TableClient,
}

impl AgentStackClient {
    pub fn new(base_url: &str, secret: Secret, options: ClientOptions) -> Result<Self, ApiError> {
        Ok(AgentStackClient {
            table: TableClient::new(Vendor::AgentStack, base_url, secret, options)?,
        })
    }

    pub fn base_url(&self) -> &str {
        self.table.base_url()
    }

    /// `GET /api/v1/connectors`, every page (`has_more` / `next_page_token`).
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        self.table.list().await
    }

    /// `GET /api/v1/connectors/{id}`.
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        self.table.get(id).await
    }

    /// `POST /api/v1/connectors` → 201. Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        self.table.create(body).await
    }

    /// `DELETE /api/v1/connectors/{id}` → 204.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.table.delete(id).await
    }

    /// `POST /api/v1/connectors/{id}/connect` with `{"redirect_url": ...}` (or `{}`): the
    /// server probes the MCP server and answers with the connector, now `connected` or
    /// `auth_required` (with `auth_request.authorization_endpoint`). A POST, so never
    /// retried; 502 and 504 mean the MCP server failed or could not be reached.
    pub async fn connect(&self, id: &str, redirect_url: Option<&str>) -> Result<Value, ApiError> {
        let path = format!("{}/connect", self.table.item_path(id)?);
        let body = match redirect_url {
            Some(url) => json!({"redirect_url": url}),
            None => json!({}),
        };
        self.table.call(Method::POST, &path, Some(&body)).await
    }

    /// `POST /api/v1/connectors/{id}/disconnect`: the connector, now `disconnected`.
    pub async fn disconnect(&self, id: &str) -> Result<Value, ApiError> {
        let path = format!("{}/disconnect", self.table.item_path(id)?);
        self.table.call(Method::POST, &path, None).await
    }
}

/// What `connect` / `disconnect` left the connector in, read from its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionState {
    pub id: Option<String>,
    /// `created`, `auth_required`, `connected` or `disconnected`.
    pub state: String,
    /// Where the user authorizes, when the state is `auth_required`.
    pub authorization_endpoint: Option<String>,
    pub disconnect_reason: Option<String>,
}

impl ConnectionState {
    pub fn from_connector(connector: &Value) -> ConnectionState {
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        ConnectionState {
            id: connector.get("id").and_then(crate::connector::id_to_string),
            state: text(connector.get("state")).unwrap_or_else(|| "unknown".to_owned()),
            authorization_endpoint: text(
                connector
                    .get("auth_request")
                    .and_then(|r| r.get("authorization_endpoint")),
            ),
            disconnect_reason: text(connector.get("disconnect_reason")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_and_authorization_link_are_read() {
        let state = ConnectionState::from_connector(&json!({
            "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "state": "auth_required",
            "auth_request": {"type": "code", "authorization_endpoint": "https://auth.example.com/authorize?x=1"},
            "disconnect_reason": null,
        }));
        assert_eq!(state.state, "auth_required");
        assert_eq!(
            state.authorization_endpoint.as_deref(),
            Some("https://auth.example.com/authorize?x=1")
        );
        assert_eq!(state.disconnect_reason, None);
        let bare = ConnectionState::from_connector(&json!({"auth_request": null}));
        assert_eq!(bare.state, "unknown");
        assert_eq!(bare.authorization_endpoint, None);
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let client = AgentStackClient::new(
            "https://agents.example.com/",
            Secret::new("as-secret-password-123456"),
            ClientOptions::default(),
        )
        .expect("client builds without network");
        let shown = format!("{client:?}");
        assert!(!shown.contains("as-secret-password-123456"), "{shown}");
        assert_eq!(client.base_url(), "https://agents.example.com");
    }
}
