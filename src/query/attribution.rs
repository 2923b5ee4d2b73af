//! Goal conversions by the channel, source or campaign that brought the visitor:
//! first touch (the visitor's first visit in range) or last touch (the visit of the
//! conversion, or the last visit for visitors who did not convert), within the
//! visitor id's lifetime (one day, or the consented span).
//!
//! Each visitor falls in exactly one group, so groups add up to the total and the
//! `(other)` row of groups under k is an exact sum. Conversions under k are hidden per
//! column as in funnels (`suppress::hide_cells`).

use serde::Deserialize;

use super::filter::{goal_condition, Catalog, Filter};
use super::journey::{self, Spec};
use super::range::DateRange;
use super::source::{with_consent, Sources};
use super::sql::Sql;
use super::suppress::{fold_groups, hide_cells};
use super::QueryError;
use crate::store::goals::Goal;
use crate::store::{Store, StoreError};

/// Label of the row holding folded small groups.
pub const OTHER: &str = super::stats::OTHER;

/// Which visit a conversion is credited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// The visitor's first visit in range.
    First,
    /// The visit of the conversion.
    Last,
}

/// One attribution query.
pub struct Attribution<'a> {
    /// Site id.
    pub site_id: u32,
    /// Date range.
    pub range: &'a DateRange,
    /// Filter on visits.
    pub filter: Option<&'a Filter>,
    /// Site goals, groups and time zone.
    pub catalog: &'a Catalog<'a>,
    /// The goal.
    pub goal: &'a Goal,
    /// Visit column (`s_` suffix) to credit.
    pub column: &'static str,
    /// First or last touch.
    pub touch: Touch,
}

/// Visitors and conversions of one group.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
pub struct Credit {
    /// Group value.
    pub key: String,
    /// Visitors credited to the value.
    pub visitors: u64,
    /// Of them, visitors who reached the goal.
    pub conversions: u64,
}

/// A suppressed answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// All visitors, and which of (visitors, conversions) is hidden.
    pub total: (Credit, [bool; 2]),
    /// Groups shown (`(other)` last), by visitors.
    pub groups: Vec<(Credit, [bool; 2])>,
    /// Groups folded into `(other)`.
    pub suppressed: usize,
}

fn compile(a: &Attribution<'_>, src: &Sources, merge: bool) -> Result<Sql, QueryError> {
    let mut g = Sql::default();
    g.push("toUInt8(");
    goal_condition(a.goal, &mut g)?;
    g.push(")");
    let spec = Spec {
        site_id: a.site_id,
        range: a.range,
        filter: a.filter,
        catalog: a.catalog,
        columns: vec![("g", g)],
        visit_values: vec![("b", a.column)],
        props: false,
        sensitive: false,
        keep: "1".into(),
        merge,
        row_filter: None,
        // Every visitor is in the denominator.
        anchor: None,
    };
    let credited = match a.touch {
        Touch::First => "j_b[1]",
        Touch::Last => "if(c > 0, j_b[c], j_b[length(j_b)])",
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT key, toUInt64(count()) AS visitors, toUInt64(sum(conv)) AS conversions FROM (\
         SELECT indexOf(j_g, 1) AS c, toUInt8(c > 0) AS conv, {credited} AS key FROM ("
    ))
    .append(journey::select(&spec, src)?)
    .push(")) GROUP BY key");
    Ok(sql)
}

/// Runs the query with minimum group size `k`.
pub async fn run(store: &Store, a: &Attribution<'_>, k: u64) -> Result<Answer, QueryError> {
    let (src, merge) = with_consent(store, a.site_id, a.range).await?;
    let rows: Vec<Credit> = compile(a, &src, merge)?
        .query(store.client())
        .fetch_all()
        .await
        .map_err(StoreError::from)?;
    let total = Credit {
        key: String::new(),
        visitors: rows.iter().map(|r| r.visitors).sum(),
        conversions: rows.iter().map(|r| r.conversions).sum(),
    };
    let (mut shown, small) = fold_groups(rows, k, |r| r.visitors, |r| r.key.as_str());
    let suppressed = small.len();
    let other = Credit {
        key: OTHER.into(),
        visitors: small.iter().map(|r| r.visitors).sum(),
        conversions: small.iter().map(|r| r.conversions).sum(),
    };
    if other.visitors >= k {
        shown.push(other);
    }
    let cells: Vec<[u64; 2]> = shown.iter().map(|c| [c.visitors, c.conversions]).collect();
    let rows: Vec<&[u64]> = cells.iter().map(|c| c.as_slice()).collect();
    let (t, hidden) = hide_cells(&[total.visitors, total.conversions], &rows, k);
    let pair = |h: &[bool]| [h[0], h[1]];
    Ok(Answer {
        total: (total, pair(&t)),
        groups: shown
            .into_iter()
            .zip(hidden)
            .map(|(c, h)| (c, pair(&h)))
            .collect(),
        suppressed,
    })
}

/// Sample statements for the dialect catalog: first and last touch over a built day.
pub fn catalog_samples() -> Vec<(String, String)> {
    let (range, goals, groups) = super::stats::sample_site();
    let catalog = Catalog {
        goals: &goals,
        groups: &groups,
        timezone: "Europe/Paris",
    };
    let (built, _) = super::stats::sample_sources();
    let client = clickhouse::Client::default();
    [(Touch::First, "first"), (Touch::Last, "last")]
        .into_iter()
        .map(|(touch, name)| {
            let a = Attribution {
                site_id: 7,
                range: &range,
                filter: None,
                catalog: &catalog,
                goal: &goals[0],
                column: "channel",
                touch,
            };
            (
                format!("attribution::{name}_touch(built)"),
                compile(&a, &built, true)
                    .map(|s| s.query(&client).sql_display().to_string())
                    .unwrap_or_else(|e| format!("compile error: {e}")),
            )
        })
        .collect()
}
