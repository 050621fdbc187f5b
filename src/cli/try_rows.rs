//! `patchcord try FILE [-s NAME=VALUE]... [--rows FILE] [--limit N] [--select EXPR]...
//! [--out FILE]`: fires the connector's own request headless, once with its samples or once
//! per row, within its limits (`api::schedule`, the editor's scheduler too). Writes one JSON
//! line per row as it finishes (secrets masked), keeps the run in the history, then prints a
//! summary on stderr (`--json`: as JSON). Exit 0 when every row got a 2xx, 3 when any got
//! another status, 4 when any got no answer.

use super::args::TryArgs;
use super::{CliError, Context, Exit, note};
use crate::api::fire;
use crate::api::schedule::{self, Job, Pace, Summary, Verdict};
use crate::connector::rows::{self, Limits, RowsFormat, Select};
use crate::connector::{self, Connector, plain_line};
use crate::history::History;
use crate::template::Samples;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write};
use std::path::Path;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Rows above this many get a progress bar (on a terminal, without `-q`).
const PROGRESS_ABOVE: usize = 3;

pub async fn run(ctx: &Context, args: &TryArgs) -> Result<Exit, CliError> {
    let (connector, mut samples) = super::load(&args.file)?;
    for (name, value) in &args.samples {
        samples.insert(name.clone(), value.clone());
    }
    let selects = args
        .selects
        .iter()
        .map(|expr| Select::parse(expr).map_err(|e| CliError::Invalid(format!("--select {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let table = read_rows(ctx, args, &connector, &samples)?;
    let jobs = jobs(&connector, &samples, &table)?;
    let mut sink = Sink::open(args.out.as_deref())?;
    let demo =
        crate::connection::demo_sandbox_for(jobs.iter().map(|j| j.request.url.as_str())).await;
    if let Some(sandbox) = &demo {
        note(
            ctx,
            &format!(
                "note: started a throwaway sandbox at {} for the demo endpoints (`patchcord serve` keeps one running)",
                sandbox.base_url()
            ),
        );
    }
    let client = fire::client().map_err(|e| CliError::Invalid(e.to_string()))?;
    let pace = Pace::of(Limits::of(&connector));
    let total = jobs.len();
    let cancel = CancellationToken::new();
    let (done, mut answers) = mpsc::unbounded_channel();
    let runner = tokio::spawn(schedule::run(client, jobs, pace, cancel.clone(), done));
    let interrupt = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        }
    });
    let bar = progress(ctx, total);
    let mut summary = Summary::default();
    let mut lines: Vec<Value> = Vec::with_capacity(total);
    while let Some(outcome) = answers.recv().await {
        let line = outcome.to_line(&selects);
        bar.suspend(|| sink.write(&line))?;
        bar.inc(1);
        summary.add(&outcome);
        lines.push(line);
    }
    bar.finish_and_clear();
    let _ = runner.await;
    interrupt.abort();
    if let Some(sandbox) = demo {
        sandbox.shutdown().await;
    }
    let stopped = cancel.is_cancelled().then(|| total - summary.finished());
    lines.sort_by_key(|l| l["row"].as_u64());
    let kept = keep(ctx, &args.file, &lines);
    report(ctx, &summary, &selects, &lines, stopped, kept);
    Ok(exit(summary.worst))
}

fn exit(worst: Option<Verdict>) -> Exit {
    match worst {
        None | Some(Verdict::Ok) => Exit::Ok,
        Some(Verdict::Invalid) => Exit::Invalid,
        Some(Verdict::Status) => Exit::Rejected,
        Some(Verdict::Network) => Exit::Network,
    }
}

/// The rows to fire: the file's (reported against the connector's slots before anything is
/// sent), or one row of the samples alone.
fn read_rows(
    ctx: &Context,
    args: &TryArgs,
    connector: &Connector,
    samples: &Samples,
) -> Result<Vec<Samples>, CliError> {
    let slots = rows::slots(connector);
    let Some(path) = &args.rows else {
        for slot in slots.iter().filter(|s| !samples.contains_key(s.as_str())) {
            note(
                ctx,
                &format!("note: no sample for {slot}; it is sent empty (use -s {slot}=VALUE)"),
            );
        }
        return Ok(vec![Samples::new()]);
    };
    let shown = super::shown_path(path);
    let bytes = read_bounded(path)?;
    let format = RowsFormat::detect(&shown, &bytes);
    let mut table =
        rows::parse(&bytes, format).map_err(|e| CliError::Invalid(format!("{shown}: {e}")))?;
    if let Some(limit) = args.limit {
        table
            .rows
            .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    let coverage = rows::coverage(&slots, &table.columns);
    if !coverage.unused_columns.is_empty() {
        note(
            ctx,
            &format!(
                "warning: {shown}: the connector does not use column(s) {}",
                coverage.unused_columns.join(", ")
            ),
        );
    }
    for slot in &coverage.unfilled_slots {
        let fallback = if samples.contains_key(slot.as_str()) {
            "every row gets its sample value"
        } else {
            "it is sent empty"
        };
        note(
            ctx,
            &format!("warning: {shown}: no column fills slot {slot}; {fallback}"),
        );
    }
    Ok(table.rows)
}

/// A rows file, at most `files::MAX_FILE_BYTES`; `-` is stdin.
fn read_bounded(path: &Path) -> Result<Vec<u8>, CliError> {
    use std::io::Read as _;
    let limit = crate::files::MAX_FILE_BYTES;
    let shown = super::shown_path(path);
    let failed = |e: std::io::Error| CliError::Invalid(format!("{shown}: {e}"));
    let mut bytes = Vec::new();
    if super::is_stdio(path) {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
    } else {
        return Ok(crate::files::read_bounded(path)?);
    }
    if bytes.len() as u64 > limit {
        return Err(CliError::Invalid(format!(
            "{shown}: larger than {} MiB",
            limit / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Every row's request, built before any is sent: a row that cannot be built stops the run.
fn jobs(connector: &Connector, samples: &Samples, table: &[Samples]) -> Result<Vec<Job>, CliError> {
    table
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let filled = rows::fill(samples, row);
            let request = fire::build(connector, &filled)
                .map_err(|e| CliError::Invalid(format!("row {}: {e}", index + 1)))?;
            Ok(Job {
                row: index + 1,
                request,
            })
        })
        .collect()
}

/// Where the JSON lines go.
struct Sink(Box<dyn Write>);

impl Sink {
    fn open(out: Option<&Path>) -> Result<Sink, CliError> {
        Ok(Sink(match out {
            Some(path) if !super::is_stdio(path) => {
                let file = std::fs::File::create(path)
                    .map_err(|e| CliError::Invalid(format!("--out {}: {e}", path.display())))?;
                Box::new(std::io::BufWriter::new(file))
            }
            _ => Box::new(std::io::stdout()),
        }))
    }

    fn write(&mut self, line: &Value) -> Result<(), CliError> {
        let text = connector::json_text(&line.to_string());
        self.0.write_all(text.as_bytes())?;
        self.0.write_all(b"\n")?;
        self.0.flush()?;
        Ok(())
    }
}

fn progress(ctx: &Context, total: usize) -> indicatif::ProgressBar {
    if total <= PROGRESS_ABOVE || ctx.manners.quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} rows, {elapsed} (ETA {eta}; Ctrl-C stops)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::new(total as u64).with_style(style)
}

/// Keeps the run in the history; a history that cannot be written is a warning, not a
/// failed try. Returns the run's id.
fn keep(ctx: &Context, file: &Path, lines: &[Value]) -> Option<i64> {
    let name = history_name(file);
    match History::open_default().and_then(|mut h| h.record(&name, lines)) {
        Ok(id) => Some(id),
        Err(error) => {
            note(
                ctx,
                &format!("warning: this try is not in the history: {error}"),
            );
            None
        }
    }
}

/// How a connector file is named in the history (`<stdin>` for `-`).
pub(crate) fn history_name(file: &Path) -> String {
    if super::is_stdio(file) {
        super::shown_path(file)
    } else {
        crate::history::file_name(file)
    }
}

/// The summary on stderr: with `--select`, a table of every row's status, time and selected
/// values; then the counts per status, 429s waited out and the latency percentiles.
fn report(
    ctx: &Context,
    summary: &Summary,
    selects: &[Select],
    lines: &[Value],
    stopped: Option<usize>,
    kept: Option<i64>,
) {
    let (p50, p95) = (summary.percentile(50.0), summary.percentile(95.0));
    if ctx.json {
        let counts: serde_json::Map<String, Value> = summary
            .counts
            .iter()
            .map(|(label, n)| (label.clone(), json!(n)))
            .collect();
        let value = json!({
            "rows": summary.finished(), "statuses": counts, "retried": summary.retried,
            "p50_ms": p50, "p95_ms": p95, "not_sent": stopped, "history": kept,
        });
        eprintln!("{}", connector::json_text(&value.to_string()));
        return;
    }
    if ctx.manners.quiet {
        return;
    }
    let mut text = String::new();
    if !selects.is_empty() {
        text.push_str(&table(selects, lines));
    }
    let counts: Vec<String> = summary
        .counts
        .iter()
        .map(|(label, n)| format!("{label} ×{n}"))
        .collect();
    let _ = write!(text, "{} rows: {}", summary.finished(), counts.join(", "));
    if summary.retried > 0 {
        let _ = write!(text, "; 429 waited out ×{}", summary.retried);
    }
    if let (Some(p50), Some(p95)) = (p50, p95) {
        let _ = write!(text, "\nlatency p50 {p50} ms, p95 {p95} ms");
    }
    if let Some(left) = stopped {
        let _ = write!(text, "\nstopped: {left} row(s) not sent");
    }
    if let Some(id) = kept {
        let _ = write!(text, "\nkept as try {id} (patchcord history --show {id})");
    }
    eprintln!("{}", connector::plain_text(&text));
}

/// `row  status  ms  $.a  $.b` and one line per row.
fn table(selects: &[Select], lines: &[Value]) -> String {
    let mut cells: Vec<Vec<String>> = vec![
        ["row", "status", "ms"]
            .into_iter()
            .map(str::to_owned)
            .chain(selects.iter().map(|s| s.expr.clone()))
            .collect(),
    ];
    for line in lines {
        let status = match &line["status"] {
            Value::Null => "error".to_owned(),
            status => status.to_string(),
        };
        let mut row = vec![
            line["row"].to_string(),
            status,
            rows::cell(&line["elapsed_ms"]),
        ];
        row.extend(
            selects
                .iter()
                .map(|s| plain_line(&rows::cell(&line["selected"][&s.expr]))),
        );
        cells.push(row);
    }
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count().min(40)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in cells {
        let padded: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(padded.join("  ").trim_end());
        text.push('\n');
    }
    text
}
