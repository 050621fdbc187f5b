//! Whether a connector file and the connector on a target say the same thing, and, when they
//! do not, which side moved. One comparison for every face: `plan`/`apply` decide what to send
//! with it and the editor's browse screen shows its states.
//!
//! The two sides are compared as the vendor's model reads them ([`fingerprint`]): the
//! vendor's own fields, coerced and with defaults filled in (so `"5"` is 5 and an absent
//! `type` is `enrichment`), without server-only and write-only fields, object keys sorted. To
//! tell "changed here" from "changed there" each id remembers what both sides looked like when
//! they were last in step (pulled or submitted): a [`SyncBase`] of two fingerprints. Keeping
//! the server's side as well lets a connector the server stores differently from what was sent
//! (a clamped `rate_limit`) count as in sync until either side changes.

use super::{Connector, FieldChange, TargetRef, Vendor, schema, unwrap_response};
use serde_json::{Map, Value};

/// A content hash that is the same in every run and on every machine (files keep it):
/// FNV-1a, 64 bits.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What the file and the target held when they were last in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncBase {
    /// [`fingerprint`] of the file's outgoing body.
    pub file: u64,
    /// [`fingerprint`] of the connector the server answered with.
    pub target: u64,
}

/// A file's state against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    InSync,
    ChangedLocally,
    ChangedOnTarget,
    /// Both sides moved since they were last in step.
    ChangedBoth,
    /// No id on this target yet.
    NotSubmitted,
    /// The file's id on this target is not there any more.
    DeletedOnTarget,
}

impl SyncState {
    /// How the state reads on screen and in `plan`.
    pub fn label(self) -> &'static str {
        match self {
            SyncState::InSync => "in sync",
            SyncState::ChangedLocally => "changed locally",
            SyncState::ChangedOnTarget => "changed on the target",
            SyncState::ChangedBoth => "changed locally and on the target",
            SyncState::NotSubmitted => "not submitted",
            SyncState::DeletedOnTarget => "deleted on the target",
        }
    }
}

/// The vendor's fields of `body` as compared: the vendor's model of it (falling back to the
/// body as it is when the model refuses it), server-only and write-only fields left out.
fn projection(vendor: Vendor, body: &Value) -> Map<String, Value> {
    let spec = vendor.spec();
    let body = unwrap_response(vendor, body);
    let model = schema::model(spec.fields, spec.coercion, body)
        .unwrap_or_else(|_| body.as_object().cloned().unwrap_or_default());
    spec.fields
        .iter()
        .filter(|f| !f.write_only && !spec.server_fields.contains(&f.key))
        .filter_map(|f| {
            let value = model.get(f.key)?;
            (!super::is_default(Some(f), value)).then(|| (f.key.to_owned(), canonical(value)))
        })
        .collect()
}

/// `value` with every object's keys sorted, so key order never makes a difference.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&object[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The hash of what [`diff`] compares in `body` (a connector body, or a server's answer).
pub fn fingerprint(vendor: Vendor, body: &Value) -> u64 {
    content_hash(
        Value::Object(projection(vendor, body))
            .to_string()
            .as_bytes(),
    )
}

/// Field by field, how the file's outgoing body (`sent`) differs from the target's
/// connector (`stored`), in the vendor's field order.
pub fn diff(vendor: Vendor, local: &Value, remote: &Value) -> Vec<FieldChange> {
    let (local, remote) = (projection(vendor, local), projection(vendor, remote));
    vendor
        .spec()
        .fields
        .iter()
        .filter(|f| local.get(f.key) != remote.get(f.key))
        .map(|f| FieldChange {
            key: f.key.to_owned(),
            sent: local.get(f.key).cloned(),
            stored: remote.get(f.key).cloned(),
        })
        .collect()
}

/// The state of `local` against `target`, whose connectors of the file's vendor are `remote`
/// (each as the list answers it).
pub fn sync_state(local: &Connector, target: &TargetRef, remote: &[Value]) -> SyncState {
    let Some(id) = local.remote_id_for(target) else {
        return SyncState::NotSubmitted;
    };
    match find(local.vendor, remote, id) {
        None => SyncState::DeletedOnTarget,
        Some(there) => compare(local, local.sync_base(target), there),
    }
}

/// The connector with `id` among `remote`.
pub fn find<'a>(vendor: Vendor, remote: &'a [Value], id: &str) -> Option<&'a Value> {
    let id_field = vendor.spec().id_field;
    remote.iter().find(|item| {
        unwrap_response(vendor, item)
            .get(id_field)
            .and_then(super::id_to_string)
            .as_deref()
            == Some(id)
    })
}

/// The state of a file against the connector it is bound to. Without a base (a file from
/// before bases were recorded) a difference counts as a local change: the file is what
/// `apply` sends.
fn compare(local: &Connector, base: Option<SyncBase>, remote: &Value) -> SyncState {
    let vendor = local.vendor;
    let here = fingerprint(vendor, &local.outgoing());
    let there = fingerprint(vendor, remote);
    if here == there {
        // Both sides saying the same is in sync, however they got there.
        return SyncState::InSync;
    }
    match base {
        Some(base) => match (here == base.file, there == base.target) {
            (true, true) => SyncState::InSync,
            (false, true) => SyncState::ChangedLocally,
            (true, false) => SyncState::ChangedOnTarget,
            (false, false) => SyncState::ChangedBoth,
        },
        None => SyncState::ChangedLocally,
    }
}

impl Connector {
    /// What this file and `target` held when last in step, if recorded.
    pub fn sync_base(&self, target: &TargetRef) -> Option<SyncBase> {
        self.ids
            .iter()
            .find(|r| r.is_on(target))
            .and_then(|r| r.base)
    }

    /// Records that the file, as it is now, and `stored` (the server's connector, as it
    /// answered a pull or a submit) are in step on `target`. The id must be recorded first.
    pub fn record_sync(&mut self, target: &TargetRef, stored: &Value) {
        let base = SyncBase {
            file: fingerprint(self.vendor, &self.outgoing()),
            target: fingerprint(self.vendor, stored),
        };
        if let Some(entry) = self.ids.iter_mut().find(|r| r.is_on(target)) {
            entry.base = Some(base);
        }
    }
}
