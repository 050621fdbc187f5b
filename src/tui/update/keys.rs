//! Key dispatch: a key goes to the open overlay, the cell being edited, or the area with the
//! focus (`form`, `table`, `editor`); quitting works from anywhere. Pure, like all of
//! `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{Focus, MIN_HEIGHT, MIN_WIDTH, Overlay, State};
use crossterm::event::KeyEvent;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-C / Ctrl-Q mean quit from anywhere: an overlay closes (a request in flight is
    // cancelled) and the usual quit runs, asking first when there are unsaved changes.
    let quit = state.keymap.lookup(Context::Global, &key) == Some(Action::Quit);
    // "Terminal too small" hides the editor: keys typed blind must not edit it. Quitting (and
    // answering the quit question) still works, as the screen says.
    let blind = state.session.size.0 < MIN_WIDTH || state.session.size.1 < MIN_HEIGHT;
    if blind && !quit && !matches!(state.overlay, Some(Overlay::ConfirmQuit)) {
        return Vec::new();
    }
    if quit && !matches!(state.overlay, None | Some(Overlay::ConfirmQuit)) {
        return quit_from_overlay(state);
    }
    if matches!(state.overlay, Some(Overlay::Palette(_))) {
        // The chosen entry's key acts on the screen below, as if typed there.
        return match super::palette::key(state, &key) {
            Some(chosen) => self::key(state, chosen),
            None => Vec::new(),
        };
    }
    if state.overlay.is_some() {
        return super::overlay::key(state, key);
    }
    if state.cell.is_some() {
        return super::table::cell_key(state, key);
    }
    match state.focus {
        Focus::Target => super::form::target_key(state, key),
        Focus::Field(_) => super::form::form_key(state, key),
        Focus::Panel if state.on_template_tab() => super::editor::template_key(state, key),
        Focus::Panel if state.on_json_tab() => super::editor::json_key(state, key),
        Focus::Panel | Focus::Samples => super::table::table_key(state, key),
    }
}

/// Quit pressed in an overlay: it closes (a request in flight is cancelled), then the usual
/// quit runs.
fn quit_from_overlay(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Some(
        Overlay::Sending { request, .. }
        | Overlay::Firing { request, .. }
        | Overlay::Linking { request, .. },
    ) = state.overlay
    {
        effects.push(Effect::Cancel(request));
    }
    state.overlay = None;
    // Text typed in the overlay goes with it, as with Esc.
    state.drafted = false;
    state.quit_pending = false;
    state.cell = None;
    effects.extend(super::global::global(state, Action::Quit).unwrap_or_default());
    effects
}
