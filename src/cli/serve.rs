//! `patchcord serve`: flags to `sandbox::ServeOptions`, then the sandbox runs until Ctrl-C.
//! The banner is status, so it goes to stderr; `--json` prints it as one JSON object on
//! stdout instead, for a script that starts the server and reads where it listens.

use super::{CliError, Context, Exit};
use crate::sandbox::{self, DbPath, Plan, Ready, ServeOptions, default_db_path};
use serde_json::json;

pub async fn run(ctx: &Context, args: &super::args::ServeArgs) -> Result<Exit, CliError> {
    let db = match &args.db {
        Some(text) => DbPath::parse(text),
        None => default_db_path().map_or(DbPath::Memory, DbPath::File),
    };
    let keys = args
        .keys
        .iter()
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .collect();
    let options = ServeOptions {
        addr: args.addr,
        db,
        keys,
        plan: Plan {
            rate_limit: args.plan_rate_limit,
            max_concurrency: args.plan_max_concurrency,
        },
    };
    sandbox::serve(options, |ready| banner(ctx, ready)).await?;
    Ok(Exit::Ok)
}

fn banner(ctx: &Context, ready: &Ready) {
    let store = match ready.db {
        DbPath::Memory => None,
        DbPath::File(path) => Some(path.display().to_string()),
    };
    if ctx.json {
        let _ = super::out_json(&json!({
            "url": ready.base_url,
            "addr": ready.addr.to_string(),
            "store": store,
            "generated_keys": ready.generated_keys,
        }));
    } else {
        super::note(
            ctx,
            &format!("patchcord sandbox listening on {}", ready.base_url),
        );
        let store = store.unwrap_or_else(|| ":memory: (discarded on exit)".to_owned());
        super::note(ctx, &format!("store: {store}"));
        // Shown even with --quiet: a generated key cannot be had any other way.
        for key in ready.generated_keys {
            eprintln!("generated API key (shown once): {key}");
        }
        if !ready.generated_keys.is_empty() {
            super::note(
                ctx,
                "send it as x-apikey (Databar), as the HTTP Basic password (Agent Stack) or as a Bearer token (Cargo)",
            );
        }
    }
    if !ready.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines",
            ready.addr
        );
    }
    if !ctx.json {
        super::note(ctx, "Ctrl-C to stop");
    }
}
