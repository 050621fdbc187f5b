//! What a submit got back (the stored connector with the server's changes, or the refusal) and
//! the question before a delete.

use super::footers;
use super::json::highlight;
use super::popup::text_box;
use crate::connector::{FieldChange, TargetRef, UpdateMode, mask};
use crate::tui::items::RemoteError;
use crate::tui::state::{LineInput, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use serde_json::Value;

/// The connector as the server stored it, the fields it changed marked.
pub(super) fn stored(
    state: &State,
    created: bool,
    stored: &Value,
    changes: &[FieldChange],
    scroll: u16,
    area: Rect,
    frame: &mut Frame,
) {
    let id = state.remote_id().unwrap_or_default();
    let mut lines = vec![Line::from(Span::styled(
        if created {
            format!("✓ created, id {id}: {}", super::next_submit(state))
        } else {
            match state.doc.connector.spec().update {
                UpdateMode::Partial(_) => format!("✓ updated connector {id}"),
                _ => format!("✓ replaced connector {id}"),
            }
        },
        theme::ok(),
    ))];
    lines.extend(change_lines(state, changes));
    lines.push(Line::default());
    let changed_keys: Vec<String> = changes.iter().map(|c| format!("  {:?}", c.key)).collect();
    for line in highlight(&mask::shown_body(
        state.doc.connector.vendor,
        stored,
        state.reveal,
    )) {
        let text = line.to_string();
        let hit = changed_keys
            .iter()
            .any(|k| text.starts_with(&format!("{k}:")));
        lines.push(if hit {
            line.patch_style(theme::changed())
        } else {
            line
        });
    }
    let footer = footers::STORED.text(&state.keymap);
    text_box(frame, area, "Stored", theme::ok(), lines, &footer, scroll);
}

/// "stored exactly as sent", or each field the server changed (masked unless revealed).
fn change_lines(state: &State, changes: &[FieldChange]) -> Vec<Line<'static>> {
    if changes.is_empty() {
        return vec![Line::from(Span::styled(
            "stored exactly as sent",
            theme::muted(),
        ))];
    }
    let mut lines = vec![Line::from(Span::styled(
        format!("the server changed {} field(s):", changes.len()),
        theme::changed(),
    ))];
    for change in changes {
        let change = if state.reveal {
            change.clone()
        } else {
            mask::mask_change(state.doc.connector.vendor, change)
        };
        lines.push(Line::from(Span::styled(
            format!("  {change}"),
            theme::changed(),
        )));
    }
    lines
}

/// A refused submit: the server's message, each field it named, and, when the connector is gone
/// from the target, the key that creates it again.
pub(super) fn submit_error(
    state: &State,
    error: &RemoteError,
    gone: Option<&(TargetRef, String)>,
    area: Rect,
    frame: &mut Frame,
) {
    let status = error
        .status
        .map(|s| format!("HTTP {s}: "))
        .unwrap_or_default();
    let mut lines = vec![Line::from(Span::styled(
        format!("{status}{}", error.message),
        theme::error(),
    ))];
    for (path, message) in &error.fields {
        lines.push(Line::from(vec![
            Span::styled(format!("  {path}: "), theme::key()),
            Span::styled(message.clone(), theme::error()),
        ]));
    }
    if !error.fields.is_empty() {
        lines.push(Line::from(Span::styled(
            "marked on the fields; fix them and submit again",
            theme::muted(),
        )));
    }
    let mut footer = &footers::SUBMIT_ERROR;
    if let Some((target, id)) = gone {
        lines.push(Line::from(format!(
            "connector {id} no longer exists on {} (deleted there?)",
            target.name
        )));
        footer = &footers::GONE;
    }
    let footer = footer.text(&state.keymap);
    text_box(frame, area, "Not stored", theme::error(), lines, &footer, 0);
}

/// Delete the selected browse entry? On a LIVE target, its name is typed first.
pub(super) fn confirm_delete(
    state: &State,
    label: &str,
    typed: Option<&LineInput>,
    area: Rect,
    frame: &mut Frame,
) {
    let mut lines = vec![
        Line::from(format!("Delete {label}?")),
        Line::from(Span::styled("This cannot be undone.", theme::warning())),
    ];
    let footer = match typed {
        Some(input) => {
            let target = state.target_ref();
            lines.insert(0, super::review::target_line(&target));
            lines.push(super::review::typed_line(&target, input));
            let keys = footers::DELETE_TYPED.text(&state.keymap);
            format!("type {} then {keys}", target.name)
        }
        None => footers::DELETE.text(&state.keymap),
    };
    text_box(frame, area, "Delete", theme::error(), lines, &footer, 0);
}
