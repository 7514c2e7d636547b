//! The node's configuration: defaults, then `liaison.toml` in the data directory, then `LIAISON_SECTION__KEY`
//! environment variables, then command-line flags, turned into one validated `Config`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use liaison_core::{CountryCode, NodeId};
use serde::{Deserialize, Serialize};

pub const CONFIG_FILE: &str = "liaison.toml";
pub const SIGNING_KEY_FILE: &str = "node-signing.key";
pub const SQLITE_FILE: &str = "liaison.sqlite";
/// The node's TLS certificate for the federation listener (public; partners pin its fingerprint).
pub const TLS_CERT_FILE: &str = "federation-cert.pem";
/// Its private key (mode 0600).
pub const TLS_KEY_FILE: &str = "federation-key.pem";

/// The file as written by `liaison init` and read by every command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfigFile {
    pub node: NodeSection,
    #[serde(default)]
    pub database: DatabaseSection,
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub security: SecuritySection,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeSection {
    pub id: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federation_endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DatabaseSection {
    /// Empty means the embedded SQLite file in the data directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerSection {
    pub listen: String,
    pub secure_cookies: bool,
    pub max_body_bytes: usize,
}

impl Default for ServerSection {
    fn default() -> Self {
        ServerSection {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: true,
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecuritySection {
    pub lockout_failures: u32,
    pub lockout_minutes: i64,
    pub session_idle_minutes: i64,
}

impl Default for SecuritySection {
    fn default() -> Self {
        SecuritySection {
            lockout_failures: 5,
            lockout_minutes: 10,
            session_idle_minutes: 30,
        }
    }
}

/// The validated configuration every command works from.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub node_id: NodeId,
    pub country: CountryCode,
    pub database_url: String,
    pub listen: SocketAddr,
    pub settings: liaison_server::NodeSettings,
    /// The `https://host:port` partners reach this node at, if it federates.
    pub federation_endpoint: Option<String>,
}

/// The SQLite URL of the embedded database in `data_dir`.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join(SQLITE_FILE).display())
}

impl Config {
    /// Loads the data directory's configuration, with environment overrides.
    pub fn load(data_dir: &Path) -> anyhow::Result<Config> {
        let path = data_dir.join(CONFIG_FILE);
        if !path.exists() {
            bail!(
                "{} has no {CONFIG_FILE}: run `liaison init --data-dir {}` first",
                data_dir.display(),
                data_dir.display()
            );
        }
        let file: ConfigFile = config::Config::builder()
            .add_source(config::File::from(path.as_path()).format(config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix("LIAISON")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()
            .and_then(config::Config::try_deserialize)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::validate(data_dir, file)
    }

    fn validate(data_dir: &Path, file: ConfigFile) -> anyhow::Result<Config> {
        let node_id = NodeId::parse(&file.node.id).map_err(|e| anyhow::anyhow!("node.id: {e}"))?;
        let country = CountryCode::parse(&file.node.country)
            .map_err(|e| anyhow::anyhow!("node.country: {e}"))?;
        let listen = file.server.listen.parse().with_context(|| {
            format!(
                "server.listen: `{}` is not an address such as 127.0.0.1:8080",
                file.server.listen
            )
        })?;
        if file.security.lockout_failures == 0
            || file.security.lockout_minutes <= 0
            || file.security.session_idle_minutes <= 0
        {
            bail!(
                "security: lockout_failures, lockout_minutes and session_idle_minutes must be positive"
            );
        }
        let settings = liaison_server::NodeSettings {
            lockout_failures: file.security.lockout_failures,
            lockout_duration: chrono::Duration::minutes(file.security.lockout_minutes),
            session_idle_timeout: chrono::Duration::minutes(file.security.session_idle_minutes),
            secure_cookies: file.server.secure_cookies,
            max_body_bytes: file.server.max_body_bytes,
            exercise_accounts: false,
        };
        Ok(Config {
            data_dir: data_dir.to_owned(),
            node_id,
            country,
            database_url: file
                .database
                .url
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| sqlite_url(data_dir)),
            listen,
            settings,
            federation_endpoint: file.node.federation_endpoint.filter(|e| !e.is_empty()),
        })
    }
}

/// Writes a file readable only by its owner (keys, configuration holding database credentials).
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
