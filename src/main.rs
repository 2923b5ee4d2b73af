//! The `parcours` command: serve, migrate, demo, and site and key administration.

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use parcours::config::{Config, Overrides};
use parcours::store::{keys, local, migrations, sites};

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
    /// Create the demo site and fill it with simulated traffic through the real HTTP path.
    Demo {
        /// Visitors to simulate.
        #[arg(long, default_value_t = 800)]
        visitors: u32,
        /// Random seed (same seed, same traffic).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Post to this running server instead of starting one in-process.
        #[arg(long)]
        url: Option<String>,
    },
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
    /// Print every SQL statement as JSON lines (for the dialect check in tests/dialect).
    #[command(hide = true)]
    SqlCatalog,
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

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new API key for a site (one line on stdout).
    Create {
        /// The site's domain.
        #[arg(long)]
        site: String,
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
            visitors,
            seed,
            url,
        } => {
            let opts = parcours::demo::Options { visitors, seed };
            match url {
                Some(url) => {
                    let conn = local::connect(&config).await?;
                    let result = parcours::demo::run_against(&conn.store, &url, &opts).await;
                    conn.close().await;
                    print_demo(result?);
                }
                None => print_demo(parcours::demo::run_in_process(config, &opts).await?),
            }
            Ok(())
        }
        Command::Sites { command } => {
            let conn = local::connect(&config).await?;
            let result = sites_command(&conn.store, command).await;
            conn.close().await;
            result
        }
        Command::Keys {
            command: KeysCommand::Create { site },
        } => {
            let conn = local::connect(&config).await?;
            let result = create_key(&conn.store, &site).await;
            conn.close().await;
            println!("{}", result?);
            Ok(())
        }
    }
}

fn print_demo(report: parcours::demo::Report) {
    eprintln!(
        "demo: site {} — {} visitors, {} beacons posted ({} accepted)",
        report.domain, report.visitors, report.beacons, report.accepted
    );
    println!("{}", report.api_key);
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

async fn create_key(store: &parcours::store::Store, domain: &str) -> anyhow::Result<String> {
    migrations::migrate(store).await?;
    let Some(site) = sites::find(store, domain).await? else {
        bail!("no site {domain}; add it first with `parcours sites add {domain}`");
    };
    Ok(keys::create(store, site.site_id).await?)
}
