//! Secrets: where an API key comes from, and the newtype that keeps it off screens and logs.
//!
//! A [`Secret`] prints masked through `Debug` and `Display`; the only way to the real text is
//! [`Secret::expose`], which the HTTP client calls when it sets the auth header and
//! `curl --reveal` calls when the user asks for it.

use super::ConfigError;
use std::fmt;

/// An API key. `Debug` and `Display` show a mask, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    /// The key itself, for the auth header. Do not log or print the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A mask that helps recognise the key without revealing it: the first three characters
    /// of a long key (`sk-…****`), or just `****` for a short one.
    pub fn masked(&self) -> String {
        let count = self.0.chars().count();
        if count >= 16 {
            let prefix: String = self.0.chars().take(3).collect();
            format!("{prefix}…****")
        } else {
            "****".to_owned()
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Where a target's key comes from. Resolved only when a request needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable's name (`secret_env`).
    Env(String),
    /// A shell command whose standard output is the key (`secret_command = "pass show x"`).
    Command(String),
}

impl SecretSource {
    /// Reads the secret; `target` names the target in errors. The command runs through
    /// `sh -c`; its output's trailing newline is dropped. Errors never contain the secret.
    pub fn resolve(&self, target: &str) -> Result<Secret, ConfigError> {
        let text = match self {
            SecretSource::Env(var) => {
                std::env::var(var).map_err(|_| ConfigError::SecretEnvMissing {
                    target: target.to_owned(),
                    var: var.clone(),
                })?
            }
            SecretSource::Command(command) => run_command(target, command)?,
        };
        let text = text.trim_end_matches(['\r', '\n']).to_owned();
        if text.trim().is_empty() {
            return Err(ConfigError::SecretEmpty {
                target: target.to_owned(),
            });
        }
        Ok(Secret(text))
    }

    /// How the source reads in a config file or a message (never the secret itself).
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(var) => format!("${var}"),
            SecretSource::Command(command) => format!("$({command})"),
        }
    }
}

fn run_command(target: &str, command: &str) -> Result<String, ConfigError> {
    let error = |message: String| ConfigError::SecretCommand {
        target: target.to_owned(),
        command: command.to_owned(),
        message,
    };
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| error(e.to_string()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(error(
            format!("{} {first}", output.status).trim_end().to_owned(),
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| error("its output is not UTF-8".to_owned()))
}
