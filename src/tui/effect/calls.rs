//! The effects that call the target: connecting, submitting, listing, opening and deleting
//! remote connectors, and Agent Stack's connection. Every call takes the open connection the
//! same way ([`Runner::call`]): a call confirmed for one target never goes to another.

use super::{Connection, Effect, Runner};
use crate::connector::TargetRef;
use crate::template::Samples;
use crate::tui::msg::{Msg, RemoteError};
use futures_util::future::BoxFuture;
use std::sync::atomic::Ordering;
use tokio::sync::Mutex;

impl Runner {
    /// Starts a call to the target; other effects are not this module's and are ignored.
    pub(super) fn run_call(&mut self, effect: Effect) {
        match effect {
            Effect::Connect { target } => self.connect(target),
            Effect::Submit {
                request,
                target,
                connector,
                recreate,
            } => self.call(
                Some(request),
                Some(target),
                move |conn| Box::pin(async move { conn.submit(*connector, recreate).await }),
                move |result| match result {
                    Ok(answer) => Msg::Submitted {
                        request,
                        stored: answer.stored,
                        changes: answer.changes,
                        id: answer.id,
                        created: answer.created,
                    },
                    Err(error) => Msg::SubmitFailed { request, error },
                },
            ),
            Effect::ListRemote(vendor) => self.call(
                None,
                None,
                move |conn| Box::pin(async move { conn.list(vendor).await.map_err(failed) }),
                |result| Msg::RemoteListed(result.map_err(|e| e.message)),
            ),
            Effect::OpenRemote { vendor, id } => self.call(
                None,
                None,
                move |conn| Box::pin(async move { conn.get(vendor, id).await.map_err(failed) }),
                |result| match result {
                    Ok(connector) => Msg::Opened {
                        path: None,
                        connector: Box::new(connector),
                        samples: Samples::new(),
                        disk: None,
                    },
                    Err(e) => Msg::OpenFailed(e.message),
                },
            ),
            Effect::DeleteRemote { vendor, id, target } => {
                let label = format!("connector {id}");
                self.call(
                    None,
                    Some(target),
                    move |conn| {
                        Box::pin(async move { conn.delete(vendor, id).await.map_err(failed) })
                    },
                    |result| match result {
                        Ok(()) => Msg::Deleted(label),
                        Err(e) => Msg::DeleteFailed(e.message),
                    },
                );
            }
            Effect::Link {
                request,
                vendor,
                id,
                action,
                target,
            } => self.call(
                Some(request),
                Some(target),
                move |conn| Box::pin(async move { conn.link(vendor, id, action).await }),
                move |result| Msg::Linked { request, result },
            ),
            _ => {}
        }
    }

    /// Opens the connection to `target`; only the newest connect's connection is kept.
    fn connect(&self, target: Option<String>) {
        let (tx, connection) = (self.tx.clone(), self.connection.clone());
        let connects = self.connects.clone();
        let generation = connects.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::spawn(async move {
            let result = super::remote::connect(target).await;
            // A newer pick superseded this one: drop its connection unannounced.
            if connects.load(Ordering::SeqCst) != generation {
                return;
            }
            let msg = match result {
                Ok(conn) => {
                    let (target, key_source) = (conn.target(), conn.key_source());
                    *connection.lock().await = Some(conn);
                    Msg::Connected { target, key_source }
                }
                Err(e) => {
                    *connection.lock().await = None;
                    Msg::ConnectFailed(e)
                }
            };
            let _ = tx.send(msg);
        });
    }

    /// Runs `work` on the open connection in a task and sends what `answer` makes of its
    /// result. With a `target`, the connection must still be to it; with a `request`, the call
    /// can be cancelled (then nothing is sent). Every call stops when the editor exits.
    fn call<T: Send + 'static>(
        &mut self,
        request: Option<u64>,
        target: Option<TargetRef>,
        work: impl FnOnce(Connection) -> BoxFuture<'static, Result<T, RemoteError>> + Send + 'static,
        answer: impl FnOnce(Result<T, RemoteError>) -> Msg + Send + 'static,
    ) {
        let token = match request {
            Some(request) => self.token(request),
            None => self.root.child_token(),
        };
        let (tx, connection) = (self.tx.clone(), self.connection.clone());
        tokio::spawn(async move {
            let call = async {
                let conn = connected(&connection, target.as_ref()).await?;
                work(conn).await
            };
            tokio::select! {
                () = token.cancelled() => {}
                result = call => { let _ = tx.send(answer(result)); }
            }
        });
    }
}

/// An error with only a message (the calls that answer text).
fn failed(message: String) -> RemoteError {
    RemoteError {
        status: None,
        message,
        fields: Vec::new(),
    }
}

/// The open connection, if it is to `target` (any, without one). When a newer pick replaced
/// the connection meanwhile, nothing is sent.
pub(super) async fn connected(
    connection: &Mutex<Option<Connection>>,
    target: Option<&TargetRef>,
) -> Result<Connection, RemoteError> {
    let conn = connection
        .lock()
        .await
        .clone()
        .ok_or_else(|| failed("not connected to a target yet".into()))?;
    let now = conn.target();
    match target {
        Some(target) if !now.same_as(target) => Err(failed(format!(
            "not sent: this was confirmed for {}, but the editor is now connected to {}",
            target.describe(),
            now.describe()
        ))),
        _ => Ok(conn),
    }
}
