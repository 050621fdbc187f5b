//! The sandbox's `SQLite` store: one row per connector, its body as JSON text.
//!
//! One thread owns the connection; handlers send it jobs and await the answer. The thread takes
//! every job that is waiting, runs them in one transaction and commits (WAL, `synchronous=FULL`)
//! before any of them is answered, so a write is durable before its response is sent while
//! concurrent writers share one fsync (group commit). Ids come from `AUTOINCREMENT`, so a deleted
//! id is never handed out again. Knows nothing of HTTP or of any vendor's fields.

use super::DbPath;
use super::errors::StoreError;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use std::sync::mpsc;
use tokio::sync::oneshot;

/// How many waiting jobs one transaction takes at most.
const MAX_BATCH: usize = 512;

/// A record found by a field: its row id and its JSON.
type Found = Option<(i64, Map<String, Value>)>;

type Deliver = Box<dyn FnOnce(Option<&StoreError>) + Send>;
/// A job gets the connection inside an open transaction, or the error that kept the
/// transaction from starting; it returns how to answer once the commit's outcome is known.
type Job = Box<dyn FnOnce(Result<&Connection, &StoreError>) -> Deliver + Send>;

enum Message {
    Run(Job),
    Stop(oneshot::Sender<()>),
}

/// A handle on the store thread; cheap to clone, shared by every handler.
#[derive(Clone)]
pub struct Store {
    sender: mpsc::Sender<Message>,
}

impl Store {
    /// Opens (creating if needed) the database and starts its thread.
    pub fn open(db: &DbPath) -> Result<Store, StoreError> {
        let connection = connect(db)?;
        let (sender, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("sandbox-store".into())
            .spawn(move || run(&connection, &receiver))
            .map_err(StoreError::Thread)?;
        Ok(Store { sender })
    }

    /// Runs `work` on the store thread inside a transaction and answers once it is committed.
    async fn call<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |connection| {
            let result = match connection {
                Ok(connection) => work(connection),
                Err(error) => Err(StoreError::Batch(error.to_string())),
            };
            Box::new(move |commit_error: Option<&StoreError>| {
                let result = match commit_error {
                    Some(error) => Err(StoreError::Batch(error.to_string())),
                    None => result,
                };
                // The requester may have gone away (client hung up); nothing to tell then.
                let _ = reply.send(result);
            })
        });
        self.sender
            .send(Message::Run(job))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stores a new record and returns its id.
    pub async fn insert(
        &self,
        vendor: &'static str,
        data: Map<String, Value>,
    ) -> Result<i64, StoreError> {
        let text = Value::Object(data).to_string();
        self.call(move |connection| {
            connection
                .execute(
                    "INSERT INTO connectors (vendor, data) VALUES (?1, ?2)",
                    params![vendor, text],
                )
                .map_err(sql("insert"))?;
            Ok(connection.last_insert_rowid())
        })
        .await
    }

    /// One record, `None` when there is no such id for this vendor.
    pub async fn get(
        &self,
        vendor: &'static str,
        id: i64,
    ) -> Result<Option<Map<String, Value>>, StoreError> {
        self.call(move |connection| read_one(connection, vendor, id))
            .await
    }

    /// Every record of a vendor, by increasing id.
    pub async fn list(
        &self,
        vendor: &'static str,
    ) -> Result<Vec<(i64, Map<String, Value>)>, StoreError> {
        self.call(move |connection| {
            let mut statement = connection
                .prepare_cached("SELECT id, data FROM connectors WHERE vendor = ?1 ORDER BY id")
                .map_err(sql("list"))?;
            let rows = statement
                .query_map(params![vendor], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(sql("list"))?;
            let mut out = Vec::new();
            for row in rows {
                let (id, text) = row.map_err(sql("list"))?;
                out.push((id, parse(id, &text)?));
            }
            Ok(out)
        })
        .await
    }

    /// Replaces a record with what `change` makes of the stored one, atomically; `None` when
    /// there is no such id.
    pub async fn update<F>(
        &self,
        vendor: &'static str,
        id: i64,
        change: F,
    ) -> Result<Option<Map<String, Value>>, StoreError>
    where
        F: FnOnce(Map<String, Value>) -> Map<String, Value> + Send + 'static,
    {
        self.call(move |connection| {
            let Some(old) = read_one(connection, vendor, id)? else {
                return Ok(None);
            };
            let new = change(old);
            let text = Value::Object(new.clone()).to_string();
            connection
                .execute(
                    "UPDATE connectors SET data = ?1 WHERE id = ?2 AND vendor = ?3",
                    params![text, id, vendor],
                )
                .map_err(sql("update"))?;
            Ok(Some(new))
        })
        .await
    }

    /// Deletes a record; `false` when there was no such id.
    pub async fn delete(&self, vendor: &'static str, id: i64) -> Result<bool, StoreError> {
        self.call(move |connection| {
            let count = connection
                .execute(
                    "DELETE FROM connectors WHERE id = ?1 AND vendor = ?2",
                    params![id, vendor],
                )
                .map_err(sql("delete"))?;
            Ok(count > 0)
        })
        .await
    }

    /// The record of a vendor whose JSON has `field` equal to `value` (a UUID id, a slug),
    /// with its row id; `None` when there is none. Vendors with UUID ids (Agent Stack, Cargo)
    /// keep the UUID inside the JSON, so the table and existing database files stay as they are.
    pub async fn find(
        &self,
        vendor: &'static str,
        field: &'static str,
        value: String,
    ) -> Result<Found, StoreError> {
        self.call(move |connection| find_one(connection, vendor, field, &value))
            .await
    }

    /// Stores a new record unless another record of the vendor already has the same value in
    /// `unique.0` (checked in the same transaction, so two racing creates cannot both win);
    /// `Ok(None)` on such a conflict.
    pub async fn insert_unique(
        &self,
        vendor: &'static str,
        data: Map<String, Value>,
        unique: (&'static str, String),
    ) -> Result<Option<i64>, StoreError> {
        let text = Value::Object(data).to_string();
        self.call(move |connection| {
            let (field, value) = unique;
            if find_one(connection, vendor, field, &value)?.is_some() {
                return Ok(None);
            }
            connection
                .execute(
                    "INSERT INTO connectors (vendor, data) VALUES (?1, ?2)",
                    params![vendor, text],
                )
                .map_err(sql("insert"))?;
            Ok(Some(connection.last_insert_rowid()))
        })
        .await
    }

    /// Stops the thread after the jobs already queued and closes the database.
    pub async fn close(&self) {
        let (done, finished) = oneshot::channel();
        if self.sender.send(Message::Stop(done)).is_ok() {
            let _ = finished.await;
        }
    }
}

fn sql(operation: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sql { operation, source }
}

fn parse(id: i64, text: &str) -> Result<Map<String, Value>, StoreError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(StoreError::Corrupt {
            id,
            reason: "not an object".into(),
        }),
        Err(error) => Err(StoreError::Corrupt {
            id,
            reason: error.to_string(),
        }),
    }
}

fn read_one(
    connection: &Connection,
    vendor: &str,
    id: i64,
) -> Result<Option<Map<String, Value>>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT data FROM connectors WHERE id = ?1 AND vendor = ?2")
        .and_then(|mut statement| {
            statement
                .query_row(params![id, vendor], |row| row.get(0))
                .optional()
        })
        .map_err(sql("get"))?;
    text.map(|text| parse(id, &text)).transpose()
}

fn find_one(
    connection: &Connection,
    vendor: &str,
    field: &str,
    value: &str,
) -> Result<Found, StoreError> {
    let path = format!("$.{field}");
    let row: Option<(i64, String)> = connection
        .prepare_cached(
            "SELECT id, data FROM connectors
             WHERE vendor = ?1 AND json_extract(data, ?2) = ?3 ORDER BY id LIMIT 1",
        )
        .and_then(|mut statement| {
            statement
                .query_row(params![vendor, path, value], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()
        })
        .map_err(sql("find"))?;
    row.map(|(id, text)| parse(id, &text).map(|data| (id, data)))
        .transpose()
}

/// Opens the database with the pragmas the durability promise rests on.
fn connect(db: &DbPath) -> Result<Connection, StoreError> {
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
    // WAL lets another process read while we write; FULL makes each commit reach the disk.
    let _mode: String = connection
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(open_error)?;
    connection
        .execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS connectors (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 vendor TEXT NOT NULL,
                 data TEXT NOT NULL
             );",
        )
        .map_err(open_error)?;
    Ok(connection)
}

/// The store thread: takes every waiting job, runs them in one transaction, commits, answers.
fn run(connection: &Connection, receiver: &mpsc::Receiver<Message>) {
    let mut stop = None;
    while stop.is_none() {
        let Ok(first) = receiver.recv() else {
            return; // every handle is gone
        };
        let mut jobs = Vec::new();
        match first {
            Message::Run(job) => jobs.push(job),
            Message::Stop(done) => stop = Some(done),
        }
        while stop.is_none() && jobs.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(Message::Run(job)) => jobs.push(job),
                Ok(Message::Stop(done)) => stop = Some(done),
                Err(_) => break,
            }
        }
        if !jobs.is_empty() {
            run_batch(connection, jobs);
        }
    }
    if let Some(done) = stop {
        let _ = done.send(());
    }
}

fn run_batch(connection: &Connection, jobs: Vec<Job>) {
    let begun = connection
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(sql("begin"));
    if let Err(error) = begun {
        for job in jobs {
            job(Err(&error))(None);
        }
        return;
    }
    let deliveries: Vec<Deliver> = jobs.into_iter().map(|job| job(Ok(connection))).collect();
    let committed = connection.execute_batch("COMMIT").map_err(sql("commit"));
    if committed.is_err() {
        let _ = connection.execute_batch("ROLLBACK");
    }
    let error = committed.err();
    for deliver in deliveries {
        deliver(error.as_ref());
    }
}
