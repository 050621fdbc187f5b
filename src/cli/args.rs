//! The command line, declared with clap's derive: every command, flag and help text. Parsing
//! only; the commands themselves live beside this file.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Shown at the end of `patchcord --help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  validation failed (or the file could not be read)
  2  usage: bad arguments, config or target
  3  the server rejected the request (4xx: bad key, unknown id, invalid connector)
  4  network or server failure (5xx, 429 after retries, timeout, closed connection,
     non-JSON answer)";

/// Build, preview and submit custom API connectors.
///
/// With no command, opens FILE (or a new connector) in the editor.
#[derive(Debug, Parser)]
#[command(
    name = "patchcord",
    version,
    args_conflicts_with_subcommands = true,
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[arg(
        long,
        global = true,
        env = "PATCHCORD_TARGET",
        value_name = "T",
        help = "Where requests go: a [targets.NAME] of the config, a vendor name (databar), or \
                sandbox. Default: the config's default_target, else the embedded sandbox"
    )]
    pub target: Option<String>,

    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// Connector file to open in the editor (created on first save)
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check connector files against the vendor's rules; exit 1 if any has an error
    Validate(ValidateArgs),
    #[command(about = "Render a connector's body_template with its sample values")]
    Render(RenderArgs),
    /// Validate, then create (POST) or replace (PUT) the connector on the target
    Submit(SubmitArgs),
    /// List the connectors on the target
    List,
    /// Download a connector into a file (or print it)
    Pull(PullArgs),
    /// Delete a connector on the target
    Delete(DeleteArgs),
    /// Print the curl command that submits a connector (secrets masked)
    Curl(CurlArgs),
    /// Run the local sandbox server that speaks the vendors' connector APIs
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Connector files to check
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Connector file
    pub file: PathBuf,
    /// Sample value for a template variable, over the file's samples (repeatable)
    #[arg(long = "sample", short = 's', value_name = "NAME=VALUE", value_parser = parse_sample)]
    pub samples: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Connector file; the id the server assigns is recorded in it
    pub file: PathBuf,
    /// Validate and show the request without sending it
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The connector's id on the target
    pub id: String,
    /// Write the connector file here (keeping its samples) instead of printing it
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The connector's id on the target
    pub id: String,
}

#[derive(Debug, Args)]
pub struct CurlArgs {
    /// Connector file
    pub file: PathBuf,
    /// Show the API key and credential values instead of masking them
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one)
    #[arg(long, default_value = "127.0.0.1:8765")]
    pub addr: SocketAddr,
    #[arg(
        long,
        value_name = "FILE",
        help = "SQLite database file, or :memory: for a throwaway store \
                [default: <data dir>/patchcord/sandbox.sqlite3]"
    )]
    pub db: Option<String>,
    /// Accepted API key (repeatable); without one a key is generated and printed
    #[arg(
        long = "key",
        value_name = "KEY",
        env = "PATCHCORD_SANDBOX_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub keys: Vec<String>,
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(i64).range(1..),
          help = "The plan's rate limit: stored rate_limit values are capped to it")]
    pub plan_rate_limit: i64,
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(i64).range(1..),
          help = "The plan's concurrency: stored max_concurrency values are capped to it")]
    pub plan_max_concurrency: i64,
}

/// `NAME=VALUE` → (`NAME`, `VALUE`); the value may contain `=`.
fn parse_sample(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn samples_split_at_the_first_equals() {
        assert_eq!(parse_sample("q=a=b"), Ok(("q".into(), "a=b".into())));
        assert!(parse_sample("novalue").is_err());
        assert!(parse_sample("=x").is_err());
    }

    #[test]
    fn editor_file_and_subcommands() {
        let cli = Cli::try_parse_from(["patchcord", "conn.json"]).expect("editor with a file");
        assert_eq!(cli.file, Some(PathBuf::from("conn.json")));
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from(["patchcord", "submit", "x.json", "--target", "prod"])
            .expect("submit");
        assert_eq!(cli.target.as_deref(), Some("prod"));
        assert!(matches!(cli.command, Some(Command::Submit(_))));
    }
}
