//! Ingestion: `POST /api/event` from body to buffered row.
//!
//! `beacon` parses and validates the body, `client_ip` finds the real client behind
//! trusted proxies, `pipeline` enriches and anonymizes, `handler` ties them to HTTP.

pub mod beacon;
pub mod client_ip;
pub mod handler;
pub mod pipeline;
