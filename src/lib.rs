//! Parcours: privacy-respecting web analytics that rebuilds visitor journeys.
//!
//! # Layout
//!
//! * [`config`]: typed settings (file, `PARCOURS_*` env, flags).
//! * [`accounts`]: people, roles, sessions, invitations, shared links, audit log.
//! * [`server`]: router, shared state, background jobs, graceful shutdown.
//! * [`ingest`]: `POST /api/event`: beacon parsing, client IP, enrichment pipeline, and
//!   a short record of the beacons not stored (for the installation check).
//! * [`enrich`]: URL scrubbing, referrer → source/channel, user agent and bots, referrer
//!   spam, GeoIP.
//! * [`visitor`]: daily-salted visitor ids and the salts' life cycle.
//! * [`buffer`]: bounded write buffer, batch inserts, disk spool.
//! * [`store`]: ClickHouse client, migrations, sites, API keys, a private local server.
//! * [`query`]: stats and realtime SQL (sessions at query time, minimum group size).
//! * [`api`]: `POST /api/v2/query`, `/api/v2/realtime`, funnels, journeys, attribution,
//!   goals and content groups, sites and keys, the installation check, property keys.
//! * [`cli`]: `parcours query`, `goals`, `groups`: the API's answers as tables, in-process.
//! * [`dashboard`]: the dashboard app at `/` (built from `dashboards/`, embedded).
//! * [`i18n`]: the dashboard's words and formats, for the command line's tables.
//! * [`simulate`]: seeded clinic traffic with its ground truth, in bulk or live.
//! * [`demo`]: the demo site and its 30 days of simulated traffic.
//! * [`patterns`]: path patterns (`/conditions/**`) shared by ingest and queries.
//! * [`metrics`]: Prometheus metrics.
//! * [`tracker`]: the embedded tracker scripts at `/js/*.js`.
//! * [`sql_catalog`]: every SQL statement, for the modern-ClickHouse dialect check.

pub mod accounts;
pub mod api;
pub mod buffer;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod enrich;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod ingest;
pub mod metrics;
pub mod patterns;
pub mod query;
pub mod server;
pub mod simulate;
pub mod sql_catalog;
pub mod store;
pub mod tracker;
pub mod visitor;
