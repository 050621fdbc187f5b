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

// ---- The crate's own arrows: which module file imports which. ----

type Module = Vec<String>;

/// Every non-test source file by its module path (`src/tui/view/form.rs` is `tui::view::form`).
fn modules() -> std::collections::BTreeMap<Module, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = std::collections::BTreeMap::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(dir).expect("src is readable");
        for path in entries.map(|e| e.expect("src entries are readable").path()) {
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "tests") {
                    dirs.push(path);
                }
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .expect("under src")
                .with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "tests") {
                continue;
            }
            if module
                .last()
                .is_some_and(|m| m == "lib" || m == "main" || m == "mod")
            {
                module.pop();
            }
            out.insert(module, path);
        }
    }
    out
}

/// The code of a file without comments and without its inline test module.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source files are readable");
    // An inline test module ends the file's code; `#[cfg(test)] mod tests;` is only a line.
    let code = text
        .split_inclusive("#[cfg(test)]")
        .scan(false, |ended, part| {
            *ended = *ended || part.trim_start().starts_with("mod tests {");
            Some(if *ended { "" } else { part })
        })
        .collect::<String>();
    code.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names through `crate::` and `super::`, resolved to module paths (groups
/// `crate::{a, b::c}` one level deep).
fn named_paths(module: &Module, code: &str) -> Vec<Module> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = |i: usize, word: &str| {
            bytes[i..].iter().take(word.len()).copied().eq(word.chars())
                && (i == 0 || !ident(bytes[i - 1]))
        };
        if !(starts(i, "crate::") || starts(i, "super::")) {
            i += 1;
            continue;
        }
        let mut base: Module = if starts(i, "crate::") {
            i += "crate::".len();
            Vec::new()
        } else {
            module.clone()
        };
        // `super::super::x`: each `super` is one step up.
        while starts(i, "super::") {
            base.pop();
            i += "super::".len();
        }
        let read_path = |i: &mut usize| {
            let mut segs = Vec::new();
            loop {
                let start = *i;
                while *i < bytes.len() && ident(bytes[*i]) {
                    *i += 1;
                }
                if *i == start {
                    break;
                }
                segs.push(bytes[start..*i].iter().collect::<String>());
                if bytes[*i..].starts_with(&[':', ':'])
                    && bytes.get(*i + 2).copied().is_some_and(ident)
                {
                    *i += 2;
                } else {
                    break;
                }
            }
            segs
        };
        let head = read_path(&mut i);
        let mut prefix = base.clone();
        prefix.extend(head);
        if bytes[i..].starts_with(&[':', ':', '{']) {
            i += 3;
            loop {
                while i < bytes.len() && (bytes[i].is_whitespace() || bytes[i] == ',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == '}' {
                    break;
                }
                let item = read_path(&mut i);
                if item.is_empty() {
                    i += 1;
                    continue;
                }
                let mut full = prefix.clone();
                full.extend(item.into_iter().filter(|s| s != "self"));
                out.push(full);
            }
        } else {
            out.push(prefix);
        }
    }
    out
}

/// Who imports whom, between files: `a -> b` when a file names an item of another file's
/// module (the longest module path that is a file).
fn arrows() -> std::collections::BTreeMap<Module, std::collections::BTreeSet<Module>> {
    let modules = modules();
    let mut out = std::collections::BTreeMap::new();
    for (module, path) in &modules {
        let targets: &mut std::collections::BTreeSet<Module> =
            out.entry(module.clone()).or_default();
        for named in named_paths(module, &code_of(path)) {
            let hit = (0..=named.len())
                .rev()
                .map(|n| named[..n].to_vec())
                .find(|prefix| modules.contains_key(prefix));
            if let Some(target) = hit.filter(|t| t != module) {
                targets.insert(target);
            }
        }
    }
    out
}

fn under(module: &Module, top: &str) -> bool {
    module.first().is_some_and(|m| m == top)
}

fn violations(from: &[&str], to: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (a, targets) in arrows() {
        if !from.iter().any(|f| under(&a, f)) {
            continue;
        }
        for b in targets.iter().filter(|b| to.iter().any(|t| under(b, t))) {
            found.push(format!("{} -> {}", a.join("::"), b.join("::")));
        }
    }
    found
}

#[test]
fn the_core_imports_only_the_core() {
    // Every top-level module but the core's own.
    let outer: Vec<String> = modules()
        .into_keys()
        .filter_map(|m| m.first().cloned())
        .filter(|m| m != "connector" && m != "template")
        .collect();
    let outer: Vec<&str> = outer.iter().map(String::as_str).collect();
    assert!(
        outer.contains(&"tui") && outer.contains(&"history"),
        "{outer:?}"
    );
    let found = violations(&["connector", "template"], &outer);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn config_imports_nothing_of_the_editor() {
    let found = violations(&["config"], &["tui", "cli"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_http_clients_know_nothing_of_the_sandbox_or_the_faces() {
    let found = violations(&["api"], &["sandbox", "connection", "tui", "cli"]);
    assert!(found.is_empty(), "{found:#?}");
}

/// Groups of files that import each other (strongly connected components of the arrows).
fn cycles() -> Vec<Vec<String>> {
    let arrows = arrows();
    let names: Vec<&Module> = arrows.keys().collect();
    let index = |m: &Module| names.iter().position(|n| *n == m);
    let reach = |from: usize| {
        let mut seen = vec![false; names.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for next in arrows[names[n]].iter().filter_map(index) {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen
    };
    let reached: Vec<Vec<bool>> = (0..names.len()).map(reach).collect();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for (a, from_a) in reached.iter().enumerate() {
        let group: Vec<String> = (0..names.len())
            .filter(|&b| from_a[b] && reached[b][a])
            .map(|b| names[b].join("::"))
            .collect();
        if group.len() > 1 && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// Known cycles still to untangle; the test fails on any new one, and on a listed one that is
/// gone (so the list only shrinks).
const KNOWN_CYCLES: &[&[&str]] = &[];

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let found = cycles();
    let known: Vec<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
        .collect();
    let new: Vec<&Vec<String>> = found.iter().filter(|c| !known.contains(c)).collect();
    assert!(new.is_empty(), "import cycles between files: {new:#?}");
    let gone: Vec<&Vec<String>> = known.iter().filter(|c| !found.contains(c)).collect();
    assert!(
        gone.is_empty(),
        "these cycles are gone: remove them from KNOWN_CYCLES: {gone:#?}"
    );
}

#[test]
fn the_arrow_check_sees_the_arrows() {
    let arrows = arrows();
    let form = vec!["tui".to_owned(), "view".to_owned(), "form".to_owned()];
    assert!(
        arrows[&form].contains(&vec!["tui".to_owned(), "state".to_owned()]),
        "{arrows:#?}"
    );
    assert!(arrows.len() > 60, "{}", arrows.len());
}
