//! Pasting a curl command into the URL field fills the form; Alt-z brings the form back.

use super::{alt, focus_field, state};
use crate::connector::NameValue;
use crate::tui::msg::Msg;
use crate::tui::update::update;

const CHROME: &str = "curl 'https://api.x.test/v1/enrich?limit=10' \\\n  -H 'authorization: Bearer sk-live-0123456789' \\\n  -H 'content-type: application/json' \\\n  --data-raw '{\"domain\":\"acme.com\"}' \\\n  --compressed";

#[test]
fn a_curl_paste_into_the_url_fills_the_form_and_undo_brings_it_back() {
    let mut s = state();
    let before = s.connector.clone();
    focus_field(&mut s, "url");
    let effects = update(&mut s, Msg::Paste(CHROME.into()));
    assert_eq!(
        s.connector.text("url"),
        Some("https://api.x.test/v1/enrich")
    );
    assert_eq!(s.connector.text("method"), Some("post"));
    assert_eq!(
        s.connector.name_values("parameters"),
        [NameValue::new("limit", "10")]
    );
    assert_eq!(
        s.connector.name_values("headers")[0],
        NameValue::new("authorization", "Bearer sk-live-0123456789")
    );
    assert_eq!(s.connector.template(), Some("{\"domain\":\"acme.com\"}"));
    assert_eq!(s.file, Some("scoring.json".into()));
    assert!(s.dirty);
    let toast = s.toast.clone().unwrap_or_default();
    assert!(
        toast.contains("imported the curl command (Alt-z undoes)"),
        "{toast}"
    );
    assert!(toast.contains("ignored --compressed"), "{toast}");
    assert!(!effects.is_empty(), "the import is journaled");

    alt(&mut s, 'z');
    assert_eq!(s.connector, before);
    assert!(!s.dirty);
    assert_eq!(
        s.toast.as_deref(),
        Some("the form before the import is back")
    );
    alt(&mut s, 'z');
    assert_eq!(s.connector, before);
}

#[test]
fn a_refused_command_leaves_the_form_and_says_why() {
    let mut s = state();
    let before = s.connector.clone();
    focus_field(&mut s, "url");
    update(
        &mut s,
        Msg::Paste("curl https://x.test -F file=@a.png".into()),
    );
    assert_eq!(s.connector, before);
    let toast = s.toast.clone().unwrap_or_default();
    assert!(
        toast.starts_with("curl command not imported: --form is refused"),
        "{toast}"
    );
}

#[test]
fn curl_text_pasted_elsewhere_is_just_text() {
    let mut s = state();
    focus_field(&mut s, "name");
    update(&mut s, Msg::Paste("curl https://x.test".into()));
    assert_eq!(s.connector.text("name"), Some("Scoringcurl https://x.test"));
}
