//! `Effect`: what `update` asks the outside world to do, as plain data (no closures), and the
//! `Runner` that does it in tokio tasks, answering with `Msg`s over a channel.
//!
//! Effects that need the terminal itself (clipboard, `$EDITOR`) are executed by the loop in
//! `tui.rs`; everything else runs here. Network calls sit behind the small functions at the
//! bottom so the UI does not depend on the client's shape.

mod calls;
mod journal;
mod local;
mod remote;
mod rows_run;
mod sync;
#[cfg(test)]
mod tests;
mod tries;

use super::msg::{Msg, RemoteError, RemoteItem};
use super::state::{LinkState, PreviewJob};
use crate::api::fire::FireRequest;
use crate::connector::{Connector, FieldChange, TargetRef, Vendor};
use crate::files::{Stamp, journal::Snapshot};
use crate::template::Samples;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, watch};
use tokio_util::sync::CancellationToken;

/// One thing to do outside the pure core.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open the connection to the target (the embedded sandbox when none is configured).
    Connect {
        target: Option<String>,
    },
    /// Write the connector file (and its samples) atomically; with a `base`, only if the files
    /// on disk still hold what it stamps (else the answer is `Msg::SaveConflict`).
    Save {
        path: PathBuf,
        connector: Box<Connector>,
        samples: Samples,
        base: Option<Stamp>,
    },
    /// Record unsaved edits (and text typed in an overlay) in the session's journal record
    /// (the newest record wins).
    Journal {
        file: PathBuf,
        snapshot: Box<Snapshot>,
    },
    /// Forget a journal record.
    DiscardJournal(PathBuf),
    /// Move the session's record out of its way, to be offered at the next start.
    SetAsideJournal(PathBuf),
    /// Take the lock of the session journaling to `journal_file` and find who else has `path`
    /// open (answered by `Msg::Claimed`).
    Claim {
        journal_file: PathBuf,
        path: Option<PathBuf>,
    },
    /// Give up the lock of the session journaling to this record.
    Release(PathBuf),
    /// Read the connector file again, dropping the editor's version (answered by
    /// `Msg::Reloaded`).
    Reload(PathBuf),
    /// Create (POST) or replace (PUT, when it has an id on the target) the connector on
    /// `target`; refused, with nothing sent, if the connection is to another target by then.
    Submit {
        request: u64,
        target: TargetRef,
        connector: Box<Connector>,
        /// The user confirmed deleting and creating again (vendors without an update).
        recreate: bool,
    },
    /// Fire the connector's own request ("try it").
    Fire {
        request: u64,
        fire: FireRequest,
        /// The connector file, for the history of tries (`None`: not saved yet).
        file: Option<PathBuf>,
    },
    /// Read the rows file beside this connector file (answered by `Msg::RowsLoaded`).
    LoadRows(PathBuf),
    /// Read the rows file at this path (answered by `Msg::RowsLoaded`).
    LoadRowsFile(PathBuf),
    /// Fire every row within the pace, as `patchcord try --rows` does (answered by a
    /// `Msg::RowDone` per row, then `Msg::RowsFinished`); kept in the history for `file`.
    RunRows {
        request: u64,
        jobs: Vec<crate::api::schedule::Job>,
        pace: crate::api::schedule::Pace,
        file: Option<PathBuf>,
        /// The session's selects, kept in each line as `try --select` keeps them.
        selects: Vec<crate::connector::rows::Select>,
    },
    /// Write a rows run's lines as JSON Lines (answered by a toast).
    ExportRows {
        path: PathBuf,
        lines: Vec<serde_json::Value>,
    },
    /// Write a rows run's table as CSV (answered by `Msg::RowsExported`).
    ExportRowsCsv {
        path: PathBuf,
        records: Vec<Vec<String>>,
    },
    /// List the past tries of a connector file (answered by `Msg::TriesListed`).
    ListTries(Option<PathBuf>),
    /// Read one past try (answered by `Msg::TryOpened`).
    OpenTry(i64),
    /// Cancel a request in flight.
    Cancel(u64),
    /// List the target's connectors of a vendor.
    ListRemote(Vendor),
    /// Compare these connector files with the target (answered by `Msg::SyncStates`).
    SyncStates(Vec<PathBuf>),
    /// List `*.json` connector files in the working directory and the bundled examples.
    ListLocal,
    /// Read and parse an OpenAPI document (capped like connector files); answers `SpecRead`
    /// with `source`, the import prompt's text.
    ReadSpec {
        source: String,
        path: PathBuf,
    },
    /// Open a connector file (or an example, which opens as a new unsaved connector).
    OpenFile {
        path: PathBuf,
        as_new: bool,
    },
    /// Fetch a remote connector to edit.
    OpenRemote {
        vendor: Vendor,
        id: String,
    },
    /// Delete a connector on `target` (refused if the connection is elsewhere by then).
    DeleteRemote {
        vendor: Vendor,
        id: String,
        target: TargetRef,
    },
    DeleteFile(PathBuf),
    /// Agent Stack: read, connect or disconnect the remote connector's connection state.
    Link {
        request: u64,
        vendor: Vendor,
        id: String,
        action: LinkAction,
        target: TargetRef,
    },
    /// Render the template preview off the loop (a newer request replaces one not yet begun).
    Preview(PreviewJob),
    /// Put text on the clipboard via OSC 52 (run by the loop: it owns the terminal).
    CopyToClipboard(String),
    /// Edit text in `$EDITOR` (run by the loop: the terminal is handed over).
    EditExternally(String),
    /// Give the terminal back to the shell and stop until continued (Ctrl-Z; run by the loop,
    /// which owns the terminal).
    Suspend,
}

/// What `Effect::Link` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkAction {
    /// `GET` the connector, for its state.
    Fetch,
    /// `POST …/connect`, optionally with where the authorization comes back to.
    Connect { redirect_url: Option<String> },
    /// `POST …/disconnect`.
    Disconnect,
}

/// The connection to the target, once open. Stands between the UI and `crate::api`.
pub type Connection = Arc<dyn Remote>;

/// What a submit did, as the response view needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitAnswer {
    /// The stored connector object (unwrapped from the vendor's envelope).
    pub stored: serde_json::Value,
    pub changes: Vec<FieldChange>,
    pub id: Option<String>,
    pub created: bool,
}

/// What the editor needs from a target.
pub trait Remote: Send + Sync {
    /// The target this connection reached (name and base URL).
    fn target(&self) -> TargetRef;
    /// Where the target's key comes from, for a curl command that names it (`None`: the
    /// sandbox, whose key has no source to name).
    fn key_source(&self) -> Option<crate::config::SecretSource>;
    fn submit(
        &self,
        connector: Connector,
        recreate: bool,
    ) -> BoxFuture<'_, Result<SubmitAnswer, RemoteError>>;
    fn list(&self, vendor: Vendor) -> BoxFuture<'_, Result<Vec<RemoteItem>, String>>;
    /// The target's connectors of a vendor, whole, as its list answers them.
    fn bodies(&self, vendor: Vendor) -> BoxFuture<'_, Result<Vec<serde_json::Value>, String>>;
    fn get(&self, vendor: Vendor, id: String) -> BoxFuture<'_, Result<Connector, String>>;
    fn delete(&self, vendor: Vendor, id: String) -> BoxFuture<'_, Result<(), String>>;
    /// Reads, connects or disconnects a connector's connection (Agent Stack), answering with
    /// its new state.
    fn link(
        &self,
        vendor: Vendor,
        id: String,
        action: LinkAction,
    ) -> BoxFuture<'_, Result<LinkState, RemoteError>>;
}

/// Runs effects in tokio tasks. Each request has a cancellation token, all children of one root
/// token cancelled when the editor exits.
pub struct Runner {
    tx: mpsc::UnboundedSender<Msg>,
    root: CancellationToken,
    tokens: HashMap<u64, CancellationToken>,
    connection: Arc<Mutex<Option<Connection>>>,
    journal: Option<journal::Worker>,
    preview: watch::Sender<Option<PreviewJob>>,
    /// `PATCHCORD_EXAMPLES`, a directory of examples; `None` for the ones built in.
    examples_dir: Option<PathBuf>,
    /// Counts connects, so only the newest one's connection is kept.
    connects: Arc<std::sync::atomic::AtomicU64>,
}

impl Runner {
    pub fn new(tx: mpsc::UnboundedSender<Msg>, examples_dir: Option<PathBuf>) -> Self {
        let root = CancellationToken::new();
        let journal = Some(journal::Worker::start(tx.clone()));
        let preview = preview_worker(&root, tx.clone());
        Runner {
            tx,
            root,
            tokens: HashMap::new(),
            connection: Arc::new(Mutex::new(None)),
            journal,
            preview,
            examples_dir,
            connects: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        }
    }

    /// Uses an already open connection (tests, or a caller that opened it itself).
    #[must_use]
    pub fn with_connection(self, connection: Connection) -> Self {
        if let Ok(mut slot) = self.connection.try_lock() {
            *slot = Some(connection);
        }
        self
    }

    /// Cancels everything in flight.
    pub fn shutdown(&self) {
        self.root.cancel();
    }

    /// Runs the last journal effects (the exit's record or discard, the lock's release) and
    /// waits until the journal is on disk. Later journal effects are dropped.
    pub async fn finish_journal(&mut self, last: Vec<Effect>) {
        if let Some(worker) = self.journal.take() {
            worker
                .finish(last.into_iter().filter_map(journal_op).collect())
                .await;
        }
    }

    fn journal(&self, op: journal::Op) {
        if let Some(worker) = &self.journal {
            worker.send(op);
        }
    }

    fn token(&mut self, request: u64) -> CancellationToken {
        let token = self.root.child_token();
        self.tokens.insert(request, token.clone());
        token
    }

    /// Starts an effect; its answer arrives later as a `Msg`.
    pub fn run(&mut self, effect: Effect) {
        let tx = self.tx.clone();
        match effect {
            effect @ (Effect::Connect { .. }
            | Effect::Submit { .. }
            | Effect::ListRemote(_)
            | Effect::OpenRemote { .. }
            | Effect::DeleteRemote { .. }
            | Effect::Link { .. }) => self.run_call(effect),
            effect @ (Effect::Save { .. }
            | Effect::Reload(_)
            | Effect::OpenFile { .. }
            | Effect::ListLocal
            | Effect::ReadSpec { .. }
            | Effect::DeleteFile(_)) => local::run(effect, tx, self.examples_dir.clone()),
            effect @ (Effect::Journal { .. }
            | Effect::DiscardJournal(_)
            | Effect::SetAsideJournal(_)
            | Effect::Claim { .. }
            | Effect::Release(_)) => {
                if let Some(op) = journal_op(effect) {
                    self.journal(op);
                }
            }
            Effect::Fire {
                request,
                fire,
                file,
            } => {
                let token = self.token(request);
                tokio::spawn(tries::fire(request, fire, file, token, tx));
            }
            Effect::LoadRows(path) => {
                tokio::spawn(rows_run::load(path, tx));
            }
            Effect::LoadRowsFile(path) => {
                tokio::spawn(rows_run::load_file(path, tx));
            }
            Effect::RunRows {
                request,
                jobs,
                pace,
                file,
                selects,
            } => {
                let token = self.token(request);
                let job = rows_run::Run {
                    request,
                    jobs,
                    pace,
                    file,
                    selects,
                };
                tokio::spawn(rows_run::run(job, token, tx));
            }
            Effect::ExportRows { path, lines } => {
                tokio::spawn(rows_run::export(path, rows_run::json_lines(&lines), tx));
            }
            Effect::ExportRowsCsv { path, records } => {
                tokio::spawn(rows_run::export(path, rows_run::csv(&records), tx));
            }
            Effect::ListTries(file) => {
                tokio::spawn(tries::list(file, tx));
            }
            Effect::OpenTry(id) => {
                tokio::spawn(tries::open(id, tx));
            }
            Effect::Cancel(request) => {
                if let Some(token) = self.tokens.remove(&request) {
                    token.cancel();
                }
            }
            Effect::SyncStates(paths) => sync::spawn(self.connection.clone(), tx, paths),
            Effect::Preview(job) => {
                self.preview.send_replace(Some(job));
            }
            // Run by the loop, which owns the terminal.
            Effect::CopyToClipboard(_) | Effect::EditExternally(_) | Effect::Suspend => {}
        }
    }
}

/// One renderer for the preview: while it renders, newer requests replace each other, so typing
/// fast costs one render in flight and one waiting, never a queue. Each render is bounded by
/// the core's fuel and output caps, so the newest request is answered promptly.
fn preview_worker(
    root: &CancellationToken,
    tx: mpsc::UnboundedSender<Msg>,
) -> watch::Sender<Option<PreviewJob>> {
    let (sender, mut rx) = watch::channel::<Option<PreviewJob>>(None);
    let stop = root.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                changed = rx.changed() => if changed.is_err() { break },
            }
            let job = rx.borrow_and_update().clone();
            let Some(job) = job else { continue };
            let rendered = tokio::task::spawn_blocking(move || (job.generation, job.run())).await;
            if let Ok((generation, done)) = rendered {
                let _ = tx.send(Msg::Previewed { generation, done });
            }
        }
    });
    sender
}

/// The journal worker's op for a journal effect.
fn journal_op(effect: Effect) -> Option<journal::Op> {
    Some(match effect {
        Effect::Journal { file, snapshot } => journal::Op::Write { file, snapshot },
        Effect::DiscardJournal(file) => journal::Op::Discard(file),
        Effect::SetAsideJournal(file) => journal::Op::SetAside(file),
        Effect::Claim { journal_file, path } => journal::Op::Claim {
            file: journal_file,
            path,
        },
        Effect::Release(file) => journal::Op::Release(file),
        _ => return None,
    })
}
