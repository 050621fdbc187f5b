//! What the editor's lists hold of the world outside: the target's connectors, the local
//! files, and a failed call's error. Plain data, shared by the messages that carry them and the
//! state that keeps them (so neither imports the other).

use crate::connector::FieldPath;
use std::path::PathBuf;

/// A connector stored on the target, as the browse list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteItem {
    pub id: String,
    pub name: String,
    pub method: String,
    pub url: String,
    /// The connection state the list answer gives (Agent Stack); empty when it gives none.
    pub state: String,
}

/// A local connector file, or an example to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalItem {
    pub path: PathBuf,
    /// The connector's name, or why the file could not be read.
    pub summary: String,
}

/// Why a submit (or another call to the target) failed, with the server's field errors placed
/// on fields when it named them (400 and 422 answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    /// The HTTP status, when the server answered at all.
    pub status: Option<u16>,
    pub message: String,
    /// Field-level messages from the server (`rate_limit`: "Input should be ...").
    pub fields: Vec<(FieldPath, String)>,
}
