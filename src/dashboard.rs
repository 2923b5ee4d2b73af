//! The dashboard served at `/`: a single page that reads the stats API with an API key
//! the user pastes (kept in page memory only, never stored in the browser).
//!
//! Deliberately small: the full dashboards are their own issue.

/// The page.
pub const PAGE: &str = include_str!("../dashboards/index.html");
