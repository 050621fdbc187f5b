//! A request body read the way `FastAPI` reads one: Python's `json.loads` on the bytes. The
//! encoding is detected as Python detects it (UTF-8 with or without a BOM, UTF-16, UTF-32),
//! and a syntax error is reported with Python's message and *character* position
//! (`Expecting ',' delimiter` at 12), which is what the vendor's 422 `json_invalid` carries.
//!
//! `serde_json` does the parsing; the scanner here runs on a body serde refused, to find the
//! error where Python's scanner would, and on one with an integer beyond 64 bits, which Python
//! reads as an integer and serde would read as a float: such an integer is read as the nearest
//! 64-bit one, which every check and the plan's clamp judge alike.

use serde_json::Value;

/// What became of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Json(Value),
    /// Python's message and the character position it names.
    Syntax {
        position: usize,
        message: &'static str,
    },
    /// Not text in any encoding Python detects, or JSON only Python reads (`NaN`, lone
    /// surrogates, nesting beyond serde's limit): `FastAPI`'s 400.
    Unreadable,
}

/// Decodes and parses a non-empty body.
pub fn decode(bytes: &[u8]) -> Decoded {
    let Some(text) = decode_text(bytes) else {
        return Decoded::Unreadable;
    };
    let text = saturate_big_ints(&text).unwrap_or(text);
    match serde_json::from_str(&text) {
        Ok(value) => Decoded::Json(value),
        Err(_) => match locate(&text) {
            Some((position, message)) => Decoded::Syntax { position, message },
            None => Decoded::Unreadable,
        },
    }
}

/// Python's `json.detect_encoding`, then a strict decode.
fn decode_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |big: bool, body: &[u8]| {
        if !body.len().is_multiple_of(2) {
            return None;
        }
        let units = body.chunks_exact(2).map(|pair| match (big, pair) {
            (true, [a, b]) => u16::from_be_bytes([*a, *b]),
            (_, [a, b]) => u16::from_le_bytes([*a, *b]),
            _ => 0,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    let utf32 = |big: bool, body: &[u8]| {
        if !body.len().is_multiple_of(4) {
            return None;
        }
        body.chunks_exact(4)
            .map(|quad| {
                let quad: [u8; 4] = quad.try_into().ok()?;
                let code = if big {
                    u32::from_be_bytes(quad)
                } else {
                    u32::from_le_bytes(quad)
                };
                char::from_u32(code)
            })
            .collect::<Option<String>>()
    };
    match bytes {
        [0, 0, 0xfe, 0xff, rest @ ..] => utf32(true, rest),
        [0xff, 0xfe, 0, 0, rest @ ..] => utf32(false, rest),
        [0xfe, 0xff, rest @ ..] => utf16(true, rest),
        [0xff, 0xfe, rest @ ..] => utf16(false, rest),
        [0xef, 0xbb, 0xbf, rest @ ..] => std::str::from_utf8(rest).ok().map(str::to_owned),
        [0, b, _, _, ..] if *b != 0 => utf16(true, bytes),
        [0, _, _, _, ..] => utf32(true, bytes),
        [_, 0, c, d, ..] if *c != 0 || *d != 0 => utf16(false, bytes),
        [_, 0, _, _, ..] => utf32(false, bytes),
        [0, _] => utf16(true, bytes),
        [_, 0] => utf16(false, bytes),
        _ => std::str::from_utf8(bytes).ok().map(str::to_owned),
    }
}

/// The text with every integer literal of 20 digits or more (beyond `u64`, which serde would
/// read as a float) replaced by `i64`'s bound of its sign; `None` when there is none.
fn saturate_big_ints(text: &str) -> Option<String> {
    let run = text
        .as_bytes()
        .split(|b| !b.is_ascii_digit())
        .any(|digits| digits.len() >= 20);
    if !run {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let scanner = Scanner {
        s: &chars,
        big: std::cell::RefCell::new(Vec::new()),
    };
    scanner.value(scanner.ws(0), 0).ok()?;
    let spans = scanner.big.into_inner();
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        out.extend(chars.get(at..start).unwrap_or_default());
        let negative = chars.get(start) == Some(&'-');
        out.push_str(if negative {
            "-9223372036854775808"
        } else {
            "9223372036854775807"
        });
        at = end;
    }
    out.extend(chars.get(at..).unwrap_or_default());
    Some(out)
}

type Fail = (usize, &'static str);

/// Python's deepest nesting before its scanner gives up (`RecursionError`, a 400).
const MAX_DEPTH: usize = 990;

/// Where Python's scanner stops, and why; `None` when it would parse the text.
fn locate(text: &str) -> Option<Fail> {
    let chars: Vec<char> = text.chars().collect();
    let scanner = Scanner {
        s: &chars,
        big: std::cell::RefCell::new(Vec::new()),
    };
    let start = scanner.ws(0);
    match scanner.value(start, 0) {
        Err(Stop::Fail(fail)) => Some(fail),
        Err(Stop::TooDeep) => None,
        Ok(end) => {
            let end = scanner.ws(end);
            (end != chars.len()).then_some((end, "Extra data"))
        }
    }
}

enum Stop {
    Fail(Fail),
    TooDeep,
}

impl From<Fail> for Stop {
    fn from(fail: Fail) -> Self {
        Stop::Fail(fail)
    }
}

struct Scanner<'a> {
    s: &'a [char],
    /// Where integer literals of 20 digits or more are.
    big: std::cell::RefCell<Vec<(usize, usize)>>,
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.s.get(i).copied()
    }

    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some(' ' | '\t' | '\n' | '\r')) {
            i += 1;
        }
        i
    }

    fn starts(&self, i: usize, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(k, c)| self.at(i + k) == Some(c))
    }

    /// A value starting at `i`; the index after it.
    fn value(&self, i: usize, depth: usize) -> Result<usize, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::TooDeep);
        }
        let words = [
            ("null", 'n'),
            ("true", 't'),
            ("false", 'f'),
            ("NaN", 'N'),
            ("Infinity", 'I'),
            ("-Infinity", '-'),
        ];
        match self.at(i) {
            Some('"') => Ok(self.string(i + 1)?),
            Some('{') => self.object(i + 1, depth + 1),
            Some('[') => self.array(i + 1, depth + 1),
            Some(c) => {
                if let Some((word, _)) = words
                    .iter()
                    .find(|(word, first)| *first == c && self.starts(i, word))
                {
                    return Ok(i + word.chars().count());
                }
                let end = self.number(i).ok_or(Stop::Fail((i, "Expecting value")))?;
                let literal = self.s.get(i..end).unwrap_or_default();
                let digits = literal.iter().filter(|c| c.is_ascii_digit()).count();
                if digits >= 20 && literal.iter().all(|c| c.is_ascii_digit() || *c == '-') {
                    self.big.borrow_mut().push((i, end));
                }
                Ok(end)
            }
            None => Err(Stop::Fail((i, "Expecting value"))),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, as far as it matches.
    fn number(&self, start: usize) -> Option<usize> {
        let digit = |i: usize| self.at(i).is_some_and(|c| c.is_ascii_digit());
        let digits = |mut i: usize| {
            while digit(i) {
                i += 1;
            }
            i
        };
        let mut i = start;
        if self.at(i) == Some('-') {
            i += 1;
        }
        i = match self.at(i) {
            Some('0') => i + 1,
            Some('1'..='9') => digits(i),
            _ => return None,
        };
        if self.at(i) == Some('.') && digit(i + 1) {
            i = digits(i + 1);
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.at(i + 1), Some('-' | '+')));
            if digit(i + 1 + sign) {
                i = digits(i + 1 + sign);
            }
        }
        Some(i)
    }

    /// A string whose opening quote is just before `i`; the index after its closing quote.
    fn string(&self, mut i: usize) -> Result<usize, Fail> {
        let begin = i.saturating_sub(1);
        let unterminated = (begin, "Unterminated string starting at");
        loop {
            match self.at(i) {
                None => return Err(unterminated),
                Some('"') => return Ok(i + 1),
                Some('\\') => match self.at(i + 1) {
                    None => return Err(unterminated),
                    Some('u') => {
                        let hex = (i + 2..i + 6)
                            .all(|k| self.at(k).is_some_and(|c| c.is_ascii_hexdigit()));
                        if !hex {
                            return Err((i + 1, "Invalid \\uXXXX escape"));
                        }
                        i += 6;
                    }
                    Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => i += 2,
                    Some(_) => return Err((i, "Invalid \\escape")),
                },
                Some(c) if c < ' ' => return Err((i, "Invalid control character at")),
                Some(_) => i += 1,
            }
        }
    }

    fn object(&self, i: usize, depth: usize) -> Result<usize, Stop> {
        let mut i = self.ws(i);
        if self.at(i) == Some('}') {
            return Ok(i + 1);
        }
        loop {
            if self.at(i) != Some('"') {
                return Err(Stop::Fail((
                    i,
                    "Expecting property name enclosed in double quotes",
                )));
            }
            i = self.ws(self.string(i + 1)?);
            if self.at(i) != Some(':') {
                return Err(Stop::Fail((i, "Expecting ':' delimiter")));
            }
            i = self.ws(self.value(self.ws(i + 1), depth)?);
            match self.at(i) {
                Some('}') => return Ok(i + 1),
                Some(',') => i = self.ws(i + 1),
                _ => return Err(Stop::Fail((i, "Expecting ',' delimiter"))),
            }
        }
    }

    fn array(&self, i: usize, depth: usize) -> Result<usize, Stop> {
        let mut i = self.ws(i);
        if self.at(i) == Some(']') {
            return Ok(i + 1);
        }
        loop {
            i = self.ws(self.value(i, depth)?);
            match self.at(i) {
                Some(']') => return Ok(i + 1),
                Some(',') => i = self.ws(i + 1),
                _ => return Err(Stop::Fail((i, "Expecting ',' delimiter"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    /// Python 3.11's `json.loads` on each input (position, message), learned from the real
    /// thing.
    #[rstest]
    #[case(" ", 1, "Expecting value")]
    #[case("[1,]", 3, "Expecting value")]
    #[case("{\"a\":1,}", 7, "Expecting property name enclosed in double quotes")]
    #[case("tru", 0, "Expecting value")]
    #[case("-", 0, "Expecting value")]
    #[case("01", 1, "Extra data")]
    #[case("1.", 1, "Extra data")]
    #[case("1.5e+", 3, "Extra data")]
    #[case("[1 2]", 3, "Expecting ',' delimiter")]
    #[case("{\"a\" 1}", 5, "Expecting ':' delimiter")]
    #[case("{\"a\":}", 5, "Expecting value")]
    #[case("{,}", 1, "Expecting property name enclosed in double quotes")]
    #[case("[,]", 1, "Expecting value")]
    #[case("\"\\u12\"", 2, "Invalid \\uXXXX escape")]
    #[case("\"\\u12x4\"", 2, "Invalid \\uXXXX escape")]
    #[case("\"abc\\", 0, "Unterminated string starting at")]
    #[case("\"a\nb\"", 2, "Invalid control character at")]
    #[case("{\"é\": é}", 6, "Expecting value")]
    #[case("[[[]", 4, "Expecting ',' delimiter")]
    #[case("\t\n{\"a\": 1}  x", 12, "Extra data")]
    #[case("  {\"a\"  :  1 ,  \"b\" : }", 22, "Expecting value")]
    #[case("{'a': 1}", 1, "Expecting property name enclosed in double quotes")]
    #[case("[1, 2", 5, "Expecting ',' delimiter")]
    #[case("{\"a\": \"b", 6, "Unterminated string starting at")]
    #[case("\"\\x\"", 1, "Invalid \\escape")]
    #[case("{}{}", 2, "Extra data")]
    #[case("\"\t\"", 1, "Invalid control character at")]
    #[case("[true false]", 6, "Expecting ',' delimiter")]
    #[case("{\"😀\": 1, \"b\": x}", 14, "Expecting value")]
    #[case("{\"name\": \"x\"} x", 14, "Extra data")]
    fn syntax_errors_are_reported_where_python_does(
        #[case] text: &str,
        #[case] position: usize,
        #[case] message: &'static str,
    ) {
        assert_eq!(
            decode(text.as_bytes()),
            Decoded::Syntax { position, message }
        );
    }

    #[test]
    fn encodings_python_detects_are_read() {
        let json = Decoded::Json(serde_json::json!({"a": 1}));
        assert_eq!(decode(b"\xef\xbb\xbf{\"a\": 1}"), json);
        let utf16le: Vec<u8> = "{\"a\": 1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&utf16le), json);
        let mut with_bom = vec![0xff, 0xfe];
        with_bom.extend(&utf16le);
        assert_eq!(decode(&with_bom), json);
        let big_endian: Vec<u8> = "{\"a\": 1}"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&big_endian), json);
        assert_eq!(decode(b"{\"name\": \"\xff\xfe\"}"), Decoded::Unreadable);
        assert_eq!(decode(b"NaN"), Decoded::Unreadable);
    }

    proptest::proptest! {
        #[test]
        fn decoding_never_panics_and_agrees_with_serde(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let decoded = decode(&bytes);
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                proptest::prop_assert_eq!(decoded, Decoded::Json(value));
            }
        }

        #[test]
        fn a_json_text_cut_anywhere_is_located(cut in 0usize..40) {
            let text = r#"{"name": "é", "list": [1, 2.5, true, null], "x": {"y": "\u00e9"}}"#;
            let end = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
            let head = text.get(..end).unwrap_or_default();
            if let Decoded::Syntax { position, .. } = decode(head.as_bytes()) {
                proptest::prop_assert!(position <= head.chars().count());
            } else {
                proptest::prop_assert!(serde_json::from_str::<serde_json::Value>(head).is_ok(), "{head}");
            }
        }
    }

    #[test]
    fn integers_beyond_64_bits_stay_integers() {
        let text = r#"{"a": 100000000000000000000000000000, "b": [-99999999999999999999], "c": "123456789012345678901234", "d": 1e30}"#;
        assert_eq!(
            decode(text.as_bytes()),
            Decoded::Json(serde_json::json!({
                "a": i64::MAX, "b": [i64::MIN], "c": "123456789012345678901234", "d": 1e30
            }))
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "[".repeat(200_000);
        assert_eq!(decode(deep.as_bytes()), Decoded::Unreadable);
    }
}
