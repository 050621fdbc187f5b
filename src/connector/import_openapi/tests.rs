use super::*;
use crate::connector::Vendor;
use crate::template;
use serde_json::json;
use std::fmt::Write as _;

// Fixtures are compiled in: the core's tests, like the core, touch no file system.
const PETSTORE: &str = include_str!("../../../tests/fixtures/openapi/petstore.yaml");
const WEBHOOK: &str = include_str!("../../../tests/fixtures/openapi/webhook-example.yaml");
const BEARER: &str = include_str!("../../../tests/fixtures/openapi/non-oauth-scopes.json");

fn petstore() -> Spec {
    parse(PETSTORE).expect("petstore parses")
}

fn based(vendor: Vendor) -> Options {
    Options {
        base_url: Some("https://petstore3.swagger.io".into()),
        ..Options::new(vendor)
    }
}

fn pairs(connector: &Connector, key: &str) -> Vec<(String, String)> {
    connector
        .name_values(key)
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect()
}

use crate::connector::Connector;

/// A small document exercising every kind of `$ref` the importer follows.
fn refs_doc() -> String {
    r#"
openapi: 3.1.0
info: {title: Refs, version: "1"}
servers:
  - url: https://{region}.api.test/v1
    variables:
      region: {default: eu, enum: [eu, us]}
paths:
  /items:
    parameters:
      - $ref: '#/components/parameters/Limit'
    post:
      operationId: createItem
      summary: Create an item
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
        - {name: q, in: query, required: true, schema: {type: string, example: shoes}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
      security:
        - key: []
      requestBody:
        $ref: '#/components/requestBodies/Item'
  /loop:
    get:
      operationId: loop
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/A'}
  /remote:
    get:
      operationId: remote
      parameters:
        - $ref: 'other.yaml#/components/parameters/Limit'
components:
  parameters:
    Limit: {name: limit, in: query, required: true, schema: {type: integer, default: 20}}
  requestBodies:
    Item:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Item'}
  schemas:
    Item:
      allOf:
        - {$ref: '#/components/schemas/Base'}
      properties:
        first-name: {type: string, examples: [Ada]}
        price: {type: [number, "null"], example: 9.5}
        active: {type: boolean, default: true}
        tags: {type: array, items: {type: string, example: red}}
    Base:
      properties:
        id: {type: integer, example: 7}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      properties:
        name: {type: string, example: Grace}
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
"#
    .to_owned()
}

#[test]
fn refs_to_parameters_request_bodies_and_schemas_are_followed() {
    let spec = parse(&refs_doc()).expect("parses");
    let imported = import(&spec, "createItem", &Options::new(Vendor::Databar)).expect("imports");
    let c = &imported.connector;
    assert_eq!(c.text("url"), Some("https://eu.api.test/v1/items"));
    assert_eq!(c.text("method"), Some("post"));
    assert_eq!(c.text("name"), Some("Create an item"));
    // The security key first, then required parameters (the path item's `limit` by $ref),
    // then the optional ones, in the document's order.
    assert_eq!(
        pairs(c, "parameters"),
        [
            ("api_key".into(), "YOUR_API_KEY".into()),
            ("limit".into(), String::new()),
            ("q".into(), String::new()),
            ("cursor".into(), String::new()),
        ]
    );
    assert_eq!(
        pairs(c, "headers"),
        [
            ("X-Trace".into(), String::new()),
            ("Content-Type".into(), "application/json".into()),
        ]
    );
    assert_eq!(
        imported.samples.get("limit").map(String::as_str),
        Some("20")
    );
    assert_eq!(imported.samples.get("q").map(String::as_str), Some("shoes"));
    let notes = imported.notes.join("\n");
    assert!(notes.contains("header parameter Accept ignored"), "{notes}");
    assert!(
        notes.contains("\"first-name\" is the template variable first_name"),
        "{notes}"
    );
}

#[test]
fn the_body_template_renders_to_the_documents_example() {
    let spec = parse(&refs_doc()).expect("parses");
    let imported = import(&spec, "POST /items", &Options::new(Vendor::Databar)).expect("imports");
    let template = imported.connector.template().expect("a template");
    let variables = template::variables(template).expect("compiles");
    assert_eq!(
        variables,
        ["id", "owner", "first_name", "price", "active", "tags"]
    );
    let rendered = template::render(template, &imported.samples).expect("renders");
    let value: Value = serde_json::from_str(&rendered).expect("JSON");
    assert_eq!(
        value,
        json!({
            "id": 7,
            "owner": {"name": "Grace"},
            "first-name": "Ada",
            "price": 9.5,
            "active": true,
            "tags": ["red"],
        })
    );
}

#[test]
fn petstore_order_body_renders_to_its_examples() {
    let imported = import(&petstore(), "placeOrder", &based(Vendor::Databar)).expect("imports");
    let c = &imported.connector;
    assert_eq!(
        c.text("url"),
        Some("https://petstore3.swagger.io/v3/store/order")
    );
    let rendered =
        template::render(c.template().expect("template"), &imported.samples).expect("renders");
    let value: Value = serde_json::from_str(&rendered).expect("JSON");
    // Properties without an example render as what an empty column gives.
    assert_eq!(
        value,
        json!({"id": 10, "petId": 198_772, "quantity": 7, "shipDate": null,
               "status": "approved", "complete": false})
    );
}

#[test]
fn cycles_and_remote_refs_are_refused_with_the_reference() {
    let spec = parse(&refs_doc()).expect("parses");
    let options = Options::new(Vendor::Databar);
    let cycle = import(&spec, "loop", &options).expect_err("a cycle");
    assert_eq!(
        cycle.to_string(),
        "$ref cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A"
    );
    let remote = import(&spec, "remote", &options).expect_err("remote");
    assert!(
        remote.to_string().starts_with(
            "$ref other.yaml#/components/parameters/Limit: it points into another document"
        ),
        "{remote}"
    );
}

#[test]
fn security_schemes_become_headers_or_params_with_placeholders() {
    let spec = petstore();
    let by_key = import(&spec, "getInventory", &based(Vendor::Databar)).expect("imports");
    assert_eq!(
        pairs(&by_key.connector, "headers"),
        [("api_key".into(), "YOUR_API_KEY".into())]
    );
    let oauth = import(&spec, "findPetsByStatus", &based(Vendor::Databar)).expect("imports");
    assert_eq!(
        pairs(&oauth.connector, "headers"),
        [("Authorization".into(), "Bearer YOUR_ACCESS_TOKEN".into())]
    );
    assert_eq!(
        oauth.samples.get("status").map(String::as_str),
        Some("available")
    );
    let bearer = parse(BEARER).expect("parses");
    let options = Options {
        base_url: Some("https://api.test".into()),
        ..Options::new(Vendor::Databar)
    };
    let users = import(&bearer, "get /users", &options).expect("imports");
    assert_eq!(users.connector.text("url"), Some("https://api.test/users"));
    assert_eq!(
        pairs(&users.connector, "headers"),
        [("Authorization".into(), "Bearer YOUR_TOKEN".into())]
    );
    let basic = refs_doc().replace(
        "key: {type: apiKey, in: query, name: api_key}",
        "key: {type: http, scheme: basic}",
    );
    let basic = import(
        &parse(&basic).expect("parses"),
        "createItem",
        &Options::new(Vendor::Databar),
    )
    .expect("imports");
    assert_eq!(
        pairs(&basic.connector, "headers").first(),
        Some(&(
            "Authorization".into(),
            "Basic YOUR_BASE64_USER_COLON_PASSWORD".into()
        ))
    );
}

#[test]
fn path_parameters_need_a_value_and_servers_a_base() {
    let spec = petstore();
    let refused = import(&spec, "getPetById", &based(Vendor::Databar)).expect_err("refused");
    let message = refused.to_string();
    assert!(message.starts_with("path parameter {petId} (ID of pet to return): a Databar connector's URL is one fixed URL"), "{message}");
    assert!(message.ends_with("--path-param petId=VALUE"), "{message}");
    let options = Options {
        path_values: vec![("petId".into(), "10 a/b".into())],
        ..based(Vendor::Databar)
    };
    let filled = import(&spec, "getPetById", &options).expect("imports");
    assert_eq!(
        filled.connector.text("url"),
        Some("https://petstore3.swagger.io/v3/pet/10%20a%2Fb")
    );
    let relative =
        import(&spec, "getInventory", &Options::new(Vendor::Databar)).expect_err("relative");
    assert!(
        relative
            .to_string()
            .contains("servers[0] is the relative URL \"/v3\""),
        "{relative}"
    );
    let none = parse(WEBHOOK).expect("parses");
    let missing =
        import(&none, "listPets", &Options::new(Vendor::Databar)).expect_err("no servers");
    assert!(missing.to_string().contains("no `servers`"), "{missing}");
    let wrong = Options {
        server: 3,
        ..Options::new(Vendor::Databar)
    };
    let message = import(&parse(&refs_doc()).expect("parses"), "createItem", &wrong)
        .expect_err("no such server")
        .to_string();
    assert_eq!(
        message,
        "there is no servers[3]: the document lists 1 server(s), from 0"
    );
}

#[test]
fn operations_are_listed_in_document_order_and_found_by_id_or_method_and_path() {
    let spec = petstore();
    let operations = spec.operations().expect("lists");
    assert_eq!(operations.len(), 19);
    assert_eq!(operations[0].label(), "POST /pet");
    assert_eq!(operations[0].id.as_deref(), Some("addPet"));
    assert_eq!(
        spec.find("delete /pet/{petId}")
            .expect("found")
            .id
            .as_deref(),
        Some("deletePet")
    );
    assert_eq!(
        spec.find("nope").expect_err("missing").to_string(),
        "no operation \"nope\"; without --operation the operations are listed"
    );
    let deleted = import(
        &spec,
        "deleteOrder",
        &Options {
            path_values: vec![("orderId".into(), "1".into())],
            ..based(Vendor::Databar)
        },
    );
    assert_eq!(
        deleted.expect_err("no DELETE").to_string(),
        "method DELETE: Databar connectors use get, post, put, patch"
    );
}

#[test]
fn documents_that_are_not_openapi_3_are_refused() {
    assert_eq!(parse("swagger: '2.0'\n"), Err(OpenApiError::Swagger2));
    assert_eq!(
        parse("openapi: 2.5.0\n").expect_err("old").to_string(),
        "OpenAPI 2.5.0: patchcord reads 3.0 and 3.1"
    );
    assert_eq!(parse("just: yaml\n"), Err(OpenApiError::NotOpenApi));
    assert!(matches!(
        parse("{\"openapi\": "),
        Err(OpenApiError::Syntax(_))
    ));
    // YAML keys that read as numbers are text in JSON.
    let spec = parse("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n")
        .expect("parses");
    assert!(
        spec.document()
            .pointer("/paths/~1a/get/responses/200")
            .is_some()
    );
}

#[test]
fn schemas_shared_many_times_over_are_walked_within_a_bound() {
    // Each level refers to the next ten times: 10^12 paths, no cycle.
    let mut doc = String::from(
        "openapi: 3.0.0\nservers: [{url: 'https://x.test'}]\npaths:\n  /a:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/L0'}\ncomponents:\n  schemas:\n",
    );
    for level in 0..12 {
        let _ = write!(doc, "    L{level}:\n      properties:\n");
        for p in 0..10 {
            let _ = writeln!(
                doc,
                "        p{p}: {{$ref: '#/components/schemas/L{}'}}",
                level + 1
            );
        }
    }
    doc.push_str("    L12: {type: string}\n");
    let spec = parse(&doc).expect("parses");
    let imported = import(&spec, "a", &Options::new(Vendor::Databar)).expect("imports");
    let variables = template::variables(imported.connector.template().expect("template"));
    assert_eq!(variables.expect("compiles").len(), 10);
}
