//! `patchcord import curl`: every command of the corpus in `tests/fixtures/curl/` (browsers'
//! "Copy as cURL" in bash and cmd flavours, API docs examples), run through the CLI, must give a
//! connector that describes the request in its `.json` beside it; and generated commands must
//! round-trip through the importer.
//!
//! "The request a connector describes" is what try-it sends for it (`fire::build` with no
//! samples): method, URL with query, headers, body. The CLI test reads it from the connector
//! inside the body of `patchcord curl FILE` (which prints the vendor's submit call), parsed
//! back with the importer itself. Queries compare as decoded pairs (encodings differ), bodies as
//! JSON, and a `Content-Type: application/json` that try-it adds to a JSON body the command
//! sent without one is not a difference.

use patchcord::api::fire;
use patchcord::connector::import_curl::{self, CurlBody};
use patchcord::connector::{Connector, NameValue, Vendor};
use patchcord::template::Samples;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::fmt::Write as _;

#[expect(
    dead_code,
    reason = "the shared harness has helpers for servers this file does not start"
)]
mod common;

use common::Home;

/// A request in the form both sides are compared in.
fn normal(method: &str, url: &str, headers: &[(String, String)], body: &Value) -> Value {
    let mut parsed = url::Url::parse(url).expect("a URL");
    let query: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    parsed.set_query(None);
    json!({"method": method, "url": parsed.as_str(), "query": query, "headers": headers, "body": body})
}

/// What a connector's own request is, `Content-Type: application/json` dropped when `keep_ct`
/// says the command had no Content-Type.
fn described(connector: &Connector, had_content_type: bool) -> Value {
    let request = fire::build(connector, &Samples::new()).expect("the connector builds");
    let headers = request
        .headers
        .iter()
        .filter(|h| {
            had_content_type
                || !(h.name.eq_ignore_ascii_case("content-type") && h.value == "application/json")
        })
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect::<Vec<_>>();
    let body = match &request.body {
        None => Value::Null,
        Some(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
    };
    normal(&request.method, &request.url, &headers, &body)
}

fn has_content_type(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
}

fn expected_of(expected: &Value) -> (Value, bool) {
    let headers: Vec<(String, String)> =
        serde_json::from_value(expected["headers"].clone()).expect("headers as [name, value]");
    let ct = has_content_type(&headers);
    let method = expected["method"].as_str().expect("method");
    let url = expected["url"].as_str().expect("url");
    (normal(method, url, &headers, &expected["body"]), ct)
}

#[test]
fn the_corpus_imports_through_the_cli_and_describes_its_request() {
    let home = Home::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/curl");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let name = case
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let command = std::fs::read_to_string(&case).expect("command");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(case.with_extension("json")).expect("json"),
        )
        .expect("expected JSON");
        let file = format!("{name}.json");
        let out = home.run(&["import", "curl", "-o", &file, &command]);
        assert_eq!(out.code, 0, "{name}: {out:?}");
        let out = home.run(&["--reveal", "curl", &file]);
        assert_eq!(out.code, 0, "{name}: {out:?}");
        let (submit, _) = import_curl::parse(&out.stdout).expect("patchcord curl parses back");
        let Some(CurlBody::Json(body)) = submit.body else {
            panic!("{name}: the submit call has a JSON body: {out:?}")
        };
        let fields: serde_json::Map<String, Value> = serde_json::from_str(&body).expect("object");
        let connector = Connector::from_fields(Vendor::Databar, fields);
        let (want, had_ct) = expected_of(&expected);
        assert_eq!(described(&connector, had_ct), want, "{name}");
    }
}

#[test]
fn stdin_notes_refusals_and_masking() {
    let home = Home::new();
    let mut cmd = home.command(&["import", "curl"], &[]);
    cmd.write_stdin(
        "curl -sL https://api.example.com/x -H 'Authorization: Bearer sk-live-abcdef0123456789'",
    );
    let out = common::output(&mut cmd);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("note: ignored --silent, --location"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("sk-live-abcdef0123456789"), "{out:?}");
    assert!(
        out.stdout
            .contains("\"url\": \"https://api.example.com/x\""),
        "{out:?}"
    );
    assert!(out.stderr.contains("masked headers[0].value"), "{out:?}");
    let out = home.run(&[
        "import",
        "curl",
        "-o",
        "f.json",
        "curl https://x.test -F a=b",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("--form is refused: a multipart form"),
        "{out:?}"
    );
    assert!(!home.path("f.json").exists());
    // Words already split by the shell work as well as one quoted argument.
    let out = home.run(&[
        "import",
        "curl",
        "-o",
        "w.json",
        "curl",
        "-X",
        "PUT",
        "https://x.test/a b",
        "-d",
        "{}",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let file = std::fs::read_to_string(home.path("w.json")).expect("written");
    assert!(file.contains("\"method\": \"put\""), "{file}");
    assert!(file.contains("\"vendor\": \"databar\""), "{file}");
}

// ---- the round trip over generated commands ----

#[derive(Debug, Clone)]
enum GenBody {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
struct Gen {
    method: Option<&'static str>,
    path: Vec<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: GenBody,
    json_flag: bool,
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, Jinja markers, newlines, percent and non-ASCII: what quoting breaks.
    proptest::string::string_regex(
        "([a-zA-Z0-9 '\"\\\\$%&{}#=+*?!,;:/é€\\n\\t-]|\\{\\{|\\{%|endraw){0,12}",
    )
    .expect("regex")
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        text().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z]{1,5}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn commands() -> impl Strategy<Value = Gen> {
    let name = "[a-z][a-z0-9_]{0,6}";
    let header_value = "[!-~]([ -~]{0,10}[!-~])?";
    let body = prop_oneof![
        Just(GenBody::None),
        proptest::collection::btree_map("[a-z]{1,5}", json_value(), 0..4)
            .prop_map(|m| GenBody::Json(Value::Object(m.into_iter().collect()))),
        proptest::collection::btree_map(name, text(), 1..4)
            .prop_map(|m| GenBody::Form(m.into_iter().collect())),
    ];
    (
        proptest::option::of(prop_oneof![
            Just("GET"),
            Just("POST"),
            Just("PUT"),
            Just("PATCH")
        ]),
        proptest::collection::vec("[a-z0-9]{1,8}", 0..3),
        proptest::collection::vec((name, text()), 0..3),
        proptest::collection::vec(("X-[A-Za-z]{1,8}", header_value), 0..3),
        body,
        any::<bool>(),
    )
        .prop_map(|(method, path, query, headers, body, json_flag)| Gen {
            method,
            path,
            query,
            headers,
            body,
            json_flag,
        })
}

impl Gen {
    fn url(&self) -> String {
        let mut url = url::Url::parse("https://api.example.test/").expect("base");
        url.set_path(&self.path.join("/"));
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        url.into()
    }

    /// The command's words (after the leading `curl`).
    fn words(&self) -> Vec<String> {
        let mut words = vec![self.url()];
        if let Some(method) = self.method {
            words.extend(["-X".to_owned(), method.to_owned()]);
        }
        for (name, value) in &self.headers {
            words.extend(["-H".to_owned(), format!("{name}: {value}")]);
        }
        match &self.body {
            GenBody::None => {}
            GenBody::Json(value) if self.json_flag => {
                words.extend(["--json".to_owned(), value.to_string()]);
            }
            GenBody::Json(value) => words.extend([
                "-H".to_owned(),
                "Content-Type: application/json".to_owned(),
                "--data-raw".to_owned(),
                value.to_string(),
            ]),
            GenBody::Form(pairs) => {
                for (name, value) in pairs {
                    words.extend(["--data-urlencode".to_owned(), format!("{name}={value}")]);
                }
            }
        }
        words
    }

    fn request(&self) -> (Value, bool) {
        let mut headers = self.headers.clone();
        let json_body = matches!(self.body, GenBody::Json(_));
        if json_body {
            headers.push(("Content-Type".into(), "application/json".into()));
            if self.json_flag {
                headers.push(("Accept".into(), "application/json".into()));
            }
        }
        let (body, default) = match &self.body {
            GenBody::None => (Value::Null, "GET"),
            GenBody::Json(value) => (value.clone(), "POST"),
            GenBody::Form(pairs) => (
                Value::Object(
                    pairs
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                        .collect(),
                ),
                "POST",
            ),
        };
        let method = self.method.unwrap_or(default);
        let ct = has_content_type(&headers);
        (normal(method, &self.url(), &headers, &body), ct)
    }
}

/// POSIX single quotes, or bash's `$'…'` for every word (as Chrome writes words with quotes).
fn posix(words: &[String], ansi: bool) -> String {
    let quote = |w: &String| {
        if ansi {
            let mut out = String::from("$'");
            for c in w.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c if !c.is_ascii() => {
                        let _ = write!(out, "\\u{:04x}", u32::from(c));
                    }
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        } else {
            format!("'{}'", w.replace('\'', r"'\''"))
        }
    };
    let quoted: Vec<String> = words.iter().map(quote).collect();
    format!("curl {}", quoted.join(" \\\n  "))
}

/// Chrome's "Copy as cURL (cmd)" escaping, with backslashes doubled only where the C runtime
/// reads them doubled (before a quote or the closing quote; Chrome doubles every one, so its
/// copies of a lone `\` reach curl.exe as `\\`).
fn cmd(words: &[String]) -> String {
    let quote = |w: &String| {
        let escaped = crt_escape(w);
        let mut out = String::from("^\"");
        let mut chars = escaped.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\n' {
                out.push_str("^\n\n");
            } else if c.is_ascii_alphanumeric()
                || c.is_whitespace()
                || "_-:=+~'/.,?;()*`".contains(c)
            {
                out.push(c);
            } else {
                out.push('^');
                out.push(c);
                if c == '%'
                    && chars
                        .peek()
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
                {
                    out.push('^');
                }
            }
        }
        out.push_str("^\"");
        out
    };
    let quoted: Vec<String> = words.iter().map(quote).collect();
    format!("curl {}", quoted.join(" ^\n  "))
}

fn crt_escape(word: &str) -> String {
    let mut out = String::new();
    let mut run = 0;
    for c in word.chars() {
        match c {
            '\\' => run += 1,
            '"' => {
                out.extend(std::iter::repeat_n('\\', run * 2 + 1));
                out.push('"');
                run = 0;
            }
            other => {
                out.extend(std::iter::repeat_n('\\', run));
                out.push(other);
                run = 0;
            }
        }
    }
    out.extend(std::iter::repeat_n('\\', run * 2));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn generated_commands_round_trip(g in commands(), flavour in 0..3u8) {
        let words = g.words();
        let command = match flavour {
            0 => posix(&words, false),
            1 => posix(&words, true),
            _ => cmd(&words),
        };
        let imported = import_curl::import(&command, Vendor::Databar)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{command}")))?;
        let (want, had_ct) = g.request();
        prop_assert_eq!(described(&imported.connector, had_ct), want, "{}", command);
        if let GenBody::Form(pairs) = &g.body {
            let body: Vec<NameValue> = pairs.iter().map(|(k, v)| NameValue::new(k, v)).collect();
            prop_assert_eq!(imported.connector.name_values("body"), body);
        }
    }
}
