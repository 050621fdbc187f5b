//! The sandbox's `SQLite` store: one row per connector, its record as JSON text, with the
//! vendor's UUID id and unique value (Cargo's slug) in indexed columns, so every lookup, the
//! uniqueness check and the keyset pages use an index.
//!
//! One thread owns the writing connection; handlers send it jobs and await the answer. The
//! thread takes every job that is waiting, runs them in one transaction and commits (WAL,
//! `synchronous=FULL`) before any of them is answered, so a write is durable before its
//! response is sent while concurrent writers share one fsync (group commit). Reads of a file
//! store go to reader threads with their own connections, so a read never waits for a commit's
//! fsync. Ids come from `AUTOINCREMENT`, so a deleted id is never handed out again. Knows
//! nothing of HTTP or of any vendor's fields.

mod schema;

use super::DbPath;
use super::errors::StoreError;
use rusqlite::{Connection, OptionalExtension, params};
pub use schema::Backfill;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::oneshot;

/// How many waiting jobs one transaction takes at most.
const MAX_BATCH: usize = 512;

/// Reader threads of a file store (the machine this runs on has few cores).
const READERS: usize = 2;

/// A stored record.
pub type Record = Map<String, Value>;

/// How a connector is found: its row (Databar's integer id) or its UUID column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Row(i64),
    Uuid(String),
}

/// A record to store with the values its vendor indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRow {
    pub data: Record,
    /// The vendor's UUID id, if it has one.
    pub uuid: Option<String>,
    /// A value no other record of the vendor may have (Cargo's slug).
    pub unique: Option<String>,
}

/// What an update did.
#[derive(Debug)]
pub enum Updated<E> {
    /// The record as stored now, and its row.
    Changed(i64, Record),
    /// The change refused; nothing was written.
    Refused(E),
    Missing,
}

/// One page of a vendor's records in UUID order.
#[derive(Debug)]
pub struct Page {
    pub rows: Vec<Record>,
    /// Whether records follow the page.
    pub more: bool,
    /// How many records the vendor has.
    pub total: u64,
}

type Deliver = Box<dyn FnOnce(Option<&StoreError>) + Send>;
/// A write job gets the connection inside an open transaction, or the error that kept the
/// transaction from starting; it returns how to answer once the commit's outcome is known.
type Job = Box<dyn FnOnce(Result<&Connection, &StoreError>) -> Deliver + Send>;
type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

enum Message<J> {
    Run(J),
    Stop(oneshot::Sender<()>),
}

/// A handle on the store's threads; cheap to clone, shared by every handler.
#[derive(Clone)]
pub struct Store {
    writer: mpsc::Sender<Message<Job>>,
    /// `None` for a memory store, whose one connection the writer owns.
    readers: Option<mpsc::Sender<Message<ReadJob>>>,
}

impl Store {
    /// Opens (creating or upgrading if needed) the database and starts its threads.
    pub fn open(db: &DbPath, backfill: &[Backfill]) -> Result<Store, StoreError> {
        let connection = schema::connect(db)?;
        schema::migrate(&connection, backfill)?;
        let (writer, jobs) = mpsc::channel();
        spawn("sandbox-store", move || run(&connection, &jobs))?;
        let readers = match db {
            DbPath::Memory => None,
            DbPath::File(_) => {
                let (sender, receiver) = mpsc::channel();
                let receiver = Arc::new(Mutex::new(receiver));
                for n in 0..READERS {
                    let connection = schema::connect(db)?;
                    let receiver = Arc::clone(&receiver);
                    spawn(&format!("sandbox-read-{n}"), move || {
                        read_loop(&connection, &receiver);
                    })?;
                }
                Some(sender)
            }
        };
        Ok(Store { writer, readers })
    }

    /// Runs `work` on the writer inside a transaction and answers once it is committed.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
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
        self.writer
            .send(Message::Run(job))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `work` on a reader (the writer for a memory store), outside any write.
    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let Some(readers) = &self.readers else {
            return self.write(work).await;
        };
        let (reply, answer) = oneshot::channel();
        let job: ReadJob = Box::new(move |connection| {
            let _ = reply.send(work(connection));
        });
        readers
            .send(Message::Run(job))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stores a new record; `Ok(None)` when another record of the vendor already has its
    /// unique value (checked by the index in the same transaction, so two racing creates
    /// cannot both win).
    pub async fn insert(
        &self,
        vendor: &'static str,
        row: NewRow,
    ) -> Result<Option<i64>, StoreError> {
        let text = Value::Object(row.data).to_string();
        self.write(move |connection| {
            let added = connection
                .prepare_cached(
                    "INSERT INTO connectors (vendor, uuid, slug, data) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                )
                .and_then(|mut statement| {
                    statement.execute(params![vendor, row.uuid, row.unique, text])
                })
                .map_err(sql("insert"))?;
            Ok((added > 0).then(|| connection.last_insert_rowid()))
        })
        .await
    }

    /// One record and its row, `None` when the vendor has no such connector.
    pub async fn get(
        &self,
        vendor: &'static str,
        key: Key,
    ) -> Result<Option<(i64, Record)>, StoreError> {
        self.read(move |connection| read_one(connection, vendor, &key))
            .await
    }

    /// Every record of a vendor with its row, by increasing row.
    pub async fn list(&self, vendor: &'static str) -> Result<Vec<(i64, Record)>, StoreError> {
        self.read(move |connection| {
            let mut statement = connection
                .prepare_cached("SELECT id, data FROM connectors WHERE vendor = ?1 ORDER BY id")
                .map_err(sql("list"))?;
            let rows = statement
                .query_map(params![vendor], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(sql("list"))?;
            rows.map(|row| {
                let (id, text): (i64, String) = row.map_err(sql("list"))?;
                parse(id, &text).map(|data| (id, data))
            })
            .collect()
        })
        .await
    }

    /// Up to `limit` records of a vendor whose UUID comes after `after`, in UUID order.
    pub async fn page(
        &self,
        vendor: &'static str,
        after: Option<String>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        self.read(move |connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT id, data FROM connectors WHERE vendor = ?1 AND uuid > ?2
                     ORDER BY uuid LIMIT ?3",
                )
                .map_err(sql("page"))?;
            let rows = statement
                .query_map(params![vendor, after.unwrap_or_default(), fetch], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .map_err(sql("page"))?;
            let mut records = rows
                .map(|row| {
                    let (id, text): (i64, String) = row.map_err(sql("page"))?;
                    parse(id, &text)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let more = records.len() > limit;
            records.truncate(limit);
            let total: u64 = connection
                .prepare_cached("SELECT count FROM counts WHERE vendor = ?1")
                .and_then(|mut s| s.query_row(params![vendor], |row| row.get(0)).optional())
                .map_err(sql("count"))?
                .unwrap_or(0);
            Ok(Page {
                rows: records,
                more,
                total,
            })
        })
        .await
    }

    /// Replaces a record with what `change` makes of the stored one, atomically; `change` may
    /// refuse, and then nothing is written.
    pub async fn update<F, E>(
        &self,
        vendor: &'static str,
        key: Key,
        change: F,
    ) -> Result<Updated<E>, StoreError>
    where
        F: FnOnce(Record) -> Result<Record, E> + Send + 'static,
        E: Send + 'static,
    {
        self.write(move |connection| {
            let Some((id, old)) = read_one(connection, vendor, &key)? else {
                return Ok(Updated::Missing);
            };
            let new = match change(old) {
                Ok(new) => new,
                Err(refusal) => return Ok(Updated::Refused(refusal)),
            };
            let text = Value::Object(new.clone()).to_string();
            connection
                .prepare_cached("UPDATE connectors SET data = ?1 WHERE id = ?2")
                .and_then(|mut statement| statement.execute(params![text, id]))
                .map_err(sql("update"))?;
            Ok(Updated::Changed(id, new))
        })
        .await
    }

    /// Deletes a record; `false` when there was no such connector.
    pub async fn delete(&self, vendor: &'static str, key: Key) -> Result<bool, StoreError> {
        self.write(move |connection| {
            let (column, value) = key_sql(&key);
            let statement = format!("DELETE FROM connectors WHERE vendor = ?1 AND {column} = ?2");
            let count = connection
                .prepare_cached(&statement)
                .and_then(|mut s| s.execute(params![vendor, value]))
                .map_err(sql("delete"))?;
            Ok(count > 0)
        })
        .await
    }

    /// Stops the threads after the jobs already queued and closes the database.
    pub async fn close(&self) {
        let (done, finished) = oneshot::channel();
        if self.writer.send(Message::Stop(done)).is_ok() {
            let _ = finished.await;
        }
        if let Some(readers) = &self.readers {
            for _ in 0..READERS {
                let (done, finished) = oneshot::channel();
                if readers.send(Message::Stop(done)).is_ok() {
                    let _ = finished.await;
                }
            }
        }
    }
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> Result<(), StoreError> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(body)
        .map(drop)
        .map_err(StoreError::Thread)
}

fn sql(operation: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sql { operation, source }
}

fn parse(id: i64, text: &str) -> Result<Record, StoreError> {
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

/// The indexed column a key names, and its value.
fn key_sql(key: &Key) -> (&'static str, rusqlite::types::Value) {
    match key {
        Key::Row(id) => ("id", rusqlite::types::Value::Integer(*id)),
        Key::Uuid(uuid) => ("uuid", rusqlite::types::Value::Text(uuid.clone())),
    }
}

fn read_one(
    connection: &Connection,
    vendor: &str,
    key: &Key,
) -> Result<Option<(i64, Record)>, StoreError> {
    let (column, value) = key_sql(key);
    let statement = format!("SELECT id, data FROM connectors WHERE vendor = ?1 AND {column} = ?2");
    let row: Option<(i64, String)> = connection
        .prepare_cached(&statement)
        .and_then(|mut s| {
            s.query_row(params![vendor, value], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .map_err(sql("get"))?;
    row.map(|(id, text)| parse(id, &text).map(|data| (id, data)))
        .transpose()
}

/// The writer: takes every waiting job, runs them in one transaction, commits, answers.
fn run(connection: &Connection, receiver: &mpsc::Receiver<Message<Job>>) {
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

/// A reader: one job at a time from the shared queue, each on its own snapshot.
fn read_loop(connection: &Connection, receiver: &Mutex<mpsc::Receiver<Message<ReadJob>>>) {
    loop {
        let message = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match message {
            Ok(Message::Run(job)) => job(connection),
            Ok(Message::Stop(done)) => {
                let _ = done.send(());
                return;
            }
            Err(_) => return,
        }
    }
}
