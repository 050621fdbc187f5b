//! The editor's tries in the history, as `patchcord try` keeps them (the same masked line,
//! the same store): each try is kept, and the past tries of a connector are listed and
//! opened, all off the UI loop (the store is read and written on blocking threads; a failure
//! to keep a try only goes to the log).

use super::super::msg::Msg;
use super::super::state::RowResult;
use crate::api::fire::{self, FireError, FireRequest, FireResponse};
use crate::api::schedule::Outcome;
use crate::connector::NameValue;
use crate::history::{self, History};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Fires the try-it request, keeps it in the history and answers `Msg::Fired` (nothing
/// once cancelled).
pub(super) async fn fire(
    request: u64,
    sent: FireRequest,
    connector_file: Option<PathBuf>,
    token: CancellationToken,
    tx: mpsc::UnboundedSender<Msg>,
) {
    let work = async {
        let client = fire::client()?;
        fire::fire(&client, &sent).await
    };
    tokio::select! {
        () = token.cancelled() => {}
        result = work => {
            let result = keep(connector_file.as_deref(), &sent, result).await;
            let result = result.map_err(|e| crate::connector::plain_text(&sent.scrub(&e.to_string())));
            let _ = tx.send(Msg::Fired { request, result });
        }
    }
}

/// Records one try of the connector at `file` (`<unsaved>` without one) and hands back its
/// result.
async fn keep(
    file: Option<&Path>,
    request: &FireRequest,
    result: Result<FireResponse, FireError>,
) -> Result<FireResponse, FireError> {
    let outcome = Outcome {
        row: 1,
        request: request.clone(),
        result,
        retried: 0,
    };
    let line = outcome.to_line(&[]);
    let name = file.map_or_else(|| "<unsaved>".to_owned(), crate::history::file_name);
    let kept = tokio::task::spawn_blocking(move || {
        History::open_default().and_then(|mut history| history.record(&name, &[line]))
    })
    .await;
    match kept {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => tracing::warn!(%error, "try not kept in the history"),
        Err(error) => tracing::warn!(%error, "history task failed"),
    }
    outcome.result
}

/// How many past tries the editor lists.
const LISTED: usize = 50;

/// Answers `Msg::TriesListed` with the newest tries of `file`.
pub(super) async fn list(file: Option<PathBuf>, tx: mpsc::UnboundedSender<Msg>) {
    let listed = tokio::task::spawn_blocking(move || {
        let name = file.map_or_else(|| "<unsaved>".to_owned(), |p| history::file_name(&p));
        History::open_default()
            .and_then(|h| h.runs(Some(&name), LISTED))
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::TriesListed(listed));
}

/// Answers `Msg::TryOpened` with every row try `id` kept.
pub(super) async fn open(id: i64, tx: mpsc::UnboundedSender<Msg>) {
    let rows = tokio::task::spawn_blocking(move || {
        let shown = History::open_default()
            .and_then(|h| h.show(id))
            .map_err(|e| e.to_string())?;
        let (_, lines) = shown.ok_or_else(|| format!("try {id} is no longer in the history"))?;
        if lines.is_empty() {
            return Err(format!("try {id} kept no rows"));
        }
        Ok(lines
            .into_iter()
            .map(|line| {
                let (fire, response) = from_line(&line);
                RowResult {
                    fire,
                    response,
                    line,
                }
            })
            .collect())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let _ = tx.send(Msg::TryOpened { id, rows });
}

/// A kept line back as the try-it view's request and answer (masked, as it was kept).
fn from_line(line: &Value) -> (FireRequest, Result<FireResponse, String>) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let request = &line["request"];
    let headers = request["headers"]
        .as_array()
        .map(|list| list.iter().filter_map(NameValue::from_json).collect())
        .unwrap_or_default();
    let fire = FireRequest {
        method: text(&request["method"]),
        url: text(&request["url"]),
        headers,
        body: request["body"].as_str().map(str::to_owned),
    };
    let Some(status) = line["status"].as_u64().and_then(|s| u16::try_from(s).ok()) else {
        return (fire, Err(text(&line["error"])));
    };
    let body = match &line["response"] {
        Value::String(body) => body.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    let millis = line["elapsed_ms"].as_f64().unwrap_or_default().max(0.0);
    let response = FireResponse {
        status,
        reason: http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or_default()
            .to_owned(),
        elapsed: std::time::Duration::from_secs_f64(millis / 1000.0),
        headers: Vec::new(),
        body_bytes: body.len(),
        body,
        truncated: false,
        not_followed: None,
    };
    (fire, Ok(response))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_kept_line_opens_as_the_request_and_answer() {
        let (fire, response) = from_line(&json!({
            "row": 1,
            "request": {"method": "POST", "url": "http://h/x", "body": "{}",
                        "headers": [{"name": "Authorization", "value": "••••••••"}]},
            "status": 404, "elapsed_ms": 12.5, "response": {"detail": "nope"}, "error": null,
        }));
        assert_eq!(fire.url, "http://h/x");
        assert_eq!(fire.headers[0].value, "••••••••");
        let response = response.unwrap();
        assert_eq!(
            (response.status, response.reason.as_str()),
            (404, "Not Found")
        );
        assert!(response.body.contains("\"detail\": \"nope\""));
        let (_, failed) = from_line(&json!({"request": {}, "status": null, "error": "refused"}));
        assert_eq!(failed.unwrap_err(), "refused");
    }
}
