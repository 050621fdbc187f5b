//! Logging to a file, and to the terminal only when a command is asked to be `--verbose` (the
//! editor owns the screen and scripts own stderr). `$PATCHCORD_LOG` sets the filter (`debug`,
//! `patchcord=trace`, `off`; default `info`, `debug` with `--verbose`); the file is
//! `crate::paths::log_file` (`$XDG_STATE_HOME/patchcord/patchcord.log`). Requests are logged
//! by method and URL; secrets never are.

use std::path::PathBuf;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt as _;

/// Where the log goes, when there is a place for it.
pub fn log_path() -> Option<PathBuf> {
    crate::paths::log_file()
}

/// Starts logging to the file; returns its path, or `None` when logging is off or the file
/// cannot be opened (which is not worth failing a command for).
pub fn init(verbose: bool) -> Option<PathBuf> {
    let default = if verbose { "debug" } else { "info" };
    let filter = std::env::var("PATCHCORD_LOG").unwrap_or_else(|_| default.to_owned());
    if filter.trim() == "off" {
        return None;
    }
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new(default));
    if verbose {
        // The file too, when there is one; the terminal in any case.
        let path = log_path();
        let file = path.as_deref().and_then(open_log);
        let stderr = std::io::stderr.with_max_level(tracing::Level::TRACE);
        let result = match file {
            Some(file) => tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(Mutex::new(file).and(stderr))
                .try_init(),
            None => tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(stderr)
                .try_init(),
        };
        return result.ok().and(path);
    }
    let path = log_path()?;
    let file = open_log(&path)?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}

fn open_log(path: &std::path::Path) -> Option<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()
}
