//! Undo and redo of the document (the connector and its samples), for every kind of edit: a
//! form field, a table cell, a row added, deleted, duplicated or moved, a bulk edit, a picker, a
//! curl import, the template or config text as a whole. Typing in one place is one step (a run
//! ends when the focus, the tab or the edited cell changes, or a row operation starts one of
//! its own); "revert to saved" is a step too, so it can be undone.
//!
//! A step keeps the whole document as it was; the pre-edit copy is taken only when a run may
//! begin (not on every keystroke), and the history is capped in steps and in bytes.

use super::{Column, Focus, State};
use crate::connector::Connector;
use crate::template::Samples;

/// At most this many steps are kept (the oldest go first).
const MAX_STEPS: usize = 200;
/// And at most about this many bytes of templates across the steps.
const MAX_BYTES: usize = 32 << 20;

/// The document as it was before a step.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    connector: Connector,
    samples: Samples,
    /// What the step changed, for the status bar ("URL", "Headers").
    what: String,
}

impl Snapshot {
    fn bytes(&self) -> usize {
        self.connector.template().map_or(0, str::len) + 1024
    }
}

/// Where an edit happens: typing stays one step while this stays the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    focus: Focus,
    tab: usize,
    cell: Option<(usize, Column)>,
    /// Keys in an overlay (the bulk editor) make a run of their own.
    overlay: bool,
}

/// The undo and redo stacks and the run being typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The document before the current run, until its first edit records it.
    before: Option<(Connector, Samples)>,
    /// Where the current run is typed; `None` until an edit starts one.
    run: Option<Place>,
    /// Where the last input landed.
    place: Option<Place>,
    /// The document as last loaded or saved, for "revert to saved".
    saved: Option<(Connector, Samples)>,
}

impl State {
    fn input_place(&self) -> Place {
        Place {
            focus: self.focus,
            tab: self.tab,
            cell: self.cell.as_ref().map(|c| (c.row, c.column)),
            overlay: self.overlay.is_some(),
        }
    }

    /// Ends the current run: the next edit is a step of its own.
    pub fn checkpoint(&mut self) {
        self.doc.history.run = None;
        self.doc.history.before = Some((self.doc.connector.clone(), self.doc.samples.clone()));
    }

    /// Before each key, paste or click: input somewhere else starts a new run.
    pub fn begin_input(&mut self) {
        let place = self.input_place();
        if self.doc.history.place != Some(place)
            || self.doc.history.before.is_none() && self.doc.history.run.is_none()
        {
            self.checkpoint();
            self.doc.history.place = Some(place);
        }
    }

    /// After an edit: the first one of a run records the document it started from.
    pub fn record_edit(&mut self, key: &str) {
        if self.doc.history.run.is_some() {
            return;
        }
        if let Some((connector, samples)) = self.doc.history.before.take()
            && (connector != self.doc.connector || samples != self.doc.samples)
        {
            let what = self.step_name(key);
            self.doc.history.undo.push(Snapshot {
                connector,
                samples,
                what,
            });
            self.doc.history.redo.clear();
            self.trim_history();
        }
        self.doc.history.run = Some(self.input_place());
    }

    fn step_name(&self, key: &str) -> String {
        self.doc
            .connector
            .spec()
            .fields
            .iter()
            .find(|f| f.key == key)
            .map_or_else(|| "the sample values".to_owned(), |f| f.label.to_owned())
    }

    fn trim_history(&mut self) {
        let history = &mut self.doc.history;
        while history.undo.len() > MAX_STEPS
            || history.undo.len() > 1
                && history.undo.iter().map(Snapshot::bytes).sum::<usize>() > MAX_BYTES
        {
            history.undo.remove(0);
        }
    }

    /// How many steps undo and redo can take now.
    pub fn history_depth(&self) -> (usize, usize) {
        (self.doc.history.undo.len(), self.doc.history.redo.len())
    }

    /// Takes the last step back; says what it undid.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.doc.history.undo.pop()?;
        let what = step.what.clone();
        let now = self.swap_document(step);
        self.doc.history.redo.push(now);
        Some(what)
    }

    /// Takes the last undone step again; says what it redid.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.doc.history.redo.pop()?;
        let what = step.what.clone();
        let now = self.swap_document(step);
        self.doc.history.undo.push(now);
        Some(what)
    }

    /// Whether the document differs from what was last loaded or saved (a new document
    /// always does, until it is saved).
    pub fn differs_from_saved(&self) -> bool {
        self.doc
            .history
            .saved
            .as_ref()
            .is_none_or(|(c, s)| *c != self.doc.connector || *s != self.doc.samples)
    }

    /// The template and JSON editors show the connector's text again.
    fn reload_editors(&mut self) {
        self.reload_template();
        self.reload_json();
    }

    /// Remembers the document as it is on disk now (after a load or a save).
    pub fn mark_saved(&mut self) {
        self.doc.history.saved = Some((self.doc.connector.clone(), self.doc.samples.clone()));
    }

    /// Puts back the document as last loaded or saved, as one undoable step. `None` when it
    /// is that already (or there is nothing saved to go back to).
    pub fn revert_to_saved(&mut self) -> Option<()> {
        let (connector, samples) = self.doc.history.saved.clone()?;
        if connector == self.doc.connector && samples == self.doc.samples {
            return None;
        }
        let now = self.swap_document(Snapshot {
            connector,
            samples,
            what: "revert to saved".to_owned(),
        });
        self.doc.history.undo.push(now);
        self.doc.history.redo.clear();
        self.trim_history();
        Some(())
    }

    /// Puts `step`'s document in place and returns the one it replaced (labelled like `step`).
    fn swap_document(&mut self, step: Snapshot) -> Snapshot {
        let now = Snapshot {
            connector: std::mem::replace(&mut self.doc.connector, step.connector),
            samples: std::mem::replace(&mut self.doc.samples, step.samples),
            what: step.what,
        };
        self.cell = None;
        self.reload_editors();
        self.load_form_input();
        self.refresh();
        self.checkpoint();
        now
    }
}
