//! Keys while an overlay is open (help, review, response, browse, prompts). Esc always closes
//! or cancels. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::state::{Browse, BrowseEntry, Overlay, State};
use super::keys;
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
        Overlay::Help { scroll } => match code {
            KeyCode::Up | KeyCode::Char('k') => Some(Overlay::Help {
                scroll: scroll.saturating_sub(1),
            }),
            KeyCode::Down | KeyCode::Char('j') => Some(Overlay::Help {
                scroll: scroll.saturating_add(1),
            }),
            _ => None,
        },
        Overlay::Review {
            method,
            path,
            body,
            blocked,
            recreate,
            scroll,
        } => {
            if (code == KeyCode::Enter || is('y')) && blocked.is_empty() {
                let request = state.new_request();
                effects.push(Effect::Submit {
                    request,
                    connector: Box::new(state.connector.clone()),
                    recreate: recreate.is_some(),
                });
                Some(Overlay::Sending { request })
            } else if code == KeyCode::Esc || is('n') || is('q') {
                None
            } else {
                let scroll = match code {
                    KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    KeyCode::PageDown => scroll.saturating_add(10),
                    _ => scroll,
                };
                Some(Overlay::Review {
                    method,
                    path,
                    body,
                    blocked,
                    recreate,
                    scroll,
                })
            }
        }
        Overlay::Sending { request } | Overlay::Firing { request, .. } if code == KeyCode::Esc => {
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
        Overlay::SubmitError { .. } | Overlay::Message { .. } => None,
        Overlay::Browse(browse) => return browse_key(state, browse, key),
        Overlay::ConfirmDelete { browse, label } => {
            if is('y') {
                let entries = browse.entries();
                match entries.get(browse.selected) {
                    Some(BrowseEntry::Remote(item)) => {
                        effects.push(Effect::DeleteRemote {
                            vendor: state.connector.vendor,
                            id: item.id.clone(),
                        });
                    }
                    Some(BrowseEntry::File(item)) => {
                        effects.push(Effect::DeleteFile(item.path.clone()));
                    }
                    _ => {}
                }
                Some(Overlay::Browse(browse))
            } else if code == KeyCode::Esc || is('n') {
                Some(Overlay::Browse(browse))
            } else {
                Some(Overlay::ConfirmDelete { browse, label })
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
                state.dirty = false;
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
                let rows = parse_bulk(&area.lines().join("\n"));
                if let Some(slot) = state.rows.get_mut(state.tab) {
                    *slot = 0;
                }
                effects.extend(super::set_rows(state, field, &rows));
                state.toast = Some(format!("{} rows applied", rows.len()));
                None
            } else if code == KeyCode::Esc {
                None
            } else {
                area.input(key);
                Some(Overlay::Bulk { key: field, area })
            }
        }
        Overlay::SaveAs { mut input } => match code {
            KeyCode::Esc => {
                state.quit_pending = false;
                None
            }
            KeyCode::Enter if !input.text.trim().is_empty() => {
                let path = PathBuf::from(input.text.trim());
                effects.push(Effect::Save {
                    base: super::session::base_for(state, &path),
                    path,
                    connector: Box::new(state.connector.clone()),
                    samples: state.samples.clone(),
                });
                None
            }
            KeyCode::Char(c) if !ctrl => {
                input.insert(c);
                Some(Overlay::SaveAs { input })
            }
            KeyCode::Backspace => {
                input.backspace();
                Some(Overlay::SaveAs { input })
            }
            KeyCode::Left => {
                input.left();
                Some(Overlay::SaveAs { input })
            }
            KeyCode::Right => {
                input.right();
                Some(Overlay::SaveAs { input })
            }
            _ => Some(Overlay::SaveAs { input }),
        },
    };
    // A key handler may have opened a new overlay (save-as from the quit prompt); keep it.
    if state.overlay.is_none() {
        state.overlay = next;
    }
    effects.extend(super::session::after_overlay_key(state, draft.as_ref()));
    effects
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
    match key.code {
        KeyCode::Esc => return effects,
        KeyCode::Up | KeyCode::Char('k') => browse.selected = browse.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => {
            browse.selected = (browse.selected + 1).min(len.saturating_sub(1));
        }
        KeyCode::Char('r') => {
            effects.extend([
                Effect::ListRemote(state.connector.vendor),
                Effect::ListLocal,
            ]);
        }
        KeyCode::Char('n') => {
            if state.dirty {
                state.overlay = Some(unsaved_first());
                return effects;
            }
            return super::opened(
                state,
                None,
                Connector::new(state.connector.vendor),
                Samples::new(),
                None,
            );
        }
        KeyCode::Char('d') | KeyCode::Delete => {
            let label = match browse.entries().get(browse.selected) {
                Some(BrowseEntry::Remote(item)) => {
                    Some(format!("remote connector {} ({})", item.id, item.name))
                }
                Some(BrowseEntry::File(item)) => Some(format!("file {}", item.path.display())),
                _ => None,
            };
            if let Some(label) = label {
                state.overlay = Some(Overlay::ConfirmDelete { browse, label });
                return effects;
            }
        }
        KeyCode::Enter => {
            let effect = match browse.entries().get(browse.selected) {
                Some(BrowseEntry::Remote(item)) => Some(Effect::OpenRemote {
                    vendor: state.connector.vendor,
                    id: item.id.clone(),
                }),
                Some(BrowseEntry::File(item)) => Some(Effect::OpenFile {
                    path: item.path.clone(),
                    as_new: false,
                }),
                Some(BrowseEntry::Example(item)) => Some(Effect::OpenFile {
                    path: item.path.clone(),
                    as_new: true,
                }),
                Some(BrowseEntry::New(vendor)) => {
                    if state.dirty {
                        state.overlay = Some(unsaved_first());
                        return effects;
                    }
                    return super::opened(
                        state,
                        None,
                        Connector::new(*vendor),
                        Samples::new(),
                        None,
                    );
                }
                None => None,
            };
            if let Some(effect) = effect {
                if state.dirty {
                    state.overlay = Some(unsaved_first());
                    return effects;
                }
                return vec![effect];
            }
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Browse(browse));
    effects
}

fn unsaved_first() -> Overlay {
    Overlay::Message {
        title: "Unsaved changes".into(),
        text: "Save them first (Ctrl-S); they are also kept in the crash journal.".into(),
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
