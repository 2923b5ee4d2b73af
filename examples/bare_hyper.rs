//! Baseline for the ingest benchmark: a bare hyper server that reads the body and
//! answers 202 `ok`, with no parsing, enrichment or storage. Parcours' throughput is
//! reported as a ratio to this server's, measured in the same run.

use std::convert::Infallible;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

async fn accept(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let _body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut resp = Response::new(Full::new(Bytes::from_static(b"ok")));
    *resp.status_mut() = StatusCode::ACCEPTED;
    Ok(resp)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    let listener = TcpListener::bind(&addr).await?;
    eprintln!("bare hyper listening on {addr}");
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(accept))
                .await;
        });
    }
}
