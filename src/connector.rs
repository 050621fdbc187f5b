//! The connector model: one vendor's request body as an ordered JSON object, plus what patchcord
//! needs to find it again (vendor, and its remote id on each target it was sent to).
//!
//! Pure: no IO, no terminal, no HTTP. The body is kept as JSON rather than a struct so unknown
//! fields and the file's key order survive a load and save, and so the editor, the validator and
//! the sandbox can all be driven by the vendor's field table (`vendor.rs`).

mod field_path;
mod file_format;
pub mod file_name;
mod finding;
pub mod import_curl;
pub mod import_openapi;
pub mod mask;
mod name_value;
mod plain_text;
pub mod plan;
mod remote_ids;
pub mod rows;
pub mod schema;
pub mod sync;
mod validate;
mod vendor;

pub use field_path::{FieldPath, PathSeg};
pub use file_format::{META_KEY, ParseError, parse_file, parse_samples, to_file, to_samples};
pub use finding::{Enforcer, Finding, Rule, Severity, has_errors};
pub use name_value::NameValue;
pub use plain_text::{json_text, plain_line, plain_text};
pub use remote_ids::{RemoteId, SANDBOX_TARGET, TargetRef};
pub use sync::{SyncBase, SyncState, content_hash};
pub use validate::{
    TemplateFacts, service_rules, validate, validate_with, validate_with_samples, vendor_findings,
};
pub use vendor::{
    AGENT_STACK, Auth, CARGO, Coercion, DATABAR, FieldKind, FieldSpec, IdKind, LinkSpec, Pace,
    Paging, RequestShape, UpdateMode, Vendor, VendorSpec,
};

use serde_json::{Map, Value};

/// A connector as the user edits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub vendor: Vendor,
    /// The request body exactly as the vendor's API takes it, in file order, unknown keys kept.
    pub fields: Map<String, Value>,
    /// The server's id on each target the connector was created on (or pulled from); use
    /// [`Connector::remote_id_for`] to read the one of a target.
    pub ids: Vec<RemoteId>,
    /// An id written without a target (by an older patchcord): not used until the user says
    /// which target it is on ([`Connector::adopt_legacy_id`]).
    pub legacy_id: Option<String>,
    /// Keys of the file's metadata object that this version does not know; kept on save.
    pub extra_meta: Map<String, Value>,
}

impl Connector {
    /// An empty connector for a vendor, with its required fields present and empty so the
    /// editor shows them.
    pub fn new(vendor: Vendor) -> Self {
        let mut fields = Map::new();
        for field in vendor.spec().fields.iter().filter(|f| f.required) {
            let empty = match field.kind {
                FieldKind::JsonObject | FieldKind::StringMap { .. } => Value::Object(Map::new()),
                FieldKind::NameValues { .. } => Value::Array(Vec::new()),
                // A picker always shows a choice; start on the default or the first one.
                FieldKind::Choice { options } => Value::from(
                    field
                        .default
                        .or(options.first().copied())
                        .unwrap_or_default(),
                ),
                _ => Value::String(String::new()),
            };
            fields.insert(field.key.to_owned(), empty);
        }
        Connector::from_fields(vendor, fields)
    }

    /// A connector that is only a body, such as a request a server received: no remote id,
    /// no metadata.
    pub fn from_fields(vendor: Vendor, fields: Map<String, Value>) -> Self {
        Connector {
            vendor,
            fields,
            ids: Vec::new(),
            legacy_id: None,
            extra_meta: Map::new(),
        }
    }

    pub fn spec(&self) -> &'static VendorSpec {
        self.vendor.spec()
    }

    /// The string value of a field, if it is a string.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// The display name, or a placeholder.
    pub fn display_name(&self) -> &str {
        match self.spec().name_field.and_then(|key| self.text(key)) {
            Some(name) if !name.trim().is_empty() => name,
            _ => "(unnamed)",
        }
    }

    /// What titles call the connector: its name, else the URL it calls.
    pub fn title(&self) -> Option<&str> {
        self.spec()
            .title_keys()
            .filter_map(|key| self.text(key))
            .find(|text| !text.trim().is_empty())
    }

    /// A name-value list field; entries that are not `{name, value}` objects are skipped
    /// (validation reports them).
    pub fn name_values(&self, key: &str) -> Vec<NameValue> {
        self.fields
            .get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(NameValue::from_json).collect())
            .unwrap_or_default()
    }

    pub fn set_name_values(&mut self, key: &str, items: &[NameValue]) {
        let list = items.iter().map(NameValue::to_json).collect();
        self.fields.insert(key.to_owned(), Value::Array(list));
    }

    /// Sets a field, keeping its position when it already exists.
    pub fn set(&mut self, key: &str, value: Value) {
        self.fields.insert(key.to_owned(), value);
    }

    /// The body template, when the vendor has one and it is set (non-null).
    pub fn template(&self) -> Option<&str> {
        self.spec().template_field.and_then(|k| self.text(k))
    }

    /// The body params a template defines (one `{name, value: ""}` per variable, in order of
    /// first appearance), or `None` when there is no template or it does not compile.
    pub fn derived_body(&self) -> Option<Vec<NameValue>> {
        let template = self.template()?;
        let names = crate::template::variables(template).ok()?;
        Some(names.into_iter().map(NameValue::slot).collect())
    }

    /// Whether the request body is JSON: the Content-Type header says so, or, without one,
    /// the template starts like a JSON document.
    pub fn body_is_json(&self) -> bool {
        let content_type = self
            .name_values("headers")
            .into_iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"));
        match content_type {
            Some(header) => header.value.to_ascii_lowercase().contains("json"),
            None => self
                .template()
                .map(str::trim_start)
                .is_some_and(|t| t.starts_with('{') || t.starts_with('[')),
        }
    }

    /// The JSON to send to the vendor: every field as loaded, unknown ones included, with the
    /// body list replaced by the template's variables when a template is set.
    pub fn outgoing(&self) -> Value {
        self.outgoing_from(self.derived_body())
    }

    /// [`Connector::outgoing`] with the template's body params already known (`None`: no
    /// template, or one that does not compile).
    pub fn outgoing_from(&self, derived: Option<Vec<NameValue>>) -> Value {
        let mut fields = self.fields.clone();
        if let (Some(derived), Some(key)) = (derived, self.spec().derived_field) {
            let list = derived.iter().map(NameValue::to_json).collect();
            fields.insert(key.to_owned(), Value::Array(list));
        }
        Value::Object(fields)
    }

    /// The JSON for an update: everything for a replace, only the updatable fields for a
    /// partial update (Cargo's `slug` and `integrationSlug` are fixed once created).
    pub fn outgoing_update(&self) -> Value {
        let mut body = self.outgoing();
        if let Value::Object(fields) = &mut body {
            let spec = self.spec();
            fields.retain(|key, _| spec.updatable(key));
        }
        body
    }

    /// Builds a connector from `target`'s response: server-only fields become metadata (the
    /// id, recorded as `target`'s) or are dropped (timestamps), everything else is kept in the
    /// server's order. A response that wraps the connector (Cargo's `{connector, dataset}`) is
    /// unwrapped first.
    pub fn from_remote(vendor: Vendor, response: &Value, target: &TargetRef) -> Option<Connector> {
        let spec = vendor.spec();
        let object = unwrap_response(vendor, response).as_object()?;
        let ids = object
            .get(spec.id_field)
            .and_then(id_to_string)
            .map(|id| RemoteId::new(target, id))
            .into_iter()
            .collect();
        // A null where the schema takes none (Cargo's unset `rateLimit`) is the server saying
        // "absent": kept, the file could not be sent back.
        let fields = object
            .iter()
            .filter(|(k, _)| !spec.server_fields.contains(&k.as_str()))
            .filter(|(k, v)| !(v.is_null() && spec.field(k).is_some_and(|f| !f.nullable)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some(Connector {
            vendor,
            fields,
            ids,
            legacy_id: None,
            extra_meta: Map::new(),
        })
    }
}

/// The connector object inside a single-connector answer.
pub fn unwrap_response(vendor: Vendor, response: &Value) -> &Value {
    match vendor.spec().response_key {
        Some(key) => response.get(key).unwrap_or(response),
        None => response,
    }
}

/// A remote id as text, from a JSON number or string.
pub fn id_to_string(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// One field the server stored differently from what was sent (`rate_limit: sent 60, stored 10`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub key: String,
    /// `None` when the field was not sent.
    pub sent: Option<Value>,
    /// `None` when the server did not return it.
    pub stored: Option<Value>,
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| v.as_ref().map_or_else(|| "(absent)".to_owned(), compact);
        write!(
            f,
            "{}: sent {}, stored {}",
            self.key,
            show(&self.sent),
            show(&self.stored)
        )
    }
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Compares what was sent with what the server stored, over the vendor's fields and every key
/// that was sent. Server-only fields (`id`, `created_at`) are not changes; a field the server
/// filled with its documented default, or an empty list/null for an absent one, is not either.
pub fn changes(vendor: Vendor, sent: &Value, stored: &Value) -> Vec<FieldChange> {
    let spec = vendor.spec();
    let empty = Map::new();
    let sent = sent.as_object().unwrap_or(&empty);
    let stored = unwrap_response(vendor, stored)
        .as_object()
        .unwrap_or(&empty);
    let mut keys: Vec<&str> = spec.fields.iter().map(|f| f.key).collect();
    for key in sent.keys() {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .filter(|key| !spec.server_fields.contains(key))
        .filter(|key| !spec.field(key).is_some_and(|f| f.write_only))
        .filter_map(|key| {
            let before = sent.get(key);
            let after = stored.get(key);
            let unchanged = match (before, after) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                (None, Some(b)) => is_default(spec.field(key), b),
                (Some(_), None) => false,
            };
            (!unchanged).then(|| FieldChange {
                key: key.to_owned(),
                sent: before.cloned(),
                stored: after.cloned(),
            })
        })
        .collect()
}

/// Whether the server already holds what `sent` would create, so a resubmit is no edit (for
/// Agent Stack, which can only delete and create again). Every field the body sets must have
/// its stored value once the vendor's schema has read it (`https://x.example` is the stored
/// `https://x.example/`). Values the server never returns (an OAuth client id or secret)
/// cannot be compared, so a body that sets one is never unchanged; a write-only switch that
/// only steers creation (`match_preset`) is not compared.
pub fn unchanged(vendor: Vendor, sent: &Value, stored: &Value) -> bool {
    let spec = vendor.spec();
    let (Some(sent), Ok(model)) = (
        sent.as_object(),
        schema::model(spec.fields, spec.coercion, sent),
    ) else {
        return false;
    };
    let stored = unwrap_response(vendor, stored);
    spec.fields
        .iter()
        .filter(|f| sent.contains_key(f.key))
        .all(|f| {
            let value = model.get(f.key).unwrap_or(&Value::Null);
            match (f.write_only, f.kind) {
                (true, FieldKind::Bool) => true,
                (true, _) => value.is_null() || value.as_str() == Some(""),
                (false, _) => stored.get(f.key) == Some(value),
            }
        })
}

fn is_default(field: Option<&FieldSpec>, value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::String(s) => field.and_then(|f| f.default) == Some(s.as_str()),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
