//! `patchcord plan [DIR] [--prune]`: what `apply` would do to make the target hold what the
//! folder's connector files say, with a field-level diff of each replace (secrets masked
//! unless `--reveal`). Exit 0 when there is nothing to do, 2 when changes are pending
//! (Terraform's `-detailed-exitcode`), 1 when a file cannot be applied.

use super::{CliError, Context, Exit, out, out_json};
use crate::connector::plan::{Action, Plan, Step};
use crate::connector::{FieldChange, UpdateMode, Vendor, mask};
use serde_json::{Value, json};
use std::fmt::Write as _;

pub async fn run(ctx: &Context, args: &super::args::PlanArgs) -> Result<Exit, CliError> {
    let prepared = super::workspace::prepare(ctx, args.dir.as_ref(), args.prune).await?;
    prepared.connection.close().await;
    let plan = &prepared.plan;
    if ctx.json {
        out_json(&plan_json(ctx, plan, &prepared.label))?;
    } else {
        out(&plan_text(ctx, plan, &prepared.label))?;
    }
    Ok(plan_exit(plan))
}

/// 1 when a file cannot be applied, else 2 when changes are pending, else 0.
pub(crate) fn plan_exit(plan: &Plan) -> Exit {
    if plan.has_invalid() {
        Exit::Invalid
    } else if plan.pending() {
        Exit::PENDING
    } else {
        Exit::Ok
    }
}

/// A change as shown: masked unless `--reveal`.
fn shown_change(ctx: &Context, vendor: Vendor, change: &FieldChange) -> FieldChange {
    if ctx.reveal {
        change.clone()
    } else {
        mask::mask_change(vendor, change)
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), Value::to_string)
}

/// One line per step that does something (unchanged files are counted, not listed), each
/// replace followed by its fields as `field: TARGET → FILE`, then the summary.
pub(crate) fn plan_text(ctx: &Context, plan: &Plan, label: &str) -> String {
    let mut text = format!("plan for {label}:\n");
    for step in &plan.steps {
        let file = step.file.as_deref().unwrap_or_default();
        let vendor = step.vendor.map_or("", |v| v.spec().label);
        match &step.action {
            Action::Unchanged { .. } => {}
            Action::Create { deleted: None } => {
                let _ = writeln!(text, "  + create    {file} ({vendor}, not submitted)");
            }
            Action::Create { deleted: Some(id) } => {
                let _ = writeln!(
                    text,
                    "  + create    {file} ({vendor}; connector {id} was deleted on the target)"
                );
            }
            Action::Replace { id, state, changes } | Action::Recreate { id, state, changes } => {
                let (sign, verb, how) = match step.action {
                    Action::Recreate { .. } => (
                        "-/+",
                        "recreate",
                        format!("{vendor} has no update: delete, then create under a new id"),
                    ),
                    _ => ("~", "replace", vendor.to_owned()),
                };
                let _ = writeln!(
                    text,
                    "{sign:>3} {verb:<9} {file} → connector {id} ({how}; {})",
                    state.label()
                );
                diff_lines(ctx, step, changes, &mut text);
            }
            Action::OnlyOnTarget { id, name } if plan.prune => {
                let _ = writeln!(
                    text,
                    "  - delete    connector {id} {name:?} ({vendor}, only on the target)"
                );
            }
            Action::OnlyOnTarget { id, name } => {
                let _ = writeln!(
                    text,
                    "  ? only on the target: connector {id} {name:?} ({vendor}; kept, --prune deletes it)"
                );
            }
            Action::Invalid { problems } => {
                let _ = writeln!(text, "  ! invalid   {file} (not applied):");
                for problem in problems {
                    let _ = writeln!(text, "      {problem}");
                }
            }
            Action::Skipped => {
                let _ = writeln!(
                    text,
                    "    skipped   {file} ({vendor}: not a vendor of {label})"
                );
            }
        }
    }
    if plan.prune_held {
        text.push_str("  note: --prune held back: a file could not be read, and may be bound to a connector listed as only on the target\n");
    }
    text.push_str(&summary_text(plan));
    text
}

fn diff_lines(ctx: &Context, step: &Step, changes: &[FieldChange], text: &mut String) {
    let Some(vendor) = step.vendor else {
        return;
    };
    let spec = vendor.spec();
    for change in changes {
        let shown = shown_change(ctx, vendor, change);
        let fixed = matches!(spec.update, UpdateMode::Partial(_))
            && !spec.updatable(&change.key)
            && matches!(step.action, Action::Replace { .. });
        let _ = writeln!(
            text,
            "      {}: {} → {}{}",
            change.key,
            show(shown.stored.as_ref()),
            show(shown.sent.as_ref()),
            if fixed {
                " (fixed once created: not sent)"
            } else {
                ""
            }
        );
    }
}

/// How many steps of each kind.
fn counts(plan: &Plan) -> [(&'static str, usize); 8] {
    let mut counts = [
        ("create", 0),
        ("replace", 0),
        ("recreate", 0),
        ("delete", 0),
        ("unchanged", 0),
        ("only_on_target", 0),
        ("invalid", 0),
        ("skipped", 0),
    ];
    for step in &plan.steps {
        let at = match step.action {
            Action::Create { .. } => 0,
            Action::Replace { .. } => 1,
            Action::Recreate { .. } => 2,
            Action::OnlyOnTarget { .. } if plan.prune => 3,
            Action::Unchanged { .. } => 4,
            Action::OnlyOnTarget { .. } => 5,
            Action::Invalid { .. } => 6,
            Action::Skipped => 7,
        };
        counts[at].1 += 1;
    }
    counts
}

fn summary_text(plan: &Plan) -> String {
    let parts: Vec<String> = counts(plan)
        .iter()
        .filter(|(kind, n)| *n > 0 || matches!(*kind, "create" | "replace" | "delete"))
        .map(|(kind, n)| match *kind {
            "unchanged" | "invalid" | "skipped" => format!("{n} {kind}"),
            "only_on_target" => format!("{n} only on the target"),
            _ => format!("{n} to {kind}"),
        })
        .collect();
    let head = if plan.pending() {
        "changes pending"
    } else {
        "nothing to do"
    };
    format!("{head}: {}\n", parts.join(", "))
}

/// `{"target", "pending", "prune", "steps": [{file, vendor, action, id, state, deleted,
/// name, changes: [{field, target, file}], problems}], "summary": {create, replace, ...}}`.
pub(crate) fn plan_json(ctx: &Context, plan: &Plan, label: &str) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .map(|step| {
            let mut out = json!({"file": step.file, "vendor": step.vendor.map(Vendor::key)});
            let (action, extra) = match &step.action {
                Action::Create { deleted } => ("create", json!({"deleted_on_target": deleted})),
                Action::Replace { id, state, changes }
                | Action::Recreate { id, state, changes } => {
                    // A replace is always of a file that was read, so its vendor is known.
                    let changes: Vec<Value> = changes
                        .iter()
                        .filter_map(|c| step.vendor.map(|vendor| shown_change(ctx, vendor, c)))
                        .map(|c| json!({"field": c.key, "target": c.stored, "file": c.sent}))
                        .collect();
                    let action = if matches!(step.action, Action::Recreate { .. }) {
                        "recreate"
                    } else {
                        "replace"
                    };
                    (
                        action,
                        json!({"id": id, "state": state.label(), "changes": changes}),
                    )
                }
                Action::Unchanged { id } => ("unchanged", json!({"id": id})),
                Action::OnlyOnTarget { id, name } => (
                    if plan.prune {
                        "delete"
                    } else {
                        "only_on_target"
                    },
                    json!({"id": id, "name": name}),
                ),
                Action::Invalid { problems } => ("invalid", json!({"problems": problems})),
                Action::Skipped => ("skipped", json!({})),
            };
            out["action"] = json!(action);
            if let (Value::Object(out), Value::Object(extra)) = (&mut out, extra) {
                out.extend(extra);
            }
            out
        })
        .collect();
    let summary: serde_json::Map<String, Value> = counts(plan)
        .iter()
        .map(|(k, n)| ((*k).to_owned(), json!(n)))
        .collect();
    json!({
        "target": label,
        "pending": plan.pending(),
        "prune": plan.prune,
        "prune_held": plan.prune_held,
        "steps": steps,
        "summary": summary,
    })
}
