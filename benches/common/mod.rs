//! Inputs shared by the benchmarks, so the core and editor figures measure the same thing: the
//! vendor's example connector with a JSON template of exactly 2048 characters (its limit) and a
//! sample value for each of the template's 12 variables.

use patchcord::connector::{self, Connector};
use patchcord::template::Samples;
use std::fmt::Write;

/// A realistic JSON template padded to exactly 2048 characters.
pub fn template_2048() -> String {
    let mut source = String::from("{\n");
    let mut i = 0;
    while source.chars().count() < 1900 {
        let _ = writeln!(source, "  \"field_{i}\": {{{{ var_{}|tojson }}}},", i % 12);
        i += 1;
    }
    source.push_str("  \"done\": true\n}");
    while source.chars().count() < 2048 {
        source.insert(2, ' ');
    }
    source
}

pub fn samples() -> Samples {
    (0..12)
        .map(|i| (format!("var_{i}"), format!("value {i}")))
        .collect()
}

/// The seed's "My Scoring API" with the 2048-character template set.
pub fn scoring_with_template() -> Connector {
    let bytes = include_bytes!("../../assets/connectors/scoring.json");
    let mut connector =
        connector::parse_file(bytes).unwrap_or_else(|_| Connector::new(connector::Vendor::Databar));
    connector.set("body_template", template_2048().into());
    connector
}
