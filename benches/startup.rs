//! End-to-end editor figures from the real binary in a pseudo-terminal at 120×40, as a user
//! meets it: spawn to first frame, spawn to the embedded sandbox connected (SANDBOX and its URL
//! on the Target row), CPU used over 10 s of idling, and peak resident memory (Linux `/proc`).
//!
//! Run: `cargo bench --bench startup` (`PATCHCORD_STARTUP_RUNS`, default 20). A measurement
//! harness, not a test: it prints figures and asserts nothing about them.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 40;
const DEADLINE: Duration = Duration::from_secs(30);

struct Run {
    first_frame: Duration,
    connected: Duration,
}

type Screen = Arc<Mutex<vt100::Parser>>;

fn contents(screen: &Screen) -> String {
    screen
        .lock()
        .map(|p| p.screen().contents())
        .unwrap_or_default()
}

/// Polls the parsed screen until `text` shows, returning the time since `start`.
fn wait_for(screen: &Screen, text: &str, start: Instant) -> Result<Duration, String> {
    loop {
        if contents(screen).contains(text) {
            return Ok(start.elapsed());
        }
        if start.elapsed() > DEADLINE {
            return Err(format!("no {text:?} on screen:\n{}", contents(screen)));
        }
        std::thread::park_timeout(Duration::from_micros(200));
    }
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One start of the editor; with `idle`, also measures 10 s of idling before quitting.
fn run_once(file: &Path, idle: bool) -> Result<Run, String> {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_patchcord"));
    cmd.arg(file);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("PATCHCORD_SANDBOX_DB", ":memory:");
    cmd.env_remove("PATCHCORD_CONFIG");
    let screen: Screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pty.master.take_writer().map_err(|e| e.to_string())?;
    let sink = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let (Ok(mut parser), Some(bytes)) = (sink.lock(), buf.get(..n)) {
                parser.process(bytes);
            }
        }
    });
    let first_frame = wait_for(&screen, "patchcord", start)?;
    let connected = wait_for(&screen, "SANDBOX  http://127.0.0.1:", start)?;
    if idle && let Some(pid) = child.process_id() {
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(10));
        let after = cpu_ticks(pid);
        if let (Some(a), Some(b)) = (before, after) {
            println!(
                "idle 10 s: {} CPU ticks (1 tick = 10 ms)",
                b.saturating_sub(a)
            );
        }
        if let Some(kib) = peak_rss_kib(pid) {
            println!("peak RSS after start and 10 s idle: {kib} KiB");
        }
    }
    // Ctrl-Q: nothing was edited, so the editor quits without asking.
    let _ = writer.write_all(b"\x11");
    let _ = writer.flush();
    let _ = child.wait();
    Ok(Run {
        first_frame,
        connected,
    })
}

fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let index = sorted.len().saturating_sub(1) * percent / 100;
    sorted.get(index).copied().unwrap_or_default()
}

fn report(name: &str, mut values: Vec<Duration>) {
    values.sort();
    println!(
        "{name}: median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        percentile(&values, 50).as_secs_f64() * 1e3,
        percentile(&values, 95).as_secs_f64() * 1e3,
        values.first().copied().unwrap_or_default().as_secs_f64() * 1e3,
        values.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        values.len()
    );
}

fn main() {
    // `cargo test --benches` runs bench targets once as a smoke check; this one is slow.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let runs: usize = std::env::var("PATCHCORD_STARTUP_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/connectors/company-lookup.json");
    let mut first = Vec::new();
    let mut connected = Vec::new();
    for i in 0..runs {
        match run_once(&file, i == 0) {
            Ok(run) => {
                first.push(run.first_frame);
                connected.push(run.connected);
            }
            Err(e) => eprintln!("run {i} failed: {e}"),
        }
    }
    report("spawn to first frame", first);
    report("spawn to SANDBOX connected", connected);
}
