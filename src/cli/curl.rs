//! `patchcord curl FILE [--reveal]`: the curl command equivalent to `submit`, for sharing or
//! debugging, with the auth of the file's vendor (`x-apikey` header, `--user` for Agent
//! Stack's HTTP Basic, `Authorization: Bearer` for Cargo). Without `--reveal` the key is named
//! by its source (`$DATABAR_API_KEY`, `$(pass show …)`) and never read, connector values that
//! look like credentials are masked, and stderr says which.

use super::{CliError, Context, Exit, out, out_json};
use crate::api::curl::{KeyShown, SANDBOX_KEY_VAR, command};
use crate::api::{ApiError, submit_request};
use crate::config::Target;
use serde_json::json;

/// Where `patchcord serve` listens by default; the embedded sandbox lives only inside a
/// running patchcord, so a curl command for the sandbox targets a `patchcord serve`.
const SERVE_DEFAULT: &str = "http://127.0.0.1:8765";

pub fn run(ctx: &Context, args: &super::args::CurlArgs) -> Result<Exit, CliError> {
    let (connector, _samples) = super::load(&args.file)?;
    let config = super::load_config(ctx)?;
    let target = config.target(ctx.target.as_deref())?;
    let remote = match &target {
        Target::Sandbox => {
            super::note(
                ctx,
                &format!(
                    "note: the embedded sandbox runs only inside patchcord; this command targets `patchcord serve` at {SERVE_DEFAULT}: set {SANDBOX_KEY_VAR} to a key it accepts (it prints one when it starts)"
                ),
            );
            None
        }
        Target::Remote(remote) if remote.vendor != connector.vendor => {
            return Err(ApiError::WrongVendor {
                connector: connector.vendor.to_string(),
                target: remote.name.clone(),
                target_vendor: remote.vendor.to_string(),
            }
            .into());
        }
        Target::Remote(remote) => Some(remote),
    };
    // The key is read only when the user asked to see it.
    let secret = match (remote, ctx.reveal) {
        (Some(remote), true) => Some(remote.resolve_secret()?),
        _ => None,
    };
    let key = match (remote, &secret) {
        (_, Some(secret)) => KeyShown::Reveal(secret),
        (Some(remote), None) => KeyShown::Source(&remote.secret),
        (None, None) => KeyShown::Placeholder,
    };
    let base_url = remote.map_or(SERVE_DEFAULT, |r| r.base_url.as_str());
    let target_ref = target.target_ref(base_url);
    if let Some(id) = connector.unbound_legacy_id(&target_ref) {
        super::note(
            ctx,
            &format!(
                "note: id {id} was recorded without a target, so this command creates a new connector; \
             `patchcord submit --adopt` binds it to this target if it is there"
            ),
        );
    }
    let curl = command(&connector, &target_ref, key, ctx.reveal);
    if let Some(note) = curl.masked_note() {
        super::note(
            ctx,
            &format!(
                "note: {note} (--reveal includes them; run as printed, the command would store the masks)"
            ),
        );
    }
    if ctx.json {
        let (method, url) = submit_request(&connector, &target_ref);
        let masked: Vec<String> = curl.masked.iter().map(ToString::to_string).collect();
        out_json(&json!({"method": method, "url": url, "command": curl.text, "masked": masked}))?;
    } else {
        out(&curl.text)?;
    }
    Ok(Exit::Ok)
}
