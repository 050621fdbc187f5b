//! The keymap: every key the editor answers to, as one table of data.
//!
//! The help overlay and the status-bar hints are generated from this table, so they cannot
//! drift from what the keys do. The user's `[keys]` table (see `crate::config`) is applied as a
//! patch over this table ([`Keymap::with_overrides`]): an action's new keys replace its default
//! keys in every row of that action, and the merged map is what `lookup`, the hints and the help
//! overlay read. The README's key table shows the defaults. Owns no state and draws nothing.

mod bindings;
mod fixed;
mod help;
mod key;
mod names;
mod overlays;

pub use bindings::BINDINGS;
pub use fixed::{FIXED, Fixed};
pub use help::{action_names_markdown, markdown};
pub use key::Key;
use key::{alt, ch, ctrl, plain, shift};
pub use names::alternatives;
pub use overlays::OVERLAYS;

use crate::config::{Config, ConfigError};
use crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;

/// Where a binding applies. `Global` bindings work everywhere except inside a modal overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    /// A form field (text, number or picker) has the focus.
    Form,
    /// A name-value table (headers, params, body, template variables) has the focus.
    Table,
    /// The template editor has the focus (other keys type text).
    Template,
    /// The submit review and the questions asked around a submit or a delete.
    Review,
    /// A table cell being edited in place.
    CellEdit,
    /// The lists: browse, help and problems.
    Lists,
    /// The browse overlay (Ctrl-O).
    Browse,
    /// What try-it and a submit got back.
    Results,
    /// The bulk editor of a table.
    Bulk,
    /// The rows table and the live table of a rows run.
    Rows,
    /// The one-line prompts: save as, connect.
    Prompt,
    /// Unsaved changes, before a quit or a switch to another connector.
    Unsaved,
}

/// The contexts in help order.
pub const CONTEXTS: [Context; 13] = [
    Context::Global,
    Context::Form,
    Context::Table,
    Context::Template,
    Context::Review,
    Context::CellEdit,
    Context::Bulk,
    Context::Lists,
    Context::Browse,
    Context::Results,
    Context::Rows,
    Context::Prompt,
    Context::Unsaved,
];

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Form => "Form fields",
            Context::Table => "Tables (headers, params, body, variables)",
            Context::Template => "Template and JSON editors",
            Context::Review => "Review and questions",
            Context::CellEdit => "Editing a table cell",
            Context::Lists => "Lists (browse, help, problems)",
            Context::Browse => "Browse (Ctrl-O)",
            Context::Results => "Try-it results and the submit's answer",
            Context::Rows => "Try over rows (the rows table, a run's live table)",
            Context::Bulk => "Bulk edit",
            Context::Prompt => "Prompts (save as, connect)",
            Context::Unsaved => "Unsaved changes (quit, switch)",
        }
    }

    /// Whether the context is modal: only its own keys apply, not the global ones.
    pub fn is_modal(self) -> bool {
        !matches!(
            self,
            Context::Global | Context::Form | Context::Table | Context::Template
        )
    }

    /// The context whose keys also apply here, after the context's own: the global ones on
    /// the main screen, the list keys in browse.
    fn fallback(self) -> Option<Context> {
        match self {
            Context::Form | Context::Table | Context::Template => Some(Context::Global),
            Context::Browse => Some(Context::Lists),
            _ => None,
        }
    }

    /// Whether plain characters type text here, so an action cannot be one.
    fn types_text(self) -> bool {
        matches!(
            self,
            Context::Global | Context::Prompt | Context::CellEdit | Context::Bulk
        )
    }
}

/// What a key asks for. `update` decides what it means in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Suspend,
    Help,
    Problems,
    Palette,
    Save,
    Review,
    TryIt,
    TrySelect,
    TryRows,
    CopyCurl,
    Connect,
    Disconnect,
    CopyLink,
    Browse,
    ExternalEditor,
    NextFocus,
    PrevFocus,
    SelectTab(usize),
    PrevTab,
    NextTab,
    Back,
    Up,
    Down,
    PickPrev,
    PickNext,
    Edit,
    Add,
    Delete,
    Duplicate,
    MoveUp,
    MoveDown,
    BulkEdit,
    Reveal,
    Confirm,
    AdoptId,
    CreateNew,
    CreateAgain,
    UndoImport,
    Undo,
    Redo,
    Revert,
    First,
    Last,
    PageUp,
    PageDown,
    Filter,
    New,
    Refresh,
    Discard,
}

impl Action {
    /// Whether the action changes a table's rows (refused on a read-only table).
    pub fn edits_rows(self) -> bool {
        matches!(
            self,
            Action::Edit
                | Action::Add
                | Action::Delete
                | Action::Duplicate
                | Action::MoveUp
                | Action::MoveDown
                | Action::BulkEdit
        )
    }

    /// The action's name in the config's `[keys]` table. `Review` is `submit`, the word its
    /// hint shows (review is the step before the submit the user asked for).
    pub fn name(self) -> String {
        let name = match self {
            Action::Quit => "quit",
            Action::Suspend => "suspend",
            Action::Help => "help",
            Action::Problems => "problems",
            Action::Palette => "palette",
            Action::Save => "save",
            Action::Review => "submit",
            Action::TryIt => "try_it",
            Action::TrySelect => "try_select",
            Action::TryRows => "try_rows",
            Action::CopyCurl => "copy_curl",
            Action::Connect => "connect",
            Action::Disconnect => "disconnect",
            Action::CopyLink => "copy_link",
            Action::Browse => "browse",
            Action::ExternalEditor => "external_editor",
            Action::NextFocus => "next_focus",
            Action::PrevFocus => "prev_focus",
            Action::SelectTab(n) => return format!("select_tab_{}", n + 1),
            Action::PrevTab => "prev_tab",
            Action::NextTab => "next_tab",
            Action::Back => "back",
            Action::Up => "up",
            Action::Down => "down",
            Action::PickPrev => "pick_prev",
            Action::PickNext => "pick_next",
            Action::Edit => "edit",
            Action::Add => "add",
            Action::Delete => "delete",
            Action::Duplicate => "duplicate",
            Action::MoveUp => "move_up",
            Action::MoveDown => "move_down",
            Action::BulkEdit => "bulk_edit",
            Action::Reveal => "reveal",
            Action::Confirm => "confirm",
            Action::AdoptId => "adopt_id",
            Action::CreateNew => "create_new",
            Action::CreateAgain => "create_again",
            Action::UndoImport => "undo_import",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::Revert => "revert",
            Action::First => "first",
            Action::Last => "last",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Filter => "filter",
            Action::New => "new",
            Action::Refresh => "refresh",
            Action::Discard => "discard",
        };
        name.to_owned()
    }
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the help overlay says.
    pub help: &'static str,
    /// The short word for the status bar, when the binding deserves a hint there.
    pub hint: Option<&'static str>,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
        hint,
    }
}

use Context::{Form, Global, Table, Template};

/// Why the `[keys]` table cannot be applied. Each names the config key and its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("keys.{action}: unknown action; known: {known}")]
    UnknownAction { action: String, known: String },
    #[error("keys.{action} = {value:?}: {message}")]
    BadKey {
        action: String,
        value: String,
        message: String,
    },
    #[error("keys.{action}: give at least one key")]
    NoKeys { action: String },
    /// Plain characters type text in form fields and editors, so a global action needs Ctrl,
    /// Alt or a non-character key.
    #[error(
        "keys.{action} = {value:?}: a plain character cannot start a global action (it types text); use ctrl-, alt- or a named key"
    )]
    PlainGlobal { action: String, value: String },
    /// The same in a prompt, a cell or the bulk editor, where characters are the text typed.
    #[error(
        "keys.{action} = {value:?}: a plain character types text in {context}; use ctrl-, alt- or a named key"
    )]
    PlainInText {
        action: String,
        value: String,
        context: String,
    },
    #[error("keys: {key} is bound to both {first} and {second} ({context})")]
    Conflict {
        key: String,
        first: String,
        second: String,
        context: String,
    },
}

/// The effective keymap: the table's rows with the user's keys patched in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// The keys of the `i`th row of [`rows`], by row.
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            keys: rows().map(|b| b.keys.to_vec()).collect(),
        }
    }
}

/// Every row of the keymap: the main screen's, then the overlays'.
fn rows() -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().chain(OVERLAYS)
}

/// The names the `[keys]` table accepts, in table order: every action that has keys.
pub fn action_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for b in rows().filter(|b| !b.keys.is_empty()) {
        let name = b.action.name();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

impl Keymap {
    /// The keymap a config's `[keys]` asks for; a bad table is the config's error, naming
    /// its file. The editor uses it, and the CLI checks with it that the config is one the
    /// editor can run with.
    pub fn from_config(config: &Config) -> Result<Keymap, ConfigError> {
        Keymap::with_overrides(config.keys.iter().map(|(a, k)| (a.as_str(), k.as_slice()))).map_err(
            |error| ConfigError::Keys {
                path: config
                    .path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("(config)")),
                message: error.to_string(),
            },
        )
    }

    /// The defaults with the user's `(action name, key strings)` pairs applied: the keys
    /// given replace the action's keys in every row of that action. Refuses unknown names,
    /// unparsable keys, plain characters on global actions, and one key meaning two actions
    /// where both apply (a context's own rows plus the global ones).
    pub fn with_overrides<'a, I>(overrides: I) -> Result<Keymap, KeymapError>
    where
        I: IntoIterator<Item = (&'a str, &'a [String])>,
    {
        let mut map = Keymap::default();
        for (action, values) in overrides {
            let of_action: Vec<(usize, &Binding)> = rows()
                .enumerate()
                .filter(|(_, b)| !b.keys.is_empty() && b.action.name() == action)
                .collect();
            if of_action.is_empty() {
                return Err(KeymapError::UnknownAction {
                    action: action.to_owned(),
                    known: action_names().join(", "),
                });
            }
            if values.is_empty() {
                return Err(KeymapError::NoKeys {
                    action: action.to_owned(),
                });
            }
            // Where plain characters type text (a form field, a prompt), none can be the action.
            let typing = (of_action.iter())
                .map(|(_, b)| b.context)
                .find(|c| c.types_text());
            let mut keys = Vec::new();
            for value in values {
                let key = Key::parse(value).map_err(|message| KeymapError::BadKey {
                    action: action.to_owned(),
                    value: value.clone(),
                    message,
                })?;
                let plain = key.mods.is_empty() && matches!(key.code, KeyCode::Char(_));
                match typing {
                    Some(Global) if plain => {
                        return Err(KeymapError::PlainGlobal {
                            action: action.to_owned(),
                            value: value.clone(),
                        });
                    }
                    Some(context) if plain => {
                        return Err(KeymapError::PlainInText {
                            action: action.to_owned(),
                            value: value.clone(),
                            context: context.title().to_owned(),
                        });
                    }
                    _ => {}
                }
                keys.push(key);
            }
            for (i, _) in &of_action {
                map.keys[*i].clone_from(&keys);
            }
        }
        map.check_conflicts()?;
        Ok(map)
    }

    /// Every binding with the keys it has now (rebound keys included), in table order.
    pub fn bindings(&self) -> impl Iterator<Item = (&'static Binding, &[Key])> {
        rows().zip(self.keys.iter().map(Vec::as_slice))
    }

    /// One key, two different actions, both live in the same context (its own rows and its
    /// fallback's). The main screen's contexts first: their clashes are the likely ones.
    fn check_conflicts(&self) -> Result<(), KeymapError> {
        let main = [Form, Table, Template];
        let rest = CONTEXTS.into_iter().filter(|c| !main.contains(c));
        for context in main.into_iter().chain(rest) {
            let live: Vec<_> = self
                .bindings()
                .filter(|(b, _)| b.context == context || Some(b.context) == context.fallback())
                .flat_map(|(b, keys)| keys.iter().map(move |k| (b.action, *k)))
                .collect();
            for (n, (first, a)) in live.iter().enumerate() {
                let event = KeyEvent::new(a.code, a.mods);
                if let Some((second, _)) = live[n + 1..]
                    .iter()
                    .find(|(second, b)| second != first && b.matches(&event))
                {
                    return Err(KeymapError::Conflict {
                        key: a.label(),
                        first: first.name(),
                        second: second.name(),
                        context: context.title().to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The action a key press means in a context (its own bindings first, then its
    /// fallback's: the global ones on the main screen, the list keys in browse).
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let find = |wanted: Context| {
            self.bindings()
                .filter(|(b, _)| b.context == wanted)
                .find(|(_, keys)| keys.iter().any(|k| k.matches(event)))
                .map(|(b, _)| b.action)
        };
        find(context).or_else(|| find(context.fallback()?))
    }

    /// The action a key press means where text is being typed (a prompt, a filter, the name
    /// a LIVE target asks for): none for a key that types a character.
    pub fn command(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        if Key::types_text(event) {
            return None;
        }
        self.lookup(context, event)
    }

    /// The keys bound to an action in a context, written for people (`Ctrl-S`).
    pub fn keys_for(&self, context: Context, action: Action) -> String {
        self.bindings()
            .filter(|(b, _)| b.context == context && b.action == action)
            .flat_map(|(_, keys)| keys.iter().map(Key::label))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Status-bar hints for a context: `(keys, word)` pairs, the context's own first, for the
    /// actions `offered` says apply.
    pub fn hints(
        &self,
        context: Context,
        offered: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let own = self
            .bindings()
            .filter(|(b, _)| b.context == context && context != Global);
        let global = self
            .bindings()
            .filter(|(b, _)| b.context == Global && !context.is_modal());
        let bound = own
            .chain(global)
            .filter(|(b, _)| offered(b.action))
            .filter_map(|(b, keys)| Some((b.context, keys.first()?.label(), b.hint?)));
        // Adjacent rows of a context with one word are one hint: `↑` and `↓` are `↑↓ move`.
        let mut hints: Vec<(Context, String, &'static str)> = Vec::new();
        for (context, key, word) in bound {
            match hints.last_mut() {
                Some((c, keys, w)) if *c == context && *w == word => keys.push_str(&key),
                _ => hints.push((context, key, word)),
            }
        }
        let fixed = fixed_rows(context).filter_map(|f| {
            let key = f.keys.split(' ').next()?.to_owned();
            Some((key, f.hint?))
        });
        let bound = hints.into_iter().map(|(_, key, word)| (key, word));
        bound.chain(fixed).collect()
    }

    /// A modal overlay's footer: its hinted keys, `Enter open · n new`.
    pub fn footer(&self, context: Context) -> String {
        self.hints(context, |_| true)
            .into_iter()
            .map(|(key, word)| format!("{key} {word}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The fixed rows of a context, in table order.
fn fixed_rows(context: Context) -> impl Iterator<Item = &'static Fixed> {
    FIXED.iter().filter(move |f| f.context == context)
}

#[cfg(test)]
mod tests;
