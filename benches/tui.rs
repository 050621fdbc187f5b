//! Editor benchmarks: keystroke-to-frame in the template editor with a 2048-character template
//! (`update` + `view` into a 120×40 `TestBackend`: what the loop does per key), and startup to
//! the first frame (load a connector file, build the state, draw).
//! Run: `cargo bench --bench tui`. Before criterion's own report it prints the median and p99
//! of 2000 single keystrokes timed one by one.

mod common;

use criterion::{Criterion, criterion_group};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use patchcord::tui::msg::Msg;
use patchcord::tui::state::{Focus, State};
use patchcord::tui::{update::update, view::view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn editor_state() -> State {
    let mut state = State::new(common::scoring_with_template(), common::samples(), None);
    state.session.size = (120, 40);
    state.tab = 3;
    state.focus = Focus::Panel;
    state
}

/// One keystroke as the loop handles it: update, then draw. Alternates typing and deleting a
/// character so the template stays at 2048 characters.
fn keystroke(state: &mut State, terminal: &mut Terminal<TestBackend>, i: usize) {
    let code = if i.is_multiple_of(2) {
        KeyCode::Char('x')
    } else {
        KeyCode::Backspace
    };
    let _ = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    let _ = terminal.draw(|f| view(black_box(&*state), f));
}

fn percentiles() {
    let mut state = editor_state();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| match e {});
    for i in 0..200 {
        keystroke(&mut state, &mut terminal, i);
    }
    let (median, p99, max) = timed(2000, |i| keystroke(&mut state, &mut terminal, i));
    println!(
        "keystroke-to-frame, 2048-char template, 120x40, 2000 keys: median {median:?}, p99 {p99:?}, max {max:?}"
    );
}

/// The median, p99 and max of `runs` calls of `step`, each timed alone.
fn timed(runs: usize, mut step: impl FnMut(usize)) -> (Duration, Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            step(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |p: usize| {
        times
            .get(times.len() * p / 100)
            .copied()
            .unwrap_or_default()
    };
    (at(50), at(99), times.last().copied().unwrap_or_default())
}

/// A 100 KB paste (update + draw) into a one-line field and into the template editor, and
/// keystrokes in a 2 MiB template: what a huge input costs on the loop.
fn large_inputs() {
    let paste: String = "abcdefghij".repeat(10_000);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| match e {});
    let (median, p99, _) = timed(20, |_| {
        let mut state = State::new(common::scoring_with_template(), common::samples(), None);
        state.session.size = (120, 40);
        state.focus = Focus::Field(0);
        let _ = update(&mut state, Msg::Paste(paste.clone()));
        let _ = terminal.draw(|f| view(black_box(&state), f));
    });
    println!("paste 100 KB into the name field (update + draw): median {median:?}, p99 {p99:?}");
    let (median, p99, _) = timed(20, |_| {
        let mut state = editor_state();
        let _ = update(&mut state, Msg::Paste(paste.clone()));
        let _ = terminal.draw(|f| view(black_box(&state), f));
    });
    println!("paste 100 KB into the template (update + draw): median {median:?}, p99 {p99:?}");
    let mut big = common::scoring_with_template();
    let line = format!("{}\n", "x".repeat(1023));
    big.set("body_template", line.repeat(2048).into());
    let mut state = State::new(big, common::samples(), None);
    state.session.size = (120, 40);
    state.tab = 3;
    state.focus = Focus::Panel;
    let (median, p99, _) = timed(200, |i| keystroke(&mut state, &mut terminal, i));
    println!(
        "keystroke-to-frame, 2 MiB template, 120x40, 200 keys: median {median:?}, p99 {p99:?}"
    );
    // The same file, typing in the name field: nothing there is proportional to the template.
    state.focus = Focus::Field(0);
    let (median, p99, _) = timed(200, |i| keystroke(&mut state, &mut terminal, i));
    println!(
        "keystroke-to-frame, name field of a 2 MiB-template file, 120x40, 200 keys: median {median:?}, p99 {p99:?}"
    );
    state.focus = Focus::Panel;
    if std::env::var_os("PATCHCORD_BENCH_PARTS").is_some() {
        let source = state
            .doc
            .connector
            .template()
            .unwrap_or_default()
            .to_owned();
        let (m, _, _) = timed(10, |_| {
            let _ = patchcord::template::check(&source);
        });
        println!("  check {m:?}");
        let (m, _, _) = timed(10, |_| {
            let _ = patchcord::template::variables(&source);
        });
        println!("  variables {m:?}");
        let (m, _, _) = timed(10, |_| {
            let _ = patchcord::connector::validate(&state.doc.connector);
        });
        println!("  validate {m:?}");
        let (m, _, _) = timed(10, |_| {
            let _ = terminal.draw(|f| view(black_box(&state), f));
        });
        println!("  draw {m:?}");
        let (m, _, _) = timed(10, |i| {
            let code = if i % 2 == 0 {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            };
            let _ = update(
                &mut state,
                Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
            );
        });
        println!("  update {m:?}");
    }
}

fn benches(c: &mut Criterion) {
    c.bench_function("tui/keystroke_to_frame_template_2048", |b| {
        let mut state = editor_state();
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| match e {});
        let mut i = 0;
        b.iter(|| {
            keystroke(&mut state, &mut terminal, i);
            i += 1;
        });
    });
    c.bench_function("tui/startup_to_first_frame", |b| {
        let dir = std::env::temp_dir().join(format!("patchcord-bench-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("scoring.json");
        let _ = std::fs::write(&file, include_bytes!("../assets/connectors/scoring.json"));
        b.iter(|| {
            let options = patchcord::tui::Options {
                file: Some(file.clone()),
                target: None,
                ..Default::default()
            };
            let state = patchcord::tui::initial_state(&options);
            let mut terminal =
                Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| match e {});
            if let Ok(state) = state {
                let _ = terminal.draw(|f| view(black_box(&state), f));
            }
        });
        let _ = std::fs::remove_dir_all(&dir);
    });
}

criterion_group!(tui, benches);

fn main() {
    percentiles();
    large_inputs();
    tui();
    Criterion::default().configure_from_args().final_summary();
}
