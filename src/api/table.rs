//! The wire client every vendor uses, driven entirely by its vendor table (`VendorSpec`): paths,
//! auth, id checks, the list envelope (Databar's bare array, Agent Stack's paged `items`, Cargo's
//! `connectors`) and the single-connector wrapper (Cargo's `{connector, dataset}`). A rule about
//! envelopes lives here once; `api::Client` adds the few behaviours that differ by vendor.

use super::ApiError;
use super::transport::{ClientOptions, Reply, Transport};
use crate::config::Secret;
use crate::connector::{IdKind, Paging, Vendor, VendorSpec};
use reqwest::Method;
use serde_json::Value;
use std::collections::HashSet;

/// More pages than this is a server that never stops paging, not a real account.
pub const MAX_PAGES: usize = 1000;

/// A vendor client whose every path and envelope comes from the vendor table. Cheap to clone.
#[derive(Debug, Clone)]
pub struct TableClient {
    vendor: Vendor,
    transport: Transport,
}

impl TableClient {
    pub fn new(
        vendor: Vendor,
        base_url: &str,
        secret: Secret,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        Ok(TableClient {
            vendor,
            transport: Transport::new(base_url, vendor.spec().auth, secret, options)?,
        })
    }

    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    fn spec(&self) -> &'static VendorSpec {
        self.vendor.spec()
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The item path for `id`, after checking the id can be this vendor's.
    pub fn item_path(&self, id: &str) -> Result<String, ApiError> {
        check_id(self.vendor, id)?;
        Ok(self.spec().item_path_for(id))
    }

    /// Every connector: the list answer's array (`list_key`), following the vendor's paging
    /// (Agent Stack's `has_more` and `next_page_token`, sent back as `?page_token=`) until the
    /// last page.
    pub async fn list(&self) -> Result<Vec<Value>, ApiError> {
        let collection = self.spec().collection_path;
        let paging = self.spec().paging;
        let mut items = Vec::new();
        // The next page's token, with the vendor's paging that sent it.
        let mut token: Option<(Paging, String)> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let path = match &token {
                None => collection.to_owned(),
                Some((paging, token)) => {
                    let encoded: String =
                        url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
                    format!("{collection}?{}={encoded}", paging.param)
                }
            };
            let reply = self.transport.send(Method::GET, &path, None).await?;
            let status = reply.status.as_u16();
            let url = self.transport.url(&path);
            let page = match self.spec().list_key {
                None => reply.body.as_array(),
                Some(key) => reply.body.get(key).and_then(Value::as_array),
            };
            let Some(page) = page else {
                let expected = self.spec().list_key.map_or_else(
                    || "a JSON array".to_owned(),
                    |key| format!("an object with an {key:?} array"),
                );
                return Err(unexpected(&url, status, &expected, &reply.body));
            };
            items.extend(page.iter().cloned());
            let Some((paging, next)) = paging.and_then(|p| Some((p, next_token(p, &reply.body)?)))
            else {
                return Ok(items);
            };
            if !seen.insert(next.to_owned()) {
                return Err(ApiError::Paging {
                    url,
                    message: format!("the server sent {} {next:?} twice", paging.token),
                });
            }
            token = Some((paging, next.to_owned()));
        }
        Err(ApiError::Paging {
            url: self.transport.url(collection),
            message: format!("more than {MAX_PAGES} pages"),
        })
    }

    /// `GET` the item: the connector object (unwrapped from `response_key`).
    pub async fn get(&self, id: &str) -> Result<Value, ApiError> {
        let path = self.item_path(id)?;
        self.call(Method::GET, &path, None).await
    }

    /// `POST` the collection: the created connector (unwrapped). Never retried.
    pub async fn create(&self, body: &Value) -> Result<Value, ApiError> {
        let path = self.spec().collection_path;
        self.call(Method::POST, path, Some(body)).await
    }

    /// `PUT` the item with `body` as given (the caller chooses whole or partial).
    pub async fn put(&self, id: &str, body: &Value) -> Result<Value, ApiError> {
        let path = self.item_path(id)?;
        self.call(Method::PUT, &path, Some(body)).await
    }

    /// `DELETE` the item (204).
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        let path = self.item_path(id)?;
        self.transport.send(Method::DELETE, &path, None).await?;
        Ok(())
    }

    /// Sends a request whose answer is one connector, and unwraps it from `response_key`
    /// (a bare connector with an id is accepted as well).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let url = self.transport.url(path);
        let reply = self
            .transport
            .send(method, path, body)
            .await
            .map_err(|e| e.placed_for(self.spec()))?;
        let status = reply.status.as_u16();
        let whole = object(&url, reply)?;
        match self.spec().response_key {
            None => Ok(whole),
            Some(key) => match whole.get(key) {
                Some(inner) if inner.is_object() => Ok(inner.clone()),
                // Only create is documented as wrapped; a bare connector is accepted too.
                _ if whole.get(self.spec().id_field).is_some() => Ok(whole),
                _ => Err(unexpected(
                    &url,
                    status,
                    &format!("an object with a {key:?} object"),
                    &whole,
                )),
            },
        }
    }
}

/// The token of the next page, when the answer says one follows.
fn next_token(paging: Paging, body: &Value) -> Option<&str> {
    let more = body.get(paging.more).and_then(Value::as_bool) == Some(true);
    body.get(paging.token)
        .and_then(Value::as_str)
        .filter(|t| more && !t.is_empty())
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

fn object(url: &str, reply: Reply) -> Result<Value, ApiError> {
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

fn unexpected(url: &str, status: u16, expected: &str, got: &Value) -> ApiError {
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
        let client = TableClient::new(
            Vendor::Databar,
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
