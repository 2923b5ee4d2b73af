//! ClickHouse access: the client, the schema, and the small metadata tables.
//!
//! Every query Parcours sends is built in this module tree or in `query`, with values
//! bound by the `clickhouse` crate (client-side escaping: 18.16 has no server-side
//! parameters, see clickhouse-notes P11). Nothing here formats user input into SQL.
//!
//! Schema validation of the crate is turned off on purpose: with validation on, the
//! crate asks for `RowBinaryWithNamesAndTypes`, which ClickHouse 18.16 rejects
//! ("Unknown format"), while plain `RowBinary` works on 18.16 and on modern servers.
//! Our row structs are checked against the live schema by the integration tests instead.

pub mod cluster;
pub mod events;
pub mod funnels;
pub mod goals;
pub mod health;
pub mod keys;
pub mod leases;
pub mod local;
pub mod migrations;
pub mod retention;
pub mod sites;

use std::time::Duration;

use clickhouse::Client;
use hyper_util::client::legacy::{connect::HttpConnector, Client as HyperClient};
use hyper_util::rt::TokioExecutor;

/// Binds: database, table. A table's active partitions, as ClickHouse prints them, with
/// the seconds since their newest part was written (by the server's clock).
pub const PARTITIONS: &str = "SELECT partition, \
    toUInt64(greatest(0, toInt64(toUInt32(now())) - toInt64(toUInt32(max(modification_time))))) AS age \
    FROM system.parts WHERE database = ? AND table = ? AND active GROUP BY partition";

/// Parses ClickHouse's display of a `(toYYYYMMDD(day), build)` partition (visitor-days,
/// rollups): `(20261120,123)`.
pub fn day_build_partition(p: &str) -> Option<(chrono::NaiveDate, u64)> {
    let inner = p.trim().strip_prefix('(')?.strip_suffix(')')?;
    let (d, b) = inner.split_once(',')?;
    let day = chrono::NaiveDate::parse_from_str(d.trim(), "%Y%m%d").ok()?;
    Some((day, b.trim().parse().ok()?))
}

/// Errors from ClickHouse or from the data it returned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The server answered with an error or could not be reached.
    #[error("ClickHouse: {0}")]
    ClickHouse(#[from] clickhouse::error::Error),
    /// The data violates an invariant Parcours relies on.
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    /// ClickHouse's numeric exception code, when the server sent one.
    ///
    /// Only the leading `Code: N` is parsed: the rest of the text differs between
    /// 18.16 and modern servers (clickhouse-notes P13).
    pub fn code(&self) -> Option<u32> {
        Self::code_in(&self.to_string())
    }

    /// The leading `Code: N` of an error text.
    pub fn code_in(text: &str) -> Option<u32> {
        let rest = &text[text.find("Code: ")? + 6..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().ok()
    }

    /// The kind of failure, without its text (which may quote SQL or stored data).
    pub fn class(&self) -> &'static str {
        match self {
            Self::ClickHouse(e) => client_class(e),
            Self::Invalid(_) => "invalid_data",
        }
    }

    /// Whether retrying the same request later may succeed.
    ///
    /// Bad data (Code 117 "incorrect data", 53 "type mismatch", 27 "cannot parse") and
    /// unknown columns or tables (16, 60) will fail the same way every time.
    pub fn is_retryable(&self) -> bool {
        !matches!(self.code(), Some(16 | 27 | 53 | 60 | 62 | 117))
    }
}

/// How long the node waits on ClickHouse before it gives up on a request.
///
/// A server that is stopped or behind a network black hole accepts nothing and
/// answers nothing; without these, inserts pile up and API requests hang.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    /// Opening a TCP connection.
    pub connect: Duration,
    /// Longest silence while sending a request body or reading an answer: it must
    /// exceed the longest query ClickHouse is allowed to run (it sends nothing until
    /// the result is ready).
    pub io: Duration,
    /// Sending one chunk of an insert's body.
    pub insert_send: Duration,
    /// Waiting for ClickHouse to confirm an insert whose body was sent.
    pub insert_end: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(3),
            io: Duration::from_secs(90),
            insert_send: Duration::from_secs(10),
            insert_end: Duration::from_secs(30),
        }
    }
}

/// The kind of a client error, for logs that must not carry its text.
pub fn client_class(e: &clickhouse::error::Error) -> &'static str {
    use clickhouse::error::Error as E;
    match e {
        E::BadResponse(_) => "clickhouse_error",
        E::Network(_) => "clickhouse_network",
        E::TimedOut => "clickhouse_timeout",
        E::RowNotFound => "clickhouse_no_row",
        E::InvalidParams(_) => "clickhouse_params",
        E::Compression(_) | E::Decompression(_) => "clickhouse_compression",
        _ => "clickhouse_format",
    }
}

/// A handle on Parcours' ClickHouse database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    client: Client,
    database: String,
    timeouts: Timeouts,
    health: std::sync::Arc<health::Health>,
    cluster: Option<std::sync::Arc<cluster::Cluster>>,
}

impl Store {
    /// Builds a client for `url` with the default timeouts; no request is sent until
    /// first use.
    pub fn new(url: &str, database: &str, user: &str, password: &str) -> Self {
        Self::with_timeouts(url, database, user, password, Timeouts::default())
    }

    /// Builds a client for `url` that gives up after `timeouts`.
    pub fn with_timeouts(
        url: &str,
        database: &str,
        user: &str,
        password: &str,
        timeouts: Timeouts,
    ) -> Self {
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(timeouts.connect));
        tcp.set_keepalive(Some(Duration::from_secs(60)));
        tcp.set_nodelay(true);
        let mut connector = hyper_timeout::TimeoutConnector::new(tcp);
        connector.set_read_timeout(Some(timeouts.io));
        connector.set_write_timeout(Some(timeouts.io));
        let http = HyperClient::builder(TokioExecutor::new())
            // Below ClickHouse's keep-alive timeout (3 s before 23.11), so a pooled
            // connection is never one the server is closing.
            .pool_idle_timeout(Duration::from_secs(2))
            .build(connector);
        let client = Client::with_http_client(http)
            .with_url(url)
            .with_user(user)
            .with_password(password)
            .with_database(database)
            // See the module header: RowBinary without the names-and-types header.
            .with_validation(false);
        Self {
            client,
            database: database.to_owned(),
            timeouts,
            health: Default::default(),
            cluster: None,
        }
    }

    /// Whether ClickHouse answered lately (shared by every clone).
    pub fn health(&self) -> &health::Health {
        &self.health
    }

    /// The timeouts this handle gives up after.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The client bound to Parcours' database.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A copy whose statements share one new server session, for temporary tables.
    /// ClickHouse ends the session a minute after its last statement; a session takes
    /// one statement at a time, so each caller gets its own.
    pub fn session(&self) -> Self {
        let id = format!("parcours-{:016x}", rand::random::<u64>());
        Self {
            client: self.client.clone().with_setting("session_id", id),
            database: self.database.clone(),
            timeouts: self.timeouts,
            health: self.health.clone(),
            cluster: self.cluster.clone(),
        }
    }

    /// Name of Parcours' database.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// Creates the database if it does not exist.
    pub async fn ensure_database(&self) -> Result<(), StoreError> {
        // The database may not exist yet, so this one statement runs in `default`.
        // The names were validated as plain identifiers at config load.
        let client = self.client.clone().with_database("default");
        let Some(c) = self.cluster() else {
            let sql = format!("CREATE DATABASE IF NOT EXISTS {}", self.database);
            client.query(&sql).execute().await?;
            return Ok(());
        };
        for db in [self.database.as_str(), c.shard_database()] {
            let sql = format!("CREATE DATABASE IF NOT EXISTS {db} ON CLUSTER {}", c.name());
            client.query(&sql).execute().await?;
        }
        Ok(())
    }

    /// The server's version string, e.g. `18.16.1` or `26.9.2.1`.
    pub async fn version(&self) -> Result<String, StoreError> {
        Ok(self
            .client
            .query("SELECT version()")
            .fetch_one::<String>()
            .await?)
    }

    /// Answers whether the server is reachable, within the connect timeout: a stopped
    /// server must not hold `/ready` for the whole I/O timeout.
    pub async fn ping(&self) -> bool {
        let ask = self.client.query("SELECT 1").fetch_one::<u8>();
        matches!(
            tokio::time::timeout(self.timeouts.connect, ask).await,
            Ok(Ok(_))
        )
    }
}

/// The major version number of a ClickHouse version string (`18.16.1` → 18).
pub fn major_version(version: &str) -> u32 {
    version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_build_partitions_parse() {
        assert_eq!(
            day_build_partition("(20261120,9223372036854775807)"),
            Some((
                chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                9_223_372_036_854_775_807
            ))
        );
        assert_eq!(day_build_partition("202611"), None);
    }

    #[test]
    fn codes_are_parsed_from_both_dialects() {
        let old = StoreError::Invalid(
            "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist".into(),
        );
        let new = StoreError::Invalid("Code: 117. DB::Exception: bad (INCORRECT_DATA)".into());
        assert_eq!(old.code(), Some(60));
        assert_eq!(new.code(), Some(117));
        assert!(!new.is_retryable());
        assert!(StoreError::Invalid("connection refused".into()).is_retryable());
    }

    #[test]
    fn major_versions() {
        assert_eq!(major_version("18.16.1"), 18);
        assert_eq!(major_version("26.9.2.1"), 26);
        assert_eq!(major_version("garbage"), 0);
    }
}
