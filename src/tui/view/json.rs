//! Pretty-printed, coloured JSON for the preview, the review and the response views, with the
//! values a `--select` matched marked.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;
use std::collections::HashSet;

/// The value pretty-printed (two-space indent), one `Line` per line, keys, strings, numbers and
/// literals coloured as the editors colour JSON. Strings are shown as JSON writes them (escaped).
pub fn highlight(value: &Value) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    super::code::styled_lines(&text, &crate::template::highlight::json(&text))
}

/// `highlight` with the values at `pointers` (JSON Pointers, as `Select::pointers` gives them)
/// marked in `style`: a value on one line from its first character to its last, one over
/// several lines on each of them from the indentation on.
pub fn highlight_marked(value: &Value, pointers: &[String], style: Style) -> Vec<Line<'static>> {
    let mut lines = highlight(value);
    if pointers.is_empty() {
        return lines;
    }
    let wanted: HashSet<&str> = pointers.iter().map(String::as_str).collect();
    let mut places = Vec::new();
    let mut layout = Layout {
        wanted: &wanted,
        line: 0,
        places: &mut places,
    };
    layout.walk(value, &mut String::new(), 0, 0);
    for Place { from, to } in places {
        for number in from.0..=to.0 {
            let Some(line) = lines.get_mut(number) else {
                continue;
            };
            let text = line.to_string();
            let start = if number == from.0 {
                from.1
            } else {
                text.len() - text.trim_start().len()
            };
            let end = if number == to.0 { to.1 } else { text.len() };
            restyle(line, start, end, style);
        }
    }
    lines
}

/// Where a marked value sits: (line, byte column) of its first and past its last character.
struct Place {
    from: (usize, usize),
    to: (usize, usize),
}

/// Walks a value as `serde_json::to_string_pretty` lays it out (two-space indent, `"key": `
/// before a member, `{}` and `[]` when empty), noting where the wanted pointers are.
struct Layout<'a> {
    wanted: &'a HashSet<&'a str>,
    line: usize,
    places: &'a mut Vec<Place>,
}

impl Layout<'_> {
    fn walk(&mut self, value: &Value, pointer: &mut String, depth: usize, column: usize) {
        let from = (self.line, column);
        let inner = (depth + 1) * 2;
        let mut child = |layout: &mut Self, step: &str, node: &Value, column: usize| {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&step.replace('~', "~0").replace('/', "~1"));
            layout.line += 1;
            layout.walk(node, pointer, depth + 1, column);
            pointer.truncate(len);
        };
        let to = match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, node) in map {
                    let key_len = serde_json::to_string(key).map_or(0, |k| k.len());
                    child(self, key, node, inner + key_len + 2);
                }
                self.line += 1;
                (self.line, depth * 2 + 1)
            }
            Value::Array(items) if !items.is_empty() => {
                for (index, node) in items.iter().enumerate() {
                    child(self, &index.to_string(), node, inner);
                }
                self.line += 1;
                (self.line, depth * 2 + 1)
            }
            scalar => (
                self.line,
                column + serde_json::to_string(scalar).map_or(0, |t| t.len()),
            ),
        };
        if self.wanted.contains(pointer.as_str()) {
            self.places.push(Place { from, to });
        }
    }
}

/// Patches `style` onto the bytes `start..end` of a line, splitting its spans there.
fn restyle(line: &mut Line<'static>, start: usize, end: usize, style: Style) {
    let mut at = 0;
    let mut spans = Vec::new();
    for span in line.spans.drain(..) {
        let text = span.content.as_ref();
        let (a, b) = (
            start.clamp(at, at + text.len()) - at,
            end.clamp(at, at + text.len()) - at,
        );
        at += text.len();
        let piece = |range: std::ops::Range<usize>, style: Style| {
            Span::styled(text.get(range).unwrap_or_default().to_owned(), style)
        };
        for (range, marked) in [(0..a, false), (a..b, true), (b..text.len(), false)] {
            if !range.is_empty() {
                let patched = if marked {
                    span.style.patch(style)
                } else {
                    span.style
                };
                spans.push(piece(range, patched));
            }
        }
    }
    line.spans = spans;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The marked text of each line.
    fn marked(lines: &[Line<'_>], style: Style) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                (l.spans.iter())
                    .filter(|s| s.style.bg == style.bg)
                    .map(|s| s.content.as_ref())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn selected_values_are_marked_where_pretty_printing_puts_them() {
        let value =
            json!({"a/b": {"name": "Acme", "n": [1, {"x": null}]}, "tags": ["é", "z"], "e": {}});
        let mark = Style::new().bg(ratatui::style::Color::Cyan);
        let pointers = ["/a~1b/name", "/a~1b/n/1", "/tags/0", "/e"].map(str::to_owned);
        let lines = highlight_marked(&value, &pointers, mark);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(
            text.join("\n"),
            serde_json::to_string_pretty(&value).unwrap()
        );
        let got = marked(&lines, mark);
        let expected: Vec<(&str, &str)> = text
            .iter()
            .map(String::as_str)
            .zip(got.iter().map(String::as_str))
            .filter(|(_, m)| !m.is_empty())
            .collect();
        assert_eq!(
            expected,
            [
                ("    \"name\": \"Acme\",", "\"Acme\""),
                ("      {", "{"),
                ("        \"x\": null", "\"x\": null"),
                ("      }", "}"),
                ("    \"é\",", "\"é\""),
                ("  \"e\": {}", "{}"),
            ]
        );
    }

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
