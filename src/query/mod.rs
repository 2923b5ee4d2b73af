//! Queries over visitor-days (see `materialize`): stats by dimensions with filters
//! (`stats`), ordered funnels (`funnel`), paths and flows (`paths`) over each visitor's
//! journey (`journey`); and from `events`, the last five minutes (`realtime`), a site's
//! latest events for the installation check (`install`) and its custom property keys
//! (`properties`). Every grouped answer leaves this module suppressed to the site's
//! minimum group size.

pub mod answers;
pub mod attribution;
pub mod bounds;
pub mod compare;
pub mod filter;
pub mod funnel;
pub mod install;
pub mod journey;
pub mod materialize;
pub mod paths;
pub mod properties;
pub mod range;
pub mod realtime;
pub mod rollup;
pub mod source;
pub mod sql;
pub mod stats;
pub mod suppress;
pub mod timeline;

use crate::store::StoreError;

/// Errors of a stats query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query asks for something invalid or unsupported; the text says what.
    #[error("{0}")]
    Invalid(String),
    /// The query would exceed a bound before it is sent (e.g. a list too long for one
    /// statement).
    #[error("the query is too heavy ({} limit)", .0.name())]
    Cut(bounds::Cut),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<clickhouse::error::Error> for QueryError {
    fn from(e: clickhouse::error::Error) -> Self {
        Self::Store(e.into())
    }
}
