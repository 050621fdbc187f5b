//! The overlays around a submit or a delete that say where it goes: the review (target, method,
//! URL, body), the question about an id recorded without a target, and the typed confirmation
//! a LIVE target asks for. A LIVE target is drawn in the live badge's colours everywhere here,
//! so it cannot be mistaken for the sandbox.

use super::footers;
use super::json::highlight;
use super::popup::text_box;
use super::{fit, input_spans};
use crate::connector::TargetRef;
use crate::tui::keymap::Context;
use crate::tui::state::{LineInput, Overlay, State};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// `to  LIVE  prod  https://api.databar.ai` (or the sandbox badge and its address).
pub(super) fn target_line(target: &TargetRef) -> Line<'static> {
    let (badge, style) = if target.is_sandbox() {
        (" SANDBOX ", theme::sandbox_badge())
    } else {
        (" LIVE ", theme::live_badge())
    };
    let mut spans = vec![
        Span::styled("to ", theme::muted()),
        Span::styled(badge, style),
    ];
    if !target.is_sandbox() {
        spans.push(Span::styled(format!(" {}", target.name), theme::title()));
    }
    let url = if target.base_url.is_empty() {
        "(not connected yet)"
    } else {
        target.base_url.as_str()
    };
    spans.push(Span::styled(format!(" {}", fit(url, 80)), theme::text()));
    Line::from(spans)
}

/// `type prod to confirm: pr▏`, the input a LIVE target's confirmation is typed into.
pub(super) fn typed_line(target: &TargetRef, input: &LineInput) -> Line<'static> {
    let prompt = format!("type {} to confirm: ", target.name);
    let mut spans = vec![Span::styled(prompt, theme::warning())];
    spans.extend(input_spans(&input.text, input.cursor, 40, theme::text()));
    Line::from(spans)
}

pub(super) fn review(state: &State, overlay: &Overlay, area: Rect, frame: &mut Frame) {
    let Overlay::Review {
        method,
        path,
        body,
        blocked,
        recreate,
        scroll,
        target,
        typed,
    } = overlay
    else {
        return;
    };
    let mut lines = vec![target_line(target)];
    if let Some(input) = typed {
        lines.push(Line::from(Span::styled(
            "this changes a real workspace",
            theme::warning(),
        )));
        lines.push(typed_line(target, input));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{method} "), theme::key()),
        Span::raw(path.clone()),
    ]));
    lines.push(Line::from(Span::styled(
        if state.reveal {
            let key = state.keymap.key(Context::Table, "v");
            format!("secrets revealed ({key} in a table masks them)")
        } else {
            "secrets masked here; sent as they are".to_owned()
        },
        theme::muted(),
    )));
    if let Some(note) = recreate {
        lines.push(Line::from(Span::styled(
            format!("⚠ {note}"),
            theme::warning(),
        )));
    }
    lines.push(Line::default());
    lines.extend(highlight(&crate::connector::mask::shown_body(
        state.doc.connector.vendor,
        body,
        state.reveal,
    )));
    let footer = if !blocked.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Cannot send: {} problem(s) to fix first", blocked.len()),
            theme::error(),
        )));
        for problem in blocked {
            lines.push(Line::from(Span::styled(
                format!("  ✗ {problem}"),
                theme::error(),
            )));
        }
        footers::REVIEW_BLOCKED.text(&state.keymap)
    } else if typed.is_some() {
        let keys = footers::REVIEW_TYPED.text(&state.keymap);
        format!("type {} then {keys}", target.name)
    } else {
        footers::REVIEW.text(&state.keymap)
    };
    let (title, border) = if target.is_sandbox() {
        ("Review: exactly what will be sent", theme::focused_border())
    } else {
        ("Review: exactly what will be sent to LIVE", theme::error())
    };
    text_box(frame, area, title, border, lines, &footer, *scroll);
}

/// "id 42 was recorded without a target: is it on prod?"
pub(super) fn adopt_ask(
    state: &State,
    id: &str,
    target: &TargetRef,
    area: Rect,
    frame: &mut Frame,
) {
    let place = if target.is_sandbox() {
        "the sandbox".to_owned()
    } else {
        target.name.clone()
    };
    let lines = vec![
        Line::from(format!(
            "id {id} was recorded without a target: is it on {place}?"
        )),
        target_line(target),
        Line::from(Span::styled(
            "(an older patchcord wrote it; ids of different targets can collide)",
            theme::muted(),
        )),
    ];
    let footer = footers::ADOPT_ASK.text(&state.keymap);
    text_box(
        frame,
        area,
        "Which target is this id on?",
        theme::warning(),
        lines,
        &footer,
        0,
    );
}
