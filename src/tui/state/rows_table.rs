//! Trying the connector from the editor, what the session remembers of it: the `--select`
//! expressions the try-it view and the rows runs show, and the rows typed into the rows table
//! (one column per connector slot).

use super::{LineInput, Overlay};
use crate::connector::rows::{Rows, Select};
use crate::template::Samples;

/// What a session keeps between tries (the selects survive opening another connector; the
/// typed rows belong to the connector they were typed for).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrySession {
    pub selects: Vec<Select>,
    pub table: Option<RowsTable>,
}

impl TrySession {
    /// The rows table as the session kept it (a run over typed rows closes back to it).
    pub fn table_overlay(&self) -> Option<Overlay> {
        let table = self.table.clone()?;
        Some(Overlay::RowsTable(Box::new(table)))
    }

    /// The `--select` prompt over `back` (the view it returns to), holding the expressions.
    pub fn prompt(&self, back: Option<Box<Overlay>>) -> Overlay {
        let exprs: Vec<&str> = self.selects.iter().map(|s| s.expr.as_str()).collect();
        Overlay::TrySelect {
            input: LineInput::new(&exprs.join("; ")),
            error: None,
            back,
        }
    }
}

/// Rows typed into a table to run the connector over, a cell per slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsTable {
    pub columns: Vec<String>,
    /// One cell per column, per row (never empty: at least one row).
    pub rows: Vec<Vec<String>>,
    pub row: usize,
    pub column: usize,
    /// The cell being typed into (Enter keeps it, Esc drops it).
    pub edit: Option<LineInput>,
    /// "Load a rows file": the path as typed.
    pub path: Option<LineInput>,
    /// Where the rows came from, or what the last load said.
    pub note: String,
    /// A rows file is being read into the table.
    pub loading: bool,
}

impl RowsTable {
    /// One row of the sample values under the connector's slots.
    pub fn from_samples(columns: Vec<String>, samples: &Samples) -> RowsTable {
        let row = columns
            .iter()
            .map(|c| samples.get(c).cloned().unwrap_or_default())
            .collect();
        RowsTable {
            columns,
            rows: vec![row],
            row: 0,
            column: 0,
            edit: None,
            path: None,
            note: "one row of the sample values".to_owned(),
            loading: false,
        }
    }

    /// The rows of a file under the table's columns; a column the file lacks takes the
    /// sample value. Returns the file's columns no slot takes.
    pub fn fill(&mut self, rows: &Rows, samples: &Samples) -> Vec<String> {
        self.rows = rows
            .rows
            .iter()
            .map(|row| {
                (self.columns.iter())
                    .map(|c| row.get(c).or_else(|| samples.get(c)).cloned())
                    .map(Option::unwrap_or_default)
                    .collect()
            })
            .collect();
        if self.rows.is_empty() {
            self.rows.push(vec![String::new(); self.columns.len()]);
        }
        self.row = 0;
        self.column = 0;
        (rows.columns.iter())
            .filter(|c| !self.columns.contains(c))
            .cloned()
            .collect()
    }

    /// The same rows under another set of columns (the connector's slots changed): cells go
    /// with their column's name.
    #[must_use]
    pub fn with_columns(&self, columns: Vec<String>, samples: &Samples) -> RowsTable {
        let mut next = self.clone();
        next.columns = columns;
        next.fill(&self.to_rows(), samples);
        next.row = self.row.min(next.rows.len().saturating_sub(1));
        next
    }

    /// The table as rows to run.
    pub fn to_rows(&self) -> Rows {
        Rows {
            columns: self.columns.clone(),
            rows: (self.rows.iter())
                .map(|cells| self.columns.iter().cloned().zip(cells.clone()).collect())
                .collect(),
        }
    }

    pub fn cell(&self, row: usize, column: usize) -> &str {
        (self.rows.get(row))
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }

    /// Sets the selected cell.
    pub fn set_cell(&mut self, text: String) {
        if let Some(cell) = (self.rows.get_mut(self.row)).and_then(|r| r.get_mut(self.column)) {
            *cell = text;
        }
    }

    /// A row after the selected one: empty, or a copy of it.
    pub fn add(&mut self, copy: bool) {
        let row = if copy {
            self.rows.get(self.row).cloned().unwrap_or_default()
        } else {
            vec![String::new(); self.columns.len()]
        };
        let at = (self.row + 1).min(self.rows.len());
        self.rows.insert(at, row);
        self.row = at;
    }

    /// Deletes the selected row; the last one left is emptied instead.
    pub fn delete(&mut self) {
        if self.rows.len() > 1 {
            self.rows.remove(self.row.min(self.rows.len() - 1));
            self.row = self.row.min(self.rows.len() - 1);
        } else if let Some(row) = self.rows.first_mut() {
            row.iter_mut().for_each(String::clear);
        }
    }

    /// Moves the selected row one up (`up`) or down.
    pub fn shift(&mut self, up: bool) {
        let to = if up {
            self.row.checked_sub(1)
        } else {
            Some(self.row + 1).filter(|to| *to < self.rows.len())
        };
        if let Some(to) = to {
            self.rows.swap(self.row, to);
            self.row = to;
        }
    }

    /// Moves the selection by rows and columns, within the table.
    pub fn step(&mut self, rows: isize, columns: isize) {
        let clamp = |at: usize, by: isize, len: usize| {
            at.saturating_add_signed(by).min(len.saturating_sub(1))
        };
        self.row = clamp(self.row, rows, self.rows.len());
        self.column = clamp(self.column, columns, self.columns.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Samples {
        [("domain".to_owned(), "acme.com".to_owned())].into()
    }

    #[test]
    fn a_file_fills_the_slot_columns_and_samples_fill_the_rest() {
        let mut table =
            RowsTable::from_samples(vec!["domain".into(), "country".into()], &samples());
        assert_eq!(table.rows, [["acme.com", ""]]);
        let file = crate::connector::rows::parse(
            b"country,extra\nde,1\nfr,2\n",
            crate::connector::rows::RowsFormat::Csv,
        )
        .unwrap();
        assert_eq!(table.fill(&file, &samples()), ["extra"]);
        assert_eq!(table.rows, [["acme.com", "de"], ["acme.com", "fr"]]);
        let rows = table.to_rows();
        assert_eq!(rows.rows[1].get("country").map(String::as_str), Some("fr"));
        let narrower = table.with_columns(vec!["country".into()], &samples());
        assert_eq!(narrower.rows, [["de"], ["fr"]]);
    }

    #[test]
    fn rows_are_added_copied_moved_and_deleted_down_to_one_empty_row() {
        let mut table = RowsTable::from_samples(vec!["domain".into()], &samples());
        table.add(true);
        table.set_cell("globex.com".into());
        table.add(false);
        assert_eq!(table.rows, [["acme.com"], ["globex.com"], [""]]);
        table.shift(true);
        assert_eq!((table.row, table.cell(1, 0)), (1, ""));
        table.step(5, 3);
        assert_eq!((table.row, table.column), (2, 0));
        table.delete();
        table.delete();
        table.delete();
        assert_eq!(table.rows, [[""]]);
    }
}
