//! The keys of the modal overlays, the lists and the cell editor. They are matched where the
//! overlay is handled (`update::overlay`, `update::list`) and are not rebindable; this table
//! documents them once, for the help overlay, the README table, the footers and the hints.

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

use Context::{Browse, Bulk, CellEdit, Lists, Prompt, Results, Review, Rows, Template, Unsaved};

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
    row(Lists, "↑↓ k j", "previous / next row", Some("move")),
    row(Lists, "Home End g G", "first / last row", None),
    row(Lists, "PgUp PgDn", "a page up / down", None),
    row(
        Lists,
        "/",
        "filter as you type (browse, help); letters then type",
        None,
    ),
    row(Lists, "Esc", "clear the filter, then close", Some("close")),
    row(Browse, "Enter", "open the selected entry", Some("open")),
    row(Browse, "/", "filter the list as you type", Some("filter")),
    row(Browse, "n", "a new, empty connector", Some("new")),
    row(
        Browse,
        "d Del",
        "delete the selected file or remote connector (asks)",
        Some("delete"),
    ),
    row(Browse, "r", "refresh the lists", Some("refresh")),
    row(Browse, "Esc", "clear the filter, then close", Some("close")),
    row(Review, "↑↓ j k PgUp PgDn", "scroll", None),
    row(Review, "Esc n q", "go back without sending", Some("back")),
    row(Results, "↑↓ PgUp PgDn", "scroll", Some("scroll")),
    row(
        Results,
        "y",
        "copy the fired request as curl (try-it results)",
        // Not hinted: the submit's answer, in the same context, has no request to copy.
        None,
    ),
    row(
        Results,
        "s",
        "select: JSONPath expressions as `try --select` takes them, marked in the response",
        // Not hinted, as `y`: the submit's answer shares the context (the footer says them).
        None,
    ),
    row(
        Results,
        "t",
        "rows table: type rows (a column per slot) to run the connector over",
        None,
    ),
    row(
        Results,
        "r",
        "run the connector over the rows file beside it",
        None,
    ),
    row(Results, "h", "past tries of this connector", None),
    row(Results, "Esc", "close", Some("close")),
    row(
        Rows,
        "↑↓ ← →",
        "choose a cell (the table) or a row (a run)",
        None,
    ),
    row(
        Rows,
        "Enter",
        "the table: edit the cell (Tab: the next one); a run: the row's response",
        // Hinted in the footers, which know whether a table or a run is open.
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
    row(
        Bulk,
        "Ctrl-S",
        "apply the lines as the table's rows",
        Some("apply"),
    ),
    row(Bulk, "Ctrl-U Alt-U", "undo / redo", None),
    row(
        Bulk,
        "Esc",
        "cancel: the rows stay as they were",
        Some("cancel"),
    ),
    row(
        Prompt,
        "Enter",
        "save as: save to the typed path; connect: go with the typed URL",
        Some("ok"),
    ),
    row(Prompt, "Esc", "cancel", Some("cancel")),
    row(
        Unsaved,
        "s",
        "save first, then quit or open the other connector",
        Some("save"),
    ),
    row(Unsaved, "d", "discard the changes", Some("discard")),
    row(Unsaved, "Esc n", "stay", Some("stay")),
    row(
        Unsaved,
        "Ctrl-C Ctrl-Q",
        "quit now; the journal keeps the edits for the next start",
        None,
    ),
    row(CellEdit, "Enter", "done: keep the cell", Some("done")),
    row(CellEdit, "Tab", "name ↔ value", Some("name↔value")),
    row(
        CellEdit,
        "Esc",
        "cancel: the row as it was (a new row goes)",
        Some("cancel"),
    ),
];
