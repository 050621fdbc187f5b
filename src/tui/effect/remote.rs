//! The editor's view of a target, implemented over `crate::api::Connection`: one client per
//! vendor (`client_for`), errors turned into `RemoteError`s with the server's field messages.

use super::{Connection, LinkAction, Remote, SubmitAnswer};
use crate::connector::{self, Connector, TargetRef, Vendor};
use crate::tui::msg::{RemoteError, RemoteItem};
use crate::tui::state::LinkState;
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// Opens the target through `crate::api::Connection` (the embedded sandbox when none is
/// configured).
pub(super) async fn connect(target: Option<String>) -> Result<Connection, String> {
    let connection = crate::api::Connection::open(target.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    Ok(Arc::new(connection))
}

fn remote_error(error: &crate::api::ApiError) -> RemoteError {
    RemoteError {
        status: error.status(),
        message: error.to_string(),
        fields: error
            .fields()
            .iter()
            .map(|f| (f.path.clone(), f.message.clone()))
            .collect(),
    }
}

impl Remote for crate::api::Connection {
    fn label(&self) -> String {
        format!("{} {}", self.label(), self.client().base_url())
    }

    fn target(&self) -> TargetRef {
        self.target_ref().clone()
    }

    fn submit(
        &self,
        connector: Connector,
        recreate: bool,
    ) -> BoxFuture<'_, Result<SubmitAnswer, RemoteError>> {
        Box::pin(async move {
            let client = self
                .client_for(connector.vendor)
                .map_err(|e| remote_error(&e))?;
            let submitted = client
                .submit_with(&connector, crate::api::SubmitOptions { recreate })
                .await
                .map_err(|e| remote_error(&e))?;
            let stored = connector::unwrap_response(connector.vendor, &submitted.stored).clone();
            Ok(SubmitAnswer {
                sent: submitted.sent,
                stored,
                changes: submitted.changes,
                id: submitted.id,
                created: submitted.created,
            })
        })
    }

    fn list(&self, vendor: Vendor) -> BoxFuture<'_, Result<Vec<RemoteItem>, String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| e.to_string())?;
            let items = client.list().await.map_err(|e| e.to_string())?;
            let id_field = vendor.spec().id_field;
            Ok(items
                .iter()
                .map(|item| {
                    let item = connector::unwrap_response(vendor, item);
                    let text = |k: &str| {
                        item.get(k)
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    let name = match text("name") {
                        n if n.is_empty() => text("url"),
                        n => n,
                    };
                    RemoteItem {
                        id: item
                            .get(id_field)
                            .and_then(connector::id_to_string)
                            .unwrap_or_default(),
                        name,
                        method: text("method"),
                        url: text("url"),
                    }
                })
                .collect())
        })
    }

    fn get(&self, vendor: Vendor, id: String) -> BoxFuture<'_, Result<Connector, String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| e.to_string())?;
            let value = client.get(&id).await.map_err(|e| e.to_string())?;
            Connector::from_remote(vendor, &value, self.target_ref())
                .ok_or_else(|| format!("connector {id}: the answer is not a JSON object"))
        })
    }

    fn link(
        &self,
        vendor: Vendor,
        id: String,
        action: LinkAction,
    ) -> BoxFuture<'_, Result<LinkState, RemoteError>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| remote_error(&e))?;
            let value = match action {
                LinkAction::Fetch => client.get(&id).await,
                LinkAction::Connect { redirect_url } => {
                    client.connect(&id, redirect_url.as_deref()).await
                }
                LinkAction::Disconnect => client.disconnect(&id).await,
            }
            .map_err(|e| remote_error(&e))?;
            let value = connector::unwrap_response(vendor, &value);
            Ok(LinkState::from_connector(value))
        })
    }

    fn delete(&self, vendor: Vendor, id: String) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| e.to_string())?;
            client.delete(&id).await.map_err(|e| e.to_string())
        })
    }
}
