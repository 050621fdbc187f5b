//! `patchcord curl FILE [--reveal]`: the curl command equivalent to `submit`, for sharing or
//! debugging, with the auth of the file's vendor (`x-apikey` header, `--user` for Agent
//! Stack's HTTP Basic, `Authorization: Bearer` for Cargo). Without `--reveal` nothing secret
//! is printed and no secret command is run.

use super::{CliError, Context, Exit, out, out_json};
use crate::api::curl::{KeyShown, command};
use crate::api::{ApiError, submit_request};
use crate::config::{Config, SecretSource, Target};
use crate::files;
use serde_json::json;

/// Where `patchcord serve` listens by default; the embedded sandbox lives only inside a
/// running patchcord, so a curl command for the sandbox targets a `patchcord serve`.
const SERVE_DEFAULT: &str = "http://127.0.0.1:8765";

pub fn run(ctx: &Context, args: &super::args::CurlArgs) -> Result<Exit, CliError> {
    let (connector, _samples) = files::load(&args.file)?;
    let config = Config::load()?;
    let target = config.target(ctx.target.as_deref())?;
    let (base_url, secret) = match &target {
        Target::Sandbox => {
            eprintln!(
                "note: the embedded sandbox runs only inside patchcord; this command targets `patchcord serve` at {SERVE_DEFAULT} (use one of its keys)"
            );
            (SERVE_DEFAULT.to_owned(), None)
        }
        Target::Remote(remote) if remote.vendor != connector.vendor => {
            return Err(ApiError::WrongVendor {
                connector: connector.vendor.to_string(),
                target: remote.name.clone(),
                target_vendor: remote.vendor.to_string(),
            }
            .into());
        }
        Target::Remote(remote) => {
            // Read the key only when it is cheap and silent (an environment variable), or
            // when the user asked to see it.
            let secret = match (&remote.secret, args.reveal) {
                (_, true) => Some(remote.resolve_secret()?),
                (SecretSource::Env(_), false) => remote.resolve_secret().ok(),
                (SecretSource::Command(_), false) => None,
            };
            (remote.base_url.clone(), secret)
        }
    };
    let key = match (&secret, args.reveal) {
        (Some(secret), true) => KeyShown::Reveal(secret),
        (Some(secret), false) => KeyShown::Masked(secret),
        (None, _) => KeyShown::Placeholder,
    };
    let target_ref = target.target_ref(&base_url);
    if let Some(id) = connector.unbound_legacy_id(&target_ref) {
        eprintln!(
            "note: id {id} was recorded without a target, so this command creates a new connector; \
             `patchcord submit --adopt` binds it to this target if it is there"
        );
    }
    let text = command(&connector, &target_ref, key, args.reveal);
    if ctx.json {
        let (method, url) = submit_request(&connector, &target_ref);
        out_json(&json!({"method": method, "url": url, "command": text}))?;
    } else {
        out(&text)?;
    }
    Ok(Exit::Ok)
}
