//! Ingestion: `POST /api/event` from body to buffered row.
//!
//! `beacon` parses and validates the body, `client_ip` finds the real client behind
//! trusted proxies, `pipeline` enriches and anonymizes, `handler` ties them to HTTP;
//! `drops` remembers, for a few minutes, which domains' beacons were not stored and why.

pub mod beacon;
pub mod client_ip;
pub mod drops;
pub mod handler;
pub mod pipeline;
