//! Validation: the one function the editor and the CLI use to judge a connector, and the
//! vendor's half of it, which the sandbox uses.
//!
//! Every problem is reported, not just the first, each as a field path, a rule, a message, a
//! severity and who enforces it (`finding.rs`):
//! - the vendor's schema (`schema.rs`), judged on what a submit would send;
//! - the vendor's service rules beyond its schema (`service_rules`);
//! - patchcord's advice (`advice`), which the vendor accepts: the sandbox never applies it.

use super::schema::{self, ErrorKind, MapLimit, SchemaError};
use super::{
    Coercion, Connector, Enforcer, FieldKind, FieldPath, FieldSpec, Finding, NameValue, Rule,
    Severity, VendorSpec,
};
use crate::template;
use serde_json::Value;
use std::collections::HashMap;

struct Findings(Vec<Finding>);

impl Findings {
    fn push(
        &mut self,
        by: Enforcer,
        severity: Severity,
        path: FieldPath,
        rule: Rule,
        message: String,
    ) {
        self.0.push(Finding {
            path,
            rule,
            severity,
            message,
            by,
        });
    }

    fn advise(&mut self, severity: Severity, path: FieldPath, rule: Rule, message: String) {
        self.push(Enforcer::Client, severity, path, rule, message);
    }
}

/// What compiling a template tells: its variables (the body params), or why it does not
/// compile.
pub type TemplateFacts = Result<Vec<String>, template::TemplateError>;

/// Validates a connector against its vendor's rules and patchcord's advice. Never panics;
/// returns every finding, ordered by the vendor's field order.
pub fn validate(connector: &Connector) -> Vec<Finding> {
    let facts = connector.template().map(template::variables);
    validate_with(connector, facts.as_ref())
}

/// [`validate`] with the template already compiled (`facts` for `connector.template()`), so a
/// caller that keeps the analysis of the text it shows (the editor) does not compile the
/// template again for an edit elsewhere.
pub fn validate_with(connector: &Connector, facts: Option<&TemplateFacts>) -> Vec<Finding> {
    let spec = connector.spec();
    let derived = facts
        .and_then(|f| f.as_ref().ok())
        .map(|names| names.iter().map(|n| NameValue::slot(n.clone())).collect());
    let mut out = Findings(schema_findings(spec, &connector.outgoing_from(derived)));
    out.0.extend(service_rules(connector));
    advice(&mut out, connector, facts);
    let position = |f: &Finding| {
        f.path
            .field()
            .and_then(|key| spec.fields.iter().position(|s| s.key == key))
            .unwrap_or(usize::MAX)
    };
    out.0.sort_by_key(position);
    out.0
}

/// What the vendor itself refuses in a body, as it was received: its schema, then (when the
/// schema passed) its service rules. The sandbox's judgement of a Cargo request.
pub fn vendor_findings(connector: &Connector) -> Vec<Finding> {
    let found = schema_findings(connector.spec(), &Value::Object(connector.fields.clone()));
    if found.is_empty() {
        service_rules(connector)
    } else {
        found
    }
}

/// The vendor's schema errors as findings with messages for people.
fn schema_findings(spec: &VendorSpec, body: &Value) -> Vec<Finding> {
    let errors = schema::model(spec.fields, spec.coercion, body)
        .err()
        .unwrap_or_default();
    errors
        .iter()
        .map(|error| {
            let field = error.path.field().and_then(|key| spec.field(key));
            let (rule, message) = describe(field, error);
            Finding {
                path: error.path.clone(),
                rule,
                severity: Severity::Error,
                message,
                by: Enforcer::Schema,
            }
        })
        .collect()
}

/// The rule and a message for one schema error; `field` is the top-level field it is under.
fn describe(field: Option<&FieldSpec>, error: &SchemaError) -> (Rule, String) {
    let top = error.path.0.len() == 1;
    let got = shown(&error.input);
    let or_null = if top && field.is_some_and(|f| f.nullable) {
        " or null"
    } else {
        ""
    };
    let typed = |expected: &'static str| {
        let article = if matches!(expected, "integer" | "object") {
            "an"
        } else {
            "a"
        };
        (
            Rule::Type(expected),
            format!("must be {article} {expected}{or_null} (got {got})"),
        )
    };
    match &error.kind {
        ErrorKind::Missing => {
            let name = match (top, field) {
                (true, Some(field)) => field.label.to_owned(),
                _ => error.path.0.last().map_or_else(String::new, segment),
            };
            (Rule::Required, format!("{name} is required"))
        }
        ErrorKind::ModelAttributesType if error.path.0.is_empty() => {
            (Rule::NotAnObject, "the body must be a JSON object".into())
        }
        ErrorKind::ModelAttributesType => (
            Rule::NotAnObject,
            "must be an object with name and value".into(),
        ),
        ErrorKind::StringType | ErrorKind::UrlType => typed("string"),
        ErrorKind::IntType
        | ErrorKind::IntParsing
        | ErrorKind::IntFromFloat
        | ErrorKind::IntParsingSize => typed("integer"),
        ErrorKind::BoolType | ErrorKind::BoolParsing => typed("boolean"),
        ErrorKind::ListType => typed("list"),
        ErrorKind::DictType => typed("object"),
        ErrorKind::UuidType => typed("UUID"),
        ErrorKind::StringTooLong(max) => {
            let length = error.input.as_str().map_or(0, |t| t.chars().count());
            let message = format!("must be at most {max} characters (got {length})");
            (Rule::MaxLength(*max), message)
        }
        ErrorKind::GreaterThanEqual(min) => {
            let no_limit = if or_null.is_empty() {
                ""
            } else {
                ", or null for no limit"
            };
            let message = format!("must be at least {min} (got {got}){no_limit}");
            (Rule::Minimum(*min), message)
        }
        ErrorKind::LessThanEqual(max) => (
            Rule::Maximum(*max),
            format!("must be at most {max} (got {got})"),
        ),
        ErrorKind::UrlParsing(reason) => {
            (Rule::UrlInvalid, format!("is not a valid URL: {reason}"))
        }
        ErrorKind::UuidParsing(reason) => {
            (Rule::Type("UUID"), format!("is not a valid UUID: {reason}"))
        }
        ErrorKind::Enum(options) => (
            Rule::OneOf(options),
            format!("{got} is not one of {}", options.join(", ")),
        ),
        ErrorKind::MapLimit { limit, key, .. } => map_limit(*limit, key.as_deref(), &error.input),
    }
}

/// The rule and a message for a string map's limit, naming the first offending key.
fn map_limit(limit: MapLimit, key: Option<&str>, map: &Value) -> (Rule, String) {
    let key = key.unwrap_or_default();
    match limit {
        MapLimit::Pairs(n) => {
            let count = map.as_object().map_or(0, serde_json::Map::len);
            (
                Rule::MaxItems(n),
                format!("at most {n} pairs (got {count})"),
            )
        }
        MapLimit::KeyLength(n) => (
            Rule::MaxLength(n),
            format!("key {key:?} is longer than {n} characters"),
        ),
        MapLimit::ValueLength(n) => (
            Rule::MaxLength(n),
            format!("the value of {key:?} is longer than {n} characters"),
        ),
    }
}

fn segment(seg: &super::PathSeg) -> String {
    match seg {
        super::PathSeg::Key(key) => key.clone(),
        super::PathSeg::Index(index) => index.to_string(),
    }
}

/// A value as a message quotes it: strings quoted, long ones cut.
fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() > 40 {
        let head: String = text.chars().take(37).collect();
        format!("{head}...")
    } else {
        text
    }
}

/// The vendor's rules beyond its schema, which its service answers with a 400: a field set
/// without the field it requires (Agent Stack's client secret without a client id), Cargo a
/// slug with spaces.
pub fn service_rules(connector: &Connector) -> Vec<Finding> {
    let mut out = Findings(Vec::new());
    let spec = connector.spec();
    // The vendor's test is Python truthiness: a non-empty string.
    let set = |key: &str| connector.text(key).is_some_and(|t| !t.is_empty());
    for field in spec.fields {
        if let Some(needed) = field.requires
            && set(field.key)
            && !set(needed)
        {
            out.push(
                Enforcer::Service,
                Severity::Error,
                FieldPath::key(field.key),
                Rule::Requires(needed),
                format!("{needed} must be present when {} is specified", field.key),
            );
        }
    }
    for field in spec.fields.iter().filter(|f| f.kind == FieldKind::Slug) {
        if let Some(text) = connector.text(field.key)
            && text.chars().any(char::is_whitespace)
        {
            out.push(
                Enforcer::Service,
                Severity::Error,
                FieldPath::key(field.key),
                Rule::SlugSpaces,
                format!("{text:?} must not contain spaces"),
            );
        }
    }
    out.0
}

/// `validate`, plus a render of the template with the file's sample values: a template that
/// compiles but runs past its bounds (fuel, output size, recursion) is an error too. Only where
/// samples exist (a file on disk); the vendor's own checks never render.
pub fn validate_with_samples(connector: &Connector, samples: &template::Samples) -> Vec<Finding> {
    let mut out = Findings(validate(connector));
    if let (Some(key), Some(source)) = (connector.spec().template_field, connector.template())
        && let Err(err) = template::render(source, samples)
        && err.limit.is_some()
    {
        out.advise(
            Severity::Error,
            FieldPath::key(key),
            Rule::TemplateLimit,
            err.to_string(),
        );
    }
    out.0
}

/// patchcord's advice: what the vendor accepts but a user most likely did not mean.
fn advice(out: &mut Findings, connector: &Connector, facts: Option<&TemplateFacts>) {
    let spec = connector.spec();
    for field in spec.fields {
        let Some(value) = connector.fields.get(field.key) else {
            continue;
        };
        let path = FieldPath::key(field.key);
        match (field.kind, value) {
            (
                FieldKind::Text { .. } | FieldKind::Slug | FieldKind::SecretText,
                Value::String(text),
            ) => {
                blank(out, field, &path, text);
            }
            (FieldKind::Url { .. }, Value::String(text)) if field.any_url => {
                any_url_scheme(out, spec, &path, text);
            }
            (FieldKind::Url { .. }, Value::String(text)) => {
                let reported = blank(out, field, &path, text);
                if !reported {
                    check_url(out, &path, text);
                }
            }
            (FieldKind::Choice { options }, Value::String(text))
                if !options.contains(&text.as_str()) =>
            {
                out.advise(
                    Severity::Error,
                    path,
                    Rule::OneOf(options),
                    format!("{text:?} is not one of {}", options.join(", ")),
                );
            }
            // Whether it compiles comes from the facts: compiled once, by the caller.
            (FieldKind::Template { .. }, Value::String(_)) => {
                if let Some(Err(err)) = facts {
                    out.advise(Severity::Error, path, Rule::TemplateSyntax, err.to_string());
                }
            }
            (FieldKind::NameValues { header_names }, Value::Array(items)) => {
                check_name_values(out, connector, field.key, items, header_names);
            }
            (FieldKind::Integer { .. } | FieldKind::Bool, _) => coerced(out, spec, field, value),
            _ => {}
        }
    }
    body_ignored(out, connector, facts);
}

/// A required text that is only whitespace: the vendor stores it, the user surely did not mean
/// to. True when reported.
fn blank(out: &mut Findings, field: &FieldSpec, path: &FieldPath, text: &str) -> bool {
    let is_blank = field.required && text.trim().is_empty();
    if is_blank {
        out.advise(
            Severity::Error,
            path.clone(),
            Rule::Blank,
            format!("{} must not be empty", field.label),
        );
    }
    is_blank
}

/// A URL the vendor parses with any scheme: only a warning when it is not http(s), which is
/// all a connect can reach.
fn any_url_scheme(out: &mut Findings, spec: &VendorSpec, path: &FieldPath, text: &str) {
    if let Ok(parsed) = url::Url::parse(text)
        && !matches!(parsed.scheme(), "http" | "https")
    {
        out.advise(
            Severity::Warning,
            path.clone(),
            Rule::UrlScheme,
            format!(
                "{} accepts {}: URLs, but a connect can only reach http or https servers",
                spec.label,
                parsed.scheme()
            ),
        );
    }
}

fn check_url(out: &mut Findings, path: &FieldPath, text: &str) {
    match url::Url::parse(text) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            if parsed.host_str().is_none_or(str::is_empty) {
                out.advise(
                    Severity::Error,
                    path.clone(),
                    Rule::UrlInvalid,
                    "has no host".into(),
                );
            }
        }
        Ok(parsed) => out.advise(
            Severity::Error,
            path.clone(),
            Rule::UrlScheme,
            format!("must be http or https (got {}:)", parsed.scheme()),
        ),
        Err(err) => out.advise(
            Severity::Error,
            path.clone(),
            Rule::UrlInvalid,
            format!("is not a valid URL: {err}"),
        ),
    }
}

/// A lax vendor turns `"5"` into 5 and `"yes"` into true; the file still says otherwise.
fn coerced(out: &mut Findings, spec: &VendorSpec, field: &FieldSpec, value: &Value) {
    if spec.coercion != Coercion::Lax {
        return;
    }
    let read = match field.kind {
        FieldKind::Integer { .. } if !value.is_i64() && !value.is_u64() && !value.is_null() => {
            schema::lax_int(value).ok().map(Value::from)
        }
        FieldKind::Bool if !value.is_boolean() => schema::lax_bool(value).ok().map(Value::from),
        _ => None,
    };
    if let Some(read) = read {
        out.advise(
            Severity::Warning,
            FieldPath::key(field.key),
            Rule::Coerced,
            format!("{} reads {} as {read}", spec.label, shown(value)),
        );
    }
}

/// With a template set, the body list sent is the template's variables, not the file's.
fn body_ignored(out: &mut Findings, connector: &Connector, facts: Option<&TemplateFacts>) {
    let spec = connector.spec();
    if let (Some(template_key), Some(derived_key)) = (spec.template_field, spec.derived_field)
        && connector.text(template_key).is_some()
        && !connector.name_values(derived_key).is_empty()
        && let Some(Ok(variables)) = facts
        && variables
            .iter()
            .map(|name| NameValue::slot(name.clone()))
            .ne(connector.name_values(derived_key))
    {
        out.advise(
            Severity::Warning,
            FieldPath::key(derived_key),
            Rule::BodyIgnored,
            format!(
                "ignored: {template_key} is set, so the template's variables are the body params"
            ),
        );
    }
}

/// Names in a `{name, value}` list: not empty, header tokens, no duplicates. Items the schema
/// refuses are its findings, not these.
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
        let Some(pair) = NameValue::from_json(item) else {
            continue;
        };
        let path = FieldPath::item(key, index, "name");
        if pair.name.trim().is_empty() {
            out.advise(
                Severity::Error,
                path,
                Rule::EmptyName,
                "name must not be empty".into(),
            );
            continue;
        }
        if header_names && http::HeaderName::from_bytes(pair.name.as_bytes()).is_err() {
            out.advise(
                Severity::Error,
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
            out.advise(
                Severity::Warning,
                path,
                Rule::DuplicateName,
                format!("{:?} is also at {key}[{first}]", pair.name),
            );
        } else {
            seen.insert(folded, index);
        }
    }
}
