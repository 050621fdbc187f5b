//! From the request a curl command sends to a connector that describes it: the URL without
//! its query, the query as `parameters`, the headers, a JSON or text body as a
//! `body_template` that renders to it, a form body as `body` fields. Which of those a vendor
//! can hold comes from its field table, so another vendor keeps what it has fields for.

use super::{CurlBody, CurlRequest, ImportError, parse};
use crate::connector::{Connector, FieldKind, NameValue, RequestShape, Vendor, VendorSpec};
use serde_json::Value;

/// Names are at most this long (Databar's `name` limit).
pub(crate) const MAX_NAME: usize = 256;

/// A connector read from a curl command, and what the reader ignored or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub connector: Connector,
    pub request: CurlRequest,
    pub notes: Vec<String>,
}

/// Reads a curl command into a connector for `vendor`.
pub fn import(text: &str, vendor: Vendor) -> Result<Imported, ImportError> {
    let (request, mut notes) = parse(text)?;
    let connector = to_connector(&request, vendor, &mut notes)?;
    Ok(Imported {
        connector,
        request,
        notes,
    })
}

fn to_connector(
    request: &CurlRequest,
    vendor: Vendor,
    notes: &mut Vec<String>,
) -> Result<Connector, ImportError> {
    let spec = vendor.spec();
    let mut connector = Connector::new(vendor);
    let shape = url_shape(spec)?;
    let mut parsed = url::Url::parse(&request.url).map_err(|e| ImportError::Refused {
        option: format!("URL {:?}", request.url),
        reason: url_reason(e),
    })?;
    let params: Vec<NameValue> = parsed
        .query_pairs()
        .map(|(name, value)| NameValue::new(name, value))
        .collect();
    parsed.set_query(None);
    parsed.set_fragment(None);
    connector.set(shape.url, Value::from(String::from(parsed.clone())));
    if let Some(key) = name_key(spec) {
        connector.set(key, Value::from(name_of(&parsed)));
    }
    set_method(&mut connector, &request.method)?;
    keep_list(
        &mut connector,
        shape.params,
        "query parameters",
        &params,
        notes,
    )?;
    keep_list(
        &mut connector,
        shape.headers,
        "headers",
        &request.headers,
        notes,
    )?;
    match &request.body {
        None => {}
        Some(CurlBody::Form(fields)) => {
            keep_list(&mut connector, shape.body, "body", fields, notes)?;
        }
        Some(CurlBody::Json(text) | CurlBody::Text(text)) => {
            let key = spec.template_field.ok_or(ImportError::Unsupported {
                vendor: spec.label,
                what: "body template",
            })?;
            connector.set(key, Value::from(template_of(text)));
        }
    }
    Ok(connector)
}

/// The request a vendor's connector describes, which an import fills: refused when it has no
/// URL field to take the request's URL.
pub(crate) fn url_shape(spec: &VendorSpec) -> Result<RequestShape, ImportError> {
    spec.request.ok_or(ImportError::Unsupported {
        vendor: spec.label,
        what: "URL field",
    })
}

/// The body field a starting name goes in, if the vendor's connectors have one.
pub(crate) fn name_key(spec: &VendorSpec) -> Option<&'static str> {
    spec.name_field.filter(|key| spec.field(key).is_some())
}

fn url_reason(error: url::ParseError) -> &'static str {
    match error {
        url::ParseError::EmptyHost => "it has no host",
        url::ParseError::InvalidPort => "its port is not a number up to 65535",
        _ => "it is not a URL patchcord can read",
    }
}

/// `api.example.com/v1/score`: what the request is for, as a starting name.
pub(crate) fn name_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    format!("{host}{path}").chars().take(MAX_NAME).collect()
}

pub(crate) fn set_method(connector: &mut Connector, method: &str) -> Result<(), ImportError> {
    let spec = connector.spec();
    let field = spec
        .request
        .and_then(|r| r.method)
        .and_then(|key| spec.field(key));
    let Some(field) = field else {
        if method == "GET" || method == "POST" {
            return Ok(());
        }
        return Err(ImportError::Unsupported {
            vendor: spec.label,
            what: "method field",
        });
    };
    let lower = method.to_ascii_lowercase();
    if let FieldKind::Choice { options } = field.kind
        && !options.contains(&lower.as_str())
    {
        return Err(ImportError::Method {
            method: method.to_owned(),
            vendor: spec.label,
            allowed: options.join(", "),
        });
    }
    connector.set(field.key, Value::from(lower));
    Ok(())
}

/// Stores a name-value list in `key`, noting values left empty: in a connector an empty value
/// is an input slot filled from a table column, not a constant.
pub(crate) fn keep_list(
    connector: &mut Connector,
    key: Option<&str>,
    what: &'static str,
    items: &[NameValue],
    notes: &mut Vec<String>,
) -> Result<(), ImportError> {
    if items.is_empty() {
        return Ok(());
    }
    let spec = connector.spec();
    let Some(key) = key.filter(|key| spec.field(key).is_some()) else {
        return Err(ImportError::Unsupported {
            vendor: spec.label,
            what,
        });
    };
    let slots: Vec<&str> = items
        .iter()
        .filter(|i| i.value.is_empty())
        .map(|i| i.name.as_str())
        .collect();
    if !slots.is_empty() {
        notes.push(format!(
            "{what} {} have no value: in a connector they are input slots, filled from a table column",
            slots.join(", ")
        ));
    }
    connector.set_name_values(key, items);
    Ok(())
}

/// A template that renders to `text` exactly: the text itself, or, when it holds Jinja's
/// `{{`, `{%` or `{#`, the text in a raw block (any `endraw` in it closed and reopened).
pub fn template_of(text: &str) -> String {
    if !["{{", "{%", "{#"].iter().any(|m| text.contains(m)) {
        return text.to_owned();
    }
    let escaped = text.replace("endraw", "endraw{% endraw %}{% raw %}");
    format!("{{% raw %}}{escaped}{{% endraw %}}")
}
