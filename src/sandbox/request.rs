//! What every vendor's handlers share about a request: reading the body (at most 1 MiB, 413
//! past it), Cargo's JSON checks, and the credentials each vendor carries.
//!
//! Owns no routes and no storage; `FastAPI`'s reading of a body is `fastapi.rs`'s.

use super::errors::HttpError;
use super::server::BodyTimeout;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::StreamExt;

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
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                let (status, message) = match error.into_inner().downcast::<BodyTimeout>() {
                    Ok(late) => (StatusCode::REQUEST_TIMEOUT, late.to_string()),
                    Err(_) => (
                        StatusCode::BAD_REQUEST,
                        "Request body could not be read".into(),
                    ),
                };
                return Err(HttpError {
                    close: true,
                    ..HttpError::new(status, message)
                });
            }
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

/// Whether the Content-Type is JSON (`application/json` or `application/*+json`); the message
/// says what was sent otherwise.
pub fn json_content_type(headers: &HeaderMap) -> Result<(), String> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err("Content-Type must be application/json (the header is missing)".into());
    };
    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
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
        Err(format!(
            "Content-Type must be application/json (got {value})"
        ))
    }
}

/// The credentials a vendor's request carries, once read: `None` when absent or malformed.
pub fn basic_password(headers: &HeaderMap) -> Option<Vec<u8>> {
    let encoded = authorization(headers, "Basic")?;
    let decoded = BASE64.decode(encoded.trim()).ok()?;
    let split = decoded.iter().position(|b| *b == b':')?;
    Some(decoded.get(split + 1..).unwrap_or_default().to_vec())
}

/// The token of `Authorization: Bearer TOKEN`.
pub fn bearer_token(headers: &HeaderMap) -> Option<Vec<u8>> {
    authorization(headers, "Bearer").map(|t| t.trim().as_bytes().to_vec())
}

/// The credentials of an `Authorization` header with the given scheme (case-insensitive).
fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, rest) = value.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then_some(rest)
}

/// A 401 with the scheme's challenge: "Not authenticated" without credentials, "Invalid
/// credentials" with wrong ones (`FastAPI`'s `HTTPBasic`/`HTTPBearer` wording).
pub fn check_secret(
    given: Option<&[u8]>,
    keys: &[String],
    scheme: &'static str,
) -> Result<(), HttpError> {
    match given {
        Some(given) if is_key(keys, given) => Ok(()),
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

/// Whether `given` is one of the keys, compared without stopping at the first difference so
/// timing does not reveal a key's prefix.
pub fn is_key(keys: &[String], given: &[u8]) -> bool {
    keys.iter().any(|key| {
        let key = key.as_bytes();
        key.len() == given.len()
            && key.iter().zip(given).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn content_type_accepts_json_with_charset_only() {
        let mut headers = HeaderMap::new();
        assert!(json_content_type(&headers).is_err());
        headers.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert!(json_content_type(&headers).is_ok());
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(json_content_type(&headers).is_err());
    }

    #[test]
    fn basic_and_bearer_carry_the_secret_only() {
        let keys = vec!["s3cret".to_owned()];
        let basic = |user_pass: &str| with(&format!("Basic {}", BASE64.encode(user_pass)));
        let check =
            |headers: &HeaderMap| check_secret(basic_password(headers).as_deref(), &keys, "Basic");
        assert!(check(&basic("anyone:s3cret")).is_ok());
        assert!(check(&basic(":s3cret")).is_ok());
        let wrong = check(&basic("anyone:nope")).unwrap_err();
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.challenge, Some("Basic"));
        assert!(check(&HeaderMap::new()).is_err());
        assert_eq!(
            bearer_token(&with("bearer s3cret")),
            Some(b"s3cret".to_vec())
        );
        assert_eq!(bearer_token(&with("Basic s3cret")), None);
    }

    #[test]
    fn keys_compare_whole() {
        let keys = vec!["abc".to_owned()];
        assert!(!is_key(&keys, b"ab"));
        assert!(!is_key(&keys, b"abcd"));
        assert!(is_key(&keys, b"abc"));
    }
}
