//! Stored per-day partial answers of the journey shapes (funnels, paths, attribution),
//! so a range's closed days are read as a few sums instead of being rebuilt from every
//! visitor's events on each request.
//!
//! Each of these shapes ends in a `GROUP BY` of figures that add up over visitors
//! (counts, and histograms where it shows medians). A daily visitor id lives on one
//! UTC day, so over the rows of daily ids a range's answer is the sum of its days'
//! answers. Each closed day wholly inside a range is answered once per build and shape
//! (a fingerprint of the shape's SQL, so a changed step, goal or filter is another
//! shape) into `answer_parts`, every row taken as a visitor of its own; a request sums
//! those and, in the same columns, the live answer of the rest (the days at the range's
//! edges, open days, the tail).
//!
//! A consented id spans days, so the stored days are right for it only when it has
//! rows on one day of the range, which holds for most (seven in eight in the
//! simulator's month). The others ([`MULTI_DAY`], listed per request) are corrected:
//! their stored days' figures (taken as visitors of their own, as the fill took them)
//! are subtracted, and their journeys merged across all their days are added. Both
//! read the shape's per-row output of their consented rows, which a fill stores in
//! `answer_rows` beside its parts ([`Rows`]): a few short arrays per row, where their
//! visitor-days would be read whole (a funnel at 10M events: 2.4 s to 0.7 s).
//!
//! The stored sum, the subtraction and the live answer run as separate statements at
//! once and are summed here ([`sum_signed`]).
//!
//! A day's parts are written under a random run and recorded in `answer_runs` once they
//! are all in; readers take the smallest recorded run of each (day, build), so two
//! nodes filling a day at once never count it twice, and a fill that died halfway is
//! never read. Parts live in their visitor-days' `(day, build)` partition and are
//! dropped with it (`materialize::drop_retired`, `store::retention`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::journey;
use super::range::DateRange;
use super::source::{full_day, Sources};
use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::{Store, StoreError};

/// Bumped when the stored columns change meaning; part of every fingerprint.
const VERSION: u32 = 3;

/// The session's temporary table of consented visitor ids with rows on more than one
/// UTC day of the range (a superset is harmless: their stored figures are replaced by
/// exact ones).
pub const MULTI_DAY: &str = "multi_day_visitors";

/// What a query shape stores, the same for every request of its kind.
pub struct Kind {
    /// Name, part of the fingerprint.
    pub name: &'static str,
    /// SELECT list over the query's output naming `k1`, `k2` (`Array(String)`: the
    /// group key), `nums` (`Array(UInt64)`: summed by position) and `hk`, `hc`
    /// (`Array(UInt64)`: a histogram, summed by key); `None` when the query's own
    /// output is those columns (a wrapping SELECT costs ClickHouse 18.16 a third more
    /// analysis: flows at 1M events, 0.25 s to 0.16 s).
    pub columns: Option<&'static str>,
    /// Whether the stored figures add up over consented rows too (their ids kept as a
    /// set in the histogram keys), so days are stored whole and nothing is merged live.
    pub whole_rows: bool,
}

/// Compiles a shape over some sources and range, merging consented rows or not: the
/// session's setup statements and the query.
pub type Compile<'a> =
    dyn Fn(&Sources, &DateRange, bool) -> Result<(Vec<Sql>, Sql), QueryError> + Sync + 'a;

/// The per-row output of the consented rows of some sources over a range.
pub type RowsSelect<'a> = dyn Fn(&Sources, &DateRange) -> Result<Sql, QueryError> + Sync + 'a;

/// How one column of a shape's per-row output is stored in `answer_rows`: numbers in
/// `u` (`Array(Array(UInt64))`), strings in `s`, each column one element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowCol {
    /// A number of the given ClickHouse type.
    Num(&'static str),
    /// An array of numbers of the given ClickHouse type.
    Nums(&'static str),
    /// A string.
    Str,
    /// An array of strings.
    Strs,
}

/// A shape's per-row output, stored per day for consented rows so a request corrects
/// the multi-day visitors from these short rows instead of re-reading their whole
/// visitor-days (funnel at 10M events: 2.4 s to 0.7 s).
pub struct Rows<'a> {
    /// The columns after `visitor_id`, in order.
    pub columns: Vec<(String, RowCol)>,
    /// The SELECT of those columns (with `visitor_id` first) over consented rows.
    pub select: &'a RowsSelect<'a>,
}

/// A query shape that [`fetch`] can answer from stored days.
pub struct Shape<'a> {
    /// What it stores.
    pub kind: &'static Kind,
    /// Site id.
    pub site_id: u32,
    /// Its SQL.
    pub compile: &'a Compile<'a>,
    /// Its stored per-row output; a shape that merges consented rows and is not
    /// `whole_rows` needs it to be stored.
    pub rows: Option<Rows<'a>>,
}

impl<'a> Shape<'a> {
    /// A shape of `kind` for a site.
    pub fn new(kind: &'static Kind, site_id: u32, compile: &'a Compile<'a>) -> Self {
        Self {
            kind,
            site_id,
            compile,
            rows: None,
        }
    }

    /// The shape with its per-row output stored too.
    pub fn with_rows(mut self, rows: Rows<'a>) -> Self {
        self.rows = Some(rows);
        self
    }
}

/// One group of a summed answer, in the stored columns.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
pub struct Summed {
    /// First part of the group key.
    pub k1: Vec<String>,
    /// Second part of the group key.
    pub k2: Vec<String>,
    /// Figures, summed by position.
    pub nums: Vec<u64>,
    /// Histogram keys, ascending.
    pub hk: Vec<u64>,
    /// Histogram counts, aligned with `hk`.
    pub hc: Vec<u64>,
}

/// Binds: site, fingerprint, first day, last day. Recorded runs by day and build.
pub const RECORDED: &str = "SELECT toString(day) AS d, build, min(run) AS run FROM answer_runs \
    WHERE site_id = ? AND fingerprint = ? AND day >= toDate(?) AND day <= toDate(?) \
    GROUP BY d, build";

/// Binds: site, day, build, fingerprint, run. Records a finished fill.
pub const RECORD: &str = "INSERT INTO answer_runs (site_id, day, build, fingerprint, run, at) \
    SELECT toUInt32(?), toDate(?), toUInt64(?), ?, toUInt64(?), now()";

/// The shape's answer over `range`: stored days summed with the live rest. `src` and
/// `merge` are the range's sources and whether it holds consented visitors.
pub async fn fetch(
    store: &Store,
    shape: &Shape<'_>,
    range: &DateRange,
    src: &Sources,
    merge: bool,
) -> Result<Vec<Summed>, QueryError> {
    // A merging shape can only correct its multi-day visitors from stored rows;
    // without them it is answered live.
    let storable = shape.kind.whole_rows || shape.rows.is_some() || !merge;
    let days: Vec<(NaiveDate, u64)> = src
        .built
        .iter()
        .copied()
        .filter(|(d, _)| storable && src.closed.contains(d) && full_day(range, *d))
        .collect();
    let pieces = if days.is_empty() {
        pieces(shape, range, src, merge, None)?
    } else {
        let fp = fingerprint(shape)?;
        let runs = runs(store, shape, &fp, &days).await?;
        let stored: Vec<(NaiveDate, u64)> = runs.keys().copied().collect();
        let built = src
            .built
            .iter()
            .copied()
            .filter(|b| !runs.contains_key(b))
            .collect();
        let runs: Vec<u64> = runs.into_values().collect();
        let stored_rows = match &shape.rows {
            Some(rows) if merge && !stored.is_empty() => {
                Some(stored_rows(shape.site_id, rows, &stored, &runs))
            }
            _ => None,
        };
        let live = Sources {
            built,
            closed: Vec::new(),
            stored_rows,
            ..src.clone()
        };
        pieces(shape, range, &live, merge, Some((&fp, &stored, &runs)))?
    };
    run_pieces(store, pieces).await
}

/// Stored days of one fingerprint: (fingerprint, days with builds, their runs).
type Stored<'a> = (&'a str, &'a [(NaiveDate, u64)], &'a [u64]);

/// One query of a summed answer: its session's setup, a SELECT in the stored columns,
/// and the sign its figures count with.
pub struct Piece {
    /// What the piece is, for logs and the dialect catalog.
    pub role: &'static str,
    /// Statements to run first in the piece's session.
    pub setup: Vec<Sql>,
    /// The SELECT.
    pub sql: Sql,
    /// +1 or -1.
    pub sign: i64,
}

/// The queries whose signed sum is the answer: the stored parts of `stored`, the
/// shape's live answer over `live` (when it has rows to read) and, when `live` reads
/// the stored rows of multi-day visitors, the subtraction of their stored figures.
///
/// They run at once, each in its own session, and are summed here rather than in one
/// statement: ClickHouse 18.16 spends about 0.4 s analysing the one statement nesting
/// them all (a funnel at 10M events), and the pieces can share both cores.
pub fn pieces(
    shape: &Shape<'_>,
    range: &DateRange,
    live: &Sources,
    merge: bool,
    stored: Option<Stored<'_>>,
) -> Result<Vec<Piece>, QueryError> {
    let mut out = Vec::new();
    if let Some((fp, days, runs)) = stored.filter(|s| !s.1.is_empty()) {
        let mut s = Sql::default();
        s.push(
            "SELECT k1, k2, nums, tupleElement(h, 1) AS hk, tupleElement(h, 2) AS hc FROM (\
             SELECT k1, k2, sumForEach(nums) AS nums, sumMap(hk, hc) AS h FROM answer_parts",
        )
        .append(stored_where(shape.site_id, days, runs))
        // The fingerprint leads the table's key.
        .push(" AND fingerprint = ")
        .bind(Bind::Str(fp.to_owned()))
        .push(" GROUP BY k1, k2)");
        out.push(Piece {
            role: "stored",
            setup: Vec::new(),
            sql: s,
            sign: 1,
        });
    }
    let multi_day = || stored.map(|s| multi_day(shape.site_id, live, s));
    if let Some(rows) = &live.stored_rows {
        let stored_only = Sources {
            stored_rows: Some(rows.clone()),
            ..Sources::default()
        };
        let (st, query) = (shape.compile)(&stored_only, range, false)?;
        out.push(Piece {
            role: "subtracted",
            setup: multi_day().into_iter().flatten().chain(st).collect(),
            sql: mapped(shape, query),
            sign: -1,
        });
    }
    if !live.parts(shape.site_id, range).is_empty() || live.stored_rows.is_some() {
        let (st, query) = (shape.compile)(live, range, merge)?;
        let mut setup = match live.stored_rows {
            Some(_) => multi_day().unwrap_or_default(),
            None => Vec::new(),
        };
        setup.extend(st);
        out.push(Piece {
            role: "live",
            setup,
            sql: mapped(shape, query),
            sign: 1,
        });
    }
    if out.is_empty() {
        return Err(QueryError::Invalid("the date range covers no day".into()));
    }
    Ok(out)
}

/// Runs the pieces at once and sums their signed figures by group. A group's figures
/// never end below zero (what is subtracted was added by a stored day), but pieces of
/// it may; groups left with nothing go.
async fn run_pieces(store: &Store, pieces: Vec<Piece>) -> Result<Vec<Summed>, QueryError> {
    let handles: Vec<_> = pieces
        .into_iter()
        .map(|p| {
            let store = store.clone();
            let role = p.role;
            let sign = p.sign;
            // The request's bounds and ids follow its statements into the task.
            let scope = super::bounds::Scope::current();
            let h = tokio::spawn(async move {
                let fetch = journey::fetch_all::<Summed>(&store, p.setup, p.sql);
                match scope {
                    Some(scope) => scope.run(fetch).await,
                    None => fetch.await,
                }
            });
            (role, sign, h)
        })
        .collect();
    let mut parts = Vec::new();
    for (role, sign, h) in handles {
        let rows = h
            .await
            .map_err(|e| QueryError::Invalid(format!("the {role} piece stopped: {e}")))??;
        parts.push((sign, rows));
    }
    Ok(sum_signed(parts))
}

/// Signed sum of pieces' groups, by `(k1, k2)`.
pub fn sum_signed(parts: Vec<(i64, Vec<Summed>)>) -> Vec<Summed> {
    type Acc = (Vec<i64>, BTreeMap<u64, i64>);
    let mut groups: BTreeMap<(Vec<String>, Vec<String>), Acc> = BTreeMap::new();
    for (sign, rows) in parts {
        for r in rows {
            let (nums, hist) = groups.entry((r.k1, r.k2)).or_default();
            if nums.len() < r.nums.len() {
                nums.resize(r.nums.len(), 0);
            }
            for (acc, n) in nums.iter_mut().zip(&r.nums) {
                *acc += sign * *n as i64;
            }
            for (k, c) in r.hk.iter().zip(&r.hc) {
                *hist.entry(*k).or_default() += sign * *c as i64;
            }
        }
    }
    groups
        .into_iter()
        .filter_map(|((k1, k2), (nums, hist))| {
            let (hk, hc): (Vec<u64>, Vec<u64>) = hist
                .into_iter()
                .filter(|(_, c)| *c > 0)
                .map(|(k, c)| (k, c as u64))
                .unzip();
            let nums: Vec<u64> = nums.into_iter().map(|n| n.max(0) as u64).collect();
            (nums.iter().any(|n| *n != 0) || !hk.is_empty()).then_some(Summed {
                k1,
                k2,
                nums,
                hk,
                hc,
            })
        })
        .collect()
}

/// ` WHERE` of a stored table's rows of `site_id` for the given days and runs.
fn stored_where(site_id: u32, days: &[(NaiveDate, u64)], runs: &[u64]) -> Sql {
    let mut s = Sql::default();
    s.push(" WHERE site_id = ")
        .bind(Bind::U64(u64::from(site_id)))
        .push(" AND day >= toDate(")
        .bind(Bind::Str(days[0].0.to_string()))
        .push(") AND day <= toDate(")
        .bind(Bind::Str(days[days.len() - 1].0.to_string()))
        // Runs are numbers this node drew or read back from ClickHouse.
        .push(&format!(") AND run IN ({})", list(runs)));
    s
}

fn list(runs: &[u64]) -> String {
    runs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored rows of [`MULTI_DAY`] visitors on the stored days, decoded into the
/// shape's per-row columns.
fn stored_rows(site_id: u32, rows: &Rows<'_>, days: &[(NaiveDate, u64)], runs: &[u64]) -> Sql {
    let (mut u, mut st) = (1, 1);
    let mut cols = String::from("SELECT visitor_id");
    for (name, col) in &rows.columns {
        // Element 1 of each array is a placeholder (see `fill_sql`).
        match col {
            RowCol::Num(ty) => {
                u += 1;
                cols.push_str(&format!(", to{ty}(u[{u}][1]) AS {name}"));
            }
            RowCol::Nums(ty) => {
                u += 1;
                cols.push_str(&format!(", arrayMap(x -> to{ty}(x), u[{u}]) AS {name}"));
            }
            RowCol::Str => {
                st += 1;
                cols.push_str(&format!(", s[{st}][1] AS {name}"));
            }
            RowCol::Strs => {
                st += 1;
                cols.push_str(&format!(", s[{st}] AS {name}"));
            }
        }
    }
    let mut s = Sql::default();
    s.push(&cols)
        .push(" FROM answer_rows")
        .append(stored_where(site_id, days, runs))
        .push(&format!(" AND visitor_id GLOBAL IN {MULTI_DAY}"));
    s
}

/// The shape's query in the stored columns.
fn mapped(shape: &Shape<'_>, query: Sql) -> Sql {
    let Some(columns) = shape.kind.columns else {
        return query;
    };
    let mut s = Sql::default();
    s.push(&format!("SELECT {columns} FROM ("))
        .append(query)
        .push(")");
    s
}

/// Statements filling [`MULTI_DAY`]: consented ids with rows on two UTC days of the
/// range (a superset is harmless). The stored days' ids come from their stored rows
/// (only rows with events the shape keeps can change an answer: for a funnel, 609k of
/// the 983k consented rows of the bench's month at 10M events); the other days' from
/// their visitor-days, and from the events of open and unbuilt days.
fn multi_day(site_id: u32, live: &Sources, stored: Stored<'_>) -> Vec<Sql> {
    let (_, days, runs) = stored;
    let mut insert = Sql::default();
    insert
        .push(&format!(
            "INSERT INTO {MULTI_DAY} SELECT visitor_id FROM (SELECT visitor_id, day FROM answer_rows"
        ))
        .append(stored_where(site_id, days, runs));
    let built: Vec<(NaiveDate, u64)> = live
        .built
        .iter()
        .copied()
        .chain(live.open.iter().map(|(d, b, _)| (*d, *b)))
        .collect();
    if !built.is_empty() {
        insert
            .push(" UNION ALL SELECT visitor_id, day FROM ")
            .append(super::source::built_from(site_id, &built))
            .push(" AND consented = 1");
    }
    let recent: Vec<String> = live
        .open
        .iter()
        .map(|(d, _, _)| *d)
        .chain(live.tail.iter().copied())
        .map(|d| d.to_string())
        .collect();
    if !recent.is_empty() {
        insert
            .push(" UNION ALL SELECT visitor_id, toDate(timestamp) AS day FROM events WHERE site_id = ")
            .bind(Bind::U64(u64::from(site_id)))
            .push(" AND has(")
            .bind(Bind::Strs(recent))
            .push(", toString(toDate(timestamp))) AND consented = 1");
    }
    // `min != max` costs less than counting distinct days (0.18 s against 0.24 s for a
    // month at 10M events).
    insert.push(") GROUP BY visitor_id HAVING min(day) != max(day)");
    let mut create = Sql::default();
    create.push(&format!(
        "CREATE TEMPORARY TABLE {MULTI_DAY} (visitor_id UInt64) ENGINE = Memory"
    ));
    vec![create, insert]
}

/// The shape's fingerprint: a digest of its SQL over one placeholder day, which holds
/// everything an answer depends on but the day and build.
pub fn fingerprint(shape: &Shape<'_>) -> Result<String, QueryError> {
    let (setup, query) = fill_query(shape, NaiveDate::default(), 0)?;
    let client = clickhouse::Client::default();
    let mut h = Sha256::new();
    h.update(format!("{VERSION}\n{}\n", shape.kind.name));
    for s in setup.iter().chain(std::iter::once(&query)) {
        h.update(s.query(&client).sql_display().to_string());
        h.update("\n");
    }
    Ok(hex::encode(h.finalize()))
}

/// The shape over one whole built day's rows of daily ids, in the stored columns.
fn fill_query(
    shape: &Shape<'_>,
    day: NaiveDate,
    build: u64,
) -> Result<(Vec<Sql>, Sql), QueryError> {
    // Every row, each taken as a visitor of its own (merge off): right for daily ids
    // and for consented ids seen on this day only; the others are corrected per request.
    let src = Sources {
        built: vec![(day, build)],
        ..Sources::default()
    };
    let (setup, query) = (shape.compile)(&src, &DateRange::utc_day(day), false)?;
    Ok((setup, mapped(shape, query)))
}

/// The INSERTs of one day's parts (and stored rows) under `run`, after the setup.
pub fn fill_sql(
    shape: &Shape<'_>,
    fp: &str,
    day: NaiveDate,
    build: u64,
    run: u64,
) -> Result<(Vec<Sql>, Vec<Sql>), QueryError> {
    let (setup, query) = fill_query(shape, day, build)?;
    // The columns every stored row starts with.
    let head = |table: &str, columns: &str| {
        let mut s = Sql::default();
        s.push(&format!(
            "INSERT INTO {table} (site_id, day, build, fingerprint, run, {columns}) SELECT toUInt32("
        ))
        .bind(Bind::U64(u64::from(shape.site_id)))
        .push("), toDate(")
        .bind(Bind::Str(day.to_string()))
        // Build and run are numbers from ClickHouse or this node, not from the request.
        .push(&format!("), toUInt64({build}), "))
        .bind(Bind::Str(fp.to_owned()))
        .push(&format!(", toUInt64({run}), "));
        s
    };
    let mut inserts = Vec::new();
    let mut s = head("answer_parts", "k1, k2, nums, hk, hc");
    s.push("k1, k2, nums, hk, hc FROM (")
        .append(query)
        .push(")");
    inserts.push(s);
    if let Some(rows) = &shape.rows {
        let select = (rows.select)(
            &Sources {
                built: vec![(day, build)],
                ..Sources::default()
            },
            &DateRange::utc_day(day),
        )?;
        // A leading empty element in each array: `[]` alone has no type in 18.16.
        let (mut u, mut st) = (
            vec!["emptyArrayUInt64()".to_owned()],
            vec!["emptyArrayString()".to_owned()],
        );
        for (name, col) in &rows.columns {
            match col {
                RowCol::Num(_) => u.push(format!("[toUInt64({name})]")),
                RowCol::Nums(_) => u.push(format!("arrayMap(x -> toUInt64(x), {name})")),
                RowCol::Str => st.push(format!("[{name}]")),
                RowCol::Strs => st.push(name.clone()),
            }
        }
        let mut r = head("answer_rows", "visitor_id, u, s");
        r.push(&format!(
            "visitor_id, [{}], [{}] FROM (",
            u.join(", "),
            st.join(", ")
        ))
        .append(select)
        .push(")");
        inserts.push(r);
    }
    Ok((setup, inserts))
}

/// The recorded run of each of `days`, filling the days that have none. A day whose
/// fill fails is left out (and read live): a stored answer only saves time.
async fn runs(
    store: &Store,
    shape: &Shape<'_>,
    fp: &str,
    days: &[(NaiveDate, u64)],
) -> Result<BTreeMap<(NaiveDate, u64), u64>, QueryError> {
    let rows = store
        .client()
        .query(RECORDED)
        .bind(shape.site_id)
        .bind(fp)
        .bind(days[0].0.to_string())
        .bind(days[days.len() - 1].0.to_string())
        .fetch_all::<(String, u64, u64)>()
        .await
        .map_err(StoreError::from)?;
    let recorded: BTreeMap<(String, u64), u64> =
        rows.into_iter().map(|(d, b, r)| ((d, b), r)).collect();
    let mut out = BTreeMap::new();
    let mut missing = Vec::new();
    for (d, b) in days {
        match recorded.get(&(d.to_string(), *b)) {
            Some(r) => {
                out.insert((*d, *b), *r);
            }
            None => missing.push((*d, *b)),
        }
    }
    if !missing.is_empty() {
        tracing::debug!(
            shape = shape.kind.name,
            stored = out.len(),
            filling = missing.len(),
            "answering days"
        );
    }
    // Two at a time keep both cores busy; each statement answers one day, which keeps
    // ClickHouse 18.16's plans small.
    for pair in missing.chunks(2) {
        let fill = |(d, b): (NaiveDate, u64)| async move {
            let run = rand::random::<u64>() >> 1 | 1;
            match fill(store, shape, fp, d, b, run).await {
                Ok(()) => Some(((d, b), run)),
                Err(e) => {
                    // Class and code only: ClickHouse's text may quote stored data.
                    let f = crate::server::error::Failure::of(&e);
                    tracing::warn!(shape = shape.kind.name, day = %d, class = f.class, code = f.code, "storing a day's answer");
                    None
                }
            }
        };
        let done = match pair {
            [a, b] => {
                let (a, b) = tokio::join!(fill(*a), fill(*b));
                vec![a, b]
            }
            [a] => vec![fill(*a).await],
            _ => Vec::new(),
        };
        out.extend(done.into_iter().flatten());
    }
    Ok(out)
}

/// Writes one day's parts, then records them.
async fn fill(
    store: &Store,
    shape: &Shape<'_>,
    fp: &str,
    day: NaiveDate,
    build: u64,
    run: u64,
) -> Result<(), QueryError> {
    let (setup, inserts) = fill_sql(shape, fp, day, build, run)?;
    let session = if setup.is_empty() {
        store.clone()
    } else {
        store.session()
    };
    for s in setup.into_iter().chain(inserts) {
        s.query(session.client())
            .execute()
            .await
            .map_err(StoreError::from)?;
    }
    store
        .client()
        .query(RECORD)
        .bind(shape.site_id)
        .bind(day.to_string())
        .bind(build)
        .bind(fp)
        .bind(run)
        .execute()
        .await
        .map_err(StoreError::from)?;
    Ok(())
}

/// Dialect-catalog entries: a fill, the registry's statements, and a sum of stored
/// days with a live tail.
pub fn catalog_entries(shape: &Shape<'_>, live: &Sources) -> Vec<(String, String)> {
    catalog_entries_named(shape, live, shape.kind.name)
}

/// [`catalog_entries`] under another name (and sample fingerprint), for a second
/// shape of the same kind.
pub fn catalog_entries_named(
    shape: &Shape<'_>,
    live: &Sources,
    name: &str,
) -> Vec<(String, String)> {
    let client = clickhouse::Client::default();
    let render = |s: Sql| s.query(&client).sql_display().to_string();
    let day = super::stats::sample_day();
    let range = DateRange::utc_day(day);
    let fp = format!("fp-{name}");
    let mut out = Vec::new();
    match fill_sql(shape, &fp, day, 1, 2) {
        Ok((_, inserts)) => {
            for (i, insert) in inserts.into_iter().enumerate() {
                let key = if i == 0 {
                    format!("answers::fill({name})")
                } else {
                    format!("answers::fill({name}) rows")
                };
                out.push((key, render(insert)));
            }
        }
        Err(e) => out.push((
            format!("answers::fill({name})"),
            format!("compile error: {e}"),
        )),
    }
    let stored = [(day, 1)];
    let runs = [2];
    let live = Sources {
        stored_rows: shape
            .rows
            .as_ref()
            .map(|rows| stored_rows(shape.site_id, rows, &stored, &runs)),
        ..live.clone()
    };
    match pieces(shape, &range, &live, true, Some((&fp, &stored, &runs))) {
        Ok(pieces) => {
            for p in pieces {
                out.extend(journey::catalog_entries(
                    &format!("answers::summed({name}) {}", p.role),
                    Ok((p.setup, p.sql)),
                ));
            }
        }
        Err(e) => out.push((
            format!("answers::summed({name})"),
            format!("compile error: {e}"),
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(k: &str, nums: &[u64], hist: &[(u64, u64)]) -> Summed {
        Summed {
            k1: vec![k.to_owned()],
            k2: Vec::new(),
            nums: nums.to_vec(),
            hk: hist.iter().map(|h| h.0).collect(),
            hc: hist.iter().map(|h| h.1).collect(),
        }
    }

    #[test]
    fn pieces_sum_by_group_with_their_signs() {
        let stored = vec![g("a", &[3, 2], &[(5, 2), (7, 1)]), g("b", &[1, 0], &[])];
        // A multi-day visitor counted on its own by a stored day, then merged: group
        // "b" loses it entirely, "a" gains a longer step time.
        let subtracted = vec![g("b", &[1, 0], &[]), g("a", &[1, 1], &[(5, 1)])];
        let live = vec![g("a", &[1, 1], &[(9, 1)]), g("c", &[0, 0], &[])];
        let out = sum_signed(vec![(1, stored), (-1, subtracted), (1, live)]);
        assert_eq!(out, vec![g("a", &[3, 2], &[(5, 1), (7, 1), (9, 1)])]);
    }
}
