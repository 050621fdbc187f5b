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

/// The columns `list` shows per vendor: (heading, key), the id first and the widest last.
fn columns(vendor: Vendor) -> [(&'static str, &'static str); 4] {
    let id = vendor.spec().id_field;
    match vendor {
        Vendor::Databar => [
            ("ID", id),
            ("NAME", "name"),
            ("METHOD", "method"),
            ("URL", "url"),
        ],
        Vendor::AgentStack => [
            ("ID", id),
            ("STATE", "state"),
            ("CREATED", "created_at"),
            ("URL", "url"),
        ],
        Vendor::Cargo => [
            ("ID", id),
            ("SLUG", "slug"),
            ("INTEGRATION", "integrationSlug"),
            ("NAME", "name"),
        ],
    }
}

/// `ID  NAME  METHOD  URL` (each vendor's columns) aligned.
fn table(vendor: Vendor, items: &[Value]) -> String {
    let cell = |item: &Value, key: &str| match item.get(key) {
        // Plain before measuring, so escape sequences neither reach the terminal nor skew the
        // columns.
        Some(Value::String(s)) => connector::plain_line(s),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let columns = columns(vendor);
    let mut rows = vec![columns.map(|(heading, _)| heading.to_owned())];
    for item in items {
        rows.push(columns.map(|(_, key)| match key {
            "method" => cell(item, key).to_uppercase(),
            _ => cell(item, key),
        }));
    }
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut text = String::new();
    for row in &rows {
        for (col, value) in row.iter().enumerate().take(3) {
            let pad = widths[col].saturating_sub(value.chars().count());
            text.push_str(value);
            text.push_str(&" ".repeat(pad + 2));
        }
        text.push_str(&row[3]);
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
