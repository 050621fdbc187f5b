//! The curl command equivalent to submitting a connector, for `patchcord curl` and the editor's
//! "copy as curl". Secrets (the target's key, and header or parameter values whose names say
//! they are credentials) are masked unless the user asks to reveal them. Every argument is
//! single-quoted for POSIX shells, so any connector text pastes safely.

use super::{submit_body, submit_request};
use crate::config::Secret;
use crate::connector::{Auth, Connector, FieldKind, NameValue, TargetRef, UpdateMode, Vendor};
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

/// The curl command that submits `connector` to `target` (at its base URL): `POST` to the
/// collection without an id on that target; with one, `PUT` to the item (Databar's whole object, Cargo's updatable fields
/// only), or for Agent Stack, which cannot update, `DELETE` of the item `&&` a new `POST`.
/// The auth is the vendor's: a header (`x-apikey`), `--user` for HTTP Basic, or an
/// `Authorization: Bearer` header. With `reveal` false, credential-looking values inside the
/// body are masked too.
pub fn command(
    connector: &Connector,
    target: &TargetRef,
    key: KeyShown<'_>,
    reveal: bool,
) -> String {
    let base_url = target.base_url.as_str();
    let (method, url) = submit_request(connector, target);
    let mut body = submit_body(connector, target);
    if !reveal {
        body = masked_for(connector.vendor, &body);
    }
    let body_text = serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string());
    let spec = connector.spec();
    let auth = auth_lines(spec.auth, key);
    let mut commands = Vec::new();
    if let (Some(id), UpdateMode::Recreate) = (connector.remote_id_for(target), spec.update) {
        let base = base_url.trim_end_matches('/');
        let mut lines = vec![
            "curl --fail --request DELETE".to_owned(),
            format!(
                "  --url {}",
                quote(&format!("{base}{}", spec.item_path_for(id)))
            ),
        ];
        lines.extend(auth.iter().cloned());
        commands.push(lines.join(" \\\n"));
    }
    let mut lines = vec![
        format!("curl --request {method}"),
        format!("  --url {}", quote(&url)),
        format!("  --header {}", quote("Content-Type: application/json")),
    ];
    lines.extend(auth);
    lines.push(format!("  --data {}", quote(&body_text)));
    commands.push(lines.join(" \\\n"));
    commands.join(" \\\n&& ")
}

/// The curl arguments that carry the key the way `auth` says.
fn auth_lines(auth: Auth, key: KeyShown<'_>) -> Vec<String> {
    let shown = |placeholder: &str| match key {
        KeyShown::Reveal(secret) => secret.expose().to_owned(),
        KeyShown::Masked(secret) => secret.masked(),
        KeyShown::Placeholder => format!("<{placeholder}>"),
    };
    match auth {
        Auth::Header(name) => {
            let header = format!("{name}: {}", shown(name));
            vec![format!("  --header {}", quote(&header))]
        }
        Auth::Basic => {
            let user = format!("patchcord:{}", shown("password"));
            vec![format!("  --user {}", quote(&user))]
        }
        Auth::Bearer => {
            let header = format!("Authorization: Bearer {}", shown("token"));
            vec![format!("  --header {}", quote(&header))]
        }
    }
}

/// [`masked`], plus the vendor's secret fields (Agent Stack's `client_secret`) masked.
pub fn masked_for(vendor: Vendor, body: &Value) -> Value {
    let mut body = masked(body);
    if let Some(object) = body.as_object_mut() {
        for field in vendor.spec().fields {
            if field.kind == FieldKind::SecretText
                && let Some(slot) = object.get_mut(field.key)
                && let Some(text) = slot.as_str().filter(|t| !t.is_empty())
            {
                *slot = Value::String(Secret::new(text).masked());
            }
        }
    }
    body
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
            &TargetRef::new("t", "https://api.databar.ai/"),
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
        connector.set_remote_id(&TargetRef::new("t", "http://127.0.0.1:8765"), "42".into());
        let key = Secret::new("dbk_0123456789abcdef0123");
        let text = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
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
            &TargetRef::new("t", "https://api.databar.ai"),
            KeyShown::Placeholder,
            false,
        );
        assert!(text.contains("'x-apikey: <x-apikey>'"), "{text}");
    }

    #[test]
    fn agent_stack_uses_basic_auth_and_masks_the_client_secret() {
        let mut connector = parse_file(
            br#"{"$patchcord": {"vendor": "agent_stack"}, "url": "https://mcp.example.com/mcp",
                "client_id": "app", "client_secret": "cs-0123456789abcdef", "metadata": {"team": "growth"}}"#,
        )
        .expect("valid file");
        let key = Secret::new("as-password-0123456789");
        let text = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            KeyShown::Masked(&key),
            false,
        );
        assert!(
            text.starts_with(
                "curl --request POST \\\n  --url 'http://127.0.0.1:8765/api/v1/connectors' \\\n"
            ),
            "{text}"
        );
        assert!(text.contains("--user 'patchcord:as-…****'"), "{text}");
        assert!(!text.contains("0123456789"), "{text}");
        assert!(text.contains(r#""client_id": "app""#), "{text}");
        connector.set_remote_id(
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            "3c90c3cc-0d44-4b50-8888-8dd25736052a".into(),
        );
        let text = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            KeyShown::Reveal(&key),
            true,
        );
        assert!(
            text.starts_with("curl --fail --request DELETE \\\n  --url 'http://127.0.0.1:8765/api/v1/connectors/3c90c3cc-0d44-4b50-8888-8dd25736052a' \\\n  --user 'patchcord:as-password-0123456789' \\\n&& curl --request POST"),
            "{text}"
        );
        assert!(text.contains("cs-0123456789abcdef"), "{text}");
    }

    #[test]
    fn cargo_uses_bearer_and_updates_only_the_updatable_fields() {
        let mut connector = parse_file(
            br#"{"$patchcord": {"vendor": "cargo", "ids": [{"target": "t", "base_url": "https://api.getcargo.io", "id": "6f1c2b9e-8a4d-4f5e-9b7a-2c3d4e5f6a7b"}]},
                "name": "HTTP", "slug": "http-x", "integrationSlug": "http", "config": {"a": 1},
                "rateLimit": {"unit": "minute", "max": 60}}"#,
        )
        .expect("valid file");
        let key = Secret::new("cargo-token-0123456789");
        let text = command(
            &connector,
            &TargetRef::new("t", "https://api.getcargo.io"),
            KeyShown::Placeholder,
            false,
        );
        assert!(text.contains("--request PUT"), "{text}");
        assert!(text.contains("'https://api.getcargo.io/v1/connection/connectors/6f1c2b9e-8a4d-4f5e-9b7a-2c3d4e5f6a7b'"), "{text}");
        assert!(text.contains("'Authorization: Bearer <token>'"), "{text}");
        assert!(!text.contains("integrationSlug"), "{text}");
        assert!(!text.contains("\"slug\""), "{text}");
        connector.clear_remote_ids();
        let text = command(
            &connector,
            &TargetRef::new("t", "https://api.getcargo.io"),
            KeyShown::Masked(&key),
            false,
        );
        assert!(text.contains("--request POST"), "{text}");
        assert!(text.contains(r#""integrationSlug": "http""#), "{text}");
        assert!(text.contains("'Authorization: Bearer car…****'"), "{text}");
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
