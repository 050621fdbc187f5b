//! Logging to a file, never to the terminal (the editor owns the screen and scripts own
//! stderr). `$PATCHCORD_LOG` sets the filter (`debug`, `patchcord=trace`, `off`; default
//! `info`); the file is `$XDG_STATE_HOME/patchcord/patchcord.log` (or the platform's state
//! or cache directory). Requests are logged by method and URL; secrets never are.

use std::path::PathBuf;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Where the log goes, when there is a place for it.
pub fn log_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::state_dir)
        .or_else(dirs::cache_dir)?;
    Some(base.join("patchcord").join("patchcord.log"))
}

/// Starts logging to the file; returns its path, or `None` when logging is off or the file
/// cannot be opened (which is not worth failing a command for).
pub fn init() -> Option<PathBuf> {
    let filter = std::env::var("PATCHCORD_LOG").unwrap_or_else(|_| "info".to_owned());
    if filter.trim() == "off" {
        return None;
    }
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}
