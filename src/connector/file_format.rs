//! The connector file: the vendor's request body verbatim (so `curl -d @file` works), plus one
//! metadata key saying which vendor it is for and, once submitted, its id on each target:
//! `"$patchcord": {"vendor": "databar", "ids": [{"target": "prod", "base_url": "https://…",
//! "id": 42}]}` (the sandbox's entry has no `base_url`). A bare `"id": 42` is an id an older
//! patchcord wrote without its target; it is read and kept as the legacy id. Sample values
//! live in a separate file beside it and are never part of the body. Pure: bytes in, text
//! out; reading and writing files is `crate::files`.

use super::{Connector, RemoteId, SyncBase, Vendor, id_to_string};
use crate::template::Samples;
use serde_json::{Map, Value};

/// The key holding patchcord's metadata in a connector file.
pub const META_KEY: &str = "$patchcord";

/// Why a connector or samples file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not UTF-8: invalid byte at offset {offset}")]
    NotUtf8 { offset: usize },
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the top level must be a JSON object, found {found}")]
    NotAnObject { found: &'static str },
    #[error("{META_KEY}.{key}: {message}")]
    Meta { key: &'static str, message: String },
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| ParseError::Json {
        line: e.line(),
        // serde_json says column 0 at the start of a line (e.g. at end of input); ours are 1-based.
        column: e.column().max(1),
        message: crate::template::json_message(&e),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(ParseError::NotAnObject {
            found: json_type(&other),
        }),
    }
}

/// Reads a connector file. A file without metadata is taken as the primary vendor's body
/// (Databar's), so the seed's example request loads as it is.
pub fn parse_file(bytes: &[u8]) -> Result<Connector, ParseError> {
    let mut fields = parse_object(bytes)?;
    let mut vendor = Vendor::PRIMARY;
    let mut legacy_id = None;
    let mut ids = Vec::new();
    let mut extra_meta = Map::new();
    if let Some(meta) = fields.shift_remove(META_KEY) {
        let Value::Object(meta) = meta else {
            return Err(ParseError::Meta {
                key: "",
                message: format!("must be an object, found {}", json_type(&meta)),
            });
        };
        for (key, value) in meta {
            match key.as_str() {
                "vendor" => {
                    let name = value.as_str().unwrap_or_default();
                    vendor = Vendor::from_key(name).ok_or_else(|| ParseError::Meta {
                        key: "vendor",
                        message: format!(
                            "unknown vendor {value}; known: {}",
                            Vendor::ALL
                                .iter()
                                .map(|v| v.key())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })?;
                }
                "id" => {
                    legacy_id = match &value {
                        Value::Null => None,
                        other => Some(parse_id("id", other)?),
                    };
                }
                "ids" => ids = parse_ids(value)?,
                _ => {
                    extra_meta.insert(key, value);
                }
            }
        }
    }
    Ok(Connector {
        vendor,
        fields,
        ids,
        legacy_id,
        extra_meta,
    })
}

fn parse_id(key: &'static str, value: &Value) -> Result<String, ParseError> {
    id_to_string(value).ok_or_else(|| ParseError::Meta {
        key,
        message: format!(
            "must be a number or a non-empty string, found {}",
            json_type(value)
        ),
    })
}

/// `[{"target": NAME, "base_url": URL, "id": ID}, ...]`; `base_url` is absent for the sandbox.
fn parse_ids(value: Value) -> Result<Vec<RemoteId>, ParseError> {
    let error = |message: String| ParseError::Meta {
        key: "ids",
        message,
    };
    let Value::Array(items) = value else {
        return Err(error(format!(
            "must be an array, found {}",
            json_type(&value)
        )));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(n, item)| {
            let Value::Object(mut entry) = item else {
                return Err(error(format!(
                    "[{n}] must be an object, found {}",
                    json_type(&item)
                )));
            };
            let target = match entry.shift_remove("target") {
                Some(Value::String(name)) if !name.is_empty() => name,
                _ => return Err(error(format!("[{n}].target must be a target name"))),
            };
            let base_url = match entry.shift_remove("base_url") {
                None | Some(Value::Null) => None,
                Some(Value::String(url)) => Some(url),
                Some(other) => {
                    return Err(error(format!(
                        "[{n}].base_url must be a string, found {}",
                        json_type(&other)
                    )));
                }
            };
            let id = entry
                .shift_remove("id")
                .ok_or_else(|| error(format!("[{n}].id is missing")))?;
            // A base this version cannot read is dropped: it only makes a state less precise.
            let base = entry.shift_remove(SYNCED_KEY).as_ref().and_then(parse_base);
            Ok(RemoteId {
                target,
                base_url,
                id: parse_id("ids", &id)?,
                base,
                extra: entry,
            })
        })
        .collect()
}

/// The key of an id entry holding its [`SyncBase`]: `{"file": HEX, "target": HEX}`.
const SYNCED_KEY: &str = "synced";

fn parse_base(value: &Value) -> Option<SyncBase> {
    let hex = |key: &str| u64::from_str_radix(value.get(key)?.as_str()?, 16).ok();
    Some(SyncBase {
        file: hex("file")?,
        target: hex("target")?,
    })
}

fn base_json(base: &SyncBase) -> Value {
    serde_json::json!({"file": format!("{:016x}", base.file), "target": format!("{:016x}", base.target)})
}

/// An id as the vendor types it: a JSON number for integer ids, else a string.
fn id_json(connector: &Connector, id: &str) -> Value {
    match (connector.spec().id_kind, id.parse::<i64>()) {
        (super::IdKind::Integer, Ok(n)) => Value::from(n),
        _ => Value::String(id.to_owned()),
    }
}

/// Writes a connector file: metadata first, then the body in its own order, pretty-printed
/// with a trailing newline.
pub fn to_file(connector: &Connector) -> String {
    let mut meta = Map::new();
    meta.insert(
        "vendor".into(),
        Value::String(connector.vendor.key().into()),
    );
    if let Some(id) = &connector.legacy_id {
        meta.insert("id".into(), id_json(connector, id));
    }
    if !connector.ids.is_empty() {
        let ids = connector
            .ids
            .iter()
            .map(|entry| {
                let mut out = Map::new();
                out.insert("target".into(), Value::String(entry.target.clone()));
                if let Some(url) = &entry.base_url {
                    out.insert("base_url".into(), Value::String(url.clone()));
                }
                out.insert("id".into(), id_json(connector, &entry.id));
                if let Some(base) = &entry.base {
                    out.insert(SYNCED_KEY.into(), base_json(base));
                }
                out.extend(entry.extra.clone());
                Value::Object(out)
            })
            .collect();
        meta.insert("ids".into(), Value::Array(ids));
    }
    for (k, v) in &connector.extra_meta {
        meta.insert(k.clone(), v.clone());
    }
    let mut out = Map::new();
    out.insert(META_KEY.into(), Value::Object(meta));
    for (k, v) in &connector.fields {
        out.insert(k.clone(), v.clone());
    }
    pretty(&Value::Object(out))
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

/// Reads a samples file: a JSON object of variable name to sample text. Non-string values are
/// kept as their JSON text, so `{"company": {"domain": "x"}}` becomes a structured sample.
pub fn parse_samples(bytes: &[u8]) -> Result<Samples, ParseError> {
    Ok(parse_object(bytes)?
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}

pub fn to_samples(samples: &Samples) -> String {
    let map: Map<String, Value> = samples
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    pretty(&Value::Object(map))
}
