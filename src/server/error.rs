//! The one error type at the HTTP boundary, mapped to a status in one place.
//!
//! "Retry later" (503) is kept apart from "bad input" (400): a client or load balancer
//! must be able to tell a beacon it should resend from one it should not.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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
    /// No or wrong credentials.
    #[error("missing or invalid API key")]
    Unauthorized,
    /// Credentials valid, but not for this site.
    #[error("this API key does not give access to that site")]
    Forbidden,
    /// Unknown site or resource.
    #[error("{0}")]
    NotFound(String),
    /// Temporarily unable to serve; retry later.
    #[error("{0}")]
    Unavailable(String),
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
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs a store failure (which may quote SQL) and hides it from the client.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "request failed");
        Self::Internal
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}
