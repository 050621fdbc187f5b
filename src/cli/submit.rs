//! `patchcord submit FILE [--dry-run]`: validate, then create (POST, no remote id yet) or
//! replace (PUT, the file has one) on the target; record the returned id in the file and
//! show every field the server stored differently from what was sent.

use super::validate::findings_json;
use super::{CliError, Context, Exit, out, out_json};
use crate::api::{ApiError, Connection, Submitted, submit_request};
use crate::config::{Config, Target};
use crate::connector::{Connector, Severity, has_errors, validate};
use crate::files;
use serde_json::{Value, json};
use std::fmt::Write as _;

fn dry_run_url(
    ctx: &Context,
    connector: &Connector,
) -> Result<(String, &'static str, String), CliError> {
    let config = Config::load()?;
    let target = config.target(ctx.target.as_deref())?;
    let (label, base) = match &target {
        Target::Sandbox => (target.label(), "http://127.0.0.1:<embedded>".to_owned()),
        Target::Remote(remote) => (target.label(), remote.base_url.clone()),
    };
    let (method, url) = submit_request(connector, &base);
    Ok((label, method, url))
}

pub async fn run(ctx: &Context, args: &super::args::SubmitArgs) -> Result<Exit, CliError> {
    let shown = args.file.display().to_string();
    let (mut connector, samples) = files::load(&args.file)?;
    let findings = validate(&connector);
    if has_errors(&findings) {
        if ctx.json {
            out_json(&json!({"file": shown, "ok": false, "findings": findings_json(&findings)}))?;
            return Ok(Exit::Invalid);
        }
        for finding in &findings {
            eprintln!("{shown}: {finding}");
        }
        return Err(CliError::Invalid(format!(
            "{shown}: not submitted: fix the errors above first"
        )));
    }
    for finding in findings.iter().filter(|f| f.severity == Severity::Warning) {
        eprintln!("{shown}: {finding}");
    }

    if args.dry_run {
        let (label, method, url) = dry_run_url(ctx, &connector)?;
        let body = crate::api::curl::masked(&connector.outgoing());
        if ctx.json {
            out_json(
                &json!({"dry_run": true, "target": label, "method": method, "url": url, "body": body}),
            )?;
        } else {
            out(&format!("dry run: would {method} {url} on {label}"))?;
            out(&serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string()))?;
        }
        return Ok(Exit::Ok);
    }

    let connection = Connection::open(ctx.target.as_deref()).await?;
    let label = connection.label().to_owned();
    let result = connection.client().submit(&connector).await;
    connection.close().await;
    let submitted = match result {
        Ok(submitted) => submitted,
        Err(error) => {
            if let (ApiError::Rejected { status: 404, .. }, Some(id)) =
                (&error, &connector.remote_id)
            {
                eprintln!(
                    "hint: connector {id} does not exist on {label}; remove \"id\" from \"$patchcord\" in {shown} to create it anew"
                );
            }
            return Err(error.into());
        }
    };

    let recorded = submitted.id.is_some() && submitted.id != connector.remote_id;
    if recorded {
        connector.remote_id.clone_from(&submitted.id);
        files::save(&args.file, &connector, &samples)?;
    }
    if ctx.json {
        out_json(&report_json(&submitted, &label))?;
    } else {
        out(&report_text(
            &submitted,
            &label,
            recorded.then_some(shown.as_str()),
        ))?;
    }
    Ok(Exit::Ok)
}

fn report_json(submitted: &Submitted, label: &str) -> Value {
    let changes: Vec<Value> = submitted
        .changes
        .iter()
        .map(|c| json!({"field": c.key, "sent": c.sent, "stored": c.stored}))
        .collect();
    json!({
        "action": if submitted.created { "created" } else { "replaced" },
        "id": submitted.id,
        "target": label,
        "changes": changes,
        "stored": crate::api::curl::masked(&submitted.stored),
    })
}

/// `recorded_in`: the file the new id was written to, if it was.
fn report_text(submitted: &Submitted, label: &str, recorded_in: Option<&str>) -> String {
    let verb = if submitted.created {
        "created"
    } else {
        "replaced"
    };
    let id = submitted.id.as_deref().unwrap_or("(no id)");
    let mut text = format!("{verb} connector {id} on {label}");
    if let Some(file) = recorded_in {
        let _ = write!(text, " (id recorded in {file})");
    }
    text.push('\n');
    match submitted.changes.len() {
        0 => text.push_str("stored as sent\n"),
        n => {
            let fields = if n == 1 { "field" } else { "fields" };
            let _ = writeln!(text, "the server changed {n} {fields}:");
            for change in &submitted.changes {
                let _ = writeln!(text, "  {change}");
            }
        }
    }
    text
}
