//! A run of the connector over the rows file beside it, as the editor shows it: the rows'
//! input columns and, as each answer arrives, its status, time and response.

use crate::api::fire::{FireRequest, FireResponse};
use crate::connector::rows::{self, Rows, Select};
use crate::template::Samples;
use serde_json::Value;

/// What one row got: the request as sent (masked), the answer, and its `try` line.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResult {
    pub fire: FireRequest,
    pub response: Result<FireResponse, String>,
    pub line: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowsRun {
    /// The scheduler's request id (Esc cancels it).
    pub request: u64,
    /// The rows file, as shown.
    pub source: String,
    pub columns: Vec<String>,
    pub inputs: Vec<Samples>,
    /// One per row, filled as answers arrive.
    pub results: Vec<Option<RowResult>>,
    pub selected: usize,
    /// Whether the selected row's response is shown.
    pub open: bool,
    pub scroll: u16,
    /// No more answers will come (all done, or cancelled).
    pub finished: bool,
    pub cancelled: bool,
    pub origin: Origin,
}

/// Where a run's rows came from (closing a run over typed rows goes back to their table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    RowsFile,
    Typed,
    /// A past run, reopened from the history.
    History,
}

impl RowsRun {
    pub fn new(request: u64, source: String, rows: Rows) -> RowsRun {
        RowsRun {
            request,
            source,
            columns: rows.columns,
            results: vec![None; rows.rows.len()],
            inputs: rows.rows,
            selected: 0,
            open: false,
            scroll: 0,
            finished: false,
            cancelled: false,
            origin: Origin::RowsFile,
        }
    }

    /// Records row `row`'s (1-based) answer.
    pub fn record(&mut self, row: usize, result: RowResult) {
        if let Some(slot) = row.checked_sub(1).and_then(|i| self.results.get_mut(i)) {
            *slot = Some(result);
        }
    }

    pub fn done(&self) -> usize {
        self.results.iter().filter(|r| r.is_some()).count()
    }

    /// A past run over rows, from the history: finished, every kept row with its answer. The
    /// kept lines hold the request, not the row's cells, so the one input column is what the
    /// request carried (its body, else its query).
    pub fn reopened(id: i64, results: Vec<RowResult>) -> RowsRun {
        let column = "request".to_owned();
        let inputs = (results.iter())
            .map(|r| Samples::from([(column.clone(), request_cell(&r.fire))]))
            .collect();
        let rows = Rows {
            columns: vec![column],
            rows: inputs,
        };
        let mut run = RowsRun::new(0, format!("try {id}"), rows);
        run.results = results.into_iter().map(Some).collect();
        run.finished = true;
        run.origin = Origin::History;
        run
    }

    /// The table as CSV records: a header (`row`, the input columns, `status`, `elapsed_ms`,
    /// `error`, then each select's expression), then one record per finished row.
    pub fn csv_records(&self, selects: &[Select]) -> Vec<Vec<String>> {
        let mut header = vec!["row".to_owned()];
        header.extend(self.columns.iter().cloned());
        header.extend(["status", "elapsed_ms", "error"].map(str::to_owned));
        header.extend(selects.iter().map(|s| s.expr.clone()));
        let mut records = vec![header];
        for (index, (input, result)) in self.inputs.iter().zip(&self.results).enumerate() {
            let Some(result) = result else { continue };
            let mut record = vec![(index + 1).to_string()];
            record.extend(
                self.columns
                    .iter()
                    .map(|c| input.get(c).cloned().unwrap_or_default()),
            );
            record
                .extend(["status", "elapsed_ms", "error"].map(|key| rows::cell(&result.line[key])));
            record.extend(selected_cells(selects, &result.line));
            records.push(record);
        }
        records
    }

    /// The finished rows' lines, in row order (what an export writes).
    pub fn lines(&self) -> Vec<Value> {
        self.results
            .iter()
            .flatten()
            .map(|r| r.line.clone())
            .collect()
    }
}

/// Each select's value in a row's response, as table cells.
pub fn selected_cells(selects: &[Select], line: &Value) -> Vec<String> {
    (selects.iter())
        .map(|s| rows::cell(&s.value(&line["response"])))
        .collect()
}

/// What a kept request carried for its row: the body, else the URL's query, else the URL.
fn request_cell(fire: &FireRequest) -> String {
    match &fire.body {
        Some(body) if !body.is_empty() => body.clone(),
        _ => (fire.url.split_once('?'))
            .map_or_else(|| fire.url.clone(), |(_, query)| query.to_owned()),
    }
}
