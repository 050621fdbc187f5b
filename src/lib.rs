//! patchcord: build, preview and submit custom API connectors.
//!
//! The pure core is `connector` and `template` (no IO, no terminal, no HTTP; `tests/layering.rs`
//! checks it). `files` and `config` touch the disk, `api` the network, `sandbox` serves the
//! vendors' APIs locally, `cli` and `tui` are the faces.

pub mod api;
pub mod cli;
pub mod config;
pub mod connection;
pub mod connector;
pub mod examples;
pub mod files;
pub mod history;
pub mod paths;
pub mod sandbox;
pub mod template;
pub mod tui;

#[cfg(test)]
mod fourth_vendor_tests;
