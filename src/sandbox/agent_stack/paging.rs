//! Agent Stack's list paging: `?limit=` (1..=100, default 40) and an opaque `?page_token=`
//! that names the store row the next page starts after, so a page stays put when earlier
//! connectors are deleted.
//!
//! Owns only the query's reading and the token's encoding; `agent_stack.rs` slices the list.

use crate::sandbox::errors::HttpError;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// `limit` when a list request gives none, and the most it may ask for.
pub const DEFAULT_LIMIT: usize = 40;
pub const MAX_LIMIT: usize = 100;

/// `limit` (1..=100, default 40) and the row after which the page starts (from `page_token`).
pub(super) fn page_query(query: &str) -> Result<(usize, Option<i64>), HttpError> {
    let mut limit = DEFAULT_LIMIT;
    let mut after = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "limit" => limit = parse_limit(&value)?,
            "page_token" if !value.is_empty() => {
                after = Some(read_page_token(&value).ok_or_else(|| {
                    HttpError::new(
                        StatusCode::BAD_REQUEST,
                        format!("Invalid page_token {value:?}: pass back a next_page_token"),
                    )
                })?);
            }
            _ => {}
        }
    }
    Ok((limit, after))
}

fn parse_limit(raw: &str) -> Result<usize, HttpError> {
    let item = |kind: &str, msg: String, ctx: Option<Value>| {
        let mut item = json!({ "type": kind, "loc": ["query", "limit"], "msg": msg, "input": raw });
        if let (Some(ctx), Some(object)) = (ctx, item.as_object_mut()) {
            object.insert("ctx".into(), ctx);
        }
        HttpError::validation(vec![item])
    };
    let Ok(n) = raw.trim().parse::<i64>() else {
        return Err(item(
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer".into(),
            None,
        ));
    };
    let max = i64::try_from(MAX_LIMIT).unwrap_or(i64::MAX);
    if n < 1 {
        return Err(item(
            "greater_than_equal",
            "Input should be greater than or equal to 1".into(),
            Some(json!({ "ge": 1 })),
        ));
    }
    if n > max {
        return Err(item(
            "less_than_equal",
            format!("Input should be less than or equal to {MAX_LIMIT}"),
            Some(json!({ "le": MAX_LIMIT })),
        ));
    }
    Ok(usize::try_from(n).unwrap_or(DEFAULT_LIMIT))
}

/// Opaque to clients: the store row after which the next page starts, so a page is stable
/// when earlier connectors are deleted.
pub(super) fn page_token(row: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("after:{row}"))
}

fn read_page_token(token: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("after:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_garbage_is_refused() {
        assert_eq!(read_page_token(&page_token(42)), Some(42));
        assert_eq!(read_page_token("nope"), None);
        assert!(page_query("page_token=nope").is_err());
        assert_eq!(page_query("").ok(), Some((DEFAULT_LIMIT, None)));
        assert_eq!(page_query("limit=0").unwrap_err().status, 422);
        assert_eq!(page_query("limit=101").unwrap_err().status, 422);
        assert_eq!(page_query("limit=x").unwrap_err().status, 422);
    }
}
