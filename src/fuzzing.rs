//! Entry points for the fuzz targets in `fuzz/`, and the privacy oracle they share with
//! the scrubbing property test. Not an API: hidden from the docs, changed at will.
//!
//! Each target function takes the raw bytes libFuzzer invents, runs one part of the
//! library the way the server runs it, and panics only when an invariant breaks (that
//! is the crash libFuzzer reports). Refusing bad input is expected and ignored.
//!
//! To fuzz another reader (say the write-ahead log's), add a function here that feeds
//! it `data` and checks what it returns, and a five-line target in `fuzz/fuzz_targets/`
//! calling it, like `spool_record`.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};

use crate::enrich::url::{self, ScrubbedUrl};
use crate::enrich::user_agent::UserAgentParser;
use crate::enrich::{referrer, user_agent};
use crate::ingest::beacon;
use crate::ingest::pipeline::{self, Context, Enrichers, Resources};
use crate::store::events::EventRow;
use crate::store::sites::{Site, SiteDirectory};
use crate::visitor::consent::ConsentKeys;
use crate::visitor::salts::SaltRing;

/// The instant every target runs at (a Monday morning in Paris).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

/// Two sites, one with every per-site privacy setting in use, and what the pipeline
/// reads besides the request.
struct World {
    sites: SiteDirectory,
    salts: SaltRing,
    consent: ConsentKeys,
    enrichers: Enrichers,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut clinic = Site::new(1, "clinique.fr", "Europe/Paris");
        clinic.sensitive_paths = vec!["/conditions/**".into()];
        clinic.query_allow = vec!["lang".into(), "q".into()];
        clinic.partner_domains = vec!["dr-martin.fr".into()];
        clinic.respect_dnt = 1;
        World {
            sites: SiteDirectory::from_sites(vec![clinic, Site::new(2, "b.fr", "UTC")]),
            salts: SaltRing::fixed([(now().date_naive(), [7u8; 32])]),
            consent: ConsentKeys::fixed([(2, [9u8; 32])]),
            enrichers: Enrichers {
                geoip: None,
                user_agents: UserAgentParser::with_capacity(64),
            },
        }
    })
}

/// `POST /api/event` without HTTP: the beacon parser, then the whole enrichment
/// pipeline; every row it would store must pass the privacy oracle.
pub fn beacon(data: &[u8]) {
    let Ok(b) = beacon::parse(data) else {
        return;
    };
    let w = world();
    let ctx = Context {
        ip: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        do_not_track: false,
        now: now(),
    };
    let res = Resources {
        sites: &w.sites,
        salts: &w.salts,
        consent: &w.consent,
        enrichers: &w.enrichers,
    };
    let rows = pipeline::run(&b, &ctx, &res).expect("the salt of `now` is held");
    for row in rows.into_iter().flatten() {
        if let Some(leak) = row_leak(&row) {
            panic!("stored row leaks {leak}: {row:?}");
        }
    }
}

/// What a stored row lets through, checked field by field with the thresholds of
/// `docs/PRIVACY.md`; host names are not masked by design and are not checked.
pub fn row_leak(row: &EventRow) -> Option<String> {
    let referrer_path = row.referrer.find('/').map_or("", |i| &row.referrer[i..]);
    let paths = [&row.pathname[..], referrer_path];
    let texts = [
        &row.name,
        &row.utm_source,
        &row.utm_medium,
        &row.utm_campaign,
        &row.utm_content,
        &row.utm_term,
    ];
    paths
        .iter()
        .find_map(|p| oracle::path_leak(p))
        .or_else(|| texts.iter().find_map(|t| oracle::text_leak(t)))
        .or_else(|| {
            row.query_values
                .iter()
                .chain(&row.prop_keys)
                .chain(&row.prop_values)
                .find_map(|t| oracle::text_leak(t))
        })
}

/// URL scrubbing: the first byte picks hash routing and an extra allowed key, the rest
/// is the URL. The result must pass the oracle and scrub to itself.
pub fn scrub_url(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let raw = String::from_utf8_lossy(rest);
    let hash = flags & 1 == 1;
    let extra = if flags & 2 == 2 {
        vec!["lang".to_owned()]
    } else {
        Vec::new()
    };
    let Ok(s) = url::scrub_url(&raw, hash, &extra) else {
        return;
    };
    if let Some(leak) = scrubbed_url_leak(&s) {
        panic!("scrubbed URL leaks {leak}: {s:?}");
    }
    let again = url::scrub_url(&rebuild(&s), hash, &extra)
        .unwrap_or_else(|e| panic!("scrubbed URL no longer parses ({e}): {s:?}"));
    assert_eq!(again, s, "scrubbing is not idempotent");
}

/// What a scrubbed URL lets through.
pub fn scrubbed_url_leak(s: &ScrubbedUrl) -> Option<String> {
    let u = &s.utm;
    oracle::path_leak(&s.pathname).or_else(|| {
        [&u.source, &u.medium, &u.campaign, &u.content, &u.term]
            .into_iter()
            .chain(s.query.iter().map(|(_, v)| v))
            .find_map(|v| oracle::text_leak(v))
    })
}

/// The URL a scrubbed URL stands for, encoded so that parsing it gives back the same
/// path and query (the input of "scrubbing twice changes nothing").
pub fn rebuild(s: &ScrubbedUrl) -> String {
    let (path, route) = s.pathname.split_once('#').unwrap_or((&s.pathname, ""));
    let u = &s.utm;
    let mut query = ::url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("utm_source", &u.source),
        ("utm_medium", &u.medium),
        ("utm_campaign", &u.campaign),
        ("utm_content", &u.content),
        ("utm_term", &u.term),
    ] {
        if !v.is_empty() {
            query.append_pair(k, v);
        }
    }
    for (k, v) in &s.query {
        query.append_pair(k, v);
    }
    let mut out = format!("https://{}{}", s.hostname, encode_path(path));
    let query = query.finish();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !route.is_empty() {
        out.push('#');
        out.push_str(&encode_path(route));
    }
    out
}

/// Referrer scrubbing, then source and channel attribution against the clinic's page
/// host and partners; the first byte picks a UTM source and medium.
pub fn referrer(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let raw = String::from_utf8_lossy(rest);
    let scrubbed = url::scrub_referrer(&raw);
    if let Some(r) = &scrubbed {
        if let Some(leak) = oracle::path_leak(&r.path) {
            panic!("scrubbed referrer leaks {leak}: {r:?}");
        }
        let again = url::scrub_referrer(&format!("https://{}{}", r.host, encode_path(&r.path)));
        assert_eq!(
            again.as_ref(),
            Some(r),
            "referrer scrubbing is not idempotent"
        );
    }
    const SOURCES: [&str; 4] = ["", "newsletter", "Facebook", "dr-martin.fr"];
    const MEDIUMS: [&str; 4] = ["", "cpc", "email", "Réseaux_Sociaux"];
    let utm = url::Utm {
        source: SOURCES[usize::from(pick & 3)].to_owned(),
        medium: MEDIUMS[usize::from(pick >> 2 & 3)].to_owned(),
        ..url::Utm::default()
    };
    let partners = [
        "dr-martin.fr".to_owned(),
        " https://www.Chu-Lyon.fr/ ".to_owned(),
    ];
    let a = referrer::classify(scrubbed.as_ref(), "www.clinique.fr", &utm, &partners);
    assert!(a.source.chars().count() <= referrer::MAX_SOURCE_CHARS);
}

/// A stored path, encoded so that the URL parser reads it back as the same path text.
/// `%` stays as is: a stored path holds no escape but `%2F`, which must stay one.
pub fn encode_path(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    utf8_percent_encode(path, PATH).to_string()
}

/// User-agent classification: the cached answer is the uncached one, and what is
/// stored (names, versions) is short and holds no number long enough to identify.
pub fn user_agent(data: &[u8]) {
    static PARSER: OnceLock<UserAgentParser> = OnceLock::new();
    let parser = PARSER.get_or_init(|| UserAgentParser::with_capacity(256));
    let ua = String::from_utf8_lossy(data);
    let cached = parser.parse(&ua);
    let trimmed = ua.trim();
    if !trimmed.is_empty() && trimmed.len() <= user_agent::MAX_UA_LEN {
        assert_eq!(*cached, parser.parse_uncached(trimmed), "cache disagrees");
    }
    for v in [&cached.browser_version, &cached.os_version] {
        assert!(
            v.len() <= 16 && v.split('.').all(|p| p.len() <= 4),
            "version {v:?} is no version"
        );
    }
    for f in [&cached.browser, &cached.os] {
        assert!(f.len() <= 64, "name {f:?} is too long");
        if let Some(leak) = oracle::text_leak(f) {
            panic!("user agent field leaks {leak}: {f:?}");
        }
    }
}

/// The stats request parser with its filters, as `POST /api/v2/query` runs it before
/// asking ClickHouse (`api::stats::answer`), down to the SQL text; the first byte
/// picks the site's time zone.
pub fn stats_query(data: &[u8]) {
    use crate::api::QueryRequest;
    use crate::query::filter::{Catalog, Dim, Filter};
    use crate::query::{compare, range, stats, timeline};

    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    const ZONES: [chrono_tz::Tz; 4] = [
        chrono_tz::Europe::Paris,
        chrono_tz::UTC,
        chrono_tz::Pacific::Chatham,
        chrono_tz::America::St_Johns,
    ];
    let tz = ZONES[usize::from(pick & 3)];
    let Ok(req) = serde_json::from_slice::<QueryRequest>(body) else {
        return;
    };
    let parsed = (|| -> Result<(), crate::query::QueryError> {
        for m in &req.metrics {
            stats::Metric::parse(m)?;
        }
        let range = range::parse(&req.date_range, tz, now())?;
        if req.dimensions.len() > 3 {
            return Ok(());
        }
        let one_day = range.first_day == range.last_day;
        let dims = req
            .dimensions
            .iter()
            .map(|d| Dim::parse(d, one_day))
            .collect::<Result<Vec<_>, _>>()?;
        let filter = Filter::parse_list(&req.filters)?;
        let compared = match req.include.as_ref().and_then(|i| i.comparisons.as_ref()) {
            Some(c) => {
                let mode = compare::Mode::parse(&c.mode, c.date_range.as_ref())?;
                Some(compare::period(
                    &mode,
                    c.match_day_of_week,
                    &range,
                    tz,
                    now(),
                )?)
            }
            None => None,
        };
        for d in &dims {
            if let Dim::Time(b) = d {
                timeline::labels(*b, &range, tz)?;
                if let Some(r) = &compared {
                    timeline::labels(*b, r, tz)?;
                }
            }
        }
        let (_, goals, groups) = stats::sample_site();
        let catalog = Catalog {
            goals: &goals,
            groups: &groups,
            timezone: tz.name(),
        };
        let (built, tail) = stats::sample_sources();
        for src in [&built, &tail] {
            let q = stats::Query {
                site_id: 7,
                range: &range,
                dims: &dims,
                filter: filter.as_ref(),
                catalog: &catalog,
            };
            stats::compile(&q, src, None)?;
            if let Some(without) = filter.as_ref().and_then(Filter::without_goals) {
                let q = stats::Query {
                    filter: Some(&without),
                    ..q
                };
                stats::compile(&q, src, None)?;
            }
        }
        Ok(())
    })();
    // A refused query is an answer (400); only a panic on the way is a finding.
    let _ = parsed;
}

/// The spool's batch reader on a file's bytes: it never panics, and whatever it
/// accepts, written back the way the spool writes batches, reads back the same.
pub fn spool_record(data: &[u8]) {
    use crate::buffer::spool;
    let (rows, _) = spool::parse_batch(data, 1 << 20);
    let mut bytes = Vec::new();
    for row in &rows {
        serde_json::to_writer(&mut bytes, row).expect("rows serialize");
        bytes.push(b'\n');
    }
    let (again, skipped) = spool::parse_batch(&bytes, 1 << 20);
    assert_eq!(skipped, 0, "a written batch has no damaged line");
    assert_eq!(again, rows, "a batch does not survive a round trip");
}

/// The write-ahead log's reader on a segment's bytes: it never panics, and the rows it
/// recovers, written as a record, read back the same.
pub fn wal_record(data: &[u8]) {
    use crate::buffer::wal;
    let decoded = wal::decode(data);
    if decoded.rows.is_empty() {
        return;
    }
    let again = wal::decode(&wal::encode(&decoded.rows));
    assert_eq!((again.records, again.skipped), (1, 0));
    assert_eq!(
        again.rows, decoded.rows,
        "a record does not survive a round trip"
    );
}

/// What the privacy rules forbid in stored text, with the thresholds of
/// `docs/PRIVACY.md`: an e-mail address anywhere; in a path segment, a run of 4 or
/// more digits; in other text, a run of 6 or more digits; anywhere, a phone-like run of
/// 9 or more digits joined only by separators. Each is looked for in the text as
/// stored and in its percent-decoded forms, because a reader decodes them at sight
/// (the hex digits of an escape count as no digits).
pub mod oracle {
    use std::sync::OnceLock;

    use percent_encoding::percent_decode_str;
    use regex::Regex;

    /// Decimal digits of any script count: `０６１２…` is a phone number too.
    fn is_digit(c: char) -> bool {
        c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
    }

    /// What may join the digits of one phone number: `+33 (0)6 12.34-56/78`.
    pub fn is_phone_separator(c: char) -> bool {
        c.is_whitespace() || matches!(c, '.' | '-' | '+' | '(' | ')' | '/' | '_')
    }

    fn email() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| {
            Regex::new(r"[\p{L}\p{N}._%+\-]@[\p{L}\p{N}\-]+(\.[\p{L}\p{N}\-]+)*\.[\p{L}\p{N}]")
                .expect("valid regex")
        })
    }

    /// The text and up to three successive percent-decodings of it.
    fn forms(s: &str) -> Vec<String> {
        let mut out = vec![s.to_owned()];
        for _ in 0..3 {
            let last = out.last().map(String::as_str).unwrap_or_default();
            let next = percent_decode_str(last).decode_utf8_lossy().into_owned();
            if next == last {
                break;
            }
            out.push(next);
        }
        out
    }

    fn longest_digit_run(s: &str) -> usize {
        s.split(|c| !is_digit(c))
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(0)
    }

    /// Most digits in one run of digits and phone separators.
    fn longest_phone(s: &str, sep: impl Fn(char) -> bool) -> usize {
        s.split(|c| !(is_digit(c) || sep(c)))
            .map(|r| r.chars().filter(|c| is_digit(*c)).count())
            .max()
            .unwrap_or(0)
    }

    /// `s` with each `%XX` escape as a bare `%`: the digits of `%23` are no number.
    fn blank_escapes(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while let Some(c) = s[i..].chars().next() {
            let escape = c == '%'
                && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            out.push(c);
            i += if escape { 3 } else { c.len_utf8() };
        }
        out
    }

    fn leak(s: &str, max_run: usize, sep: impl Fn(char) -> bool + Copy) -> Option<String> {
        forms(s).into_iter().find_map(|f| {
            let f = blank_escapes(&f);
            if let Some(m) = email().find(&f) {
                Some(format!("an e-mail address near {:?}", m.as_str()))
            } else if longest_digit_run(&f) > max_run {
                Some(format!("a run of more than {max_run} digits"))
            } else if longest_phone(&f, sep) >= 9 {
                Some("a phone number".to_owned())
            } else {
                None
            }
        })
    }

    /// What a stored path lets through, segment by segment (4+ digits is an id there).
    pub fn path_leak(path: &str) -> Option<String> {
        path.split(['/', '#'])
            .find_map(|seg| leak(seg, 3, is_phone_separator))
            .or_else(|| leak(path, usize::MAX, |c| c == '/' || is_phone_separator(c)))
    }

    /// What a stored value (query value, property, event name) lets through.
    pub fn text_leak(text: &str) -> Option<String> {
        leak(text, 5, is_phone_separator)
    }
}
