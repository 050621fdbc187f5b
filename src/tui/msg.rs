//! `Msg`: everything that can happen to the editor, as data. Terminal input and the answers of
//! effect tasks both arrive as a `Msg`; `update` is the only consumer. Owns no behaviour.

use crate::api::fire::FireResponse;
use crate::connector::{Connector, FieldChange, TargetRef};
use crate::template::Samples;
use crossterm::event::{KeyEvent, MouseEvent};
use serde_json::Value;
use std::path::PathBuf;

pub use super::items::{LocalItem, RemoteError, RemoteItem};

/// One message for `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key was pressed (releases and repeats of other kinds never get here).
    Key(KeyEvent),
    /// A mouse click or scroll.
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The terminal changed size; the next frame uses the new size.
    Resize(u16, u16),
    /// Advances the spinner; sent only while a request is in flight.
    Tick,
    /// The process was asked to stop (SIGTERM, SIGHUP): quit now, the journal keeps the edits.
    Terminate,
    /// The target is ready: the target itself (name and the base URL submits go to).
    Connected {
        target: TargetRef,
        /// Where the target's key comes from (`None` on the sandbox), for copy as curl.
        key_source: Option<crate::config::SecretSource>,
    },
    /// The target could not be reached or configured; editing still works.
    ConnectFailed(String),
    /// The file was written; `disk` stamps what is on disk now (the next save's base).
    Saved {
        path: PathBuf,
        disk: crate::files::Stamp,
    },
    /// The file changed on disk since it was opened or saved (or, saving as, a file is
    /// already there): nothing was written.
    SaveConflict(PathBuf),
    /// The file could not be written; the message names it.
    SaveFailed(String),
    /// The server stored the connector: what it answered (the connector object, unwrapped
    /// from any envelope), the fields it changed, its id and whether it was created.
    Submitted {
        request: u64,
        stored: Value,
        changes: Vec<FieldChange>,
        id: Option<String>,
        created: bool,
    },
    /// The server refused the connector, or could not be reached.
    SubmitFailed { request: u64, error: RemoteError },
    /// "Try it" got an answer.
    Fired {
        request: u64,
        result: Result<FireResponse, String>,
    },
    /// The rows file beside the connector, read (or why not).
    RowsLoaded(Result<(String, crate::connector::rows::Rows), String>),
    /// One row of a rows run got its answer.
    RowDone {
        request: u64,
        row: usize,
        result: Box<crate::tui::state::RowResult>,
    },
    /// A rows run has no more answers to give.
    RowsFinished { request: u64 },
    /// A rows run's results were written (where), or why not.
    RowsExported(Result<String, String>),
    /// The connector's past tries, newest first.
    TriesListed(Result<Vec<crate::history::Run>, String>),
    /// Past try `id`: every row it kept, with its request and answer.
    TryOpened {
        id: i64,
        rows: Result<Vec<crate::tui::state::RowResult>, String>,
    },
    /// The target's connector list (for browse).
    RemoteListed(Result<Vec<RemoteItem>, String>),
    /// Each local file's state against the target (for browse).
    SyncStates(Vec<(PathBuf, crate::connector::SyncState)>),
    /// An OpenAPI document named in the import prompt was read (`source`: the prompt's text).
    SpecRead {
        source: String,
        result: Result<Box<crate::connector::import_openapi::Spec>, String>,
    },
    /// Local files and examples (for browse).
    LocalListed {
        files: Vec<LocalItem>,
        examples: Vec<LocalItem>,
    },
    /// A connector was opened (a file, an example or a remote one); `disk` stamps the file.
    Opened {
        path: Option<PathBuf>,
        connector: Box<Connector>,
        samples: Samples,
        disk: Option<crate::files::Stamp>,
    },
    /// The connector file was read again (after its change on disk), to replace the edits.
    Reloaded {
        path: PathBuf,
        connector: Box<Connector>,
        samples: Samples,
        disk: crate::files::Stamp,
    },
    /// The session holds its lock; the PIDs of the other live sessions that have the same
    /// file open (`None`: a PID not readable).
    Claimed {
        journal_file: PathBuf,
        others: Vec<Option<u32>>,
    },
    /// The journal stopped (`Err`, why) or started again (`Ok`) being written.
    Journaled(Result<(), String>),
    /// Something asked for could not be opened.
    OpenFailed(String),
    /// A remote connector or a local file was deleted; the label says which.
    Deleted(String),
    /// A delete failed.
    DeleteFailed(String),
    /// `$EDITOR` finished; the template text it left, or why it failed.
    ExternalEdited(Result<String, String>),
    /// A connection-state read, connect or disconnect answered (Agent Stack).
    Linked {
        request: u64,
        result: Result<crate::tui::state::LinkState, RemoteError>,
    },
    /// The clipboard sequence was written (how many bytes were copied).
    Copied(usize),
    /// The preview task rendered request `generation` (stale unless it is the newest).
    Previewed {
        generation: u64,
        done: super::state::PreviewDone,
    },
}
