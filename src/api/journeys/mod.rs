//! `POST /api/v2/journeys`: paths to a goal, paths from a start, flows around a node.
//!
//! `{"site_id", "date_range", "mode": "paths_to" | "paths_from" | "flows",
//! "goal": "<goal name>" (paths_to), "from": <anchor> (paths_from), "around":
//! <anchor> (flows), "by": "content_group" | "page",
//! "max_steps": 6, "steps_before": 2 (flows), "filters": [..], "limit": 20}`.
//!
//! An anchor is `{"page"}`, `{"content_group"}`, `{"event", "props"?}` or `{"goal"}`
//! (with an optional `"name"`, its label).
//!
//! * paths: `{"paths": [{"path", "visitors", "share", "median_seconds"}], "visitors"}`
//!   (`share` is % of the visitors who reached the goal, or the start);
//! * flows: `{"nodes": [{"id", "step", "name", "visitors"}], "links": [{"source",
//!   "target", "visitors"}], "visitors"}`, Sankey-ready, step 0 being the anchor.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{min_group_size, site_range, site_request, typed, visitor_id_lifetime, Definitions};
use crate::query::filter::Filter;
use crate::query::funnel::Step;
use crate::query::paths::{self, Branch, Journeys, Mode, PathCount, OTHER};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// Most nodes a path may show on one side of its anchor.
const MAX_STEPS: usize = 10;

/// The request body of `POST /api/v2/journeys`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneysRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
    /// Period name or `[from, to]`.
    pub date_range: Value,
    /// `paths_to`, `paths_from` or `flows`.
    pub mode: String,
    /// Goal name (paths_to).
    #[serde(default)]
    pub goal: Option<String>,
    /// Start (paths_from): a page pattern, a content group, an event or a goal.
    #[serde(default)]
    pub from: Option<Step>,
    /// Anchor (flows): a page pattern, a content group, an event or a goal.
    #[serde(default)]
    pub around: Option<Step>,
    /// `content_group` (default) or `page`.
    #[serde(default)]
    pub by: Option<String>,
    /// Most nodes after the start or before the goal (default 6).
    #[serde(default)]
    pub max_steps: Option<usize>,
    /// Nodes before the anchor in flows (default 2).
    #[serde(default)]
    pub steps_before: Option<usize>,
    /// Filters, as in `/api/v2/query`.
    #[serde(default)]
    pub filters: Vec<Value>,
    /// Most paths listed (default 20, at most 1,000).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Handles `POST /api/v2/journeys`.
pub async fn post_journeys(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let (req, entry) = site_request(&state, &headers, &body, "journeys request").await?;
    let out = answer(&state, &entry, &req, chrono::Utc::now()).await?;
    state.asked.note(super::warm::Endpoint::Journeys, &req);
    Ok(Json(out))
}

/// Answers a journeys request for a site (shared with `parcours query journeys`).
pub async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    req: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ApiError> {
    let req: JourneysRequest = typed(req, "journeys request")?;
    let bad = |m: &str| ApiError::BadRequest(m.to_owned());
    let max_steps = req.max_steps.unwrap_or(6);
    let steps_before = req.steps_before.unwrap_or(2);
    if max_steps == 0 || max_steps > MAX_STEPS || steps_before > MAX_STEPS {
        return Err(bad("max_steps is 1 to 10, steps_before 0 to 10"));
    }
    let by_page = match req.by.as_deref() {
        None | Some("content_group") => false,
        Some("page") => true,
        Some(_) => return Err(bad("by: content_group or page")),
    };
    let limit = req.limit.unwrap_or(20).min(1_000);
    let (_, range) = site_range(entry, &req.date_range, now)?;
    let filter = Filter::parse_list(&req.filters)?;
    let defs = Definitions::load(state, entry.site.site_id).await?;
    let catalog = defs.catalog(&entry.site.timezone);
    let k = min_group_size(entry);
    let anchor_step = |s: &Option<Step>, field: &str| -> Result<Step, ApiError> {
        let s = s
            .clone()
            .ok_or_else(|| bad(&format!("{} needs \"{field}\"", req.mode)))?;
        let kinds = [&s.page, &s.content_group, &s.event, &s.goal];
        if kinds.iter().filter(|k| k.is_some()).count() != 1 {
            return Err(bad(&format!(
                "{field}: one of page, content_group, event (with props) or goal"
            )));
        }
        if !s.props.is_empty() && s.event.is_none() {
            return Err(bad(&format!("{field}: props go with event")));
        }
        Ok(s)
    };
    let (step, goal);
    let mode = match req.mode.as_str() {
        "paths_to" => {
            let name = req
                .goal
                .as_deref()
                .ok_or_else(|| bad("paths_to needs \"goal\""))?;
            goal = defs.goal(name)?;
            Mode::To(goal)
        }
        "paths_from" => {
            step = anchor_step(&req.from, "from")?;
            Mode::From(&step)
        }
        "flows" => {
            step = anchor_step(&req.around, "around")?;
            Mode::Flows(&step)
        }
        _ => return Err(bad("mode: paths_to, paths_from or flows")),
    };
    let flows = matches!(mode, Mode::Flows(_));
    let to_goal = matches!(mode, Mode::To(_));
    let label = match &mode {
        Mode::Flows(s) | Mode::From(s) => s.label(),
        Mode::To(g) => g.name.clone(),
    };
    let j = Journeys {
        site_id: entry.site.site_id,
        range: &range,
        filter: filter.as_ref(),
        catalog: &catalog,
        by_page,
        max_steps,
        steps_before,
        mode,
    };
    let rows = paths::fetch(&state.store, &j).await?;
    let total: u64 = rows.iter().map(|r| r.visitors).sum();
    let mut out = if flows {
        flows_json(&rows, &label, k)
    } else {
        paths_json(&rows, k, limit, to_goal)
    };
    out["visitors"] = if total >= k {
        json!(total)
    } else {
        Value::Null
    };
    out["meta"] = json!({
        "mode": req.mode,
        "anchor": label,
        "time_zone": entry.site.timezone,
        "date_range": [range.first_day.to_string(), range.last_day.to_string()],
        "nodes": if by_page || defs.groups.is_empty() { "page" } else { "content_group" },
        "max_steps": max_steps,
        "min_group_size": k,
        "visitor_id_lifetime": visitor_id_lifetime(state, entry),
        "sensitive_pages": "never shown",
    });
    Ok(out)
}

/// Shown paths, most visitors first.
/// `backwards`: paths to a goal share their ends, so the tree grows from the goal.
fn paths_json(rows: &[PathCount], k: u64, limit: usize, backwards: bool) -> Value {
    let seqs: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut p = r.path.clone();
            if backwards {
                p.reverse();
            }
            p
        })
        .collect();
    let durations: Vec<Vec<(u32, u64)>> = rows.iter().map(PathCount::durations).collect();
    let input: Vec<paths::Walked<'_>> = seqs
        .iter()
        .zip(rows)
        .zip(&durations)
        .map(|((p, r), d)| (p.as_slice(), r.visitors, d.as_slice()))
        .collect();
    let total: u64 = rows.iter().map(|r| r.visitors).sum();
    let mut leaves: Vec<Branch> = paths::fold(&input, k)
        .into_iter()
        .filter(|b| b.leaf)
        .map(|mut b| {
            if backwards {
                b.nodes.reverse();
            }
            b
        })
        .collect();
    let is_other = |b: &Branch| b.nodes.iter().any(|n| n == OTHER);
    leaves.sort_by(|a, b| {
        is_other(a)
            .cmp(&is_other(b))
            .then(b.visitors.cmp(&a.visitors))
            .then_with(|| a.nodes.cmp(&b.nodes))
    });
    let shown = leaves.len();
    let paths: Vec<Value> = leaves
        .into_iter()
        .take(limit)
        .map(|mut b| {
            json!({
                "path": b.nodes,
                "visitors": b.visitors,
                "share": ((b.visitors as f64 / total.max(1) as f64) * 10_000.0).round() / 100.0,
                "median_seconds": paths::median(&mut b.durations).map(f64::from),
            })
        })
        .collect();
    json!({"paths": paths, "total_paths": shown})
}

/// A flow node: step (0 the anchor, negative before it) and name.
type FlowNode = (i64, String);

/// Sankey nodes and links from both sides' prefix trees; step 0 is the anchor.
fn flows_json(rows: &[PathCount], label: &str, k: u64) -> Value {
    let total: u64 = rows.iter().map(|r| r.visitors).sum();
    let mut nodes: BTreeMap<FlowNode, u64> = BTreeMap::new();
    let mut links: BTreeMap<(FlowNode, FlowNode), u64> = BTreeMap::new();
    if total >= k && total > 0 {
        nodes.insert((0, label.to_owned()), total);
        // The anchor itself (first node of `path`) is step 0 whatever its name.
        let after: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.path.iter().skip(1).cloned().collect())
            .collect();
        for (side, seqs) in [
            (1i64, &after),
            (-1, &rows.iter().map(|r| r.before.clone()).collect()),
        ] {
            let input: Vec<paths::Walked<'_>> = seqs
                .iter()
                .zip(rows)
                .map(|(s, r)| (s.as_slice(), r.visitors, &[][..]))
                .collect();
            // The root (all visitors) is the anchor: fold under it directly.
            for b in paths::fold(&input, k) {
                let at = b.nodes.len() as i64;
                if b.leaf && b.nodes.last().map(String::as_str) != Some(OTHER) {
                    continue;
                }
                let name = b.nodes.last().cloned().unwrap_or_default();
                let me = (side * at, name);
                let parent = if at == 1 {
                    (0, label.to_owned())
                } else {
                    (side * (at - 1), b.nodes[b.nodes.len() - 2].clone())
                };
                *nodes.entry(me.clone()).or_default() += b.visitors;
                let link = if side > 0 { (parent, me) } else { (me, parent) };
                *links.entry(link).or_default() += b.visitors;
            }
        }
    }
    let id = |(step, name): &(i64, String)| format!("{step}:{name}");
    json!({
        "nodes": nodes.iter().map(|(n, v)| json!({"id": id(n), "step": n.0, "name": n.1, "visitors": v})).collect::<Vec<_>>(),
        "links": links.iter().map(|((a, b), v)| json!({"source": id(a), "target": id(b), "visitors": v})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(before: &[&str], path: &[&str], visitors: u64) -> PathCount {
        PathCount {
            before: before.iter().map(|s| (*s).to_owned()).collect(),
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            visitors,
            seconds: vec![1],
            counts: vec![visitors],
        }
    }

    #[test]
    fn flows_links_add_up_on_both_sides() {
        let rows = vec![
            row(&["Home", "(entrance)"], &["Doc", "Booking", "(exit)"], 6),
            row(&["(entrance)"], &["Doc", "(exit)"], 5),
            row(&["Blog", "(entrance)"], &["Doc", "Booking", "(exit)"], 1),
        ];
        let v = flows_json(&rows, "Doctor", 5);
        let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
        let find = |id: &str| {
            nodes
                .iter()
                .find(|n| n["id"] == id)
                .map(|n| n["visitors"].clone())
        };
        assert_eq!(find("0:Doctor"), Some(json!(12)));
        // Booking (7) and (exit) (5) after the anchor; Blog (1) folds with Home (6).
        assert_eq!(find("1:Booking"), Some(json!(7)));
        assert_eq!(find("1:(exit)"), Some(json!(5)));
        // Before it, Blog (1) is too small, and (entrance) (5) folds with it.
        assert_eq!(find("-1:Home"), Some(json!(6)));
        assert_eq!(find("-1:(entrance)"), None);
        assert_eq!(find("-1:(other)"), Some(json!(6)));
        assert_eq!(find("-2:(entrance)"), Some(json!(6)));
        for n in &nodes {
            assert!(n["visitors"].as_u64().unwrap_or(0) >= 5);
        }
    }

    #[test]
    fn paths_show_share_and_median() {
        let rows = vec![
            row(&[], &["Symptoms", "Doctor", "Booked"], 6),
            row(&[], &["Doctor", "Booked"], 5),
            row(&[], &["Blog", "Booked"], 5),
            row(&[], &["Ads", "Booked"], 1),
        ];
        // Paths to a goal fold from the goal backwards.
        let v = paths_json(&rows, 5, 20, true);
        assert_eq!(
            v["paths"][0]["path"],
            json!(["Symptoms", "Doctor", "Booked"])
        );
        assert_eq!(v["paths"][0]["share"], 35.29);
        assert_eq!(v["paths"][0]["median_seconds"], 1.0);
        assert_eq!(v["paths"][1]["path"], json!(["Doctor", "Booked"]));
        assert_eq!(v["paths"][2]["path"], json!([OTHER, "Booked"]));
        assert_eq!(v["paths"][2]["visitors"], 6);
    }
}
