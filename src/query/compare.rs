//! Comparison periods and changes for `include.comparisons` of the stats API.
//!
//! * `previous_period`: the n days before the range; with `match_day_of_week`, the
//!   range shifted back by n rounded up to whole weeks, so weekdays line up.
//! * `year_over_year`: the same dates a year earlier (29 February becomes the 28th);
//!   with `match_day_of_week`, 364 days (52 weeks) earlier.
//! * `custom`: a date range of its own.
//!
//! Deliberately not here: running the comparison query and matching its rows (`api`).

use chrono::{Days, Months, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::range::{self, DateRange};
use super::stats::Metric;
use super::QueryError;

/// The comparison asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// The period just before.
    PreviousPeriod,
    /// The period a year before.
    YearOverYear,
    /// A date range as the query's `date_range` takes it.
    Custom(Value),
}

impl Mode {
    /// Parses `mode` (with `date_range` for `custom` only).
    pub fn parse(mode: &str, date_range: Option<&Value>) -> Result<Self, QueryError> {
        let bad = |m: &str| Err(QueryError::Invalid(format!("comparisons: {m}")));
        match (mode, date_range) {
            ("previous_period", None) => Ok(Self::PreviousPeriod),
            ("year_over_year", None) => Ok(Self::YearOverYear),
            ("custom", Some(r)) => Ok(Self::Custom(r.clone())),
            ("custom", None) => bad("mode custom needs a date_range"),
            ("previous_period" | "year_over_year", Some(_)) => {
                bad("date_range goes with mode custom only")
            }
            (other, _) => bad(&format!(
                "unknown mode {:?}; use previous_period, year_over_year or custom",
                other.chars().take(80).collect::<String>()
            )),
        }
    }
}

/// The period `range` is compared with. `match_day_of_week` applies to the two
/// relative modes; a custom range is taken as given.
pub fn period(
    mode: &Mode,
    match_day_of_week: bool,
    range: &DateRange,
    tz: Tz,
    now: chrono::DateTime<Utc>,
) -> Result<DateRange, QueryError> {
    let days = (range.last_day - range.first_day).num_days() as u64 + 1;
    let back = |n: u64| {
        range::days(
            range.first_day - Days::new(n),
            range.last_day - Days::new(n),
            tz,
        )
    };
    match mode {
        Mode::PreviousPeriod if match_day_of_week => back(days.div_ceil(7) * 7),
        Mode::PreviousPeriod => back(days),
        Mode::YearOverYear if match_day_of_week => back(364),
        Mode::YearOverYear => {
            let year_back = |d: chrono::NaiveDate| d.checked_sub_months(Months::new(12));
            match (year_back(range.first_day), year_back(range.last_day)) {
                (Some(first), Some(last)) => range::days(first, last, tz),
                _ => Err(QueryError::Invalid(
                    "comparisons: no year before this range".into(),
                )),
            }
        }
        Mode::Custom(value) => range::parse(value, tz, now)
            .map_err(|e| QueryError::Invalid(format!("comparisons: {e}"))),
    }
}

/// The change of one metric from `then` to `now`: percent change rounded to 1 decimal
/// (null when `then` is 0 or unknown), but for rates (`bounce_rate`,
/// `conversion_rate`) the difference in points.
pub fn change(metric: Metric, now: &Value, then: &Value) -> Value {
    let (Some(a), Some(b)) = (now.as_f64(), then.as_f64()) else {
        return Value::Null;
    };
    let round = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
    match metric {
        // Rates are already percentages: a relative change of one would be misread.
        Metric::BounceRate | Metric::ConversionRate => round(a - b, 2).into(),
        _ if b == 0.0 => Value::Null,
        _ => round((a - b) / b * 100.0, 1).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use serde_json::json;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    fn compared(mode: Mode, dow: bool, first: &str, last: &str) -> (String, String) {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let r = range::days(d(first), d(last), Tz::UTC).unwrap();
        let p = period(&mode, dow, &r, Tz::UTC, now()).unwrap();
        (p.first_day.to_string(), p.last_day.to_string())
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn previous_periods() {
        let prev = Mode::PreviousPeriod;
        assert_eq!(
            compared(prev.clone(), false, "2026-11-17", "2026-11-23"),
            pair("2026-11-10", "2026-11-16")
        );
        // 10 days go back 14 with matched weekdays: Friday to Friday.
        assert_eq!(
            compared(prev.clone(), false, "2026-11-13", "2026-11-22"),
            pair("2026-11-03", "2026-11-12")
        );
        assert_eq!(
            compared(prev, true, "2026-11-13", "2026-11-22"),
            pair("2026-10-30", "2026-11-08")
        );
    }

    #[test]
    fn years_before() {
        let yoy = Mode::YearOverYear;
        assert_eq!(
            compared(yoy.clone(), false, "2026-11-16", "2026-11-22"),
            pair("2025-11-16", "2025-11-22")
        );
        // Monday 16 November 2026 against Monday 17 November 2025.
        assert_eq!(
            compared(yoy.clone(), true, "2026-11-16", "2026-11-22"),
            pair("2025-11-17", "2025-11-23")
        );
        assert_eq!(
            compared(yoy.clone(), false, "2028-02-29", "2028-03-01"),
            pair("2027-02-28", "2027-03-01")
        );
        // Across the leap day, 52 weeks are 364 days all the same.
        assert_eq!(
            compared(yoy, true, "2028-03-06", "2028-03-12"),
            pair("2027-03-08", "2027-03-14")
        );
    }

    #[test]
    fn custom_ranges_and_bad_modes() {
        let custom = Mode::parse("custom", Some(&json!(["2026-01-01", "2026-01-31"]))).unwrap();
        assert_eq!(
            compared(custom, true, "2026-11-01", "2026-11-30"),
            pair("2026-01-01", "2026-01-31")
        );
        assert!(Mode::parse("custom", None).is_err());
        assert!(Mode::parse("previous_period", Some(&json!("7d"))).is_err());
        assert!(Mode::parse("last_year", None).is_err());
        let bad = Mode::parse("custom", Some(&json!(["2026-01-31", "2026-01-01"]))).unwrap();
        let r = range::days(
            "2026-11-01".parse().unwrap(),
            "2026-11-02".parse().unwrap(),
            Tz::UTC,
        )
        .unwrap();
        assert!(period(&bad, false, &r, Tz::UTC, now()).is_err());
    }

    #[test]
    fn changes_in_percent_and_in_points() {
        assert_eq!(
            change(Metric::Visitors, &json!(15), &json!(10)),
            json!(50.0)
        );
        assert_eq!(change(Metric::Visitors, &json!(2), &json!(3)), json!(-33.3));
        assert_eq!(change(Metric::Visitors, &json!(5), &json!(0)), Value::Null);
        assert_eq!(
            change(Metric::TimeOnPage, &json!(5), &Value::Null),
            Value::Null
        );
        assert_eq!(
            change(Metric::BounceRate, &json!(40), &json!(55)),
            json!(-15.0)
        );
        assert_eq!(
            change(Metric::ConversionRate, &json!(38.46), &json!(20.5)),
            json!(17.96)
        );
        assert_eq!(
            change(Metric::BounceRate, &json!(40), &json!(0)),
            json!(40.0)
        );
    }
}
