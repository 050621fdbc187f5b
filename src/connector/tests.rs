use super::*;
use proptest::prelude::*;
use rstest::rstest;
use serde_json::json;

/// The seed's example request (seed 000), verbatim.
const SEED_REQUEST: &str = include_str!("../../tests/fixtures/seed_000_request.json");

fn seed() -> Connector {
    parse_file(SEED_REQUEST.as_bytes()).unwrap()
}

fn with(mut connector: Connector, key: &str, value: serde_json::Value) -> Connector {
    connector.set(key, value);
    connector
}

fn errors(connector: &Connector) -> Vec<(String, Rule)> {
    validate(connector)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.path.to_string(), f.rule))
        .collect()
}

fn warnings(connector: &Connector) -> Vec<(String, Rule)> {
    validate(connector)
        .into_iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| (f.path.to_string(), f.rule))
        .collect()
}

#[test]
fn the_seed_example_is_valid() {
    assert_eq!(validate(&seed()), vec![]);
}

#[rstest]
#[case::name("name")]
#[case::method("method")]
#[case::url("url")]
fn required_fields(#[case] key: &str) {
    let mut connector = seed();
    connector.fields.shift_remove(key);
    assert_eq!(errors(&connector), vec![(key.to_owned(), Rule::Required)]);
}

#[test]
fn empty_name_is_required_too() {
    assert_eq!(
        errors(&with(seed(), "name", json!("  "))),
        vec![("name".to_owned(), Rule::Blank)]
    );
}

#[rstest]
#[case::name_256_ok("name", 256, None)]
#[case::name_257("name", 257, Some(Rule::MaxLength(256)))]
#[case::template_2048_ok("body_template", 2048, None)]
#[case::template_2049("body_template", 2049, Some(Rule::MaxLength(2048)))]
fn length_limits_count_characters(
    #[case] key: &str,
    #[case] length: usize,
    #[case] rule: Option<Rule>,
) {
    // Multi-byte characters: the limit is in characters, as the vendor's Python counts them.
    let text: String = "é".repeat(length);
    let found = errors(&with(seed(), key, json!(text)));
    assert_eq!(
        found,
        rule.into_iter()
            .map(|r| (key.to_owned(), r))
            .collect::<Vec<_>>()
    );
}

#[test]
fn url_limit_is_512_characters() {
    let ok = format!("https://example.com/{}", "a".repeat(512 - 20));
    assert_eq!(ok.chars().count(), 512);
    assert_eq!(errors(&with(seed(), "url", json!(ok))), vec![]);
    let long = format!("{ok}b");
    assert_eq!(
        errors(&with(seed(), "url", json!(long))),
        vec![("url".to_owned(), Rule::MaxLength(512))]
    );
}

#[rstest]
#[case::get("get", true)]
#[case::post("post", true)]
#[case::put("put", true)]
#[case::patch("patch", true)]
#[case::delete("delete", false)]
#[case::upper("POST", false)]
fn method_is_one_of_four(#[case] method: &str, #[case] ok: bool) {
    let found = errors(&with(seed(), "method", json!(method)));
    assert_eq!(found.is_empty(), ok, "{found:?}");
}

#[rstest]
#[case::simple("simple", true)]
#[case::enrichment("enrichment", true)]
#[case::exporter("exporter", true)]
#[case::other("importer", false)]
fn type_is_one_of_three(#[case] kind: &str, #[case] ok: bool) {
    assert_eq!(errors(&with(seed(), "type", json!(kind))).is_empty(), ok);
}

#[test]
fn type_defaults_when_absent() {
    let mut connector = seed();
    connector.fields.shift_remove("type");
    assert_eq!(validate(&connector), vec![]);
}

#[rstest]
#[case::one(json!(1), None)]
#[case::null(json!(null), None)]
#[case::zero(json!(0), Some(Rule::Minimum(1)))]
#[case::negative(json!(-5), Some(Rule::Minimum(1)))]
#[case::string(json!("ten"), Some(Rule::Type("integer")))]
#[case::float(json!(1.5), Some(Rule::Type("integer")))]
#[case::lax_string(json!("10"), None)]
#[case::lax_float(json!(10.0), None)]
fn limits_are_integers_at_least_one_or_null(
    #[case] value: serde_json::Value,
    #[case] rule: Option<Rule>,
) {
    for key in ["rate_limit", "max_concurrency"] {
        let found = errors(&with(seed(), key, value.clone()));
        let expected: Vec<_> = rule
            .clone()
            .into_iter()
            .map(|r| (key.to_owned(), r))
            .collect();
        assert_eq!(found, expected, "{key}");
    }
}

#[rstest]
#[case::http("http://a.io/x", None)]
#[case::https("https://a.io/x?y=1", None)]
#[case::ftp("ftp://a.io/x", Some(Rule::UrlScheme))]
#[case::relative("/v1/score", Some(Rule::UrlInvalid))]
#[case::garbage("not a url", Some(Rule::UrlInvalid))]
#[case::no_host("https://", Some(Rule::UrlInvalid))]
fn url_must_parse_as_http_or_https(#[case] url: &str, #[case] rule: Option<Rule>) {
    let found = errors(&with(seed(), "url", json!(url)));
    assert_eq!(
        found,
        rule.into_iter()
            .map(|r| ("url".to_owned(), r))
            .collect::<Vec<_>>()
    );
}

#[rstest]
#[case::ok("X-Api-Key", None)]
#[case::space("X Api", Some(Rule::HeaderName))]
#[case::colon("X:Y", Some(Rule::HeaderName))]
#[case::unicode("Héader", Some(Rule::HeaderName))]
#[case::empty("", Some(Rule::EmptyName))]
fn header_names_are_http_tokens(#[case] name: &str, #[case] rule: Option<Rule>) {
    let connector = with(
        seed(),
        "headers",
        json!([{"name": "Accept", "value": "*/*"}, {"name": name, "value": "v"}]),
    );
    let found = errors(&connector);
    assert_eq!(
        found,
        rule.into_iter()
            .map(|r| ("headers[1].name".to_owned(), r))
            .collect::<Vec<_>>()
    );
}

#[test]
fn parameter_names_need_not_be_tokens() {
    let connector = with(seed(), "parameters", json!([{"name": "a b", "value": ""}]));
    assert_eq!(errors(&connector), vec![]);
}

#[test]
fn duplicate_names_are_warnings_with_both_places() {
    let connector = with(
        seed(),
        "headers",
        json!([{"name": "Accept", "value": "a"}, {"name": "accept", "value": "b"}]),
    );
    assert_eq!(errors(&connector), vec![]);
    assert_eq!(
        warnings(&connector),
        vec![("headers[1].name".to_owned(), Rule::DuplicateName)]
    );
    let message = validate(&connector)[0].message.clone();
    assert!(message.contains("headers[0]"), "{message}");
}

#[test]
fn wrong_types_name_the_field() {
    let mut connector = seed();
    connector.set("name", json!(5));
    connector.set("headers", json!({"Accept": "x"}));
    connector.set("parameters", json!([{"name": 1}, "x", {"value": "v"}]));
    assert_eq!(
        errors(&connector),
        vec![
            ("name".to_owned(), Rule::Type("string")),
            ("headers".to_owned(), Rule::Type("list")),
            ("parameters[0].name".to_owned(), Rule::Type("string")),
            ("parameters[1]".to_owned(), Rule::NotAnObject),
            ("parameters[2].name".to_owned(), Rule::Required),
        ]
    );
}

#[test]
fn value_defaults_to_empty() {
    let connector = with(seed(), "parameters", json!([{"name": "q"}]));
    assert_eq!(errors(&connector), vec![]);
    assert_eq!(
        connector.name_values("parameters"),
        vec![NameValue::slot("q")]
    );
}

#[test]
fn broken_template_is_an_error_with_its_position() {
    let connector = with(seed(), "body_template", json!("{\n \"a\": {{ domain \n}"));
    let findings = validate(&connector);
    let finding = findings
        .iter()
        .find(|f| f.rule == Rule::TemplateSyntax)
        .unwrap();
    assert_eq!(finding.path.to_string(), "body_template");
    assert!(finding.message.contains("line 3"), "{}", finding.message);
}

#[test]
fn template_derives_the_body_and_warns_about_an_ignored_body_list() {
    let connector = with(
        seed(),
        "body_template",
        json!("{\"d\": {{ domain|tojson }}, \"c\": {{ country|tojson }}}"),
    );
    assert_eq!(
        connector.derived_body().unwrap(),
        vec![NameValue::slot("domain"), NameValue::slot("country")]
    );
    assert_eq!(
        warnings(&connector),
        vec![("body".to_owned(), Rule::BodyIgnored)]
    );
    let outgoing = connector.outgoing();
    assert_eq!(
        outgoing["body"],
        json!([{"name": "domain", "value": ""}, {"name": "country", "value": ""}])
    );
    assert_eq!(outgoing["body_template"], connector.fields["body_template"]);
}

#[test]
fn null_template_keeps_the_body_list() {
    let connector = with(seed(), "body_template", json!(null));
    assert!(connector.template().is_none());
    assert_eq!(connector.outgoing()["body"], seed().fields["body"]);
}

#[test]
fn every_finding_says_who_enforces_it() {
    let mut connector = with(seed(), "name", json!("x".repeat(300)));
    connector.set("url", json!("ftp://files.example/x"));
    connector.set("rate_limit", json!("7"));
    let found: Vec<(String, Rule, Enforcer, Severity)> = validate(&connector)
        .into_iter()
        .map(|f| (f.path.to_string(), f.rule, f.by, f.severity))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "name".into(),
                Rule::MaxLength(256),
                Enforcer::Schema,
                Severity::Error
            ),
            (
                "url".into(),
                Rule::UrlScheme,
                Enforcer::Client,
                Severity::Error
            ),
            (
                "rate_limit".into(),
                Rule::Coerced,
                Enforcer::Client,
                Severity::Warning
            ),
        ]
    );
    assert!(
        vendor_findings(&connector)
            .iter()
            .all(|f| f.by != Enforcer::Client),
        "the vendor's half never carries advice"
    );
}

#[test]
fn a_body_list_is_judged_even_with_a_template_that_will_replace_it() {
    // What a submit sends: a compiling template replaces the list, so only a warning.
    let bad_body = json!([{"value": 5}, {"name": 3}]);
    let connector = with(
        with(seed(), "body", bad_body.clone()),
        "body_template",
        json!("{{ a }}"),
    );
    assert_eq!(errors(&connector), vec![]);
    // What a server receives is judged as it is, whatever the template (even "").
    let received = with(with(seed(), "body", bad_body), "body_template", json!(""));
    let paths: Vec<String> = vendor_findings(&received)
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    assert_eq!(paths, ["body[0].name", "body[0].value", "body[1].name"]);
}

#[test]
fn field_paths_print_and_parse() {
    let path = FieldPath::parse("headers[1].name");
    assert_eq!(path.to_string(), "headers[1].name");
    assert_eq!(path.field(), Some("headers"));
    assert_eq!(path.index(), Some(1));
    assert_eq!(FieldPath::parse("name").to_string(), "name");
}

#[test]
fn file_round_trip_keeps_unknown_fields_and_order() {
    let text = r#"{"$patchcord": {"vendor": "databar", "id": 42, "note": "kept"},
        "zzz_unknown": {"nested": [1, 2]}, "name": "N", "url": "https://a.io", "method": "get", "extra": true}"#;
    let connector = parse_file(text.as_bytes()).unwrap();
    assert_eq!(connector.legacy_id.as_deref(), Some("42"));
    let keys: Vec<&str> = connector.fields.keys().map(String::as_str).collect();
    assert_eq!(keys, ["zzz_unknown", "name", "url", "method", "extra"]);
    let saved = to_file(&connector);
    let again = parse_file(saved.as_bytes()).unwrap();
    assert_eq!(again, connector);
    assert!(saved.contains("\"note\": \"kept\""));
    assert!(
        saved.contains("\"id\": 42"),
        "integer ids stay integers: {saved}"
    );
}

#[test]
fn ids_are_recorded_per_target_and_round_trip() {
    let staging = TargetRef::new("staging", "https://staging.example/");
    let prod = TargetRef::new("prod", "https://api.databar.ai");
    let sandbox = TargetRef::sandbox("http://127.0.0.1:8765");
    let mut connector = seed();
    connector.set_remote_id(&staging, "1".into());
    connector.set_remote_id(&sandbox, "3".into());
    assert_eq!(connector.remote_id_for(&staging), Some("1"));
    assert_eq!(
        connector.remote_id_for(&prod),
        None,
        "staging's id is not prod's"
    );
    // Another server under the same name is another target; the sandbox is known by name.
    assert_eq!(
        connector.remote_id_for(&TargetRef::new("staging", "https://other.example")),
        None
    );
    assert_eq!(
        connector.remote_id_for(&TargetRef::sandbox("http://127.0.0.1:40123")),
        Some("3")
    );
    connector.set_remote_id(&prod, "1".into());
    connector.set_remote_id(&staging, "2".into());
    let text = to_file(&connector);
    let meta: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(&text).unwrap()[META_KEY].clone();
    assert_eq!(
        meta,
        json!({"vendor": "databar", "ids": [
            {"target": "staging", "base_url": "https://staging.example", "id": 2},
            {"target": "sandbox", "id": 3},
            {"target": "prod", "base_url": "https://api.databar.ai", "id": 1},
        ]})
    );
    assert_eq!(parse_file(text.as_bytes()).unwrap(), connector);
    connector.forget_remote_id(&staging);
    assert_eq!(connector.remote_id_for(&staging), None);
    assert_eq!(connector.remote_id_for(&prod), Some("1"));
}

#[test]
fn a_legacy_id_is_used_nowhere_until_adopted() {
    let text = br#"{"$patchcord": {"vendor": "databar", "id": 42}, "name": "N"}"#;
    let mut connector = parse_file(text).unwrap();
    let prod = TargetRef::new("prod", "https://api.databar.ai");
    let staging = TargetRef::new("staging", "https://staging.example");
    assert_eq!(connector.remote_id_for(&prod), None);
    assert_eq!(connector.unbound_legacy_id(&prod), Some("42"));
    // Created anew on staging: staging has its own id, the legacy one still waits.
    connector.set_remote_id(&staging, "7".into());
    assert_eq!(connector.unbound_legacy_id(&staging), None);
    assert!(connector.adopt_legacy_id(&prod));
    assert_eq!(connector.remote_id_for(&prod), Some("42"));
    assert_eq!(connector.legacy_id, None);
    assert!(!connector.adopt_legacy_id(&prod), "nothing left to bind");
    let saved = to_file(&connector);
    assert!(
        !saved.contains("\"id\": 42,"),
        "the bare id is gone: {saved}"
    );
}

#[test]
fn keeping_other_targets_ids_on_a_refresh() {
    let prod = TargetRef::new("prod", "https://api.databar.ai");
    let staging = TargetRef::new("staging", "https://staging.example");
    let mut old = seed();
    old.set_remote_id(&prod, "5".into());
    old.set_remote_id(&staging, "9".into());
    let mut pulled = seed();
    pulled.set_remote_id(&prod, "6".into());
    pulled.keep_other_ids(&old);
    assert_eq!(pulled.remote_id_for(&prod), Some("6"));
    assert_eq!(pulled.remote_id_for(&staging), Some("9"));
}

#[rstest]
#[case::not_an_array(br#"{"$patchcord": {"ids": 3}}"#, "$patchcord.ids: must be an array")]
#[case::no_target(
    br#"{"$patchcord": {"ids": [{"id": 3}]}}"#,
    "[0].target must be a target name"
)]
#[case::no_id(
    br#"{"$patchcord": {"ids": [{"target": "prod", "base_url": "https://a.io"}]}}"#,
    "[0].id is missing"
)]
#[case::bad_id(
    br#"{"$patchcord": {"ids": [{"target": "prod", "id": true}]}}"#,
    "must be a number or a non-empty string"
)]
fn bad_ids_say_why(#[case] bytes: &[u8], #[case] needle: &str) {
    let message = parse_file(bytes).unwrap_err().to_string();
    assert!(message.contains(needle), "{message}");
}

#[test]
fn outgoing_never_carries_metadata() {
    let mut connector = seed();
    connector.set_remote_id(&TargetRef::sandbox("http://127.0.0.1:1"), "7".into());
    let outgoing = connector.outgoing();
    assert!(outgoing.get(META_KEY).is_none());
    assert!(outgoing.get("id").is_none());
}

#[rstest]
#[case::not_utf8(&[b'{', 0xff, b'}'], "not UTF-8")]
#[case::truncated(b"{\"name\": ", "line 1")]
#[case::array(b"[1]", "must be a JSON object, found an array")]
#[case::bad_vendor(br#"{"$patchcord": {"vendor": "nope"}}"#, "unknown vendor")]
#[case::bad_meta(br#"{"$patchcord": 3}"#, "must be an object")]
fn bad_files_say_why(#[case] bytes: &[u8], #[case] needle: &str) {
    let message = parse_file(bytes).unwrap_err().to_string();
    assert!(message.contains(needle), "{message}");
}

#[test]
fn from_remote_moves_the_id_to_metadata_and_drops_timestamps() {
    let response =
        json!({"id": 42, "name": "N", "type": "enrichment", "created_at": "2025-01-15T10:30:00Z"});
    let prod = TargetRef::new("prod", "https://api.databar.ai");
    let connector = Connector::from_remote(Vendor::Databar, &response, &prod).unwrap();
    assert_eq!(connector.remote_id_for(&prod), Some("42"));
    assert_eq!(connector.legacy_id, None);
    assert!(connector.fields.get("created_at").is_none());
    assert!(connector.fields.get("id").is_none());
}

#[test]
fn changes_report_what_the_plan_clamped() {
    let sent = seed().outgoing();
    let mut stored = sent.clone();
    stored["id"] = json!(42);
    stored["created_at"] = json!("2025-01-15T10:30:00Z");
    stored["rate_limit"] = json!(10);
    stored["body_template"] = json!(null);
    let found = changes(Vendor::Databar, &sent, &stored);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to_string(), "rate_limit: sent 60, stored 10");
}

#[test]
fn secret_looking_names() {
    for name in [
        "Authorization",
        "X-Api-Key",
        "access_token",
        "client_secret",
        "PASSWORD",
    ] {
        assert!(NameValue::slot(name).looks_secret(), "{name}");
    }
    for name in ["Content-Type", "domain", "Accept"] {
        assert!(!NameValue::slot(name).looks_secret(), "{name}");
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "\\PC{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("name".to_owned()),
                        Just("value".to_owned()),
                        "[a-z_]{1,6}"
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn validation_never_panics(values in prop::collection::vec(arbitrary_json(), 10)) {
        let mut connector = Connector::new(Vendor::Databar);
        for (field, value) in DATABAR.fields.iter().zip(values) {
            connector.set(field.key, value);
        }
        let _ = validate(&connector);
        let _ = connector.outgoing();
        let _ = to_file(&connector);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_file(&bytes);
        let _ = parse_samples(&bytes);
    }

    #[test]
    fn file_round_trip(name in "\\PC{0,30}", extra in "[a-z]{1,8}", id in proptest::option::of(1u32..100_000)) {
        let mut connector = seed();
        connector.set("name", name.into());
        connector.set(&format!("x_{extra}"), json!({"kept": true}));
        if let Some(n) = id {
            connector.set_remote_id(&TargetRef::new("prod", "https://api.databar.ai"), n.to_string());
            connector.set_remote_id(&TargetRef::sandbox("http://127.0.0.1:9"), (n + 1).to_string());
        }
        let again = parse_file(to_file(&connector).as_bytes()).unwrap();
        prop_assert_eq!(again, connector);
    }
}

mod other_vendors {
    use super::*;

    fn agent_stack(body: &serde_json::Value) -> Connector {
        let mut connector = Connector::new(Vendor::AgentStack);
        for (k, v) in body.as_object().unwrap() {
            connector.set(k, v.clone());
        }
        connector
    }

    fn cargo(body: &serde_json::Value) -> Connector {
        let mut connector = Connector::new(Vendor::Cargo);
        for (k, v) in body.as_object().unwrap() {
            connector.set(k, v.clone());
        }
        connector
    }

    #[test]
    fn vendor_keys_round_trip() {
        for vendor in Vendor::ALL {
            assert_eq!(Vendor::from_key(vendor.key()), Some(*vendor));
            assert_eq!(vendor.spec().vendor, *vendor);
        }
    }

    #[test]
    fn agent_stack_minimal_is_valid_and_url_is_required() {
        assert_eq!(
            errors(&agent_stack(&json!({"url": "https://mcp.example.com/sse"}))),
            vec![]
        );
        assert_eq!(
            errors(&Connector::new(Vendor::AgentStack)),
            vec![("url".to_owned(), Rule::UrlInvalid)],
            "pydantic's AnyUrl: input is empty"
        );
        assert_eq!(
            errors(&agent_stack(&json!({"url": "mcp.example.com"}))),
            vec![("url".to_owned(), Rule::UrlInvalid)]
        );
        // Any scheme is a URL to the vendor: only advice that connect cannot reach it.
        let ftp = agent_stack(&json!({"url": "ftp://files.example/x"}));
        assert_eq!(errors(&ftp), vec![]);
        assert_eq!(warnings(&ftp), vec![("url".to_owned(), Rule::UrlScheme)]);
        assert_eq!(
            errors(&agent_stack(&json!({"url": "mcp://server/x"}))),
            vec![]
        );
    }

    #[test]
    fn agent_stack_secret_needs_client_id() {
        let c = agent_stack(&json!({"url": "https://m.io", "client_secret": "s"}));
        assert_eq!(
            errors(&c),
            vec![("client_secret".to_owned(), Rule::Requires("client_id"))]
        );
        assert_eq!(
            validate(&c)[0].by,
            Enforcer::Service,
            "answered 400, not 422"
        );
        let ok =
            agent_stack(&json!({"url": "https://m.io", "client_id": "i", "client_secret": "s"}));
        assert_eq!(errors(&ok), vec![]);
        let nulls =
            agent_stack(&json!({"url": "https://m.io", "client_id": null, "client_secret": null}));
        assert_eq!(errors(&nulls), vec![]);
    }

    #[test]
    fn agent_stack_metadata_limits() {
        let sixteen: serde_json::Map<String, serde_json::Value> =
            (0..16).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            errors(&agent_stack(
                &json!({"url": "https://m.io", "metadata": sixteen})
            )),
            vec![]
        );
        let seventeen: serde_json::Map<String, serde_json::Value> =
            (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            errors(&agent_stack(
                &json!({"url": "https://m.io", "metadata": seventeen})
            )),
            vec![("metadata".to_owned(), Rule::MaxItems(16))]
        );
        // Types first, each value on its own; the limits only once the types pass, as one.
        let long_key = "k".repeat(65);
        let c = agent_stack(
            &json!({"url": "https://m.io", "metadata": {long_key.clone(): "v", "a": "x".repeat(513), "b": 3}}),
        );
        assert_eq!(
            errors(&c),
            vec![("metadata.b".to_owned(), Rule::Type("string"))]
        );
        let c = agent_stack(
            &json!({"url": "https://m.io", "metadata": {long_key.clone(): "v", "a": "x".repeat(513)}}),
        );
        assert_eq!(
            errors(&c),
            vec![("metadata".to_owned(), Rule::MaxLength(64))]
        );
        assert!(validate(&c)[0].message.contains(&long_key));
        assert_eq!(
            errors(&agent_stack(
                &json!({"url": "https://m.io", "match_preset": "maybe"})
            )),
            vec![("match_preset".to_owned(), Rule::Type("boolean"))]
        );
        let lax = agent_stack(&json!({"url": "https://m.io", "match_preset": "yes"}));
        assert_eq!(errors(&lax), vec![]);
        assert_eq!(
            warnings(&lax),
            vec![("match_preset".to_owned(), Rule::Coerced)]
        );
    }

    #[test]
    fn cargo_required_fields_and_slug_rules() {
        assert_eq!(
            errors(&Connector::new(Vendor::Cargo)),
            vec![
                ("name".to_owned(), Rule::Blank),
                ("slug".to_owned(), Rule::Blank),
                ("integrationSlug".to_owned(), Rule::Blank),
            ],
            "config starts as an empty object, which is valid"
        );
        let c = cargo(
            &json!({"name": "N", "slug": "my slug", "integrationSlug": "http", "config": {}}),
        );
        assert_eq!(errors(&c), vec![("slug".to_owned(), Rule::SlugSpaces)]);
        let c = cargo(&json!({"name": "N", "slug": "s", "integrationSlug": "http", "config": []}));
        assert_eq!(
            errors(&c),
            vec![("config".to_owned(), Rule::Type("object"))]
        );
    }

    #[rstest]
    #[case::ok(json!({"unit": "day", "max": 100}), vec![])]
    #[case::bad_unit(json!({"unit": "week", "max": 1}), vec![("rateLimit.unit", Rule::OneOf(&["day", "hour", "minute"]))])]
    #[case::zero(json!({"unit": "hour", "max": 0}), vec![("rateLimit.max", Rule::Minimum(1))])]
    #[case::missing(json!({}), vec![("rateLimit.unit", Rule::Required), ("rateLimit.max", Rule::Required)])]
    #[case::not_object(json!(5), vec![("rateLimit", Rule::Type("object"))])]
    fn cargo_rate_limit(#[case] rate: serde_json::Value, #[case] expected: Vec<(&str, Rule)>) {
        let c = cargo(
            &json!({"name": "N", "slug": "s", "integrationSlug": "http", "config": {}, "rateLimit": rate}),
        );
        let expected: Vec<(String, Rule)> = expected
            .into_iter()
            .map(|(p, r)| (p.to_owned(), r))
            .collect();
        assert_eq!(errors(&c), expected);
    }

    #[test]
    fn cargo_update_sends_only_updatable_fields() {
        let c = cargo(
            &json!({"name": "N", "slug": "s", "integrationSlug": "http", "config": {"a": 1}, "rateLimit": {"unit": "day", "max": 5}, "cacheTtlMilliseconds": 1000, "unknown": 1}),
        );
        let update = c.outgoing_update();
        let keys: Vec<&str> = update
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["name", "config", "rateLimit", "cacheTtlMilliseconds"]
        );
        assert_eq!(
            c.outgoing().as_object().unwrap().len(),
            7,
            "a create sends everything"
        );
    }

    #[test]
    fn cargo_response_is_unwrapped_and_uuid_is_the_id() {
        let response = json!({"connector": {"uuid": "u-1", "workspaceUuid": "w", "name": "N", "slug": "s",
            "integrationSlug": "http", "config": {}, "rateLimit": null, "cacheTtlMilliseconds": null,
            "playsCount": 0, "createdAt": "x"}, "dataset": {"uuid": "d"}});
        let sandbox = TargetRef::sandbox("http://127.0.0.1:1");
        let c = Connector::from_remote(Vendor::Cargo, &response, &sandbox).unwrap();
        assert_eq!(c.remote_id_for(&sandbox), Some("u-1"));
        // The unset limits come back null, which the create schema refuses: left out, so the
        // pulled file can be sent back.
        let keys: Vec<&str> = c.fields.keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "slug", "integrationSlug", "config"]);
        let sent = json!({"name": "N", "slug": "s", "integrationSlug": "http", "config": {}});
        assert_eq!(changes(Vendor::Cargo, &sent, &response), vec![]);
    }

    #[test]
    fn agent_stack_write_only_fields_are_not_changes() {
        let sent = json!({"url": "https://m.io", "client_id": "i", "client_secret": "s", "match_preset": true, "metadata": {}});
        let stored = json!({"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "url": "https://m.io", "state": "created",
            "auth_request": null, "disconnect_reason": null, "metadata": {}, "created_at": "t", "updated_at": "t", "created_by": "u"});
        assert_eq!(changes(Vendor::AgentStack, &sent, &stored), vec![]);
        let sandbox = TargetRef::sandbox("http://127.0.0.1:1");
        let c = Connector::from_remote(Vendor::AgentStack, &stored, &sandbox).unwrap();
        assert_eq!(
            c.remote_id_for(&sandbox),
            Some("3c90c3cc-0d44-4b50-8888-8dd25736052a")
        );
        assert_eq!(c.fields.keys().collect::<Vec<_>>(), ["url", "metadata"]);
    }

    #[test]
    fn an_agent_stack_resubmit_is_unchanged_when_the_server_holds_the_same() {
        let stored = json!({"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "url": "https://m.io/",
            "state": "connected", "auth_request": null, "disconnect_reason": null,
            "metadata": {"team": "data"}, "created_at": "t", "updated_at": "t", "created_by": "u"});
        let same =
            json!({"url": "https://m.io", "metadata": {"team": "data"}, "match_preset": false});
        assert!(
            unchanged(Vendor::AgentStack, &same, &stored),
            "the URL as the vendor normalises it"
        );
        for edited in [
            json!({"url": "https://m.io/other"}),
            json!({"url": "https://m.io", "metadata": {"team": "ops"}}),
            json!({"url": "https://m.io", "client_id": "c"}),
            json!({"url": 5}),
        ] {
            assert!(!unchanged(Vendor::AgentStack, &edited, &stored), "{edited}");
        }
    }

    #[test]
    fn uuid_ids_stay_strings_in_files() {
        let mut c = agent_stack(&json!({"url": "https://m.io"}));
        c.set_remote_id(
            &TargetRef::new("agents", "https://agents.example"),
            "3c90c3cc-0d44-4b50-8888-8dd25736052a".into(),
        );
        let text = to_file(&c);
        assert!(text.contains("\"vendor\": \"agent_stack\""), "{text}");
        assert!(text.contains("\"id\": \"3c90c3cc"), "{text}");
        assert_eq!(parse_file(text.as_bytes()).unwrap(), c);
    }

    proptest! {
        #[test]
        fn validation_never_panics_for_any_vendor(values in prop::collection::vec(arbitrary_json(), 10), which in 0usize..3) {
            let vendor = Vendor::ALL[which];
            let mut connector = Connector::new(vendor);
            for (field, value) in vendor.spec().fields.iter().zip(values) {
                connector.set(field.key, value);
            }
            let _ = validate(&connector);
            let _ = connector.outgoing_update();
            let _ = changes(vendor, &connector.outgoing(), &json!({"connector": 1}));
        }
    }
}

#[test]
fn json_error_columns_are_one_based_even_at_end_of_input() {
    let err = parse_file(b"{\"name\": \"x\",\n \"url\": 5,\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid JSON at line 3, column 1: EOF while parsing a value"
    );
}

#[test]
fn a_new_connector_starts_with_a_valid_choice_in_every_picker() {
    let connector = Connector::new(Vendor::Databar);
    assert_eq!(connector.text("method"), Some("get"));
    let rules: Vec<Rule> = validate(&connector).into_iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        vec![Rule::Blank, Rule::Blank],
        "only name and url are left to fill"
    );
}

#[test]
fn a_template_past_its_bounds_with_the_samples_is_an_error() {
    // Cheap with a small sample, ten billion iterations with a big one.
    let source = "{% for i in range(n|int) %}{% for j in range(n|int) %}x{% endfor %}{% endfor %}";
    let connector = with(seed(), "body_template", json!(source));
    let mut samples = crate::template::Samples::new();
    samples.insert("n".into(), "3".into());
    assert_eq!(
        validate_with_samples(&connector, &samples),
        validate(&connector)
    );
    samples.insert("n".into(), "100000".into());
    let findings = validate_with_samples(&connector, &samples);
    let [finding] = &findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect::<Vec<_>>()[..]
    else {
        panic!("one error: {findings:?}")
    };
    assert_eq!(finding.path.to_string(), "body_template");
    assert_eq!(finding.rule, Rule::TemplateLimit);
    assert_eq!(finding.rule.code(), "template_limit");
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding
            .message
            .contains("did not finish within its budget (fuel"),
        "{finding}"
    );
    // The vendor's own rules never render: the sandbox judges the same connector valid.
    assert!(!has_errors(&validate(&connector)));
}
