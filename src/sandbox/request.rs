//! Reading a request body the way a `FastAPI` server would judge it: at most 1 MiB (413), a JSON
//! Content-Type (415), well-formed JSON (422 `json_invalid`), and the API key check (403).
//!
//! Owns no routes and no storage; handlers call these before they look at the payload.

use super::errors::HttpError;
use crate::connector::Auth;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::StreamExt;
use serde_json::{Value, json};

/// The largest request body accepted.
pub const MAX_BODY: usize = 1 << 20;

/// How much of an oversized body is read and thrown away so the client gets to read the 413
/// (a server that stops reading mid-upload makes most clients report a broken pipe instead).
const MAX_DRAIN: usize = 64 << 20;

/// The whole body, or a 413 once it passes `MAX_BODY`. Always reads (and drops) an oversized
/// body up to `MAX_DRAIN`, so call it before answering anything else.
pub async fn read_body(body: Body) -> Result<Bytes, HttpError> {
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err(HttpError {
                close: true,
                ..HttpError::new(StatusCode::BAD_REQUEST, "Request body could not be read")
            });
        };
        total = total.saturating_add(chunk.len());
        if total <= MAX_BODY {
            kept.extend_from_slice(&chunk);
        } else if total > MAX_DRAIN {
            break;
        }
    }
    if total > MAX_BODY {
        return Err(HttpError {
            close: true,
            ..HttpError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body is larger than {MAX_BODY} bytes (1 MiB)"),
            )
        });
    }
    Ok(Bytes::from(kept))
}

/// 415 unless the Content-Type is JSON (`application/json` or `application/*+json`).
pub fn require_json(headers: &HeaderMap) -> Result<(), HttpError> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(value) = value else {
        return Err(HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json (the header is missing)",
        ));
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let is_json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        Err(HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type must be application/json (got {value})"),
        ))
    }
}

/// Parses the body; an empty body is `FastAPI`'s `missing`, bad JSON its `json_invalid` with the
/// character position of the error.
pub fn parse_json(bytes: &[u8]) -> Result<Value, HttpError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(HttpError::validation(vec![json!({
            "type": "missing",
            "loc": ["body"],
            "msg": "Field required",
            "input": null,
        })]));
    }
    serde_json::from_slice(bytes).map_err(|error| {
        let position = char_position(bytes, error.line(), error.column());
        let reason = error.to_string();
        // serde_json appends " at line L column C"; the position already says where.
        let reason = reason
            .rsplit_once(" at line ")
            .map_or(reason.as_str(), |(head, _)| head)
            .to_owned();
        HttpError::validation(vec![json!({
            "type": "json_invalid",
            "loc": ["body", position],
            "msg": "JSON decode error",
            "input": {},
            "ctx": { "error": reason },
        })])
    })
}

/// The character offset of a 1-based line and byte column, as Python's `JSONDecodeError.pos`.
fn char_position(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0usize;
    for (index, piece) in bytes.split(|b| *b == b'\n').enumerate() {
        if index + 1 >= line {
            break;
        }
        offset += piece.len() + 1;
    }
    let end = offset
        .saturating_add(column.saturating_sub(1))
        .min(bytes.len());
    String::from_utf8_lossy(bytes.get(..end).unwrap_or_default())
        .chars()
        .count()
}

/// Checks the key the way the vendor carries it (DESIGN §1 "The sandbox's credentials"): a
/// named header (403 when wrong, as Databar), the password of HTTP Basic with any user name, or
/// a Bearer token (401 with a `WWW-Authenticate` challenge when wrong).
pub fn check_auth(headers: &HeaderMap, auth: Auth, keys: &[String]) -> Result<(), HttpError> {
    match auth {
        Auth::Header(name) => check_key(headers, name, keys),
        Auth::Basic => {
            let password = authorization(headers, "Basic").and_then(|encoded| {
                let decoded = BASE64.decode(encoded.trim()).ok()?;
                let split = decoded.iter().position(|b| *b == b':')?;
                Some(decoded.get(split + 1..).unwrap_or_default().to_vec())
            });
            check_secret(password.as_deref(), keys, "Basic")
        }
        Auth::Bearer => {
            let token = authorization(headers, "Bearer").map(|t| t.trim().as_bytes().to_vec());
            check_secret(token.as_deref(), keys, "Bearer")
        }
    }
}

/// The credentials of an `Authorization` header with the given scheme (case-insensitive).
fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, rest) = value.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then_some(rest)
}

fn check_secret(
    given: Option<&[u8]>,
    keys: &[String],
    scheme: &'static str,
) -> Result<(), HttpError> {
    match given {
        Some(given) if keys.iter().any(|key| same_bytes(key.as_bytes(), given)) => Ok(()),
        given => Err(HttpError {
            challenge: Some(scheme),
            ..HttpError::new(
                StatusCode::UNAUTHORIZED,
                if given.is_none() {
                    "Not authenticated"
                } else {
                    "Invalid credentials"
                },
            )
        }),
    }
}

/// 403 unless the request carries one of the keys in the named header.
pub fn check_key(headers: &HeaderMap, header_name: &str, keys: &[String]) -> Result<(), HttpError> {
    let Some(given) = headers.get(header_name) else {
        return Err(HttpError::new(StatusCode::FORBIDDEN, "Not authenticated"));
    };
    let given = given.as_bytes();
    if keys.iter().any(|key| same_bytes(key.as_bytes(), given)) {
        Ok(())
    } else {
        Err(HttpError::new(StatusCode::FORBIDDEN, "Invalid API key"))
    }
}

/// Compares without stopping at the first difference, so timing does not reveal a key's prefix.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_position_counts_characters() {
        let Err(error) = parse_json("{\"a\": é,}".as_bytes()) else {
            unreachable!("invalid JSON parsed");
        };
        assert_eq!(error.detail[0]["loc"], json!(["body", 6]));
        assert_eq!(error.detail[0]["type"], "json_invalid");
    }

    #[test]
    fn content_type_accepts_json_with_charset_only() {
        let mut headers = HeaderMap::new();
        assert!(require_json(&headers).is_err());
        headers.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert!(require_json(&headers).is_ok());
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(require_json(&headers).is_err());
    }

    #[test]
    fn basic_and_bearer_check_the_secret_only() {
        let keys = vec!["s3cret".to_owned()];
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
            headers
        };
        let basic = |user_pass: &str| with(&format!("Basic {}", BASE64.encode(user_pass)));
        assert!(check_auth(&basic("anyone:s3cret"), Auth::Basic, &keys).is_ok());
        assert!(check_auth(&basic(":s3cret"), Auth::Basic, &keys).is_ok());
        let wrong = check_auth(&basic("anyone:nope"), Auth::Basic, &keys).unwrap_err();
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.challenge, Some("Basic"));
        assert!(check_auth(&HeaderMap::new(), Auth::Basic, &keys).is_err());
        assert!(check_auth(&with("Bearer s3cret"), Auth::Bearer, &keys).is_ok());
        assert!(check_auth(&with("bearer s3cret"), Auth::Bearer, &keys).is_ok());
        assert!(check_auth(&with("Bearer s3cre"), Auth::Bearer, &keys).is_err());
        assert!(check_auth(&with("Basic s3cret"), Auth::Bearer, &keys).is_err());
    }

    #[test]
    fn keys_compare_whole() {
        let keys = vec!["abc".to_owned()];
        let mut headers = HeaderMap::new();
        assert_eq!(
            check_key(&headers, "x-apikey", &keys).unwrap_err().status,
            403
        );
        headers.insert("x-apikey", "ab".parse().unwrap());
        assert!(check_key(&headers, "x-apikey", &keys).is_err());
        headers.insert("x-apikey", "abc".parse().unwrap());
        assert!(check_key(&headers, "x-apikey", &keys).is_ok());
    }
}
