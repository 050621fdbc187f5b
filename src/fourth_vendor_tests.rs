//! The fourth vendor: `Vendor::Plain` (test-only) is its description in
//! `connector/vendor.rs` plus its sandbox adapter (`sandbox/plain.rs`, registered in
//! `sandbox.rs`), and every face serves it: the editor's form, validation, the client against
//! the sandbox on 127.0.0.1, the CLI (its list table, and `submit` and `list` run in
//! process against the sandbox), the editor's remote list.

use crate::api::{ApiError, Client};
use crate::config::{Config, Secret};
use crate::connector::{Connector, NameValue, Rule, TargetRef, Vendor, validate};
use crate::sandbox::{Sandbox, ServeOptions};
use crate::template::Samples;
use crate::tui::effect::Remote as _;
use crate::tui::state::{State, form_fields};
use crate::tui::test_fixtures::screen_at;
use serde_json::{Value, json};

const KEY: &str = "plain-key";

fn widget(title: &str) -> Connector {
    let mut c = Connector::new(Vendor::Plain);
    c.set("title", title.into());
    c.set("verb", "post".into());
    c.set("target", "https://widgets.example/v1/run".into());
    c.set_name_values("headers", &[NameValue::new("Accept", "application/json")]);
    c
}

/// A config whose target `w` is the plain vendor on `sandbox`.
fn config_for(sandbox: &Sandbox) -> Config {
    Config::parse(
        &format!(
            "[targets.w]\nvendor = \"plain\"\nbase_url = \"{}\"\nsecret_command = \"printf {KEY}\"\n",
            sandbox.base_url()
        ),
        None,
    )
    .expect("config")
}

async fn sandbox() -> Sandbox {
    Sandbox::start(ServeOptions {
        keys: vec![KEY.to_owned()],
        ..ServeOptions::ephemeral()
    })
    .await
    .expect("sandbox starts")
}

#[test]
fn the_editor_draws_its_form_from_the_description() {
    let keys: Vec<&str> = form_fields(Vendor::Plain).iter().map(|f| f.key).collect();
    assert_eq!(keys, ["title", "verb", "target", "login", "password"]);

    let mut connector = widget("Nightly sync");
    connector.set("login", "ops".into());
    connector.set("password", "hunter2".into());
    let state = State::new(connector, Samples::new(), None);
    let screen = screen_at(&state, 100, 30);
    for text in [
        "Plain connector: Nightly sync",
        "Title",
        // The length counter is the description's limit.
        "12/40",
        "Verb",
        "Target",
        "https://widgets.example/v1/run",
    ] {
        assert!(screen.contains(text), "{text} missing:\n{screen}");
    }
    // The password is the description's secret field: masked like Agent Stack's.
    assert!(
        screen.contains("Password") && !screen.contains("hunter2"),
        "{screen}"
    );
}

#[test]
fn validation_reads_its_limits_and_rules() {
    let mut c = widget(&"w".repeat(41));
    c.set("verb", "delete".into());
    c.set("target", "not a url".into());
    c.set("password", "p".into());
    let found: Vec<(String, Rule, String)> = validate(&c)
        .into_iter()
        .map(|f| (f.path.to_string(), f.rule, f.message))
        .collect();
    let has = |path: &str, rule: Rule| found.iter().any(|(p, r, _)| p == path && *r == rule);
    assert!(has("title", Rule::MaxLength(40)), "{found:?}");
    assert!(has("verb", Rule::OneOf(&["get", "post"])), "{found:?}");
    assert!(found.iter().any(|(p, _, _)| p == "target"), "{found:?}");
    assert!(
        found.iter().any(|(p, r, m)| p == "password"
            && *r == Rule::Requires("login")
            && m == "login must be present when password is specified"),
        "{found:?}"
    );
    assert!(validate(&widget("ok")).is_empty());
}

#[test]
fn try_rows_finds_its_slots_through_its_request_shape() {
    let mut c = widget("w");
    c.set_name_values(
        "headers",
        &[
            NameValue::new("Accept", "json"),
            NameValue::slot("x-tenant"),
        ],
    );
    assert_eq!(crate::connector::rows::slots(&c), ["x-tenant"]);
}

#[test]
fn a_curl_command_imports_into_its_request_fields() {
    let imported = crate::connector::import_curl::import(
        "curl -X POST https://widgets.example/v1/run -H 'Accept: application/json'",
        Vendor::Plain,
    )
    .expect("imports");
    let c = &imported.connector;
    assert_eq!(c.text("title"), Some("widgets.example/v1/run"));
    assert_eq!(c.text("verb"), Some("post"));
    assert_eq!(c.text("target"), Some("https://widgets.example/v1/run"));
    assert_eq!(
        c.name_values("headers"),
        [NameValue::new("Accept", "application/json")]
    );
    // The description has no query parameter list: a query is refused, not guessed.
    assert!(
        crate::connector::import_curl::import("curl 'https://w.example/?a=1'", Vendor::Plain)
            .is_err()
    );
}

#[tokio::test]
async fn the_client_creates_lists_gets_replaces_and_deletes_on_the_sandbox() {
    let sandbox = sandbox().await;
    let target = TargetRef::sandbox(&sandbox.base_url());
    let client = Client::new(Vendor::Plain, &target, Secret::new(KEY)).expect("client");

    let body = Value::Object(widget("First").fields);
    let created = client.create(&body).await.expect("create");
    let id = created["id"].to_string();
    assert_eq!(created["title"], "First");
    assert_eq!(
        client.list().await.expect("list"),
        std::slice::from_ref(&created)
    );
    assert_eq!(client.get(&id).await.expect("get"), created);

    let mut replaced = body.clone();
    replaced["title"] = json!("Second");
    let stored = client.replace(&id, &replaced).await.expect("replace");
    assert_eq!(stored["title"], "Second");
    assert_eq!(client.get(&id).await.expect("get"), stored);

    // The sandbox judges by the same description: a password without a login is its 400.
    let mut bad = body.clone();
    bad["password"] = json!("p");
    match client.create(&bad).await {
        Err(ApiError::Rejected { status, fields, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(fields[0].path.to_string(), "password");
            assert_eq!(
                fields[0].message,
                "login must be present when password is specified"
            );
        }
        other => panic!("expected a 400, got {other:?}"),
    }
    let stranger = Client::new(Vendor::Plain, &target, Secret::new("wrong")).expect("client");
    assert!(matches!(
        stranger.list().await,
        Err(ApiError::Rejected { status: 401, .. })
    ));

    client.delete(&id).await.expect("delete");
    assert!(client.list().await.expect("list").is_empty());
    assert!(matches!(
        client.get(&id).await,
        Err(ApiError::Rejected { status: 404, .. })
    ));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_cli_and_the_editor_list_it() {
    let cli = <crate::cli::Cli as clap::Parser>::try_parse_from([
        "patchcord",
        "list",
        "--vendor",
        "plain",
    ])
    .expect("list --vendor plain");
    let crate::cli::Command::List(args) = cli.command.expect("a command") else {
        panic!("not the list command");
    };
    assert_eq!(args.vendor.vendor, Some(Vendor::Plain));

    let sandbox = sandbox().await;
    let config = config_for(&sandbox);
    let connection = crate::connection::Connection::open_with(&config, Some("w"))
        .await
        .expect("connection");
    let client = connection.client_for(Vendor::Plain).expect("plain client");
    let created = client
        .create(&Value::Object(widget("Nightly sync").fields))
        .await
        .expect("create");

    let items = client.list().await.expect("list");
    assert_eq!(
        crate::cli::remote::table(Vendor::Plain, &items),
        format!(
            "ID  TITLE         VERB  TARGET\n{}   Nightly sync  POST  https://widgets.example/v1/run\n",
            created["id"]
        )
    );
    let rows = connection.list(Vendor::Plain).await.expect("editor list");
    assert_eq!(rows[0].name, "Nightly sync");
    assert_eq!(rows[0].method, "post");
    assert_eq!(rows[0].url, "https://widgets.example/v1/run");
    connection.close().await;
    sandbox.shutdown().await;
}

/// The CLI's own commands, run in process with the config given (the binary reads the same
/// from disk): `submit` creates the widget from a file and records its id there, `list` reads
/// it back, a second `submit` replaces it.
#[tokio::test]
async fn the_cli_submits_and_lists_it_on_the_sandbox() {
    use crate::cli::{Cli, Command, Context, Exit};
    let sandbox = sandbox().await;
    let config = config_for(&sandbox);
    let ctx = Context {
        target: Some("w".into()),
        config: Some(config.clone()),
        ..Context::default()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("nightly.json");
    std::fs::write(&file, crate::connector::to_file(&widget("Nightly sync"))).expect("write");
    let parse = |args: &[&str]| {
        let cli = <Cli as clap::Parser>::try_parse_from(args).expect("arguments");
        cli.command.expect("a command")
    };
    let path = file.to_string_lossy().into_owned();
    let Command::Submit(submit) = parse(&["patchcord", "submit", &path]) else {
        panic!("not submit");
    };
    let done = crate::cli::submit::run(&ctx, &submit)
        .await
        .expect("submit");
    assert_eq!(done, Exit::Ok);
    // The id the server gave is in the file, for this target.
    let (stored, _) = crate::files::load(&file).expect("reload");
    let connection = crate::connection::Connection::open_with(&config, Some("w"))
        .await
        .expect("connection");
    let client = connection.client_for(Vendor::Plain).expect("plain client");
    let id = stored
        .remote_id_for(client.target())
        .expect("an id recorded for the target")
        .to_owned();
    let on_server = client.get(&id).await.expect("stored on the sandbox");
    assert_eq!(on_server["title"], "Nightly sync");

    let Command::List(list) = parse(&["patchcord", "list", "--vendor", "plain"]) else {
        panic!("not list");
    };
    assert_eq!(
        crate::cli::remote::list(&ctx, &list).await.expect("list"),
        Exit::Ok
    );
    // Edited and submitted again: the same widget, replaced (the vendor's update mode).
    let mut edited = stored;
    edited.set("title", "Nightly sync v2".into());
    std::fs::write(&file, crate::connector::to_file(&edited)).expect("write");
    assert_eq!(
        crate::cli::submit::run(&ctx, &submit)
            .await
            .expect("resubmit"),
        Exit::Ok
    );
    assert_eq!(
        client.get(&id).await.expect("get")["title"],
        "Nightly sync v2"
    );
    assert_eq!(client.list().await.expect("list").len(), 1);
    connection.close().await;
    sandbox.shutdown().await;
}
