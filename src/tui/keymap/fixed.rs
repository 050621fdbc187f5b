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

use Context::{Bulk, Results, Review, Rows, Template};

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
    row(
        Results,
        "r",
        "run the connector over the rows file beside it",
        None,
    ),
    row(Results, "h", "past tries of this connector", None),
    // The rows table and a rows run match their keys as written (the table's own cell and row
    // keys are the editor's table rows).
    row(
        Rows,
        "↑ ↓ ← →",
        "choose a cell (the table) or a row (a run)",
        None,
    ),
    row(
        Rows,
        "Enter",
        "the table: edit the cell (Tab: the next one); a run: the row's response",
        None,
    ),
    row(
        Rows,
        "a Ins d Del c K J",
        "the table: add, delete, duplicate, move rows (the table keys)",
        None,
    ),
    row(
        Rows,
        "r",
        "the table: run its rows (the scheduler and limits of `try --rows`)",
        None,
    ),
    row(Rows, "o", "the table: load a rows file by path", None),
    row(
        Rows,
        "s",
        "select: JSONPath expressions, a column each",
        Some("select"),
    ),
    row(
        Rows,
        "e c",
        "a finished run: export as JSON Lines / CSV beside the connector",
        None,
    ),
    row(
        Rows,
        "Esc",
        "cancel the run, then close (typed rows: back to the table)",
        Some("close"),
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
