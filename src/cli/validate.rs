//! `patchcord validate FILE...`: every finding of the core's `validate` for every file, and
//! exit 1 when any file has an error or cannot be read.

use super::{CliError, Context, Exit, out, out_json};
use crate::connector::{Finding, Severity, has_errors, validate_with_samples};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// Findings as `--json` shows them.
pub(crate) fn findings_json(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                json!({
                    "path": f.path.to_string(),
                    "rule": f.rule.code(),
                    "severity": match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    },
                    "message": f.message,
                    "enforced_by": f.by.code(),
                })
            })
            .collect(),
    )
}

pub fn run(ctx: &Context, args: &super::args::ValidateArgs) -> Result<Exit, CliError> {
    let mut failed = false;
    let mut report = Vec::new();
    let mut text = String::new();
    for path in &args.files {
        let (ok, entry, lines) = check(path);
        failed |= !ok;
        report.push(entry);
        text.push_str(&lines);
    }
    if ctx.json {
        out_json(&Value::Array(report))?;
    } else {
        out(&text)?;
    }
    Ok(if failed { Exit::Invalid } else { Exit::Ok })
}

/// One file: whether it passed, its JSON entry, its text lines.
fn check(path: &Path) -> (bool, Value, String) {
    let shown = super::shown_path(path);
    match super::load(path) {
        Err(error) => {
            let message = error.to_string();
            let entry = json!({"file": shown, "ok": false, "error": message, "findings": []});
            (false, entry, format!("error: {message}\n"))
        }
        Ok((connector, samples)) => {
            let findings = validate_with_samples(&connector, &samples);
            let ok = !has_errors(&findings);
            let entry = json!({"file": shown, "ok": ok, "findings": findings_json(&findings)});
            let mut lines = String::new();
            for finding in &findings {
                let _ = writeln!(lines, "{shown}: {finding}");
            }
            let warnings = findings.len()
                - findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
            if ok {
                let _ = match warnings {
                    0 => writeln!(lines, "{shown}: ok"),
                    1 => writeln!(lines, "{shown}: ok (1 warning)"),
                    n => writeln!(lines, "{shown}: ok ({n} warnings)"),
                };
            }
            (ok, entry, lines)
        }
    }
}
