//! The JSON of paths to a goal and paths from a start: the shown leaves of the folded
//! prefix tree (`query::paths::tree`), most visitors first.

use serde_json::{json, Value};

use super::tree::Direction;
use super::Shown;
use crate::query::paths::tree::{self, Leaf};
use crate::query::paths::{self, PathCount, OTHER};

/// `part` as a % of `whole`, to two decimals.
pub fn share(part: u64, whole: u64) -> f64 {
    ((part as f64 / whole.max(1) as f64) * 10_000.0).round() / 100.0
}

/// Shown paths from `anchor` (every row's path starts with it; it ends them with
/// `backwards`: paths to a goal share their ends, so the tree grows from the goal),
/// and the tree itself when asked.
pub fn json(
    rows: &[PathCount],
    anchor: &str,
    k: u64,
    limit: usize,
    backwards: bool,
    with_tree: bool,
) -> Shown {
    // Each row's nodes after the anchor, in the tree's direction.
    let seqs: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut p = r.path.clone();
            if backwards {
                p.reverse();
            }
            p.into_iter().skip(1).collect()
        })
        .collect();
    let durations: Vec<Vec<(u32, u64)>> = rows.iter().map(PathCount::durations).collect();
    let input: Vec<paths::Walked<'_>> = seqs
        .iter()
        .zip(rows)
        .zip(&durations)
        .map(|((p, r), d)| (p.as_slice(), r.visitors, d.as_slice()))
        .collect();
    let folded = tree::fold(&input, k);
    let total = folded.root.visitors;
    let mut leaves: Vec<Leaf> = folded.leaves();
    let is_other = |l: &Leaf| l.nodes.last().is_some_and(|n| n == OTHER);
    leaves.sort_by(|a, b| {
        is_other(a)
            .cmp(&is_other(b))
            .then(b.visitors.cmp(&a.visitors))
            .then_with(|| a.nodes.cmp(&b.nodes))
    });
    let shown = leaves.len();
    let list: Vec<Value> = leaves
        .into_iter()
        .take(limit)
        .map(|mut l| {
            let mut path = vec![anchor.to_owned()];
            path.append(&mut l.nodes);
            if backwards {
                path.reverse();
            }
            json!({
                "path": path,
                "visitors": l.visitors,
                "share": l.visitors.map(|v| share(v, total.unwrap_or(0))),
                "median_seconds": paths::median(&mut l.durations).map(f64::from),
            })
        })
        .collect();
    let mut out = json!({"paths": list, "total_paths": shown});
    if with_tree {
        let direction = if backwards {
            Direction::Back
        } else {
            Direction::Forward
        };
        out["tree"] = super::tree::json(&folded.root, anchor, direction);
    }
    Shown {
        json: out,
        visitors: total,
        not_shown: folded.not_shown(k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn row(path: &[&str], visitors: u64) -> PathCount {
        PathCount {
            before: Vec::new(),
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            visitors,
            seconds: vec![1],
            counts: vec![visitors],
        }
    }

    #[test]
    fn paths_show_share_median_and_withheld_others() {
        let rows = vec![
            row(&["Symptoms", "Doctor", "Booked"], 6),
            row(&["Doctor", "Booked"], 5),
            row(&["Blog", "Booked"], 5),
            row(&["Ads", "Booked"], 1),
            row(&["Mail", "Booked"], 2),
        ];
        // Paths to a goal fold from the goal backwards.
        let v = json(&rows, "Booked", 5, 20, true, false);
        assert_eq!(v.visitors, Some(16));
        let p = &v.json["paths"];
        assert_eq!(p[0]["path"], json!(["Symptoms", "Doctor", "Booked"]));
        assert_eq!(p[0]["share"], 37.5);
        assert_eq!(p[0]["median_seconds"], 1.0);
        assert_eq!(p[1]["path"], json!(["Blog", "Booked"]));
        assert_eq!(p[2]["path"], json!(["Doctor", "Booked"]));
        // Ads and Mail (3): one (other), no count, no share, left out of the total.
        assert_eq!(
            p[3],
            json!({"path": [OTHER, "Booked"], "visitors": null, "share": null,
                "median_seconds": null})
        );
        assert_eq!(v.json["total_paths"], 4);
        assert_eq!(v.not_shown, None);
        // Paths from a start read forwards.
        let rows = vec![
            row(&["Doctor", "Booking", "(exit)"], 7),
            row(&["Doctor", "(exit)"], 9),
        ];
        let v = json(&rows, "Doctor", 5, 20, false, true);
        assert_eq!(v.json["paths"][0]["path"], json!(["Doctor", "(exit)"]));
        assert_eq!(v.not_shown, Some(0));
        assert_eq!(v.json["tree"]["visitors"], 16);
        assert_eq!(v.json["tree"]["children"][0]["end"], "exit");
    }
}
