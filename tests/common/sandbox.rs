//! The real sandbox, started in the test's process on an ephemeral loopback port, for the test
//! files that need one (`#[path]`-included, so files that do not are not warned about it).

use crate::common::{KEY, runtime};
use patchcord::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use std::net::SocketAddr;
use tokio::runtime::Runtime;

/// The real sandbox, in this process, on an ephemeral loopback port, accepting `KEY`.
pub struct RealSandbox {
    /// The runtime the server runs on; tests use it for their own requests too.
    pub runtime: Runtime,
    sandbox: Option<Sandbox>,
}

impl RealSandbox {
    pub fn start() -> RealSandbox {
        let runtime = runtime();
        let sandbox = runtime
            .block_on(Sandbox::start(ServeOptions {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                db: DbPath::Memory,
                keys: vec![KEY.to_owned()],
                plan: Plan::default(),
            }))
            .expect("sandbox starts");
        RealSandbox {
            runtime,
            sandbox: Some(sandbox),
        }
    }

    pub fn base_url(&self) -> String {
        self.sandbox
            .as_ref()
            .map(Sandbox::base_url)
            .unwrap_or_default()
    }
}

impl Drop for RealSandbox {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }
}
