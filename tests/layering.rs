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
    let mut dirs = vec![src.join("connector"), src.join("template")];
    // Submodules live in folders of their own (`connector/import_curl/`): walk them too.
    while let Some(dir) = dirs.pop() {
        for path in std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
        {
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
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
