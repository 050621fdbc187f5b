//! Contract tables: the sandbox answers each request as the vendor's service would.
//!
//! Databar (seed 003) and Agent Stack (seed 002) are `FastAPI` services with pydantic v2 models.
//! Every row of their tables was learned by sending the same request to `FastAPI` 0.165 and
//! pydantic 2.14 serving a model of the seed's schema: the status, and each 422 item's `loc`,
//! `type` and `msg`, in order. Every item must also carry pydantic's `input` (the value at
//! `loc`, the enclosing object for `missing`) and `ctx` where pydantic gives one; that is
//! checked for every row. Neither seed gives a request field a fixed set of values (`type` and
//! `method` are plain strings in seed 003), so no `enum` error arises there. Cargo's seed has
//! no error shapes, so its table holds what the seed and the design say: statuses (its
//! `rateLimit.unit` is the one enum) and the wrapper shapes.
#![expect(
    clippy::unwrap_used,
    reason = "the helpers outside #[test] functions fail loudly, like the tests they serve"
)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "contract-key";

// Pydantic's messages.
const MISSING: &str = "Field required";
const STRING: &str = "Input should be a valid string";
const LIST: &str = "Input should be a valid list";
const DICT: &str = "Input should be a valid dictionary";
const MODEL: &str = "Input should be a valid dictionary or object to extract fields from";
const INT: &str = "Input should be a valid integer";
const INT_PARSING: &str = "Input should be a valid integer, unable to parse string as an integer";
const INT_FLOAT: &str = "Input should be a valid integer, got a number with a fractional part";
const GE_1: &str = "Input should be greater than or equal to 1";
const BOOL: &str = "Input should be a valid boolean";
const BOOL_PARSING: &str = "Input should be a valid boolean, unable to interpret input";
const URL_TYPE: &str = "URL input should be a string or URL";

/// How a row authenticates.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Auth {
    Key,
    Missing,
    Wrong,
    Empty,
}

/// One request.
#[derive(Debug, Clone)]
struct Req {
    method: Method,
    /// `{id}` is an existing connector (`{ID}` in capitals), `{gone}` one that does not exist.
    path: String,
    auth: Auth,
    content_type: Option<&'static str>,
    body: Option<Vec<u8>>,
}

impl Req {
    fn new(method: Method, path: &str) -> Req {
        Req {
            method,
            path: path.to_owned(),
            auth: Auth::Key,
            content_type: None,
            body: None,
        }
    }

    fn json(mut self, body: &Value) -> Req {
        self.content_type = Some("application/json");
        self.body = Some(body.to_string().into_bytes());
        self
    }

    fn raw(mut self, content_type: Option<&'static str>, body: impl AsRef<[u8]>) -> Req {
        self.content_type = content_type;
        self.body = Some(body.as_ref().to_vec());
        self
    }

    fn auth(mut self, auth: Auth) -> Req {
        self.auth = auth;
        self
    }

    /// The body as pydantic saw it, for checking each item's `input`.
    fn body_value(&self) -> Value {
        let bytes = self.body.clone().unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = self.content_type.is_some_and(|t| t.contains("json"));
        if json {
            serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap_or(Value::Null)
        } else {
            Value::String(text)
        }
    }
}

/// What a row expects back.
#[derive(Debug, Clone)]
enum Want {
    /// A 422: each item's `loc`, `type`, `msg`, in order.
    Items(Vec<(Value, &'static str, &'static str)>),
    /// A 422 `json_invalid` at a character position, with Python's message.
    Json(usize, &'static str),
    /// `{"detail": "..."}`.
    Detail(&'static str),
    /// A JSON answer containing these fields with these values.
    Fields(Value),
    /// A 307 to this path on the sandbox.
    Redirect(&'static str),
    /// An answer with this `Allow` header.
    Allow(&'static str),
    /// Only the status matters.
    Status,
}

struct Row {
    what: &'static str,
    req: Req,
    status: u16,
    want: Want,
}

fn row(what: &'static str, req: Req, status: u16, want: Want) -> Row {
    Row {
        what,
        req,
        status,
        want,
    }
}

fn items(list: &[(Value, &'static str, &'static str)]) -> Want {
    Want::Items(list.to_vec())
}

fn loc(parts: Value) -> Value {
    parts
}

fn x(n: usize) -> String {
    "x".repeat(n)
}

/// `base` with `key` set to `value`.
fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut out = base.clone();
    out[key] = value;
    out
}

/// `base` without `key`.
fn without(base: &Value, key: &str) -> Value {
    let mut out = base.clone();
    out.as_object_mut().unwrap().remove(key);
    out
}

/// A vendor's way of carrying the key.
#[derive(Clone, Copy)]
enum Carrier {
    Header(&'static str),
    Basic,
    Bearer,
}

struct Table {
    sandbox: Sandbox,
    client: reqwest::Client,
    carrier: Carrier,
    id: String,
    gone: String,
}

impl Table {
    async fn start(carrier: Carrier) -> Table {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sandbox = Sandbox::start(ServeOptions {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: DbPath::Memory,
            keys: vec![KEY.to_owned()],
            plan: Plan::default(),
        })
        .await
        .unwrap();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        Table {
            sandbox,
            client,
            carrier,
            id: String::new(),
            gone: String::new(),
        }
    }

    async fn send(&self, req: &Req) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let path = req
            .path
            .replace("{id}", &self.id)
            .replace("{ID}", &self.id.to_uppercase())
            .replace("{gone}", &self.gone);
        let url = format!("{}{path}", self.sandbox.base_url());
        let mut request = self.client.request(req.method.clone(), url);
        let secret = match req.auth {
            Auth::Key => Some(KEY),
            Auth::Wrong => Some("not-the-key"),
            Auth::Empty => Some(""),
            Auth::Missing => None,
        };
        if let Some(secret) = secret {
            request = match self.carrier {
                Carrier::Header(name) => request.header(name, secret),
                Carrier::Basic => request.header(
                    "authorization",
                    format!("Basic {}", BASE64.encode(format!("me:{secret}"))),
                ),
                Carrier::Bearer => request.header("authorization", format!("Bearer {secret}")),
            };
        }
        if let Some(content_type) = req.content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(body) = &req.body {
            request = request.body(body.clone());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.unwrap().to_vec())
    }

    /// Runs every row and reports every mismatch at once.
    async fn check(&self, rows: &[Row]) {
        let wrong = self.mismatches(rows).await;
        assert!(
            wrong.is_empty(),
            "{} of {} rows differ:\n{}",
            wrong.len(),
            rows.len(),
            wrong.join("\n")
        );
    }

    async fn mismatches(&self, rows: &[Row]) -> Vec<String> {
        let mut wrong = Vec::new();
        for row in rows {
            let (status, headers, bytes) = self.send(&row.req).await;
            let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let mut problems = Vec::new();
            if status != row.status {
                problems.push(format!("status {status}, want {}", row.status));
            }
            problems.extend(self.compare(row, &headers, &body));
            if !problems.is_empty() {
                wrong.push(format!(
                    "{}: {}\n    got {body}",
                    row.what,
                    problems.join("; ")
                ));
            }
        }
        wrong
    }

    fn compare(
        &self,
        row: &Row,
        headers: &reqwest::header::HeaderMap,
        body: &Value,
    ) -> Vec<String> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        match &row.want {
            Want::Items(expected) => {
                let got: Vec<(Value, Value, Value)> = body["detail"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .map(|i| (i["loc"].clone(), i["type"].clone(), i["msg"].clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                let want: Vec<(Value, Value, Value)> = expected
                    .iter()
                    .map(|(l, t, m)| (l.clone(), Value::from(*t), Value::from(*m)))
                    .collect();
                let mut problems = Vec::new();
                if got != want {
                    problems.push(format!("items {got:?}, want {want:?}"));
                }
                for item in body["detail"].as_array().into_iter().flatten() {
                    problems.extend(pydantic_item_problems(&row.req, item));
                }
                problems
            }
            Want::Json(position, message) => {
                let want = json!({"detail": [{"type": "json_invalid", "loc": ["body", position],
                    "msg": "JSON decode error", "input": {}, "ctx": {"error": message}}]});
                if *body == want {
                    vec![]
                } else {
                    vec![format!("want {want}")]
                }
            }
            Want::Detail(detail) => {
                if body == &json!({ "detail": detail }) {
                    vec![]
                } else {
                    vec![format!("want detail {detail:?}")]
                }
            }
            Want::Fields(fields) => fields
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| &body[k.as_str()] != *v)
                .map(|(k, v)| format!("{k} = {}, want {v}", body[k.as_str()]))
                .collect(),
            Want::Redirect(path) => {
                let want = format!(
                    "{}{}",
                    self.sandbox.base_url(),
                    path.replace("{id}", &self.id)
                );
                if header("location") == want {
                    vec![]
                } else {
                    vec![format!("location {:?}, want {want}", header("location"))]
                }
            }
            Want::Allow(allow) => {
                let mut problems = Vec::new();
                if header("allow") != *allow {
                    problems.push(format!("allow {:?}, want {allow:?}", header("allow")));
                }
                if row.req.method != Method::HEAD
                    && body != &json!({"detail": "Method Not Allowed"})
                {
                    problems.push("want detail Method Not Allowed".into());
                }
                problems
            }
            Want::Status => vec![],
        }
    }
}

/// What pydantic puts in every item besides `loc`, `type` and `msg`: the `input` it judged and
/// the `ctx` of the constrained types, keys in `FastAPI`'s order.
fn pydantic_item_problems(req: &Req, item: &Value) -> Vec<String> {
    let kind = item["type"].as_str().unwrap_or_default();
    let msg = item["msg"].as_str().unwrap_or_default();
    let loc = item["loc"].as_array().cloned().unwrap_or_default();
    let number_in_msg = || -> Value {
        msg.split(' ')
            .find_map(|w| w.parse::<i64>().ok())
            .map_or(Value::Null, Value::from)
    };
    let ctx = match kind {
        "string_too_long" => Some(json!({ "max_length": number_in_msg() })),
        "greater_than_equal" => Some(json!({ "ge": number_in_msg() })),
        "less_than_equal" => Some(json!({ "le": number_in_msg() })),
        "url_parsing" | "uuid_parsing" => {
            Some(json!({ "error": msg.split_once(", ").map(|(_, r)| r).unwrap_or_default() }))
        }
        "value_error" => Some(json!({ "error": {} })),
        _ => None,
    };
    let mut keys = vec!["type", "loc", "msg", "input"];
    if ctx.is_some() {
        keys.push("ctx");
    }
    let got: Vec<&str> = item
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    if got != keys {
        problems.push(format!("{kind} item keys {got:?}, want {keys:?}"));
    }
    if let Some(ctx) = ctx
        && item["ctx"] != ctx
    {
        problems.push(format!("{kind} ctx {}, want {ctx}", item["ctx"]));
    }
    if loc.first() == Some(&Value::from("body")) {
        let mut at = req.body_value();
        let depth = if kind == "missing" {
            loc.len().saturating_sub(1)
        } else {
            loc.len()
        };
        for seg in loc.iter().take(depth).skip(1) {
            at = match seg {
                Value::String(k) => at[k.as_str()].clone(),
                Value::Number(n) => {
                    at[usize::try_from(n.as_u64().unwrap_or(0)).unwrap_or(0)].clone()
                }
                _ => Value::Null,
            };
        }
        if kind == "missing" && loc.len() == 1 {
            at = Value::Null;
        }
        if item["input"] != at {
            problems.push(format!("{kind} input {}, want {at}", item["input"]));
        }
    }
    problems
}

// ---------------------------------------------------------------- Databar (seed 003)

fn minimal() -> Value {
    json!({"name": "n", "method": "get", "url": "https://a.example/x"})
}

fn post(body: &Value) -> Req {
    Req::new(Method::POST, "/v1/connectors/").json(body)
}

/// `ConnectorCreate` field by field: types, limits at N and N+1, nulls, missing fields;
/// here its text fields.
#[rustfmt::skip]
fn databar_body_rows() -> Vec<Row> {
    let m = minimal();
    let one = |field: &str| loc(json!(["body", field]));
    vec![
        row("minimal", post(&m), 201, Want::Fields(json!({
            "name": "n", "type": "enrichment", "method": "get", "url": "https://a.example/x",
            "headers": [], "parameters": [], "body": [], "body_template": null,
            "rate_limit": null, "max_concurrency": null}))),
        row("name missing", post(&without(&m, "name")), 422, items(&[(one("name"), "missing", MISSING)])),
        row("everything missing", post(&json!({})), 422, items(&[
            (one("name"), "missing", MISSING), (one("method"), "missing", MISSING), (one("url"), "missing", MISSING)])),
        row("name int", post(&with(&m, "name", json!(5))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name null", post(&with(&m, "name", json!(null))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name bool", post(&with(&m, "name", json!(true))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name float", post(&with(&m, "name", json!(1.5))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name list", post(&with(&m, "name", json!([]))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name object", post(&with(&m, "name", json!({}))), 422, items(&[(one("name"), "string_type", STRING)])),
        row("name 256", post(&with(&m, "name", json!(x(256)))), 201, Want::Status),
        row("name 257", post(&with(&m, "name", json!(x(257)))), 422,
            items(&[(one("name"), "string_too_long", "String should have at most 256 characters")])),
        row("name 256 multibyte", post(&with(&m, "name", json!("é".repeat(256)))), 201, Want::Status),
        row("name blank is stored", post(&with(&m, "name", json!(""))), 201, Want::Fields(json!({"name": ""}))),
        row("method is any string", post(&with(&m, "method", json!("delete"))), 201, Want::Fields(json!({"method": "delete"}))),
        row("method missing", post(&without(&m, "method")), 422, items(&[(one("method"), "missing", MISSING)])),
        row("method int", post(&with(&m, "method", json!(5))), 422, items(&[(one("method"), "string_type", STRING)])),
        row("method null", post(&with(&m, "method", json!(null))), 422, items(&[(one("method"), "string_type", STRING)])),
        row("type is any string", post(&with(&m, "type", json!("bogus"))), 201, Want::Fields(json!({"type": "bogus"}))),
        row("type null", post(&with(&m, "type", json!(null))), 422, items(&[(one("type"), "string_type", STRING)])),
        row("type int", post(&with(&m, "type", json!(5))), 422, items(&[(one("type"), "string_type", STRING)])),
        row("type missing takes the default", post(&without(&m, "type")), 201, Want::Fields(json!({"type": "enrichment"}))),
        row("url any text", post(&with(&m, "url", json!("ftp://x"))), 201, Want::Fields(json!({"url": "ftp://x"}))),
        row("url not a url", post(&with(&m, "url", json!("not a url"))), 201, Want::Status),
        row("url 512", post(&with(&m, "url", json!("h".repeat(512)))), 201, Want::Status),
        row("url 513", post(&with(&m, "url", json!("h".repeat(513)))), 422,
            items(&[(one("url"), "string_too_long", "String should have at most 512 characters")])),
        row("url int", post(&with(&m, "url", json!(1))), 422, items(&[(one("url"), "string_type", STRING)])),
    ]
}

/// `ConnectorCreate`'s lists of `NameValue` items and its template.
#[rustfmt::skip]
fn databar_list_rows() -> Vec<Row> {
    let m = minimal();
    let one = |field: &str| loc(json!(["body", field]));
    vec![
        row("headers null", post(&with(&m, "headers", json!(null))), 422, items(&[(one("headers"), "list_type", LIST)])),
        row("headers object", post(&with(&m, "headers", json!({"a": "b"}))), 422, items(&[(one("headers"), "list_type", LIST)])),
        row("headers string", post(&with(&m, "headers", json!("x"))), 422, items(&[(one("headers"), "list_type", LIST)])),
        row("body null", post(&with(&m, "body", json!(null))), 422, items(&[(one("body"), "list_type", LIST)])),
        row("parameters null", post(&with(&m, "parameters", json!(null))), 422, items(&[(one("parameters"), "list_type", LIST)])),
        row("parameters object", post(&with(&m, "parameters", json!({}))), 422, items(&[(one("parameters"), "list_type", LIST)])),
        row("body string", post(&with(&m, "body", json!("b"))), 422, items(&[(one("body"), "list_type", LIST)])),
        row("header item int", post(&with(&m, "headers", json!([1]))), 422,
            items(&[(json!(["body", "headers", 0]), "model_attributes_type", MODEL)])),
        row("header item string", post(&with(&m, "headers", json!(["a"]))), 422,
            items(&[(json!(["body", "headers", 0]), "model_attributes_type", MODEL)])),
        row("header item null", post(&with(&m, "headers", json!([null]))), 422,
            items(&[(json!(["body", "headers", 0]), "model_attributes_type", MODEL)])),
        row("header item list", post(&with(&m, "parameters", json!([{"name": "ok"}, []]))), 422,
            items(&[(json!(["body", "parameters", 1]), "model_attributes_type", MODEL)])),
        row("header name missing", post(&with(&m, "headers", json!([{"value": "x"}]))), 422,
            items(&[(json!(["body", "headers", 0, "name"]), "missing", MISSING)])),
        row("header name null", post(&with(&m, "headers", json!([{"name": null}]))), 422,
            items(&[(json!(["body", "headers", 0, "name"]), "string_type", STRING)])),
        row("header value null", post(&with(&m, "headers", json!([{"name": "a", "value": null}]))), 422,
            items(&[(json!(["body", "headers", 0, "value"]), "string_type", STRING)])),
        row("header value int", post(&with(&m, "headers", json!([{"name": "a", "value": 5}]))), 422,
            items(&[(json!(["body", "headers", 0, "value"]), "string_type", STRING)])),
        row("header name not a token, extra key", post(&with(&m, "headers", json!([{"name": "bad name", "value": "x", "extra": 1}]))),
            201, Want::Fields(json!({"headers": [{"name": "bad name", "value": "x"}]}))),
        row("duplicate and empty names", post(&with(&m, "parameters", json!([{"name": "a"}, {"name": "a"}, {"name": ""}]))),
            201, Want::Fields(json!({"parameters": [{"name": "a", "value": ""}, {"name": "a", "value": ""}, {"name": "", "value": ""}]}))),
        row("body is checked whatever the template", post(&with(&with(&m, "body", json!([{"value": 5}, {"name": 3}])), "body_template", json!(""))), 422, items(&[
            (json!(["body", "body", 0, "name"]), "missing", MISSING),
            (json!(["body", "body", 0, "value"]), "string_type", STRING),
            (json!(["body", "body", 1, "name"]), "string_type", STRING)])),
        row("template 2048", post(&with(&m, "body_template", json!(x(2048)))), 201, Want::Status),
        row("template 2049", post(&with(&m, "body_template", json!(x(2049)))), 422,
            items(&[(one("body_template"), "string_too_long", "String should have at most 2048 characters")])),
        row("template int", post(&with(&m, "body_template", json!(5))), 422, items(&[(one("body_template"), "string_type", STRING)])),
        row("template that does not compile", post(&with(&m, "body_template", json!("{{ oops }"))), 201,
            Want::Fields(json!({"body_template": "{{ oops }"}))),
        row("template derives the body", post(&with(&with(&m, "body", json!([{"name": "stale"}])), "body_template", json!("{{ a }}{{ b }}{{ a }}"))),
            201, Want::Fields(json!({"body": [{"name": "a", "value": ""}, {"name": "b", "value": ""}]}))),
    ]
}

/// `ConnectorCreate`'s integers: lax coercion, bounds, the plan's clamp; and the whole body.
#[rustfmt::skip]
fn databar_number_rows() -> Vec<Row> {
    let m = minimal();
    let one = |field: &str| loc(json!(["body", field]));
    let rate = |v: Value| post(&with(&m, "rate_limit", v));
    vec![
        row("rate_limit \"5\"", rate(json!("5")), 201, Want::Fields(json!({"rate_limit": 5}))),
        row("rate_limit 5.0", rate(json!(5.0)), 201, Want::Fields(json!({"rate_limit": 5}))),
        row("rate_limit true", rate(json!(true)), 201, Want::Fields(json!({"rate_limit": 1}))),
        row("rate_limit \" 7 \"", rate(json!(" 7 ")), 201, Want::Fields(json!({"rate_limit": 7}))),
        row("rate_limit \"+3\"", rate(json!("+3")), 201, Want::Fields(json!({"rate_limit": 3}))),
        row("rate_limit \"5.0\"", rate(json!("5.0")), 201, Want::Fields(json!({"rate_limit": 5}))),
        row("rate_limit \"1_000\" clamped", rate(json!("1_000")), 201, Want::Fields(json!({"rate_limit": 10}))),
        row("rate_limit 60 clamped by the plan", rate(json!(60)), 201, Want::Fields(json!({"rate_limit": 10}))),
        row("rate_limit 1", rate(json!(1)), 201, Want::Fields(json!({"rate_limit": 1}))),
        row("rate_limit null", rate(json!(null)), 201, Want::Fields(json!({"rate_limit": null}))),
        row("rate_limit 0", rate(json!(0)), 422, items(&[(one("rate_limit"), "greater_than_equal", GE_1)])),
        row("rate_limit -1", rate(json!(-1)), 422, items(&[(one("rate_limit"), "greater_than_equal", GE_1)])),
        row("rate_limit false", rate(json!(false)), 422, items(&[(one("rate_limit"), "greater_than_equal", GE_1)])),
        row("rate_limit \"0\"", rate(json!("0")), 422, items(&[(one("rate_limit"), "greater_than_equal", GE_1)])),
        row("rate_limit 1.5", rate(json!(1.5)), 422, items(&[(one("rate_limit"), "int_from_float", INT_FLOAT)])),
        row("rate_limit \"1.5\"", rate(json!("1.5")), 422, items(&[(one("rate_limit"), "int_parsing", INT_PARSING)])),
        row("rate_limit \"abc\"", rate(json!("abc")), 422, items(&[(one("rate_limit"), "int_parsing", INT_PARSING)])),
        row("rate_limit \"\"", rate(json!("")), 422, items(&[(one("rate_limit"), "int_parsing", INT_PARSING)])),
        row("rate_limit list", rate(json!([])), 422, items(&[(one("rate_limit"), "int_type", INT)])),
        row("rate_limit object", rate(json!({})), 422, items(&[(one("rate_limit"), "int_type", INT)])),
        row("rate_limit 1e3 clamped", Req::new(Method::POST, "/v1/connectors/").raw(Some("application/json"),
            r#"{"name": "n", "method": "get", "url": "u", "rate_limit": 1e3}"#), 201, Want::Fields(json!({"rate_limit": 10}))),
        row("rate_limit beyond 64 bits clamped", Req::new(Method::POST, "/v1/connectors/").raw(Some("application/json"),
            r#"{"name": "n", "method": "get", "url": "u", "rate_limit": 1000000000000000000000000000000}"#), 201, Want::Fields(json!({"rate_limit": 10}))),
        row("rate_limit 1e20", Req::new(Method::POST, "/v1/connectors/").raw(Some("application/json"),
            r#"{"name": "n", "method": "get", "url": "u", "rate_limit": 1e20}"#), 422,
            items(&[(one("rate_limit"), "int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size")])),
        row("max_concurrency \"ten\"", post(&with(&m, "max_concurrency", json!("ten"))), 422,
            items(&[(one("max_concurrency"), "int_parsing", INT_PARSING)])),
        row("max_concurrency 99 clamped", post(&with(&m, "max_concurrency", json!(99))), 201, Want::Fields(json!({"max_concurrency": 5}))),
        row("max_concurrency 0", post(&with(&m, "max_concurrency", json!(0))), 422, items(&[(one("max_concurrency"), "greater_than_equal", GE_1)])),
        row("max_concurrency 1.5", post(&with(&m, "max_concurrency", json!(1.5))), 422, items(&[(one("max_concurrency"), "int_from_float", INT_FLOAT)])),
        row("max_concurrency null", post(&with(&m, "max_concurrency", json!(null))), 201, Want::Fields(json!({"max_concurrency": null}))),
        row("body_template null", post(&with(&m, "body_template", json!(null))), 201, Want::Fields(json!({"body_template": null}))),
        row("unknown fields are dropped", post(&with(&m, "extra", json!(1))), 201, Want::Fields(json!({"extra": null}))),
        row("every error at once, in schema order", post(&json!({"name": [], "method": 1, "url": {}, "headers": "h", "rate_limit": 1.5})), 422, items(&[
            (one("name"), "string_type", STRING), (one("method"), "string_type", STRING), (one("url"), "string_type", STRING),
            (one("headers"), "list_type", LIST), (one("rate_limit"), "int_from_float", INT_FLOAT)])),
    ]
}

/// The body as a whole: not an object, empty, bad JSON, encodings, content types.
#[rustfmt::skip]
fn databar_request_rows() -> Vec<Row> {
    let m = minimal();
    let create = || Req::new(Method::POST, "/v1/connectors/");
    let json_body = |text: &'static str| create().raw(Some("application/json"), text);
    let text = m.to_string();
    let body_loc = || json!(["body"]);
    vec![
        row("array body", post(&json!([1, 2])), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("string body", json_body("\"x\""), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("null body", json_body("null"), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("number body", json_body("5"), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("empty body", json_body(""), 422, items(&[(body_loc(), "missing", MISSING)])),
        row("no body at all", create(), 422, items(&[(body_loc(), "missing", MISSING)])),
        row("whitespace body", json_body("  "), 422, Want::Json(2, "Expecting value")),
        row("bad JSON", json_body("{oops"), 422, Want::Json(1, "Expecting property name enclosed in double quotes")),
        row("trailing comma", json_body(r#"{"name": "x",}"#), 422, Want::Json(13, "Expecting property name enclosed in double quotes")),
        row("cut short", json_body(r#"{"name": "x""#), 422, Want::Json(12, "Expecting ',' delimiter")),
        row("extra data", json_body(r#"{"name": "x"} x"#), 422, Want::Json(14, "Extra data")),
        row("a bad value after a non-ASCII character", json_body(r#"{"a": é,}"#), 422, Want::Json(6, "Expecting value")),
        row("control character", json_body("{\"name\": \"a\u{1}b\"}"), 422, Want::Json(11, "Invalid control character at")),
        row("bad escape", json_body(r#"{"name": "\q"}"#), 422, Want::Json(10, "Invalid \\escape")),
        row("unterminated string", json_body(r#"{"name": "abc"#), 422, Want::Json(9, "Unterminated string starting at")),
        row("missing colon", json_body(r#"{"name" "x"}"#), 422, Want::Json(8, "Expecting ':' delimiter")),
        row("bare key", json_body("{name: 1}"), 422, Want::Json(1, "Expecting property name enclosed in double quotes")),
        row("newlines count as characters", json_body("{\n \"name\": \"x\",\n}"), 422,
            Want::Json(16, "Expecting property name enclosed in double quotes")),
        row("bad JSON beats a missing key", json_body("{oops").auth(Auth::Missing), 422,
            Want::Json(1, "Expecting property name enclosed in double quotes")),
        row("bad JSON beats a wrong key", json_body("{oops").auth(Auth::Wrong), 422,
            Want::Json(1, "Expecting property name enclosed in double quotes")),
        row("invalid UTF-8", create().raw(Some("application/json"), b"{\"name\": \"\xff\xfe\", \"method\": \"get\"}"), 400,
            Want::Detail("There was an error parsing the body")),
        row("UTF-8 BOM", create().raw(Some("application/json"), [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat()), 201, Want::Status),
        row("UTF-16", create().raw(Some("application/json"), text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()), 201, Want::Status),
        row("duplicate keys: the last wins", json_body(r#"{"name":"a","name":"b","method":"get","url":"u"}"#), 201,
            Want::Fields(json!({"name": "b"}))),
        row("no content type", create().raw(None, &text), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("text/plain", create().raw(Some("text/plain"), &text), 422, items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("form content type", create().raw(Some("application/x-www-form-urlencoded"), &text), 422,
            items(&[(body_loc(), "model_attributes_type", MODEL)])),
        row("text/plain and no body", create().raw(Some("text/plain"), ""), 422, items(&[(body_loc(), "missing", MISSING)])),
        row("json with a charset", create().raw(Some("application/json; charset=utf-8"), &text), 201, Want::Status),
        row("a +json type", create().raw(Some("application/vnd.api+json"), &text), 201, Want::Status),
        row("JSON in capitals", create().raw(Some("Application/JSON"), &text), 201, Want::Status),
    ]
}

/// The key, path ids, unknown ids, and errors of several places in one answer.
#[rustfmt::skip]
fn databar_auth_and_id_rows() -> Vec<Row> {
    let m = minimal();
    let header = || json!(["header", "x-apikey"]);
    let path = || json!(["path", "connector_id"]);
    let bad_body = json!({"name": 5});
    let bad_body_items = [
        (json!(["body", "name"]), "string_type", STRING),
        (json!(["body", "method"]), "missing", MISSING),
        (json!(["body", "url"]), "missing", MISSING),
    ];
    let get = |p: &str| Req::new(Method::GET, p);
    let put = |p: &str, body: &Value| Req::new(Method::PUT, p).json(body);
    vec![
        row("no key", post(&m).auth(Auth::Missing), 422, items(&[(header(), "missing", MISSING)])),
        row("no key and a bad body: both", post(&bad_body).auth(Auth::Missing), 422,
            items(&[&[(header(), "missing", MISSING)], bad_body_items.as_slice()].concat())),
        row("wrong key", post(&m).auth(Auth::Wrong), 403, Want::Detail("Invalid API key")),
        row("wrong key and a bad body: the key first", post(&bad_body).auth(Auth::Wrong), 403, Want::Detail("Invalid API key")),
        row("empty key", post(&m).auth(Auth::Empty), 403, Want::Detail("Invalid API key")),
        row("list without a key", get("/v1/connectors/").auth(Auth::Missing), 422, items(&[(header(), "missing", MISSING)])),
        row("list with a wrong key", get("/v1/connectors/").auth(Auth::Wrong), 403, Want::Detail("Invalid API key")),
        row("get", get("/v1/connectors/{id}"), 200, Want::Fields(json!({"name": "existing"}))),
        row("get unknown", get("/v1/connectors/{gone}"), 404, Want::Detail("Connector not found")),
        row("get id -1", get("/v1/connectors/-1"), 404, Want::Detail("Connector not found")),
        row("get id too big for any row", get("/v1/connectors/99999999999999999999999"), 404, Want::Detail("Connector not found")),
        row("get id abc", get("/v1/connectors/abc"), 422, items(&[(path(), "int_parsing", INT_PARSING)])),
        row("get id 1.5", get("/v1/connectors/1.5"), 422, items(&[(path(), "int_parsing", INT_PARSING)])),
        row("get id abc without a key: both", get("/v1/connectors/abc").auth(Auth::Missing), 422,
            items(&[(header(), "missing", MISSING), (path(), "int_parsing", INT_PARSING)])),
        row("get id abc with a wrong key: the key first", get("/v1/connectors/abc").auth(Auth::Wrong), 403, Want::Detail("Invalid API key")),
        row("get with a wrong key", get("/v1/connectors/{id}").auth(Auth::Wrong), 403, Want::Detail("Invalid API key")),
        row("put", put("/v1/connectors/{id}", &with(&m, "name", json!("existing"))), 200, Want::Fields(json!({"name": "existing"}))),
        row("put unknown", put("/v1/connectors/{gone}", &m), 404, Want::Detail("Connector not found")),
        row("put unknown with a bad body: the body first", put("/v1/connectors/{gone}", &bad_body), 422, items(&bad_body_items)),
        row("put bad id and bad body: path then body", put("/v1/connectors/abc", &bad_body), 422,
            items(&[&[(path(), "int_parsing", INT_PARSING)], bad_body_items.as_slice()].concat())),
        row("put without a key, bad id, bad body: header, path, body", put("/v1/connectors/abc", &bad_body).auth(Auth::Missing), 422,
            items(&[&[(header(), "missing", MISSING), (path(), "int_parsing", INT_PARSING)], bad_body_items.as_slice()].concat())),
        row("delete bad id", Req::new(Method::DELETE, "/v1/connectors/abc"), 422, items(&[(path(), "int_parsing", INT_PARSING)])),
        row("delete unknown", Req::new(Method::DELETE, "/v1/connectors/{gone}"), 404, Want::Detail("Connector not found")),
        row("delete without a key", Req::new(Method::DELETE, "/v1/connectors/{id}").auth(Auth::Missing), 422,
            items(&[(header(), "missing", MISSING)])),
    ]
}

/// Routing: Starlette's trailing-slash redirects, repeated slashes, HEAD, methods.
#[rustfmt::skip]
fn databar_route_rows() -> Vec<Row> {
    let r = |method: Method, path: &str| Req::new(method, path);
    vec![
        row("collection without its slash", r(Method::GET, "/v1/connectors"), 307, Want::Redirect("/v1/connectors/")),
        row("the query is kept", r(Method::GET, "/v1/connectors?a=1"), 307, Want::Redirect("/v1/connectors/?a=1")),
        row("a POST is redirected too, before the key", r(Method::POST, "/v1/connectors").auth(Auth::Missing), 307,
            Want::Redirect("/v1/connectors/")),
        row("a method the route lacks is redirected too", r(Method::DELETE, "/v1/connectors"), 307, Want::Redirect("/v1/connectors/")),
        row("item with a slash", r(Method::GET, "/v1/connectors/{id}/"), 307, Want::Redirect("/v1/connectors/{id}")),
        row("item with two slashes", r(Method::GET, "/v1/connectors/{id}//"), 307, Want::Redirect("/v1/connectors/{id}")),
        row("any id is a route, its check comes after", r(Method::GET, "/v1/connectors/abc/"), 307, Want::Redirect("/v1/connectors/abc")),
        row("a leading double slash", r(Method::GET, "//v1/connectors/"), 404, Want::Detail("Not Found")),
        row("a double slash inside", r(Method::GET, "/v1//connectors/"), 404, Want::Detail("Not Found")),
        row("a doubled trailing slash", r(Method::GET, "/v1/connectors//"), 404, Want::Detail("Not Found")),
        row("an empty id", r(Method::GET, "/v1/connectors//1"), 404, Want::Detail("Not Found")),
        row("unknown path", r(Method::GET, "/nope"), 404, Want::Detail("Not Found")),
        row("HEAD is not GET", r(Method::HEAD, "/v1/connectors/"), 405, Want::Allow("GET")),
        row("HEAD on an item", r(Method::HEAD, "/v1/connectors/{id}"), 405, Want::Allow("GET")),
        row("OPTIONS", r(Method::OPTIONS, "/v1/connectors/"), 405, Want::Allow("GET")),
        row("PATCH an item", r(Method::PATCH, "/v1/connectors/{id}").json(&json!({})), 405, Want::Allow("GET")),
        row("PUT the collection", r(Method::PUT, "/v1/connectors/").json(&json!({})), 405, Want::Allow("GET")),
        row("DELETE the collection", r(Method::DELETE, "/v1/connectors/"), 405, Want::Allow("GET")),
        row("POST an item", r(Method::POST, "/v1/connectors/{id}").json(&json!({})), 405, Want::Allow("GET")),
        row("a query on the list is ignored", r(Method::GET, "/v1/connectors/?x=1"), 200, Want::Status),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databar_answers_as_fastapi_does() {
    let mut table = Table::start(Carrier::Header("x-apikey")).await;
    let (status, _, created) = table
        .send(&post(&with(&minimal(), "name", json!("existing"))))
        .await;
    assert_eq!(status, 201);
    let created: Value = serde_json::from_slice(&created).unwrap();
    table.id = created["id"].to_string();
    table.gone = "999999".into();
    let rows: Vec<Row> = [
        databar_body_rows(),
        databar_list_rows(),
        databar_number_rows(),
        databar_request_rows(),
        databar_auth_and_id_rows(),
        databar_route_rows(),
    ]
    .into_iter()
    .flatten()
    .collect();
    table.check(&rows).await;
    // A delete answers 204 with no body, then the id is gone.
    let delete = Req::new(Method::DELETE, "/v1/connectors/{id}");
    let (status, _, bytes) = table.send(&delete).await;
    assert_eq!((status, bytes.len()), (204, 0));
    table
        .check(&[row(
            "deleted",
            delete,
            404,
            Want::Detail("Connector not found"),
        )])
        .await;
    table.sandbox.shutdown().await;
}

// ---------------------------------------------------------------- Agent Stack (seed 002)

const AS: &str = "/api/v1/connectors";

fn as_post(body: &Value) -> Req {
    Req::new(Method::POST, AS).json(body)
}

fn metadata(pairs: usize, key_len: usize, value_len: usize) -> Value {
    let map: serde_json::Map<String, Value> = (0..pairs)
        .map(|i| {
            (
                format!(
                    "{i}{}",
                    "k".repeat(key_len.saturating_sub(i.to_string().len()))
                ),
                json!("v".repeat(value_len)),
            )
        })
        .collect();
    Value::Object(map)
}

/// `ConnectorCreateRequest`: `url: AnyUrl`, `client_id`/`client_secret: str | None`,
/// `metadata: Metadata | None` (`dict[str, str]` and one validator for its limits),
/// `match_preset: bool = True`.
#[rustfmt::skip]
fn agent_stack_body_rows() -> Vec<Row> {
    let u = json!({"url": "https://x.example/mcp"});
    let one = |field: &str| loc(json!(["body", field]));
    let meta = |m: Value| as_post(&with(&u, "metadata", m));
    let preset = |v: Value| as_post(&with(&u, "match_preset", v));
    let url = |v: Value| as_post(&json!({ "url": v }));
    vec![
        row("minimal", as_post(&json!({"url": "https://x.example"})), 201,
            Want::Fields(json!({"url": "https://x.example/", "state": "created", "metadata": null}))),
        row("an ftp: URL is a URL", url(json!("ftp://files.example/x")), 201, Want::Fields(json!({"url": "ftp://files.example/x"}))),
        row("an mcp:// URL is a URL", url(json!("mcp://server/x")), 201, Want::Fields(json!({"url": "mcp://server/x"}))),
        row("a URL is normalised", url(json!("HTTPS://X.EXAMPLE:443/a/../b?q#f")), 201, Want::Fields(json!({"url": "https://x.example/b?q#f"}))),
        row("url empty", url(json!("")), 422, items(&[(one("url"), "url_parsing", "Input should be a valid URL, input is empty")])),
        row("url relative", url(json!("not a url")), 422,
            items(&[(one("url"), "url_parsing", "Input should be a valid URL, relative URL without a base")])),
        row("url without a host", url(json!("https://")), 422, items(&[(one("url"), "url_parsing", "Input should be a valid URL, empty host")])),
        row("url with a bad port", url(json!("http://a:99999")), 422,
            items(&[(one("url"), "url_parsing", "Input should be a valid URL, invalid port number")])),
        row("url int", url(json!(5)), 422, items(&[(one("url"), "url_type", URL_TYPE)])),
        row("url null", url(json!(null)), 422, items(&[(one("url"), "url_type", URL_TYPE)])),
        row("url missing", as_post(&json!({})), 422, items(&[(one("url"), "missing", MISSING)])),
        row("client_id int", as_post(&with(&u, "client_id", json!(5))), 422, items(&[(one("client_id"), "string_type", STRING)])),
        row("client_id and client_secret null", as_post(&with(&with(&u, "client_id", json!(null)), "client_secret", json!(null))), 201, Want::Status),
        row("client_secret list", as_post(&with(&u, "client_secret", json!([]))), 422, items(&[(one("client_secret"), "string_type", STRING)])),
        row("unknown fields are dropped", as_post(&with(&u, "extra", json!(1))), 201, Want::Fields(json!({"extra": null}))),
        row("client_secret without client_id", as_post(&with(&u, "client_secret", json!("s"))), 400,
            Want::Detail("client_id must be present when client_secret is specified")),
        row("client_secret with an empty client_id", as_post(&with(&with(&u, "client_secret", json!("s")), "client_id", json!(""))), 400,
            Want::Detail("client_id must be present when client_secret is specified")),
        row("an empty client_secret alone", as_post(&with(&u, "client_secret", json!(""))), 201, Want::Status),
        row("a bad url before the lone secret", as_post(&json!({"url": "", "client_secret": "s"})), 422,
            items(&[(one("url"), "url_parsing", "Input should be a valid URL, input is empty")])),
        row("metadata 16 pairs", meta(metadata(16, 1, 1)), 201, Want::Status),
        row("metadata 17 pairs", meta(metadata(17, 1, 1)), 422, items(&[(one("metadata"), "value_error", "Value error, Metadata must be less than 16 keys.")])),
        row("metadata key 64", meta(metadata(1, 64, 1)), 201, Want::Status),
        row("metadata key 65", meta(metadata(1, 65, 1)), 422,
            items(&[(one("metadata"), "value_error", "Value error, Metadata keys must be less than 64 characters.")])),
        row("metadata value 512", meta(metadata(1, 1, 512)), 201, Want::Status),
        row("metadata value 513", meta(metadata(1, 1, 513)), 422,
            items(&[(one("metadata"), "value_error", "Value error, Metadata values must be less than 512 characters.")])),
        row("metadata long key and long value: the key", meta(metadata(1, 65, 513)), 422,
            items(&[(one("metadata"), "value_error", "Value error, Metadata keys must be less than 64 characters.")])),
        row("metadata values not strings: each", meta(json!({"a": 5, "b": null, "c": "ok"})), 422, items(&[
            (json!(["body", "metadata", "a"]), "string_type", STRING), (json!(["body", "metadata", "b"]), "string_type", STRING)])),
        row("metadata types before limits", meta(with(&metadata(17, 1, 1), "x", json!(5))), 422,
            items(&[(json!(["body", "metadata", "x"]), "string_type", STRING)])),
        row("metadata list", meta(json!([])), 422, items(&[(one("metadata"), "dict_type", DICT)])),
        row("metadata string", meta(json!("x")), 422, items(&[(one("metadata"), "dict_type", DICT)])),
        row("metadata null", meta(json!(null)), 201, Want::Fields(json!({"metadata": null}))),
        row("metadata kept", meta(json!({"team": "data"})), 201, Want::Fields(json!({"metadata": {"team": "data"}}))),
        row("match_preset \"yes\"", preset(json!("yes")), 201, Want::Status),
        row("match_preset \"off\"", preset(json!("off")), 201, Want::Status),
        row("match_preset 1", preset(json!(1)), 201, Want::Status),
        row("match_preset 2", preset(json!(2)), 422, items(&[(one("match_preset"), "bool_parsing", BOOL_PARSING)])),
        row("match_preset 2.0", preset(json!(2.0)), 422, items(&[(one("match_preset"), "bool_parsing", BOOL_PARSING)])),
        row("match_preset 0.5", preset(json!(0.5)), 422, items(&[(one("match_preset"), "bool_type", BOOL)])),
        row("match_preset null", preset(json!(null)), 422, items(&[(one("match_preset"), "bool_type", BOOL)])),
        row("match_preset \"maybe\"", preset(json!("maybe")), 422, items(&[(one("match_preset"), "bool_parsing", BOOL_PARSING)])),
        row("every error at once", as_post(&json!({"url": 5, "client_id": 1, "client_secret": [], "metadata": 3, "match_preset": "x"})), 422, items(&[
            (one("url"), "url_type", URL_TYPE), (one("client_id"), "string_type", STRING), (one("client_secret"), "string_type", STRING),
            (one("metadata"), "dict_type", DICT), (one("match_preset"), "bool_parsing", BOOL_PARSING)])),
        row("not an object", as_post(&json!([1])), 422, items(&[(json!(["body"]), "model_attributes_type", MODEL)])),
        row("no content type", Req::new(Method::POST, AS).raw(None, u.to_string()), 422,
            items(&[(json!(["body"]), "model_attributes_type", MODEL)])),
        row("empty body", Req::new(Method::POST, AS).raw(Some("application/json"), ""), 422, items(&[(json!(["body"]), "missing", MISSING)])),
        row("bad JSON", Req::new(Method::POST, AS).raw(Some("application/json"), "{oops"), 422,
            Want::Json(1, "Expecting property name enclosed in double quotes")),
    ]
}

/// Basic auth, ids, paging parameters, connect's body, routes.
#[rustfmt::skip]
fn agent_stack_request_rows() -> Vec<Row> {
    let path = || json!(["path", "connector_id"]);
    let get = |p: &str| Req::new(Method::GET, p);
    let bad_uuid = "Input should be a valid UUID, invalid character: found `z` at 0";
    let query = |name: &str| json!(["query", name]);
    vec![
        row("no credentials", as_post(&json!({"url": "https://x"})).auth(Auth::Missing), 401, Want::Detail("Not authenticated")),
        row("no credentials before a bad body", as_post(&json!({"url": 5})).auth(Auth::Missing), 401, Want::Detail("Not authenticated")),
        row("wrong password", as_post(&json!({"url": "https://x"})).auth(Auth::Wrong), 401, Want::Detail("Invalid credentials")),
        row("no credentials before a bad id", get(&format!("{AS}/zz")).auth(Auth::Missing), 401, Want::Detail("Not authenticated")),
        row("get", get(&format!("{AS}/{{id}}")), 200, Want::Fields(json!({"url": "https://existing.example/"}))),
        row("get an id in capitals", get(&format!("{AS}/{{ID}}")), 200, Want::Status),
        row("get unknown", get(&format!("{AS}/3c90c3cc-0d44-4b50-8888-8dd25736052a")), 404,
            Want::Detail("connector with id 3c90c3cc-0d44-4b50-8888-8dd25736052a not found")),
        row("get a bad id", get(&format!("{AS}/zz")), 422, items(&[(path(), "uuid_parsing", bad_uuid)])),
        row("get a short id", get(&format!("{AS}/3c90c3cc-0d44-4b50-8888-8dd25736052")), 422,
            items(&[(path(), "uuid_parsing", "Input should be a valid UUID, invalid group length in group 4: expected 12, found 11")])),
        row("delete a bad id", Req::new(Method::DELETE, &format!("{AS}/zz")), 422, items(&[(path(), "uuid_parsing", bad_uuid)])),
        row("list limit 0", get(&format!("{AS}?limit=0")), 422, items(&[(query("limit"), "greater_than_equal", GE_1)])),
        row("list limit 101", get(&format!("{AS}?limit=101")), 422,
            items(&[(query("limit"), "less_than_equal", "Input should be less than or equal to 100")])),
        row("list limit x", get(&format!("{AS}?limit=x")), 422, items(&[(query("limit"), "int_parsing", INT_PARSING)])),
        row("list limit empty", get(&format!("{AS}?limit=")), 422, items(&[(query("limit"), "int_parsing", INT_PARSING)])),
        row("list limit 5.0", get(&format!("{AS}?limit=5.0")), 200, Want::Status),
        row("list page_token not a UUID", get(&format!("{AS}?page_token=nope")), 422,
            items(&[(query("page_token"), "uuid_parsing", "Input should be a valid UUID, invalid character: found `n` at 0")])),
        row("list page_token empty", get(&format!("{AS}?page_token=")), 422,
            items(&[(query("page_token"), "uuid_parsing", "Input should be a valid UUID, invalid length: found 0")])),
        row("list: both errors", get(&format!("{AS}?limit=0&page_token=nope")), 422, items(&[
            (query("limit"), "greater_than_equal", GE_1),
            (query("page_token"), "uuid_parsing", "Input should be a valid UUID, invalid character: found `n` at 0")])),
        row("connect body checked", Req::new(Method::POST, &format!("{AS}/{{id}}/connect")).json(&json!({"redirect_url": "nope", "auth_token": 5})), 422, items(&[
            (json!(["body", "redirect_url"]), "url_parsing", "Input should be a valid URL, relative URL without a base"),
            (json!(["body", "auth_token"]), "string_type", STRING)])),
        row("connect needs a body", Req::new(Method::POST, &format!("{AS}/{{id}}/connect")).raw(Some("application/json"), ""), 422,
            items(&[(json!(["body"]), "missing", MISSING)])),
        row("connect: path then body", Req::new(Method::POST, &format!("{AS}/zz/connect")).json(&json!({"redirect_url": 5})), 422, items(&[
            (path(), "uuid_parsing", bad_uuid), (json!(["body", "redirect_url"]), "url_type", URL_TYPE)])),
        row("collection with a slash", get(&format!("{AS}/")), 307, Want::Redirect("/api/v1/connectors")),
        row("item with a slash", get(&format!("{AS}/{{id}}/")), 307, Want::Redirect("/api/v1/connectors/{id}")),
        row("connect with a slash", Req::new(Method::POST, &format!("{AS}/{{id}}/connect/")), 307,
            Want::Redirect("/api/v1/connectors/{id}/connect")),
        row("HEAD the collection", Req::new(Method::HEAD, AS), 405, Want::Allow("POST")),
        row("PUT the collection", Req::new(Method::PUT, AS).json(&json!({})), 405, Want::Allow("POST")),
        row("PUT an item: no update endpoint", Req::new(Method::PUT, &format!("{AS}/{{id}}")).json(&json!({})), 405, Want::Allow("GET")),
        row("GET connect", get(&format!("{AS}/{{id}}/connect")), 405, Want::Allow("POST")),
        row("unknown action", get(&format!("{AS}/{{id}}/nope")), 404, Want::Detail("Not Found")),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_stack_answers_as_fastapi_does() {
    let mut table = Table::start(Carrier::Basic).await;
    let (status, _, created) = table
        .send(&as_post(&json!({"url": "https://existing.example"})))
        .await;
    assert_eq!(status, 201);
    let created: Value = serde_json::from_slice(&created).unwrap();
    table.id = created["id"].as_str().unwrap().to_owned();
    let rows: Vec<Row> = [agent_stack_body_rows(), agent_stack_request_rows()]
        .into_iter()
        .flatten()
        .collect();
    table.check(&rows).await;
    table.sandbox.shutdown().await;
}

// ---------------------------------------------------------------- Cargo (seed 004)

const CARGO: &str = "/v1/connection/connectors";

fn cargo_body(slug: &str) -> Value {
    json!({"name": "N", "slug": slug, "integrationSlug": "http", "config": {"baseUrl": "https://x"}})
}

/// Cargo's seed binds only its shapes: create answers `{connector, dataset}`, GET and PUT
/// `{connector}`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_answers_in_the_seed_shapes() {
    let table = Table::start(Carrier::Bearer).await;
    let (status, _, created) = table
        .send(&Req::new(Method::POST, CARGO).json(&cargo_body("one")))
        .await;
    assert_eq!(status, 200);
    let created: Value = serde_json::from_slice(&created).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&created), ["connector", "dataset"]);
    let uuid = created["connector"]["uuid"].as_str().unwrap().to_owned();
    let item = format!("{CARGO}/{uuid}");
    let (status, _, fetched) = table.send(&Req::new(Method::GET, &item)).await;
    let fetched: Value = serde_json::from_slice(&fetched).unwrap();
    assert_eq!(
        (status, keys(&fetched)),
        (200, vec!["connector".to_owned()])
    );
    assert_eq!(fetched["connector"], created["connector"]);
    let (status, _, updated) = table
        .send(&Req::new(Method::PUT, &item).json(&json!({"name": "renamed"})))
        .await;
    let updated: Value = serde_json::from_slice(&updated).unwrap();
    assert_eq!(
        (status, keys(&updated)),
        (200, vec!["connector".to_owned()])
    );
    assert_eq!(updated["connector"]["name"], "renamed");
    table.check(&cargo_rows(&item)).await;
    table.sandbox.shutdown().await;
}

#[rustfmt::skip]
fn cargo_rows(item: &str) -> Vec<Row> {
    let post = |body: &Value| Req::new(Method::POST, CARGO).json(body);
    vec![
        row("no token", Req::new(Method::GET, CARGO).auth(Auth::Missing), 401, Want::Status),
        row("a wrong token", Req::new(Method::GET, CARGO).auth(Auth::Wrong), 401, Want::Status),
        row("a taken slug", post(&cargo_body("one")), 409, Want::Status),
        row("a slug with spaces", post(&cargo_body("has space")), 400, Want::Status),
        row("a blank name is stored", post(&with(&cargo_body("blank"), "name", json!(""))), 200, Want::Status),
        row("config not an object", post(&with(&cargo_body("c"), "config", json!([]))), 400, Want::Status),
        row("rateLimit unit", post(&with(&cargo_body("r"), "rateLimit", json!({"unit": "week", "max": 1}))), 400, Want::Status),
        row("a string is not a number", post(&with(&cargo_body("t"), "cacheTtlMilliseconds", json!("5"))), 400, Want::Status),
        row("slug is fixed", Req::new(Method::PUT, item).json(&json!({"slug": "other"})), 400, Want::Status),
        row("unknown id", Req::new(Method::GET, &format!("{CARGO}/3c90c3cc-0d44-4b50-8888-8dd25736052a")), 404, Want::Status),
    ]
}
