//! The keymap: every key the editor answers to, as one table of data.
//!
//! The help overlay and the status-bar hints are generated from this table, so they cannot
//! drift from what the keys do. Owns no state and draws nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;

/// Where a binding applies. `Global` bindings work everywhere except inside a modal overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    /// A form field (text, number or picker) has the focus.
    Form,
    /// A name-value table (headers, params, body, template variables) has the focus.
    Table,
    /// The template editor has the focus (other keys type text).
    Template,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Form => "Form fields",
            Context::Table => "Tables (headers, params, body, variables)",
            Context::Template => "Template and JSON editors",
        }
    }
}

/// What a key asks for. `update` decides what it means in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
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
}

/// One key combination. Character keys match whatever the Shift state (the character already
/// says it: `K` is Shift-k).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The default keymap. Order is the order of the help overlay and of the hints.
pub static BINDINGS: &[Binding] = &[
    bind(
        Global,
        &[ctrl('s')],
        Action::Save,
        "save the connector file (atomic)",
        Some("save"),
    ),
    bind(
        Global,
        &[ctrl('r')],
        Action::Review,
        "review what will be sent, then submit",
        Some("submit"),
    ),
    bind(
        Global,
        &[ctrl('t')],
        Action::TryIt,
        "try it: fire the connector's own request once",
        Some("try"),
    ),
    bind(
        Global,
        &[ctrl('o')],
        Action::Browse,
        "browse remote connectors, local files and examples",
        Some("open"),
    ),
    bind(
        Global,
        &[ctrl('y')],
        Action::CopyCurl,
        "copy the submit call as curl (OSC 52; in try-it results y copies the request)",
        None,
    ),
    bind(
        Global,
        &[ctrl('k')],
        Action::Connect,
        "Agent Stack: connect to the MCP server (asks for an optional redirect URL)",
        None,
    ),
    bind(
        Global,
        &[ctrl('d')],
        Action::Disconnect,
        "Agent Stack: disconnect",
        None,
    ),
    bind(
        Global,
        &[ctrl('l')],
        Action::CopyLink,
        "Agent Stack: copy the authorization link (OSC 52)",
        None,
    ),
    bind(
        Global,
        &[ctrl('e')],
        Action::ExternalEditor,
        "edit the template (Cargo: the config JSON) in $EDITOR",
        None,
    ),
    bind(
        Global,
        &[plain(KeyCode::F(1))],
        Action::Help,
        "this help (also ? outside text fields)",
        Some("help"),
    ),
    bind(
        Global,
        &[ctrl('q'), ctrl('c')],
        Action::Quit,
        "quit (asks when there are unsaved changes)",
        Some("quit"),
    ),
    bind(
        Global,
        &[plain(KeyCode::Tab)],
        Action::NextFocus,
        "next field / panel",
        None,
    ),
    bind(
        Global,
        &[plain(KeyCode::BackTab)],
        Action::PrevFocus,
        "previous field / panel",
        None,
    ),
    bind(
        Global,
        &[alt('1'), plain(KeyCode::F(5))],
        Action::SelectTab(0),
        "Headers tab",
        None,
    ),
    bind(
        Global,
        &[alt('2'), plain(KeyCode::F(6))],
        Action::SelectTab(1),
        "Params tab",
        None,
    ),
    bind(
        Global,
        &[alt('3'), plain(KeyCode::F(7))],
        Action::SelectTab(2),
        "Body tab",
        None,
    ),
    bind(
        Global,
        &[alt('4'), plain(KeyCode::F(8))],
        Action::SelectTab(3),
        "Template tab",
        None,
    ),
    bind(
        Global,
        &[plain(KeyCode::Esc)],
        Action::Back,
        "back out: close, cancel, leave",
        None,
    ),
    bind(
        Form,
        &[plain(KeyCode::Up)],
        Action::Up,
        "previous field",
        None,
    ),
    bind(
        Form,
        &[plain(KeyCode::Down), plain(KeyCode::Enter)],
        Action::Down,
        "next field",
        None,
    ),
    bind(
        Form,
        &[plain(KeyCode::Left)],
        Action::PickPrev,
        "picker: previous choice",
        None,
    ),
    bind(
        Form,
        &[plain(KeyCode::Right), ch(' ')],
        Action::PickNext,
        "picker: next choice",
        None,
    ),
    bind(
        Table,
        &[plain(KeyCode::Up), ch('k')],
        Action::Up,
        "previous row",
        None,
    ),
    bind(
        Table,
        &[plain(KeyCode::Down), ch('j')],
        Action::Down,
        "next row",
        None,
    ),
    bind(
        Table,
        &[plain(KeyCode::Left)],
        Action::PrevTab,
        "previous tab",
        None,
    ),
    bind(
        Table,
        &[plain(KeyCode::Right)],
        Action::NextTab,
        "next tab",
        None,
    ),
    bind(
        Table,
        &[plain(KeyCode::Enter)],
        Action::Edit,
        "edit the row in place (Tab: name ↔ value)",
        Some("edit"),
    ),
    bind(
        Table,
        &[ch('a'), plain(KeyCode::Insert)],
        Action::Add,
        "add a row",
        Some("add"),
    ),
    bind(
        Table,
        &[ch('d'), plain(KeyCode::Delete)],
        Action::Delete,
        "delete the row",
        Some("del"),
    ),
    bind(
        Table,
        &[ch('c')],
        Action::Duplicate,
        "duplicate the row",
        None,
    ),
    bind(
        Table,
        &[ch('K'), shift(KeyCode::Up)],
        Action::MoveUp,
        "move the row up",
        None,
    ),
    bind(
        Table,
        &[ch('J'), shift(KeyCode::Down)],
        Action::MoveDown,
        "move the row down",
        None,
    ),
    bind(
        Table,
        &[ch('b')],
        Action::BulkEdit,
        "bulk edit as `name: value` lines (Ctrl-S applies)",
        Some("bulk"),
    ),
    bind(
        Table,
        &[ch('v')],
        Action::Reveal,
        "reveal / mask secret values",
        Some("reveal"),
    ),
    bind(Table, &[ch('?')], Action::Help, "help", None),
    bind(
        Template,
        &[],
        Action::Help,
        "type to edit; the preview follows every keystroke",
        None,
    ),
    bind(
        Template,
        &[],
        Action::Help,
        "Cargo config: type JSON; a parse error is marked at its line and column",
        None,
    ),
];

/// The action a key press means in a context (its own bindings first, then the global ones).
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    let find = |wanted: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == wanted)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    };
    if context == Global {
        find(Global)
    } else {
        find(context).or_else(|| find(Global))
    }
}

/// The keys bound to an action in a context, written for people (`Ctrl-S`).
pub fn keys_for(context: Context, action: Action) -> String {
    BINDINGS
        .iter()
        .filter(|b| b.context == context && b.action == action)
        .flat_map(|b| b.keys.iter().map(Key::label))
        .collect::<Vec<_>>()
        .join("/")
}

/// Status-bar hints for a context: `(keys, word)` pairs, the context's own first.
pub fn hints(context: Context) -> Vec<(String, &'static str)> {
    let own = BINDINGS
        .iter()
        .filter(|b| b.context == context && context != Global);
    let global = BINDINGS.iter().filter(|b| b.context == Global);
    own.chain(global)
        .filter_map(|b| {
            let word = b.hint?;
            let key = b.keys.first()?.label();
            Some((key, word))
        })
        .collect()
}

/// The help overlay's text: one `(section, [(keys, help)])` per context, in table order.
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    [Global, Form, Table, Template]
        .into_iter()
        .map(|context| {
            let rows = BINDINGS
                .iter()
                .filter(|b| b.context == context)
                .map(|b| {
                    let keys = if b.keys.is_empty() {
                        "keys".to_owned()
                    } else {
                        b.keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
                    };
                    (keys, b.help)
                })
                .collect();
            (context.title(), rows)
        })
        .collect()
}

/// The keymap as a Markdown table, for the README.
pub fn markdown() -> String {
    let mut out = String::from("| where | keys | what |\n| --- | --- | --- |\n");
    for (section, rows) in help_sections() {
        for (keys, help) in rows {
            let _ = writeln!(out, "| {section} | {keys} | {help} |");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn ctrl_keys_are_global_and_case_insensitive() {
        let e = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Table, &e), Some(Action::Save));
        assert_eq!(lookup(Form, &e), Some(Action::Save));
        let e = key(
            KeyCode::Char('S'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(lookup(Form, &e), Some(Action::Save));
    }

    #[test]
    fn shifted_letters_are_distinct_actions() {
        let lower = key(KeyCode::Char('k'), KeyModifiers::NONE);
        let upper = key(KeyCode::Char('K'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Table, &lower), Some(Action::Up));
        assert_eq!(lookup(Table, &upper), Some(Action::MoveUp));
        let shift_up = key(KeyCode::Up, KeyModifiers::SHIFT);
        assert_eq!(lookup(Table, &shift_up), Some(Action::MoveUp));
        assert_eq!(
            lookup(Table, &key(KeyCode::Up, KeyModifiers::NONE)),
            Some(Action::Up)
        );
    }

    #[test]
    fn plain_letters_do_nothing_in_form_fields() {
        let e = key(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(lookup(Form, &e), None);
        assert_eq!(lookup(Template, &e), None);
    }

    #[test]
    fn help_lists_every_keyed_binding() {
        let text = markdown();
        assert!(text.contains("| Everywhere | Ctrl-S | save"), "{text}");
        assert!(text.contains("Ctrl-Q Ctrl-C"), "{text}");
        assert_eq!(keys_for(Table, Action::MoveUp), "K/Shift-↑");
    }

    /// The README's key table is generated from this keymap, so it cannot go stale either.
    #[test]
    fn readme_has_the_keymap_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let table = markdown();
        assert!(
            readme.contains(table.trim_end()),
            "README.md's key table is stale; replace it with:\n{table}"
        );
    }
}
