//! Minimum group size (k-anonymity) for answers whose groups split their visitors
//! exactly (each visitor in one group): funnel breakdowns and attribution. Stats, whose
//! groups overlap, recount `(other)` instead (`stats::run`); paths fold a prefix tree
//! (`paths::tree`).

/// Splits groups into those shown (most visitors first, ties by key) and those folded
/// into `(other)`: every group under `k`, then the smallest shown ones while the folded
/// ones add up to less than `k`, so that `(other)` is never a small group recoverable
/// from the total.
pub fn fold_groups<T>(
    groups: Vec<T>,
    k: u64,
    size: impl Fn(&T) -> u64,
    key: impl Fn(&T) -> &str,
) -> (Vec<T>, Vec<T>) {
    let (mut shown, mut folded): (Vec<T>, Vec<T>) = groups.into_iter().partition(|g| size(g) >= k);
    shown.sort_by(|a, b| size(b).cmp(&size(a)).then_with(|| key(a).cmp(key(b))));
    while !folded.is_empty() && folded.iter().map(&size).sum::<u64>() < k {
        match shown.pop() {
            Some(g) => folded.push(g),
            None => break,
        }
    }
    (shown, folded)
}

/// Which cells of a table of counts to hide, given its total row: every count under
/// `k` but not 0, then, per column, the smallest shown non-zero counts until the hidden
/// ones add up to at least `k` (so that none is the total minus the shown ones).
pub fn hide_cells(total: &[u64], groups: &[&[u64]], k: u64) -> (Vec<bool>, Vec<Vec<bool>>) {
    let small = |v: u64| v > 0 && v < k;
    let total_hidden: Vec<bool> = total.iter().map(|v| small(*v)).collect();
    let mut hidden: Vec<Vec<bool>> = groups
        .iter()
        .map(|g| g.iter().map(|v| small(*v)).collect())
        .collect();
    for col in 0..total.len() {
        loop {
            let hidden_sum: u64 = groups
                .iter()
                .zip(&hidden)
                .filter(|(_, h)| h[col])
                .map(|(g, _)| g[col])
                .sum();
            if hidden_sum == 0 || hidden_sum >= k || total_hidden[col] {
                break;
            }
            let next = groups
                .iter()
                .zip(&hidden)
                .enumerate()
                .filter(|(_, (g, h))| !h[col] && g[col] > 0)
                .min_by_key(|(_, (g, _))| g[col])
                .map(|(i, _)| i);
            match next {
                Some(i) => hidden[i][col] = true,
                None => break,
            }
        }
    }
    (total_hidden, hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_cell_takes_another_with_it() {
        let (t, h) = hide_cells(&[40, 12], &[&[20, 9], &[20, 3]], 5);
        assert_eq!(t, vec![false, false]);
        // 3 alone would be 12 - 9: the 9 is hidden too.
        assert_eq!(h, vec![vec![false, true], vec![false, true]]);
    }

    #[test]
    fn zero_cells_stay_shown_and_small_totals_hide() {
        let (t, h) = hide_cells(&[7, 2], &[&[7, 2]], 5);
        assert_eq!(t, vec![false, true]);
        assert_eq!(h, vec![vec![false, true]]);
        let (t, _) = hide_cells(&[9, 0], &[], 5);
        assert_eq!(t, vec![false, false]);
    }

    #[test]
    fn small_groups_fold_with_the_smallest_shown() {
        let groups = vec![("a", 9), ("b", 5), ("c", 6), ("d", 4)];
        let (shown, folded) = fold_groups(groups, 5, |g| g.1, |g| g.0);
        assert_eq!(shown, vec![("a", 9), ("c", 6)]);
        assert_eq!(folded, vec![("d", 4), ("b", 5)]);
    }
}
