//! Ordered funnels over each visitor's journey (see `journey`), with an optional
//! breakdown by a visit dimension and minimum-group-size suppression.
//!
//! Requirements:
//! 1. A visitor reaches step k when some events e1 < e2 < … < ek (in event order) match
//!    steps 1..k and ek happens at most `window` after e1. The answer is exact: every
//!    step-1 event is tried as a start, and from a given start the earliest match of
//!    each next step is optimal, so the deepest chain over all starts is the visitor's
//!    level (unlike a greedy chain from the first start, clickhouse-notes 3.d1).
//! 2. Steps are told apart by event order, not by time, so same-millisecond events and
//!    one event matching two steps behave the same on ClickHouse 18.16 and 26.x
//!    (`windowFunnel` differs between them, notes B1/B2).
//! 3. The chain a visitor is counted by is the first start that reaches the visitor's
//!    level; its times give the step durations and its start's visit gives the
//!    breakdown value, so each visitor falls in exactly one breakdown group and groups
//!    add up to the total.
//!
//! Deliberately not here: request parsing and the JSON answer (`api::funnel`).

use serde::Deserialize;

use super::filter::{goal_condition, group_condition, page_condition, Catalog, Dim, Filter};
use super::journey::{self, Spec};
use super::range::DateRange;
use super::source::{with_consent, Sources};
use super::sql::{Bind, Sql};
use super::suppress::{fold_groups, hide_cells};
use super::QueryError;
use crate::store::Store;

/// Most steps a funnel may have.
pub const MAX_STEPS: usize = 8;
/// Key of the row holding every visitor (no breakdown value can be this).
const TOTAL: &str = "\u{1f}";
/// Label of the row holding folded small groups.
pub const OTHER: &str = super::stats::OTHER;

/// One step: a page pattern, an event (optionally with properties), a goal or a
/// content group.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Label shown in the answer (defaults to what the step matches).
    #[serde(default)]
    pub name: Option<String>,
    /// Page pattern (`/doctors/*`, `/symptoms/**`): a pageview of a matching page.
    #[serde(default)]
    pub page: Option<String>,
    /// Event name.
    #[serde(default)]
    pub event: Option<String>,
    /// Event properties that must all be equal (with `event`).
    #[serde(default)]
    pub props: std::collections::BTreeMap<String, String>,
    /// A goal of the site, by name.
    #[serde(default)]
    pub goal: Option<String>,
    /// A content group of the site, by name: a pageview of one of its pages.
    #[serde(default)]
    pub content_group: Option<String>,
}

impl Step {
    /// The label of the step in answers.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.page.clone())
            .or_else(|| self.event.clone())
            .or_else(|| self.goal.clone())
            .or_else(|| self.content_group.clone())
            .unwrap_or_default()
    }

    /// Appends the condition an event (`n`, `p`, `pk`, `pv`) meets to match the step.
    pub fn condition(&self, catalog: &Catalog<'_>, out: &mut Sql) -> Result<(), QueryError> {
        let bad = |why: String| Err(QueryError::Invalid(format!("funnel step: {why}")));
        let kinds = [
            self.page.is_some(),
            self.event.is_some(),
            self.goal.is_some(),
            self.content_group.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return bad(format!(
                "{:?} must name exactly one of page, event, goal or content_group",
                self.label()
            ));
        }
        if !self.props.is_empty() && self.event.is_none() {
            return bad("props go with event".into());
        }
        if self.props.len() > 20 {
            return bad("at most 20 props".into());
        }
        out.push("(");
        if let Some(page) = &self.page {
            out.push("n = 'pageview' AND ");
            page_condition(page, out)
                .map_err(|e| QueryError::Invalid(format!("funnel step {:?}: {e}", self.label())))?;
        } else if let Some(event) = &self.event {
            out.push("n = ").bind(Bind::Str(event.clone()));
            for (k, v) in &self.props {
                out.push(" AND has(pk, ")
                    .bind(Bind::Str(k.clone()))
                    .push(") AND pv[indexOf(pk, ")
                    .bind(Bind::Str(k.clone()))
                    .push(")] = ")
                    .bind(Bind::Str(v.clone()));
            }
        } else if let Some(goal) = &self.goal {
            let g = catalog.goals.iter().find(|g| &g.name == goal);
            match g {
                Some(g) => goal_condition(g, out)?,
                None => return bad(format!("the site has no goal named {goal:?}")),
            }
        } else if let Some(group) = &self.content_group {
            let g = catalog.groups.iter().find(|g| &g.name == group);
            match g {
                Some(g) => {
                    out.push("n = 'pageview' AND ");
                    group_condition(g, out)?;
                }
                None => return bad(format!("the site has no content group named {group:?}")),
            }
        }
        out.push(")");
        Ok(())
    }
}

/// One funnel query, parsed.
pub struct Funnel<'a> {
    /// Site id.
    pub site_id: u32,
    /// Date range.
    pub range: &'a DateRange,
    /// Filter on visits.
    pub filter: Option<&'a Filter>,
    /// Site goals, groups and time zone.
    pub catalog: &'a Catalog<'a>,
    /// Steps, 2 to [`MAX_STEPS`].
    pub steps: &'a [Step],
    /// Longest time from step 1 to the last step reached, ms.
    pub window_ms: u64,
    /// Breakdown dimension (a visit dimension), if any.
    pub breakdown: Option<&'a Dim>,
}

/// Raw figures of one group: visitors reaching each step, and the median ms from the
/// previous step (0 for step 1).
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
pub struct StepSums {
    /// Breakdown value (or the total key).
    pub key: String,
    /// Visitors reaching each step.
    pub reached: Vec<u64>,
    /// Median ms from the previous step, per step.
    pub medians: Vec<u64>,
    /// For a small group only (see [`durations_below`]): each step's ms from the
    /// previous one, per visitor, so that `(other)`'s medians need no second query.
    pub small: Vec<Vec<u64>>,
}

/// A funnel answer before presentation: the total and the breakdown groups, with
/// suppressed cells marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Every visitor in the funnel.
    pub total: StepSums,
    /// Which of the total's cells are hidden (fewer than k visitors).
    pub total_hidden: Vec<bool>,
    /// Breakdown groups shown (with `(other)` last when present), by step-1 visitors.
    pub groups: Vec<(StepSums, Vec<bool>)>,
    /// Breakdown groups folded into `(other)` or hidden with it.
    pub suppressed: usize,
}

/// The funnel SQL; `fold` maps the listed breakdown values to `(other)`.
fn compile(
    f: &Funnel<'_>,
    src: &Sources,
    merge: bool,
    fold: Option<&[String]>,
    k: u64,
) -> Result<(Vec<Sql>, Sql), QueryError> {
    let n = f.steps.len();
    let mut mask = Sql::default();
    mask.push("toUInt16(0)");
    for (i, step) in f.steps.iter().enumerate() {
        mask.push(" + toUInt16(");
        step.condition(f.catalog, &mut mask)?;
        mask.push(&format!(") * {}", 1u32 << i));
    }
    let visit_values = match f.breakdown {
        Some(Dim::Visit(col)) => vec![("b", *col)],
        Some(_) => {
            return Err(QueryError::Invalid(
                "a funnel breakdown is a visit dimension (visit:channel, visit:source, ...)".into(),
            ))
        }
        None => Vec::new(),
    };
    let spec = Spec {
        site_id: f.site_id,
        range: f.range,
        filter: f.filter,
        catalog: f.catalog,
        columns: vec![("m", mask)],
        visit_values,
        props: f.steps.iter().any(|s| !s.props.is_empty()),
        sensitive: false,
        keep: "m > 0".into(),
        merge,
        row_filter: Some("arrayExists(x -> bitAnd(x, 1) != 0, {j}m)".into()),
        // A first step is usually a broad entry (symptom pages, a landing page): the
        // prefilter cost more than it saved at 10M events (5.8 s against 4.4 s).
        anchor: None,
    };
    let setup = journey::setup(&spec, src);
    let journeys = journey::select(&spec, src)?;
    let w = f.window_ms;
    let mut inner = String::from(
        "SELECT ts, j_m, arrayFilter((i, m) -> bitAnd(m, 1) != 0, arrayEnumerate(j_m), j_m) AS f1, \
         arrayResize([ts], length(f1), ts) AS rts, arrayResize([j_m], length(f1), j_m) AS rms",
    );
    for k in 2..=n {
        inner.push_str(&format!(
            ", arrayMap((qa, qb, qt, qm) -> if(qb = 0, 0, arrayFirstIndex((i, x, y) -> i > qb AND bitAnd(y, {bit}) != 0 \
               AND x <= qt[qa] + {w}, arrayEnumerate(qt), qt, qm)), f1, f{prev}, rts, rms) AS f{k}",
            bit = 1u32 << (k - 1),
            prev = k - 1,
        ));
    }
    let params: Vec<String> = (2..=n).map(|k| format!("x{k}")).collect();
    let arrays: Vec<String> = (2..=n).map(|k| format!("f{k}")).collect();
    let sum: Vec<String> = (2..=n).map(|k| format!("toUInt8(x{k} > 0)")).collect();
    inner.push_str(&format!(
        ", arrayMap(({}) -> toUInt8({}), {}) AS depth, \
         if(length(f1) = 0, 0, arrayReduce('max', depth) + 1) AS lvl, \
         indexOf(depth, toUInt8(lvl - 1)) AS c",
        params.join(", "),
        sum.join(" + "),
        arrays.join(", "),
    ));
    for k in 2..=n {
        inner.push_str(&format!(
            ", if(lvl >= {k}, toUInt64(ts[f{k}[c]] - ts[f{prev}[c]]), toUInt64(0)) AS d{k}",
            prev = k - 1
        ));
    }
    let mut sql = Sql::default();
    sql.push("SELECT grp, [toUInt64(count())");
    for k in 2..=n {
        sql.push(&format!(", toUInt64(countIf(lvl >= {k}))"));
    }
    sql.push("], [toUInt64(0)");
    for k in 2..=n {
        sql.push(&format!(
            ", toUInt64(quantileExactIf(0.5)(d{k}, lvl >= {k}))"
        ));
    }
    sql.push("], [emptyArrayUInt64()");
    for k2 in 2..=n {
        sql.push(&format!(
            ", if(count() < {cap}, groupArrayIf(d{k2}, lvl >= {k2}), emptyArrayUInt64())",
            cap = durations_below(k)
        ));
    }
    sql.push("] FROM (").push(&inner);
    if f.breakdown.is_some() {
        sql.push(", j_b[f1[c]] AS b");
    }
    sql.push(" FROM (")
        .append(journeys)
        .push(") WHERE length(f1) > 0) ");
    match (f.breakdown.is_some(), fold) {
        (false, _) => {
            sql.push(&format!("ARRAY JOIN ['{TOTAL}'] AS grp "));
        }
        (true, None) => {
            sql.push(&format!("ARRAY JOIN [b, '{TOTAL}'] AS grp "));
        }
        (true, Some(keys)) => {
            sql.push("ARRAY JOIN [if(has(")
                .bind(Bind::Strs(keys.to_vec()))
                .push(&format!(", b), '{OTHER}', b)] AS grp "));
        }
    }
    sql.push("GROUP BY grp");
    Ok((setup, sql))
}

async fn fetch(
    store: &Store,
    f: &Funnel<'_>,
    src: &Sources,
    merge: bool,
    fold: Option<&[String]>,
    k: u64,
) -> Result<Vec<StepSums>, QueryError> {
    let (setup, query) = compile(f, src, merge, fold, k)?;
    journey::fetch_all(store, setup, query).await
}

/// Runs the funnel with minimum-group-size `k`.
///
/// Groups (breakdown values) with fewer than `k` visitors at step 1 are folded into an
/// exact `(other)`; if `(other)` is itself under `k`, the smallest groups follow it.
/// Within what is shown, a step count under `k` (but not 0) is hidden, and per step
/// enough further cells are hidden that the hidden ones add up to at least `k`, so no
/// hidden count is the difference of the total and shown cells.
pub async fn run(store: &Store, f: &Funnel<'_>, k: u64) -> Result<Answer, QueryError> {
    if f.steps.len() < 2 || f.steps.len() > MAX_STEPS {
        return Err(QueryError::Invalid(format!(
            "a funnel has 2 to {MAX_STEPS} steps"
        )));
    }
    let (src, merge) = with_consent(store, f.site_id, f.range).await?;
    let rows = fetch(store, f, &src, merge, None, k).await?;
    let n = f.steps.len();
    let empty = || StepSums {
        key: TOTAL.into(),
        reached: vec![0; n],
        medians: vec![0; n],
        small: vec![Vec::new(); n],
    };
    let (totals, groups): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.key == TOTAL);
    let total = totals.into_iter().next().unwrap_or_else(empty);
    let mut shown = Vec::new();
    let mut suppressed = 0;
    if f.breakdown.is_some() {
        let first = |r: &StepSums| r.reached.first().copied().unwrap_or(0);
        let (big, small) = fold_groups(groups, k, first, |r| r.key.as_str());
        suppressed = small.len();
        let other_total: u64 = small.iter().map(first).sum();
        shown = big;
        if !small.is_empty() && other_total >= k {
            if small.iter().all(|r| first(r) < durations_below(k)) {
                shown.push(fold_small(&small, n));
            } else {
                // Groups of k or more folded too: their durations were not sent.
                let keys: Vec<String> = small.iter().map(|r| r.key.clone()).collect();
                let folded = fetch(store, f, &src, merge, Some(&keys), k).await?;
                if let Some(o) = folded.into_iter().find(|r| r.key == OTHER) {
                    shown.push(o);
                }
            }
        }
    }
    let cells: Vec<&[u64]> = shown.iter().map(|g| g.reached.as_slice()).collect();
    let (total_hidden, hidden) = hide_cells(&total.reached, &cells, k);
    Ok(Answer {
        total,
        total_hidden,
        groups: shown.into_iter().zip(hidden).collect(),
        suppressed,
    })
}

/// Groups with fewer step-1 visitors than this send their durations along: every group
/// under k, and the small shown groups that complementary suppression may fold too.
fn durations_below(k: u64) -> u64 {
    k.max(2_000)
}

/// `(other)` from groups folded together: counts add up (each visitor is in one
/// group), medians come from their durations (as `quantileExact(0.5)`: the element at
/// half the count).
fn fold_small(small: &[StepSums], n: usize) -> StepSums {
    let mut other = StepSums {
        key: OTHER.into(),
        reached: vec![0; n],
        medians: vec![0; n],
        small: Vec::new(),
    };
    for step in 0..n {
        other.reached[step] = small.iter().map(|r| r.reached[step]).sum();
        let mut all: Vec<u64> = small
            .iter()
            .flat_map(|r| r.small.get(step).into_iter().flatten().copied())
            .collect();
        all.sort_unstable();
        other.medians[step] = all.get(all.len() / 2).copied().unwrap_or(0);
    }
    other
}

/// Sample statements for the dialect catalog: a 3-step funnel with a breakdown and a
/// filter, over a built day and over the tail.
pub fn catalog_samples() -> Vec<(String, String)> {
    let (range, goals, groups) = super::stats::sample_site();
    let catalog = Catalog {
        goals: &goals,
        groups: &groups,
        timezone: "Europe/Paris",
    };
    let steps = vec![
        Step {
            content_group: Some("A pages".into()),
            ..Step::default()
        },
        Step {
            page: Some("/b".into()),
            ..Step::default()
        },
        Step {
            event: Some("Booking".into()),
            props: [("k".to_owned(), "it's".to_owned())].into(),
            ..Step::default()
        },
    ];
    let dim = Dim::Visit("channel");
    let filter = Filter::parse_list(&[serde_json::json!(["is_not", "visit:channel", ["x"]])])
        .ok()
        .flatten();
    let f = Funnel {
        site_id: 7,
        range: &range,
        filter: filter.as_ref(),
        catalog: &catalog,
        steps: &steps,
        window_ms: 86_400_000,
        breakdown: Some(&dim),
    };
    let (built, tail) = super::stats::sample_sources();
    let keys = vec!["Email".to_owned()];
    let mut out = journey::catalog_entries(
        "funnel::breakdown(built)",
        compile(&f, &built, true, None, 5),
    );
    out.extend(journey::catalog_entries(
        "funnel::fold(tail)",
        compile(&f, &tail, true, Some(&keys), 5),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(reached: &[u64]) -> StepSums {
        StepSums {
            key: "g".into(),
            reached: reached.to_vec(),
            medians: vec![0; reached.len()],
            small: Vec::new(),
        }
    }

    #[test]
    fn other_takes_the_median_of_its_groups_durations() {
        let mut a = sums(&[2, 2]);
        a.small = vec![vec![], vec![10, 30]];
        let mut b = sums(&[3, 3]);
        b.small = vec![vec![], vec![50, 20, 40]];
        let o = fold_small(&[a, b], 2);
        assert_eq!(o.key, OTHER);
        assert_eq!(o.reached, vec![5, 5]);
        assert_eq!(o.medians, vec![0, 30]);
    }

    #[test]
    fn steps_need_exactly_one_target() {
        let catalog = Catalog {
            goals: &[],
            groups: &[],
            timezone: "UTC",
        };
        let mut s = Sql::default();
        let both = Step {
            page: Some("/a".into()),
            event: Some("x".into()),
            ..Step::default()
        };
        assert!(both.condition(&catalog, &mut s).is_err());
        let props_on_page = Step {
            page: Some("/a".into()),
            props: [("a".to_owned(), "b".to_owned())].into(),
            ..Step::default()
        };
        assert!(props_on_page.condition(&catalog, &mut s).is_err());
        let unknown_goal = Step {
            goal: Some("nope".into()),
            ..Step::default()
        };
        assert!(unknown_goal.condition(&catalog, &mut s).is_err());
    }
}
