//! `ApiError`: everything that can go wrong talking to a vendor, and the parsing of the
//! vendors' error bodies (`{"detail": "..."}` or `FastAPI`'s 422 list of `{loc, msg, type}`)
//! into messages on field paths the editor can put next to the field.

use crate::config::ConfigError;
use crate::connector::{FieldPath, PathSeg, VendorSpec};
use serde_json::Value;
use std::fmt;

/// One problem the server reported on one field (`headers[1].name: Field required`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where, relative to the request body (`FastAPI`'s leading `"body"` is dropped). Empty
    /// when the server did not say.
    pub path: FieldPath,
    /// The server's message (`msg`).
    pub message: String,
    /// The server's error type (`type`, e.g. `string_too_long`), empty when absent.
    pub kind: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Why a call to a vendor API failed. `Rejected` is the server saying no (4xx); the network
/// and server variants mean the request may not have been handled at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A 4xx answer: bad key (403), unknown id (404), validation (400, 422).
    #[error("the server rejected the request ({status} {reason}): {message}{}", fields_suffix(.fields))]
    Rejected {
        status: u16,
        reason: String,
        /// The `detail` string, or a summary when the detail is a list of field errors.
        message: String,
        fields: Vec<FieldError>,
    },
    /// A 5xx answer, after the retries allowed for the method.
    #[error("server error ({status} {reason}) from {url}: {message} (after {attempts} attempt{})", plural(*.attempts))]
    Server {
        status: u16,
        reason: String,
        url: String,
        message: String,
        attempts: u32,
    },
    /// 429 Too Many Requests, still refused after the retries allowed (or a POST, which is
    /// never retried).
    #[error("rate limited (429) by {url}{}; try again later", .retry_after.map(|s| format!(", retry after {s}s")).unwrap_or_default())]
    RateLimited {
        url: String,
        retry_after: Option<u64>,
    },
    /// The answer was not JSON (an HTML error page from a proxy, plain text, garbage).
    #[error("{url} answered {status} with {what} instead of JSON: {snippet}")]
    NotJson {
        status: u16,
        url: String,
        /// `an HTML page`, `text/plain`, `an empty body`...
        what: String,
        snippet: String,
    },
    /// A redirect to another origin (scheme, host or port), not followed: the credentials
    /// would have gone along.
    #[error(
        "the server redirected to {to} (another origin); not followed, so the credentials stay with {origin}"
    )]
    Redirected {
        status: u16,
        to: String,
        /// The origin the request was for.
        origin: String,
    },
    /// Same-origin redirects that do not end.
    #[error(
        "{url}: more than {} redirects in a row (the last to {to}); stopped",
        super::redirect::MAX_REDIRECTS
    )]
    TooManyRedirects {
        status: u16,
        url: String,
        to: String,
    },
    #[error("{url}: no answer within {seconds}s (timed out)")]
    Timeout { url: String, seconds: u64 },
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    /// The connection was reset or closed before a complete answer arrived.
    #[error("{url}: no complete answer: {message}")]
    Closed { url: String, message: String },
    /// An id that cannot be this vendor's (ids are put into URL paths, so they are checked).
    #[error("{id:?} is not a valid {vendor} connector id: {expected}")]
    InvalidId {
        id: String,
        vendor: String,
        expected: &'static str,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The embedded sandbox could not start (the text is the sandbox's own `sandbox: ...`).
    #[error("embedded {0}")]
    Sandbox(String),
    /// A vendor whose client is not written yet.
    #[error("talking to {vendor} is not supported yet")]
    Unsupported { vendor: String },
    /// An operation this vendor's API does not have (`connect` on Cargo, `replace` on Agent
    /// Stack).
    #[error("{vendor} has no {operation}: {hint}")]
    NoSuchOperation {
        vendor: String,
        operation: &'static str,
        hint: &'static str,
    },
    /// The connector is for another vendor than the target speaks.
    #[error(
        "the connector is for {connector}, but target {target} speaks {target_vendor}; pick a {connector} target with --target (or --target sandbox)"
    )]
    WrongVendor {
        connector: String,
        target: String,
        target_vendor: String,
    },
    /// Agent Stack has no update endpoint: changing a registered connector means deleting it
    /// and creating it again under a new id, which is only done when asked for explicitly.
    #[error(
        "{vendor} cannot edit connector {id} in place: editing means delete and recreate (the connector gets a new id and must be connected again); ask for it explicitly (patchcord submit --recreate)"
    )]
    NeedsRecreate { vendor: String, id: String },
    /// A recreate deleted the old connector, then the create failed: the old id is gone.
    #[error("connector {deleted} was deleted, but creating its replacement failed: {error}")]
    RecreateFailed {
        deleted: String,
        error: Box<ApiError>,
    },
    /// A list answer whose paging does not end (a repeated `next_page_token`, or more pages
    /// than any real account has).
    #[error("{url}: listing did not finish: {message}")]
    Paging { url: String, message: String },
    /// The HTTP client itself could not be built (TLS setup).
    #[error("HTTP client setup failed: {0}")]
    Client(String),
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn fields_suffix(fields: &[FieldError]) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let list: Vec<String> = fields.iter().map(ToString::to_string).collect();
    format!(": {}", list.join("; "))
}

impl ApiError {
    /// The error with every one of `secrets` masked in the server's words (a server may echo
    /// the key or a credential it was sent back in its message).
    #[must_use]
    pub fn scrubbed(self, secrets: &[&str]) -> ApiError {
        let clean = |text: String| crate::connector::mask::scrub(&text, secrets);
        match self {
            ApiError::Rejected {
                status,
                reason,
                message,
                fields,
            } => ApiError::Rejected {
                status,
                reason,
                message: clean(message),
                fields: fields
                    .into_iter()
                    .map(|field| FieldError {
                        message: clean(field.message),
                        ..field
                    })
                    .collect(),
            },
            ApiError::Server {
                status,
                reason,
                url,
                message,
                attempts,
            } => ApiError::Server {
                status,
                reason,
                url,
                message: clean(message),
                attempts,
            },
            ApiError::NotJson {
                status,
                url,
                what,
                snippet,
            } => ApiError::NotJson {
                status,
                url,
                what,
                snippet: clean(snippet),
            },
            ApiError::RecreateFailed { deleted, error } => ApiError::RecreateFailed {
                deleted,
                error: Box::new(error.scrubbed(secrets)),
            },
            other => other,
        }
    }

    /// Whether the server answered and refused (4xx, exit code 3), as opposed to a network
    /// or server failure (exit code 4) or a local problem.
    pub fn is_rejection(&self) -> bool {
        match self {
            ApiError::Rejected { .. } => true,
            ApiError::RecreateFailed { error, .. } => error.is_rejection(),
            _ => false,
        }
    }

    /// Whether the request may not have reached a working server: network trouble, a 5xx,
    /// a non-JSON answer, rate limiting.
    pub fn is_network(&self) -> bool {
        matches!(
            self,
            ApiError::Server { .. }
                | ApiError::RateLimited { .. }
                | ApiError::NotJson { .. }
                | ApiError::Redirected { .. }
                | ApiError::TooManyRedirects { .. }
                | ApiError::Timeout { .. }
                | ApiError::Connect { .. }
                | ApiError::Closed { .. }
                | ApiError::Sandbox(_)
                | ApiError::Client(_)
                | ApiError::Paging { .. }
        ) || matches!(self, ApiError::RecreateFailed { error, .. } if error.is_network())
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Rejected { status, .. }
            | ApiError::Server { status, .. }
            | ApiError::NotJson { status, .. }
            | ApiError::Redirected { status, .. }
            | ApiError::TooManyRedirects { status, .. } => Some(*status),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::RecreateFailed { error, .. } => error.status(),
            _ => None,
        }
    }

    /// A conflict (409) names no field in its body, but a vendor has at most one field that
    /// can clash (`VendorSpec::conflict_field`, Cargo's slug): the message is placed there, so
    /// every face shows it beside that field. Other errors are returned as they are.
    #[must_use]
    pub fn placed_for(self, spec: &VendorSpec) -> ApiError {
        match (self, spec.conflict_field()) {
            (
                ApiError::Rejected {
                    status: 409,
                    reason,
                    message,
                    fields,
                },
                Some(field),
            ) if fields.is_empty() => ApiError::Rejected {
                status: 409,
                reason,
                fields: vec![FieldError {
                    path: FieldPath::key(field.key),
                    message: message.clone(),
                    kind: String::new(),
                }],
                message,
            },
            (other, _) => other,
        }
    }

    /// Per-field messages from a 422 (empty otherwise).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Rejected { fields, .. } => fields,
            ApiError::RecreateFailed { error, .. } => error.fields(),
            _ => &[],
        }
    }
}

/// A vendor's error body, read: the `detail` message and any per-field errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detail {
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Reads `{"detail": "..."}`, `{"detail": [{loc, msg, type}, ...]}` (`FastAPI`: Databar and
/// Agent Stack), `{"message": "..."}` or `{"error": "..." | {"message": ...}}` (Cargo's
/// shapes), or anything else a server might send as JSON (shown compactly).
pub(crate) fn parse_detail(body: &Value) -> Detail {
    if body.get("detail").is_none()
        && let Some(message) = plain_message(body)
    {
        let fields = body
            .get("errors")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(path_error).collect())
            .unwrap_or_default();
        return Detail { message, fields };
    }
    match body.get("detail") {
        Some(Value::String(text)) => Detail {
            message: text.clone(),
            fields: Vec::new(),
        },
        Some(Value::Array(items)) => {
            let fields: Vec<FieldError> = items.iter().map(field_error).collect();
            let message = match fields.len() {
                1 => "1 field error".to_owned(),
                n => format!("{n} field errors"),
            };
            Detail { message, fields }
        }
        Some(other) => Detail {
            message: other.to_string(),
            fields: Vec::new(),
        },
        None => Detail {
            message: body.to_string(),
            fields: Vec::new(),
        },
    }
}

/// `{"message": "..."}`, `{"error": "..."}` or `{"error": {"message": "..."}}`; a `code` or
/// an error name beside the message is kept in front of it.
fn plain_message(body: &Value) -> Option<String> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let (message, label) = match body.get("error") {
        Some(Value::String(error)) => match text(body.get("message")) {
            Some(message) => (message, Some(error.clone())),
            None => (error.clone(), None),
        },
        Some(Value::Object(inner)) => (
            text(inner.get("message"))?,
            text(inner.get("code")).or_else(|| text(inner.get("type"))),
        ),
        _ => (text(body.get("message"))?, text(body.get("code"))),
    };
    Some(match label {
        Some(label) if !label.is_empty() && label != message => format!("{label}: {message}"),
        _ => message,
    })
}

/// One of Cargo's `errors`: `{"path": "rateLimit.unit", "message": "...", "rule": "..."}`.
fn path_error(item: &Value) -> Option<FieldError> {
    let message = item.get("message").and_then(Value::as_str)?.to_owned();
    let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default();
    Some(FieldError {
        path: FieldPath::parse(text("path")),
        message,
        kind: [text("rule"), text("code"), text("type")]
            .into_iter()
            .find(|k| !k.is_empty())
            .unwrap_or_default()
            .to_owned(),
    })
}

fn field_error(item: &Value) -> FieldError {
    let text = |key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let path = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|loc| loc_to_path(loc))
        .unwrap_or_default();
    let mut message = text("msg");
    if message.is_empty() {
        message = item.to_string();
    }
    FieldError {
        path,
        message,
        kind: text("type"),
    }
}

/// `["body", "headers", 1, "name"]` → `headers[1].name`. Locations outside the body
/// (`["path", "connector_id"]`) keep their root.
pub fn loc_to_path(loc: &[Value]) -> FieldPath {
    let skip = usize::from(loc.first().and_then(Value::as_str) == Some("body"));
    let segs = loc
        .iter()
        .skip(skip)
        .map(|part| match part {
            Value::Number(n) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(index) => PathSeg::Index(index),
                None => PathSeg::Key(n.to_string()),
            },
            Value::String(s) => PathSeg::Key(s.clone()),
            other => PathSeg::Key(other.to_string()),
        })
        .collect();
    FieldPath(segs)
}

/// A short, single-line look at a non-JSON body: an HTML page's `<title>`, or its first
/// characters with whitespace collapsed.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lower = text.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>"))
        && let Some(title) = text.get(start + "<title>".len()..end)
        && !title.trim().is_empty()
    {
        return format!("\"{}\"", collapse(title, 120));
    }
    if text.trim().is_empty() {
        return "(empty)".to_owned();
    }
    format!("\"{}\"", collapse(&text, 120))
}

fn collapse(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() > max {
        let cut: String = joined.chars().take(max).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fastapi_422_becomes_field_paths() {
        let body = json!({"detail": [
            {"loc": ["body", "headers", 1, "name"], "msg": "Field required", "type": "missing"},
            {"loc": ["body", "url"], "msg": "String should have at most 512 characters", "type": "string_too_long"},
        ]});
        let detail = parse_detail(&body);
        assert_eq!(detail.message, "2 field errors");
        assert_eq!(
            detail.fields[0].to_string(),
            "headers[1].name: Field required"
        );
        assert_eq!(detail.fields[0].kind, "missing");
        assert_eq!(
            detail.fields[1].to_string(),
            "url: String should have at most 512 characters"
        );
    }

    #[test]
    fn detail_string_and_other_shapes() {
        assert_eq!(
            parse_detail(&json!({"detail": "Invalid API key"})).message,
            "Invalid API key"
        );
        assert_eq!(parse_detail(&json!({"error": "x"})).message, "x");
        assert_eq!(parse_detail(&json!({"other": 1})).message, r#"{"other":1}"#);
        let path = loc_to_path(&[json!("path"), json!("connector_id")]);
        assert_eq!(path.to_string(), "path.connector_id");
    }

    #[test]
    fn cargo_error_shapes() {
        assert_eq!(
            parse_detail(&json!({"message": "Slug already exists"})).message,
            "Slug already exists"
        );
        assert_eq!(
            parse_detail(&json!({"error": "Conflict", "message": "Slug already exists"})).message,
            "Conflict: Slug already exists"
        );
        assert_eq!(
            parse_detail(&json!({"error": {"code": "invalid_slug", "message": "slug has spaces"}}))
                .message,
            "invalid_slug: slug has spaces"
        );
        assert_eq!(
            parse_detail(&json!({"detail": "Not authenticated"})).message,
            "Not authenticated"
        );
        let detail = parse_detail(&json!({
            "message": "Invalid request body: rateLimit.unit: must be day, hour or minute",
            "errors": [{"path": "rateLimit.unit", "message": "must be day, hour or minute", "rule": "choice"}],
        }));
        assert_eq!(
            detail.fields[0].to_string(),
            "rateLimit.unit: must be day, hour or minute"
        );
        assert_eq!(detail.fields[0].kind, "choice");
    }

    #[test]
    fn rejected_display_lists_fields() {
        let err = ApiError::Rejected {
            status: 422,
            reason: "Unprocessable Entity".into(),
            message: "1 field error".into(),
            fields: vec![FieldError {
                path: FieldPath::parse("headers[1].name"),
                message: "Field required".into(),
                kind: "missing".into(),
            }],
        };
        assert_eq!(
            err.to_string(),
            "the server rejected the request (422 Unprocessable Entity): 1 field error: headers[1].name: Field required"
        );
    }

    #[test]
    fn html_snippet_uses_the_title() {
        let page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        assert_eq!(snippet(page), "\"502 Bad Gateway\"");
        assert_eq!(snippet(b"  oops\n\n  here "), "\"oops here\"");
        assert_eq!(snippet(b""), "(empty)");
        assert_eq!(snippet(&[0xff, 0xfe, b'a']), "\"\u{fffd}\u{fffd}a\"");
    }

    #[test]
    fn a_conflict_lands_on_the_one_field_that_can_clash() {
        use crate::connector::Vendor;
        let conflict = || ApiError::Rejected {
            status: 409,
            reason: "Conflict".into(),
            message: "Slug already exists".into(),
            fields: Vec::new(),
        };
        let placed = conflict().placed_for(Vendor::Cargo.spec());
        assert_eq!(
            placed.fields(),
            [FieldError {
                path: FieldPath::key("slug"),
                message: "Slug already exists".into(),
                kind: String::new(),
            }]
        );
        // A vendor with no unique field, and other statuses, keep the error as it came.
        assert_eq!(conflict().placed_for(Vendor::Databar.spec()), conflict());
        let refused = ApiError::Rejected {
            status: 400,
            reason: "Bad Request".into(),
            message: "no".into(),
            fields: Vec::new(),
        };
        assert_eq!(refused.clone().placed_for(Vendor::Cargo.spec()), refused);
    }
}
