//! `patchcord submit FILE [--dry-run] [--recreate] [--create] [--adopt]`: validate, then
//! create (POST, no id on this target yet) or update the connector on the target the way its
//! vendor does (Databar: PUT of the whole object; Cargo: PUT of the updatable fields; Agent
//! Stack, which has no update: only with `--recreate`, DELETE then POST under a new id).
//! Records the returned id in the file as this target's and shows every field the server
//! stored differently from what was sent. Ids of other targets are never used.

use super::ids::SANDBOX_URL;
use super::validate::findings_json;
use super::{CliError, Context, Exit, out, out_json};
use crate::api::{ApiError, SubmitAction, SubmitOptions, Submitted, submit_body, submit_request};
use crate::config::Target;
use crate::connector::{
    Connector, Severity, TargetRef, UpdateMode, has_errors, mask, validate_with_samples,
};
use crate::files;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub async fn run(ctx: &Context, args: &super::args::SubmitArgs) -> Result<Exit, CliError> {
    let shown = super::shown_path(&args.file);
    if super::is_stdio(&args.file) && !args.dry_run {
        return Err(CliError::Invalid(
            "submit - (stdin) works with --dry-run only: submit records the id in the file".into(),
        ));
    }
    let (mut connector, samples) = super::load(&args.file)?;
    if let Some(exit) = validated(ctx, &connector, &samples, &shown)? {
        return Ok(exit);
    }
    let target = target_for(ctx, &connector)?;
    let target_ref = target.target_ref(SANDBOX_URL);
    let mut changed = bind_ids(ctx, &mut connector, &target_ref, args, &shown)?;
    let recreating = recreate_check(ctx, &connector, &target_ref, args, &shown)?;
    if args.dry_run {
        return dry_run(ctx, &connector, &target, &target_ref, recreating);
    }

    let (label, result) = send(ctx, &connector, args.recreate).await?;
    let id_here = connector.remote_id_for(&target_ref).map(str::to_owned);
    let submitted = match result {
        Ok(submitted) => submitted,
        Err(ApiError::RecreateFailed { deleted, error }) => {
            // The old connector is gone: the file must not point at it any more.
            connector.forget_remote_id(&target_ref);
            files::save(&args.file, &connector, &samples)?;
            eprintln!(
                "note: connector {deleted} no longer exists on {label}; the id was removed from {shown}, so the next submit creates it"
            );
            return Err(ApiError::RecreateFailed { deleted, error }.into());
        }
        Err(error @ ApiError::Rejected { status: 404, .. }) if id_here.is_some() => {
            return Err(gone(ctx, id_here.unwrap_or_default(), label, &shown, error));
        }
        Err(error) => return Err(error.into()),
    };

    if let Some(id) = &submitted.id
        && id_here.as_ref() != Some(id)
    {
        connector.set_remote_id(&target_ref, id.clone());
        changed = true;
    }
    // What the file and the server now hold in step: the base of the next comparison.
    let base = connector.sync_base(&target_ref);
    connector.record_sync(&target_ref, &submitted.stored);
    if changed || connector.sync_base(&target_ref) != base {
        files::save(&args.file, &connector, &samples)?;
    }
    let submitted = shown_report(ctx, connector.vendor, submitted);
    if ctx.json {
        out_json(&report_json(&submitted, &label))?;
    } else {
        out(&report_text(
            &submitted,
            &label,
            changed.then_some(shown.as_str()),
        ))?;
    }
    Ok(Exit::Ok)
}

/// The target a submit goes to, refused when it is another vendor's (a Cargo file is never
/// sent to a Databar account).
fn target_for(ctx: &Context, connector: &Connector) -> Result<Target, CliError> {
    let target = super::load_config(ctx)?.target(ctx.target.as_deref())?;
    if let Target::Remote(remote) = &target
        && remote.vendor != connector.vendor
    {
        return Err(ApiError::WrongVendor {
            connector: connector.vendor.to_string(),
            target: remote.name.clone(),
            target_vendor: remote.vendor.to_string(),
        }
        .into());
    }
    Ok(target)
}

/// The connector's id on this target is gone (404): the error says how to create it anew.
fn gone(ctx: &Context, id: String, label: String, shown: &str, error: ApiError) -> CliError {
    let target_flag = ctx
        .target
        .as_ref()
        .map(|t| format!(" --target {t}"))
        .unwrap_or_default();
    CliError::Gone(Box::new(super::Gone {
        id,
        label,
        command: format!("patchcord submit --create{target_flag} {shown}"),
        error,
    }))
}

/// Opens the target and submits; the target's label and what the server answered.
async fn send(
    ctx: &Context,
    connector: &Connector,
    recreate: bool,
) -> Result<(String, Result<Submitted, ApiError>), CliError> {
    let (connection, vendor) = super::open(ctx, Some(connector.vendor)).await?;
    let label = connection.label().to_owned();
    let result = match connection.client_for(vendor) {
        Ok(client) => {
            client
                .submit_with(connector, SubmitOptions { recreate })
                .await
        }
        Err(error) => Err(error),
    };
    connection.close().await;
    Ok((label, result))
}

/// Validates the file; prints its findings. `Some(exit)` when `--json` already reported the
/// errors, an error when it cannot be submitted.
/// The file's findings, with its template rendered with its samples (as `validate` does): a
/// template that runs past its limits is not sent.
fn validated(
    ctx: &Context,
    connector: &Connector,
    samples: &crate::template::Samples,
    shown: &str,
) -> Result<Option<Exit>, CliError> {
    let findings = validate_with_samples(connector, samples);
    if has_errors(&findings) {
        if ctx.json {
            out_json(&json!({"file": shown, "ok": false, "findings": findings_json(&findings)}))?;
            return Ok(Some(Exit::Invalid));
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
    Ok(None)
}

/// Decides which id on `target` the submit uses: `--create` forgets the target's id (POST),
/// `--adopt` binds a legacy id (one written without a target) to it; a legacy id with neither
/// is asked about in a terminal and refused otherwise, since it may be another target's
/// connector. Returns whether the file's ids changed.
fn bind_ids(
    ctx: &Context,
    connector: &mut Connector,
    target: &TargetRef,
    args: &super::args::SubmitArgs,
    shown: &str,
) -> Result<bool, CliError> {
    if args.create {
        let had = connector.remote_id_for(target).is_some();
        connector.forget_remote_id(target);
        return Ok(had);
    }
    let Some(legacy) = connector.unbound_legacy_id(target).map(str::to_owned) else {
        if args.adopt {
            super::note(
                ctx,
                &format!(
                    "note: --adopt has no effect: {shown} has no id recorded without a target"
                ),
            );
        }
        return Ok(false);
    };
    if args.adopt {
        return Ok(connector.adopt_legacy_id(target));
    }
    let place = target.describe();
    let question = format!(
        "{shown}: id {legacy} was recorded without a target: is it on {place}? \
         [y]es bind / [n]o create new / anything else cancels: "
    );
    match super::ids::ask(&question).as_deref() {
        Some("y" | "yes") => Ok(connector.adopt_legacy_id(target)),
        // Created anew here; the legacy id stays for the target it belongs to.
        Some("n" | "no") => Ok(false),
        Some(_) => Err(CliError::Invalid(format!("{shown}: not submitted"))),
        None => Err(CliError::Invalid(format!(
            "{shown}: not submitted: id {legacy} was recorded without a target (by an older patchcord), \
             so it may be another target's connector. If connector {legacy} is on {place}, run \
             `patchcord submit --adopt {shown}` to bind it to this target and update it; otherwise \
             `patchcord submit --create {shown}` creates a new connector there"
        ))),
    }
}

fn dry_run(
    ctx: &Context,
    connector: &Connector,
    target: &Target,
    target_ref: &TargetRef,
    recreating: Option<String>,
) -> Result<Exit, CliError> {
    let label = target.label();
    let (method, url) = submit_request(connector, target_ref);
    let body = mask::shown_body(
        connector.vendor,
        &submit_body(connector, target_ref),
        ctx.reveal,
    );
    let deleting = recreating.map(|id| {
        let base = target_ref.base_url.trim_end_matches('/');
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
    Ok(Exit::Ok)
}

/// Agent Stack cannot update: a file with an id on the target is only sent with
/// `--recreate`, and refused here (exit 1) before anything is sent otherwise. Returns the id
/// to delete.
fn recreate_check(
    ctx: &Context,
    connector: &Connector,
    target: &TargetRef,
    args: &super::args::SubmitArgs,
    shown: &str,
) -> Result<Option<String>, CliError> {
    let spec = connector.spec();
    let id = connector.remote_id_for(target);
    match (id, spec.update) {
        (Some(id), UpdateMode::Recreate) if args.recreate => Ok(Some(id.to_owned())),
        (Some(id), UpdateMode::Recreate) => Err(CliError::Invalid(format!(
            "{shown}: not submitted: {vendor} has no update; editing connector {id} means deleting it and creating it again \
             (it gets a new id and must be connected again). Run `patchcord submit --recreate {shown}` to do that, \
             or `patchcord submit --create {shown}` to register a second connector",
            vendor = spec.label
        ))),
        (_, _) => {
            if args.recreate {
                super::note(
                    ctx,
                    &format!(
                        "note: --recreate has no effect here: {} {}",
                        spec.label,
                        match id {
                            None => "connector has no remote id yet, so it is created",
                            Some(_) => "updates connectors in place",
                        }
                    ),
                );
            }
            Ok(None)
        }
    }
}

fn change_json(change: &crate::connector::FieldChange) -> Value {
    json!({"field": change.key, "sent": change.sent, "stored": change.stored})
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
