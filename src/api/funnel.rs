//! `POST /api/v2/funnel`: an ordered funnel with an optional breakdown.
//!
//! `{"site_id", "date_range", "steps": [{"name"?, "page" | "event" (+ "props") | "goal" |
//! "content_group"}, ..], "window": "1d", "breakdown": "visit:channel", "filters": [..]}`
//! → `{"steps": [{"name", "visitors", "conversion_rate", "step_conversion_rate",
//! "dropoff", "median_seconds_from_previous"}], "breakdown"?: {"dimension", "results":
//! [{"value", "steps"}]}, "meta"}`. A count under the site's minimum group size is
//! `null`, with what derives from it.
//!
//! Saved funnels: `GET /api/v2/funnels?site_id=D`, `POST /api/v2/funnels {"site_id",
//! "name", "steps", "window"?, "breakdown"?, "filters"?}`, `DELETE /api/v2/funnels
//! {"site_id", "name"}`; `POST /api/v2/funnel {"site_id", "date_range", "funnel":
//! "<name>"}` asks a saved one (fields given beside it override its own).

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::definitions::{parse, DeleteBody, ListParams};
use super::pages::{self, Page};
use super::{
    authorize, min_group_size, site_range, site_request, typed, visitor_id_lifetime, visitor_ids,
    Auth, Definitions, Need,
};
use crate::query::filter::{Dim, Filter};
use crate::query::funnel::{self, Funnel, Step, StepSums};
use crate::server::admission::bounded;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::funnels as saved;
use crate::store::sites::SiteEntry;

/// Longest funnel window: the longest a consented visitor id can be followed.
const MAX_WINDOW_SECONDS: u64 = 90 * 86_400;

/// The request body of `POST /api/v2/funnel`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
    /// Period name or `[from, to]`.
    pub date_range: Value,
    /// A saved funnel of the site, by name (instead of, or under, the fields below).
    #[serde(default)]
    pub funnel: Option<String>,
    /// Steps, in order (2 to 8).
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Longest time from step 1 to the last step: `30m`, `2h`, `1d`, `7d` (default `1d`).
    #[serde(default)]
    pub window: Option<String>,
    /// A visit dimension to break the funnel down by.
    #[serde(default)]
    pub breakdown: Option<String>,
    /// Filters, as in `/api/v2/query`.
    #[serde(default)]
    pub filters: Vec<Value>,
    /// `{"limit", "offset"}` of the breakdown's results (default 1,000, at most 10,000).
    #[serde(default)]
    pub pagination: Option<Page>,
}

/// Parses `30m`, `2h`, `1d`, `7d`, `90s` into seconds.
pub fn parse_window(s: &str) -> Result<u64, ApiError> {
    let bad = || {
        ApiError::BadRequest(format!(
            "window {:?}: use a number with s, m, h or d (e.g. \"30m\", \"1d\"), at most 90d",
            s.chars().take(40).collect::<String>()
        ))
    };
    let s = s.trim();
    let (num, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3_600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(bad()),
    };
    if secs == 0 || secs > MAX_WINDOW_SECONDS {
        return Err(bad());
    }
    Ok(secs)
}

/// Handles `POST /api/v2/funnel`.
pub async fn post_funnel(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let (req, entry) = site_request(&state, &auth, &body, "funnel")?;
    let work = answer(&state, &entry, &req, chrono::Utc::now());
    let out = bounded(&state, entry.site.site_id, work).await?;
    state.asked.note(super::warm::Endpoint::Funnel, &req);
    Ok(Json(out))
}

/// Answers a funnel request for a site (shared with `parcours query funnel`).
pub async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    req: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ApiError> {
    let mut req: FunnelRequest = typed(req, "funnel")?;
    if let Some(name) = &req.funnel {
        let list = saved::funnels(&state.store, entry.site.site_id)
            .await
            .map_err(ApiError::internal)?;
        let f = list
            .into_iter()
            .find(|f| &f.name == name)
            .ok_or_else(|| ApiError::NotFound(format!("no saved funnel named {name:?}")))?;
        let def: Definition = serde_json::from_str(&f.definition).map_err(ApiError::internal)?;
        if req.steps.is_empty() {
            req.steps = def.steps;
        }
        req.window = req.window.or(def.window);
        req.breakdown = req.breakdown.or(def.breakdown);
        // The saved funnel's filters always hold; the request's narrow it further.
        let asked = std::mem::take(&mut req.filters);
        req.filters = def.filters.into_iter().chain(asked).collect();
    }
    if req.steps.len() < 2 || req.steps.len() > funnel::MAX_STEPS {
        return Err(ApiError::BadRequest(format!(
            "a funnel has 2 to {} steps",
            funnel::MAX_STEPS
        )));
    }
    let window = parse_window(req.window.as_deref().unwrap_or("1d"))?;
    let (_, range) = site_range(state, entry, &req.date_range, now).await?;
    let breakdown = req
        .breakdown
        .as_deref()
        .map(|d| Dim::parse(d, false))
        .transpose()?;
    if breakdown
        .as_ref()
        .is_some_and(|d| !matches!(d, Dim::Visit(_)))
    {
        return Err(ApiError::BadRequest(
            "breakdown: use a visit dimension (visit:channel, visit:source, visit:utm_campaign, ...)"
                .into(),
        ));
    }
    let filter = Filter::parse_list(&req.filters)?;
    let defs = Definitions::load(state, entry.site.site_id).await?;
    let catalog = defs.catalog(&entry.site.timezone);
    let k = min_group_size(entry);
    let f = Funnel {
        site_id: entry.site.site_id,
        range: &range,
        filter: filter.as_ref(),
        catalog: &catalog,
        steps: &req.steps,
        window_ms: window * 1000,
        breakdown: breakdown.as_ref(),
    };
    let ans = funnel::run(&state.store, &f, k).await?;
    let labels: Vec<String> = req.steps.iter().map(Step::label).collect();
    let mut out = json!({
        "steps": steps_json(&labels, &ans.total, &ans.total_hidden),
        "meta": {
            "time_zone": entry.site.timezone,
            "date_range": [range.first_day.to_string(), range.last_day.to_string()],
            "window_seconds": window,
            "visitor_id_lifetime": visitor_id_lifetime(state, entry),
            "visitor_ids": visitor_ids(state, entry),
            "window_note": "a daily visitor id ends at midnight UTC, so only consented visitors' funnels can span days",
            "min_group_size": k,
            "suppressed_groups": ans.suppressed,
        },
    });
    if let Some(dim) = &req.breakdown {
        let all: Vec<Value> = ans
            .groups
            .iter()
            .map(|(g, hidden)| json!({"value": g.key, "steps": steps_json(&labels, g, hidden)}))
            .collect();
        let (results, pagination) = req.pagination.unwrap_or_default().take(all, pages::ROWS);
        out["breakdown"] = json!({"dimension": dim, "results": results, "pagination": pagination});
    }
    Ok(out)
}

/// A funnel as saved: the request without site, period or name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Steps, in order (2 to 8).
    pub steps: Vec<Step>,
    /// Window.
    #[serde(default)]
    pub window: Option<String>,
    /// Breakdown dimension.
    #[serde(default)]
    pub breakdown: Option<String>,
    /// Filters.
    #[serde(default)]
    pub filters: Vec<Value>,
}

/// A funnel to save (unknown fields are refused by [`Definition`]).
#[derive(Debug, Deserialize)]
pub struct SaveBody {
    /// Site domain or id.
    pub site_id: String,
    /// Name.
    pub name: String,
    /// The funnel.
    #[serde(flatten)]
    pub definition: Value,
}

/// `GET /api/v2/funnels`.
pub async fn list_funnels(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let site = authorize(&state, &auth, &p.site_id, Need::Read)?;
    let list = saved::funnels(&state.store, site.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    let funnels: Vec<Value> = list
        .iter()
        .map(|f| {
            let mut v: Value = serde_json::from_str(&f.definition).unwrap_or(Value::Null);
            v["name"] = json!(f.name);
            v
        })
        .collect();
    let (funnels, pagination) = p.page().take(funnels, pages::SAVED);
    Ok(Json(
        json!({ "funnels": funnels, "pagination": pagination }),
    ))
}

/// `POST /api/v2/funnels`: validates the funnel as `POST /api/v2/funnel` would, then
/// saves it.
pub async fn save_funnel(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: SaveBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("invalid funnel: {e}")))?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    let def: Definition = serde_json::from_value(b.definition.clone())
        .map_err(|e| ApiError::BadRequest(format!("invalid funnel: {e}")))?;
    let defs = Definitions::load(&state, entry.site.site_id).await?;
    validate(&def, &defs, &entry.site.timezone)?;
    let have = saved::funnels(&state.store, entry.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    super::definitions::room(
        &state,
        have.iter().map(|f| f.name.as_str()),
        &b.name,
        "funnels",
    )?;
    saved::save(&state.store, entry.site.site_id, &b.name, &b.definition).await?;
    Ok(Json(json!({"saved": b.name})))
}

/// `DELETE /api/v2/funnels`.
pub async fn delete_funnel(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    if !saved::delete(&state.store, entry.site.site_id, &b.name)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound(format!(
            "no saved funnel named {:?}",
            b.name
        )));
    }
    Ok(Json(json!({"deleted": b.name})))
}

/// Checks a definition as asking it would: steps, window, breakdown and filters.
fn validate(def: &Definition, defs: &Definitions, timezone: &str) -> Result<(), ApiError> {
    if def.steps.len() < 2 || def.steps.len() > funnel::MAX_STEPS {
        return Err(ApiError::BadRequest(format!(
            "a funnel has 2 to {} steps",
            funnel::MAX_STEPS
        )));
    }
    parse_window(def.window.as_deref().unwrap_or("1d"))?;
    if let Some(b) = &def.breakdown {
        if !matches!(Dim::parse(b, false)?, Dim::Visit(_)) {
            return Err(ApiError::BadRequest(
                "breakdown: use a visit dimension".into(),
            ));
        }
    }
    Filter::parse_list(&def.filters)?;
    let catalog = defs.catalog(timezone);
    let mut sql = crate::query::sql::Sql::default();
    for step in &def.steps {
        step.condition(&catalog, &mut sql)?;
    }
    Ok(())
}

/// The per-step figures of one group; hidden counts and what derives from them are null.
fn steps_json(labels: &[String], s: &StepSums, hidden: &[bool]) -> Vec<Value> {
    let shown = |i: usize| (!hidden.get(i).copied().unwrap_or(true)).then(|| s.reached[i]);
    let pct = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) if b > 0 => json!(((a as f64 / b as f64) * 10_000.0).round() / 100.0),
        (Some(_), Some(_)) => json!(0.0),
        _ => Value::Null,
    };
    labels
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let v = shown(i);
            let prev = if i == 0 { v } else { shown(i - 1) };
            let median = match (i, v) {
                (0, _) => Value::Null,
                (_, Some(n)) if n > 0 => json!((s.medians[i] as f64 / 1000.0).round()),
                _ => Value::Null,
            };
            json!({
                "name": name,
                "visitors": v,
                "conversion_rate": pct(v, shown(0)),
                "step_conversion_rate": pct(v, prev),
                "dropoff": match (prev, v) {
                    (Some(p), Some(n)) => json!(p - n),
                    _ => Value::Null,
                },
                "median_seconds_from_previous": median,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_with_units_and_limits() {
        assert_eq!(parse_window("30m").ok(), Some(1_800));
        assert_eq!(parse_window("1d").ok(), Some(86_400));
        assert_eq!(parse_window("90d").ok(), Some(90 * 86_400));
        for bad in ["", "0d", "91d", "1w", "d", "-1h", "1.5h", "1d'; DROP"] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hidden_counts_hide_what_derives_from_them() {
        let s = StepSums {
            key: "x".into(),
            reached: vec![10, 3],
            medians: vec![0, 61_400],
            durations: Vec::new(),
        };
        let v = steps_json(&["a".into(), "b".into()], &s, &[false, true]);
        assert_eq!(v[0]["visitors"], 10);
        assert_eq!(v[1]["visitors"], Value::Null);
        assert_eq!(v[1]["dropoff"], Value::Null);
        assert_eq!(v[1]["conversion_rate"], Value::Null);
        let v = steps_json(&["a".into(), "b".into()], &s, &[false, false]);
        assert_eq!(v[1]["conversion_rate"], 30.0);
        assert_eq!(v[1]["median_seconds_from_previous"], 61.0);
        assert_eq!(v[1]["dropoff"], 7);
    }
}
