//! Fills the stored answers of closed days before anyone asks (`query::answers`).
//!
//! A funnel, journey or attribution query fills each closed day of its range the
//! first time its shape covers it (seconds at 10M events). So when the job has built a
//! closed day, it asks again each site's saved funnels (over the last 30 days) and the
//! journey requests this node answered in the last week, through the handlers' own
//! code: the morning's first ask then reads the new day instead of filling it. Nodes
//! warm what they were asked; two nodes warming the same shape fill each day once
//! (a recorded day is read, not filled again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{attribution, funnel, journeys, ApiError};
use crate::query::bounds::Scope;
use crate::server::AppState;
use crate::store::funnels as saved;

/// Requests remembered at most; the oldest goes first.
const MAX_REMEMBERED: usize = 100;

/// How long an answered request is asked again.
const REMEMBER_FOR: Duration = Duration::from_secs(7 * 86_400);

/// Which handler answers a remembered request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /api/v2/funnel`.
    Funnel,
    /// `POST /api/v2/journeys`.
    Journeys,
    /// `POST /api/v2/attribution`.
    Attribution,
}

/// The journey requests this node answered lately, by endpoint and body.
#[derive(Debug, Default)]
pub struct Asked {
    requests: Mutex<HashMap<(Endpoint, String), (Value, Instant)>>,
}

impl Asked {
    /// Remembers an answered request (its body, which names the site).
    pub fn note(&self, endpoint: Endpoint, body: &Value) {
        let Ok(mut map) = self.requests.lock() else {
            return;
        };
        map.insert((endpoint, body.to_string()), (body.clone(), Instant::now()));
        if map.len() > MAX_REMEMBERED {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
    }

    /// The requests answered within [`REMEMBER_FOR`]; older ones are forgotten.
    fn recent(&self) -> Vec<(Endpoint, Value)> {
        let Ok(mut map) = self.requests.lock() else {
            return Vec::new();
        };
        map.retain(|_, (_, at)| at.elapsed() < REMEMBER_FOR);
        map.iter()
            .map(|((e, _), (body, _))| (*e, body.clone()))
            .collect()
    }
}

/// What a warming run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Requests asked again.
    pub asked: usize,
    /// Those that failed (logged; a failed fill is only a slower ask later).
    pub failed: usize,
}

/// Asks each site's saved funnels and the remembered requests again, so their closed
/// days are stored.
pub async fn run(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> Report {
    let mut todo: Vec<(Endpoint, Value)> = Vec::new();
    for entry in state.sites.all() {
        match saved::funnels(&state.store, entry.site.site_id).await {
            Ok(list) => todo.extend(list.into_iter().map(|f| {
                (
                    Endpoint::Funnel,
                    json!({"site_id": entry.site.domain, "funnel": f.name, "date_range": "30d"}),
                )
            })),
            Err(e) => {
                let f = crate::server::error::Failure::of(&e);
                tracing::warn!(
                    site = entry.site.domain,
                    class = f.class,
                    code = f.code,
                    "listing saved funnels to warm"
                )
            }
        }
    }
    todo.extend(state.asked.recent());
    let mut report = Report::default();
    for (endpoint, body) in todo {
        report.asked += 1;
        state.metrics.answers_warmed.inc();
        if let Err(e) = ask(state, endpoint, &body, now).await {
            report.failed += 1;
            state.metrics.answers_warm_errors.inc();
            tracing::warn!(?endpoint, error = %e, "warming a stored answer");
        }
    }
    report
}

/// ClickHouse `priority` of the job's statements: below a site's first hundred
/// requests (see `server::admission`).
const BACKGROUND: u64 = 100;

async fn ask(
    state: &AppState,
    endpoint: Endpoint,
    body: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    let site = body.get("site_id").and_then(Value::as_str).unwrap_or("");
    let entry = state
        .sites
        .find(site)
        .ok_or_else(|| ApiError::NotFound(format!("no site {site:?}")))?;
    // The request's bounds, and a priority below any person's request (ClickHouse
    // pauses it while theirs run), without taking one of their slots.
    let scope = Scope::new(&state.config.queries, state.store.database(), BACKGROUND);
    scope
        .run(async {
            match endpoint {
                Endpoint::Funnel => funnel::answer(state, &entry, body, now).await,
                Endpoint::Journeys => journeys::answer(state, &entry, body, now).await,
                Endpoint::Attribution => attribution::answer(state, &entry, body, now).await,
            }
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_each_request_once_and_forgets_the_oldest_past_the_cap() {
        let asked = Asked::default();
        let body = |i: usize| json!({"site_id": "a.fr", "goal": format!("g{i}")});
        asked.note(Endpoint::Journeys, &body(0));
        asked.note(Endpoint::Journeys, &body(0));
        asked.note(Endpoint::Attribution, &body(0));
        assert_eq!(asked.recent().len(), 2);
        for i in 1..=MAX_REMEMBERED {
            asked.note(Endpoint::Funnel, &body(i));
        }
        let recent = asked.recent();
        assert_eq!(recent.len(), MAX_REMEMBERED);
        assert!(!recent.contains(&(Endpoint::Journeys, body(0))));
    }
}
