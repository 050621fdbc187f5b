//! Which target a remote id lives on. Ids are small integers (Databar) or UUIDs handed out by
//! each server independently, so `42` on staging and `42` on prod are unrelated connectors: an
//! id is only ever used on the target it was recorded for. Remote targets are told apart by
//! name and base URL; the embedded sandbox by its name alone, since it listens on whatever
//! loopback port was free. An id written by an older patchcord, without a target, is kept as
//! a *legacy* id until the user says which target it belongs to.

use super::Connector;
use serde_json::{Map, Value};

/// The name of the embedded sandbox as a target (a config cannot define a target by it).
pub const SANDBOX_TARGET: &str = "sandbox";

/// A target as ids refer to it: its name and base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRef {
    pub name: String,
    /// Without a trailing slash.
    pub base_url: String,
}

impl TargetRef {
    pub fn new(name: &str, base_url: &str) -> TargetRef {
        TargetRef {
            name: name.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The embedded sandbox, listening at `base_url` this time.
    pub fn sandbox(base_url: &str) -> TargetRef {
        TargetRef::new(SANDBOX_TARGET, base_url)
    }

    pub fn is_sandbox(&self) -> bool {
        self.name == SANDBOX_TARGET
    }

    /// Whether two references mean the same target: the same name, and for a remote target
    /// the same base URL (a `prod` whose URL changed is another server).
    pub fn same_as(&self, other: &TargetRef) -> bool {
        self.name == other.name && (self.is_sandbox() || self.base_url == other.base_url)
    }

    /// `SANDBOX` or `LIVE prod https://api.databar.ai`, for questions and messages.
    pub fn describe(&self) -> String {
        if self.is_sandbox() {
            "SANDBOX".to_owned()
        } else {
            format!("LIVE {} {}", self.name, self.base_url)
        }
    }
}

/// One id in a connector file, with the target it lives on.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteId {
    pub target: String,
    /// `None` for the sandbox, whose address changes from run to run.
    pub base_url: Option<String>,
    pub id: String,
    /// What the file and the target held when last in step (absent in older files).
    pub base: Option<super::SyncBase>,
    /// Keys of the entry this version does not know; kept on save.
    pub extra: Map<String, Value>,
}

impl RemoteId {
    pub fn new(target: &TargetRef, id: String) -> RemoteId {
        RemoteId {
            target: target.name.clone(),
            base_url: (!target.is_sandbox()).then(|| target.base_url.clone()),
            id,
            base: None,
            extra: Map::new(),
        }
    }

    /// Whether this id lives on `target` (see [`TargetRef::same_as`]). A remote entry without
    /// a base URL names no server, so it matches none.
    pub fn is_on(&self, target: &TargetRef) -> bool {
        let base_url = self.base_url.as_deref().unwrap_or_default();
        TargetRef::new(&self.target, base_url).same_as(target)
            && (target.is_sandbox() || self.base_url.is_some())
    }
}

impl Connector {
    /// The connector's id on `target`, if it was created (or pulled) there.
    pub fn remote_id_for(&self, target: &TargetRef) -> Option<&str> {
        self.ids
            .iter()
            .find(|r| r.is_on(target))
            .map(|r| r.id.as_str())
    }

    /// Records the connector's id on `target`, replacing the one recorded there before.
    pub fn set_remote_id(&mut self, target: &TargetRef, id: String) {
        match self.ids.iter().position(|r| r.is_on(target)) {
            Some(at) => {
                if let Some(entry) = self.ids.get_mut(at)
                    && entry.id != id
                {
                    // Another connector: what was in step with the old one says nothing.
                    entry.id = id;
                    entry.base = None;
                }
            }
            None => self.ids.push(RemoteId::new(target, id)),
        }
    }

    /// Forgets the connector's id on `target` (it was deleted there); other targets keep theirs.
    pub fn forget_remote_id(&mut self, target: &TargetRef) {
        self.ids.retain(|r| !r.is_on(target));
    }

    /// Forgets every id (a copy that is to become a new connector everywhere).
    pub fn clear_remote_ids(&mut self) {
        self.ids.clear();
        self.legacy_id = None;
    }

    /// The id to ask about before sending to `target`: an id recorded without a target, when
    /// `target` has none of its own. Until the user answers, nothing is PUT to it.
    pub fn unbound_legacy_id(&self, target: &TargetRef) -> Option<&str> {
        match self.remote_id_for(target) {
            Some(_) => None,
            None => self.legacy_id.as_deref(),
        }
    }

    /// The user says the legacy id lives on `target`: it becomes that target's id. Returns
    /// false when there was nothing to bind.
    pub fn adopt_legacy_id(&mut self, target: &TargetRef) -> bool {
        if self.remote_id_for(target).is_some() {
            return false;
        }
        match self.legacy_id.take() {
            Some(id) => {
                self.set_remote_id(target, id);
                true
            }
            None => false,
        }
    }

    /// Keeps what an older copy of the file knew about other targets (a pull refreshing a
    /// file replaces the body and this target's id, not the ids recorded elsewhere).
    pub fn keep_other_ids(&mut self, older: &Connector) {
        for entry in &older.ids {
            let mine = self
                .ids
                .iter()
                .any(|r| r.target == entry.target && r.base_url == entry.base_url);
            if !mine {
                self.ids.push(entry.clone());
            }
        }
        if self.legacy_id.is_none() {
            self.legacy_id.clone_from(&older.legacy_id);
        }
    }
}
