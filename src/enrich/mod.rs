//! Enrichment: what a beacon's URL, referrer, user agent and IP tell, reduced to the
//! fields Parcours stores. Each module is pure and cheap; the pipeline calls them.

pub mod bots;
pub mod geoip;
pub mod referrer;
mod referrer_sources;
pub mod referrer_spam;
#[cfg(test)]
mod scrub_properties;
pub mod url;
pub mod user_agent;
