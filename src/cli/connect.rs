//! `patchcord connect ID|FILE [--redirect-url URL]` and `patchcord disconnect ID|FILE`: Agent
//! Stack's connection state machine from the command line (a file stands for its id on the
//! current target). Prints the state the server reports and, when the MCP server wants
//! authorization (`auth_required`), the link to authorize at.

use super::ids::FileArg;
use super::{CliError, Context, Exit, out, out_json};
use crate::api::ConnectionState;
use crate::connector::Vendor;
use serde_json::{Value, json};

pub async fn connect(ctx: &Context, args: &super::args::ConnectArgs) -> Result<Exit, CliError> {
    let id = id_arg(ctx, &args.id, "connect")?;
    let (connection, vendor) = super::open(ctx, Some(linked())).await?;
    let label = connection.label().to_owned();
    let result = match connection.client_for(vendor) {
        Ok(client) => client.connect(&id, args.redirect_url.as_deref()).await,
        Err(error) => Err(error),
    };
    connection.close().await;
    report(ctx, vendor, &id, &label, &result?)
}

pub async fn disconnect(
    ctx: &Context,
    args: &super::args::DisconnectArgs,
) -> Result<Exit, CliError> {
    let id = id_arg(ctx, &args.id, "disconnect")?;
    let (connection, vendor) = super::open(ctx, Some(linked())).await?;
    let label = connection.label().to_owned();
    let result = match connection.client_for(vendor) {
        Ok(client) => client.disconnect(&id).await,
        Err(error) => Err(error),
    };
    connection.close().await;
    report(ctx, vendor, &id, &label, &result?)
}

/// The id to use: the argument itself, or a connector file's id on the current target.
fn id_arg(ctx: &Context, arg: &str, command: &str) -> Result<String, CliError> {
    match FileArg::read(arg)? {
        Some(file) => file.id_on(&super::ids::target_ref(ctx)?, command),
        None => Ok(arg.to_owned()),
    }
}

/// The vendor whose connectors have a connection state (Agent Stack's); without one, the
/// primary vendor, whose client then says it cannot connect.
fn linked() -> Vendor {
    Vendor::known()
        .find(|v| v.spec().link.is_some())
        .unwrap_or(Vendor::PRIMARY)
}

fn report(
    ctx: &Context,
    vendor: Vendor,
    id: &str,
    label: &str,
    connector: &Value,
) -> Result<Exit, CliError> {
    let state = ConnectionState::from_connector(connector);
    if ctx.json {
        out_json(&json!({
            "id": state.id.as_deref().unwrap_or(id),
            "target": label,
            "state": state.state,
            "authorization_endpoint": state.authorization_endpoint,
            "disconnect_reason": state.disconnect_reason,
            "connector": crate::connector::mask::shown_body(vendor, connector, ctx.reveal),
        }))?;
        return Ok(Exit::Ok);
    }
    out(&text(id, label, &state))?;
    Ok(Exit::Ok)
}

fn text(id: &str, label: &str, state: &ConnectionState) -> String {
    let mut text = format!("connector {id} on {label}: {}\n", state.state);
    if let Some(link) = &state.authorization_endpoint {
        text.push_str("authorize at: ");
        text.push_str(link);
        text.push('\n');
        if state.state == "auth_required" {
            text.push_str("open the link in a browser to grant access\n");
        }
    }
    if let Some(reason) = &state.disconnect_reason {
        text.push_str("disconnect reason: ");
        text.push_str(reason);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_required_prints_the_link() {
        let state = ConnectionState::from_connector(&json!({
            "state": "auth_required",
            "auth_request": {"type": "code", "authorization_endpoint": "http://127.0.0.1:9/authorize"},
        }));
        assert_eq!(
            text("c1", "SANDBOX", &state),
            "connector c1 on SANDBOX: auth_required\nauthorize at: http://127.0.0.1:9/authorize\n\
             open the link in a browser to grant access\n"
        );
    }
}
