//! The audit log: who did what to access, when. Sign-ins (and failed ones), role
//! changes, invitations, keys, shared links, settings and deletions. Never a password
//! or a token; a failed sign-in for an address with no account is written without the
//! address (what was typed may be a password typed into the wrong field).

use serde::{Deserialize, Serialize};

use super::{now_secs, AccountError};
use crate::store::Store;

/// One entry.
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct Entry {
    /// When, seconds.
    pub at: u32,
    /// The site concerned (0: the account or the server, as for sign-ins).
    pub site_id: u32,
    /// Who: an e-mail, `key:<id>`, `cli`, or `(unknown account)`.
    pub actor: String,
    /// What, as a stable code (`signin`, `signin_failed`, `key_created`, …).
    pub action: String,
    /// On what: an e-mail, a key or link id, a setting; never a secret.
    pub target: String,
}

/// Binds: site id, then the site's members' e-mails (an array). The site's entries and
/// its members' account entries, newest first.
pub const OF_SITE: &str = "SELECT ?fields FROM audit_log \
    WHERE site_id = ? OR (site_id = 0 AND has(?, actor)) ORDER BY at DESC LIMIT 200";
/// No binds: every entry, newest first (server owners).
pub const ALL: &str = "SELECT ?fields FROM audit_log ORDER BY at DESC LIMIT 200";

/// Writes an entry; a failure is logged and does not undo the action it records.
pub async fn record(store: &Store, site_id: u32, actor: &str, action: &str, target: &str) {
    let entry = Entry {
        at: now_secs(),
        site_id,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
    };
    let result: Result<(), clickhouse::error::Error> = async {
        let mut insert = store.client().insert::<Entry>("audit_log").await?;
        insert.write(&entry).await?;
        insert.end().await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, action, "audit entry not written");
    }
}

/// A site's entries and its members' sign-ins.
pub async fn of_site(
    store: &Store,
    site_id: u32,
    member_emails: &[String],
) -> Result<Vec<Entry>, AccountError> {
    // Never an empty array: 18.16 cannot type `has([], actor)`.
    let mut emails = member_emails.to_vec();
    emails.push(String::new());
    Ok(store
        .client()
        .query(OF_SITE)
        .bind(site_id)
        .bind(emails)
        .fetch_all::<Entry>()
        .await?)
}
