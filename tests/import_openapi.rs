//! `patchcord import openapi`: listing a document's operations (text and `--json`), writing
//! one as a connector file and its samples, and the refusals with their exit codes, on public
//! documents (`tests/fixtures/openapi/`, see its README) and on seed 003 itself.
//!
//! "What the spec says" is checked through `patchcord curl FILE`: the connector inside its
//! submit call, built into the request try-it sends (`fire::build`), has the method, URL and
//! headers the operation describes.

use patchcord::api::fire;
use patchcord::connector::import_curl::{self, CurlBody};
use patchcord::connector::{Connector, Vendor, import_openapi};
use patchcord::template::Samples;
use serde_json::{Value, json};

#[expect(
    dead_code,
    reason = "the shared harness has helpers for servers this file does not start"
)]
mod common;

use common::Home;

fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openapi")
        .join(name)
        .display()
        .to_string()
}

/// Seed 003, read where the seeds are: `../shared/seeds/` beside the repository.
fn seed_003() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/003_30a13141034e8edd.txt")
        .display()
        .to_string()
}

/// The request the connector in `FILE` sends, as `patchcord curl FILE` describes it:
/// (method, URL, headers).
fn described(home: &Home, file: &str) -> (String, String, Vec<(String, String)>) {
    let out = home.run(&["--reveal", "curl", file]);
    assert_eq!(out.code, 0, "{out:?}");
    let (submit, _) = import_curl::parse(&out.stdout).expect("patchcord curl parses back");
    let body = match submit.body {
        Some(CurlBody::Json(body)) => Some(body),
        _ => None,
    }
    .expect("the submit call has a JSON body");
    let fields = serde_json::from_str(&body).expect("an object");
    let connector = Connector::from_fields(Vendor::Databar, fields);
    let request = fire::build(&connector, &Samples::new()).expect("builds");
    let headers = request
        .headers
        .into_iter()
        .map(|h| (h.name, h.value))
        .collect();
    (request.method, request.url, headers)
}

#[test]
fn lists_operations_as_text_and_json() {
    let home = Home::new();
    let out = home.run(&["import", "openapi", &fixture("petstore.yaml")]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 19, "{out:?}");
    assert_eq!(
        lines[0],
        "addPet                    POST    /pet                      Add a new pet to the store"
    );
    assert!(
        out.stdout
            .contains("deletePet                 DELETE  /pet/{petId}")
    );

    let out = home.run(&[
        "--json",
        "import",
        "openapi",
        &fixture("non-oauth-scopes.json"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let listed: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        listed,
        json!([{"id": null, "method": "GET", "path": "/users", "summary": null}])
    );
    let out = home.run(&["import", "openapi", &fixture("non-oauth-scopes.json")]);
    assert_eq!(out.stdout, "-  GET     /users\n");
}

#[test]
fn writes_seed_003s_operation_and_curl_describes_it() {
    let home = Home::new();
    let out = home.run(&[
        "import",
        "openapi",
        &seed_003(),
        "--operation",
        "PUT /v1/connectors/{connector_id}",
        "--path-param",
        "connector_id=42",
        "-o",
        "update.json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "wrote update.json\n");
    assert!(
        out.stderr
            .contains("note: read the OpenAPI document from the page's fenced code block")
    );
    assert!(
        out.stderr.contains("headers x-apikey have no value"),
        "{out:?}"
    );
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(home.path("update.json")).expect("file"))
            .expect("JSON");
    assert_eq!(stored["url"], "https://api.databar.ai/v1/connectors/42");
    assert_eq!(stored["method"], "put");
    let samples: Value = serde_json::from_str(
        &std::fs::read_to_string(home.path("update.samples.json")).expect("samples file"),
    )
    .expect("JSON");
    assert_eq!(samples, json!({"type": "enrichment"}));
    let (method, url, headers) = described(&home, "update.json");
    assert_eq!(method, "PUT");
    assert_eq!(url, "https://api.databar.ai/v1/connectors/42");
    assert_eq!(
        headers,
        [
            ("x-apikey".to_owned(), String::new()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ]
    );
}

#[test]
fn petstore_operation_from_stdin_with_a_base_url() {
    let mut home = Home::new();
    home.stdin = Some(std::fs::read_to_string(fixture("petstore.yaml")).expect("fixture"));
    let out = home.run(&[
        "import",
        "openapi",
        "-",
        "--operation",
        "findPetsByStatus",
        "--base-url",
        "https://petstore3.swagger.io",
        "-o",
        "find.json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("security petstore_auth is OAuth"),
        "{out:?}"
    );
    let (method, url, headers) = described(&home, "find.json");
    assert_eq!(method, "GET");
    assert_eq!(
        url,
        "https://petstore3.swagger.io/v3/pet/findByStatus?status="
    );
    assert_eq!(
        headers,
        [(
            "Authorization".to_owned(),
            "Bearer YOUR_ACCESS_TOKEN".to_owned()
        )]
    );
    let samples = std::fs::read_to_string(home.path("find.samples.json")).expect("samples");
    assert_eq!(
        serde_json::from_str::<Value>(&samples).expect("JSON"),
        json!({"status": "available"})
    );
}

#[test]
fn a_31_document_without_servers_and_the_printed_connector_is_masked() {
    let home = Home::new();
    let spec = fixture("webhook-example.yaml");
    let out = home.run(&["import", "openapi", &spec, "--operation", "listPets"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(
            "the document names no server (no `servers`); say where the API is with --base-url URL"
        ),
        "{out:?}"
    );
    let bearer = fixture("non-oauth-scopes.json");
    let args = [
        "import",
        "openapi",
        &bearer,
        "--operation",
        "get /users",
        "--base-url",
        "https://api.test",
    ];
    let out = home.run(&args);
    assert_eq!(out.code, 0, "{out:?}");
    let printed: Value = serde_json::from_str(&out.stdout).expect("the connector");
    assert_eq!(printed["url"], "https://api.test/users");
    assert_eq!(printed["headers"][0]["name"], "Authorization");
    assert_ne!(
        printed["headers"][0]["value"], "Bearer YOUR_TOKEN",
        "masked"
    );
    assert!(
        out.stderr.contains("note: masked headers[0].value"),
        "{out:?}"
    );
}

#[test]
fn refusals_say_why_with_their_exit_codes() {
    let home = Home::new();
    let petstore = fixture("petstore.yaml");
    let base = ["--base-url", "https://petstore3.swagger.io"];
    let run = |extra: &[&str]| {
        let mut args = vec!["import", "openapi", petstore.as_str()];
        args.extend_from_slice(extra);
        home.run(&args)
    };
    let out = run(&[&["--operation", "getPetById"][..], &base].concat());
    out.exits(1, &["path parameter {petId} (ID of pet to return): a Databar connector's URL is one fixed URL"]);
    let out = run(&["--operation", "getInventory"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("servers[0] is the relative URL \"/v3\""),
        "{out:?}"
    );
    let out = run(&["--operation", "nope"]);
    out.exits(2, &["no operation \"nope\""]);
    let out = run(&[
        &["--operation", "deletePet", "--path-param", "petId=1"][..],
        &base,
    ]
    .concat());
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("method DELETE: Databar connectors use get, post, put, patch"),
        "{out:?}"
    );
    let out = run(&[&["--operation", "addPet", "--vendor", "cargo"][..], &base].concat());
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("Cargo connectors have no URL field"),
        "{out:?}"
    );

    let remote = home.write(
        "remote.yaml",
        "openapi: 3.0.3\ninfo: {title: r, version: '1'}\npaths:\n  /a:\n    $ref: 'paths.yaml#/a'\n",
    );
    let out = home.run(&["import", "openapi", &remote.display().to_string()]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("$ref paths.yaml#/a: it points into another document"),
        "{out:?}"
    );
    let swagger = home.write("swagger.json", "{\"swagger\": \"2.0\", \"paths\": {}}");
    let out = home.run(&["import", "openapi", &swagger.display().to_string()]);
    out.exits(1, &["Swagger 2.0"]);
    let out = home.run(&["import", "openapi", "missing.yaml"]);
    out.exits(1, &["missing.yaml"]);
}

fn pairs(connector: &Connector, key: &str) -> Vec<(String, String)> {
    connector
        .name_values(key)
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect()
}

#[test]
fn the_core_reads_seed_003_from_its_markdown_page() {
    let text = std::fs::read_to_string(seed_003()).expect("seed 003 beside the repository");
    let spec = import_openapi::parse(&text).expect("parses");
    assert_eq!(spec.version, "3.1.0");
    assert!(spec.notes[0].contains("fenced code block"));
    let options = import_openapi::Options {
        path_values: vec![("connector_id".into(), "42".into())],
        ..import_openapi::Options::new(Vendor::Databar)
    };
    let imported = import_openapi::import(
        &spec,
        "update_connector_v1_connectors__connector_id__put",
        &options,
    )
    .expect("imports");
    let c = &imported.connector;
    assert_eq!(
        c.text("url"),
        Some("https://api.databar.ai/v1/connectors/42")
    );
    assert_eq!(c.text("method"), Some("put"));
    assert_eq!(
        pairs(c, "headers"),
        [
            ("x-apikey".into(), String::new()),
            ("Content-Type".into(), "application/json".into()),
        ]
    );
    let variables =
        patchcord::template::variables(c.template().expect("template")).expect("compiles");
    assert_eq!(
        variables,
        [
            "name",
            "type",
            "method",
            "url",
            "headers",
            "parameters",
            "body",
            "body_template",
            "rate_limit",
            "max_concurrency"
        ]
    );
    assert_eq!(
        imported.samples.get("type").map(String::as_str),
        Some("enrichment")
    );
}
