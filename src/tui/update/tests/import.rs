//! Pasting a curl command into the URL field fills the form; Alt-z brings the form back. The
//! browse screen's import entries do the same from their prompts.

use super::{alt, focus_field, state};
use crate::connector::NameValue;
use crate::files::journal::Draft;
use crate::tui::effect::Effect;
use crate::tui::msg::Msg;
use crate::tui::update::update;

const CHROME: &str = "curl 'https://api.x.test/v1/enrich?limit=10' \\\n  -H 'authorization: Bearer sk-live-0123456789' \\\n  -H 'content-type: application/json' \\\n  --data-raw '{\"domain\":\"acme.com\"}' \\\n  --compressed";

#[test]
fn a_curl_paste_into_the_url_fills_the_form_and_undo_brings_it_back() {
    let mut s = state();
    let before = s.doc.connector.clone();
    focus_field(&mut s, "url");
    let effects = update(&mut s, Msg::Paste(CHROME.into()));
    assert_eq!(
        s.doc.connector.text("url"),
        Some("https://api.x.test/v1/enrich")
    );
    assert_eq!(s.doc.connector.text("method"), Some("post"));
    assert_eq!(
        s.doc.connector.name_values("parameters"),
        [NameValue::new("limit", "10")]
    );
    assert_eq!(
        s.doc.connector.name_values("headers")[0],
        NameValue::new("authorization", "Bearer sk-live-0123456789")
    );
    assert_eq!(
        s.doc.connector.template(),
        Some("{\"domain\":\"acme.com\"}")
    );
    assert_eq!(s.doc.file, Some("scoring.json".into()));
    assert!(s.doc.dirty);
    let toast = s.toast.clone().unwrap_or_default();
    assert!(
        toast.contains("imported the curl command (Alt-z undoes)"),
        "{toast}"
    );
    assert!(toast.contains("ignored --compressed"), "{toast}");
    assert!(!effects.is_empty(), "the import is journaled");

    alt(&mut s, 'z');
    assert_eq!(s.doc.connector, before);
    assert!(!s.doc.dirty);
    assert_eq!(
        s.toast.as_deref(),
        Some("the form before the import is back")
    );
    alt(&mut s, 'z');
    assert_eq!(s.doc.connector, before);
}

#[test]
fn a_refused_command_leaves_the_form_and_says_why() {
    let mut s = state();
    let before = s.doc.connector.clone();
    focus_field(&mut s, "url");
    update(
        &mut s,
        Msg::Paste("curl https://x.test -F file=@a.png".into()),
    );
    assert_eq!(s.doc.connector, before);
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
    assert_eq!(
        s.doc.connector.text("name"),
        Some("Scoringcurl https://x.test")
    );
}

/// Opens browse and moves to its last entries: `from_end` 0 is "import OpenAPI…", 1 is
/// "import curl…".
fn browse_import(s: &mut crate::tui::state::State, from_end: usize) {
    use crossterm::event::KeyCode;
    super::open_browse(s);
    for _ in 0..20 {
        super::press(s, KeyCode::Down);
    }
    for _ in 0..from_end {
        super::press(s, KeyCode::Up);
    }
    super::press(s, KeyCode::Enter);
}

fn petstore() -> crate::connector::import_openapi::Spec {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openapi/petstore.yaml");
    let text = std::fs::read_to_string(path).expect("fixture");
    crate::connector::import_openapi::parse(&text).expect("parses")
}

#[test]
fn browse_import_curl_fills_the_form_from_a_paste_and_undo_brings_it_back() {
    use crate::tui::state::Overlay;
    let mut s = state();
    let before = s.doc.connector.clone();
    browse_import(&mut s, 1);
    assert!(matches!(s.overlay, Some(Overlay::ImportCurl { .. })));
    let effects = super::typed(&mut s, "cu");
    assert!(s.drafted, "typed text is journaled");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Journal { snapshot, .. }
            if snapshot.draft == Some(Draft::ImportCurl { text: "cu".into() }))),
        "{effects:?}"
    );
    update(&mut s, Msg::Paste("rl -F a=@b https://x.test".into()));
    assert!(
        matches!(s.overlay, Some(Overlay::ImportCurl { .. })),
        "a refusal keeps the prompt"
    );
    assert!(
        s.toast
            .clone()
            .unwrap_or_default()
            .contains("--form is refused")
    );
    super::press(&mut s, crossterm::event::KeyCode::Esc)
        .expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    browse_import(&mut s, 1);
    update(&mut s, Msg::Paste(CHROME.into()));
    assert!(s.overlay.is_none());
    assert_eq!(
        s.doc.connector.text("url"),
        Some("https://api.x.test/v1/enrich")
    );
    let toast = s.toast.clone().unwrap_or_default();
    assert!(
        toast.contains("imported the curl command (Alt-z undoes)"),
        "{toast}"
    );
    assert!(toast.contains("ignored --compressed"), "{toast}");
    alt(&mut s, 'z');
    assert_eq!(s.doc.connector, before);
}

#[test]
fn browse_import_openapi_reads_lists_filters_and_imports_an_operation() {
    use crate::tui::state::Overlay;
    use crossterm::event::KeyCode;
    let mut s = state();
    let before = s.doc.connector.clone();
    browse_import(&mut s, 0);
    assert!(matches!(s.overlay, Some(Overlay::SpecPath { .. })));
    let source = "petstore.yaml https://petstore3.swagger.io";
    super::typed(&mut s, source);
    let effects = super::press(&mut s, KeyCode::Enter);
    assert_eq!(
        effects,
        [Effect::ReadSpec {
            source: source.into(),
            path: "petstore.yaml".into(),
        }]
    );
    // An answer for other text (the prompt changed since) is dropped.
    update(
        &mut s,
        Msg::SpecRead {
            source: "old.yaml".into(),
            result: Err("gone".into()),
        },
    );
    assert!(matches!(
        s.overlay,
        Some(Overlay::SpecPath { loading: true, .. })
    ));
    update(
        &mut s,
        Msg::SpecRead {
            source: source.into(),
            result: Ok(Box::new(petstore())),
        },
    );
    let Some(Overlay::Operations(pick)) = &s.overlay else {
        panic!("the operation list opens: {:?}", s.overlay)
    };
    assert_eq!(pick.matches().len(), 19);

    let effects = super::typed(&mut s, "petbyid");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Journal { snapshot, .. }
            if snapshot.draft == Some(Draft::OperationFilter { spec: source.into(), text: "petbyid".into() }))),
        "the filter is journaled: {effects:?}"
    );
    super::press(&mut s, KeyCode::Enter);
    let Some(Overlay::Operations(pick)) = &s.overlay else {
        panic!("a refused operation keeps the list")
    };
    assert!(
        pick.error
            .as_deref()
            .unwrap_or_default()
            .starts_with("path parameter {petId}"),
        "{pick:?}"
    );
    assert_eq!(s.doc.connector, before);

    for _ in 0.."petbyid".len() {
        super::press(&mut s, KeyCode::Backspace);
    }
    super::typed(&mut s, "plce ordr");
    let Some(Overlay::Operations(pick)) = &s.overlay else {
        panic!("the list stays")
    };
    assert_eq!(
        pick.chosen().and_then(|o| o.id.as_deref()),
        Some("placeOrder"),
        "letters in order match too"
    );
    super::press(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
    assert_eq!(
        s.doc.connector.text("url"),
        Some("https://petstore3.swagger.io/v3/store/order")
    );
    assert_eq!(
        s.doc.connector.text("name"),
        Some("Place an order for a pet")
    );
    assert_eq!(
        s.doc.samples.get("status").map(String::as_str),
        Some("approved")
    );
    let toast = s.toast.clone().unwrap_or_default();
    assert!(
        toast.starts_with("imported POST /store/order from the OpenAPI document (Alt-z undoes)"),
        "{toast}"
    );
    alt(&mut s, 'z');
    assert_eq!(s.doc.connector, before);
    assert!(s.doc.samples.is_empty());
}

#[test]
fn escape_goes_back_from_the_list_to_the_prompt_and_errors_show_there() {
    use crate::tui::state::Overlay;
    use crossterm::event::KeyCode;
    let mut s = state();
    browse_import(&mut s, 0);
    super::typed(&mut s, "api.yaml");
    super::press(&mut s, KeyCode::Enter).expect(&[|e| matches!(e, Effect::ReadSpec { .. })]);
    update(
        &mut s,
        Msg::SpecRead {
            source: "api.yaml".into(),
            result: Ok(Box::new(petstore())),
        },
    );
    super::press(&mut s, KeyCode::Esc);
    assert!(
        matches!(&s.overlay, Some(Overlay::SpecPath { input, loading: false, .. }) if input.text == "api.yaml")
    );
    super::press(&mut s, KeyCode::Enter).expect(&[|e| matches!(e, Effect::ReadSpec { .. })]);
    update(
        &mut s,
        Msg::SpecRead {
            source: "api.yaml".into(),
            result: Err("api.yaml: No such file".into()),
        },
    );
    assert!(
        matches!(&s.overlay, Some(Overlay::SpecPath { error: Some(e), .. }) if e.contains("No such file"))
    );
    super::press(&mut s, KeyCode::Esc).expect(&[|e| matches!(e, Effect::DiscardJournal(..))]);
    assert!(s.overlay.is_none());
}

#[test]
fn a_recovered_operation_filter_reads_its_document_again_and_reopens_the_list() {
    use crate::files::journal::{Entry, Snapshot};
    use crate::tui::state::Overlay;
    let mut s = state();
    let source = "petstore.yaml https://petstore3.swagger.io";
    s.overlay = Some(Overlay::Recover {
        entries: vec![Entry {
            journal_file: "/journal/a.json".into(),
            saved_at: "2026-01-01T00:00:00Z".into(),
            snapshot: Snapshot {
                path: Some("scoring.json".into()),
                base: None,
                connector: s.doc.connector.clone(),
                samples: crate::template::Samples::new(),
                draft: Some(Draft::OperationFilter {
                    spec: source.into(),
                    text: "order".into(),
                }),
            },
            changed_on_disk: false,
        }],
        selected: 0,
    });
    let effects = super::press(&mut s, crossterm::event::KeyCode::Char('y'));
    assert!(
        effects.contains(&Effect::ReadSpec {
            source: source.into(),
            path: "petstore.yaml".into(),
        }),
        "{effects:?}"
    );
    update(
        &mut s,
        Msg::SpecRead {
            source: source.into(),
            result: Ok(Box::new(petstore())),
        },
    );
    let Some(Overlay::Operations(pick)) = &s.overlay else {
        panic!("the list is back: {:?}", s.overlay)
    };
    assert_eq!(pick.filter.text, "order");
    assert!(s.drafted);
}

#[test]
fn path_values_after_the_documents_path_fill_the_operations_path() {
    use crate::tui::state::Overlay;
    use crossterm::event::KeyCode;
    let mut s = state();
    browse_import(&mut s, 0);
    let source = "petstore.yaml petId=10 https://petstore3.swagger.io";
    super::typed(&mut s, source);
    super::press(&mut s, KeyCode::Enter).expect(&[|e| matches!(e, Effect::ReadSpec { .. })]);
    update(
        &mut s,
        Msg::SpecRead {
            source: source.into(),
            result: Ok(Box::new(petstore())),
        },
    );
    super::typed(&mut s, "deleteOrder");
    super::press(&mut s, KeyCode::Enter);
    let Some(Overlay::Operations(pick)) = &s.overlay else {
        panic!("refused: {:?}", s.overlay)
    };
    assert_eq!(
        pick.error.as_deref(),
        Some(
            "path parameter {orderId} (ID of the order that needs to be deleted): a Databar connector's URL \
             is one fixed URL, whose slots are query parameters, headers and body variables, so it cannot \
             be an input slot; Esc, then give it a value after the document's path: orderId=VALUE"
        )
    );
    for _ in 0.."deleteOrder".len() {
        super::press(&mut s, KeyCode::Backspace);
    }
    super::typed(&mut s, "getPetById");
    super::press(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none(), "{:?}", s.overlay);
    assert_eq!(
        s.doc.connector.text("url"),
        Some("https://petstore3.swagger.io/v3/pet/10")
    );
    assert_eq!(s.doc.connector.text("method"), Some("get"));
}
