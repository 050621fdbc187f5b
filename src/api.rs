//! HTTP clients for the vendors' connector APIs (being written).

pub mod fire;
