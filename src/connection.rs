//! `Connection`: a target name in, a ready client out. The one place that decides between the
//! embedded sandbox and a live API (so it sits above both `api` and `sandbox`: the HTTP client
//! layer knows nothing of the server), so the CLI and the editor label and reach targets the same
//! way. The embedded sandbox serves every vendor on one port, so a sandbox connection holds a
//! client per vendor and [`Connection::client_for`] picks the one a connector file needs; a
//! live target speaks one vendor only.

use crate::api::{ApiError, Client, ClientOptions};
use crate::config::{Config, Secret, Target};
use crate::connector::{TargetRef, Vendor};
use crate::sandbox::{DEFAULT_PORT, DbPath, Plan, Sandbox, ServeOptions, generate_key};
use std::net::SocketAddr;

/// Environment variable naming the embedded sandbox's database (`:memory:` for a throwaway).
pub const SANDBOX_DB_ENV: &str = crate::paths::SANDBOX_DB_ENV;

/// An open connection to a target: the client, what to call it on screen, and (for the
/// embedded sandbox) the running server, kept alive as long as the connection is.
///
/// ```no_run
/// # async fn demo() -> Result<(), patchcord::api::ApiError> {
/// let connection = patchcord::connection::Connection::open(None).await?; // embedded sandbox
/// let all = connection.client().list().await?;
/// println!("{} connectors on {}", all.len(), connection.label());
/// // The sandbox speaks every vendor: pick the client a connector file needs.
/// let cargo = connection.client_for(patchcord::connector::Vendor::Cargo)?;
/// let theirs = cargo.list().await?;
/// println!("{} Cargo connectors", theirs.len());
/// connection.close().await;
/// # Ok(()) }
/// ```
pub struct Connection {
    /// The target's client: for the sandbox, the Databar one.
    client: Client,
    /// The sandbox's clients for the other vendors (same server, same key).
    others: Vec<Client>,
    label: String,
    target: Target,
    sandbox: Option<Sandbox>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("label", &self.label)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Opens a connection to the target named `target` (a `--target` flag), reading the config
    /// from its usual place (`$PATCHCORD_CONFIG` or `$XDG_CONFIG_HOME/patchcord/config.toml`).
    ///
    /// - `None` uses the config's `default_target`, or the embedded sandbox when there is none.
    /// - `Some("sandbox")` is always the embedded sandbox: a server started in this process on
    ///   `127.0.0.1:8765` (`patchcord serve`'s default, so the demo connectors' URLs work) when
    ///   that port is free, else on an ephemeral port, with a fresh key, its database at `$PATCHCORD_SANDBOX_DB`
    ///   (`:memory:` allowed) or the sandbox's default file, so connectors created in one run
    ///   are there in the next. It stops when the connection is closed or dropped.
    /// - Any other name is a `[targets.NAME]` of the config, or a vendor key (`databar`) for
    ///   that vendor's public API with its default key variable. Its secret is resolved now
    ///   (environment variable or command), so a missing key fails here, before any request.
    ///
    /// Errors: `ApiError::Config` for a bad config, an unknown target or a missing secret;
    /// `ApiError::Sandbox` when the embedded sandbox cannot start.
    pub async fn open(target: Option<&str>) -> Result<Connection, ApiError> {
        let config = Config::load()?;
        Connection::open_with(&config, target).await
    }

    /// [`Connection::open`] with an already loaded config.
    pub async fn open_with(config: &Config, target: Option<&str>) -> Result<Connection, ApiError> {
        let target = config.target(target)?;
        let client_options = ClientOptions::from_settings(&config.http);
        match &target {
            Target::Sandbox => {
                let key = generate_key();
                let options = |port| ServeOptions {
                    addr: SocketAddr::from(([127, 0, 0, 1], port)),
                    db: embedded_db(),
                    keys: vec![key.clone()],
                    plan: Plan::default(),
                };
                let sandbox = match Sandbox::start(options(DEFAULT_PORT)).await {
                    Ok(sandbox) => sandbox,
                    // Taken (another patchcord, or `patchcord serve`): any free port will do.
                    Err(_) => Sandbox::start(options(0))
                        .await
                        .map_err(|e| ApiError::Sandbox(e.to_string()))?,
                };
                let secret = Secret::new(key);
                let target_ref = target.target_ref(&sandbox.base_url());
                let client = |vendor| {
                    Client::with_options(vendor, &target_ref, secret.clone(), client_options)
                };
                let others = Vendor::known()
                    .filter(|v| *v != Vendor::PRIMARY)
                    .map(client)
                    .collect::<Result<_, _>>()?;
                Ok(Connection {
                    client: client(Vendor::PRIMARY)?,
                    others,
                    label: target.label(),
                    target,
                    sandbox: Some(sandbox),
                })
            }
            Target::Remote(remote) => {
                let secret = remote.resolve_secret()?;
                let client = Client::with_options(
                    remote.vendor,
                    &target.target_ref(""),
                    secret,
                    client_options,
                )?;
                Ok(Connection {
                    client,
                    others: Vec::new(),
                    label: target.label(),
                    target,
                    sandbox: None,
                })
            }
        }
    }

    /// The target's client. For the embedded sandbox, which speaks every vendor, this is the
    /// Databar one; use [`Connection::client_for`] for a connector of another vendor.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The client for `vendor`'s API on this target: on the sandbox, that vendor's routes; on
    /// a live target, its client when it speaks `vendor`, else [`ApiError::WrongVendor`]
    /// (a Cargo file is never sent to a Databar account).
    pub fn client_for(&self, vendor: Vendor) -> Result<&Client, ApiError> {
        std::iter::once(&self.client)
            .chain(&self.others)
            .find(|c| c.vendor() == vendor)
            .ok_or_else(|| ApiError::WrongVendor {
                connector: vendor.to_string(),
                target: match &self.target {
                    Target::Remote(remote) => remote.name.clone(),
                    Target::Sandbox => crate::config::SANDBOX.to_owned(),
                },
                target_vendor: self.client.vendor().to_string(),
            })
    }

    /// The vendors this connection can talk to (all of them on the sandbox).
    pub fn vendors(&self) -> Vec<Vendor> {
        std::iter::once(&self.client)
            .chain(&self.others)
            .map(Client::vendor)
            .collect()
    }

    /// `SANDBOX` or `LIVE <name>`: what the faces show next to every request.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The target as remote ids refer to it (the sandbox with the address it has this time).
    pub fn target_ref(&self) -> &TargetRef {
        self.client.target()
    }

    /// Whether requests go to the embedded sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Stops the embedded sandbox (letting requests in flight finish); a no-op for a live
    /// target. Dropping the connection also stops the server, without waiting.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// `$PATCHCORD_SANDBOX_DB`, else the sandbox's default file, else memory.
/// For a headless try whose requests go to the sandbox's default address (the demo
/// endpoints the examples use) while nothing listens there: starts a throwaway sandbox on it
/// for the run, so the examples answer on a fresh machine without `patchcord serve`. `None`
/// when no request goes there, or something already answers (a running `patchcord serve`).
pub async fn demo_sandbox_for<'a>(mut urls: impl Iterator<Item = &'a str>) -> Option<Sandbox> {
    let home = format!("http://127.0.0.1:{DEFAULT_PORT}/");
    if !urls.any(|url| url.starts_with(&home)) {
        return None;
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT));
    if tokio::net::TcpStream::connect(addr).await.is_ok() {
        return None;
    }
    Sandbox::start(ServeOptions {
        addr,
        keys: vec![generate_key()],
        ..ServeOptions::ephemeral()
    })
    .await
    .ok()
}

fn embedded_db() -> DbPath {
    crate::paths::embedded_db().map_or(DbPath::Memory, |text| DbPath::parse(&text))
}
