//! `parcours query stats|realtime|funnel|journeys`: the stats API's answers on the
//! command line.
//!
//! Every kind builds the same JSON body its HTTP endpoint takes and hands it to the
//! same function the handler calls (`api::answer`, `api::realtime::answer`,
//! `api::funnel::answer`, `api::journeys::answer`), so the
//! command and the API cannot drift apart. Flags are a convenience for the common
//! cases; `--body` takes any request the API takes.
//!
//! Deliberately not here: authentication (see `cli`), and printing (see `table`).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

use super::{print_in, CliError, Format};
use crate::api;
use crate::config::Config;
use crate::i18n::Words;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::Store;

/// `parcours query`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The kind of query.
    #[command(subcommand)]
    pub kind: QueryCommand,
}

/// The kinds of query.
#[derive(Debug, clap::Subcommand)]
pub enum QueryCommand {
    /// Metrics by dimensions over a period (as `POST /api/v2/query`).
    Stats(StatsArgs),
    /// Visitors of the last five minutes and their current pages (as `POST /api/v2/realtime`).
    Realtime(SiteArgs),
    /// An ordered funnel (as `POST /api/v2/funnel`), from a JSON body.
    Funnel(BodyArgs),
    /// Paths to a goal, from a start, or flows (as `POST /api/v2/journeys`), from a JSON body.
    Journeys(BodyArgs),
    /// A goal's conversions by channel, source or campaign (as `POST /api/v2/attribution`).
    Attribution(BodyArgs),
}

/// A site and an output format.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// Site domain (or numeric id).
    #[arg(long)]
    pub site: String,
    /// `table` for people, `json` for scripts (the API's answer as is).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A full request body, as the HTTP endpoint takes it.
#[derive(Debug, clap::Args)]
pub struct BodyArgs {
    /// Site domain (or numeric id); sets the body's `site_id`.
    #[arg(long)]
    pub site: Option<String>,
    /// The request as JSON; `@FILE` reads a file, `-` standard input.
    #[arg(long, visible_alias = "json")]
    pub body: String,
    /// `table` for people, `json` for scripts (the API's answer as is).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl BodyArgs {
    /// The request body, with `--site` as its `site_id` when given.
    pub fn body(&self) -> Result<Value, CliError> {
        body_with_site(&self.body, self.site.clone())
    }
}

/// `parcours query stats`: flags for the common cases, or `--body`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Site domain (or numeric id); with `--body`, sets its `site_id`.
    #[arg(long, required_unless_present = "body")]
    pub site: Option<String>,
    /// Metrics, comma-separated (visitors, visits, pageviews, views_per_visit,
    /// bounce_rate, visit_duration, events, conversion_rate, time_on_page).
    #[arg(long, value_delimiter = ',', default_value = "visitors")]
    pub metrics: Vec<String>,
    /// Dimensions, comma-separated (up to 3), e.g. `event:page`, `visit:channel`.
    #[arg(long, value_delimiter = ',')]
    pub dimensions: Vec<String>,
    /// `day`, `7d`, `28d`, `30d`, `91d`, `month`, `last_month`, `6mo`, `12mo`, `year` or `all`.
    #[arg(long, default_value = "30d", conflicts_with = "from")]
    pub period: String,
    /// First day (YYYY-MM-DD, the site's time zone), with `--to`.
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day, included.
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
    /// A filter as JSON, e.g. `["matches", "event:page", ["/symptoms/**"]]`; repeat
    /// for several (all must hold).
    #[arg(long = "filter")]
    pub filters: Vec<String>,
    /// At most this many rows.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Add the previous period of the same length.
    #[arg(long)]
    pub compare: bool,
    /// The whole request as JSON (`@FILE`, or `-` for standard input) instead of the
    /// flags above.
    #[arg(long, visible_alias = "json", conflicts_with_all = ["metrics", "dimensions", "period", "from", "filters", "limit", "compare"])]
    pub body: Option<String>,
    /// `table` for people, `json` for scripts (the API's answer as is).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Which API answers a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `POST /api/v2/query`.
    Stats,
    /// `POST /api/v2/realtime`.
    Realtime,
    /// `POST /api/v2/funnel`.
    Funnel,
    /// `POST /api/v2/journeys`.
    Journeys,
    /// `POST /api/v2/attribution`.
    Attribution,
}

/// Runs a `parcours query` command; answers the text to print (tables in the
/// environment's language, see `i18n`).
pub async fn run(config: Config, store: &Store, args: QueryArgs) -> Result<String, CliError> {
    run_in(config, store, args, &Words::from_env()).await
}

/// Runs a `parcours query` command with tables in the given words.
pub async fn run_in(
    config: Config,
    store: &Store,
    args: QueryArgs,
    words: &Words,
) -> Result<String, CliError> {
    let (kind, body, format) = request(args)?;
    let state = AppState::for_queries(config, store.clone()).await?;
    let answer = answer(&state, kind, &body, Utc::now()).await?;
    Ok(print_in(&answer, format, words))
}

/// The kind, the API request body and the output format a command stands for.
pub fn request(args: QueryArgs) -> Result<(Kind, Value, Format), CliError> {
    match args.kind {
        QueryCommand::Stats(a) => {
            let format = a.format;
            Ok((Kind::Stats, stats_body(a)?, format))
        }
        QueryCommand::Realtime(a) => Ok((Kind::Realtime, json!({"site_id": a.site}), a.format)),
        QueryCommand::Funnel(a) => Ok((Kind::Funnel, a.body()?, a.format)),
        QueryCommand::Journeys(a) => Ok((Kind::Journeys, a.body()?, a.format)),
        QueryCommand::Attribution(a) => Ok((Kind::Attribution, a.body()?, a.format)),
    }
}

/// Answers a request body exactly as its HTTP endpoint does after authorization.
pub async fn answer(
    state: &AppState,
    kind: Kind,
    body: &Value,
    now: DateTime<Utc>,
) -> Result<Value, CliError> {
    let site_id = body
        .get("site_id")
        .and_then(Value::as_str)
        .ok_or_else(|| CliError::Invalid("the request needs a site_id".into()))?;
    let entry = state
        .sites
        .find(site_id)
        .ok_or_else(|| CliError::UnknownSite(site_id.to_owned()))?;
    // Parse errors read as the API's: the same body fails the same way in both.
    let parse = |what: &str| {
        let what = what.to_owned();
        move |e: serde_json::Error| ApiError::BadRequest(format!("invalid {what}: {e}"))
    };
    Ok(match kind {
        Kind::Stats => {
            let req: api::QueryRequest =
                serde_json::from_value(body.clone()).map_err(parse("query"))?;
            api::answer(state, &entry, &req, now).await?
        }
        Kind::Realtime => {
            let _: api::realtime::RealtimeRequest =
                serde_json::from_value(body.clone()).map_err(parse("realtime query"))?;
            api::realtime::answer(state, &entry, now).await?
        }
        Kind::Funnel => api::funnel::answer(state, &entry, body, now).await?,
        Kind::Journeys => api::journeys::answer(state, &entry, body, now).await?,
        Kind::Attribution => api::attribution::answer(state, &entry, body, now).await?,
    })
}

/// The `POST /api/v2/query` body for `parcours query stats`.
fn stats_body(a: StatsArgs) -> Result<Value, CliError> {
    if let Some(text) = &a.body {
        return body_with_site(text, a.site);
    }
    let filters = a
        .filters
        .iter()
        .map(|f| {
            serde_json::from_str::<Value>(f)
                .map_err(|e| CliError::Invalid(format!("--filter {f:?} is not JSON: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let date_range = match (a.from, a.to) {
        (Some(from), Some(to)) => json!([from.to_string(), to.to_string()]),
        _ => json!(a.period),
    };
    let mut body = json!({
        "site_id": a.site,
        "metrics": a.metrics,
        "date_range": date_range,
        "dimensions": a.dimensions,
        "filters": filters,
    });
    if let Some(limit) = a.limit {
        body["pagination"] = json!({"limit": limit});
    }
    if a.compare {
        body["include"] = json!({"comparisons": {"mode": "previous_period"}});
    }
    Ok(body)
}

/// A body (see `read_body`) with `site` as its `site_id` when given.
fn body_with_site(text: &str, site: Option<String>) -> Result<Value, CliError> {
    let mut body = read_body(text)?;
    if let Some(site) = site {
        let Some(o) = body.as_object_mut() else {
            return Err(CliError::Invalid("--body must be a JSON object".into()));
        };
        o.insert("site_id".into(), site.into());
    }
    Ok(body)
}

/// A body given inline, as `@FILE`, or as `-` (standard input).
fn read_body(text: &str) -> Result<Value, CliError> {
    let read_err = |path: &str| {
        let path = path.to_owned();
        move |source| CliError::Read { path, source }
    };
    let raw = match text {
        "-" => std::io::read_to_string(std::io::stdin()).map_err(read_err("standard input"))?,
        t => match t.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path).map_err(read_err(path))?,
            None => t.to_owned(),
        },
    };
    serde_json::from_str(&raw).map_err(|e| CliError::Invalid(format!("--body is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: QueryArgs,
    }

    fn parse(argv: &[&str]) -> Result<(Kind, Value, Format), String> {
        let cli = Cli::try_parse_from(std::iter::once("query").chain(argv.iter().copied()))
            .map_err(|e| e.to_string())?;
        request(cli.args).map_err(|e| e.to_string())
    }

    #[test]
    fn flags_become_the_api_body() {
        let (kind, body, format) = parse(&[
            "stats",
            "--site",
            "demo.parcours.local",
            "--metrics",
            "visitors,pageviews",
            "--dimensions",
            "event:page",
            "--filter",
            r#"["matches", "event:page", ["/symptoms/**"]]"#,
            "--limit",
            "10",
        ])
        .unwrap();
        assert_eq!((kind, format), (Kind::Stats, Format::Table));
        assert_eq!(
            body,
            json!({
                "site_id": "demo.parcours.local",
                "metrics": ["visitors", "pageviews"],
                "date_range": "30d",
                "dimensions": ["event:page"],
                "filters": [["matches", "event:page", ["/symptoms/**"]]],
                "pagination": {"limit": 10},
            })
        );
        let (_, body, _) = parse(&[
            "stats",
            "--site",
            "x.fr",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
        ])
        .unwrap();
        assert_eq!(body["date_range"], json!(["2026-01-01", "2026-01-31"]));
    }

    #[test]
    fn a_body_is_taken_as_is_with_the_site_from_the_flag() {
        let (_, body, format) = parse(&[
            "stats",
            "--site",
            "b.fr",
            "--json",
            r#"{"site_id": "a.fr", "metrics": ["visits"], "date_range": "day"}"#,
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(
            body,
            json!({"site_id": "b.fr", "metrics": ["visits"], "date_range": "day"})
        );
        assert_eq!(format, Format::Json);
        assert!(parse(&["stats", "--body", "{", "--site", "a.fr"]).is_err());
        assert!(parse(&["stats", "--body", "{}", "--dimensions", "event:page"]).is_err());
        assert!(parse(&["stats", "--site", "a.fr", "--filter", "[is"]).is_err());
        assert!(parse(&["stats"]).is_err());
        let (kind, body, _) = parse(&["realtime", "--site", "a.fr"]).unwrap();
        assert_eq!((kind, body), (Kind::Realtime, json!({"site_id": "a.fr"})));
    }
}
