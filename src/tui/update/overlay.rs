//! Keys while an overlay is open (help, review, response, browse, prompts). Esc always closes
//! or cancels. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::state::code_editor::Outcome;
use super::super::state::{Browse, BrowseEntry, LineInput, Overlay, State, Switch};
use super::{edited, keys};
use crate::connector::{Connector, NameValue};
use crate::template::Samples;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

#[expect(
    clippy::too_many_lines,
    reason = "one arm per overlay; each says what its keys do"
)]
pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // The overlay's typed text before the key, so the journal can follow what it changes.
    let draft = super::session::draft(state);
    let Some(overlay) = state.overlay.take() else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let code = key.code;
    let is = |c: char| code == KeyCode::Char(c) && !ctrl;
    let mut effects = Vec::new();
    let next = match overlay {
        Overlay::Help { scroll, filter } => help_key(state, scroll, filter, &key),
        Overlay::Problems { selected } => return super::problems::key(state, selected, key),
        Overlay::Palette(palette) => return super::palette::key(state, palette, key),
        review @ Overlay::Review { .. } => review_key(state, review, key, &mut effects),
        Overlay::AdoptAsk { id, target } => match state.keymap.lookup(Context::Review, &key) {
            Some(Action::AdoptId) => {
                state.doc.connector.adopt_legacy_id(&target);
                effects.extend(edited(state, ""));
                state.toast = Some(format!("id {id} is now {}'s", target.name));
                super::open_review(state, target);
                None
            }
            Some(Action::CreateNew) => {
                super::open_review(state, target);
                None
            }
            _ if code == KeyCode::Esc => None,
            _ => Some(Overlay::AdoptAsk { id, target }),
        },
        Overlay::Sending { request, .. } | Overlay::Firing { request, .. }
            if code == KeyCode::Esc =>
        {
            effects.push(Effect::Cancel(request));
            state.toast = Some("cancelled".into());
            None
        }
        Overlay::Linking { request, .. } if code == KeyCode::Esc => {
            effects.push(Effect::Cancel(request));
            state.toast = Some("cancelled (the server may still finish it)".into());
            None
        }
        keep @ (Overlay::Sending { .. } | Overlay::Firing { .. } | Overlay::Linking { .. }) => {
            Some(keep)
        }
        Overlay::ConnectAsk { input } => {
            effects.extend(super::link::ask_key(state, input, key));
            None
        }
        Overlay::ImportCurl { input } => {
            effects.extend(super::browse_import::curl_key(state, input, key));
            None
        }
        Overlay::SpecPath {
            input,
            loading,
            filter,
            ..
        } => {
            effects.extend(super::browse_import::spec_key(
                state, input, loading, filter, key,
            ));
            None
        }
        Overlay::Operations(pick) => {
            effects.extend(super::browse_import::operations_key(state, pick, key));
            None
        }
        Overlay::Response {
            created,
            stored,
            changes,
            scroll,
        } => match code {
            KeyCode::Up | KeyCode::Down => Some(Overlay::Response {
                created,
                stored,
                changes,
                scroll: scroll_step(scroll, code == KeyCode::Down),
            }),
            _ => None,
        },
        Overlay::FireResult {
            fire,
            response,
            scroll,
        } => match code {
            KeyCode::Char('r') if !ctrl => {
                effects.extend(super::rows_run::start(state));
                Some(Overlay::FireResult {
                    fire,
                    response,
                    scroll,
                })
            }
            KeyCode::Char('h') if !ctrl => {
                effects.push(Effect::ListTries(state.doc.file.clone()));
                Some(Overlay::Tries {
                    runs: None,
                    selected: 0,
                })
            }
            KeyCode::Char('y') if !ctrl => {
                state.copy_label = if state.reveal {
                    "the fired request as curl".to_owned()
                } else {
                    "the fired request as curl (secrets masked; v reveals)".to_owned()
                };
                effects.push(Effect::CopyToClipboard(crate::api::fire::curl(
                    &fire,
                    state.reveal,
                )));
                Some(Overlay::FireResult {
                    fire,
                    response,
                    scroll,
                })
            }
            KeyCode::Up | KeyCode::Down => Some(Overlay::FireResult {
                fire,
                response,
                scroll: scroll_step(scroll, code == KeyCode::Down),
            }),
            KeyCode::PageUp | KeyCode::PageDown => Some(Overlay::FireResult {
                fire,
                response,
                scroll: if code == KeyCode::PageDown {
                    scroll.saturating_add(10)
                } else {
                    scroll.saturating_sub(10)
                },
            }),
            _ => None,
        },
        Overlay::Rows(run) => super::rows_run::key(state, run, code, &mut effects),
        Overlay::Tries { runs, selected } => {
            let count = match &runs {
                Some(Ok(list)) => list.len(),
                _ => 0,
            };
            match code {
                KeyCode::Up | KeyCode::Down => Some(Overlay::Tries {
                    selected: if code == KeyCode::Down {
                        (selected + 1).min(count.saturating_sub(1))
                    } else {
                        selected.saturating_sub(1)
                    },
                    runs,
                }),
                KeyCode::Enter => {
                    if let Some(Ok(list)) = &runs
                        && let Some(run) = list.get(selected)
                    {
                        effects.push(Effect::OpenTry(run.id));
                    }
                    Some(Overlay::Tries { runs, selected })
                }
                _ => None,
            }
        }
        Overlay::SubmitError {
            gone: Some((target, id)),
            ..
        } if state.keymap.lookup(Context::Review, &key) == Some(Action::CreateAgain) => {
            state.doc.connector.forget_remote_id(&target);
            effects.extend(edited(state, ""));
            state.toast = Some(format!(
                "forgot connector {id}: confirming creates a new one on {}",
                target.name
            ));
            super::open_review(state, target);
            None
        }
        Overlay::SubmitError { .. } | Overlay::Message { .. } => None,
        Overlay::Browse(browse) => return browse_key(state, browse, key),
        Overlay::ConfirmDelete {
            browse,
            label,
            mut typed,
        } => {
            let target = state.target_ref();
            let confirmed = match &mut typed {
                None => is('y'),
                Some(input) => {
                    if state.keymap.lookup(Context::Review, &key) == Some(Action::Confirm) {
                        input.text == target.name
                    } else {
                        edit_line(input, &key);
                        false
                    }
                }
            };
            if confirmed {
                let entries = browse.entries();
                match entries.get(browse.selected) {
                    Some(BrowseEntry::Remote(item)) => {
                        effects.push(Effect::DeleteRemote {
                            vendor: state.doc.connector.vendor,
                            id: item.id.clone(),
                            target,
                        });
                    }
                    Some(BrowseEntry::File(item)) => {
                        effects.push(Effect::DeleteFile(item.path.clone()));
                    }
                    _ => {}
                }
                Some(Overlay::Browse(browse))
            } else if code == KeyCode::Esc || (typed.is_none() && is('n')) {
                Some(Overlay::Browse(browse))
            } else {
                Some(Overlay::ConfirmDelete {
                    browse,
                    label,
                    typed,
                })
            }
        }
        Overlay::ConfirmQuit => {
            if is('s') || is('y') {
                state.quit_pending = true;
                effects.extend(keys::save(state));
                // A new connector asks where to save; the quit waits for that save.
                state.overlay.take()
            } else if is('d') {
                // Nothing is kept: the exit removes the record rather than writing it again.
                state.quit = true;
                state.doc.dirty = false;
                state.drafted = false;
                effects.extend(super::session::sync_journal(state));
                None
            } else if ctrl && (code == KeyCode::Char('c') || code == KeyCode::Char('q')) {
                // Quit at once; the journal keeps the edits for the next start.
                state.quit = true;
                None
            } else if code == KeyCode::Esc || is('n') {
                None
            } else {
                Some(Overlay::ConfirmQuit)
            }
        }
        Overlay::ConfirmSwitch(switch) => {
            if is('s') {
                // A new connector asks where to save; the switch waits for that save.
                state.switch_pending = Some(switch);
                effects.extend(keys::save(state));
                state.overlay.take()
            } else if is('d') {
                // The journal of the discarded edits goes with them once the other connector
                // is open (`opened`); if it cannot be opened, nothing was lost.
                effects.extend(switch_to(state, switch));
                state.overlay.take()
            } else if code == KeyCode::Esc {
                None
            } else {
                Some(Overlay::ConfirmSwitch(switch))
            }
        }
        Overlay::Recover { entries, selected } => {
            super::session::recover_key(state, entries, selected, key, &mut effects)
        }
        Overlay::ChangedOnDisk { path } => {
            super::session::changed_key(state, path, key, &mut effects)
        }
        Overlay::Bulk {
            key: field,
            mut area,
        } => {
            if ctrl && matches!(code, KeyCode::Char('s' | 'S')) {
                let rows = parse_bulk(&area.text());
                if let Some(slot) = state.rows.get_mut(state.tab) {
                    *slot = 0;
                }
                effects.extend(super::set_rows(state, field, &rows));
                state.toast = Some(format!("{} rows applied", rows.len()));
                None
            } else if code == KeyCode::Esc {
                None
            } else {
                let action = state.keymap.lookup(Context::Template, &key);
                let action = action.filter(|a| super::editor::is_editing_action(*a));
                if let Outcome::Cut(text) = super::editor::editing(&mut area, action, &key) {
                    "the cut text".clone_into(&mut state.copy_label);
                    effects.push(Effect::CopyToClipboard(text));
                }
                Some(Overlay::Bulk { key: field, area })
            }
        }
        Overlay::SaveAs { mut input } => match code {
            KeyCode::Esc => {
                state.quit_pending = false;
                state.switch_pending = None;
                None
            }
            KeyCode::Enter if !input.text.trim().is_empty() => {
                let path = PathBuf::from(input.text.trim());
                effects.push(Effect::Save {
                    base: super::session::base_for(state, &path),
                    path,
                    connector: Box::new(state.doc.connector.clone()),
                    samples: state.doc.samples.clone(),
                });
                None
            }
            _ => {
                edit_line(&mut input, &key);
                Some(Overlay::SaveAs { input })
            }
        },
    };
    // A key handler may have opened a new overlay (save-as from the quit prompt); keep it.
    if state.overlay.is_none() {
        state.overlay = next;
    }
    effects.extend(super::session::after_overlay_key(state, draft.as_ref()));
    effects
}

/// The help overlay's keys: the list keys scroll, `/` starts a filter, Esc clears it, then
/// closes.
fn help_key(
    state: &State,
    scroll: u16,
    mut filter: Option<LineInput>,
    key: &KeyEvent,
) -> Option<Overlay> {
    let query = filter.as_ref().map_or("", |f| f.text.as_str());
    // One line per key row, plus each section's heading and the blank after it.
    let lines: usize = (state.keymap.help_matching(query).iter())
        .map(|(_, rows)| rows.len() + 2)
        .sum();
    let scroll =
        if let Some(to) = super::list::moved(key, usize::from(scroll), lines, filter.is_none()) {
            u16::try_from(to).unwrap_or(u16::MAX)
        } else {
            match (key.code, filter.as_mut()) {
                (KeyCode::Esc, Some(_)) => 0,
                (KeyCode::Char('/'), None) => {
                    filter = Some(LineInput::default());
                    0
                }
                (_, Some(input)) => {
                    edit_line(input, key);
                    0
                }
                // Any other key closes help, as before it filtered.
                (_, None) => return None,
            }
        };
    if key.code == KeyCode::Esc {
        filter = None;
    }
    Some(Overlay::Help { scroll, filter })
}

/// The review's keys. Confirm sends, except on a LIVE target until its name is typed: there
/// characters go to the name, so neither a stray Enter nor a stray `y` sends anything. The
/// sandbox sends on Enter; `n`, `q` and Esc go back.
fn review_key(
    state: &mut State,
    review: Overlay,
    key: KeyEvent,
    effects: &mut Vec<Effect>,
) -> Option<Overlay> {
    let Overlay::Review {
        method,
        path,
        body,
        blocked,
        recreate,
        mut scroll,
        target,
        mut typed,
    } = review
    else {
        return Some(review);
    };
    let plain = |c: char| key.code == KeyCode::Char(c) && key.modifiers.is_empty();
    if state.keymap.lookup(Context::Review, &key) == Some(Action::Confirm) && blocked.is_empty() {
        if typed.as_ref().is_none_or(|t| t.text == target.name) {
            let request = state.new_request();
            effects.push(Effect::Submit {
                request,
                target: target.clone(),
                connector: Box::new(state.doc.connector.clone()),
                recreate: recreate.is_some(),
            });
            return Some(Overlay::Sending { request, target });
        }
        state.toast = Some(format!(
            "LIVE target: type {} to send, {} to go back",
            target.name,
            state.keymap.key(Context::Review, "Esc")
        ));
    } else if key.code == KeyCode::Esc || (typed.is_none() && (plain('n') || plain('q'))) {
        return None;
    } else if !typed.as_mut().is_some_and(|input| edit_line(input, &key)) {
        let sandbox_keys = typed.is_none();
        scroll = match key.code {
            KeyCode::Up => scroll.saturating_sub(1),
            KeyCode::Char('k') if sandbox_keys => scroll.saturating_sub(1),
            KeyCode::Down => scroll.saturating_add(1),
            KeyCode::Char('j') if sandbox_keys => scroll.saturating_add(1),
            KeyCode::PageUp => scroll.saturating_sub(10),
            KeyCode::PageDown => scroll.saturating_add(10),
            _ => scroll,
        };
    }
    Some(Overlay::Review {
        method,
        path,
        body,
        blocked,
        recreate,
        scroll,
        target,
        typed,
    })
}

/// Edits a one-line input with a key (characters, Backspace, Delete, ←/→, Home, End);
/// whether the key was one of those.
pub(super) fn edit_line(input: &mut LineInput, key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => return false,
    }
    true
}

fn scroll_step(scroll: u16, down: bool) -> u16 {
    if down {
        scroll.saturating_add(1)
    } else {
        scroll.saturating_sub(1)
    }
}

fn browse_key(state: &mut State, mut browse: Browse, key: KeyEvent) -> Vec<Effect> {
    let len = browse.entries().len();
    let mut effects = Vec::new();
    let filtering = browse.filter.is_some();
    if let Some(to) = super::list::moved(&key, browse.selected, len, !filtering) {
        browse.selected = to;
        state.overlay = Some(Overlay::Browse(browse));
        return effects;
    }
    match key.code {
        // Esc clears a filter first, then closes.
        KeyCode::Esc if filtering => {
            browse.filter = None;
            browse.selected = 0;
        }
        KeyCode::Esc => return effects,
        KeyCode::Char('/') if !filtering => browse.filter = Some(LineInput::default()),
        _ if filtering && key.code != KeyCode::Enter => {
            if let Some(filter) = browse.filter.as_mut() {
                edit_line(filter, &key);
            }
            browse.selected = 0;
        }
        KeyCode::Char('r') => {
            effects.extend([
                Effect::ListRemote(state.doc.connector.vendor),
                Effect::ListLocal,
            ]);
        }
        KeyCode::Char('n') => return switch_or_ask(state, Switch::New(state.doc.connector.vendor)),
        KeyCode::Char('d') | KeyCode::Delete => {
            let live = !state.target_ref().is_sandbox();
            let (label, typed) = match browse.entries().get(browse.selected) {
                Some(BrowseEntry::Remote(item)) => (
                    Some(format!("remote connector {} ({})", item.id, item.name)),
                    live.then(LineInput::default),
                ),
                Some(BrowseEntry::File(item)) => {
                    (Some(format!("file {}", item.path.display())), None)
                }
                _ => (None, None),
            };
            if let Some(label) = label {
                state.overlay = Some(Overlay::ConfirmDelete {
                    browse,
                    label,
                    typed,
                });
                return effects;
            }
        }
        KeyCode::Enter => {
            if let Some(BrowseEntry::Import(kind)) = browse.entries().get(browse.selected) {
                super::browse_import::open(state, *kind);
                return effects;
            }
            let switch = match browse.entries().get(browse.selected) {
                Some(BrowseEntry::Remote(item)) => Some(Switch::Remote {
                    vendor: state.doc.connector.vendor,
                    id: item.id.clone(),
                }),
                Some(BrowseEntry::File(item)) => Some(Switch::File {
                    path: item.path.clone(),
                    as_new: false,
                }),
                Some(BrowseEntry::Example(item)) => Some(Switch::File {
                    path: item.path.clone(),
                    as_new: true,
                }),
                Some(BrowseEntry::New(vendor)) => Some(Switch::New(*vendor)),
                Some(BrowseEntry::Import(_)) | None => None,
            };
            if let Some(switch) = switch {
                return switch_or_ask(state, switch);
            }
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Browse(browse));
    effects
}

/// Opens another connector, asking first when the current one has unsaved changes.
fn switch_or_ask(state: &mut State, switch: Switch) -> Vec<Effect> {
    if state.doc.dirty {
        state.overlay = Some(Overlay::ConfirmSwitch(switch));
        return Vec::new();
    }
    switch_to(state, switch)
}

/// Opens another connector in place of the current one.
pub(super) fn switch_to(state: &mut State, switch: Switch) -> Vec<Effect> {
    match switch {
        Switch::File { path, as_new } => vec![Effect::OpenFile { path, as_new }],
        Switch::Remote { vendor, id } => vec![Effect::OpenRemote { vendor, id }],
        Switch::New(vendor) => {
            super::opened(state, None, Connector::new(vendor), Samples::new(), None)
        }
    }
}

/// Parses bulk-edit text: one `name: value` per line; a line without a colon is a name with an
/// empty value (an input slot); blank lines are skipped.
pub fn parse_bulk(text: &str) -> Vec<NameValue> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) => NameValue::new(name.trim(), value.trim_start()),
            None => NameValue::slot(line.trim()),
        })
        .collect()
}
