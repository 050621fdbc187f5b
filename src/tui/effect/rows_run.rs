//! The editor's rows runs, off the UI loop: reading the rows file, firing every row with the
//! scheduler `patchcord try --rows` uses (same limits, same 429 handling, same masked lines),
//! keeping the run in the history, and exporting its results.

use super::super::msg::Msg;
use super::super::state::RowResult;
use crate::api::fire;
use crate::api::schedule::{self, Job, Pace};
use crate::connector::rows::{self, RowsFormat};
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
        let shown = path.display().to_string();
        let bytes = crate::files::read_bounded(path).map_err(|e| e.to_string())?;
        let format = RowsFormat::detect(&shown, &bytes);
        let table = rows::parse(&bytes, format).map_err(|e| format!("{shown}: {e}"))?;
        Ok((shown, table))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::RowsLoaded(read));
}

/// Fires the jobs within `pace`, answering `Msg::RowDone` per row and `Msg::RowsFinished`;
/// cancelling stops starting rows. The run is kept in the history for `file`.
pub(super) async fn run(
    request: u64,
    jobs: Vec<Job>,
    pace: Pace,
    file: Option<PathBuf>,
    token: CancellationToken,
    tx: mpsc::UnboundedSender<Msg>,
) {
    let Ok(client) = fire::client() else {
        let _ = tx.send(Msg::RowsFinished { request });
        return;
    };
    let (done, mut answers) = mpsc::unbounded_channel();
    let runner = tokio::spawn(schedule::run(client, jobs, pace, token, done));
    let mut lines: Vec<Value> = Vec::new();
    while let Some(outcome) = answers.recv().await {
        let line = outcome.to_line(&[]);
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

/// Writes the lines as JSON Lines to `path` (atomically, like a save).
pub(super) async fn export(path: PathBuf, lines: Vec<Value>, tx: mpsc::UnboundedSender<Msg>) {
    let written = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        for line in &lines {
            text.push_str(&line.to_string());
            text.push('\n');
        }
        std::fs::write(&path, text)
            .map(|()| path.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::RowsExported(written));
}
