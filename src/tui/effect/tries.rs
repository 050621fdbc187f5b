//! Keeps the editor's tries in the history, as `patchcord try` does (the same masked line,
//! the same store), off the UI loop: the store is written on a blocking thread and a failure
//! to write it only goes to the log.

use crate::api::fire::{FireError, FireRequest, FireResponse};
use crate::api::schedule::Outcome;
use crate::history::History;
use std::path::Path;

/// Records one try of the connector at `file` (`<unsaved>` without one) and hands back its
/// result.
pub(super) async fn keep_try(
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
