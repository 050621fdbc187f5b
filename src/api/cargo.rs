//! The Cargo client (seed 004): Bearer token, `/v1/connection/connectors`, answers wrapped in
//! `{connector, dataset}`, lists in `{connectors: [...]}`, ids in `uuid`. Its quirk: `PUT` is a
//! partial update of `name`, `config`, `rateLimit` and `cacheTtlMilliseconds` only (`slug` and
//! `integrationSlug` are fixed once created), so an update sends `Connector::outgoing_update()`.

use super::ApiError;
use super::table::TableClient;
use super::transport::ClientOptions;
use crate::config::Secret;
use crate::connector::Vendor;
use serde_json::Value;

/// A Cargo API client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct CargoClient {
    table: TableClient,
}

impl CargoClient {
    pub fn new(base_url: &str, secret: Secret, options: ClientOptions) -> Result<Self, ApiError> {
        Ok(CargoClient {
            table: TableClient::new(Vendor::Cargo, base_url, secret, options)?,
        })
    }

    pub fn base_url(&self) -> &str {
        self.table.base_url()
    }

    /// `GET /v1/connection/connectors` → `{connectors: [...]}`.
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        self.table.list().await
    }

    /// `GET /v1/connection/connectors/{uuid}`: the connector, unwrapped.
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        self.table.get(id).await
    }

    /// `POST /v1/connection/connectors` → `{connector, dataset}`; returns the connector.
    /// Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        self.table.create(body).await
    }

    /// `PUT /v1/connection/connectors/{uuid}` with only the updatable fields (the caller
    /// passes `Connector::outgoing_update()`).
    pub async fn update(&self, id: &str, body: &Value) -> Result<Value, ApiError> {
        self.table.put(id, body).await
    }

    /// `DELETE /v1/connection/connectors/{uuid}`.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.table.delete(id).await
    }
}
