//! `patchcord paths`: every place patchcord reads or writes, as `crate::paths` decides them
//! (so with the same environment overrides the other commands honour).

use super::{CliError, Context, Exit, out, out_json};
use crate::paths;
use serde_json::{Map, Value};

pub fn run(ctx: &Context) -> Result<Exit, CliError> {
    let shown = |path: Option<std::path::PathBuf>| path.map(|p| p.display().to_string());
    let rows: [(&str, Option<String>); 8] = [
        ("config", shown(paths::config_file())),
        ("data", shown(paths::data_dir())),
        ("state", shown(paths::state_dir())),
        ("journal", shown(paths::journal_dir())),
        ("history", shown(paths::history_file())),
        ("log", shown(paths::log_file())),
        ("sandbox_db", paths::embedded_db()),
        ("serve_db", shown(paths::default_db())),
    ];
    if ctx.json {
        let object: Map<String, Value> = rows
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value.map_or(Value::Null, Value::String)))
            .collect();
        out_json(&Value::Object(object))?;
    } else {
        let lines: Vec<String> = rows
            .into_iter()
            .map(|(key, value)| {
                let value = value.unwrap_or_else(|| "(none on this platform)".to_owned());
                format!("{key:<11} {value}")
            })
            .collect();
        out(&lines.join("\n"))?;
    }
    Ok(Exit::Ok)
}
