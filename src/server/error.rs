//! The one error type at the HTTP boundary, mapped to a status in one place.
//!
//! "Retry later" (503) is kept apart from "bad input" (400): a client or load balancer
//! must be able to tell a beacon it should resend from one it should not.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::query::bounds::{Cut, Scope};
use crate::store::StoreError;

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed; the message says how.
    #[error("{0}")]
    BadRequest(String),
    /// The body is over the configured limit.
    #[error("request body is larger than {0} bytes")]
    TooLarge(usize),
    /// The client sends too fast.
    #[error("too many requests")]
    RateLimited,
    /// The client failed too often lately (sign-ins, credentials); retry after this.
    #[error("too many failed attempts; try again in {} s", .0.as_secs().max(1))]
    Throttled(std::time::Duration),
    /// No or wrong credentials.
    #[error("missing or invalid credentials")]
    Unauthorized,
    /// A sign-in failed: the same words for an unknown account and a wrong password.
    #[error("wrong email or password")]
    WrongPassword,
    /// Credentials valid, but they do not allow this; the text says what.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state (a first owner already exists).
    #[error("{0}")]
    Conflict(String),
    /// Unknown site or resource.
    #[error("{0}")]
    NotFound(String),
    /// Temporarily unable to serve; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// Too many analytics requests run on this node (for this site, or in all).
    #[error("too many analytics queries are running; retry in a moment")]
    Busy,
    /// A statement hit one of its bounds (`query::bounds`).
    #[error("{}", too_heavy_message(*.0))]
    TooHeavy(Cut),
    /// A bug or an unexpected failure; details are in the log only.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited | Self::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unauthorized | Self::WrongPassword => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unavailable(_) | Self::Busy | Self::TooHeavy(Cut::Server) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            // The same request would be cut again: the client must ask for less.
            Self::TooHeavy(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs a failure and hides it from the client.
    ///
    /// The log names the error's class, ClickHouse's code and the request's query ids,
    /// never the error's text: ClickHouse quotes stored paths and referrers, and the SQL
    /// with its bound values, in its messages.
    pub fn internal<E: std::error::Error + 'static>(err: E) -> Self {
        let failure = Failure::of(&err);
        tracing::error!(
            class = failure.class,
            code = failure.code,
            query_id = failure.query_id.as_deref(),
            "request failed"
        );
        Self::Internal
    }

    /// A stable code for programs, beside the message, for errors a client handles.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Busy => Some("busy"),
            Self::TooHeavy(Cut::Server) => Some("busy"),
            Self::TooHeavy(_) => Some("query_too_heavy"),
            _ => None,
        }
    }
}

fn too_heavy_message(cut: Cut) -> String {
    match cut {
        Cut::Server => "ClickHouse is out of memory or query slots; retry in a moment".into(),
        cut => format!(
            "the query was stopped at its {} limit; narrow the date range or the filters, \
             or ask for fewer dimensions",
            cut.name()
        ),
    }
}

/// What a log line may say about a failure: no message text, which may quote data.
#[derive(Debug, PartialEq)]
pub struct Failure {
    /// The error's kind: the Rust type, or for ClickHouse errors what went wrong.
    pub class: &'static str,
    /// ClickHouse's exception code, when it sent one.
    pub code: Option<u32>,
    /// The prefix of the request's statement ids (`query_id LIKE 'prefix-%'` in
    /// ClickHouse's `system.query_log`), inside an analytics request.
    pub query_id: Option<String>,
}

impl Failure {
    /// Describes `err` (looking through its sources for a store error).
    pub fn of<E: std::error::Error + 'static>(err: &E) -> Self {
        let mut class = std::any::type_name::<E>();
        let mut code = None;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = cur {
            // `QueryError::Store` is transparent: its `source()` skips the store error.
            if let Some(crate::query::QueryError::Store(s)) = e.downcast_ref() {
                class = s.class();
                code = s.code();
                break;
            }
            if let Some(s) = e.downcast_ref::<StoreError>() {
                class = s.class();
                code = s.code();
                break;
            }
            if let Some(c) = e.downcast_ref::<clickhouse::error::Error>() {
                class = crate::store::client_class(c);
                code = StoreError::code_in(&c.to_string());
                break;
            }
            cur = e.source();
        }
        Self {
            class,
            code,
            query_id: Scope::current().map(|s| s.prefix().to_owned()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            Self::Throttled(wait) => wait.as_secs().max(1).to_string(),
            _ => "1".to_owned(),
        };
        let mut body = serde_json::json!({ "error": self.to_string() });
        if let Some(code) = self.code() {
            body["code"] = code.into();
        }
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
            if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body is left unread, so hyper closes the connection after
            // this answer; said so, a client does not send its next request down a
            // connection about to close (measured: 1 in 600 requests lost that way).
            response.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_body_closes_its_connection_and_busy_says_when_to_retry() {
        let r = ApiError::TooLarge(8192).into_response();
        assert_eq!(r.status(), 413);
        assert_eq!(r.headers()["connection"], "close");
        let r = ApiError::Unavailable("full".into()).into_response();
        assert_eq!(r.headers()["retry-after"], "1");
        assert!(r.headers().get("connection").is_none());
    }

    #[test]
    fn failures_are_described_without_their_text() {
        // What 18.16 answers when a query trips on stored data: it quotes the value.
        let err = StoreError::Invalid(
            "Code: 6, e.displayText() = DB::Exception: Cannot parse string '/conditions/hiv?ref=mail' as UInt64"
                .into(),
        );
        let f = Failure::of(&err);
        assert_eq!(f.class, "invalid_data");
        assert_eq!(f.code, Some(6));
        assert_eq!(f.query_id, None);
        assert!(!format!("{f:?}").contains("/conditions"), "{f:?}");
        let wrapped = crate::query::QueryError::Store(StoreError::ClickHouse(
            clickhouse::error::Error::BadResponse(
                "Code: 62. DB::Exception: Syntax error near 'https://referrer.example/x'".into(),
            ),
        ));
        let f = Failure::of(&wrapped);
        assert_eq!((f.class, f.code), ("clickhouse_error", Some(62)));
        let wrapped = crate::query::QueryError::Store(err);
        assert_eq!(Failure::of(&wrapped).class, "invalid_data");
        let other = Failure::of(&std::io::Error::other("/conditions/hiv"));
        assert_eq!((other.class, other.code), ("std::io::error::Error", None));
        assert!(!format!("{f:?}").contains("referrer"), "{f:?}");
    }

    #[tokio::test]
    async fn failures_in_a_request_name_its_query_ids() {
        let scope = Scope::new(&crate::config::QueriesConfig::default(), "db", 1);
        let prefix = scope.prefix().to_owned();
        let f = scope
            .run(async { Failure::of(&StoreError::Invalid("x".into())) })
            .await;
        assert_eq!(f.query_id, Some(prefix));
    }

    #[test]
    fn cut_queries_answer_422_with_a_code_and_busy_nodes_503() {
        assert_eq!(
            ApiError::TooHeavy(Cut::Time).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            ApiError::TooHeavy(Cut::Time).code(),
            Some("query_too_heavy")
        );
        assert!(ApiError::TooHeavy(Cut::Memory)
            .to_string()
            .contains("narrow the date range"));
        assert_eq!(
            ApiError::TooHeavy(Cut::Server).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(ApiError::Busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        let r = ApiError::Busy.into_response();
        assert!(r.headers().contains_key(axum::http::header::RETRY_AFTER));
    }
}
