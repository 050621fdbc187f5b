//! The headless face: one small module per command, their text and `--json` output, and the
//! mapping of every failure to an exit code. Parsing is in `args.rs`; `main.rs` only
//! dispatches. Validation, rendering and the wire all go through the core and `crate::api`,
//! so the CLI judges a connector exactly as the editor and the sandbox do.
//!
//! Data goes to stdout; errors, warnings and notes to stderr; logs only to a file. Text for
//! people ([`out`], error messages) goes through `connector::plain_text`, so a server's names,
//! URLs and error bodies reach the terminal without control characters or escape sequences;
//! JSON is escaped by its writer ([`out_json`]), and data the user pipes ([`out_data`]: a
//! rendered body, a pulled file) is written as it is.

pub mod apply;
pub mod args;
pub mod connect;
pub mod curl;
pub mod docs;
pub mod history;
pub mod ids;
pub mod import;
pub mod logging;
pub mod new;
pub mod paths;
pub mod plan;
pub mod remote;
pub mod render;
pub mod serve;
pub mod submit;
pub mod try_rows;
pub mod validate;
pub mod workspace;

pub use args::{Cli, Command};

use crate::api::ApiError;
use crate::config::{Config, ConfigError};
use crate::connection::Connection;
use crate::connector::{self, Vendor};
use crate::files::FileError;
use crate::sandbox::SandboxError;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// What every error line starts with: `patchcord: error: ...`.
pub const PROGRAM: &str = "patchcord";

/// The process exit codes (also in `--help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Validation failed, or the input file could not be read or parsed.
    Invalid = 1,
    /// Bad arguments (clap's own code), a bad config, an unknown target, a bad id.
    Usage = 2,
    /// The server answered and refused (4xx other than 429).
    Rejected = 3,
    /// Network or server failure: 5xx, 429 still refused after retries, timeout, refused or
    /// closed connection, non-JSON answer, a redirect not followed.
    Network = 4,
}

impl Exit {
    /// `plan`: changes are pending (Terraform's `-detailed-exitcode`), which shares 2 with
    /// usage errors; those print an error, a plan does not.
    pub const PENDING: Exit = Exit::Usage;
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// An update answered 404: the connector was deleted on the target since its id was recorded.
/// `command` is what creates it again.
#[derive(Debug, thiserror::Error)]
#[error("connector {id} no longer exists on {label}; run `{command}` to create it again")]
pub struct Gone {
    pub id: String,
    pub label: String,
    pub command: String,
    pub error: ApiError,
}

/// Why a command failed; each variant knows its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    File(#[from] FileError),
    /// The input is not acceptable; the message says why (details may already be printed).
    #[error("{0}")]
    Invalid(String),
    /// An argument names something that is not there (an OpenAPI operation).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Gone(Box<Gone>),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    pub fn exit(&self) -> Exit {
        match self {
            CliError::File(_) | CliError::Invalid(_) | CliError::Output(_) => Exit::Invalid,
            CliError::Config(_) | CliError::Usage(_) => Exit::Usage,
            CliError::Api(api) => api_exit(api),
            CliError::Gone(gone) => api_exit(&gone.error),
            CliError::Sandbox(_) => Exit::Network,
        }
    }
}

fn api_exit(error: &ApiError) -> Exit {
    match error {
        ApiError::Config(_)
        | ApiError::InvalidId { .. }
        | ApiError::WrongVendor { .. }
        | ApiError::NoSuchOperation { .. }
        | ApiError::Unsupported { .. } => Exit::Usage,
        // Refused before anything was sent: the file asks for what the vendor cannot do.
        ApiError::NeedsRecreate { .. } => Exit::Invalid,
        ApiError::Rejected { .. } => Exit::Rejected,
        ApiError::RecreateFailed { error, .. } => api_exit(error),
        _ => Exit::Network,
    }
}

/// Opens the target and decides which vendor's API to use on it: `vendor` (a `--vendor`
/// flag or the connector file's vendor) when given, else the target's own (Databar on the
/// sandbox). A live target of another vendor is a usage error.
pub(crate) async fn open(
    ctx: &Context,
    vendor: Option<Vendor>,
) -> Result<(Connection, Vendor), CliError> {
    let connection = Connection::open_with(&load_config(ctx)?, ctx.target.as_deref()).await?;
    let vendor = vendor.unwrap_or_else(|| connection.client().vendor());
    if let Err(error) = connection.client_for(vendor) {
        connection.close().await;
        return Err(error.into());
    }
    Ok((connection, vendor))
}

/// The config, refused (exit 2) when the editor could not run with it either: a bad `[keys]`
/// table is reported by every command that reads the config, not only when the editor starts.
pub(crate) fn load_config(ctx: &Context) -> Result<Config, CliError> {
    let config = match &ctx.config {
        Some(config) => config.clone(),
        None => Config::load()?,
    };
    crate::tui::keymap::Keymap::from_config(&config)?;
    Ok(config)
}

/// The global flags every command sees.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--target` (or `$PATCHCORD_TARGET`).
    pub target: Option<String>,
    /// `--json`.
    pub json: bool,
    /// `--reveal`: secrets are printed as they are, not masked.
    pub reveal: bool,
    /// `--color`, `--quiet`, `--verbose`.
    pub manners: args::Manners,
    /// The config, when the caller has it already (`None`: read it from where
    /// `patchcord paths` says, as the binary does).
    pub config: Option<Config>,
}

/// A note or status line for people, on stderr (never stdout, which is for data), unless
/// `--quiet`.
pub(crate) fn note(ctx: &Context, text: &str) {
    if !ctx.manners.quiet {
        eprintln!("{}", connector::plain_text(text));
    }
}

/// Whether to colour: `--color always|never`, else (auto) only on a terminal and only when
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn color_wanted(when: args::ColorWhen, terminal: bool) -> bool {
    match when {
        args::ColorWhen::Always => true,
        args::ColorWhen::Never => false,
        args::ColorWhen::Auto => {
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The editor's failures as exit codes: a bad config or an unusable terminal is a usage
/// error (2), like the CLI's; a file that cannot be read is 1.
pub fn editor_exit(error: &crate::tui::TuiError) -> Exit {
    use crate::tui::TuiError;
    match error {
        TuiError::Config(_) | TuiError::DumbTerminal => Exit::Usage,
        TuiError::File(_) | TuiError::Terminal(_) => Exit::Invalid,
    }
}

/// `-` as a file argument: stdin for an input, stdout for `-o`.
pub(crate) fn is_stdio(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

/// How a file argument is named in messages: `<stdin>` for `-`.
pub(crate) fn shown_path(path: &std::path::Path) -> String {
    if is_stdio(path) {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Loads a connector file argument; `-` reads the connector from stdin (no samples file).
pub(crate) fn load(
    path: &std::path::Path,
) -> Result<(connector::Connector, crate::template::Samples), FileError> {
    if !is_stdio(path) {
        return crate::files::load(path);
    }
    let bytes = read_input(path)?;
    let connector = connector::parse_file(&bytes).map_err(|source| FileError::Parse {
        path: std::path::PathBuf::from("<stdin>"),
        source,
    })?;
    Ok((connector, crate::template::Samples::new()))
}

/// The bytes of a file argument (`-`: stdin), at most [`crate::files::MAX_FILE_BYTES`].
pub(crate) fn read_input(path: &std::path::Path) -> Result<Vec<u8>, FileError> {
    use std::io::Read as _;
    if !is_stdio(path) {
        return crate::files::read_limited(path);
    }
    let stdin_path = std::path::PathBuf::from("<stdin>");
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(crate::files::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| FileError::Read {
            path: stdin_path.clone(),
            source,
        })?;
    if bytes.len() as u64 > crate::files::MAX_FILE_BYTES {
        return Err(FileError::TooLarge { path: stdin_path });
    }
    Ok(bytes)
}

/// Prints a command's error to stderr (and, with `--json`, as `{"error": ...}` to stdout) and
/// turns the outcome into the process exit code.
pub fn finish(ctx: &Context, result: Result<Exit, CliError>) -> ExitCode {
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            let exit = error.exit();
            // A closed stdout (`| head`) is not worth a message.
            if let CliError::Output(io) = &error
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return exit.into();
            }
            tracing::warn!(exit = exit as u8, "command failed");
            eprintln!("{PROGRAM}: {}", connector::plain_text(&describe(&error)));
            if ctx.json {
                let _ = out_json(&error_json(&error, exit));
            }
            exit.into()
        }
    }
}

/// The error as the user sees it: one `error:` line, then one line per field the server
/// named.
pub(crate) fn describe(error: &CliError) -> String {
    match error {
        CliError::Api(ApiError::Rejected {
            status,
            reason,
            message,
            fields,
        }) => {
            let mut text =
                format!("error: the server rejected the request ({status} {reason}): {message}");
            for field in fields {
                let _ = write!(text, "\n  {field}");
            }
            text
        }
        CliError::Api(ApiError::RecreateFailed { deleted, error }) => {
            let inner = describe(&CliError::Api((**error).clone()));
            let inner = inner.strip_prefix("error: ").unwrap_or(&inner);
            format!(
                "error: connector {deleted} was deleted, but creating its replacement failed: {inner}"
            )
        }
        other => format!("error: {other}"),
    }
}

/// `{"error": {"message", "exit", "status", "fields": [{"path", "message", "type"}]}}`.
fn error_json(error: &CliError, exit: Exit) -> serde_json::Value {
    let (status, fields) = match error {
        CliError::Api(api) => (api.status(), api.fields()),
        CliError::Gone(gone) => (gone.error.status(), gone.error.fields()),
        _ => (None, &[][..]),
    };
    let fields: Vec<serde_json::Value> = fields
        .iter()
        .map(|f| serde_json::json!({"path": f.path.to_string(), "message": f.message, "type": f.kind}))
        .collect();
    serde_json::json!({"error": {
        "message": error.to_string(),
        "exit": exit as u8,
        "status": status,
        "fields": fields,
    }})
}

/// Writes text for people to stdout, without control characters or escape sequences (newlines
/// and tabs kept).
pub(crate) fn out(text: &str) -> Result<(), CliError> {
    out_data(&connector::plain_text(text))
}

/// Writes data to stdout as it is, reporting failures (other than a closed pipe) as
/// `CliError::Output`.
pub(crate) fn out_data(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        stdout.write_all(b"\n")?;
    }
    stdout.flush()?;
    Ok(())
}

/// Prints a JSON value, pretty, to stdout (C1 controls escaped too, which `serde_json`
/// leaves raw).
pub(crate) fn out_json(value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    out_data(&connector::json_text(&text))
}
