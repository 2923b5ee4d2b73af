//! Subcommands that answer through the API's own code, in this process, against
//! ClickHouse: `parcours query` (stats, realtime), `parcours goals`, `parcours groups`.
//! Each prints a readable table, or the API's JSON with `--format json`. Also
//! `parcours users` (accounts) and `parcours keys`.
//!
//! Deliberately not here: HTTP (no running node is needed, and none is asked), API
//! keys (whoever can reach the database can already read every site), and the older
//! subcommands (`serve`, `sites`, `keys`, ... stay in `main.rs`).

pub mod definitions;
pub mod keys;
pub mod query;
pub mod table;
pub mod users;

use std::sync::Arc;

use crate::server::error::ApiError;
use crate::server::ServerError;
use crate::store::sites::{SiteDirectory, SiteEntry};
use crate::store::{Store, StoreError};

/// How answers are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text columns, for people.
    #[default]
    Table,
    /// The API's JSON answer, for scripts.
    Json,
}

/// Errors of these subcommands.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The arguments or the request body are unusable; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// The API refused or failed (details of internal failures are in the log).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// No site by that domain or id.
    #[error("no site {0}; add it with `parcours sites add`")]
    UnknownSite(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The query state could not be prepared.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// A request body file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file (or standard input).
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// Prints an answer as asked, tables in the environment's language.
pub fn print(answer: &serde_json::Value, format: Format) -> String {
    print_in(answer, format, &crate::i18n::Words::from_env())
}

/// Prints an answer as asked, tables in the given words.
pub fn print_in(answer: &serde_json::Value, format: Format, words: &crate::i18n::Words) -> String {
    match format {
        Format::Table => table::render(answer, words),
        Format::Json => serde_json::to_string_pretty(answer).unwrap_or_default() + "\n",
    }
}

/// The site registered under a domain or numeric id, as the API resolves `site_id`.
pub async fn find_site(store: &Store, id_or_domain: &str) -> Result<Arc<SiteEntry>, CliError> {
    let sites = SiteDirectory::default();
    sites.refresh(store).await?;
    sites
        .find(id_or_domain)
        .ok_or_else(|| CliError::UnknownSite(id_or_domain.to_owned()))
}
