//! Password hashing: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane),
//! stored as a PHC string so the parameters can be raised later without a migration.
//!
//! Each hash costs tens of milliseconds and 19 MiB, so hashes run on the blocking pool
//! and only a few at once: a flood of sign-ins waits here instead of exhausting memory.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::AccountError;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// Longest password accepted (hashing time grows with it).
pub const MAX_LENGTH: usize = 256;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2id parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes at once, at most: two per core of this machine's usual size.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(4))
}

/// Refuses passwords too short or too long to be used.
pub fn check_strength(password: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(AccountError::Invalid(format!(
            "the password must have at least {MIN_LENGTH} characters"
        )));
    }
    if password.len() > MAX_LENGTH {
        return Err(AccountError::Invalid(format!(
            "the password must have at most {MAX_LENGTH} bytes"
        )));
    }
    Ok(())
}

/// The PHC string of `password` with a fresh salt.
pub async fn hash(password: &str) -> Result<String, AccountError> {
    let password = password.to_owned();
    let _slot = slots().acquire().await.expect("semaphore never closed");
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AccountError::Hash(e.to_string()))
    })
    .await
    .map_err(|e| AccountError::Hash(e.to_string()))?
}

/// Whether `password` matches `stored`; `None` checks against a dummy hash and answers
/// false, in the same time, so an unknown account cannot be told from a wrong password.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let stored = match stored {
        Some(s) => s.to_owned(),
        None => dummy().to_owned(),
    };
    let real = !stored.is_empty() && stored != dummy();
    let password = password.to_owned();
    let _slot = slots().acquire().await.expect("semaphore never closed");
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    ok && real
}

/// A hash of a random password nobody knows, made once per process.
fn dummy() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(super::new_token("").as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A password for a person to change later (`parcours users add`, `users reset`):
/// 20 characters from an alphabet without look-alikes, about 110 bits.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let h = hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", Some(&h)).await);
        assert!(!verify("wrong horse battery", Some(&h)).await);
        assert!(!verify("correct horse battery", None).await);
        assert!(!verify("anything", Some("not a hash")).await);
    }

    #[test]
    fn strength_and_generation() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("ten chars!").is_ok());
        assert!(check_strength(&"x".repeat(300)).is_err());
        let p = generate();
        assert_eq!(p.len(), 20);
        assert!(check_strength(&p).is_ok());
    }
}
