//! Dimensions and filters of the stats API, compiled to ClickHouse lambda bodies.
//!
//! Everything is evaluated per event of a visitor-day row, inside lambdas whose
//! parameters are fixed names: `n` (event name), `p` (page), `s` (visit number),
//! `pk`/`pv` (property keys and values), `v_in` and `v_<column>` (the row's visit
//! arrays, indexed by `s`). Visit-level keys use `st` (visit start) and `c_<column>`.
//! Values are always bound, never formatted into the text.

use serde_json::Value;

use super::sql::{Bind, Sql};
use super::QueryError;
use crate::patterns;
use crate::store::goals::{ContentGroup, Goal};

/// Visit columns a dimension or filter can name: (API name, `s_` column suffix).
const VISIT_COLUMNS: &[(&str, &str)] = &[
    ("visit:entry_page", "entry"),
    ("visit:exit_page", "exit"),
    ("visit:source", "source"),
    ("visit:channel", "channel"),
    ("visit:referrer", "referrer"),
    ("visit:utm_source", "utm_source"),
    ("visit:utm_medium", "utm_medium"),
    ("visit:utm_campaign", "utm_campaign"),
    ("visit:utm_content", "utm_content"),
    ("visit:utm_term", "utm_term"),
    ("visit:country", "country"),
    ("visit:region", "region"),
    ("visit:city", "city"),
    ("visit:device", "device"),
    ("visit:browser", "browser"),
    ("visit:browser_version", "browser_version"),
    ("visit:os", "os"),
    // A visit keeps to one hostname in practice; the visit's first one stands for it.
    ("event:hostname", "hostname"),
];

/// Every visit-level dimension (`Dim::Visit`), in API order.
pub fn visit_dims() -> impl Iterator<Item = Dim> {
    VISIT_COLUMNS.iter().map(|(_, c)| Dim::Visit(c))
}

/// Time buckets, in the site's time zone, by visit start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// `time:hour`.
    Hour,
    /// `time:day`.
    Day,
    /// `time:week` (weeks start on Monday).
    Week,
    /// `time:month`.
    Month,
}

/// A dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dim {
    /// A property of the visit (its first event), by `s_` column suffix.
    Visit(&'static str),
    /// The visit's start, bucketed.
    Time(Bucket),
    /// `event:page` (pageviews only).
    Page,
    /// `event:name`.
    Name,
    /// `event:props:<key>` (events carrying the key).
    Prop(String),
    /// `event:goal` (events matching one of the site's goals).
    Goal,
    /// `event:content_group` (pageviews; `(none)` outside every group).
    ContentGroup,
}

impl Dim {
    /// Parses an API dimension name; `one_day` picks the bucket of plain `time`.
    pub fn parse(name: &str, one_day: bool) -> Result<Self, QueryError> {
        if let Some((_, col)) = VISIT_COLUMNS.iter().find(|(n, _)| *n == name) {
            return Ok(Self::Visit(col));
        }
        Ok(match name {
            "time" if one_day => Self::Time(Bucket::Hour),
            "time" => Self::Time(Bucket::Day),
            "time:hour" => Self::Time(Bucket::Hour),
            "time:day" => Self::Time(Bucket::Day),
            "time:week" => Self::Time(Bucket::Week),
            "time:month" => Self::Time(Bucket::Month),
            "event:page" => Self::Page,
            "event:name" => Self::Name,
            "event:goal" => Self::Goal,
            "event:content_group" => Self::ContentGroup,
            other => match other.strip_prefix("event:props:") {
                Some(key) if !key.is_empty() && key.len() <= 300 => Self::Prop(key.to_owned()),
                _ => {
                    return Err(QueryError::Invalid(format!(
                        "unknown dimension {:?}; see docs/API.md for the list",
                        truncate(other)
                    )))
                }
            },
        })
    }

    /// Whether the dimension belongs to single events rather than to whole visits.
    pub fn is_event(&self) -> bool {
        matches!(
            self,
            Self::Page | Self::Name | Self::Prop(_) | Self::Goal | Self::ContentGroup
        )
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal to one of the values.
    Is,
    /// Equal to none of the values.
    IsNot,
    /// Contains one of the values (case-sensitive).
    Contains,
    /// Contains none of the values.
    ContainsNot,
    /// Matches one of the wildcard patterns (`*` within a path segment, `**` across).
    Matches,
    /// Matches none of the patterns.
    MatchesNot,
}

/// A filter tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `[op, dimension, values]`.
    Atom {
        /// Operator.
        op: Op,
        /// Dimension.
        dim: Dim,
        /// Values.
        values: Vec<String>,
    },
    /// `["and", [..]]`.
    And(Vec<Filter>),
    /// `["or", [..]]`.
    Or(Vec<Filter>),
    /// `["not", f]`.
    Not(Box<Filter>),
}

const MAX_ATOMS: usize = 50;
const MAX_DEPTH: usize = 8;
const MAX_VALUES: usize = 1000;
const MAX_VALUE_LEN: usize = 2000;

impl Filter {
    /// Parses the API's `filters` list (implicitly and-ed).
    pub fn parse_list(list: &[Value]) -> Result<Option<Self>, QueryError> {
        let mut atoms = 0;
        let parts = list
            .iter()
            .map(|v| Self::parse(v, 0, &mut atoms))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(match parts.len() {
            0 => None,
            1 => parts.into_iter().next(),
            _ => Some(Self::And(parts)),
        })
    }

    fn parse(v: &Value, depth: usize, atoms: &mut usize) -> Result<Self, QueryError> {
        let bad = |why: String| QueryError::Invalid(format!("filter: {why}"));
        if depth > MAX_DEPTH {
            return Err(bad(format!("nested deeper than {MAX_DEPTH}")));
        }
        let Some(arr) = v.as_array() else {
            return Err(bad("each filter is a JSON array".into()));
        };
        let op = arr.first().and_then(Value::as_str).unwrap_or("");
        match op {
            "and" | "or" => {
                let Some(list) = arr
                    .get(1)
                    .and_then(Value::as_array)
                    .filter(|_| arr.len() == 2)
                else {
                    return Err(bad(format!("{op:?} takes one list of filters")));
                };
                if list.is_empty() {
                    return Err(bad(format!("{op:?} needs at least one filter")));
                }
                let parts = list
                    .iter()
                    .map(|f| Self::parse(f, depth + 1, atoms))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if op == "and" {
                    Self::And(parts)
                } else {
                    Self::Or(parts)
                })
            }
            "not" => match arr.as_slice() {
                [_, f] => Ok(Self::Not(Box::new(Self::parse(f, depth + 1, atoms)?))),
                _ => Err(bad("\"not\" takes one filter".into())),
            },
            _ => {
                let op = match op {
                    "is" => Op::Is,
                    "is_not" => Op::IsNot,
                    "contains" => Op::Contains,
                    "contains_not" => Op::ContainsNot,
                    "matches" | "matches_wildcard" => Op::Matches,
                    "matches_not" | "matches_wildcard_not" => Op::MatchesNot,
                    other => {
                        return Err(bad(format!(
                            "unknown operator {:?}; use is, is_not, contains, contains_not, matches, matches_not, and, or, not",
                            truncate(other)
                        )))
                    }
                };
                *atoms += 1;
                if *atoms > MAX_ATOMS {
                    return Err(bad(format!("more than {MAX_ATOMS} conditions")));
                }
                let [_, dim, values] = arr.as_slice() else {
                    return Err(bad("a condition is [operator, dimension, [values]]".into()));
                };
                let dim = Dim::parse(dim.as_str().unwrap_or(""), false)?;
                if matches!(dim, Dim::Time(_)) {
                    return Err(bad(
                        "time dimensions cannot be filtered; use date_range".into()
                    ));
                }
                let Some(values) = values.as_array() else {
                    return Err(bad("values must be a list".into()));
                };
                if values.is_empty() || values.len() > MAX_VALUES {
                    return Err(bad(format!("1 to {MAX_VALUES} values per condition")));
                }
                let values = values
                    .iter()
                    .map(|v| match v {
                        Value::String(s) if s.len() <= MAX_VALUE_LEN => Ok(s.clone()),
                        Value::Number(n) => Ok(n.to_string()),
                        _ => Err(bad(format!(
                            "values are strings of at most {MAX_VALUE_LEN} bytes"
                        ))),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if matches!(op, Op::Matches | Op::MatchesNot) {
                    for v in &values {
                        wildcard_regex(&dim, v)?;
                    }
                }
                Ok(Self::Atom { op, dim, values })
            }
        }
    }

    /// Visit columns and whether properties are needed to evaluate the filter.
    pub fn needs(&self, cols: &mut Vec<&'static str>, props: &mut bool) {
        match self {
            Self::Atom { dim, .. } => dim_needs(dim, cols, props),
            Self::And(v) | Self::Or(v) => v.iter().for_each(|f| f.needs(cols, props)),
            Self::Not(f) => f.needs(cols, props),
        }
    }

    /// The filter without its `event:goal` conditions (the base of conversion rates).
    pub fn without_goals(&self) -> Option<Self> {
        match self {
            Self::Atom { dim: Dim::Goal, .. } => None,
            Self::And(v) => {
                let rest: Vec<_> = v.iter().filter_map(Self::without_goals).collect();
                match rest.len() {
                    0 => None,
                    _ => Some(Self::And(rest)),
                }
            }
            other => Some(other.clone()),
        }
    }
}

/// Adds what a dimension needs to evaluate at event level.
pub fn dim_needs(dim: &Dim, cols: &mut Vec<&'static str>, props: &mut bool) {
    let col = match dim {
        Dim::Visit(c) => *c,
        Dim::Time(_) => "start",
        Dim::Prop(_) => {
            *props = true;
            return;
        }
        _ => return,
    };
    if !cols.contains(&col) {
        cols.push(col);
    }
}

/// The regex a `matches` value stands for: path patterns for page-like dimensions,
/// plain `*` wildcards elsewhere; anchored, everything else literal.
pub fn wildcard_regex(dim: &Dim, pattern: &str) -> Result<String, QueryError> {
    let pathlike = matches!(dim, Dim::Page | Dim::Visit("entry") | Dim::Visit("exit"))
        && pattern.starts_with('/');
    if pathlike {
        return patterns::to_regex(pattern)
            .map_err(|e| QueryError::Invalid(format!("filter: {e}")));
    }
    let mut out = String::from("^");
    for (i, part) in pattern.split('*').enumerate() {
        if i > 0 {
            out.push_str(".*");
        }
        out.push_str(&regex::escape(part));
    }
    out.push('$');
    Ok(out)
}

/// Whether page `p` matches a path pattern. Literal, `prefix/**` and `prefix/*`
/// patterns become comparisons (about half the cost of `match()` per event at 10M
/// events); the rest go through the pattern's regex.
pub fn page_condition(pattern: &str, out: &mut Sql) -> Result<(), QueryError> {
    let re = patterns::to_regex(pattern).map_err(|e| QueryError::Invalid(e.to_string()))?;
    let stars = pattern.matches('*').count();
    if stars == 0 {
        out.push("p = ").bind(Bind::Str(pattern.to_owned()));
    } else if stars == 2 && pattern.ends_with("/**") {
        let prefix = &pattern[..pattern.len() - 3];
        out.push("(p = ")
            .bind(Bind::Str(prefix.to_owned()))
            .push(" OR startsWith(p, ")
            .bind(Bind::Str(format!("{prefix}/")))
            .push("))");
    } else if stars == 1 && pattern.ends_with("/*") {
        // One segment under the prefix: no further `/` after it (`*` may be empty).
        let prefix = &pattern[..pattern.len() - 1];
        out.push("(startsWith(p, ")
            .bind(Bind::Str(prefix.to_owned()))
            .push(&format!(
                ") AND position(substring(p, {}), '/') = 0)",
                prefix.len() + 1
            ));
    } else {
        out.push("match(p, ").bind(Bind::Str(re)).push(")");
    }
    Ok(())
}

/// Whether an event (`n`, `p`) reaches goal `g`.
pub fn goal_condition(g: &Goal, out: &mut Sql) -> Result<(), QueryError> {
    if g.event_name.is_empty() {
        out.push("(n = 'pageview' AND ");
        page_condition(&g.page, out)?;
        out.push(")");
    } else {
        out.push("n = ").bind(Bind::Str(g.event_name.clone()));
    }
    Ok(())
}

/// Whether a page `p` belongs to group `g` (by its patterns alone, not by position).
pub fn group_condition(g: &ContentGroup, out: &mut Sql) -> Result<(), QueryError> {
    out.push("(");
    for (i, pattern) in g.patterns.iter().enumerate() {
        if i > 0 {
            out.push(" OR ");
        }
        page_condition(pattern, out)?;
    }
    if g.patterns.is_empty() {
        out.push("0");
    }
    out.push(")");
    Ok(())
}

/// What the compiler needs to know about the site.
pub struct Catalog<'a> {
    /// Site goals.
    pub goals: &'a [Goal],
    /// Site content groups.
    pub groups: &'a [ContentGroup],
    /// Site time zone.
    pub timezone: &'a str,
}

impl Catalog<'_> {
    /// The value of `dim` for one event (`event` level) or one visit (visit level).
    pub fn value(&self, dim: &Dim, event_level: bool, out: &mut Sql) -> Result<(), QueryError> {
        let col = |c: &str| {
            if event_level {
                format!("v_{c}[s]")
            } else {
                format!("c_{c}")
            }
        };
        match dim {
            Dim::Visit(c) => {
                out.push(&col(c));
            }
            Dim::Time(b) => {
                let f = match b {
                    Bucket::Hour => "toStartOfHour",
                    Bucket::Day => "toDate",
                    Bucket::Week => "toMonday",
                    Bucket::Month => "toStartOfMonth",
                };
                let start = if event_level { "v_start[s]" } else { "st" };
                out.push(&format!("toString({f}(toDateTime(intDiv({start}, 1000), "))
                    .bind(Bind::Str(self.timezone.to_owned()))
                    .push(")))");
            }
            Dim::Page => {
                out.push("p");
            }
            Dim::Name => {
                out.push("n");
            }
            Dim::Prop(key) => {
                out.push("pv[indexOf(pk, ")
                    .bind(Bind::Str(key.clone()))
                    .push(")]");
            }
            Dim::Goal => {
                if self.goals.is_empty() {
                    return Err(QueryError::Invalid(
                        "the site has no goals; add one first (POST /api/v2/goals)".into(),
                    ));
                }
                out.push("multiIf(");
                for g in self.goals {
                    goal_condition(g, out)?;
                    out.push(", ").bind(Bind::Str(g.name.clone())).push(", ");
                }
                out.push("'')");
            }
            Dim::ContentGroup => {
                if self.groups.is_empty() {
                    out.push("'(none)'");
                    return Ok(());
                }
                out.push("multiIf(");
                for g in self.groups {
                    group_condition(g, out)?;
                    out.push(", ").bind(Bind::Str(g.name.clone())).push(", ");
                }
                out.push("'(none)')");
            }
        }
        Ok(())
    }

    /// The condition an event must meet to have a value of `dim` at all.
    pub fn applies(&self, dim: &Dim, out: &mut Sql) -> Result<(), QueryError> {
        match dim {
            Dim::Page | Dim::ContentGroup => {
                out.push("n = 'pageview'");
            }
            Dim::Prop(key) => {
                out.push("has(pk, ").bind(Bind::Str(key.clone())).push(")");
            }
            Dim::Goal => {
                self.value(dim, true, out)?;
                out.push(" != ''");
            }
            _ => {
                out.push("1");
            }
        }
        Ok(())
    }

    /// A condition on a whole visitor-day row that every row with an event passing `f`
    /// meets, cheap beside the per-event filter (`false` when there is none): rows
    /// without the asked channel or page are skipped before any per-event work.
    pub fn row_prefilter(&self, f: &Filter, out: &mut Sql) -> Result<bool, QueryError> {
        match f {
            Filter::And(v) | Filter::Or(v) => {
                let and = matches!(f, Filter::And(_));
                let mut parts = Vec::new();
                for part in v {
                    let mut s = Sql::default();
                    if self.row_prefilter(part, &mut s)? {
                        parts.push(s);
                    } else if !and {
                        // One branch of an `or` may pass anywhere.
                        return Ok(false);
                    }
                }
                if parts.is_empty() {
                    return Ok(false);
                }
                out.push("(");
                for (i, p) in parts.into_iter().enumerate() {
                    if i > 0 {
                        out.push(if and { " AND " } else { " OR " });
                    }
                    out.append(p);
                }
                out.push(")");
                Ok(true)
            }
            Filter::Not(_) => Ok(false),
            Filter::Atom { op, dim, values } => match (op, dim) {
                (Op::Is, Dim::Visit(c)) => {
                    out.push(&format!("hasAny(s_{c}, "))
                        .bind(Bind::Strs(values.clone()))
                        .push(")");
                    Ok(true)
                }
                (Op::Is | Op::Contains | Op::Matches, Dim::Page | Dim::Name) => {
                    out.push("arrayExists((n, p) -> ");
                    self.filter(f, out)?;
                    out.push(", e_name, e_page)");
                    Ok(true)
                }
                _ => Ok(false),
            },
        }
    }

    /// The filter as a boolean expression over one event.
    pub fn filter(&self, f: &Filter, out: &mut Sql) -> Result<(), QueryError> {
        match f {
            Filter::And(v) | Filter::Or(v) => {
                let glue = if matches!(f, Filter::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                out.push("(");
                for (i, part) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(glue);
                    }
                    self.filter(part, out)?;
                }
                out.push(")");
            }
            Filter::Not(inner) => {
                out.push("NOT (");
                self.filter(inner, out)?;
                out.push(")");
            }
            Filter::Atom { op, dim, values } => {
                let negate = matches!(op, Op::IsNot | Op::ContainsNot | Op::MatchesNot);
                out.push(if negate { "NOT (" } else { "(" });
                self.applies(dim, out)?;
                out.push(" AND ");
                match op {
                    Op::Is | Op::IsNot => {
                        out.push("has(").bind(Bind::Strs(values.clone())).push(", ");
                        self.value(dim, true, out)?;
                        out.push(")");
                    }
                    Op::Contains | Op::ContainsNot | Op::Matches | Op::MatchesNot => {
                        let contains = matches!(op, Op::Contains | Op::ContainsNot);
                        out.push("(");
                        for (i, v) in values.iter().enumerate() {
                            if i > 0 {
                                out.push(" OR ");
                            }
                            if contains {
                                out.push("position(");
                                self.value(dim, true, out)?;
                                out.push(", ").bind(Bind::Str(v.clone())).push(") > 0");
                            } else if *dim == Dim::Page && v.starts_with('/') {
                                page_condition(v, out)?;
                            } else {
                                out.push("match(");
                                self.value(dim, true, out)?;
                                out.push(", ")
                                    .bind(Bind::Str(wildcard_regex(dim, v)?))
                                    .push(")");
                            }
                        }
                        out.push(")");
                    }
                }
                out.push(")");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn row_prefilters_are_necessary_conditions() {
        let catalog = Catalog {
            goals: &[],
            groups: &[],
            timezone: "UTC",
        };
        let pre = |v: serde_json::Value| {
            let f = Filter::parse_list(&[v]).unwrap().unwrap();
            let mut s = Sql::default();
            catalog
                .row_prefilter(&f, &mut s)
                .unwrap()
                .then(|| s.text().to_owned())
        };
        // An `and` keeps what its parts require; a negation requires nothing.
        let and = pre(json!([
            "and",
            [
                ["is", "visit:channel", ["Email"]],
                ["not", ["is", "event:page", ["/a"]]],
                ["matches", "event:page", ["/medecins/**"]]
            ]
        ]))
        .unwrap();
        assert!(
            and.starts_with("(hasAny(s_channel, ?) AND arrayExists((n, p) -> "),
            "{and}"
        );
        assert!(and.contains("startsWith(p, ?)"), "{and}");
        // An `or` requires something only when each branch does.
        assert!(pre(json!([
            "or",
            [
                ["is", "visit:channel", ["Email"]],
                ["is", "event:name", ["Call"]]
            ]
        ]))
        .is_some());
        assert_eq!(
            pre(json!([
                "or",
                [
                    ["is", "visit:channel", ["Email"]],
                    ["is_not", "event:name", ["Call"]]
                ]
            ])),
            None
        );
        assert_eq!(pre(json!(["contains", "visit:source", ["goo"]])), None);
    }

    #[test]
    fn trees_parse_and_limits_hold() {
        let f = Filter::parse_list(&[json!([
            "or",
            [
                ["is", "visit:channel", ["Email", "Webinar"]],
                ["not", ["contains", "event:page", ["/espace"]]]
            ]
        ])])
        .unwrap()
        .unwrap();
        assert!(matches!(f, Filter::Or(_)));
        assert!(Filter::parse_list(&[json!(["is", "visit:nope", ["x"]])]).is_err());
        assert!(Filter::parse_list(&[json!(["drop", "event:page", ["x"]])]).is_err());
        assert!(Filter::parse_list(&[json!(["is", "time:day", ["x"]])]).is_err());
        let many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        assert!(Filter::parse_list(&[json!(["is", "event:page", many])]).is_err());
        let mut deep = json!(["is", "event:page", ["/"]]);
        for _ in 0..12 {
            deep = json!(["not", deep]);
        }
        assert!(Filter::parse_list(&[deep]).is_err());
    }

    #[test]
    fn wildcards_escape_everything_else() {
        assert_eq!(
            wildcard_regex(&Dim::Visit("source"), "a.b*").unwrap(),
            "^a\\.b.*$"
        );
        assert_eq!(
            wildcard_regex(&Dim::Page, "/doctors/*").unwrap(),
            "^/doctors/[^/]*$"
        );
    }
}
