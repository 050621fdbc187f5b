//! Load generator for the sandbox: starts it in-process on a loopback port with a file store
//! (durable writes, as `patchcord serve` runs), then N concurrent workers send a fixed number of
//! creates, then the same number of gets, over one shared keep-alive HTTP client. Prints
//! requests per second for each phase. Bounded in time: stops early at the deadline.
//!
//! `cargo bench --bench sandbox_load` (env: `SANDBOX_LOAD_WORKERS`, default 16;
//! `SANDBOX_LOAD_REQUESTS`, default 20000; `SANDBOX_LOAD_SECONDS`, default 60;
//! `SANDBOX_LOAD_DB=memory` for a throwaway store).

use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const KEY: &str = "bench-key";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one phase achieved.
struct Phase {
    done: usize,
    failed: usize,
    elapsed: Duration,
}

impl Phase {
    fn per_second(&self) -> f64 {
        #[expect(
            clippy::cast_precision_loss,
            reason = "request counts are far below 2^52"
        )]
        let done = self.done as f64;
        done / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Runs `total` requests over `workers` tasks; `make` builds request number `n`.
async fn phase<F>(workers: usize, total: usize, deadline: Instant, make: F) -> Phase
where
    F: Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let make = Arc::new(make);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (next, failed, make) = (next.clone(), failed.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0usize;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total || Instant::now() >= deadline {
                    break done;
                }
                match make(n).send().await {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        done += 1;
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let mut done = 0;
    for task in tasks {
        done += task.await.unwrap_or_default();
    }
    Phase {
        done,
        failed: failed.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    }
}

fn report(name: &str, phase: &Phase) {
    println!(
        "{name:>7}: {:>6} ok, {:>3} failed in {:>6.2}s = {:>8.0} req/s",
        phase.done,
        phase.failed,
        phase.elapsed.as_secs_f64(),
        phase.per_second()
    );
}

#[expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot start should stop loudly"
)]
fn main() {
    let workers = env_number("SANDBOX_LOAD_WORKERS", 16).max(1);
    let total = env_number("SANDBOX_LOAD_REQUESTS", 20_000);
    let seconds = env_number("SANDBOX_LOAD_SECONDS", 60);
    let memory = std::env::var("SANDBOX_LOAD_DB").is_ok_and(|v| v == "memory");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let db = if memory {
            DbPath::Memory
        } else {
            DbPath::File(dir.path().join("bench.sqlite3"))
        };
        let store = if memory { ":memory:" } else { "file (WAL, synchronous=FULL)" };
        let sandbox = Sandbox::start(ServeOptions {
            addr: "127.0.0.1:0".parse().unwrap(),
            db,
            keys: vec![KEY.to_owned()],
            plan: Plan::default(),
        })
        .await
        .unwrap();
        let base = sandbox.base_url();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(workers)
            .build()
            .unwrap();
        println!(
            "sandbox load: {workers} workers, {total} requests per phase, store {store}, deadline {seconds}s"
        );
        let deadline = Instant::now() + Duration::from_secs(u64::try_from(seconds).unwrap_or(60));
        let body: Value = json!({
            "name": "Bench", "method": "post", "url": "https://api.example.com/v1/score",
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "parameters": [{"name": "company_domain", "value": ""}],
            "body_template": "{\"domain\": {{ domain|tojson }}}",
            "rate_limit": 60, "max_concurrency": 5
        });
        let body = body.to_string();
        let (create_client, create_url) = (client.clone(), format!("{base}/v1/connectors/"));
        let creates = phase(workers, total, deadline, move |_| {
            create_client
                .post(&create_url)
                .header("x-apikey", KEY)
                .header("content-type", "application/json")
                .body(body.clone())
        })
        .await;
        report("creates", &creates);
        let stored = creates.done.max(1);
        let gets = phase(workers, total, deadline, move |n| {
            client
                .get(format!("{base}/v1/connectors/{}", n % stored + 1))
                .header("x-apikey", KEY)
        })
        .await;
        report("gets", &gets);
        sandbox.shutdown().await;
    });
}
