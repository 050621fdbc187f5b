//! A run of the connector over the rows file beside it, as the editor shows it: the rows'
//! input columns and, as each answer arrives, its status, time and response.

use crate::api::fire::{FireRequest, FireResponse};
use crate::connector::rows::Rows;
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

    /// The table as CSV records: a header (`row`, the input columns, `status`, `elapsed_ms`,
    /// `error`), then one record per finished row.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        let mut header = vec!["row".to_owned()];
        header.extend(self.columns.iter().cloned());
        header.extend(["status", "elapsed_ms", "error"].map(str::to_owned));
        let mut records = vec![header];
        for (index, (input, result)) in self.inputs.iter().zip(&self.results).enumerate() {
            let Some(result) = result else { continue };
            let mut record = vec![(index + 1).to_string()];
            record.extend(
                self.columns
                    .iter()
                    .map(|c| input.get(c).cloned().unwrap_or_default()),
            );
            record.extend(
                ["status", "elapsed_ms", "error"]
                    .map(|key| crate::connector::rows::cell(&result.line[key])),
            );
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
