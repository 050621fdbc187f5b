//! `patchcord new --example NAME [-o FILE]` and `new --list`: the built-in example connectors
//! (`crate::examples`), written out as connector files to start from.

use super::{CliError, Context, Exit, out, out_data, out_json};
use crate::examples::{self, Example};
use crate::files;
use serde_json::json;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Context, args: &super::args::NewArgs) -> Result<Exit, CliError> {
    let Some(name) = args.example.as_deref().filter(|_| !args.list) else {
        return list(ctx);
    };
    let example = examples::find(name).ok_or_else(|| {
        CliError::Invalid(format!(
            "no example called {name:?}; known: {}",
            examples::names()
        ))
    })?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(example.file_name()));
    if super::is_stdio(&path) {
        out_data(example.connector)?;
        return Ok(Exit::Ok);
    }
    write(example, &path, args.force)?;
    if ctx.json {
        out_json(&json!({"example": example.name, "file": path.display().to_string()}))?;
    } else {
        super::note(
            ctx,
            &format!("wrote example {} to {}", example.name, path.display()),
        );
    }
    Ok(Exit::Ok)
}

/// The examples' names (and what each is), one per line.
fn list(ctx: &Context) -> Result<Exit, CliError> {
    if ctx.json {
        let items: Vec<_> = examples::ALL
            .iter()
            .map(|e| json!({"name": e.name, "summary": e.summary()}))
            .collect();
        out_json(&serde_json::Value::Array(items))?;
    } else {
        let width = examples::ALL
            .iter()
            .map(|e| e.name.len())
            .max()
            .unwrap_or(0);
        let lines: Vec<String> = examples::ALL
            .iter()
            .map(|e| format!("{:width$}  {}", e.name, e.summary()))
            .collect();
        out(&lines.join("\n"))?;
    }
    Ok(Exit::Ok)
}

/// Saves the example (and its samples and rows beside it), never over an existing file
/// unless forced.
fn write(example: &Example, path: &Path, force: bool) -> Result<(), CliError> {
    let rows_path = example.rows.map(|_| Example::rows_path(path));
    if let Some(taken) = [Some(path), rows_path.as_deref()]
        .into_iter()
        .flatten()
        .find(|p| !force && p.exists())
    {
        return Err(CliError::Invalid(format!(
            "{} exists; choose another with -o FILE, or replace it with --force",
            taken.display()
        )));
    }
    let (connector, samples) = example
        .load()
        .map_err(|e| CliError::Invalid(format!("example {}: {e}", example.name)))?;
    files::save(path, &connector, &samples)?;
    if let (Some(rows), Some(rows_path)) = (example.rows, rows_path) {
        std::fs::write(&rows_path, rows)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", rows_path.display())))?;
    }
    Ok(())
}
