//! From one operation to a connector: the server and path as the URL, query parameters as
//! input slots (required ones first), header parameters and the security scheme as headers, a
//! JSON body as a `body_template` (`body.rs`), and the document's examples as sample values.
//! What the vendor has fields for comes from its table, by the curl importer's rules.

use super::body::{self, Body};
use super::refs;
use super::{OpenApiError, Operation, Spec};
use crate::connector::import_curl::{self, ImportError};
use crate::connector::{Connector, NameValue, Vendor};
use crate::template::Samples;
use serde_json::Value;

/// How to import: for which vendor, from which server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub vendor: Vendor,
    /// Index into `servers` (the operation's, else its path's, else the document's).
    pub server: usize,
    /// The server to use instead of the document's; a relative server URL is read against it.
    pub base_url: Option<String>,
    /// Values for path parameters, by name: a connector's URL is fixed, so each `{name}` in
    /// the path needs one.
    pub path_values: Vec<(String, String)>,
}

impl Options {
    pub fn new(vendor: Vendor) -> Self {
        Options {
            vendor,
            server: 0,
            base_url: None,
            path_values: Vec::new(),
        }
    }
}

/// A connector read from an operation, its sample values and what the reader noted.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub operation: Operation,
    pub connector: Connector,
    pub samples: Samples,
    pub notes: Vec<String>,
}

/// Header parameters the specification says are ignored (they are set by other means).
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Reads the operation `selector` names into a connector for `options.vendor`.
pub fn import(spec: &Spec, selector: &str, options: &Options) -> Result<Imported, OpenApiError> {
    let operation = spec.find(selector)?;
    let (item, object) = spec.objects(&operation)?;
    let doc = spec.document();
    let mut notes = spec.notes.clone();
    let vendor = options.vendor.spec();
    let shape = import_curl::url_shape(vendor)?;
    let params = parameters(doc, item, object)?;
    let server = server_url(doc, item, object, options, &mut notes)?;
    let path = filled_path(&operation.path, &params, options)?;
    let url = format!("{}{path}", server.trim_end_matches('/'));
    let mut connector = Connector::new(options.vendor);
    connector.set(shape.url, Value::from(url.clone()));
    if let Some(key) = import_curl::name_key(vendor) {
        connector.set(key, Value::from(name_for(&operation, &url)));
    }
    import_curl::set_method(&mut connector, &operation.method)?;
    let mut samples = Samples::new();
    let mut request = Request::default();
    security(doc, object, &mut request, &mut notes)?;
    for param in &params {
        request.add_parameter(param, &mut samples, &mut notes);
    }
    request.query.sort_by_key(|(_, required)| !required);
    let query: Vec<NameValue> = request.query.into_iter().map(|(p, _)| p).collect();
    let body = body::body(doc, object, &mut notes)?;
    if let Some(Body::Template { content_type, .. }) = &body {
        request
            .headers
            .push(NameValue::new("Content-Type", content_type.clone()));
    }
    import_curl::keep_list(
        &mut connector,
        shape.params,
        "query parameters",
        &query,
        &mut notes,
    )?;
    import_curl::keep_list(
        &mut connector,
        shape.headers,
        "headers",
        &request.headers,
        &mut notes,
    )?;
    if let Some(body) = body {
        keep_body(&mut connector, body, &mut samples, &mut notes)?;
    }
    Ok(Imported {
        operation,
        connector,
        samples,
        notes,
    })
}

/// The headers and query parameters being gathered (query ones with whether required).
#[derive(Default)]
struct Request {
    headers: Vec<NameValue>,
    query: Vec<(NameValue, bool)>,
}

impl Request {
    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name))
    }

    fn add_parameter(&mut self, param: &Value, samples: &mut Samples, notes: &mut Vec<String>) {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let required = param.get("required").and_then(Value::as_bool) == Some(true);
        let place = param.get("in").and_then(Value::as_str).unwrap_or_default();
        match place {
            "query" if !self.query.iter().any(|(q, _)| q.name == name) => {
                self.query.push((NameValue::slot(name), required));
            }
            "header" if IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) => {
                notes.push(format!(
                    "header parameter {name} ignored: OpenAPI sets it from the media types and security scheme"
                ));
                return;
            }
            "header" if !self.has_header(name) => self.headers.push(NameValue::slot(name)),
            "cookie" => {
                notes.push(format!(
                    "cookie parameter {name} ignored: a connector has no cookies (add a Cookie header if the API needs it)"
                ));
                return;
            }
            _ => return,
        }
        if let Some(example) = param_example(param) {
            samples.entry(name.to_owned()).or_insert(example);
        }
    }
}

/// A parameter's example as sample text: its `example`, first `examples` value, or its
/// schema's example or default.
fn param_example(param: &Value) -> Option<String> {
    let named = param
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|e| e.values().next())
        .and_then(|e| e.get("value"));
    let schema = param.get("schema");
    let value = param
        .get("example")
        .or(named)
        .or_else(|| schema.and_then(|s| s.get("example")))
        .or_else(|| schema.and_then(|s| s.get("default")))?;
    Some(body::sample_text(value))
}

/// The operation's parameters: its path item's, overridden by its own of the same name and
/// place, each `$ref` followed.
fn parameters<'a>(
    doc: &'a Value,
    item: &'a Value,
    object: &'a Value,
) -> Result<Vec<&'a Value>, OpenApiError> {
    let mut out: Vec<&Value> = Vec::new();
    for list in [item.get("parameters"), object.get("parameters")]
        .into_iter()
        .flatten()
    {
        let Some(list) = list.as_array() else {
            return Err(OpenApiError::Malformed {
                at: "parameters".into(),
                reason: "is not a list",
            });
        };
        for param in list {
            let param = refs::resolve(doc, param)?;
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            out.retain(|p| key(p) != key(param));
            out.push(param);
        }
    }
    Ok(out)
}

/// The server's URL: `servers[N]` (the operation's, its path's or the document's) with its
/// variables at their defaults, read against `--base-url` when relative.
fn server_url(
    doc: &Value,
    item: &Value,
    object: &Value,
    options: &Options,
    notes: &mut Vec<String>,
) -> Result<String, OpenApiError> {
    let servers = [object, item, doc].iter().find_map(|o| {
        o.get("servers")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty())
    });
    let Some(servers) = servers else {
        return options.base_url.clone().ok_or_else(|| {
            OpenApiError::Server(
                "the document names no server (no `servers`); say where the API is with --base-url URL"
                    .to_owned(),
            )
        });
    };
    let index = options.server;
    let server = servers.get(index).ok_or_else(|| {
        OpenApiError::Server(format!(
            "there is no servers[{index}]: the document lists {} server(s), from 0",
            servers.len()
        ))
    })?;
    let url = with_variables(server, index)?;
    if url.contains("://") {
        if let Some(base) = &options.base_url {
            notes.push(format!(
                "using {base} instead of the document's server {url}"
            ));
            return Ok(base.clone());
        }
        return Ok(url);
    }
    let Some(base) = &options.base_url else {
        return Err(OpenApiError::Server(format!(
            "servers[{index}] is the relative URL {url:?}, relative to wherever the document is served; \
             say where that is with --base-url URL"
        )));
    };
    let joined = url::Url::parse(base)
        .and_then(|b| b.join(&url))
        .map_err(|e| OpenApiError::Server(format!("--base-url {base}: {e}")))?;
    Ok(joined.to_string())
}

/// `https://{region}.example.com` with each variable's default put in.
fn with_variables(server: &Value, index: usize) -> Result<String, OpenApiError> {
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| OpenApiError::Malformed {
            at: format!("servers[{index}]"),
            reason: "has no url",
        })?
        .to_owned();
    if let Some(variables) = server.get("variables").and_then(Value::as_object) {
        for (name, variable) in variables {
            let default = variable
                .get("default")
                .and_then(Value::as_str)
                .ok_or_else(|| OpenApiError::Malformed {
                    at: format!("servers[{index}].variables.{name}"),
                    reason: "has no default",
                })?;
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    Ok(url)
}

/// The path with each `{name}` replaced by its `--path-param` value. A connector's URL is one
/// fixed URL (no vendor's URL field holds template slots: Databar's slots are query
/// parameters, headers and body variables), so a path parameter without a value is refused.
fn filled_path(path: &str, params: &[&Value], options: &Options) -> Result<String, OpenApiError> {
    let vendor = options.vendor.spec().label;
    for (name, _) in &options.path_values {
        if !path.contains(&format!("{{{name}}}")) {
            return Err(OpenApiError::PathParameter(format!(
                "--path-param {name}: {path} has no path parameter {{{name}}}"
            )));
        }
    }
    let mut out = String::new();
    let mut rest = path;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        let value = options.path_values.iter().find(|(n, _)| n == name);
        let Some((_, value)) = value else {
            let description = params
                .iter()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                .and_then(|p| p.get("description").and_then(Value::as_str))
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned);
            return Err(OpenApiError::PathSlot {
                name: name.to_owned(),
                description,
                vendor,
            });
        };
        out.push_str(before);
        out.push_str(&path_encoded(value));
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}

/// A path segment's value, percent-encoded but for the characters URLs leave unreserved.
fn path_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The operation's summary, else its id, else what the URL names.
fn name_for(operation: &Operation, url: &str) -> String {
    let from_url = || url::Url::parse(url).map(|u| import_curl::name_of(&u)).ok();
    operation
        .summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| operation.id.clone())
        .or_else(from_url)
        .unwrap_or_default()
        .chars()
        .take(import_curl::MAX_NAME)
        .collect()
}

/// The security requirement in force (the operation's, else the document's): its first
/// alternative, each scheme as a header or query parameter with a placeholder secret.
fn security(
    doc: &Value,
    object: &Value,
    request: &mut Request,
    notes: &mut Vec<String>,
) -> Result<(), OpenApiError> {
    let requirements = object
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array);
    let Some(first) = requirements.and_then(|r| r.first()) else {
        return Ok(());
    };
    let Some(first) = first.as_object() else {
        return Ok(());
    };
    if let Some(others) = requirements.filter(|r| r.len() > 1) {
        let names: Vec<String> = others[1..]
            .iter()
            .filter_map(Value::as_object)
            .map(|o| o.keys().cloned().collect::<Vec<_>>().join(" + "))
            .map(|n| if n.is_empty() { "none".into() } else { n })
            .collect();
        notes.push(format!(
            "the operation also accepts security {}; the first one is used",
            names.join(", ")
        ));
    }
    for name in first.keys() {
        let scheme = doc
            .pointer(&format!(
                "/components/securitySchemes/{}",
                name.replace('~', "~0").replace('/', "~1")
            ))
            .ok_or_else(|| OpenApiError::Malformed {
                at: format!("security scheme {name}"),
                reason: "is not in components.securitySchemes",
            })?;
        let scheme = refs::resolve(doc, scheme)?;
        add_scheme(name, scheme, request, notes);
    }
    Ok(())
}

fn add_scheme(name: &str, scheme: &Value, request: &mut Request, notes: &mut Vec<String>) {
    let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
    let (place, key, value) = match (field("type"), field("in")) {
        ("apiKey", "header") => (
            "header",
            field("name").to_owned(),
            "YOUR_API_KEY".to_owned(),
        ),
        ("apiKey", "query") => ("query", field("name").to_owned(), "YOUR_API_KEY".to_owned()),
        ("apiKey", "cookie") => (
            "header",
            "Cookie".to_owned(),
            format!("{}=YOUR_API_KEY", field("name")),
        ),
        ("http", _) => {
            let value = match field("scheme").to_ascii_lowercase().as_str() {
                "bearer" => "Bearer YOUR_TOKEN".to_owned(),
                "basic" => "Basic YOUR_BASE64_USER_COLON_PASSWORD".to_owned(),
                other => format!("{other} YOUR_CREDENTIALS"),
            };
            ("header", "Authorization".to_owned(), value)
        }
        ("oauth2" | "openIdConnect", _) => {
            notes.push(format!(
                "security {name} is OAuth: get an access token yourself; it goes in the Authorization header"
            ));
            (
                "header",
                "Authorization".to_owned(),
                "Bearer YOUR_ACCESS_TOKEN".to_owned(),
            )
        }
        (kind, _) => {
            notes.push(format!(
                "security {name} ({kind}) ignored: a connector cannot hold it"
            ));
            return;
        }
    };
    notes.push(format!(
        "security {name}: replace the placeholder in {} {key} with the real secret",
        if place == "header" {
            "header"
        } else {
            "query parameter"
        }
    ));
    if place == "header" {
        if !request.has_header(&key) {
            request.headers.push(NameValue::new(key, value));
        }
    } else {
        request.query.insert(0, (NameValue::new(key, value), true));
    }
}

/// Stores the body: a template in the vendor's template field, or form fields in `body`.
fn keep_body(
    connector: &mut Connector,
    body: Body,
    samples: &mut Samples,
    notes: &mut Vec<String>,
) -> Result<(), OpenApiError> {
    let spec = connector.spec();
    match body {
        Body::Template {
            template,
            samples: found,
            ..
        } => {
            let key = spec.template_field.ok_or(ImportError::Unsupported {
                vendor: spec.label,
                what: "body template",
            })?;
            connector.set(key, Value::from(template));
            for (name, value) in found {
                samples.entry(name).or_insert(value);
            }
        }
        Body::Fields {
            fields,
            samples: found,
        } => {
            let key = spec.request.and_then(|r| r.body);
            import_curl::keep_list(connector, key, "body", &fields, notes)?;
            for (name, value) in found {
                samples.entry(name).or_insert(value);
            }
        }
    }
    Ok(())
}
