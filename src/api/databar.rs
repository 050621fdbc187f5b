//! The Databar client: list, get, create, replace and delete custom connectors, with the exact
//! paths and status codes of seeds 000, 001 and 003 (`POST /v1/connectors/` → 201,
//! `PUT /v1/connectors/{id}` → 200, `DELETE` → 204). Paths and auth come from the vendor
//! table (`Vendor::Databar.spec()`), so this file only knows Databar's quirks.

use super::ApiError;
use super::transport::{ClientOptions, Reply, Transport};
use crate::config::Secret;
use crate::connector::{IdKind, Vendor, VendorSpec};
use reqwest::Method;
use serde_json::Value;

/// A Databar API client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct DatabarClient {
    transport: Transport,
}

impl DatabarClient {
    pub fn new(base_url: &str, secret: Secret, options: ClientOptions) -> Result<Self, ApiError> {
        let spec = Vendor::Databar.spec();
        Ok(DatabarClient {
            transport: Transport::new(base_url, spec.auth, secret, options)?,
        })
    }

    fn spec() -> &'static VendorSpec {
        Vendor::Databar.spec()
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    fn item_path(id: &str) -> Result<String, ApiError> {
        check_id(Vendor::Databar, id)?;
        Ok(Self::spec().item_path_for(id))
    }

    /// `GET /v1/connectors/` → 200, a bare JSON array.
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        let path = Self::spec().collection_path;
        let reply = self.transport.send(Method::GET, path, None).await?;
        let status = reply.status.as_u16();
        match reply.body {
            Value::Array(items) => Ok(items),
            other => Err(unexpected(
                &self.transport.url(path),
                status,
                "a JSON array",
                &other,
            )),
        }
    }

    /// `GET /v1/connectors/{id}` → 200 Connector.
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        let path = Self::item_path(id)?;
        let reply = self.transport.send(Method::GET, &path, None).await?;
        object(&self.transport.url(&path), reply)
    }

    /// `POST /v1/connectors/` → 201 Connector. Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        let path = Self::spec().collection_path;
        let reply = self.transport.send(Method::POST, path, Some(body)).await?;
        object(&self.transport.url(path), reply)
    }

    /// `PUT /v1/connectors/{id}` → 200 Connector; a full replace, so `body` must be the
    /// whole connector.
    pub async fn replace(&self, id: &str, body: &Value) -> Result<Value, ApiError> {
        let path = Self::item_path(id)?;
        let reply = self.transport.send(Method::PUT, &path, Some(body)).await?;
        object(&self.transport.url(&path), reply)
    }

    /// `DELETE /v1/connectors/{id}` → 204.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        let path = Self::item_path(id)?;
        self.transport.send(Method::DELETE, &path, None).await?;
        Ok(())
    }
}

/// Checks an id before it goes into a URL path: integers for Databar, UUIDs for the others.
pub fn check_id(vendor: Vendor, id: &str) -> Result<(), ApiError> {
    let ok = match vendor.spec().id_kind {
        IdKind::Integer => {
            !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit())
        }
        IdKind::Uuid => uuid::Uuid::parse_str(id).is_ok(),
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::InvalidId {
            id: id.to_owned(),
            vendor: vendor.to_string(),
            expected: match vendor.spec().id_kind {
                IdKind::Integer => "expected a whole number like 42",
                IdKind::Uuid => "expected a UUID like 3c90c3cc-0d44-4b50-8888-8dd25736052a",
            },
        })
    }
}

pub(super) fn object(url: &str, reply: Reply) -> Result<Value, ApiError> {
    if reply.body.is_object() {
        Ok(reply.body)
    } else {
        Err(unexpected(
            url,
            reply.status.as_u16(),
            "a JSON object",
            &reply.body,
        ))
    }
}

pub(super) fn unexpected(url: &str, status: u16, expected: &str, got: &Value) -> ApiError {
    let mut shown = got.to_string();
    if shown.chars().count() > 120 {
        shown = shown.chars().take(120).collect::<String>() + "…";
    }
    ApiError::NotJson {
        status,
        url: url.to_owned(),
        what: format!("JSON that is not {expected}"),
        snippet: shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_before_they_reach_a_path() {
        assert!(check_id(Vendor::Databar, "42").is_ok());
        for bad in ["", "../x", "4 2", "-1", "12345678901234567890"] {
            let err = check_id(Vendor::Databar, bad).expect_err(bad);
            assert!(
                err.to_string().contains("not a valid Databar connector id"),
                "{err}"
            );
        }
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let key = "dbk_live_0123456789abcdef";
        let client = DatabarClient::new(
            "https://api.databar.ai/",
            Secret::new(key),
            ClientOptions::default(),
        )
        .expect("client builds without network");
        let shown = format!("{client:?}");
        assert!(!shown.contains(key), "{shown}");
        assert!(shown.contains("dbk…****"), "{shown}");
        assert_eq!(client.base_url(), "https://api.databar.ai");
    }
}
