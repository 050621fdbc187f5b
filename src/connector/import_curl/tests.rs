use super::*;
use crate::connector::Vendor;

fn words(text: &str) -> Vec<String> {
    words::split(text).expect("splits")
}

#[test]
fn posix_quoting_continuations_and_ansi_c() {
    assert_eq!(
        words("curl 'a b' \"c \\\"d\\\" $x\" \\\n  e\\ f $'g\\'h\\n\\x41\\u00e9' # comment"),
        ["curl", "a b", "c \"d\" $x", "e f", "g'h\nAé"]
    );
    assert_eq!(words("curl '' \"\""), ["curl", "", ""]);
    assert_eq!(words("curl a\\\r\n b"), ["curl", "a", "b"]);
    assert_eq!(words("curl $'\\xc3\\xa9\\101\\cA'"), ["curl", "éA\u{1}"]);
    assert_eq!(
        words::split("curl 'open"),
        Err(WordsError::Unclosed("single"))
    );
    assert_eq!(
        words::split("curl \"open"),
        Err(WordsError::Unclosed("double"))
    );
    assert_eq!(words::split("curl $'\\xff'"), Err(WordsError::NotUtf8));
}

#[test]
fn cmd_carets_and_crt_quotes() {
    // Chrome's "Copy as cURL (cmd)" escaping of {"a":"b c"} and a newline.
    let text = "curl ^\"https://x.test/p?q=1^&r=2^\" ^\n  -H ^\"accept: */*^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":^\\^\"b c^\\^\"^}^\"";
    assert_eq!(
        words(text),
        [
            "curl",
            "https://x.test/p?q=1&r=2",
            "-H",
            "accept: */*",
            "--data-raw",
            r#"{"a":"b c"}"#
        ]
    );
    assert_eq!(words("curl ^\"a^\n\nb^\""), ["curl", "a\nb"]);
    // Firefox's older flavour: "" inside quotes, ^ continuation.
    assert_eq!(
        words("curl \"x\" ^\r\n -d \"{\"\"a\"\":1}\" -H \"c:\\\\d\""),
        ["curl", "x", "-d", r#"{"a":1}"#, "-H", r"c:\\d"]
    );
}

fn parsed(text: &str) -> (CurlRequest, Vec<String>) {
    parse(text).expect("parses")
}

#[test]
fn method_is_inferred_as_curl_does() {
    assert_eq!(parsed("curl x.test").0.method, "GET");
    assert_eq!(parsed("curl x.test -d a=1").0.method, "POST");
    assert_eq!(parsed("curl -XPUT x.test -d a=1").0.method, "PUT");
    let (get, _) = parsed("curl -G https://x.test/s?a=1 -d b=2 --data-urlencode 'c=d e'");
    assert_eq!(get.method, "GET");
    assert_eq!(get.url, "https://x.test/s?a=1&b=2&c=d+e");
    assert_eq!(get.body, None);
    assert_eq!(parsed("curl x.test").0.url, "http://x.test");
}

#[test]
fn headers_from_every_option_that_sets_one() {
    let (request, notes) = parsed(
        "curl -sSL --compressed -u ann:pw -A agent/1 -b 'k=v' -e https://r.test \
         -H 'X-Empty;' -H 'Accept:' --url https://x.test --json '{\"a\":1}'",
    );
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Authorization", "Basic YW5uOnB3"),
            ("User-Agent", "agent/1"),
            ("Cookie", "k=v"),
            ("Referer", "https://r.test"),
            ("X-Empty", ""),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ]
    );
    assert_eq!(request.body, Some(CurlBody::Json(r#"{"a":1}"#.into())));
    assert_eq!(request.method, "POST");
    assert!(
        notes[0].contains("--silent, --show-error, --location, --compressed"),
        "{notes:?}"
    );
    assert!(notes[1].contains("\"Accept\""), "{notes:?}");
}

#[test]
fn bodies_are_json_form_or_text() {
    let body = |t: &str| parsed(t).0.body;
    assert_eq!(body("curl x -d '[1]'"), Some(CurlBody::Json("[1]".into())));
    assert_eq!(
        body("curl x -d a=1 -d 'b=x%20y'"),
        Some(CurlBody::Form(vec![
            NameValue::new("a", "1"),
            NameValue::new("b", "x y")
        ]))
    );
    assert_eq!(
        body("curl x -H 'content-type: text/plain' -d '{\"a\":1}x'"),
        Some(CurlBody::Text("{\"a\":1}x".into()))
    );
    assert_eq!(
        body("curl x -H 'Content-Type: application/x-www-form-urlencoded' -d '{}'"),
        Some(CurlBody::Form(vec![NameValue::new("{}", "")]))
    );
}

#[test]
fn what_cannot_be_held_is_refused_with_the_reason() {
    let error = |t: &str| parse(t).expect_err(t).to_string();
    assert!(error("curl x -F a=@f").contains("--form is refused: a multipart form"));
    assert!(error("curl x -d @body.json").contains("reads a file"));
    assert!(error("curl x --data-urlencode n@f").contains("reads a file"));
    assert!(error("curl x -b cookies.txt").contains("reads a file"));
    assert!(error("curl x -u ann").contains("asks for the password"));
    assert!(error("curl x --frobnicate").contains("unknown curl option --frobnicate"));
    assert!(error("curl x -Z").contains("unknown curl option -Z"));
    assert!(error("curl x -H").contains("-H needs a value"));
    assert!(error("curl a b").contains("two URLs"));
    assert!(error("curl -s").contains("no URL"));
    assert!(error("wget x").contains("not a curl command"));
    let method = import("curl -X DELETE https://x.test", Vendor::Databar)
        .expect_err("delete")
        .to_string();
    assert_eq!(
        method,
        "method DELETE: Databar connectors use get, post, put, patch"
    );
}

#[test]
fn import_fills_a_databar_connector() {
    let imported = import(
        "curl 'https://api.x.test/v1/score?key=sk-1&flag' -H 'Authorization: Bearer t' \
         -H 'Content-Type: application/json' -d '{\"d\": \"{{x}}\"}'",
        Vendor::Databar,
    )
    .expect("imports");
    let c = &imported.connector;
    assert_eq!(c.text("url"), Some("https://api.x.test/v1/score"));
    assert_eq!(c.text("name"), Some("api.x.test/v1/score"));
    assert_eq!(c.text("method"), Some("post"));
    assert_eq!(
        c.name_values("parameters"),
        [NameValue::new("key", "sk-1"), NameValue::slot("flag")]
    );
    assert_eq!(
        c.name_values("headers")[0],
        NameValue::new("Authorization", "Bearer t")
    );
    assert_eq!(
        c.template(),
        Some("{% raw %}{\"d\": \"{{x}}\"}{% endraw %}")
    );
    let rendered = crate::template::render(
        c.template().unwrap_or_default(),
        &crate::template::Samples::new(),
    );
    assert_eq!(rendered.as_deref(), Ok("{\"d\": \"{{x}}\"}"));
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("flag have no value"))
    );
}

#[test]
fn raw_blocks_survive_an_endraw_in_the_text() {
    let text = "{% endraw %}{{a}}{%endraw%}";
    let rendered =
        crate::template::render(&build::template_of(text), &crate::template::Samples::new());
    assert_eq!(rendered.as_deref(), Ok(text));
}

#[test]
fn paste_detection() {
    assert!(looks_like_curl("  curl 'x'"));
    assert!(looks_like_curl("curl.exe ^\"x^\""));
    assert!(!looks_like_curl("curly.test"));
    assert!(!looks_like_curl("https://curl.se"));
}
