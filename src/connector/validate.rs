//! Validation: the one function every face (CLI, editor, sandbox) uses to judge a connector.
//!
//! Every problem is reported, not just the first, each as a field path, a rule, a message and
//! a severity (`finding.rs`). Rules the vendor's `OpenAPI` schema states (required, type,
//! length, minimum) are `schema` rules, which a `FastAPI` server answers with 422; the rest are
//! semantic (400).

use super::{
    Connector, FieldKind, FieldPath, FieldSpec, Finding, NameValue, PathSeg, Rule, Severity,
};
use crate::template;
use serde_json::Value;
use std::collections::HashMap;

struct Findings(Vec<Finding>);

impl Findings {
    fn error(&mut self, path: FieldPath, rule: Rule, message: String) {
        self.0.push(Finding {
            path,
            rule,
            severity: Severity::Error,
            message,
        });
    }

    fn warning(&mut self, path: FieldPath, rule: Rule, message: String) {
        self.0.push(Finding {
            path,
            rule,
            severity: Severity::Warning,
            message,
        });
    }
}

/// What compiling a template tells: its variables (the body params), or why it does not
/// compile.
pub type TemplateFacts = Result<Vec<String>, template::TemplateError>;

/// Validates a connector against its vendor's rules. Never panics; returns every finding.
pub fn validate(connector: &Connector) -> Vec<Finding> {
    let facts = connector.template().map(template::variables);
    validate_with(connector, facts.as_ref())
}

/// [`validate`] with the template already compiled (`facts` for `connector.template()`), so a
/// caller that keeps the analysis of the text it shows (the editor) does not compile the
/// template again for an edit elsewhere.
pub fn validate_with(connector: &Connector, facts: Option<&TemplateFacts>) -> Vec<Finding> {
    let mut out = Findings(Vec::new());
    let spec = connector.spec();
    for field in spec.fields {
        match connector.fields.get(field.key) {
            None => {
                if field.required {
                    out.error(
                        FieldPath::key(field.key),
                        Rule::Required,
                        format!("{} is required", field.label),
                    );
                }
            }
            Some(Value::Null) if field.nullable => {}
            Some(value) => check_field(&mut out, connector, field, value),
        }
        if spec.template_field == Some(field.key)
            && let Some(Err(err)) = facts
        {
            out.error(
                FieldPath::key(field.key),
                Rule::TemplateSyntax,
                err.to_string(),
            );
        }
    }
    check_pairs(&mut out, connector);
    if let (Some(template_key), Some(derived_key)) = (spec.template_field, spec.derived_field)
        && connector.text(template_key).is_some()
        && !connector.name_values(derived_key).is_empty()
        && let Some(Ok(variables)) = facts
        && variables
            .iter()
            .map(|name| NameValue::slot(name.clone()))
            .ne(connector.name_values(derived_key))
    {
        out.warning(
            FieldPath::key(derived_key),
            Rule::BodyIgnored,
            format!(
                "ignored: {template_key} is set, so the template's variables are the body params"
            ),
        );
    }
    out.0
}

/// `validate`, plus a render of the template with the file's sample values: a template that
/// compiles but runs past its bounds (fuel, output size, recursion) is an error too. Only where
/// samples exist (a file on disk); the vendor's own checks (`validate`) never render.
pub fn validate_with_samples(connector: &Connector, samples: &template::Samples) -> Vec<Finding> {
    let mut out = Findings(validate(connector));
    if let (Some(key), Some(source)) = (connector.spec().template_field, connector.template())
        && let Err(err) = template::render(source, samples)
        && err.limit.is_some()
    {
        out.error(FieldPath::key(key), Rule::TemplateLimit, err.to_string());
    }
    out.0
}

/// Rules between fields: a field that needs another one set.
fn check_pairs(out: &mut Findings, connector: &Connector) {
    let set = |key: &str| {
        connector
            .fields
            .get(key)
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
    };
    if connector.spec().field("client_secret").is_some()
        && set("client_secret")
        && !set("client_id")
    {
        out.error(
            FieldPath::key("client_secret"),
            Rule::Requires("client_id"),
            "needs client_id: a client secret without a client id is refused".into(),
        );
    }
}

fn type_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. }
        | FieldKind::Url { .. }
        | FieldKind::Choice { .. }
        | FieldKind::Template { .. }
        | FieldKind::SecretText
        | FieldKind::Slug => "string",
        FieldKind::Integer { .. } => "integer",
        FieldKind::NameValues { .. } => "list",
        FieldKind::Bool => "boolean",
        FieldKind::StringMap { .. } | FieldKind::JsonObject | FieldKind::UnitRate { .. } => {
            "object"
        }
    }
}

fn check_field(out: &mut Findings, connector: &Connector, field: &FieldSpec, value: &Value) {
    let path = FieldPath::key(field.key);
    let expected = type_name(field.kind);
    let type_error = |out: &mut Findings| {
        let nullable = if field.nullable { " or null" } else { "" };
        let article = if expected == "integer" || expected == "object" {
            "an"
        } else {
            "a"
        };
        out.error(
            path.clone(),
            Rule::Type(expected),
            format!("must be {article} {expected}{nullable}"),
        );
    };
    match field.kind {
        FieldKind::Integer { min } => match value.as_i64() {
            Some(n) if n < min => out.error(
                path,
                Rule::Minimum(min),
                format!(
                    "must be at least {min} (got {n}){}",
                    if field.nullable {
                        ", or null for no limit"
                    } else {
                        ""
                    }
                ),
            ),
            Some(_) => {}
            None => type_error(out),
        },
        FieldKind::NameValues { header_names } => match value.as_array() {
            Some(items) => check_name_values(out, connector, field.key, items, header_names),
            None => type_error(out),
        },
        FieldKind::Bool => {
            if !value.is_boolean() {
                type_error(out);
            }
        }
        FieldKind::JsonObject => {
            if !value.is_object() {
                type_error(out);
            }
        }
        FieldKind::StringMap {
            max_pairs,
            key_max,
            value_max,
        } => match value.as_object() {
            Some(map) => check_string_map(out, field.key, map, (max_pairs, key_max, value_max)),
            None => type_error(out),
        },
        FieldKind::UnitRate { units } => match value.as_object() {
            Some(rate) => check_unit_rate(out, field.key, rate, units),
            None => type_error(out),
        },
        FieldKind::Text { .. }
        | FieldKind::Url { .. }
        | FieldKind::Choice { .. }
        | FieldKind::Template { .. }
        | FieldKind::SecretText
        | FieldKind::Slug => match value.as_str() {
            Some(text) => check_string(out, path, field, text),
            None => type_error(out),
        },
    }
}

/// The rules of the kinds whose value is a string.
fn check_string(out: &mut Findings, path: FieldPath, field: &FieldSpec, text: &str) {
    match field.kind {
        FieldKind::Text { max } => check_text(out, &path, field, text, max),
        FieldKind::Url { max } => {
            check_text(out, &path, field, text, max);
            check_url(out, &path, text);
        }
        FieldKind::Choice { options } => {
            if !options.contains(&text) {
                out.error(
                    path,
                    Rule::OneOf(options),
                    format!("{text:?} is not one of {}", options.join(", ")),
                );
            }
        }
        FieldKind::Template { max } => {
            // Whether it compiles comes from the facts (`validate_with`): compiled once.
            check_text(out, &path, field, text, Some(max));
        }
        FieldKind::Slug => {
            check_text(out, &path, field, text, None);
            if text.chars().any(char::is_whitespace) {
                out.error(
                    path,
                    Rule::SlugSpaces,
                    format!("{text:?} must not contain spaces"),
                );
            }
        }
        _ => check_text(out, &path, field, text, None),
    }
}

fn check_string_map(
    out: &mut Findings,
    key: &str,
    map: &serde_json::Map<String, Value>,
    (max_pairs, key_max, value_max): (usize, usize, usize),
) {
    if map.len() > max_pairs {
        out.error(
            FieldPath::key(key),
            Rule::MaxItems(max_pairs),
            format!("at most {max_pairs} pairs (got {})", map.len()),
        );
    }
    for (name, value) in map {
        let path = FieldPath(vec![
            PathSeg::Key(key.to_owned()),
            PathSeg::Key(name.clone()),
        ]);
        let length = name.chars().count();
        if length > key_max {
            out.error(
                path.clone(),
                Rule::MaxLength(key_max),
                format!("key must be at most {key_max} characters (got {length})"),
            );
        }
        match value.as_str() {
            Some(text) => {
                let length = text.chars().count();
                if length > value_max {
                    out.error(
                        path,
                        Rule::MaxLength(value_max),
                        format!("value must be at most {value_max} characters (got {length})"),
                    );
                }
            }
            None => out.error(path, Rule::Type("string"), "value must be a string".into()),
        }
    }
}

fn check_unit_rate(
    out: &mut Findings,
    key: &str,
    rate: &serde_json::Map<String, Value>,
    units: &'static [&'static str],
) {
    let sub = |name: &str| {
        FieldPath(vec![
            PathSeg::Key(key.to_owned()),
            PathSeg::Key(name.to_owned()),
        ])
    };
    match rate.get("unit") {
        None => out.error(sub("unit"), Rule::Required, "unit is required".into()),
        Some(Value::String(unit)) if units.contains(&unit.as_str()) => {}
        Some(Value::String(unit)) => out.error(
            sub("unit"),
            Rule::OneOf(units),
            format!("{unit:?} is not one of {}", units.join(", ")),
        ),
        Some(_) => out.error(sub("unit"), Rule::Type("string"), "must be a string".into()),
    }
    match rate.get("max") {
        None => out.error(sub("max"), Rule::Required, "max is required".into()),
        Some(value) => match value.as_i64() {
            Some(n) if n < 1 => out.error(
                sub("max"),
                Rule::Minimum(1),
                format!("must be at least 1 (got {n})"),
            ),
            Some(_) => {}
            None => out.error(
                sub("max"),
                Rule::Type("integer"),
                "must be an integer".into(),
            ),
        },
    }
}

fn check_text(
    out: &mut Findings,
    path: &FieldPath,
    field: &FieldSpec,
    text: &str,
    max: Option<usize>,
) {
    if field.required && text.trim().is_empty() {
        out.error(
            path.clone(),
            Rule::Blank,
            format!("{} must not be empty", field.label),
        );
    }
    let length = text.chars().count();
    if let Some(max) = max
        && length > max
    {
        out.error(
            path.clone(),
            Rule::MaxLength(max),
            format!("must be at most {max} characters (got {length})"),
        );
    }
}

fn check_url(out: &mut Findings, path: &FieldPath, text: &str) {
    if text.trim().is_empty() {
        return; // already reported as required
    }
    match url::Url::parse(text) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            if parsed.host_str().is_none_or(str::is_empty) {
                out.error(path.clone(), Rule::UrlInvalid, "has no host".into());
            }
        }
        Ok(parsed) => out.error(
            path.clone(),
            Rule::UrlScheme,
            format!("must be http or https (got {}:)", parsed.scheme()),
        ),
        Err(err) => out.error(
            path.clone(),
            Rule::UrlInvalid,
            format!("is not a valid URL: {err}"),
        ),
    }
}

fn check_name_values(
    out: &mut Findings,
    connector: &Connector,
    key: &str,
    items: &[Value],
    header_names: bool,
) {
    // With a template set, the body list is derived; its own entries are only warned about.
    if connector.spec().derived_field == Some(key) && connector.template().is_some() {
        return;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            out.error(
                FieldPath(vec![PathSeg::Key(key.to_owned()), PathSeg::Index(index)]),
                Rule::NotAnObject,
                "must be an object with name and value".into(),
            );
            continue;
        };
        match object.get("name") {
            None => out.error(
                FieldPath::item(key, index, "name"),
                Rule::Required,
                "name is required".into(),
            ),
            Some(Value::String(_)) => {}
            Some(_) => out.error(
                FieldPath::item(key, index, "name"),
                Rule::Type("string"),
                "must be a string".into(),
            ),
        }
        if let Some(value) = object.get("value")
            && !value.is_string()
        {
            out.error(
                FieldPath::item(key, index, "value"),
                Rule::Type("string"),
                "must be a string".into(),
            );
        }
        let Some(pair) = NameValue::from_json(item) else {
            continue;
        };
        let path = FieldPath::item(key, index, "name");
        if pair.name.trim().is_empty() {
            out.error(path, Rule::EmptyName, "name must not be empty".into());
            continue;
        }
        if header_names && http::HeaderName::from_bytes(pair.name.as_bytes()).is_err() {
            out.error(
                path.clone(),
                Rule::HeaderName,
                format!("{:?} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)", pair.name),
            );
        }
        let folded = if header_names {
            pair.name.to_ascii_lowercase()
        } else {
            pair.name.clone()
        };
        if let Some(first) = seen.get(&folded) {
            out.warning(
                path,
                Rule::DuplicateName,
                format!("{:?} is also at {key}[{first}]", pair.name),
            );
        } else {
            seen.insert(folded, index);
        }
    }
}
