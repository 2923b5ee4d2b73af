//! `parcours goals list|add|delete` and `parcours groups list|add|delete`: goals and
//! content groups from the command line, through the same functions as
//! `/api/v2/goals` and `/api/v2/content_groups` (and so the same validation and the
//! same JSON).
//!
//! Deliberately not here: validation (`store::goals`) and JSON shapes (`api::definitions`).

use super::{find_site, print, CliError, Format};
use crate::api::definitions::{self as defs, GoalBody, GroupBody};
use crate::store::{migrations, Store};

/// `parcours goals`.
#[derive(Debug, clap::Subcommand)]
pub enum GoalsCommand {
    /// List a site's goals.
    List {
        #[command(flatten)]
        site: SiteFlags,
    },
    /// Add a goal, or replace the one of the same name.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["event", "page"]))]
    Add {
        #[command(flatten)]
        site: SiteFlags,
        /// Name shown in answers, e.g. `Booked`.
        #[arg(long)]
        name: String,
        /// A custom event name, e.g. `Booking Confirmed`.
        #[arg(long)]
        event: Option<String>,
        /// Or a page pattern, e.g. `/booking/confirmed` or `/booking/**`.
        #[arg(long)]
        page: Option<String>,
    },
    /// Delete a goal.
    Delete {
        #[command(flatten)]
        site: SiteFlags,
        /// The goal's name.
        #[arg(long)]
        name: String,
    },
}

/// `parcours groups`.
#[derive(Debug, clap::Subcommand)]
pub enum GroupsCommand {
    /// List a site's content groups, in evaluation order.
    List {
        #[command(flatten)]
        site: SiteFlags,
    },
    /// Add a content group, or replace the one of the same name.
    Add {
        #[command(flatten)]
        site: SiteFlags,
        /// Name shown in answers, e.g. `Symptom research`.
        #[arg(long)]
        name: String,
        /// A path pattern (`*` within a segment, `**` across); repeat for several.
        #[arg(long = "pattern", required = true)]
        patterns: Vec<String>,
        /// Evaluation order: a page belongs to the first group (lowest position) it matches.
        #[arg(long, default_value_t = 0)]
        position: u32,
    },
    /// Delete a content group.
    Delete {
        #[command(flatten)]
        site: SiteFlags,
        /// The group's name.
        #[arg(long)]
        name: String,
    },
}

/// The site and the output format.
#[derive(Debug, clap::Args)]
pub struct SiteFlags {
    /// Site domain (or numeric id).
    #[arg(long)]
    pub site: String,
    /// `table` for people, `json` for scripts (the API's answer as is).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs a `parcours goals` command; answers the text to print.
pub async fn goals(store: &Store, command: GoalsCommand) -> Result<String, CliError> {
    migrations::migrate(store).await?;
    let (flags, answer) = match command {
        GoalsCommand::List { site } => {
            let entry = find_site(store, &site.site).await?;
            (
                site,
                defs::goals_answer(store, entry.site.site_id, Default::default()).await?,
            )
        }
        GoalsCommand::Add {
            site,
            name,
            event,
            page,
        } => {
            let entry = find_site(store, &site.site).await?;
            let body = GoalBody {
                site_id: entry.site.domain.clone(),
                name,
                event_name: event,
                page,
            };
            let answer = defs::save_goal_answer(store, entry.site.site_id, &body).await?;
            (site, answer)
        }
        GoalsCommand::Delete { site, name } => {
            let entry = find_site(store, &site.site).await?;
            let answer = defs::delete_goal_answer(store, entry.site.site_id, &name).await?;
            (site, answer)
        }
    };
    Ok(print(&answer, flags.format))
}

/// Runs a `parcours groups` command; answers the text to print.
pub async fn groups(store: &Store, command: GroupsCommand) -> Result<String, CliError> {
    migrations::migrate(store).await?;
    let (flags, answer) = match command {
        GroupsCommand::List { site } => {
            let entry = find_site(store, &site.site).await?;
            (
                site,
                defs::groups_answer(store, entry.site.site_id, Default::default()).await?,
            )
        }
        GroupsCommand::Add {
            site,
            name,
            patterns,
            position,
        } => {
            let entry = find_site(store, &site.site).await?;
            let body = GroupBody {
                site_id: entry.site.domain.clone(),
                name,
                patterns,
                position,
            };
            let answer = defs::save_group_answer(store, entry.site.site_id, &body).await?;
            (site, answer)
        }
        GroupsCommand::Delete { site, name } => {
            let entry = find_site(store, &site.site).await?;
            let answer = defs::delete_group_answer(store, entry.site.site_id, &name).await?;
            (site, answer)
        }
    };
    Ok(print(&answer, flags.format))
}
