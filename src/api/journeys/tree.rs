//! The JSON of the folded prefix tree (`"tree": true`), for a column explorer: the
//! anchor, then each shown next step with its children, as `query::paths::tree`
//! folded them.
//!
//! `{"node": "<anchor>", "visitors", "share": 100.0, "median_seconds", "children":
//! [{"node": "<step>" | "(other)" | null, "end"?: "began" | "exit" | "cut", "visitors",
//! "share", "share_of_parent", "median_seconds", "children": [..]}]}`.
//!
//! A `null` node is "no further step": the path ends at its parent. `end` says why:
//! for paths to a goal the journey `began` there, or earlier steps were `cut` by
//! `max_steps` (the paths' `…`); for paths from a start the visit ended (`exit`, the
//! paths' `(exit)`), or `max_steps` `cut` it. Ends and `(other)` have no children.

use serde_json::{json, Value};

use super::paths::share;
use crate::query::paths::tree::{Label, Node};
use crate::query::paths::{median, EARLIER, EXIT};

/// Which way the tree grows from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Back from a goal (paths_to).
    Back,
    /// Forward from a start (paths_from).
    Forward,
}

/// The tree under `root` (the fold's root), labelled `anchor`.
pub fn json(root: &Node, anchor: &str, direction: Direction) -> Value {
    let total = root.visitors.unwrap_or(0);
    json!({
        "node": anchor,
        "visitors": root.visitors,
        "share": root.visitors.map(|_| 100.0),
        "median_seconds": median(&mut root.durations.clone()).map(f64::from),
        "children": children(root, total, direction),
    })
}

fn children(node: &Node, total: u64, direction: Direction) -> Vec<Value> {
    node.children
        .iter()
        .map(|c| child(c, node.visitors.unwrap_or(0), total, direction))
        .collect()
}

fn child(c: &Node, parent: u64, total: u64, direction: Direction) -> Value {
    // The step's name, or why the path ends here (its marker's only child is the end).
    let (name, end): (Option<&str>, Option<&str>) = match (&c.label, direction) {
        (Label::Step(s), Direction::Back) if s == EARLIER => (None, Some("cut")),
        (Label::Step(s), Direction::Forward) if s == EXIT => (None, Some("exit")),
        (Label::Step(s), _) => (Some(s.as_str()), None),
        (Label::Other, _) => (Some(crate::query::paths::OTHER), None),
        (Label::End, Direction::Back) => (None, Some("began")),
        (Label::End | Label::Root, _) => (None, Some("cut")),
    };
    let grows = name.is_some() && matches!(c.label, Label::Step(_));
    let mut v = json!({
        "node": name,
        "visitors": c.visitors,
        "share": c.visitors.map(|n| share(n, total)),
        "share_of_parent": c.visitors.map(|n| share(n, parent)),
        "median_seconds": median(&mut c.durations.clone()).map(f64::from),
        "children": if grows { children(c, total, direction) } else { Vec::new() },
    });
    if let Some(end) = end {
        v["end"] = json!(end);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::paths::tree::fold;
    use crate::query::paths::Walked;

    fn p(nodes: &[&str]) -> Vec<String> {
        nodes.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn paths_to_read_back_with_their_ends() {
        let owned = [
            (p(&["Booking", "Booking started", "Doctor profile"]), 6),
            (p(&["Booking", "Booking started", EARLIER]), 5),
            (p(&["Booking"]), 1),
            (p(&[]), 8),
        ];
        let hist: Vec<[(u32, u64); 1]> = owned.iter().map(|(_, v)| [(30, *v)]).collect();
        let input: Vec<Walked<'_>> = owned
            .iter()
            .zip(&hist)
            .map(|((n, v), h)| (n.as_slice(), *v, &h[..]))
            .collect();
        let t = fold(&input, 5);
        let v = json(&t.root, "Booked", Direction::Back);
        assert_eq!(v["visitors"], 19);
        assert_eq!(v["share"], 100.0);
        assert_eq!(v["median_seconds"], 30.0);
        let booking = &v["children"][0];
        assert_eq!(booking["node"], "Booking");
        assert_eq!(booking["visitors"], 11);
        assert_eq!(booking["share"], 57.89);
        // The journey began at the goal for 8.
        assert_eq!(v["children"][1]["node"], Value::Null);
        assert_eq!(v["children"][1]["end"], "began");
        assert_eq!(v["children"][1]["visitors"], 8);
        let started = &booking["children"][0];
        assert_eq!(started["share_of_parent"], 100.0);
        assert_eq!(
            booking["children"][1],
            json!({"node": "(other)", "visitors": null, "share": null,
                "share_of_parent": null, "median_seconds": null, "children": []})
        );
        assert_eq!(started["children"][0]["node"], "Doctor profile");
        assert_eq!(started["children"][0]["children"][0]["end"], "began");
        assert_eq!(started["children"][1]["node"], Value::Null);
        assert_eq!(started["children"][1]["end"], "cut");
        assert_eq!(started["children"][1]["children"], json!([]));
        assert_eq!(started["children"][1]["share_of_parent"], 45.45);
    }

    #[test]
    fn paths_from_end_at_exits_or_cuts() {
        let owned = [(p(&["A", EXIT]), 5), (p(&["A", "B"]), 6), (p(&[EXIT]), 7)];
        let input: Vec<Walked<'_>> = owned
            .iter()
            .map(|(n, v)| (n.as_slice(), *v, &[][..]))
            .collect();
        let v = json(&fold(&input, 5).root, "Doctor", Direction::Forward);
        let a = &v["children"][0];
        assert_eq!(
            (a["node"].clone(), a["visitors"].clone()),
            (json!("A"), json!(11))
        );
        assert_eq!(a["children"][0]["node"], "B");
        assert_eq!(a["children"][0]["children"][0]["end"], "cut");
        assert_eq!(a["children"][1]["end"], "exit");
        assert_eq!(v["children"][1]["end"], "exit");
        assert_eq!(v["children"][1]["median_seconds"], Value::Null);
        // Nothing under k: the anchor alone, without a count.
        let small = fold(&input[..1], 6);
        let v = json(&small.root, "Doctor", Direction::Forward);
        assert_eq!(
            v,
            json!({"node": "Doctor", "visitors": null, "share": null,
                "median_seconds": null, "children": []})
        );
    }
}
