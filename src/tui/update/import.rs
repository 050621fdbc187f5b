//! Pasting a curl command into the URL field (or into the browse screen's "import curl…"
//! prompt): the whole form is filled from it (the core's `connector::import_curl`), the status
//! bar notes what was ignored, and the form before it is kept so one key (`undo_import`) brings
//! it back. The OpenAPI import (`import_openapi.rs`) fills the form the same way.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{BeforeImport, State};
use crate::connector::{Connector, FieldKind, import_curl};
use crate::template::Samples;

/// The field an import fills first (the request's URL), for the undo step's name.
fn url_key(state: &State) -> &'static str {
    (state.doc.connector.spec().request).map_or("", |r| r.url)
}

/// Whether a paste into the focused field is a curl command to import.
pub(super) fn is_import(state: &State, text: &str) -> bool {
    state
        .focused_field()
        .is_some_and(|f| matches!(f.kind, FieldKind::Url { .. }))
        && import_curl::looks_like_curl(text)
}

/// Fills the form from a curl command, keeping the file, the remote ids and the samples.
pub(super) fn import(state: &mut State, text: &str) -> Vec<Effect> {
    match import_curl::import(text, state.doc.connector.vendor) {
        Ok(imported) => fill(
            state,
            imported.connector,
            &Samples::new(),
            "the curl command",
            &imported.notes,
        ),
        Err(error) => {
            state.toast = Some(format!("curl command not imported: {error}"));
            Vec::new()
        }
    }
}

/// Replaces the form with an imported connector, keeping the file, the remote ids and the
/// samples (the import's own samples added); the status bar names what was imported and its
/// notes, and the form before is kept for `undo_import`.
pub(super) fn fill(
    state: &mut State,
    mut connector: Connector,
    samples: &Samples,
    what: &str,
    notes: &[String],
) -> Vec<Effect> {
    // The import is one undoable step of its own.
    state.checkpoint();
    let before = BeforeImport {
        connector: state.doc.connector.clone(),
        samples: state.doc.samples.clone(),
        dirty: state.doc.dirty,
    };
    connector.ids.clone_from(&before.connector.ids);
    connector.legacy_id.clone_from(&before.connector.legacy_id);
    connector
        .extra_meta
        .clone_from(&before.connector.extra_meta);
    let mut kept = before.samples.clone();
    for (name, value) in samples {
        kept.insert(name.clone(), value.clone());
    }
    replace(state, connector, kept);
    let undo = state.keymap.keys_for(Context::Global, Action::UndoImport);
    let mut toast = format!("imported {what} ({undo} undoes)");
    for note in notes {
        toast.push_str("; ");
        toast.push_str(note);
    }
    state.toast = Some(toast);
    state.doc.before_import = Some(before);
    super::document::edited(state, url_key(state))
}

/// Brings back the form the last import replaced.
pub(super) fn undo(state: &mut State) -> Vec<Effect> {
    let Some(before) = state.doc.before_import.take() else {
        state.toast = Some("nothing to undo: nothing was imported".to_owned());
        return Vec::new();
    };
    replace(state, before.connector, before.samples);
    state.toast = Some("the form before the import is back".to_owned());
    let effects = super::document::edited(state, url_key(state));
    state.doc.dirty = before.dirty;
    effects
}

/// Swaps the document, keeping the file it is saved to and the session's keys.
fn replace(state: &mut State, connector: Connector, samples: Samples) {
    let keymap = state.keymap.clone();
    let file = state.doc.file.clone();
    // The same document, filled anew: its undo history goes on.
    let history = std::mem::take(&mut state.doc.history);
    state.replace_document(connector, samples, file);
    state.keymap = keymap;
    state.doc.history = history;
}
