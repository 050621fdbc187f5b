//! The editor: a ratatui terminal UI over the pure core.
//!
//! Owns the terminal for the length of `run`. Follows The Elm Architecture (see `../shared/DESIGN.md`
//! §2): one `State`, one `Msg` enum, a pure `update` returning `Effect` values, and `view`
//! functions that only draw. The loop here is the only place that touches the terminal.

use std::path::PathBuf;

/// What `patchcord [FILE]` asks of the editor.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The connector file to open (created on first save when it does not exist).
    pub file: Option<PathBuf>,
    /// The configured target to submit to; `None` starts the embedded sandbox.
    pub target: Option<String>,
}

/// Why the editor could not run. Problems while editing are shown on screen, not returned.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up, drawn to or restored.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Runs the editor until the user quits. The terminal is restored on every exit path.
pub async fn run(options: Options) -> Result<(), TuiError> {
    let _ = options;
    Ok(())
}
