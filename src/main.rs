//! The `parcours` command: serve, migrate, demo, and site and key administration;
//! `query`, `goals` and `groups` live in `parcours::cli`.

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use parcours::cli::definitions::{GoalsCommand, GroupsCommand};
use parcours::cli::keys::KeysCommand;
use parcours::cli::users::UsersCommand;
use parcours::config::{Config, Overrides};
use parcours::store::{local, migrations, sites};

// The ingest path makes a few dozen small, short-lived allocations per beacon (the
// parsed beacon, the scrubbed URL parts, the row's strings, hyper's and axum's
// per-request state), freed on other threads when the writer flushes a batch.
// glibc malloc spent ~20 % of the node's instructions on them (callgrind, see
// docs/BENCHMARKS.md); mimalloc's thread-local free lists cost a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Privacy-respecting web analytics and visitor-journey tracker.
#[derive(Parser)]
#[command(name = "parcours", version, about)]
struct Cli {
    #[command(flatten)]
    settings: Overrides,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run ingestion, the stats API and the dashboard on one port.
    Serve,
    /// Create or upgrade the ClickHouse schema (idempotent).
    Migrate,
    /// Create the demo site and fill it with 30 days of simulated clinic traffic.
    Demo {
        /// Days of history, today included.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// People whose first visit falls on an average day.
        #[arg(long, default_value_t = 1200.0)]
        people_per_day: f64,
        /// Random seed (same seed, same traffic).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Simulate a clinic's traffic for a site: in bulk into ClickHouse, or live through HTTP.
    Simulate(SimulateArgs),
    /// Register and list sites.
    Sites {
        #[command(subcommand)]
        command: SitesCommand,
    },
    /// Manage stats API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Dashboard accounts: add, list, grant roles, reset passwords, remove.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Ask the stats API from the command line, in-process (no running node needed).
    Query(parcours::cli::query::QueryArgs),
    /// List, add and delete goals (a custom event or a page that counts as a conversion).
    Goals {
        #[command(subcommand)]
        command: GoalsCommand,
    },
    /// List, add and delete content groups (pages shown under a name).
    Groups {
        #[command(subcommand)]
        command: GroupsCommand,
    },
    /// Print every SQL statement as JSON lines (for the dialect check in tests/dialect).
    #[command(hide = true)]
    SqlCatalog,
}

#[derive(clap::Args)]
struct SimulateArgs {
    /// Site to simulate (registered; the demo site is created if missing).
    #[arg(long, default_value = parcours::demo::DOMAIN)]
    site: String,
    /// `bulk`: rows straight into ClickHouse over a past period; `live`: beacons
    /// through `POST /api/event` now.
    #[arg(long, value_enum, default_value_t = Mode::Bulk)]
    mode: Mode,
    /// Bulk: the last N site-local days, today included.
    #[arg(long, default_value_t = 30, conflicts_with = "from")]
    days: u32,
    /// Bulk: first day (YYYY-MM-DD, site-local), with --to.
    #[arg(long, requires = "to")]
    from: Option<chrono::NaiveDate>,
    /// Bulk: last day (YYYY-MM-DD, site-local), included.
    #[arg(long, requires = "from")]
    to: Option<chrono::NaiveDate>,
    /// People whose first visit falls on an average day.
    #[arg(long, default_value_t = 1200.0, conflicts_with = "events")]
    people_per_day: f64,
    /// Aim for about this many stored events instead (sets people per day).
    #[arg(long)]
    events: Option<u64>,
    /// Random seed (same seed and options, same traffic and truth).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of crawler visitors (sent, and dropped by ingestion).
    #[arg(long, default_value_t = parcours::simulate::DEFAULT_BOT_SHARE)]
    bots: f64,
    /// Share of people who accept consent (linked across days if the site allows).
    #[arg(long, default_value_t = parcours::simulate::DEFAULT_CONSENT_SHARE)]
    consent: f64,
    /// Write the ground truth (JSON) to this file; `-` for stdout.
    #[arg(long)]
    truth: Option<std::path::PathBuf>,
    /// Live: a running Parcours that trusts this host as a proxy; without it, one is
    /// started in-process.
    #[arg(long)]
    url: Option<String>,
    /// Live: beacons per second (0: as fast as possible).
    #[arg(long, default_value_t = 50)]
    rate: u32,
    /// Live: seconds to run.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Live: people posted at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Mode {
    Bulk,
    Live,
}

#[derive(Subcommand)]
enum SitesCommand {
    /// Register a site (events for unregistered domains are not stored).
    Add {
        /// Domain as given in the tracker's data-domain.
        domain: String,
        /// IANA time zone for day boundaries in reports.
        #[arg(long, default_value = "Europe/Paris")]
        timezone: String,
    },
    /// List registered sites.
    List,
    /// Delete a site with its events, definitions, keys, members and links.
    Delete {
        /// The site's domain.
        domain: String,
        /// Confirm: without it, nothing is deleted.
        #[arg(long)]
        yes: bool,
    },
    /// Show one site's settings as JSON.
    Show {
        /// The site's domain.
        domain: String,
    },
    /// Change a site's privacy and reporting settings.
    Set {
        /// The site's domain.
        domain: String,
        /// IANA time zone for day boundaries in reports.
        #[arg(long)]
        timezone: Option<String>,
        /// Path patterns kept for aggregate counts only, comma-separated (e.g. '/pathologies/**').
        #[arg(long, value_delimiter = ',')]
        sensitive_paths: Option<Vec<String>>,
        /// Referring professionals' domains, comma-separated (their own channel).
        #[arg(long, value_delimiter = ',')]
        partner_domains: Option<Vec<String>>,
        /// Other host names the site's pages are served from, comma-separated (beacons
        /// from hosts that are neither these, the domain nor its subdomains are dropped).
        #[arg(long, value_delimiter = ',')]
        hosts: Option<Vec<String>>,
        /// Query-string keys kept beyond utm_*, ref and source, comma-separated.
        #[arg(long, value_delimiter = ',')]
        query_allow: Option<Vec<String>>,
        /// Honour Do-Not-Track and Global Privacy Control.
        #[arg(long)]
        respect_dnt: Option<bool>,
        /// Record cities (otherwise region at most).
        #[arg(long)]
        city: Option<bool>,
        /// Smallest group of visitors shown in reports (at least 2).
        #[arg(long)]
        min_group_size: Option<u16>,
        /// Months of events kept.
        #[arg(long)]
        retention_months: Option<u16>,
        /// Cross-day journeys for visitors who consent through the tracker's consent API;
        /// false erases the site's key.
        #[arg(long)]
        consent_journeys: Option<bool>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,clickhouse=warn,hyper=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let config = Config::load(&cli.settings).context("configuration")?;
    match cli.command {
        Command::SqlCatalog => {
            for entry in parcours::sql_catalog::entries() {
                println!("{}", serde_json::to_string(&entry)?);
            }

            Ok(())
        }
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let conn = local::connect(&config).await?;
            let applied = migrations::migrate(&conn.store).await;
            conn.close().await;
            let applied = applied?;
            eprintln!(
                "schema at version {} ({} migration(s) applied now)",
                migrations::latest_version(),
                applied.len()
            );
            Ok(())
        }
        Command::Demo {
            days,
            people_per_day,
            seed,
        } => {
            let opts = parcours::demo::Options {
                days,
                people_per_day,
                seed,
            };
            let report = parcours::demo::run(&config, &opts).await?;
            if report.rows > 0 {
                eprintln!(
                    "demo: site {} — {} events over {} days written in {:.1} s",
                    report.domain, report.rows, days, report.seconds
                );
            } else {
                eprintln!(
                    "demo: site {} already holds {} events; left as is",
                    report.domain, report.existing
                );
            }
            println!("{}", report.api_key);
            Ok(())
        }
        Command::Simulate(args) => simulate(config, args).await,
        Command::Sites { command } => {
            let conn = local::connect(&config).await?;
            let result = sites_command(&conn.store, command).await;
            conn.close().await;
            result
        }
        Command::Query(args) => {
            let conn = local::connect(&config).await?;
            let result = parcours::cli::query::run(config, &conn.store, args).await;
            conn.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Goals { command } => {
            let conn = local::connect(&config).await?;
            let result = parcours::cli::definitions::goals(&conn.store, command).await;
            conn.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Groups { command } => {
            let conn = local::connect(&config).await?;
            let result = parcours::cli::definitions::groups(&conn.store, command).await;
            conn.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Keys { command } => {
            let conn = local::connect(&config).await?;
            let result = async {
                migrations::migrate(&conn.store).await?;
                Ok::<_, anyhow::Error>(parcours::cli::keys::run(&conn.store, command).await?)
            }
            .await;
            conn.close().await;
            print!("{}", result?);
            Ok(())
        }
        Command::Users { command } => {
            let conn = local::connect(&config).await?;
            let result = async {
                migrations::migrate(&conn.store).await?;
                Ok::<_, anyhow::Error>(parcours::cli::users::run(&conn.store, command).await?)
            }
            .await;
            conn.close().await;
            print!("{}", result?);
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let conn = local::connect(&config).await?;
    let running = match parcours::server::start(config, conn.store.clone()).await {
        Ok(r) => r,
        Err(e) => {
            conn.close().await;
            return Err(e.into());
        }
    };
    eprintln!("Parcours listening on http://{}", running.addr);
    shutdown_signal().await;
    tracing::info!("shutting down: flushing buffered events");
    running.shutdown().await;
    conn.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

async fn sites_command(
    store: &parcours::store::Store,
    command: SitesCommand,
) -> anyhow::Result<()> {
    migrations::migrate(store).await?;
    match command {
        SitesCommand::Add { domain, timezone } => {
            let site = sites::add(store, &domain, &timezone).await?;
            println!("{}\t{}\t{}", site.site_id, site.domain, site.timezone);
            eprintln!("{}", next_steps(&site.domain));
        }
        SitesCommand::Delete { domain, yes } => {
            let Some(site) = sites::find(store, &domain).await? else {
                bail!("no site {domain}");
            };
            if !yes {
                bail!(
                    "this deletes {} with all its events, definitions, keys, members and links; \
                     run again with --yes to confirm",
                    site.domain
                );
            }
            sites::delete(store, &site).await?;
            parcours::accounts::audit::record(store, 0, "cli", "site_deleted", &site.domain).await;
            eprintln!(
                "site {} deleted; ClickHouse erases its rows in the background",
                site.domain
            );
        }
        SitesCommand::List => {
            for s in sites::list(store).await? {
                println!("{}\t{}\t{}", s.site_id, s.domain, s.timezone);
            }
        }
        SitesCommand::Show { domain } => {
            let Some(site) = sites::find(store, &domain).await? else {
                bail!("no site {domain}");
            };
            println!("{}", serde_json::to_string_pretty(&site)?);
        }
        SitesCommand::Set {
            domain,
            timezone,
            sensitive_paths,
            partner_domains,
            hosts,
            query_allow,
            respect_dnt,
            city,
            min_group_size,
            retention_months,
            consent_journeys,
        } => {
            let changes = sites::SiteSettings {
                timezone,
                sensitive_paths,
                partner_domains,
                hosts,
                query_allow,
                respect_dnt,
                city_enabled: city,
                min_group_size,
                retention_months,
            };
            let site = sites::update(store, &domain, &changes).await?;
            match consent_journeys {
                Some(true) => parcours::visitor::consent::enable(store, site.site_id).await?,
                Some(false) => parcours::visitor::consent::disable(store, site.site_id).await?,
                None => {}
            }
            println!("{}", serde_json::to_string_pretty(&site)?);
            eprintln!("running nodes pick this up within their refresh interval");
        }
    }
    Ok(())
}

/// What to do after `sites add`, printed on standard error.
fn next_steps(domain: &str) -> String {
    format!(
        "\nNext steps:\n\
         \x20 1. Add this tag to the <head> of every page of {domain}:\n\
         \x20      <script defer data-domain=\"{domain}\" src=\"https://YOUR-PARCOURS-HOST/js/parcours.js\"></script>\n\
         \x20 2. Give people access: parcours users add EMAIL --site {domain} --role viewer\n\
         \x20    (or invite them from the dashboard: Settings > Members)\n\
         \x20 3. For the stats API: parcours keys create --site {domain} [--read-only]"
    )
}

async fn simulate(config: Config, args: SimulateArgs) -> anyhow::Result<()> {
    let conn = local::connect(&config).await?;
    let result = simulate_with(&conn.store, config, args).await;
    conn.close().await;
    result
}

async fn simulate_with(
    store: &parcours::store::Store,
    config: Config,
    args: SimulateArgs,
) -> anyhow::Result<()> {
    use parcours::simulate::{self as sim, journey::Settings, live};
    let site = if args.site == parcours::demo::DOMAIN {
        parcours::demo::prepare_site(store).await?
    } else {
        sites::find(store, &args.site)
            .await?
            .with_context(|| format!("no site {}; add it with `parcours sites add`", args.site))?
    };
    let tz = sim::timezone(&site)?;
    let now = chrono::Utc::now();
    let mut settings = Settings {
        seed: args.seed,
        from: now,
        to: now + chrono::Duration::days(366),
        timezone: tz,
        people_per_day: args.people_per_day,
        bot_share: args.bots,
        consent_share: args.consent,
    };
    let truth = match args.mode {
        Mode::Bulk => {
            (settings.from, settings.to) = match (args.from, args.to) {
                (Some(first), Some(last)) => sim::period(tz, first, last, now)?,
                _ => sim::last_days(tz, args.days, now)?,
            };
            if let Some(events) = args.events {
                settings.people_per_day = sim::people_per_day_for(events, &settings);
            }
            let report = sim::bulk::load(store, site, settings, sim::enrichers(&config)?).await?;
            eprintln!(
                "bulk: {} rows in {:.2} s = {:.0} rows/s",
                report.rows,
                report.seconds,
                report.rows_per_second()
            );
            report.truth
        }
        Mode::Live => {
            let consent = parcours::visitor::consent::ConsentKeys::default();
            consent.refresh(store).await?;
            let opts = live::LiveOptions {
                url: args.url.clone().unwrap_or_default(),
                domain: site.domain.clone(),
                rate: args.rate,
                duration: std::time::Duration::from_secs(args.duration),
                concurrency: args.concurrency,
                consent_enabled: consent.key_for(site.site_id).is_some(),
            };
            let report = match args.url {
                Some(_) => live::post(settings, &opts).await?,
                None => live::post_in_process(config, store.clone(), settings, opts).await?,
            };
            eprintln!(
                "live: {} beacons posted in {:.1} s ({} accepted)",
                report.posted, report.seconds, report.accepted
            );
            report.truth
        }
    };
    match args.truth.as_deref() {
        Some(p) if p == std::path::Path::new("-") => println!("{}", truth.to_json()),
        Some(p) => std::fs::write(p, truth.to_json())
            .with_context(|| format!("writing the ground truth to {}", p.display()))?,
        None => {}
    }
    Ok(())
}
