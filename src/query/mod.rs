//! Stats queries over visitor-days (see `materialize`): metrics by dimensions, filters,
//! minimum-group-size suppression; and the last five minutes from `events` (`realtime`).
//! Every grouped answer leaves this module suppressed.
//!
//! Deliberately not here yet: funnels, journeys and attribution (issue "Journeys,
//! funnels and attribution", parts 3, 4 and 5).

pub mod filter;
pub mod materialize;
pub mod range;
pub mod realtime;
pub mod sql;
pub mod stats;

use crate::store::StoreError;

/// Errors of a stats query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query asks for something invalid or unsupported; the text says what.
    #[error("{0}")]
    Invalid(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<clickhouse::error::Error> for QueryError {
    fn from(e: clickhouse::error::Error) -> Self {
        Self::Store(e.into())
    }
}
