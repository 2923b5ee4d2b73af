# Parcours node image: `parcours serve` on port 8000, talking to an external ClickHouse.
# Not run here: no Docker daemon on the machine these files were written on (see
# docs/OPERATIONS.md, "Files in deploy/"). Build: docker build -t parcours .
#
# The tracker and dashboard bundles are committed (tracker-js/dist, dashboards/dist) and
# embedded by include_str!, so the build needs no Node.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# Cache mounts keep the registry and target between builds (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin parcours \
 && cp target/release/parcours /usr/local/bin/parcours

FROM debian:bookworm-slim
# ca-certificates: ClickHouse over HTTPS; curl: the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/parcours --create-home parcours
COPY --from=build /usr/local/bin/parcours /usr/local/bin/parcours
USER parcours
WORKDIR /var/lib/parcours
# PARCOURS_CLICKHOUSE_URL must be set: the image has no ClickHouse of its own, and
# without a URL `parcours` would try to start one. The data directory holds the disk
# spool and the write-ahead log: give it a volume so a restart loses neither.
# A city database is found as /var/lib/parcours/geoip/*.mmdb (mount one: none is
# shipped), or named by PARCOURS_GEOIP_DB, which must then exist.
ENV PARCOURS_LISTEN=0.0.0.0:8000 \
    PARCOURS_DATA_DIR=/var/lib/parcours \
    RUST_LOG=info
VOLUME ["/var/lib/parcours"]
EXPOSE 8000
# /ready is 200 only when ClickHouse answers, the schema is current and today's salt is
# held; /health answers while the process serves. Docker restarts nothing on its own,
# so the health check reports readiness.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/ready >/dev/null || exit 1
# SIGTERM flushes the buffer to ClickHouse (or the spool) before exiting.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/parcours"]
CMD ["serve"]
