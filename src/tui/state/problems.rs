//! The problems list: every validation finding and server message, each with the place it is
//! about, so a message that does not fit beside its field (a table row shows only ✗) is one key
//! away, and Enter takes the cursor to it.

use super::{Focus, State, form_fields, panel_fields};
use crate::connector::{Enforcer, FieldPath, PathSeg, Severity};

/// How serious a listed problem is; the server's own messages come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    Server,
    Error,
    Warning,
}

/// One line of the problems list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The field's label, with the row when the problem is on one ("Headers, row 2").
    pub place: String,
    pub message: String,
    /// Who refuses it (none for the server's own messages).
    pub by: Option<Enforcer>,
    /// Where Enter takes the cursor.
    pub goto: Option<Goto>,
}

/// A place in the editor a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goto {
    Field(usize),
    Tab { tab: usize, row: Option<usize> },
}

/// The key of a map entry a path is about (`metadata.region`).
fn map_key(path: &FieldPath) -> Option<&str> {
    match path.0.get(1) {
        Some(PathSeg::Key(name)) => Some(name),
        _ => None,
    }
}

/// A key as a place name: quoted, cut with an ellipsis past 24 characters.
fn short(name: &str) -> String {
    let mut out: String = name.chars().take(24).collect();
    if name.chars().count() > 24 {
        out.push('…');
    }
    format!("\"{out}\"")
}

impl State {
    /// Every problem, server messages first, then errors, then warnings, each in field order.
    pub fn problems(&self) -> Vec<Problem> {
        let server = self.server_errors.iter().map(|(path, message)| Problem {
            kind: ProblemKind::Server,
            place: self.place(path),
            message: message.clone(),
            by: None,
            goto: self.goto(path),
        });
        let found = self.findings.iter().map(|f| Problem {
            kind: match f.severity {
                Severity::Error => ProblemKind::Error,
                Severity::Warning => ProblemKind::Warning,
            },
            place: self.place(&f.path),
            message: f.message.clone(),
            by: Some(f.by),
            goto: self.goto(&f.path),
        });
        let mut all: Vec<Problem> = server.chain(found).collect();
        // A stable sort keeps the validator's field order inside each kind.
        all.sort_by_key(|p| p.kind);
        all
    }

    fn place(&self, path: &FieldPath) -> String {
        let spec = self.doc.connector.vendor.spec();
        let Some(key) = path.field() else {
            return "the connector".to_owned();
        };
        let label = spec
            .fields
            .iter()
            .find(|f| f.key == key)
            .map_or(key, |f| f.label);
        match (path.index(), map_key(path)) {
            (Some(row), _) => format!("{label}, row {}", row + 1),
            (None, Some(name)) => format!("{label}, key {}", short(name)),
            (None, None) => label.to_owned(),
        }
    }

    fn goto(&self, path: &FieldPath) -> Option<Goto> {
        let key = path.field()?;
        let vendor = self.doc.connector.vendor;
        if let Some(index) = form_fields(vendor).iter().position(|f| f.key == key) {
            return Some(Goto::Field(index));
        }
        let tab = panel_fields(vendor).iter().position(|f| f.key == key)?;
        // A map's entries are rows in their order (Agent Stack's metadata).
        let row = path.index().or_else(|| {
            let name = map_key(path)?;
            let map = self.doc.connector.fields.get(key)?.as_object()?;
            map.keys().position(|k| k == name)
        });
        Some(Goto::Tab { tab, row })
    }

    /// Moves the cursor to a problem's place (the tab and its row, or the form field).
    pub fn go_to(&mut self, goto: Goto) -> Focus {
        match goto {
            Goto::Field(index) => Focus::Field(index),
            Goto::Tab { tab, row } => {
                self.tab = tab;
                if let (Some(row), Some(slot)) = (row, self.rows.get_mut(tab)) {
                    *slot = row;
                }
                Focus::Panel
            }
        }
    }
}
