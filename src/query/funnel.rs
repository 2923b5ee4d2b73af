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

use super::answers::{self, Summed};
use super::filter::{goal_condition, group_condition, page_condition, Catalog, Dim, Filter};
use super::journey::{self, Spec};
use super::paths::median;
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
#[derive(Clone, Copy)]
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepSums {
    /// Breakdown value (or the total key).
    pub key: String,
    /// Visitors reaching each step.
    pub reached: Vec<u64>,
    /// Median ms from the previous step, per step, to the second (as shown).
    pub medians: Vec<u64>,
    /// Each step's times from the previous one as (whole seconds, visitors), so that
    /// groups add up, `(other)`'s medians included.
    pub durations: Vec<Vec<(u32, u64)>>,
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

/// The funnel SQL in the stored columns (`answers`): per group (`k1`), visitors
/// reaching each step (`nums`) and a histogram of step times keyed step × 2^32 +
/// whole seconds (`hk`, `hc`).
fn compile(f: &Funnel<'_>, src: &Sources, merge: bool) -> Result<(Vec<Sql>, Sql), QueryError> {
    let n = f.steps.len();
    let spec = spec(f, merge)?;
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
    sql.push("SELECT [grp] AS k1, emptyArrayString() AS k2, [toUInt64(count())");
    for k in 2..=n {
        sql.push(&format!(", toUInt64(countIf(lvl >= {k}))"));
    }
    // Whole seconds as `api::funnel` shows them (`intDiv(ms + 500, 1000)` rounds as it
    // does); rounding keeps the order, so the median's rank picks the same visitor.
    sql.push(
        "] AS nums, tupleElement(sumMap(vk, arrayResize([toUInt64(1)], length(vk), toUInt64(1))), 1) AS hk, \
         tupleElement(sumMap(vk, arrayResize([toUInt64(1)], length(vk), toUInt64(1))), 2) AS hc FROM (",
    )
    .push(&inner);
    let keys: Vec<String> = (2..=n)
        .map(|k| format!("if(lvl >= {k}, toUInt64({k}) * 4294967296 + intDiv(d{k} + 500, 1000), toUInt64(0))"))
        .collect();
    sql.push(&format!(
        ", arrayFilter(x -> x > 0, [{}]) AS vk",
        keys.join(", ")
    ));
    if f.breakdown.is_some() {
        sql.push(", j_b[f1[c]] AS b");
    }
    sql.push(" FROM (")
        .append(journeys)
        .push(") WHERE length(f1) > 0) ");
    if f.breakdown.is_some() {
        sql.push(&format!("ARRAY JOIN [b, '{TOTAL}'] AS grp "));
    } else {
        sql.push(&format!("ARRAY JOIN ['{TOTAL}'] AS grp "));
    }
    sql.push("GROUP BY grp");
    Ok((setup, sql))
}

/// What each visitor's journey carries: the steps each event matches, as a bit mask.
fn spec<'a>(f: &Funnel<'a>, merge: bool) -> Result<Spec<'a>, QueryError> {
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
    Ok(Spec {
        site_id: f.site_id,
        range: f.range,
        filter: f.filter,
        catalog: f.catalog,
        columns: vec![("m", "UInt16", mask)],
        visit_values,
        props: f.steps.iter().any(|s| !s.props.is_empty()),
        sensitive: false,
        keep: "m > 0".into(),
        merge,
        row_filter: Some("arrayExists(x -> bitAnd(x, 1) != 0, {j}m)".into()),
        // A first step is usually a broad entry (symptom pages, a landing page): the
        // prefilter cost more than it saved at 10M events (5.8 s against 4.4 s).
        anchor: None,
    })
}

/// The funnel's stored per-row output (consented rows of stored days).
fn rows<'a>(
    f: &Funnel<'_>,
    select: &'a answers::RowsSelect<'a>,
) -> Result<answers::Rows<'a>, QueryError> {
    Ok(answers::Rows {
        columns: journey::row_columns(&spec(f, false)?),
        select,
    })
}

/// A funnel as a stored answer: the group is the breakdown value (or the total key),
/// the figures its visitors per step, the histogram its step times.
const KIND: answers::Kind = answers::Kind {
    name: "funnel",
    columns: None,
    whole_rows: false,
};

/// Every group's figures; closed days come from stored partial answers (`answers`).
async fn fetch(
    store: &Store,
    f: &Funnel<'_>,
    src: &Sources,
    merge: bool,
) -> Result<Vec<StepSums>, QueryError> {
    let n = f.steps.len();
    let compile = |src: &Sources, range: &DateRange, merge: bool| {
        compile(&Funnel { range, ..*f }, src, merge)
    };
    let select = |src: &Sources, range: &DateRange| {
        journey::consented_rows(&spec(&Funnel { range, ..*f }, false)?, src)
    };
    let rows = answers::fetch(
        store,
        &answers::Shape::new(&KIND, f.site_id, &compile).with_rows(rows(f, &select)?),
        f.range,
        src,
        merge,
    )
    .await?;
    Ok(rows.into_iter().map(|r| sums(r, n)).collect())
}

/// A group's figures from its summed answer.
fn sums(r: Summed, n: usize) -> StepSums {
    let mut durations = vec![Vec::new(); n];
    for (key, count) in r.hk.iter().zip(&r.hc) {
        let step = (key >> 32) as usize;
        if (2..=n).contains(&step) {
            durations[step - 1].push(((key & 0xffff_ffff) as u32, *count));
        }
    }
    let mut reached = r.nums;
    reached.resize(n, 0);
    with_medians(StepSums {
        key: r.k1.into_iter().next().unwrap_or_default(),
        reached,
        medians: Vec::new(),
        durations,
    })
}

/// Sets each step's median (0 when no visitor reached it) from its durations.
fn with_medians(mut s: StepSums) -> StepSums {
    s.medians = s
        .durations
        .iter()
        .map(|d| median(&mut d.clone()).map_or(0, |sec| u64::from(sec) * 1000))
        .collect();
    s
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
    let rows = fetch(store, f, &src, merge).await?;
    let n = f.steps.len();
    let empty = || StepSums {
        key: TOTAL.into(),
        reached: vec![0; n],
        medians: vec![0; n],
        durations: vec![Vec::new(); n],
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
            shown.push(fold_small(&small, n));
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

/// `(other)` from groups folded together: counts and durations add up (each visitor
/// is in one group).
fn fold_small(small: &[StepSums], n: usize) -> StepSums {
    let mut other = StepSums {
        key: OTHER.into(),
        reached: vec![0; n],
        medians: Vec::new(),
        durations: vec![Vec::new(); n],
    };
    for r in small {
        for step in 0..n {
            other.reached[step] += r.reached.get(step).copied().unwrap_or(0);
            other.durations[step].extend(r.durations.get(step).into_iter().flatten().copied());
        }
    }
    with_medians(other)
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
    let mut out = journey::catalog_entries("funnel::breakdown(built)", compile(&f, &built, true));
    out.extend(journey::catalog_entries(
        "funnel::breakdown(tail)",
        compile(&f, &tail, true),
    ));
    let compile =
        |src: &Sources, range: &DateRange, merge: bool| compile(&Funnel { range, ..f }, src, merge);
    let select = |src: &Sources, range: &DateRange| {
        journey::consented_rows(&spec(&Funnel { range, ..f }, false)?, src)
    };
    let shape = answers::Shape::new(&KIND, 7, &compile);
    let shape = match rows(&f, &select) {
        Ok(r) => shape.with_rows(r),
        Err(_) => shape,
    };
    out.extend(answers::catalog_entries(&shape, &tail));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_takes_the_median_of_its_groups_durations() {
        let a = sums(
            Summed {
                k1: vec!["a".into()],
                nums: vec![2, 2],
                hk: vec![(2 << 32) + 10, (2 << 32) + 30],
                hc: vec![1, 1],
                ..Summed::default()
            },
            2,
        );
        let b = sums(
            Summed {
                k1: vec!["b".into()],
                nums: vec![3, 3],
                hk: vec![(2 << 32) + 20, (2 << 32) + 40, (2 << 32) + 50],
                hc: vec![1, 1, 1],
                ..Summed::default()
            },
            2,
        );
        assert_eq!(a.medians, vec![0, 30_000]);
        let o = fold_small(&[a, b], 2);
        assert_eq!(o.key, OTHER);
        assert_eq!(o.reached, vec![5, 5]);
        assert_eq!(o.medians, vec![0, 30_000]);
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
