//! The command palette (Ctrl-P): every action of the focused context and the global ones, with
//! their keys, read from the keymap (so a rebound key shows as rebound), fuzzy-filtered as the
//! query is typed.

use super::{Focus, LineInput, Overlay, State};
use crate::tui::fuzzy;
use crate::tui::keymap::{Action, Context, Key};

/// The palette's query and choice; `context` is where it was opened from, whose keys it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPalette {
    pub query: LineInput,
    pub selected: usize,
    pub context: Context,
}

/// One action the palette offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    /// The action's keys as help shows them (`Ctrl-S`, `a Ins`).
    pub keys: String,
    pub help: &'static str,
    pub context: Context,
    pub action: Action,
    /// The key that runs it: choosing the entry presses this key.
    pub key: Key,
}

impl State {
    /// Which keymap context the focus is in (the status bar's hints and the palette use it):
    /// a modal overlay or a cell being edited has it before the field or panel under it.
    pub fn key_context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help { .. } | Overlay::Problems { .. }) => return Context::Lists,
            // While a filter takes the letters, only the list keys apply.
            Some(Overlay::Browse(browse)) if browse.filter.is_some() => return Context::Lists,
            Some(Overlay::Browse(_)) => return Context::Browse,
            Some(
                Overlay::Review { .. }
                | Overlay::AdoptAsk { .. }
                | Overlay::ConfirmDelete { .. }
                | Overlay::SubmitError { .. },
            ) => return Context::Review,
            Some(Overlay::Response { .. } | Overlay::FireResult { .. }) => {
                return Context::Results;
            }
            Some(Overlay::Bulk { .. }) => return Context::Bulk,
            Some(
                Overlay::SaveAs { .. } | Overlay::ConnectAsk { .. } | Overlay::TrySelect { .. },
            ) => {
                return Context::Prompt;
            }
            Some(Overlay::Rows(_) | Overlay::RowsTable(_)) => return Context::Rows,
            Some(Overlay::ConfirmQuit | Overlay::ConfirmSwitch(_)) => return Context::Unsaved,
            _ if self.cell.is_some() => return Context::CellEdit,
            _ => {}
        }
        match self.focus {
            Focus::Field(_) | Focus::Target => Context::Form,
            Focus::Panel if self.on_editor_tab() => Context::Template,
            Focus::Panel | Focus::Samples => Context::Table,
        }
    }

    /// Whether an action applies to this connector as it is now, so hints and the palette
    /// offer only what would do something: try-it for vendors whose connectors describe a
    /// request (not Cargo's), connect for vendors with a connection (Agent Stack), disconnect
    /// only from a state the vendor allows it from, the link only when there is one, and no
    /// row edits on a table derived from the template.
    pub fn offers(&self, action: Action) -> bool {
        let spec = self.doc.connector.spec();
        let state = self.link.as_ref().and_then(|l| l.state.as_deref());
        match action {
            Action::TryIt | Action::TrySelect | Action::TryRows => spec.request.is_some(),
            Action::Connect => spec.link.is_some(),
            Action::Disconnect => spec.link.is_some_and(|l| l.can_disconnect(state)),
            Action::CopyLink => self
                .link
                .as_ref()
                .is_some_and(|l| l.authorization_endpoint.is_some()),
            action if action.edits_rows() => {
                !(self.key_context() == Context::Table && self.tab_is_derived())
            }
            _ => true,
        }
    }

    /// The palette's entries for its query, best match first.
    pub fn palette_entries(&self, palette: &CommandPalette) -> Vec<PaletteEntry> {
        // The focused context's own actions first, then the global ones.
        let own = self
            .keymap
            .bindings()
            .filter(|(b, _)| b.context == palette.context && b.context != Context::Global);
        let global = self
            .keymap
            .bindings()
            .filter(|(b, _)| b.context == Context::Global);
        let all: Vec<PaletteEntry> = own
            .chain(global)
            .filter(|(b, _)| self.offers(b.action))
            .filter(|(b, _)| b.action != Action::Palette)
            .filter_map(|(b, keys)| {
                Some(PaletteEntry {
                    keys: keys.iter().map(Key::label).collect::<Vec<_>>().join(" "),
                    help: b.help,
                    context: b.context,
                    action: b.action,
                    key: *keys.first()?,
                })
            })
            .collect();
        let texts: Vec<String> = all
            .iter()
            .map(|e| format!("{} {} {}", e.help, e.action.name(), e.keys))
            .collect();
        fuzzy::filter(&palette.query.text, texts.iter().map(String::as_str))
            .into_iter()
            .filter_map(|i| all.get(i).cloned())
            .collect()
    }
}
