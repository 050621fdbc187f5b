//! The command line, declared with clap's derive: every command, flag and help text. Parsing
//! only; the commands themselves live beside this file.

use crate::connector::Vendor;
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Shown at the end of `patchcord --help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  validation failed (or the file could not be read)
  2  usage: bad arguments, config or target; plan: changes are pending
  3  the server rejected the request (4xx: bad key, unknown id, invalid connector,
     wrong connector state); try: a row got a status other than 2xx
  4  network or server failure (5xx, 429 after retries, timeout, closed connection,
     non-JSON answer); try: a row got no answer";

/// Build, preview and submit custom API connectors.
///
/// With no command, opens FILE (or a new connector) in the editor.
#[derive(Debug, Parser)]
#[command(
    name = "patchcord",
    version,
    override_usage = "patchcord [OPTIONS] [FILE]\n       patchcord [OPTIONS] <COMMAND>",
    subcommand_precedence_over_arg = true,
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[arg(
        long,
        global = true,
        env = "PATCHCORD_TARGET",
        value_name = "T",
        help = "Where requests go: a [targets.NAME] of the config, a vendor name (databar, cargo), \
                or sandbox. Default: the config's default_target, else the embedded sandbox"
    )]
    pub target: Option<String>,

    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// Show secrets (the target's key, credential-looking connector values) instead of masking them
    #[arg(long, global = true)]
    pub reveal: bool,

    #[command(flatten)]
    pub manners: Manners,

    /// Connector file to open in the editor (created on first save)
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the command line. Commands take precedence over the editor's FILE, so
    /// `patchcord --target prod list` runs `list`; a FILE before a command is a usage error
    /// (exit 2) rather than silently ignored.
    pub fn parse_checked() -> Cli {
        // clap's own output (help, usage errors) follows --color too, so it is read first.
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let choice = match color_flag(&args) {
            Some(ColorWhen::Always) => clap::ColorChoice::Always,
            Some(ColorWhen::Never) => clap::ColorChoice::Never,
            _ => clap::ColorChoice::Auto,
        };
        let matches = Cli::command().color(choice).get_matches_from(args);
        let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
            Ok(cli) => cli,
            Err(error) => error.exit(),
        };
        if let (Some(file), Some(_)) = (&cli.file, &cli.command) {
            let message = format!(
                "{} is a file for the editor and cannot go before a command",
                file.display()
            );
            Cli::command()
                .error(ErrorKind::ArgumentConflict, message)
                .exit();
        }
        cli
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check connector files against the vendor's rules; exit 1 if any has an error
    Validate(ValidateArgs),
    #[command(about = "Render a connector's body_template with its sample values")]
    Render(RenderArgs),
    /// Validate, then create (POST) or update (PUT) the connector on the target
    Submit(SubmitArgs),
    /// List the connectors on the target
    List(ListArgs),
    /// Download a connector into a file (or print it)
    Pull(PullArgs),
    /// Delete a connector on the target
    Delete(DeleteArgs),
    /// Compare a folder of connector files with the target: exit 0 when in step, 2 when
    /// changes are pending
    Plan(PlanArgs),
    /// Make the target hold what the folder says (prints the plan and asks first)
    Apply(ApplyArgs),
    /// Print the curl command that submits a connector (secrets masked)
    Curl(CurlArgs),
    /// Fire the connector's own request: once with its samples, or once per row of a CSV
    /// or JSON Lines file, within its `max_concurrency` and `rate_limit`
    Try(TryArgs),
    /// List past tries (of FILE, or all), or show one with --show ID
    History(HistoryArgs),
    /// Write a connector file from another description of the request
    #[command(subcommand)]
    Import(ImportCommand),
    /// Agent Stack: connect a connector to its MCP server (prints the state and any
    /// authorization link)
    Connect(ConnectArgs),
    #[command(about = "Agent Stack: disconnect a connector (from connected or auth_required)")]
    Disconnect(DisconnectArgs),
    /// Run the local sandbox server that speaks the vendors' connector APIs
    Serve(ServeArgs),
    /// Write out one of the bundled example connectors (`--list` names them)
    New(NewArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout
    Man,
    /// Print where patchcord keeps its config, data, state, journal, log and sandbox database
    Paths,
}

/// How a command talks: colour, and how much it says on stderr. Global, so every command
/// (and the editor) takes them.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Manners {
    #[arg(
        long,
        global = true,
        value_name = "WHEN",
        default_value = "auto",
        help = "Colour: auto (only on a terminal, and never with NO_COLOR set), always or never"
    )]
    pub color: ColorWhen,
    /// Print only data and errors: no notes or status lines on stderr
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    #[arg(
        long,
        short = 'v',
        global = true,
        help = "Also print the log on stderr (debug level unless PATCHCORD_LOG says otherwise)"
    )]
    pub verbose: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The example to start from (see --list)
    #[arg(long, value_name = "NAME", required_unless_present = "list")]
    pub example: Option<String>,
    /// Where to write it (its samples go beside it); `-` prints the connector to stdout
    /// [default: NAME.json here]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// Name the bundled examples, one per line
    #[arg(long, conflicts_with = "example")]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Connector files to check (`-` reads one from stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Connector file (`-` reads it from stdin)
    pub file: PathBuf,
    /// Sample value for a template variable, over the file's samples (repeatable)
    #[arg(long = "sample", short = 's', value_name = "NAME=VALUE", value_parser = parse_sample)]
    pub samples: Vec<(String, String)>,
}

#[derive(Debug, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent command-line flags, as clap declares them"
)]
pub struct SubmitArgs {
    /// Connector file; the id the server assigns is recorded in it (`-` reads it from
    /// stdin, with --dry-run only)
    pub file: PathBuf,
    /// Validate and show the request without sending it
    #[arg(long)]
    pub dry_run: bool,
    /// Agent Stack has no update: delete the registered connector and create it again (it
    /// gets a new id, recorded in the file, and must be connected again)
    #[arg(long, conflicts_with = "create")]
    pub recreate: bool,
    /// Forget the file's id on this target and create the connector anew (POST), recording
    /// the new id: for a connector deleted on the target (404), or a legacy id that is not
    /// this target's
    #[arg(long, conflicts_with = "adopt")]
    pub create: bool,
    /// The file's id recorded without a target (by an older patchcord) is this target's:
    /// bind it to the target and update that connector
    #[arg(long)]
    pub adopt: bool,
}

/// `--vendor`: which vendor's API to use on a target that speaks several (the sandbox).
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct VendorArg {
    #[arg(
        long,
        value_name = "VENDOR",
        value_parser = parse_vendor,
        help = "Which vendor's API: databar, agent_stack or cargo. Only needed on the sandbox, \
                which serves all three [default: databar on the sandbox, else the target's vendor]"
    )]
    pub vendor: Option<Vendor>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub vendor: VendorArg,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The connector's id on the target
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub id: Option<String>,
    #[command(flatten)]
    pub vendor: VendorArg,
    /// Write the connector file here (keeping its samples) instead of printing it; `-` is
    /// stdout. With --all: the folder [default: the current directory]
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// Every connector of the target (on the sandbox: of every vendor, unless --vendor), one
    /// file each in the folder; a file already bound to a connector's id is updated
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The workspace folder [default: the current directory]
    pub dir: Option<PathBuf>,
    /// Also plan to delete the target's connectors that no file is bound to
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The workspace folder [default: the current directory]
    pub dir: Option<PathBuf>,
    /// Do not ask before changing the target
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Also delete the target's connectors that no file is bound to
    #[arg(long)]
    pub prune: bool,
    /// Go on after a step fails (the exit code is still the first failure's)
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The connector's id on the target, or a connector file (its id on the target is used,
    /// then removed from the file)
    #[arg(value_name = "ID|FILE")]
    pub id: String,
    #[command(flatten)]
    pub vendor: VendorArg,
    /// Do not ask: on a LIVE target in a terminal, delete asks for the target's name first
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The Agent Stack connector's id (a UUID), or a connector file (its id on the target)
    #[arg(value_name = "ID|FILE")]
    pub id: String,
    /// Where the authorization server should send the user back to
    #[arg(long, value_name = "URL")]
    pub redirect_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct DisconnectArgs {
    /// The Agent Stack connector's id (a UUID), or a connector file (its id on the target)
    #[arg(value_name = "ID|FILE")]
    pub id: String,
}

#[derive(Debug, Args)]
pub struct CurlArgs {
    /// Connector file (`-` reads it from stdin)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct TryArgs {
    /// Connector file (`-` reads it from stdin)
    pub file: PathBuf,
    /// A sample value, over the file's samples (repeatable); a row's columns override both
    #[arg(long = "sample", short = 's', value_name = "NAME=VALUE", value_parser = parse_sample)]
    pub samples: Vec<(String, String)>,
    /// Fire once per row of this CSV (a header names the columns) or JSON Lines file
    /// (`-` reads it from stdin)
    #[arg(long, value_name = "FILE")]
    pub rows: Option<PathBuf>,
    /// Only the first N rows
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// A `JSONPath` expression whose values are added to each row's output and the summary
    /// (repeatable), e.g. `$.company.name`
    #[arg(long = "select", value_name = "EXPR")]
    pub selects: Vec<String>,
    /// Write the JSON lines here instead of stdout
    #[arg(long = "out", short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the tries of this connector file
    #[arg(conflicts_with = "show")]
    pub file: Option<PathBuf>,
    /// Show one try: every row's request and response, as kept
    #[arg(long, value_name = "ID")]
    pub show: Option<i64>,
    /// How many tries to list, newest first
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A curl command (as browsers' "Copy as cURL" and API docs write it): the URL, query,
    /// method, headers and body become the connector's
    Curl(ImportCurlArgs),
    /// An OpenAPI 3.0 or 3.1 document (YAML or JSON): without --operation its operations are
    /// listed; with one, that operation becomes the connector (server and path as the URL,
    /// query parameters as input slots, header parameters and security as headers, a JSON
    /// body as a template, the document's examples as samples)
    #[command(name = "openapi")]
    OpenApi(ImportOpenApiArgs),
}

#[derive(Debug, Args)]
pub struct ImportOpenApiArgs {
    /// The OpenAPI document (YAML or JSON, or a Markdown page holding one); `-` reads stdin
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
    /// The operation to import: its operationId, or 'METHOD /path'
    #[arg(long, value_name = "ID")]
    pub operation: Option<String>,
    /// Which of the document's servers to use (from 0)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub server: usize,
    /// Where the API is, when the document names no server or a relative one (replaces an
    /// absolute one)
    #[arg(long = "base-url", value_name = "URL")]
    pub base_url: Option<String>,
    /// A value for a path parameter (repeatable): a connector's URL is fixed
    #[arg(long = "path-param", value_name = "NAME=VALUE", value_parser = parse_sample)]
    pub path_params: Vec<(String, String)>,
    /// Which vendor's connector to write
    #[arg(long, value_name = "VENDOR", value_parser = parse_vendor, default_value = "databar")]
    pub vendor: Vendor,
    /// Write the connector file (and its samples file) here instead of printing it (masked)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportCurlArgs {
    /// Which vendor's connector to write
    #[arg(long, value_name = "VENDOR", value_parser = parse_vendor, default_value = "databar")]
    pub vendor: Vendor,
    /// Write the connector file here instead of printing it (masked)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The curl command, quoted as one argument, or its words; `-` or nothing reads it from
    /// stdin
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
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

/// The last `--color WHEN` / `--color=WHEN` among the arguments, before clap parses them.
fn color_flag(args: &[std::ffi::OsString]) -> Option<ColorWhen> {
    let mut found = None;
    let mut words = args.iter().map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--color") {
            Some("") => words.next().map(std::borrow::Cow::into_owned),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        if let Some(value) = value {
            found = <ColorWhen as clap::ValueEnum>::from_str(&value, true).ok();
        }
    }
    found
}

/// `databar`, `agent_stack` (or `agent-stack`), `cargo`.
fn parse_vendor(text: &str) -> Result<Vendor, String> {
    Vendor::from_key(&text.replace('-', "_")).ok_or_else(|| {
        let known: Vec<&str> = Vendor::ALL.iter().map(|v| v.key()).collect();
        format!("unknown vendor {text:?}; known: {}", known.join(", "))
    })
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
    fn vendor_flag_and_agent_stack_commands() {
        let cli = Cli::try_parse_from(["patchcord", "list", "--vendor", "agent-stack"])
            .expect("list --vendor");
        let Some(Command::List(args)) = cli.command else {
            unreachable!("list parses as list")
        };
        assert_eq!(args.vendor.vendor, Some(Vendor::AgentStack));
        assert!(Cli::try_parse_from(["patchcord", "list", "--vendor", "zapier"]).is_err());
        let cli = Cli::try_parse_from([
            "patchcord",
            "connect",
            "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "--redirect-url",
            "http://127.0.0.1:9/back",
        ])
        .expect("connect");
        let Some(Command::Connect(args)) = cli.command else {
            unreachable!("connect parses as connect")
        };
        assert_eq!(
            args.redirect_url.as_deref(),
            Some("http://127.0.0.1:9/back")
        );
        let cli = Cli::try_parse_from(["patchcord", "submit", "a.json", "--recreate"])
            .expect("submit --recreate");
        assert!(matches!(
            cli.command,
            Some(Command::Submit(SubmitArgs { recreate: true, .. }))
        ));
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
