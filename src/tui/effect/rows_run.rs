//! The editor's rows runs, off the UI loop: reading the rows file, firing every row with the
//! scheduler `patchcord try --rows` uses (same limits, same 429 handling, same masked lines),
//! keeping the run in the history, and exporting its results.

use super::super::msg::Msg;
use super::super::state::RowResult;
use crate::api::fire;
use crate::api::schedule::{self, Job, Pace};
use crate::connector::rows::{self, RowsFormat, Select};
use crate::history::History;
use serde_json::Value;
use std::path::PathBuf;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Finds the rows file beside the connector file (`NAME.rows.csv`, else `NAME.rows.jsonl`)
/// and reads it (at most `files::MAX_FILE_BYTES`).
pub(super) async fn load(connector: PathBuf, tx: mpsc::UnboundedSender<Msg>) {
    let read = tokio::task::spawn_blocking(move || {
        let stem = connector.file_stem().unwrap_or_default().to_string_lossy();
        let candidates = ["csv", "jsonl"].map(|x| connector.with_file_name(format!("{stem}.rows.{x}")));
        let Some(path) = candidates.iter().find(|p| p.is_file()) else {
            return Err(format!(
                "no rows file beside {}: write {} (a header naming the columns, then a row per line) or {}",
                connector.display(),
                candidates[0].display(),
                candidates[1].display()
            ));
        };
        read(path)
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::RowsLoaded(read));
}

/// Reads the rows file at `path` (the rows table's "load a rows file").
pub(super) async fn load_file(path: PathBuf, tx: mpsc::UnboundedSender<Msg>) {
    let read = tokio::task::spawn_blocking(move || read(&path))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::RowsLoaded(read));
}

/// A rows file, CSV or JSON Lines by its name or content, with the path as shown.
fn read(path: &std::path::Path) -> Result<(String, rows::Rows), String> {
    let shown = path.display().to_string();
    let bytes = crate::files::read_bounded(path).map_err(|e| format!("{shown}: {e}"))?;
    let format = RowsFormat::detect(&shown, &bytes);
    let table = rows::parse(&bytes, format).map_err(|e| format!("{shown}: {e}"))?;
    Ok((shown, table))
}

/// A rows run to start: its request id, the rows' requests, how fast they may go, the
/// connector file it is kept for, and the selects each line keeps.
pub(super) struct Run {
    pub request: u64,
    pub jobs: Vec<Job>,
    pub pace: Pace,
    pub file: Option<PathBuf>,
    pub selects: Vec<Select>,
}

/// Fires the jobs within `pace`, answering `Msg::RowDone` per row and `Msg::RowsFinished`;
/// cancelling stops starting rows. The run is kept in the history for `file`.
pub(super) async fn run(run: Run, token: CancellationToken, tx: mpsc::UnboundedSender<Msg>) {
    let Run {
        request,
        jobs,
        pace,
        file,
        selects,
    } = run;
    let Ok(client) = fire::client() else {
        let _ = tx.send(Msg::RowsFinished { request });
        return;
    };
    let (done, mut answers) = mpsc::unbounded_channel();
    let runner = tokio::spawn(schedule::run(client, jobs, pace, token, done));
    let mut lines: Vec<Value> = Vec::new();
    while let Some(outcome) = answers.recv().await {
        let line = outcome.to_line(&selects);
        lines.push(line.clone());
        let sent = outcome.request.masked();
        let response = outcome
            .result
            .map_err(|e| crate::connector::plain_text(&outcome.request.scrub(&e.to_string())));
        let result = Box::new(RowResult {
            fire: sent,
            response,
            line,
        });
        let _ = tx.send(Msg::RowDone {
            request,
            row: outcome.row,
            result,
        });
    }
    let _ = runner.await;
    lines.sort_by_key(|l| l["row"].as_u64());
    let name = file.map_or_else(|| "<unsaved>".to_owned(), |p| crate::history::file_name(&p));
    let kept = tokio::task::spawn_blocking(move || {
        History::open_default().and_then(|mut h| h.record(&name, &lines))
    })
    .await;
    if !matches!(kept, Ok(Ok(_))) {
        tracing::warn!("rows run not kept in the history");
    }
    let _ = tx.send(Msg::RowsFinished { request });
}

/// The lines as JSON Lines text.
pub(super) fn json_lines(lines: &[Value]) -> Vec<u8> {
    let mut text = String::new();
    for line in lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    text.into_bytes()
}

/// The records as CSV text (quoted where a cell needs it).
pub(super) fn csv(records: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        let _ = writer.write_record(record);
    }
    writer.into_inner().unwrap_or_default()
}

/// Writes an export to `path`.
pub(super) async fn export(path: PathBuf, bytes: Vec<u8>, tx: mpsc::UnboundedSender<Msg>) {
    let written = tokio::task::spawn_blocking(move || {
        std::fs::write(&path, bytes)
            .map(|()| path.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::RowsExported(written));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_quote_what_csv_needs_and_write_one_line_per_row() {
        let records = vec![
            vec!["row".to_owned(), "name".to_owned()],
            vec!["1".to_owned(), "Martin, Hugo".to_owned()],
        ];
        assert_eq!(csv(&records), b"row,name\n1,\"Martin, Hugo\"\n");
        let lines = [serde_json::json!({"row": 1}), serde_json::json!({"row": 2})];
        assert_eq!(json_lines(&lines), b"{\"row\":1}\n{\"row\":2}\n");
    }
}
