//! Splits a pasted command into words the way its shell would: POSIX shells (bash, zsh) for
//! `Copy as cURL (bash)` and API docs, cmd.exe then the MS C runtime's argument rules for
//! `Copy as cURL (cmd)`. No crate does both (`shell-words` and `shlex` know neither `$'…'` nor
//! `^`), so this is a small hand-written tokenizer. Expansions (`$VAR`, `%VAR%`) are left as
//! text: a pasted command is data, never run.

/// Why a command could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordsError {
    #[error("a {0} quote is never closed")]
    Unclosed(&'static str),
    #[error("a word is not UTF-8 text (from an escape like \\xff)")]
    NotUtf8,
}

/// Which shell wrote the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Posix,
    Cmd,
}

/// Browsers' cmd copies start `curl ^"` and continue lines with ` ^`; a POSIX command does
/// neither outside its quotes (a quoted line ending in ` ^` would be misread).
pub fn flavour(text: &str) -> Flavour {
    let start = text.trim_start();
    let cmd = start.starts_with("curl ^\"")
        || start.starts_with("curl.exe ^\"")
        || text.lines().any(|l| l.trim_end().ends_with(" ^"));
    if cmd { Flavour::Cmd } else { Flavour::Posix }
}

pub fn split(text: &str) -> Result<Vec<String>, WordsError> {
    match flavour(text) {
        Flavour::Posix => split_posix(text),
        Flavour::Cmd => Ok(split_crt(&unescape_cmd(text))),
    }
}

/// The words being built: bytes (an escape may give part of a UTF-8 sequence) and whether a
/// word is started (`''` is an empty word, not none).
#[derive(Default)]
struct Words {
    done: Vec<Vec<u8>>,
    word: Vec<u8>,
    started: bool,
}

impl Words {
    fn push(&mut self, c: char) {
        let mut buf = [0; 4];
        self.word
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        self.started = true;
    }
    fn start(&mut self) {
        self.started = true;
    }
    fn end(&mut self) {
        if self.started {
            self.done.push(std::mem::take(&mut self.word));
            self.started = false;
        }
    }
    fn finish(mut self) -> Result<Vec<String>, WordsError> {
        self.end();
        self.done
            .into_iter()
            .map(|w| String::from_utf8(w).map_err(|_| WordsError::NotUtf8))
            .collect()
    }
}

fn split_posix(text: &str) -> Result<Vec<String>, WordsError> {
    let mut words = Words::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => words.end(),
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(other) => words.push(other),
                None => words.push('\\'),
            },
            '\'' => {
                words.start();
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => words.push(c),
                        None => return Err(WordsError::Unclosed("single")),
                    }
                }
            }
            '"' => double_quoted(&mut chars, &mut words)?,
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c(&mut chars, &mut words)?;
            }
            '$' if chars.peek() == Some(&'"') => {
                chars.next();
                double_quoted(&mut chars, &mut words)?;
            }
            '#' if !words.started => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            other => words.push(other),
        }
    }
    words.finish()
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After an opening `"`: only `\` before `$`, `` ` ``, `"`, `\` or a newline escapes.
fn double_quoted(chars: &mut Chars<'_>, words: &mut Words) -> Result<(), WordsError> {
    words.start();
    loop {
        match chars.next() {
            Some('"') => return Ok(()),
            Some('\\') => match chars.peek() {
                Some('\n') => {
                    chars.next();
                }
                Some(&c @ ('$' | '`' | '"' | '\\')) => {
                    chars.next();
                    words.push(c);
                }
                _ => words.push('\\'),
            },
            Some(c) => words.push(c),
            None => return Err(WordsError::Unclosed("double")),
        }
    }
}

/// After an opening `$'`: bash's ANSI-C escapes, which browsers use for any text holding a
/// quote, a newline or a non-printing character.
fn ansi_c(chars: &mut Chars<'_>, words: &mut Words) -> Result<(), WordsError> {
    words.start();
    loop {
        let c = chars.next().ok_or(WordsError::Unclosed("$'"))?;
        match c {
            '\'' => return Ok(()),
            '\\' => {
                let e = chars.next().ok_or(WordsError::Unclosed("$'"))?;
                let simple = match e {
                    'a' => Some('\x07'),
                    'b' => Some('\x08'),
                    'e' | 'E' => Some('\x1b'),
                    'f' => Some('\x0c'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'v' => Some('\x0b'),
                    '\\' | '\'' | '"' | '?' => Some(e),
                    _ => None,
                };
                if let Some(s) = simple {
                    words.push(s);
                    continue;
                }
                match e {
                    '0'..='7' => {
                        let digits = take_digits(chars, Some(e), 8, 3);
                        // Bash keeps the low byte of an octal escape over 0o377.
                        words.word.push((digits & 0xff) as u8);
                    }
                    'x' => push_code(chars, words, 'x', 16, 2, true),
                    'u' => push_code(chars, words, 'u', 16, 4, false),
                    'U' => push_code(chars, words, 'U', 16, 8, false),
                    'c' => match chars.next() {
                        Some(x) => words.word.push((x as u32 & 0x1f) as u8),
                        None => return Err(WordsError::Unclosed("$'")),
                    },
                    other => {
                        words.push('\\');
                        words.push(other);
                    }
                }
            }
            other => words.push(other),
        }
    }
}

/// `\xHH` is a byte; `\uHHHH` and `\UHHHHHHHH` are characters. Without digits the escape is
/// kept as written.
fn push_code(
    chars: &mut Chars<'_>,
    words: &mut Words,
    letter: char,
    radix: u32,
    max: usize,
    byte: bool,
) {
    if !chars.peek().is_some_and(|c| c.is_digit(radix)) {
        words.push('\\');
        words.push(letter);
        return;
    }
    let code = take_digits(chars, None, radix, max);
    if byte {
        words.word.push((code & 0xff) as u8);
    } else {
        words.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
}

fn take_digits(chars: &mut Chars<'_>, first: Option<char>, radix: u32, max: usize) -> u32 {
    let mut value = 0u32;
    let mut count = 0;
    if let Some(d) = first.and_then(|c| c.to_digit(radix)) {
        value = d;
        count = 1;
    }
    while count < max {
        let Some(d) = chars.peek().and_then(|c| c.to_digit(radix)) else {
            break;
        };
        chars.next();
        value = value.saturating_mul(radix).saturating_add(d);
        count += 1;
    }
    value
}

/// cmd.exe's pass: outside its quotes `^` takes the next character as it is (`^` then a
/// newline continues the line, and the character after that is taken as it is too, so
/// `^` newline newline is a newline); inside them everything is kept.
fn unescape_cmd(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' if !quoted => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    if chars.peek() == Some(&'\r') {
                        chars.next();
                    }
                    out.extend(chars.next());
                }
                Some('\n') => out.extend(chars.next()),
                Some(other) => out.push(other),
                None => {}
            },
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

/// The MS C runtime's `argv` rules: whitespace splits outside quotes; `2n` backslashes before
/// `"` are `n` backslashes and a quote that opens or closes, `2n+1` are `n` and a literal
/// `"`; other backslashes are literal; `""` inside quotes is a literal `"`.
fn split_crt(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            '\\' => {
                let mut count = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    count += 1;
                }
                started = true;
                if chars.peek() == Some(&'"') {
                    word.extend(std::iter::repeat_n('\\', count / 2));
                    if count % 2 == 1 {
                        chars.next();
                        word.push('"');
                    }
                } else {
                    word.extend(std::iter::repeat_n('\\', count));
                }
            }
            '"' => {
                started = true;
                if quoted && chars.peek() == Some(&'"') {
                    chars.next();
                    word.push('"');
                } else {
                    quoted = !quoted;
                }
            }
            other => {
                started = true;
                word.push(other);
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}
