//! The file a pulled connector gets in a workspace folder: its name made safe for every file
//! system (lower-case ASCII letters, digits and dashes), numbered when taken. Pure: the
//! caller says which names are taken.

use super::{Connector, FieldKind};
use std::collections::HashSet;

/// Longest stem written, so a long name still fits every file system's limit.
const MAX_STEM: usize = 60;

/// The stem of a connector's file: its name (Agent Stack connectors have none: the `name` in
/// their string map, `metadata.name`, else the URL without its scheme), slugified: the first
/// that leaves something, else `connector`.
pub fn stem_for(connector: &Connector) -> String {
    let spec = connector.spec();
    let metadata_name = spec
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::StringMap { .. }))
        .find_map(|f| connector.fields.get(f.key)?.get("name")?.as_str());
    let url = spec
        .request
        .and_then(|r| connector.text(r.url))
        .map(|u| u.split_once("://").map_or(u, |(_, rest)| rest));
    let name = spec.name_field.and_then(|key| connector.text(key));
    [name, metadata_name, url]
        .into_iter()
        .flatten()
        .map(slug)
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "connector".to_owned())
}

/// Lower-case ASCII letters and digits, anything else one dash, at most [`MAX_STEM`] long.
fn slug(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
        if stem.len() >= MAX_STEM {
            break;
        }
    }
    stem.trim_end_matches('-').to_owned()
}

/// `STEM.json`, or `STEM-2.json`, `STEM-3.json`, … when taken. `taken` holds lower-cased file
/// names (case-insensitive file systems would otherwise merge two).
pub fn unique_file_name<S: std::hash::BuildHasher>(
    stem: &str,
    taken: &HashSet<String, S>,
) -> String {
    let free = |name: &String| {
        let samples = format!("{}.samples.json", name.trim_end_matches(".json"));
        !taken.contains(name) && !taken.contains(&samples)
    };
    // One more candidate than names taken: at least one of them is free.
    std::iter::once(format!("{stem}.json"))
        .chain((2..=taken.len() + 2).map(|n| format!("{stem}-{n}.json")))
        .find(free)
        .unwrap_or_else(|| format!("{stem}.json"))
}
