//! Masking: which values are secret and how they read when hidden. The one rule every face
//! calls (editor, review, stored view, try-it, curl, `--json`, errors, logs), so a value
//! hidden in one place is hidden in all of them. Revealing is the caller's explicit choice
//! (the editor's toggle, the CLI's `--reveal`); these functions always mask.
//!
//! A value is secret when its name says so ([`is_secret_name`]), wherever the vendor's
//! description lets names sit: `{name, value}` lists, the keys of JSON objects at any depth
//! (Cargo's `config`, Agent Stack's `metadata`), query parameters in a URL, and the vendor's
//! secret fields (Agent Stack's `client_secret`). Values known to be secret whatever their
//! name (a target's key) are scrubbed from free text by [`scrub`].

use super::{FieldChange, FieldKind, FieldPath, NameValue, PathSeg, Vendor};
use serde_json::Value;

/// What a hidden value shows.
pub const MASK: &str = "••••••••";

/// The words that make a name secret when it contains them.
const SECRET_WORDS: [&str; 6] = ["token", "key", "secret", "password", "auth", "cookie"];

/// Whether a name says its value is a credential: `Authorization`, `Cookie`, and any name
/// containing token, key, secret, password or auth (case-insensitive).
pub fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|word| name.contains(word))
}

/// A secret value as shown: an empty value (an input slot) stays empty, and an auth scheme
/// word stays readable (`Bearer ••••••••`) so the shape of the header is still clear.
pub fn mask_value(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    match value.split_once(' ') {
        Some((scheme, rest))
            if !rest.trim().is_empty()
                && ["bearer", "basic", "token", "digest"]
                    .contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_owned(),
    }
}

/// The pairs with the values of secret-named ones masked.
pub fn mask_pairs(pairs: &[NameValue]) -> Vec<NameValue> {
    pairs
        .iter()
        .map(|pair| {
            if is_secret_name(&pair.name) {
                NameValue::new(pair.name.clone(), mask_value(&pair.value))
            } else {
                pair.clone()
            }
        })
        .collect()
}

/// A URL with the values of secret-named query parameters and a user-info password masked
/// (`https://u:••••••••@h/p?api_key=••••••••&q=1`). Works on the text, so percent-encoding and
/// parameter order stay as written; text without a query or password comes back unchanged.
pub fn mask_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((head, tail)) => (head, Some(tail)),
        None => (url, None),
    };
    let (head, query) = match before_fragment.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (before_fragment, None),
    };
    let mut out = mask_userinfo(head);
    if let Some(query) = query {
        out.push('?');
        let parts: Vec<String> = query
            .split('&')
            .map(|part| match part.split_once('=') {
                Some((name, value)) if is_secret_name(&decode(name)) && !value.is_empty() => {
                    format!("{name}={MASK}")
                }
                _ => part.to_owned(),
            })
            .collect();
        out.push_str(&parts.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// `scheme://user:password@host` → `scheme://user:••••••••@host`.
fn mask_userinfo(head: &str) -> String {
    let Some((scheme, rest)) = head.split_once("://") else {
        return head.to_owned();
    };
    let (authority, path) = match rest.split_once('/') {
        Some((authority, path)) => (authority, Some(path)),
        None => (rest, None),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, password)) if !password.is_empty() => format!("{user}:{MASK}@{host}"),
            _ => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    match path {
        Some(path) => format!("{scheme}://{authority}/{path}"),
        None => format!("{scheme}://{authority}"),
    }
}

/// A query name as the server reads it (`api%5Fkey` is `api_key`); `+` is a space.
fn decode(name: &str) -> String {
    let spaced = name.replace('+', " ");
    url::form_urlencoded::parse(format!("{spaced}=").as_bytes())
        .next()
        .map_or(spaced.clone(), |(decoded, _)| decoded.into_owned())
}

/// Masks, in place, every value under a secret-looking key at any depth of `value`, and the
/// `value` of `{name, value}` items whose name is secret; every scalar under a secret key is
/// masked, keeping the structure. Each masked place is added to `masked`.
pub fn mask_json(value: &mut Value, at: &FieldPath, masked: &mut Vec<FieldPath>) {
    match value {
        Value::Object(object) => {
            let pair_name = object
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(is_secret_name);
            for (key, child) in object.iter_mut() {
                let path = at.child(PathSeg::Key(key.clone()));
                if is_secret_name(key) || (pair_name && key == "value") {
                    mask_all(child, &path, masked);
                } else {
                    mask_json(child, &path, masked);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                mask_json(item, &at.child(PathSeg::Index(index)), masked);
            }
        }
        _ => {}
    }
}

/// Masks every non-empty scalar in `value`.
fn mask_all(value: &mut Value, at: &FieldPath, masked: &mut Vec<FieldPath>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                mask_all(child, &at.child(PathSeg::Key(key.clone())), masked);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                mask_all(item, &at.child(PathSeg::Index(index)), masked);
            }
        }
        Value::String(text) if text.is_empty() => {}
        Value::Null => {}
        Value::String(text) => {
            *text = mask_value(text);
            masked.push(at.clone());
        }
        Value::Bool(_) | Value::Number(_) => {
            *value = Value::String(MASK.to_owned());
            masked.push(at.clone());
        }
    }
}

/// A connector body (or a server's answer holding one) with every secret masked, and where
/// each masked value was. The vendor's description says where secrets can sit: its secret
/// fields, its name-value lists, the keys of its JSON-object fields at any depth, and the
/// query of its URL fields. Fields the description does not know are left as they are.
pub fn mask_body(vendor: Vendor, body: &Value) -> (Value, Vec<FieldPath>) {
    let mut body = body.clone();
    let mut masked = Vec::new();
    let inner = match vendor.spec().response_key {
        Some(key) if body.get(key).is_some() => body.get_mut(key),
        _ => Some(&mut body),
    };
    if let Some(Value::Object(object)) = inner {
        for field in vendor.spec().fields {
            let Some(value) = object.get_mut(field.key) else {
                continue;
            };
            let at = FieldPath::key(field.key);
            match field.kind {
                FieldKind::SecretText => mask_all(value, &at, &mut masked),
                FieldKind::NameValues { .. }
                | FieldKind::JsonObject
                | FieldKind::StringMap { .. } => {
                    mask_json(value, &at, &mut masked);
                }
                FieldKind::Url { .. } => {
                    if let Value::String(url) = value {
                        let shown = mask_url(url);
                        if shown != *url {
                            *url = shown;
                            masked.push(at);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    (body, masked)
}

/// [`mask_body`] without the report, for views.
pub fn masked_body(vendor: Vendor, body: &Value) -> Value {
    mask_body(vendor, body).0
}

/// A body as a face shows it: as it is when the user asked to `reveal` secrets (the editor's
/// toggle, the CLI's `--reveal`), else masked.
pub fn shown_body(vendor: Vendor, body: &Value, reveal: bool) -> Value {
    if reveal {
        body.clone()
    } else {
        masked_body(vendor, body)
    }
}

/// A field change (`rate_limit: sent 60, stored 10`) with secrets in either value masked by
/// the field's place in the vendor's description.
pub fn mask_change(vendor: Vendor, change: &FieldChange) -> FieldChange {
    let one = |value: &Option<Value>| {
        value.as_ref().map(|value| {
            let mut body = serde_json::Map::new();
            body.insert(change.key.clone(), value.clone());
            let (masked, _) = mask_body(vendor, &Value::Object(body));
            masked.get(&change.key).cloned().unwrap_or(Value::Null)
        })
    };
    FieldChange {
        key: change.key.clone(),
        sent: one(&change.sent),
        stored: one(&change.stored),
    }
}

/// The texts [`mask_json`] would hide in `value` (and, for `Bearer x`, the bare `x`), longest
/// first: what to [`scrub`] from a message that may quote the request, such as a server's
/// error echoing a header back.
pub fn secret_values(value: &Value) -> Vec<String> {
    let mut masked = Vec::new();
    mask_json(&mut value.clone(), &FieldPath::default(), &mut masked);
    let mut texts: Vec<String> = masked
        .iter()
        .filter_map(|path| at(value, path))
        .filter_map(|found| match found {
            Value::String(text) => Some(text.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .flat_map(|text| {
            let bare = text.split_once(' ').map(|(_, rest)| rest.to_owned());
            std::iter::once(text).chain(bare)
        })
        .collect();
    url_secrets(value, &mut texts);
    texts.retain(|t| !t.is_empty());
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts.dedup();
    texts
}

/// The secret query values (as written and decoded) and passwords of every URL-like string in
/// `value`: what [`mask_url`] hides.
fn url_secrets(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) if text.contains("://") => {
            let shown = mask_url(text);
            if shown != *text {
                // The mask holds none of these separators, so both texts split into the same
                // pieces and the hidden values are the pieces that differ.
                for (before, after) in text
                    .split(['&', '?', '@', ':', '#'])
                    .zip(shown.split(['&', '?', '@', ':', '#']))
                {
                    if before != after {
                        let hidden = before.split_once('=').map_or(before, |(_, v)| v);
                        out.push(hidden.to_owned());
                        out.push(decode(hidden));
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| url_secrets(item, out)),
        Value::Object(object) => object.values().for_each(|item| url_secrets(item, out)),
        _ => {}
    }
}

/// The value at `path` inside `value`.
fn at<'a>(value: &'a Value, path: &FieldPath) -> Option<&'a Value> {
    path.0.iter().try_fold(value, |here, seg| match seg {
        PathSeg::Key(key) => here.get(key),
        PathSeg::Index(index) => here.get(index),
    })
}

/// Free text with every occurrence of a known secret (a target's key) replaced by the mask,
/// for messages and logs that may quote what a server echoed back. Short secrets (under 4
/// characters) are left alone: they would mask ordinary words.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.chars().count() >= 4) {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn places(paths: &[FieldPath]) -> Vec<String> {
        paths.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn secret_names() {
        for name in [
            "Authorization",
            "Cookie",
            "X-Api-Key",
            "access_token",
            "client_secret",
            "PASSWORD",
            "x-auth-user",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["Content-Type", "domain", "Accept", "url"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn values_keep_their_scheme_and_slots_stay_empty() {
        assert_eq!(mask_value("Bearer sk-123"), format!("Bearer {MASK}"));
        assert_eq!(mask_value("sk 123"), MASK);
        assert_eq!(mask_value(""), "");
    }

    #[test]
    fn urls_hide_secret_query_values_and_passwords() {
        assert_eq!(
            mask_url("https://u:pw@api.example.com/v1?q=a&api%5Fkey=s3&token=#top"),
            format!("https://u:{MASK}@api.example.com/v1?q=a&api%5Fkey={MASK}&token=#top")
        );
        assert_eq!(
            mask_url("https://api.example.com/v1?q=1"),
            "https://api.example.com/v1?q=1"
        );
        assert_eq!(mask_url("not a url"), "not a url");
    }

    #[test]
    fn databar_bodies_mask_lists_and_the_url() {
        let body = json!({
            "name": "n", "url": "https://x.example/p?apikey=abc",
            "headers": [{"name": "Authorization", "value": "Bearer sk-1"},
                        {"name": "Accept", "value": "json"}],
            "parameters": [{"name": "token", "value": ""}],
            "body": [{"name": "password", "value": "pw-1"}],
            "extra": {"token": "kept: not a field the vendor describes"}
        });
        let (shown, masked) = mask_body(Vendor::Databar, &body);
        assert_eq!(
            places(&masked),
            ["url", "headers[0].value", "body[0].value"]
        );
        let text = shown.to_string();
        for secret in ["abc", "sk-1", "pw-1"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert_eq!(shown["headers"][1]["value"], "json");
        assert_eq!(shown["parameters"][0]["value"], "");
        assert_eq!(shown["extra"], body["extra"]);
    }

    #[test]
    fn agent_stack_masks_the_client_secret_and_metadata() {
        let body = json!({"url": "https://m.example/mcp", "client_id": "app",
            "client_secret": "cs-1", "metadata": {"team": "g", "api_key": "k-1"},
            "auth_request": {"type": "code", "authorization_endpoint": "https://a.example/auth"}});
        let (shown, masked) = mask_body(Vendor::AgentStack, &body);
        assert_eq!(places(&masked), ["client_secret", "metadata.api_key"]);
        assert_eq!(shown["metadata"]["team"], "g");
        // Server fields the description does not mark stay readable: the link is the point.
        assert_eq!(shown["auth_request"], body["auth_request"]);
    }

    #[test]
    fn cargo_masks_config_keys_at_any_depth_inside_its_envelope() {
        let answer = json!({"connector": {"name": "c", "config": {
            "base": "https://h.example", "auth": {"kind": "bearer", "value": "ck-1"},
            "nested": [{"secretValue": 42}]}}, "dataset": {}});
        let (shown, masked) = mask_body(Vendor::Cargo, &answer);
        assert_eq!(
            places(&masked),
            [
                "config.auth.kind",
                "config.auth.value",
                "config.nested[0].secretValue"
            ]
        );
        assert_eq!(shown["connector"]["config"]["base"], "https://h.example");
        assert!(!shown.to_string().contains("ck-1"));
    }

    #[test]
    fn changes_and_free_text() {
        let change = FieldChange {
            key: "headers".into(),
            sent: Some(json!([{"name": "x-api-key", "value": "k-123"}])),
            stored: None,
        };
        let shown = mask_change(Vendor::Databar, &change).to_string();
        assert!(!shown.contains("k-123"), "{shown}");
        assert_eq!(
            scrub("bad key dbk-0123 (dbk-0123)", &["dbk-0123", "ab"]),
            format!("bad key {MASK} ({MASK})")
        );
        let body = json!({"headers": [{"name": "Authorization", "value": "Bearer sk-9876"}],
                          "config": {"auth": {"token": "tk-5432"}}, "name": "plain"});
        assert_eq!(
            secret_values(&body),
            ["Bearer sk-9876", "sk-9876", "tk-5432"]
        );
        let body = json!({"url": "https://u:pw-77@h.example/p?q=1&api%5Fkey=a%2Bb"});
        assert_eq!(secret_values(&body), ["pw-77", "a%2Bb", "a+b"]);
    }
}
