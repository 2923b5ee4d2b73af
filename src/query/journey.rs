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
//! by id runs only when the range holds consented visitors.
//!
//! Output columns: `ts` (event times, ms since the epoch, ascending), `vs` (the start of
//! each event's visit, which identifies the visit) and one `j_<alias>` array per
//! column, aligned with `ts`.

use super::filter::{Catalog, Filter};
use super::range::DateRange;
use super::source::{event_args, push_filter, Sources};
use super::sql::Sql;
use super::QueryError;

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
    /// `(alias, lambda body over n, p, pk, pv, sens)`: each becomes `j_<alias>`.
    pub columns: Vec<(&'static str, Sql)>,
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
}

/// The SELECT yielding one row per visitor with `ts`, `vs` and the `j_` arrays.
pub fn select(spec: &Spec<'_>, src: &Sources) -> Result<Sql, QueryError> {
    let aliases: Vec<&str> = spec
        .columns
        .iter()
        .map(|(a, _)| *a)
        .chain(spec.visit_values.iter().map(|(a, _)| *a))
        .collect();
    let mut parts = Vec::new();
    for p in src.parts(spec.site_id, spec.range) {
        parts.push(part(spec, p.from, p.whole)?);
    }
    if parts.is_empty() {
        return Err(QueryError::Invalid("the date range covers no day".into()));
    }
    let row_filter = |prefix: &str| spec.row_filter.as_ref().map(|f| f.replace("{j}", prefix));
    let mut out = Sql::default();
    if !spec.merge {
        out.push(&format!(
            "SELECT visitor_id, arrayMap(k -> intDiv(k, {SCALE}), r_key) AS ts, r_vs AS vs"
        ));
        for a in &aliases {
            out.push(&format!(", r_{a} AS j_{a}"));
        }
        out.push(" FROM (");
        union(&mut out, parts);
        out.push(") WHERE length(r_key) > 0");
        if let Some(f) = row_filter("r_") {
            out.push(" AND ").push(&f);
        }
        return Ok(out);
    }
    // One scan: daily rows that can match go through the grouping as they are (their
    // ids are unique), consented rows are merged by id.
    out.push(&format!(
        "SELECT visitor_id, arrayMap(k -> intDiv(k, {SCALE}), arraySort(groupArrayArray(r_key))) AS ts, \
         arraySort((x, k) -> k, groupArrayArray(r_vs), groupArrayArray(r_key)) AS vs"
    ));
    for a in &aliases {
        out.push(&format!(
            ", arraySort((x, k) -> k, groupArrayArray(r_{a}), groupArrayArray(r_key)) AS j_{a}"
        ));
    }
    out.push(" FROM (");
    union(&mut out, parts);
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

fn union(out: &mut Sql, parts: Vec<Sql>) {
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(" UNION ALL ");
        }
        out.append(p);
    }
}

/// The per-row SELECT of one part; `whole` when every visit of its rows starts in range.
fn part(spec: &Spec<'_>, from: Sql, whole: bool) -> Result<Sql, QueryError> {
    let mut s = Sql::default();
    s.push("SELECT visitor_id, consented, ");
    // Events of included visits: all of them on whole days without a filter.
    let gated = spec.filter.is_some() || !whole;
    if gated {
        let mut cols = Vec::new();
        let mut props = false;
        if let Some(f) = spec.filter {
            f.needs(&mut cols, &mut props);
        }
        let (params, arrays) = event_args(&cols, props, &[]);
        push_filter(
            &mut s,
            spec.range,
            spec.filter,
            spec.catalog,
            &params,
            &arrays,
        )?;
        s.push(
            "arrayMap((x, inc) -> inc[x], e_session, arrayResize([s_inc], length(e_session), s_inc)) AS e_inc, ",
        );
    }
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
    let (params, arrays) = (params.join(", "), arrays.join(", "));
    for (alias, body) in &spec.columns {
        s.push(&format!("arrayMap(({params}) -> "))
            .append(body.clone())
            .push(&format!(", {arrays}) AS e_c_{alias}, "));
    }
    let names: String = spec.columns.iter().map(|(a, _)| format!(", {a}")).collect();
    let cols: String = spec
        .columns
        .iter()
        .map(|(a, _)| format!(", e_c_{a}"))
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
    for (alias, _) in &spec.columns {
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
    for (alias, _) in &spec.columns {
        out.push(&format!(", j_{alias} AS r_{alias}"));
    }
    for (alias, _) in &spec.visit_values {
        out.push(&format!(", j_{alias} AS r_{alias}"));
    }
    out.push(" FROM (").append(s).push(")");
    Ok(out)
}
