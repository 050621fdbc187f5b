//! The keys that are no actions of the keymap, documented once for the help overlay and the
//! README table: the text editors' own keys (`state::code_editor::keys`), and the letters that
//! answer a question (they are the letters it prints). Not rebindable.

use super::Context;

/// One documented fixed key row.
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    pub context: Context,
    pub keys: &'static str,
    pub help: &'static str,
    /// The short word for the status bar and the footer, when the row deserves one.
    pub hint: Option<&'static str>,
}

const fn row(
    context: Context,
    keys: &'static str,
    help: &'static str,
    hint: Option<&'static str>,
) -> Fixed {
    Fixed {
        context,
        keys,
        help,
        hint,
    }
}

use Context::{Bulk, Review, Rows, Template};

pub static FIXED: &[Fixed] = &[
    // The editors' own keys (`state::code_editor::keys`), in the template, JSON and bulk editors.
    row(Template, "← → ↑ ↓", "move (Ctrl-B Ctrl-F Ctrl-N too)", None),
    row(
        Template,
        "Home End",
        "start / end of the line (Ctrl-A too)",
        None,
    ),
    row(
        Template,
        "Ctrl-← Ctrl-→",
        "a word back / forward (Alt-B Alt-F too)",
        None,
    ),
    row(
        Template,
        "Ctrl-↑ Ctrl-↓",
        "a paragraph back / forward",
        None,
    ),
    row(
        Template,
        "Ctrl-Home Ctrl-End",
        "top / bottom (Alt-< Alt-> too)",
        None,
    ),
    row(Template, "PgUp PgDn", "a page up / down", None),
    row(
        Template,
        "Backspace Del",
        "delete a character back / forward",
        None,
    ),
    row(
        Template,
        "Alt-Backspace Ctrl-W",
        "delete a word back (Alt-Del: forward)",
        None,
    ),
    // The rows table's cells and rows move and change with the editor's table keys.
    row(
        Rows,
        "← → Enter",
        "the table: choose a cell, edit it (Tab: the next one; the table keys)",
        None,
    ),
    row(
        Rows,
        "a Ins d Del c K J",
        "the table: add, delete, duplicate, move rows (the table keys)",
        None,
    ),
    row(Bulk, "keys", "type one `name: value` per line", None),
    // The letters that answer a question are the letters it prints.
    row(
        Review,
        "n q",
        "go back without sending (sandbox; on LIVE letters type the name)",
        None,
    ),
    row(
        Review,
        "y n",
        "delete a connector or file: yes / no (sandbox)",
        None,
    ),
];
