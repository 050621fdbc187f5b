//! The config file and the targets it names: which vendor API to talk to, at which base URL,
//! and where its secret comes from (an environment variable or a command).
//!
//! Owns reading `$XDG_CONFIG_HOME/patchcord/config.toml` (or `$PATCHCORD_CONFIG`), choosing a
//! target (flag, then `default_target`, then the embedded sandbox) and resolving secrets. It
//! does not talk HTTP (`crate::api` does). Layers: built-in defaults, then the file, then the
//! environment. Secrets are read only when a request needs them and are held in [`Secret`],
//! whose `Debug` and `Display` mask them, so they cannot reach a log or the screen by accident.

mod secret;

pub use secret::{Secret, SecretSource};

use crate::connector::{TargetRef, Vendor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in target name that always means the embedded sandbox.
pub const SANDBOX: &str = crate::connector::SANDBOX_TARGET;

/// Environment variable that points at a config file, overriding the XDG location.
pub const CONFIG_ENV: &str = crate::paths::CONFIG_ENV;

/// Why the config could not be read or a target not resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {message}")]
    Read { path: PathBuf, message: String },
    /// toml's message names the key and carries the line and column.
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config file {path}: targets.{target}: {message}")]
    Target {
        path: PathBuf,
        target: String,
        message: String,
    },
    /// The `[keys]` table, as the editor resolves it: the message names the action and the
    /// key string.
    #[error("config file {path}: {message}")]
    Keys { path: PathBuf, message: String },
    #[error("unknown target {name:?}; known: {known}")]
    UnknownTarget { name: String, known: String },
    #[error("target {target}: environment variable {var} is not set (it should hold the API key)")]
    SecretEnvMissing { target: String, var: String },
    #[error("target {target}: secret command `{command}` failed: {message}")]
    SecretCommand {
        target: String,
        command: String,
        message: String,
    },
    #[error("target {target}: the secret is empty")]
    SecretEmpty { target: String },
    /// A vendor without a public API address named as a built-in target (`--target
    /// agent_stack`): each Agent Stack runs at its own address.
    #[error(
        "{vendor} has no public API address: add a [targets.NAME] table with vendor = \"{key}\" and base_url = \"https://...\" to the config"
    )]
    NoPublicUrl { vendor: String, key: &'static str },
}

/// The vendor's public API address, if it has one. Agent Stack is deployed per organisation,
/// so its table's `default_base_url` is only the documentation's placeholder.
pub fn public_base_url(vendor: Vendor) -> Option<&'static str> {
    let spec = vendor.spec();
    spec.public_base_url.then_some(spec.default_base_url)
}

/// `[theme] palette`: which colours the editor draws in. Plain data here; the editor's theme
/// turns it into colours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Palette {
    /// For dark backgrounds, with a few of the 256 colours (the default).
    #[default]
    Dark,
    /// For light backgrounds.
    Light,
    /// Only the 16 ANSI colours, for terminals without 256.
    #[serde(rename = "16", alias = "ansi16")]
    Ansi16,
    /// No colour at all (`NO_COLOR`, `--color never`): each colour cue becomes an attribute.
    #[serde(skip)]
    Mono,
}

/// One `[targets.NAME]` table as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    vendor: Vendor,
    base_url: Option<String>,
    secret_env: Option<String>,
    secret_command: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_target: Option<String>,
    #[serde(default)]
    targets: BTreeMap<String, RawTarget>,
    #[serde(default)]
    http: RawHttp,
    /// `[keys]`: action name to one key or a list of keys.
    #[serde(default)]
    keys: BTreeMap<String, RawKeys>,
    #[serde(default)]
    theme: RawTheme,
}

/// `[theme]`: `palette = "dark" | "light" | "16"`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    #[serde(default)]
    palette: Palette,
}

/// One `[keys]` value: `"ctrl-g"` or `["ctrl-t", "f9"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawKeys {
    One(String),
    Many(Vec<String>),
}

impl RawKeys {
    fn into_vec(self) -> Vec<String> {
        match self {
            RawKeys::One(key) => vec![key],
            RawKeys::Many(keys) => keys,
        }
    }
}

/// The `[http]` table; every key optional.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    connect_timeout: Option<u64>,
    read_timeout: Option<u64>,
    attempts: Option<u32>,
}

/// Network settings (`[http]` in the file): timeouts in seconds and how many attempts an
/// idempotent request gets (1 = no retry). POST is never retried whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout_secs: u64,
    pub read_timeout_secs: u64,
    pub attempts: u32,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout_secs: 10,
            read_timeout_secs: 30,
            attempts: 4,
        }
    }
}

/// A named remote API: vendor, base URL and where its secret comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTarget {
    pub name: String,
    pub vendor: Vendor,
    /// Without a trailing slash; the vendor's paths start with one.
    pub base_url: String,
    pub secret: SecretSource,
}

impl RemoteTarget {
    /// The built-in target for a vendor: its public base URL and its default key variable
    /// (`--target databar` works with no config file when `DATABAR_API_KEY` is set, and
    /// `--target cargo` with `CARGO_API_TOKEN`). For a vendor without a public address
    /// (Agent Stack) the base URL is the documentation's placeholder; [`Config::target`]
    /// refuses it.
    pub fn builtin(vendor: Vendor) -> RemoteTarget {
        let spec = vendor.spec();
        RemoteTarget {
            name: vendor.key().to_owned(),
            vendor,
            base_url: spec.default_base_url.to_owned(),
            secret: SecretSource::Env(spec.default_secret_env.to_owned()),
        }
    }

    /// Reads the secret now (runs the command or reads the variable).
    pub fn resolve_secret(&self) -> Result<Secret, ConfigError> {
        self.secret.resolve(&self.name)
    }
}

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The sandbox started in-process on a loopback port.
    Sandbox,
    Remote(RemoteTarget),
}

impl Target {
    /// The target as remote ids refer to it. The sandbox's address is only known once it is
    /// started: `sandbox_url` stands for it (ids on the sandbox are matched by name alone).
    pub fn target_ref(&self, sandbox_url: &str) -> TargetRef {
        match self {
            Target::Sandbox => TargetRef::sandbox(sandbox_url),
            Target::Remote(remote) => TargetRef::new(&remote.name, &remote.base_url),
        }
    }

    /// What the faces show: `SANDBOX` or `LIVE <name>`.
    pub fn label(&self) -> String {
        match self {
            Target::Sandbox => "SANDBOX".to_owned(),
            Target::Remote(remote) => format!("LIVE {}", remote.name),
        }
    }
}

/// The loaded config: targets by name and the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it came from, if one was read.
    pub path: Option<PathBuf>,
    pub default_target: Option<String>,
    pub targets: BTreeMap<String, RemoteTarget>,
    pub http: HttpSettings,
    /// `[keys]` as written: action name to its keys. The editor resolves it against its
    /// keymap (`tui::keymap::Keymap::from_config`), which also reports a bad table.
    pub keys: Vec<(String, Vec<String>)>,
    /// The editor's colours: `[theme] palette`.
    pub theme: Palette,
}

impl Config {
    /// Where the config file lives: `$PATCHCORD_CONFIG`, else
    /// `$XDG_CONFIG_HOME/patchcord/config.toml`, else the platform's config directory.
    pub fn default_path() -> Option<PathBuf> {
        crate::paths::config_file()
    }

    /// Loads the config from its default place. A missing file at the XDG location means
    /// "no config" (defaults); a missing file named by `$PATCHCORD_CONFIG` is an error, since
    /// the user asked for that file.
    pub fn load() -> Result<Config, ConfigError> {
        let explicit = std::env::var_os(CONFIG_ENV).is_some_and(|p| !p.is_empty());
        match Config::default_path() {
            Some(path) if explicit || path.exists() => Config::load_from(&path),
            _ => Ok(Config::default()),
        }
    }

    /// Loads a config file.
    pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Config::parse(&text, Some(path))
    }

    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let shown = path.map_or_else(|| PathBuf::from("(config)"), Path::to_owned);
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let targets = raw
            .targets
            .into_iter()
            .map(|(name, target)| Ok((name.clone(), remote_target(name, target, &shown)?)))
            .collect::<Result<BTreeMap<_, _>, ConfigError>>()?;
        let http = http_settings(&raw.http, &shown)?;
        let keys: Vec<(String, Vec<String>)> = raw
            .keys
            .into_iter()
            .map(|(action, keys)| (action, keys.into_vec()))
            .collect();
        let config = Config {
            path: path.map(Path::to_owned),
            default_target: raw.default_target,
            targets,
            http,
            keys,
            theme: raw.theme.palette,
        };
        if let Some(name) = &config.default_target {
            config.target(Some(name)).map_err(|e| ConfigError::Parse {
                path: shown,
                message: format!("default_target: {e}"),
            })?;
        }
        Ok(config)
    }

    /// Chooses the target: the name given (flag or `PATCHCORD_TARGET`), else the file's
    /// `default_target`, else the embedded sandbox. `sandbox` always means the embedded
    /// sandbox; a vendor key (`databar`, `cargo`) not defined in the file means that vendor's
    /// built-in target (`agent_stack` has none: it needs a base URL).
    pub fn target(&self, name: Option<&str>) -> Result<Target, ConfigError> {
        let Some(name) = name.or(self.default_target.as_deref()) else {
            return Ok(Target::Sandbox);
        };
        if name == SANDBOX {
            return Ok(Target::Sandbox);
        }
        if let Some(target) = self.targets.get(name) {
            return Ok(Target::Remote(target.clone()));
        }
        if let Some(vendor) = Vendor::from_key(name) {
            if public_base_url(vendor).is_none() {
                return Err(ConfigError::NoPublicUrl {
                    vendor: vendor.to_string(),
                    key: vendor.key(),
                });
            }
            return Ok(Target::Remote(RemoteTarget::builtin(vendor)));
        }
        let mut known: Vec<&str> = vec![SANDBOX];
        known.extend(self.targets.keys().map(String::as_str));
        known.extend(
            Vendor::ALL
                .iter()
                .filter(|v| public_base_url(**v).is_some())
                .map(|v| v.key()),
        );
        Err(ConfigError::UnknownTarget {
            name: name.to_owned(),
            known: known.join(", "),
        })
    }
}

/// One `[targets.NAME]` table, checked: a free name, one secret source, a base URL the
/// vendor needs (`shown` is the config file, for messages).
fn remote_target(
    name: String,
    target: RawTarget,
    shown: &Path,
) -> Result<RemoteTarget, ConfigError> {
    let error = |message: String| ConfigError::Target {
        path: shown.to_owned(),
        target: name.clone(),
        message,
    };
    if name == SANDBOX {
        return Err(error(format!(
            "the name {SANDBOX:?} is reserved for the embedded sandbox"
        )));
    }
    let builtin = RemoteTarget::builtin(target.vendor);
    let secret = match (target.secret_env, target.secret_command) {
        (Some(_), Some(_)) => {
            return Err(error(
                "set either secret_env or secret_command, not both".to_owned(),
            ));
        }
        (Some(var), None) => SecretSource::Env(var),
        (None, Some(command)) => SecretSource::Command(command),
        (None, None) => builtin.secret,
    };
    let base_url = match target.base_url {
        Some(url) => {
            check_base_url(&url).map_err(|m| error(format!("base_url: {m}")))?;
            url.trim_end_matches('/').to_owned()
        }
        None if public_base_url(target.vendor).is_none() => {
            return Err(error(format!(
                "base_url is required for vendor {:?} (it has no public address)",
                target.vendor.key()
            )));
        }
        None => builtin.base_url,
    };
    Ok(RemoteTarget {
        name,
        vendor: target.vendor,
        base_url,
        secret,
    })
}

/// The `[http]` table with its defaults, every value at least 1.
fn http_settings(raw: &RawHttp, shown: &Path) -> Result<HttpSettings, ConfigError> {
    let defaults = HttpSettings::default();
    let http = HttpSettings {
        connect_timeout_secs: raw.connect_timeout.unwrap_or(defaults.connect_timeout_secs),
        read_timeout_secs: raw.read_timeout.unwrap_or(defaults.read_timeout_secs),
        attempts: raw.attempts.unwrap_or(defaults.attempts),
    };
    let positive = |key: &str, value: u64| {
        if value == 0 {
            Err(ConfigError::Parse {
                path: shown.to_owned(),
                message: format!("http.{key}: must be at least 1"),
            })
        } else {
            Ok(())
        }
    };
    positive("connect_timeout", http.connect_timeout_secs)?;
    positive("read_timeout", http.read_timeout_secs)?;
    positive("attempts", u64::from(http.attempts))?;
    Ok(http)
}

fn check_base_url(text: &str) -> Result<(), String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        Ok(url) => Err(format!("must be http or https (got {}:)", url.scheme())),
        Err(e) => Err(format!("not a valid URL: {e}")),
    }
}

#[cfg(test)]
mod tests;
