//! People who sign in: an e-mail, an argon2id hash, and whether they own the server
//! (every site, present and future). Anybody else reaches sites through `members`.

use serde::{Deserialize, Serialize};

use super::{normalize_email, now_secs, password, version, AccountError};
use crate::store::Store;

/// An account.
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct User {
    /// Random id, stable across e-mail changes.
    pub user_id: String,
    /// Lowercased e-mail address.
    pub email: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// Owner of every site, and of the server's sites list.
    pub server_owner: u8,
    /// Tombstone.
    pub deleted: u8,
    /// Creation, seconds.
    pub created_at: u32,
    /// Version of this row (milliseconds; latest wins).
    pub updated_at: u64,
}

/// No binds: the live accounts.
pub const LIST: &str = "SELECT ?fields FROM users FINAL WHERE deleted = 0 ORDER BY email";
/// Binds: e-mail.
pub const BY_EMAIL: &str = "SELECT ?fields FROM users FINAL WHERE email = ? AND deleted = 0";
/// Binds: user id.
pub const BY_ID: &str = "SELECT ?fields FROM users FINAL WHERE user_id = ? AND deleted = 0";
/// No binds: whether any account exists (the first-run page's question).
pub const ANY: &str = "SELECT count() FROM users FINAL WHERE deleted = 0";

/// Every live account, by e-mail.
pub async fn list(store: &Store) -> Result<Vec<User>, AccountError> {
    Ok(store.client().query(LIST).fetch_all::<User>().await?)
}

/// The live account with this e-mail (normalized), if any.
pub async fn by_email(store: &Store, email: &str) -> Result<Option<User>, AccountError> {
    let Ok(email) = normalize_email(email) else {
        return Ok(None);
    };
    Ok(store
        .client()
        .query(BY_EMAIL)
        .bind(email)
        .fetch_optional::<User>()
        .await?)
}

/// The live account with this id, if any.
pub async fn by_id(store: &Store, user_id: &str) -> Result<Option<User>, AccountError> {
    Ok(store
        .client()
        .query(BY_ID)
        .bind(user_id)
        .fetch_optional::<User>()
        .await?)
}

/// Whether any account exists.
pub async fn any(store: &Store) -> Result<bool, AccountError> {
    let n: u64 = store.client().query(ANY).fetch_one().await?;
    Ok(n > 0)
}

/// Creates an account; fails if the address is taken or the password too weak.
pub async fn add(
    store: &Store,
    email: &str,
    password: &str,
    server_owner: bool,
) -> Result<User, AccountError> {
    let email = normalize_email(email)?;
    password::check_strength(password)?;
    if by_email(store, &email).await?.is_some() {
        return Err(AccountError::Invalid(format!(
            "an account for {email} already exists"
        )));
    }
    let user = User {
        user_id: super::new_token("u_").chars().take(26).collect(),
        email,
        password_hash: password::hash(password).await?,
        server_owner: u8::from(server_owner),
        deleted: 0,
        created_at: now_secs(),
        updated_at: version(),
    };
    save(store, &user).await?;
    Ok(user)
}

/// Sets a new password (the caller ends the account's sessions as it sees fit).
pub async fn set_password(
    store: &Store,
    user: &User,
    password: &str,
) -> Result<User, AccountError> {
    password::check_strength(password)?;
    let mut u = user.clone();
    u.password_hash = password::hash(password).await?;
    u.updated_at = version().max(user.updated_at + 1);
    save(store, &u).await?;
    Ok(u)
}

/// Makes an account a server owner, or not.
pub async fn set_server_owner(store: &Store, user: &User, on: bool) -> Result<(), AccountError> {
    let mut u = user.clone();
    u.server_owner = u8::from(on);
    u.updated_at = version().max(user.updated_at + 1);
    save(store, &u).await
}

/// Removes an account (its sessions are ended by the caller).
pub async fn remove(store: &Store, user: &User) -> Result<(), AccountError> {
    let mut u = user.clone();
    u.deleted = 1;
    u.updated_at = version().max(user.updated_at + 1);
    save(store, &u).await
}

async fn save(store: &Store, user: &User) -> Result<(), AccountError> {
    let mut insert = store.client().insert::<User>("users").await?;
    insert.write(user).await?;
    insert.end().await?;
    Ok(())
}
