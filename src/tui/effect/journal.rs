//! The journal's one worker: writes, discards, sets aside and locks, in the order they were
//! asked, so a discard can never be overtaken by an older write (which would bring a discarded
//! record back). While one batch is on disk the next one gathers; writes to a record that a
//! later write or discard in the same batch replaces are skipped, so a burst of keystrokes
//! costs one or two writes, never a queue. The session locks live here, in the worker's
//! hands, for as long as the session has its file open.

use crate::files::FileError;
use crate::files::journal::{self, Snapshot};
use crate::files::lock::SessionLock;
use crate::tui::msg::Msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// How long quitting waits for the last records to reach the disk. A local write takes
/// milliseconds; a hung network disk must not keep the editor from exiting.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// One thing for the worker to do.
#[derive(Debug)]
pub(super) enum Op {
    Write {
        file: PathBuf,
        snapshot: Box<Snapshot>,
    },
    Discard(PathBuf),
    SetAside(PathBuf),
    Claim {
        file: PathBuf,
        path: Option<PathBuf>,
    },
    Release(PathBuf),
}

impl Op {
    /// The record this op writes or removes, when it does either.
    fn replaces(&self) -> Option<&PathBuf> {
        match self {
            Op::Write { file, .. } | Op::Discard(file) => Some(file),
            _ => None,
        }
    }
}

pub(super) struct Worker {
    tx: mpsc::UnboundedSender<Op>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Starts the worker; its reports (a failing journal, other sessions on the file) go to
    /// `answers`.
    pub(super) fn start(answers: mpsc::UnboundedSender<Msg>) -> Worker {
        let (tx, mut rx) = mpsc::unbounded_channel::<Op>();
        let task = tokio::spawn(async move {
            let mut state = Some(Disk::default());
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while let Ok(op) = rx.try_recv() {
                    batch.push(op);
                }
                let Some(mut disk) = state.take() else { break };
                let done = tokio::task::spawn_blocking(move || {
                    let msgs = disk.run(coalesce(batch));
                    (disk, msgs)
                })
                .await;
                let Ok((disk, msgs)) = done else { break };
                state = Some(disk);
                for msg in msgs {
                    let _ = answers.send(msg);
                }
            }
        });
        Worker { tx, task }
    }

    pub(super) fn send(&self, op: Op) {
        let _ = self.tx.send(op);
    }

    /// Runs the last ops, then waits (a bounded time) for everything asked to be on disk.
    pub(super) async fn finish(self, last: Vec<Op>) {
        for op in last {
            self.send(op);
        }
        drop(self.tx);
        let _ = tokio::time::timeout(FLUSH_TIMEOUT, self.task).await;
    }
}

/// Drops each write whose record a later op of the batch writes again or removes.
fn coalesce(batch: Vec<Op>) -> Vec<Op> {
    let mut kept: Vec<Op> = Vec::with_capacity(batch.len());
    for op in batch.into_iter().rev() {
        let superseded = matches!(&op, Op::Write { file, .. }
            if kept.iter().any(|later| later.replaces() == Some(file)));
        if !superseded {
            kept.push(op);
        }
    }
    kept.reverse();
    kept
}

/// What the worker holds between batches.
#[derive(Default)]
struct Disk {
    locks: HashMap<PathBuf, SessionLock>,
    /// Why the last write failed, while it keeps failing.
    failing: Option<String>,
}

impl Disk {
    fn run(&mut self, ops: Vec<Op>) -> Vec<Msg> {
        let mut msgs = Vec::new();
        for op in ops {
            match op {
                Op::Write { file, snapshot } => {
                    let result = journal::record(&file, &snapshot).map_err(|e| match e {
                        FileError::Write { ref source, .. } => (e.to_string(), source.to_string()),
                        other => (other.to_string(), other.to_string()),
                    });
                    self.report(result, &mut msgs);
                }
                Op::Discard(file) => {
                    if let Err(e) = journal::discard(&file) {
                        tracing::warn!(file = %file.display(), %e, "journal record not removed");
                    }
                }
                Op::SetAside(file) => {
                    let result = journal::set_aside(&file).map_err(|e| {
                        let why = format!("{}: cannot set the edits aside: {e}", file.display());
                        (why, e.to_string())
                    });
                    self.report(result, &mut msgs);
                }
                Op::Claim { file, path } => msgs.extend(self.claim(file, path.as_deref())),
                Op::Release(file) => {
                    if let Some(lock) = self.locks.remove(&file) {
                        lock.release();
                    }
                }
            }
        }
        msgs
    }

    /// Takes the session's lock and says who else has the file open.
    fn claim(&mut self, file: PathBuf, path: Option<&Path>) -> Vec<Msg> {
        let mut msgs = Vec::new();
        match journal::claim(&file, path) {
            Ok(lock) => {
                self.locks.insert(file.clone(), lock);
            }
            Err(e) => {
                let why = format!("{}: cannot lock: {e}", journal::lock_for(&file).display());
                self.report(Err((why, e.to_string())), &mut msgs);
            }
        }
        let others = match (path, file.parent()) {
            (Some(path), Some(dir)) => journal::others(dir, path, &file),
            _ => Vec::new(),
        };
        msgs.push(Msg::Claimed {
            journal_file: file,
            others: others.into_iter().map(|h| h.pid).collect(),
        });
        msgs
    }

    /// Tells the editor when the journal starts or stops failing (not on every write): the
    /// short reason for the status bar; the whole message, with the file, goes to the log.
    fn report(&mut self, result: Result<(), (String, String)>, msgs: &mut Vec<Msg>) {
        match result {
            Ok(()) if self.failing.take().is_some() => msgs.push(Msg::Journaled(Ok(()))),
            Ok(()) => {}
            Err((error, reason)) => {
                if self.failing.as_ref() != Some(&reason) {
                    // To the log file, like every log line: never onto the editor's screen.
                    tracing::warn!(%error, "journal not written");
                    msgs.push(Msg::Journaled(Err(reason.clone())));
                }
                self.failing = Some(reason);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(file: &str) -> Op {
        Op::Write {
            file: PathBuf::from(file),
            snapshot: Box::new(Snapshot {
                path: None,
                base: None,
                connector: crate::connector::Connector::new(crate::connector::Vendor::Databar),
                samples: crate::template::Samples::new(),
                draft: None,
            }),
        }
    }

    fn names(ops: &[Op]) -> Vec<String> {
        ops.iter()
            .map(|op| match op {
                Op::Write { file, .. } => format!("write {}", file.display()),
                Op::Discard(file) => format!("discard {}", file.display()),
                Op::SetAside(file) => format!("aside {}", file.display()),
                Op::Claim { file, .. } => format!("claim {}", file.display()),
                Op::Release(file) => format!("release {}", file.display()),
            })
            .collect()
    }

    #[test]
    fn a_discard_is_never_overtaken_and_a_set_aside_keeps_the_write_before_it() {
        let batch = vec![
            write("a"),
            write("b"),
            write("a"),
            Op::Discard(PathBuf::from("a")),
            Op::SetAside(PathBuf::from("b")),
            write("a"),
        ];
        assert_eq!(
            names(&coalesce(batch)),
            ["write b", "discard a", "aside b", "write a"]
        );
    }
}
