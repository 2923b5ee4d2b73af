//! Date ranges as the Stats API v2 names them, turned into UTC bounds from the site's
//! time zone (a "day" is the site's local day, DST included).

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::QueryError;

/// A half-open UTC interval `[from, to)` and the local dates it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct DateRange {
    /// First local day.
    pub first_day: NaiveDate,
    /// Last local day (inclusive).
    pub last_day: NaiveDate,
    /// Start, seconds since the epoch.
    pub from: i64,
    /// End (exclusive), seconds since the epoch.
    pub to: i64,
}

impl DateRange {
    /// One whole UTC day.
    pub fn utc_day(day: NaiveDate) -> Self {
        let from = day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        Self {
            first_day: day,
            last_day: day,
            from,
            to: from + 86_400,
        }
    }

    /// The UTC dates that bound the key scan (for `toDate(timestamp)` pruning, notes P1).
    pub fn utc_days(&self) -> (String, String) {
        let day = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .unwrap_or_default()
                .date_naive()
                .to_string()
        };
        (day(self.from), day(self.to - 1))
    }
}

/// The start of a site-local day, in seconds since the epoch (UTC).
pub fn local_midnight(tz: Tz, day: NaiveDate) -> i64 {
    // `earliest` handles zones whose midnight is skipped or repeated by DST.
    tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp(),
            |t| t.timestamp(),
        )
}

/// Parses `day`, `7d`, `30d`, `month`, `year`, `all` or `["YYYY-MM-DD", "YYYY-MM-DD"]`.
pub fn parse(value: &Value, tz: Tz, now: chrono::DateTime<Utc>) -> Result<DateRange, QueryError> {
    let today = now.with_timezone(&tz).date_naive();
    let bad = |why: &str| QueryError::Invalid(format!("date_range: {why}"));
    let (first, last) = match value {
        Value::String(s) => match s.as_str() {
            "day" => (today, today),
            "7d" => (today - Days::new(6), today),
            "30d" => (today - Days::new(29), today),
            "month" => (today.with_day(1).unwrap_or(today), today),
            "year" => (
                NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                today,
            ),
            "all" => (NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today), today),
            other => {
                return Err(bad(&format!(
                    "unknown period {other:?}; use day, 7d, 30d, month, year, all or [from, to]"
                )))
            }
        },
        Value::Array(pair) if pair.len() == 2 => {
            let date = |v: &Value| {
                v.as_str()
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .ok_or_else(|| bad("dates must be YYYY-MM-DD"))
            };
            (date(&pair[0])?, date(&pair[1])?)
        }
        _ => return Err(bad("must be a period name or a [from, to] pair")),
    };
    if last < first {
        return Err(bad("ends before it starts"));
    }
    if (last - first).num_days() > 366 * 10 + 2 {
        return Err(bad("longer than ten years"));
    }
    Ok(DateRange {
        first_day: first,
        last_day: last,
        from: local_midnight(tz, first),
        to: local_midnight(tz, last + Days::new(1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    #[test]
    fn periods_in_paris() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let r = parse(&Value::from("day"), tz, now()).unwrap();
        assert_eq!(r.to - r.from, 86_400);
        // Paris is UTC+1 in November: local midnight is 23:00 UTC the day before.
        assert_eq!(
            r.from,
            Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0)
                .unwrap()
                .timestamp()
        );
        assert_eq!(r.utc_days(), ("2026-11-22".into(), "2026-11-23".into()));
        let r = parse(&Value::from("7d"), tz, now()).unwrap();
        assert_eq!(r.first_day.to_string(), "2026-11-17");
    }

    #[test]
    fn explicit_pairs_and_errors() {
        let r = parse(
            &serde_json::json!(["2026-10-25", "2026-10-25"]),
            "Europe/Paris".parse().unwrap(),
            now(),
        )
        .unwrap();
        // The night DST ends, the day has 25 hours.
        assert_eq!(r.to - r.from, 90_000);
        assert!(parse(
            &serde_json::json!(["2026-10-26", "2026-10-25"]),
            Tz::UTC,
            now()
        )
        .is_err());
        assert!(parse(&serde_json::json!("fortnight"), Tz::UTC, now()).is_err());
        assert!(parse(&serde_json::json!(["x", "y"]), Tz::UTC, now()).is_err());
    }
}
