//! The session's prompts: the list of journaled edits to recover, and the file changed on
//! disk. Each footer names its keys (handled in `update/session.rs`).

use super::footers;
use super::popup::text_box;
use crate::files::journal::Entry;
use crate::tui::state::State;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::path::Path;

/// Every record sessions now gone left, one per line (the selected one marked), with what
/// the user needs to choose: the file, the connector, when, whether the file changed on disk
/// since and whether text was being typed in an overlay.
pub(super) fn recover(
    state: &State,
    frame: &mut Frame,
    area: Rect,
    entries: &[Entry],
    selected: usize,
) {
    let count = entries.len();
    let mut lines = vec![Line::from(if count == 1 {
        "Unsaved edits were left by a session that did not quit cleanly (or kept them):".to_owned()
    } else {
        format!("{count} sets of unsaved edits were left by sessions that did not quit cleanly:")
    })];
    for (i, entry) in entries.iter().enumerate() {
        let snapshot = &entry.snapshot;
        let file = snapshot
            .path
            .as_ref()
            .map_or_else(|| "a new connector".to_owned(), |p| p.display().to_string());
        let (mark, style) = if i == selected {
            ("›", theme::key())
        } else {
            (" ", theme::text())
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{mark} {file}: connector {:?}, journaled {}",
                snapshot.connector.display_name(),
                entry.saved_at
            ),
            style,
        )));
        if let Some(draft) = &snapshot.draft {
            lines.push(Line::from(Span::styled(
                format!(
                    "    with {} characters typed in {}",
                    draft.text().chars().count(),
                    draft.place()
                ),
                theme::muted(),
            )));
        }
        if entry.changed_on_disk {
            lines.push(Line::from(Span::styled(
                "    ⚠ the file changed on disk after these edits were journaled; a save asks first",
                theme::warning(),
            )));
        }
    }
    let footer = if count > 1 {
        &footers::RECOVER
    } else {
        &footers::RECOVER_ONE
    };
    text_box(
        frame,
        area,
        "Recover unsaved edits?",
        theme::warning(),
        lines,
        &footer.text(&state.keymap),
        0,
    );
}

/// A save found someone else's version on disk.
pub(super) fn changed(state: &State, frame: &mut Frame, area: Rect, path: &Path) {
    let open = state
        .doc
        .file
        .as_deref()
        .is_some_and(|file| std::path::absolute(file).ok() == std::path::absolute(path).ok());
    let said = if open {
        format!(
            "{} changed on disk since it was opened or saved (another program wrote it).",
            path.display()
        )
    } else {
        format!("{} already exists.", path.display())
    };
    let lines = vec![
        Line::from(said),
        Line::from(Span::styled(
            "Overwrite it with your version, reload it (your edits stay in the journal, offered \
             at the next start), or save yours under another name.",
            theme::muted(),
        )),
    ];
    text_box(
        frame,
        area,
        "Changed on disk",
        theme::warning(),
        lines,
        &footers::CHANGED_ON_DISK.text(&state.keymap),
        0,
    );
}
