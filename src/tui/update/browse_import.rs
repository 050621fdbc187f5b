//! The browse screen's import entries: "import curl…" (a prompt to paste or type a curl
//! command) and "import OpenAPI…" (a prompt for the document's path, read by a task, then a
//! filterable list of its operations). Both fill the form like the URL field's paste, with
//! `undo_import`. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::{ImportKind, LineInput, OperationPick, Overlay, State, spec_source};
use super::prompt::edit_line;
use crate::connector::import_curl;
use crate::connector::import_openapi::{self, OpenApiError, Options, Spec};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

/// Opens the prompt of an import entry.
pub(super) fn open(state: &mut State, kind: ImportKind) {
    state.overlay = Some(match kind {
        ImportKind::Curl => Overlay::ImportCurl {
            input: LineInput::default(),
        },
        ImportKind::OpenApi => spec_prompt("", None, String::new()),
    });
}

fn spec_prompt(text: &str, error: Option<String>, filter: String) -> Overlay {
    Overlay::SpecPath {
        input: LineInput::new(text),
        loading: false,
        error,
        filter,
    }
}

/// A key in the curl prompt: Enter imports (the prompt stays open on an error), Esc closes.
pub(super) fn curl_key(state: &mut State, mut input: LineInput, key: &KeyEvent) -> Vec<Effect> {
    match super::prompt::action(state, key) {
        Some(Action::Back) => Vec::new(),
        Some(Action::Confirm) if !input.text.trim().is_empty() => paste_curl(state, &input.text),
        _ => {
            edit_line(&mut input, key);
            state.overlay = Some(Overlay::ImportCurl { input });
            Vec::new()
        }
    }
}

/// A curl command pasted into (or typed in) the prompt, imported whole: its line breaks and
/// quoting are the command's, so it is not flattened into the one-line input first.
pub(super) fn paste_curl(state: &mut State, text: &str) -> Vec<Effect> {
    match import_curl::import(text, state.doc.connector.vendor) {
        Ok(imported) => super::import::fill(
            state,
            imported.connector,
            &crate::template::Samples::new(),
            "the curl command",
            &imported.notes,
        ),
        Err(error) => {
            state.toast = Some(format!("curl command not imported: {error}"));
            state.overlay = Some(Overlay::ImportCurl {
                input: LineInput::new(&crate::connector::plain_line(text)),
            });
            Vec::new()
        }
    }
}

/// A key in the document prompt: Enter reads the document (a task: it may be large),
/// Esc closes.
pub(super) fn spec_key(
    state: &mut State,
    mut input: LineInput,
    loading: bool,
    filter: String,
    key: &KeyEvent,
) -> Vec<Effect> {
    match super::prompt::action(state, key) {
        Some(Action::Back) => Vec::new(),
        Some(Action::Confirm) if !loading && !input.text.trim().is_empty() => {
            let effect = read_spec(&input.text);
            state.overlay = Some(Overlay::SpecPath {
                input,
                loading: true,
                error: None,
                filter,
            });
            vec![effect]
        }
        _ => {
            if !loading {
                edit_line(&mut input, key);
            }
            state.overlay = Some(Overlay::SpecPath {
                input,
                loading,
                error: None,
                filter,
            });
            Vec::new()
        }
    }
}

/// The effect that reads the document the prompt's `text` names.
pub(super) fn read_spec(text: &str) -> Effect {
    Effect::ReadSpec {
        source: text.to_owned(),
        path: PathBuf::from(spec_source(text).path),
    }
}

/// The document was read (or not): its operations are listed, or the prompt says why. An
/// answer for a prompt that is gone or holds other text is dropped.
pub(super) fn spec_read(state: &mut State, source: &str, result: Result<Box<Spec>, String>) {
    let Some(Overlay::SpecPath {
        input,
        loading: true,
        filter,
        ..
    }) = &state.overlay
    else {
        return;
    };
    if input.text != source {
        return;
    }
    let filter = filter.clone();
    let listed = result.and_then(|spec| match spec.operations() {
        Ok(operations) if operations.is_empty() => {
            Err("the document has no operations (no `paths`)".to_owned())
        }
        Ok(operations) => Ok((spec, operations)),
        Err(e) => Err(e.to_string()),
    });
    state.overlay = Some(match listed {
        Ok((spec, operations)) => Overlay::Operations(Box::new(OperationPick::new(
            source.to_owned(),
            *spec,
            operations,
            &filter,
        ))),
        Err(error) => spec_prompt(source, Some(error), filter),
    });
}

/// A key in the operation list: typing filters, ↑/↓ choose, Enter imports, Esc goes back
/// to the document prompt.
pub(super) fn operations_key(
    state: &mut State,
    mut pick: Box<OperationPick>,
    key: &KeyEvent,
) -> Vec<Effect> {
    let count = pick.matches().len();
    let action = super::list::action(state, key, true);
    // Only ↑/↓ move: the other keys edit the filter.
    let step = action.filter(|a| matches!(a, Action::Up | Action::Down));
    match action {
        Some(Action::Back) => {
            state.overlay = Some(spec_prompt(&pick.source, None, String::new()));
            return Vec::new();
        }
        _ if let Some(to) = super::list::moved(step, pick.selected, count) => pick.selected = to,
        Some(Action::Confirm) => return import_chosen(state, pick),
        _ => {
            if edit_line(&mut pick.filter, key) {
                pick.selected = 0;
                pick.error = None;
            }
        }
    }
    state.overlay = Some(Overlay::Operations(pick));
    Vec::new()
}

fn import_chosen(state: &mut State, mut pick: Box<OperationPick>) -> Vec<Effect> {
    let Some(operation) = pick.chosen().cloned() else {
        state.overlay = Some(Overlay::Operations(pick));
        return Vec::new();
    };
    let mut source = spec_source(&pick.source);
    // The prompt's values serve every operation of the list: each takes the ones it has.
    source
        .path_values
        .retain(|(name, _)| operation.path.contains(&format!("{{{name}}}")));
    let options = Options {
        base_url: source.base_url.map(str::to_owned),
        path_values: source.path_values,
        ..Options::new(state.doc.connector.vendor)
    };
    match import_openapi::import(&pick.spec, &operation.label(), &options) {
        Ok(imported) => super::import::fill(
            state,
            imported.connector,
            &imported.samples,
            &format!("{} from the OpenAPI document", operation.label()),
            &imported.notes,
        ),
        Err(error) => {
            let back = state.keymap.key(Context::Lists, "Esc");
            pick.error = Some(editor_reason(&error, &back));
            state.overlay = Some(Overlay::Operations(pick));
            Vec::new()
        }
    }
}

/// Why an operation was not imported, with what to type here (the CLI's options are
/// words after the document's path in the prompt; `back`, the key, goes back to it).
fn editor_reason(error: &OpenApiError, back: &str) -> String {
    match error {
        OpenApiError::PathSlot { name, .. } => {
            let text = error.to_string();
            let reason = text.split("; give it a value").next().unwrap_or(&text);
            format!(
                "{reason}; {back}, then give it a value after the document's path: {name}=VALUE"
            )
        }
        OpenApiError::Server(text) => text.replace(
            "with --base-url URL",
            &format!("with a base URL after the document's path ({back})"),
        ),
        other => other.to_string(),
    }
}
