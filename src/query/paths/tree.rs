//! The prefix tree of journeys, and the rule that decides what of it an answer shows
//! (k is the site's `min_group_size`; docs/PRIVACY.md, "Small groups").
//!
//! Every visitor follows one branch from the anchor (the goal, backwards, for paths to
//! it; the start for paths from it and for each side of a flow), so the children of a
//! node (its next steps, or "the path ends here") split its visitors exactly.
//!
//! Requirements:
//! 1. A child with at least k visitors is shown with its label and exact count, and the
//!    tree goes on below it, however small its siblings are: no secondary folding of
//!    large branches (the demo's 1,773 converters through "Booking started" stay
//!    visible beside the one who began at "Booking").
//! 2. Children under k are pooled into one `(other)` leaf, never expanded, that names
//!    neither what it pools nor how many steps.
//! 3. `(other)` with at least k visitors is shown with its count; under k it is
//!    withheld: shown without a count and left out of every count above it. A node's
//!    published count is the sum of its shown children's, so no published figure
//!    equals another, or differs from it, by a withheld remainder.
//! 4. Every shown node has at least k visitors: a node of n ≥ k visitors either has a
//!    child of at least k (which, by induction, publishes at least k) or pools all its
//!    children into an `(other)` of n.
//! 5. Medians are over shown visitors only.
//! 6. Flows: a visitor counts only when both its sides are shown, so the anchor's count
//!    is what both sides add up to; the two folds repeat over the visitors left until
//!    neither withholds anyone ([`fold_flows`]).
//!
//! Deliberately not here: how many withheld visitors an answer may state (the caller,
//! with [`Tree::not_shown`]), and JSON.

use std::collections::BTreeMap;

use super::{Walked, OTHER};

/// What a node of the tree stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// The anchor.
    Root,
    /// A next step.
    Step(String),
    /// The path ends here.
    End,
    /// Children under k, pooled.
    Other,
}

/// A node of the folded tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it stands for.
    pub label: Label,
    /// Published visitors: those of its shown children; `None` for a withheld `(other)`.
    pub visitors: Option<u64>,
    /// Durations of its shown visitors as (seconds, visitors), in no order.
    pub durations: Vec<(u32, u64)>,
    /// Shown children, most visitors first, `(other)` last.
    pub children: Vec<Node>,
}

/// A shown leaf: a path that ends, or an `(other)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Nodes from the anchor (excluded), `(other)` last for a pool.
    pub nodes: Vec<String>,
    /// Visitors; `None` when withheld.
    pub visitors: Option<u64>,
    /// Durations of its visitors (none when withheld).
    pub durations: Vec<(u32, u64)>,
}

/// The folded tree of some paths, with what it withholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// The anchor; `visitors` is `None` (and nothing is shown) under k.
    pub root: Node,
    /// Visitors in withheld `(other)` nodes, or all of them under a root under k.
    pub withheld: u64,
    /// Withheld `(other)` nodes.
    pub withheld_nodes: u64,
    /// Indices of the input paths withheld.
    hidden: Vec<usize>,
}

impl Tree {
    /// The shown leaves, in tree order.
    pub fn leaves(&self) -> Vec<Leaf> {
        let mut out = Vec::new();
        leaves_of(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// How many visitors are in paths not shown, when the answer may say so: 0 when
    /// nothing is withheld; otherwise only when the sum is at least k *and* tells
    /// nothing about any one withheld `(other)` beyond "fewer than k" (every one of
    /// them could still hold anywhere from 1 to k − 1 visitors). With two withheld
    /// `(other)`s and k = 5, a stated 8 would pin both at 4; the bound rules it out.
    pub fn not_shown(&self, k: u64) -> Option<u64> {
        let (s, m) = (self.withheld, self.withheld_nodes);
        if s == 0 {
            return Some(0);
        }
        let unpinned =
            m >= 2 && s + 2 >= m + k && s <= (m - 1).saturating_mul(k.saturating_sub(1)) + 1;
        (s >= k && unpinned).then_some(s)
    }
}

fn leaves_of(node: &Node, prefix: &mut Vec<String>, out: &mut Vec<Leaf>) {
    match &node.label {
        Label::End => out.push(Leaf {
            nodes: prefix.clone(),
            visitors: node.visitors,
            durations: node.durations.clone(),
        }),
        Label::Other => {
            let mut nodes = prefix.clone();
            nodes.push(OTHER.into());
            out.push(Leaf {
                nodes,
                visitors: node.visitors,
                durations: node.durations.clone(),
            });
        }
        Label::Root | Label::Step(_) => {
            if let Label::Step(name) = &node.label {
                prefix.push(name.clone());
            }
            for c in &node.children {
                leaves_of(c, prefix, out);
            }
            if let Label::Step(_) = &node.label {
                prefix.pop();
            }
        }
    }
}

/// The tree of `paths` (each the nodes after the anchor, with its visitors and their
/// durations) under minimum group size `k`.
pub fn fold(paths: &[Walked<'_>], k: u64) -> Tree {
    let k = k.max(1);
    let all: Vec<usize> = (0..paths.len()).filter(|&i| paths[i].1 > 0).collect();
    let total: u64 = all.iter().map(|&i| paths[i].1).sum();
    let mut acc = Withheld::default();
    let root = if total >= k {
        let (children, visitors, durations) = grow(paths, &all, 0, k, &mut acc);
        Node {
            label: Label::Root,
            visitors: Some(visitors),
            durations,
            children,
        }
    } else {
        acc.visitors = total;
        acc.hidden = all;
        Node {
            label: Label::Root,
            visitors: None,
            durations: Vec::new(),
            children: Vec::new(),
        }
    };
    Tree {
        root,
        withheld: acc.visitors,
        withheld_nodes: acc.nodes,
        hidden: acc.hidden,
    }
}

#[derive(Default)]
struct Withheld {
    visitors: u64,
    nodes: u64,
    hidden: Vec<usize>,
}

/// The shown children of the prefix shared by `members` at `depth`, their published
/// sum and their durations.
fn grow(
    paths: &[Walked<'_>],
    members: &[usize],
    depth: usize,
    k: u64,
    acc: &mut Withheld,
) -> (Vec<Node>, u64, Vec<(u32, u64)>) {
    // Children by next node; `None` is "the path ends here".
    let mut by_next: BTreeMap<Option<&String>, Vec<usize>> = BTreeMap::new();
    for &i in members {
        by_next.entry(paths[i].0.get(depth)).or_default().push(i);
    }
    let size = |m: &[usize]| m.iter().map(|&i| paths[i].1).sum::<u64>();
    let durations = |m: &[usize]| -> Vec<(u32, u64)> {
        m.iter().flat_map(|&i| paths[i].2.iter().copied()).collect()
    };
    let mut shown: Vec<Node> = Vec::new();
    let mut pooled: Vec<usize> = Vec::new();
    for (next, m) in by_next {
        let n = size(&m);
        if n < k {
            pooled.extend(m);
            continue;
        }
        shown.push(match next {
            None => Node {
                label: Label::End,
                visitors: Some(n),
                durations: durations(&m),
                children: Vec::new(),
            },
            Some(name) => {
                let (children, visitors, d) = grow(paths, &m, depth + 1, k, acc);
                Node {
                    label: Label::Step(name.clone()),
                    visitors: Some(visitors),
                    durations: d,
                    children,
                }
            }
        });
    }
    shown.sort_by(|a, b| {
        b.visitors
            .cmp(&a.visitors)
            .then_with(|| order_key(&a.label).cmp(&order_key(&b.label)))
    });
    let pool = size(&pooled);
    if pool >= k {
        shown.push(Node {
            label: Label::Other,
            visitors: Some(pool),
            durations: durations(&pooled),
            children: Vec::new(),
        });
    } else if pool > 0 {
        acc.visitors += pool;
        acc.nodes += 1;
        acc.hidden.extend(pooled);
        shown.push(Node {
            label: Label::Other,
            visitors: None,
            durations: Vec::new(),
            children: Vec::new(),
        });
    }
    let visitors = shown.iter().filter_map(|c| c.visitors).sum();
    let all_durations = shown
        .iter()
        .flat_map(|c| c.durations.iter().copied())
        .collect();
    (shown, visitors, all_durations)
}

/// Ties in visitors: steps by name, then the end.
fn order_key(label: &Label) -> (u8, &str) {
    match label {
        Label::Step(s) => (0, s.as_str()),
        _ => (1, ""),
    }
}

/// Both sides of a flow, folded over the same visitors.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// After the anchor.
    pub after: Tree,
    /// Before it, nearest first.
    pub before: Tree,
    /// Visitors shown (both sides add up to it); `None` under k.
    pub visitors: Option<u64>,
    /// Visitors left out: withheld on a side, or left out to keep the sides equal.
    pub withheld: u64,
}

/// The flow of paths given by their nodes after (`after`) and before (`before`) the
/// anchor, aligned, both with their visitors. A visitor withheld on one side would
/// make the anchor's count differ from the other side's sum by that remainder, so it
/// is left out of both, and the folds repeat over the rest until neither withholds
/// anyone (each round leaves out at least one path, so it ends).
pub fn fold_flows(after: &[Walked<'_>], before: &[Walked<'_>], k: u64) -> Flow {
    let raw: u64 = after.iter().map(|p| p.1).sum();
    let mut active: Vec<usize> = (0..after.len().min(before.len())).collect();
    loop {
        let a: Vec<Walked<'_>> = active.iter().map(|&i| after[i]).collect();
        let b: Vec<Walked<'_>> = active.iter().map(|&i| before[i]).collect();
        let (ta, tb) = (fold(&a, k), fold(&b, k));
        let mut out: Vec<usize> = ta.hidden.iter().chain(&tb.hidden).copied().collect();
        if out.is_empty() {
            let visitors = ta.root.visitors;
            return Flow {
                after: ta,
                before: tb,
                visitors,
                withheld: raw - visitors.unwrap_or(0),
            };
        }
        out.sort_unstable();
        out.dedup();
        // `hidden` indexes `active`.
        let mut keep = vec![true; active.len()];
        for i in out {
            keep[i] = false;
        }
        let mut it = keep.into_iter();
        active.retain(|_| it.next().unwrap_or(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(nodes: &[&str]) -> Vec<String> {
        nodes.iter().map(|s| (*s).to_owned()).collect()
    }

    fn walked(owned: &[(Vec<String>, u64)]) -> Vec<Walked<'_>> {
        owned
            .iter()
            .map(|(n, v)| (n.as_slice(), *v, &[][..]))
            .collect()
    }

    /// Every shown node is at least k, and every node's count is its shown children's.
    fn check(node: &Node, k: u64) {
        if let Some(v) = node.visitors {
            assert!(v >= k, "{node:?}");
            if !node.children.is_empty() {
                let sum: u64 = node.children.iter().filter_map(|c| c.visitors).sum();
                assert_eq!(v, sum, "{node:?}");
            }
        } else {
            assert!(node.children.is_empty());
        }
        for c in &node.children {
            check(c, k);
        }
    }

    fn child<'a>(node: &'a Node, label: &Label) -> &'a Node {
        node.children
            .iter()
            .find(|c| &c.label == label)
            .unwrap_or_else(|| panic!("no {label:?} in {node:?}"))
    }

    fn step(s: &str) -> Label {
        Label::Step(s.into())
    }

    #[test]
    fn the_demo_goes_on_past_a_lone_small_branch() {
        // Paths to Booked, backwards after the goal: 1,773 came through "Booking
        // started" from varied earlier steps; one began at "Booking".
        let owned = vec![
            (
                p(&[
                    "Booking",
                    "Booking started",
                    "Doctor profile",
                    "Symptom research",
                ]),
                900,
            ),
            (
                p(&["Booking", "Booking started", "Doctor profile", "Conditions"]),
                600,
            ),
            (p(&["Booking", "Booking started", "Doctor profile"]), 270),
            (
                p(&["Booking", "Booking started", "Doctor profile", "News"]),
                3,
            ),
            (p(&["Booking"]), 1),
        ];
        let t = fold(&walked(&owned), 5);
        check(&t.root, 5);
        let booking = child(&t.root, &step("Booking"));
        let started = child(booking, &step("Booking started"));
        let doctor = child(started, &step("Doctor profile"));
        // The tree goes on past the big branch, three levels before the goal.
        assert_eq!(child(doctor, &step("Symptom research")).visitors, Some(900));
        assert_eq!(child(doctor, &step("Conditions")).visitors, Some(600));
        assert_eq!(child(doctor, &Label::End).visitors, Some(270));
        // The small ones: (other) without a count, left out of every count above.
        assert_eq!(child(doctor, &Label::Other).visitors, None);
        assert_eq!(child(booking, &Label::Other).visitors, None);
        assert_eq!(doctor.visitors, Some(1770));
        assert_eq!(started.visitors, Some(1770));
        assert_eq!(booking.visitors, Some(1770));
        assert_eq!(t.root.visitors, Some(1770));
        assert_eq!((t.withheld, t.withheld_nodes), (4, 2));
        // 4 in two withheld (other)s: under k, not stated.
        assert_eq!(t.not_shown(5), None);
        let leaves = t.leaves();
        assert_eq!(leaves.len(), 5);
        assert_eq!(
            leaves.last().map(|l| (l.nodes.clone(), l.visitors)),
            Some((p(&["Booking", OTHER]), None))
        );
        // No leaf names a withheld step.
        assert!(leaves.iter().all(|l| !l.nodes.iter().any(|n| n == "News")));
    }

    #[test]
    fn small_children_summing_to_k_show_a_counted_other() {
        let a = p(&["A", "B"]);
        let b = p(&["A", "C"]);
        let c = p(&["A", "D"]);
        let d = p(&["A"]);
        let paths: Vec<Walked<'_>> = vec![
            (&a, 10, &[(1, 10)]),
            (&b, 3, &[(2, 3)]),
            (&c, 2, &[(3, 2)]),
            (&d, 7, &[(4, 7)]),
        ];
        let t = fold(&paths, 5);
        check(&t.root, 5);
        let leaves: Vec<(Vec<String>, Option<u64>)> = t
            .leaves()
            .into_iter()
            .map(|l| (l.nodes, l.visitors))
            .collect();
        // C (3) and D (2) pool into an (other) of 5, shown and counted; B and the end
        // are shown as they are (no shown branch is folded).
        assert_eq!(
            leaves,
            vec![
                (p(&["A", "B"]), Some(10)),
                (p(&["A"]), Some(7)),
                (p(&["A", OTHER]), Some(5)),
            ]
        );
        assert_eq!(t.root.visitors, Some(22));
        let other = child(child(&t.root, &step("A")), &Label::Other);
        assert_eq!(other.durations.len(), 2);
        assert_eq!(t.not_shown(5), Some(0));
        // A root under k shows nothing and withholds all.
        let small = fold(&paths[2..3], 5);
        assert_eq!(small.root.visitors, None);
        assert!(small.leaves().is_empty());
        assert_eq!(small.withheld, 2);
    }

    #[test]
    fn not_shown_is_stated_only_when_it_pins_no_withheld_other() {
        let tree = |withheld, withheld_nodes| Tree {
            root: fold(&[], 5).root,
            withheld,
            withheld_nodes,
            hidden: Vec::new(),
        };
        assert_eq!(tree(0, 0).not_shown(5), Some(0));
        assert_eq!(tree(4, 1).not_shown(5), None);
        // Two withheld of 4 each: 8 would say so.
        assert_eq!(tree(8, 2).not_shown(5), None);
        assert_eq!(tree(7, 2).not_shown(5), None);
        assert_eq!(tree(5, 2).not_shown(5), Some(5));
        // Five withheld of 1 each: 5 would say so.
        assert_eq!(tree(5, 5).not_shown(5), None);
        assert_eq!(tree(8, 5).not_shown(5), Some(8));
        assert_eq!(tree(17, 5).not_shown(5), Some(17));
        assert_eq!(tree(18, 5).not_shown(5), None);
    }

    #[test]
    fn medians_are_over_shown_visitors() {
        let a = p(&["A"]);
        let b = p(&["B"]);
        let paths: Vec<Walked<'_>> = vec![(&a, 5, &[(10, 5)]), (&b, 1, &[(99, 1)])];
        let t = fold(&paths, 5);
        assert_eq!(t.root.visitors, Some(5));
        assert_eq!(t.root.durations, vec![(10, 5)]);
    }

    #[test]
    fn every_shown_figure_is_at_least_k_and_adds_up() {
        let owned: Vec<(Vec<String>, u64)> = (0..60)
            .map(|i| {
                let mut nodes = p(&[&format!("n{}", i % 7), &format!("m{}", i % 3)]);
                if i % 5 == 0 {
                    nodes.pop();
                }
                (nodes, 1 + i % 4)
            })
            .collect();
        for k in [2, 3, 6, 10] {
            let t = fold(&walked(&owned), k);
            check(&t.root, k);
            let raw: u64 = owned.iter().map(|o| o.1).sum();
            assert_eq!(t.root.visitors.unwrap_or(0) + t.withheld, raw);
        }
    }

    #[test]
    fn flows_leave_out_visitors_withheld_on_either_side() {
        // After the anchor / before it (nearest first).
        let after = vec![
            (p(&["Booking", "(exit)"]), 6),
            (p(&["(exit)"]), 5),
            (p(&["Booking", "(exit)"]), 1),
        ];
        let before = vec![
            (p(&["Home", "(entrance)"]), 6),
            (p(&["(entrance)"]), 5),
            (p(&["Blog", "(entrance)"]), 1),
        ];
        let f = fold_flows(&walked(&after), &walked(&before), 5);
        // The Blog visitor is withheld before the anchor, so left out after it too:
        // the anchor is 11 on both sides.
        assert_eq!(f.visitors, Some(11));
        assert_eq!(f.withheld, 1);
        assert_eq!(f.after.root.visitors, Some(11));
        assert_eq!(f.before.root.visitors, Some(11));
        assert_eq!(child(&f.after.root, &step("Booking")).visitors, Some(6));
        assert_eq!(child(&f.before.root, &step("Home")).visitors, Some(6));
        for t in [&f.after, &f.before] {
            check(&t.root, 5);
            assert_eq!(t.withheld, 0);
        }
    }

    #[test]
    fn flows_repeat_until_both_sides_hold() {
        // Leaving out the 2 withheld before the anchor takes C after it under k.
        let after = vec![(p(&["C"]), 3), (p(&["C"]), 2), (p(&["D"]), 10)];
        let before = vec![(p(&["X"]), 3), (p(&["Y"]), 2), (p(&["X"]), 10)];
        let f = fold_flows(&walked(&after), &walked(&before), 5);
        assert_eq!(f.visitors, Some(10));
        assert_eq!(f.withheld, 5);
        assert_eq!(child(&f.after.root, &step("D")).visitors, Some(10));
        assert_eq!(f.after.root.children.len(), 1);
    }
}
