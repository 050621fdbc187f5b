//! An operation's request body: a JSON one becomes a `body_template` with one variable per
//! top-level property (`{{ name|tojson }}`, typed values converted from a column's text), a
//! form one becomes body fields; the document's examples (media `example(s)`, property
//! `example`/`examples`, defaults, composed through nested schemas) become sample values.

use super::OpenApiError;
use super::refs::{self, Trail};
use crate::connector::NameValue;
use crate::connector::import_curl::template_of;
use serde_json::{Map, Value};

/// A body read from the document.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Body {
    Template {
        template: String,
        content_type: String,
        samples: Vec<(String, String)>,
    },
    Fields {
        fields: Vec<NameValue>,
        samples: Vec<(String, String)>,
    },
}

/// How deep an example is composed through nested schemas.
const MAX_DEPTH: usize = 12;

/// Names a template variable cannot have beyond the statement words (`template::KEYWORDS`):
/// literals, the loop's own names and minijinja's globals.
const NOT_VARIABLES: &[&str] = &[
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "loop",
    "self",
    "super",
    "range",
    "dict",
    "debug",
    "namespace",
    "varargs",
    "kwargs",
    "caller",
];

/// A value as sample text: a string as it is, anything else as JSON (an object or array is
/// then used as structured data by the preview).
pub(crate) fn sample_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The operation's request body, if it has one a connector can send.
pub(super) fn body(
    doc: &Value,
    object: &Value,
    notes: &mut Vec<String>,
) -> Result<Option<Body>, OpenApiError> {
    let Some(request_body) = object.get("requestBody") else {
        return Ok(None);
    };
    let request_body = refs::resolve(doc, request_body)?;
    let Some(content) = request_body.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let essence = |media: &str| {
        media
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let json = content.iter().find(|(media, _)| {
        let media = essence(media);
        media == "application/json" || media.ends_with("+json")
    });
    let form = content
        .iter()
        .find(|(media, _)| essence(media) == "application/x-www-form-urlencoded");
    let mut trail = Trail::default();
    if let Some((media_type, media)) = json {
        return template_body(doc, media_type, media, &mut trail, notes).map(Some);
    }
    if let Some((_, media)) = form {
        return form_body(doc, media, &mut trail, notes).map(Some);
    }
    let types: Vec<&str> = content.keys().map(String::as_str).collect();
    notes.push(format!(
        "request body ({}) left out: a connector's body is JSON or form fields",
        types.join(", ")
    ));
    Ok(None)
}

/// One property of the body: its JSON key, its template variable, its schema's type.
struct Property<'a> {
    key: String,
    variable: String,
    schema: &'a Value,
}

fn template_body(
    doc: &Value,
    media_type: &str,
    media: &Value,
    trail: &mut Trail,
    notes: &mut Vec<String>,
) -> Result<Body, OpenApiError> {
    let empty = Value::Object(Map::new());
    let schema = media.get("schema").unwrap_or(&empty);
    let (resolved, pushed) = trail.enter(doc, schema)?;
    let properties = named_properties(doc, resolved, trail, notes)?;
    let media_example = media_example(doc, media)?;
    let mut samples = Vec::new();
    let template = if properties.is_empty() {
        let kind = scalar_type(doc, resolved, trail)?;
        if let Some(example) = media_example
            .clone()
            .or(example_of(doc, resolved, trail, 0)?)
        {
            samples.push(("body".to_owned(), sample_text(&example)));
        }
        slot("body", kind)
    } else {
        let mut lines = Vec::new();
        let mut typed = Vec::new();
        for property in &properties {
            let kind = scalar_type(doc, property.schema, trail)?;
            if kind.is_some() {
                typed.push(property.variable.clone());
            }
            let example = match media_example.as_ref().and_then(|e| e.get(&property.key)) {
                Some(example) => Some(example.clone()),
                None => example_of(doc, property.schema, trail, 0)?,
            };
            if let Some(example) = example {
                samples.push((property.variable.clone(), sample_text(&example)));
            }
            let key = template_of(&Value::from(property.key.as_str()).to_string());
            lines.push(format!("  {key}: {}", slot(&property.variable, kind)));
        }
        if !typed.is_empty() {
            notes.push(format!(
                "body values {} are numbers or booleans in the document: the template converts the text it is given (|int, |float, == \"true\")",
                typed.join(", ")
            ));
        }
        format!("{{\n{}\n}}", lines.join(",\n"))
    };
    trail.leave(pushed);
    let variables: Vec<&str> = if properties.is_empty() {
        vec!["body"]
    } else {
        properties.iter().map(|p| p.variable.as_str()).collect()
    };
    notes.push(format!(
        "the {media_type} body is a template with the variables {}: input slots of the body; the document's examples are their sample values",
        variables.join(", ")
    ));
    Ok(Body::Template {
        template,
        content_type: media_type.to_owned(),
        samples,
    })
}

fn form_body(
    doc: &Value,
    media: &Value,
    trail: &mut Trail,
    notes: &mut Vec<String>,
) -> Result<Body, OpenApiError> {
    let empty = Value::Object(Map::new());
    let schema = media.get("schema").unwrap_or(&empty);
    let (resolved, pushed) = trail.enter(doc, schema)?;
    let properties = properties(doc, resolved, trail)?;
    let mut fields = Vec::new();
    let mut samples = Vec::new();
    for (key, schema) in properties {
        if let Some(example) = example_of(doc, schema, trail, 0)? {
            samples.push((key.clone(), sample_text(&example)));
        }
        fields.push(NameValue::slot(key));
    }
    trail.leave(pushed);
    notes.push("the form body's properties are body fields".to_owned());
    Ok(Body::Fields { fields, samples })
}

/// The template expression of one variable: JSON-quoted, a number or boolean converted
/// from text first (a table column's value is text).
fn slot(variable: &str, kind: Option<&str>) -> String {
    match kind {
        Some("integer") => format!("{{{{ {variable}|int|tojson }}}}"),
        Some("number") => format!("{{{{ {variable}|float|tojson }}}}"),
        Some("boolean") => format!("{{{{ ({variable}|string|lower == \"true\")|tojson }}}}"),
        _ => format!("{{{{ {variable}|tojson }}}}"),
    }
}

/// `integer`, `number` or `boolean` when that is the schema's type (3.1's `["integer",
/// "null"]` included).
fn scalar_type(
    doc: &Value,
    schema: &Value,
    trail: &mut Trail,
) -> Result<Option<&'static str>, OpenApiError> {
    let (resolved, pushed) = trail.enter(doc, schema)?;
    let types: Vec<&str> = match resolved.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    trail.leave(pushed);
    let mut concrete = types.into_iter().filter(|t| *t != "null");
    Ok(match (concrete.next(), concrete.next()) {
        (Some("integer"), None) => Some("integer"),
        (Some("number"), None) => Some("number"),
        (Some("boolean"), None) => Some("boolean"),
        _ => None,
    })
}

/// The body's properties with their template variables (identifiers, one per property).
fn named_properties<'a>(
    doc: &'a Value,
    schema: &'a Value,
    trail: &mut Trail,
    notes: &mut Vec<String>,
) -> Result<Vec<Property<'a>>, OpenApiError> {
    let mut out: Vec<Property<'a>> = Vec::new();
    for (key, schema) in properties(doc, schema, trail)? {
        let taken: Vec<&str> = out.iter().map(|p| p.variable.as_str()).collect();
        let variable = identifier(&key, &taken);
        if variable != key {
            notes.push(format!(
                "body property {key:?} is the template variable {variable} (a variable is a plain identifier)"
            ));
        }
        out.push(Property {
            key,
            variable,
            schema,
        });
    }
    Ok(out)
}

/// A schema's properties, those of its `allOf` members first, each `$ref` followed.
fn properties<'a>(
    doc: &'a Value,
    schema: &'a Value,
    trail: &mut Trail,
) -> Result<Vec<(String, &'a Value)>, OpenApiError> {
    let mut out: Vec<(String, &Value)> = Vec::new();
    let mut add = |key: &String, value: &'a Value| {
        out.retain(|(k, _)| k != key);
        out.push((key.clone(), value));
    };
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (resolved, pushed) = trail.enter(doc, member)?;
        let inner = properties(doc, resolved, trail);
        trail.leave(pushed);
        for (key, value) in inner? {
            add(&key, value);
        }
    }
    if let Some(own) = schema.get("properties").and_then(Value::as_object) {
        for (key, value) in own {
            add(key, value);
        }
    }
    Ok(out)
}

/// A name a template can use: other characters as `_`, not starting with a digit, not a
/// reserved word, not taken by an earlier property.
fn identifier(name: &str, taken: &[&str]) -> String {
    let mut id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    let reserved = |id: &str| {
        crate::template::KEYWORDS.contains(&id)
            || NOT_VARIABLES.contains(&id)
            || taken.contains(&id)
    };
    while reserved(&id) {
        id.push('_');
    }
    id
}

/// The media type's example: `example`, or the first of `examples` (an Example Object, maybe
/// a `$ref` to one).
fn media_example(doc: &Value, media: &Value) -> Result<Option<Value>, OpenApiError> {
    if let Some(example) = media.get("example") {
        return Ok(Some(example.clone()));
    }
    let Some(first) = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|e| e.values().next())
    else {
        return Ok(None);
    };
    Ok(refs::resolve(doc, first)?.get("value").cloned())
}

/// An example of a schema: its own `example`, first `examples`, `const` or `default`, else
/// one composed from its properties' (all it requires among them) or items' examples. A schema that contains itself is
/// refused (a cycle).
fn example_of(
    doc: &Value,
    schema: &Value,
    trail: &mut Trail,
    depth: usize,
) -> Result<Option<Value>, OpenApiError> {
    if depth > MAX_DEPTH || trail.spent() {
        return Ok(None);
    }
    let (resolved, pushed) = trail.enter(doc, schema)?;
    let example = composed_example(doc, resolved, trail, depth);
    trail.leave(pushed);
    example
}

fn composed_example(
    doc: &Value,
    schema: &Value,
    trail: &mut Trail,
    depth: usize,
) -> Result<Option<Value>, OpenApiError> {
    let first_of = |key: &str| schema.get(key).and_then(Value::as_array)?.first().cloned();
    let own = schema
        .get("example")
        .cloned()
        .or_else(|| first_of("examples"))
        .or_else(|| schema.get("const").cloned())
        .or_else(|| schema.get("default").cloned());
    if own.is_some() {
        return Ok(own);
    }
    let mut object = Map::new();
    for (key, property) in properties(doc, schema, trail)? {
        if let Some(example) = example_of(doc, property, trail, depth + 1)? {
            object.insert(key, example);
        }
    }
    // An object is composed only when every property it requires has an example.
    let required = schema.get("required").and_then(Value::as_array);
    let complete = required
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .all(|key| object.contains_key(key));
    if !object.is_empty() && complete {
        return Ok(Some(Value::Object(object)));
    }
    if let Some(items) = schema.get("items") {
        return Ok(example_of(doc, items, trail, depth + 1)?.map(|item| Value::Array(vec![item])));
    }
    Ok(None)
}
