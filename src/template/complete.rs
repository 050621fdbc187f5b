//! Completion of the name being typed in a tag: a variable (from the samples and the template),
//! a filter after `|`, a test after `is`. Pure: the editor asks with the line up to the cursor.

/// minijinja's built-in filters (with the `json` feature's `tojson`), as `environment()` has them.
pub const FILTERS: &[&str] = &[
    "abs",
    "attr",
    "batch",
    "bool",
    "capitalize",
    "chain",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "format",
    "groupby",
    "indent",
    "int",
    "items",
    "join",
    "last",
    "length",
    "lines",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "pprint",
    "reject",
    "rejectattr",
    "replace",
    "reverse",
    "round",
    "safe",
    "select",
    "selectattr",
    "slice",
    "sort",
    "split",
    "string",
    "sum",
    "title",
    "tojson",
    "trim",
    "unique",
    "upper",
    "zip",
];

/// minijinja's built-in tests.
pub const TESTS: &[&str] = &[
    "boolean",
    "defined",
    "divisibleby",
    "endingwith",
    "eq",
    "equalto",
    "escaped",
    "even",
    "false",
    "filter",
    "float",
    "ge",
    "greaterthan",
    "gt",
    "in",
    "integer",
    "iterable",
    "le",
    "lessthan",
    "lower",
    "lt",
    "mapping",
    "ne",
    "none",
    "number",
    "odd",
    "safe",
    "sameas",
    "sequence",
    "startingwith",
    "string",
    "test",
    "true",
    "undefined",
    "upper",
];

/// The most names offered at once.
const MAX_ITEMS: usize = 6;

/// Names that complete the word before the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The word typed so far (what a chosen name replaces).
    pub word: String,
    /// Matching names, best first.
    pub items: Vec<String>,
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// What completes the word that ends `head` (a line up to the cursor), when it is inside a
/// `{{ }}` or `{% %}` tag: filters after `|`, tests after `is` (or `is not`), nothing after a
/// `.` (an attribute), else the `variables` given. `None` when nothing matches or the word is
/// already whole.
pub fn complete(head: &str, variables: &[String]) -> Option<Completion> {
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map(|(i, _)| i)?;
    let word = head.get(start..)?;
    let before = head.get(..start)?;
    if word.starts_with(|c: char| c.is_ascii_digit()) || !inside_tag(before) {
        return None;
    }
    let context = before.trim_end();
    let names: Vec<&str> = if context.ends_with('|') {
        FILTERS.to_vec()
    } else if ends_with_word(context, "is")
        || context
            .strip_suffix("not")
            .is_some_and(|c| ends_with_word(c.trim_end(), "is"))
    {
        TESTS.to_vec()
    } else if context.ends_with('.') {
        return None;
    } else {
        variables.iter().map(String::as_str).collect()
    };
    let mut items: Vec<String> = names
        .into_iter()
        .filter(|n| n.starts_with(word) && *n != word)
        .map(str::to_owned)
        .collect();
    items.sort_by_key(|n| (n.len(), n.clone()));
    items.dedup();
    items.truncate(MAX_ITEMS);
    (!items.is_empty()).then(|| Completion {
        word: word.to_owned(),
        items,
    })
}

/// Whether a tag is open at the end of `text` (its last `{{` or `{%` not closed after it).
fn inside_tag(text: &str) -> bool {
    let open = [text.rfind("{{"), text.rfind("{%")]
        .into_iter()
        .flatten()
        .max();
    let close = [text.rfind("}}"), text.rfind("%}")]
        .into_iter()
        .flatten()
        .max();
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word)
        .is_some_and(|rest| !rest.ends_with(is_name_char))
}

/// The name under (or just before) a cursor at character `col` of `line`, if any.
pub fn name_at(line: &str, col: usize) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let at = col.min(chars.len());
    let start = (0..at)
        .rev()
        .take_while(|i| is_name_char(chars[*i]))
        .last()
        .unwrap_or(at);
    let end = (at..chars.len())
        .take_while(|i| is_name_char(chars[*i]))
        .last()
        .map_or(at, |i| i + 1);
    (start < end).then(|| chars[start..end].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(head: &str) -> Vec<String> {
        let vars = vec!["domain".to_owned(), "depth".to_owned(), "size".to_owned()];
        complete(head, &vars).map(|c| c.items).unwrap_or_default()
    }

    #[test]
    fn variables_filters_and_tests_by_context() {
        assert_eq!(items("{\"a\": {{ d"), ["depth", "domain"]);
        assert_eq!(items("{{ domain|to"), ["tojson"]);
        assert_eq!(items("{{ domain | up"), ["upper"]);
        assert_eq!(items("{% if size is def"), ["defined"]);
        assert_eq!(items("{% if size is not def"), ["defined"]);
        assert!(
            items("{{ company.d").is_empty(),
            "an attribute is not a variable"
        );
        assert!(items("\"d").is_empty(), "outside a tag");
        assert!(items("{{ x }} d").is_empty(), "after a closed tag");
        assert!(items("{{ domain").is_empty(), "already whole");
        assert!(items("{{ 1").is_empty());
    }

    #[test]
    fn every_listed_filter_and_test_is_one_minijinja_knows() {
        for f in FILTERS {
            let result = crate::template::check(&format!("{{{{ x|{f} }}}}"));
            assert!(result.is_ok(), "{f}: {result:?}");
            let rendered = crate::template::render(
                &format!("{{{{ [1]|{f} }}}}"),
                &crate::template::Samples::new(),
            );
            assert!(
                !format!("{rendered:?}").contains("unknown filter"),
                "{f}: {rendered:?}"
            );
        }
        for t in TESTS {
            let rendered = crate::template::render(
                &format!("{{{{ 1 is {t} }}}}"),
                &crate::template::Samples::new(),
            );
            assert!(
                !format!("{rendered:?}").contains("unknown test"),
                "{t}: {rendered:?}"
            );
        }
    }

    #[test]
    fn the_name_under_the_cursor() {
        assert_eq!(name_at("{{ domain|x }}", 5).as_deref(), Some("domain"));
        assert_eq!(name_at("{{ domain }}", 9).as_deref(), Some("domain"));
        assert_eq!(name_at("{{ domain }}", 1), None);
    }
}
