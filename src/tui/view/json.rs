//! Pretty-printed, coloured JSON for the preview, the review and the response views.

use crate::tui::theme::json as style;
use ratatui::text::{Line, Span};
use serde_json::Value;

/// The value pretty-printed (two-space indent), one `Line` per line, keys, strings, numbers and
/// literals coloured. Strings are shown as JSON writes them (escaped).
pub fn highlight(value: &Value) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    write(value, 0, &mut current, &mut lines);
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

fn indent(level: usize) -> Span<'static> {
    Span::raw("  ".repeat(level))
}

fn scalar(value: &Value) -> Span<'static> {
    let text = value.to_string();
    match value {
        Value::String(_) => Span::styled(text, style::string()),
        Value::Number(_) => Span::styled(text, style::number()),
        _ => Span::styled(text, style::literal()),
    }
}

fn write(
    value: &Value,
    level: usize,
    current: &mut Vec<Span<'static>>,
    lines: &mut Vec<Line<'static>>,
) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            current.push(Span::styled("{", style::punct()));
            lines.push(Line::from(std::mem::take(current)));
            let last = map.len() - 1;
            for (i, (key, item)) in map.iter().enumerate() {
                current.push(indent(level + 1));
                current.push(Span::styled(
                    Value::String(key.clone()).to_string(),
                    style::key(),
                ));
                current.push(Span::styled(": ", style::punct()));
                write(item, level + 1, current, lines);
                if i != last {
                    current.push(Span::styled(",", style::punct()));
                }
                lines.push(Line::from(std::mem::take(current)));
            }
            current.push(indent(level));
            current.push(Span::styled("}", style::punct()));
        }
        Value::Array(items) if !items.is_empty() => {
            current.push(Span::styled("[", style::punct()));
            lines.push(Line::from(std::mem::take(current)));
            let last = items.len() - 1;
            for (i, item) in items.iter().enumerate() {
                current.push(indent(level + 1));
                write(item, level + 1, current, lines);
                if i != last {
                    current.push(Span::styled(",", style::punct()));
                }
                lines.push(Line::from(std::mem::take(current)));
            }
            current.push(indent(level));
            current.push(Span::styled("]", style::punct()));
        }
        Value::Object(_) => current.push(Span::styled("{}", style::punct())),
        Value::Array(_) => current.push(Span::styled("[]", style::punct())),
        other => current.push(scalar(other)),
    }
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
