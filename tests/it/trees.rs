//! Checks of journey answers against the small-groups rule (docs/PRIVACY.md,
//! "Journeys"): within one answer, and against the same answer with groups of one
//! allowed (the raw counts).

use std::collections::BTreeMap;

use serde_json::Value;

/// A tree node's key under its parent: its name, or why the path ends.
fn key(node: &Value) -> String {
    match node["node"].as_str() {
        Some(n) => n.to_owned(),
        None => format!("(end: {})", node["end"].as_str().unwrap_or("?")),
    }
}

fn visitors(node: &Value) -> Option<u64> {
    node["visitors"].as_u64()
}

/// Checks the rule within one tree (`"tree": true`) and returns how many named steps
/// its deepest branch has below the root: every count shown is at least k; a node
/// without a count is an `(other)` without children; a node's count is the sum of its
/// shown children's (none differs from its parent's by a withheld remainder); at most
/// one `(other)` per node, last; shares are of the shown counts.
pub fn check_rule(tree: &Value, k: u64) -> usize {
    let total = visitors(tree).unwrap_or(0);
    check_node(tree, k, total)
}

fn check_node(node: &Value, k: u64, total: u64) -> usize {
    let children = node["children"].as_array().cloned().unwrap_or_default();
    let Some(v) = visitors(node) else {
        assert_eq!(node["node"], "(other)", "a node without a count: {node}");
        assert!(children.is_empty(), "{node}");
        return 0;
    };
    assert!(v >= k, "a count under {k}: {node}");
    if !children.is_empty() {
        let sum: u64 = children.iter().filter_map(visitors).sum();
        assert_eq!(v, sum, "a count is not its shown children's: {node}");
    }
    let others: Vec<usize> = (0..children.len())
        .filter(|&i| children[i]["node"] == "(other)")
        .collect();
    assert!(
        others.len() <= 1 && others.iter().all(|&i| i + 1 == children.len()),
        "{node}"
    );
    let mut deepest = 0;
    for c in &children {
        if let Some(n) = visitors(c) {
            let share = (n as f64 / total as f64 * 10_000.0).round() / 100.0;
            assert_eq!(c["share"].as_f64(), Some(share), "{c}");
        }
        let named = c["node"].is_string() && c["node"] != "(other)";
        if named {
            deepest = deepest.max(1 + check_node(c, k, total));
        } else {
            check_node(c, k, total);
        }
    }
    deepest
}

/// Every node's count by its keys from the root (the root's is the empty path).
pub fn counts(tree: &Value) -> BTreeMap<Vec<String>, Option<u64>> {
    let mut out = BTreeMap::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

fn walk(node: &Value, at: &mut Vec<String>, out: &mut BTreeMap<Vec<String>, Option<u64>>) {
    out.insert(at.clone(), visitors(node));
    for c in node["children"].as_array().into_iter().flatten() {
        at.push(key(c));
        walk(c, at, out);
        at.pop();
    }
}

/// Checks a tree shown with minimum group size `k` against the raw tree of the same
/// request with groups of one (every path, exact): every step and end shown has at
/// least k visitors in the raw data at its place and at most those; an end (a whole
/// path) shows them exactly; a counted `(other)` holds exactly its parent's raw
/// visitors outside its shown siblings; a withheld one, between 1 and k − 1.
/// Returns how many raw visitors the shown tree leaves out.
pub fn check_against_raw(shown: &Value, raw: &Value, k: u64) -> u64 {
    let raw_counts = counts(raw);
    let raw_of = |at: &Vec<String>| -> u64 {
        raw_counts
            .get(at)
            .copied()
            .flatten()
            .unwrap_or_else(|| panic!("{at:?} is not in the raw tree"))
    };
    let shown_counts = counts(shown);
    for (at, n) in &shown_counts {
        let Some(last) = at.last() else {
            continue;
        };
        let parent = at[..at.len() - 1].to_vec();
        if last == "(other)" {
            let siblings: u64 = shown_counts
                .keys()
                .filter(|s| s.len() == at.len() && s.starts_with(&parent) && s.last() != Some(last))
                .map(&raw_of)
                .sum();
            let pooled = raw_of(&parent) - siblings;
            match n {
                Some(n) => assert_eq!(*n, pooled, "{at:?}"),
                None => assert!((1..k).contains(&pooled), "{at:?}: {pooled}"),
            }
            continue;
        }
        let r = raw_of(at);
        assert!(r >= k, "{at:?} shown, but {r} visitors in the raw data");
        let n = n.unwrap_or_else(|| panic!("{at:?} without a count"));
        assert!(n <= r, "{at:?}: {n} > {r}");
        if last.starts_with("(end") {
            assert_eq!(n, r, "{at:?}: a whole path differs from the raw data");
        }
    }
    let raw_total = raw_of(&Vec::new());
    raw_total - visitors(shown).unwrap_or(0)
}

/// Checks a flow (Sankey nodes and links) within one answer: every count at least k,
/// the anchor what its links on either side add up to, every node what flows into it
/// from the anchor's side, and every node that neither ends a visit nor sits at the
/// edge what flows out of it on the other side. Returns the anchor's count.
pub fn check_flow(a: &Value, k: u64, max_steps: i64, steps_before: i64) -> u64 {
    let nodes = a["nodes"].as_array().cloned().unwrap_or_default();
    let links = a["links"].as_array().cloned().unwrap_or_default();
    let sum = |end: &str, id: &Value| -> u64 {
        links
            .iter()
            .filter(|l| &l[end] == id)
            .filter_map(visitors)
            .sum()
    };
    let mut anchor = 0;
    for n in &nodes {
        let v = visitors(n).unwrap_or(0);
        assert!(v >= k, "{n}");
        let step = n["step"].as_i64().unwrap_or(0);
        let name = n["name"].as_str().unwrap_or("");
        let (towards, away) = if step > 0 {
            ("target", "source")
        } else {
            ("source", "target")
        };
        if step == 0 {
            anchor = v;
            assert_eq!(sum("source", &n["id"]), v, "out of the anchor: {a}");
            if steps_before > 0 {
                assert_eq!(sum("target", &n["id"]), v, "into the anchor: {a}");
            }
            continue;
        }
        assert_eq!(sum(towards, &n["id"]), v, "{n}: {a}");
        let edge = step == max_steps || step == -steps_before;
        let ends = ["(exit)", "(entrance)", "(other)"].contains(&name);
        if !edge && !ends {
            assert_eq!(sum(away, &n["id"]), v, "{n}: {a}");
        }
    }
    assert_eq!(a["visitors"].as_u64(), Some(anchor), "{a}");
    anchor
}
