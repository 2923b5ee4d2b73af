//! The buckets of a time dimension over a date range, labelled exactly as the query
//! labels them (`Catalog::value`: `toString` of `toStartOfHour`, `toDate`, `toMonday`
//! or `toStartOfMonth` of the visit start in the site's zone), so that a series can be
//! zero-filled and two periods lined up bucket by bucket.
//!
//! Weeks and months are whole calendar buckets, as in the query: a range starting on a
//! Wednesday has the week of the Monday before as its first bucket.
//!
//! Deliberately not here: which rows fill the buckets (`api`).

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::filter::Bucket;
use super::range::DateRange;
use super::QueryError;

/// Most buckets a series may have (a year of hours fits).
pub const MAX_BUCKETS: usize = 10_000;

/// Every bucket label of `range`, in order.
pub fn labels(bucket: Bucket, range: &DateRange, tz: Tz) -> Result<Vec<String>, QueryError> {
    let days = (range.last_day - range.first_day).num_days() as usize + 1;
    let estimate = match bucket {
        Bucket::Hour => days * 24,
        Bucket::Day => days,
        Bucket::Week => days / 7 + 2,
        Bucket::Month => days / 28 + 2,
    };
    if estimate > MAX_BUCKETS {
        return Err(QueryError::Invalid(format!(
            "more than {MAX_BUCKETS} time buckets in the range; use a coarser time dimension"
        )));
    }
    let dates = |start: NaiveDate, next: &dyn Fn(NaiveDate) -> Option<NaiveDate>| {
        let mut out = Vec::new();
        let mut d = Some(start);
        while let Some(day) = d.filter(|day| *day <= range.last_day) {
            out.push(day.to_string());
            d = next(day);
        }
        out
    };
    Ok(match bucket {
        Bucket::Hour => hours(range, tz),
        Bucket::Day => dates(range.first_day, &|d| d.checked_add_days(Days::new(1))),
        Bucket::Week => {
            let monday = range.first_day
                - Days::new(u64::from(range.first_day.weekday().num_days_from_monday()));
            dates(monday, &|d| d.checked_add_days(Days::new(7)))
        }
        Bucket::Month => {
            let first = range.first_day.with_day(1).unwrap_or(range.first_day);
            dates(first, &|d| d.checked_add_months(Months::new(1)))
        }
    })
}

/// Local hour starts from `range.from` to `range.to`. Stepping by a quarter of an hour
/// finds every local hour in every zone (offsets are whole quarters); on the night
/// clocks go back the repeated hour has one label, as it has one key in the query.
fn hours(range: &DateRange, tz: Tz) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut t = range.from;
    while t < range.to {
        let local = tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
        if let Some(local) = local {
            let label = local.format("%Y-%m-%d %H:00:00").to_string();
            // The repeated hour follows itself, so comparing with the last is enough.
            if out.last() != Some(&label) {
                out.push(label);
            }
        }
        t += 900;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::range::days;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_weeks_and_months_are_whole_buckets() {
        let r = days(d("2026-11-04"), d("2026-12-02"), Tz::UTC).unwrap();
        assert_eq!(labels(Bucket::Day, &r, Tz::UTC).unwrap().len(), 29);
        // 4 November 2026 is a Wednesday: its week started on Monday the 2nd.
        assert_eq!(
            labels(Bucket::Week, &r, Tz::UTC).unwrap(),
            [
                "2026-11-02",
                "2026-11-09",
                "2026-11-16",
                "2026-11-23",
                "2026-11-30"
            ]
        );
        assert_eq!(
            labels(Bucket::Month, &r, Tz::UTC).unwrap(),
            ["2026-11-01", "2026-12-01"]
        );
    }

    #[test]
    fn hours_follow_the_local_clock() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let day = |s: &str| days(d(s), d(s), paris).unwrap();
        let h = labels(Bucket::Hour, &day("2026-11-23"), paris).unwrap();
        assert_eq!(h.len(), 24);
        assert_eq!(
            (h[0].as_str(), h[23].as_str()),
            ("2026-11-23 00:00:00", "2026-11-23 23:00:00")
        );
        // Clocks go back on 25 October 2026: 25 hours, 02:00 twice, one label.
        let h = labels(Bucket::Hour, &day("2026-10-25"), paris).unwrap();
        assert_eq!(h.len(), 24);
        // And forward on 29 March: no 02:00 at all.
        let h = labels(Bucket::Hour, &day("2026-03-29"), paris).unwrap();
        assert_eq!(h.len(), 23);
        assert!(!h.contains(&"2026-03-29 02:00:00".to_owned()));
        // Half-hour zones still have hours starting on the local hour.
        let india: Tz = "Asia/Kolkata".parse().unwrap();
        let r = days(d("2026-11-23"), d("2026-11-23"), india).unwrap();
        let h = labels(Bucket::Hour, &r, india).unwrap();
        assert_eq!((h.len(), h[1].as_str()), (24, "2026-11-23 01:00:00"));
    }

    #[test]
    fn too_many_buckets_is_an_error() {
        let r = days(d("2020-01-01"), d("2026-01-01"), Tz::UTC).unwrap();
        assert!(labels(Bucket::Hour, &r, Tz::UTC).is_err());
        assert_eq!(labels(Bucket::Month, &r, Tz::UTC).unwrap().len(), 73);
    }
}
