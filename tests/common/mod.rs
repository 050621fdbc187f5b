//! What the CLI test files share: a temporary home the built binary runs in (its own XDG
//! directories, config and embedded-sandbox store, never the real ones), the outcome of a run,
//! and a small tokio runtime for the servers a test starts in-process.

use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;
use tokio::runtime::Runtime;

pub const KEY: &str = "sk-test-0123456789abcdef";
pub const KEY_ENV: &str = "PATCHCORD_TEST_KEY";

/// A finished run of the binary.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts the exit code, and that stderr says each of `said`.
    #[track_caller]
    pub fn exits(&self, code: i32, said: &[&str]) {
        assert_eq!(self.code, code, "{self:?}");
        for text in said {
            assert!(self.stderr.contains(text), "{text:?} not said: {self:?}");
        }
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary home: config, state, data and the files a test writes.
pub struct Home {
    pub dir: TempDir,
    pub config: Option<PathBuf>,
    /// `PATCHCORD_SANDBOX_DB` for the embedded sandbox (`:memory:` unless a test keeps a file).
    pub sandbox_db: String,
    /// What each run gets on stdin (nothing unless a test sets it).
    pub stdin: Option<String>,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
            config: None,
            sandbox_db: ":memory:".to_owned(),
            stdin: None,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, &[])
    }

    /// Runs `patchcord ARGS` in the home with nothing from the real environment that could
    /// change its behaviour (targets, config, vendor keys), plus `env`.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        self.run_within(args, env, Duration::from_mins(1))
    }

    /// `run_with`, killed after `deadline` (a killed run has exit code -1).
    pub fn run_within(&self, args: &[&str], env: &[(&str, &str)], deadline: Duration) -> Out {
        let mut cmd = self.command(args, env);
        cmd.timeout(deadline);
        output(&mut cmd)
    }

    /// The command `run_within` runs, for a test that adds to it (stdin).
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::from(self.process(args, env));
        if let Some(input) = &self.stdin {
            cmd.write_stdin(input.as_str());
        }
        cmd
    }

    /// The process `command` runs (without stdin), for a test that runs it in the background.
    pub fn process(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_patchcord"));
        cmd.current_dir(self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_STATE_HOME", self.path("xdg-state"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("HOME", self.dir.path())
            .env("PATCHCORD_SANDBOX_DB", &self.sandbox_db)
            .env("PATCHCORD_LOG", "debug")
            .env(KEY_ENV, KEY)
            .env_remove("PATCHCORD_TARGET")
            .env_remove("PATCHCORD_CONFIG")
            .env_remove("DATABAR_API_KEY")
            .env_remove("AGENT_STACK_PASSWORD")
            .env_remove("CARGO_API_TOKEN")
            .args(args);
        if let Some(config) = &self.config {
            cmd.env("PATCHCORD_CONFIG", config);
        }
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("xdg-state/patchcord/patchcord.log")).unwrap_or_default()
    }
}

pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

pub fn output(cmd: &mut assert_cmd::Command) -> Out {
    let output = cmd.output().expect("run patchcord");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Serves `app` on an ephemeral loopback port (on the runtime it is awaited on); its address.
pub async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}
