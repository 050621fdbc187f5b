//! End-to-end tests of the editor: the real binary in a pseudo-terminal at a fixed size, with
//! temporary HOME/XDG directories, keys typed as a user would, the screen parsed with vt100 and
//! waited on under a deadline (never a fixed sleep). What the sandbox stored is checked over
//! HTTP against a sandbox the test starts itself on a loopback port.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed setup step should stop the test loudly"
)]

use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COLS: u16 = 100;
const ROWS: u16 = 30;

fn deadline() -> Duration {
    let secs = std::env::var("PATCHCORD_PTY_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

struct Editor {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl Editor {
    /// Starts `patchcord ARGS` in `cwd` with a private home and the given extra environment.
    fn start(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Editor {
        let home = tempfile::tempdir().unwrap();
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_patchcord"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("PATCHCORD_JOURNAL_DIR", home.path().join("journal"));
        cmd.env("PATCHCORD_SANDBOX_DB", ":memory:");
        cmd.env_remove("PATCHCORD_CONFIG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Editor {
            parser,
            writer,
            child,
            master: pty.master,
            _home: home,
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the parsed screen with it.
    fn resize(&self, cols: u16, rows: u16) {
        // The parser first, so the redraw the program sends after SIGWINCH is read at the new
        // size (ratatui clears and redraws everything on a resize).
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, failing with the screen after the deadline.
    fn wait_for(&self, text: &str) {
        let end = Instant::now() + deadline();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::park_timeout(Duration::from_millis(20));
        }
    }

    /// Waits until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) {
        let end = Instant::now() + deadline();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {text:?} to go; screen:\n{screen}"
            );
            std::thread::park_timeout(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Sends keys one event at a time, waiting for each to be drawn, so escape sequences are
    /// never merged with what follows.
    fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            let before = self.screen();
            self.send(key);
            let end = Instant::now() + Duration::from_millis(500);
            while self.screen() == before && Instant::now() < end {
                std::thread::park_timeout(Duration::from_millis(10));
            }
        }
    }

    /// Waits for the process to exit and returns whether it succeeded.
    fn wait_exit(&mut self) -> bool {
        let end = Instant::now() + deadline();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(
                Instant::now() < end,
                "editor did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::park_timeout(Duration::from_millis(20));
        }
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

const CTRL_R: &str = "\x12";
const CTRL_Q: &str = "\x11";
const CTRL_O: &str = "\x0f";
const DOWN: &str = "\x1b[B";
const RIGHT: &str = "\x1b[C";
const F8: &str = "\x1b[19~";
const LEFT: &str = "\x1b[D";
const DEL: &str = "\x1b[3~";
const ALT_1: &str = "\x1b1";
const ALT_2: &str = "\x1b2";
const ALT_3: &str = "\x1b3";
const CTRL_K: &str = "\x0b";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// Types a connector from the empty form: name, method post, URL, rate limit 60, a template.
fn type_connector(editor: &mut Editor, name: &str) {
    editor.wait_for("SANDBOX");
    editor.send(name);
    editor.wait_for(name);
    // Type (keep the default), Method: a new connector starts on get; one step right is post.
    editor.keys(&[DOWN, DOWN, RIGHT]);
    editor.wait_for("‹ post ›");
    editor.keys(&[DOWN]);
    editor.send("https://api.example.com/v1/score");
    editor.wait_for("32/512");
    editor.keys(&[DOWN]);
    editor.send("60");
    editor.keys(&[F8]);
    editor.wait_for("Template –");
    editor.send("{\"domain\": {{ domain|tojson }}}");
    editor.wait_for("✓ valid JSON");
}

/// A sandbox on a loopback port and a config that makes it the default target.
struct External {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
    key: String,
    config: tempfile::TempDir,
}

impl External {
    fn start() -> External {
        External::start_for("databar")
    }

    /// A sandbox and a config whose default target is it, as `vendor`'s server.
    fn start_for(vendor: &str) -> External {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let key = "pty-test-key".to_owned();
        let sandbox = runtime
            .block_on(Sandbox::start(ServeOptions {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                db: DbPath::Memory,
                keys: vec![key.clone()],
                plan: Plan::default(),
            }))
            .unwrap();
        let config = tempfile::tempdir().unwrap();
        std::fs::write(
            config.path().join("config.toml"),
            format!(
                "default_target = \"local\"\n[targets.local]\nvendor = \"{vendor}\"\nbase_url = \"{}\"\nsecret_env = \"PTY_TEST_KEY\"\n",
                sandbox.base_url()
            ),
        )
        .unwrap();
        External {
            runtime,
            sandbox: Some(sandbox),
            key,
            config,
        }
    }

    fn config_path(&self) -> String {
        self.config.path().join("config.toml").display().to_string()
    }

    fn stored(&self) -> Vec<Value> {
        let url = format!(
            "{}/v1/connectors/",
            self.sandbox.as_ref().unwrap().base_url()
        );
        let key = self.key.clone();
        self.runtime.block_on(async move {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let response = reqwest::Client::new()
                .get(url)
                .header("x-apikey", key)
                .send()
                .await
                .unwrap();
            response.json::<Vec<Value>>().await.unwrap()
        })
    }

    /// What the sandbox stored as Cargo connectors (`GET /v1/connection/connectors`, Bearer).
    fn stored_cargo(&self) -> Vec<Value> {
        let url = format!(
            "{}/v1/connection/connectors",
            self.sandbox.as_ref().unwrap().base_url()
        );
        let key = self.key.clone();
        self.runtime.block_on(async move {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let response = reqwest::Client::new()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            let body = response.json::<Value>().await.unwrap();
            body["connectors"].as_array().cloned().unwrap_or_default()
        })
    }
}

impl Drop for External {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(async move { drop(sandbox) });
        }
    }
}

#[test]
fn typed_connector_with_template_is_stored_by_the_sandbox() {
    let external = External::start();
    let cwd = tempfile::tempdir().unwrap();
    let config = external.config_path();
    let mut editor = Editor::start(
        cwd.path(),
        &[],
        &[
            ("PATCHCORD_CONFIG", &config),
            ("PTY_TEST_KEY", &external.key),
        ],
    );
    editor.wait_for("LIVE");
    // The target is "live" from the editor's point of view: an explicitly configured server.
    editor.send("Company scoring");
    editor.wait_for("Company scoring");
    editor.keys(&[DOWN, DOWN, RIGHT, DOWN]);
    editor.send("https://api.example.com/v1/score");
    editor.keys(&[DOWN]);
    editor.send("60");
    editor.keys(&[F8]);
    editor.send("{\"domain\": {{ domain|tojson }}}");
    editor.wait_for("✓ valid JSON");
    editor.keys(&[CTRL_R]);
    editor.wait_for("Review: exactly what will be sent to LIVE");
    editor.wait_for("/v1/connectors/");
    editor.wait_for("POST http://127.0.0.1:");
    // A LIVE target: Enter alone sends nothing; its name typed, then Enter, does.
    editor.wait_for("type local to confirm:");
    editor.keys(&[ENTER]);
    editor.wait_for("LIVE target: type local to send");
    assert!(external.stored().is_empty(), "a stray Enter sent it");
    editor.send("local");
    editor.wait_for("type local to confirm: local");
    editor.keys(&[ENTER]);
    editor.wait_for("created, id 1");
    editor.wait_for("rate_limit: sent 60, stored 10");

    let stored = external.stored();
    assert_eq!(stored.len(), 1, "{stored:?}");
    let connector = &stored[0];
    assert_eq!(connector["name"], "Company scoring");
    assert_eq!(connector["method"], "post");
    assert_eq!(connector["url"], "https://api.example.com/v1/score");
    assert_eq!(
        connector["body_template"],
        "{\"domain\": {{ domain|tojson }}}"
    );
    assert_eq!(
        connector["body"],
        serde_json::json!([{"name": "domain", "value": ""}])
    );
    assert_eq!(connector["rate_limit"], 10, "the plan caps it");
}

#[test]
fn embedded_sandbox_submit_then_resubmit_replaces() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    type_connector(&mut editor, "Embedded demo");
    editor.keys(&[CTRL_R]);
    editor.wait_for("/v1/connectors/");
    editor.wait_for("POST http://127.0.0.1:");
    editor.keys(&[ENTER]);
    editor.wait_for("created, id 1");
    editor.wait_for("rate_limit: sent 60, stored 10");
    editor.keys(&[ESC]);
    editor.wait_for("connector: Embedded demo · id 1");
    editor.wait_for("was 60");
    editor.keys(&[CTRL_R]);
    editor.wait_for("PUT http://127.0.0.1:");
    editor.wait_for("/v1/connectors/1");
    editor.keys(&[ENTER]);
    editor.wait_for("replaced connector 1");
    editor.keys(&[ESC]);
    // Browse shows it on the target, in columns under the vendor it lists.
    editor.keys(&[CTRL_O]);
    editor.wait_for("On the target: Databar connectors");
    editor.wait_for("#1  Embedded demo  POST  https://api.example.com/v1/score");
}

#[test]
fn broken_template_is_marked_and_quit_prompts_then_saves() {
    let cwd = tempfile::tempdir().unwrap();
    let file = cwd.path().join("new.json");
    let mut editor = Editor::start(cwd.path(), &["new.json"], &[]);
    editor.wait_for("new.json");
    editor.send("Saved on quit");
    editor.keys(&[F8]);
    editor.send("{{ oops }");
    editor.wait_for("template does not compile");
    editor.wait_for("✗ 1:");
    editor.keys(&[CTRL_Q]);
    editor.wait_for("There are unsaved changes.");
    editor.send("s");
    assert!(editor.wait_exit(), "exit status");
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["name"], "Saved on quit");
    assert_eq!(saved["body_template"], "{{ oops }");
}

/// The command palette: Ctrl-P, a few letters of an action, Enter runs it where the palette was
/// opened (here: switch to the Template tab, then save).
#[test]
fn the_palette_filters_to_an_action_and_runs_it() {
    let cwd = tempfile::tempdir().unwrap();
    let file = cwd.path().join("new.json");
    let mut editor = Editor::start(cwd.path(), &["new.json"], &[]);
    editor.wait_for("new.json");
    editor.send("Palette demo");
    editor.keys(&["\x10"]);
    editor.wait_for("type to filter");
    editor.send("templ tab");
    editor.wait_for("▶ Alt-4 F8 Template tab");
    editor.keys(&[ENTER]);
    editor.wait_gone("type to filter");
    editor.wait_for("no template: the body list is sent");
    editor.keys(&["\x10"]);
    editor.wait_for("type to filter");
    editor.send("save the");
    editor.wait_for("save the connector file");
    editor.keys(&[ENTER]);
    editor.wait_gone("type to filter");
    let end = std::time::Instant::now() + deadline();
    let saved = loop {
        let read = std::fs::read(&file).ok();
        if let Some(saved) = read.and_then(|b| serde_json::from_slice::<Value>(&b).ok()) {
            break saved;
        }
        assert!(
            std::time::Instant::now() < end,
            "not saved: {}",
            editor.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(saved["name"], "Palette demo");
    // The file is on disk before the editor has taken the save's answer: wait for that too.
    editor.wait_gone("new.json ●");
    editor.keys(&[CTRL_Q]);
    assert!(editor.wait_exit(), "exit status");
}

/// `[keys]` in the config: the rebound keys act, the old ones do not, and the status bar and
/// help overlay show the keys in effect.
#[test]
fn rebound_keys_act_and_are_shown() {
    let cwd = tempfile::tempdir().unwrap();
    let config = cwd.path().join("config.toml");
    std::fs::write(&config, "[keys]\nquit = \"ctrl-x\"\nhelp = \"f2\"\n").unwrap();
    let config = config.to_string_lossy().into_owned();
    let mut editor = Editor::start(cwd.path(), &[], &[("PATCHCORD_CONFIG", &config)]);
    editor.wait_for("^X quit");
    // Ctrl-Q no longer quits: the F2 after it is still answered.
    editor.keys(&[CTRL_Q, "\x1bOQ"]);
    editor.wait_for("quit (asks when there are unsaved changes)");
    let screen = editor.screen();
    assert!(screen.contains("Ctrl-X"), "{screen}");
    assert!(!screen.contains("Ctrl-Q"), "{screen}");
    assert!(!screen.contains("F1"), "{screen}");
    editor.keys(&[ESC]);
    editor.wait_gone("quit (asks when there are unsaved changes)");
    editor.send("\x18");
    assert!(editor.wait_exit(), "exit status");
}

#[test]
fn resizing_to_tiny_and_back_never_breaks_and_ctrl_c_restores() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    editor.wait_for("SANDBOX");
    editor.resize(20, 5);
    editor.wait_for("too small");
    editor.resize(1, 1);
    editor.resize(59, 16);
    editor.wait_for("need 60×16");
    editor.resize(COLS, ROWS);
    editor.wait_for("Template");
    editor.send("x");
    editor.wait_for("x");
    // Ctrl-C with unsaved changes asks; a second Ctrl-C quits at once (the journal keeps them).
    editor.keys(&["\x03"]);
    editor.wait_for("There are unsaved changes.");
    editor.send("\x03");
    assert!(editor.wait_exit());
    // The terminal is restored: the alternate screen is gone, the shell's screen is back.
    editor.wait_gone("patchcord Databar connector");
    assert!(!editor.parser.lock().unwrap().screen().alternate_screen());
}

#[test]
fn edits_survive_a_kill_and_are_offered_back() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    std::fs::write(
        cwd.path().join("c.json"),
        r#"{"$patchcord": {"vendor": "databar"}, "name": "Before", "method": "get", "url": "https://x.example/a"}"#,
    )
    .unwrap();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Before");
    editor.send(" and after");
    editor.wait_for("Before and after");
    // The journal is written off the UI thread: wait for it, then kill without warning.
    let end = Instant::now() + deadline();
    while std::fs::read_dir(journal.path()).map_or(0, Iterator::count) == 0 {
        assert!(Instant::now() < end, "no journal written");
        std::thread::park_timeout(Duration::from_millis(20));
    }
    editor.child.kill().unwrap();
    let _ = editor.wait_exit();
    drop(editor);

    // "Decide later" and a clean quit keep the record for the next start.
    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Recover unsaved edits?");
    editor.keys(&[ESC]);
    editor.wait_gone("Recover unsaved edits?");
    editor.keys(&[CTRL_Q]);
    assert!(editor.wait_exit());
    drop(editor);

    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Recover unsaved edits?");
    editor.send("y");
    editor.wait_for("Before and after");
    editor.wait_for("recovered unsaved edits");
}

#[test]
fn ctrl_e_edits_the_template_in_editor_and_takes_it_back() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(
        cwd.path(),
        &[],
        &[("EDITOR", "sed -i s/domain/company/g"), ("VISUAL", "")],
    );
    editor.wait_for("SANDBOX");
    editor.keys(&[F8]);
    editor.send("{\"domain\": {{ domain|tojson }}}");
    editor.wait_for("✓ valid JSON");
    editor.keys(&["\x05"]);
    editor.wait_for("template updated from $EDITOR");
    editor.wait_for("{\"company\": {{ company|tojson }}}");
    // Keys still reach the editor afterwards.
    typed_after_resume(&mut editor, "x{\"company\"", "x");
}

#[test]
fn try_it_fires_the_connectors_own_request_at_the_sandbox_demo() {
    let external = External::start();
    let base = external.sandbox.as_ref().unwrap().base_url();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("echo.json"),
        serde_json::json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Echo",
            "method": "post",
            "url": format!("{base}/demo/echo"),
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "parameters": [{"name": "q", "value": "a b"}],
            "body_template": "{\"domain\": {{ domain|tojson }}}"
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        cwd.path().join("echo.samples.json"),
        r#"{"domain": "acme.com"}"#,
    )
    .unwrap();
    let mut editor = Editor::start(cwd.path(), &["echo.json"], &[]);
    editor.wait_for("Echo");
    editor.keys(&["\x14"]);
    editor.wait_for("200 OK");
    editor.wait_for("\"path\": \"/demo/echo\"");
    editor.wait_for("\"q\": \"a b\"");
    editor.wait_for("\"domain\": \"acme.com\"");
    editor.keys(&[ESC]);
    editor.wait_gone("200 OK");
}

/// Opens browse and starts an empty connector of the vendor at `steps` below the first "New"
/// entry (no remote connectors, files or examples are listed before it).
fn new_connector_from_browse(editor: &mut Editor, steps: usize, label: &str) {
    editor.keys(&[CTRL_O]);
    editor.wait_for("empty Cargo connector");
    editor.wait_gone("loading…");
    for _ in 0..steps {
        editor.keys(&[DOWN]);
    }
    editor.keys(&[ENTER]);
    editor.wait_for(&format!("{label} connector:"));
}

/// The embedded sandbox's address, as the Target row shows it (8765 when it was free).
fn sandbox_base(editor: &Editor) -> String {
    editor.wait_for("SANDBOX  http://127.0.0.1:");
    let screen = editor.screen();
    let (_, tail) = screen.split_once("http://127.0.0.1:").unwrap();
    let port: String = tail.chars().take_while(char::is_ascii_digit).collect();
    format!("http://127.0.0.1:{port}")
}

#[test]
fn agent_stack_submit_then_connect_shows_the_authorization_link() {
    let cwd = tempfile::tempdir().unwrap();
    let examples = tempfile::tempdir().unwrap();
    let examples_dir = examples.path().display().to_string();
    let mut editor = Editor::start(cwd.path(), &[], &[("PATCHCORD_EXAMPLES", &examples_dir)]);
    let base = sandbox_base(&editor);
    new_connector_from_browse(&mut editor, 1, "Agent Stack");
    editor.wait_for("not on the target yet");
    let url = format!("{base}/demo/mcp/oauth");
    editor.send(&url);
    editor.wait_for(&url);
    editor.keys(&[CTRL_R]);
    editor.wait_for(&format!("POST {base}/api/v1/connectors"));
    editor.keys(&[ENTER]);
    editor.wait_for("✓ created, id ");
    editor.keys(&[ESC]);
    editor.wait_for(" created ");
    editor.wait_for("^K connect");
    editor.keys(&[CTRL_K]);
    editor.wait_for("redirect URL:");
    editor.keys(&[ENTER]);
    editor.wait_for(" auth_required ");
    editor.wait_for("Authorize");
    editor.wait_for(&format!("{base}/authorize"));
    // Saved and opened again, the connector reads its state back from the target.
    editor.keys(&["\x13"]);
    editor.wait_for("Save as");
    editor.keys(&[ENTER]);
    editor.wait_for("saved connector.json");
    editor.keys(&[CTRL_O]);
    // The file row shows its state against the target, as `plan` compares them.
    editor.wait_for("connector.json  [in sync]  Agent Stack");
    editor.wait_gone("loading…");
    editor.keys(&[DOWN, ENTER]);
    editor.wait_for("opened ");
    editor.wait_for(" auth_required ");
    editor.wait_for(&format!("{base}/authorize"));
}

#[test]
fn cargo_typed_with_config_json_and_rate_limit_is_stored_by_the_sandbox() {
    let external = External::start_for("cargo");
    let cwd = tempfile::tempdir().unwrap();
    let examples = tempfile::tempdir().unwrap();
    let examples_dir = examples.path().display().to_string();
    let config = external.config_path();
    let mut editor = Editor::start(
        cwd.path(),
        &[],
        &[
            ("PATCHCORD_CONFIG", &config),
            ("PTY_TEST_KEY", &external.key),
            ("PATCHCORD_EXAMPLES", &examples_dir),
        ],
    );
    editor.wait_for("LIVE");
    new_connector_from_browse(&mut editor, 2, "Cargo");
    editor.send("Company scoring");
    editor.wait_for("Company scoring");
    editor.keys(&[DOWN]);
    editor.send("company-scoring");
    editor.wait_for("company-scoring");
    editor.keys(&[DOWN]);
    editor.send("http");
    editor.keys(&[DOWN]);
    editor.send("5x");
    editor.wait_for("digits only");
    editor.send("00");
    editor.wait_for("500  per ‹ minute ›");
    editor.keys(&[LEFT]);
    editor.wait_for("500  per ‹ hour ›");
    // The config tab: a JSON editor over `{}`; clear it and type an object over three lines.
    editor.keys(&[ALT_1]);
    editor.wait_for("Config ✓ JSON object");
    editor.keys(&[DEL, DEL]);
    // Enter indents the next line after `{` (and keeps that indent), so no spaces are typed.
    editor.send("{\r\"region\": \"eu\",\r\"retries\": 3");
    editor.wait_for("Config ✗ 3:14 EOF while parsing an object");
    editor.wait_for("kept as text until it parses");
    editor.send("\r}");
    editor.wait_for("Config ✓ JSON object");
    editor.keys(&[CTRL_R]);
    editor.wait_for("POST http://127.0.0.1:");
    editor.wait_for("/v1/connection/connectors");
    editor.send("local");
    editor.wait_for("type local to confirm: local");
    editor.keys(&[ENTER]);
    editor.wait_for("✓ created, id ");
    editor.keys(&[ESC]);
    editor.wait_for("fixed once created");

    let stored = external.stored_cargo();
    assert_eq!(stored.len(), 1, "{stored:?}");
    let connector = &stored[0];
    assert_eq!(connector["name"], "Company scoring");
    assert_eq!(connector["slug"], "company-scoring");
    assert_eq!(connector["integrationSlug"], "http");
    assert_eq!(
        connector["config"],
        serde_json::json!({"region": "eu", "retries": 3})
    );
    assert_eq!(
        connector["rateLimit"],
        serde_json::json!({"unit": "hour", "max": 500})
    );
}

/// Fails with the screen when it shows any of `secrets`.
fn assert_no_secret(editor: &Editor, secrets: &[&str], step: &str) {
    let screen = editor.screen();
    for secret in secrets {
        assert!(
            !screen.contains(secret),
            "{step}: the screen shows {secret}:\n{screen}"
        );
    }
}

#[test]
fn no_editor_screen_shows_a_secret() {
    const SECRETS: [&str; 6] = [
        "SECRET-HDR-1111",
        "SECRET-PRM-2222",
        "SECRET-BODY-3333",
        "SECRET-URL-4444",
        "pty-test-key",
        "1111",
    ];
    let external = External::start();
    let base = external.sandbox.as_ref().unwrap().base_url();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("scan.json"),
        serde_json::json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Scan", "method": "post",
            "url": format!("{base}/demo/echo?token=SECRET-URL-4444"),
            "headers": [{"name": "Authorization", "value": "Bearer SECRET-HDR-1111"}],
            "parameters": [{"name": "api_key", "value": "SECRET-PRM-2222"},
                           {"name": "domain", "value": ""}],
            "body": [{"name": "password", "value": "SECRET-BODY-3333"}]
        })
        .to_string(),
    )
    .unwrap();
    let config = external.config_path();
    let mut editor = Editor::start(
        cwd.path(),
        &["scan.json"],
        &[
            ("PATCHCORD_CONFIG", &config),
            ("PTY_TEST_KEY", &external.key),
        ],
    );
    editor.wait_for("LIVE");
    editor.wait_for("→ sends");
    assert_no_secret(&editor, &SECRETS, "form");
    for (tab, shown) in [
        (ALT_1, "Authorization"),
        (ALT_2, "api_key"),
        (ALT_3, "password"),
    ] {
        editor.keys(&[tab]);
        editor.wait_for(shown);
        assert_no_secret(&editor, &SECRETS, shown);
    }
    editor.keys(&["b"]);
    editor.wait_for("Bulk edit");
    assert_no_secret(&editor, &SECRETS, "bulk edit");
    editor.keys(&[ESC]);
    editor.wait_gone("Bulk edit");
    editor.keys(&[CTRL_R]);
    editor.wait_for("Review");
    assert_no_secret(&editor, &SECRETS, "review");
    editor.keys(&[ESC]);
    editor.wait_gone("Review");
    // Try it against the sandbox's echo, which sends the request's credentials back.
    editor.keys(&["\x14"]);
    editor.wait_for("200 OK");
    editor.wait_for("/demo/echo");
    assert_no_secret(&editor, &SECRETS, "try-it result");
    editor.keys(&[ESC]);
    // The explicit toggle reveals them.
    editor.keys(&[ALT_1, "v"]);
    editor.wait_for("SECRET-HDR-1111");
}

#[test]
fn agent_stack_secrets_stay_masked_while_typed_reviewed_and_stored() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("mcp.json"),
        serde_json::json!({
            "$patchcord": {"vendor": "agent_stack"},
            "url": "https://mcp.example.com/mcp", "client_id": "app",
            "metadata": {"team": "growth", "api_key": "SECRET-META-6666"}
        })
        .to_string(),
    )
    .unwrap();
    let secrets = ["SECRET-META-6666", "SECRET-CS-TYPED"];
    let mut editor = Editor::start(cwd.path(), &["mcp.json"], &[]);
    editor.wait_for("SANDBOX");
    editor.wait_for("mcp.example.com");
    editor.keys(&[DOWN, DOWN]);
    editor.send("SECRET-CS-TYPED");
    editor.wait_for("•••••••••••••••");
    assert_no_secret(&editor, &secrets, "client secret being typed");
    editor.keys(&[ALT_1]);
    editor.wait_for("api_key");
    assert_no_secret(&editor, &secrets, "metadata");
    editor.keys(&[CTRL_R]);
    editor.wait_for("Review");
    editor.wait_for("client_secret");
    assert_no_secret(&editor, &secrets, "review");
    editor.keys(&[ENTER]);
    editor.wait_for("✓ created, id ");
    editor.wait_for("api_key");
    assert_no_secret(&editor, &secrets, "stored view");
}

const LOOP_BOMB: &str =
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";

/// The issue's bomb file: the first screen comes up at once (its render runs off the loop and
/// is stopped by its fuel), and Ctrl-Q quits.
#[test]
fn a_template_bomb_file_opens_at_once_and_ctrl_q_quits() {
    let cwd = tempfile::tempdir().unwrap();
    let connector = serde_json::json!({"name": "Bomb", "method": "post",
                                       "url": "https://a.example", "body_template": LOOP_BOMB});
    std::fs::write(cwd.path().join("bomb.json"), connector.to_string()).unwrap();
    let mut editor = Editor::start(cwd.path(), &["bomb.json"], &[]);
    editor.wait_for("bomb.json");
    editor.keys(&[F8]);
    editor.wait_for("stopped at a limit");
    editor.keys(&[CTRL_Q]);
    assert!(editor.wait_exit(), "exit status");
}

/// Typing the bomb's last `}` does not freeze the editor: what is typed after it is drawn.
#[test]
fn typing_a_template_bomb_keeps_the_editor_answering() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    editor.wait_for("SANDBOX");
    editor.keys(&[F8]);
    editor.wait_for("Template –");
    editor.send(LOOP_BOMB);
    editor.wait_for("stopped at a limit");
    editor.send("after");
    editor.wait_for("%}after");
    editor.keys(&[CTRL_Q]);
    editor.wait_for("There are unsaved changes.");
    editor.send("\x03");
    assert!(editor.wait_exit());
}

/// `patchcord /dev/zero` is refused at once, with the reason, and the terminal is never taken.
#[test]
fn an_endless_file_is_refused_before_the_editor_starts() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &["/dev/zero"], &[]);
    editor.wait_for("/dev/zero: larger than 16 MiB");
    assert!(!editor.wait_exit(), "exits with an error");
    assert!(!editor.parser.lock().unwrap().screen().alternate_screen());
}

/// The CLI in a terminal: deleting on a LIVE target asks for the target's name (a wrong
/// answer deletes nothing), and a submit with an id recorded without a target asks whether it
/// is this target's.
#[test]
fn cli_asks_before_deleting_on_a_live_target_and_about_legacy_ids() {
    let external = External::start();
    let cwd = tempfile::tempdir().unwrap();
    let config = external.config_path();
    let env = [
        ("PATCHCORD_CONFIG", config.as_str()),
        ("PTY_TEST_KEY", external.key.as_str()),
    ];
    let file = cwd.path().join("c.json");
    std::fs::write(
        &file,
        r#"{"name": "CLI", "method": "get", "url": "https://api.example.com/x"}"#,
    )
    .unwrap();
    let mut cli = Editor::start(cwd.path(), &["submit", "c.json"], &env);
    cli.wait_for("created connector 1 on LIVE local");
    assert!(cli.wait_exit());

    // An older patchcord's id, without its target: asked, and "y" binds it.
    std::fs::write(
        &file,
        r#"{"$patchcord": {"vendor": "databar", "id": 1}, "name": "CLI v2", "method": "get", "url": "https://api.example.com/x"}"#,
    )
    .unwrap();
    let mut cli = Editor::start(cwd.path(), &["submit", "c.json"], &env);
    cli.wait_for(
        "c.json: id 1 was recorded without a target: is it on LIVE local http://127.0.0.1:",
    );
    cli.send("y\r");
    cli.wait_for("replaced connector 1 on LIVE local");
    assert!(cli.wait_exit());
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["$patchcord"]["ids"][0]["target"], "local");
    assert!(saved["$patchcord"].get("id").is_none(), "{saved}");
    assert_eq!(external.stored()[0]["name"], "CLI v2");

    let mut cli = Editor::start(cwd.path(), &["delete", "1"], &env);
    cli.wait_for("delete connector 1 on LIVE local");
    cli.wait_for("Type local to confirm");
    cli.send("\r");
    assert!(!cli.wait_exit(), "an empty answer deletes nothing");
    assert_eq!(external.stored().len(), 1);
    let mut cli = Editor::start(cwd.path(), &["delete", "c.json"], &env);
    cli.wait_for("Type local to confirm");
    cli.send("local\r");
    cli.wait_for("deleted connector 1 on LIVE local; the id was removed from c.json");
    assert!(cli.wait_exit());
    assert!(external.stored().is_empty());
}

/// Sends a signal to the editor's process.
fn signal(editor: &Editor, name: &str) {
    let pid = editor.child.process_id().expect("a pid");
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until the editor's process is stopped (state `T` in `/proc/PID/stat`): it leaves the
/// alternate screen just before it stops itself, and a SIGCONT sent in between would be lost.
fn wait_stopped(editor: &Editor) {
    let pid = editor.child.process_id().expect("a pid");
    let end = Instant::now() + deadline();
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // `PID (comm) STATE ...`: the state follows the last `)`.
        let state = stat.rsplit(')').next().unwrap_or_default().trim_start();
        if state.starts_with('T') {
            return;
        }
        assert!(Instant::now() < end, "not stopped: {stat}");
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

/// Types `text` into an editor that just took the terminal back (after Ctrl-Z and `fg`, or
/// `$EDITOR`) and waits until the screen shows `shown`. Under load a key sent in the first
/// moment after the handover has been seen not to arrive (a known race, in the README), so
/// it is sent once more if nothing shows within a quarter of the deadline (the wait is for
/// `shown` anywhere, so a second copy is harmless).
fn typed_after_resume(editor: &mut Editor, shown: &str, text: &str) {
    editor.send(text);
    let end = Instant::now() + deadline() / 4;
    while Instant::now() < end {
        if editor.screen().contains(shown) {
            return;
        }
        std::thread::park_timeout(Duration::from_millis(20));
    }
    editor.send(text);
    editor.wait_for(shown);
}

/// `kill -INT` (and the other ending signals) restores the terminal (no alternate screen, no
/// mouse reporting) and keeps the edits for the next start.
#[test]
fn an_interrupt_from_outside_restores_the_terminal_and_journals() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    std::fs::write(
        cwd.path().join("c.json"),
        r#"{"$patchcord": {"vendor": "databar"}, "name": "Before", "method": "get", "url": "https://x.example/a"}"#,
    )
    .unwrap();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    for name in ["INT", "QUIT"] {
        let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
        editor.wait_for("Before");
        if name == "QUIT" {
            editor.wait_for("Recover unsaved edits?");
            editor.send("y");
            editor.wait_for("recovered unsaved edits");
        }
        editor.send("!");
        editor.wait_for("Before!");
        signal(&editor, name);
        let _ = editor.wait_exit();
        // The exit can be seen before the reader thread has parsed the last bytes written.
        let end = Instant::now() + deadline();
        while editor.parser.lock().unwrap().screen().alternate_screen() && Instant::now() < end {
            std::thread::park_timeout(Duration::from_millis(10));
        }
        let screen = editor.parser.lock().unwrap().screen().clone();
        assert!(
            !screen.alternate_screen(),
            "SIG{name}: alternate screen left on"
        );
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "SIG{name}: mouse reporting left on"
        );
    }
    let editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Recover unsaved edits?");
}

/// Ctrl-Z hands the terminal back and stops; continued, the editor takes it again and redraws.
#[test]
fn ctrl_z_suspends_and_continuing_redraws() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    editor.wait_for("SANDBOX");
    editor.send("\x1a");
    let end = Instant::now() + deadline();
    while editor.parser.lock().unwrap().screen().alternate_screen() {
        assert!(Instant::now() < end, "still in the alternate screen");
        std::thread::park_timeout(Duration::from_millis(20));
    }
    wait_stopped(&editor);
    signal(&editor, "CONT");
    editor.wait_for("SANDBOX");
    assert!(editor.parser.lock().unwrap().screen().alternate_screen());
    typed_after_resume(&mut editor, "Named", "Named");
    // A stop from outside (kill -TSTP) suspends the same way.
    signal(&editor, "TSTP");
    let end = Instant::now() + deadline();
    while editor.parser.lock().unwrap().screen().alternate_screen() {
        assert!(
            Instant::now() < end,
            "SIGTSTP: still in the alternate screen"
        );
        std::thread::park_timeout(Duration::from_millis(20));
    }
    wait_stopped(&editor);
    signal(&editor, "CONT");
    editor.wait_for("Named");
}

/// Kills the editor the way `kill -9` does: no signal handler runs, nothing is flushed.
fn kill_9(editor: &mut Editor) {
    let pid = editor.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -9 {pid}");
    assert!(!editor.wait_exit(), "killed, not exited");
}

/// What the journal directory holds, by file name.
fn journal_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|read| {
            read.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name).extension().is_some_and(|x| x == extension)
}

/// Waits until a journal record in `dir` holds `text` (records are written off the UI loop).
fn wait_journaled(dir: &Path, text: &str) {
    let end = Instant::now() + deadline();
    loop {
        let found = journal_files(dir)
            .iter()
            .filter(|name| has_extension(name, "json"))
            .any(|name| {
                std::fs::read_to_string(dir.join(name)).is_ok_and(|body| body.contains(text))
            });
        if found {
            return;
        }
        assert!(
            Instant::now() < end,
            "no journal record holds {text:?}: {:?}",
            journal_files(dir)
        );
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

/// Waits until this editor's session holds its lock (taken off the UI loop at start).
fn wait_locked(dir: &Path, count: usize) {
    let end = Instant::now() + deadline();
    while journal_files(dir)
        .iter()
        .filter(|n| has_extension(n, "lock"))
        .count()
        < count
    {
        assert!(Instant::now() < end, "no lock: {:?}", journal_files(dir));
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

fn connector_file(dir: &Path, name: &str, title: &str) {
    std::fs::write(
        dir.join(name),
        format!(
            r#"{{"$patchcord": {{"vendor": "databar"}}, "name": "{title}", "method": "get", "url": "https://x.example/a"}}"#
        ),
    )
    .unwrap();
}

#[test]
fn text_typed_in_the_bulk_editor_survives_kill_9() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    connector_file(cwd.path(), "c.json", "Bulky");
    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Bulky");
    editor.keys(&[ALT_1, "b"]);
    editor.wait_for("Bulk edit headers");
    editor.send("X-Trace: 12345");
    editor.wait_for("X-Trace: 12345");
    wait_journaled(journal.path(), "X-Trace: 12345");
    kill_9(&mut editor);
    drop(editor);

    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Recover unsaved edits?");
    editor.wait_for("with 14 characters typed in the bulk editor of headers");
    editor.send("y");
    editor.wait_for("Bulk edit headers");
    editor.wait_for("X-Trace: 12345");
    // Typing goes on where it stopped, and Ctrl-S applies it as a header row.
    editor.send("6");
    editor.wait_for("X-Trace: 123456");
    editor.keys(&["\x13"]);
    editor.wait_for("1 rows applied");
    editor.wait_for("123456");
}

#[test]
fn discard_and_quit_leaves_no_journal_behind() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    connector_file(cwd.path(), "c.json", "Keep me");
    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Keep me");
    editor.send(" not");
    editor.wait_for("Keep me not");
    wait_journaled(journal.path(), "Keep me not");
    editor.keys(&[CTRL_Q]);
    editor.wait_for("There are unsaved changes.");
    editor.send("d");
    assert!(editor.wait_exit());
    drop(editor);
    assert_eq!(journal_files(journal.path()), Vec::<String>::new());

    let editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("SANDBOX");
    editor.wait_for("Keep me");
    assert!(!editor.screen().contains("Recover"), "{}", editor.screen());
}

/// A second editor on the same file is told the first one's PID, never offers the live
/// session's edits as a crash, and once the first quits cleanly nothing is offered.
#[test]
fn a_second_editor_on_a_file_names_the_first_and_offers_nothing() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    connector_file(cwd.path(), "c.json", "Shared");
    let mut first = Editor::start(cwd.path(), &["c.json"], &env);
    first.wait_for("Shared");
    first.send(" by the first");
    wait_journaled(journal.path(), "Shared by the first");
    wait_locked(journal.path(), 1);
    let first_pid = first.child.process_id().unwrap();

    let mut second = Editor::start(cwd.path(), &["c.json"], &env);
    second.wait_for(&format!(
        "c.json is also open in another patchcord (PID {first_pid})"
    ));
    assert!(!second.screen().contains("Recover"), "{}", second.screen());
    second.keys(&[ESC]);
    second.wait_for(&format!("also open in another patchcord (PID {first_pid})"));
    // Each journals apart: the second's typing does not touch the first's record.
    second.send(" and the second");
    wait_journaled(journal.path(), "Shared and the second");
    wait_journaled(journal.path(), "Shared by the first");
    second.keys(&[CTRL_Q]);
    second.wait_for("There are unsaved changes.");
    second.send("d");
    assert!(second.wait_exit());
    first.keys(&[CTRL_Q]);
    first.wait_for("There are unsaved changes.");
    first.send("d");
    assert!(first.wait_exit());
    drop((first, second));

    let third = Editor::start(cwd.path(), &["c.json"], &env);
    third.wait_for("SANDBOX");
    third.wait_for("Shared");
    let screen = third.screen();
    assert!(!screen.contains("Recover"), "{screen}");
    assert!(!screen.contains("also open"), "{screen}");
}

/// A lock left by a process killed with -9 names a dead PID: the next editor takes over
/// (it is not told the file is open elsewhere) and offers the dead session's edits.
#[test]
fn a_stale_lock_from_a_dead_editor_is_taken_over() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    connector_file(cwd.path(), "c.json", "Orphan");
    let mut dead = Editor::start(cwd.path(), &["c.json"], &env);
    dead.wait_for("Orphan");
    dead.send(" edit");
    wait_journaled(journal.path(), "Orphan edit");
    wait_locked(journal.path(), 1);
    let dead_pid = dead.child.process_id().unwrap();
    kill_9(&mut dead);
    drop(dead);

    let heir = Editor::start(cwd.path(), &["c.json"], &env);
    heir.wait_for("Recover unsaved edits?");
    heir.wait_for("connector \"Orphan edit\"");
    assert!(!heir.screen().contains("also open"), "{}", heir.screen());
    let heir_pid = heir.child.process_id().unwrap();
    wait_locked(journal.path(), 1);
    // A third editor is told about the live one only, not the dead one.
    let third = Editor::start(cwd.path(), &["c.json"], &env);
    third.wait_for(&format!("PID {heir_pid}"));
    assert!(
        !third.screen().contains(&format!("PID {dead_pid}")),
        "{}",
        third.screen()
    );
}

#[test]
fn several_pending_journals_are_offered_in_one_list() {
    let cwd = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let journal_dir = journal.path().display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    for (file, title) in [("a.json", "Alpha"), ("b.json", "Beta")] {
        connector_file(cwd.path(), file, title);
        let mut editor = Editor::start(cwd.path(), &[file], &env);
        editor.wait_for(title);
        if file == "b.json" {
            // Alpha's edits are offered first; decide later.
            editor.wait_for("Recover unsaved edits?");
            editor.keys(&[ESC]);
            editor.wait_gone("Recover unsaved edits?");
        }
        editor.send("!");
        wait_journaled(journal.path(), &format!("{title}!"));
        kill_9(&mut editor);
    }
    let mut editor = Editor::start(cwd.path(), &["a.json"], &env);
    editor.wait_for("2 sets of unsaved edits");
    editor.wait_for("a.json: connector \"Alpha!\"");
    editor.wait_for("b.json: connector \"Beta!\"");
    // The opened file's edits come first; ↓ and y take the other file's back.
    editor.keys(&[DOWN]);
    editor.send("y");
    editor.wait_for("recovered unsaved edits");
    editor.wait_for("Beta!");
    editor.wait_for("b.json");
}

#[test]
fn an_unwritable_journal_directory_is_shown_in_the_status_bar() {
    let cwd = tempfile::tempdir().unwrap();
    // A directory under a regular file cannot be created, whoever runs the test.
    std::fs::write(cwd.path().join("not-a-dir"), "").unwrap();
    let journal_dir = cwd.path().join("not-a-dir/journal").display().to_string();
    let env = [("PATCHCORD_JOURNAL_DIR", journal_dir.as_str())];
    connector_file(cwd.path(), "c.json", "Unjournaled");
    let mut editor = Editor::start(cwd.path(), &["c.json"], &env);
    editor.wait_for("Unjournaled");
    editor.send("!");
    editor.wait_for("⚠ edits not journaled: Not a directory");
    let screen = editor.screen();
    assert!(
        !screen.contains("WARN"),
        "a log line on the screen: {screen}"
    );
    // Editing and saving still work.
    editor.keys(&["\x13"]);
    editor.wait_for("saved c.json");
}

/// A script rewrites the file while it is open: Ctrl-S asks; reload takes the script's
/// version, overwrite writes the editor's.
#[test]
fn a_file_changed_behind_the_editors_back_is_not_overwritten_without_asking() {
    let cwd = tempfile::tempdir().unwrap();
    let file = cwd.path().join("c.json");
    connector_file(cwd.path(), "c.json", "Mine");
    let mut editor = Editor::start(cwd.path(), &["c.json"], &[]);
    editor.wait_for("Mine");
    editor.send(" edited");
    editor.wait_for("Mine edited");
    connector_file(cwd.path(), "c.json", "From the script");
    editor.keys(&["\x13"]);
    editor.wait_for("c.json changed on disk since it was opened or saved");
    editor.send("r");
    editor.wait_for("From the script");
    editor.wait_for("reloaded from disk; your edits are kept in the journal");
    editor.send(" again");
    editor.wait_for("From the script again");
    connector_file(cwd.path(), "c.json", "Script, second time");
    editor.keys(&["\x13"]);
    editor.wait_for("changed on disk");
    editor.send("o");
    editor.wait_for("saved c.json");
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["name"], "From the script again");
}

#[test]
fn no_color_and_color_never_draw_the_first_screen_without_colour() {
    for (args, env) in [
        (vec![], vec![("NO_COLOR", "1")]),
        (vec!["--color", "never"], vec![]),
    ] {
        let cwd = tempfile::tempdir().unwrap();
        let editor = Editor::start(cwd.path(), &args, &env);
        editor.wait_for("SANDBOX");
        let parser = editor.parser.lock().unwrap();
        let screen = parser.screen();
        let mut bold = false;
        for row in 0..ROWS {
            for col in 0..COLS {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(
                    (cell.fgcolor(), cell.bgcolor()),
                    (vt100::Color::Default, vt100::Color::Default),
                    "{args:?} {env:?}: colour at {row},{col}"
                );
                bold |= cell.bold();
            }
        }
        assert!(bold, "attributes stay: {args:?} {env:?}");
    }
}

/// `--color always` is asked for explicitly, so it wins over `NO_COLOR`.
#[test]
fn color_always_draws_colour_even_with_no_color_set() {
    let cwd = tempfile::tempdir().unwrap();
    let editor = Editor::start(cwd.path(), &["--color", "always"], &[("NO_COLOR", "1")]);
    editor.wait_for("SANDBOX");
    let parser = editor.parser.lock().unwrap();
    let screen = parser.screen();
    let coloured = (0..ROWS).any(|row| {
        (0..COLS).any(|col| {
            screen
                .cell(row, col)
                .is_some_and(|c| c.fgcolor() != vt100::Color::Default)
        })
    });
    assert!(coloured, "no colour on the screen");
}

#[test]
fn a_dumb_terminal_is_refused_with_a_pointer_to_the_cli() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[("TERM", "dumb")]);
    editor.wait_for("use the CLI instead");
    assert!(!editor.wait_exit(), "exits 2");
}

/// `apply` in a terminal on a LIVE target asks for the target's name before it sends
/// anything, like `delete`: a wrong answer applies nothing.
#[test]
fn cli_apply_asks_for_the_live_target_name_first() {
    let external = External::start();
    let cwd = tempfile::tempdir().unwrap();
    let config = external.config_path();
    let env = [
        ("PATCHCORD_CONFIG", config.as_str()),
        ("PTY_TEST_KEY", external.key.as_str()),
    ];
    std::fs::create_dir(cwd.path().join("ws")).unwrap();
    for name in ["a", "b"] {
        std::fs::write(
            cwd.path().join(format!("ws/{name}.json")),
            format!(
                r#"{{"$patchcord": {{"vendor": "databar"}}, "name": "{name}", "method": "get", "url": "https://api.example.com/{name}"}}"#
            ),
        )
        .unwrap();
    }
    let mut cli = Editor::start(cwd.path(), &["apply", "ws"], &env);
    cli.wait_for("+ create    a.json");
    cli.wait_for("apply 2 changes on LIVE local");
    cli.wait_for("Type local to confirm");
    cli.send("prod\r");
    assert!(!cli.wait_exit(), "a wrong answer applies nothing");
    assert!(external.stored().is_empty());

    let mut cli = Editor::start(cwd.path(), &["apply", "ws"], &env);
    cli.wait_for("Type local to confirm");
    cli.send("local\r");
    cli.wait_for("applied 2 of 2 changes on LIVE local");
    assert!(cli.wait_exit());
    assert_eq!(external.stored().len(), 2);
}

/// The template editor in a real terminal: Enter indents after a block tag, Tab takes the
/// filter offered, Ctrl-U undoes the last run of typing and Alt-U brings it back.
#[test]
fn the_template_editor_indents_completes_and_undoes() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    editor.wait_for("SANDBOX");
    editor.keys(&[F8]);
    editor.wait_for("Template –");
    editor.send("{% for item in xs %}\r{{ item|toj");
    editor.wait_for("│ 2   {{ item|toj");
    editor.wait_for("tojson");
    editor.send("\t");
    editor.wait_for("│ 2   {{ item|tojson");
    editor.send(" }}!");
    editor.wait_for("tojson }}!");
    editor.keys(&["\x15"]);
    editor.wait_gone("tojson }}!");
    editor.wait_for("│ 2   {{ item|tojson");
    editor.keys(&["\x1bu"]);
    editor.wait_for("tojson }}!");
}

/// `r` in the try-it view runs the rows file beside the connector against the sandbox's demo
/// endpoint, as a live table; Enter shows a row's answer, `e` exports JSON Lines, and the run
/// is in the history.
#[test]
fn the_rows_file_runs_in_the_editor_as_a_live_table() {
    let external = External::start();
    let base = external.sandbox.as_ref().unwrap().base_url();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("co.json"),
        serde_json::json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Co", "method": "get", "url": format!("{base}/demo/company"),
            "headers": [], "body": [],
            "parameters": [{"name": "domain", "value": ""}],
            "max_concurrency": 2, "rate_limit": 6000
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        cwd.path().join("co.samples.json"),
        r#"{"domain": "acme.com"}"#,
    )
    .unwrap();
    std::fs::write(
        cwd.path().join("co.rows.csv"),
        "domain\nacme.de\nglobex.com\ninitech.io\n",
    )
    .unwrap();
    let config = external.config_path();
    let mut editor = Editor::start(
        cwd.path(),
        &["co.json"],
        &[
            ("PATCHCORD_CONFIG", &config),
            ("PTY_TEST_KEY", &external.key),
        ],
    );
    editor.wait_for("LIVE");
    editor.keys(&["\x14"]);
    editor.wait_for("200 OK");
    editor.keys(&["r"]);
    editor.wait_for("3/3 answered · finished");
    editor.wait_for("globex.com");
    editor.keys(&["\r"]);
    editor.wait_for("Row 1 of 3");
    editor.wait_for("Acme");
    editor.keys(&[ESC, "e"]);
    editor.wait_for("wrote the results to");
    let exported = std::fs::read_to_string(cwd.path().join("co.results.jsonl")).unwrap();
    assert_eq!(exported.lines().count(), 3, "{exported}");
    editor.keys(&["c"]);
    editor.wait_for("co.results.csv");
    let table = std::fs::read_to_string(cwd.path().join("co.results.csv")).unwrap();
    assert!(
        table.starts_with("row,domain,status,elapsed_ms,error\n1,acme.de,200,"),
        "{table}"
    );
    editor.keys(&[ESC]);
    editor.wait_gone("answered");
}

/// The text on screen drawn on the accent background (where a select's match is marked).
fn marked_on_screen(editor: &Editor) -> String {
    let parser = editor.parser.lock().unwrap();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let mut out = String::new();
    for row in 0..rows {
        for col in 0..cols {
            if let Some(cell) = screen.cell(row, col)
                && cell.bgcolor() == vt100::Color::Idx(6)
            {
                out.push_str(cell.contents());
            }
        }
        out.push('\n');
    }
    out
}

/// Against the embedded sandbox's `/demo/company`: a select typed in the try-it view marks the
/// value it matches (a bad one shows the parser's message), then two rows typed into the rows
/// table run, each with its status and selected value.
#[test]
fn a_select_marks_the_response_and_typed_rows_run_in_the_editor() {
    let cwd = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(cwd.path(), &[], &[]);
    let base = sandbox_base(&editor);
    std::fs::write(
        cwd.path().join("co.json"),
        serde_json::json!({
            "$patchcord": {"vendor": "databar"},
            "name": "Co", "method": "get", "url": format!("{base}/demo/company"),
            "headers": [], "body": [],
            "parameters": [{"name": "domain", "value": ""}]
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        cwd.path().join("co.samples.json"),
        r#"{"domain": "acme.com"}"#,
    )
    .unwrap();
    editor.keys(&[CTRL_O]);
    editor.wait_for("co.json");
    editor.wait_gone("loading…");
    editor.keys(&[ENTER]);
    editor.wait_for("Databar connector: Co");
    editor.keys(&["\x14"]);
    editor.wait_for("200 OK");
    editor.keys(&["s"]);
    editor.wait_for("Select (JSONPath)");
    editor.send("company[");
    editor.keys(&[ENTER]);
    editor.wait_for("is not a JSONPath expression");
    for _ in 0.."company[".len() {
        editor.send("\x7f");
    }
    editor.send("$.name; $.nope");
    editor.wait_for("$ $.name; $.nope");
    editor.keys(&[ENTER]);
    editor.wait_gone("Select (JSONPath)");
    editor.wait_for("$.nope no match");
    let marked = marked_on_screen(&editor);
    assert!(
        marked.lines().filter(|l| l.contains("Acme")).count() == 2,
        "the list and the body both mark the name:\n{marked}\n{}",
        editor.screen()
    );
    assert!(marked.contains("\"Acme"), "{marked}");
    // Two rows: the samples' row, and one typed.
    editor.keys(&["t"]);
    editor.wait_for("Rows table · 1 row(s)");
    editor.wait_for("acme.com");
    editor.keys(&["a"]);
    editor.send("globex.com");
    editor.keys(&[ENTER]);
    editor.wait_for("Rows table · 2 row(s)");
    editor.keys(&["r"]);
    editor.wait_for("2/2 answered · finished");
    let screen = editor.screen();
    let answered: Vec<&str> = screen.lines().filter(|l| l.contains(" 200 ")).collect();
    assert_eq!(answered.len(), 2, "{screen}");
    assert!(
        answered[1].contains("globex.com") && answered[1].contains("Globex"),
        "{screen}"
    );
    editor.keys(&[ENTER]);
    editor.wait_for("Row 1 of 2");
    editor.keys(&[ESC, ESC]);
    editor.wait_for("Rows table · 2 row(s)");
}
