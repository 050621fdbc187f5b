//! The curl command equivalent to submitting a connector, for `patchcord curl` and the editor's
//! "copy as curl". The target's key is referred to by where it comes from (`$DATABAR_API_KEY`,
//! `$(pass show databar)`), so the command works when pasted and never holds the key unless
//! the user reveals it; connector values that look like credentials are masked by the core's
//! rule (`connector::mask`) and reported, so the caller can say which. Every other argument
//! is single-quoted for POSIX shells, so any connector text pastes safely.

use super::{submit_body, submit_request};
use crate::config::{Secret, SecretSource};
use crate::connector::mask::mask_body;
use crate::connector::{Auth, Connector, FieldPath, TargetRef, UpdateMode};

/// The variable a curl command for the sandbox reads its key from: the sandbox's key is
/// generated per run, so there is no source to name.
pub const SANDBOX_KEY_VAR: &str = "PATCHCORD_SANDBOX_KEY";

/// How the auth header carries the key.
#[derive(Debug, Clone, Copy)]
pub enum KeyShown<'a> {
    /// The key itself (`--reveal`).
    Reveal(&'a Secret),
    /// Where the key comes from, expanded by the shell that runs the command:
    /// `"x-apikey: $DATABAR_API_KEY"` or `"x-apikey: $(pass show databar)"`.
    Source(&'a SecretSource),
    /// No source to name (the sandbox): `$PATCHCORD_SANDBOX_KEY`, for the user to set.
    Placeholder,
}

/// A curl command and the connector values it masked (empty when revealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlCommand {
    pub text: String,
    pub masked: Vec<FieldPath>,
}

impl CurlCommand {
    /// The note a face shows beside the command when values were masked, naming them.
    pub fn masked_note(&self) -> Option<String> {
        if self.masked.is_empty() {
            return None;
        }
        let places: Vec<String> = self.masked.iter().map(ToString::to_string).collect();
        Some(format!(
            "masked {} connector value{}: {}",
            places.len(),
            if places.len() == 1 { "" } else { "s" },
            places.join(", ")
        ))
    }
}

/// The curl command that submits `connector` to `target` (at its base URL): `POST` to the
/// collection without an id on that target; with one, `PUT` to the item (Databar's whole object, Cargo's updatable fields
/// only), or for Agent Stack, which cannot update, `DELETE` of the item `&&` a new `POST`.
/// The auth is the vendor's: a header (`x-apikey`), `--user` for HTTP Basic, or an
/// `Authorization: Bearer` header. With `reveal` false, secret values in the body are masked.
pub fn command(
    connector: &Connector,
    target: &TargetRef,
    key: KeyShown<'_>,
    reveal: bool,
) -> CurlCommand {
    let base_url = target.base_url.as_str();
    let (method, url) = submit_request(connector, target);
    let mut body = submit_body(connector, target);
    let mut masked = Vec::new();
    if !reveal {
        (body, masked) = mask_body(connector.vendor, &body);
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
    CurlCommand {
        text: commands.join(" \\\n&& "),
        masked,
    }
}

/// The curl arguments that carry the key the way `auth` says. A revealed key is
/// single-quoted; a reference is double-quoted so the shell expands it.
fn auth_lines(auth: Auth, key: KeyShown<'_>) -> Vec<String> {
    let arg = |prefix: &str| match key {
        KeyShown::Reveal(secret) => quote(&format!("{prefix}{}", secret.expose())),
        KeyShown::Source(source) => format!("\"{prefix}{}\"", reference(source)),
        KeyShown::Placeholder => format!("\"{prefix}${SANDBOX_KEY_VAR}\""),
    };
    match auth {
        Auth::Header(name) => vec![format!("  --header {}", arg(&format!("{name}: ")))],
        Auth::Basic => vec![format!("  --user {}", arg("patchcord:"))],
        Auth::Bearer => vec![format!("  --header {}", arg("Authorization: Bearer "))],
    }
}

/// A key's source as the shell reads it inside double quotes: `$VAR` (`${VAR}` would do as
/// well; a name that is not a shell identifier is braced and left for the shell to refuse),
/// or `$(command)`.
fn reference(source: &SecretSource) -> String {
    match source {
        SecretSource::Env(var) => {
            let plain = var
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if plain {
                format!("${var}")
            } else {
                format!("${{{var}}}")
            }
        }
        SecretSource::Command(command) => format!("$({command})"),
    }
}

/// Single-quotes a word for POSIX shells: `it's` → `'it'\''s'`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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

    fn env(var: &str) -> SecretSource {
        SecretSource::Env(var.to_owned())
    }

    #[test]
    fn post_without_id_refers_to_the_key_and_masks_credentials() {
        let source = env("DATABAR_API_KEY");
        let curl = command(
            &scoring(),
            &TargetRef::new("t", "https://api.databar.ai/"),
            KeyShown::Source(&source),
            false,
        );
        let text = &curl.text;
        assert!(
            text.starts_with(
                "curl --request POST \\\n  --url 'https://api.databar.ai/v1/connectors/' \\\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"--header "x-apikey: $DATABAR_API_KEY""#),
            "{text}"
        );
        assert!(text.contains(r#""value": "Bearer ••••••••""#), "{text}");
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(text.contains(r#""name": "It'\''s scoring""#), "{text}");
        assert_eq!(curl.masked.len(), 1);
        let note = curl.masked_note().expect("a note");
        assert!(note.contains("headers[0].value"), "{note}");
    }

    #[test]
    fn the_key_reference_expands_in_a_shell() {
        let source = SecretSource::Command("printf dbk-from-command".to_owned());
        let curl = command(
            &scoring(),
            &TargetRef::new("t", "http://127.0.0.1:1"),
            KeyShown::Source(&source),
            false,
        );
        let header = curl
            .text
            .lines()
            .find(|l| l.contains("x-apikey"))
            .expect("auth line")
            .trim()
            .trim_end_matches(" \\")
            .trim_start_matches("--header ")
            .to_owned();
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {header}"))
            .env("DATABAR_API_KEY", "unused")
            .output()
            .expect("sh runs");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "x-apikey: dbk-from-command"
        );
    }

    #[test]
    fn put_with_id_and_reveal_shows_everything() {
        let mut connector = scoring();
        connector.set_remote_id(&TargetRef::new("t", "http://127.0.0.1:8765"), "42".into());
        let key = Secret::new("dbk_0123456789abcdef0123");
        let curl = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            KeyShown::Reveal(&key),
            true,
        );
        let text = &curl.text;
        assert!(text.contains("--request PUT"), "{text}");
        assert!(
            text.contains("'http://127.0.0.1:8765/v1/connectors/42'"),
            "{text}"
        );
        assert!(
            text.contains("'x-apikey: dbk_0123456789abcdef0123'"),
            "{text}"
        );
        assert!(text.contains("Bearer sk-live-0123456789abcdef"), "{text}");
        assert!(curl.masked.is_empty());
        assert_eq!(curl.masked_note(), None);
    }

    #[test]
    fn placeholder_without_a_source() {
        let curl = command(
            &scoring(),
            &TargetRef::new("t", "https://api.databar.ai"),
            KeyShown::Placeholder,
            false,
        );
        assert!(
            curl.text.contains(r#""x-apikey: $PATCHCORD_SANDBOX_KEY""#),
            "{}",
            curl.text
        );
    }

    #[test]
    fn agent_stack_uses_basic_auth_and_masks_secret_and_metadata() {
        let mut connector = parse_file(
            br#"{"$patchcord": {"vendor": "agent_stack"}, "url": "https://mcp.example.com/mcp",
                "client_id": "app", "client_secret": "cs-0123456789abcdef",
                "metadata": {"team": "growth", "api_token": "tok-0123456789"}}"#,
        )
        .expect("valid file");
        let source = env("AGENT_STACK_PASSWORD");
        let curl = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            KeyShown::Source(&source),
            false,
        );
        let text = &curl.text;
        assert!(
            text.starts_with(
                "curl --request POST \\\n  --url 'http://127.0.0.1:8765/api/v1/connectors' \\\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"--user "patchcord:$AGENT_STACK_PASSWORD""#),
            "{text}"
        );
        assert!(!text.contains("0123456789"), "{text}");
        assert!(text.contains(r#""client_id": "app""#), "{text}");
        assert!(text.contains(r#""team": "growth""#), "{text}");
        let places: Vec<String> = curl.masked.iter().map(ToString::to_string).collect();
        assert_eq!(places, ["client_secret", "metadata.api_token"]);
        connector.set_remote_id(
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            "3c90c3cc-0d44-4b50-8888-8dd25736052a".into(),
        );
        let key = Secret::new("as-password-0123456789");
        let text = command(
            &connector,
            &TargetRef::new("t", "http://127.0.0.1:8765"),
            KeyShown::Reveal(&key),
            true,
        )
        .text;
        assert!(
            text.starts_with("curl --fail --request DELETE \\\n  --url 'http://127.0.0.1:8765/api/v1/connectors/3c90c3cc-0d44-4b50-8888-8dd25736052a' \\\n  --user 'patchcord:as-password-0123456789' \\\n&& curl --request POST"),
            "{text}"
        );
        assert!(text.contains("cs-0123456789abcdef"), "{text}");
    }

    #[test]
    fn cargo_uses_bearer_masks_config_and_updates_only_the_updatable_fields() {
        let mut connector = parse_file(
            br#"{"$patchcord": {"vendor": "cargo", "ids": [{"target": "t", "base_url": "https://api.getcargo.io", "id": "6f1c2b9e-8a4d-4f5e-9b7a-2c3d4e5f6a7b"}]},
                "name": "HTTP", "slug": "http-x", "integrationSlug": "http",
                "config": {"a": 1, "auth": {"apiKey": "ck-0123456789"}},
                "rateLimit": {"unit": "minute", "max": 60}}"#,
        )
        .expect("valid file");
        let text = command(
            &connector,
            &TargetRef::new("t", "https://api.getcargo.io"),
            KeyShown::Placeholder,
            false,
        )
        .text;
        assert!(text.contains("--request PUT"), "{text}");
        assert!(text.contains("'https://api.getcargo.io/v1/connection/connectors/6f1c2b9e-8a4d-4f5e-9b7a-2c3d4e5f6a7b'"), "{text}");
        assert!(
            text.contains(r#""Authorization: Bearer $PATCHCORD_SANDBOX_KEY""#),
            "{text}"
        );
        assert!(!text.contains("integrationSlug"), "{text}");
        assert!(!text.contains("\"slug\""), "{text}");
        assert!(!text.contains("ck-0123456789"), "{text}");
        assert!(text.contains(r#""a": 1"#), "{text}");
        connector.clear_remote_ids();
        let source = env("CARGO_API_TOKEN");
        let text = command(
            &connector,
            &TargetRef::new("t", "https://api.getcargo.io"),
            KeyShown::Source(&source),
            false,
        )
        .text;
        assert!(text.contains("--request POST"), "{text}");
        assert!(text.contains(r#""integrationSlug": "http""#), "{text}");
        assert!(
            text.contains(r#""Authorization: Bearer $CARGO_API_TOKEN""#),
            "{text}"
        );
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
