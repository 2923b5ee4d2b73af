//! Typed configuration: defaults, then a TOML file, then `PARCOURS_*` environment
//! variables, then command-line flags, each layer overriding the one before.
//!
//! Defaults live in one place (the `Default` impls below). Unknown keys in the file are
//! rejected so that a typo never silently falls back to a default. Validation happens
//! once, at boot, in [`Config::validate`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// Errors while loading or validating configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML or has unknown keys.
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    /// A setting has a value that cannot work.
    #[error("invalid setting {setting}: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
}

/// The whole configuration of a Parcours node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server (ingest, API, dashboard) listens on.
    pub listen: SocketAddr,
    /// Directory for the private ClickHouse server, the disk spool and GeoIP data.
    pub data_dir: PathBuf,
    /// Proxies whose `X-Forwarded-For` header is trusted (IPs or CIDR ranges).
    pub trusted_proxies: Vec<IpNet>,
    /// How often sites and salts are re-read from ClickHouse, in seconds.
    pub refresh_seconds: u64,
    /// How often closed days are checked and built into visitor-days, in seconds.
    pub materialize_seconds: u64,
    /// Connections open at once (0: from the open-file limit, less a margin).
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers; also the longest idle keep-alive.
    pub header_timeout_seconds: u64,
    /// ClickHouse connection.
    pub clickhouse: ClickHouseConfig,
    /// GeoIP database.
    pub geoip: GeoIpConfig,
    /// Ingestion endpoint limits.
    pub ingest: IngestConfig,
    /// Write buffer between the ingest endpoint and ClickHouse.
    pub buffer: BufferConfig,
    /// Visitor-id salts.
    pub privacy: PrivacyConfig,
    /// Dashboard accounts, sessions and sign-in limits.
    pub accounts: AccountsConfig,
    /// Who may read `/metrics`.
    pub metrics: MetricsConfig,
    /// Bounds of analytics queries (stats, funnels, journeys, attribution, properties).
    pub queries: QueriesConfig,
}

/// Bounds of analytics queries: what one request may cost ClickHouse and the node, and
/// how many may run at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueriesConfig {
    /// Seconds one ClickHouse statement may run (`max_execution_time`).
    pub max_execution_seconds: u64,
    /// Bytes of memory one ClickHouse statement may use (`max_memory_usage`).
    pub max_memory_bytes: u64,
    /// Rows one ClickHouse statement may return to the node (`max_result_rows`).
    pub max_result_rows: u64,
    /// Analytics requests of one site running at once on this node.
    pub per_site: usize,
    /// Analytics requests running at once on this node, all sites together.
    pub global: usize,
    /// Milliseconds a request waits for a free slot before it answers 503.
    pub queue_ms: u64,
    /// Saved funnels, goals and content groups a site may have (each).
    pub max_saved_per_site: usize,
}

impl Default for QueriesConfig {
    fn default() -> Self {
        Self {
            max_execution_seconds: 30,
            max_memory_bytes: 2_000_000_000,
            max_result_rows: 500_000,
            // The dashboard's overview asks some six queries of one site at once.
            per_site: 6,
            global: 16,
            queue_ms: 5_000,
            max_saved_per_site: 100,
        }
    }
}

/// Dashboard accounts and sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Addresses allowed to create the first owner from the browser (first run).
    pub setup_from: Vec<IpNet>,
    /// Seconds a node trusts a session, key or shared link it has checked: a logout or
    /// a revocation reaches every node within this time.
    pub cache_seconds: u64,
    /// Hours without a request after which a session ends.
    pub session_idle_hours: u32,
    /// Days after sign-in after which a session ends regardless.
    pub session_max_days: u32,
    /// Failed sign-ins allowed per minute per account and per client address.
    pub signin_per_minute: u32,
    /// Invalid API keys or link credentials allowed per minute per client address.
    pub bad_credentials_per_minute: u32,
    /// Credential lookups in ClickHouse (keys, sessions, links not in a node's cache)
    /// per minute per client address; a person's session costs one per `cache_seconds`.
    pub lookups_per_minute: u32,
    /// Mark the session cookie `Secure`: always, never, or unset to follow the request
    /// (TLS seen by a trusted proxy that says `X-Forwarded-Proto: https`).
    pub secure_cookies: Option<bool>,
}

/// Access to `/metrics`: open when neither is set; else a client must come from one of
/// `allow` or bring `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Bearer token scrapers send.
    pub token: Option<String>,
    /// Networks allowed without the token (the socket peer's address).
    pub allow: Vec<IpNet>,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            setup_from: vec![
                "127.0.0.0/8".parse().expect("loopback"),
                "::1/128".parse().expect("loopback"),
            ],
            cache_seconds: 30,
            session_idle_hours: 72,
            session_max_days: 14,
            signin_per_minute: 10,
            bad_credentials_per_minute: 30,
            lookups_per_minute: 240,
            secure_cookies: None,
        }
    }
}

/// ClickHouse connection settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClickHouseConfig {
    /// HTTP URL of the server; when absent Parcours starts and owns a private server under `data_dir`.
    pub url: Option<String>,
    /// Database holding Parcours' tables.
    pub database: String,
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
    /// Milliseconds to open a connection (and for `/ready`'s ping to answer).
    pub connect_timeout_ms: u64,
    /// Longest silence on a connection, sending or receiving, in seconds: it must
    /// exceed the longest query ClickHouse may run.
    pub io_timeout_seconds: u64,
    /// Seconds to wait for ClickHouse to confirm an insert whose body was sent.
    pub insert_timeout_seconds: u64,
    /// Name of a ClickHouse cluster (`remote_servers`): when set, tables are created on
    /// every server, events sharded by visitor id (`store::cluster`); empty for one server.
    pub cluster: String,
    /// HTTP URLs of every server of the cluster, which the background jobs reach shard by shard.
    pub replicas: Vec<String>,
}

impl ClickHouseConfig {
    /// The client timeouts these settings give.
    pub fn timeouts(&self) -> crate::store::Timeouts {
        use std::time::Duration;
        crate::store::Timeouts {
            connect: Duration::from_millis(self.connect_timeout_ms),
            io: Duration::from_secs(self.io_timeout_seconds),
            insert_send: Duration::from_secs(self.insert_timeout_seconds.min(10)),
            insert_end: Duration::from_secs(self.insert_timeout_seconds),
        }
    }
}

/// GeoIP settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GeoIpConfig {
    /// Path of a GeoIP2/GeoLite2 or DB-IP city `.mmdb` file; without it, no geography is recorded.
    pub db: Option<PathBuf>,
}

/// Limits of `POST /api/event`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// Largest accepted beacon body in bytes (larger answers 413).
    pub max_body_bytes: usize,
    /// Beacons accepted per second per client IP (0 disables rate limiting).
    pub rate_limit_per_second: u32,
    /// Burst of beacons a client IP may send above its rate.
    pub rate_limit_burst: u32,
    /// User-agent parse cache capacity (entries).
    pub user_agent_cache: usize,
}

/// Write buffer settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BufferConfig {
    /// Rows waiting in memory before new beacons get 503 (back-pressure, never unbounded growth).
    pub capacity: usize,
    /// Flush when this many rows are buffered.
    pub flush_rows: usize,
    /// Flush at least this often, in milliseconds.
    pub flush_interval_ms: u64,
    /// Inserts in flight at once.
    pub max_inflight: usize,
    /// Attempts per insert before the batch goes to the disk spool.
    pub insert_attempts: u32,
    /// Seconds a batch is retried before it goes to the disk spool: long enough to
    /// ride out a ClickHouse restart (less when the buffer is half full).
    pub insert_retry_seconds: u64,
    /// How often the disk spool is replayed into ClickHouse, in seconds.
    pub spool_replay_seconds: u64,
    /// Beacons are refused (503) while the spool holds this many MiB.
    pub spool_max_mb: u64,
    /// When a beacon is answered 202: once its rows are queued in memory (`memory`),
    /// or once they are synced to the write-ahead log (`disk`).
    pub ack: Ack,
    /// Microseconds a group commit of the write-ahead log gathers beacons before one
    /// fsync serves them all: more saves CPU under load, and adds to each answer's wait.
    pub wal_commit_us: u64,
    /// A write-ahead log segment is closed past this many MiB.
    pub wal_segment_mb: u64,
    /// Beacons are refused (503) while the write-ahead log holds this many MiB.
    pub wal_max_mb: u64,
}

/// When a beacon is acknowledged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Ack {
    /// Once queued in memory: fast; a crash of the node loses what the buffer held.
    #[default]
    Memory,
    /// Once synced to the write-ahead log: a crash loses nothing acknowledged.
    Disk,
}

/// Salt settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// Minutes after midnight UTC that the previous day's salt is kept before deletion.
    pub salt_grace_minutes: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            data_dir: PathBuf::from("data"),
            trusted_proxies: Vec::new(),
            refresh_seconds: 10,
            materialize_seconds: 60,
            max_connections: 0,
            header_timeout_seconds: 15,
            clickhouse: ClickHouseConfig::default(),
            geoip: GeoIpConfig::default(),
            ingest: IngestConfig::default(),
            buffer: BufferConfig::default(),
            privacy: PrivacyConfig::default(),
            accounts: AccountsConfig::default(),
            metrics: MetricsConfig::default(),
            queries: QueriesConfig::default(),
        }
    }
}

impl Default for ClickHouseConfig {
    fn default() -> Self {
        Self {
            url: None,
            database: "parcours".into(),
            user: "default".into(),
            password: String::new(),
            connect_timeout_ms: 3_000,
            io_timeout_seconds: 90,
            insert_timeout_seconds: 30,
            cluster: String::new(),
            replicas: Vec::new(),
        }
    }
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 8 * 1024,
            // Generous: a real visitor sends a few beacons a minute; this only stops floods.
            rate_limit_per_second: 20,
            rate_limit_burst: 100,
            user_agent_cache: 10_000,
        }
    }
}

impl Default for BufferConfig {
    fn default() -> Self {
        Self {
            capacity: 200_000,
            flush_rows: 10_000,
            flush_interval_ms: 1_000,
            max_inflight: 2,
            insert_attempts: 10,
            insert_retry_seconds: 30,
            spool_replay_seconds: 10,
            spool_max_mb: 1024,
            ack: Ack::Memory,
            wal_commit_us: 1_000,
            wal_segment_mb: 64,
            wal_max_mb: 1024,
        }
    }
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        Self {
            salt_grace_minutes: 30,
        }
    }
}

/// Settings that may be given as flags or `PARCOURS_*` environment variables.
///
/// Every field overrides the file's value when present.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Overrides {
    /// TOML configuration file.
    #[arg(long, env = "PARCOURS_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8000].
    #[arg(long, env = "PARCOURS_LISTEN", global = true)]
    pub listen: Option<SocketAddr>,
    /// Data directory for the private ClickHouse, spool and GeoIP files [default: ./data].
    #[arg(long, env = "PARCOURS_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// ClickHouse HTTP URL; without it a private server is started under the data directory.
    #[arg(long, env = "PARCOURS_CLICKHOUSE_URL", global = true)]
    pub clickhouse_url: Option<String>,
    /// ClickHouse database [default: parcours].
    #[arg(long, env = "PARCOURS_CLICKHOUSE_DATABASE", global = true)]
    pub clickhouse_database: Option<String>,
    /// ClickHouse user [default: default].
    #[arg(long, env = "PARCOURS_CLICKHOUSE_USER", global = true)]
    pub clickhouse_user: Option<String>,
    /// ClickHouse cluster name (from its remote_servers); unset for a single server.
    #[arg(long, env = "PARCOURS_CLICKHOUSE_CLUSTER", global = true)]
    pub clickhouse_cluster: Option<String>,
    /// HTTP URLs of every ClickHouse server of the cluster, comma-separated.
    #[arg(
        long,
        env = "PARCOURS_CLICKHOUSE_REPLICAS",
        value_delimiter = ',',
        global = true
    )]
    pub clickhouse_replicas: Option<Vec<String>>,
    /// ClickHouse password.
    #[arg(
        long,
        env = "PARCOURS_CLICKHOUSE_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub clickhouse_password: Option<String>,
    /// GeoIP city database (.mmdb, GeoLite2 or DB-IP schema) [default: data/geoip/*.mmdb if present].
    #[arg(long, env = "PARCOURS_GEOIP_DB", global = true)]
    pub geoip_db: Option<PathBuf>,
    /// Trusted proxies, comma-separated IPs or CIDR ranges (e.g. 127.0.0.1/32,10.0.0.0/8).
    #[arg(
        long,
        env = "PARCOURS_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// Largest beacon body in bytes [default: 8192].
    #[arg(long, env = "PARCOURS_MAX_BODY_BYTES", global = true)]
    pub max_body_bytes: Option<usize>,
    /// Beacons per second per client IP, 0 = unlimited [default: 20].
    #[arg(long, env = "PARCOURS_RATE_LIMIT_PER_SECOND", global = true)]
    pub rate_limit_per_second: Option<u32>,
    /// Burst above the per-IP rate [default: 100].
    #[arg(long, env = "PARCOURS_RATE_LIMIT_BURST", global = true)]
    pub rate_limit_burst: Option<u32>,
    /// Rows buffered in memory before beacons get 503 [default: 200000].
    #[arg(long, env = "PARCOURS_BUFFER_CAPACITY", global = true)]
    pub buffer_capacity: Option<usize>,
    /// Flush to ClickHouse every this many rows [default: 10000].
    #[arg(long, env = "PARCOURS_FLUSH_ROWS", global = true)]
    pub flush_rows: Option<usize>,
    /// Flush to ClickHouse at least every this many milliseconds [default: 1000].
    #[arg(long, env = "PARCOURS_FLUSH_INTERVAL_MS", global = true)]
    pub flush_interval_ms: Option<u64>,
    /// Inserts in flight at once [default: 2].
    #[arg(long, env = "PARCOURS_MAX_INFLIGHT_INSERTS", global = true)]
    pub max_inflight_inserts: Option<usize>,
    /// Insert attempts before a batch goes to the disk spool [default: 10].
    #[arg(long, env = "PARCOURS_INSERT_ATTEMPTS", global = true)]
    pub insert_attempts: Option<u32>,
    /// Seconds a batch is retried before it goes to the disk spool [default: 30].
    #[arg(long, env = "PARCOURS_INSERT_RETRY_SECONDS", global = true)]
    pub insert_retry_seconds: Option<u64>,
    /// Answer beacons once queued in memory or once on disk [default: memory].
    #[arg(long, env = "PARCOURS_ACK", global = true)]
    pub ack: Option<Ack>,
    /// MiB the disk spool may hold before beacons get 503 [default: 1024].
    #[arg(long, env = "PARCOURS_SPOOL_MAX_MB", global = true)]
    pub spool_max_mb: Option<u64>,
    /// MiB the write-ahead log may hold before beacons get 503 [default: 1024].
    #[arg(long, env = "PARCOURS_WAL_MAX_MB", global = true)]
    pub wal_max_mb: Option<u64>,
    /// Seconds between replays of the disk spool [default: 10].
    #[arg(long, env = "PARCOURS_SPOOL_REPLAY_SECONDS", global = true)]
    pub spool_replay_seconds: Option<u64>,
    /// User agents whose parse is cached [default: 10000].
    #[arg(long, env = "PARCOURS_USER_AGENT_CACHE", global = true)]
    pub user_agent_cache: Option<usize>,
    /// Seconds between re-reads of sites and salts [default: 10].
    #[arg(long, env = "PARCOURS_REFRESH_SECONDS", global = true)]
    pub refresh_seconds: Option<u64>,
    /// Connections open at once, 0 = from the open-file limit [default: 0].
    #[arg(long, env = "PARCOURS_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<usize>,
    /// Seconds to send a request's headers, and the longest idle keep-alive [default: 15].
    #[arg(long, env = "PARCOURS_HEADER_TIMEOUT_SECONDS", global = true)]
    pub header_timeout_seconds: Option<u64>,
    /// Seconds between runs of the visitor-days job [default: 60].
    #[arg(long, env = "PARCOURS_MATERIALIZE_SECONDS", global = true)]
    pub materialize_seconds: Option<u64>,
    /// Minutes after midnight UTC the previous day's salt is kept [default: 30].
    #[arg(long, env = "PARCOURS_SALT_GRACE_MINUTES", global = true)]
    pub salt_grace_minutes: Option<u32>,
    /// Addresses allowed to create the first owner in the browser, comma-separated [default: loopback].
    #[arg(
        long,
        env = "PARCOURS_SETUP_FROM",
        value_delimiter = ',',
        global = true
    )]
    pub setup_from: Option<Vec<String>>,
    /// Seconds a node trusts a checked session, key or shared link [default: 30].
    #[arg(long, env = "PARCOURS_AUTH_CACHE_SECONDS", global = true)]
    pub auth_cache_seconds: Option<u64>,
    /// Failed sign-ins per minute per account and per client address [default: 10].
    #[arg(long, env = "PARCOURS_SIGNIN_PER_MINUTE", global = true)]
    pub signin_per_minute: Option<u32>,
    /// Session cookie `Secure`: true, false, or unset to follow the request.
    #[arg(long, env = "PARCOURS_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<bool>,
    /// Bearer token required to read /metrics (unless the client is in --metrics-allow).
    #[arg(
        long,
        env = "PARCOURS_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<String>,
    /// Networks allowed to read /metrics without the token, comma-separated.
    #[arg(
        long,
        env = "PARCOURS_METRICS_ALLOW",
        value_delimiter = ',',
        global = true
    )]
    pub metrics_allow: Option<Vec<String>>,
    /// Seconds one analytics statement may run in ClickHouse [default: 30].
    #[arg(long, env = "PARCOURS_QUERY_MAX_SECONDS", global = true)]
    pub query_max_seconds: Option<u64>,
    /// Bytes of memory one analytics statement may use in ClickHouse [default: 2e9].
    #[arg(long, env = "PARCOURS_QUERY_MAX_MEMORY", global = true)]
    pub query_max_memory: Option<u64>,
    /// Rows one analytics statement may return [default: 500000].
    #[arg(long, env = "PARCOURS_QUERY_MAX_ROWS", global = true)]
    pub query_max_rows: Option<u64>,
    /// Analytics requests of one site at once on this node [default: 6].
    #[arg(long, env = "PARCOURS_QUERY_PER_SITE", global = true)]
    pub query_per_site: Option<usize>,
    /// Analytics requests at once on this node [default: 16].
    #[arg(long, env = "PARCOURS_QUERY_GLOBAL", global = true)]
    pub query_global: Option<usize>,
    /// Saved funnels, goals and content groups per site, each [default: 100].
    #[arg(long, env = "PARCOURS_MAX_SAVED_PER_SITE", global = true)]
    pub max_saved_per_site: Option<usize>,
}

impl Config {
    /// Loads the file named by `overrides.config` (if any), applies overrides and validates.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut config = match &overrides.config {
            Some(path) => Self::from_file(path)?,
            None => Self::default(),
        };
        config.apply(overrides)?;
        config.validate()?;
        Ok(config)
    }

    /// Reads a TOML file; missing keys take their defaults.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source: Box::new(source),
        })
    }

    fn apply(&mut self, o: &Overrides) -> Result<(), ConfigError> {
        fn set<T: Clone>(slot: &mut T, value: &Option<T>) {
            if let Some(v) = value {
                *slot = v.clone();
            }
        }
        set(&mut self.listen, &o.listen);
        set(&mut self.data_dir, &o.data_dir);
        if o.clickhouse_url.is_some() {
            self.clickhouse.url = o.clickhouse_url.clone().filter(|u| !u.is_empty());
        }
        set(&mut self.clickhouse.database, &o.clickhouse_database);
        set(&mut self.clickhouse.user, &o.clickhouse_user);
        set(&mut self.clickhouse.password, &o.clickhouse_password);
        set(&mut self.clickhouse.cluster, &o.clickhouse_cluster);
        if let Some(list) = &o.clickhouse_replicas {
            self.clickhouse.replicas = list
                .iter()
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty())
                .collect();
        }
        if o.geoip_db.is_some() {
            self.geoip.db = o.geoip_db.clone();
        }
        if let Some(list) = &o.trusted_proxies {
            self.trusted_proxies = parse_proxies(list)?;
        }
        set(&mut self.ingest.max_body_bytes, &o.max_body_bytes);
        set(
            &mut self.ingest.rate_limit_per_second,
            &o.rate_limit_per_second,
        );
        set(&mut self.ingest.rate_limit_burst, &o.rate_limit_burst);
        set(&mut self.buffer.capacity, &o.buffer_capacity);
        set(&mut self.buffer.flush_rows, &o.flush_rows);
        set(&mut self.buffer.flush_interval_ms, &o.flush_interval_ms);
        set(&mut self.buffer.max_inflight, &o.max_inflight_inserts);
        set(&mut self.buffer.insert_attempts, &o.insert_attempts);
        set(
            &mut self.buffer.insert_retry_seconds,
            &o.insert_retry_seconds,
        );
        set(&mut self.buffer.ack, &o.ack);
        set(&mut self.buffer.spool_max_mb, &o.spool_max_mb);
        set(&mut self.buffer.wal_max_mb, &o.wal_max_mb);
        set(
            &mut self.buffer.spool_replay_seconds,
            &o.spool_replay_seconds,
        );
        set(&mut self.ingest.user_agent_cache, &o.user_agent_cache);
        set(&mut self.refresh_seconds, &o.refresh_seconds);
        set(&mut self.materialize_seconds, &o.materialize_seconds);
        set(&mut self.max_connections, &o.max_connections);
        set(&mut self.header_timeout_seconds, &o.header_timeout_seconds);
        set(&mut self.privacy.salt_grace_minutes, &o.salt_grace_minutes);
        if let Some(list) = &o.setup_from {
            self.accounts.setup_from = parse_nets("accounts.setup_from", list)?;
        }
        set(&mut self.accounts.cache_seconds, &o.auth_cache_seconds);
        set(&mut self.accounts.signin_per_minute, &o.signin_per_minute);
        if o.secure_cookies.is_some() {
            self.accounts.secure_cookies = o.secure_cookies;
        }
        if o.metrics_token.is_some() {
            self.metrics.token = o.metrics_token.clone().filter(|t| !t.is_empty());
        }
        if let Some(list) = &o.metrics_allow {
            self.metrics.allow = parse_nets("metrics.allow", list)?;
        }
        let q = &mut self.queries;
        set(&mut q.max_execution_seconds, &o.query_max_seconds);
        set(&mut q.max_memory_bytes, &o.query_max_memory);
        set(&mut q.max_result_rows, &o.query_max_rows);
        set(&mut q.per_site, &o.query_per_site);
        set(&mut q.global, &o.query_global);
        set(&mut q.max_saved_per_site, &o.max_saved_per_site);
        Ok(())
    }

    /// Rejects settings that cannot work, naming the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |setting, reason: &str| {
            Err(ConfigError::Invalid {
                setting,
                reason: reason.into(),
            })
        };
        if self.ingest.max_body_bytes < 256 {
            return invalid("ingest.max_body_bytes", "must be at least 256");
        }
        if self.buffer.flush_rows == 0 || self.buffer.capacity < self.buffer.flush_rows {
            return invalid(
                "buffer.flush_rows",
                "must be at least 1 and no more than buffer.capacity",
            );
        }
        if self.buffer.max_inflight == 0 {
            return invalid("buffer.max_inflight", "must be at least 1");
        }
        if self.buffer.insert_attempts == 0 {
            return invalid("buffer.insert_attempts", "must be at least 1");
        }
        // One insert must stay one block per month for `events::insert_once`.
        if self.buffer.flush_rows > 1_000_000 {
            return invalid("buffer.flush_rows", "must be at most 1000000");
        }
        if self.buffer.wal_segment_mb == 0 || self.buffer.wal_max_mb < self.buffer.wal_segment_mb {
            return invalid(
                "buffer.wal_max_mb",
                "must be at least buffer.wal_segment_mb, itself at least 1",
            );
        }
        if self.clickhouse.connect_timeout_ms == 0
            || self.clickhouse.io_timeout_seconds == 0
            || self.clickhouse.insert_timeout_seconds == 0
        {
            return invalid("clickhouse timeouts", "must be above 0");
        }
        if self.ingest.user_agent_cache == 0 {
            return invalid("ingest.user_agent_cache", "must be at least 1");
        }
        if self.header_timeout_seconds == 0 {
            return invalid("header_timeout_seconds", "must be at least 1");
        }
        if self.refresh_seconds == 0 {
            return invalid("refresh_seconds", "must be at least 1");
        }
        // The previous salt must be gone well within the next day, or visitor ids
        // could be linked across two days.
        if self.privacy.salt_grace_minutes > 180 {
            return invalid("privacy.salt_grace_minutes", "must be 180 or less");
        }
        if self.accounts.signin_per_minute == 0
            || self.accounts.bad_credentials_per_minute == 0
            || self.accounts.lookups_per_minute == 0
        {
            return invalid(
                "accounts.signin_per_minute",
                "sign-in and credential limits must be at least 1",
            );
        }
        if self.accounts.session_idle_hours == 0 || self.accounts.session_max_days == 0 {
            return invalid(
                "accounts.session_idle_hours",
                "sessions must last at least 1 hour and 1 day",
            );
        }
        if self.metrics.token.as_ref().is_some_and(|t| t.len() < 16) {
            return invalid("metrics.token", "must have at least 16 characters");
        }
        let q = &self.queries;
        if q.max_execution_seconds == 0 || q.max_memory_bytes == 0 || q.max_result_rows == 0 {
            // 0 means "no limit" to ClickHouse: exactly what these settings exist to prevent.
            return invalid(
                "queries.max_execution_seconds",
                "query time, memory and result rows must each be at least 1",
            );
        }
        if q.per_site == 0 || q.global < q.per_site {
            return invalid(
                "queries.per_site",
                "must be at least 1 and no more than queries.global",
            );
        }
        let db = &self.clickhouse.database;
        if db.is_empty() || !db.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return invalid(
                "clickhouse.database",
                "must be a plain identifier (letters, digits, _)",
            );
        }
        let cluster = &self.clickhouse.cluster;
        if !cluster
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return invalid(
                "clickhouse.cluster",
                "must be a plain identifier (letters, digits, _)",
            );
        }
        if !cluster.is_empty()
            && (self.clickhouse.url.is_none() || self.clickhouse.replicas.is_empty())
        {
            return invalid(
                "clickhouse.cluster",
                "needs clickhouse.url and clickhouse.replicas (every server's HTTP URL)",
            );
        }
        Ok(())
    }

    /// Directory of the disk spool.
    pub fn spool_dir(&self) -> PathBuf {
        self.data_dir.join("spool")
    }

    /// Where the write-ahead log's segments are (`ack = "disk"`).
    pub fn wal_dir(&self) -> PathBuf {
        self.data_dir.join("wal")
    }

    /// The GeoIP database to open: the configured one, or `data_dir/geoip` if it holds `.mmdb` files.
    pub fn geoip_path(&self) -> Option<PathBuf> {
        if let Some(p) = &self.geoip.db {
            return Some(p.clone());
        }
        let dir = self.data_dir.join("geoip");
        let has_db = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "mmdb"));
        has_db.then_some(dir)
    }
}

/// Parses `127.0.0.1`, `10.0.0.0/8`, `::1` style entries; a bare IP is a one-address range.
pub fn parse_proxies(list: &[String]) -> Result<Vec<IpNet>, ConfigError> {
    parse_nets("trusted_proxies", list)
}

/// Parses a list of IPs or CIDR ranges for `setting`.
pub fn parse_nets(setting: &'static str, list: &[String]) -> Result<Vec<IpNet>, ConfigError> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| ConfigError::Invalid {
                    setting,
                    reason: format!("{s:?} is neither an IP address nor a CIDR range"),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<Config>("listn = \"127.0.0.1:1\"").unwrap_err();
        assert!(err.to_string().contains("listn"), "{err}");
    }

    #[test]
    fn file_then_overrides() {
        let cfg: Config = toml::from_str(
            "listen = \"127.0.0.1:9000\"\n[clickhouse]\ndatabase = \"a\"\n[buffer]\nflush_rows = 5\n",
        )
        .unwrap();
        assert_eq!(cfg.listen.port(), 9000);
        assert_eq!(cfg.buffer.flush_rows, 5);
        assert_eq!(cfg.buffer.flush_interval_ms, 1_000);
        let mut cfg = cfg;
        cfg.apply(&Overrides {
            clickhouse_database: Some("b".into()),
            trusted_proxies: Some(vec!["127.0.0.1".into(), "10.0.0.0/8".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(cfg.clickhouse.database, "b");
        assert_eq!(cfg.trusted_proxies.len(), 2);
        assert!(cfg.trusted_proxies[0].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
    }

    #[test]
    fn bad_proxy_and_database_are_named() {
        let err = parse_proxies(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(err.to_string().contains("trusted_proxies"));
        let mut cfg = Config::default();
        cfg.clickhouse.database = "x; DROP".into();
        assert!(cfg.validate().unwrap_err().to_string().contains("database"));
    }
}
