//! Integration tests: one binary, one real ClickHouse server for the whole run, one
//! database per test named after it.

mod support;

mod accounts;
mod bot_lists;
mod bounds;
mod cli;
mod cluster;
mod dashboard_api;
mod demo;
mod faults;
mod hostile;
mod ingest;
mod journeys;
mod lifecycle;
mod ops;
mod ops_backup;
mod privacy;
mod query;
mod realtime;
mod simulate;
mod storage;
mod trees;
