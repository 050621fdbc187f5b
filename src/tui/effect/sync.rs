//! The browse screen's sync states: each local file against the target, by the comparison
//! `plan` uses (`connector::sync`). A task, never the UI loop: it reads the files and fetches
//! the target's connectors, whole, one list per vendor the files are for.

use super::Connection;
use crate::connector::sync::{SyncState, sync_state};
use crate::connector::{Connector, Vendor};
use crate::files;
use crate::tui::msg::Msg;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc};

/// Compares `paths` with the target in a task, answering with `Msg::SyncStates` (nothing
/// while there is no connection yet).
pub(super) fn spawn(
    connection: Arc<Mutex<Option<Connection>>>,
    tx: mpsc::UnboundedSender<Msg>,
    paths: Vec<PathBuf>,
) {
    tokio::spawn(async move {
        if let Ok(conn) = super::calls::connected(&connection, None).await {
            let _ = tx.send(Msg::SyncStates(states(conn, paths).await));
        }
    });
}

/// The state of each file that is a connector of a vendor the target lists; files that cannot
/// be read, or whose vendor's list failed, get none.
async fn states(conn: Connection, paths: Vec<PathBuf>) -> Vec<(PathBuf, SyncState)> {
    let loaded: Vec<(PathBuf, Connector)> = tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .filter_map(|path| files::load(&path).ok().map(|(c, _)| (path, c)))
            .collect()
    })
    .await
    .unwrap_or_default();
    let mut lists = HashMap::new();
    for vendor in Vendor::known() {
        if loaded.iter().any(|(_, c)| c.vendor == vendor)
            && let Ok(items) = conn.bodies(vendor).await
        {
            lists.insert(vendor, items);
        }
    }
    let target = conn.target();
    loaded
        .into_iter()
        .filter_map(|(path, connector)| {
            let remote = lists.get(&connector.vendor)?;
            Some((path, sync_state(&connector, &target, remote)))
        })
        .collect()
}
