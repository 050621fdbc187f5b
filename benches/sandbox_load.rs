//! Load on the sandbox at size: for each vendor, creates per second on an empty store and on
//! one holding `SANDBOX_LOAD_STORED` connectors of every vendor (default 100,000), measured in
//! alternating rounds so a busy machine slows both alike; GET-by-id latency at that size; an
//! Agent Stack list page there; and Databar's creates alone and while four clients create
//! Cargo connectors. The sandboxes run in-process on loopback ports with file stores (WAL,
//! `synchronous=FULL`), as `patchcord serve` runs. Prints the figures and whether the goals
//! hold: creates at size at least 80 % of creates on an empty store, GET p50 under 1 ms.
//!
//! `cargo bench --bench sandbox_load` (env: `SANDBOX_LOAD_STORED`, default 100000;
//! `SANDBOX_LOAD_WORKERS`, default 16; `SANDBOX_LOAD_REQUESTS` creates per vendor and store,
//! default 3000).

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

/// One vendor's create and get requests.
#[derive(Clone, Copy)]
enum Vendor {
    Databar,
    AgentStack,
    Cargo,
}

impl Vendor {
    const ALL: [Vendor; 3] = [Vendor::Databar, Vendor::AgentStack, Vendor::Cargo];

    fn name(self) -> &'static str {
        match self {
            Vendor::Databar => "databar",
            Vendor::AgentStack => "agent_stack",
            Vendor::Cargo => "cargo",
        }
    }

    fn collection(self) -> &'static str {
        match self {
            Vendor::Databar => "/v1/connectors/",
            Vendor::AgentStack => "/api/v1/connectors",
            Vendor::Cargo => "/v1/connection/connectors",
        }
    }

    fn item(self, id: &str) -> String {
        format!("{}/{id}", self.collection().trim_end_matches('/'))
    }

    /// A create body; `n` keeps Cargo's slugs unique.
    fn body(self, n: usize) -> Value {
        match self {
            Vendor::Databar => json!({
                "name": "Bench", "method": "post", "url": "https://api.example.com/v1/score",
                "headers": [{"name": "Content-Type", "value": "application/json"}],
                "parameters": [{"name": "company_domain", "value": ""}],
                "body_template": "{\"domain\": {{ domain|tojson }}}",
                "rate_limit": 60, "max_concurrency": 5
            }),
            Vendor::AgentStack => {
                json!({"url": "https://mcp.example.com/mcp", "metadata": {"team": "bench"}})
            }
            Vendor::Cargo => json!({
                "name": "Bench", "slug": format!("bench-{n}"), "integrationSlug": "http",
                "config": {"baseUrl": "https://api.example.com"}, "rateLimit": {"unit": "minute", "max": 60}
            }),
        }
    }

    fn authorize(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Vendor::Databar => request.header("x-apikey", KEY),
            Vendor::AgentStack => request.basic_auth("bench", Some(KEY)),
            Vendor::Cargo => request.bearer_auth(KEY),
        }
    }

    /// The id in a create's answer.
    fn id_of(self, created: &Value) -> String {
        let id = match self {
            Vendor::Databar | Vendor::AgentStack => &created["id"],
            Vendor::Cargo => &created["connector"]["uuid"],
        };
        match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// A running sandbox and a client for it.
struct Bench {
    base: String,
    client: reqwest::Client,
    /// Numbers for unique slugs, across phases.
    next: Arc<AtomicUsize>,
}

/// What a phase of concurrent requests achieved.
struct Rate {
    done: usize,
    failed: usize,
    per_second: f64,
}

#[expect(
    clippy::cast_precision_loss,
    reason = "request counts are far below 2^52"
)]
fn per_second(done: usize, elapsed: Duration) -> f64 {
    done as f64 / elapsed.as_secs_f64().max(f64::EPSILON)
}

impl Bench {
    /// `total` creates over `workers` tasks; the ids of every `keep`-th.
    async fn creates(
        &self,
        vendor: Vendor,
        workers: usize,
        total: usize,
        keep: usize,
    ) -> (Rate, Vec<String>) {
        let left = Arc::new(AtomicUsize::new(total));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..workers {
            let (client, base, next, left) = (
                self.client.clone(),
                self.base.clone(),
                Arc::clone(&self.next),
                Arc::clone(&left),
            );
            tasks.push(tokio::spawn(async move {
                let (mut done, mut failed, mut ids) = (0usize, 0usize, Vec::new());
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let request = vendor
                        .authorize(client.post(format!("{base}{}", vendor.collection())))
                        .json(&vendor.body(n));
                    match request.send().await {
                        Ok(answer) if answer.status().is_success() => {
                            let created: Value = answer.json().await.unwrap_or(Value::Null);
                            if n % keep == 0 {
                                ids.push(vendor.id_of(&created));
                            }
                            done += 1;
                        }
                        _ => failed += 1,
                    }
                }
                (done, failed, ids)
            }));
        }
        let (mut done, mut failed, mut ids) = (0, 0, Vec::new());
        for task in tasks {
            if let Ok((d, f, i)) = task.await {
                done += d;
                failed += f;
                ids.extend(i);
            }
        }
        let per_second = per_second(done, started.elapsed());
        (
            Rate {
                done,
                failed,
                per_second,
            },
            ids,
        )
    }

    /// Sequential GETs by id: each request's latency, sorted.
    async fn gets(&self, vendor: Vendor, ids: &[String], total: usize) -> Vec<Duration> {
        let mut latencies = Vec::with_capacity(total);
        for n in 0..total {
            let Some(id) = ids.get(n * 7919 % ids.len().max(1)) else {
                break;
            };
            let request =
                vendor.authorize(self.client.get(format!("{}{}", self.base, vendor.item(id))));
            let started = Instant::now();
            if let Ok(answer) = request.send().await {
                let _ = answer.bytes().await;
            }
            latencies.push(started.elapsed());
        }
        latencies.sort();
        latencies
    }

    /// Agent Stack list pages: the first and one far in, by token.
    async fn pages(&self, after: &str) -> (Duration, Duration) {
        let list = |query: String| {
            let request = Vendor::AgentStack.authorize(
                self.client
                    .get(format!("{}/api/v1/connectors{query}", self.base)),
            );
            async move {
                let started = Instant::now();
                if let Ok(answer) = request.send().await {
                    let _ = answer.bytes().await;
                }
                started.elapsed()
            }
        };
        (
            list(String::new()).await,
            list(format!("?page_token={after}")).await,
        )
    }
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let at = ((sorted.len().saturating_sub(1)) as f64 * q).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn sandbox(dir: &std::path::Path, name: &str) -> Sandbox {
    let started = Sandbox::start(ServeOptions {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        db: DbPath::File(dir.join(name)),
        keys: vec![KEY.to_owned()],
        plan: Plan::default(),
    })
    .await;
    started.unwrap_or_else(|error| unreachable!("the sandbox does not start: {error}"))
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or_default()
}

/// Creates per second on `a` and on `b`, in alternating rounds so a busy machine slows both
/// alike; the medians, and how many failed.
async fn alternating(
    a: &Bench,
    b: &Bench,
    vendor: Vendor,
    workers: usize,
    requests: usize,
) -> (f64, f64, usize) {
    const ROUNDS: usize = 5;
    let (mut on_a, mut on_b, mut failed) = (Vec::new(), Vec::new(), 0);
    for _ in 0..ROUNDS {
        for (bench, rates) in [(a, &mut on_a), (b, &mut on_b)] {
            let (rate, _) = bench
                .creates(vendor, workers, requests / ROUNDS, usize::MAX)
                .await;
            failed += rate.failed;
            rates.push(rate.per_second);
        }
    }
    (median(on_a), median(on_b), failed)
}

#[expect(
    clippy::unwrap_used,
    reason = "a benchmark that cannot start should stop loudly"
)]
fn main() {
    let stored = env_number("SANDBOX_LOAD_STORED", 100_000);
    let workers = env_number("SANDBOX_LOAD_WORKERS", 16).max(1);
    let requests = env_number("SANDBOX_LOAD_REQUESTS", 3000).max(1);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        let next = Arc::new(AtomicUsize::new(0));
        let small = sandbox(dir.path(), "empty.sqlite3").await;
        let large = sandbox(dir.path(), "full.sqlite3").await;
        let bench = |s: &Sandbox| Bench {
            base: s.base_url(),
            client: client.clone(),
            next: Arc::clone(&next),
        };
        let (empty, full) = (bench(&small), bench(&large));
        println!(
            "sandbox load: {workers} workers, {requests} creates per vendor and store, {stored} stored per vendor, file stores (WAL, synchronous=FULL)"
        );
        let mut ids = Vec::new();
        for vendor in Vendor::ALL {
            let filled = Instant::now();
            let (filling, kept) = full.creates(vendor, 64, stored, 50).await;
            println!(
                "{:>11}: filled {} in {:.1}s ({:.0}/s, {} failed)",
                vendor.name(),
                filling.done,
                filled.elapsed().as_secs_f64(),
                filling.per_second,
                filling.failed
            );
            ids.push(kept);
        }
        let mut held = true;
        for (vendor, ids) in Vendor::ALL.into_iter().zip(&ids) {
            let (on_empty, at_size, failed) =
                alternating(&empty, &full, vendor, workers, requests).await;
            let latencies = full.gets(vendor, ids, requests).await;
            let (p50, p99) = (quantile(&latencies, 0.5), quantile(&latencies, 0.99));
            let ratio = at_size / on_empty.max(f64::EPSILON);
            held &= ratio >= 0.8 && p50 < Duration::from_millis(1) && failed == 0;
            println!(
                "{:>11}: creates {on_empty:>6.0}/s empty, {at_size:>6.0}/s at {stored} stored ({:.0} %); GET by id at {stored}: p50 {}, p99 {}; {failed} failed",
                vendor.name(),
                ratio * 100.0,
                ms(p50),
                ms(p99)
            );
            if let Vendor::AgentStack = vendor {
                let middle = ids.get(ids.len() / 2).cloned().unwrap_or_default();
                let (first, deep) = full.pages(&middle).await;
                println!(
                    "{:>11}  list page of 40 at {stored}: the first {}, one halfway (by token) {}",
                    "",
                    ms(first),
                    ms(deep)
                );
            }
        }
        // Databar's creates alone, and while four more clients create Cargo connectors.
        let (mut alone, mut beside, mut cargo) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..3 {
            let (rate, _) = full
                .creates(Vendor::Databar, 4, requests / 3, usize::MAX)
                .await;
            alone.push(rate.per_second);
            let noisy = bench(&large);
            let background = tokio::spawn(async move {
                noisy
                    .creates(Vendor::Cargo, 4, requests, usize::MAX)
                    .await
                    .0
                    .per_second
            });
            let (rate, _) = full
                .creates(Vendor::Databar, 4, requests / 3, usize::MAX)
                .await;
            beside.push(rate.per_second);
            cargo.push(background.await.unwrap_or_default());
        }
        println!(
            "  alongside: databar creates {:.0}/s (4 clients) alone, {:.0}/s while 4 more clients create cargo connectors ({:.0}/s)",
            median(alone),
            median(beside),
            median(cargo)
        );
        println!(
            "goals (creates at size >= 80 % of empty, GET p50 < 1 ms): {}",
            if held { "held" } else { "NOT held" }
        );
        small.shutdown().await;
        large.shutdown().await;
    });
}
