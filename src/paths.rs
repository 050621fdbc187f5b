//! Where patchcord keeps things on disk, decided in one place with one rule for every kind of
//! directory: `$XDG_<KIND>_HOME` when set (on every platform), else the platform's own
//! directory as the `dirs` crate knows it. The config file, the sandbox database, the journal
//! and the log all start from here, and `patchcord paths` prints the same answers.

use std::path::PathBuf;

/// `$PATCHCORD_CONFIG`: a config file to use instead of the usual one.
pub const CONFIG_ENV: &str = "PATCHCORD_CONFIG";
/// `$PATCHCORD_SANDBOX_DB`: the embedded sandbox's database (`:memory:` for a throwaway).
pub const SANDBOX_DB_ENV: &str = "PATCHCORD_SANDBOX_DB";
/// `$PATCHCORD_JOURNAL_DIR`: where unsaved edits are journaled.
pub const JOURNAL_ENV: &str = "PATCHCORD_JOURNAL_DIR";
/// `$PATCHCORD_HISTORY_DB`: the history of tries.
pub const HISTORY_ENV: &str = "PATCHCORD_HISTORY_DB";

/// A base directory: the XDG variable when set and not empty, else the platform's.
fn base(xdg: &str, platform: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    std::env::var_os(xdg)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(platform)
        .map(|dir| dir.join("patchcord"))
}

/// `$XDG_CONFIG_HOME/patchcord` (Linux `~/.config/patchcord`).
pub fn config_dir() -> Option<PathBuf> {
    base("XDG_CONFIG_HOME", dirs::config_dir)
}

/// `$XDG_DATA_HOME/patchcord` (Linux `~/.local/share/patchcord`): the sandbox's store.
pub fn data_dir() -> Option<PathBuf> {
    base("XDG_DATA_HOME", dirs::data_dir)
}

/// `$XDG_STATE_HOME/patchcord` (Linux `~/.local/state/patchcord`; platforms without a state
/// directory use the local data directory): the journal and the log.
pub fn state_dir() -> Option<PathBuf> {
    base("XDG_STATE_HOME", || {
        dirs::state_dir().or_else(dirs::data_local_dir)
    })
}

/// The config file: `$PATCHCORD_CONFIG`, else `config.toml` in [`config_dir`].
pub fn config_file() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => config_dir().map(|dir| dir.join("config.toml")),
    }
}

/// The sandbox database `serve` uses without `--db`: `sandbox.sqlite3` in [`data_dir`].
pub fn default_db() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join("sandbox.sqlite3"))
}

/// The embedded sandbox's database: `$PATCHCORD_SANDBOX_DB` (a path or `:memory:`), else
/// [`default_db`].
pub fn embedded_db() -> Option<String> {
    match std::env::var(SANDBOX_DB_ENV) {
        Ok(value) if !value.is_empty() => Some(value),
        _ => default_db().map(|p| p.display().to_string()),
    }
}

/// The journal of unsaved edits: `$PATCHCORD_JOURNAL_DIR`, else `journal/` in [`state_dir`].
pub fn journal_dir() -> Option<PathBuf> {
    match std::env::var_os(JOURNAL_ENV).filter(|p| !p.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => state_dir().map(|dir| dir.join("journal")),
    }
}

/// The history of tries: `$PATCHCORD_HISTORY_DB`, else `history.sqlite3` in [`state_dir`],
/// beside the journal's directory.
pub fn history_file() -> Option<PathBuf> {
    match std::env::var_os(HISTORY_ENV).filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => state_dir().map(|dir| dir.join("history.sqlite3")),
    }
}

/// The log file: `patchcord.log` in [`state_dir`].
pub fn log_file() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("patchcord.log"))
}
