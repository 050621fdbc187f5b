//! `patchcord import curl [--vendor V] [-o FILE] [COMMAND | -]`: a connector file from a curl
//! command, read by the core (`connector::import_curl`). Notes on what was ignored and the
//! connector's own findings go to stderr; the file is printed masked unless `-o` or `--reveal`.

use super::args::{ImportCommand, ImportCurlArgs};
use super::{CliError, Context, Exit, out, out_data, out_json};
use crate::connector::{self, import_curl, mask, validate};
use crate::files;
use crate::template::Samples;
use serde_json::{Value, json};
use std::io::Read as _;

/// A pasted command is small; more than this on stdin is not one.
const MAX_COMMAND_BYTES: u64 = 1024 * 1024;

pub fn run(ctx: &Context, command: &ImportCommand) -> Result<Exit, CliError> {
    match command {
        ImportCommand::Curl(args) => curl(ctx, args),
    }
}

fn curl(ctx: &Context, args: &ImportCurlArgs) -> Result<Exit, CliError> {
    let text = command_text(&args.command)?;
    let imported = import_curl::import(&text, args.vendor)
        .map_err(|e| CliError::Invalid(format!("cannot import the curl command: {e}")))?;
    for note in &imported.notes {
        eprintln!("{}", connector::plain_text(&format!("note: {note}")));
    }
    let connector = imported.connector;
    for finding in validate(&connector) {
        eprintln!("{}", connector::plain_text(&format!("warning: {finding}")));
    }
    if let Some(path) = &args.output {
        files::save(path, &connector, &Samples::new())?;
        if ctx.json {
            out_json(&json!({"file": path.display().to_string(), "notes": imported.notes}))?;
        } else {
            out(&format!("wrote {}", path.display()))?;
        }
        return Ok(Exit::Ok);
    }
    let mut shown = connector.clone();
    if !ctx.reveal {
        let (masked, places) = mask::mask_body(connector.vendor, &Value::Object(connector.fields));
        if let Value::Object(fields) = masked {
            shown.fields = fields;
        }
        if !places.is_empty() {
            let places: Vec<String> = places.iter().map(ToString::to_string).collect();
            eprintln!(
                "note: masked {}; use -o FILE or --reveal to keep the values",
                places.join(", ")
            );
        }
    }
    out_data(&connector::json_text(&connector::to_file(&shown)))?;
    Ok(Exit::Ok)
}

/// One argument is the whole command; several are its words, already split by the shell
/// (quoted back for the reader); none or `-` reads stdin.
fn command_text(words: &[String]) -> Result<String, CliError> {
    match words {
        [] => read_stdin(),
        [only] if only == "-" => read_stdin(),
        [only] => Ok(only.clone()),
        many => Ok(many
            .iter()
            .map(|w| crate::api::curl::quote(w))
            .collect::<Vec<_>>()
            .join(" ")),
    }
}

fn read_stdin() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_COMMAND_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_COMMAND_BYTES {
        return Err(CliError::Invalid(
            "stdin holds over 1 MiB; that is not one curl command".to_owned(),
        ));
    }
    String::from_utf8(bytes).map_err(|_| CliError::Invalid("stdin is not UTF-8 text".to_owned()))
}
