//! `POST /api/v2/journeys`: paths to a goal, paths from a start, flows around a node.
//!
//! `{"site_id", "date_range", "mode": "paths_to" | "paths_from" | "flows",
//! "goal": "<goal name>" (paths_to), "from": <anchor> (paths_from), "around":
//! <anchor> (flows), "by": "content_group" | "page",
//! "not_followed_by": <step> (paths_from), "max_steps": 6, "steps_before": 2
//! (flows), "filters": [..], "limit": 20, "tree": false}`.
//!
//! An anchor is `{"page"}`, `{"content_group"}`, `{"event", "props"?}` or `{"goal"}`
//! (with an optional `"name"`, its label).
//!
//! * paths (`paths`): `{"paths": [{"path", "visitors", "share", "median_seconds"}],
//!   "total_paths", "visitors", "tree"?}` (`share` is % of `visitors`, those whose
//!   path is shown; `tree` with `"tree": true`, see `tree`);
//! * flows (`flows`): `{"nodes": [{"id", "step", "name", "visitors"}], "links":
//!   [{"source", "target", "visitors"}], "visitors"}`, Sankey-ready, step 0 being the
//!   anchor;
//! * both: `"meta": {.., "min_group_size", "not_shown_visitors"}`. What is shown and
//!   counted follows `query::paths::tree`'s rule.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    min_group_size, site_range, site_request, typed, visitor_id_lifetime, visitor_ids, Auth,
    Definitions,
};
use crate::query::filter::Filter;
use crate::query::funnel::Step;
use crate::query::paths::{Journeys, Mode};
use crate::server::admission::bounded;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

mod flows;
mod paths;
mod tree;

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
    /// Paths from only: keep the visitors who, after the start and within its visit,
    /// never reach this step (a funnel step's drop-off).
    #[serde(default)]
    pub not_followed_by: Option<Step>,
    /// Adds the folded prefix tree (`"tree"`) to paths answers.
    #[serde(default)]
    pub tree: bool,
}

/// Handles `POST /api/v2/journeys`.
pub async fn post_journeys(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let (req, entry) = site_request(&state, &auth, &body, "journeys request")?;
    let work = answer(&state, &entry, &req, chrono::Utc::now());
    let out = bounded(&state, entry.site.site_id, work).await?;
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
    let (_, range) = site_range(state, entry, &req.date_range, now).await?;
    let filter = Filter::parse_list(&req.filters)?;
    let defs = Definitions::load(state, entry.site.site_id).await?;
    let catalog = defs.catalog(&entry.site.timezone);
    let k = min_group_size(entry);
    let anchor_step = |s: &Option<Step>, field: &str| -> Result<Step, ApiError> {
        let s = s
            .clone()
            .ok_or_else(|| bad(&format!("{} needs \"{field}\"", req.mode)))?;
        checked_step(&s, field)?;
        Ok(s)
    };
    if let Some(s) = &req.not_followed_by {
        if req.mode != "paths_from" {
            return Err(bad("not_followed_by goes with paths_from"));
        }
        checked_step(s, "not_followed_by")?;
    }
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
            Mode::From(&step, req.not_followed_by.as_ref())
        }
        "flows" => {
            step = anchor_step(&req.around, "around")?;
            Mode::Flows(&step)
        }
        _ => return Err(bad("mode: paths_to, paths_from or flows")),
    };
    let flows = matches!(mode, Mode::Flows(_));
    if flows && req.tree {
        return Err(bad(
            "tree: paths_to or paths_from (flows are a Sankey of both sides)",
        ));
    }
    let to_goal = matches!(mode, Mode::To(_));
    let label = match &mode {
        Mode::Flows(s) | Mode::From(s, _) => s.label(),
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
    let rows = crate::query::paths::fetch(&state.store, &j).await?;
    let shown = if flows {
        flows::json(&rows, &label, k)
    } else {
        paths::json(&rows, &label, k, limit, to_goal, req.tree)
    };
    let mut out = shown.json;
    out["visitors"] = json!(shown.visitors);
    out["meta"] = json!({
        "mode": req.mode,
        "anchor": label,
        "time_zone": entry.site.timezone,
        "date_range": [range.first_day.to_string(), range.last_day.to_string()],
        "nodes": if by_page || defs.groups.is_empty() { "page" } else { "content_group" },
        "not_followed_by": req.not_followed_by.as_ref().map(Step::label),
        "max_steps": max_steps,
        "min_group_size": k,
        "not_shown_visitors": shown.not_shown,
        "visitor_id_lifetime": visitor_id_lifetime(state, entry),
        "visitor_ids": visitor_ids(state, entry),
        "sensitive_pages": "never shown",
    });
    Ok(out)
}

/// A step names one of page, content group, event (with props) or goal.
fn checked_step(s: &Step, field: &str) -> Result<(), ApiError> {
    let bad = |m: String| Err(ApiError::BadRequest(m));
    let kinds = [&s.page, &s.content_group, &s.event, &s.goal];
    if kinds.iter().filter(|k| k.is_some()).count() != 1 {
        return bad(format!(
            "{field}: one of page, content_group, event (with props) or goal"
        ));
    }
    if !s.props.is_empty() && s.event.is_none() {
        return bad(format!("{field}: props go with event"));
    }
    Ok(())
}

/// What an answer shows: its JSON, the visitors it counts (`None` when fewer than k
/// were found), and how many visitors it leaves out, when it may say so.
struct Shown {
    json: Value,
    visitors: Option<u64>,
    not_shown: Option<u64>,
}
