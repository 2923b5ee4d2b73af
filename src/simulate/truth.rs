//! Ground truth: what Parcours must report for the simulated events, computed here
//! from the events themselves, independently of ClickHouse and of the query SQL.
//!
//! It applies the product's documented rules, not its code: a visitor is one visitor
//! id (a person on one UTC day, or across days for a consented person on a site with
//! consented journeys); a visit ends after 30 minutes without an event; a bounce is a
//! visit with one pageview and no other event; crawlers are not stored. A visit's
//! channel is the channel stored on its first event, so a visit that continues past
//! midnight UTC under a new daily id starts with an internal page ("Internal").

use std::collections::BTreeMap;

use serde::Serialize;

use super::journey::{Action, Person, SimEvent, Via};
use super::model::{Kind, CHANNELS, PAGES};

/// Inactivity that ends a visit (DESIGN.md), in milliseconds.
const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// The conversion goal whose figures the truth reports.
pub const GOAL: &str = "Booking Confirmed";

/// The clinic funnel: symptom article → doctor profile → booking started → booked.
pub const FUNNEL: [&str; 4] = [
    "Symptom article",
    "Doctor profile",
    "Booking Started",
    "Booking Confirmed",
];

/// Counts for one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageCounts {
    /// Visitor ids with a pageview of the page.
    pub visitors: u64,
    /// Visits with a pageview of the page.
    pub visits: u64,
    /// Pageviews.
    pub pageviews: u64,
}

/// What was generated, crawlers included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Generated {
    /// People (not crawlers).
    pub people: u64,
    /// People who accepted consent (whether or not the site uses it).
    pub consenting_people: u64,
    /// Crawler and tool "visitors".
    pub bots: u64,
    /// Beacons sent by crawlers and tools.
    pub bot_events: u64,
    /// All beacons, crawlers included.
    pub events: u64,
    /// People who got an address already used (0 unless the run is huge; see
    /// `Generator::reused_addresses`).
    pub reused_addresses: u64,
}

/// Conversions of [`GOAL`] by channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Conversions {
    /// The goal.
    pub goal: &'static str,
    /// Visitor ids that reached the goal.
    pub visitors: u64,
    /// Goal events.
    pub events: u64,
    /// Converting visitor ids by the channel of their first visit.
    pub first_touch: BTreeMap<String, u64>,
    /// Converting visitor ids by the channel of the visit that converted (first time).
    pub last_touch: BTreeMap<String, u64>,
}

/// Visitor ids reaching each step of [`FUNNEL`] in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    /// Step names.
    pub steps: Vec<&'static str>,
    /// Visitor ids reaching each step, steps taken in order within the id's lifetime.
    pub visitors: Vec<u64>,
}

/// What Parcours must store and report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// Unique visitor ids.
    pub visitors: u64,
    /// Visits.
    pub visits: u64,
    /// Pageviews.
    pub pageviews: u64,
    /// Rows stored (pageviews and custom events).
    pub events: u64,
    /// Visits with one pageview and no other event.
    pub bounces: u64,
    /// Sum of visit durations (first to last event), in seconds.
    pub visit_duration_seconds: u64,
    /// Custom events by name.
    pub custom_events: BTreeMap<&'static str, u64>,
    /// Counts by stored path.
    pub pages: BTreeMap<String, PageCounts>,
    /// Visits by the channel of their first event.
    pub visits_by_channel: BTreeMap<String, u64>,
    /// Conversions.
    pub conversions: Conversions,
    /// The clinic funnel.
    pub funnel: Funnel,
}

/// The ground truth of one simulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// What was generated.
    pub generated: Generated,
    /// What Parcours must report for the whole period.
    pub expected: Expected,
    /// Page counts by page index while adding (folded into `expected.pages`).
    #[serde(skip)]
    by_page: Vec<PageCounts>,
}

impl Truth {
    /// An empty truth.
    pub fn new() -> Self {
        let mut t = Self::default();
        t.expected.conversions.goal = GOAL;
        t.expected.funnel.steps = FUNNEL.to_vec();
        t.expected.funnel.visitors = vec![0; FUNNEL.len()];
        t.by_page = vec![PageCounts::default(); PAGES.len()];
        t
    }

    /// Adds one person; `consent_enabled` says whether the site links consented
    /// people across days.
    pub fn add(&mut self, person: &Person, consent_enabled: bool) {
        let g = &mut self.generated;
        g.events += person.events.len() as u64;
        if person.bot {
            g.bots += 1;
            g.bot_events += person.events.len() as u64;
            return;
        }
        g.people += 1;
        g.consenting_people += u64::from(person.consent_id.is_some());
        if consent_enabled && person.consent_id.is_some() {
            self.add_visitor(&person.events);
            return;
        }
        // A daily id: one visitor per UTC day the person was active.
        let mut rest = &person.events[..];
        while let Some(first) = rest.first() {
            let day = first.at_ms.div_euclid(86_400_000);
            let n = rest
                .iter()
                .position(|e| e.at_ms.div_euclid(86_400_000) != day)
                .unwrap_or(rest.len());
            self.add_visitor(&rest[..n]);
            rest = &rest[n..];
        }
    }

    fn add_visitor(&mut self, events: &[SimEvent]) {
        let x = &mut self.expected;
        x.visitors += 1;
        x.events += events.len() as u64;
        let mut visits: Vec<&[SimEvent]> = Vec::new();
        let mut start = 0;
        for i in 1..=events.len() {
            // Visits end after 30 minutes of inactivity, and at midnight UTC (where
            // daily ids change; the product cuts consented visits there too).
            if i == events.len()
                || events[i].at_ms - events[i - 1].at_ms > VISIT_GAP_MS
                || events[i].at_ms.div_euclid(86_400_000)
                    != events[i - 1].at_ms.div_euclid(86_400_000)
            {
                visits.push(&events[start..i]);
                start = i;
            }
        }
        // Pages seen by this visitor and in this visit, as bit sets of page indices.
        let mut seen: u128 = 0;
        for visit in &visits {
            x.visits += 1;
            let pageviews = visit
                .iter()
                .filter(|e| e.action == Action::Pageview)
                .count();
            x.bounces += u64::from(pageviews == 1 && visit.len() == 1);
            let span = visit.last().map_or(0, |l| l.at_ms) - visit[0].at_ms;
            x.visit_duration_seconds += (span / 1000) as u64;
            *x.visits_by_channel
                .entry(stored_channel(&visit[0]).to_owned())
                .or_default() += 1;
            let mut in_visit: u128 = 0;
            for e in visit.iter() {
                if e.action != Action::Pageview {
                    *x.custom_events.entry(e.action.name()).or_default() += 1;
                    continue;
                }
                x.pageviews += 1;
                let bit = 1u128 << e.page;
                let counts = &mut self.by_page[usize::from(e.page)];
                counts.pageviews += 1;
                counts.visits += u64::from(in_visit & bit == 0);
                counts.visitors += u64::from(seen & bit == 0);
                in_visit |= bit;
                seen |= bit;
            }
        }
        let c = &mut x.conversions;
        let goals = events.iter().filter(|e| e.action.name() == GOAL).count() as u64;
        c.events += goals;
        if goals > 0 {
            c.visitors += 1;
            *c.first_touch
                .entry(stored_channel(&visits[0][0]).to_owned())
                .or_default() += 1;
            let converting = visits
                .iter()
                .find(|v| v.iter().any(|e| e.action.name() == GOAL))
                .expect("a visit holds the goal");
            *c.last_touch
                .entry(stored_channel(&converting[0]).to_owned())
                .or_default() += 1;
        }
        let mut step = 0;
        for e in events {
            if step < FUNNEL.len() && funnel_step(e) == Some(step) {
                x.funnel.visitors[step] += 1;
                step += 1;
            }
        }
    }

    /// Completes the per-page figures; call once every person is added.
    pub fn finish(mut self) -> Self {
        for (i, c) in self.by_page.iter().enumerate() {
            if c.pageviews > 0 {
                let path = PAGES[i].path.replace("{id}", ":id");
                self.expected.pages.insert(path, c.clone());
            }
        }
        self.by_page.clear();
        self
    }

    /// The truth as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serializable")
    }
}

/// Which funnel step an event is, if any.
fn funnel_step(e: &SimEvent) -> Option<usize> {
    match (e.action, e.page().kind) {
        (Action::Pageview, Kind::Symptom) => Some(0),
        (Action::Pageview, Kind::Doctor) => Some(1),
        (Action::BookingStarted { .. }, _) => Some(2),
        (Action::BookingConfirmed { .. }, _) => Some(3),
        _ => None,
    }
}

/// The channel Parcours stores on an event.
pub fn stored_channel(e: &SimEvent) -> &'static str {
    match e.via {
        Via::Landing(c) => CHANNELS[usize::from(c)].channel,
        Via::Internal(_) => "Internal",
        Via::Crawl => "Direct",
    }
}
