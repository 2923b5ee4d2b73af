//! Each visitor's ordered events in range, one row per visitor id: the input of funnels
//! and journeys.
//!
//! A daily visitor id lives in one visitor-day row; a consented id spans rows, which
//! are merged here (`groupArrayArray`) and re-sorted by time, so a consented journey
//! reads as one sequence across days. Only events of visits the filter includes (as in
//! `stats`) and that the caller's `keep` condition accepts are carried, which keeps
//! the per-visitor arrays short for the quadratic work that follows.
//!
//! Cost: per-event expressions see only the event's own fields (`n`, `p`, `pk`/`pv`,
//! `sens`); visit values are looked up for kept events only, and the filter's per-event
//! pass runs only when there is a filter or a day at the range's edge. Merging rows
//! by id runs only when the range holds consented visitors. With an `anchor` (a rare
//! event every answering visitor has), stored rows without one are dropped before any
//! per-event work; consented visitors with one anywhere in range are listed first in a
//! session's temporary table ([`setup`], [`fetch_all`]).
//!
//! Output columns: `ts` (event times, ms since the epoch, ascending), `vs` (the start of
//! each event's visit, which identifies the visit) and one `j_<alias>` array per
//! column, aligned with `ts`.

use super::answers::RowCol;
use super::filter::{Catalog, Filter};
use super::range::DateRange;
use super::source::{push_inclusion, union_parts, Sources};
use super::sql::Sql;
use super::QueryError;
use crate::store::{Store, StoreError};

/// Order key scale: events of a row are told apart by index, so sorting merged rows
/// by `time * SCALE + index` keeps same-millisecond events in their stored order.
const SCALE: u64 = 65_536;

/// What a journey query carries of each event.
pub struct Spec<'a> {
    /// Site id.
    pub site_id: u32,
    /// Date range (visits starting in it).
    pub range: &'a DateRange,
    /// Filter on visits, as in the stats API.
    pub filter: Option<&'a Filter>,
    /// Site goals, groups and time zone.
    pub catalog: &'a Catalog<'a>,
    /// `(alias, ClickHouse type, lambda body over n, p, pk, pv, sens)`: each becomes
    /// `j_<alias>`, an array of the type.
    pub columns: Vec<(&'static str, &'static str, Sql)>,
    /// `(alias, s_ column suffix)`: the value of the event's visit, as `j_<alias>`.
    pub visit_values: Vec<(&'static str, &'static str)>,
    /// Whether the bodies read event properties (`pk`, `pv`).
    pub props: bool,
    /// Whether the bodies read the sensitive flag (`sens`).
    pub sensitive: bool,
    /// Trusted condition over the column aliases: which events to carry.
    pub keep: String,
    /// Whether consented rows must be merged by visitor id.
    pub merge: bool,
    /// Trusted condition a visitor's row must meet to be kept, over its arrays written
    /// `{j}<alias>` (checked before merging where it can, and after).
    pub row_filter: Option<String>,
    /// The event only visitors who answer have in range (a journey's goal). Stored
    /// rows of others are dropped before any per-event work.
    pub anchor: Option<Anchor>,
}

/// A condition on one event, checked over a whole stored row.
pub struct Anchor {
    /// Lambda body over `n` (the event name), and `p` (its page) when `pages`.
    pub body: Sql,
    /// Whether the body reads the page: pages are the widest column, and an event
    /// goal's check reads names alone (paths_to at 10M events: 0.8 s less).
    pub pages: bool,
}

/// The SELECT yielding one row per visitor with `ts`, `vs` and the `j_` arrays.
pub fn select(spec: &Spec<'_>, src: &Sources) -> Result<Sql, QueryError> {
    let aliases: Vec<&str> = spec
        .columns
        .iter()
        .map(|(a, _, _)| *a)
        .chain(spec.visit_values.iter().map(|(a, _)| *a))
        .collect();
    if spec.merge && spec.row_filter.is_some() {
        return select_grouped(spec, src, &aliases);
    }
    let row_filter = |prefix: &str| spec.row_filter.as_ref().map(|f| f.replace("{j}", prefix));
    // Daily ids are unique, so their rows need no grouping; only consented rows are
    // merged by id. Without a row filter every row would reach the grouping, and two
    // scans of the parts cost less (attribution at 10M events: 5.5 s to 3.8 s).
    let mut out = Sql::default();
    out.push(&format!(
        "SELECT visitor_id, arrayMap(k -> intDiv(k, {SCALE}), r_key) AS ts, r_vs AS vs"
    ));
    for a in &aliases {
        out.push(&format!(", r_{a} AS j_{a}"));
    }
    out.push(" FROM (");
    out.append(parts(spec, src, if spec.merge { Some(0) } else { None })?);
    out.push(") WHERE length(r_key) > 0");
    if let Some(f) = row_filter("r_") {
        out.push(" AND ").push(&f);
    }
    if !spec.merge {
        return Ok(out);
    }
    out.push(&format!(
        " UNION ALL SELECT visitor_id, arrayMap(k -> intDiv(k, {SCALE}), arraySort(groupArrayArray(r_key))) AS ts, \
         arraySort((x, k) -> k, groupArrayArray(r_vs), groupArrayArray(r_key)) AS vs"
    ));
    for a in &aliases {
        out.push(&format!(
            ", arraySort((x, k) -> k, groupArrayArray(r_{a}), groupArrayArray(r_key)) AS j_{a}"
        ));
    }
    out.push(" FROM (");
    out.append(parts(spec, src, Some(1))?);
    out.push(") WHERE length(r_key) > 0 GROUP BY visitor_id");
    if let Some(f) = row_filter("j_") {
        out.push(" HAVING ").push(&f);
    }
    Ok(out)
}

/// One scan: daily rows that pass the row filter go through the grouping as they are
/// (their ids are unique), consented rows are merged by id. When the row filter drops
/// most rows, this costs less than a second scan (funnels and paths at 10M events).
fn select_grouped(spec: &Spec<'_>, src: &Sources, aliases: &[&str]) -> Result<Sql, QueryError> {
    let row_filter = |prefix: &str| spec.row_filter.as_ref().map(|f| f.replace("{j}", prefix));
    let mut out = Sql::default();
    out.push(&format!(
        "SELECT visitor_id, arrayMap(k -> intDiv(k, {SCALE}), arraySort(groupArrayArray(r_key))) AS ts, \
         arraySort((x, k) -> k, groupArrayArray(r_vs), groupArrayArray(r_key)) AS vs"
    ));
    for a in aliases {
        out.push(&format!(
            ", arraySort((x, k) -> k, groupArrayArray(r_{a}), groupArrayArray(r_key)) AS j_{a}"
        ));
    }
    out.push(" FROM (");
    out.append(parts(spec, src, None)?);
    out.push(") WHERE length(r_key) > 0");
    if let Some(f) = row_filter("r_") {
        out.push(" AND (consented = 1 OR ").push(&f).push(")");
    }
    out.push(" GROUP BY visitor_id");
    if let Some(f) = row_filter("j_") {
        out.push(" HAVING ").push(&f);
    }
    Ok(out)
}

/// The per-row SELECTs of every part, of rows with the given `consented` flag (all
/// rows with `None`).
fn parts(spec: &Spec<'_>, src: &Sources, consented: Option<u8>) -> Result<Sql, QueryError> {
    let stored = src.stored_rows.is_some();
    union_parts(src, spec.site_id, spec.range, consented, |p| {
        let mut from = p.from;
        let flag = consented.map(|c| format!("consented = {c}"));
        if p.built {
            if let Some(f) = &flag {
                from.push(" AND ").push(f);
            }
            // The lambda reads only the row's own arrays, so ClickHouse drops the row
            // before the SELECT's per-event work. A consented row counts when its
            // visitor has an anchor in any row.
            match (&spec.anchor, consented) {
                // With stored rows the consented rows read live are the edges' few,
                // kept whole (an anchor may be in the stored rows).
                (Some(_), Some(1)) if stored => {}
                (Some(a), None) if spec.merge && stored => {
                    from.push(" AND (")
                        .append(exists(a))
                        .push(" OR consented = 1)");
                }
                (Some(_), Some(1)) => {
                    from.push(&format!(" AND visitor_id GLOBAL IN {ANCHORED}"));
                }
                // Both kinds of rows in one scan: a consented row without the anchor
                // still counts when its visitor has one on another day.
                (Some(a), None) if spec.merge => {
                    from.push(" AND (")
                        .append(exists(a))
                        .push(&format!(" OR visitor_id GLOBAL IN {ANCHORED})"));
                }
                (Some(a), _) => {
                    from.push(" AND ").append(exists(a));
                }
                (None, _) => {}
            }
        } else if let Some(f) = &flag {
            from.push(" WHERE ").push(f);
        }
        part(spec, from, p.whole)
    })
}

/// The lambda parameters and arrays of the per-event column bodies.
fn lambda_args(spec: &Spec<'_>) -> (String, String) {
    let mut params = vec!["n", "p"];
    let mut arrays = vec!["e_name", "e_page"];
    if spec.props {
        params.extend(["pk", "pv"]);
        arrays.extend(["e_prop_keys", "e_prop_values"]);
    }
    if spec.sensitive {
        params.push("sens");
        arrays.push("e_sensitive");
    }
    (params.join(", "), arrays.join(", "))
}

/// `arrayExists` of the anchor over a row's events.
fn exists(anchor: &Anchor) -> Sql {
    let (params, arrays) = if anchor.pages {
        ("n, p", "e_name, e_page")
    } else {
        ("n", "e_name")
    };
    let mut s = Sql::default();
    s.push(&format!("arrayExists(({params}) -> "))
        .append(anchor.body.clone())
        .push(&format!(", {arrays})"));
    s
}

/// The session's temporary table of consented visitor ids with an anchor event in
/// range: their rows without one still count (a journey begun on an earlier day).
///
/// A table, not an `IN (subquery)`: ClickHouse 18.16 runs a subquery of `IN` once per
/// analysis of each enclosing SELECT, which cost seconds on 10M events.
pub const ANCHORED: &str = "anchored_visitors";

/// Statements to run, in one session, before [`select`]'s query: they fill
/// [`ANCHORED`] when the spec has an anchor and consented rows to merge.
pub fn setup(spec: &Spec<'_>, src: &Sources) -> Vec<Sql> {
    let Some(anchor) = spec
        .anchor
        .as_ref()
        .filter(|_| spec.merge && src.stored_rows.is_none())
    else {
        return Vec::new();
    };
    let mut create = Sql::default();
    create.push(&format!(
        "CREATE TEMPORARY TABLE {ANCHORED} (visitor_id UInt64) ENGINE = Memory"
    ));
    let mut insert = Sql::default();
    insert.push(&format!("INSERT INTO {ANCHORED} SELECT visitor_id FROM ("));
    for (i, p) in src.parts(spec.site_id, spec.range).into_iter().enumerate() {
        if i > 0 {
            insert.push(" UNION ALL ");
        }
        insert.push("SELECT visitor_id FROM ").append(p.from);
        insert.push(if p.built { " AND " } else { " WHERE " });
        insert.push("consented = 1 AND ").append(exists(anchor));
    }
    insert.push(")");
    vec![create, insert]
}

/// How [`part`]'s per-row columns are stored (`query::answers`).
pub fn row_columns(spec: &Spec<'_>) -> Vec<(String, RowCol)> {
    let mut out = vec![
        ("consented".to_owned(), RowCol::Num("UInt8")),
        ("r_key".to_owned(), RowCol::Nums("UInt64")),
        ("r_vs".to_owned(), RowCol::Nums("UInt64")),
    ];
    for (alias, ty, _) in &spec.columns {
        let col = if *ty == "String" {
            RowCol::Strs
        } else {
            RowCol::Nums(ty)
        };
        out.push((format!("r_{alias}"), col));
    }
    for (alias, _) in &spec.visit_values {
        out.push((format!("r_{alias}"), RowCol::Strs));
    }
    out
}

/// The per-row output of the consented rows of `src` that carry events, as stored
/// for the days of a stored answer: every such row, with or without an anchor (the
/// anchor may be on another day).
pub fn consented_rows(spec: &Spec<'_>, src: &Sources) -> Result<Sql, QueryError> {
    let plain = Spec {
        anchor: None,
        columns: spec.columns.clone(),
        visit_values: spec.visit_values.clone(),
        keep: spec.keep.clone(),
        row_filter: spec.row_filter.clone(),
        ..*spec
    };
    let mut out = Sql::default();
    out.push("SELECT * FROM (");
    out.append(parts(&plain, src, Some(1))?);
    out.push(") WHERE length(r_key) > 0");
    Ok(out)
}

/// Runs `setup` statements and then `query` in a fresh session of their own, so the
/// temporary table lives exactly as long as the query needs it.
pub async fn fetch_all<T>(store: &Store, setup: Vec<Sql>, query: Sql) -> Result<Vec<T>, QueryError>
where
    T: clickhouse::RowOwned + clickhouse::RowRead,
{
    if setup.is_empty() {
        return Ok(query
            .query(store.client())
            .fetch_all::<T>()
            .await
            .map_err(StoreError::from)?);
    }
    let session = store.session();
    for s in setup {
        s.query(session.client())
            .execute()
            .await
            .map_err(StoreError::from)?;
    }
    let rows = query
        .query(session.client())
        .fetch_all::<T>()
        .await
        .map_err(StoreError::from)?;
    // The session would drop them on expiry; freeing them now returns the memory sooner.
    for table in [ANCHORED, super::answers::MULTI_DAY] {
        let drop = format!("DROP TEMPORARY TABLE IF EXISTS {table}");
        if let Err(e) = session.client().query(&drop).execute().await {
            tracing::debug!(error = %e, table, "dropping a temporary table");
        }
    }
    Ok(rows)
}

fn drop_anchored() -> String {
    format!("DROP TEMPORARY TABLE IF EXISTS {ANCHORED}")
}

/// Dialect-catalog entries for a journey query: its setup, the query, the cleanup.
pub fn catalog_entries(
    name: &str,
    compiled: Result<(Vec<Sql>, Sql), QueryError>,
) -> Vec<(String, String)> {
    let client = clickhouse::Client::default();
    let render = |s: Sql| s.query(&client).sql_display().to_string();
    match compiled {
        Err(e) => vec![(name.to_owned(), format!("compile error: {e}"))],
        Ok((setup, query)) => {
            let mut out: Vec<(String, String)> = setup
                .into_iter()
                .enumerate()
                .map(|(i, s)| (format!("{name} setup[{i}]"), render(s)))
                .collect();
            out.push((name.to_owned(), render(query)));
            out.push((format!("{name} cleanup"), drop_anchored()));
            out.push((
                format!("{name} cleanup[1]"),
                format!(
                    "DROP TEMPORARY TABLE IF EXISTS {}",
                    super::answers::MULTI_DAY
                ),
            ));
            out
        }
    }
}

/// The per-row SELECT of one part; `whole` when every visit of its rows starts in range.
fn part(spec: &Spec<'_>, from: Sql, whole: bool) -> Result<Sql, QueryError> {
    let mut s = Sql::default();
    s.push("SELECT visitor_id, consented, ");
    // Events of included visits: all of them on whole days without a filter.
    let gated = spec.filter.is_some() || !whole;
    if gated {
        push_inclusion(&mut s, spec.range, spec.filter, spec.catalog)?;
        s.push(
            "arrayMap((x, inc) -> inc[x], e_session, arrayResize([s_inc], length(e_session), s_inc)) AS e_inc, ",
        );
    }
    let (params, arrays) = lambda_args(spec);
    for (alias, _, body) in &spec.columns {
        s.push(&format!("arrayMap(({params}) -> "))
            .append(body.clone())
            .push(&format!(", {arrays}) AS e_c_{alias}, "));
    }
    let names: String = spec
        .columns
        .iter()
        .map(|(a, _, _)| format!(", {a}"))
        .collect();
    let cols: String = spec
        .columns
        .iter()
        .map(|(a, _, _)| format!(", e_c_{a}"))
        .collect();
    if gated {
        s.push(&format!(
            "arrayMap((inc{names}) -> toUInt8(inc AND ({})), e_inc{cols}) AS e_keep, ",
            spec.keep
        ));
    } else {
        s.push(&format!(
            "arrayMap(({}) -> toUInt8({}){cols}) AS e_keep, ",
            names.trim_start_matches(", "),
            spec.keep
        ));
    }
    s.push(&format!(
        "arrayFilter((x, k) -> k, e_session, e_keep) AS j_s, \
         arrayMap((t, i, f) -> (f + t) * {SCALE} + i, arrayFilter((x, k) -> k, e_ms, e_keep), \
           arrayFilter((x, k) -> k, arrayEnumerate(e_ms), e_keep), \
           arrayResize([first_ms], length(j_s), first_ms)) AS j_key, \
         arrayMap((x, v) -> v[x], j_s, arrayResize([s_start], length(j_s), s_start)) AS j_vs"
    ));
    for (alias, _, _) in &spec.columns {
        s.push(&format!(
            ", arrayFilter((x, k) -> k, e_c_{alias}, e_keep) AS j_{alias}"
        ));
    }
    for (alias, col) in &spec.visit_values {
        s.push(&format!(
            ", arrayMap((x, v) -> v[x], j_s, arrayResize([s_{col}], length(j_s), s_{col})) AS j_{alias}"
        ));
    }
    s.push(" FROM ").append(from);
    // Parts differ in their helper columns; UNION ALL needs the same list from each.
    let mut out = Sql::default();
    out.push("SELECT visitor_id, consented, j_key AS r_key, j_vs AS r_vs");
    for (alias, _, _) in &spec.columns {
        out.push(&format!(", j_{alias} AS r_{alias}"));
    }
    for (alias, _) in &spec.visit_values {
        out.push(&format!(", j_{alias} AS r_{alias}"));
    }
    out.push(" FROM (").append(s).push(")");
    Ok(out)
}
