//! Pretty-printed, coloured JSON for the preview, the review and the response views.

use ratatui::text::Line;
use serde_json::Value;

/// The value pretty-printed (two-space indent), one `Line` per line, keys, strings, numbers and
/// literals coloured as the editors colour JSON. Strings are shown as JSON writes them (escaped).
pub fn highlight(value: &Value) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    super::code::styled_lines(&text, &crate::template::highlight::json(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_serde_pretty_printing() {
        let value = json!({"a": [1, {"b": null}], "c": "x\"y", "d": {}, "e": []});
        let text: Vec<String> = highlight(&value).iter().map(ToString::to_string).collect();
        assert_eq!(
            text.join("\n"),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
