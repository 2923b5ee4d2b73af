//! Accepting connections, with bounds a slow or hostile client cannot stretch:
//!
//! 1. At most `max_connections` at once; one more is closed on arrival (and counted),
//!    so file descriptors are left for the spool and ClickHouse, and memory stays bounded.
//! 2. A request's headers must arrive within `header_timeout`, which also ends a
//!    keep-alive connection left idle that long: a client trickling one byte every few
//!    seconds holds a slot for that long at most.
//! 3. A connection's read buffer, headers included, holds [`MAX_READ_BUFFER`] at most
//!    (hyper's default is about 400 KiB): a slow client filling it with headers costs
//!    that much, so the cap times this bounds what slow clients can hold (2,000 × 64 KiB
//!    = 125 MiB); longer headers get 431.
//! 4. Shutdown stops accepting, lets requests in flight finish, and closes idle ones.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

use crate::metrics::Metrics;

/// Most bytes buffered per connection: browsers send a few KiB of headers, proxies
/// refuse more than 8 to 32 KiB.
pub const MAX_READ_BUFFER: usize = 64 * 1024;

/// The bounds of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Time to receive a request's headers (and the most a keep-alive may idle).
    pub header_timeout: Duration,
}

/// Connections the kernel may hold ready for `accept` (Linux caps it at
/// `net.core.somaxconn`, 4,096 by default). Tokio's default of 1,024 overflowed under a
/// burst of 16,000 connects: an overflowed connection looks open to its client but
/// reaches the node only when the client retransmits, seconds later.
pub const LISTEN_BACKLOG: u32 = 4096;

/// Binds `addr` with [`LISTEN_BACKLOG`].
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As std's bind does: a restarted node can listen again at once.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves `app` on `listener` until `stop` turns true, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = super::stopped(&mut stop) => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, typically: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            metrics.connections_refused.inc();
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(MAX_READ_BUFFER)
            .keep_alive(true);
        let connection = graceful.watch(
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)),
        );
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// The default connection cap: what the process's open-file limit leaves after a
/// margin for the spool, ClickHouse and the GeoIP files.
pub fn default_max_connections() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    let files = if ok { limit.rlim_cur as usize } else { 1024 };
    files.saturating_sub(256).clamp(64, 16_384)
}
