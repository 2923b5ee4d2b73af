//! What one analytics request may cost ClickHouse: every statement it sends carries a
//! time limit, a memory limit, a result-rows limit and a query id that names the
//! request, so the node can kill its statements when the client goes away.
//!
//! Requirements:
//! 1. Every statement built by [`Sql::query`](super::sql::Sql::query) inside a
//!    request's [`Scope`] is bounded, without threading a handle through each builder:
//!    the scope is a task-local, set once by the handler (`server::admission`) and
//!    carried into tasks the query layer spawns ([`Scope::current`]).
//! 2. Ids are unique per statement (ClickHouse refuses a second running query with the
//!    same id) and share the request's prefix, so one `KILL QUERY ... LIKE` ends them all.
//! 3. A statement cut by a limit is told apart from a failure ([`Cut`]), so the client
//!    gets a 422/503 that says what to change, never a 500.
//! 4. Settings names exist on 18.16 and modern servers alike (`system.settings`, checked
//!    on 18.16.1 and chDB 26.9): `max_execution_time`, `timeout_overflow_mode`,
//!    `max_memory_usage`, `max_result_rows`, `result_overflow_mode`, `max_query_size`,
//!    `priority`.
//!    `max_result_rows` counts the final result only, not subqueries, on both.
//!
//! Deliberately not here: admission (how many run at once) and the kill itself, which
//! belong to the server (`server::admission`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::config::QueriesConfig;
use crate::store::StoreError;

/// ClickHouse's default `max_query_size`; longer statements raise it for themselves.
const DEFAULT_MAX_QUERY_SIZE: usize = 262_144;
/// The most a statement raises it to: beyond, ClickHouse refuses the statement
/// ([`Cut::Size`]). Lists are bounded before this (request bodies at 2 MB, folds at
/// `stats::MAX_FOLD_BYTES`); this is the last word.
const MAX_QUERY_SIZE: usize = 64 << 20;

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// The bounds and query ids of one request.
#[derive(Debug)]
pub struct Scope {
    /// Seconds per statement.
    max_execution_seconds: u64,
    /// Bytes per statement.
    max_memory_bytes: u64,
    /// Result rows per statement.
    max_result_rows: u64,
    /// ClickHouse `priority` (1 highest; lower ones pause while higher ones run).
    priority: u64,
    /// `parcours-<database>-<16 hex digits>`: the prefix of every statement id of the
    /// request (the database tells apart Parcours installations sharing a server).
    prefix: String,
    /// Next statement number; shared by the request's concurrent statements.
    next: AtomicU32,
}

impl Scope {
    /// A new scope with a random id prefix, its statements at `priority` (at least 1);
    /// `database` is a plain identifier (checked at config load).
    pub fn new(cfg: &QueriesConfig, database: &str, priority: u64) -> Arc<Self> {
        Arc::new(Self {
            priority: priority.max(1),
            max_execution_seconds: cfg.max_execution_seconds,
            max_memory_bytes: cfg.max_memory_bytes,
            max_result_rows: cfg.max_result_rows,
            prefix: format!("parcours-{database}-{:016x}", rand::random::<u64>()),
            next: AtomicU32::new(0),
        })
    }

    /// The id prefix of the request's statements (an identifier, hex and `-`: in a
    /// `LIKE` pattern, a `_` of the database matches itself among others, which is
    /// harmless before 16 random hex digits).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Runs `fut` with this scope over every statement it builds.
    pub async fn run<F: std::future::Future>(self: Arc<Self>, fut: F) -> F::Output {
        SCOPE.scope(self, fut).await
    }

    /// The scope of the running task, to carry into a task it spawns.
    pub fn current() -> Option<Arc<Self>> {
        SCOPE.try_with(Arc::clone).ok()
    }

    /// The settings of the next statement, with its id.
    fn settings(&self) -> [(&'static str, String); 7] {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        [
            ("max_execution_time", self.max_execution_seconds.to_string()),
            ("timeout_overflow_mode", "throw".into()),
            ("max_memory_usage", self.max_memory_bytes.to_string()),
            ("max_result_rows", self.max_result_rows.to_string()),
            ("result_overflow_mode", "throw".into()),
            ("query_id", format!("{}-{n}", self.prefix)),
            ("priority", self.priority.to_string()),
        ]
    }
}

/// Adds the running request's bounds to a statement (none outside a request: jobs and
/// commands), and raises `max_query_size` for a statement of `len` bytes over the
/// default (the callers bound their value lists; see `stats::MAX_FOLD_BYTES`).
pub fn apply(mut q: clickhouse::query::Query, len: usize) -> clickhouse::query::Query {
    if let Some(scope) = Scope::current() {
        for (name, value) in scope.settings() {
            q = q.with_setting(name, value);
        }
    }
    if len > DEFAULT_MAX_QUERY_SIZE / 2 {
        let size = (len * 2).clamp(DEFAULT_MAX_QUERY_SIZE, MAX_QUERY_SIZE);
        q = q.with_setting("max_query_size", size.to_string());
    }
    q
}

/// The `query_id` prefix pattern of a request's statements, for `KILL QUERY`.
pub fn like_pattern(prefix: &str) -> String {
    format!("{prefix}-%")
}

/// Binds: a `LIKE` pattern of query ids. Ends the matching statements without waiting
/// (`ASYNC`: the node's request is gone, nobody waits for the answer).
pub const KILL: &str = "KILL QUERY WHERE query_id LIKE ? ASYNC";

/// Which limit cut a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// `max_execution_time` (Code 159 TIMEOUT_EXCEEDED, 160 TOO_SLOW).
    Time,
    /// `max_memory_usage` of the statement (Code 241 MEMORY_LIMIT_EXCEEDED).
    Memory,
    /// `max_result_rows`, or too many groups (396 TOO_MANY_ROWS_OR_BYTES, 158 TOO_MANY_ROWS).
    Rows,
    /// The statement is longer than `max_query_size` (Code 62 "Max query size exceeded").
    Size,
    /// The server as a whole is out of memory or query slots (241 "total", 202): not
    /// this request's fault; retry later.
    Server,
}

impl Cut {
    /// The limit a store error reports hitting, if any (by its code, clickhouse-notes
    /// P13; the text is read only for the "(total)" of a server-wide memory limit).
    pub fn of(e: &StoreError) -> Option<Self> {
        match e.code()? {
            159 | 160 => Some(Self::Time),
            241 if e.to_string().contains("(total)") => Some(Self::Server),
            241 => Some(Self::Memory),
            158 | 396 => Some(Self::Rows),
            62 if e.to_string().contains("Max query size exceeded") => Some(Self::Size),
            202 => Some(Self::Server),
            _ => None,
        }
    }

    /// A stable name, for metrics and logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::Memory => "memory",
            Self::Rows => "rows",
            Self::Size => "size",
            Self::Server => "server",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_told_apart_by_code() {
        let e = |t: &str| StoreError::Invalid(t.into());
        let cut = |t: &str| Cut::of(&e(t));
        assert_eq!(
            cut(
                "Code: 159, e.displayText() = DB::Exception: Timeout exceeded: elapsed 1.0 seconds"
            ),
            Some(Cut::Time)
        );
        assert_eq!(cut("Code: 241. DB::Exception: Memory limit (for query) exceeded (MEMORY_LIMIT_EXCEEDED)"), Some(Cut::Memory));
        assert_eq!(
            cut("Code: 241, e.displayText() = DB::Exception: Memory limit (total) exceeded"),
            Some(Cut::Server)
        );
        assert_eq!(cut("Code: 396, e.displayText() = DB::Exception: Limit for result exceeded, max rows: 10.00"), Some(Cut::Rows));
        assert_eq!(cut("Code: 62. DB::Exception: Syntax error"), None);
        assert_eq!(
            cut("Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 16: 'a'. Max query size exceeded"),
            Some(Cut::Size)
        );
        assert_eq!(cut("connection refused"), None);
    }

    #[tokio::test]
    async fn statements_in_a_scope_are_bounded_and_numbered() {
        let client = clickhouse::Client::default();
        let scope = Scope::new(&QueriesConfig::default(), "parcours", 1);
        let prefix = scope.prefix().to_owned();
        assert!(prefix.starts_with("parcours-parcours-") && prefix.len() == 34);
        let ids = scope
            .run(async {
                let a = Scope::current().map(|s| s.settings()[5].1.clone());
                let b = Scope::current().map(|s| s.settings()[5].1.clone());
                drop(apply(client.query("SELECT 1"), 8));
                (a, b)
            })
            .await;
        assert_eq!(ids.0, Some(format!("{prefix}-0")));
        assert_eq!(ids.1, Some(format!("{prefix}-1")));
        assert!(Scope::current().is_none());
        assert_eq!(like_pattern(&prefix), format!("{prefix}-%"));
    }
}
