//! What the editor keeps when another connector opens (the session: the target and its
//! connection, the journal's place, the terminal), and the open document itself. Replacing the
//! document is one assignment of `Document`; the session is moved over whole.

use super::History;
use crate::config::SecretSource;
use crate::connector::{self, Connector, TargetRef};
use crate::files::Stamp;
use crate::template::Samples;
use std::path::PathBuf;

/// The open document: what is saved, journaled and undone.
#[derive(Debug)]
pub struct Document {
    pub connector: Connector,
    pub samples: Samples,
    pub file: Option<PathBuf>,
    /// Unsaved changes exist.
    pub dirty: bool,
    /// What the file on disk held when it was opened or last saved: a save's base, so a file
    /// changed by someone else is never overwritten without asking (`None`: no file, or a
    /// save that need not check).
    pub disk: Option<Stamp>,
    /// The form a pasted curl command replaced, for `undo_import`.
    pub before_import: Option<BeforeImport>,
    /// Undo and redo of the document.
    pub history: History,
}

impl Document {
    pub fn new(connector: Connector, samples: Samples, file: Option<PathBuf>) -> Self {
        Document {
            connector,
            samples,
            file,
            dirty: false,
            disk: None,
            before_import: None,
            history: History::default(),
        }
    }
}

/// What a curl import replaced (the connector, its samples, whether it had unsaved changes),
/// so one key brings it back.
#[derive(Debug, Clone, PartialEq)]
pub struct BeforeImport {
    pub connector: Connector,
    pub samples: Samples,
    pub dirty: bool,
}

/// What outlives the open document.
#[derive(Debug)]
pub struct Session {
    pub target: Target,
    pub journal: Journal,
    /// The terminal's size.
    pub size: (u16, u16),
    /// The next request id (for cancellation and to drop stale answers).
    pub next_request: u64,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            target: Target::default(),
            journal: Journal::default(),
            size: (80, 24),
            next_request: 1,
        }
    }
}

/// Where unsaved edits are journaled, and who else edits the same file.
#[derive(Debug, Default)]
pub struct Journal {
    /// Where the journal of unsaved edits goes (`None`: journaling is off).
    pub file: Option<PathBuf>,
    /// This process's name in journal record names (`journal::session_id`).
    pub session_id: String,
    /// Why the journal cannot be written, while it cannot (the status bar says so).
    pub error: Option<String>,
    /// Other live editors that have the same file open, by PID.
    pub elsewhere: Vec<Option<u32>>,
}

/// The targets to pick from, the picked one, and how its connection stands.
#[derive(Debug)]
pub struct Target {
    /// `sandbox` and the config's named targets.
    pub names: Vec<String>,
    /// The picked target's name.
    pub picked: String,
    pub status: Status,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            names: vec![connector::SANDBOX_TARGET.into()],
            picked: connector::SANDBOX_TARGET.into(),
            status: Status::Connecting { named: false },
        }
    }
}

/// The picked target's connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Not up yet (`named`: a target picked in the form, whose name the label says).
    Connecting { named: bool },
    Connected {
        /// The target reached (name and base URL).
        at: TargetRef,
        /// Where the target's key comes from (`None` on the sandbox), for copy as curl.
        key_source: Option<SecretSource>,
    },
    /// It could not be reached or configured (the reason); editing still works.
    Offline(String),
}

impl Target {
    /// The label the form's target row shows.
    pub fn label(&self) -> String {
        match &self.status {
            Status::Connecting { named: false } => "connecting…".into(),
            Status::Connecting { named: true } => format!("connecting to {}…", self.picked),
            Status::Connected { at, .. } if at.is_sandbox() => format!("SANDBOX {}", at.base_url),
            Status::Connected { at, .. } => format!("LIVE {} {}", at.name, at.base_url),
            Status::Offline(reason) => format!("offline: {reason}"),
        }
    }

    /// What the form's target row shows after the badge (`None`: no badge, the label alone).
    pub fn detail(&self) -> Option<String> {
        let at = self.connected_to()?;
        Some(if at.is_sandbox() {
            at.base_url.clone()
        } else {
            format!("{} {}", at.name, at.base_url)
        })
    }

    pub fn connected(&self) -> bool {
        matches!(self.status, Status::Connected { .. })
    }

    /// The target reached, once connected.
    pub fn connected_to(&self) -> Option<&TargetRef> {
        match &self.status {
            Status::Connected { at, .. } => Some(at),
            _ => None,
        }
    }

    /// Where the connected target's key comes from.
    pub fn key_source(&self) -> Option<&SecretSource> {
        match &self.status {
            Status::Connected { key_source, .. } => key_source.as_ref(),
            _ => None,
        }
    }
}
