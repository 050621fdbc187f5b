//! `patchcord submit FILE [--dry-run] [--recreate]`: validate, then create (POST, no remote id
//! yet) or update the connector on the target the way its vendor does (Databar: PUT of the
//! whole object; Cargo: PUT of the updatable fields; Agent Stack, which has no update: only
//! with `--recreate`, DELETE then POST under a new id). Records the returned id in the file and
//! shows every field the server stored differently from what was sent.

use super::validate::findings_json;
use super::{CliError, Context, Exit, out, out_json};
use crate::api::{ApiError, SubmitAction, SubmitOptions, Submitted, submit_body, submit_request};
use crate::config::{Config, Target};
use crate::connector::{Connector, Severity, UpdateMode, has_errors, mask, validate};
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
        Target::Remote(remote) if remote.vendor != connector.vendor => {
            return Err(ApiError::WrongVendor {
                connector: connector.vendor.to_string(),
                target: remote.name.clone(),
                target_vendor: remote.vendor.to_string(),
            }
            .into());
        }
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
    let recreating = recreate_check(&connector, args, &shown)?;

    if args.dry_run {
        let (label, method, url) = dry_run_url(ctx, &connector)?;
        let body = super::shown(ctx, connector.vendor, &submit_body(&connector));
        let deleting = recreating.map(|id| {
            let (_, collection) = submit_request(&connector, "");
            let base = url.strip_suffix(&collection).unwrap_or(&url);
            format!("{base}{}", connector.spec().item_path_for(&id))
        });
        if ctx.json {
            out_json(&json!({
                "dry_run": true, "target": label, "method": method, "url": url, "body": body,
                "delete_first": deleting,
            }))?;
        } else {
            match &deleting {
                Some(item) => out(&format!(
                    "dry run: would DELETE {item}, then {method} {url} on {label}"
                ))?,
                None => out(&format!("dry run: would {method} {url} on {label}"))?,
            }
            out(&serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string()))?;
        }
        return Ok(Exit::Ok);
    }

    let (connection, vendor) = super::open(ctx, Some(connector.vendor)).await?;
    let label = connection.label().to_owned();
    let options = SubmitOptions {
        recreate: args.recreate,
    };
    let result = match connection.client_for(vendor) {
        Ok(client) => client.submit_with(&connector, options).await,
        Err(error) => Err(error),
    };
    connection.close().await;
    let submitted = match result {
        Ok(submitted) => submitted,
        Err(ApiError::RecreateFailed { deleted, error }) => {
            // The old connector is gone: the file must not point at it any more.
            connector.remote_id = None;
            files::save(&args.file, &connector, &samples)?;
            eprintln!(
                "note: connector {deleted} no longer exists on {label}; the id was removed from {shown}, so the next submit creates it"
            );
            return Err(ApiError::RecreateFailed { deleted, error }.into());
        }
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
    let submitted = shown_report(ctx, connector.vendor, submitted);
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

/// Agent Stack cannot update: a file with a remote id is only sent with `--recreate`, and
/// refused here (exit 1) before anything is sent otherwise. Returns the id to delete.
fn recreate_check(
    connector: &Connector,
    args: &super::args::SubmitArgs,
    shown: &str,
) -> Result<Option<String>, CliError> {
    let spec = connector.spec();
    match (&connector.remote_id, spec.update) {
        (Some(id), UpdateMode::Recreate) if args.recreate => Ok(Some(id.clone())),
        (Some(id), UpdateMode::Recreate) => Err(CliError::Invalid(format!(
            "{shown}: not submitted: {vendor} has no update; editing connector {id} means deleting it and creating it again \
             (it gets a new id and must be connected again). Run `patchcord submit --recreate {shown}` to do that, \
             or remove \"id\" from \"$patchcord\" to register a second connector",
            vendor = spec.label
        ))),
        (_, _) => {
            if args.recreate {
                eprintln!(
                    "note: --recreate has no effect here: {} {}",
                    spec.label,
                    match connector.remote_id {
                        None => "connector has no remote id yet, so it is created",
                        Some(_) => "updates connectors in place",
                    }
                );
            }
            Ok(None)
        }
    }
}

/// The report as printed: unless `--reveal`, every secret masked, in what the server stored
/// and in both sides of each change.
fn shown_report(
    ctx: &Context,
    vendor: crate::connector::Vendor,
    submitted: Submitted,
) -> Submitted {
    if ctx.reveal {
        return submitted;
    }
    let changes = |list: &[crate::connector::FieldChange]| {
        list.iter().map(|c| mask::mask_change(vendor, c)).collect()
    };
    Submitted {
        stored: mask::masked_body(vendor, &submitted.stored),
        sent: mask::masked_body(vendor, &submitted.sent),
        changes: changes(&submitted.changes),
        immutable: changes(&submitted.immutable),
        ..submitted
    }
}

fn change_json(change: &crate::connector::FieldChange) -> Value {
    json!({"field": change.key, "sent": change.sent, "stored": change.stored})
}

fn report_json(submitted: &Submitted, label: &str) -> Value {
    let changes: Vec<Value> = submitted.changes.iter().map(change_json).collect();
    let immutable: Vec<Value> = submitted.immutable.iter().map(change_json).collect();
    let deleted = match &submitted.action {
        SubmitAction::Recreated { deleted } => Some(deleted.as_str()),
        _ => None,
    };
    json!({
        "action": submitted.action.verb(),
        "id": submitted.id,
        "deleted": deleted,
        "target": label,
        "changes": changes,
        "immutable": immutable,
        "stored": submitted.stored,
    })
}

/// `recorded_in`: the file the new id was written to, if it was.
fn report_text(submitted: &Submitted, label: &str, recorded_in: Option<&str>) -> String {
    let verb = submitted.action.verb();
    let id = submitted.id.as_deref().unwrap_or("(no id)");
    let mut text = format!("{verb} connector {id} on {label}");
    if let SubmitAction::Recreated { deleted } = &submitted.action {
        let _ = write!(text, " (deleted {deleted})");
    }
    if let Some(file) = recorded_in {
        let _ = write!(text, " (id recorded in {file})");
    }
    text.push('\n');
    if matches!(submitted.action, SubmitAction::Recreated { .. }) {
        let _ = writeln!(
            text,
            "the new connector is in state created: run `patchcord connect {id}` to connect it"
        );
    }
    for kept in &submitted.immutable {
        let show = |v: &Option<Value>| {
            v.as_ref()
                .map_or_else(|| "(absent)".to_owned(), Value::to_string)
        };
        let _ = writeln!(
            text,
            "not sent: {} is fixed once created; the file says {}, the server keeps {}",
            kept.key,
            show(&kept.sent),
            show(&kept.stored)
        );
    }
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
