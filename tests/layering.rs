//! The pure core (`src/connector*`, `src/template*`) must know nothing of terminals, HTTP,
//! async runtimes or the file system. An unchecked boundary erodes, so this test checks it.

use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &[
    "ratatui",
    "crossterm",
    "reqwest",
    "axum",
    "tokio",
    "std::fs",
    "rusqlite",
    "std::net",
    "std::process",
    "std::env",
];

fn core_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("connector.rs"), src.join("template.rs")];
    for dir in ["connector", "template"] {
        if let Ok(entries) = std::fs::read_dir(src.join(dir)) {
            files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
        }
    }
    files
}

#[test]
fn the_core_stays_pure() {
    let mut violations = Vec::new();
    for file in core_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in FORBIDDEN {
                if code.contains(word) {
                    violations.push(format!("{}:{}: {word}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "the core must stay pure:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_sees_the_core() {
    assert!(core_files().len() >= 6, "{:?}", core_files());
}
