//! `scripts/backup.sh` against the test ClickHouse: a backup survives the loss of the
//! database, and never carries the salts.

use std::process::Command;

use parcours::store::Store;

use crate::support::*;

/// Runs `scripts/backup.sh ACTION DIR` against the test database; panics with its output.
fn backup_sh(action: &str, dir: &std::path::Path, database: &str) {
    let out = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/backup.sh"))
        .args([action, &dir.display().to_string()])
        .env("PARCOURS_CLICKHOUSE_URL", clickhouse_url())
        .env("PARCOURS_CLICKHOUSE_DATABASE", database)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "backup.sh {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn count(store: &Store, table: &str) -> u64 {
    store
        .client()
        .query(&format!("SELECT count() FROM {table}"))
        .fetch_one()
        .await
        .unwrap()
}

/// A digest of the events, so the restored rows are the same rows, not just as many.
async fn events_digest(store: &Store) -> u64 {
    store
        .client()
        .query("SELECT sum(cityHash64(site_id, timestamp, timestamp_ms, visitor_id, name, pathname, referrer_source)) FROM events")
        .fetch_one()
        .await
        .unwrap()
}

#[tokio::test]
async fn backup_then_restore_brings_back_every_row_but_the_salts() {
    // The script reads the server's files: only the private server is on this machine.
    if std::env::var_os("PARCOURS_TEST_CLICKHOUSE_URL").is_some() {
        eprintln!("skipped: scripts/backup.sh needs the local test ClickHouse's files");
        return;
    }
    let store = store("ops_backup").await;
    let data = tempfile::tempdir().unwrap();
    let sim = Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args([
            "simulate", "--mode", "bulk", "--days", "3", "--events", "20000",
        ])
        .args(["--seed", "7"])
        .env("PARCOURS_CLICKHOUSE_URL", clickhouse_url())
        .env("PARCOURS_CLICKHOUSE_DATABASE", store.database())
        .env("PARCOURS_DATA_DIR", data.path())
        .env("PARCOURS_GEOIP_DB", fixture("geoip-test.mmdb"))
        .output()
        .unwrap();
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );
    // A salt as a node would hold it: it must not reach the backup.
    store
        .client()
        .query("INSERT INTO salts (day, salt, created_at) VALUES (today(), 'secret-salt-of-today', now())")
        .execute()
        .await
        .unwrap();
    let events = count(&store, "events").await;
    let sites = count(&store, "sites").await;
    let migrations = count(&store, "schema_migrations").await;
    let digest = events_digest(&store).await;
    assert!(events > 10_000, "the simulator wrote {events} events");

    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup");
    backup_sh("backup", &backup, store.database());
    assert!(
        !backup.join("data/salts").exists(),
        "salts' rows must stay out of the backup"
    );
    assert!(backup.join("schema/salts.sql").exists());

    store
        .client()
        .clone()
        .with_database("default")
        .query(&format!("DROP DATABASE {}", store.database()))
        .execute()
        .await
        .unwrap();
    backup_sh("restore", &backup, store.database());

    assert_eq!(count(&store, "events").await, events);
    assert_eq!(events_digest(&store).await, digest);
    assert_eq!(count(&store, "sites").await, sites);
    assert_eq!(count(&store, "schema_migrations").await, migrations);
    assert_eq!(count(&store, "salts").await, 0, "no salt comes back");
    assert!(parcours::store::migrations::is_current(&store).await);

    // A second restore onto the restored rows would double them: refused.
    let again = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/backup.sh"))
        .args(["restore", &backup.display().to_string()])
        .env("PARCOURS_CLICKHOUSE_URL", clickhouse_url())
        .env("PARCOURS_CLICKHOUSE_DATABASE", store.database())
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert_eq!(count(&store, "events").await, events);
}
