//! `patchcord list`, `pull ID [-o FILE]` and `delete ID|FILE`: the commands that only read or
//! remove connectors on the target. The vendor is the target's; on the sandbox, which serves
//! every vendor, `--vendor` picks (Databar by default).

use super::ids::FileArg;
use super::{CliError, Context, Exit, out, out_data, out_json};
use crate::api::ApiError;
use crate::connector::{self, Connector, Vendor, mask};
use crate::files;
use crate::template::Samples;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub async fn list(ctx: &Context, args: &super::args::ListArgs) -> Result<Exit, CliError> {
    let (connection, vendor) = super::open(ctx, args.vendor.vendor).await?;
    let label = connection.label().to_owned();
    let result = match connection.client_for(vendor) {
        Ok(client) => client.list().await,
        Err(error) => Err(error),
    };
    connection.close().await;
    let items: Vec<Value> = result?
        .iter()
        .map(|item| mask::shown_body(vendor, item, ctx.reveal))
        .collect();
    if ctx.json {
        out_json(&Value::Array(items))?;
        return Ok(Exit::Ok);
    }
    if !items.is_empty() {
        out(&table(vendor, &items))?;
    }
    // The count is for people; the rows are the data a script reads.
    let count = match items.len() {
        0 => "no connectors".to_owned(),
        1 => "1 connector".to_owned(),
        n => format!("{n} connectors"),
    };
    super::note(ctx, &format!("{count} on {label}"));
    Ok(Exit::Ok)
}

/// The columns `list` shows: (heading, key), the id first and the vendor's own after it, the
/// widest last.
fn columns(vendor: Vendor) -> Vec<(&'static str, &'static str)> {
    let spec = vendor.spec();
    std::iter::once(("ID", spec.id_field))
        .chain(spec.list_columns.iter().copied())
        .collect()
}

/// `ID  NAME  METHOD  URL` (each vendor's columns) aligned; the method upper-case, as HTTP
/// spells it.
pub(crate) fn table(vendor: Vendor, items: &[Value]) -> String {
    let method = vendor.spec().request.and_then(|r| r.method);
    let cell = |item: &Value, key: &str| {
        let text = match item.get(key) {
            // Plain before measuring, so escape sequences neither reach the terminal nor skew
            // the columns.
            Some(Value::String(s)) => connector::plain_line(s),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        if Some(key) == method {
            text.to_uppercase()
        } else {
            text
        }
    };
    let columns = columns(vendor);
    let mut rows: Vec<Vec<String>> = vec![columns.iter().map(|(h, _)| (*h).to_owned()).collect()];
    for item in items {
        rows.push(columns.iter().map(|(_, key)| cell(item, key)).collect());
    }
    let widths: Vec<usize> = (0..columns.len())
        .map(|col| {
            rows.iter()
                .map(|r| r[col].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in &rows {
        let Some((last, padded)) = row.split_last() else {
            continue;
        };
        for (value, width) in padded.iter().zip(&widths) {
            let pad = width.saturating_sub(value.chars().count());
            text.push_str(value);
            text.push_str(&" ".repeat(pad + 2));
        }
        text.push_str(last);
        text.push('\n');
    }
    text
}

pub async fn pull(ctx: &Context, args: &super::args::PullArgs) -> Result<Exit, CliError> {
    let Some(id) = args.id.as_deref().filter(|_| !args.all) else {
        return super::workspace::pull_all(ctx, args).await;
    };
    let (connection, vendor) = super::open(ctx, args.vendor.vendor).await?;
    let label = connection.label().to_owned();
    let target = connection.target_ref().clone();
    let result = match connection.client_for(vendor) {
        Ok(client) => client.get(id).await,
        Err(error) => Err(error),
    };
    connection.close().await;
    let response = result?;
    let Some(mut pulled) = Connector::from_remote(vendor, &response, &target) else {
        return Err(ApiError::NotJson {
            status: 200,
            url: target.base_url,
            what: "JSON that is not a connector".to_owned(),
            snippet: response.to_string(),
        }
        .into());
    };
    let Some(path) = args.output.as_ref().filter(|p| !super::is_stdio(p)) else {
        // Printed, the connector is masked like any output; `-o FILE` (or `--reveal`) keeps
        // the values as stored, so a file made from it can be submitted back unharmed.
        if ctx.reveal {
            print_pulled(ctx, &response, &pulled)?;
        } else {
            let mut shown = pulled.clone();
            if let Value::Object(fields) = mask::masked_body(vendor, &Value::Object(pulled.fields))
            {
                shown.fields = fields;
            }
            let (answer, masked) = mask::mask_body(vendor, &response);
            print_pulled(ctx, &answer, &shown)?;
            if !masked.is_empty() {
                let places: Vec<String> = masked.iter().map(ToString::to_string).collect();
                super::note(
                    ctx,
                    &format!(
                        "note: masked {}; use -o FILE or --reveal to get the values as stored",
                        places.join(", ")
                    ),
                );
            }
        }
        return Ok(Exit::Ok);
    };
    pulled.record_sync(&target, &response);
    // Refreshing a file keeps its samples and its ids on other targets; a file that is not a
    // connector is not silently replaced.
    let samples = if path.exists() {
        let (old, samples) = files::load(path)?;
        pulled.keep_other_ids(&old);
        samples
    } else {
        Samples::new()
    };
    files::save(path, &pulled, &samples)?;
    if ctx.json {
        out_json(&json!({"pulled": id, "target": label, "file": path.display().to_string()}))?;
    } else {
        // A status line: the data went to the file.
        super::note(
            ctx,
            &format!("pulled connector {id} from {label} into {}", path.display()),
        );
    }
    Ok(Exit::Ok)
}

fn print_pulled(ctx: &Context, answer: &Value, pulled: &Connector) -> Result<(), CliError> {
    if ctx.json {
        out_json(answer)
    } else {
        out_data(&connector::json_text(&connector::to_file(pulled)))
    }
}

/// `delete ID|FILE`: with a file, its id on the target is deleted and then removed from it.
/// On a live target in a terminal, the target's name is asked for first (`--yes` skips it).
pub async fn delete(ctx: &Context, args: &super::args::DeleteArgs) -> Result<Exit, CliError> {
    let mut file = FileArg::read(&args.id)?;
    let target = super::ids::target_ref(ctx)?;
    let id = match &file {
        Some(file) => file.id_on(&target, "delete")?,
        None => args.id.clone(),
    };
    super::ids::confirm_live(&target, &format!("delete connector {id}"), args.yes)?;
    let vendor = args
        .vendor
        .vendor
        .or(file.as_ref().map(|f| f.connector.vendor));
    let (connection, vendor) = super::open(ctx, vendor).await?;
    let label = connection.label().to_owned();
    let result = match connection.client_for(vendor) {
        Ok(client) => client.delete(&id).await,
        Err(error) => Err(error),
    };
    connection.close().await;
    result?;
    if let Some(file) = &mut file {
        file.connector.forget_remote_id(&target);
        file.save()?;
    }
    if ctx.json {
        out_json(&json!({"deleted": id, "target": label}))?;
    } else {
        let mut text = format!("deleted connector {id} on {label}");
        if let Some(file) = &file {
            let _ = write!(text, "; the id was removed from {}", file.shown);
        }
        super::note(ctx, &text);
    }
    Ok(Exit::Ok)
}
