//! The connector file: the vendor's request body verbatim (so `curl -d @file` works), plus one
//! metadata key, `"$patchcord": {"vendor": "databar", "id": 42}`, saying which vendor it is for
//! and, once submitted, its remote id. Sample values live in a separate file beside it and are
//! never part of the body. Pure: bytes in, text out; reading and writing files is `crate::files`.

use super::{Connector, Vendor, id_to_string};
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

/// Reads a connector file. A file without metadata is taken as a Databar body (the primary
/// vendor), so the seed's example request loads as it is.
pub fn parse_file(bytes: &[u8]) -> Result<Connector, ParseError> {
    let mut fields = parse_object(bytes)?;
    let mut vendor = Vendor::Databar;
    let mut remote_id = None;
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
                    remote_id = match &value {
                        Value::Null => None,
                        other => Some(id_to_string(other).ok_or_else(|| ParseError::Meta {
                            key: "id",
                            message: format!(
                                "must be a number or a string, found {}",
                                json_type(other)
                            ),
                        })?),
                    };
                }
                _ => {
                    extra_meta.insert(key, value);
                }
            }
        }
    }
    Ok(Connector {
        vendor,
        fields,
        remote_id,
        extra_meta,
    })
}

/// Writes a connector file: metadata first, then the body in its own order, pretty-printed
/// with a trailing newline.
pub fn to_file(connector: &Connector) -> String {
    let mut meta = Map::new();
    meta.insert(
        "vendor".into(),
        Value::String(connector.vendor.key().into()),
    );
    if let Some(id) = &connector.remote_id {
        let id_value = match (connector.spec().id_kind, id.parse::<i64>()) {
            (super::IdKind::Integer, Ok(n)) => Value::from(n),
            _ => Value::String(id.clone()),
        };
        meta.insert("id".into(), id_value);
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
