//! What it takes to make a target hold what a folder of connector files says: the pure core
//! of `patchcord plan` and `apply`. Each file is judged by [`sync::sync_state`] against the
//! connectors of its vendor on the target; connectors there that no file is bound to are
//! listed too (deleted only when pruning). No IO: the caller reads the files and the target's
//! lists, and carries the steps out.

use super::sync::{self, SyncState};
use super::{Connector, FieldChange, TargetRef, UpdateMode, Vendor, has_errors};
use crate::template::Samples;
use serde_json::Value;
use std::collections::HashMap;

/// One connector file of the folder, as read.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// How the file is named in the plan (its file name).
    pub name: String,
    /// The connector and its samples, or why the file could not be read.
    pub loaded: Result<(Connector, Samples), String>,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// POST: the file has no id on the target, or (`deleted`) the connector it was bound to
    /// is no longer there.
    Create {
        deleted: Option<String>,
    },
    /// PUT to `id`: the whole object (Databar) or the updatable fields (Cargo).
    Replace {
        id: String,
        state: SyncState,
        changes: Vec<FieldChange>,
    },
    /// The vendor has no update (Agent Stack): DELETE `id`, then POST.
    Recreate {
        id: String,
        state: SyncState,
        changes: Vec<FieldChange>,
    },
    Unchanged {
        id: String,
    },
    /// On the target, and no file is bound to it: deleted only with `prune`.
    OnlyOnTarget {
        id: String,
        name: String,
    },
    /// The file cannot be sent: it could not be read, or it has validation errors.
    Invalid {
        problems: Vec<String>,
    },
    /// The target does not speak the file's vendor.
    Skipped,
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The file (`None` for a connector only on the target).
    pub file: Option<String>,
    /// `None` for a file that could not be read.
    pub vendor: Option<Vendor>,
    pub action: Action,
}

impl Step {
    /// Whether applying the plan sends anything for this step.
    pub fn sends(&self, prune: bool) -> bool {
        match self.action {
            Action::Create { .. } | Action::Replace { .. } | Action::Recreate { .. } => true,
            Action::OnlyOnTarget { .. } => prune,
            Action::Unchanged { .. } | Action::Invalid { .. } | Action::Skipped => false,
        }
    }
}

/// The steps, files first (in the order given), then the target's unbound connectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Whether connectors only on the target are deleted. Held back (false) when a file could
    /// not be read: it may be bound to one of them.
    pub prune: bool,
    /// Pruning was asked for and held back.
    pub prune_held: bool,
}

impl Plan {
    /// Whether `apply` would send anything.
    pub fn pending(&self) -> bool {
        self.steps.iter().any(|s| s.sends(self.prune))
    }

    /// Whether a file cannot be applied.
    pub fn has_invalid(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.action, Action::Invalid { .. }))
    }
}

/// Plans `files` against `target`, where `remote` holds the connectors of each vendor the
/// folder is about and the target speaks (as its list answers them). A file of a vendor
/// missing from `remote` is skipped. "Only on the target" counts the vendors in `remote` only.
pub fn plan(
    files: &[LocalFile],
    remote: &[(Vendor, Vec<Value>)],
    target: &TargetRef,
    prune: bool,
) -> Plan {
    let lists: HashMap<Vendor, &[Value]> = remote.iter().map(|(v, l)| (*v, l.as_slice())).collect();
    let mut bound: HashMap<(Vendor, String), String> = HashMap::new();
    let mut steps: Vec<Step> = files
        .iter()
        .map(|file| file_step(file, &lists, target, &mut bound))
        .collect();
    for (vendor, items) in remote {
        let id_field = vendor.spec().id_field;
        for item in items {
            let item = super::unwrap_response(*vendor, item);
            let Some(id) = item.get(id_field).and_then(super::id_to_string) else {
                continue;
            };
            if bound.contains_key(&(*vendor, id.clone())) {
                continue;
            }
            steps.push(Step {
                file: None,
                vendor: Some(*vendor),
                action: Action::OnlyOnTarget {
                    name: remote_name(*vendor, item),
                    id,
                },
            });
        }
    }
    let unreadable = files.iter().any(|f| f.loaded.is_err());
    Plan {
        steps,
        prune: prune && !unreadable,
        prune_held: prune && unreadable,
    }
}

/// A remote connector's name as a plan shows it: its name, else its URL.
pub fn remote_name(vendor: Vendor, item: &Value) -> String {
    vendor
        .spec()
        .title_keys()
        .filter_map(|k| item.get(k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or("(unnamed)")
        .to_owned()
}

fn file_step(
    file: &LocalFile,
    lists: &HashMap<Vendor, &[Value]>,
    target: &TargetRef,
    bound: &mut HashMap<(Vendor, String), String>,
) -> Step {
    let step = |vendor: Vendor, action| Step {
        file: Some(file.name.clone()),
        vendor: Some(vendor),
        action,
    };
    let (connector, samples) = match &file.loaded {
        Ok(loaded) => loaded,
        Err(problem) => {
            return Step {
                file: Some(file.name.clone()),
                vendor: None,
                action: Action::Invalid {
                    problems: vec![problem.clone()],
                },
            };
        }
    };
    let vendor = connector.vendor;
    let Some(remote) = lists.get(&vendor) else {
        return step(vendor, Action::Skipped);
    };
    let findings = super::validate_with_samples(connector, samples);
    let mut problems: Vec<String> = if has_errors(&findings) {
        findings
            .iter()
            .filter(|f| f.severity == super::Severity::Error)
            .map(ToString::to_string)
            .collect()
    } else {
        Vec::new()
    };
    let id = connector.remote_id_for(target).map(str::to_owned);
    if let Some(id) = &id
        && let Some(other) = bound.insert((vendor, id.clone()), file.name.clone())
    {
        problems.push(format!(
            "bound to connector {id} like {other}: two files cannot be one connector (remove this file's id for the target to make it a new one)"
        ));
    }
    if !problems.is_empty() {
        return step(vendor, Action::Invalid { problems });
    }
    let action = match (sync::sync_state(connector, target, remote), id) {
        (SyncState::NotSubmitted, _) | (_, None) => Action::Create { deleted: None },
        (SyncState::DeletedOnTarget, Some(id)) => Action::Create { deleted: Some(id) },
        (SyncState::InSync, Some(id)) => Action::Unchanged { id },
        (state, Some(id)) => {
            let there = sync::find(vendor, remote, &id).cloned().unwrap_or_default();
            let changes = sync::diff(vendor, &connector.outgoing(), &there);
            match vendor.spec().update {
                UpdateMode::Recreate => Action::Recreate { id, state, changes },
                UpdateMode::Replace | UpdateMode::Partial(_) => {
                    Action::Replace { id, state, changes }
                }
            }
        }
    };
    step(vendor, action)
}

#[cfg(test)]
mod tests;
