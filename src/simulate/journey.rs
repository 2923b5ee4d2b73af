//! Seeded generation of people and their journeys through the clinic's site.
//!
//! Requirements:
//! 1. Reproducible: the same settings and seed give the same people, events and
//!    times on every machine (one `StdRng` stream, consumed in a fixed order).
//! 2. Realistic enough to read: weekly and daily rhythms, channel mix, landing pages by
//!    channel, topic-coherent walks (a knee-pain reader goes on to knee surgeons),
//!    bounces, bookings that start and are abandoned, people who come back hours or days
//!    later through another channel.
//! 3. Every person has an address no other person in the run shares (up to about 29
//!    million people and crawlers, about 90 million events), so the visitor ids
//!    Parcours derives from them match the ground truth exactly.
//!
//! Deliberately not here: how events reach ClickHouse (`bulk`, `live`) and what the
//! numbers should be (`truth`).

use std::net::Ipv4Addr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};

use super::model::{self, Kind, CHANNELS, PAGES, SPECIALTIES};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Random seed.
    pub seed: u64,
    /// First instant (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive): nothing is generated at or after it.
    pub to: DateTime<Utc>,
    /// The site's time zone, for daily and weekly rhythms.
    pub timezone: Tz,
    /// Average number of people whose first visit falls on a day.
    pub people_per_day: f64,
    /// Share of "people" that are crawlers and tools.
    pub bot_share: f64,
    /// Share of people who accept the site's consent banner.
    pub consent_share: f64,
}

/// How a page was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// From outside, through a channel (index into [`CHANNELS`]).
    Landing(u8),
    /// From another page of the site (index into [`PAGES`]).
    Internal(u16),
    /// A crawler: no referrer, no query.
    Crawl,
}

/// What happened on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The page was shown.
    Pageview,
    /// The booking form was opened for a doctor (page index).
    BookingStarted {
        /// The doctor's page.
        doctor: u16,
    },
    /// A booking was confirmed.
    BookingConfirmed {
        /// The doctor's page.
        doctor: u16,
        /// Index into [`VISIT_TYPES`].
        visit_type: u8,
    },
    /// A `tel:` link was clicked.
    PhoneClick,
    /// Someone registered for the webinar of this page.
    WebinarRegistration,
    /// Someone signed up for the newsletter.
    NewsletterSignup,
}

/// Kinds of consultation booked.
pub const VISIT_TYPES: &[&str] = &["premiere-consultation", "suivi", "teleconsultation"];

impl Action {
    /// The event name the tracker sends.
    pub fn name(self) -> &'static str {
        match self {
            Action::Pageview => "pageview",
            Action::BookingStarted { .. } => "Booking Started",
            Action::BookingConfirmed { .. } => "Booking Confirmed",
            Action::PhoneClick => "Phone Click",
            Action::WebinarRegistration => "Webinar Registration",
            Action::NewsletterSignup => "Newsletter Signup",
        }
    }

    /// Custom properties, as the site's code would send them.
    pub fn props(self, page: usize) -> Vec<(&'static str, &'static str)> {
        let doctor_props = |doctor: u16| {
            let d = &PAGES[usize::from(doctor)];
            vec![
                ("specialty", SPECIALTIES[d.specialty]),
                ("doctor", d.path.trim_start_matches("/medecins/")),
            ]
        };
        match self {
            Action::BookingStarted { doctor } => doctor_props(doctor),
            Action::BookingConfirmed { doctor, visit_type } => {
                let mut p = doctor_props(doctor);
                p.push(("visit_type", VISIT_TYPES[usize::from(visit_type)]));
                p
            }
            Action::WebinarRegistration => {
                vec![(
                    "webinar",
                    PAGES[page].path.trim_start_matches("/webinaires/"),
                )]
            }
            _ => Vec::new(),
        }
    }
}

/// One beacon a browser sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimEvent {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The page (index into [`PAGES`]).
    pub page: u16,
    /// How the page was reached (the tracker sends the same URL and referrer for a
    /// page's custom events as for its pageview).
    pub via: Via,
    /// What happened.
    pub action: Action,
}

impl SimEvent {
    /// The page.
    pub fn page(&self) -> &'static model::Page {
        &PAGES[usize::from(self.page)]
    }
}

/// One simulated person (or crawler) and everything they send, in time order.
#[derive(Debug, Clone)]
pub struct Person {
    /// Address, unique in the run.
    pub ip: Ipv4Addr,
    /// User agent.
    pub user_agent: &'static str,
    /// A crawler or tool: Parcours must store none of its events.
    pub bot: bool,
    /// The tracker's consent id, for people who accepted the banner.
    pub consent_id: Option<String>,
    /// Everything sent, in time order.
    pub events: Vec<SimEvent>,
}

/// An endless-until-`to` stream of people, day by day.
pub struct Generator {
    settings: Settings,
    rng: StdRng,
    /// Local day being filled, and how many people are left to start on it.
    day: NaiveDate,
    left_today: u64,
    last_day: NaiveDate,
    /// Next free offset in each address block (`model::NETWORKS` flattened), and where
    /// each country's blocks start in that list.
    block_next: Vec<u64>,
    block_offsets: Vec<usize>,
    /// Page indices by kind.
    by_kind: Vec<Vec<usize>>,
    reused_addresses: u64,
    dwell: LogNormal<f64>,
    return_gap: LogNormal<f64>,
}

/// Index of an item drawn with probability proportional to `weight` (no allocation:
/// the tables are small and this runs for every person and page).
fn weighted<T>(rng: &mut StdRng, items: &[T], weight: impl Fn(&T) -> u32) -> usize {
    let total: u32 = items.iter().map(&weight).sum();
    let mut r = rng.random_range(0..total);
    for (i, item) in items.iter().enumerate() {
        let w = weight(item);
        if r < w {
            return i;
        }
        r -= w;
    }
    items.len() - 1
}

/// Addresses handed out per block before they repeat (see requirement 3).
fn block_size(prefix: u8) -> u64 {
    1u64 << (32 - u32::from(prefix))
}

impl Generator {
    /// Starts at the local day of `settings.from`.
    pub fn new(settings: Settings) -> Self {
        let tz = settings.timezone;
        let day = settings.from.with_timezone(&tz).date_naive();
        let last_day = (settings.to - Duration::milliseconds(1))
            .with_timezone(&tz)
            .date_naive();
        let blocks = model::NETWORKS.iter().map(|n| n.2.len()).sum();
        let block_offsets = model::NETWORKS
            .iter()
            .scan(0, |at, n| {
                let start = *at;
                *at += n.2.len();
                Some(start)
            })
            .collect();
        let by_kind = (0..=Kind::PatientArea as usize)
            .map(|k| {
                (0..PAGES.len())
                    .filter(|&i| PAGES[i].kind as usize == k)
                    .collect()
            })
            .collect();
        let mut g = Self {
            rng: StdRng::seed_from_u64(settings.seed),
            settings,
            day,
            left_today: 0,
            last_day,
            block_next: vec![0; blocks],
            block_offsets,
            by_kind,
            reused_addresses: 0,
            // Median 40 s on a page; long reads are rare but real.
            dwell: LogNormal::new((40.0f64).ln(), 0.9).expect("valid parameters"),
            // Same-day comebacks: median two hours.
            return_gap: LogNormal::new((7_200.0f64).ln(), 0.8).expect("valid parameters"),
        };
        g.left_today = g.people_on(g.day);
        g
    }

    /// People given an address someone already had (every block ran out: only in runs
    /// of over about 29 million people and crawlers). Their ids may merge, so the truth may be off.
    pub fn reused_addresses(&self) -> u64 {
        self.reused_addresses
    }

    fn people_on(&mut self, day: NaiveDate) -> u64 {
        let weekly = model::WEEKLY;
        let mean = f64::from(weekly.iter().sum::<u32>()) / 7.0;
        let factor = f64::from(weekly[day.weekday().num_days_from_monday() as usize]) / mean;
        let noise = self.rng.random_range(0.92..1.08);
        (self.settings.people_per_day * factor * noise).round() as u64
    }

    /// A random instant of a local day, following the hourly rhythm.
    fn time_on(&mut self, day: NaiveDate) -> i64 {
        let hour = weighted(&mut self.rng, &model::HOURLY, |h| *h);
        let start = super::day_start(self.settings.timezone, day).timestamp_millis();
        start + (hour as i64) * 3_600_000 + self.rng.random_range(0..3_600_000)
    }

    fn address(&mut self) -> Ipv4Addr {
        let mut country = weighted(&mut self.rng, model::NETWORKS, |n| n.1);
        // Larger blocks take more people, so no block runs out long before the others.
        let mut i = weighted(&mut self.rng, model::NETWORKS[country].2, |b| {
            (block_size(b.1) >> 8) as u32
        });
        // A full block hands over to the country's next one, then to France's (the
        // largest), so addresses repeat only once every block is used up.
        'find: for c in [country, 0] {
            let blocks = model::NETWORKS[c].2;
            for k in 0..blocks.len() {
                let j = (i + k) % blocks.len();
                if self.block_next[self.block_offsets[c] + j] < block_size(blocks[j].1) {
                    (country, i) = (c, j);
                    break 'find;
                }
            }
            i = 0;
        }
        let (base, prefix) = model::NETWORKS[country].2[i];
        let flat = self.block_offsets[country] + i;
        let size = block_size(prefix);
        let n = self.block_next[flat];
        self.block_next[flat] += 1;
        self.reused_addresses += u64::from(n >= size);
        // An odd multiplier permutes the block: neighbours get scattered addresses.
        let offset = (n.wrapping_mul(2_654_435_761) + 1) % size;
        Ipv4Addr::from(u32::from(Ipv4Addr::from(base)) + offset as u32)
    }

    fn person(&mut self, day: NaiveDate) -> Person {
        let ip = self.address();
        let start = self.time_on(day);
        if self.rng.random_bool(self.settings.bot_share) {
            let user_agent = model::BOT_AGENTS.choose(&mut self.rng).expect("non-empty");
            let mut t = start;
            let mut events: Vec<SimEvent> = (0..self.rng.random_range(5..40))
                .map(|_| {
                    t += self.rng.random_range(500..4_000);
                    SimEvent {
                        at_ms: t,
                        page: self.rng.random_range(0..PAGES.len()) as u16,
                        via: Via::Crawl,
                        action: Action::Pageview,
                    }
                })
                .collect();
            events.retain(|e| e.at_ms < self.settings.to.timestamp_millis());
            return Person {
                ip,
                user_agent,
                bot: true,
                consent_id: None,
                events,
            };
        }
        let user_agent = model::USER_AGENTS[weighted(&mut self.rng, model::USER_AGENTS, |u| u.1)].0;
        let consent_id = self
            .rng
            .random_bool(self.settings.consent_share)
            .then(|| hex::encode(self.rng.random::<[u8; 16]>()));
        let first = weighted(&mut self.rng, CHANNELS, |c| c.weight);
        let mut events = Vec::new();
        let mut t = start;
        let mut channel = first;
        for visit in 0..5 {
            let outcome = self.visit(t, channel, visit, &mut events);
            let comeback = match outcome {
                Outcome::Abandoned => 0.55,
                Outcome::Booked => 0.12,
                Outcome::Browsed => 0.28,
            };
            if !self.rng.random_bool(comeback) {
                break;
            }
            let last = events.last().map_or(t, |e| e.at_ms);
            t = if self.rng.random_bool(0.55) {
                // Later the same day: at least 40 minutes, so it is a new visit.
                last + 2_400_000 + (self.return_gap.sample(&mut self.rng) * 1000.0) as i64
            } else {
                let days = self.rng.random_range(1..=14);
                let day = self.day + chrono::Days::new(days);
                self.time_on(day).max(last + 2_400_000)
            };
            channel = self.comeback_channel(first);
        }
        events.retain(|e| e.at_ms < self.settings.to.timestamp_millis());
        Person {
            ip,
            user_agent,
            bot: false,
            consent_id,
            events,
        }
    }

    fn comeback_channel(&mut self, first: usize) -> usize {
        match self.rng.random_range(0..100) {
            0..40 => model::direct(),
            // Brand search: "clinique ... rendez-vous".
            40..65 => 0,
            65..75 => CHANNELS
                .iter()
                .position(|c| c.channel == "Email")
                .expect("an email channel"),
            _ => first,
        }
    }

    /// Pages of a kind, preferring the given specialty.
    fn pick(&mut self, kind: Kind, specialty: usize) -> usize {
        let all = &self.by_kind[kind as usize];
        let same = self.by_kind[kind as usize]
            .iter()
            .filter(|&&i| PAGES[i].specialty == specialty)
            .count();
        if same > 0 && self.rng.random_bool(0.85) {
            let nth = self.rng.random_range(0..same);
            return *all
                .iter()
                .filter(|&&i| PAGES[i].specialty == specialty)
                .nth(nth)
                .expect("counted");
        }
        all[self.rng.random_range(0..all.len())]
    }

    /// One visit: pages and events from `start` until the person leaves.
    fn visit(
        &mut self,
        start: i64,
        channel: usize,
        number: u32,
        out: &mut Vec<SimEvent>,
    ) -> Outcome {
        let ch = &CHANNELS[channel];
        let landing_kind = *ch.lands_on.choose(&mut self.rng).expect("non-empty");
        let topic = self.rng.random_range(0..SPECIALTIES.len());
        let mut page = self.pick(landing_kind, topic);
        let mut via = Via::Landing(channel as u8);
        let mut t = start;
        for step in 0..14 {
            let p = PAGES[page];
            let here = move |at_ms: i64, action: Action| SimEvent {
                at_ms,
                page: page as u16,
                via,
                action,
            };
            out.push(here(t, Action::Pageview));
            // A page's events follow its pageview by seconds, one second apart.
            let mut at = t + self.rng.random_range(1_000..5_000);
            let mut emit = |action: Action, out: &mut Vec<SimEvent>| {
                out.push(here(at, action));
                at += 1_000;
            };
            let next = match p.kind {
                Kind::Booking => {
                    let doctor = match via {
                        Via::Internal(d) if PAGES[usize::from(d)].kind == Kind::Doctor => d,
                        _ => self.pick(Kind::Doctor, topic) as u16,
                    };
                    emit(Action::BookingStarted { doctor }, out);
                    // Filling the form takes minutes; many give up.
                    if !self.rng.random_bool(0.5) {
                        return Outcome::Abandoned;
                    }
                    let visit_type = self.rng.random_range(0..VISIT_TYPES.len()) as u8;
                    let shown = at + self.rng.random_range(60_000..420_000);
                    let done = SimEvent {
                        at_ms: shown,
                        page: model::page_index(CONFIRMATION) as u16,
                        via: Via::Internal(page as u16),
                        action: Action::Pageview,
                    };
                    out.push(done);
                    out.push(SimEvent {
                        at_ms: shown + self.rng.random_range(500..3_000),
                        action: Action::BookingConfirmed { doctor, visit_type },
                        ..done
                    });
                    return Outcome::Booked;
                }
                Kind::Doctor => {
                    if self.rng.random_bool(0.04) {
                        emit(Action::PhoneClick, out);
                    }
                    let book = match (number, ch.channel) {
                        (_, "Referring Professional" | "Referral") => 0.3,
                        (0, _) => 0.06,
                        _ => 0.2,
                    };
                    if self.rng.random_bool(book) {
                        Some(model::page_index(BOOKING))
                    } else {
                        self.walk(p.kind, p.specialty, step)
                    }
                }
                kind => {
                    let (share, action) = match kind {
                        Kind::Practical | Kind::About => (0.08, Action::PhoneClick),
                        Kind::Webinar if ch.channel == "Webinar" => {
                            (0.5, Action::WebinarRegistration)
                        }
                        Kind::Webinar => (0.2, Action::WebinarRegistration),
                        Kind::Newsletter => (0.4, Action::NewsletterSignup),
                        Kind::News => (0.02, Action::NewsletterSignup),
                        _ => (0.0, Action::Pageview),
                    };
                    if share > 0.0 && self.rng.random_bool(share) {
                        emit(action, out);
                    }
                    self.walk(kind, p.specialty, step)
                }
            };
            let Some(next) = next else { break };
            // Dwell: at least 6 s, so a page's events come before the next page, and
            // under 25 minutes, so a visit never breaks in the middle.
            let dwell = (self.dwell.sample(&mut self.rng) * 1000.0) as i64;
            t = at.max(t + dwell.clamp(6_000, 1_500_000));
            via = Via::Internal(page as u16);
            page = next;
        }
        Outcome::Browsed
    }

    /// The next page after one of `kind`, or `None` when the person leaves.
    fn walk(&mut self, kind: Kind, specialty: usize, step: u32) -> Option<usize> {
        use Kind::*;
        let (leave, options): (f64, &[(Kind, u32)]) = match kind {
            Home => (
                0.35,
                &[
                    (Specialty, 3),
                    (Doctors, 2),
                    (Symptom, 1),
                    (Practical, 2),
                    (News, 1),
                    (PatientArea, 1),
                    (About, 1),
                ],
            ),
            Symptom => (
                if step == 0 { 0.5 } else { 0.3 },
                &[
                    (Condition, 4),
                    (Specialty, 2),
                    (Doctor, 2),
                    (Symptom, 1),
                    (Home, 1),
                ],
            ),
            Condition => (
                0.3,
                &[(Doctor, 4), (Specialty, 3), (Symptom, 1), (Practical, 1)],
            ),
            Specialty => (
                0.25,
                &[(Doctor, 5), (Condition, 2), (Doctors, 1), (Practical, 1)],
            ),
            Doctors => (0.2, &[(Doctor, 6), (Specialty, 1)]),
            Doctor => (
                0.38,
                &[(Doctor, 2), (Practical, 2), (Specialty, 1), (Doctors, 1)],
            ),
            Practical => (0.55, &[(Practical, 1), (Home, 1), (Doctors, 1)]),
            News => (
                0.5,
                &[
                    (Symptom, 2),
                    (Condition, 1),
                    (Newsletter, 1),
                    (Home, 1),
                    (Webinar, 1),
                ],
            ),
            Webinar => (0.45, &[(Doctor, 2), (Specialty, 1), (Home, 1)]),
            Newsletter => (0.5, &[(Home, 1), (News, 1)]),
            About => (0.4, &[(Doctors, 1), (Home, 1), (Practical, 1)]),
            PatientArea => (0.35, &[(PatientArea, 3), (Practical, 1)]),
            Confirmation | Booking => (0.7, &[(Practical, 1), (Home, 1)]),
        };
        if self.rng.random_bool(leave) {
            return None;
        }
        let next_kind = options[weighted(&mut self.rng, options, |o| o.1)].0;
        Some(self.pick(next_kind, specialty))
    }
}

const BOOKING: &str = "/prendre-rendez-vous";
const CONFIRMATION: &str = "/prendre-rendez-vous/confirmation";

/// How a visit ended, which shapes whether the person comes back.
enum Outcome {
    Browsed,
    Abandoned,
    Booked,
}

impl Iterator for Generator {
    type Item = Person;

    fn next(&mut self) -> Option<Person> {
        loop {
            if self.day > self.last_day {
                return None;
            }
            if self.left_today == 0 {
                self.day = self.day.succ_opt()?;
                if self.day > self.last_day {
                    return None;
                }
                self.left_today = self.people_on(self.day);
                continue;
            }
            self.left_today -= 1;
            let person = self.person(self.day);
            // People whose first visit falls before `from` or after `to` (the part of
            // the first or last day outside the period) are not part of it.
            let first = person.events.first().map(|e| e.at_ms);
            match first {
                Some(at) if at >= self.settings.from.timestamp_millis() => return Some(person),
                _ => continue,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn settings(seed: u64) -> Settings {
        let from = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
        Settings {
            seed,
            from,
            to: from + Duration::days(7),
            timezone: chrono_tz::Europe::Paris,
            people_per_day: 200.0,
            bot_share: 0.04,
            consent_share: 0.3,
        }
    }

    #[test]
    fn same_seed_same_people() {
        let a: Vec<_> = Generator::new(settings(1))
            .map(|p| (p.ip, p.events))
            .collect();
        let b: Vec<_> = Generator::new(settings(1))
            .map(|p| (p.ip, p.events))
            .collect();
        let c: Vec<_> = Generator::new(settings(2))
            .map(|p| (p.ip, p.events))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn events_are_ordered_within_the_period_and_addresses_unique() {
        let s = settings(3);
        let mut ips = std::collections::HashSet::new();
        let mut people = 0;
        for p in Generator::new(s.clone()) {
            people += 1;
            assert!(ips.insert(p.ip), "{} reused", p.ip);
            assert!(!p.events.is_empty());
            assert!(
                p.events.windows(2).all(|w| w[0].at_ms < w[1].at_ms),
                "{p:?}"
            );
            assert!(p.events[0].at_ms >= s.from.timestamp_millis());
            assert!(p.events.last().unwrap().at_ms < s.to.timestamp_millis());
        }
        assert!((1_000..1_800).contains(&people), "{people}");
    }

    #[test]
    fn journeys_look_like_a_clinic_site() {
        let people: Vec<_> = Generator::new(settings(4)).filter(|p| !p.bot).collect();
        let events: Vec<_> = people.iter().flat_map(|p| &p.events).collect();
        let count = |name: &str| events.iter().filter(|e| e.action.name() == name).count();
        let started = count("Booking Started");
        let confirmed = count("Booking Confirmed");
        assert!(
            started > 0 && confirmed > 0 && confirmed < started,
            "{started} {confirmed}"
        );
        let per_person = events.len() as f64 / people.len() as f64;
        assert!((2.0..12.0).contains(&per_person), "{per_person}");
        // Several visits per person for some, always more than 40 minutes apart.
        let returning = people
            .iter()
            .filter(|p| {
                p.events
                    .windows(2)
                    .any(|w| w[1].at_ms - w[0].at_ms > 1_800_000)
            })
            .count();
        assert!(returning * 10 > people.len(), "{returning}");
        for p in &people {
            for w in p.events.windows(2) {
                let gap = w[1].at_ms - w[0].at_ms;
                let new_visit = matches!(w[1].via, Via::Landing(_));
                assert_eq!(
                    new_visit && w[1].action == Action::Pageview,
                    gap > 1_800_000,
                    "{p:?}"
                );
            }
        }
    }
}
