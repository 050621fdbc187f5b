//! HTTP clients for the vendors' connector APIs.
//!
//! Owns everything on the wire: reqwest with rustls, timeouts, retries for idempotent calls
//! only, vendor error bodies turned into [`ApiError`]s on field paths. It knows no terminal and
//! no files; it returns the server's JSON (`serde_json::Value`), which the core turns into
//! connectors (`Connector::from_remote`) and compares (`connector::changes`).
//!
//! Entry points:
//! - [`Client`]s come from `crate::connection::Connection` (which resolves a target name
//!   through the config and starts the embedded sandbox when the target is the sandbox).
//! - [`Client`]: one type for every vendor (`list`, `get`, `create`, `replace`, `delete`,
//!   `submit`, and Agent Stack's `connect` / `disconnect`). Paths, auth and envelopes come from
//!   the vendor table through [`table::TableClient`]; the update mode in the same table decides
//!   between a whole replace, a partial update and delete-and-recreate.
//! - [`curl::command`]: the equivalent curl command for a submit.

pub mod agent_stack;
pub mod body;
pub mod cause;
pub mod curl;
mod error;
pub mod fire;
pub mod redirect;
mod retry;
pub mod schedule;
pub mod table;
mod transport;

pub use agent_stack::ConnectionState;
pub use cause::{Cause, NetFailure};
pub use error::{ApiError, FieldError, loc_to_path};
pub use retry::{RetryPolicy, parse_retry_after};
pub use table::check_id;
pub use transport::ClientOptions;

use crate::config::Secret;
use crate::connector::{self, Connector, FieldChange, TargetRef, UpdateMode, Vendor};
use reqwest::Method;
use serde_json::Value;
use table::TableClient;

/// A client for one vendor's connector API on one target. Cheap to clone; `Debug` masks the
/// secret. It knows which target it talks to, so a submit uses the connector's id on that
/// target and no other.
#[derive(Debug, Clone)]
pub struct Client {
    table: TableClient,
    target: TargetRef,
}

/// Which call a submit made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitAction {
    /// `POST`: a new connector.
    Created,
    /// `PUT` of the whole object (Databar).
    Replaced,
    /// `PUT` of the updatable fields only (Cargo).
    Updated,
    /// `DELETE` of `deleted`, then `POST` (Agent Stack, only when asked for).
    Recreated { deleted: String },
    /// Nothing sent: the server already holds what the file says (Agent Stack, which could
    /// only delete and create it again).
    Unchanged,
}

impl SubmitAction {
    /// `created`, `replaced`, `updated`, `recreated` or `unchanged`.
    pub fn verb(&self) -> &'static str {
        match self {
            SubmitAction::Created => "created",
            SubmitAction::Replaced => "replaced",
            SubmitAction::Updated => "updated",
            SubmitAction::Recreated { .. } => "recreated",
            SubmitAction::Unchanged => "unchanged",
        }
    }
}

/// How to submit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubmitOptions {
    /// For a vendor without an update endpoint (Agent Stack): delete the remote connector and
    /// create it again. Without it such a submit fails with [`ApiError::NeedsRecreate`].
    pub recreate: bool,
}

/// What a submit did: which call, what was sent, what the server stored and how they differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// True when a connector was created (POST, including a recreate), false for an update.
    pub created: bool,
    pub action: SubmitAction,
    /// The server's id for the connector (from the answer, else the one updated).
    pub id: Option<String>,
    /// The JSON body that was sent (`outgoing()`, or `outgoing_update()` for a partial update).
    pub sent: Value,
    /// The connector the server answered with (unwrapped from Cargo's `{connector, ...}`).
    pub stored: Value,
    /// Every field the server stored differently (`rate_limit: sent 60, stored 10`).
    pub changes: Vec<FieldChange>,
    /// Fields a partial update could not send (fixed once created) whose value in the file
    /// differs from the server's: `sent` is the file's value, `stored` the server's.
    pub immutable: Vec<FieldChange>,
}

impl Client {
    /// A client for `vendor` on `target` (at its base URL) with default timeouts and retries.
    pub fn new(vendor: Vendor, target: &TargetRef, secret: Secret) -> Result<Client, ApiError> {
        Client::with_options(vendor, target, secret, ClientOptions::default())
    }

    pub fn with_options(
        vendor: Vendor,
        target: &TargetRef,
        secret: Secret,
        options: ClientOptions,
    ) -> Result<Client, ApiError> {
        Ok(Client {
            table: TableClient::new(vendor, &target.base_url, secret, options)?,
            target: target.clone(),
        })
    }

    /// The target this client talks to.
    pub fn target(&self) -> &TargetRef {
        &self.target
    }

    pub fn vendor(&self) -> Vendor {
        self.table.vendor()
    }

    pub fn base_url(&self) -> &str {
        self.table.base_url()
    }

    /// Every connector, as the server returns them (all pages; unwrapped from the vendor's
    /// list envelope).
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        self.table.list().await
    }

    /// One connector by id (unwrapped from the vendor's envelope).
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        self.table.get(id).await
    }

    /// Creates a connector from a request body. Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        self.table.create(body).await
    }

    /// `PUT`s `body` to the connector: a full replace for Databar, a partial update for Cargo
    /// (send `outgoing_update()`). Agent Stack has no update endpoint:
    /// [`ApiError::NeedsRecreate`].
    pub async fn replace(&self, id: &str, body: &Value) -> Result<Value, ApiError> {
        match self.vendor().spec().update {
            UpdateMode::Replace | UpdateMode::Partial(_) => self.table.put(id, body).await,
            UpdateMode::Recreate => Err(ApiError::NeedsRecreate {
                vendor: self.vendor().to_string(),
                id: id.to_owned(),
            }),
        }
    }

    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.table.delete(id).await
    }

    /// Agent Stack: `POST .../{id}/connect` with `{"redirect_url": ...}` (or `{}`). The server
    /// probes the MCP server and answers with the connector, now `connected` or
    /// `auth_required` (with `auth_request.authorization_endpoint`). A POST, so never retried;
    /// 502 and 504 mean the MCP server failed or could not be reached.
    pub async fn connect(&self, id: &str, redirect_url: Option<&str>) -> Result<Value, ApiError> {
        let path = self.link_path(id, "connect")?;
        let body = match redirect_url {
            Some(url) => serde_json::json!({"redirect_url": url}),
            None => serde_json::json!({}),
        };
        self.table.call(Method::POST, &path, Some(&body)).await
    }

    /// Agent Stack: `POST .../{id}/disconnect` (from `connected` or `auth_required`).
    pub async fn disconnect(&self, id: &str) -> Result<Value, ApiError> {
        let path = self.link_path(id, "disconnect")?;
        self.table.call(Method::POST, &path, None).await
    }

    /// The path of a connect or disconnect call; only vendors with a connection state (Agent
    /// Stack) have them.
    fn link_path(&self, id: &str, operation: &'static str) -> Result<String, ApiError> {
        if self.vendor().spec().link.is_none() {
            return Err(no_connect(self.vendor(), operation));
        }
        Ok(format!("{}/{operation}", self.table.item_path(id)?))
    }

    /// Sends a connector: a create when it has no id on this client's target (ids recorded
    /// for other targets, and a legacy id without a target, are never used), else the
    /// vendor's update (a whole replace, or Cargo's partial update). For Agent Stack, which
    /// cannot update, a connector with an id is [`SubmitAction::Unchanged`] when the server
    /// already holds what it says, and otherwise fails with [`ApiError::NeedsRecreate`]; use
    /// [`Client::submit_with`] and `recreate: true` to delete and create it again.
    pub async fn submit(&self, connector: &Connector) -> Result<Submitted, ApiError> {
        self.submit_with(connector, SubmitOptions::default()).await
    }

    /// [`Client::submit`] with options. Does not validate; callers validate first so the
    /// user sees every finding, not just the server's.
    pub async fn submit_with(
        &self,
        connector: &Connector,
        options: SubmitOptions,
    ) -> Result<Submitted, ApiError> {
        if connector.vendor != self.vendor() {
            return Err(ApiError::WrongVendor {
                connector: connector.vendor.to_string(),
                target: self.base_url().to_owned(),
                target_vendor: self.vendor().to_string(),
            });
        }
        let full = connector.outgoing();
        let remote_id = connector.remote_id_for(&self.target).map(str::to_owned);
        let sent = match &remote_id {
            None => Sent {
                action: SubmitAction::Created,
                body: full.clone(),
                stored: self.create(&full).await?,
            },
            Some(id) => match self.send_update(connector, id, &full, options).await? {
                Update::Sent(sent) => sent,
                Update::Unchanged(remote) => {
                    return Ok(Submitted {
                        created: false,
                        action: SubmitAction::Unchanged,
                        id: Some(id.clone()),
                        sent: Value::Null,
                        stored: remote,
                        changes: Vec::new(),
                        immutable: Vec::new(),
                    });
                }
            },
        };
        Ok(submitted(connector, &full, remote_id, sent))
    }

    /// Sends the edit of a connector the server holds as `id`, the vendor's way: a replace, a
    /// partial update, or (asked for) a delete and create.
    async fn send_update(
        &self,
        connector: &Connector,
        id: &str,
        full: &Value,
        options: SubmitOptions,
    ) -> Result<Update, ApiError> {
        let sent = match connector.spec().update {
            UpdateMode::Replace => Sent {
                action: SubmitAction::Replaced,
                body: full.clone(),
                stored: self.replace(id, full).await?,
            },
            UpdateMode::Partial(_) => {
                let body = connector.outgoing_update();
                let stored = self.replace(id, &body).await?;
                Sent {
                    action: SubmitAction::Updated,
                    body,
                    stored,
                }
            }
            UpdateMode::Recreate => {
                return self.recreate(connector, id, full, options.recreate).await;
            }
        };
        Ok(Update::Sent(sent))
    }

    /// Agent Stack's edit: nothing when the server already holds what the file says, else
    /// (only when `asked`) delete and create again.
    async fn recreate(
        &self,
        connector: &Connector,
        id: &str,
        full: &Value,
        asked: bool,
    ) -> Result<Update, ApiError> {
        // Resubmitting what the server holds is no edit: nothing to recreate.
        if let Ok(remote) = self.get(id).await
            && connector::unchanged(connector.vendor, full, &remote)
        {
            return Ok(Update::Unchanged(remote));
        }
        if !asked {
            return Err(ApiError::NeedsRecreate {
                vendor: connector.spec().label.to_owned(),
                id: id.to_owned(),
            });
        }
        match self.delete(id).await {
            // Already gone: creating it again is still what was asked for.
            Ok(()) | Err(ApiError::Rejected { status: 404, .. }) => {}
            Err(error) => return Err(error),
        }
        let stored = self
            .create(full)
            .await
            .map_err(|error| ApiError::RecreateFailed {
                deleted: id.to_owned(),
                error: Box::new(error),
            })?;
        Ok(Update::Sent(Sent {
            action: SubmitAction::Recreated {
                deleted: id.to_owned(),
            },
            body: full.clone(),
            stored,
        }))
    }
}

/// The call a submit made, the body it sent and the server's answer.
struct Sent {
    action: SubmitAction,
    body: Value,
    stored: Value,
}

/// What an edit of a connector the server holds came to.
enum Update {
    Sent(Sent),
    /// Nothing sent: the server already holds this (Agent Stack's connector as it was).
    Unchanged(Value),
}

/// The report of a submit that sent `sent`: the id, and every field the server stored
/// differently from what was sent (or, for a partial update, could not be sent).
fn submitted(
    connector: &Connector,
    full: &Value,
    remote_id: Option<String>,
    sent: Sent,
) -> Submitted {
    let spec = connector.spec();
    let Sent {
        action,
        body,
        stored,
    } = sent;
    let id = connector::unwrap_response(connector.vendor, &stored)
        .get(spec.id_field)
        .and_then(connector::id_to_string)
        .or(remote_id);
    let changes = connector::changes(connector.vendor, &body, &stored)
        .into_iter()
        .filter(|c| c.sent.is_some() || spec.updatable(&c.key))
        .collect();
    let immutable = if matches!(action, SubmitAction::Updated) {
        connector::changes(connector.vendor, full, &stored)
            .into_iter()
            .filter(|c| !spec.updatable(&c.key) && c.sent.is_some())
            .collect()
    } else {
        Vec::new()
    };
    Submitted {
        created: matches!(
            action,
            SubmitAction::Created | SubmitAction::Recreated { .. }
        ),
        action,
        id,
        sent: body,
        stored,
        changes,
        immutable,
    }
}

fn no_connect(vendor: Vendor, operation: &'static str) -> ApiError {
    ApiError::NoSuchOperation {
        vendor: vendor.to_string(),
        operation,
        hint: "only Agent Stack connectors connect to a server (pick an Agent Stack target, or --target sandbox)",
    }
}

/// The method and full URL of a submit to `target`: `POST` to the collection without an id on
/// that target; with one, `PUT` to the item (Databar's replace, Cargo's partial update), or
/// for Agent Stack, which cannot update, the `POST` of the recreate (after a `DELETE` of the
/// item).
pub fn submit_request(connector: &Connector, target: &TargetRef) -> (&'static str, String) {
    let spec = connector.spec();
    let base = target.base_url.trim_end_matches('/');
    match (connector.remote_id_for(target), spec.update) {
        (None, _) | (Some(_), UpdateMode::Recreate) => {
            ("POST", format!("{base}{}", spec.collection_path))
        }
        (Some(id), UpdateMode::Replace | UpdateMode::Partial(_)) => {
            ("PUT", format!("{base}{}", spec.item_path_for(id)))
        }
    }
}

/// The body a submit of `connector` to `target` sends: the whole connector, or only the
/// updatable fields for a partial update of one that exists there.
pub fn submit_body(connector: &Connector, target: &TargetRef) -> Value {
    match (connector.remote_id_for(target), connector.spec().update) {
        (Some(_), UpdateMode::Partial(_)) => connector.outgoing_update(),
        _ => connector.outgoing(),
    }
}
