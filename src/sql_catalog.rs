//! Every SQL statement Parcours sends, rendered with sample values bound, so that
//! `tests/dialect/modern.py` can run them on a modern ClickHouse engine (chDB) while the
//! integration tests run them on 18.16. A statement added elsewhere without an entry
//! here is not dialect-checked: keep the two in step.

use crate::query;
use crate::store::{keys, migrations, sites};
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
    let range = |sql: &str| {
        render(
            client
                .query(sql)
                .bind(7u32)
                .bind("2026-11-22")
                .bind("2026-11-23")
                .bind(1_795_388_400i64)
                .bind(1_795_474_800i64),
        )
    };
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
    add("query::totals_sql", range(&query::totals_sql()));
    add("query::by_page_sql", range(&query::by_page_sql(None)));
    for cond in ["has(?, page)", "NOT has(?, page)"] {
        let sql = query::by_page_sql(Some(cond));
        let bound = client
            .query(&sql)
            .bind(7u32)
            .bind("2026-11-22")
            .bind("2026-11-23")
            .bind(1_795_388_400i64)
            .bind(1_795_474_800i64)
            .bind(vec!["/a", "/b'quote"]);
        add(&format!("query::by_page_sql({cond})"), render(bound));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_placeholder_is_bound() {
        for e in super::entries() {
            assert!(
                !e.sql.contains('?'),
                "{}: unbound placeholder in {}",
                e.name,
                e.sql
            );
        }
    }
}
