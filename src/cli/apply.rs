//! `patchcord apply [DIR] [--yes] [--prune] [--keep-going]`: does what `plan` shows. It prints
//! the plan, asks first (on a LIVE target the target's name must be typed; without a terminal
//! only `--yes` goes ahead), then sends each step, recording each file's id (and what is now
//! in step) in that file as soon as its step is done, so an interrupted apply resumes where it
//! stopped and a second apply finds nothing to do. A 429 is waited out (its `Retry-After`),
//! creates included: a 429 means the server did not act on the request.

use super::workspace::Prepared;
use super::{CliError, Context, Exit, out, out_json};
use crate::api::{ApiError, Client, RetryPolicy, SubmitOptions};
use crate::connector::Connector;
use crate::connector::TargetRef;
use crate::connector::plan::{Action, Step};
use crate::files::{self, FileError, Stamp, workspace::WorkspaceFile};
use crate::template::Samples;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Duration;

pub async fn run(ctx: &Context, args: &super::args::ApplyArgs) -> Result<Exit, CliError> {
    let mut prepared = super::workspace::prepare(ctx, args.dir.as_ref(), args.prune).await?;
    let result = apply(ctx, args, &mut prepared).await;
    prepared.connection.close().await;
    result
}

/// What one step came to.
struct Outcome {
    file: Option<String>,
    action: &'static str,
    result: Result<String, CliError>,
}

async fn apply(
    ctx: &Context,
    args: &super::args::ApplyArgs,
    prepared: &mut Prepared,
) -> Result<Exit, CliError> {
    let plan = prepared.plan.clone();
    if !ctx.json {
        out(&super::plan::plan_text(ctx, &plan, &prepared.label))?;
    }
    let invalid = plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Invalid { .. }))
        .count();
    if invalid > 0 && !args.keep_going {
        return Err(CliError::Invalid(format!(
            "not applied: {invalid} file{} cannot be applied (above); fix {} or use --keep-going to apply the rest",
            if invalid == 1 { "" } else { "s" },
            if invalid == 1 { "it" } else { "them" },
        )));
    }
    let todo: Vec<&Step> = plan.steps.iter().filter(|s| s.sends(plan.prune)).collect();
    if todo.is_empty() {
        if ctx.json {
            out_json(&report_json(ctx, prepared, &[]))?;
        }
        super::note(ctx, "nothing to apply");
        return Ok(if invalid > 0 { Exit::Invalid } else { Exit::Ok });
    }
    confirm(&prepared.target, todo.len(), args.yes)?;
    let bar = progress(ctx, todo.len());
    let mut outcomes = Vec::new();
    for step in todo {
        bar.set_message(step.file.clone().unwrap_or_default());
        let outcome = run_step(prepared, step, &bar).await;
        if !ctx.json {
            bar.suspend(|| print_outcome(&outcome));
        }
        bar.inc(1);
        let failed = outcome.result.is_err();
        outcomes.push(outcome);
        if failed && !args.keep_going {
            break;
        }
    }
    bar.finish_and_clear();
    if ctx.json {
        out_json(&report_json(ctx, prepared, &outcomes))?;
    }
    let failed: Vec<&CliError> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().err())
        .collect();
    let done = outcomes.len() - failed.len();
    super::note(
        ctx,
        &format!(
            "applied {done} of {} change{} on {}{}",
            plan.steps.iter().filter(|s| s.sends(plan.prune)).count(),
            if done == 1 { "" } else { "s" },
            prepared.label,
            match failed.len() {
                0 => String::new(),
                n => format!("; {n} failed (run apply again to resume)"),
            }
        ),
    );
    Ok(match failed.first() {
        Some(error) => error.exit(),
        None if invalid > 0 => Exit::Invalid,
        None => Exit::Ok,
    })
}

fn print_outcome(outcome: &Outcome) {
    match &outcome.result {
        Ok(line) => {
            let _ = out(line);
        }
        Err(error) => {
            let what = outcome.file.as_deref().unwrap_or("the target");
            let text = super::describe(error);
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprintln!(
                "{}: error: {what}: {} failed: {text}",
                super::PROGRAM,
                outcome.action
            );
        }
    }
}

/// Asks before anything is sent: `y` on the sandbox, the target's name on a LIVE target.
/// Without a terminal, only `--yes` goes ahead.
fn confirm(target: &TargetRef, changes: usize, yes: bool) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !super::ids::interactive() {
        return Err(CliError::Invalid(
            "not applied: apply asks before it changes the target, and there is no terminal to ask in; pass --yes".into(),
        ));
    }
    let what = format!(
        "apply {changes} change{}",
        if changes == 1 { "" } else { "s" }
    );
    if !target.is_sandbox() {
        return super::ids::confirm_live(target, &what, false);
    }
    match super::ids::ask(&format!("{what} on {}? [y/N] ", target.describe())).as_deref() {
        Some("y" | "yes") => Ok(()),
        _ => Err(CliError::Invalid("not applied".into())),
    }
}

/// A bar on stderr, drawn only on a terminal and without `-q`.
fn progress(ctx: &Context, len: usize) -> ProgressBar {
    let target = if ctx.manners.quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

async fn run_step(prepared: &mut Prepared, step: &Step, bar: &ProgressBar) -> Outcome {
    let action = match &step.action {
        Action::Create { .. } => "create",
        Action::Replace { .. } => "replace",
        Action::Recreate { .. } => "recreate",
        _ => "delete",
    };
    let client = match step.vendor.map(|v| prepared.connection.client_for(v)) {
        Some(Ok(client)) => client.clone(),
        // Only readable files' steps send anything.
        None => {
            return Outcome {
                file: step.file.clone(),
                action,
                result: Err(CliError::Invalid("cannot be read".into())),
            };
        }
        Some(Err(error)) => {
            return Outcome {
                file: step.file.clone(),
                action,
                result: Err(error.into()),
            };
        }
    };
    let result = match (&step.action, &step.file) {
        (Action::OnlyOnTarget { id, .. }, _) => client
            .delete(id)
            .await
            .map(|()| format!("deleted connector {id} on {}", prepared.label))
            .map_err(CliError::from),
        (_, Some(name)) => match prepared.files.iter_mut().find(|f| &f.name == name) {
            Some(file) => {
                send_file(&client, &prepared.target, &prepared.label, file, step, bar).await
            }
            None => Err(CliError::Invalid(format!(
                "{name}: no longer in the folder"
            ))),
        },
        (_, None) => Ok(String::new()),
    };
    Outcome {
        file: step.file.clone(),
        action,
        result,
    }
}

/// Creates, replaces or recreates the file's connector, waiting out 429s, and records the id
/// and the new base in the file (at once: an interrupted apply must find it there).
async fn send_file(
    client: &Client,
    target: &TargetRef,
    label: &str,
    file: &mut WorkspaceFile,
    step: &Step,
    bar: &ProgressBar,
) -> Result<String, CliError> {
    let Ok(loaded) = &mut file.loaded else {
        return Err(CliError::Invalid(format!("{}: cannot be read", file.name)));
    };
    if matches!(step.action, Action::Create { deleted: Some(_) }) {
        loaded.0.forget_remote_id(target);
    }
    let mut recreate = matches!(step.action, Action::Recreate { .. });
    let policy = RetryPolicy::default();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match client
            .submit_with(&loaded.0, SubmitOptions { recreate })
            .await
        {
            Ok(submitted) => {
                if let Some(id) = &submitted.id {
                    loaded.0.set_remote_id(target, id.clone());
                }
                loaded.0.record_sync(target, &submitted.stored);
                record(&file.path, loaded, target)?;
                let id = submitted.id.as_deref().unwrap_or("(no id)");
                let mut line = format!(
                    "{} connector {id} on {label} from {}",
                    submitted.action.verb(),
                    file.name
                );
                if let crate::api::SubmitAction::Recreated { deleted } = &submitted.action {
                    let _ = write!(
                        line,
                        " (deleted {deleted}; run `patchcord connect {}` to connect it again)",
                        file.path.display()
                    );
                }
                return Ok(line);
            }
            Err(ApiError::RecreateFailed { deleted, error }) => {
                // The old connector is gone: the file must not point at it any more, so a
                // resumed apply creates it rather than looking for it.
                loaded.0.forget_remote_id(target);
                record(&file.path, loaded, target)?;
                recreate = false;
                match *error {
                    rate @ ApiError::RateLimited { .. } => rate,
                    error => {
                        return Err(ApiError::RecreateFailed {
                            deleted,
                            error: Box::new(error),
                        }
                        .into());
                    }
                }
            }
            Err(error) => error,
        };
        let ApiError::RateLimited { retry_after, .. } = &error else {
            return Err(error.into());
        };
        let Some(wait) = policy.next_delay(attempt, retry_after.map(Duration::from_secs)) else {
            return Err(error.into());
        };
        bar.set_message(format!(
            "{}: rate limited, waiting {}s",
            file.name,
            wait.as_secs_f32().ceil()
        ));
        tokio::time::sleep(wait).await;
    }
}

/// Writes the file with its entry for `target` as the step left it. A file edited since it was
/// read is not overwritten: the entry goes into the file as it is now (whose edit then shows
/// as a local change, since the entry's base is what was sent).
fn record(
    path: &Path,
    loaded: &mut (Connector, Samples, Stamp),
    target: &TargetRef,
) -> Result<(), CliError> {
    let (connector, samples, stamp) = loaded;
    match files::save_checked(path, connector, samples, Some(stamp)) {
        Ok(saved) => {
            *stamp = saved;
            return Ok(());
        }
        Err(FileError::Changed { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    let (mut fresh, fresh_samples, fresh_stamp) = files::load_stamped(path)?;
    fresh.forget_remote_id(target);
    fresh
        .ids
        .extend(connector.ids.iter().filter(|r| r.is_on(target)).cloned());
    let saved = files::save_checked(path, &fresh, &fresh_samples, Some(&fresh_stamp))?;
    *loaded = (fresh, fresh_samples, saved);
    Ok(())
}

/// `{"target", "plan": …, "results": [{file, action, ok, message | error, exit}], "applied",
/// "failed"}`.
fn report_json(ctx: &Context, prepared: &Prepared, outcomes: &[Outcome]) -> Value {
    let results: Vec<Value> = outcomes
        .iter()
        .map(|o| match &o.result {
            Ok(message) => {
                json!({"file": o.file, "action": o.action, "ok": true, "message": message})
            }
            Err(error) => json!({"file": o.file, "action": o.action, "ok": false,
                "error": error.to_string(), "exit": error.exit() as u8}),
        })
        .collect();
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    json!({
        "target": prepared.label,
        "plan": super::plan::plan_json(ctx, &prepared.plan, &prepared.label),
        "results": results,
        "applied": outcomes.len() - failed,
        "failed": failed,
    })
}
