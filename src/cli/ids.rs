//! Which remote id a command uses, and the questions the CLI asks before it acts on a live
//! target. An id belongs to the target it was recorded for (`Connector::remote_id_for`), so
//! `delete`, `connect` and `disconnect` given a connector file use the file's id on the
//! current target and nothing else. Questions are asked only in a terminal (stdin and stderr
//! both are); a scripted run never waits for an answer.

use super::{CliError, Context};
use crate::connector::{Connector, TargetRef};
use crate::files;
use crate::template::Samples;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

/// Stands for the embedded sandbox's address before it is started (ids on the sandbox are
/// matched by name, so the address plays no part in choosing one).
pub(crate) const SANDBOX_URL: &str = "http://127.0.0.1:<embedded>";

/// The current target as ids refer to it, from the config (no connection opened, no secret
/// read).
pub(crate) fn target_ref(ctx: &Context) -> Result<TargetRef, CliError> {
    let config = super::load_config(ctx)?;
    Ok(config
        .target(ctx.target.as_deref())?
        .target_ref(SANDBOX_URL))
}

/// A connector file given where an id is expected.
pub(crate) struct FileArg {
    pub path: PathBuf,
    pub shown: String,
    pub connector: Connector,
    pub samples: Samples,
}

impl FileArg {
    /// `arg` read as a connector file when it names an existing file; `None` for an id.
    pub(crate) fn read(arg: &str) -> Result<Option<FileArg>, CliError> {
        let path = Path::new(arg);
        if !path.is_file() {
            return Ok(None);
        }
        let (connector, samples) = files::load(path)?;
        Ok(Some(FileArg {
            path: path.to_owned(),
            shown: path.display().to_string(),
            connector,
            samples,
        }))
    }

    /// The file's id on `target`, or why there is none (naming what to run instead).
    pub(crate) fn id_on(&self, target: &TargetRef, command: &str) -> Result<String, CliError> {
        let shown = &self.shown;
        if let Some(id) = self.connector.remote_id_for(target) {
            return Ok(id.to_owned());
        }
        let message = match self.connector.unbound_legacy_id(target) {
            Some(id) => format!(
                "{shown}: id {id} was recorded without a target, so it may be another target's; \
                 if it is on {}, run `patchcord {command} {id}`",
                target.describe()
            ),
            None => format!(
                "{shown}: no connector id recorded for {} (submit it there first)",
                target.describe()
            ),
        };
        Err(CliError::Invalid(message))
    }

    /// Writes the file back (after its ids changed).
    pub(crate) fn save(&self) -> Result<(), CliError> {
        files::save(&self.path, &self.connector, &self.samples)?;
        Ok(())
    }
}

/// Whether questions can be asked: a person at a terminal on both ends.
pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks `question` on stderr and reads one line from stdin; `None` when not in a terminal.
/// End of input (Ctrl-D) is an empty answer, which confirms nothing.
pub(crate) fn ask(question: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{question}");
    let _ = stderr.flush();
    let mut answer = String::new();
    match std::io::stdin().lock().read_line(&mut answer) {
        Ok(0) | Err(_) => Some(String::new()),
        Ok(_) => Some(answer.trim().to_owned()),
    }
}

/// Before an irreversible call (`what`, e.g. "delete connector 42") on a live target from a
/// terminal: the target's name must be typed, so a stray Enter cannot confirm. The sandbox,
/// `--yes` and scripted runs go ahead.
pub(crate) fn confirm_live(target: &TargetRef, what: &str, yes: bool) -> Result<(), CliError> {
    if target.is_sandbox() || yes {
        return Ok(());
    }
    let question = format!(
        "{what} on {}? This cannot be undone. Type {} to confirm (--yes skips this): ",
        target.describe(),
        target.name
    );
    match ask(&question) {
        None => Ok(()),
        Some(answer) if answer == target.name => Ok(()),
        Some(_) => Err(CliError::Invalid(format!(
            "not done: the answer was not {:?}",
            target.name
        ))),
    }
}
