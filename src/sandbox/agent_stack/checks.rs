//! Agent Stack's request checks beyond the shared ones: the body as an object, the judgement
//! of the core's findings (the URL's rules are schema rules here), the connect body, and the
//! path id as a UUID. Each answers in `FastAPI`'s shape, as the vendor does.
//!
//! Owns no rule of a connector field: those are `crate::connector::validate`'s.

use crate::connector::{Finding, PathSeg, Rule, Severity};
use crate::sandbox::databar::{fastapi_item, reject};
use crate::sandbox::errors::HttpError;
use serde_json::{Map, Value, json};

/// The body as an object; JSON `null` is `FastAPI`'s missing body.
pub(super) fn body_object(payload: Value) -> Result<Map<String, Value>, HttpError> {
    match payload {
        Value::Object(fields) => Ok(fields),
        Value::Null => Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::Required,
        )])),
        _ => Err(HttpError::validation(vec![fastapi_item(
            &[],
            &Rule::NotAnObject,
        )])),
    }
}

/// Databar's judgement (schema rules 422, the rest 400), except that the URL's own rules are
/// schema rules here: Agent Stack's `url` is `string<uri>` with a minimum length of 1 (pydantic's
/// `AnyUrl`), so a blank or unparsable URL is a 422 `url_parsing`, as the vendor answers it.
pub(super) fn judge(findings: &[Finding]) -> Result<(), HttpError> {
    let is_url_rule = |f: &Finding| {
        f.path.field() == Some("url")
            && matches!(f.rule, Rule::UrlInvalid | Rule::UrlScheme | Rule::Blank)
    };
    let url_items: Vec<Value> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && is_url_rule(f))
        .map(|f| {
            let reason = match f.rule {
                Rule::Blank => "input is empty".to_owned(),
                _ => f.message.clone(),
            };
            let kind = if f.rule == Rule::UrlScheme {
                "url_scheme"
            } else {
                "url_parsing"
            };
            json!({
                "type": kind,
                "loc": ["body", "url"],
                "msg": format!("Input should be a valid URL, {reason}"),
                "ctx": { "error": reason },
            })
        })
        .collect();
    let rest: Vec<Finding> = findings
        .iter()
        .filter(|f| !is_url_rule(f))
        .cloned()
        .collect();
    if url_items.is_empty() {
        return reject(&rest);
    }
    let mut items: Vec<Value> = rest
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule.is_schema())
        .map(|f| fastapi_item(&f.path.0, &f.rule))
        .collect();
    items.splice(0..0, url_items);
    Err(HttpError::validation(items))
}

/// `ConnectorConnectRequest`: `redirect_url` is an absolute URL or null; `auth_token` (the
/// vendor's other optional field) a string or null; anything else is ignored, as pydantic does.
pub(super) fn check_connect_body(fields: &Map<String, Value>) -> Result<(), HttpError> {
    let mut errors = Vec::new();
    match fields.get("redirect_url") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            if let Err(error) = url::Url::parse(text) {
                errors.push(json!({
                    "type": "url_parsing",
                    "loc": ["body", "redirect_url"],
                    "msg": format!("Input should be a valid URL, {error}"),
                    "input": text,
                    "ctx": { "error": error.to_string() },
                }));
            }
        }
        Some(other) => errors.push(json!({
            "type": "url_type",
            "loc": ["body", "redirect_url"],
            "msg": "URL input should be a string or URL",
            "input": other,
        })),
    }
    if let Some(token) = fields.get("auth_token")
        && !token.is_null()
        && !token.is_string()
    {
        let mut item = fastapi_item(&[PathSeg::Key("auth_token".into())], &Rule::Type("string"));
        if let Some(object) = item.as_object_mut() {
            object.insert("input".into(), token.clone());
        }
        errors.push(item);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(HttpError::validation(errors))
    }
}

/// A path id: any form pydantic's UUID accepts, in canonical lowercase form; else its 422.
pub(super) fn parse_uuid(raw: &str) -> Result<String, HttpError> {
    uuid::Uuid::parse_str(raw)
        .map(|id| id.hyphenated().to_string())
        .map_err(|error| {
            HttpError::validation(vec![json!({
                "type": "uuid_parsing",
                "loc": ["path", "connector_id"],
                "msg": format!("Input should be a valid UUID, {error}"),
                "input": raw,
                "ctx": { "error": error.to_string() },
            })])
        })
}
