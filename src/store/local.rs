//! A private ClickHouse server owned by this process: `serve` without a ClickHouse URL,
//! the demo and the integration tests all use one, each with its own data directory
//! and loopback port.
//!
//! Requirements:
//! 1. It never outlives us: the server is spawned from a dedicated thread that lives as
//!    long as the process, with `PR_SET_PDEATHSIG`, so even `kill -9` of Parcours takes
//!    ClickHouse down with it (the signal fires when the *spawning thread* dies, hence
//!    the dedicated thread rather than a short-lived tokio worker).
//! 2. One owner per data directory: a live pid file refuses a second start, and other
//!    commands (`sites add` while `serve` runs) reuse the running server instead.
//! 3. Graceful stop: SIGTERM, wait, SIGKILL only after a timeout.
//!
//! Deliberately not here: installing ClickHouse (that is `scripts/clickhouse.sh`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::cluster::Cluster;
use super::Store;
use crate::config::Config;

/// Errors while starting, reusing or stopping a private server.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// No ClickHouse server binary on this machine.
    #[error(
        "no ClickHouse server binary found (looked for {0}); run scripts/clickhouse.sh install"
    )]
    NotInstalled(String),
    /// Another live process owns the data directory.
    #[error("a ClickHouse server (pid {pid}) already owns {dir}")]
    AlreadyRunning { pid: i32, dir: PathBuf },
    /// File system trouble in the data directory.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The server did not answer `/ping` in time; its log says why.
    #[error("ClickHouse did not start within {secs} s; see {log}")]
    StartTimeout { secs: u64, log: PathBuf },
}

const BINARIES: &[&str] = &["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"];

/// A running private server.
pub struct LocalClickHouse {
    url: String,
    dir: PathBuf,
    pid: i32,
    /// Fires when the owner thread has reaped the server process.
    exited: Option<oneshot::Receiver<()>>,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LocalError + '_ {
    move |source| LocalError::Io {
        path: path.to_owned(),
        source,
    }
}

fn free_port() -> Result<u16, LocalError> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(io_err(Path::new("127.0.0.1:0")))?;
    Ok(l.local_addr()
        .map_err(io_err(Path::new("127.0.0.1:0")))?
        .port())
}

fn find_binary() -> Result<(PathBuf, Vec<&'static str>), LocalError> {
    for b in BINARIES {
        if Path::new(b).exists() {
            return Ok((PathBuf::from(b), vec![]));
        }
    }
    // Modern single-binary installs: `clickhouse server`.
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let b = dir.join("clickhouse");
            if b.is_file() {
                return Ok((b, vec!["server"]));
            }
        }
    }
    Err(LocalError::NotInstalled(
        BINARIES.join(", ") + ", clickhouse",
    ))
}

fn pid_alive(pid: i32) -> bool {
    // Signal 0 checks existence; a zombie or reused pid is told apart by its cmdline.
    pid > 0
        && unsafe { libc::kill(pid, 0) } == 0
        && std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|c| String::from_utf8_lossy(&c).contains("clickhouse"))
            .unwrap_or(false)
}

/// The pid and URL of a live server owning `dir`, if any.
pub fn running_in(dir: &Path) -> Option<(i32, String)> {
    let pid: i32 = std::fs::read_to_string(dir.join("clickhouse.pid"))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let url = std::fs::read_to_string(dir.join("url")).ok()?;
    pid_alive(pid).then(|| (pid, url.trim().to_owned()))
}

impl LocalClickHouse {
    /// Starts a private server with its data under `dir`; `http_port` 0 picks a free port.
    pub async fn start(dir: &Path, http_port: u16) -> Result<Self, LocalError> {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let dir = dir.canonicalize().map_err(io_err(dir))?;
        if let Some((pid, _)) = running_in(&dir) {
            return Err(LocalError::AlreadyRunning { pid, dir });
        }
        let (binary, pre_args) = find_binary()?;
        let port = if http_port == 0 {
            free_port()?
        } else {
            http_port
        };
        for sub in ["data", "tmp", "user_files", "format_schemas", "log"] {
            let p = dir.join(sub);
            std::fs::create_dir_all(&p).map_err(io_err(&p))?;
        }
        let config = dir.join("config.xml");
        std::fs::write(&config, config_xml(&dir, port)).map_err(io_err(&config))?;
        let users = dir.join("users.xml");
        let users_xml = USERS_XML.replace("{ALL_QUERIES}", &all_queries_bytes().to_string());
        std::fs::write(&users, users_xml).map_err(io_err(&users))?;
        let log_path = dir.join("log").join("stdout.log");
        let log = std::fs::File::create(&log_path).map_err(io_err(&log_path))?;
        let log2 = log.try_clone().map_err(io_err(&log_path))?;

        let (pid_tx, pid_rx) = std::sync::mpsc::channel();
        let (exit_tx, exit_rx) = oneshot::channel();
        let mut cmd = Command::new(&binary);
        cmd.args(&pre_args)
            .arg(format!("--config-file={}", config.display()))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        // Its own process group: Ctrl-C in a terminal signals the whole foreground group,
        // and ClickHouse must outlive Parcours' shutdown long enough to take the last flush.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let parent = std::process::id();
        // SAFETY: prctl, getppid and _exit are async-signal-safe and touch no memory of ours.
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(move || {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                // We may have died between fork and prctl: then nobody would kill it.
                if libc::getppid() as u32 != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
        std::thread::Builder::new()
            .name("clickhouse-owner".into())
            .spawn(move || match cmd.spawn() {
                Ok(mut child) => {
                    let _ = pid_tx.send(Ok(child.id() as i32));
                    let _ = child.wait();
                    let _ = exit_tx.send(());
                }
                Err(e) => {
                    let _ = pid_tx.send(Err(e));
                }
            })
            .map_err(io_err(&dir))?;
        let pid = pid_rx
            .recv()
            .map_err(|_| LocalError::NotInstalled(binary.display().to_string()))?
            .map_err(io_err(&binary))?;
        let url = format!("http://127.0.0.1:{port}");
        let pid_file = dir.join("clickhouse.pid");
        std::fs::write(&pid_file, pid.to_string()).map_err(io_err(&pid_file))?;
        let url_file = dir.join("url");
        std::fs::write(&url_file, &url).map_err(io_err(&url_file))?;
        let mut server = Self {
            url,
            dir,
            pid,
            exited: Some(exit_rx),
        };
        let timeout = Duration::from_secs(60);
        if !server.wait_ready(timeout).await {
            server.kill_now();
            return Err(LocalError::StartTimeout {
                secs: timeout.as_secs(),
                log: log_path,
            });
        }
        tracing::info!(url = server.url, dir = %server.dir.display(), "private ClickHouse started");
        Ok(server)
    }

    async fn wait_ready(&mut self, timeout: Duration) -> bool {
        let client = reqwest::Client::new();
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(rx) = &mut self.exited {
                if rx.try_recv().is_ok() {
                    return false;
                }
            }
            let ping = client
                .get(format!("{}/ping", self.url))
                .timeout(Duration::from_secs(2))
                .send()
                .await;
            if matches!(ping, Ok(r) if r.status().is_success()) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// The server's HTTP URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's process id (fault tests stop and resume it).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Stops the server: SIGTERM, then SIGKILL after 30 seconds.
    pub async fn stop(mut self) {
        let Some(exited) = self.exited.take() else {
            return;
        };
        unsafe { libc::kill(self.pid, libc::SIGTERM) };
        if tokio::time::timeout(Duration::from_secs(30), exited)
            .await
            .is_err()
        {
            tracing::warn!(pid = self.pid, "ClickHouse ignored SIGTERM; killing it");
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
        }
        let _ = std::fs::remove_file(self.dir.join("clickhouse.pid"));
        tracing::info!("private ClickHouse stopped");
    }

    fn kill_now(&mut self) {
        if self.exited.take().is_some() {
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
            let _ = std::fs::remove_file(self.dir.join("clickhouse.pid"));
        }
    }
}

impl Drop for LocalClickHouse {
    fn drop(&mut self) {
        // Only reached without `stop()`: an error path. Never leave a server behind.
        self.kill_now();
    }
}

fn config_xml(dir: &Path, port: u16) -> String {
    let d = dir.display();
    // Only HTTP, only loopback. No native TCP port: Parcours speaks HTTP only, and one
    // port fewer is one collision fewer when tests run servers side by side.
    format!(
        r#"<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>{d}/log/server.log</log>
        <errorlog>{d}/log/server.err.log</errorlog>
        <size>10M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>{port}</http_port>
    <path>{d}/data/</path>
    <tmp_path>{d}/tmp/</tmp_path>
    <user_files_path>{d}/user_files/</user_files_path>
    <format_schema_path>{d}/format_schemas/</format_schema_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
    <!-- 18.16 defaults to 10 s, and a graceful stop waits out idle client connections. -->
    <keep_alive_timeout>3</keep_alive_timeout>
</yandex>
"#
    )
}

/// 60 % of the machine's memory (`MemTotal`), or 8 GB where it cannot be read.
fn all_queries_bytes() -> u64 {
    let total_kb = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    });
    total_kb.map_or(8_000_000_000, |kb| kb * 1024 / 10 * 6)
}

/// The default user, no password, loopback only. Besides the per-query cap, all queries
/// together may use at most 60 % of the machine's memory (`{ALL_QUERIES}`): a dashboard
/// opened on 10M events before the first build ran ten live queries at once and the
/// kernel killed ClickHouse at 23 GB; with the cap a query fails and the server stays.
const USERS_XML: &str = r#"<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>8000000000</max_memory_usage><max_memory_usage_for_all_queries>{ALL_QUERIES}</max_memory_usage_for_all_queries></default></profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
"#;

/// A store, and the private server behind it when this process started one.
pub struct Connection {
    /// Client for Parcours' database.
    pub store: Store,
    owned: Option<LocalClickHouse>,
}

impl Connection {
    /// Stops the private server if this process owns it.
    pub async fn close(self) {
        if let Some(server) = self.owned {
            server.stop().await;
        }
    }
}

/// Connects to the configured ClickHouse, or to the private server under the data
/// directory (reusing a running one, else starting and owning it).
pub async fn connect(config: &Config) -> Result<Connection, LocalError> {
    let ch = &config.clickhouse;
    let new_store =
        |url: &str| Store::with_timeouts(url, &ch.database, &ch.user, &ch.password, ch.timeouts());
    if let Some(url) = &ch.url {
        let mut store = new_store(url);
        if !ch.cluster.is_empty() {
            let cluster = Cluster::new(&ch.cluster, &ch.replicas, &store, &ch.user, &ch.password);
            store = store.with_cluster(cluster);
        }
        return Ok(Connection { store, owned: None });
    }
    let dir = config.data_dir.join("clickhouse");
    if let Some((pid, url)) = running_in(&dir) {
        tracing::info!(pid, url, "reusing the private ClickHouse already running");
        return Ok(Connection {
            store: new_store(&url),
            owned: None,
        });
    }
    let server = LocalClickHouse::start(&dir, 0).await?;
    Ok(Connection {
        store: new_store(server.url()),
        owned: Some(server),
    })
}
