//! Pages of list answers: `limit` (a default and a maximum per list) and `offset`, and
//! what the answer says about the rest (`pagination`: `limit`, `offset`, `total`,
//! `has_more`, `next_offset`).
//!
//! Lists are cut on the node after suppression (groups under the site's minimum size
//! are folded before any page is taken, so paging never changes what is hidden); the
//! statements' own `max_result_rows` (`query::bounds`) bounds what reaches the node.

use serde::Deserialize;
use serde_json::{json, Value};

/// The page asked for.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Items per page (the list's default when absent, at most its maximum).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Items skipped.
    #[serde(default)]
    pub offset: Option<usize>,
}

/// A list's page sizes.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Items per page when the request says nothing.
    pub default: usize,
    /// Most items per page.
    pub max: usize,
}

/// Breakdowns and rows of grouped answers (attribution, funnel breakdowns, properties).
pub const ROWS: Sizes = Sizes {
    default: 1_000,
    max: 10_000,
};

/// Saved definitions (goals, content groups, funnels).
pub const SAVED: Sizes = Sizes {
    default: 100,
    max: 1_000,
};

impl Page {
    /// The page of `items`, and its `pagination` description.
    pub fn take<T>(&self, items: Vec<T>, sizes: Sizes) -> (Vec<T>, Value) {
        let limit = self.limit.unwrap_or(sizes.default).clamp(1, sizes.max);
        let offset = self.offset.unwrap_or(0);
        let total = items.len();
        let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
        let end = offset.saturating_add(page.len());
        (page, describe(limit, offset, total, end))
    }
}

/// `pagination` of a page ending at `end` of `total` items.
pub fn describe(limit: usize, offset: usize, total: usize, end: usize) -> Value {
    let more = end < total;
    json!({
        "limit": limit,
        "offset": offset,
        "total": total,
        "has_more": more,
        "next_offset": more.then_some(end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_say_what_is_left() {
        let items: Vec<u32> = (0..25).collect();
        let sizes = Sizes {
            default: 10,
            max: 20,
        };
        let (p, d) = Page::default().take(items.clone(), sizes);
        assert_eq!(p, (0..10).collect::<Vec<_>>());
        assert_eq!(d["has_more"], true);
        assert_eq!(d["next_offset"], 10);
        let (p, d) = Page {
            limit: Some(500),
            offset: Some(20),
        }
        .take(items.clone(), sizes);
        assert_eq!(p, (20..25).collect::<Vec<_>>());
        assert_eq!(d["limit"], 20);
        assert_eq!(d["has_more"], false);
        assert_eq!(d["next_offset"], Value::Null);
        let (p, d) = Page {
            limit: Some(0),
            offset: Some(99),
        }
        .take(items, sizes);
        assert!(p.is_empty());
        assert_eq!(
            (d["limit"].as_u64(), d["total"].as_u64()),
            (Some(1), Some(25))
        );
    }
}
