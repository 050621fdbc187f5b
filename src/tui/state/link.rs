//! The connector's connection state on the target, for vendors that have one (Agent Stack).

use crate::connector::{self, Vendor};
use serde_json::Value;

/// What the target says about the connector's connection to its server (Agent Stack's
/// `state`, `auth_request.authorization_endpoint`, `disconnect_reason`), or why it could not say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkState {
    /// `created`, `auth_required`, `connected`, `disconnected`; `None` while unknown.
    pub state: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub disconnect_reason: Option<String>,
    /// The last connect, disconnect or fetch that failed (`504: …`).
    pub error: Option<String>,
    /// A background fetch in flight (shown as "checking…"); its request id.
    pub fetching: Option<u64>,
}

impl LinkState {
    /// The state a connector's JSON carries (`state`, `auth_request`, `disconnect_reason`).
    pub fn from_connector(connector: &Value) -> LinkState {
        let read = crate::api::agent_stack::ConnectionState::from_connector(connector);
        // Server text, shown on the form: no escape sequences.
        let plain = |text: Option<String>| text.map(|t| connector::plain_line(&t));
        LinkState {
            state: Some(connector::plain_line(&read.state)),
            authorization_endpoint: plain(read.authorization_endpoint),
            disconnect_reason: plain(read.disconnect_reason),
            error: None,
            fetching: None,
        }
    }
}

/// Whether the vendor's connectors have a connection state (connect / disconnect): the
/// vendor's description says how it links (`VendorSpec::link`).
pub fn has_link_state(vendor: Vendor) -> bool {
    vendor.spec().link.is_some()
}
