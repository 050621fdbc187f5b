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

    /// The finished rows' lines, in row order (what an export writes).
    pub fn lines(&self) -> Vec<Value> {
        self.results
            .iter()
            .flatten()
            .map(|r| r.line.clone())
            .collect()
    }
}
