use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Some(Path::new("config.toml")))
}

#[test]
fn empty_config_means_the_embedded_sandbox() {
    let config = parse("").expect("empty config parses");
    assert_eq!(config.target(None), Ok(Target::Sandbox));
    assert_eq!(config.target(Some("sandbox")), Ok(Target::Sandbox));
}

#[test]
fn named_targets_and_default() {
    let config = parse(
        r#"
default_target = "prod"

[targets.prod]
vendor = "databar"
base_url = "https://api.databar.ai/"
secret_env = "PROD_KEY"

[targets.staging]
vendor = "databar"
base_url = "http://127.0.0.1:9000"
secret_command = "pass show databar"
"#,
    )
    .expect("valid config");
    let Ok(Target::Remote(prod)) = config.target(None) else {
        unreachable!("default target is prod")
    };
    assert_eq!(prod.base_url, "https://api.databar.ai");
    assert_eq!(prod.secret, SecretSource::Env("PROD_KEY".into()));
    assert_eq!(
        config.target(None).map(|t| t.label()),
        Ok("LIVE prod".into())
    );
    let Ok(Target::Remote(staging)) = config.target(Some("staging")) else {
        unreachable!("staging is defined")
    };
    assert_eq!(
        staging.secret,
        SecretSource::Command("pass show databar".into())
    );
    assert_eq!(config.target(Some("sandbox")), Ok(Target::Sandbox));
}

#[test]
fn http_settings_default_and_override() {
    assert_eq!(parse("").map(|c| c.http), Ok(HttpSettings::default()));
    let config = parse("[http]\nread_timeout = 2\nattempts = 1\n").expect("valid");
    assert_eq!(config.http.read_timeout_secs, 2);
    assert_eq!(config.http.attempts, 1);
    assert_eq!(config.http.connect_timeout_secs, 10);
    let err = parse("[http]\nattempts = 0\n").expect_err("zero attempts");
    assert!(err.to_string().contains("http.attempts"), "{err}");
    let err = parse("[http]\ntimeout = 3\n").expect_err("unknown key");
    assert!(err.to_string().contains("timeout"), "{err}");
}

#[test]
fn vendor_key_is_a_builtin_target() {
    let config = parse("").expect("parses");
    let Ok(Target::Remote(t)) = config.target(Some("databar")) else {
        unreachable!("databar is built in")
    };
    assert_eq!(t.base_url, "https://api.databar.ai");
    assert_eq!(t.secret, SecretSource::Env("DATABAR_API_KEY".into()));
}

#[test]
fn unknown_target_lists_the_known_ones() {
    let config = parse("[targets.prod]\nvendor = \"databar\"\n").expect("parses");
    let err = config.target(Some("nope")).expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown target \"nope\"; known: sandbox, prod, databar, cargo"
    );
}

#[test]
fn bad_file_errors_name_the_key_and_line() {
    let err = parse("[targets.prod]\nvendor = \"databar\"\nbase_ur = \"x\"\n").expect_err("typo");
    let text = err.to_string();
    assert!(text.contains("base_ur"), "{text}");
    assert!(text.contains("line 3"), "{text}");

    let err = parse("[targets.prod]\nvendor = \"acme\"\n").expect_err("bad vendor");
    assert!(err.to_string().contains("acme"), "{err}");

    let err = parse("[targets.prod]\nvendor = \"databar\"\nbase_url = \"ftp://x\"\n")
        .expect_err("bad scheme");
    assert!(err.to_string().contains("targets.prod: base_url"), "{err}");

    let err = parse("default_target = \"ghost\"\n").expect_err("dangling default");
    assert!(err.to_string().contains("default_target"), "{err}");

    let err = parse("[targets.sandbox]\nvendor = \"databar\"\n").expect_err("reserved");
    assert!(err.to_string().contains("reserved"), "{err}");

    let err =
        parse("[targets.x]\nvendor = \"databar\"\nsecret_env = \"A\"\nsecret_command = \"b\"\n")
            .expect_err("both");
    assert!(err.to_string().contains("not both"), "{err}");
}

#[test]
fn secret_is_masked_in_debug_and_display() {
    let secret = Secret::new("sk-live-0123456789abcdef");
    assert_eq!(secret.to_string(), "sk-…****");
    assert_eq!(format!("{secret:?}"), "Secret(sk-…****)");
    assert_eq!(Secret::new("short").to_string(), "****");
    assert_eq!(secret.expose(), "sk-live-0123456789abcdef");
}

#[test]
fn secret_command_output_is_trimmed_and_failures_explained() {
    let ok = SecretSource::Command("printf 'abc\\n'".into()).resolve("t");
    assert_eq!(ok.map(|s| s.expose().to_owned()), Ok("abc".into()));
    let err = SecretSource::Command("echo nope >&2; exit 3".into())
        .resolve("t")
        .expect_err("fails");
    assert!(err.to_string().contains("nope"), "{err}");
    let err = SecretSource::Command("true".into())
        .resolve("t")
        .expect_err("empty");
    assert_eq!(err, ConfigError::SecretEmpty { target: "t".into() });
    let err = SecretSource::Env("PATCHCORD_TEST_SURELY_UNSET_VAR".into())
        .resolve("t")
        .expect_err("unset");
    assert!(err.to_string().contains("PATCHCORD_TEST_SURELY_UNSET_VAR"));
}

#[test]
fn agent_stack_and_cargo_targets() {
    let config = parse(
        r#"
[targets.agents]
vendor = "agent_stack"
base_url = "https://agents.internal.example/"

[targets.cargo-prod]
vendor = "cargo"
"#,
    )
    .expect("valid config");
    let Ok(Target::Remote(agents)) = config.target(Some("agents")) else {
        unreachable!("agents is defined")
    };
    assert_eq!(agents.vendor, Vendor::AgentStack);
    assert_eq!(agents.base_url, "https://agents.internal.example");
    assert_eq!(
        agents.secret,
        SecretSource::Env("AGENT_STACK_PASSWORD".into())
    );
    let Ok(Target::Remote(cargo)) = config.target(Some("cargo-prod")) else {
        unreachable!("cargo-prod is defined")
    };
    assert_eq!(cargo.base_url, "https://api.getcargo.io");
    assert_eq!(cargo.secret, SecretSource::Env("CARGO_API_TOKEN".into()));
    let Ok(Target::Remote(builtin)) = config.target(Some("cargo")) else {
        unreachable!("cargo is built in")
    };
    assert_eq!(builtin.base_url, "https://api.getcargo.io");
}

#[test]
fn agent_stack_needs_a_base_url() {
    let err = parse("[targets.agents]\nvendor = \"agent_stack\"\n").expect_err("no base_url");
    assert_eq!(
        err.to_string(),
        "config file config.toml: targets.agents: base_url is required for vendor \"agent_stack\" (it has no public address)"
    );
    let err = parse("")
        .expect("parses")
        .target(Some("agent_stack"))
        .expect_err("no built-in Agent Stack");
    assert!(
        err.to_string().contains("has no public API address"),
        "{err}"
    );
    assert!(
        err.to_string().contains("vendor = \"agent_stack\""),
        "{err}"
    );
}

#[test]
fn keys_table_is_plain_data() {
    let config =
        parse("[keys]\nsubmit = \"ctrl-g\"\ntry_it = [\"ctrl-t\", \"f9\"]\n").expect("valid keys");
    assert_eq!(
        config.keys,
        [
            ("submit".to_owned(), vec!["ctrl-g".to_owned()]),
            (
                "try_it".to_owned(),
                vec!["ctrl-t".to_owned(), "f9".to_owned()]
            ),
        ]
    );
    assert!(matches!(
        parse("[keys]\nsave = 5\n"),
        Err(ConfigError::Parse { .. })
    ));
}
