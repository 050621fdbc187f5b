//! `patchcord serve`: flags to `sandbox::ServeOptions`, then the sandbox runs until Ctrl-C.

use super::{CliError, Exit};
use crate::sandbox::{self, DbPath, Plan, ServeOptions, default_db_path};

pub async fn run(args: &super::args::ServeArgs) -> Result<Exit, CliError> {
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
    sandbox::serve(options).await?;
    Ok(Exit::Ok)
}
