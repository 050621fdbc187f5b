//! The sandbox's HTTP/1.1 server: every connection is bounded in time and their number is
//! capped, so idle or slow clients cannot lock others out.
//!
//! A connection may sit idle (no request in flight, no byte arriving) for `idle`; a request's
//! head must be complete within `header` of the connection being ready for it; its body must
//! arrive within `body` of its head (a 408). At `max_connections`, a newcomer takes the place
//! of the longest-idle connection (idle or still sending a head: nothing is lost by closing
//! it); when every connection has a request in flight, the newcomer gets a 503 at once.
//!
//! Owns only connections; what a request means is the router's.

use axum::Router;
use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinSet;

/// How long connections may take, and how many there may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Without a request in flight or a byte arriving, a connection is closed after this.
    pub idle: Duration,
    /// A request's head must be complete within this of the connection being ready for it.
    pub header: Duration,
    /// A request's body must be complete within this of its head.
    pub body: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    /// Uvicorn's keep-alive (5 s), generous head and body times, and a cap far above what a
    /// team's demo needs but below the usual 1024 open files.
    fn default() -> Self {
        Limits {
            idle: Duration::from_secs(5),
            header: Duration::from_secs(10),
            body: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// A body that did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub struct BodyTimeout(pub Duration);

/// Accepts until `stop`, then lets the requests in flight finish.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let (closing, closed) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        while tasks.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "sandbox: accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        match registry.admit(limits.max_connections) {
            Some(conn) => {
                let (app, registry, closed) = (app.clone(), Arc::clone(&registry), closed.clone());
                tasks.spawn(async move {
                    serve(stream, app, limits, &conn, closed).await;
                    registry.leave(conn.id);
                });
            }
            None => {
                tasks.spawn(refuse(stream));
            }
        }
    }
    let _ = closing.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// What the server knows of one connection.
struct Conn {
    id: u64,
    born: Instant,
    /// Requests in the router now.
    busy: AtomicUsize,
    /// Milliseconds since `born` of the last byte read or request answered.
    active: AtomicU64,
    evict: Notify,
    /// A request ended: the idle clock starts again.
    rested: Notify,
}

impl Conn {
    fn touch(&self) {
        let now = u64::try_from(self.born.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.active.store(now, Ordering::Relaxed);
    }

    fn idle_since(&self) -> Instant {
        self.born + Duration::from_millis(self.active.load(Ordering::Relaxed))
    }

    fn is_busy(&self) -> bool {
        self.busy.load(Ordering::Relaxed) > 0
    }
}

#[derive(Default)]
struct Registry {
    next: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Registry {
    /// A place for a new connection, evicting the longest-idle one at the cap; `None` when
    /// every connection has a request in flight.
    fn admit(&self, max: usize) -> Option<Arc<Conn>> {
        let mut conns = self.conns.lock().ok()?;
        if conns.len() >= max {
            let idlest = conns
                .values()
                .filter(|c| !c.is_busy())
                .min_by_key(|c| c.idle_since())?;
            idlest.evict.notify_one();
            let id = idlest.id;
            conns.remove(&id);
        }
        let conn = Arc::new(Conn {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            born: Instant::now(),
            busy: AtomicUsize::new(0),
            active: AtomicU64::new(0),
            evict: Notify::new(),
            rested: Notify::new(),
        });
        conns.insert(conn.id, Arc::clone(&conn));
        Some(conn)
    }

    fn leave(&self, id: u64) {
        if let Ok(mut conns) = self.conns.lock() {
            conns.remove(&id);
        }
    }
}

/// One connection, until the client or a limit ends it.
async fn serve(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    conn: &Arc<Conn>,
    mut closing: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Activity {
        inner: stream,
        conn: Arc::clone(conn),
    });
    let router = TowerToHyperService::new(app);
    let tracked = Arc::clone(conn);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let busy = Busy::enter(&tracked);
        let request = request.map(|body| Body::new(Deadline::new(body, limits.body)));
        let answer = hyper::service::Service::call(&router, request);
        async move {
            let answer = answer.await;
            drop(busy);
            answer
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let mut draining = false;
    loop {
        let idle_until = conn.idle_since() + limits.idle;
        let idle = !conn.is_busy();
        tokio::select! {
            () = conn.rested.notified() => {}
            _ = connection.as_mut() => return,
            () = conn.evict.notified() => {
                if !conn.is_busy() {
                    return;
                }
                connection.as_mut().graceful_shutdown();
                draining = true;
            }
            () = tokio::time::sleep_until(idle_until.into()), if idle => {
                if !conn.is_busy() && conn.idle_since() + limits.idle <= Instant::now() {
                    return;
                }
            }
            _ = closing.changed(), if !draining => {
                connection.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}

/// Marks a request in flight for as long as it lives.
struct Busy(Arc<Conn>);

impl Busy {
    fn enter(conn: &Arc<Conn>) -> Busy {
        conn.busy.fetch_add(1, Ordering::Relaxed);
        Busy(Arc::clone(conn))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.rested.notify_one();
    }
}

/// The newcomer beyond the cap: a 503 it can read, then the door.
async fn refuse(mut stream: TcpStream) {
    let body = serde_json::json!({ "detail": "Too many connections; try again" }).to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nretry-after: 1\r\n\r\n{body}",
        body.len()
    );
    let write = async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

/// The socket, noting when bytes arrive: a client sending is not idle.
struct Activity {
    inner: TcpStream,
    conn: Arc<Conn>,
}

impl AsyncRead for Activity {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.conn.touch();
        }
        polled
    }
}

impl AsyncWrite for Activity {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request body that fails with [`BodyTimeout`] once its time is up.
struct Deadline {
    inner: Incoming,
    limit: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(inner: Incoming, limit: Duration) -> Deadline {
        Deadline {
            inner,
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            let limit = self.limit;
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(limit)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
