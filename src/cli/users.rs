//! `parcours users`: dashboard accounts from the command line (whoever can reach the
//! database can already do anything, so no sign-in is asked here).

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::CliError;
use crate::accounts::{audit, members, password, sessions, users, Role};
use crate::store::{sites, Store};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account; prints its password when none is given on standard input.
    Add {
        /// E-mail address (the sign-in name).
        email: String,
        /// Owner of every site, present and future (the server's administrator).
        #[arg(long)]
        owner: bool,
        /// Give the account this role on a site (with --role).
        #[arg(long, requires = "role")]
        site: Option<String>,
        /// viewer, editor or owner (with --site).
        #[arg(long, requires = "site")]
        role: Option<String>,
        /// Read the password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts with their sites and roles.
    List,
    /// Give an account a role on a site (or change it).
    Grant {
        /// E-mail address.
        email: String,
        /// The site's domain.
        #[arg(long)]
        site: String,
        /// viewer, editor or owner.
        #[arg(long)]
        role: String,
    },
    /// Take an account off a site.
    Revoke {
        /// E-mail address.
        email: String,
        /// The site's domain.
        #[arg(long)]
        site: String,
    },
    /// Set a new password (printed, or read with --password-stdin) and end every session.
    Reset {
        /// E-mail address.
        email: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete an account and end its sessions.
    Remove {
        /// E-mail address.
        email: String,
    },
}

fn read_password(from_stdin: bool) -> Result<(String, bool), CliError> {
    if !from_stdin {
        return Ok((password::generate(), true));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|source| CliError::Read {
            path: "standard input".into(),
            source,
        })?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

async fn user(store: &Store, email: &str) -> Result<users::User, CliError> {
    users::by_email(store, email)
        .await
        .map_err(invalid)?
        .ok_or_else(|| CliError::Invalid(format!("no account {}", email.trim())))
}

async fn site_id(store: &Store, domain: &str) -> Result<u32, CliError> {
    Ok(sites::find(store, domain)
        .await?
        .ok_or_else(|| CliError::UnknownSite(domain.to_owned()))?
        .site_id)
}

fn invalid(e: crate::accounts::AccountError) -> CliError {
    CliError::Invalid(e.to_string())
}

/// Runs a subcommand; returns what to print on standard output.
pub async fn run(store: &Store, command: UsersCommand) -> Result<String, CliError> {
    match command {
        UsersCommand::Add {
            email,
            owner,
            site,
            role,
            password_stdin,
        } => {
            let grant = match (site, role) {
                (Some(s), Some(r)) => {
                    Some((site_id(store, &s).await?, Role::parse(&r).map_err(invalid)?))
                }
                _ => None,
            };
            let (pw, generated) = read_password(password_stdin)?;
            let u = users::add(store, &email, &pw, owner)
                .await
                .map_err(invalid)?;
            if let Some((site, role)) = grant {
                members::set(store, site, &u.user_id, role)
                    .await
                    .map_err(invalid)?;
            }
            audit::record(store, 0, "cli", "account_created", &u.email).await;
            eprintln!(
                "account {} created{}; it signs in at the dashboard (/)",
                u.email,
                if owner { " as server owner" } else { "" }
            );
            Ok(if generated {
                format!("{pw}\n")
            } else {
                String::new()
            })
        }
        UsersCommand::List => {
            let mut out = String::new();
            let all_sites = sites::list(store).await?;
            for u in users::list(store).await.map_err(invalid)? {
                let roles = if u.server_owner == 1 {
                    "server owner (every site)".to_owned()
                } else {
                    let mut list: Vec<String> = members::of_user(store, &u.user_id)
                        .await
                        .map_err(invalid)?
                        .iter()
                        .filter_map(|m| {
                            all_sites
                                .iter()
                                .find(|s| s.site_id == m.site_id)
                                .map(|s| format!("{} {}", s.domain, m.role().as_str()))
                        })
                        .collect();
                    list.sort();
                    if list.is_empty() {
                        "(no site)".to_owned()
                    } else {
                        list.join(", ")
                    }
                };
                out.push_str(&format!(
                    "{}\t{}\t{}\n",
                    u.email,
                    crate::accounts::iso(u.created_at),
                    roles
                ));
            }
            Ok(out)
        }
        UsersCommand::Grant { email, site, role } => {
            let u = user(store, &email).await?;
            let role = Role::parse(&role).map_err(invalid)?;
            members::set(store, site_id(store, &site).await?, &u.user_id, role)
                .await
                .map_err(invalid)?;
            audit::record(
                store,
                site_id(store, &site).await?,
                "cli",
                "role_changed",
                &format!("{}:{}", u.email, role.as_str()),
            )
            .await;
            eprintln!("running nodes apply this within their cache time (accounts.cache_seconds)");
            Ok(String::new())
        }
        UsersCommand::Revoke { email, site } => {
            let u = user(store, &email).await?;
            let id = site_id(store, &site).await?;
            members::remove(store, id, &u.user_id)
                .await
                .map_err(invalid)?;
            audit::record(store, id, "cli", "member_removed", &u.email).await;
            Ok(String::new())
        }
        UsersCommand::Reset {
            email,
            password_stdin,
        } => {
            let u = user(store, &email).await?;
            let (pw, generated) = read_password(password_stdin)?;
            users::set_password(store, &u, &pw).await.map_err(invalid)?;
            let ended = sessions::revoke_all(store, &u.user_id, "")
                .await
                .map_err(invalid)?;
            audit::record(store, 0, "cli", "password_reset", &u.email).await;
            eprintln!("password of {} reset; {ended} session(s) ended", u.email);
            Ok(if generated {
                format!("{pw}\n")
            } else {
                String::new()
            })
        }
        UsersCommand::Remove { email } => {
            let u = user(store, &email).await?;
            users::remove(store, &u).await.map_err(invalid)?;
            sessions::revoke_all(store, &u.user_id, "")
                .await
                .map_err(invalid)?;
            audit::record(store, 0, "cli", "account_removed", &u.email).await;
            Ok(String::new())
        }
    }
}
