//! Every overlay's footer as data: the keys it names, by their default spelling in the context
//! whose table holds them, and what each does. The keymap names each key as bound now
//! ([`Keymap::pairs`]), so a rebound key reads right; `None` marks keys their handler matches as
//! written (the letters that answer a question), shown as written. The test below checks that
//! every key given a context is in that context's table.

use crate::tui::keymap::Context::{
    Browse, Bulk, CellEdit, Lists, Prompt, Results, Review, Rows, Table, Unsaved,
};
use crate::tui::keymap::{Context, Keymap};

/// `(keys, what they do)`; empty keys leave the text alone.
pub(super) type Pairs = &'static [(&'static str, &'static str)];

/// A footer: its parts in order, each the pairs of one context.
pub(super) struct Footer(&'static [(Option<Context>, Pairs)]);

impl Footer {
    /// The footer's text with the keys as bound now.
    pub(super) fn text(&self, keymap: &Keymap) -> String {
        self.0
            .iter()
            .map(|(context, pairs)| keymap.pairs(*context, pairs))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// A request in flight (submit, try it, connect): the back key cancels it.
pub(super) const IN_FLIGHT: Footer = Footer(&[(Some(Context::Global), &[("Esc", "cancel")])]);
/// The status bar while a request is in flight.
pub(super) const IN_FLIGHT_STATUS: Footer =
    Footer(&[(Some(Context::Global), &[("Esc", "cancels")])]);
pub(super) const STORED: Footer = Footer(&[(Some(Results), &[("↑↓", "scroll"), ("Esc", "close")])]);
pub(super) const CLOSE: Footer = Footer(&[(Some(Results), &[("Esc", "close")])]);
pub(super) const SUBMIT_ERROR: Footer = Footer(&[(Some(Review), &[("Esc", "close")])]);
/// The submit's 404: the connector is gone from the target.
pub(super) const GONE: Footer = Footer(&[(
    Some(Review),
    &[
        ("c", "create it again as a new connector"),
        ("Esc", "close"),
    ],
)]);
/// An error message box (any key closes it).
pub(super) const MESSAGE: Footer = Footer(&[(None, &[("Esc", "close")])]);
/// Deleting on a sandbox target: `y` and `n` answer as written (they are not the review's `y`
/// and `n`, binding an id), and `n/Esc` is one pair, so the back key is named as written too.
pub(super) const DELETE: Footer = Footer(&[(None, &[("y", "delete"), ("n/Esc", "keep")])]);
/// After "type NAME then …".
pub(super) const DELETE_TYPED: Footer =
    Footer(&[(Some(Review), &[("Enter", "to delete"), ("Esc", "keep")])]);
pub(super) const REVIEW: Footer = Footer(&[(
    Some(Review),
    &[("Enter", "send"), ("↑↓", "scroll"), ("Esc", "back")],
)]);
/// After "type NAME then …".
pub(super) const REVIEW_TYPED: Footer = Footer(&[(
    Some(Review),
    &[("Enter", "to send"), ("↑↓", "scroll"), ("Esc", "back")],
)]);
pub(super) const REVIEW_BLOCKED: Footer = Footer(&[(Some(Review), &[("Esc", "back")])]);
pub(super) const ADOPT_ASK: Footer = Footer(&[(
    Some(Review),
    &[
        ("y", "yes, bind it"),
        ("n", "no, create new"),
        ("Esc", "cancel"),
    ],
)]);
pub(super) const QUIT: Footer = Footer(&[(
    Some(Unsaved),
    &[
        ("s", "save and quit"),
        ("d", "discard and quit"),
        ("Esc", "stay"),
    ],
)]);
pub(super) const SWITCH: Footer = Footer(&[(
    Some(Unsaved),
    &[("s", "save first"), ("d", "discard them"), ("Esc", "stay")],
)]);
pub(super) const BULK: Footer = Footer(&[(
    Some(Bulk),
    &[
        ("Ctrl-S", "apply"),
        ("Esc", "cancel"),
        ("", "a line without `:` is an empty slot"),
    ],
)]);
pub(super) const CONNECT: Footer =
    Footer(&[(Some(Prompt), &[("Enter", "connect"), ("Esc", "cancel")])]);
pub(super) const SAVE_AS: Footer =
    Footer(&[(Some(Prompt), &[("Enter", "save"), ("Esc", "cancel")])]);
/// After "paste or type, ".
pub(super) const IMPORT_CURL: Footer =
    Footer(&[(Some(Prompt), &[("Enter", "import"), ("Esc", "cancel")])]);
pub(super) const SPEC_PATH: Footer = Footer(&[(
    Some(Prompt),
    &[("Enter", "list its operations"), ("Esc", "cancel")],
)]);
pub(super) const OPERATIONS: Footer = Footer(&[(
    Some(Lists),
    &[
        ("", "type to filter"),
        ("↑↓", "choose"),
        ("Enter", "import into the form"),
        ("Esc", "back"),
    ],
)]);
pub(super) const HELP: Footer = Footer(&[(
    Some(Lists),
    &[
        ("↑↓ PgUp PgDn Home End", "scroll"),
        ("/", "filter"),
        ("Esc", "close"),
    ],
)]);
pub(super) const HELP_FILTERING: Footer = Footer(&[(
    Some(Lists),
    &[
        ("", "type to filter"),
        ("↑↓ PgUp PgDn", "scroll"),
        ("Esc", "clear the filter"),
    ],
)]);
pub(super) const PROBLEMS: Footer = Footer(&[(
    Some(Lists),
    &[
        ("↑↓", "choose"),
        ("Enter", "go to the field"),
        ("Esc", "close"),
    ],
)]);
/// Followed by "N of M".
pub(super) const PALETTE: Footer = Footer(&[(
    Some(Lists),
    &[
        ("", "type to filter"),
        ("↑↓", "choose"),
        ("Enter", "run"),
        ("Esc", "close"),
    ],
)]);
pub(super) const BROWSE_FILTERING: Footer = Footer(&[
    (
        Some(Lists),
        &[("", "type to filter"), ("↑↓ PgUp PgDn Home End", "move")],
    ),
    (
        Some(Browse),
        &[("Enter", "open"), ("Esc", "clear the filter")],
    ),
]);
pub(super) const RESPONSE: Footer = Footer(&[(
    Some(Results),
    &[
        ("↑↓ PgUp PgDn", "scroll"),
        ("s", "select"),
        ("t", "rows table"),
        ("r", "run the rows file"),
        ("h", "past tries"),
        ("y", "copy as curl"),
        ("Esc", "close"),
    ],
)]);
pub(super) const TRIES: Footer = Footer(&[(
    Some(Lists),
    &[
        ("↑↓", "choose"),
        ("Enter", "open (a run over rows: its live table)"),
        ("Esc", "close"),
    ],
)]);
/// The `--select` prompt.
pub(super) const SELECT: Footer =
    Footer(&[(Some(Prompt), &[("Enter", "apply"), ("Esc", "cancel")])]);
pub(super) const ROWS_TABLE: Footer = Footer(&[
    (
        Some(Table),
        &[
            ("↑ ↓ ← →", "cell"),
            ("Enter", "edit"),
            ("a", "add"),
            ("d", "delete"),
            ("c", "copy"),
            ("K J", "move"),
        ],
    ),
    (
        Some(Rows),
        &[
            ("r", "run"),
            ("o", "load a file"),
            ("s", "select"),
            ("Esc", "close"),
        ],
    ),
]);
/// A cell of the rows table being typed into.
pub(super) const ROWS_CELL: Footer = Footer(&[
    (None, &[("", "type the value")]),
    (
        Some(CellEdit),
        &[
            ("Enter", "keep"),
            ("Tab", "the next cell"),
            ("Esc", "cancel"),
        ],
    ),
]);
/// The rows table's "load a rows file" path.
pub(super) const ROWS_PATH: Footer = Footer(&[(
    Some(Prompt),
    &[("Enter", "load the file"), ("Esc", "cancel")],
)]);
pub(super) const ROWS_RUNNING: Footer = Footer(&[(
    Some(Rows),
    &[
        ("↑↓", "choose"),
        ("Enter", "response"),
        ("s", "select"),
        ("Esc", "cancel the run"),
    ],
)]);
/// A finished rows run's keys, before its Esc.
const ROWS_FINISHED: Pairs = &[
    ("↑↓", "choose"),
    ("Enter", "response"),
    ("s", "select"),
    ("e", "export JSON Lines"),
    ("c", "CSV"),
];
pub(super) const ROWS_DONE: Footer = Footer(&[
    (Some(Rows), ROWS_FINISHED),
    (Some(Rows), &[("Esc", "close")]),
]);
/// A finished run over rows typed into the rows table.
pub(super) const ROWS_DONE_TYPED: Footer = Footer(&[
    (Some(Rows), ROWS_FINISHED),
    (Some(Rows), &[("Esc", "back to the rows table")]),
]);
/// One row's response in a rows run.
pub(super) const ROW_RESPONSE: Footer = Footer(&[(
    Some(Rows),
    &[("↑↓", "scroll"), ("Esc", "back to the table")],
)]);
pub(super) const RECOVER: Footer = Footer(&[(
    None,
    &[
        // One pair of an answer letter and a list key: named as written.
        ("y/Enter", "recover"),
        ("d", "discard"),
        ("↑↓", "choose"),
        ("Esc", "decide later"),
    ],
)]);
pub(super) const RECOVER_ONE: Footer = Footer(&[(
    None,
    &[
        ("y/Enter", "recover"),
        ("d", "discard"),
        ("Esc", "decide later"),
    ],
)]);
/// The letters answer as written; Esc is the back key.
pub(super) const CHANGED_ON_DISK: Footer = Footer(&[
    (
        None,
        &[("o", "overwrite"), ("r", "reload"), ("a", "save as")],
    ),
    (Some(Unsaved), &[("Esc", "cancel")]),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Keymap, alternatives};

    const ALL: &[&Footer] = &[
        &IN_FLIGHT,
        &IN_FLIGHT_STATUS,
        &STORED,
        &CLOSE,
        &SUBMIT_ERROR,
        &GONE,
        &MESSAGE,
        &DELETE,
        &DELETE_TYPED,
        &REVIEW,
        &REVIEW_TYPED,
        &REVIEW_BLOCKED,
        &ADOPT_ASK,
        &QUIT,
        &SWITCH,
        &BULK,
        &CONNECT,
        &SAVE_AS,
        &IMPORT_CURL,
        &SPEC_PATH,
        &OPERATIONS,
        &HELP,
        &HELP_FILTERING,
        &PROBLEMS,
        &PALETTE,
        &BROWSE_FILTERING,
        &RESPONSE,
        &TRIES,
        &SELECT,
        &ROWS_TABLE,
        &ROWS_CELL,
        &ROWS_PATH,
        &ROWS_RUNNING,
        &ROWS_DONE,
        &ROWS_DONE_TYPED,
        &ROW_RESPONSE,
        &RECOVER,
        &RECOVER_ONE,
        &CHANGED_ON_DISK,
    ];

    /// A footer naming a key its context's table does not hold would not follow a rebinding.
    #[test]
    fn every_key_a_footer_gives_a_context_is_in_that_contexts_table() {
        let map = Keymap::default();
        for footer in ALL {
            for (context, pairs) in footer.0 {
                let Some(context) = context else { continue };
                for (keys, what) in pairs.iter().filter(|(keys, _)| !keys.is_empty()) {
                    for token in keys.split(' ').flat_map(alternatives) {
                        assert!(
                            map.resolve(*context, token).is_some(),
                            "{token} ({what}) is not in {}",
                            context.title()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_rebound_back_key_is_named_in_the_lists_the_prompts_and_while_busy() {
        let keys = ["f4".to_owned()];
        let map = Keymap::with_overrides([("back", keys.as_slice())]).unwrap();
        assert_eq!(
            PROBLEMS.text(&map),
            "↑↓ choose · Enter go to the field · F4 close"
        );
        assert_eq!(IN_FLIGHT.text(&map), "F4 cancel");
        assert_eq!(
            CHANGED_ON_DISK.text(&map),
            "o overwrite · r reload · a save as · F4 cancel"
        );
        assert_eq!(SAVE_AS.text(&map), "Enter save · F4 cancel");
    }

    #[test]
    fn a_rebound_key_is_named_in_the_footers_that_name_it() {
        let keys = ["ctrl-g".to_owned()];
        let map = Keymap::with_overrides([("confirm", keys.as_slice())]).unwrap();
        assert_eq!(REVIEW.text(&map), "Ctrl-G send · ↑↓ scroll · Esc back");
        assert_eq!(DELETE_TYPED.text(&map), "Ctrl-G to delete · Esc keep");
        assert_eq!(
            REVIEW.text(&Keymap::default()),
            "Enter send · ↑↓ scroll · Esc back"
        );
    }
}
