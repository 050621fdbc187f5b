//! Idle, slow and many connections against the sandbox on 127.0.0.1: a thousand of them do
//! not lock a normal client out, each is closed by its limit (idle, head, body), and when
//! every connection has a request in flight a newcomer is told so at once (503).
#![expect(
    clippy::unwrap_used,
    reason = "the helpers outside #[test] functions fail loudly, like the tests they serve"
)]

use patchcord::sandbox::{DbPath, Limits, Plan, Sandbox, ServeOptions};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

const KEY: &str = "slow-key";

async fn start(limits: Limits) -> Sandbox {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Sandbox::start_with(
        ServeOptions {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: DbPath::Memory,
            keys: vec![KEY.to_owned()],
            plan: Plan::default(),
        },
        limits,
    )
    .await
    .unwrap()
}

/// Reads until the server closes the connection (or resets it); the bytes it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return got,
            Ok(n) => got.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
    }
}

/// A normal client's list, on a fresh connection, within `within`.
async fn served(addr: SocketAddr, within: Duration) -> bool {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(within)
        .build()
        .unwrap();
    let answer = client
        .get(format!("http://{addr}/v1/connectors/"))
        .header("x-apikey", KEY)
        .send()
        .await;
    answer.is_ok_and(|a| a.status().is_success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_or_slow_connections_do_not_lock_others_out() {
    let limits = Limits {
        idle: Duration::from_secs(2),
        header: Duration::from_secs(3),
        body: Duration::from_secs(3),
        max_connections: 64,
    };
    let sandbox = start(limits).await;
    let addr = sandbox.addr;
    let started = Instant::now();
    let mut held = JoinSet::new();
    for n in 0..1000 {
        let stream = TcpStream::connect(addr).await.unwrap();
        held.spawn(async move {
            let mut stream = stream;
            if n % 5 == 0 {
                // Slowloris: a head one byte at a time, never finished.
                for byte in b"GET /v1/connectors/ HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    .iter()
                    .cycle()
                {
                    if stream.write_all(&[*byte]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Vec::new()
            } else {
                until_closed(&mut stream).await
            }
        });
    }
    // While they all hang on, a normal client is answered, again and again.
    for _ in 0..20 {
        assert!(
            served(addr, Duration::from_secs(2)).await,
            "locked out after {:?}",
            started.elapsed()
        );
    }
    // Every one of them is closed by a limit (or made room for a newcomer), none answered.
    let deadline = Duration::from_secs(30);
    let all = tokio::time::timeout(deadline, async {
        let mut sent = Vec::new();
        while let Some(got) = held.join_next().await {
            sent.push(got.unwrap());
        }
        sent
    })
    .await
    .unwrap_or_else(|_| unreachable!("connections still open after {deadline:?}"));
    assert_eq!(all.len(), 1000);
    assert!(
        all.iter().all(Vec::is_empty),
        "an idle connection got bytes"
    );
    assert!(served(addr, Duration::from_secs(2)).await);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_in_time_is_a_408_and_the_connection_closes() {
    let limits = Limits {
        body: Duration::from_millis(500),
        ..Limits::default()
    };
    let sandbox = start(limits).await;
    let mut stream = TcpStream::connect(sandbox.addr).await.unwrap();
    let head = format!(
        "POST /v1/connectors/ HTTP/1.1\r\nHost: x\r\nx-apikey: {KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"na"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), until_closed(&mut stream))
        .await
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within"), "{answer}");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_connection_is_busy_a_newcomer_gets_a_503_at_once() {
    let limits = Limits {
        body: Duration::from_secs(1),
        max_connections: 4,
        ..Limits::default()
    };
    let sandbox = start(limits).await;
    let addr = sandbox.addr;
    // `Expect: 100-continue`: the server says "100 Continue" once the handler reads the body,
    // so each of these is known to be in the router before the newcomer arrives.
    let head = format!(
        "POST /v1/connectors/ HTTP/1.1\r\nHost: x\r\nx-apikey: {KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\nexpect: 100-continue\r\n\r\n"
    );
    let mut busy = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut buf = [0u8; 25];
        tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(
            buf.starts_with(b"HTTP/1.1 100 Continue"),
            "{}",
            String::from_utf8_lossy(&buf)
        );
        stream.write_all(b"{").await.unwrap();
        busy.push(stream);
    }
    let mut newcomer = None;
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /v1/connectors/ HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let got = tokio::time::timeout(Duration::from_secs(2), until_closed(&mut stream))
            .await
            .unwrap_or_default();
        if got.starts_with(b"HTTP/1.1 503") {
            newcomer = Some(String::from_utf8_lossy(&got).into_owned());
            break;
        }
    }
    let newcomer =
        newcomer.unwrap_or_else(|| unreachable!("no 503 while every connection was busy"));
    assert!(newcomer.contains("Too many connections"), "{newcomer}");
    assert!(
        newcomer.to_ascii_lowercase().contains("retry-after: 1"),
        "{newcomer}"
    );
    // Their bodies never come: each is a 408, and then there is room again.
    for mut stream in busy {
        let got = tokio::time::timeout(Duration::from_secs(10), until_closed(&mut stream))
            .await
            .unwrap();
        assert!(
            got.starts_with(b"HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&got)
        );
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served(addr, Duration::from_secs(2)).await {
        assert!(
            Instant::now() < deadline,
            "no room after the slow bodies timed out"
        );
    }
    sandbox.shutdown().await;
}
