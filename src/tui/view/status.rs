//! The status bar: target badge, file and unsaved marker, problem count, then a confirmation
//! or the key hints for where the focus is (from the keymap).

use super::footers;
use crate::tui::keymap::{Action, Context};
use crate::tui::state::{State, Status};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(state: &State, rect: Rect, frame: &mut Frame) {
    let mut spans = vec![target_badge(state)];
    spans.extend(file_spans(state));
    let (errors, warnings) = state.problem_counts();
    spans.push(Span::raw(" │ "));
    spans.extend(problem_spans(errors, warnings));
    // Where the messages are (a table row shows only ✗), when the bar has room for it after
    // the hints.
    let problems_at = spans.len();
    let problems_key = (errors + warnings > 0)
        .then(|| state.keymap.keys_for(Context::Global, Action::Problems))
        .and_then(|keys| keys.split('/').next().map(|k| format!(" {k}")))
        .filter(|k| k.len() > 1);
    spans.push(Span::raw(" │ "));
    if state.busy() {
        spans.push(Span::styled(
            format!(
                "{} working… {} ",
                super::overlay::spinner(state),
                footers::IN_FLIGHT_STATUS.text(&state.keymap)
            ),
            theme::key(),
        ));
    } else if let Some(toast) = &state.toast {
        spans.push(Span::styled(toast.clone(), theme::toast()));
    } else {
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let mut room = usize::from(rect.width).saturating_sub(used);
        spans.extend(hint_spans(state, &mut room));
        if let Some(key) = problems_key.filter(|k| k.width() <= room) {
            spans.insert(problems_at, Span::styled(key, theme::key()));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        rect,
    );
}

/// SANDBOX, LIVE, offline or connecting….
fn target_badge(state: &State) -> Span<'static> {
    match &state.session.target.status {
        Status::Connected { at, .. } if at.is_sandbox() => {
            Span::styled(" SANDBOX ", theme::sandbox_badge())
        }
        Status::Connected { .. } => Span::styled(" LIVE ", theme::live_badge()),
        Status::Offline(_) => Span::styled(" offline ", theme::muted()),
        Status::Connecting { .. } => Span::styled(" connecting… ", theme::muted()),
    }
}

/// The file's name, the unsaved marker, and what is wrong around the file.
fn file_spans(state: &State) -> Vec<Span<'static>> {
    let file = state
        .doc
        .file
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(|| "[new]".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut spans = vec![Span::raw(format!(" {file}"))];
    if state.doc.dirty {
        spans.push(Span::styled(" ●", theme::warning()));
    }
    if let Some(label) = state.elsewhere_label() {
        spans.push(Span::styled(format!(" ⚠ {label}"), theme::warning()));
    }
    if let Some(error) = &state.session.journal.error {
        spans.push(Span::styled(
            format!(" ⚠ edits not journaled: {error}"),
            theme::error(),
        ));
    }
    spans
}

fn problem_spans(errors: usize, warnings: usize) -> Vec<Span<'static>> {
    if errors == 0 && warnings == 0 {
        return vec![Span::styled("✓ valid", theme::ok())];
    }
    let mut spans = Vec::new();
    if errors > 0 {
        let s = if errors == 1 { "" } else { "s" };
        spans.push(Span::styled(
            format!("✗ {errors} problem{s}"),
            theme::error(),
        ));
    }
    if warnings > 0 {
        let s = if warnings == 1 { "" } else { "s" };
        spans.push(Span::styled(
            format!(" ! {warnings} warning{s}"),
            theme::warning(),
        ));
    }
    spans
}

/// A key as the bars write it to save room: `^R` for Ctrl-R.
pub(super) fn caret(key: &str) -> String {
    key.replace("Ctrl-", "^")
}

/// The focused context's key hints that fit in `room` (what they take is taken from it).
fn hint_spans(state: &State, room: &mut usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (key, word) in state.keymap.hints(state.key_context(), |a| state.offers(a)) {
        let key = caret(&key);
        let w = key.width() + word.width() + 2;
        if w > *room {
            break;
        }
        *room -= w;
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::styled(format!(" {word} "), theme::muted()));
    }
    spans
}
