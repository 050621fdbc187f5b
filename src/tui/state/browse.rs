//! What the browse filter matches each entry against.

use super::{BrowseEntry, ImportKind};

impl BrowseEntry<'_> {
    /// The words a `/` filter looks in: what the row shows, without its layout.
    pub fn search_text(&self) -> String {
        match self {
            BrowseEntry::Remote(item) => format!(
                "{} {} {} {} {}",
                item.id, item.name, item.method, item.url, item.state
            ),
            BrowseEntry::File(item) | BrowseEntry::Example(item) => {
                format!("{} {}", item.path.display(), item.summary)
            }
            BrowseEntry::New(vendor) => format!("new empty {} connector", vendor.spec().label),
            BrowseEntry::Import(ImportKind::Curl) => "import curl".to_owned(),
            BrowseEntry::Import(ImportKind::OpenApi) => "import OpenAPI".to_owned(),
        }
    }
}
