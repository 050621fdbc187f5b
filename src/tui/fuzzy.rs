//! Fuzzy filtering of short lists (the command palette; later browse and help), with
//! `nucleo-matcher`, the matcher of helix and television: smart case, Unicode-normalised,
//! best match first, ties in the list's own order.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The indices of the items that match `query`, best first. An empty query keeps them all,
/// in order.
pub fn filter<'a>(query: &str, items: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, u32)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, text)| {
            pattern
                .score(Utf32Str::new(text, &mut buf), &mut matcher)
                .map(|score| (i, score))
        })
        .collect();
    // A stable sort: equal scores stay in the list's order.
    scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn letters_in_order_match_and_the_best_comes_first() {
        let items = [
            "save the connector file",
            "review then submit",
            "suspend to the shell",
        ];
        assert_eq!(filter("", items), [0, 1, 2]);
        assert_eq!(filter("sub", items), [1]);
        assert_eq!(filter("su", items).len(), 2);
        assert!(filter("zzz", items).is_empty());
    }
}
