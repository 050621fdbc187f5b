//! `patchcord import curl [--vendor V] [-o FILE] [COMMAND | -]`: a connector file from a curl
//! command, read by the core (`connector::import_curl`); `patchcord import openapi SPEC
//! [--operation OP]`: the document's operations, or one of them as a connector file (and its
//! samples), read by `connector::import_openapi`. Notes on what was ignored and the
//! connector's own findings go to stderr; the file is printed masked unless `-o` or `--reveal`.

use super::args::{ImportCommand, ImportCurlArgs, ImportOpenApiArgs};
use super::{CliError, Context, Exit, out, out_data, out_json};
use crate::connector::{self, Connector, import_curl, import_openapi, mask, validate};
use crate::files;
use crate::template::Samples;
use serde_json::{Value, json};
use std::io::Read as _;

/// A pasted command is small; more than this on stdin is not one.
const MAX_COMMAND_BYTES: u64 = 1024 * 1024;

pub fn run(ctx: &Context, command: &ImportCommand) -> Result<Exit, CliError> {
    match command {
        ImportCommand::Curl(args) => curl(ctx, args),
        ImportCommand::OpenApi(args) => openapi(ctx, args),
    }
}

fn curl(ctx: &Context, args: &ImportCurlArgs) -> Result<Exit, CliError> {
    let text = command_text(&args.command)?;
    let imported = import_curl::import(&text, args.vendor)
        .map_err(|e| CliError::Invalid(format!("cannot import the curl command: {e}")))?;
    emit(
        ctx,
        &imported.connector,
        &Samples::new(),
        &imported.notes,
        args.output.as_deref(),
    )
}

/// `import openapi`: the operations listed, or the one asked for written as a connector.
fn openapi(ctx: &Context, args: &ImportOpenApiArgs) -> Result<Exit, CliError> {
    let text = super::read_input(&args.spec)?;
    let text = String::from_utf8(text).map_err(|_| {
        CliError::Invalid(format!("{}: not UTF-8 text", super::shown_path(&args.spec)))
    })?;
    let invalid = |e: import_openapi::OpenApiError| {
        CliError::Invalid(format!(
            "cannot import {}: {e}",
            super::shown_path(&args.spec)
        ))
    };
    let spec = import_openapi::parse(&text).map_err(invalid)?;
    let Some(selector) = &args.operation else {
        let operations = spec.operations().map_err(invalid)?;
        return list_operations(ctx, &spec, &operations);
    };
    let options = import_openapi::Options {
        vendor: args.vendor,
        server: args.server,
        base_url: args.base_url.clone(),
        path_values: args.path_params.clone(),
    };
    let imported = import_openapi::import(&spec, selector, &options).map_err(|e| match e {
        import_openapi::OpenApiError::NoOperation(_) => CliError::Usage(e.to_string()),
        other => invalid(other),
    })?;
    emit(
        ctx,
        &imported.connector,
        &imported.samples,
        &imported.notes,
        args.output.as_deref(),
    )
}

/// One line per operation (`ID  METHOD  PATH  SUMMARY`, `-` for no id), or `--json`'s array.
fn list_operations(
    ctx: &Context,
    spec: &import_openapi::Spec,
    operations: &[import_openapi::Operation],
) -> Result<Exit, CliError> {
    for note in &spec.notes {
        eprintln!("{}", connector::plain_text(&format!("note: {note}")));
    }
    if ctx.json {
        out_json(&json!(operations))?;
        return Ok(Exit::Ok);
    }
    if operations.is_empty() {
        eprintln!("note: the document has no operations (no `paths`)");
        return Ok(Exit::Ok);
    }
    let width =
        |f: fn(&import_openapi::Operation) -> usize| operations.iter().map(f).max().unwrap_or(1);
    let id_width = width(|o| o.id.as_deref().map_or(1, |id| id.chars().count()));
    let path_width = width(|o| o.path.chars().count());
    let mut text = String::new();
    for operation in operations {
        let line = format!(
            "{:id_width$}  {:7} {:path_width$}  {}",
            operation.id.as_deref().unwrap_or("-"),
            operation.method,
            operation.path,
            operation.summary.as_deref().unwrap_or_default()
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    out(&text)?;
    Ok(Exit::Ok)
}

/// Prints the importer's notes and the connector's findings on stderr, then writes the
/// connector (and its samples) to `output`, or prints it masked unless `--reveal`.
fn emit(
    ctx: &Context,
    connector: &Connector,
    samples: &Samples,
    notes: &[String],
    output: Option<&std::path::Path>,
) -> Result<Exit, CliError> {
    for note in notes {
        eprintln!("{}", connector::plain_text(&format!("note: {note}")));
    }
    for finding in validate(connector) {
        eprintln!("{}", connector::plain_text(&format!("warning: {finding}")));
    }
    if let Some(path) = output {
        files::save(path, connector, samples)?;
        if ctx.json {
            out_json(&json!({"file": path.display().to_string(), "notes": notes}))?;
        } else {
            out(&format!("wrote {}", path.display()))?;
        }
        return Ok(Exit::Ok);
    }
    if !samples.is_empty() {
        eprintln!("note: the sample values are written beside the file with -o FILE");
    }
    let mut shown = connector.clone();
    if !ctx.reveal {
        let (masked, places) =
            mask::mask_body(connector.vendor, &Value::Object(connector.fields.clone()));
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
