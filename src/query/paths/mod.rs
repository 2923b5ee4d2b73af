//! Journeys: the paths visitors take to a goal (`paths_to`), from a start
//! (`paths_from`, optionally only of those who never reach a given step later in that
//! visit: a drop-off), and the flows around a page, group, event or goal (`flows`),
//! rebuilt from each visitor's ordered events (see `journey`), and what of them an
//! answer shows ([`tree`]).
//!
//! A path is a list of nodes: a pageview's content group (the page itself outside
//! every group, or with `by: page`), or the name of a goal a custom event reaches.
//! Sensitive pages are never nodes; consecutive repeats are collapsed.
//!
//! Suppression works on the tree of path prefixes from the anchor (the goal,
//! backwards, for paths to it): every visitor follows one branch, so the children of
//! a node (next node, or the path's end) split its visitors exactly. Children of at
//! least k visitors are shown with their exact count and grow on; the others pool
//! into one `(other)`, counted when it reaches k, withheld (no count, and left out of
//! every count above it) when it does not. Every published count is then the sum of
//! its shown children: no subtraction within an answer recovers a withheld remainder.
//!
//! Deliberately not here: request parsing and JSON (`api::journeys`).

pub mod tree;

use serde::Deserialize;

use super::answers;
use super::answers::RowCol;
use super::filter::{goal_condition, group_condition, Catalog, Filter};
use super::funnel::Step;
use super::journey::{self, Anchor, Spec};
use super::range::DateRange;
use super::source::{
    push_inclusion, push_row_conditions, union_parts, with_consent, Part, Sources,
};
use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::Store;

/// Label of pooled small branches.
pub const OTHER: &str = super::stats::OTHER;
/// Node before the first of a visit.
pub const ENTRANCE: &str = "(entrance)";
/// Node after the last of a visit.
pub const EXIT: &str = "(exit)";
/// Node standing for earlier steps cut by `max_steps`.
pub const EARLIER: &str = "…";

/// What a journey query asks.
#[derive(Clone, Copy)]
pub enum Mode<'a> {
    /// Paths ending at the first event reaching a goal.
    To(&'a crate::store::goals::Goal),
    /// Paths within a visit from the first event matching the step (a page pattern, a
    /// content group, an event or a goal), of the visitors who, after it and within
    /// that visit, never reach the second step when there is one (a funnel step's
    /// drop-off).
    From(&'a Step, Option<&'a Step>),
    /// Nodes before and after the first event matching the step, within its visit.
    Flows(&'a Step),
}

/// One journey query.
#[derive(Clone, Copy)]
pub struct Journeys<'a> {
    /// Site id.
    pub site_id: u32,
    /// Date range.
    pub range: &'a DateRange,
    /// Filter on visits.
    pub filter: Option<&'a Filter>,
    /// Site goals, groups and time zone.
    pub catalog: &'a Catalog<'a>,
    /// Nodes are pages rather than content groups.
    pub by_page: bool,
    /// Most nodes on each side of the anchor (to, from, around), anchor excluded.
    pub max_steps: usize,
    /// Nodes shown before the anchor in flows.
    pub steps_before: usize,
    /// What to rebuild.
    pub mode: Mode<'a>,
}

/// Visitors of one exact path (both sides for flows), with how long their journeys
/// took: a histogram in whole seconds, so a path of a million visitors ships a few
/// hundred numbers, not a million (paths_from at 10M events: 0.8 s of the node's CPU).
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
pub struct PathCount {
    /// Nodes before the anchor, nearest first (flows only).
    pub before: Vec<String>,
    /// The anchor's label and the nodes after it (paths_from, flows), or the nodes
    /// before the goal and the goal's name (paths_to).
    pub path: Vec<String>,
    /// Visitors.
    pub visitors: u64,
    /// Journey durations, rounded to whole seconds, ascending and distinct.
    pub seconds: Vec<u32>,
    /// Visitors of each duration in `seconds`.
    pub counts: Vec<u64>,
}

impl PathCount {
    /// The durations as (seconds, visitors) pairs.
    pub fn durations(&self) -> Vec<(u32, u64)> {
        self.seconds
            .iter()
            .copied()
            .zip(self.counts.iter().copied())
            .collect()
    }
}

/// The histogram columns `seconds` and `counts` of journey durations `dur` (ms) in a
/// grouped SELECT. Rounding is monotonic, so the median's rank picks the same visitor
/// as in milliseconds.
const DURATIONS: &str =
    "tupleElement(sumMap([toUInt64(intDiv(dur + 500, 1000))], [toUInt64(1)]), 1) AS hk, \
    tupleElement(sumMap([toUInt64(intDiv(dur + 500, 1000))], [toUInt64(1)]), 2) AS hc";

/// The per-event node expression (lambda body over `n`, `p`, `sens`).
fn node_expr(j: &Journeys<'_>) -> Result<Sql, QueryError> {
    let mut s = Sql::default();
    s.push("if(n = 'pageview', if(sens, '', ");
    if j.by_page || j.catalog.groups.is_empty() {
        s.push("p");
    } else {
        s.push("multiIf(");
        for g in j.catalog.groups {
            group_condition(g, &mut s)?;
            s.push(", ").bind(Bind::Str(g.name.clone())).push(", ");
        }
        s.push("p)");
    }
    s.push("), ");
    // Custom events are nodes when they reach a goal (page goals are pageviews already).
    let event_goals: Vec<_> = j
        .catalog
        .goals
        .iter()
        .filter(|g| !g.event_name.is_empty())
        .collect();
    if event_goals.is_empty() {
        s.push("''");
    } else {
        s.push("multiIf(");
        for g in event_goals {
            goal_condition(g, &mut s)?;
            s.push(", ").bind(Bind::Str(g.name.clone())).push(", ");
        }
        s.push("'')");
    }
    s.push(")");
    Ok(s)
}

/// Collapses consecutive repeats of array `a` (an expression used three times). The
/// shifted copy keeps `a`'s length even when `a` is empty (a goal as first event).
fn collapse(a: &str) -> String {
    format!(
        "arrayFilter((x, y, i) -> i = 1 OR x != y, {a}, arraySlice(arrayPushFront({a}, ''), 1, length({a})), arrayEnumerate({a}))"
    )
}

fn compile(j: &Journeys<'_>, src: &Sources, merge: bool) -> Result<(Vec<Sql>, Sql), QueryError> {
    match &j.mode {
        Mode::To(goal) => compile_to(j, goal, src, merge),
        Mode::From(..) | Mode::Flows(_) => {
            Ok((Vec::new(), compile_visit(j, src, merge, &visit_anchor(j)?)?))
        }
    }
}

/// The event a visit journey starts from (paths_from, flows).
struct VisitAnchor {
    /// Lambda body over `n`, `p`, `sens` (and `pk`, `pv` with `props`): the step,
    /// never on a sensitive page.
    cond: Sql,
    /// Whether `cond` reads event properties.
    props: bool,
    /// The first node of every path: the step's label, whatever the anchor event's own
    /// node (pages of a pattern by page, an event that reaches no goal).
    label: String,
    /// The step whose visitors are dropped when they reach it after the anchor, in its
    /// visit: a lambda body over `n`, `p` (and `pk`, `pv` with its flag).
    not_followed_by: Option<(Sql, bool)>,
}

/// The anchor of paths from or flows around a step: a page pattern, a content group,
/// an event (with props) or a goal.
fn visit_anchor(j: &Journeys<'_>) -> Result<VisitAnchor, QueryError> {
    let (step, not_followed_by) = match j.mode {
        Mode::From(step, not) => (step, not),
        Mode::Flows(step) => (step, None),
        Mode::To(_) => return Err(QueryError::Invalid("paths to a goal have no start".into())),
    };
    let mut cond = Sql::default();
    cond.push("toUInt8(NOT sens AND ");
    step.condition(j.catalog, &mut cond)?;
    cond.push(")");
    let not_followed_by = match not_followed_by {
        Some(s) => {
            // Any event, sensitive or not, as a funnel step counts it.
            let mut c = Sql::default();
            s.condition(j.catalog, &mut c)?;
            Some((c, !s.props.is_empty()))
        }
        None => None,
    };
    Ok(VisitAnchor {
        cond,
        props: !step.props.is_empty(),
        label: step.label(),
        not_followed_by,
    })
}

/// [`visit_part`]'s columns after `visitor_id`, as stored for consented rows.
const VISIT_COLUMNS: [(&str, RowCol); 5] = [
    ("at", RowCol::Num("UInt64")),
    ("r_before", RowCol::Strs),
    ("r_path", RowCol::Strs),
    ("r_dur", RowCol::Num("UInt64")),
    ("r_kept", RowCol::Num("UInt8")),
];

/// The per-row output of the consented rows of `src`, as stored for a day.
fn consented_rows(j: &Journeys<'_>, src: &Sources) -> Result<Sql, QueryError> {
    match &j.mode {
        Mode::To(goal) => journey::consented_rows(&spec_to(j, goal, false)?, src),
        Mode::From(..) | Mode::Flows(_) => {
            let anchor = visit_anchor(j)?;
            union_parts(src, j.site_id, j.range, Some(1), |p| {
                visit_part(j, p, Some(1), &anchor)
            })
        }
    }
}

/// Paths to the first event reaching `goal`, over each visitor's merged journey: a
/// consented visitor's path crosses days.
fn compile_to(
    j: &Journeys<'_>,
    goal: &crate::store::goals::Goal,
    src: &Sources,
    merge: bool,
) -> Result<(Vec<Sql>, Sql), QueryError> {
    let spec = spec_to(j, goal, merge)?;
    let setup = journey::setup(&spec, src);
    let journeys = journey::select(&spec, src)?;
    let n = j.max_steps;
    let before = collapse("arraySlice(j_node, 1, c - 1)");
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT emptyArrayString() AS k1, path AS k2, [toUInt64(count())] AS nums, {DURATIONS} FROM (\
         SELECT indexOf(j_a, 1) AS c, {before} AS walked, \
         arrayConcat(if(length(walked) > {n}, ['{EARLIER}'], emptyArrayString()), \
           arraySlice(walked, greatest(1, toInt64(length(walked)) - {n} + 1)), ["
    ))
    .bind(Bind::Str(goal.name.clone()))
    .push("]) AS path, toUInt64(ts[c] - ts[1]) AS dur FROM (")
    .append(journeys)
    .push(") WHERE c > 0) GROUP BY path");
    Ok((setup, sql))
}

/// What each visitor's journey carries for paths to `goal`: the node of each event
/// and whether it reaches the goal.
fn spec_to<'a>(
    j: &Journeys<'a>,
    goal: &crate::store::goals::Goal,
    merge: bool,
) -> Result<Spec<'a>, QueryError> {
    let mut anchor = Sql::default();
    anchor.push("toUInt8(");
    goal_condition(goal, &mut anchor)?;
    anchor.push(")");
    Ok(Spec {
        site_id: j.site_id,
        range: j.range,
        filter: j.filter,
        catalog: j.catalog,
        columns: vec![
            ("node", "String", node_expr(j)?),
            ("a", "UInt8", anchor.clone()),
        ],
        visit_values: Vec::new(),
        props: false,
        sensitive: true,
        keep: "node != '' OR a = 1".into(),
        merge,
        row_filter: Some("has({j}a, 1)".into()),
        // Reaching a goal is rare, so dropping the rows of visitors who never do saves
        // most of the work (paths_to at 10M events: 4.5 s to 2.5 s).
        anchor: Some(Anchor {
            body: anchor,
            pages: goal.event_name.is_empty(),
        }),
    })
}

/// The shape with its stored per-row output.
fn with_rows<'a>(
    shape: answers::Shape<'a>,
    j: &Journeys<'_>,
    select: &'a answers::RowsSelect<'a>,
) -> answers::Shape<'a> {
    let columns = match &j.mode {
        Mode::To(goal) => match spec_to(j, goal, false) {
            Ok(spec) => journey::row_columns(&spec),
            Err(_) => return shape,
        },
        _ => VISIT_COLUMNS
            .iter()
            .map(|(n, c)| ((*n).to_owned(), *c))
            .collect(),
    };
    shape.with_rows(answers::Rows { columns, select })
}

/// Paths from and flows around the first anchor event in range, which never leave the
/// anchor's visit: visits never cross midnight UTC, so each visitor-day row answers
/// on its own, with nodes computed over that one visit's events. A consented visitor
/// keeps the answer of its row with the earliest anchor. No per-event arrays are
/// carried or merged across rows (flows at 10M events: 7.2 s to 5.3 s).
fn compile_visit(
    j: &Journeys<'_>,
    src: &Sources,
    merge: bool,
    anchor: &VisitAnchor,
) -> Result<Sql, QueryError> {
    let parts = |consented: Option<u8>| {
        union_parts(src, j.site_id, j.range, consented, |p| {
            visit_part(j, p, consented, anchor)
        })
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT before AS k1, path AS k2, [toUInt64(count())] AS nums, {} FROM (\
             SELECT r_before AS before, r_path AS path, r_dur AS dur, r_kept AS kept FROM (",
        // Flows show no durations.
        match j.mode {
            Mode::Flows(_) => "emptyArrayUInt64() AS hk, emptyArrayUInt64() AS hc",
            _ => DURATIONS,
        }
    ))
    .append(parts(if merge { Some(0) } else { None })?)
    .push(")");
    if merge {
        sql.push(
            " UNION ALL SELECT argMin(r_before, at) AS before, argMin(r_path, at) AS path, \
             argMin(r_dur, at) AS dur, argMin(r_kept, at) AS kept FROM (",
        )
        .append(parts(Some(1))?)
        .push(") GROUP BY visitor_id");
    }
    sql.push(")");
    // After the merge: a consented visitor whose first anchor was followed by the step
    // is left out, whatever its later days did.
    if anchor.not_followed_by.is_some() {
        sql.push(" WHERE kept = 1");
    }
    sql.push(" GROUP BY before, path");
    Ok(sql)
}

/// One part's rows with an anchor in an included visit, with the consented flag given
/// (all rows with `None`): `visitor_id`, `at` (the anchor's time), `r_before`, `r_path`,
/// `r_dur` (ms from the anchor to the visit's last event with a node, `la` in the
/// visit, or to the anchor itself) and `r_kept` (0 when the visit reaches the
/// `not_followed_by` step after the anchor).
///
/// `r_path` is the anchor's label, then the nodes after the anchor event; `r_before`
/// the nodes before it, nearest first. The anchor event's own node, when it has one
/// (a pageview, a goal's event), absorbs its repeats on both sides, as any node does.
fn visit_part(
    j: &Journeys<'_>,
    p: Part,
    consented: Option<u8>,
    anchor: &VisitAnchor,
) -> Result<Sql, QueryError> {
    let gated = j.filter.is_some() || !p.whole;
    let (params, arrays) = if anchor.props {
        (
            "n, p, pk, pv, sens",
            "e_name, e_page, e_prop_keys, e_prop_values, e_sensitive",
        )
    } else {
        ("n, p, sens", "e_name, e_page, e_sensitive")
    };
    let mut inner = Sql::default();
    inner.push("SELECT visitor_id, first_ms, e_ms, e_session, e_name, e_page, e_sensitive, ");
    if matches!(anchor.not_followed_by, Some((_, true))) {
        inner.push("e_prop_keys, e_prop_values, ");
    }
    if gated {
        push_inclusion(&mut inner, j.range, j.filter, j.catalog)?;
        inner
            .push(&format!(
                "arrayFirstIndex(({params}, s, inc) -> inc[s] AND "
            ))
            .append(anchor.cond.clone())
            .push(&format!(
                ", {arrays}, e_session, arrayResize([s_inc], length(e_name), s_inc)) AS c"
            ));
    } else {
        inner
            .push(&format!("arrayFirstIndex(({params}) -> "))
            .append(anchor.cond.clone())
            .push(&format!(", {arrays}) AS c"));
    }
    inner.push(" FROM ").append(p.from.clone());
    push_row_conditions(&mut inner, &p, consented, j.filter, j.catalog)?;
    let n = j.max_steps;
    let b = if matches!(j.mode, Mode::Flows(_)) {
        j.steps_before
    } else {
        0
    };
    // The anchor's visit is one slice of the row, `st..=en`; `ca` is the anchor in it,
    // `an` its node ('' for an event that reaches no goal: no node to drop then).
    let slice = |a: &str| format!("arraySlice({a}, st, en - st + 1)");
    let fwd = collapse("arrayFilter(x -> x != '', arraySlice(v_node, ca))");
    let bwd = collapse("arrayFilter(x -> x != '', arrayReverse(arraySlice(v_node, 1, ca)))");
    let mut out = Sql::default();
    out.push(
        "SELECT visitor_id, first_ms + e_ms[c] AS at, indexOf(e_session, e_session[c]) AS st, \
         st + countEqual(e_session, e_session[c]) - 1 AS en, c - st + 1 AS ca, \
         arrayMap((n, p, sens) -> ",
    )
    .append(node_expr(j)?)
    .push(&format!(
        ", {}, {}, {}) AS v_node, v_node[ca] AS an, {fwd} AS f0, {bwd} AS r0, \
         if(an = '', f0, arrayPopFront(f0)) AS f, if(an = '', r0, arrayPopFront(r0)) AS r, \
         arrayConcat([",
        slice("e_name"),
        slice("e_page"),
        slice("e_sensitive")
    ))
    .bind(Bind::Str(anchor.label.clone()))
    .push(&format!(
        "], if(length(f) <= {n}, arrayPushBack(f, '{EXIT}'), arraySlice(f, 1, {n}))) AS r_path, \
         if({b} = 0, emptyArrayString(), \
           if(length(r) <= {b}, arrayPushBack(r, '{ENTRANCE}'), arraySlice(r, 1, {b}))) AS r_before, \
         arrayFirstIndex(x -> x != '', arrayReverse(v_node)) AS lr, \
         if(lr = 0, ca, greatest(ca, length(v_node) + 1 - lr)) AS la, \
         toUInt64(e_ms[st + la - 1] - e_ms[c]) AS r_dur, "
    ))
    .append(kept(anchor))
    .push(" AS r_kept FROM (")
    .append(inner)
    .push(") WHERE c > 0");
    // UNION ALL needs the same columns from each part.
    let mut sel = Sql::default();
    sel.push("SELECT visitor_id, at, r_before, r_path, r_dur, r_kept FROM (")
        .append(out)
        .push(")");
    Ok(sel)
}

/// Whether the anchor's visit never reaches the `not_followed_by` step after it (the
/// events `c + 1 ..= en`); always 1 without one.
fn kept(anchor: &VisitAnchor) -> Sql {
    let mut s = Sql::default();
    let Some((cond, props)) = &anchor.not_followed_by else {
        s.push("toUInt8(1)");
        return s;
    };
    let after = |a: &str| format!("arraySlice({a}, c + 1, en - c)");
    let mut arrays = vec![after("e_name"), after("e_page")];
    let params = if *props {
        arrays.extend([after("e_prop_keys"), after("e_prop_values")]);
        "n, p, pk, pv"
    } else {
        "n, p"
    };
    s.push(&format!("toUInt8(NOT arrayExists(({params}) -> "))
        .append(cond.clone())
        .push(&format!(", {}))", arrays.join(", ")));
    s
}

/// Runs the query: visitor counts of every exact path, unsuppressed. Closed days come
/// from stored partial answers (`answers`).
pub async fn fetch(store: &Store, j: &Journeys<'_>) -> Result<Vec<PathCount>, QueryError> {
    let (src, merge) = with_consent(store, j.site_id, j.range).await?;
    let compile = |src: &Sources, range: &DateRange, merge: bool| {
        compile(&Journeys { range, ..*j }, src, merge)
    };
    let select = |src: &Sources, range: &DateRange| consented_rows(&Journeys { range, ..*j }, src);
    let shape = with_rows(answers::Shape::new(&KIND, j.site_id, &compile), j, &select);
    let rows = answers::fetch(store, &shape, j.range, &src, merge).await?;
    Ok(rows
        .into_iter()
        .map(|r| PathCount {
            before: r.k1,
            path: r.k2,
            visitors: r.nums.first().copied().unwrap_or(0),
            // Keys are whole seconds (`DURATIONS`).
            seconds: r.hk.iter().map(|&s| s as u32).collect(),
            counts: r.hc,
        })
        .collect())
}

/// Paths as a stored answer: the group is (before, path), the figure its visitors, the
/// histogram their whole seconds (the query's own columns).
const KIND: answers::Kind = answers::Kind {
    name: "paths",
    columns: None,
    whole_rows: false,
};

/// One exact path as [`tree::fold`] takes it: nodes after the anchor, visitors, and
/// their durations as (seconds, visitors).
pub type Walked<'a> = (&'a [String], u64, &'a [(u32, u64)]);

/// The median of a histogram of (value, count) as `quantileExact(0.5)` takes it (the
/// element at index n / 2 of the sorted values), so funnel and path medians agree.
pub fn median(v: &mut [(u32, u64)]) -> Option<u32> {
    let n: u64 = v.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    v.sort_unstable();
    let mut seen = 0;
    for (value, count) in v.iter() {
        seen += count;
        if seen > n / 2 {
            return Some(*value);
        }
    }
    None
}

/// Sample statements for the dialect catalog: paths_to and paths_from over a built
/// day, flows over the same day built and live, and anchors of each kind.
pub fn catalog_samples() -> Vec<(String, String)> {
    let (range, goals, groups) = super::stats::sample_site();
    let catalog = Catalog {
        goals: &goals,
        groups: &groups,
        timezone: "Europe/Paris",
    };
    let (built, tail) = super::stats::sample_sources();
    let step = Step {
        page: Some("/a/**".into()),
        ..Step::default()
    };
    let sample = |mode| Journeys {
        site_id: 7,
        range: &range,
        filter: None,
        catalog: &catalog,
        by_page: false,
        max_steps: 3,
        steps_before: 2,
        mode,
    };
    let render = |name: &str, mode, src: &Sources| {
        journey::catalog_entries(name, compile(&sample(mode), src, true))
    };
    let mut out = render("paths::to(built)", Mode::To(&goals[0]), &built);
    out.extend(render("paths::flows(tail)", Mode::Flows(&step), &tail));
    out.extend(render("paths::flows(built)", Mode::Flows(&step), &built));
    out.extend(render(
        "paths::from(built)",
        Mode::From(&step, None),
        &built,
    ));
    // Wider anchors: an event (with props, which read the props arrays), a goal.
    let event = Step {
        event: Some("Booking".into()),
        ..Step::default()
    };
    let with_props = Step {
        props: [("k".to_owned(), "it's".to_owned())].into(),
        ..event.clone()
    };
    let goal = Step {
        goal: Some("Booked".into()),
        ..Step::default()
    };
    out.extend(render(
        "paths::from(event, tail)",
        Mode::From(&event, None),
        &tail,
    ));
    out.extend(render(
        "paths::from(event props, built)",
        Mode::From(&with_props, None),
        &built,
    ));
    out.extend(render(
        "paths::flows(goal, built)",
        Mode::Flows(&goal),
        &built,
    ));
    // A start's drop-off: visitors who never reach the event after it in its visit
    // (with props, which read the props arrays after the anchor).
    let not_followed = Mode::From(&step, Some(&event));
    out.extend(render(
        "paths::from(not followed, built)",
        not_followed,
        &built,
    ));
    out.extend(render(
        "paths::from(not followed props, tail)",
        Mode::From(&step, Some(&with_props)),
        &tail,
    ));
    // Stored answers of a paths_to shape and of a drop-off's paths_from shape (their
    // consented rows carry `r_kept`).
    for (label, mode) in [
        ("paths", Mode::To(&goals[0])),
        ("paths not followed", not_followed),
    ] {
        let j = sample(mode);
        let compile = |src: &Sources, range: &DateRange, merge: bool| {
            compile(&Journeys { range, ..j }, src, merge)
        };
        let select =
            |src: &Sources, range: &DateRange| consented_rows(&Journeys { range, ..j }, src);
        let shape = with_rows(answers::Shape::new(&KIND, 7, &compile), &j, &select);
        out.extend(answers::catalog_entries_named(&shape, &tail, label));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(catalog: &Catalog<'_>, range: &DateRange, mode: Mode<'_>) -> String {
        let j = Journeys {
            site_id: 7,
            range,
            filter: None,
            catalog,
            by_page: false,
            max_steps: 3,
            steps_before: 2,
            mode,
        };
        let compile = |src: &Sources, range: &DateRange, merge: bool| {
            compile(&Journeys { range, ..j }, src, merge)
        };
        answers::fingerprint(&answers::Shape::new(&KIND, 7, &compile)).unwrap_or_default()
    }

    #[test]
    fn a_drop_off_is_a_stored_shape_of_its_own() {
        let (range, goals, groups) = super::super::stats::sample_site();
        let catalog = Catalog {
            goals: &goals,
            groups: &groups,
            timezone: "UTC",
        };
        let step = |page: Option<&str>, event: Option<&str>| Step {
            page: page.map(str::to_owned),
            event: event.map(str::to_owned),
            ..Step::default()
        };
        let start = step(Some("/a/**"), None);
        let (booking, phone) = (step(None, Some("Booking")), step(None, Some("Phone")));
        let prints = [
            fingerprint(&catalog, &range, Mode::From(&start, None)),
            fingerprint(&catalog, &range, Mode::From(&start, Some(&booking))),
            fingerprint(&catalog, &range, Mode::From(&start, Some(&phone))),
            fingerprint(&catalog, &range, Mode::Flows(&start)),
        ];
        for (i, a) in prints.iter().enumerate() {
            assert!(!a.is_empty());
            for b in &prints[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn medians_take_the_element_at_half_the_length() {
        let one = |v: &[u32]| median(&mut v.iter().map(|x| (*x, 1)).collect::<Vec<_>>());
        assert_eq!(one(&[5, 1, 3]), Some(3));
        assert_eq!(one(&[4, 1, 3, 2]), Some(3));
        assert_eq!(one(&[]), None);
        // Counted values: 1, 1, 1, 7, 9 has 1 at index 2; 1, 7, 7, 9 has 7 at index 2.
        assert_eq!(median(&mut [(9, 1), (1, 3), (7, 1)]), Some(1));
        assert_eq!(median(&mut [(9, 1), (7, 2), (1, 1)]), Some(7));
        assert_eq!(median(&mut [(3, 0)]), None);
    }
}
