//! The JSON of flows around an anchor: Sankey nodes and links from the two sides'
//! folded trees (`query::paths::tree::fold_flows`), step 0 being the anchor.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Shown;
use crate::query::paths::tree::{self, Label, Node};
use crate::query::paths::{PathCount, Walked, OTHER};

/// A flow node: step (0 the anchor, negative before it) and name.
type FlowNode = (i64, String);

/// Nodes and links of a flow, summed by (step, name).
#[derive(Default)]
struct Sankey {
    nodes: BTreeMap<FlowNode, u64>,
    links: BTreeMap<(FlowNode, FlowNode), u64>,
}

impl Sankey {
    /// Adds the shown children of `node` (at `step` on `side`) and below. Ends are
    /// drawn as `(exit)` / `(entrance)` nodes already, or not at all when cut.
    fn add(&mut self, node: &Node, me: &FlowNode, side: i64) {
        for c in &node.children {
            let (name, visitors) = match (&c.label, c.visitors) {
                (Label::Step(name), Some(v)) => (name.as_str(), v),
                (Label::Other, Some(v)) => (OTHER, v),
                // A withheld (other) is never drawn; `fold_flows` leaves none.
                _ => continue,
            };
            let next = (me.0 + side, name.to_owned());
            *self.nodes.entry(next.clone()).or_default() += visitors;
            let link = if side > 0 {
                (me.clone(), next.clone())
            } else {
                (next.clone(), me.clone())
            };
            *self.links.entry(link).or_default() += visitors;
            self.add(c, &next, side);
        }
    }
}

/// One side's nodes of each row, as the fold takes them (flows show no durations).
fn walked<'a>(seqs: &[&'a [String]], rows: &[PathCount]) -> Vec<Walked<'a>> {
    seqs.iter()
        .zip(rows)
        .map(|(s, r)| (*s, r.visitors, &[][..]))
        .collect()
}

/// Sankey nodes and links around `label`; both sides count the same visitors.
pub fn json(rows: &[PathCount], label: &str, k: u64) -> Shown {
    // The anchor itself (first node of `path`) is step 0 whatever its name.
    let after: Vec<&[String]> = rows
        .iter()
        .map(|r| r.path.get(1..).unwrap_or_default())
        .collect();
    let before: Vec<&[String]> = rows.iter().map(|r| r.before.as_slice()).collect();
    let flow = tree::fold_flows(&walked(&after, rows), &walked(&before, rows), k);
    let mut sankey = Sankey::default();
    if let Some(v) = flow.visitors {
        let anchor = (0, label.to_owned());
        sankey.nodes.insert(anchor.clone(), v);
        sankey.add(&flow.after.root, &anchor, 1);
        sankey.add(&flow.before.root, &anchor, -1);
    }
    let id = |(step, name): &FlowNode| format!("{step}:{name}");
    let nodes: Vec<Value> = sankey
        .nodes
        .iter()
        .map(|(n, v)| json!({"id": id(n), "step": n.0, "name": n.1, "visitors": v}))
        .collect();
    let links: Vec<Value> = sankey
        .links
        .iter()
        .map(|((a, b), v)| json!({"source": id(a), "target": id(b), "visitors": v}))
        .collect();
    let not_shown = match flow.withheld {
        0 => Some(0),
        w if w >= k => Some(w),
        _ => None,
    };
    Shown {
        json: json!({"nodes": nodes, "links": links}),
        visitors: flow.visitors,
        not_shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(before: &[&str], path: &[&str], visitors: u64) -> PathCount {
        let strings = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect();
        PathCount {
            before: strings(before),
            path: strings(path),
            visitors,
            seconds: Vec::new(),
            counts: Vec::new(),
        }
    }

    #[test]
    fn flows_count_the_same_visitors_on_both_sides() {
        let rows = vec![
            row(&["Home", "(entrance)"], &["Doc", "Booking", "(exit)"], 6),
            row(&["(entrance)"], &["Doc", "(exit)"], 5),
            row(&["Blog", "(entrance)"], &["Doc", "Booking", "(exit)"], 1),
        ];
        let v = json(&rows, "Doctor", 5);
        let nodes = v.json["nodes"].as_array().cloned().unwrap_or_default();
        let find = |id: &str| {
            nodes
                .iter()
                .find(|n| n["id"] == id)
                .map(|n| n["visitors"].clone())
        };
        // Blog (1) is withheld before the anchor, so its visitor is left out after it
        // too: Booking is 6, not 7, and the anchor 11 on both sides.
        assert_eq!(find("0:Doctor"), Some(json!(11)));
        assert_eq!(find("1:Booking"), Some(json!(6)));
        assert_eq!(find("2:(exit)"), Some(json!(6)));
        assert_eq!(find("1:(exit)"), Some(json!(5)));
        assert_eq!(find("-1:Home"), Some(json!(6)));
        assert_eq!(find("-1:(entrance)"), Some(json!(5)));
        assert_eq!(find("-2:(entrance)"), Some(json!(6)));
        assert_eq!(find("-1:(other)"), None);
        assert_eq!((v.visitors, v.not_shown), (Some(11), None));
        for n in &nodes {
            assert!(n["visitors"].as_u64().unwrap_or(0) >= 5);
        }
        // Links into and out of the anchor add up to it.
        let links = v.json["links"].as_array().cloned().unwrap_or_default();
        let sum = |key: &str| -> u64 {
            links
                .iter()
                .filter(|l| l[key] == "0:Doctor")
                .filter_map(|l| l["visitors"].as_u64())
                .sum()
        };
        assert_eq!((sum("source"), sum("target")), (11, 11));
    }

    #[test]
    fn small_branches_summing_to_k_draw_a_counted_other() {
        let rows = vec![
            row(&["(entrance)"], &["Doc", "A", "(exit)"], 2),
            row(&["(entrance)"], &["Doc", "B", "(exit)"], 3),
            row(&["(entrance)"], &["Doc", "(exit)"], 9),
        ];
        let v = json(&rows, "Doctor", 5);
        let nodes = &v.json["nodes"];
        assert!(nodes.as_array().is_some_and(|n| n
            .iter()
            .any(|n| n["id"] == "1:(other)" && n["visitors"] == 5)));
        assert_eq!(v.visitors, Some(14));
    }
}
