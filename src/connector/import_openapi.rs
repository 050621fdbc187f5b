//! `patchcord import openapi` and the editor's "import OpenAPI…": an OpenAPI 3.0 or 3.1
//! document (YAML or JSON, or a Markdown page holding one in a fenced block, as seed 003 is)
//! read into its operations ([`parse`], [`Spec::operations`]), and one operation into a
//! connector that sends the request it describes ([`import`]).
//!
//! Pure: the document is text. Only local `$ref`s (`#/...`) are followed; a remote one or a
//! cycle is refused with the reference that caused it.

mod body;
mod build;
mod refs;

pub use build::{Imported, Options, import};

use super::import_curl::ImportError;
use serde_json::{Map, Value};

/// The HTTP methods a path item may hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why a document or an operation cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenApiError {
    #[error("not YAML or JSON: {0}")]
    Syntax(String),
    #[error("this is not an OpenAPI document (no `openapi` key at the top, nor in a fenced block)")]
    NotOpenApi,
    #[error(
        "this is a Swagger 2.0 document; patchcord reads OpenAPI 3.0 and 3.1 (convert it first)"
    )]
    Swagger2,
    #[error("OpenAPI {0}: patchcord reads 3.0 and 3.1")]
    Version(String),
    #[error("$ref {reference}: {reason}")]
    Ref {
        reference: String,
        reason: &'static str,
    },
    #[error("$ref cycle: {0}")]
    Cycle(String),
    #[error("{at}: {reason}")]
    Malformed { at: String, reason: &'static str },
    #[error("no operation {0:?}; without --operation the operations are listed")]
    NoOperation(String),
    #[error("{0}")]
    Server(String),
    #[error("{0}")]
    PathParameter(String),
    /// A path parameter without a value: no vendor's URL holds a slot.
    #[error(
        "path parameter {{{name}}}{}: a {vendor} connector's URL is one fixed URL, whose slots are \
         query parameters, headers and body variables, so it cannot be an input slot; \
         give it a value with --path-param {name}=VALUE",
        description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
    )]
    PathSlot {
        name: String,
        description: Option<String>,
        vendor: &'static str,
    },
    #[error("{0}")]
    Connector(#[from] ImportError),
}

/// A document read, with what its reading noted (a Markdown wrapper, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    doc: Value,
    /// The `openapi` field: `3.0.2`, `3.1.0`, ...
    pub version: String,
    pub title: Option<String>,
    pub notes: Vec<String>,
}

/// One operation, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Operation {
    /// `operationId`, when the document gives one.
    pub id: Option<String>,
    /// Upper-case.
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
}

impl Operation {
    /// `GET /pets`: how an operation without an id is chosen.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Everything a filter may match: id, method and path, summary.
    pub fn haystack(&self) -> String {
        format!(
            "{} {} {}",
            self.id.as_deref().unwrap_or_default(),
            self.label(),
            self.summary.as_deref().unwrap_or_default()
        )
    }
}

/// Reads an OpenAPI document: JSON, YAML, or the first fenced YAML or JSON block of a
/// Markdown page that is one.
pub fn parse(text: &str) -> Result<Spec, OpenApiError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let direct = read_document(text);
    if let Ok(doc) = &direct
        && is_api_document(doc)
    {
        return checked(doc.clone(), Vec::new());
    }
    for block in fenced_blocks(text) {
        if let Ok(doc) = read_document(&block)
            && is_api_document(&doc)
        {
            let note = "read the OpenAPI document from the page's fenced code block".to_owned();
            return checked(doc, vec![note]);
        }
    }
    direct.and(Err(OpenApiError::NotOpenApi))
}

fn is_api_document(doc: &Value) -> bool {
    doc.get("openapi").is_some() || doc.get("swagger").is_some()
}

fn checked(doc: Value, notes: Vec<String>) -> Result<Spec, OpenApiError> {
    if doc.get("swagger").is_some() {
        return Err(OpenApiError::Swagger2);
    }
    let version = match doc.get("openapi") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => return Err(OpenApiError::NotOpenApi),
    };
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(OpenApiError::Version(version));
    }
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Spec {
        doc,
        version,
        title,
        notes,
    })
}

/// JSON when it looks like JSON, else YAML (of which JSON is a subset, but JSON's own reader
/// gives the better message for a broken JSON document).
fn read_document(text: &str) -> Result<Value, OpenApiError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| OpenApiError::Syntax(e.to_string()));
    }
    let yaml: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| OpenApiError::Syntax(e.to_string()))?;
    yaml_to_json(yaml)
}

/// YAML's data as JSON's: keys that YAML reads as numbers or booleans (`200:` in responses)
/// become their text, tags are dropped.
fn yaml_to_json(yaml: serde_norway::Value) -> Result<Value, OpenApiError> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(OpenApiError::Syntax(
                            "a mapping key that is a list or a mapping".to_owned(),
                        ));
                    }
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

/// The bodies of a Markdown page's fenced code blocks (three or more backticks, any info
/// string).
fn fenced_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Vec<&str>)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        match &mut open {
            None if ticks >= 3 => open = Some((ticks, Vec::new())),
            Some((fence, _)) if ticks >= *fence && trimmed.trim_end().len() == ticks => {
                if let Some((_, lines)) = open.take() {
                    blocks.push(lines.join("\n"));
                }
            }
            Some((_, lines)) => lines.push(line),
            None => {}
        }
    }
    blocks
}

impl Spec {
    /// The document as JSON (`$ref`s unresolved).
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// Every operation, in the document's order. A path item that is a `$ref` is followed.
    pub fn operations(&self) -> Result<Vec<Operation>, OpenApiError> {
        let mut out = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return Ok(out);
        };
        for (path, item) in paths {
            let item = refs::resolve(&self.doc, item)?;
            let methods = item.as_object().into_iter().flatten();
            for (method, operation) in methods.filter(|(m, _)| METHODS.contains(&m.as_str())) {
                let text = |key: &str| {
                    operation
                        .get(key)
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                };
                out.push(Operation {
                    id: text("operationId"),
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    summary: text("summary"),
                });
            }
        }
        Ok(out)
    }

    /// The operation `selector` names: an `operationId`, or `METHOD /path` (the method in any
    /// case).
    pub fn find(&self, selector: &str) -> Result<Operation, OpenApiError> {
        let selector = selector.trim();
        let operations = self.operations()?;
        let by_id = operations
            .iter()
            .find(|o| o.id.as_deref() == Some(selector));
        let by_label = || {
            let (method, path) = selector.split_once(char::is_whitespace)?;
            operations
                .iter()
                .find(|o| o.method.eq_ignore_ascii_case(method) && o.path == path.trim())
        };
        by_id
            .or_else(by_label)
            .cloned()
            .ok_or_else(|| OpenApiError::NoOperation(selector.to_owned()))
    }

    /// The path item and operation object of `operation`, `$ref`s followed.
    fn objects(&self, operation: &Operation) -> Result<(&Value, &Value), OpenApiError> {
        let missing = || OpenApiError::NoOperation(operation.label());
        let item = self
            .doc
            .get("paths")
            .and_then(|p| p.get(&operation.path))
            .ok_or_else(missing)?;
        let item = refs::resolve(&self.doc, item)?;
        let object = item
            .get(operation.method.to_ascii_lowercase())
            .ok_or_else(missing)?;
        Ok((item, object))
    }
}

#[cfg(test)]
mod tests;
