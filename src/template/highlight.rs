//! Syntax highlighting as data: which byte ranges of a text are which kind of token, for the
//! Jinja body template (read with minijinja's own tokenizer, so it splits the text exactly as
//! a render does) and for JSON (Cargo's config, previews, responses). Faces map [`Kind`]s to
//! their colours; nothing here knows how a kind is drawn.

use minijinja::machinery::{Token, tokenize};
use minijinja::syntax::SyntaxConfig;
use std::ops::Range;

/// What a stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Template text outside tags that is not JSON.
    Data,
    /// `{{`, `}}`, `{%`, `%}` (with their whitespace-control marks).
    Tag,
    /// A statement word: `for`, `if`, `in`, `set`, `endfor`, `and`, `not`, ...
    Keyword,
    /// A variable or attribute name in a tag.
    Variable,
    /// A filter (`|tojson`) or test (`is defined`) name.
    Filter,
    String,
    Number,
    /// `true`, `false`, `null` (JSON), `none`, `true`, `false` (Jinja).
    Literal,
    /// Operators, brackets, commas, colons.
    Punct,
    /// `{# ... #}`.
    Comment,
    /// A JSON object key.
    Key,
}

/// One highlighted stretch: a byte range of the text and its kind. Ranges are in order and do
/// not overlap; text no mark covers is plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    pub kind: Kind,
}

/// Statement words of minijinja's syntax (also names a template variable cannot have).
pub const KEYWORDS: &[&str] = &[
    "for",
    "in",
    "if",
    "elif",
    "else",
    "endif",
    "endfor",
    "set",
    "endset",
    "macro",
    "endmacro",
    "call",
    "endcall",
    "filter",
    "endfilter",
    "with",
    "endwith",
    "block",
    "endblock",
    "extends",
    "include",
    "import",
    "from",
    "as",
    "and",
    "or",
    "not",
    "is",
    "recursive",
    "raw",
    "endraw",
    "autoescape",
    "endautoescape",
    "continue",
    "break",
    "do",
    "ignore",
    "missing",
    "context",
];

/// Tags whose body is indented one level deeper (`set` only as a block: without `=`).
const OPENERS: &[&str] = &[
    "for",
    "if",
    "elif",
    "else",
    "macro",
    "call",
    "filter",
    "with",
    "block",
    "raw",
    "autoescape",
    "set",
];

/// Marks for a Jinja template. Its text outside tags is highlighted as JSON when it looks like
/// JSON (its first non-blank character outside tags is `{` or `[`). After a syntax error the
/// rest is left plain.
pub fn jinja(source: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut json: Option<(bool, JsonScan)> = None;
    let mut previous: Option<Token<'_>> = None;
    let mut before_previous: Option<Token<'_>> = None;
    let mut end = 0;
    for item in tokenize(source, false, SyntaxConfig::default()) {
        let Ok((token, place)) = item else { break };
        let range = place.start_offset as usize..place.end_offset as usize;
        comments(source, end..range.start, &mut marks);
        end = range.end;
        if let Token::TemplateData(text) = token {
            let (is_json, scan) = json.get_or_insert_with(|| {
                let first = text.trim_start().chars().next();
                (matches!(first, Some('{' | '[')), JsonScan::default())
            });
            if *is_json {
                scan.scan(text, range.start, &mut marks);
            } else {
                marks.push(Mark {
                    range,
                    kind: Kind::Data,
                });
            }
            if text.trim().is_empty() && !*is_json {
                // Blank text says nothing yet about whether the template is JSON.
                json = None;
            }
        } else if let Some(kind) = tag_kind(&token, previous.as_ref(), before_previous.as_ref()) {
            marks.push(Mark { range, kind });
        }
        before_previous = previous.replace(token);
    }
    comments(source, end..source.len(), &mut marks);
    marks
}

/// Marks `{# ... #}` in text the tokenizer skipped (comments and the whitespace around tags).
fn comments(source: &str, gap: Range<usize>, marks: &mut Vec<Mark>) {
    let Some(text) = source.get(gap.clone()) else {
        return;
    };
    if let (Some(open), Some(close)) = (text.find("{#"), text.rfind("#}")) {
        marks.push(Mark {
            range: gap.start + open..gap.start + close + 2,
            kind: Kind::Comment,
        });
    }
}

fn tag_kind(
    token: &Token<'_>,
    previous: Option<&Token<'_>>,
    before: Option<&Token<'_>>,
) -> Option<Kind> {
    let kind = match token {
        Token::TemplateData(_) => return None,
        Token::VariableStart | Token::VariableEnd | Token::BlockStart | Token::BlockEnd => {
            Kind::Tag
        }
        Token::Ident(name) => {
            let after_is = matches!(previous, Some(Token::Ident("is")))
                || matches!(
                    (before, previous),
                    (Some(Token::Ident("is")), Some(Token::Ident("not")))
                );
            if matches!(previous, Some(Token::Pipe)) || (after_is && *name != "not") {
                Kind::Filter
            } else if matches!(*name, "true" | "false" | "none" | "True" | "False" | "None") {
                Kind::Literal
            } else if matches!(previous, Some(Token::BlockStart)) || KEYWORDS.contains(name) {
                Kind::Keyword
            } else {
                Kind::Variable
            }
        }
        Token::Str(_) | Token::String(_) => Kind::String,
        Token::Int(_) | Token::Int128(_) | Token::Float(_) => Kind::Number,
        _ => Kind::Punct,
    };
    Some(kind)
}

/// Marks for JSON text (or text that is meant to become JSON: anything unreadable is plain).
pub fn json(source: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    JsonScan::default().scan(source, 0, &mut marks);
    marks
}

/// A JSON scan that can stop and go on in the next piece of text (template data split by
/// tags: `"{{ name }}"` is one string around a tag).
#[derive(Debug, Default)]
struct JsonScan {
    /// Inside a string: the indexes of its marks so far (a key is known only at its end).
    string: Option<Vec<usize>>,
    escaped: bool,
}

impl JsonScan {
    fn scan(&mut self, text: &str, offset: usize, marks: &mut Vec<Mark>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if self.string.is_some() {
                i = self.string_part(text, i, offset, marks);
                continue;
            }
            let start = i;
            let kind = match bytes[i] {
                b'"' => {
                    self.string = Some(Vec::new());
                    self.escaped = false;
                    i = self.string_part(text, i + 1, offset, marks);
                    // The opening quote belongs to the string's first mark.
                    if let Some(last) = marks.last_mut() {
                        last.range.start = offset + start;
                    }
                    continue;
                }
                b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                    i += 1;
                    Kind::Punct
                }
                b'-' | b'0'..=b'9' => {
                    i += run(bytes, i, |b| b.is_ascii_digit() || b"+-.eE".contains(&b));
                    Kind::Number
                }
                b'a'..=b'z' | b'A'..=b'Z' => {
                    i += run(bytes, i, |b| b.is_ascii_alphanumeric());
                    let word = text.get(start..i).unwrap_or_default();
                    if matches!(word, "true" | "false" | "null") {
                        Kind::Literal
                    } else {
                        continue;
                    }
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            marks.push(Mark {
                range: offset + start..offset + i,
                kind,
            });
        }
    }

    /// Reads a string from `i` to its closing quote (or the text's end) and marks it; returns
    /// where reading stopped. A closed string followed by `:` becomes a key, all of its marks.
    fn string_part(
        &mut self,
        text: &str,
        from: usize,
        offset: usize,
        marks: &mut Vec<Mark>,
    ) -> usize {
        let bytes = text.as_bytes();
        let mut i = from;
        let mut closed = false;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                closed = true;
                break;
            }
        }
        let mut parts = self.string.take().unwrap_or_default();
        parts.push(marks.len());
        marks.push(Mark {
            range: offset + from..offset + i,
            kind: Kind::String,
        });
        if !closed {
            self.string = Some(parts);
            return i;
        }
        let rest = text.get(i..).unwrap_or_default().trim_start();
        if rest.starts_with(':') {
            for part in parts {
                if let Some(mark) = marks.get_mut(part) {
                    mark.kind = Kind::Key;
                }
            }
        }
        i
    }
}

/// How many bytes from `i` on satisfy `keep`.
fn run(bytes: &[u8], i: usize, keep: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| keep(**b))
        .count()
}

/// Whether a line (up to the cursor) opens a block whose body goes one level deeper: it ends
/// in `{`, `[` or `(`, or in an opening Jinja tag (`{% for x in xs %}`, `{% if a %}`,
/// `{% else %}`, a block `{% set x %}`).
pub fn opens_block(line: &str) -> bool {
    let line = line.trim_end();
    if line.ends_with(['{', '[', '(']) {
        return true;
    }
    let Some(open) = line
        .strip_suffix("%}")
        .and_then(|l| l.rfind("{%").map(|at| (l, at)))
    else {
        return false;
    };
    let (head, at) = open;
    let inner = head
        .get(at + 2..)
        .unwrap_or_default()
        .trim_start_matches(['-', '+'])
        .trim_end_matches(['-', '+']);
    let word = inner.split_whitespace().next().unwrap_or_default();
    OPENERS.contains(&word) && !(word == "set" && inner.contains('='))
}

#[cfg(test)]
mod tests {
    use super::Kind::{
        Data, Filter, Key, Keyword, Literal, Number, Punct, String as Str, Tag, Variable,
    };
    use super::*;

    /// The marks as (text, kind) pairs, for reading.
    fn shown(source: &str, marks: &[Mark]) -> Vec<(String, Kind)> {
        marks
            .iter()
            .map(|m| (source.get(m.range.clone()).unwrap().to_owned(), m.kind))
            .collect()
    }

    #[test]
    fn jinja_tags_variables_filters_strings_numbers_keywords() {
        let source = "{% for x in items if x > 1 %}{{ x.name|upper }} {{ 'a' ~ 2 }}{% endfor %}";
        let marks = shown(source, &jinja(source));
        let expected: Vec<(String, Kind)> = [
            ("{%", Tag),
            ("for", Keyword),
            ("x", Variable),
            ("in", Keyword),
            ("items", Variable),
            ("if", Keyword),
            ("x", Variable),
            (">", Punct),
            ("1", Number),
            ("%}", Tag),
            ("{{", Tag),
            ("x", Variable),
            (".", Punct),
            ("name", Variable),
            ("|", Punct),
            ("upper", Filter),
            ("}}", Tag),
            (" ", Data),
            ("{{", Tag),
            ("'a'", Str),
            ("~", Punct),
            ("2", Number),
            ("}}", Tag),
            ("{%", Tag),
            ("endfor", Keyword),
            ("%}", Tag),
        ]
        .iter()
        .map(|(t, k)| ((*t).to_owned(), *k))
        .collect();
        assert_eq!(marks, expected);
    }

    #[test]
    fn tests_literals_and_comments() {
        let source = "{# note #}{% if a is not defined and none %}x{% endif %}";
        let marks = shown(source, &jinja(source));
        assert_eq!(marks[0], ("{# note #}".to_owned(), Kind::Comment));
        assert!(marks.contains(&("defined".to_owned(), Kind::Filter)));
        assert!(marks.contains(&("not".to_owned(), Kind::Keyword)));
        assert!(marks.contains(&("none".to_owned(), Kind::Literal)));
        assert!(marks.contains(&("x".to_owned(), Kind::Data)));
    }

    #[test]
    fn json_template_data_is_json_even_split_by_tags() {
        let source = "{\n  \"domain\": {{ domain|tojson }},\n  \"{{ k }}\": [1, true, \"s\"]\n}";
        let marks = shown(source, &jinja(source));
        assert!(marks.contains(&("\"domain\"".to_owned(), Kind::Key)));
        assert!(marks.contains(&("\"".to_owned(), Kind::Key)), "{marks:?}");
        assert!(marks.contains(&("1".to_owned(), Kind::Number)));
        assert!(marks.contains(&("true".to_owned(), Kind::Literal)));
        assert!(marks.contains(&("\"s\"".to_owned(), Kind::String)));
        assert!(marks.contains(&("tojson".to_owned(), Kind::Filter)));
        assert!(marks.contains(&("{".to_owned(), Kind::Punct)));
    }

    #[test]
    fn a_syntax_error_leaves_the_rest_plain_and_never_panics() {
        for source in [
            "{{ x",
            "{% if %}{",
            "\"abc",
            "{# open",
            "é{{ 'ü' }}ß",
            "{{ x }}\"é\\\"",
        ] {
            let marks = jinja(source);
            for m in &marks {
                assert!(source.get(m.range.clone()).is_some(), "{source:?} {m:?}");
            }
            let _ = json(source);
        }
    }

    #[test]
    fn json_keys_strings_numbers_literals_punctuation() {
        let source = r#"{"a": "x\"y", "n": -1.5e3, "z": [null, false]}"#;
        let marks = shown(source, &json(source));
        assert_eq!(
            marks,
            [
                ("{", Punct),
                ("\"a\"", Key),
                (":", Punct),
                ("\"x\\\"y\"", Str),
                (",", Punct),
                ("\"n\"", Key),
                (":", Punct),
                ("-1.5e3", Number),
                (",", Punct),
                ("\"z\"", Key),
                (":", Punct),
                ("[", Punct),
                ("null", Literal),
                (",", Punct),
                ("false", Literal),
                ("]", Punct),
                ("}", Punct),
            ]
            .iter()
            .map(|(t, k)| ((*t).to_owned(), *k))
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn lines_that_open_a_block() {
        for yes in [
            "{",
            "  \"a\": [",
            "{% for x in xs %}",
            "{%- if a -%}",
            "{% else %}",
            "{% set x %}",
        ] {
            assert!(opens_block(yes), "{yes}");
        }
        for no in [
            "}",
            "\"a\": 1,",
            "{% endif %}",
            "{% set x = 1 %}",
            "{% if a %}b{% endif %}",
            "",
        ] {
            assert!(!opens_block(no), "{no}");
        }
    }
}
