//! The status bar: target badge, file and unsaved marker, problem count, then a confirmation
//! or the key hints for where the focus is (from the keymap).

use crate::tui::keymap::{Action, Context};
use crate::tui::state::{State, Status};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub(super) fn render(state: &State, rect: Rect, frame: &mut Frame) {
    let mut spans: Vec<Span<'static>> = Vec::new();
    spans.push(match &state.session.target.status {
        Status::Connected { at, .. } if at.is_sandbox() => {
            Span::styled(" SANDBOX ", theme::sandbox_badge())
        }
        Status::Connected { .. } => Span::styled(" LIVE ", theme::live_badge()),
        Status::Offline(_) => Span::styled(" offline ", theme::muted()),
        Status::Connecting { .. } => Span::styled(" connecting… ", theme::muted()),
    });
    let file = state
        .doc
        .file
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(|| "[new]".to_owned(), |n| n.to_string_lossy().into_owned());
    spans.push(Span::raw(format!(" {file}")));
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
    let (errors, warnings) = state.problem_counts();
    spans.push(Span::raw(" │ "));
    if errors == 0 && warnings == 0 {
        spans.push(Span::styled("✓ valid", theme::ok()));
    } else {
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
    }
    // Where the messages are (a table row shows only ✗), when the bar has room for it after
    // the hints.
    let problems_at = spans.len();
    let problems_key = (errors + warnings > 0)
        .then(|| state.keymap.keys_for(Context::Global, Action::Problems))
        .and_then(|keys| keys.split('/').next().map(|k| format!(" {k}")))
        .filter(|k| k.len() > 1);
    spans.push(Span::raw(" │ "));
    if state.busy() {
        let frame_char = SPINNER
            .get(state.spinner % SPINNER.len())
            .copied()
            .unwrap_or("·");
        spans.push(Span::styled(
            format!("{frame_char} working… Esc cancels "),
            theme::key(),
        ));
    } else if let Some(toast) = &state.toast {
        spans.push(Span::styled(toast.clone(), theme::toast()));
    } else {
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let mut room = usize::from(rect.width).saturating_sub(used);
        for (key, word) in state.keymap.hints(state.key_context(), |a| state.offers(a)) {
            let key = key.replace("Ctrl-", "^");
            let w = key.width() + word.width() + 2;
            if w > room {
                break;
            }
            room -= w;
            spans.push(Span::styled(key, theme::key()));
            spans.push(Span::styled(format!(" {word} "), theme::muted()));
        }
        if let Some(key) = problems_key.filter(|k| k.width() <= room) {
            spans.insert(problems_at, Span::styled(key, theme::key()));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        rect,
    );
}
