//! API answers as aligned text tables, generically over their JSON shape:
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
//! Deliberately not here: colour, paging, terminal width: output goes to pipes too.

use serde_json::{Map, Value};

/// The answer as text, ending with a newline.
pub fn render(answer: &Value) -> String {
    let mut out = String::new();
    match stats_table(answer) {
        Some(rows) => out.push_str(&align(&rows)),
        None => generic(answer, &mut out),
    }
    if let Some(line) = answer
        .get("meta")
        .and_then(Value::as_object)
        .and_then(footer)
    {
        out.push('\n');
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Header and rows of a stats answer, if it is one.
fn stats_table(answer: &Value) -> Option<Vec<Vec<Value>>> {
    let results = answer.get("results")?.as_array()?;
    let query = answer.get("query")?;
    let metrics = query.get("metrics")?.as_array()?;
    let dims = query
        .get("dimensions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let compared = results.iter().any(|r| r.get("comparison").is_some());
    let mut header: Vec<Value> = dims.clone();
    header.extend(metrics.iter().cloned());
    if compared {
        header.extend(
            metrics
                .iter()
                .map(|m| Value::String(format!("{} (previous)", text(m)))),
        );
    }
    let mut rows = vec![header];
    for r in results {
        let mut row: Vec<Value> = Vec::new();
        let values = |key: &str| {
            r.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        row.extend(values("dimensions").into_iter().take(dims.len()));
        row.resize(dims.len(), Value::Null);
        let mut m = values("metrics");
        m.resize(metrics.len(), Value::Null);
        row.extend(m);
        if compared {
            let mut p = r
                .pointer("/comparison/metrics")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            p.resize(metrics.len(), Value::Null);
            row.extend(p);
        }
        rows.push(row);
    }
    Some(rows)
}

/// Scalars as `name  value` lines, arrays of objects as tables, in the answer's order.
fn generic(answer: &Value, out: &mut String) {
    let Some(fields) = answer.as_object() else {
        out.push_str(&text(answer));
        out.push('\n');
        return;
    };
    let mut scalars: Vec<Vec<Value>> = Vec::new();
    let mut tables: Vec<(String, Vec<Vec<Value>>)> = Vec::new();
    for (name, value) in fields {
        if name == "meta" || name == "query" {
            continue;
        }
        match value {
            Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
                tables.push((name.clone(), object_rows(items)));
            }
            Value::Array(items) if items.is_empty() => {
                tables.push((name.clone(), Vec::new()));
            }
            Value::Object(o) if nested(o).is_some() => {
                tables.push((name.clone(), nested(o).unwrap_or_default()));
            }
            other => scalars.push(vec![Value::String(name.clone()), other.clone()]),
        }
    }
    out.push_str(&align(&scalars));
    for (name, rows) in tables {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&clean(&name));
        out.push('\n');
        if rows.is_empty() {
            out.push_str("(no rows)\n");
        } else {
            out.push_str(&align(&rows));
        }
    }
}

/// `{"results": [{"value", "<list>": [{..}, ..]}]}` (a funnel's breakdown) as one table:
/// each result's scalars, then the columns of its list, one row per list item.
fn nested(o: &serde_json::Map<String, Value>) -> Option<Vec<Vec<Value>>> {
    let results = o.get("results")?.as_array()?;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for r in results {
        let r = r.as_object()?;
        let (scalars, lists): (Vec<_>, Vec<_>) = r.iter().partition(|(_, v)| !v.is_array());
        let [(_, Value::Array(items))] = lists.as_slice() else {
            return None;
        };
        let inner = object_rows(items);
        let mut lines = inner.into_iter();
        let header = lines.next()?;
        if rows.is_empty() {
            let mut h: Vec<Value> = scalars
                .iter()
                .map(|(k, _)| Value::String((*k).clone()))
                .collect();
            h.extend(header);
            rows.push(h);
        }
        for line in lines {
            let mut row: Vec<Value> = scalars.iter().map(|(_, v)| (*v).clone()).collect();
            row.extend(line);
            rows.push(row);
        }
    }
    Some(rows)
}

/// A header of every key (in order of first appearance), then one row per object.
fn object_rows(items: &[Value]) -> Vec<Vec<Value>> {
    let mut keys: Vec<String> = Vec::new();
    for o in items.iter().filter_map(Value::as_object) {
        for k in o.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let mut rows = vec![keys.iter().cloned().map(Value::String).collect()];
    for o in items.iter().filter_map(Value::as_object) {
        rows.push(
            keys.iter()
                .map(|k| match (k.as_str(), o.get(k)) {
                    // A journey's path reads as one: `Symptoms → Doctor profile → Booked`.
                    ("path", Some(Value::Array(nodes))) => {
                        Value::String(nodes.iter().map(text).collect::<Vec<_>>().join(" → "))
                    }
                    (_, v) => v.cloned().unwrap_or(Value::Null),
                })
                .collect(),
        );
    }
    rows
}

/// Columns padded to their widest cell, numbers right-aligned; the first row is the
/// header (its alignment follows the column's).
fn align(rows: &[Vec<Value>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            (0..cols)
                .map(|i| r.get(i).map_or_else(String::new, text))
                .collect()
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..cols).map(width).collect();
    // A column is numeric when every value below the header is a number (or empty).
    let numeric: Vec<bool> = (0..cols)
        .map(|i| {
            let mut body = rows.iter().skip(1).filter_map(|r| r.get(i));
            rows.len() > 1 && body.all(|v| v.is_number() || v.is_null())
        })
        .collect();
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if numeric[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One cell: strings as they are (cleaned), numbers as JSON writes them, null as `-`,
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
fn footer(meta: &Map<String, Value>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some([from, to]) = meta
        .get("date_range")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        let tz = meta
            .get("time_zone")
            .map(|t| format!(" ({})", text(t)))
            .unwrap_or_default();
        parts.push(format!("{} to {}{tz}", text(from), text(to)));
    }
    if let Some(w) = meta.get("window_seconds") {
        parts.push(format!("last {} s", text(w)));
    }
    if let Some(k) = meta.get("min_group_size") {
        parts.push(format!("min group size {}", text(k)));
    }
    if let Some(n) = meta.get("suppressed_groups") {
        parts.push(format!("suppressed groups {}", text(n)));
    }
    if let Some(n) = meta.get("comparison_suppressed_groups") {
        parts.push(format!("previous period's suppressed groups {}", text(n)));
    }
    if let Some(l) = meta.get("visitor_id_lifetime") {
        parts.push(format!("visitor ids last {}", text(l)));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stats_answer_is_one_table_with_other_last() {
        let answer = json!({
            "results": [
                {"dimensions": ["/symptomes/a"], "metrics": [120, 340]},
                {"dimensions": ["/b"], "metrics": [8, 9]},
                {"dimensions": ["(other)"], "metrics": [15, 21]},
            ],
            "meta": {"time_zone": "Europe/Paris", "date_range": ["2026-01-01", "2026-01-30"],
                     "min_group_size": 5, "suppressed_groups": 4, "visitor_id_lifetime": "1 day"},
            "query": {"site_id": "c.fr", "metrics": ["visitors", "pageviews"], "dimensions": ["event:page"]},
        });
        assert_eq!(
            render(&answer),
            "\
event:page    visitors  pageviews
/symptomes/a       120        340
/b                   8          9
(other)             15         21

2026-01-01 to 2026-01-30 (Europe/Paris) · min group size 5 · suppressed groups 4 · visitor ids last 1 day
"
        );
    }

    #[test]
    fn totals_and_comparisons() {
        let answer = json!({
            "results": [{"dimensions": [], "metrics": [12, 38.46, null], "comparison": {"metrics": [10, 20.5, 31]}}],
            "query": {"metrics": ["visitors", "conversion_rate", "time_on_page"], "dimensions": []},
        });
        assert_eq!(
            render(&answer),
            "\
visitors  conversion_rate  time_on_page  visitors (previous)  conversion_rate (previous)  time_on_page (previous)
      12            38.46             -                   10                        20.5                       31
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
            render(&answer),
            "\
visitors   14
pageviews  31

pages
page     visitors
/a              9
(other)         5

last 300 s · min group size 5 · suppressed groups 2
"
        );
        let groups = json!({"content_groups": [
            {"name": "Symptom research", "patterns": ["/symptoms/**", "/conditions/*"], "position": 0},
            {"name": "Doctors", "patterns": ["/doctors/*"], "position": 1, "extra": {"a": 1}},
        ]});
        assert_eq!(
            render(&groups),
            "\
content_groups
name              patterns                     position  extra
Symptom research  /symptoms/**, /conditions/*         0  -
Doctors           /doctors/*                          1  {\"a\":1}
"
        );
        assert_eq!(render(&json!({"goals": []})), "goals\n(no rows)\n");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let answer = json!({"name": "Booked\u{1b}[2J\n", "tab": "a\tb"});
        let out = render(&answer);
        assert_eq!(out, "name  Booked\\u{1b}[2J\\n\ntab   a\\tb\n");
        assert!(!out.contains('\u{1b}'));
    }

    #[test]
    fn a_breakdown_is_one_table_and_paths_read_as_arrows() {
        let answer = serde_json::json!({
            "breakdown": {"dimension": "visit:channel", "results": [
                {"value": "Email", "steps": [{"name": "A", "visitors": 9}, {"name": "B", "visitors": null}]}
            ]},
            "paths": [{"path": ["Symptoms", "Booked"], "visitors": 7}]
        });
        let text = render(&answer);
        assert!(text.contains("value  name  visitors"), "{text}");
        assert!(text.contains("Email  B            -"), "{text}");
        assert!(text.contains("Symptoms → Booked"), "{text}");
    }
}
