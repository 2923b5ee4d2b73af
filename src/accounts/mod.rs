//! Accounts and access: people, their roles on sites, sessions, invitations, shared
//! links and the audit log, each kept in ClickHouse beside the other metadata so that
//! any node answers any request (nodes stay stateless: no sticky sessions).
//!
//! Requirements this module is built to:
//!
//! 1. No secret is stored as itself: passwords are argon2id hashes, session, invitation
//!    and shared-link tokens SHA-256 hashes, so a copy of the database opens nothing.
//! 2. Every check a request needs is one cached lookup: a node keeps what it checked
//!    for `accounts.cache_seconds`, which bounds how long a logout or a revocation takes
//!    to reach every node.
//! 3. Rows are never updated in place: a change is a newer row of a
//!    `ReplacingMergeTree`, read with `FINAL` (the tables are small).

pub mod audit;
pub mod invitations;
pub mod members;
pub mod password;
pub mod sessions;
pub mod shares;
pub mod users;

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::store::StoreError;

/// What a person may do on a site, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads reports.
    Viewer,
    /// Also edits goals, content groups and saved funnels.
    Editor,
    /// Also settings, keys, members, shared links, deletion and the audit log.
    Owner,
}

impl Role {
    /// The role named `viewer`, `editor` or `owner`.
    pub fn parse(s: &str) -> Result<Self, AccountError> {
        match s {
            "viewer" => Ok(Self::Viewer),
            "editor" => Ok(Self::Editor),
            "owner" => Ok(Self::Owner),
            _ => Err(AccountError::Invalid(format!(
                "role must be viewer, editor or owner, not {s:?}"
            ))),
        }
    }

    /// Its name, as stored and as the API shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Owner => "owner",
        }
    }
}

/// Errors of account administration.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The input is unusable; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// The account, link or invitation does not exist (or no longer works).
    #[error("{0}")]
    NotFound(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// ClickHouse failed (raw client error).
    #[error("ClickHouse: {0}")]
    ClickHouse(#[from] clickhouse::error::Error),
    /// Hashing failed (a bug or an exhausted machine).
    #[error("password hashing: {0}")]
    Hash(String),
}

/// A new random token with a recognisable prefix (`ps_`, `iv_`, `sh_`, `sg_`): 32 random
/// bytes, so it cannot be guessed, and a prefix, so secret scanners can find leaked ones.
pub fn new_token(prefix: &str) -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    format!("{prefix}{}", hex::encode(raw))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The public id of a hashed token (invitations, links, keys): short enough to read,
/// and revealing nothing of the token.
pub fn public_id(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// Now in seconds since 1970 (UTC).
pub fn now_secs() -> u32 {
    u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX)
}

/// A version for a new row: milliseconds, so two changes within a second still order.
pub fn version() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

/// Lowercased and trimmed; a plausible address (one `@`, a dot after it) or an error.
pub fn normalize_email(email: &str) -> Result<String, AccountError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if ok {
        Ok(e)
    } else {
        Err(AccountError::Invalid(format!(
            "{:?} is not an e-mail address",
            email.trim()
        )))
    }
}

/// ISO 8601 for a stored time in seconds.
pub fn iso(secs: u32) -> String {
    chrono::DateTime::from_timestamp(i64::from(secs), 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_and_parse() {
        assert!(Role::Viewer < Role::Editor && Role::Editor < Role::Owner);
        assert_eq!(Role::parse("editor").unwrap(), Role::Editor);
        assert!(Role::parse("admin").is_err());
    }

    #[test]
    fn emails_are_normalized_or_refused() {
        assert_eq!(
            normalize_email(" Marie.Dupont@Clinique.FR ").unwrap(),
            "marie.dupont@clinique.fr"
        );
        for bad in ["", "marie", "marie@", "@clinique.fr", "a b@c.fr", "a@b"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token("sh_");
        assert!(a.starts_with("sh_") && a.len() == 67);
        assert_ne!(a, new_token("sh_"));
        assert_eq!(token_hash(&a).len(), 64);
        assert_eq!(public_id(&token_hash(&a)).len(), 12);
    }
}
