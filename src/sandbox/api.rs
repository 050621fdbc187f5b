//! The handlers every vendor shares, over a small per-vendor trait: the vendor judges a request
//! (its credentials, the path's id and the body, in its order and error shape) and says what to
//! store and how to answer; reading, creating, replacing and deleting in the store is the same
//! for all of them.
//!
//! Owns no vendor's fields or shapes: `databar.rs`, `agent_stack.rs` and `cargo.rs` implement
//! [`Api`]; `FastAPI`'s judgement is `fastapi.rs`'s.

use super::Shared;
use super::errors::HttpError;
use super::request::read_body;
use super::store::{Key, NewRow, Record, Updated};
use crate::connector::Vendor;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

/// The operation a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    List,
    Read,
    Create,
    Replace,
    Delete,
    /// A vendor's own call on one connector (Agent Stack's connect and disconnect).
    Action,
}

/// What a request carries, as read so far.
pub struct Incoming<'a> {
    pub headers: &'a HeaderMap,
    /// The path's id, as sent.
    pub id: Option<&'a str>,
    /// The body, read in full (or why it could not be).
    pub body: Option<Result<Bytes, HttpError>>,
}

impl<'a> Incoming<'a> {
    pub fn new(
        headers: &'a HeaderMap,
        id: Option<&'a str>,
        body: Option<Result<Bytes, HttpError>>,
    ) -> Self {
        Incoming { headers, id, body }
    }
}

/// A request the vendor accepted: the connector it names and its body as the vendor read it.
#[derive(Debug, Default)]
pub struct Judged {
    pub key: Option<Key>,
    pub body: Option<Record>,
}

/// One vendor's API as the sandbox serves it.
pub trait Api: Send + Sync + 'static {
    const VENDOR: Vendor;
    /// The vendor's error answer.
    type Error: IntoResponse + From<HttpError> + Send + 'static;

    /// Judges a request for `op` as the vendor does, in its order: credentials, the path's
    /// id, the body.
    fn judge(shared: &Shared, incoming: Incoming<'_>, op: Op) -> Result<Judged, Self::Error>;

    /// What to store for an accepted create body.
    fn new_row(shared: &Shared, body: Record) -> Result<NewRow, Self::Error>;

    /// A stored record as the answer to `op`.
    fn present(row: i64, record: Record, op: Op) -> Value;

    fn not_found(key: &Key) -> Self::Error;

    /// Another connector already has the new one's unique value.
    fn taken(unique: &str) -> Self::Error {
        HttpError::new(StatusCode::CONFLICT, format!("{unique:?} is already taken")).into()
    }
}

/// A vendor with a `PUT` on its connectors.
pub trait Replace: Api {
    /// The record a `PUT` leaves, from the stored one and the accepted body.
    fn replaced(old: Record, body: Record) -> Result<Record, Self::Error>;
}

/// The store failed: a 500 in the vendor's shape.
pub fn internal<E: From<HttpError>>(error: &super::StoreError) -> E {
    HttpError::internal(error).into()
}

/// The connector a judged request names, or the vendor's 404.
pub async fn find<V: Api>(
    shared: &Shared,
    judged: &Judged,
) -> Result<(Key, i64, Record), V::Error> {
    let key = named::<V>(judged)?;
    let (row, record) = shared
        .store
        .get(V::VENDOR.key(), key.clone())
        .await
        .map_err(|e| internal::<V::Error>(&e))?
        .ok_or_else(|| V::not_found(&key))?;
    Ok((key, row, record))
}

/// The key of a request that names a connector (the vendor's `judge` always gives one).
fn named<V: Api>(judged: &Judged) -> Result<Key, V::Error> {
    judged
        .key
        .clone()
        .ok_or_else(|| HttpError::not_found("Not Found").into())
}

/// An update the vendor's change may refuse, answered as the stored record.
pub async fn update<V, F>(
    shared: &Shared,
    key: Key,
    op: Op,
    change: F,
) -> Result<Response, V::Error>
where
    V: Api,
    F: FnOnce(Record) -> Result<Record, V::Error> + Send + 'static,
{
    let updated = shared
        .store
        .update(V::VENDOR.key(), key.clone(), change)
        .await
        .map_err(|e| internal::<V::Error>(&e))?;
    match updated {
        Updated::Changed(row, record) => {
            Ok(axum::Json(V::present(row, record, op)).into_response())
        }
        Updated::Refused(error) => Err(error),
        Updated::Missing => Err(V::not_found(&key)),
    }
}

/// Every stored connector of the vendor, by row, for a list request the vendor accepts.
pub async fn listed<V: Api>(
    shared: &Shared,
    headers: &HeaderMap,
) -> Result<Vec<(i64, Record)>, V::Error> {
    let incoming = Incoming::new(headers, None, None);
    V::judge(shared, incoming, Op::List)?;
    shared
        .store
        .list(V::VENDOR.key())
        .await
        .map_err(|e| internal::<V::Error>(&e))
}

pub async fn create<V: Api>(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, V::Error> {
    let body = Some(read_body(body).await);
    let incoming = Incoming::new(&headers, None, body);
    let judged = V::judge(&shared, incoming, Op::Create)?;
    let row = V::new_row(&shared, judged.body.unwrap_or_default())?;
    let (data, unique) = (row.data.clone(), row.unique.clone());
    let inserted = shared
        .store
        .insert(V::VENDOR.key(), row)
        .await
        .map_err(|e| internal::<V::Error>(&e))?;
    let Some(id) = inserted else {
        return Err(V::taken(unique.as_deref().unwrap_or_default()));
    };
    let status = StatusCode::from_u16(V::VENDOR.spec().create_status).unwrap_or(StatusCode::OK);
    Ok((status, axum::Json(V::present(id, data, Op::Create))).into_response())
}

pub async fn read<V: Api>(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, V::Error> {
    let incoming = Incoming::new(&headers, Some(&id), None);
    let judged = V::judge(&shared, incoming, Op::Read)?;
    let (_, row, record) = find::<V>(&shared, &judged).await?;
    Ok(axum::Json(V::present(row, record, Op::Read)).into_response())
}

pub async fn replace<V: Replace>(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, V::Error> {
    let body = Some(read_body(body).await);
    let incoming = Incoming::new(&headers, Some(&id), body);
    let judged = V::judge(&shared, incoming, Op::Replace)?;
    let key = named::<V>(&judged)?;
    let body = judged.body.unwrap_or_default();
    update::<V, _>(&shared, key, Op::Replace, move |old| V::replaced(old, body)).await
}

pub async fn remove<V: Api>(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, V::Error> {
    let incoming = Incoming::new(&headers, Some(&id), None);
    let judged = V::judge(&shared, incoming, Op::Delete)?;
    let key = named::<V>(&judged)?;
    let deleted = shared
        .store
        .delete(V::VENDOR.key(), key.clone())
        .await
        .map_err(|e| internal::<V::Error>(&e))?;
    if deleted {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(V::not_found(&key))
    }
}
