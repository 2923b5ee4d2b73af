//! Every SQL statement Parcours sends, rendered with sample values bound, so that
//! `tests/dialect/modern.py` can run them on a modern ClickHouse engine (chDB) while the
//! integration tests run them on 18.16. A statement added elsewhere without an entry
//! here is not dialect-checked: keep the two in step.

use crate::accounts::{audit, invitations, members, sessions, shares, users};
use crate::query;
use crate::store::{events, goals, keys, migrations, sites};
use crate::visitor::{consent, salts};

/// One statement: a name for error messages and its SQL with values bound.
#[derive(Debug, serde::Serialize)]
pub struct Entry {
    /// Where it comes from.
    pub name: String,
    /// The SQL as sent.
    pub sql: String,
}

/// The statements, in an order that runs on an empty database: DDL first.
pub fn entries() -> Vec<Entry> {
    let client = clickhouse::Client::default();
    let render = |q: clickhouse::query::Query| q.sql_display().to_string();
    let mut out: Vec<Entry> = Vec::new();
    let mut add = |name: &str, sql: String| {
        out.push(Entry {
            name: name.to_owned(),
            sql,
        })
    };
    add(
        "migrations::MIGRATIONS_TABLE",
        migrations::MIGRATIONS_TABLE.to_owned(),
    );
    // Modern servers get LowCardinality (see migrations' header).
    for (i, s) in migrations::statements("LowCardinality(String)")
        .into_iter()
        .enumerate()
    {
        add(&format!("migrations::statement[{i}]"), s);
    }
    add(
        "migrations::RECORD",
        render(client.query(migrations::RECORD).bind(1u32).bind("events")),
    );
    add("migrations::APPLIED", migrations::APPLIED.to_owned());
    add(
        "migrations::COLUMN_EXISTS",
        render(
            client
                .query(migrations::COLUMN_EXISTS)
                .bind("parcours_dialect")
                .bind("events")
                .bind("consented"),
        ),
    );
    add(
        "events::landed_sql",
        render(
            client
                .query(&events::landed_sql(
                    &[1u32, 7].into_iter().collect(),
                    &[(1u64 << 44) - 1, 42].into_iter().collect(),
                ))
                .bind(1_796_000_000u32)
                .bind(1_796_000_100u32),
        ),
    );
    add("consent::ENABLED", consent::ENABLED.to_owned());
    add(
        "consent::FOR_SITE",
        render(client.query(consent::FOR_SITE).bind(7u32)),
    );
    add("consent::COMPACT", consent::COMPACT.to_owned());
    add("sites::LIST", sites::LIST.replace("?fields", "*"));
    add(
        "keys::SITE_FOR_KEY",
        render(client.query(keys::SITE_FOR_KEY).bind("ab'c\\d%")),
    );
    add("keys::LIVE", keys::LIVE.replace("?fields", "*"));
    add(
        "keys::BY_ID",
        render(
            client
                .query(&keys::BY_ID.replace("?fields", "*"))
                .bind("3f9a0c1b2d4e"),
        ),
    );
    for table in sites::SITE_TABLES {
        add(
            &format!("sites::erase_sql({table})"),
            // Another site than the samples' (7), whose rows later statements read.
            render(client.query(&sites::erase_sql(table)).bind(99_999u32)),
        );
    }
    let fields = |sql: &str| sql.replace("?fields", "*");
    add("users::LIST", fields(users::LIST));
    add("users::ANY", users::ANY.to_owned());
    add(
        "users::BY_EMAIL",
        render(
            client
                .query(&fields(users::BY_EMAIL))
                .bind("marie@clinique.fr"),
        ),
    );
    add(
        "users::BY_ID",
        render(client.query(&fields(users::BY_ID)).bind("u_0123")),
    );
    add(
        "members::OF_USER",
        render(client.query(&fields(members::OF_USER)).bind("u_0123")),
    );
    add(
        "members::OF_SITE",
        render(client.query(&fields(members::OF_SITE)).bind(7u32)),
    );
    add(
        "sessions::BY_HASH",
        render(client.query(&fields(sessions::BY_HASH)).bind("ab12")),
    );
    add(
        "sessions::OF_USER",
        render(client.query(&fields(sessions::OF_USER)).bind("u_0123")),
    );
    add(
        "invitations::BY_ID",
        render(
            client
                .query(&fields(invitations::BY_ID))
                .bind("3f9a0c1b2d4e"),
        ),
    );
    add(
        "invitations::PENDING",
        render(client.query(&fields(invitations::PENDING)).bind(7u32)),
    );
    add(
        "shares::BY_ID",
        render(client.query(&fields(shares::BY_ID)).bind("3f9a0c1b2d4e")),
    );
    add(
        "shares::OF_SITE",
        render(client.query(&fields(shares::OF_SITE)).bind(7u32)),
    );
    add(
        "audit::OF_SITE",
        render(
            client
                .query(&fields(audit::OF_SITE))
                .bind(7u32)
                .bind(vec!["marie@clinique.fr".to_owned(), String::new()]),
        ),
    );
    add(
        "leases::CURRENT",
        render(
            client
                .query(crate::store::leases::CURRENT)
                .bind("visitor_days"),
        ),
    );
    add(
        "cluster::LOCAL_SHARD",
        render(
            client
                .query(crate::store::cluster::LOCAL_SHARD)
                .bind("parcours"),
        ),
    );
    add(
        "cluster::SCHEMA",
        render(
            client
                .query(crate::store::cluster::SCHEMA)
                .bind("parcours")
                .bind("parcours_shard"),
        ),
    );
    add(
        "cluster::SHARD_COUNT",
        render(
            client
                .query(crate::store::cluster::SHARD_COUNT)
                .bind("parcours"),
        ),
    );
    add(
        "salts::AGREED",
        render(client.query(salts::AGREED).bind("2026-11-22")),
    );
    add(
        "salts::EXPIRED",
        render(client.query(salts::EXPIRED).bind("2026-11-22")),
    );
    add("salts::drop_partition", salts::drop_partition(20261101));
    add(
        "simulate::STORED_ROWS",
        render(client.query(crate::simulate::STORED_ROWS).bind(7u32)),
    );
    add(
        "materialize::build_day_sql",
        render(
            client
                .query(&query::materialize::build_day_sql(false))
                .bind(1u64)
                .bind("2026-11-23"),
        ),
    );
    // An open-day build under another number, never recorded: `stats::totals(open)`
    // reads it by number, the other samples read build 1.
    let sample_day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    match query::rollup::inserts(sample_day, 1) {
        Ok(inserts) => {
            for (i, s) in inserts.into_iter().enumerate() {
                add(&format!("rollup::insert[{i}]"), render(s.query(&client)));
            }
        }
        // Fails the dialect check, as the samples' compile errors do.
        Err(e) => add("rollup::insert", format!("compile error: {e}")),
    }
    add(
        "materialize::build_day_sql(open)",
        render(
            client
                .query(&query::materialize::build_day_sql(true))
                .bind(2u64)
                .bind("2026-11-23")
                .bind(query::stats::OPEN_SAMPLE_CUTOFF),
        ),
    );
    add(
        "materialize::OPEN_DAY_EVENTS",
        render(
            client
                .query(query::materialize::OPEN_DAY_EVENTS)
                .bind("2026-11-23")
                .bind(query::stats::OPEN_SAMPLE_CUTOFF),
        ),
    );
    add(
        "materialize::RECORD_BUILD",
        render(
            client
                .query(query::materialize::RECORD_BUILD)
                .bind(1u64)
                .bind("2026-11-23")
                .bind(5u64)
                .bind(1u64)
                .bind(0u32)
                .bind(query::rollup::VERSION),
        ),
    );
    add(
        "materialize::CURRENT_BUILDS",
        render(
            client
                .query(query::materialize::CURRENT_BUILDS)
                .bind("2026-11-01")
                .bind("2026-11-30"),
        ),
    );
    add(
        "source::ANY_CONSENTED",
        render(
            client
                .query(query::source::ANY_CONSENTED)
                .bind(7u32)
                .bind("2026-11-01")
                .bind("2026-11-30"),
        ),
    );
    add(
        "answers::RECORD",
        render(
            client
                .query(query::answers::RECORD)
                .bind(7u32)
                .bind("2026-11-23")
                .bind(1u64)
                .bind("fp")
                .bind(2u64),
        ),
    );
    add(
        "answers::RECORDED",
        render(
            client
                .query(query::answers::RECORDED)
                .bind(7u32)
                .bind("fp")
                .bind("2026-11-23")
                .bind("2026-11-30"),
        ),
    );
    add(
        "source::LAST_SEEN",
        render(
            client
                .query(query::source::LAST_SEEN)
                .bind(7u32)
                .bind("2026-11-22")
                .bind("2026-11-23"),
        ),
    );
    add(
        "materialize::EVENTS_PER_DAY",
        render(
            client
                .query(query::materialize::EVENTS_PER_DAY)
                .bind("2026-11-01")
                .bind("2026-11-30"),
        ),
    );
    add(
        "store::PARTITIONS",
        render(
            client
                .query(crate::store::PARTITIONS)
                .bind("parcours_dialect")
                .bind("visitor_days"),
        ),
    );
    add(
        "retention::PENDING_MUTATIONS",
        render(
            client
                .query(crate::store::retention::PENDING_MUTATIONS)
                .bind("parcours_dialect")
                .bind("events"),
        ),
    );
    add(
        "retention::EXPIRED_EVENTS",
        render(
            client
                .query(crate::store::retention::EXPIRED_EVENTS)
                .bind(7u32)
                .bind("2026-01-01"),
        ),
    );
    for (table, day) in crate::store::retention::DAY_COLUMNS {
        add(
            &format!("retention::delete({table})"),
            render(
                client
                    .query(&crate::store::retention::delete_sql(table, day))
                    .bind(7u32)
                    .bind("2020-01-01"),
            ),
        );
    }
    add(
        "goals::GOALS",
        render(client.query(goals::GOALS).bind(7u32)),
    );
    add(
        "goals::GROUPS",
        render(client.query(goals::GROUPS).bind(7u32)),
    );
    add(
        "range::FIRST_EVENT",
        render(client.query(query::range::FIRST_EVENT).bind(7u32)),
    );
    add(
        "bounds::KILL",
        render(
            client
                .query(query::bounds::KILL)
                .bind(query::bounds::like_pattern("parcours-00000000deadbeef")),
        ),
    );
    for (name, sql) in query::stats::catalog_samples()
        .into_iter()
        .chain(query::funnel::catalog_samples())
        .chain(query::paths::catalog_samples())
        .chain(query::attribution::catalog_samples())
        .chain(query::realtime::catalog_samples())
        .chain(query::install::catalog_samples())
        .chain(query::properties::catalog_samples())
    {
        add(&name, sql);
    }
    out
}

#[cfg(test)]
mod tests {
    /// The SQL without its string literals (bound values may contain `?`).
    fn outside_literals(sql: &str) -> String {
        let mut out = String::new();
        let mut chars = sql.chars();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '\\') => {
                    chars.next();
                }
                (_, '\'') => quoted = !quoted,
                (false, c) => out.push(c),
                (true, _) => {}
            }
        }
        out
    }

    #[test]
    fn every_placeholder_is_bound() {
        for e in super::entries() {
            assert!(
                !outside_literals(&e.sql).contains('?'),
                "{}: unbound placeholder in {}",
                e.name,
                e.sql
            );
        }
    }
}
