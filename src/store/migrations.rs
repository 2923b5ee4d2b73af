//! Versioned, idempotent schema migrations, recorded in `schema_migrations`.
//!
//! Each migration is a list of statements that are safe to run twice (`IF NOT EXISTS`),
//! so two nodes migrating at once, or a crash between a statement and its record, only
//! ever repeat harmless work. Every statement runs on ClickHouse 18.16 and on modern
//! servers; the one dialect difference that matters here is chosen by server version:
//!
//! * `LowCardinality(String)` is experimental on 18.16 (it needs a setting that modern
//!   servers reject) and makes 18.16 inserts 3–4× slower (clickhouse-notes P2, P3), so
//!   18.x gets plain `String` columns. Queries are identical for both types.

use super::{cluster, major_version, Store, StoreError};

/// A schema change: a version, a name, and statements with `{lc}` standing for the
/// low-cardinality string type of the server at hand.
struct Migration {
    version: u32,
    name: &'static str,
    statements: &'static [&'static str],
    /// Columns added to existing tables: (table, column, type). 18.16 has no
    /// `ADD COLUMN IF NOT EXISTS`, so the runner checks `system.columns` first.
    add_columns: &'static [(&'static str, &'static str, &'static str)],
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        statements: &[r#"
CREATE TABLE IF NOT EXISTS events
(
    site_id            UInt32,
    timestamp          DateTime('UTC'),
    timestamp_ms       UInt16,
    visitor_id         UInt64,
    name               {lc},
    hostname           {lc},
    pathname           String,
    query_keys         Array(String),
    query_values       Array(String),
    referrer           String,
    referrer_source    {lc},
    channel            {lc},
    utm_source         {lc},
    utm_medium         {lc},
    utm_campaign       {lc},
    utm_content        String,
    utm_term           String,
    country_code       FixedString(2),
    subdivision_code   {lc},
    region             {lc},
    city               {lc},
    city_geoname_id    UInt32,
    browser            {lc},
    browser_version    {lc},
    os                 {lc},
    os_version         {lc},
    device             Enum8('unknown' = 0, 'desktop' = 1, 'mobile' = 2, 'tablet' = 3),
    prop_keys          Array(String),
    prop_values        Array(String),
    revenue_amount     Decimal(18, 4),
    revenue_currency   FixedString(3),
    sensitive          UInt8
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), visitor_id, timestamp)
SAMPLE BY visitor_id
SETTINGS index_granularity = 8192"#],
        add_columns: &[],
    },
    Migration {
        version: 2,
        name: "sites",
        // ReplacingMergeTree keyed by site: an update is a new row with a later
        // `updated_at`, read back with FINAL. Sites are few, so FINAL is cheap.
        statements: &[r#"
CREATE TABLE IF NOT EXISTS sites
(
    site_id           UInt32,
    domain            String,
    timezone          String,
    min_group_size    UInt16,
    retention_months  UInt16,
    sensitive_paths   Array(String),
    query_allow       Array(String),
    partner_domains   Array(String),
    respect_dnt       UInt8,
    city_enabled      UInt8,
    deleted           UInt8,
    updated_at        DateTime('UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site_id"#],
        add_columns: &[],
    },
    Migration {
        version: 3,
        name: "salts",
        // One partition per day so that a day's salt is destroyed by dropping its
        // partition, never by a mutation that would rewrite (and briefly copy) it.
        statements: &[r#"
CREATE TABLE IF NOT EXISTS salts
(
    day         Date,
    salt        String,
    created_at  DateTime('UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (day, salt)"#],
        add_columns: &[],
    },
    Migration {
        version: 4,
        name: "api_keys",
        statements: &[r#"
CREATE TABLE IF NOT EXISTS api_keys
(
    key_hash    String,
    site_id     UInt32,
    created_at  DateTime('UTC'),
    revoked     UInt8
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY key_hash"#],
        add_columns: &[],
    },
    Migration {
        version: 5,
        name: "consented_journeys",
        // One key per site for visitors who consented to cross-day journeys. A site with
        // no enabled row keeps one-day visitor ids only; disabling erases the key.
        statements: &[r#"
CREATE TABLE IF NOT EXISTS consent_keys
(
    site_id     UInt32,
    key         String,
    enabled     UInt8,
    updated_at  DateTime('UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site_id"#],
        // Which rows rest on a consented id, so answers can state the id lifetime.
        add_columns: &[("events", "consented", "UInt8")],
    },
    Migration {
        version: 6,
        name: "visitor_days",
        // Every stats query reads visitor-days: one row per visitor id and UTC day with
        // its visits and its events in order, built from `events` by `query::materialize`
        // for closed days (the same SELECT serves the open tail at query time). A
        // rebuild writes a new `build` and switches `visitor_day_builds` to it; the old
        // build's partition is dropped later, so readers never see a half-built day.
        statements: &[
            r#"
CREATE TABLE IF NOT EXISTS visitor_days
(
    site_id            UInt32,
    day                Date,
    build              UInt64,
    visitor_id         UInt64,
    consented          UInt8,
    first_ms           UInt64,
    s_start            Array(UInt64),
    s_duration         Array(UInt32),
    s_pageviews        Array(UInt32),
    s_events           Array(UInt32),
    s_bounce           Array(UInt8),
    s_entry            Array(String),
    s_exit             Array(String),
    s_hostname         Array(String),
    s_referrer         Array(String),
    s_source           Array(String),
    s_channel          Array(String),
    s_utm_source       Array(String),
    s_utm_medium       Array(String),
    s_utm_campaign     Array(String),
    s_utm_content      Array(String),
    s_utm_term         Array(String),
    s_country          Array(String),
    s_region           Array(String),
    s_city             Array(String),
    s_browser          Array(String),
    s_browser_version  Array(String),
    s_os               Array(String),
    s_device           Array(String),
    e_ms               Array(UInt32),
    e_session          Array(UInt32),
    e_next_ms          Array(UInt32),
    e_name             Array(String),
    e_page             Array(String),
    e_sensitive        Array(UInt8),
    e_vfirst           Array(UInt8),
    e_sfirst           Array(UInt8),
    e_prop_keys        Array(Array(String)),
    e_prop_values      Array(Array(String))
)
ENGINE = MergeTree
PARTITION BY (toYYYYMMDD(day), build)
ORDER BY (site_id, day, visitor_id)"#,
            r#"
CREATE TABLE IF NOT EXISTS visitor_day_builds
(
    day      Date,
    build    UInt64,
    events   UInt64,
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY day"#,
        ],
        add_columns: &[],
    },
    Migration {
        version: 7,
        name: "goals_and_content_groups",
        // Per-site definitions, edited rarely: latest `updated_at` wins, `deleted`
        // is a tombstone.
        statements: &[
            r#"
CREATE TABLE IF NOT EXISTS goals
(
    site_id     UInt32,
    name        String,
    event_name  String,
    page        String,
    deleted     UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, name)"#,
            r#"
CREATE TABLE IF NOT EXISTS content_groups
(
    site_id     UInt32,
    name        String,
    patterns    Array(String),
    position    UInt32,
    deleted     UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, name)"#,
        ],
        add_columns: &[],
    },
    Migration {
        version: 8,
        name: "open_day_builds",
        // A build of the day still open holds the events before `cutoff` (seconds);
        // closed days are built whole (0).
        statements: &[],
        add_columns: &[("visitor_day_builds", "cutoff", "UInt32")],
    },
    Migration {
        version: 9,
        name: "saved_funnels",
        statements: &[r#"
CREATE TABLE IF NOT EXISTS funnels
(
    site_id     UInt32,
    name        String,
    definition  String,
    deleted     UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, name)"#],
        add_columns: &[],
    },
    Migration {
        version: 10,
        name: "day_rollups",
        // Sums per UTC day and key of the unfiltered one-dimension stats (top pages,
        // channels, …), written by the job with each closed day's build and in the same
        // `(day, build)` partition, so they are replaced and dropped with it. Visitors
        // with daily ids are summed; consented ids span days and keep an exact set.
        statements: &[r#"
CREATE TABLE IF NOT EXISTS day_rollups
(
    site_id          UInt32,
    day              Date,
    build            UInt64,
    dim              String,
    key              String,
    visitors         UInt64,
    ids              Array(UInt64),
    visits           UInt64,
    pageviews        UInt64,
    events           UInt64,
    bounces          UInt64,
    duration_ms      UInt64,
    visit_pageviews  UInt64,
    top_ms           UInt64,
    top_n            UInt64
)
ENGINE = MergeTree
PARTITION BY (toYYYYMMDD(day), build)
ORDER BY (site_id, dim, key)"#],
        // Which rollup set a build carries (0: none; see `query::rollup::VERSION`).
        add_columns: &[("visitor_day_builds", "rollups", "UInt8")],
    },
    Migration {
        version: 11,
        name: "answer_parts",
        // Per-day partial answers of funnels, paths and attribution (`query::answers`),
        // in the `(day, build)` partition of the visitor-days they were computed from,
        // so they are dropped with them. A day's parts count once they are recorded
        // in `answer_runs`, written after them.
        statements: &[
            r#"
CREATE TABLE IF NOT EXISTS answer_parts
(
    site_id      UInt32,
    day          Date,
    build        UInt64,
    fingerprint  String,
    run          UInt64,
    k1           Array(String),
    k2           Array(String),
    nums         Array(UInt64),
    hk           Array(UInt64),
    hc           Array(UInt64)
)
ENGINE = MergeTree
PARTITION BY (toYYYYMMDD(day), build)
ORDER BY (site_id, fingerprint, run)"#,
            r#"
CREATE TABLE IF NOT EXISTS answer_runs
(
    site_id      UInt32,
    day          Date,
    build        UInt64,
    fingerprint  String,
    run          UInt64,
    at           DateTime
)
ENGINE = MergeTree
PARTITION BY (toYYYYMMDD(day), build)
ORDER BY (site_id, fingerprint, day)"#,
        ],
        add_columns: &[],
    },
    Migration {
        version: 12,
        name: "answer_rows",
        // The per-row output of stored answers' consented rows (`query::answers`), so
        // a request corrects consented visitors seen on several days from these short
        // rows. Numbers and strings go in one nested array each, a column per element,
        // so one table serves every shape. Rows are found by their run, which is
        // drawn at random per fill and so names one (day, shape): a fingerprint
        // compared per row cost more than the rows (64 bytes each).
        statements: &[r#"
CREATE TABLE IF NOT EXISTS answer_rows
(
    site_id      UInt32,
    day          Date,
    build        UInt64,
    fingerprint  String,
    run          UInt64,
    visitor_id   UInt64,
    u            Array(Array(UInt64)),
    s            Array(Array(String))
)
ENGINE = MergeTree
PARTITION BY (toYYYYMMDD(day), build)
ORDER BY (site_id, run, visitor_id)
SETTINGS index_granularity = 1024"#],
        add_columns: &[],
    },
    Migration {
        version: 13,
        name: "accounts",
        // People, their roles, sessions, invitations, shared links and the audit log
        // (`accounts`). All small; changes are newer rows, read with FINAL. Keys gain a
        // readable prefix, a name and a read-only flag (older keys: empty, 0).
        statements: &[
            r#"
CREATE TABLE IF NOT EXISTS users
(
    user_id        String,
    email          String,
    password_hash  String,
    server_owner   UInt8,
    deleted        UInt8,
    created_at     UInt32,
    updated_at     UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY user_id"#,
            r#"
CREATE TABLE IF NOT EXISTS memberships
(
    site_id     UInt32,
    user_id     String,
    role        String,
    deleted     UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, user_id)"#,
            r#"
CREATE TABLE IF NOT EXISTS sessions
(
    token_hash  String,
    user_id     String,
    share_id    String,
    created_at  UInt32,
    last_seen   UInt32,
    expires_at  UInt32,
    revoked     UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_hash"#,
            r#"
CREATE TABLE IF NOT EXISTS invitations
(
    invite_id   String,
    token_hash  String,
    site_id     UInt32,
    email       String,
    role        String,
    created_by  String,
    created_at  UInt32,
    expires_at  UInt32,
    state       UInt8,
    updated_at  UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY invite_id"#,
            r#"
CREATE TABLE IF NOT EXISTS shares
(
    share_id       String,
    token_hash     String,
    site_id        UInt32,
    name           String,
    password_hash  String,
    filters        String,
    embed_origins  Array(String),
    created_by     String,
    created_at     UInt32,
    revoked        UInt8,
    updated_at     UInt64
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY share_id"#,
            r#"
CREATE TABLE IF NOT EXISTS audit_log
(
    at       UInt32,
    site_id  UInt32,
    actor    String,
    action   String,
    target   String
)
ENGINE = MergeTree
ORDER BY (site_id, at)"#,
        ],
        add_columns: &[
            ("api_keys", "prefix", "String"),
            ("api_keys", "name", "String"),
            ("api_keys", "read_only", "UInt8"),
        ],
    },
    Migration {
        version: 14,
        name: "event_batches",
        // Which batch (or write-ahead log record) each row came in, so a retry after an
        // ambiguous failure, and a replay after a crash, insert only what is not there
        // (`store::events::insert_once`). 0 for rows stored before this column.
        statements: &[],
        add_columns: &[("events", "batch_id", "UInt64")],
    },
    Migration {
        version: 15,
        name: "site_hosts",
        // The other host names a site's pages are served from; a beacon from a host
        // that is neither the site's nor one of these is dropped (older sites: none).
        statements: &[],
        add_columns: &[("sites", "hosts", "Array(String)")],
    },
    Migration {
        version: 16,
        name: "leases",
        // Who runs each background job (`store::leases`): a newer row takes over.
        statements: &[r#"
CREATE TABLE IF NOT EXISTS leases
(
    job     String,
    holder  String,
    until   UInt64,
    at      UInt64
)
ENGINE = ReplacingMergeTree(at)
ORDER BY job"#],
        add_columns: &[],
    },
];

/// The table recording applied migrations.
pub const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations \
    (version UInt32, name String, applied_at DateTime('UTC')) \
    ENGINE = ReplacingMergeTree(applied_at) ORDER BY version";
/// Binds: version, name.
pub const RECORD: &str =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now())";
/// Binds: database, table, column.
pub const COLUMN_EXISTS: &str =
    "SELECT count() FROM system.columns WHERE database = ? AND table = ? AND name = ?";
/// No binds.
pub const APPLIED: &str = "SELECT DISTINCT version FROM schema_migrations ORDER BY version";

/// Every migration statement for a server whose low-cardinality string type is `lc`.
pub fn statements(lc: &str) -> Vec<String> {
    MIGRATIONS
        .iter()
        .flat_map(|m| {
            let adds = m
                .add_columns
                .iter()
                .map(|(t, c, k)| format!("ALTER TABLE {t} ADD COLUMN {c} {k}"));
            m.statements
                .iter()
                .map(|s| s.replace("{lc}", lc))
                .chain(adds)
        })
        .collect()
}

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Creates the database and applies every migration not yet recorded; returns the
/// versions applied by this call.
///
/// A node that finds the schema current sends no DDL at all: in cluster mode DDL
/// waits for every server, and a node must be able to start while one is down.
pub async fn migrate(store: &Store) -> Result<Vec<u32>, StoreError> {
    if is_current(store).await {
        same_schema_everywhere(store).await?;
        return Ok(Vec::new());
    }
    store.ensure_database().await?;
    create(store, MIGRATIONS_TABLE).await?;
    let lc = if major_version(&store.version().await?) >= 20 {
        "LowCardinality(String)"
    } else {
        "String"
    };
    let done = applied_versions(store).await?;
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        for statement in m.statements {
            create(store, &statement.replace("{lc}", lc)).await?;
        }
        for (table, column, kind) in m.add_columns {
            add_column(store, table, column, kind).await?;
        }
        store
            .client()
            .query(RECORD)
            .bind(m.version)
            .bind(m.name)
            .execute()
            .await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied.push(m.version);
    }
    same_schema_everywhere(store).await?;
    Ok(applied)
}

/// In cluster mode, waits until every server that answers has the columns of the one
/// this node talks to. An `ALTER` of a replicated table reaches the other replicas in
/// the background (and, when two nodes migrate at once, possibly after the other's
/// migration has returned); a node must not write before its own server has them.
async fn same_schema_everywhere(store: &Store) -> Result<(), StoreError> {
    let Some(c) = store.cluster() else {
        return Ok(());
    };
    // Asked in `system`: a server that lacks Parcours' databases must count as behind,
    // not as one that does not answer.
    let ask = |s: &Store| {
        s.client()
            .clone()
            .with_database("system")
            .query(cluster::SCHEMA)
            .bind(store.database())
            .bind(c.shard_database())
            .fetch_one::<Vec<String>>()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let want = ask(store).await?;
        let mut behind = 0;
        for r in c.replicas() {
            // A server that does not answer cannot be waited for; it catches up when back.
            if let Ok(Ok(have)) = tokio::time::timeout(r.timeouts().connect, ask(r)).await {
                behind += usize::from(have != want);
            }
        }
        if behind == 0 {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(StoreError::Invalid(format!(
                "{behind} ClickHouse server(s) still differ in schema after 120 s"
            )));
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Runs a `CREATE TABLE IF NOT EXISTS`, on every server in cluster mode.
async fn create(store: &Store, statement: &str) -> Result<(), StoreError> {
    let statements = match store.cluster() {
        None => vec![statement.to_owned()],
        Some(c) => cluster::create_statements(statement, store.database(), c.name()),
    };
    for s in statements {
        store.client().query(&s).execute().await?;
    }
    Ok(())
}

async fn column_exists(
    store: &Store,
    database: &str,
    table: &str,
    column: &str,
) -> Result<bool, StoreError> {
    let n: u64 = store
        .client()
        .query(COLUMN_EXISTS)
        .bind(database)
        .bind(table)
        .bind(column)
        .fetch_one()
        .await?;
    Ok(n > 0)
}

/// Adds a column unless it exists. Two nodes may race here: a failed `ALTER` whose
/// column exists afterwards is the other node's success.
async fn add_column(
    store: &Store,
    table: &str,
    column: &str,
    kind: &str,
) -> Result<(), StoreError> {
    let db = store.database();
    // Names and types are constants of this file, not input.
    let (target, on_cluster) = match store.cluster() {
        Some(c) if cluster::SHARDED.contains(&table) => (
            format!("{}.{table}", c.shard_database()),
            format!(" ON CLUSTER {}", c.name()),
        ),
        // A replicated table passes an ALTER on to its other replicas itself.
        Some(_) => (format!("{db}.{table}"), String::new()),
        None => (table.to_owned(), String::new()),
    };
    let (check_db, check_table) = target.split_once('.').unwrap_or((db, table));
    if !column_exists(store, check_db, check_table, column).await? {
        let sql = format!("ALTER TABLE {target}{on_cluster} ADD COLUMN {column} {kind}");
        if let Err(e) = store.client().query(&sql).execute().await {
            if !column_exists(store, check_db, check_table, column).await? {
                return Err(e.into());
            }
        }
    }
    // A Distributed table's columns are its own (clickhouse-cluster.md, pitfall 5), and
    // an ALTER of one is refused on a cluster of replicated shards (pitfall 1). It holds
    // no rows (inserts are synchronous), so it is made again over the new columns.
    if let Some(c) = store
        .cluster()
        .filter(|_| cluster::SHARDED.contains(&table))
    {
        if !column_exists(store, db, table, column).await? {
            let drop = format!("DROP TABLE IF EXISTS {db}.{table} ON CLUSTER {}", c.name());
            store.client().query(&drop).execute().await?;
            let sql = cluster::distributed_sql(db, c.name(), table);
            store.client().query(&sql).execute().await?;
        }
    }
    Ok(())
}

/// Versions recorded as applied.
pub async fn applied_versions(store: &Store) -> Result<Vec<u32>, StoreError> {
    Ok(store.client().query(APPLIED).fetch_all::<u32>().await?)
}

/// Whether the schema is at the version this build expects, or newer.
///
/// Newer counts: migrations only add tables and columns (with defaults), which this
/// build's statements, naming their columns, do not see. During a rolling upgrade the
/// old nodes stay ready while the first new one migrates.
pub async fn is_current(store: &Store) -> bool {
    match applied_versions(store).await {
        Ok(v) => v.last().is_some_and(|last| *last >= latest_version()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_and_statements_are_idempotent() {
        let mut last = 0;
        for m in MIGRATIONS {
            assert!(m.version > last, "migration {} out of order", m.name);
            last = m.version;
            for s in m.statements {
                assert!(s.contains("IF NOT EXISTS"), "{} must be idempotent", m.name);
            }
        }
    }
}
