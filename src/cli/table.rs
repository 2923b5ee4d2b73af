//! API answers as aligned text tables, generically over their JSON shape, in the
//! dashboard's words and formats (`crate::i18n`):
//!
//! * a stats answer (`results[]` of `{dimensions, metrics, comparison?}` with the
//!   query's dimension and metric names in `query`) is one table: dimension columns,
//!   then metric columns, then previous-period columns, rows in the answer's order
//!   (so `(other)` stays last);
//! * any other answer prints its scalars as `name  value` lines and each array of
//!   objects as a table whose columns are the objects' keys (realtime's `pages`,
//!   goals, content groups, and any answer of the same shape);
//! * `meta` becomes one footer line: period, window, minimum group size, groups
//!   suppressed, visitor-id lifetime.
//!
//! Column names are the dashboard's labels (`Médiane entre étapes`, not
//! `median_seconds_from_previous`); durations read `7 min 20 s`, rates `9,3 %`,
//! counts are grouped, and the markers of folded groups are translated (`(autres)`).
//!
//! Deliberately not here: colour, paging, terminal width: output goes to pipes too.

use serde_json::{Map, Value};

use crate::i18n::Words;

/// Fields whose values are seconds.
const DURATIONS: &[&str] = &[
    "visit_duration",
    "time_on_page",
    "median_seconds",
    "median_seconds_from_previous",
];
/// Fields whose values are percentages.
const PERCENTS: &[&str] = &[
    "bounce_rate",
    "conversion_rate",
    "step_conversion_rate",
    "share",
    "share_of_parent",
];
/// Nested answers the tables leave to `--format json`.
const SKIPPED: &[&str] = &["meta", "query", "tree"];

/// The answer as text, ending with a newline.
pub fn render(answer: &Value, w: &Words) -> String {
    let mut out = String::new();
    match stats_table(answer, w) {
        Some(rows) => out.push_str(&align(&rows)),
        None => generic(answer, w, &mut out),
    }
    if let Some(line) = answer
        .get("meta")
        .and_then(Value::as_object)
        .and_then(|m| footer(m, w))
    {
        out.push('\n');
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A cell ready to print: its text and whether it aligns right.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    number: bool,
}

fn label(text: String) -> Cell {
    Cell {
        text,
        number: false,
    }
}

/// The label of a column of table `table` (empty for stats answers).
fn column(field: &str, table: &str, w: &Words) -> String {
    if let Some(d) = field.strip_prefix("event:props:") {
        return w.t("dim.prop", &[("key", d.to_owned())]);
    }
    if let Some(d) = field
        .strip_prefix("visit:")
        .or_else(|| field.strip_prefix("event:"))
    {
        if let Some(s) = w.get(&format!("dim.{d}")) {
            return s.to_owned();
        }
    }
    if let Some(b) = field.strip_prefix("time:") {
        if let Some(s) = w.get(&format!("interval.{b}")) {
            return s.to_owned();
        }
    }
    [
        format!("field.{table}.{field}"),
        format!("field.{field}"),
        format!("metric.{field}"),
    ]
    .iter()
    .find_map(|k| w.get(k))
    .map_or_else(|| clean(field), str::to_owned)
}

/// A value of column `field` (in a table broken down by `dim`, if any).
fn cell(v: &Value, field: &str, dim: Option<&str>, w: &Words) -> Cell {
    let num = |text: String| Cell { text, number: true };
    match v {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            if DURATIONS.contains(&field) {
                num(w.duration(x))
            } else if PERCENTS.contains(&field) {
                num(w.percent(x))
            } else {
                num(w.number(x))
            }
        }
        Value::Null => Cell {
            text: "-".into(),
            number: true,
        },
        Value::String(s) => label(value(s, dim.unwrap_or(field), w)),
        // A journey's path reads as one: `Symptoms → Doctor profile → Booked`.
        Value::Array(items) if field == "path" => label(
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| text(i), |s| value(s, "", w)))
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        other => label(text(other)),
    }
}

/// A dimension value as the dashboard labels it: markers and channel or device names
/// translated, anything else (pages, sources, campaigns) as it is.
fn value(s: &str, dim: &str, w: &Words) -> String {
    let marker = match s {
        "(other)" => Some("other"),
        "(none)" => Some("none"),
        "(exit)" => Some("exit"),
        "(entrance)" => Some("entrance"),
        _ => None,
    };
    if let Some(m) = marker {
        return w.t(&format!("value.{m}"), &[]);
    }
    let d = dim.rsplit(':').next().unwrap_or(dim);
    if d == "channel" || d == "device" {
        if let Some(t) = w.get(&format!("{d}.{s}")) {
            return t.to_owned();
        }
    }
    clean(s)
}

/// Header and rows of a stats answer, if it is one.
fn stats_table(answer: &Value, w: &Words) -> Option<Vec<Vec<Cell>>> {
    let results = answer.get("results")?.as_array()?;
    let query = answer.get("query")?;
    let names = |k: &str| -> Vec<String> {
        query
            .get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    query.get("metrics").and_then(Value::as_array)?;
    let (dims, metrics) = (names("dimensions"), names("metrics"));
    let compared = results.iter().any(|r| r.get("comparison").is_some());
    let mut header: Vec<Cell> = dims.iter().map(|d| label(column(d, "", w))).collect();
    header.extend(metrics.iter().map(|m| label(column(m, "", w))));
    if compared {
        header.extend(
            metrics
                .iter()
                .map(|m| label(w.t("cli.previous", &[("label", column(m, "", w))]))),
        );
    }
    let mut rows = vec![header];
    for r in results {
        let values = |key: &str| {
            r.pointer(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut row: Vec<Cell> = Vec::new();
        let mut d = values("/dimensions");
        d.resize(dims.len(), Value::Null);
        row.extend(d.iter().zip(&dims).map(|(v, name)| cell(v, name, None, w)));
        let mut m = values("/metrics");
        m.resize(metrics.len(), Value::Null);
        row.extend(
            m.iter()
                .zip(&metrics)
                .map(|(v, name)| cell(v, name, None, w)),
        );
        if compared {
            let mut p = values("/comparison/metrics");
            p.resize(metrics.len(), Value::Null);
            row.extend(
                p.iter()
                    .zip(&metrics)
                    .map(|(v, name)| cell(v, name, None, w)),
            );
        }
        rows.push(row);
    }
    Some(rows)
}

/// Scalars as `name  value` lines, arrays of objects as tables, in the answer's order.
fn generic(answer: &Value, w: &Words, out: &mut String) {
    let Some(fields) = answer.as_object() else {
        out.push_str(&text(answer));
        out.push('\n');
        return;
    };
    let mut scalars: Vec<Vec<Cell>> = Vec::new();
    let mut tables: Vec<(String, Vec<Vec<Cell>>)> = Vec::new();
    for (name, v) in fields {
        if SKIPPED.contains(&name.as_str()) {
            continue;
        }
        match v {
            Value::Array(items) if items.iter().all(Value::is_object) => {
                tables.push((name.clone(), object_rows(items, name, None, w)));
            }
            Value::Object(o) if nested(o, w).is_some() => {
                tables.push((name.clone(), nested(o, w).unwrap_or_default()));
            }
            // An object of scalars (attribution's `total`) as one row.
            Value::Object(o) if o.values().all(|x| !x.is_array() && !x.is_object()) => {
                tables.push((
                    name.clone(),
                    object_rows(std::slice::from_ref(v), name, None, w),
                ));
            }
            other => scalars.push(vec![label(column(name, "", w)), cell(other, name, None, w)]),
        }
    }
    out.push_str(&align(&scalars));
    for (name, rows) in tables {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(
            w.get(&format!("field.table.{name}"))
                .unwrap_or(&clean(&name)),
        );
        out.push('\n');
        if rows.len() <= 1 {
            out.push_str(&w.t("cli.no_rows", &[]));
            out.push('\n');
        } else {
            out.push_str(&align(&rows));
        }
    }
}

/// `{"dimension", "results": [{"value", "<list>": [{..}, ..]}]}` (a funnel's breakdown)
/// as one table: each result's scalars, then the columns of its list, one row per item.
fn nested(o: &Map<String, Value>, w: &Words) -> Option<Vec<Vec<Cell>>> {
    let results = o.get("results")?.as_array()?;
    let dim = o.get("dimension").and_then(Value::as_str);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for r in results {
        let r = r.as_object()?;
        let (scalars, lists): (Vec<_>, Vec<_>) = r.iter().partition(|(_, v)| !v.is_array());
        let [(list, Value::Array(items))] = lists.as_slice() else {
            return None;
        };
        let mut lines = object_rows(items, list, None, w).into_iter();
        let header = lines.next()?;
        if rows.is_empty() {
            let mut h: Vec<Cell> = scalars
                .iter()
                .map(|(k, _)| match (k.as_str(), dim) {
                    ("value", Some(d)) => label(column(d, "", w)),
                    _ => label(column(k, "", w)),
                })
                .collect();
            h.extend(header);
            rows.push(h);
        }
        for line in lines {
            let mut row: Vec<Cell> = scalars
                .iter()
                .map(|(k, v)| cell(v, k, dim.filter(|_| *k == "value"), w))
                .collect();
            row.extend(line);
            rows.push(row);
        }
    }
    Some(rows)
}

/// A header of every key (in order of first appearance), then one row per object.
fn object_rows(items: &[Value], table: &str, dim: Option<&str>, w: &Words) -> Vec<Vec<Cell>> {
    let mut keys: Vec<String> = Vec::new();
    for o in items.iter().filter_map(Value::as_object) {
        for k in o.keys() {
            if !keys.contains(k) && !SKIPPED.contains(&k.as_str()) && k != "children" {
                keys.push(k.clone());
            }
        }
    }
    let mut rows = vec![keys.iter().map(|k| label(column(k, table, w))).collect()];
    for o in items.iter().filter_map(Value::as_object) {
        rows.push(
            keys.iter()
                .map(|k| cell(o.get(k).unwrap_or(&Value::Null), k, dim, w))
                .collect(),
        );
    }
    rows
}

/// Columns padded to their widest cell, numbers right-aligned; the first row is the
/// header (its alignment follows the column's).
fn align(rows: &[Vec<Cell>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let at = |r: &Vec<Cell>, i: usize| r.get(i).map_or("", |c| c.text.as_str()).to_owned();
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| at(r, i).chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    // A column is numeric when every value below the header is a number (or empty).
    let numeric: Vec<bool> = (0..cols)
        .map(|i| {
            let mut body = rows.iter().skip(1).filter_map(|r| r.get(i));
            rows.len() > 1 && body.all(|c| c.number)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for i in 0..cols {
            if i > 0 {
                line.push_str("  ");
            }
            let cell = at(row, i);
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if numeric[i] {
                line.push_str(&pad);
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A value without a format of its own: strings as they are (cleaned), null as `-`,
/// arrays of scalars joined by commas, anything else as compact JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => clean(s),
        Value::Null => "-".to_owned(),
        Value::Array(items) if !items.iter().any(|i| i.is_array() || i.is_object()) => {
            items.iter().map(text).collect::<Vec<_>>().join(", ")
        }
        other => clean(&other.to_string()),
    }
}

/// Control characters escaped: values come from visitors' browsers (event names,
/// property values), and a raw escape sequence would reach the reader's terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `meta` in one line, from the fields people need to read the table right.
fn footer(meta: &Map<String, Value>, w: &Words) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some([from, to]) = meta
        .get("date_range")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        let tz = meta.get("time_zone").map(text).unwrap_or_default();
        parts.push(w.t(
            "cli.period",
            &[("from", text(from)), ("to", text(to)), ("tz", tz)],
        ));
    }
    if let Some(s) = meta.get("window_seconds").and_then(Value::as_f64) {
        parts.push(w.t("cli.window", &[("duration", w.duration(s))]));
    }
    if let Some(k) = meta.get("min_group_size").and_then(Value::as_u64) {
        let mut s = w.t("note.min_group", &[("k", w.number(k as f64))]);
        let n = meta
            .get("suppressed_groups")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            + meta
                .get("comparison_suppressed_groups")
                .and_then(Value::as_u64)
                .unwrap_or(0);
        if n > 0 {
            s.push(' ');
            s.push_str(&w.plural("note.suppressed", n));
        }
        parts.push(s);
    }
    let ids = meta.get("visitor_ids").and_then(Value::as_str).or_else(|| {
        meta.get("visitor_id_lifetime")
            .and_then(Value::as_str)
            .map(|l| {
                if l.contains("consent") {
                    "daily_and_consented"
                } else {
                    "daily"
                }
            })
    });
    if let Some(code) = ids {
        parts.push(w.t(&format!("note.ids_{code}"), &[]));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use serde_json::json;

    fn en(answer: &Value) -> String {
        render(answer, &Words::new(Lang::En))
    }

    #[test]
    fn a_stats_answer_is_one_table_with_other_last() {
        let answer = json!({
            "results": [
                {"dimensions": ["/symptomes/a"], "metrics": [1200, 340]},
                {"dimensions": ["/b"], "metrics": [8, 9]},
                {"dimensions": ["(other)"], "metrics": [15, 21]},
            ],
            "meta": {"time_zone": "Europe/Paris", "date_range": ["2026-01-01", "2026-01-30"],
                     "min_group_size": 5, "suppressed_groups": 4, "visitor_id_lifetime": "1 day"},
            "query": {"site_id": "c.fr", "metrics": ["visitors", "pageviews"], "dimensions": ["event:page"]},
        });
        assert_eq!(
            en(&answer),
            "\
Page          Visitors  Pageviews
/symptomes/a     1,200        340
/b                   8          9
(other)             15         21

2026-01-01 to 2026-01-30 (Europe/Paris) · Groups under 5 visitors are folded into “(other)”. 4 groups folded. · Visitors are counted per day (anonymous ids change every day).
"
        );
        let fr = render(&answer, &Words::new(Lang::Fr));
        assert!(
            fr.starts_with("Page          Visiteurs  Pages vues\n"),
            "{fr}"
        );
        assert!(fr.contains("(autres)"), "{fr}");
        assert!(fr.contains("1\u{202f}200"), "{fr}");
        assert!(
            fr.contains("du 2026-01-01 au 2026-01-30 (Europe/Paris)"),
            "{fr}"
        );
    }

    #[test]
    fn totals_and_comparisons_in_their_units() {
        let answer = json!({
            "results": [{"dimensions": [], "metrics": [12, 38.46, 440], "comparison": {"metrics": [10, 20.5, null]}}],
            "query": {"metrics": ["visitors", "conversion_rate", "visit_duration"], "dimensions": []},
        });
        assert_eq!(
            en(&answer),
            "\
Visitors  Conversion rate  Visit duration  Visitors (previous)  Conversion rate (previous)  Visit duration (previous)
      12            38.5%      7 min 20 s                   10                       20.5%                          -
"
        );
    }

    #[test]
    fn other_answers_print_scalars_then_tables() {
        let answer = json!({
            "visitors": 14,
            "pageviews": 31,
            "pages": [{"page": "/a", "visitors": 9}, {"page": "(other)", "visitors": 5}],
            "meta": {"window_seconds": 300, "min_group_size": 5, "suppressed_groups": 2},
            "query": {"site_id": "c.fr"},
        });
        assert_eq!(
            en(&answer),
            "\
Visitors   14
Pageviews  31

Pages
Page     Visitors
/a              9
(other)         5

window: 5 min · Groups under 5 visitors are folded into “(other)”. 2 groups folded.
"
        );
        let groups = json!({"content_groups": [
            {"name": "Symptom research", "patterns": ["/symptoms/**", "/conditions/*"], "position": 0},
            {"name": "Doctors", "patterns": ["/doctors/*"], "position": 1, "extra": {"a": 1}},
        ]});
        assert_eq!(
            en(&groups),
            "\
Content groups
Name              Patterns                     Priority  extra
Symptom research  /symptoms/**, /conditions/*         0  -
Doctors           /doctors/*                          1  {\"a\":1}
"
        );
        assert_eq!(en(&json!({"goals": []})), "Goals\n(no rows)\n");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let answer = json!({"name": "Booked\u{1b}[2J\n", "tab": "a\tb"});
        let out = en(&answer);
        assert_eq!(out, "Name  Booked\\u{1b}[2J\\n\ntab   a\\tb\n");
        assert!(!out.contains('\u{1b}'));
    }

    #[test]
    fn funnels_read_in_the_dashboards_words() {
        let answer = json!({
            "steps": [
                {"name": "Symptoms", "visitors": 200, "conversion_rate": 100.0, "step_conversion_rate": 100.0, "dropoff": 0, "median_seconds_from_previous": null},
                {"name": "Booked", "visitors": 18, "conversion_rate": 9.0, "step_conversion_rate": 9.0, "dropoff": 182, "median_seconds_from_previous": 440.0},
            ],
            "breakdown": {"dimension": "visit:channel", "results": [
                {"value": "Organic Search", "steps": [{"name": "A", "visitors": 9}, {"name": "B", "visitors": null}]}
            ]},
            "paths": [{"path": ["Symptoms", "(other)", "Booked"], "visitors": 7}]
        });
        let fr = render(&answer, &Words::new(Lang::Fr));
        assert!(fr.contains("Médiane entre étapes"), "{fr}");
        assert!(fr.contains("7 min 20 s"), "{fr}");
        assert!(fr.contains("9\u{202f}%"), "{fr}");
        assert!(fr.contains("Canal                Étape  Visiteurs"), "{fr}");
        assert!(fr.contains("Recherche naturelle  B"), "{fr}");
        assert!(fr.contains("Symptoms → (autres) → Booked"), "{fr}");
        assert!(!fr.contains("median_seconds"), "{fr}");
    }
}
