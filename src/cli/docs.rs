//! `patchcord completions SHELL` and `patchcord man`: generated from the one clap definition
//! in `args.rs`, so they never disagree with `--help`.

use super::args::{Cli, CompletionsArgs};
use super::{CliError, Exit};
use clap::CommandFactory;
use std::io::Write as _;

pub fn completions(args: &CompletionsArgs) -> Result<Exit, CliError> {
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "patchcord", &mut bytes);
    write(&bytes)
}

pub fn man() -> Result<Exit, CliError> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut bytes)?;
    write(&bytes)
}

fn write(bytes: &[u8]) -> Result<Exit, CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(Exit::Ok)
}
