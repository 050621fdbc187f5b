//! The keymap: every key the editor answers to, as one table of data.
//!
//! The help overlay and the status-bar hints are generated from this table, so they cannot
//! drift from what the keys do. The user's `[keys]` table (see `crate::config`) is applied as a
//! patch over this table ([`Keymap::with_overrides`]): an action's new keys replace its default
//! keys in every row of that action, and the merged map is what `lookup`, the hints and the help
//! overlay read. The README's key table shows the defaults. Owns no state and draws nothing.

mod bindings;
mod fixed;
mod names;

pub use bindings::BINDINGS;
pub use fixed::{FIXED, Fixed};
pub use names::alternatives;

use crate::config::{Config, ConfigError};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;
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
    /// The one-line prompts: save as, connect.
    Prompt,
    /// Unsaved changes, before a quit or a switch to another connector.
    Unsaved,
}

/// The contexts in help order.
pub const CONTEXTS: [Context; 12] = [
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
        };
        name.to_owned()
    }
}

/// One key combination. Character keys match whatever the Shift state (the character already
/// says it: `K` is Shift-k).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn plain(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::ALT,
    }
}

const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

impl Key {
    /// Whether a pressed key is this combination.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let wanted = self.mods & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let got = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                wanted == got && (a == b || (!wanted.is_empty() && a.eq_ignore_ascii_case(&b)))
            }
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) => a == b && self.mods == event.modifiers,
        }
    }

    /// Reads a key as written in the config: `ctrl-s`, `alt-1`, `f5`, `shift-tab`, `shift-up`,
    /// `esc`, `enter`, `space`, `a`, `?`, `K`. Modifiers and names are case-insensitive; a
    /// single character is taken as written (`K` is Shift-k). `ctrl--` is Ctrl and the minus key.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") && rest.len() > 5 {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= flag;
            rest = rest.get(len..).unwrap_or_default();
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err("no key after the modifiers".to_owned()),
            (Some(c), None) => {
                if c.is_control() {
                    return Err(format!("{c:?} is not a key name"));
                }
                KeyCode::Char(c)
            }
            _ => named_key(&rest.to_ascii_lowercase())
                .ok_or_else(|| format!("unknown key name {rest:?}"))?,
        };
        Ok(normalize(code, mods))
    }

    /// How the key is written in help and hints: `Ctrl-S`, `Alt-1`, `F1`, `Shift-↑`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        let code = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        out.push_str(&code);
        out
    }
}

/// Key names other than single characters.
fn named_key(name: &str) -> Option<KeyCode> {
    let code = match name {
        "esc" | "escape" => KeyCode::Esc,
        "enter" | "return" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "ins" | "insert" => KeyCode::Insert,
        "del" | "delete" => KeyCode::Delete,
        "backspace" => KeyCode::Backspace,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "minus" => KeyCode::Char('-'),
        _ => {
            let n: u8 = name.strip_prefix('f')?.parse().ok()?;
            return (1..=24).contains(&n).then_some(KeyCode::F(n));
        }
    };
    Some(code)
}

/// One spelling per key, as [`Key::matches`] sees keys: Shift on a character is in the
/// character (`shift-a` is `A`), Ctrl and Alt letters are lower case, Shift-Tab is `BackTab`.
fn normalize(code: KeyCode, mods: KeyModifiers) -> Key {
    let shifted = mods.contains(KeyModifiers::SHIFT);
    let rest = mods - KeyModifiers::SHIFT;
    match code {
        KeyCode::Char(c) if !rest.is_empty() => Key {
            code: KeyCode::Char(c.to_ascii_lowercase()),
            mods: rest,
        },
        KeyCode::Char(c) if shifted => Key {
            code: KeyCode::Char(c.to_ascii_uppercase()),
            mods: rest,
        },
        KeyCode::Tab if shifted => Key {
            code: KeyCode::BackTab,
            mods: rest,
        },
        KeyCode::BackTab => Key { code, mods: rest },
        _ => Key { code, mods },
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

use Context::{Form, Global, Review, Table, Template};

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
    /// The keys of `BINDINGS[i]`, by row.
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            keys: BINDINGS.iter().map(|b| b.keys.to_vec()).collect(),
        }
    }
}

/// The names the `[keys]` table accepts, in table order: every action that has keys.
pub fn action_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for b in BINDINGS.iter().filter(|b| !b.keys.is_empty()) {
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
            let rows: Vec<usize> = BINDINGS
                .iter()
                .enumerate()
                .filter(|(_, b)| !b.keys.is_empty() && b.action.name() == action)
                .map(|(i, _)| i)
                .collect();
            if rows.is_empty() {
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
            let mut keys = Vec::new();
            for value in values {
                let key = Key::parse(value).map_err(|message| KeymapError::BadKey {
                    action: action.to_owned(),
                    value: value.clone(),
                    message,
                })?;
                let global = rows.iter().any(|&i| BINDINGS[i].context == Global);
                if global && key.mods.is_empty() && matches!(key.code, KeyCode::Char(_)) {
                    return Err(KeymapError::PlainGlobal {
                        action: action.to_owned(),
                        value: value.clone(),
                    });
                }
                keys.push(key);
            }
            for &i in &rows {
                map.keys[i].clone_from(&keys);
            }
        }
        map.check_conflicts()?;
        Ok(map)
    }

    /// Every binding with the keys it has now (rebound keys included), in table order.
    pub fn bindings(&self) -> impl Iterator<Item = (&'static Binding, &[Key])> {
        BINDINGS.iter().zip(self.keys.iter().map(Vec::as_slice))
    }

    /// One key, two different actions, both live in the same context.
    fn check_conflicts(&self) -> Result<(), KeymapError> {
        for context in [Form, Table, Template, Review, Global] {
            let live: Vec<_> = self
                .bindings()
                .filter(|(b, _)| b.context == context || b.context == Global)
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

    /// The action a key press means in a context (its own bindings first, then the global ones).
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let find = |wanted: Context| {
            self.bindings()
                .filter(|(b, _)| b.context == wanted)
                .find(|(_, keys)| keys.iter().any(|k| k.matches(event)))
                .map(|(b, _)| b.action)
        };
        if context == Global {
            find(Global)
        } else {
            find(context).or_else(|| find(Global))
        }
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
            .filter_map(|(b, keys)| {
                let word = b.hint?;
                let key = keys.first()?.label();
                Some((key, word))
            });
        let fixed = fixed_rows(context).filter_map(|f| {
            let key = f.keys.split(' ').next()?.to_owned();
            Some((key, f.hint?))
        });
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

    /// The help overlay's text: one `(section, [(keys, help)])` per context, in table order.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        CONTEXTS
            .into_iter()
            .map(|context| {
                let bound =
                    self.bindings()
                        .filter(|(b, _)| b.context == context)
                        .map(|(b, keys)| {
                            let keys = if b.keys.is_empty() {
                                "keys".to_owned()
                            } else {
                                keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
                            };
                            (keys, b.help)
                        });
                let fixed = fixed_rows(context).map(|f| (f.keys.to_owned(), f.help));
                (context.title(), bound.chain(fixed).collect())
            })
            .collect()
    }

    /// The help sections with only the rows `query` matches (fuzzy, on keys and text), in
    /// their order; sections left empty go. An empty query keeps everything.
    pub fn help_matching(&self, query: &str) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        self.help_sections()
            .into_iter()
            .filter_map(|(title, rows)| {
                let texts: Vec<String> = rows.iter().map(|(k, h)| format!("{k} {h}")).collect();
                let mut keep = super::fuzzy::filter(query, texts.iter().map(String::as_str));
                keep.sort_unstable();
                let rows: Vec<_> = keep
                    .into_iter()
                    .filter_map(|i| rows.get(i).cloned())
                    .collect();
                (!rows.is_empty()).then_some((title, rows))
            })
            .collect()
    }
}

/// The fixed rows of a context, in table order.
fn fixed_rows(context: Context) -> impl Iterator<Item = &'static Fixed> {
    FIXED.iter().filter(move |f| f.context == context)
}

/// The `[keys]` action names as a Markdown list, for the README.
pub fn action_names_markdown() -> String {
    let names: Vec<String> = action_names().iter().map(|n| format!("`{n}`")).collect();
    format!("Actions: {}.", names.join(", "))
}

/// The keymap as a Markdown table, for the README.
pub fn markdown() -> String {
    let mut out = String::from("| where | keys | what |\n| --- | --- | --- |\n");
    for (section, rows) in Keymap::default().help_sections() {
        for (keys, help) in rows {
            let _ = writeln!(out, "| {section} | {keys} | {help} |");
        }
    }
    out
}

#[cfg(test)]
mod tests;
