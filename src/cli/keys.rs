//! `parcours keys`: stats API keys created, listed (never shown again) and revoked.

use clap::Subcommand;

use super::CliError;
use crate::store::{keys, sites, Store};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print a new API key for a site (one line on stdout).
    Create {
        /// The site's domain.
        #[arg(long)]
        site: String,
        /// A name to recognise it by in lists.
        #[arg(long, default_value = "")]
        name: String,
        /// The key reads only (no settings, goals or keys).
        #[arg(long)]
        read_only: bool,
    },
    /// List live keys (id, prefix, site, creation, access, name); never the keys.
    List {
        /// Only this site's.
        #[arg(long)]
        site: Option<String>,
    },
    /// Revoke a key by its id (as listed); nodes refuse it within their cache time.
    Revoke {
        /// The key's id.
        id: String,
    },
}

/// Runs a subcommand; returns what to print on standard output.
pub async fn run(store: &Store, command: KeysCommand) -> Result<String, CliError> {
    let find = |domain: String| async move {
        sites::find(store, &domain)
            .await?
            .ok_or(CliError::UnknownSite(domain))
    };
    match command {
        KeysCommand::Create {
            site,
            name,
            read_only,
        } => {
            let site = find(site).await?;
            let (key, id) = keys::create_named(store, site.site_id, &name, read_only).await?;
            crate::accounts::audit::record(store, site.site_id, "cli", "key_created", &id).await;
            Ok(format!("{key}\n"))
        }
        KeysCommand::List { site } => {
            let only = match site {
                Some(d) => Some(find(d).await?.site_id),
                None => None,
            };
            let all = sites::list(store).await?;
            let mut out = String::new();
            for k in keys::list(store, only).await? {
                let domain = all
                    .iter()
                    .find(|s| s.site_id == k.site_id)
                    .map_or("(deleted site)", |s| s.domain.as_str());
                let prefix = if k.prefix.is_empty() {
                    "pk_"
                } else {
                    &k.prefix
                };
                let access = if k.read_only { "read-only" } else { "full" };
                out.push_str(&format!(
                    "{}\t{}…\t{}\t{}\t{}\t{}\n",
                    k.id,
                    prefix,
                    domain,
                    crate::accounts::iso(k.created_at),
                    access,
                    k.name
                ));
            }
            Ok(out)
        }
        KeysCommand::Revoke { id } => {
            let Some(k) = keys::revoke(store, id.trim()).await? else {
                return Err(CliError::Invalid(format!(
                    "no live key {id}; see `parcours keys list`"
                )));
            };
            crate::accounts::audit::record(store, k.site_id, "cli", "key_revoked", &k.id).await;
            eprintln!(
                "key {} revoked; running nodes refuse it within their cache time (accounts.cache_seconds)",
                k.id
            );
            Ok(String::new())
        }
    }
}
