//! The editor: a ratatui terminal UI over the pure core.
//!
//! Owns the terminal for the length of `run`. Follows The Elm Architecture (see `../shared/DESIGN.md`
//! §2): one `State`, one `Msg` enum, a pure `update` returning `Effect` values, and `view`
//! functions that only draw. The loop here is the only place that touches the terminal.

pub mod effect;
mod fuzzy;
pub mod items;
pub mod keymap;
pub mod msg;
mod signals;
pub mod state;
#[cfg(test)]
pub(crate) mod test_fixtures;
pub mod theme;
pub mod update;
pub mod view;

use crate::connector::{Connector, Vendor};
use crate::files::{self, journal};
use crate::template::Samples;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, KeyEventKind, MouseButton, MouseEventKind,
};
use effect::{Effect, Runner};
use futures_util::StreamExt;
use msg::Msg;
use ratatui::DefaultTerminal;
use signals::{Signal, Signals};
use state::{Overlay, State};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

/// What `patchcord [FILE]` asks of the editor.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The connector file to open (created on first save when it does not exist).
    pub file: Option<PathBuf>,
    /// The configured target to submit to; `None` starts the embedded sandbox.
    pub target: Option<String>,
    /// No colours on screen (`--color never`, `NO_COLOR`): the theme's attributes carry
    /// every cue.
    pub plain: bool,
}

/// Why the editor could not run. Problems while editing are shown on screen, not returned.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up, drawn to or restored.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The file named on the command line exists but cannot be read as a connector.
    #[error(transparent)]
    File(#[from] files::FileError),
    /// The config cannot be read or applied (a bad file, an unknown key, a `[keys]` table the
    /// editor cannot honour): like the CLI, the editor does not start on it.
    #[error(transparent)]
    Config(crate::config::ConfigError),
    /// `TERM=dumb`: no cursor movement, so no full-screen editor.
    #[error(
        "the editor needs a terminal that can move the cursor (TERM=dumb); use the CLI instead: `patchcord --help`"
    )]
    DumbTerminal,
}

/// Runs the editor until the user quits. The terminal is restored on every exit path (and by
/// ratatui's panic hook on a panic).
pub async fn run(options: Options) -> Result<(), TuiError> {
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Err(TuiError::DumbTerminal);
    }
    let state = initial_state(&options)?;
    // crossterm drops colours by itself when NO_COLOR is set; `--color always` is the user
    // asking for them anyway, and with no colour wanted the palette has none to drop.
    if !options.plain {
        crossterm::style::force_color_output(true);
    }
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook leaves the alternate screen and raw mode; mouse reporting and bracketed
    // paste must be switched off too, or the shell gets escape codes after a panic.
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste
        );
        ratatui_hook(info);
    }));
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = event_loop(&mut terminal, state, options.target).await;
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    ratatui::try_restore()?;
    result
}

/// Loads the file (a missing file is a new connector that will be saved there) and looks for
/// journaled edits that sessions now gone left behind.
pub fn initial_state(options: &Options) -> Result<State, TuiError> {
    let (connector, samples, disk) = match &options.file {
        Some(path) if path.exists() => files::load_stamped(path)?,
        _ => (
            Connector::new(Vendor::PRIMARY),
            Samples::new(),
            files::Stamp::ABSENT,
        ),
    };
    let mut state = State::new(connector, samples, options.file.clone());
    state.doc.disk = options.file.is_some().then_some(disk);
    // A config that cannot be read stops the editor here, as it stops the CLI (exit 2): the
    // editor would otherwise run with other targets and keys than the user wrote.
    let config = crate::config::Config::load().map_err(TuiError::Config)?;
    state.palette = if options.plain {
        theme::Palette::Mono
    } else {
        config.theme
    };
    state.keymap = keymap::Keymap::from_config(&config).map_err(TuiError::Config)?;
    state
        .session
        .target
        .names
        .extend(config.targets.keys().cloned());
    if let Some(name) = options.target.clone().or(config.default_target) {
        if !state.session.target.names.contains(&name) {
            state.session.target.names.push(name.clone());
        }
        state.session.target.picked = name;
    }
    if let Some(dir) = journal::dir() {
        offer_journals(&mut state, &dir);
    }
    Ok(state)
}

/// Names this session's journal record and offers every record no live session holds, in one
/// list: the opened file's first, then newest first. Each record stays until the user
/// recovers or discards it.
fn offer_journals(state: &mut State, dir: &std::path::Path) {
    state.session.journal.session_id = journal::session_id();
    state.session.journal.file = Some(journal::file_for(
        dir,
        state.doc.file.as_deref(),
        &state.session.journal.session_id,
    ));
    let mut entries = journal::pending(dir);
    let opened = |entry: &journal::Entry| match (&entry.snapshot.path, &state.doc.file) {
        (Some(a), Some(b)) => journal::same_file(a, b),
        (None, None) => true,
        _ => false,
    };
    entries.sort_by_key(|entry| !opened(entry));
    if !entries.is_empty() {
        state.overlay = Some(Overlay::Recover {
            entries,
            selected: 0,
        });
    }
}

/// A directory of examples to browse instead of the built-in ones: `PATCHCORD_EXAMPLES`.
fn examples_dir() -> Option<PathBuf> {
    std::env::var_os("PATCHCORD_EXAMPLES").map(PathBuf::from)
}

/// Turns a terminal event into a message; events that change nothing give `None` (no redraw).
pub fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Event::Mouse(mouse)
            if matches!(
                mouse.kind,
                MouseEventKind::Down(MouseButton::Left)
                    | MouseEventKind::ScrollUp
                    | MouseEventKind::ScrollDown
            ) =>
        {
            Some(Msg::Mouse(mouse))
        }
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

async fn next_event(events: &mut Option<EventStream>) -> Option<std::io::Result<Event>> {
    match events {
        Some(stream) => stream.next().await,
        None => std::future::pending().await,
    }
}

/// The loop: a biased `select!` takes queued answers before terminal input, draws once the
/// queue is drained, and sleeps while nothing happens (the spinner ticks only while a request
/// is in flight).
async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut state: State,
    target: Option<String>,
) -> Result<(), TuiError> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runner = Runner::new(tx.clone(), examples_dir());
    runner.run(Effect::Connect { target });
    if let Some(journal_file) = &state.session.journal.file {
        runner.run(Effect::Claim {
            journal_file: journal_file.clone(),
            path: state.doc.file.clone(),
        });
    }
    // The opened file's preview: rendered off the loop, so the first screen never waits.
    if let Some(job) = state.take_preview_job() {
        runner.run(Effect::Preview(job));
    }
    let size = terminal.size()?;
    state.session.size = (size.width, size.height);
    let mut events = Some(EventStream::new());
    let mut spinner = tokio::time::interval(Duration::from_millis(80));
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new();
    terminal.draw(|frame| view::view(&state, frame))?;
    let result = loop {
        let msg = tokio::select! {
            biased;
            Some(msg) = rx.recv() => msg,
            event = next_event(&mut events) => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => break Err(TuiError::Terminal(e)),
                None => break Ok(()),
            },
            _ = spinner.tick(), if state.busy() => Msg::Tick,
            signal = signals.recv() => match signal {
                Signal::Terminate => Msg::Terminate,
                Signal::Suspend => suspend(terminal, &mut events)?,
            },
        };
        let mut queue = vec![msg];
        while let Ok(more) = rx.try_recv() {
            queue.push(more);
        }
        for msg in queue {
            for effect in update::update(&mut state, msg) {
                match effect {
                    Effect::CopyToClipboard(text) => {
                        copy_osc52(&text)?;
                        let _ = tx.send(Msg::Copied(text.len()));
                    }
                    Effect::Suspend => {
                        let _ = tx.send(suspend(terminal, &mut events)?);
                    }
                    Effect::EditExternally(text) => {
                        // The stream's reader would steal the editor's input.
                        drop(events.take());
                        let edited = edit_externally(&text).await;
                        resume_terminal(terminal)?;
                        events = Some(EventStream::new());
                        let _ = tx.send(Msg::ExternalEdited(edited));
                    }
                    other => runner.run(other),
                }
            }
        }
        if state.quit {
            break Ok(());
        }
        terminal.draw(|frame| view::view(&state, frame))?;
    };
    runner.shutdown();
    // Whatever the journal still has to do is done before the process ends: the exit's
    // record (or its removal, when nothing is unsaved) and the lock's release.
    runner.finish_journal(update::exit(&state)).await;
    result
}

/// Puts text on the clipboard with the OSC 52 escape sequence (works over SSH and in tmux with
/// `set-clipboard on`).
fn copy_osc52(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Hands the terminal to `$VISUAL`/`$EDITOR` (default `vi`) on a temporary file and returns the
/// text it left.
async fn edit_externally(text: &str) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix("patchcord-template-")
        .suffix(".jinja")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    std::fs::write(file.path(), text).map_err(|e| format!("{}: {e}", file.path().display()))?;
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    let _ = ratatui::try_restore();
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .await;
    match status {
        Ok(s) if s.success() => {
            let text = std::fs::read_to_string(file.path())
                .map_err(|e| format!("{}: {e}", file.path().display()))?;
            Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned())
        }
        Ok(s) => Err(format!(
            "{editor} exited with {s}; the template was not changed"
        )),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    }
}

/// Ctrl-Z, or a SIGTSTP from outside: hands the terminal back to the shell, stops until the
/// shell continues the process (`fg`), then takes the terminal again. Answers the terminal's
/// size then (it may have changed meanwhile), which redraws everything.
fn suspend(
    terminal: &mut DefaultTerminal,
    events: &mut Option<EventStream>,
) -> std::io::Result<Msg> {
    // The stream's reader would otherwise keep reading the shell's input.
    drop(events.take());
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    let _ = ratatui::try_restore();
    signals::stop_self();
    resume_terminal(terminal)?;
    *events = Some(EventStream::new());
    let size = terminal.size()?;
    Ok(Msg::Resize(size.width, size.height))
}

fn resume_terminal(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    // `Terminal::clear` would ask the terminal for the cursor position, an answer the event
    // reader may swallow; drawing a blank frame resets ratatui's idea of the screen instead.
    terminal.draw(|frame| frame.render_widget(ratatui::widgets::Clear, frame.area()))?;
    Ok(())
}
