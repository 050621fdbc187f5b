//! How footers, toasts and hints name a key: by its default spelling in a context, answered with
//! the key bound there now. A text says `Esc` or `Ctrl-R` as the tables write it by default, so
//! it reads the same whether the row is a binding or a fixed row (and keeps working when a fixed
//! row becomes a binding); a rebound key is named as the user bound it.

use super::{Context, Key, Keymap, fixed_rows};

impl Keymap {
    /// The key `default` names in `context` as bound now: `Esc`, `Ctrl-R`, `n/Esc`, `↑↓ PgUp`.
    /// Keys the tables do not hold, and any key with no context (`None`: a key no table holds
    /// yet), are kept as written.
    pub fn key(&self, context: impl Into<Option<Context>>, default: &str) -> String {
        let context = context.into();
        default
            .split(' ')
            .map(|group| {
                let mut named: Vec<String> = Vec::new();
                for token in alternatives(group) {
                    let now = context
                        .and_then(|c| self.resolve(c, token))
                        .unwrap_or_else(|| token.to_owned());
                    if !named.contains(&now) {
                        named.push(now);
                    }
                }
                named.join("/")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A footer from `(keys, what)` pairs: `Enter save · Esc cancel`. An empty key leaves the
    /// text alone (`type to filter`).
    pub fn pairs(&self, context: impl Into<Option<Context>>, pairs: &[(&str, &str)]) -> String {
        let context = context.into();
        pairs
            .iter()
            .map(|(keys, what)| {
                if keys.is_empty() {
                    (*what).to_owned()
                } else {
                    format!("{} {what}", self.key(context, keys))
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The row of `context` (its own, then those of the context it falls back to, as `lookup`
    /// does) whose default keys include `token`: a binding answers with its keys now, a fixed
    /// row with the token.
    pub fn resolve(&self, context: Context, token: &str) -> Option<String> {
        // `↑↓` names two rows, ↑'s and ↓'s (shown as one hint): each arrow on its own.
        let arrows: Vec<char> = token.chars().collect();
        if arrows.len() > 1 && arrows.iter().all(|c| "↑↓←→".contains(*c)) {
            let named = (arrows.iter())
                .map(|c| self.resolve(context, &c.to_string()))
                .collect::<Option<Vec<String>>>()?;
            let glyphs = named.iter().all(|n| n.chars().count() == 1);
            return Some(named.join(if glyphs { "" } else { "/" }));
        }
        let bound = |wanted: Context| {
            self.bindings()
                .filter(|(b, _)| b.context == wanted)
                .find(|(b, _)| b.keys.iter().any(|k| k.label() == token))
                .map(|(b, keys)| {
                    if keys == b.keys {
                        token.to_owned()
                    } else {
                        keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
                    }
                })
        };
        let fixed = || {
            fixed_rows(context)
                .any(|f| f.keys.split(' ').any(|k| k == token))
                .then(|| token.to_owned())
        };
        bound(context)
            .or_else(fixed)
            .or_else(|| context.fallback().and_then(bound))
    }
}

/// The keys of `n/Esc`, one by one; `/` alone is the slash key.
pub fn alternatives(group: &str) -> Vec<&str> {
    if group == "/" {
        vec![group]
    } else {
        group.split('/').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Action, Context, Keymap};

    fn rebound(action: &str, keys: &[&str]) -> Keymap {
        let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
        Keymap::with_overrides([(action, keys.as_slice())]).unwrap()
    }

    #[test]
    fn a_default_key_is_named_as_written() {
        let map = Keymap::default();
        assert_eq!(map.key(Context::Global, "Ctrl-R"), "Ctrl-R");
        assert_eq!(map.key(Context::Review, "Enter"), "Enter");
        assert_eq!(map.key(Context::Prompt, "Esc"), "Esc");
        assert_eq!(map.key(Context::Results, "↑↓ PgUp PgDn"), "↑↓ PgUp PgDn");
        assert_eq!(
            map.pairs(Context::Prompt, &[("Enter", "save"), ("Esc", "cancel")]),
            "Enter save · Esc cancel"
        );
        assert_eq!(
            map.pairs(Context::Lists, &[("", "type to filter")]),
            "type to filter"
        );
    }

    #[test]
    fn a_rebound_key_is_named_as_bound() {
        let map = rebound("submit", &["f9"]);
        assert_eq!(map.key(Context::Global, "Ctrl-R"), "F9");
        // A non-modal context sees the global keys.
        assert_eq!(map.key(Context::Table, "Ctrl-R"), "F9");
        let map = rebound("confirm", &["ctrl-g", "f10"]);
        assert_eq!(
            map.pairs(Context::Review, &[("Enter", "send"), ("Esc", "back")]),
            "Ctrl-G/F10 send · Esc back"
        );
        assert_eq!(map.keys_for(Context::Review, Action::Confirm), "Ctrl-G/F10");
    }

    #[test]
    fn two_default_keys_of_one_rebound_row_are_named_once() {
        let map = rebound("quit", &["f12"]);
        assert_eq!(map.key(Context::Global, "Ctrl-Q/Ctrl-C"), "F12");
    }

    #[test]
    fn browse_names_the_list_keys_it_falls_back_to() {
        let map = rebound("page_up", &["f9"]);
        assert_eq!(map.key(Context::Browse, "PgUp"), "F9");
    }

    #[test]
    fn a_modal_context_does_not_see_the_global_keys() {
        let map = rebound("submit", &["f9"]);
        assert_eq!(map.resolve(Context::Review, "Ctrl-R"), None);
        assert_eq!(map.key(Context::Review, "Ctrl-R"), "Ctrl-R");
    }
}
