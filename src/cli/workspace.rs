//! A folder of connector files as a workspace: `pull --all [-o DIR]` writes every connector
//! of the target into it, and [`prepare`] reads it and the target for `plan` and `apply`.

use super::{CliError, Context, Exit, out_json};
use crate::connection::Connection;
use crate::connector::file_name::{stem_for, unique_file_name};
use crate::connector::plan::{self, LocalFile, Plan};
use crate::connector::sync::{SyncState, sync_state};
use crate::connector::{Connector, TargetRef, Vendor};
use crate::files::{self, workspace::WorkspaceFile};
use crate::template::Samples;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The folder argument: `DIR`, else the current directory.
pub(crate) fn folder(dir: Option<&PathBuf>) -> PathBuf {
    dir.cloned().unwrap_or_else(|| PathBuf::from("."))
}

/// `pull --all`: every connector of the target's vendors (on the sandbox, every vendor unless
/// `--vendor`) into one file each. A file already bound to a connector's id on this target is
/// refreshed unless it was changed locally; a new one gets a name of its own.
pub async fn pull_all(ctx: &Context, args: &super::args::PullArgs) -> Result<Exit, CliError> {
    let dir = folder(args.output.as_ref());
    if super::is_stdio(&dir) {
        return Err(CliError::Invalid(
            "pull --all writes one file per connector: -o names a folder, not stdout".into(),
        ));
    }
    let scanned = files::workspace::scan(&dir)?;
    let (connection, _) = super::open(ctx, args.vendor.vendor).await?;
    let vendors = match args.vendor.vendor {
        Some(vendor) => vec![vendor],
        None => connection.vendors(),
    };
    let lists = fetch(&connection, &vendors).await;
    let label = connection.label().to_owned();
    let target = connection.target_ref().clone();
    connection.close().await;
    let lists = lists?;

    let mut bound: HashMap<(Vendor, String), &WorkspaceFile> = HashMap::new();
    for file in &scanned {
        if let Ok((connector, _, _)) = &file.loaded
            && let Some(id) = connector.remote_id_for(&target)
        {
            bound.insert((connector.vendor, id.to_owned()), file);
        }
    }
    let mut taken = taken_names(&dir)?;
    let (mut created, mut updated, mut kept) = (0, 0, Vec::new());
    for (vendor, items) in &lists {
        for item in items {
            let Some(mut pulled) = Connector::from_remote(*vendor, item, &target) else {
                continue;
            };
            pulled.record_sync(&target, item);
            let id = pulled.remote_id_for(&target).unwrap_or_default().to_owned();
            match bound.get(&(*vendor, id)) {
                Some(file) if file.loaded.is_ok() => {
                    if refresh(file, pulled, &target, item)? {
                        updated += 1;
                    } else {
                        kept.push(file.name.clone());
                    }
                }
                _ => {
                    let name = unique_file_name(&stem_for(&pulled), &taken);
                    taken.insert(name.to_lowercase());
                    files::save(&dir.join(name), &pulled, &Samples::new())?;
                    created += 1;
                }
            }
        }
    }
    let total = created + updated;
    if ctx.json {
        out_json(
            &json!({"pulled": total, "new_files": created, "updated_files": updated,
            "kept": kept, "target": label, "dir": dir.display().to_string()}),
        )?;
        return Ok(Exit::Ok);
    }
    for name in &kept {
        super::note(
            ctx,
            &format!(
                "kept {name}: changed locally, so not overwritten (`patchcord plan` shows how)"
            ),
        );
    }
    super::note(
        ctx,
        &format!(
            "pulled {total} connector{} from {label} into {} ({created} new file{}, {updated} updated)",
            plural(total),
            dir.display(),
            plural(created),
        ),
    );
    Ok(Exit::Ok)
}

/// Refreshes a file bound to the pulled connector, keeping its samples and its ids elsewhere;
/// false, and nothing written, when the file was changed locally since it was last in step
/// (a pull never loses an edit), or changed on disk since it was read.
fn refresh(
    file: &WorkspaceFile,
    mut pulled: Connector,
    target: &TargetRef,
    item: &Value,
) -> Result<bool, CliError> {
    let Ok((old, samples, stamp)) = &file.loaded else {
        return Ok(false);
    };
    let state = sync_state(old, target, std::slice::from_ref(item));
    if matches!(state, SyncState::ChangedLocally | SyncState::ChangedBoth) {
        return Ok(false);
    }
    pulled.keep_other_ids(old);
    match files::save_checked(&file.path, &pulled, samples, Some(stamp)) {
        Ok(_) => Ok(true),
        Err(files::FileError::Changed { .. }) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Every file name in `dir`, lower-cased: a new file never takes a name in use, whatever the
/// file holds.
fn taken_names(dir: &Path) -> Result<HashSet<String>, CliError> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_lowercase())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(e.into()),
    }
}

/// The connectors of each vendor on the connection's target, as its list answers them.
async fn fetch(
    connection: &Connection,
    vendors: &[Vendor],
) -> Result<Vec<(Vendor, Vec<Value>)>, CliError> {
    let mut lists = Vec::new();
    for vendor in vendors {
        let items = connection.client_for(*vendor)?.list().await?;
        lists.push((*vendor, items));
    }
    Ok(lists)
}

/// A folder read and planned against the open target.
pub(crate) struct Prepared {
    pub connection: Connection,
    pub target: TargetRef,
    pub label: String,
    pub files: Vec<WorkspaceFile>,
    pub plan: Plan,
}

/// Reads the folder, opens the target and lists the connectors of the vendors the folder's
/// files are for (those the target speaks), then plans.
pub(crate) async fn prepare(
    ctx: &Context,
    dir: Option<&PathBuf>,
    prune: bool,
) -> Result<Prepared, CliError> {
    let dir = folder(dir);
    if !dir.is_dir() {
        return Err(CliError::Invalid(format!(
            "{}: not a folder of connector files",
            dir.display()
        )));
    }
    let files = files::workspace::scan(&dir)?;
    let connection = Connection::open(ctx.target.as_deref()).await?;
    let spoken = connection.vendors();
    let mut vendors: Vec<Vendor> = Vec::new();
    for file in &files {
        if let Ok((connector, _, _)) = &file.loaded
            && spoken.contains(&connector.vendor)
            && !vendors.contains(&connector.vendor)
        {
            vendors.push(connector.vendor);
        }
    }
    vendors.sort_by_key(|v| Vendor::known().position(|a| a == *v));
    let lists = match fetch(&connection, &vendors).await {
        Ok(lists) => lists,
        Err(error) => {
            connection.close().await;
            return Err(error);
        }
    };
    let target = connection.target_ref().clone();
    let local: Vec<LocalFile> = files
        .iter()
        .map(|f| LocalFile {
            name: f.name.clone(),
            loaded: match &f.loaded {
                Ok((connector, samples, _)) => Ok((connector.clone(), samples.clone())),
                Err(error) => Err(error.to_string()),
            },
        })
        .collect();
    let plan = plan::plan(&local, &lists, &target, prune);
    Ok(Prepared {
        label: connection.label().to_owned(),
        connection,
        target,
        files,
        plan,
    })
}
