//! Cluster mode: one schema over a sharded, replicated ClickHouse cluster.
//!
//! Events and the tables derived per visitor (`visitor_days`, `day_rollups`) are
//! *sharded* by visitor id: replicated tables of the same names in a second database
//! (`<database>_shard`) on every server, and `Distributed` tables in Parcours' own
//! database routing inserts by `sipHash64(visitor_id)` and reading all shards. A
//! visitor's journey therefore lives on one shard, and every query Parcours sends keeps
//! its text: it reads the `Distributed` tables, and `IN` subqueries over them run
//! shard-locally (`distributed_product_mode = 'local'`), which is right because both
//! sides are sharded by the same key.
//!
//! Everything else (sites, keys, salts, accounts, definitions, the build records and
//! the stored answers, which are small sums) is *global*: a replicated table with one
//! replica on every server, so any node reads it from the server it talks to.
//!
//! The background jobs reach each shard through one of its replicas
//! ([`Store::shards`]): the visitor-days job builds a day on every shard at once, from
//! that shard's own events, under one build number, and records it once all shards are
//! done, so readers switch to a day's new build everywhere at the same moment.

use std::collections::BTreeMap;

use super::{Store, StoreError};

/// Tables sharded by visitor id; every other table is global.
pub const SHARDED: [&str; 3] = ["events", "visitor_days", "day_rollups"];

/// The sharding key of a sharded table's `Distributed` table.
fn sharding_key(table: &str) -> &'static str {
    match table {
        // Rollups are only ever written shard-locally by the job; the key is unused.
        "day_rollups" => "rand()",
        _ => "sipHash64(visitor_id)",
    }
}

/// Binds: cluster. The shard of the server asked (18.16 marks both replicas of the
/// local shard as local; modern servers the replica itself: either names the shard).
pub const LOCAL_SHARD: &str =
    "SELECT toUInt32(min(shard_num)) FROM system.clusters WHERE cluster = ? AND is_local = 1";
/// Binds: cluster. How many shards the cluster has.
pub const SHARD_COUNT: &str =
    "SELECT toUInt32(count(DISTINCT shard_num)) FROM system.clusters WHERE cluster = ?";

/// Binds: database, shard database. Every column of Parcours' tables on the server asked.
pub const SCHEMA: &str =
    "SELECT arraySort(groupArray(concat(database, '.', table, '.', name, ' ', type))) \
    FROM system.columns WHERE database IN (?, ?)";

/// A configured cluster: its name and a client per server.
#[derive(Clone)]
pub struct Cluster {
    name: String,
    shard_database: String,
    replicas: Vec<Store>,
}

impl Cluster {
    /// The cluster `name`, whose servers answer HTTP at `urls`; `store` gives the
    /// database, credentials and timeouts.
    pub fn new(name: &str, urls: &[String], store: &Store, user: &str, password: &str) -> Self {
        let shard_database = format!("{}_shard", store.database());
        let replicas = urls
            .iter()
            .map(|u| Store::with_timeouts(u, &shard_database, user, password, store.timeouts()))
            .collect();
        Self {
            name: name.to_owned(),
            shard_database,
            replicas,
        }
    }

    /// The cluster's name, as in the servers' `remote_servers`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle per server, bound to the shard-local tables.
    pub fn replicas(&self) -> &[Store] {
        &self.replicas
    }

    /// The database of the shard-local tables.
    pub fn shard_database(&self) -> &str {
        &self.shard_database
    }
}

impl Store {
    /// This handle in cluster mode: statements read and write the cluster's tables.
    pub fn with_cluster(mut self, cluster: Cluster) -> Self {
        self.client = self
            .client
            // An insert answers once every shard has its rows, so a 202 (or the
            // write-ahead log's release) never rests on rows queued on one server.
            .with_setting("insert_distributed_sync", "1")
            .with_setting("distributed_product_mode", "local")
            // Reads and inserts pick the same replica of each shard (the first that
            // answers, in the cluster's order), so a node reads what it just wrote
            // instead of a replica that has not fetched it yet.
            .with_setting("load_balancing", "in_order");
        self.cluster = Some(std::sync::Arc::new(cluster));
        self
    }

    /// In cluster mode, a client whose inserts into global tables answer only once every
    /// server has the rows, for writes another node must see at once (a new session:
    /// the browser's next request may reach any node). It fails while a server is down,
    /// so callers fall back to [`Store::client`]; a retried block is deduplicated.
    pub fn everywhere(&self) -> Option<clickhouse::Client> {
        let c = self.cluster()?;
        Some(
            self.client
                .clone()
                .with_setting("insert_quorum", c.replicas.len().to_string())
                .with_setting("insert_quorum_timeout", "5000"),
        )
    }

    /// The cluster, in cluster mode.
    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_deref()
    }

    /// One handle per shard, on a replica that answers, bound to the shard-local tables;
    /// on a single server, this handle alone.
    pub async fn shards(&self) -> Result<Vec<Store>, StoreError> {
        let Some(c) = self.cluster() else {
            return Ok(vec![self.clone()]);
        };
        let expected: u32 = self
            .client
            .query(SHARD_COUNT)
            .bind(c.name())
            .fetch_one()
            .await?;
        // Asked at once: a replica that is down costs the connect timeout, not one each.
        let mut asks = tokio::task::JoinSet::new();
        for (i, r) in c.replicas.iter().enumerate() {
            let (r, name) = (r.clone(), c.name().to_owned());
            asks.spawn(async move {
                let ask = r.client.query(LOCAL_SHARD).bind(name).fetch_one::<u32>();
                match tokio::time::timeout(r.timeouts.connect, ask).await {
                    Ok(Ok(shard)) if shard > 0 => Some((shard, i, r)),
                    _ => None,
                }
            });
        }
        let mut answered: Vec<(u32, usize, Store)> =
            asks.join_all().await.into_iter().flatten().collect();
        // The first configured replica of each shard that answers, every time.
        answered.sort_by_key(|(shard, i, _)| (*shard, *i));
        let mut by_shard = BTreeMap::new();
        for (shard, _, store) in answered {
            by_shard.entry(shard).or_insert(store);
        }
        if by_shard.len() as u32 != expected || expected == 0 {
            let missing: Vec<u32> = (1..=expected)
                .filter(|s| !by_shard.contains_key(s))
                .collect();
            return Err(StoreError::Invalid(format!(
                "cluster {}: no replica of shard(s) {missing:?} answers",
                c.name()
            )));
        }
        Ok(by_shard.into_values().collect())
    }
}

impl Store {
    /// Where statements that change `table`'s own rows (partition drops, deletions)
    /// go, given the [`Store::shards`] of this run: each shard for a sharded table in
    /// cluster mode, else this handle, whose replicated tables pass the change on to
    /// their other replicas.
    pub fn stores_for<'a>(&'a self, table: &str, shards: &'a [Store]) -> &'a [Store] {
        if self.cluster().is_some() && SHARDED.contains(&table) {
            shards
        } else {
            std::slice::from_ref(self)
        }
    }
}

/// A migration's `CREATE TABLE IF NOT EXISTS name (…) ENGINE = E … ` turned into the
/// cluster's statements: for a sharded table, the replicated shard-local table and the
/// `Distributed` table over it; for a global one, the table replicated on every server.
pub fn create_statements(statement: &str, database: &str, cluster: &str) -> Vec<String> {
    let Some((table, rest)) = statement
        .split_once("CREATE TABLE IF NOT EXISTS ")
        .map(|(_, r)| r.trim_start())
        .and_then(|r| {
            let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
            Some((&r[..end], &r[end..]))
        })
    else {
        return vec![statement.to_owned()];
    };
    let shard_db = format!("{database}_shard");
    if SHARDED.contains(&table) {
        let path = format!("/clickhouse/tables/{{shard}}/{database}/{table}");
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {shard_db}.{table} ON CLUSTER {cluster}{}",
                replicated(rest, &path, "{replica}")
            ),
            distributed_sql(database, cluster, table),
        ]
    } else {
        let path = format!("/clickhouse/tables/all/{database}/{table}");
        vec![format!(
            "CREATE TABLE IF NOT EXISTS {database}.{table} ON CLUSTER {cluster}{}",
            replicated(rest, &path, "{shard}-{replica}")
        )]
    }
}

/// The `Distributed` table over a sharded table's shard-local tables.
pub fn distributed_sql(database: &str, cluster: &str, table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {database}.{table} ON CLUSTER {cluster} \
         AS {database}_shard.{table} ENGINE = Distributed({cluster}, {database}_shard, {table}, {})",
        sharding_key(table)
    )
}

/// `… ENGINE = XMergeTree(args) …` with the engine replicated under `path`.
fn replicated(rest: &str, path: &str, replica: &str) -> String {
    const MARK: &str = "ENGINE = ";
    let Some(at) = rest.find(MARK) else {
        return rest.to_owned();
    };
    let after = &rest[at + MARK.len()..];
    let name_end = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len());
    let (engine, tail) = after.split_at(name_end);
    let (args, tail) = match tail.strip_prefix('(') {
        Some(t) => match t.find(')') {
            Some(close) => (t[..close].trim(), &t[close + 1..]),
            None => ("", tail),
        },
        None => ("", tail),
    };
    let mut all = format!("'{path}', '{replica}'");
    if !args.is_empty() {
        all.push_str(", ");
        all.push_str(args);
    }
    format!("{}{MARK}Replicated{engine}({all}){tail}", &rest[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharded_tables_get_a_local_replicated_table_and_a_distributed_one() {
        let s = "\nCREATE TABLE IF NOT EXISTS events\n(\n    site_id UInt32\n)\nENGINE = MergeTree\nPARTITION BY toYYYYMM(timestamp)\nORDER BY (site_id)";
        let out = create_statements(s, "pc", "c1");
        assert_eq!(out.len(), 2);
        assert!(
            out[0].starts_with("CREATE TABLE IF NOT EXISTS pc_shard.events ON CLUSTER c1\n("),
            "{}",
            out[0]
        );
        assert!(out[0].contains(
            "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/pc/events', '{replica}')\nPARTITION BY"
        ));
        assert_eq!(
            out[1],
            "CREATE TABLE IF NOT EXISTS pc.events ON CLUSTER c1 AS pc_shard.events \
             ENGINE = Distributed(c1, pc_shard, events, sipHash64(visitor_id))"
        );
    }

    #[test]
    fn global_tables_keep_their_engine_arguments_and_replicate_everywhere() {
        let s = "CREATE TABLE IF NOT EXISTS sites (site_id UInt32, updated_at DateTime) ENGINE = ReplacingMergeTree(updated_at)\nORDER BY site_id";
        let out = create_statements(s, "pc", "c1");
        assert_eq!(
            out,
            vec!["CREATE TABLE IF NOT EXISTS pc.sites ON CLUSTER c1 (site_id UInt32, updated_at DateTime) \
                  ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/pc/sites', '{shard}-{replica}', updated_at)\nORDER BY site_id"
                .to_owned()]
        );
    }
}
