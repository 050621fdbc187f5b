//! The history of tries: every `patchcord try` (and every try in the editor) is kept in a
//! local `SQLite` file beside the journal, as runs (when, which connector file, how many
//! rows) of entries (one per row: the line `try` writes, whose request and response are
//! already masked, so no secret reaches the disk here). The store is capped in bytes; when
//! a new run pushes it over, the oldest entries go first (and runs left with none).
//! Knows nothing of HTTP or terminals.

use rusqlite::{Connection, params};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The default cap of the entries' stored text.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no state directory on this platform to keep the history in")]
    NoPlace,
    #[error("history {path}: {source}")]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("history {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How a connector file is named in the history: its absolute path, so a try from any
/// directory (or the editor) finds the same runs.
pub fn file_name(file: &Path) -> String {
    std::fs::canonicalize(file)
        .or_else(|_| std::path::absolute(file))
        .unwrap_or_else(|_| file.to_owned())
        .display()
        .to_string()
}

/// One run as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: i64,
    /// RFC 3339 UTC, to the second.
    pub at: String,
    pub file: String,
    /// Entries kept (fewer than the run's rows when the cap dropped some or it was stopped).
    pub entries: u64,
    /// Entries whose status was 2xx.
    pub ok: u64,
}

pub struct History {
    conn: Connection,
    path: PathBuf,
    max_bytes: u64,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    file TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_file ON runs (file, id);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run INTEGER NOT NULL REFERENCES runs (id),
    status INTEGER,
    line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_run ON entries (run, id);
";

impl History {
    /// Opens (creating) the history at `path`.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Dir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let db = |source| HistoryError::Db {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(History {
            conn,
            path: path.to_owned(),
            max_bytes: MAX_BYTES,
        })
    }

    /// Opens the history where [`crate::paths::history_file`] says it is.
    pub fn open_default() -> Result<History, HistoryError> {
        History::open(&crate::paths::history_file().ok_or(HistoryError::NoPlace)?)
    }

    /// The same history with another cap (in bytes of stored entries).
    #[must_use]
    pub fn with_cap(mut self, max_bytes: u64) -> History {
        self.max_bytes = max_bytes;
        self
    }

    fn db(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// Keeps one run of `file` with its entries (each a `try` output line, already masked),
    /// then drops the oldest entries while the store is over its cap. Returns the run's id.
    pub fn record(&mut self, file: &str, lines: &[Value]) -> Result<i64, HistoryError> {
        let at = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .unwrap_or_default();
        let max_bytes = self.max_bytes;
        let kept = (|| {
            let tx = self.conn.transaction()?;
            tx.execute(
                "INSERT INTO runs (at, file) VALUES (?1, ?2)",
                params![at, file],
            )?;
            let run = tx.last_insert_rowid();
            {
                let mut insert =
                    tx.prepare("INSERT INTO entries (run, status, line) VALUES (?1, ?2, ?3)")?;
                for line in lines {
                    let status = line.get("status").and_then(Value::as_i64);
                    insert.execute(params![run, status, line.to_string()])?;
                }
            }
            cap(&tx, max_bytes)?;
            tx.commit()?;
            Ok(run)
        })();
        kept.map_err(|e| self.db(e))
    }

    /// The newest runs first, of one connector file or of all.
    pub fn runs(&self, file: Option<&str>, limit: usize) -> Result<Vec<Run>, HistoryError> {
        self.select(file, None, limit)
    }

    /// One run and its entries, in the order they were kept.
    pub fn show(&self, id: i64) -> Result<Option<(Run, Vec<Value>)>, HistoryError> {
        let Some(run) = self.select(None, Some(id), 1)?.pop() else {
            return Ok(None);
        };
        let mut statement = self
            .conn
            .prepare("SELECT line FROM entries WHERE run = ?1 ORDER BY id")
            .map_err(|e| self.db(e))?;
        let lines = statement
            .query_map([id], |row| row.get::<_, String>(0))
            .map_err(|e| self.db(e))?
            .filter_map(Result::ok)
            .map(|text: String| serde_json::from_str(&text).unwrap_or(Value::String(text)))
            .collect();
        Ok(Some((run, lines)))
    }

    fn select(
        &self,
        file: Option<&str>,
        id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Run>, HistoryError> {
        let sql = "SELECT r.id, r.at, r.file, COUNT(e.id),
                          COALESCE(SUM(e.status BETWEEN 200 AND 299), 0)
                   FROM runs r LEFT JOIN entries e ON e.run = r.id
                   WHERE (?1 IS NULL OR r.file = ?1) AND (?2 IS NULL OR r.id = ?2)
                   GROUP BY r.id ORDER BY r.id DESC LIMIT ?3";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut statement = self.conn.prepare(sql).map_err(|e| self.db(e))?;
        let rows = statement
            .query_map(params![file, id, limit], |row| {
                Ok(Run {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    file: row.get(2)?,
                    entries: row.get(3)?,
                    ok: row.get(4)?,
                })
            })
            .map_err(|e| self.db(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db(e))
    }
}

/// Drops the oldest entries until the rest fit in `max_bytes`, then runs with none left.
fn cap(conn: &Connection, max_bytes: u64) -> rusqlite::Result<()> {
    let max = i64::try_from(max_bytes).unwrap_or(i64::MAX);
    conn.execute(
        "DELETE FROM entries WHERE id <= (
             SELECT id FROM (
                 SELECT id, SUM(LENGTH(CAST(line AS BLOB))) OVER (ORDER BY id DESC) AS kept
                 FROM entries)
             WHERE kept > ?1 ORDER BY id DESC LIMIT 1)",
        [max],
    )?;
    conn.execute(
        "DELETE FROM runs WHERE NOT EXISTS (SELECT 1 FROM entries WHERE run = runs.id)",
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(row: usize, status: u16, pad: usize) -> Value {
        json!({"row": row, "status": status, "pad": "x".repeat(pad)})
    }

    #[test]
    fn runs_are_kept_listed_by_file_and_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::open(&dir.path().join("h/history.sqlite3")).unwrap();
        let first = history
            .record("/w/a.json", &[line(1, 200, 1), line(2, 404, 1)])
            .unwrap();
        let second = history.record("/w/b.json", &[line(1, 200, 1)]).unwrap();
        let all = history.runs(None, 10).unwrap();
        assert_eq!(
            all.iter().map(|r| r.id).collect::<Vec<_>>(),
            [second, first]
        );
        let of_a = history.runs(Some("/w/a.json"), 10).unwrap();
        assert_eq!(of_a.len(), 1);
        assert_eq!((of_a[0].entries, of_a[0].ok), (2, 1));
        let (run, lines) = history.show(first).unwrap().unwrap();
        assert_eq!(run.file, "/w/a.json");
        assert_eq!(lines, [line(1, 200, 1), line(2, 404, 1)]);
        assert!(history.show(999).unwrap().is_none());
    }

    #[test]
    fn the_cap_drops_the_oldest_entries_and_empty_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::open(&dir.path().join("history.sqlite3"))
            .unwrap()
            .with_cap(1_500);
        let old = history.record("a", &[line(1, 200, 900)]).unwrap();
        let mid = history
            .record("a", &[line(1, 200, 400), line(2, 200, 400)])
            .unwrap();
        let new = history.record("a", &[line(1, 200, 900)]).unwrap();
        let runs = history.runs(None, 10).unwrap();
        assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [new, mid]);
        assert!(history.show(old).unwrap().is_none());
        // The run in the middle lost its older entry, not its newer one.
        let (_, lines) = history.show(mid).unwrap().unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["row"], 2);
    }
}
