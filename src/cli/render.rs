//! `patchcord render FILE [--sample NAME=VALUE]...`: the body the template produces with the
//! file's sample values (overridden by `--sample`), checked as JSON when the body is JSON.

use super::{CliError, Context, Exit, out_data, out_json};
use crate::connector::{Rule, validate};
use crate::template;
use serde_json::{Value, json};

pub fn run(ctx: &Context, args: &super::args::RenderArgs) -> Result<Exit, CliError> {
    let (connector, mut samples) = super::load(&args.file)?;
    for (name, value) in &args.samples {
        samples.insert(name.clone(), value.clone());
    }
    let shown = super::shown_path(&args.file);
    let Some(source) = connector.template() else {
        if connector.spec().template_field.is_none() {
            return Err(CliError::Invalid(format!(
                "{shown}: {} connectors have no body template; there is nothing to render",
                connector.spec().label
            )));
        }
        return Err(CliError::Invalid(format!(
            "{shown}: body_template is not set; there is no template to render (the body is the `body` list)"
        )));
    };
    // A template over the length limit still renders, but the server will refuse it.
    for finding in validate(&connector) {
        if finding.path.field() == Some("body_template")
            && matches!(finding.rule, Rule::MaxLength(_))
        {
            eprintln!("{shown}: {finding}");
        }
    }
    let preview = template::preview(source, &samples, connector.body_is_json());
    let missing: Vec<&String> = preview
        .variables
        .iter()
        .filter(|v| !samples.contains_key(v.as_str()))
        .collect();
    if ctx.json {
        return render_json(&preview, &missing);
    }
    for name in &missing {
        super::note(
            ctx,
            &format!("note: no sample for {name}; it renders empty (use --sample {name}=VALUE)"),
        );
    }
    match &preview.output {
        Err(error) => Err(CliError::Invalid(format!(
            "{shown}: body_template: {error}"
        ))),
        Ok(text) => {
            // The body is data (piped to a file or curl), written as rendered.
            out_data(text)?;
            match &preview.json {
                Some(Err(error)) => Err(CliError::Invalid(format!(
                    "{shown}: the rendered body is {error}"
                ))),
                _ => Ok(Exit::Ok),
            }
        }
    }
}

fn render_json(preview: &template::Preview, missing: &[&String]) -> Result<Exit, CliError> {
    let (output, error) = match &preview.output {
        Ok(text) => (Value::String(text.clone()), Value::Null),
        Err(e) => (
            Value::Null,
            json!({
                "message": e.message,
                "line": e.position.map(|p| p.line),
                "column": e.position.map(|p| p.column),
            }),
        ),
    };
    let json_check = match &preview.json {
        None => Value::Null,
        Some(Ok(_)) => json!({"valid": true}),
        Some(Err(e)) => json!({
            "valid": false,
            "message": e.message,
            "line": e.position.line,
            "column": e.position.column,
        }),
    };
    let failed = preview.output.is_err() || matches!(preview.json, Some(Err(_)));
    out_json(&json!({
        "variables": preview.variables,
        "missing_samples": missing,
        "output": output,
        "error": error,
        "json": json_check,
    }))?;
    Ok(if failed { Exit::Invalid } else { Exit::Ok })
}
