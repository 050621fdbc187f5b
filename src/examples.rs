//! The example connectors, compiled into the binary (from `assets/connectors/`), so an
//! installed patchcord has them wherever it runs: the editor's browse screen lists them and
//! `patchcord new --example NAME` writes one out.

use crate::connector::{self, Connector, ParseError};
use crate::template::Samples;

/// One bundled example: its name (the file stem), the connector file, its samples file and
/// the rows file to try it over (`NAME.rows.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub name: &'static str,
    pub connector: &'static str,
    pub samples: Option<&'static str>,
    pub rows: Option<&'static str>,
}

macro_rules! example {
    ($name:literal) => {
        Example {
            name: $name,
            connector: include_str!(concat!("../assets/connectors/", $name, ".json")),
            samples: None,
            rows: None,
        }
    };
    ($name:literal, samples) => {
        Example {
            name: $name,
            connector: include_str!(concat!("../assets/connectors/", $name, ".json")),
            samples: Some(include_str!(concat!(
                "../assets/connectors/",
                $name,
                ".samples.json"
            ))),
            rows: None,
        }
    };
    ($name:literal, samples, rows) => {
        Example {
            rows: Some(include_str!(concat!(
                "../assets/connectors/",
                $name,
                ".rows.csv"
            ))),
            ..example!($name, samples)
        }
    };
}

/// Every example, sorted by name (a test checks this matches `assets/connectors/`).
pub const ALL: &[Example] = &[
    example!("cargo-http"),
    example!("company-enrich", samples, rows),
    example!("company-lookup", samples),
    example!("demo-score", samples),
    example!("mcp-server"),
    example!("person-enrich", samples, rows),
    example!("scoring"),
];

/// The example called `name` (`scoring` or `scoring.json`).
pub fn find(name: &str) -> Option<&'static Example> {
    let name = name.strip_suffix(".json").unwrap_or(name);
    ALL.iter().find(|e| e.name == name)
}

/// The names, for messages: `cargo-http, company-lookup, ...`.
pub fn names() -> String {
    ALL.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
}

impl Example {
    /// The file name it is written out as: `scoring.json`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.name)
    }

    /// The rows file's name beside a connector written to `path`: `x.json` → `x.rows.csv`.
    pub fn rows_path(path: &std::path::Path) -> std::path::PathBuf {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        path.with_file_name(format!("{stem}.rows.csv"))
    }

    /// The connector and its samples, parsed.
    pub fn load(&self) -> Result<(Connector, Samples), ParseError> {
        let connector = connector::parse_file(self.connector.as_bytes())?;
        let samples = match self.samples {
            Some(text) => connector::parse_samples(text.as_bytes())?,
            None => Samples::new(),
        };
        Ok((connector, samples))
    }

    /// `Databar · My Scoring API · POST https://...`, as the browse screen lists it.
    pub fn summary(&self) -> String {
        match self.load() {
            Ok((connector, _)) => summary(&connector),
            Err(error) => format!("not a connector: {error}"),
        }
    }
}

/// One line naming a connector: vendor, name, method and URL.
pub fn summary(connector: &Connector) -> String {
    let mut summary = format!("{} · {}", connector.spec().label, connector.display_name());
    if let Some(method) = connector.text("method") {
        summary.push_str(" · ");
        summary.push_str(&method.to_uppercase());
    }
    if let Some(url) = connector.text("url") {
        summary.push(' ');
        summary.push_str(url);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_embedded_and_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/connectors");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("assets/connectors")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                std::path::Path::new(n)
                    .extension()
                    .is_some_and(|x| x == "json")
                    && !n.ends_with(".samples.json")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = ALL.iter().map(Example::file_name).collect();
        assert_eq!(embedded, on_disk);
        for example in ALL {
            let (_, samples) = example.load().expect(example.name);
            assert_eq!(
                samples.is_empty(),
                example.samples.is_none(),
                "{}",
                example.name
            );
        }
        assert_eq!(find("scoring.json").map(|e| e.name), Some("scoring"));
        assert_eq!(
            Example::rows_path(std::path::Path::new("d/x.json")),
            std::path::Path::new("d/x.rows.csv")
        );
    }

    #[test]
    fn every_rows_file_is_embedded_and_fills_its_connector() {
        use crate::connector::rows;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/connectors");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("assets/connectors")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".rows.csv").map(str::to_owned))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = ALL
            .iter()
            .filter(|e| e.rows.is_some())
            .map(|e| e.name)
            .collect();
        assert_eq!(embedded, on_disk);
        for example in ALL {
            let Some(text) = example.rows else { continue };
            let (connector, _) = example.load().expect(example.name);
            let table = rows::parse(text.as_bytes(), rows::RowsFormat::Csv).expect(example.name);
            let coverage = rows::coverage(&rows::slots(&connector), &table.columns);
            assert!(
                coverage.unfilled_slots.is_empty(),
                "{}: {coverage:?}",
                example.name
            );
            assert!(table.rows.len() >= 10, "{}", example.name);
        }
        assert!(find("nope").is_none());
    }
}
