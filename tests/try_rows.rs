//! `patchcord try` and `patchcord history`, run as the built binary against real servers on
//! loopback: a test server that records when each request arrived and how many were in flight
//! (never more than `max_concurrency`, starts never closer than `rate_limit` allows, a 429's
//! `Retry-After` waited out), and the sandbox's demo endpoints. Rows files with CSV's edge
//! cases; exit codes; what the history keeps.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
#[path = "common/sandbox.rs"]
mod sandbox;

use common::{Home, Out, runtime};
use sandbox::RealSandbox;

/// What the recording server saw.
#[derive(Default)]
struct Seen {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// (arrival, the request's body) in arrival order.
    arrivals: Mutex<Vec<(Instant, Value)>>,
}

/// A server that holds each request 40 ms and answers with what it got; a body whose `code`
/// is a number answers that status, and `"limited": true` gets one 429 (`Retry-After: 1`)
/// before it is answered.
async fn recording_server(seen: Arc<Seen>) -> String {
    let app = axum::Router::new().fallback(move |body: String| {
        let seen = Arc::clone(&seen);
        async move { answer(&seen, &body).await }
    });
    let addr = common::serve(app).await;
    format!("http://{addr}")
}

async fn answer(seen: &Seen, body: &str) -> Response {
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let earlier = {
        let mut arrivals = seen.arrivals.lock().expect("lock");
        let earlier = arrivals.iter().filter(|(_, b)| *b == value).count();
        arrivals.push((Instant::now(), value.clone()));
        earlier
    };
    tokio::time::sleep(Duration::from_millis(40)).await;
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    if value["limited"] == "yes" && earlier == 0 {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "1".parse().expect("header"));
        return (StatusCode::TOO_MANY_REQUESTS, headers, "slow down").into_response();
    }
    let code = value["code"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::OK);
    (
        code,
        axum::Json(json!({"got": value, "token": "resp-secret-1"})),
    )
        .into_response()
}

/// A connector posting `{"id", "code", "limited"}` from each row to `url`.
fn connector(home: &Home, url: &str, concurrency: u32, rate: u32) {
    home.write(
        "c.json",
        json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Rows", "method": "post", "url": url,
            "headers": [{"name": "Authorization", "value": "Bearer SECRET-TRY-1111"}],
            "parameters": [],
            "body": [],
            "body_template": "{\"id\": {{ id|tojson }}, \"code\": {{ code|default('')|tojson }}, \"limited\": {{ limited|default('')|tojson }}}",
            "rate_limit": rate,
            "max_concurrency": concurrency
        })
        .to_string(),
    );
}

fn lines(out: &Out) -> Vec<Value> {
    let mut lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    lines.sort_by_key(|l| l["row"].as_u64());
    lines
}

/// `--json`'s summary: the last line on stderr (warnings come before it).
fn summary(out: &Out) -> Value {
    let last = out.stderr.lines().last().unwrap_or_default();
    serde_json::from_str(last).expect("a JSON summary")
}

fn csv(ids: std::ops::Range<usize>) -> String {
    let mut text = "id\n".to_owned();
    for id in ids {
        let _ = writeln!(text, "r{id}");
    }
    text
}

#[test]
fn rows_never_exceed_max_concurrency() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(Arc::clone(&seen)));
    let home = Home::new();
    connector(&home, &url, 3, 60_000);
    home.write("rows.csv", csv(0..12));
    let out = home.run(&["try", "c.json", "--rows", "rows.csv"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(lines(&out).len(), 12);
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 3, "{out:?}");
    assert!(out.stderr.contains("12 rows: 200 ×12"), "{out:?}");
    assert!(out.stderr.contains("latency p50 "), "{out:?}");
}

#[test]
fn rows_never_start_faster_than_the_rate_limit() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(Arc::clone(&seen)));
    let home = Home::new();
    // 600 a minute: one start every 100 ms, though 5 could be in flight.
    connector(&home, &url, 5, 600);
    home.write("rows.csv", csv(0..6));
    let out = home.run(&["try", "c.json", "--rows", "rows.csv"]);
    assert_eq!(out.code, 0, "{out:?}");
    let arrivals = seen.arrivals.lock().expect("lock");
    assert_eq!(arrivals.len(), 6);
    // Any k+1 arrivals span at least k intervals, less a little for the jitter of a loaded
    // machine between the client's start and the server's handler.
    for (i, (early, _)) in arrivals.iter().enumerate() {
        for (j, (late, _)) in arrivals.iter().enumerate().skip(i + 1) {
            let least = Duration::from_millis(100) * u32::try_from(j - i).expect("small");
            let span = *late - *early;
            assert!(
                span + Duration::from_millis(25) >= least,
                "rows {i}..{j} arrived {span:?} apart"
            );
        }
    }
}

#[test]
fn a_429_with_retry_after_is_waited_out_and_counted() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(Arc::clone(&seen)));
    let home = Home::new();
    connector(&home, &url, 2, 60_000);
    home.write("rows.csv", "id,limited\na,\nb,yes\nc,\n");
    let out = home.run(&["try", "c.json", "--rows", "rows.csv", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let got = lines(&out);
    assert_eq!(got[1]["status"], 200);
    assert_eq!(got[1]["retried"], 1);
    assert_eq!(got[0]["retried"], 0);
    let summary = summary(&out);
    assert_eq!(summary["retried"], 1);
    let arrivals = seen.arrivals.lock().expect("lock");
    let b: Vec<Instant> = arrivals
        .iter()
        .filter(|(_, body)| body["id"] == "b")
        .map(|(at, _)| *at)
        .collect();
    assert_eq!(b.len(), 2);
    assert!(
        b[1] - b[0] >= Duration::from_millis(990),
        "{:?}",
        b[1] - b[0]
    );
}

#[test]
fn exit_codes_follow_the_worst_row() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(seen));
    let home = Home::new();
    connector(&home, &url, 2, 60_000);
    home.write("rows.csv", "id,code\na,200\nb,404\n");
    let out = home.run(&["try", "c.json", "--rows", "rows.csv"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("200 ×1") && out.stderr.contains("404 ×1"),
        "{out:?}"
    );
    // Nothing listens on port 9 of loopback.
    connector(&home, "http://127.0.0.1:9/x", 2, 60_000);
    let out = home.run(&["try", "c.json", "-s", "id=a"]);
    assert_eq!(out.code, 4, "{out:?}");
    let line = &lines(&out)[0];
    assert!(line["status"].is_null());
    assert!(
        line["error"]
            .as_str()
            .is_some_and(|e| e.contains("refused")),
        "{out:?}"
    );
}

#[test]
fn csv_edge_cases_and_a_missing_column_are_reported_before_sending() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(Arc::clone(&seen)));
    let home = Home::new();
    connector(&home, &url, 2, 60_000);
    home.write(
        "rows.csv",
        "\u{feff}id,unused\n\"a, with comma\",1\n\"two\nlines\",2\n",
    );
    let out = home.run(&["try", "c.json", "--rows", "rows.csv", "-s", "code=201"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("warning: rows.csv: the connector does not use column(s) unused"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("no column fills slot code; every row gets its sample value"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("no column fills slot limited; it is sent empty")
    );
    let got = lines(&out);
    assert_eq!(got[0]["response"]["got"]["id"], "a, with comma");
    assert_eq!(got[1]["response"]["got"]["id"], "two\nlines");
    assert_eq!(got[0]["status"], 201);
    // A short row stops the run before anything is sent, naming its line.
    home.write("bad.csv", "id,code\na,200\nb\n");
    let before = seen.arrivals.lock().expect("lock").len();
    let out = home.run(&["try", "c.json", "--rows", "bad.csv"]);
    out.exits(1, &["bad.csv: CSV line 3"]);
    assert_eq!(seen.arrivals.lock().expect("lock").len(), before);
}

#[test]
fn json_lines_select_out_and_history_keep_no_secret() {
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(seen));
    let home = Home::new();
    connector(&home, &url, 2, 60_000);
    home.write(
        "rows.jsonl",
        "{\"id\": \"a\"}\n{\"id\": \"b\", \"code\": 202}\n",
    );
    let out = home.run(&[
        "try",
        "c.json",
        "--rows",
        "rows.jsonl",
        "--select",
        "$.got.id",
        "--out",
        "out.jsonl",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let written = std::fs::read_to_string(home.path("out.jsonl")).expect("--out");
    let mut got: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    got.sort_by_key(|l| l["row"].as_u64());
    assert_eq!(got[1]["selected"]["$.got.id"], "b");
    assert_eq!(got[1]["status"], 202);
    // The summary table has the selection as a column.
    assert!(out.stderr.contains("row  status  ms"), "{out:?}");
    assert!(out.stderr.contains("$.got.id"), "{out:?}");
    let auth = &got[0]["request"]["headers"][0];
    assert_eq!(auth["value"], "Bearer ••••••••");
    assert_eq!(got[0]["response"]["token"], "••••••••");

    let listed = home.run(&["history", "c.json", "--json"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    let runs: Value = serde_json::from_str(&listed.stdout).expect("JSON");
    assert_eq!(runs[0]["rows"], 2);
    assert_eq!(runs[0]["ok"], 2);
    let id = runs[0]["id"].to_string();
    let shown = home.run(&["history", "--show", &id]);
    assert_eq!(shown.code, 0, "{shown:?}");
    assert!(shown.stdout.contains("\"selected\""), "{shown:?}");
    let stored = std::fs::read(home.path("xdg-state/patchcord/history.sqlite3")).expect("db");
    for secret in ["SECRET-TRY-1111", "resp-secret-1"] {
        assert!(!shown.all().contains(secret), "{shown:?}");
        assert!(!home.log().contains(secret), "the log holds {secret}");
        assert!(
            !String::from_utf8_lossy(&stored).contains(secret),
            "history file holds {secret}"
        );
    }
    let missing = home.run(&["history", "--show", "999"]);
    assert_eq!(missing.code, 1, "{missing:?}");
}

#[test]
fn the_demo_endpoints_answer_like_enrichment_apis_with_back_pressure() {
    let sandbox = RealSandbox::start();
    let base = sandbox.base_url();
    let home = Home::new();
    home.write(
        "company.json",
        json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Company", "method": "get", "url": format!("{base}/demo/company"),
            "headers": [], "body": [],
            "parameters": [{"name": "domain", "value": ""}, {"name": "rps", "value": "4"}],
            "max_concurrency": 4, "rate_limit": 100_000
        })
        .to_string(),
    );
    home.write(
        "rows.csv",
        "domain\nacme.com\nglobex.de\ninitech.io\numbrella.co.uk\nhooli.com\nstark.fr\n",
    );
    let out = home.run(&[
        "try",
        "company.json",
        "--rows",
        "rows.csv",
        "--select",
        "$.name",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let got = lines(&out);
    assert_eq!(got.len(), 6);
    assert!(
        got[0]["selected"]["$.name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Acme "))
    );
    assert_eq!(got[1]["response"]["country"], "DE");
    // 4 a second on the endpoint: the last two waited for a 429's Retry-After.
    let summary = summary(&out);
    assert!(
        summary["retried"].as_u64().is_some_and(|n| n >= 2),
        "{out:?}"
    );

    home.write(
        "person.json",
        json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Person", "method": "post",
            "url": format!("{base}/demo/person?fail_rate=0.5&latency_ms=5&rps=0"),
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "parameters": [], "body": [{"name": "email", "value": ""}]
        })
        .to_string(),
    );
    let mut emails = "email\n".to_owned();
    for n in 0..10 {
        let _ = writeln!(emails, "user{n}.lee@acme.com");
    }
    home.write("people.csv", &emails);
    let first = lines(&home.run(&["try", "person.json", "--rows", "people.csv"]));
    let again = lines(&home.run(&["try", "person.json", "--rows", "people.csv"]));
    let statuses = |l: &[Value]| l.iter().map(|v| v["status"].clone()).collect::<Vec<_>>();
    // The same inputs fail every time, and about half of them do.
    assert_eq!(statuses(&first), statuses(&again));
    let failed = first.iter().filter(|l| l["status"] == 503).count();
    assert!((1..10).contains(&failed), "{first:?}");
    let found = first.iter().find(|l| l["status"] == 200).expect("a person");
    assert_eq!(found["response"]["company"]["domain"], "acme.com");
    assert_eq!(found["response"]["last_name"], "Lee");
}

/// Ctrl-C (SIGINT) in the middle of a run: nothing more starts, what finished is written,
/// summarised and kept.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_run_and_keeps_what_finished() {
    use std::io::{BufRead as _, BufReader};
    let rt = runtime();
    let seen = Arc::new(Seen::default());
    let url = rt.block_on(recording_server(Arc::clone(&seen)));
    let home = Home::new();
    // One start every 100 ms: 40 rows take 4 s unless stopped.
    connector(&home, &url, 2, 600);
    home.write("rows.csv", csv(0..40));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_patchcord"))
        .current_dir(home.dir.path())
        .env("XDG_STATE_HOME", home.path("xdg-state"))
        .env("XDG_CONFIG_HOME", home.path("xdg-config"))
        .env("XDG_DATA_HOME", home.path("xdg-data"))
        .env("PATCHCORD_LOG", "debug")
        .args(["try", "c.json", "--rows", "rows.csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn patchcord");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    for _ in 0..3 {
        stdout.read_line(&mut first).expect("a line");
    }
    let pid =
        rustix::process::Pid::from_raw(i32::try_from(child.id()).expect("pid")).expect("a pid");
    rustix::process::kill_process(pid, rustix::process::Signal::INT).expect("SIGINT");
    let output = child.wait_with_output().expect("it exits");
    let rest = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let written = first.lines().count() + rest.lines().count();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        (3..40).contains(&written),
        "{written} rows written\n{stderr}"
    );
    assert!(stderr.contains("row(s) not sent"), "{stderr}");
    assert_eq!(
        seen.arrivals.lock().expect("lock").len(),
        written,
        "{stderr}"
    );
    let listed = home.run(&["history", "--json"]);
    let runs: Value = serde_json::from_str(&listed.stdout).expect("JSON");
    assert_eq!(runs[0]["rows"], written, "{listed:?}");
}

/// The example's rows answer on a fresh machine: with nothing serving the sandbox's default
/// address, `try` starts a throwaway sandbox there for the run (when something already serves
/// it, such as another test's editor, that one answers the demo endpoints alike).
#[test]
fn the_examples_rows_answer_without_a_running_sandbox() {
    let home = Home::new();
    let out = home.run(&["new", "--example", "company-enrich"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = home.run(&[
        "try",
        "company-enrich.json",
        "--rows",
        "company-enrich.rows.csv",
        "--limit",
        "3",
        "--select",
        "$.name",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let lines = lines(&out);
    assert_eq!(lines.len(), 3, "{}", out.all());
    for line in &lines {
        assert_eq!(line["status"], 200, "{line}");
        assert!(line["selected"]["$.name"].is_string(), "{line}");
    }
}
