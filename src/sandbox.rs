//! The sandbox: a local server that speaks the vendors' connector APIs as the seed documents
//! describe, so patchcord works with no account and no internet, demos run offline, and every
//! HTTP test has a real server to talk to.
//!
//! This file owns the public entry points (`Sandbox::start`, `serve`) and the shared state;
//! `api.rs` the handlers every vendor shares over its small `Api` trait, which `databar.rs`,
//! `agent_stack.rs` and `cargo.rs` implement (with their own list and actions); `fastapi.rs`
//! how the two `FastAPI` vendors judge and answer a request; `demo.rs` the demo endpoints;
//! `request.rs` body and key reading; `store.rs` the `SQLite` store; `errors.rs` the error
//! types. Field rules are never repeated here: they are `crate::connector::schema`'s.

mod agent_stack;
mod api;
mod cargo;
mod clock;
mod databar;
mod demo;
mod errors;
mod fastapi;
#[cfg(test)]
mod plain;
mod request;
mod server;
mod store;

pub use agent_stack::{DEMO_MCP, DEMO_MCP_OAUTH};
pub use errors::{HttpError, SandboxError, StoreError};
pub use request::MAX_BODY;
pub use server::Limits;

use crate::connector::Vendor;
use axum::Router;
use axum::http::{HeaderMap, Uri};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Where the sandbox keeps its connectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbPath {
    /// A throwaway database, gone when the server stops (`--db :memory:`).
    Memory,
    File(PathBuf),
}

impl DbPath {
    /// `:memory:` means a throwaway database, anything else a file.
    pub fn parse(text: &str) -> DbPath {
        if text == ":memory:" {
            DbPath::Memory
        } else {
            DbPath::File(PathBuf::from(text))
        }
    }
}

/// The account plan the sandbox pretends to have: stored `rate_limit` and `max_concurrency`
/// are clamped to it, as Databar's "capped by plan" does (seed 000: 60 comes back as 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub rate_limit: i64,
    pub max_concurrency: i64,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            rate_limit: 10,
            max_concurrency: 5,
        }
    }
}

/// How to run the sandbox; `patchcord serve` flags map onto it one to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub db: DbPath,
    /// Accepted API keys; empty means "generate one".
    pub keys: Vec<String>,
    pub plan: Plan,
}

/// `patchcord serve`'s port, which the embedded sandbox also prefers: the demo connectors in
/// `assets/` point at `http://127.0.0.1:8765/demo/...`.
pub const DEFAULT_PORT: u16 = 8765;

impl ServeOptions {
    /// A throwaway sandbox on an ephemeral loopback port: what the editor and the CLI start
    /// when no target is configured, and what tests use.
    pub fn ephemeral() -> ServeOptions {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: DbPath::Memory,
            keys: Vec::new(),
            plan: Plan::default(),
        }
    }
}

/// `<data dir>/patchcord/sandbox.sqlite3`, the default `--db`; `None` when the platform has no
/// data directory.
pub fn default_db_path() -> Option<PathBuf> {
    crate::paths::default_db()
}

/// A fresh random API key for a sandbox started without one.
pub fn generate_key() -> String {
    format!("pcsb_{}", uuid::Uuid::new_v4().simple())
}

/// What every handler shares.
pub(crate) struct Shared {
    store: Store,
    keys: Vec<String>,
    plan: Plan,
}

/// A running sandbox server.
pub struct Sandbox {
    /// The address actually bound (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The accepted keys (a generated one when none was given).
    pub keys: Vec<String>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<Result<(), std::io::Error>>,
    store: Store,
}

impl std::fmt::Debug for Sandbox {
    /// Leaves the keys out: they are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("keys", &format_args!("[{} hidden]", self.keys.len()))
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Binds (`127.0.0.1:0` for an ephemeral port), opens the store, spawns the server on the
    /// current tokio runtime, with the default connection limits.
    pub async fn start(options: ServeOptions) -> Result<Sandbox, SandboxError> {
        Sandbox::start_with(options, Limits::default()).await
    }

    /// [`Sandbox::start`] with other connection limits.
    pub async fn start_with(
        options: ServeOptions,
        limits: Limits,
    ) -> Result<Sandbox, SandboxError> {
        let ServeOptions {
            addr,
            db,
            mut keys,
            plan,
        } = options;
        if keys.is_empty() {
            keys.push(generate_key());
        }
        let backfill = [agent_stack::BACKFILL, cargo::BACKFILL];
        let store = tokio::task::spawn_blocking(move || Store::open(&db, &backfill))
            .await
            .map_err(|error| StoreError::Thread(std::io::Error::other(error.to_string())))??;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(SandboxError::LocalAddr)?;
        let shared = Arc::new(Shared {
            store: store.clone(),
            keys: keys.clone(),
            plan,
        });
        let app = router(shared);
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(server::run(listener, app, limits, stopped));
        tracing::info!(addr = %bound, "sandbox listening");
        Ok(Sandbox {
            addr: bound,
            keys,
            stop,
            server,
            store,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, then closes the store. Every answered
    /// write is already on disk; this only releases the file.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        match self.server.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "sandbox server stopped with an error"),
            Err(error) => tracing::warn!(%error, "sandbox server task failed"),
        }
        self.store.close().await;
    }

    /// Waits until the server stops on its own (it only does on an accept error).
    async fn finished(&mut self) -> Result<(), SandboxError> {
        match (&mut self.server).await {
            Ok(result) => result.map_err(SandboxError::Serve),
            Err(error) => Err(SandboxError::Serve(std::io::Error::other(
                error.to_string(),
            ))),
        }
    }
}

/// Every route the sandbox serves.
fn router(shared: Arc<Shared>) -> Router {
    // The FastAPI vendors' route patterns, for Starlette's trailing-slash redirect.
    let patterns: Arc<Vec<String>> = Arc::new(
        Vendor::known()
            .filter(|v| v.spec().is_fastapi())
            .flat_map(|v| {
                let spec = v.spec();
                [
                    spec.collection_path.to_owned(),
                    spec.item_path.to_owned(),
                    format!("{}/connect", spec.item_path),
                    format!("{}/disconnect", spec.item_path),
                ]
            })
            .collect(),
    );
    let router = Router::new()
        .merge(databar::routes())
        .merge(agent_stack::routes())
        .merge(cargo::routes())
        .merge(demo::routes());
    #[cfg(test)]
    let router = router.merge(plain::routes());
    router
        .fallback(move |uri: Uri, headers: HeaderMap| async move {
            fastapi::not_found_or_redirect(&patterns, &uri, &headers)
        })
        .method_not_allowed_fallback(|| async { HttpError::method_not_allowed() })
        .with_state(shared)
}

/// What `serve` tells its user once it listens (the face decides how to print it).
#[derive(Debug)]
pub struct Ready<'a> {
    pub addr: SocketAddr,
    pub base_url: String,
    /// The store, as shown: a file path or `:memory:`.
    pub db: &'a DbPath,
    /// The key generated for this run (shown once), when none was given.
    pub generated_keys: &'a [String],
}

/// `patchcord serve`: starts, hands `ready` the address (and a generated key, once, when none
/// was given), then runs until Ctrl-C or SIGTERM.
pub async fn serve(options: ServeOptions, ready: impl FnOnce(&Ready)) -> Result<(), SandboxError> {
    let generated = options.keys.is_empty();
    let db = options.db.clone();
    let mut sandbox = Sandbox::start(options).await?;
    ready(&Ready {
        addr: sandbox.addr,
        base_url: sandbox.base_url(),
        db: &db,
        generated_keys: if generated { &sandbox.keys } else { &[] },
    });
    let stopped_by_signal = tokio::select! {
        signal = shutdown_signal() => Ok(signal),
        result = sandbox.finished() => Err(result),
    };
    match stopped_by_signal {
        Ok(signal) => {
            sandbox.shutdown().await;
            signal
        }
        Err(result) => result,
    }
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() -> Result<(), SandboxError> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(SandboxError::Signal)?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(SandboxError::Signal),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(SandboxError::Signal)
    }
}
