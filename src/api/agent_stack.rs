//! Agent Stack's connection state (seed 002): what `Client::connect` / `Client::disconnect`
//! left a connector in, read from its JSON. The calls themselves are in `api::Client`.

use serde_json::Value;

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
    use serde_json::json;

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
}
