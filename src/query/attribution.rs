//! Goal conversions by the channel, source or campaign that brought the visitor:
//! first touch (the visitor's first visit in range) or last touch (the visit of the
//! conversion, or the last visit for visitors who did not convert), within the
//! visitor id's lifetime (one day, or the consented span).
//!
//! Each visitor falls in exactly one group, so groups add up to the total and the
//! `(other)` row of groups under k is an exact sum. Conversions under k are hidden per
//! column as in funnels (`suppress::hide_cells`).

use serde::Deserialize;

use super::answers;
use super::answers::RowCol;
use super::filter::{goal_condition, Catalog, Filter};
use super::range::DateRange;
use super::source::{
    push_inclusion, push_row_conditions, union_parts, with_consent, Part, Sources,
};
use super::sql::Sql;
use super::suppress::{fold_groups, hide_cells};
use super::QueryError;
use crate::store::goals::Goal;
use crate::store::Store;

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
#[derive(Clone, Copy)]
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

/// The per-row values credit needs, over one part's rows with the given `consented`
/// flag (all rows with `None`): the first and last included visits (start and value),
/// and the first conversion (time and its visit's value).
///
/// Every figure is a scalar of one visitor-day row: visits never cross midnight UTC, so
/// a consented visitor's first visit, last visit and first conversion are each the
/// earliest or latest of its rows' own. No per-event arrays are carried or merged
/// (first touch at 10M events: 3.4 s to 1.5 s).
fn part(a: &Attribution<'_>, p: Part, consented: Option<u8>) -> Result<Sql, QueryError> {
    let col = a.column;
    let gated = a.filter.is_some() || !p.whole;
    let mut s = Sql::default();
    s.push("SELECT visitor_id, ");
    if gated {
        push_inclusion(&mut s, a.range, a.filter, a.catalog)?;
        s.push(
            "indexOf(s_inc, 1) AS fv, \
             if(fv = 0, 0, length(s_inc) + 1 - indexOf(arrayReverse(s_inc), 1)) AS lv, ",
        );
    } else {
        s.push("toUInt32(1) AS fv, toUInt32(length(s_start)) AS lv, ");
    }
    // The first conversion; pages are read only for a page goal (the widest column).
    let (mut params, mut arrays) = (vec!["n"], vec!["e_name"]);
    if a.goal.event_name.is_empty() {
        params.push("p");
        arrays.push("e_page");
    }
    if gated {
        params.extend(["s", "inc"]);
        arrays.extend(["e_session", "arrayResize([s_inc], length(e_name), s_inc)"]);
    }
    s.push(&format!("arrayFirstIndex(({}) -> ", params.join(", ")));
    if gated {
        s.push("inc[s] AND ");
    }
    s.push("(");
    goal_condition(a.goal, &mut s)?;
    s.push(&format!("), {}) AS gi, ", arrays.join(", ")));
    s.push(&format!(
        "s_start[fv] AS first_t, s_{col}[fv] AS first_key, \
         toUInt8(gi > 0) AS conv, if(gi > 0, first_ms + e_ms[gi], 0) AS conv_t, \
         s_{col}[e_session[gi]] AS conv_key, s_start[lv] AS last_t, s_{col}[lv] AS last_key FROM "
    ))
    .append(p.from.clone());
    push_row_conditions(&mut s, &p, consented, a.filter, a.catalog)?;
    // Parts differ in their helper columns; UNION ALL needs the same list from each.
    let mut out = Sql::default();
    out.push(
        "SELECT visitor_id, first_t, first_key, conv, conv_t, conv_key, last_t, last_key FROM (",
    )
    .append(s)
    .push(") WHERE fv > 0");
    Ok(out)
}

/// [`part`]'s columns after `visitor_id`, as stored for consented rows (`answers`).
const ROW_COLUMNS: [(&str, RowCol); 7] = [
    ("first_t", RowCol::Num("UInt64")),
    ("first_key", RowCol::Str),
    ("conv", RowCol::Num("UInt8")),
    ("conv_t", RowCol::Num("UInt64")),
    ("conv_key", RowCol::Str),
    ("last_t", RowCol::Num("UInt64")),
    ("last_key", RowCol::Str),
];

/// The stored per-row output of attribution: its consented rows of a day.
fn rows<'a>(select: &'a answers::RowsSelect<'a>) -> answers::Rows<'a> {
    answers::Rows {
        columns: ROW_COLUMNS
            .iter()
            .map(|(n, c)| ((*n).to_owned(), *c))
            .collect(),
        select,
    }
}

/// The per-row output of the consented rows of `src`.
fn consented_rows(a: &Attribution<'_>, src: &Sources) -> Result<Sql, QueryError> {
    union_parts(src, a.site_id, a.range, Some(1), |p| part(a, p, Some(1)))
}

fn compile(a: &Attribution<'_>, src: &Sources, merge: bool) -> Result<Sql, QueryError> {
    let parts = |consented: Option<u8>| {
        union_parts(src, a.site_id, a.range, consented, |p| {
            part(a, p, consented)
        })
    };
    // Daily ids are unique, so their rows are visitors as they are; a consented
    // visitor's rows are reduced to its earliest and latest figures.
    let (daily, merged) = match a.touch {
        Touch::First => ("first_key", "argMin(first_key, first_t)"),
        Touch::Last => (
            "if(conv = 1, conv_key, last_key)",
            "if(max(conv) = 1, argMinIf(conv_key, conv_t, conv = 1), argMax(last_key, last_t))",
        ),
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT [key] AS k1, emptyArrayString() AS k2, \
         [toUInt64(count()), toUInt64(sum(c))] AS nums, emptyArrayUInt64() AS hk, \
         emptyArrayUInt64() AS hc FROM (\
         SELECT {daily} AS key, conv AS c FROM ("
    ))
    .append(parts(if merge { Some(0) } else { None })?)
    .push(")");
    if merge {
        sql.push(&format!(
            " UNION ALL SELECT {merged} AS key, max(conv) AS c FROM ("
        ))
        .append(parts(Some(1))?)
        .push(") GROUP BY visitor_id");
    }
    sql.push(") GROUP BY key");
    Ok(sql)
}

/// Attribution as a stored answer: the group is the credited value, the figures its
/// visitors and conversions (the query's own columns).
const KIND: answers::Kind = answers::Kind {
    name: "attribution",
    columns: None,
    whole_rows: false,
};

/// Runs the query with minimum group size `k`; closed days come from stored partial
/// answers (`answers`).
pub async fn run(store: &Store, a: &Attribution<'_>, k: u64) -> Result<Answer, QueryError> {
    let (src, merge) = with_consent(store, a.site_id, a.range).await?;
    let compile = |src: &Sources, range: &DateRange, merge: bool| {
        Ok((
            Vec::new(),
            compile(&Attribution { range, ..*a }, src, merge)?,
        ))
    };
    let select =
        |src: &Sources, range: &DateRange| consented_rows(&Attribution { range, ..*a }, src);
    let rows: Vec<Credit> = answers::fetch(
        store,
        &answers::Shape::new(&KIND, a.site_id, &compile).with_rows(rows(&select)),
        a.range,
        &src,
        merge,
    )
    .await?
    .into_iter()
    .map(|r| Credit {
        key: r.k1.into_iter().next().unwrap_or_default(),
        visitors: r.nums.first().copied().unwrap_or(0),
        conversions: r.nums.get(1).copied().unwrap_or(0),
    })
    .collect();
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
    let (built, tail) = super::stats::sample_sources();
    let client = clickhouse::Client::default();
    let mut out: Vec<(String, String)> = [(Touch::First, "first"), (Touch::Last, "last")]
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
        .collect();
    let a = Attribution {
        site_id: 7,
        range: &range,
        filter: None,
        catalog: &catalog,
        goal: &goals[0],
        column: "channel",
        touch: Touch::Last,
    };
    let compile = |src: &Sources, range: &DateRange, merge: bool| {
        Ok((
            Vec::new(),
            compile(&Attribution { range, ..a }, src, merge)?,
        ))
    };
    let select =
        |src: &Sources, range: &DateRange| consented_rows(&Attribution { range, ..a }, src);
    out.extend(answers::catalog_entries(
        &answers::Shape::new(&KIND, 7, &compile).with_rows(rows(&select)),
        &tail,
    ));
    out
}
