//! Text from outside (a server's names, URLs and error bodies, a paste) made safe to show: no
//! control characters and no terminal escape sequences, so a hostile answer cannot retitle the
//! window, clear the screen or move the cursor. The editor and the CLI both show text through
//! these functions.

use std::fmt::Write as _;
use std::iter::Peekable;
use std::str::Chars;

/// `text` without escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL/ST`, DCS, SOS, PM,
/// APC, two-character escapes and their 8-bit C1 forms) and without any other C0 or C1 control
/// character; newlines and tabs are kept. A `\r` is dropped, so CRLF becomes LF.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// [`plain_text`] on one line: newlines and tabs become spaces.
pub fn plain_line(text: &str) -> String {
    plain_text(text).replace(['\n', '\t'], " ")
}

/// Serialized JSON made safe for a terminal without changing what it means: `serde_json`
/// escapes C0 controls but writes DEL and C1 controls (U+007F–U+009F) raw, and those can only
/// occur inside strings, where `\u00XX` is the same character.
pub fn json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// After an ESC: the rest of the sequence it starts.
fn skip_escape(chars: &mut Peekable<Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // `ESC ( B`, `ESC # 8`: intermediates, then one final character.
        Some(' '..='/') => {
            while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
            chars.next_if(|c| matches!(c, '0'..='~'));
        }
        // `ESC c`, `ESC 7`, `ESC =`.
        Some('0'..='~') => {
            chars.next();
        }
        // A lone ESC: dropped by itself.
        _ => {}
    }
}

/// A control sequence's parameters and intermediates, then its final character. A malformed
/// sequence ends at the first character that cannot belong to it, which is kept.
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// An OSC, DCS, SOS, PM or APC string, up to its terminator (BEL, `ESC \` or ST). Any other
/// control character also ends it (and is then handled as itself), so an unterminated string
/// cannot hide the lines after it.
fn skip_string(chars: &mut Peekable<Chars<'_>>) {
    while chars.next_if(|c| !c.is_control()).is_some() {}
    match chars.peek().copied() {
        Some('\u{7}' | '\u{9c}') => {
            chars.next();
        }
        Some('\u{1b}') => {
            let mut ahead = chars.clone();
            ahead.next();
            if ahead.peek() == Some(&'\\') {
                chars.next();
                chars.next();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole() {
        // A window title, a screen clear, colours, a cursor move and a charset switch.
        let hostile =
            "evil\u{1b}]2;pwned\u{7} name\u{1b}[2J\u{1b}[1;31mred\u{1b}[0m\u{1b}[10;5H\u{1b}(Bok";
        assert_eq!(plain_text(hostile), "evil nameredok");
        // OSC ended by ST, a hyperlink (OSC 8), DCS, a two-character escape.
        assert_eq!(
            plain_text(
                "a\u{1b}]8;;http://x/\u{1b}\\link\u{1b}]8;;\u{1b}\\b\u{1b}Pq#0\u{1b}\\c\u{1b}cd"
            ),
            "alinkbcd"
        );
    }

    #[test]
    fn c1_forms_and_other_controls_go_too() {
        assert_eq!(
            plain_text("a\u{9b}31mb\u{9d}0;title\u{9c}c\u{85}d\u{7f}e\u{0}\u{7}\u{8}f"),
            "abcdef"
        );
        assert_eq!(
            plain_text("line 1\r\nline 2\n\tindented"),
            "line 1\nline 2\n\tindented"
        );
        assert_eq!(plain_line("a\nb\tc"), "a b c");
    }

    #[test]
    fn unterminated_and_truncated_sequences_hide_nothing_after_a_line_end() {
        assert_eq!(plain_text("a\u{1b}]2;title\nnext"), "a\nnext");
        assert_eq!(plain_text("a\u{1b}["), "a");
        assert_eq!(plain_text("a\u{1b}"), "a");
        // A malformed CSI keeps the character that ends it.
        assert_eq!(plain_text("a\u{1b}[12é"), "aé");
        assert_eq!(plain_text("ünïcødé ✓ 名前"), "ünïcødé ✓ 名前");
    }

    #[test]
    fn json_text_escapes_c1_and_keeps_the_meaning() {
        let value = serde_json::json!({"name": "a\u{9b}2J\u{7f}\u{1b}"});
        let text = json_text(&value.to_string());
        assert!(!text.chars().any(char::is_control), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
