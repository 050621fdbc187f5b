//! `Overlay`: the modal layers over the editor (help, review, progress, answers, browse, the
//! prompts and lists), each with the state it needs while it is open.

use super::{
    Browse, CodeEditor, CommandPalette, LineInput, OperationPick, RowsRun, RowsTable, Switch,
};
use crate::api::fire::{FireRequest, FireResponse};
use crate::connector::{FieldChange, TargetRef};
use crate::files::journal;
use crate::tui::items::RemoteError;
use serde_json::Value;
use std::path::PathBuf;

/// A modal layer over the editor; Esc closes it.
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: u16,
        /// The fuzzy filter typed after `/`; `None` when not filtering.
        filter: Option<LineInput>,
    },
    /// Every validation finding and server message; Enter goes to the selected one's field.
    Problems {
        selected: usize,
    },
    /// The command palette (Ctrl-P).
    Palette(CommandPalette),
    /// Exactly what a submit will send, and where; Enter confirms (on a LIVE target only once
    /// the target's name is typed).
    Review {
        method: &'static str,
        path: String,
        body: Value,
        blocked: Vec<String>,
        /// Set when the vendor cannot update: what confirming will do instead.
        recreate: Option<String>,
        scroll: u16,
        /// Where it goes (the submit is refused if the connection is elsewhere by then).
        target: TargetRef,
        /// On a LIVE target: the target's name as typed so far.
        typed: Option<LineInput>,
    },
    /// The connector has an id recorded without a target (an older file): is it this
    /// target's? Yes binds it, no creates a new connector here; either then reviews.
    AdoptAsk {
        id: String,
        target: TargetRef,
    },
    /// A submit in flight; Esc cancels.
    Sending {
        request: u64,
        target: TargetRef,
    },
    /// What the server stored, with every changed field.
    Response {
        created: bool,
        stored: Value,
        changes: Vec<FieldChange>,
        scroll: u16,
    },
    /// A submit the server refused. `gone` is set when an update answered 404 (the
    /// connector was deleted on the target): the target and the id that no longer exists,
    /// offered to be created again.
    SubmitError {
        error: RemoteError,
        gone: Option<(TargetRef, String)>,
    },
    /// "Try it" in flight; Esc cancels.
    Firing {
        request: u64,
        fire: Box<FireRequest>,
    },
    /// What "try it" got back; `y` copies the fired request as curl, `h` lists past tries.
    FireResult {
        fire: Box<FireRequest>,
        response: Result<FireResponse, String>,
        scroll: u16,
    },
    /// A run over the rows file beside the connector: a live table; Enter shows a row's
    /// response, Esc cancels (then closes), `e` exports the results.
    Rows(Box<RowsRun>),
    /// The `--select` prompt: `JSONPath` expressions (`;` between several) that the try-it
    /// view marks and the rows runs show; `back` is the view it was opened over.
    TrySelect {
        input: LineInput,
        error: Option<String>,
        back: Option<Box<Overlay>>,
    },
    /// Rows typed into a table (a column per slot), to run the connector over.
    RowsTable(Box<RowsTable>),
    /// The connector's past tries from the history (`None` while they load); Enter opens
    /// one in the try-it view.
    Tries {
        runs: Option<Result<Vec<crate::history::Run>, String>>,
        selected: usize,
    },
    Browse(Browse),
    /// Delete the selected browse entry? (y/n; a remote connector on a LIVE target needs the
    /// target's name typed, then Enter.)
    ConfirmDelete {
        browse: Browse,
        label: String,
        typed: Option<LineInput>,
    },
    /// Unsaved changes: save, discard or stay.
    ConfirmQuit,
    /// Unsaved changes, and another connector asked for: save first, discard them, or stay.
    ConfirmSwitch(Switch),
    /// Unsaved edits left by sessions that are gone (a crash, a kill, a quit that kept them):
    /// take one back, discard it, or decide later. One list, however many there are.
    Recover {
        entries: Vec<journal::Entry>,
        selected: usize,
    },
    /// A save found the file changed on disk since it was opened or saved (or, saving as, a
    /// file already there): overwrite, reload, or save as?
    ChangedOnDisk {
        path: PathBuf,
    },
    /// Bulk edit of a table as `name: value` lines.
    Bulk {
        key: &'static str,
        area: Box<CodeEditor>,
    },
    /// A message that needs reading (an error opening a file, ...).
    Message {
        title: String,
        text: String,
    },
    /// Where to save a connector that has no file yet.
    SaveAs {
        input: LineInput,
    },
    /// Connect: an optional redirect URL, then Enter.
    ConnectAsk {
        input: LineInput,
    },
    /// Import a curl command into the form: paste it (or type it, then Enter).
    ImportCurl {
        input: LineInput,
    },
    /// Import from an OpenAPI document: its path (and maybe a base URL), then Enter reads it
    /// (`loading` until it is read; `filter` is put in the operation list when it opens).
    SpecPath {
        input: LineInput,
        loading: bool,
        error: Option<String>,
        filter: String,
    },
    /// The document's operations: type to filter, Enter imports one.
    Operations(Box<OperationPick>),
    /// A connect or disconnect in flight; Esc cancels.
    Linking {
        request: u64,
        /// "connecting" or "disconnecting".
        verb: &'static str,
    },
}

impl Overlay {
    /// The view under the `--select` prompt when this is the prompt (a rows run there goes on
    /// filling in, a rows file read for the table still lands), else this.
    pub fn beneath_prompt(&mut self) -> &mut Overlay {
        match self {
            Overlay::TrySelect {
                back: Some(back), ..
            } => back,
            other => other,
        }
    }
}
