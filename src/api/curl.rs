//! The curl command equivalent to submitting a connector, for `patchcord curl` and the editor's
//! "copy as curl". Secrets (the target's key, and header or parameter values whose names say
//! they are credentials) are masked unless the user asks to reveal them. Every argument is
//! single-quoted for POSIX shells, so any connector text pastes safely.

use super::submit_request;
use crate::config::Secret;
use crate::connector::{Auth, Connector, NameValue};
use serde_json::Value;

/// What to put in the auth header.
#[derive(Debug, Clone, Copy)]
pub enum KeyShown<'a> {
    /// The key itself (`--reveal`).
    Reveal(&'a Secret),
    /// The key's mask (`sk-…****`).
    Masked(&'a Secret),
    /// No key known: the vendor's placeholder (`<x-apikey>`), as in the vendor's docs.
    Placeholder,
}

/// The curl command that submits `connector` to `base_url`: `POST` to the collection without
/// a remote id, `PUT` to the item with one, with the JSON body of `connector.outgoing()`.
/// With `reveal` false, credential-looking values inside the body are masked too.
pub fn command(connector: &Connector, base_url: &str, key: KeyShown<'_>, reveal: bool) -> String {
    let (method, url) = submit_request(connector, base_url);
    let mut body = connector.outgoing();
    if !reveal {
        body = masked(&body);
    }
    let body_text = serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string());
    let mut lines = vec![
        format!("curl --request {method}"),
        format!("  --url {}", quote(&url)),
        format!("  --header {}", quote("Content-Type: application/json")),
    ];
    let shown = |placeholder: &str| match key {
        KeyShown::Reveal(secret) => secret.expose().to_owned(),
        KeyShown::Masked(secret) => secret.masked(),
        KeyShown::Placeholder => format!("<{placeholder}>"),
    };
    match connector.spec().auth {
        Auth::Header(name) => {
            let header = format!("{name}: {}", shown(name));
            lines.push(format!("  --header {}", quote(&header)));
        }
        Auth::Basic => {
            let user = format!("patchcord:{}", shown("password"));
            lines.push(format!("  --user {}", quote(&user)));
        }
        Auth::Bearer => {
            let header = format!("Authorization: Bearer {}", shown("token"));
            lines.push(format!("  --header {}", quote(&header)));
        }
    }
    lines.push(format!("  --data {}", quote(&body_text)));
    lines.join(" \\\n")
}

/// Single-quotes a word for POSIX shells: `it's` → `'it'\''s'`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A copy of a connector body with the values of name-value pairs that look like
/// credentials (`Authorization`, `*token*`, `*key*`...) masked, keeping an auth scheme word
/// (`Bearer ****`). For showing a body on screen; never for sending.
pub fn masked(body: &Value) -> Value {
    let mut body = body.clone();
    mask_body(&mut body);
    body
}

fn mask_body(body: &mut Value) {
    let Some(object) = body.as_object_mut() else {
        return;
    };
    for value in object.values_mut() {
        let Some(items) = value.as_array_mut() else {
            continue;
        };
        for item in items {
            let Some(pair) = NameValue::from_json(item) else {
                continue;
            };
            if pair.looks_secret()
                && !pair.value.is_empty()
                && let Some(slot) = item.get_mut("value")
            {
                *slot = Value::String(mask_value(&pair.value));
            }
        }
    }
}

fn mask_value(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest))
            if !rest.is_empty()
                && ["bearer", "basic", "token"].contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            format!("{scheme} {}", Secret::new(rest).masked())
        }
        _ => Secret::new(value).masked(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::parse_file;

    fn scoring() -> Connector {
        parse_file(
            br#"{"name": "It's scoring", "method": "post", "url": "https://api.example.com/v1/score",
                "headers": [{"name": "Authorization", "value": "Bearer sk-live-0123456789abcdef"},
                            {"name": "Content-Type", "value": "application/json"}],
                "rate_limit": 60}"#,
        )
        .expect("valid file")
    }

    #[test]
    fn post_without_id_masks_key_and_credentials() {
        let key = Secret::new("dbk_0123456789abcdef0123");
        let text = command(
            &scoring(),
            "https://api.databar.ai/",
            KeyShown::Masked(&key),
            false,
        );
        assert!(
            text.starts_with(
                "curl --request POST \\\n  --url 'https://api.databar.ai/v1/connectors/' \\\n"
            ),
            "{text}"
        );
        assert!(text.contains("--header 'x-apikey: dbk…****'"), "{text}");
        assert!(text.contains(r#""value": "Bearer sk-…****""#), "{text}");
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(text.contains(r#""name": "It'\''s scoring""#), "{text}");
    }

    #[test]
    fn put_with_id_and_reveal_shows_everything() {
        let mut connector = scoring();
        connector.remote_id = Some("42".into());
        let key = Secret::new("dbk_0123456789abcdef0123");
        let text = command(
            &connector,
            "http://127.0.0.1:8765",
            KeyShown::Reveal(&key),
            true,
        );
        assert!(text.contains("--request PUT"), "{text}");
        assert!(
            text.contains("'http://127.0.0.1:8765/v1/connectors/42'"),
            "{text}"
        );
        assert!(
            text.contains("x-apikey: dbk_0123456789abcdef0123"),
            "{text}"
        );
        assert!(text.contains("Bearer sk-live-0123456789abcdef"), "{text}");
    }

    #[test]
    fn placeholder_without_a_key() {
        let text = command(
            &scoring(),
            "https://api.databar.ai",
            KeyShown::Placeholder,
            false,
        );
        assert!(text.contains("'x-apikey: <x-apikey>'"), "{text}");
    }

    #[test]
    fn quoting_survives_a_shell() {
        let tricky = "a'b \"c\" $HOME `x` \\ \n end";
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {}", quote(tricky)))
            .output()
            .expect("sh runs");
        assert_eq!(String::from_utf8_lossy(&output.stdout), tricky);
    }
}
