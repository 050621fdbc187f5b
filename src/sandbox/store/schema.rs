//! The store's tables, indexes and upgrades: opening a connection with the pragmas the
//! durability promise rests on, and bringing an older file up to the current layout.
//!
//! Layout (`PRAGMA user_version` 2): `connectors(id, vendor, uuid, slug, data)` with unique
//! indexes on `(vendor, uuid)` and `(vendor, slug)` and one on `(vendor, id)`; `counts(vendor,
//! count)` kept by triggers, so a page's total is one lookup. Version 0 files (no `uuid`,
//! `slug`, `counts`) get the columns, filled from each record by the vendor's `Backfill`.

use super::{Record, sql};
use crate::sandbox::DbPath;
use crate::sandbox::errors::StoreError;
use rusqlite::{Connection, params};

/// The layout this version writes.
const VERSION: i64 = 2;

/// How to read a vendor's indexed values out of a record written before the columns existed.
#[derive(Debug, Clone, Copy)]
pub struct Backfill {
    pub vendor: &'static str,
    /// The record's UUID id and unique value.
    pub keys: fn(&Record) -> (Option<String>, Option<String>),
}

/// Opens the database with the pragmas the durability promise rests on.
pub fn connect(db: &DbPath) -> Result<Connection, StoreError> {
    let (connection, label) = match db {
        DbPath::Memory => (Connection::open_in_memory(), ":memory:".to_owned()),
        DbPath::File(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            (Connection::open(path), path.display().to_string())
        }
    };
    let open_error = |source| StoreError::Open {
        path: label.clone(),
        source,
    };
    let connection = connection.map_err(open_error)?;
    connection
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(open_error)?;
    // WAL lets readers read while the writer writes; FULL makes each commit reach the disk.
    let _mode: String = connection
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(open_error)?;
    // 32 MiB of page cache per connection keeps the indexes of a large store in memory.
    connection
        .execute_batch("PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;")
        .map_err(open_error)?;
    Ok(connection)
}

/// Creates the layout, or upgrades an older file to it, in one transaction.
pub fn migrate(connection: &Connection, backfill: &[Backfill]) -> Result<(), StoreError> {
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(sql("migrate"))?;
    if version >= VERSION {
        return Ok(());
    }
    connection
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(sql("migrate"))?;
    let result = upgrade(connection, backfill);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    connection.execute_batch(end).map_err(sql("migrate"))?;
    result
}

fn upgrade(connection: &Connection, backfill: &[Backfill]) -> Result<(), StoreError> {
    connection
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS connectors (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 vendor TEXT NOT NULL,
                 data TEXT NOT NULL
             );",
        )
        .map_err(sql("migrate"))?;
    let has_uuid = connection
        .prepare("SELECT 1 FROM pragma_table_info('connectors') WHERE name = 'uuid'")
        .and_then(|mut s| s.exists([]))
        .map_err(sql("migrate"))?;
    if !has_uuid {
        connection
            .execute_batch(
                "ALTER TABLE connectors ADD COLUMN uuid TEXT;
                 ALTER TABLE connectors ADD COLUMN slug TEXT;",
            )
            .map_err(sql("migrate"))?;
        fill_keys(connection, backfill)?;
    }
    connection
        .execute_batch(&format!(
            "CREATE UNIQUE INDEX IF NOT EXISTS connectors_uuid ON connectors (vendor, uuid);
             CREATE UNIQUE INDEX IF NOT EXISTS connectors_slug ON connectors (vendor, slug);
             CREATE INDEX IF NOT EXISTS connectors_vendor ON connectors (vendor, id);
             CREATE TABLE IF NOT EXISTS counts (vendor TEXT PRIMARY KEY, count INTEGER NOT NULL);
             DELETE FROM counts;
             INSERT INTO counts SELECT vendor, COUNT(*) FROM connectors GROUP BY vendor;
             CREATE TRIGGER IF NOT EXISTS connectors_added AFTER INSERT ON connectors BEGIN
                 INSERT INTO counts VALUES (new.vendor, 1)
                     ON CONFLICT (vendor) DO UPDATE SET count = count + 1;
             END;
             CREATE TRIGGER IF NOT EXISTS connectors_removed AFTER DELETE ON connectors BEGIN
                 UPDATE counts SET count = count - 1 WHERE vendor = old.vendor;
             END;
             PRAGMA user_version = {VERSION};"
        ))
        .map_err(sql("migrate"))
}

/// Fills the new columns of rows written before them.
fn fill_keys(connection: &Connection, backfill: &[Backfill]) -> Result<(), StoreError> {
    for fill in backfill {
        let rows: Vec<(i64, String)> = connection
            .prepare("SELECT id, data FROM connectors WHERE vendor = ?1")
            .and_then(|mut s| {
                s.query_map(params![fill.vendor], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .map_err(sql("migrate"))?;
        for (id, text) in rows {
            let (uuid, unique) = (fill.keys)(&super::parse(id, &text)?);
            connection
                .execute(
                    "UPDATE connectors SET uuid = ?1, slug = ?2 WHERE id = ?3",
                    params![uuid, unique, id],
                )
                .map_err(sql("migrate"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn keys(record: &Record) -> (Option<String>, Option<String>) {
        let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
        (text("id"), text("slug"))
    }

    #[test]
    fn a_version_0_file_gets_its_keys_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let db = DbPath::File(dir.path().join("old.sqlite3"));
        let old = connect(&db).unwrap();
        old.execute_batch(
            r#"CREATE TABLE connectors (id INTEGER PRIMARY KEY AUTOINCREMENT, vendor TEXT NOT NULL, data TEXT NOT NULL);
               INSERT INTO connectors (vendor, data) VALUES ('a', '{"id": "u1", "slug": "s1"}');
               INSERT INTO connectors (vendor, data) VALUES ('a', '{"id": "u2"}');
               INSERT INTO connectors (vendor, data) VALUES ('b', '{"name": "n"}');"#,
        )
        .unwrap();
        drop(old);
        let connection = connect(&db).unwrap();
        migrate(&connection, &[Backfill { vendor: "a", keys }]).unwrap();
        let found: (i64, Option<String>) = connection
            .query_row(
                "SELECT id, slug FROM connectors WHERE vendor = 'a' AND uuid = 'u1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(found, (1, Some("s1".to_owned())));
        let counts: Vec<(String, i64)> = connection
            .prepare("SELECT vendor, count FROM counts ORDER BY vendor")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(counts, [("a".to_owned(), 2), ("b".to_owned(), 1)]);
        // Done once: a second open finds the current layout.
        migrate(&connection, &[]).unwrap();
        connection
            .execute(
                "INSERT INTO connectors (vendor, data) VALUES ('b', '{}')",
                [],
            )
            .unwrap();
        let b: i64 = connection
            .query_row("SELECT count FROM counts WHERE vendor = 'b'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(b, 2);
    }
}
