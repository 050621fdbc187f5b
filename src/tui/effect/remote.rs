//! The editor's view of a target, implemented over `crate::connection::Connection`: one client per
//! vendor (`client_for`), errors turned into `RemoteError`s with the server's field messages.
//! Server text (errors, names, URLs) enters the editor here, so it is made plain here
//! (`connector::plain_text`: no escape sequences, no control characters).

use super::{Connection, LinkAction, Remote, SubmitAnswer};
use crate::connector::{self, Connector, TargetRef, Vendor};
use crate::tui::msg::{RemoteError, RemoteItem};
use crate::tui::state::LinkState;
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// Opens the target through `crate::connection::Connection` (the embedded sandbox when none is
/// configured).
pub(super) async fn connect(target: Option<String>) -> Result<Connection, String> {
    let connection = crate::connection::Connection::open(target.as_deref())
        .await
        .map_err(|e| said(&e))?;
    Ok(Arc::new(connection))
}

/// An error's text as the editor shows it.
fn said(error: &crate::api::ApiError) -> String {
    connector::plain_text(&error.to_string())
}

fn remote_error(error: &crate::api::ApiError) -> RemoteError {
    let fields: Vec<(connector::FieldPath, String)> = error
        .fields()
        .iter()
        .map(|f| (f.path.clone(), connector::plain_line(&f.message)))
        .collect();
    RemoteError {
        status: error.status(),
        message: said(error),
        fields,
    }
}

impl Remote for crate::connection::Connection {
    fn target(&self) -> TargetRef {
        self.target_ref().clone()
    }

    fn key_source(&self) -> Option<crate::config::SecretSource> {
        match self.target() {
            crate::config::Target::Remote(remote) => Some(remote.secret.clone()),
            crate::config::Target::Sandbox => None,
        }
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
                stored,
                changes: submitted.changes,
                id: submitted.id,
                created: submitted.created,
            })
        })
    }

    fn list(&self, vendor: Vendor) -> BoxFuture<'_, Result<Vec<RemoteItem>, String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| said(&e))?;
            let items = client.list().await.map_err(|e| said(&e))?;
            let spec = vendor.spec();
            // The vendor's description says which of its fields hold each column.
            let request = spec.request;
            let url = request.map(|r| r.url);
            let method = request.and_then(|r| r.method);
            let state = spec.link.map(|l| l.state_field);
            Ok(items
                .iter()
                .map(|item| {
                    let item = connector::unwrap_response(vendor, item);
                    let text = |k: Option<&str>| {
                        connector::plain_line(
                            k.and_then(|k| item.get(k))
                                .and_then(serde_json::Value::as_str)
                                .unwrap_or_default(),
                        )
                    };
                    let name = spec
                        .title_keys()
                        .map(|k| text(Some(k)))
                        .find(|n| !n.is_empty())
                        .unwrap_or_default();
                    RemoteItem {
                        id: item
                            .get(spec.id_field)
                            .and_then(connector::id_to_string)
                            .map(|id| connector::plain_line(&id))
                            .unwrap_or_default(),
                        name,
                        method: text(method),
                        url: text(url),
                        state: text(state),
                    }
                })
                .collect())
        })
    }

    fn bodies(&self, vendor: Vendor) -> BoxFuture<'_, Result<Vec<serde_json::Value>, String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| said(&e))?;
            client.list().await.map_err(|e| said(&e))
        })
    }

    fn get(&self, vendor: Vendor, id: String) -> BoxFuture<'_, Result<Connector, String>> {
        Box::pin(async move {
            let client = self.client_for(vendor).map_err(|e| said(&e))?;
            let value = client.get(&id).await.map_err(|e| said(&e))?;
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
            let client = self.client_for(vendor).map_err(|e| said(&e))?;
            client.delete(&id).await.map_err(|e| said(&e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{Method, StatusCode};
    use axum::response::IntoResponse;

    /// A window title, a screen clear, an 8-bit CSI and a carriage return around a name.
    const EVIL: &str = "evil\u{1b}]2;pwned\u{7}\u{1b}[2J\u{9b}31m\r name";

    fn plain(text: &str) -> bool {
        !text.chars().any(char::is_control)
    }

    #[tokio::test]
    async fn server_text_enters_the_editor_plain() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(|method: Method| async move {
            match method {
                Method::GET => axum::Json(serde_json::json!([
                    {"id": 1, "name": EVIL, "method": "get", "url": format!("https://x.example/{EVIL}")}
                ]))
                .into_response(),
                Method::POST => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    axum::Json(serde_json::json!({"detail": [
                        {"loc": ["body", "name"], "msg": EVIL, "type": "x"}
                    ]})),
                )
                    .into_response(),
                _ => (
                    StatusCode::NOT_FOUND,
                    axum::Json(serde_json::json!({"detail": EVIL})),
                )
                    .into_response(),
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        let config = crate::config::Config::parse(
            &format!(
                "[targets.t]\nvendor = \"databar\"\nbase_url = \"{base}\"\nsecret_command = \"printf k\"\n"
            ),
            None,
        )
        .unwrap();
        let connection = crate::connection::Connection::open_with(&config, Some("t"))
            .await
            .unwrap();

        let items = Remote::list(&connection, Vendor::Databar).await.unwrap();
        assert_eq!(items[0].name, "evil name");
        assert_eq!(items[0].url, "https://x.example/evil name");
        let error = Remote::delete(&connection, Vendor::Databar, "1".into())
            .await
            .unwrap_err();
        assert!(plain(&error) && error.contains("evil name"), "{error:?}");
        let mut connector = Connector::new(Vendor::Databar);
        connector.set("name", "n".into());
        let error = Remote::submit(&connection, connector, false)
            .await
            .unwrap_err();
        assert!(plain(&error.message), "{error:?}");
        assert_eq!(error.fields[0].1, "evil name");
    }

    #[tokio::test]
    async fn agent_stack_rows_carry_the_state_the_list_answer_gives() {
        use crate::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
        let sandbox = Sandbox::start(ServeOptions {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            db: DbPath::Memory,
            keys: vec!["k".to_owned()],
            plan: Plan::default(),
        })
        .await
        .unwrap();
        let config = crate::config::Config::parse(
            &format!(
                "[targets.t]\nvendor = \"agent_stack\"\nbase_url = \"{}\"\nsecret_command = \"printf k\"\n",
                sandbox.base_url()
            ),
            None,
        )
        .unwrap();
        let connection = crate::connection::Connection::open_with(&config, Some("t"))
            .await
            .unwrap();
        let mut connector = Connector::new(Vendor::AgentStack);
        connector.set("url", "https://mcp.example.com/mcp".into());
        Remote::submit(&connection, connector, false).await.unwrap();

        let items = Remote::list(&connection, Vendor::AgentStack).await.unwrap();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0].state, "created");
        sandbox.shutdown().await;
    }
}
