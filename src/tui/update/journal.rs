//! The journal of the editing session: what it keeps (the document and the text typed in an
//! overlay) and when it is written or removed. Below every other file of `update`: each edit
//! ends here. Pure, like all of `update`.

use super::super::effect::Effect;
use super::super::state::{Overlay, State};
use crate::files::journal::{Draft, Snapshot};

/// The text of the open overlay that takes typing (bulk edit, save as, connect, the import
/// prompts and the operation filter).
pub(super) fn draft(state: &State) -> Option<Draft> {
    match &state.overlay {
        Some(Overlay::Bulk { key, area }) => Some(Draft::Bulk {
            field: (*key).to_owned(),
            text: area.text(),
        }),
        Some(Overlay::SaveAs { input }) => Some(Draft::SaveAs {
            text: input.text.clone(),
        }),
        Some(Overlay::ConnectAsk { input }) => Some(Draft::RedirectUrl {
            text: input.text.clone(),
        }),
        Some(Overlay::ImportCurl { input }) => Some(Draft::ImportCurl {
            text: input.text.clone(),
        }),
        Some(Overlay::SpecPath { input, .. }) => Some(Draft::SpecPath {
            text: input.text.clone(),
        }),
        Some(Overlay::Operations(pick)) => Some(Draft::OperationFilter {
            spec: pick.source.clone(),
            text: pick.filter.text.clone(),
        }),
        _ => None,
    }
}

/// What the journal keeps of the session now.
fn snapshot(state: &State) -> Snapshot {
    Snapshot {
        path: state.doc.file.clone(),
        base: state.doc.disk,
        connector: state.doc.connector.clone(),
        samples: state.doc.samples.clone(),
        draft: if state.drafted { draft(state) } else { None },
    }
}

/// Brings the session's record up to date: written while there is something unsaved (edits,
/// or text typed in an overlay), removed once there is nothing.
pub(super) fn sync_journal(state: &State) -> Vec<Effect> {
    let Some(file) = &state.session.journal.file else {
        return Vec::new();
    };
    if state.doc.dirty || state.drafted {
        vec![Effect::Journal {
            file: file.clone(),
            snapshot: Box::new(snapshot(state)),
        }]
    } else {
        vec![Effect::DiscardJournal(file.clone())]
    }
}

/// After a key in an overlay: when the overlay's text changed, the journal follows. Text
/// counts as typed once it changes in the same overlay; a newly opened one is typed only when
/// its opener said so (a recovered draft).
pub(super) fn after_overlay_key(state: &mut State, before: Option<&Draft>) -> Vec<Effect> {
    let after = draft(state);
    let drafted = match (before, &after) {
        (_, None) => false,
        (Some(a), Some(b)) if std::mem::discriminant(a) == std::mem::discriminant(b) => {
            state.drafted || a != b
        }
        _ => state.drafted,
    };
    let changed = drafted != state.drafted || (drafted && before != after.as_ref());
    state.drafted = drafted;
    if changed {
        sync_journal(state)
    } else {
        Vec::new()
    }
}

/// What the journal must do when the editor exits: keep the record when something is unsaved,
/// else remove it; then give up the lock.
pub fn exit(state: &State) -> Vec<Effect> {
    let mut effects = sync_journal(state);
    if let Some(file) = &state.session.journal.file {
        effects.push(Effect::Release(file.clone()));
    }
    effects
}
