//! Reading the ids a connector file records, for the test files that check them
//! (`#[path]`-included, so files that do not are not warned about it).

/// A file's `$patchcord` metadata (or its `ids`) without the base recorded with each id
/// (`synced`: hashes of what was last in step), for tests about which ids are recorded where.
pub fn without_bases(meta: &serde_json::Value) -> serde_json::Value {
    let mut meta = meta.clone();
    let ids = match meta.get_mut("ids") {
        Some(ids) => ids,
        None => &mut meta,
    };
    if let Some(entries) = ids.as_array_mut() {
        for entry in entries
            .iter_mut()
            .filter_map(serde_json::Value::as_object_mut)
        {
            entry.remove("synced");
        }
    }
    meta
}
