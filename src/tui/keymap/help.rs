//! The keymap as people read it: the help overlay's sections (searchable) and the README's
//! key table and `[keys]` action list, all generated from the table.

use super::{CONTEXTS, Context, Key, Keymap, action_names, fixed_rows};
use std::fmt::Write as _;

impl Keymap {
    /// The help overlay's text: one `(section, [(keys, help)])` per context, in table order.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        CONTEXTS
            .into_iter()
            .map(|context| {
                let fixed = fixed_rows(context).map(|f| (f.keys.to_owned(), f.help));
                let rows = self.help_rows(context).into_iter().chain(fixed);
                (context.title(), rows.collect())
            })
            .collect()
    }

    /// A context's bound rows for the help: adjacent rows with one help text are one row,
    /// their keys by rank (`↑ ↓ k j`: the first keys, then the second ones).
    fn help_rows(&self, context: Context) -> Vec<(String, &'static str)> {
        let mut groups: Vec<(Vec<&[Key]>, &'static str)> = Vec::new();
        for (b, keys) in self.bindings().filter(|(b, _)| b.context == context) {
            match groups.last_mut() {
                Some((group, help)) if *help == b.help && !keys.is_empty() => group.push(keys),
                _ => groups.push((vec![keys], b.help)),
            }
        }
        groups
            .into_iter()
            .map(|(group, help)| {
                let deepest = group.iter().map(|k| k.len()).max().unwrap_or(0);
                let labels: Vec<String> = (0..deepest)
                    .flat_map(|rank| group.iter().filter_map(move |keys| keys.get(rank)))
                    .map(Key::label)
                    .collect();
                let keys = if labels.is_empty() {
                    "keys".to_owned()
                } else {
                    labels.join(" ")
                };
                (keys, help)
            })
            .collect()
    }

    /// The help sections with only the rows `query` matches (fuzzy, on keys and text), in
    /// their order; sections left empty go. An empty query keeps everything.
    pub fn help_matching(&self, query: &str) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        self.help_sections()
            .into_iter()
            .filter_map(|(title, rows)| {
                let texts: Vec<String> = rows.iter().map(|(k, h)| format!("{k} {h}")).collect();
                let mut keep = crate::tui::fuzzy::filter(query, texts.iter().map(String::as_str));
                keep.sort_unstable();
                let rows: Vec<_> = keep
                    .into_iter()
                    .filter_map(|i| rows.get(i).cloned())
                    .collect();
                (!rows.is_empty()).then_some((title, rows))
            })
            .collect()
    }
}

/// The `[keys]` action names as a Markdown list, for the README.
pub fn action_names_markdown() -> String {
    let names: Vec<String> = action_names().iter().map(|n| format!("`{n}`")).collect();
    format!("Actions: {}.", names.join(", "))
}

/// The keymap as a Markdown table, for the README.
pub fn markdown() -> String {
    let mut out = String::from("| where | keys | what |\n| --- | --- | --- |\n");
    for (section, rows) in Keymap::default().help_sections() {
        for (keys, help) in rows {
            let _ = writeln!(out, "| {section} | {keys} | {help} |");
        }
    }
    out
}
