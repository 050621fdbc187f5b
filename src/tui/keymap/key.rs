//! One key combination: how it is written in the config (`ctrl-s`), how it is shown
//! (`Ctrl-S`), and whether a press is it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key combination. Character keys match whatever the Shift state (the character already
/// says it: `K` is Shift-k).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub(super) const fn plain(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub(super) const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub(super) const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::ALT,
    }
}

pub(super) const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

impl Key {
    /// Whether a pressed key types a character (no Ctrl or Alt): text in a prompt or a filter.
    pub fn types_text(event: &KeyEvent) -> bool {
        matches!(event.code, KeyCode::Char(_))
            && !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Whether a pressed key types the letter `c`: how a question's answer is read (`y`, `n`).
    pub fn answers(event: &KeyEvent, c: char) -> bool {
        Key::types_text(event) && event.code == KeyCode::Char(c)
    }

    /// Whether a pressed key is this combination.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let wanted = self.mods & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let got = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                wanted == got && (a == b || (!wanted.is_empty() && a.eq_ignore_ascii_case(&b)))
            }
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) => a == b && self.mods == event.modifiers,
        }
    }

    /// Reads a key as written in the config: `ctrl-s`, `alt-1`, `f5`, `shift-tab`, `shift-up`,
    /// `esc`, `enter`, `space`, `a`, `?`, `K`. Modifiers and names are case-insensitive; a
    /// single character is taken as written (`K` is Shift-k). `ctrl--` is Ctrl and the minus key.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") && rest.len() > 5 {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= flag;
            rest = rest.get(len..).unwrap_or_default();
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err("no key after the modifiers".to_owned()),
            (Some(c), None) => {
                if c.is_control() {
                    return Err(format!("{c:?} is not a key name"));
                }
                KeyCode::Char(c)
            }
            _ => named_key(&rest.to_ascii_lowercase())
                .ok_or_else(|| format!("unknown key name {rest:?}"))?,
        };
        Ok(normalize(code, mods))
    }

    /// How the key is written in help and hints: `Ctrl-S`, `Alt-1`, `F1`, `Shift-↑`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        let code = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        out.push_str(&code);
        out
    }
}

/// Key names other than single characters.
fn named_key(name: &str) -> Option<KeyCode> {
    let code = match name {
        "esc" | "escape" => KeyCode::Esc,
        "enter" | "return" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "ins" | "insert" => KeyCode::Insert,
        "del" | "delete" => KeyCode::Delete,
        "backspace" => KeyCode::Backspace,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "minus" => KeyCode::Char('-'),
        _ => {
            let n: u8 = name.strip_prefix('f')?.parse().ok()?;
            return (1..=24).contains(&n).then_some(KeyCode::F(n));
        }
    };
    Some(code)
}

/// One spelling per key, as [`Key::matches`] sees keys: Shift on a character is in the
/// character (`shift-a` is `A`), Ctrl and Alt letters are lower case, Shift-Tab is `BackTab`.
fn normalize(code: KeyCode, mods: KeyModifiers) -> Key {
    let shifted = mods.contains(KeyModifiers::SHIFT);
    let rest = mods - KeyModifiers::SHIFT;
    match code {
        KeyCode::Char(c) if !rest.is_empty() => Key {
            code: KeyCode::Char(c.to_ascii_lowercase()),
            mods: rest,
        },
        KeyCode::Char(c) if shifted => Key {
            code: KeyCode::Char(c.to_ascii_uppercase()),
            mods: rest,
        },
        KeyCode::Tab if shifted => Key {
            code: KeyCode::BackTab,
            mods: rest,
        },
        KeyCode::BackTab => Key { code, mods: rest },
        _ => Key { code, mods },
    }
}
