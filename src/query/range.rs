//! Date ranges as the Stats API v2 names them, turned into UTC bounds from the site's
//! time zone (a "day" is the site's local day, DST included).

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone, Utc};
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

/// Binds: site id. The site's earliest event, seconds since the epoch (0 without
/// events); it reads only the key columns of the site's rows.
pub const FIRST_EVENT: &str = "SELECT toUInt32(min(timestamp)) FROM events WHERE site_id = ?";

/// The site's earliest event time, if it has events (`date_range: "all"` starts there).
pub async fn first_event(
    store: &crate::store::Store,
    site_id: u32,
) -> Result<Option<i64>, crate::store::StoreError> {
    let t: u32 = store
        .client()
        .query(FIRST_EVENT)
        .bind(site_id)
        .fetch_one()
        .await?;
    Ok((t > 0).then_some(i64::from(t)))
}

/// The period names `parse` takes, as error messages list them.
pub const PERIODS: &str =
    "day, 7d, 28d, 30d, 91d, month, last_month, 6mo, 12mo, year, all or [from, to]";

/// Parses a period name (see [`PERIODS`]) or `["YYYY-MM-DD", "YYYY-MM-DD"]`.
pub fn parse(value: &Value, tz: Tz, now: chrono::DateTime<Utc>) -> Result<DateRange, QueryError> {
    let today = now.with_timezone(&tz).date_naive();
    let bad = |why: &str| QueryError::Invalid(format!("date_range: {why}"));
    let month_start = today.with_day(1).unwrap_or(today);
    // Plausible's `6mo` and `12mo`: whole months back from the current one, which counts.
    let months_back = |n: u32| {
        month_start
            .checked_sub_months(Months::new(n))
            .unwrap_or(month_start)
    };
    let (first, last) = match value {
        Value::String(s) => match s.as_str() {
            "day" => (today, today),
            "7d" => (today - Days::new(6), today),
            "28d" => (today - Days::new(27), today),
            "30d" => (today - Days::new(29), today),
            "91d" => (today - Days::new(90), today),
            "month" => (month_start, today),
            "last_month" => (months_back(1), month_start - Days::new(1)),
            "6mo" => (months_back(5), today),
            "12mo" => (months_back(11), today),
            "year" => (
                NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                today,
            ),
            "all" => (NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today), today),
            other => {
                return Err(bad(&format!(
                    "unknown period {:?}; use {PERIODS}",
                    other.chars().take(80).collect::<String>()
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
    days(first, last, tz)
}

/// The local days `first..=last` of the zone `tz`, checked as `parse` checks a pair.
pub fn days(first: NaiveDate, last: NaiveDate, tz: Tz) -> Result<DateRange, QueryError> {
    let bad = |why: &str| QueryError::Invalid(format!("date_range: {why}"));
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
        let err = parse(&serde_json::json!("fortnight"), Tz::UTC, now()).unwrap_err();
        assert!(err.to_string().contains("last_month, 6mo, 12mo"), "{err}");
        assert!(parse(&serde_json::json!(["x", "y"]), Tz::UTC, now()).is_err());
    }

    #[test]
    fn longer_periods_and_whole_months() {
        let days = |name: &str, now: chrono::DateTime<Utc>| {
            let r = parse(&Value::from(name), Tz::UTC, now).unwrap();
            (r.first_day.to_string(), r.last_day.to_string())
        };
        let d = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        // now() is 2026-11-23.
        assert_eq!(days("28d", now()), d("2026-10-27", "2026-11-23"));
        assert_eq!(days("91d", now()), d("2026-08-25", "2026-11-23"));
        assert_eq!(days("6mo", now()), d("2026-06-01", "2026-11-23"));
        assert_eq!(days("12mo", now()), d("2025-12-01", "2026-11-23"));
        assert_eq!(days("last_month", now()), d("2026-10-01", "2026-10-31"));
        // Across a year and a leap February.
        let march = Utc.with_ymd_and_hms(2028, 3, 10, 12, 0, 0).unwrap();
        assert_eq!(days("last_month", march), d("2028-02-01", "2028-02-29"));
        let january = Utc.with_ymd_and_hms(2027, 1, 1, 0, 30, 0).unwrap();
        assert_eq!(days("last_month", january), d("2026-12-01", "2026-12-31"));
        assert_eq!(days("12mo", january), d("2026-02-01", "2027-01-01"));
        // Local days: 00:30 UTC on 1 January is still 31 December in New York.
        let ny: Tz = "America/New_York".parse().unwrap();
        let r = parse(&Value::from("last_month"), ny, january).unwrap();
        assert_eq!(r.first_day.to_string(), "2026-11-01");
        assert_eq!(r.last_day.to_string(), "2026-11-30");
    }
}
