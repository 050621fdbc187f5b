//! What an installed patchcord ships with: embedded examples (from a binary copied out of the
//! tree), completions and a man page from the one clap definition, `paths` under overridden
//! environments, no colour codes with `NO_COLOR` or `--color never`, and `-` for stdin/stdout.

#[expect(
    dead_code,
    reason = "the shared harness has helpers for servers this file does not start"
)]
mod common;

use common::Home;
use serde_json::Value;
use std::process::Command;

const SCORING: &str = include_str!("../assets/connectors/scoring.json");

/// SGR parameters that set a colour (30-38, 40-48, 90-97, 100-107); 39/49 (default) are not.
fn colour_codes(text: &str) -> Vec<String> {
    text.split("\x1b[")
        .skip(1)
        .filter_map(|rest| {
            let params: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            let sgr = rest.chars().nth(params.chars().count()) == Some('m');
            let colour = params.split(';').any(|p| {
                matches!(
                    p.parse::<u16>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            });
            (sgr && colour).then_some(params)
        })
        .collect()
}

#[test]
fn the_installed_binary_lists_and_writes_its_examples() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let binary = elsewhere.path().join("patchcord");
    std::fs::copy(env!("CARGO_BIN_EXE_patchcord"), &binary).expect("copy the binary");
    let work = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        Command::new(&binary)
            .args(args)
            .current_dir(work.path())
            .env("PATCHCORD_LOG", "off")
            .output()
            .expect("run the copied binary")
    };
    let out = run(&["new", "--list"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    for name in [
        "cargo-http",
        "company-enrich",
        "company-lookup",
        "demo-score",
        "mcp-server",
        "person-enrich",
        "scoring",
    ] {
        assert!(listed.lines().any(|l| l.starts_with(name)), "{listed}");
    }
    let out = run(&["new", "--example", "company-lookup"]);
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "status goes to stderr: {out:?}");
    assert!(work.path().join("company-lookup.json").is_file());
    assert!(work.path().join("company-lookup.samples.json").is_file());
    let out = run(&["new", "--example", "company-lookup"]);
    assert_eq!(out.status.code(), Some(1), "no silent overwrite: {out:?}");
    let out = run(&["validate", "company-lookup.json"]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&["new", "--example", "person-enrich", "-o", "people.json"]);
    assert!(out.status.success(), "{out:?}");
    let rows = std::fs::read_to_string(work.path().join("people.rows.csv")).unwrap_or_default();
    assert!(
        rows.starts_with("email,"),
        "the rows file comes beside it: {rows}"
    );
    let out = run(&["new", "--example", "scoring", "-o", "-"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), SCORING);
    assert!(!work.path().join("-").exists());
    let out = run(&["new", "--example", "nope"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("known: cargo-http"));
}

#[test]
fn completions_and_the_man_page_are_generated_and_parse() {
    let home = Home::new();
    let out = home.run(&["completions", "bash"]);
    assert_eq!(out.code, 0, "{out:?}");
    let script = home.write("patchcord.bash", &out.stdout);
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash -n");
    assert!(check.status.success(), "{check:?}");
    assert!(out.stdout.contains("validate") && out.stdout.contains("completions"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = home.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        assert!(out.stdout.contains("serve"), "{shell}: {out:?}");
    }
    let out = home.run(&["man"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(".TH patchcord 1"), "{out:?}");
    assert!(out.stdout.contains(".SH SUBCOMMANDS"), "{out:?}");
    assert!(out.stdout.contains("paths"), "{out:?}");
}

#[test]
fn paths_follow_the_environment_overrides() {
    let home = Home::new();
    let root = home.dir.path().display().to_string();
    let out = home.run(&["paths", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let paths: Value = serde_json::from_str(&out.stdout).expect("paths --json");
    assert_eq!(
        paths["config"],
        format!("{root}/xdg-config/patchcord/config.toml")
    );
    assert_eq!(paths["data"], format!("{root}/xdg-data/patchcord"));
    assert_eq!(
        paths["journal"],
        format!("{root}/xdg-state/patchcord/journal")
    );
    assert_eq!(
        paths["log"],
        format!("{root}/xdg-state/patchcord/patchcord.log")
    );
    assert_eq!(paths["sandbox_db"], ":memory:");
    assert_eq!(
        paths["serve_db"],
        format!("{root}/xdg-data/patchcord/sandbox.sqlite3")
    );

    let out = home.run_with(
        &["paths", "--json"],
        &[
            ("PATCHCORD_CONFIG", "/etc/pc.toml"),
            ("PATCHCORD_JOURNAL_DIR", "/j"),
            ("PATCHCORD_SANDBOX_DB", ""),
        ],
    );
    let paths: Value = serde_json::from_str(&out.stdout).expect("paths --json");
    assert_eq!(paths["config"], "/etc/pc.toml");
    assert_eq!(paths["journal"], "/j");
    assert_eq!(paths["sandbox_db"], paths["serve_db"]);

    let out = home.run(&["paths"]);
    assert!(
        out.stdout
            .contains(&format!("log         {root}/xdg-state")),
        "{out:?}"
    );
}

#[test]
fn no_color_and_color_never_leave_no_colour_codes() {
    let mut home = Home::new();
    home.write("scoring.json", SCORING);
    for (args, env) in [
        (vec!["--help"], vec![("NO_COLOR", "1")]),
        (
            vec!["--color", "never", "--help"],
            vec![("CLICOLOR_FORCE", "1")],
        ),
        (
            vec!["validate", "scoring.json", "nope.json"],
            vec![("NO_COLOR", "1")],
        ),
        (vec!["--color=never", "list"], vec![]),
        (
            vec!["--color=never", "nonsense-command"],
            vec![("CLICOLOR_FORCE", "1")],
        ),
    ] {
        let out = home.run_with(&args, &env);
        assert_eq!(
            colour_codes(&out.all()),
            Vec::<String>::new(),
            "{args:?}: {out:?}"
        );
    }
    home.stdin = Some(SCORING.to_owned());
    let out = home.run_with(&["validate", "-"], &[("NO_COLOR", "1")]);
    assert_eq!(out.stdout, "<stdin>: ok\n", "{out:?}");
}

#[test]
fn a_dash_is_stdin_for_every_file_argument_and_stdout_for_output() {
    let mut home = Home::new();
    home.stdin = Some(SCORING.to_owned());
    let out = home.run(&["validate", "-"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "<stdin>: ok\n"),
        "{out:?}"
    );
    let out = home.run(&["render", "-"]);
    assert_eq!(out.code, 1, "scoring has no template: {out:?}");
    assert!(
        out.stderr.contains("<stdin>: body_template is not set"),
        "{out:?}"
    );
    let out = home.run(&["curl", "-"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("curl"), "{out:?}");
    let out = home.run(&["submit", "-", "--dry-run"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("POST"), "{out:?}");
    let out = home.run(&["submit", "-"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.starts_with("patchcord: error: submit - (stdin)"),
        "{out:?}"
    );

    let template = include_str!("../assets/connectors/company-lookup.json");
    home.stdin = Some(template.to_owned());
    let out = home.run(&["render", "-", "-s", "domain=acme.com"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("acme.com"), "{out:?}");

    // `pull ID -o -` prints, it does not write a file named `-`.
    home.stdin = None;
    let mut home = home;
    home.sandbox_db = home.path("sandbox.sqlite3").display().to_string();
    home.write("scoring.json", SCORING);
    let out = home.run(&["submit", "scoring.json", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = serde_json::from_str::<Value>(&out.stdout).expect("submit --json")["id"]
        .as_str()
        .map(str::to_owned)
        .expect("an id");
    let out = home.run(&["pull", &id, "-o", "-"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("My Scoring API"), "{out:?}");
    assert!(!home.path("-").exists());
}

#[test]
fn quiet_drops_status_and_errors_name_the_program() {
    let home = Home::new();
    let out = home.run(&["list"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("", "no connectors on SANDBOX\n")
    );
    let out = home.run(&["-q", "list"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("", ""),
        "{out:?}"
    );
    let out = home.run(&["validate", "missing.json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let out = home.run(&["render", "missing.json"]);
    assert_eq!(
        out.stderr.matches("No such file").count(),
        1,
        "each cause once: {out:?}"
    );
    assert!(
        out.stderr.starts_with("patchcord: error: missing.json"),
        "{out:?}"
    );
}

#[test]
fn serve_json_prints_its_banner_as_json_and_verbose_shows_the_log() {
    use std::io::BufRead as _;
    let home = Home::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchcord"))
        .args([
            "serve",
            "--json",
            "--addr",
            "127.0.0.1:0",
            "--db",
            ":memory:",
        ])
        .env("PATCHCORD_LOG", "off")
        .env("XDG_STATE_HOME", home.path("state"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut text = String::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        text.push_str(&line);
        if line == "}" {
            break;
        }
    }
    let banner: Value = serde_json::from_str(&text).expect("one JSON object");
    let url = banner["url"].as_str().expect("url").to_owned();
    let key = banner["generated_keys"][0]
        .as_str()
        .expect("a key")
        .to_owned();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let status = common::runtime().block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/v1/connectors/"))
            .header("x-apikey", key)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status.ok(), Some(200), "{banner}");

    let out = home.run(&["-v", "list"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("DEBUG") || out.stderr.contains("INFO"),
        "{out:?}"
    );
    assert!(!home.log().is_empty(), "the log file too");
}
