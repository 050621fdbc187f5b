//! `try --rows` against the sandbox: 1,000 rows of the bundled company-enrich example through
//! the scheduler (`api::schedule::run`, what the CLI and the editor use) with
//! `max_concurrency` 5 and a rate limit high enough not to bind, the sandbox in-process on a
//! loopback port (its demo endpoint's own rate limit switched off with `rps=0`). Requests are
//! built before the clock starts; each iteration is the whole run, every answer read.
//!
//! `cargo bench --bench try_rows`

use criterion::{Criterion, criterion_group, criterion_main};
use patchcord::api::fire;
use patchcord::api::schedule::{self, Job, Pace};
use patchcord::connector::NameValue;
use patchcord::connector::rows::{self, Limits};
use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use std::net::SocketAddr;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const ROWS: usize = 1000;

fn jobs(base: &str) -> Vec<Job> {
    let example = patchcord::examples::find("company-enrich").expect("the example");
    let (mut connector, samples) = example.load().expect("it parses");
    connector.set("url", format!("{base}/demo/company").into());
    connector.set_name_values(
        "parameters",
        &[NameValue::slot("domain"), NameValue::new("rps", "0")],
    );
    (0..ROWS)
        .map(|n| {
            let mut row = samples.clone();
            row.insert("domain".into(), format!("company-{n}.com"));
            let request = fire::build(&connector, &rows::fill(&samples, &row)).expect("builds");
            Job {
                row: n + 1,
                request,
            }
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sandbox = rt
        .block_on(Sandbox::start(ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: DbPath::Memory,
            keys: vec!["bench-key".into()],
            plan: Plan::default(),
        }))
        .expect("sandbox");
    let jobs = jobs(&sandbox.base_url());
    let pace = Pace::of(Limits {
        max_concurrency: Some(5),
        per_minute: Some(1_000_000.0),
    });
    let client = fire::client().expect("client");
    let mut group = c.benchmark_group("try_rows");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("1000 rows, max_concurrency 5, sandbox demo", |b| {
        b.iter(|| {
            rt.block_on(async {
                let (done, mut answers) = tokio::sync::mpsc::unbounded_channel();
                let run = tokio::spawn(schedule::run(
                    client.clone(),
                    jobs.clone(),
                    pace,
                    CancellationToken::new(),
                    done,
                ));
                let mut ok = 0;
                while let Some(outcome) = answers.recv().await {
                    ok += usize::from(outcome.verdict() == schedule::Verdict::Ok);
                }
                let _ = run.await;
                assert_eq!(ok, ROWS);
            });
        });
    });
    group.finish();
    rt.block_on(sandbox.shutdown());
}

criterion_group!(try_rows, benches);
criterion_main!(try_rows);
