//! `patchcord history [FILE] [--limit N]` lists past tries, newest first (of one connector
//! file, or all); `patchcord history --show ID` prints one: every row's line as `try` wrote
//! it (request and response already masked when they were kept).

use super::args::HistoryArgs;
use super::{CliError, Context, Exit, out, out_data, out_json};
use crate::connector;
use crate::history::{History, Run};
use serde_json::{Value, json};

pub fn run(ctx: &Context, args: &HistoryArgs) -> Result<Exit, CliError> {
    let history = History::open_default().map_err(|e| CliError::Invalid(e.to_string()))?;
    let failed = |e: crate::history::HistoryError| CliError::Invalid(e.to_string());
    if let Some(id) = args.show {
        let Some((run, lines)) = history.show(id).map_err(failed)? else {
            return Err(CliError::Invalid(format!(
                "no try {id} in the history (`patchcord history` lists them)"
            )));
        };
        if ctx.json {
            let mut value = run_json(&run);
            value["entries"] = Value::Array(lines);
            out_json(&value)?;
        } else {
            out(&format!("try {} · {} · {}", run.id, run.at, run.file))?;
            for line in &lines {
                out_data(&connector::json_text(&line.to_string()))?;
            }
        }
        return Ok(Exit::Ok);
    }
    let file = args.file.as_deref().map(super::try_rows::history_name);
    let runs = history.runs(file.as_deref(), args.limit).map_err(failed)?;
    if ctx.json {
        out_json(&Value::Array(runs.iter().map(run_json).collect()))?;
    } else if runs.is_empty() {
        super::note(ctx, "no tries yet (`patchcord try FILE` fires one)");
    } else {
        let lines: Vec<String> = runs
            .iter()
            .map(|r| {
                format!(
                    "{:>5}  {}  {:>4} row(s), {:>4} 2xx  {}",
                    r.id, r.at, r.entries, r.ok, r.file
                )
            })
            .collect();
        out(&lines.join("\n"))?;
    }
    Ok(Exit::Ok)
}

fn run_json(run: &Run) -> Value {
    json!({"id": run.id, "at": run.at, "file": run.file, "rows": run.entries, "ok": run.ok})
}
