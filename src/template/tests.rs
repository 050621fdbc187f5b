use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn samples(pairs: &[(&str, &str)]) -> Samples {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[rstest]
#[case::plain("{{ a }} {{ b }}", &["a", "b"])]
#[case::first_appearance_not_alphabetical("{{ zeta }}{{ alpha }}{{ zeta }}", &["zeta", "alpha"])]
#[case::attribute_gives_the_root("{{ company.domain }} {{ company.name }}", &["company"])]
#[case::subscript_gives_the_root("{{ row['x'] }}", &["row"])]
#[case::set_is_not_a_param("{% set greeting = 'hi' %}{{ greeting }} {{ name }}", &["name"])]
#[case::loop_variable_is_not_a_param("{% for item in items %}{{ item }}{{ sep }}{% endfor %}", &["items", "sep"])]
#[case::filters_are_not_params("{{ name|upper }} {{ domain|tojson }}", &["name", "domain"])]
#[case::filter_arguments_are_params("{{ name|default(fallback) }}", &["name", "fallback"])]
#[case::globals_are_not_params("{% for i in range(n) %}{{ i }}{% endfor %}{{ dict(a=x) }}", &["n", "x"])]
#[case::whitespace_control("{%- if flag -%} {{- value -}} {%- endif -%}", &["flag", "value"])]
#[case::conditionals("{% if vip %}{{ a }}{% else %}{{ b }}{% endif %}", &["vip", "a", "b"])]
#[case::unicode_text_around("héllo ✓ {{ naïve }} 日本 {{ b }}", &["naïve", "b"])]
#[case::comments_ignored("{# {{ hidden }} #}{{ shown }}", &["shown"])]
#[case::strings_ignored("{{ 'domain' ~ domain }}", &["domain"])]
#[case::no_variables("{\"static\": true}", &[])]
#[case::empty("", &[])]
fn variables_in_order_of_first_appearance(#[case] source: &str, #[case] expected: &[&str]) {
    assert_eq!(variables(source).unwrap(), expected);
}

#[test]
fn json_template_renders_with_tojson() {
    let source = r#"{"domain": {{ domain|tojson }}, "type": {{ kind|tojson }}}"#;
    let out = render(
        source,
        &samples(&[("domain", "ex\"ample.com"), ("kind", "full")]),
    )
    .unwrap();
    assert_eq!(out, r#"{"domain": "ex\"ample.com", "type": "full"}"#);
    assert!(check_json(&out).is_ok());
}

#[test]
fn missing_sample_renders_empty_not_an_error() {
    assert_eq!(
        render("[{{ a }}][{{ b.c }}]", &Samples::new()).unwrap(),
        "[][]"
    );
}

#[test]
fn structured_sample_allows_attribute_access() {
    let out = render(
        "{{ company.domain }}",
        &samples(&[("company", r#"{"domain": "acme.io"}"#)]),
    )
    .unwrap();
    assert_eq!(out, "acme.io");
}

#[test]
fn loops_and_whitespace_control_render() {
    let source = "{%- for x in items -%}{{ x }},{%- endfor -%}";
    assert_eq!(
        render(source, &samples(&[("items", "[1, 2, 3]")])).unwrap(),
        "1,2,3,"
    );
}

#[rstest]
#[case::unclosed_variable("{\n  \"a\": {{ domain \n}", 3)]
#[case::unknown_tag("line one\n{% frobnicate %}", 2)]
#[case::unclosed_block("{% if x %}\nno end", 1)]
#[case::bad_filter_syntax("{{ a | }}", 1)]
fn syntax_errors_have_a_line_and_column(#[case] source: &str, #[case] line: usize) {
    let err = variables(source).unwrap_err();
    assert!(err.syntax, "{err:?}");
    let position = err.position.expect("position");
    assert_eq!(position.line, line, "{err}");
    assert!(position.column >= 1);
    assert!(err.to_string().contains(&format!("line {line}")), "{err}");
}

#[test]
fn error_column_counts_characters_not_bytes() {
    // Four multi-byte characters precede the stray `endif`, which is character 9 (byte 16).
    let err = check("é日本語 {% endif %}").unwrap_err();
    assert_eq!(err.position, Some(Position { line: 1, column: 9 }));
}

#[test]
fn unknown_filter_is_a_render_time_error_with_a_line() {
    let err = render("ok\n{{ a|nosuchfilter }}", &Samples::new()).unwrap_err();
    assert!(err.message.contains("filter"), "{err}");
    assert_eq!(err.position.map(|p| p.line), Some(2));
}

#[test]
fn invalid_json_is_located_in_characters() {
    let err = check_json("{\n  \"é\": ,\n}").unwrap_err();
    assert_eq!(err.position.line, 2);
    assert_eq!(err.position.column, 8);
    assert!(err.message.contains("expected value"), "{err}");
}

#[test]
fn preview_checks_json_only_when_the_body_is_json() {
    let s = samples(&[("domain", "a.io")]);
    let json = preview("{\"d\": {{ domain }}}", &s, true);
    assert_eq!(json.variables, vec!["domain"]);
    assert!(
        matches!(json.json, Some(Err(_))),
        "unquoted a.io is not JSON"
    );
    let text = preview("d={{ domain }}", &s, false);
    assert_eq!(text.output.unwrap(), "d=a.io");
    assert!(text.json.is_none());
}

#[test]
fn position_of_byte_clamps_inside_a_character() {
    let p = position_of_byte("aé\nb", 2); // inside "é"
    assert_eq!(p, Position { line: 1, column: 2 });
    assert_eq!(
        position_of_byte("a\nb", 99),
        Position { line: 2, column: 2 }
    );
}

/// The issue's 80-character bomb: ten billion iterations, which `check` alone accepts.
pub(crate) const LOOP_BOMB: &str =
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";

/// A macro calling itself three levels deep, ten times a level: a thousand 2 KB leaves,
/// 2 MB of output in few instructions, so the output cap stops it before the fuel runs out.
const MACRO_BOMB: &str = "{% macro m(n) %}{% if n > 0 %}{% for i in range(10) %}{{ m(n - 1) }}\
{% endfor %}{% else %}{{ 'x' * 2000 }}{% endif %}{% endmacro %}{{ m(3) }}";

#[test]
fn a_runaway_loop_runs_out_of_fuel() {
    assert!(
        check(LOOP_BOMB).is_ok(),
        "it compiles: only rendering can tell"
    );
    let err = render(LOOP_BOMB, &Samples::new()).unwrap_err();
    assert_eq!(err.limit, Some(Limit::Fuel), "{err}");
    assert!(!err.syntax);
    assert!(
        err.to_string()
            .contains(&format!("did not finish within its budget (fuel {FUEL})")),
        "{err}"
    );
}

#[test]
fn output_past_one_mib_is_refused() {
    let err = render(MACRO_BOMB, &Samples::new()).unwrap_err();
    assert_eq!(err.limit, Some(Limit::Output), "{err}");
    assert!(err.to_string().contains("renders more than 1 MiB"), "{err}");
    // Output written piece by piece is stopped at the same place.
    let err = render(
        "{% for i in range(2000) %}{{ 'y' * 1000 }}{% endfor %}",
        &Samples::new(),
    )
    .unwrap_err();
    assert_eq!(err.limit, Some(Limit::Output), "{err}");
}

#[test]
fn output_up_to_the_cap_renders() {
    let source = format!("{{{{ 'z' * {MAX_OUTPUT_BYTES} }}}}");
    assert_eq!(
        render(&source, &Samples::new()).unwrap().len(),
        MAX_OUTPUT_BYTES
    );
}

#[test]
fn endless_recursion_stops_at_the_limit_on_a_small_stack() {
    // Test threads have a 2 MiB stack, as the editor's render threads do.
    let err = render(
        "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}",
        &Samples::new(),
    )
    .unwrap_err();
    assert_eq!(err.limit, Some(Limit::Recursion), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("recursion limit ({RECURSION_LIMIT})")),
        "{err}"
    );
}

#[test]
fn a_mistake_is_not_a_limit() {
    let err = render("{{ a|nosuchfilter }}", &Samples::new()).unwrap_err();
    assert_eq!(err.limit, None);
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(source in "\\PC{0,200}") {
        let _ = variables(&source);
        let _ = render(&source, &Samples::new());
        let _ = check_json(&source);
    }

    #[test]
    fn never_panics_on_jinja_like_soup(source in "[{}%#a-z|. \\-'\"()\n é]{0,120}") {
        let _ = preview(&source, &samples(&[("a", "1")]), true);
    }
}
