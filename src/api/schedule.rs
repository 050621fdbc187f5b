//! Fires one request per row within the connector's limits, as the platform would call it:
//! never more than `max_concurrency` requests in flight, never two starts closer than
//! `rate_limit` allows (one every 60 s / rate), and a 429 whose `Retry-After` says how long
//! to wait is waited out and that row sent again (counted). The CLI's `try --rows` and the
//! editor's rows run both use [`run`]; each answers with an [`Outcome`] per row on a channel
//! as soon as it is known, so a caller can show progress and stop (cancel) at any time,
//! keeping what finished.

use super::fire::{FireError, FireRequest, FireResponse, fire};
use crate::connector::rows::{Limits, Select};
use crate::connector::{FieldPath, NameValue, mask};
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Requests in flight when the connector sets no `max_concurrency`.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// How many 429s one row waits out before its 429 is the answer.
pub const MAX_RETRIES: u32 = 5;
/// A `Retry-After` longer than this is not waited out (the 429 is the answer), as for the
/// vendor APIs (README "Network behaviour").
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// One row's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// 1-based row number.
    pub row: usize,
    pub request: FireRequest,
}

/// What one row got.
#[derive(Debug)]
pub struct Outcome {
    pub row: usize,
    /// The request as sent (secrets in it: mask before showing).
    pub request: FireRequest,
    pub result: Result<FireResponse, FireError>,
    /// 429s waited out before this answer.
    pub retried: u32,
}

/// How fast requests may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub max_in_flight: usize,
    /// The least time between two starts (`None`: as fast as the concurrency allows).
    pub interval: Option<Duration>,
}

impl Pace {
    pub fn of(limits: Limits) -> Pace {
        let max_in_flight = limits.max_concurrency.map_or(DEFAULT_CONCURRENCY, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        });
        let interval = limits
            .per_minute
            .filter(|rate| rate.is_finite() && *rate > 0.0)
            .map(|rate| Duration::from_secs_f64((60.0 / rate).min(86_400.0)));
        Pace {
            max_in_flight: max_in_flight.max(1),
            interval,
        }
    }
}

/// Hands out start times at least `interval` apart, to every task that asks.
struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// Waits for this request's start time; `false` when cancelled first.
    async fn wait(&self, cancel: &CancellationToken) -> bool {
        let Some(interval) = self.interval else {
            return !cancel.is_cancelled();
        };
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |at| at.max(now));
            *next = Some(slot + interval);
            slot
        };
        // A slot already due starts now: the timer's millisecond ticks would otherwise slow
        // a fast rate down to one start per tick.
        if slot <= Instant::now() {
            return !cancel.is_cancelled();
        }
        tokio::select! {
            () = tokio::time::sleep_until(slot) => true,
            () = cancel.cancelled() => false,
        }
    }
}

/// Fires every job within `pace`, sending each outcome on `done` as it finishes. Cancelling
/// stops starting new rows (and waiting out 429s); requests already sent finish.
pub async fn run(
    client: reqwest::Client,
    jobs: Vec<Job>,
    pace: Pace,
    cancel: CancellationToken,
    done: mpsc::UnboundedSender<Outcome>,
) {
    let permits = Arc::new(Semaphore::new(pace.max_in_flight));
    let pacer = Arc::new(Pacer {
        interval: pace.interval,
        next: Mutex::new(None),
    });
    let mut tasks = JoinSet::new();
    for job in jobs {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit,
            () = cancel.cancelled() => break,
        };
        let Ok(permit) = permit else { break };
        if !pacer.wait(&cancel).await {
            break;
        }
        let (client, pacer, cancel, done) = (
            client.clone(),
            Arc::clone(&pacer),
            cancel.clone(),
            done.clone(),
        );
        tasks.spawn(async move {
            let outcome = attempt(&client, job, &pacer, &cancel).await;
            drop(permit);
            let _ = done.send(outcome);
        });
        // Collect finished tasks as we go, so a long run does not hold them all.
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
}

/// Fires one row, waiting out 429s that say how long to wait (their slot comes from the
/// pacer again, so a retry is never faster than the rate either).
async fn attempt(
    client: &reqwest::Client,
    job: Job,
    pacer: &Pacer,
    cancel: &CancellationToken,
) -> Outcome {
    let mut retried = 0;
    loop {
        let result = fire(client, &job.request).await;
        let wait = match &result {
            Ok(response) if response.status == 429 && retried < MAX_RETRIES => {
                retry_after(response).filter(|wait| *wait <= MAX_RETRY_AFTER)
            }
            _ => None,
        };
        let Some(wait) = wait else {
            return Outcome {
                row: job.row,
                request: job.request,
                result,
                retried,
            };
        };
        let waited = tokio::select! {
            () = tokio::time::sleep(wait) => pacer.wait(cancel).await,
            () = cancel.cancelled() => false,
        };
        if !waited {
            return Outcome {
                row: job.row,
                request: job.request,
                result,
                retried,
            };
        }
        retried += 1;
    }
}

fn retry_after(response: &FireResponse) -> Option<Duration> {
    let (_, value) = response
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))?;
    super::parse_retry_after(value, SystemTime::now())
}

/// How an outcome counts in a summary and an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// A 2xx answer.
    Ok,
    /// The request could not be sent as built (a header or method the client refuses).
    Invalid,
    /// Another status.
    Status,
    /// No (complete) answer: refused, timeout, reset, over the size limit.
    Network,
}

impl Outcome {
    pub fn verdict(&self) -> Verdict {
        match &self.result {
            Ok(response) if (200..300).contains(&response.status) => Verdict::Ok,
            Ok(_) => Verdict::Status,
            Err(
                FireError::Network { .. } | FireError::Timeout { .. } | FireError::TooLarge { .. },
            ) => Verdict::Network,
            Err(_) => Verdict::Invalid,
        }
    }

    /// The status as counted: `200`, or `network error` / `invalid request`.
    pub fn label(&self) -> String {
        match (&self.result, self.verdict()) {
            (Ok(response), _) => response.status.to_string(),
            (Err(_), Verdict::Network) => "network error".to_owned(),
            _ => "invalid request".to_owned(),
        }
    }

    /// The outcome as one JSON line (what `try` writes and the history keeps): the row, the
    /// request with its secrets masked, status, elapsed milliseconds, the response body
    /// (parsed when it is JSON, secret keys masked; else text, scrubbed of the request's
    /// secrets), the error when there is no answer, 429s waited out, and each selection.
    pub fn to_line(&self, selects: &[Select]) -> Value {
        let masked = self.request.masked();
        let headers: Vec<Value> = masked.headers.iter().map(NameValue::to_json).collect();
        let request = json!({
            "method": masked.method, "url": masked.url, "headers": headers, "body": masked.body,
        });
        let mut line = json!({"row": self.row, "request": request});
        match &self.result {
            Ok(response) => {
                let body = match serde_json::from_str::<Value>(&response.body) {
                    Ok(mut value) if !response.truncated => {
                        mask::mask_json(&mut value, &FieldPath::default(), &mut Vec::new());
                        value
                    }
                    _ => Value::String(self.request.scrub(&response.body)),
                };
                let selected: Map<String, Value> = selects
                    .iter()
                    .map(|s| (s.expr.clone(), s.value(&body)))
                    .collect();
                line["status"] = json!(response.status);
                line["elapsed_ms"] = json!(millis(response.elapsed));
                line["response"] = body;
                line["error"] = Value::Null;
                if !selects.is_empty() {
                    line["selected"] = Value::Object(selected);
                }
            }
            Err(error) => {
                line["status"] = Value::Null;
                line["response"] = Value::Null;
                line["error"] = json!(self.request.scrub(&error.to_string()));
            }
        }
        line["retried"] = json!(self.retried);
        line
    }
}

/// Milliseconds with a tenth's precision.
pub fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Counts per status and latencies over a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// `(label, count)` in order of first appearance.
    pub counts: Vec<(String, usize)>,
    /// Elapsed milliseconds of every answer.
    pub latencies: Vec<f64>,
    pub retried: u32,
    /// The worst verdict seen (`None`: nothing finished).
    pub worst: Option<Verdict>,
}

impl Summary {
    pub fn add(&mut self, outcome: &Outcome) {
        let label = outcome.label();
        match self.counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, count)) => *count += 1,
            None => self.counts.push((label, 1)),
        }
        if let Ok(response) = &outcome.result {
            self.latencies.push(millis(response.elapsed));
        }
        self.retried += outcome.retried;
        self.worst = self.worst.max(Some(outcome.verdict()));
    }

    pub fn finished(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// The latency at `percent` (nearest rank), `None` without answers.
    pub fn percentile(&self, percent: f64) -> Option<f64> {
        let mut sorted = self.latencies.clone();
        sorted.sort_by(f64::total_cmp);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a rank within the number of answers"
        )]
        let rank = ((percent / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.saturating_sub(1)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_follows_the_connector_limits() {
        let pace = Pace::of(Limits {
            max_concurrency: Some(3),
            per_minute: Some(120.0),
        });
        assert_eq!(pace.max_in_flight, 3);
        assert_eq!(pace.interval, Some(Duration::from_millis(500)));
        let open = Pace::of(Limits {
            max_concurrency: None,
            per_minute: None,
        });
        assert_eq!(open.max_in_flight, DEFAULT_CONCURRENCY);
        assert_eq!(open.interval, None);
    }
}
