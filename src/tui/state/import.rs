//! The browse screen's import entries: what each imports, and the OpenAPI import's list of a
//! document's operations, filtered by what is typed (as a substring, or, when nothing holds
//! it so, the editor's fuzzy matcher).

use super::LineInput;
use crate::connector::import_openapi::{Operation, Spec};

/// What an import entry of the browse list imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// A pasted (or typed) curl command.
    Curl,
    /// An operation of an OpenAPI document, picked from its list.
    OpenApi,
}

/// A document's operations to pick from.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationPick {
    /// What the path prompt held (the path, maybe a base URL after it), to go back to.
    pub source: String,
    pub spec: Box<Spec>,
    pub operations: Vec<Operation>,
    pub filter: LineInput,
    /// Index into [`OperationPick::matches`].
    pub selected: usize,
    /// Why the last Enter imported nothing.
    pub error: Option<String>,
}

impl OperationPick {
    pub fn new(source: String, spec: Spec, operations: Vec<Operation>, filter: &str) -> Self {
        OperationPick {
            source,
            spec: Box::new(spec),
            operations,
            filter: LineInput::new(filter),
            selected: 0,
            error: None,
        }
    }

    /// The operations the filter keeps, best match first (the document's order among
    /// equals): those holding it as a substring (earliest first), or, when none does, the
    /// fuzzy matches of the editor's one matcher (`tui::fuzzy`, as the palette uses).
    pub fn matches(&self) -> Vec<&Operation> {
        let needle = self.filter.text.trim().to_lowercase();
        let haystacks: Vec<String> = self
            .operations
            .iter()
            .map(|o| o.haystack().to_lowercase())
            .collect();
        let mut substring: Vec<(usize, &Operation)> = haystacks
            .iter()
            .zip(&self.operations)
            .filter_map(|(h, o)| h.find(&needle).map(|at| (at, o)))
            .collect();
        if !substring.is_empty() {
            substring.sort_by_key(|(at, _)| *at);
            return substring.into_iter().map(|(_, o)| o).collect();
        }
        crate::tui::fuzzy::filter(&needle, haystacks.iter().map(String::as_str))
            .into_iter()
            .filter_map(|i| self.operations.get(i))
            .collect()
    }

    pub fn chosen(&self) -> Option<&Operation> {
        self.matches().get(self.selected).copied()
    }
}

/// What the path prompt says: the document's path, then, optionally, a base URL (a word
/// with `://`) and path parameter values (`petId=10`), in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecSource<'a> {
    pub path: &'a str,
    pub base_url: Option<&'a str>,
    pub path_values: Vec<(String, String)>,
}

pub fn spec_source(text: &str) -> SpecSource<'_> {
    let mut source = SpecSource {
        path: text.trim(),
        base_url: None,
        path_values: Vec::new(),
    };
    while let Some((rest, word)) = source.path.rsplit_once(char::is_whitespace) {
        if word.contains("://") && source.base_url.is_none() {
            source.base_url = Some(word);
        } else if let Some((name, value)) = word.split_once('=')
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.".contains(c))
        {
            source
                .path_values
                .insert(0, (name.to_owned(), value.to_owned()));
        } else {
            break;
        }
        source.path = rest.trim_end();
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_and_path_values_may_follow_the_path() {
        let plain = spec_source(" api.yaml ");
        assert_eq!((plain.path, plain.base_url), ("api.yaml", None));
        let full = spec_source("my api.yaml https://x.test petId=10 user_name=a=b");
        assert_eq!(full.path, "my api.yaml");
        assert_eq!(full.base_url, Some("https://x.test"));
        assert_eq!(
            full.path_values,
            [
                ("petId".to_owned(), "10".to_owned()),
                ("user_name".to_owned(), "a=b".to_owned())
            ]
        );
    }
}
