//! The commands: each loads the configuration, opens the store and calls the node's services, so the
//! command line obeys the same rules (and writes the same audit entries) as the HTTP API.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use liaison_core::{CountryCode, NodeId, Role};
use liaison_crypto::NodeSigningKey;
use liaison_server::services::records::{
    CsvSource, ImportIssue, ImportObserver, ImportOptions, ImportPhase, ImportSource,
    JsonLinesSource,
};
use liaison_server::services::screening::{self, ScreeningIndex};
use liaison_server::services::{
    AuditEvent, Caller, audit as audit_service, record_audit, records, users,
};
use liaison_server::{Node, SystemClock};

use crate::config::{
    self, CONFIG_FILE, Config, ConfigFile, DatabaseSection, NodeSection, SIGNING_KEY_FILE,
    TLS_CERT_FILE, TLS_KEY_FILE,
};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// This node's id, as partners will address it (lower-case letters, digits and `-`).
    #[arg(long, default_value = "node-a")]
    node_id: String,
    /// The node's country: ISO 3166-1 alpha-3, an ICAO code, or a user-assigned `X..` code for exercises.
    #[arg(long, default_value = "XAA")]
    country: String,
    /// PostgreSQL instead of the embedded SQLite file, e.g. postgres://liaison:PASSWORD@127.0.0.1/liaison.
    #[arg(long, env = "LIAISON_DATABASE_URL")]
    database_url: Option<String>,
    /// The https://HOST:PORT address partners will use to reach this node.
    #[arg(long)]
    federation_endpoint: Option<String>,
    /// The address the HTTP API listens on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
}

/// What a new node is: the values `liaison init` takes as flags.
#[derive(Debug, Clone)]
pub(crate) struct NodeSpec {
    pub node_id: String,
    pub country: String,
    pub database_url: Option<String>,
    pub federation_endpoint: Option<String>,
    pub listen: String,
}

/// Creates a node's data directory: configuration, signing key, database with the node's identity, and
/// the audit entry that opens its log. Refuses a directory that already holds a node.
pub(crate) async fn create_node(
    data_dir: &Path,
    spec: &NodeSpec,
) -> anyhow::Result<(Node, NodeSigningKey)> {
    let node_id = NodeId::parse(&spec.node_id).map_err(|e| anyhow::anyhow!("--node-id: {e}"))?;
    let country =
        CountryCode::parse(&spec.country).map_err(|e| anyhow::anyhow!("--country: {e}"))?;
    if let Some(endpoint) = &spec.federation_endpoint
        && !endpoint.starts_with("https://")
    {
        bail!("--federation-endpoint: `{endpoint}` must be an https:// address");
    }
    if data_dir.join(CONFIG_FILE).exists() {
        bail!(
            "{} is already a node's data directory (it has {CONFIG_FILE}); choose another --data-dir",
            data_dir.display()
        );
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let file = ConfigFile {
        node: NodeSection {
            id: node_id.to_string(),
            country: country.to_string(),
            federation_endpoint: spec.federation_endpoint.clone(),
        },
        database: DatabaseSection {
            url: spec.database_url.clone(),
        },
        server: config::ServerSection {
            listen: spec.listen.clone(),
            ..Default::default()
        },
        security: Default::default(),
    };
    let key = NodeSigningKey::generate();
    config::write_private(&data_dir.join(SIGNING_KEY_FILE), &key.to_file_text())?;
    // The federation certificate names the endpoint's host, so partners can also check it by name.
    let hosts: Vec<String> = spec
        .federation_endpoint
        .as_deref()
        .and_then(endpoint_host)
        .into_iter()
        .collect();
    let identity = liaison_crypto::TlsIdentity::generate(node_id.as_str(), &hosts)
        .context("cannot create the federation certificate")?;
    config::write_private(&data_dir.join(TLS_KEY_FILE), &identity.key_pem())?;
    config::write_private(&data_dir.join(TLS_CERT_FILE), &identity.cert_pem())?;
    let text = toml::to_string_pretty(&file).context("cannot encode the configuration")?;
    config::write_private(
        &data_dir.join(CONFIG_FILE),
        &format!("# Liaison node configuration; see README.md.\n{text}"),
    )?;
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    node.store.put_setting("node.id", node.id.as_str()).await?;
    node.store
        .put_setting("node.country", node.country.as_str())
        .await?;
    node.store
        .put_setting("node.signing_public_key", &key.public_key_base64())
        .await?;
    node.store
        .put_setting(
            "federation.hit_ref_secret",
            liaison_crypto::random_token("hits").expose(),
        )
        .await?;
    record_audit(
        &node,
        &Caller::cli(),
        AuditEvent::new("node.init", "ok")
            .object(format!("node/{}", node.id))
            .detail(format!(
                "country {}, database {}",
                node.country,
                node.store.backend()
            )),
    )
    .await?;
    Ok((node, key))
}

pub async fn init(data_dir: &Path, args: InitArgs) -> anyhow::Result<ExitCode> {
    let spec = NodeSpec {
        node_id: args.node_id,
        country: args.country,
        database_url: args.database_url,
        federation_endpoint: args.federation_endpoint,
        listen: args.listen,
    };
    let (node, key) = create_node(data_dir, &spec).await?;
    let caller = Caller::cli();
    let password = users::create_user(&node, &caller, "admin", &[Role::Admin], None)
        .await?
        .context("no one-time password was generated")?;
    println!(
        "Node `{}` ({}) created in {}",
        node.id,
        node.country,
        data_dir.display()
    );
    println!("Database: {}", node.store.backend());
    println!(
        "Signing key: {} (public key {})",
        data_dir.join(SIGNING_KEY_FILE).display(),
        key.public_key_base64()
    );
    println!();
    println!("Administrator: admin");
    println!(
        "One-time password (shown once; change it at first log-in): {}",
        password.expose()
    );
    println!();
    println!(
        "Next: liaison --data-dir {} import examples/sample.jsonl",
        data_dir.display()
    );
    println!("      liaison --data-dir {} serve", data_dir.display());
    Ok(ExitCode::SUCCESS)
}

pub(crate) async fn open_node(config: &Config) -> anyhow::Result<Node> {
    let store = liaison_store::open(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database of {}", config.data_dir.display()))?;
    if let Some(stored) = store.get_setting("node.id").await?
        && stored != config.node_id.as_str()
    {
        bail!(
            "the database belongs to node `{stored}`, but the configuration says `{}`",
            config.node_id
        );
    }
    let federation = load_federation(config, store.as_ref()).await?;
    Ok(Node {
        id: config.node_id.clone(),
        country: config.country.clone(),
        store,
        clock: Arc::new(SystemClock),
        settings: config.settings.clone(),
        screening: None,
        federation,
        graph: Default::default(),
    })
}

/// The host of an `https://host:port` endpoint.
fn endpoint_host(endpoint: &str) -> Option<String> {
    let rest = endpoint.strip_prefix("https://")?;
    let authority = rest.split('/').next()?;
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    (!host.is_empty()).then(|| host.trim_matches(['[', ']']).to_owned())
}

/// The node's federation identity (certificate, key, signing key, pins), when it has a certificate.
async fn load_federation(
    config: &Config,
    store: &dyn liaison_store::Store,
) -> anyhow::Result<Option<Arc<liaison_server::federation::Federation>>> {
    let cert_path = config.data_dir.join(TLS_CERT_FILE);
    if !cert_path.exists() {
        return Ok(None);
    }
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let identity = liaison_crypto::TlsIdentity::from_pem(
        &read(cert_path)?,
        &read(config.data_dir.join(TLS_KEY_FILE))?,
    )
    .context("the federation certificate or key is unusable")?;
    let key = NodeSigningKey::from_file_text(&read(config.data_dir.join(SIGNING_KEY_FILE))?)
        .context("the signing key is unusable")?;
    let secret = match store.get_setting("federation.hit_ref_secret").await? {
        Some(secret) => secret,
        None => {
            let secret = liaison_crypto::random_token("hits").expose().to_owned();
            store
                .put_setting("federation.hit_ref_secret", &secret)
                .await?;
            secret
        }
    };
    let federation = liaison_server::federation::Federation::new(
        identity,
        key,
        config.federation_endpoint.clone(),
        secret.into_bytes(),
    );
    federation.reload_pins(store).await?;
    Ok(Some(Arc::new(federation)))
}

/// Builds the screening index from the store and attaches it to the node.
pub(crate) async fn with_screening(mut node: Node) -> anyhow::Result<Node> {
    let started = std::time::Instant::now();
    let index = ScreeningIndex::build(node.store.as_ref()).await?;
    tracing::info!(
        entries = index.len(),
        seconds = started.elapsed().as_secs_f64(),
        "screening index built"
    );
    node.screening = Some(Arc::new(index));
    Ok(node)
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address for the HTTP API (overrides `server.listen`).
    #[arg(long)]
    listen: Option<String>,
    /// The address for the federation listener (mutual TLS); by default the port of the node's federation
    /// endpoint on all interfaces of its host name.
    #[arg(long)]
    federation_listen: Option<String>,
}

pub async fn serve(data_dir: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(data_dir)?;
    if let Some(listen) = args.listen {
        config.listen = listen.parse().with_context(|| {
            format!("--listen: `{listen}` is not an address such as 127.0.0.1:8080")
        })?;
    }
    let node = with_screening(open_node(&config).await?).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(node = %node.id, %address, database = node.store.backend(), "serving");
    println!(
        "Liaison node `{}` serving on http://{address} (API docs: http://{address}/api/docs)",
        node.id
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    if node.federation.is_some() {
        let federation_address = match args.federation_listen {
            Some(address) => Some(address),
            None => config
                .federation_endpoint
                .as_deref()
                .and_then(|e| e.strip_prefix("https://"))
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned()),
        };
        if let Some(address) = federation_address {
            let federation_listener = tokio::net::TcpListener::bind(&address)
                .await
                .with_context(|| format!("cannot listen for partners on {address}"))?;
            let bound = federation_listener.local_addr()?;
            tasks = liaison_server::federation::spawn_federation(
                node.clone(),
                federation_listener,
                stopped,
            )?;
            println!("Federation listener (mutual TLS, pinned partners only) on https://{bound}");
        }
    }
    // The link-analysis graph is built in the background now, so an analyst's first question does not
    // wait for it.
    let warm = node.clone();
    tokio::spawn(async move {
        if let Err(error) = warm.graph.graph(&warm).await {
            tracing::warn!(%error, "the link-analysis graph could not be built at start");
        }
    });
    let shutdown = async move {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
        let _ = stop.send(true);
    };
    liaison_server::http::serve(listener, node, shutdown)
        .await
        .context("the server stopped")?;
    for task in tasks {
        let _ = task.await;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InputFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A Liaison JSON Lines file (`.jsonl`), or persons as CSV (`.csv`).
    file: PathBuf,
    /// Refuse the whole file if any line is bad or has an unknown field; nothing is stored then.
    #[arg(long)]
    strict: bool,
    /// The input format; by default taken from the file extension.
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Records per transaction.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch_size: u32,
}

/// Shows progress on a terminal and reports each problem as it is found.
struct CliObserver {
    bar: ProgressBar,
    errors: u64,
}

impl ImportObserver for CliObserver {
    fn issue(&mut self, issue: &ImportIssue) {
        let kind = if issue.warning { "warning" } else { "error" };
        if !issue.warning {
            self.errors += 1;
        }
        self.bar.suspend(|| eprintln!("{kind}: {}", issue.error));
    }

    fn progress(&mut self, phase: ImportPhase, items_done: u64) {
        let phase = match phase {
            ImportPhase::Validating => "validating",
            ImportPhase::Resolving => "resolving references",
            ImportPhase::Storing => "storing",
        };
        self.bar
            .set_message(format!("{phase}: {items_done} records"));
        self.bar.tick();
    }
}

pub async fn import(data_dir: &Path, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    let path = args.file.clone();
    let metadata =
        std::fs::metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!("{} is not a file", path.display());
    }
    let format = args
        .format
        .unwrap_or_else(|| match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => InputFormat::Csv,
            _ => InputFormat::Jsonl,
        });
    let name = path.display().to_string();
    let open_path = path.clone();
    let open =
        move || std::fs::File::open(&open_path).map(|f| BufReader::with_capacity(256 * 1024, f));
    let source: Box<dyn ImportSource + Send> = match format {
        InputFormat::Jsonl => Box::new(JsonLinesSource {
            name,
            open,
            total_bytes: Some(metadata.len()),
        }),
        InputFormat::Csv => Box::new(CsvSource {
            name,
            open,
            total_bytes: Some(metadata.len()),
        }),
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let mut observer = CliObserver {
        bar: bar.clone(),
        errors: 0,
    };
    let options = ImportOptions {
        strict: args.strict,
        batch_size: args.batch_size as usize,
        list_stored: false,
    };
    let started = std::time::Instant::now();
    let report = records::import(
        &node,
        &Caller::cli(),
        source.as_ref(),
        &options,
        &mut observer,
    )
    .await;
    bar.finish_and_clear();
    let report = report?;
    let seconds = started.elapsed().as_secs_f64();
    if report.refused {
        println!(
            "refused: {} bad lines in strict mode; nothing from {} was stored ({} warnings)",
            report.rejected,
            path.display(),
            report.warnings
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "imported {} records ({} new, {} updated), rejected {}, warnings {} in {seconds:.1} s",
        report.imported, report.inserted, report.updated, report.rejected, report.warnings
    );
    Ok(if report.rejected > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write the Liaison JSON Lines file; it appears only once complete.
    #[arg(long)]
    out: PathBuf,
    /// Why the records are exported (recorded in the audit log).
    #[arg(long)]
    purpose: Option<String>,
    /// The case the export is for.
    #[arg(long)]
    case_ref: Option<String>,
}

pub async fn export(data_dir: &Path, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    let directory = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Write beside the target and rename at the end, so a failed export never leaves a partial file.
    let temp = tempfile_in(directory)?;
    let mut writer =
        std::io::BufWriter::new(temp.0.try_clone().context("cannot write the export")?);
    let reason = records::AccessReason {
        purpose: args.purpose,
        case_ref: args.case_ref,
    };
    let written = records::export(&node, &Caller::cli(), &mut writer, &reason).await;
    drop(writer);
    let written = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&temp.1);
            return Err(e.into());
        }
    };
    temp.0.sync_all().context("cannot write the export")?;
    std::fs::rename(&temp.1, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("exported {written} records to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn tempfile_in(directory: &Path) -> anyhow::Result<(std::fs::File, PathBuf)> {
    let path = directory.join(format!(".liaison-export-{}.partial", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok((file, path))
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. Without `--password-stdin` a one-time password is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        /// A role: officer, analyst, supervisor, legal, auditor or admin. Repeat, or separate with commas.
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn user(data_dir: &Path, command: UserCommand) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    match command {
        UserCommand::Add {
            username,
            roles,
            password_stdin,
        } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r.trim()).map_err(|e| anyhow::anyhow!("--role: {e}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin()
                    .take(4096)
                    .read_to_string(&mut text)
                    .context("cannot read the password from standard input")?;
                let line = text.lines().next().unwrap_or_default().to_owned();
                Some(line)
            } else {
                None
            };
            let one_time = users::create_user(
                &node,
                &Caller::cli(),
                &username,
                &roles,
                password.as_deref(),
            )
            .await?;
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            println!("user `{username}` created with roles: {}", names.join(", "));
            if let Some(one_time) = one_time {
                println!(
                    "one-time password (shown once; change it at first log-in): {}",
                    one_time.expose()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token acting as a user, for a machine client. The token is printed once.
    Create {
        #[arg(long)]
        username: String,
        /// What the token is for, e.g. the client's name.
        #[arg(long)]
        label: Option<String>,
    },
}

pub async fn token(data_dir: &Path, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    match command {
        TokenCommand::Create { username, label } => {
            let (id, token) =
                users::create_token(&node, &Caller::cli(), &username, label.as_deref()).await?;
            eprintln!(
                "token {id} for `{username}` (shown once; send it as `Authorization: Bearer <token>`):"
            );
            println!("{}", token.expose());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no audit entry was altered, removed or reordered. Exit status 0 when intact, 1 otherwise,
    /// naming the first bad entry.
    Verify,
}

pub async fn audit(data_dir: &Path, command: AuditCommand) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    match command {
        AuditCommand::Verify => match audit_service::verify(&node, &Caller::cli()).await? {
            audit_service::Integrity::Intact {
                entries,
                head_seq,
                head_hash,
            } => {
                let head = match (head_seq, head_hash) {
                    (Some(seq), Some(hash)) => format!("; head is entry {seq} with hash {hash}"),
                    _ => String::new(),
                };
                println!("audit log intact: {entries} entries{head}");
                Ok(ExitCode::SUCCESS)
            }
            audit_service::Integrity::Broken { problem, .. } => {
                eprintln!("audit log broken: {problem}");
                Ok(ExitCode::FAILURE)
            }
        },
    }
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// A name in any script and order; repeat for several names (aliases, MRZ style `FAMILY<<GIVEN`).
    #[arg(long = "name")]
    names: Vec<String>,
    /// Date of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[arg(long)]
    dob: Option<String>,
    /// Nationality (ISO 3166-1 alpha-3 or ICAO code).
    #[arg(long)]
    nationality: Option<String>,
    /// Sex: M, F, X or U.
    #[arg(long)]
    sex: Option<String>,
    /// A document number; repeat for several.
    #[arg(long = "document")]
    documents: Vec<String>,
    /// Why: border_check, criminal_investigation, missing_person, counter_terrorism, legal_cooperation, exercise.
    #[arg(long)]
    purpose: Option<String>,
    /// The case this screening is for.
    #[arg(long)]
    case_ref: Option<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 10)]
    limit: u32,
    /// Print the same JSON body as `POST /api/v1/screen`.
    #[arg(long)]
    json: bool,
}

pub async fn screen(data_dir: &Path, args: ScreenArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = with_screening(open_node(&config).await?).await?;
    let query = liaison_proto::api::ScreenQuery {
        names: args.names,
        birth_date: args.dob,
        nationality: args.nationality,
        sex: args.sex,
        documents: args.documents,
    };
    let query = screening::parse_query(&query, "").map_err(|e| {
        // Name the command's flags rather than the API's fields.
        let mut message = e.to_string();
        for (field, flag) in [
            ("`query.names`", "`--name`"),
            ("`query.birth_date`", "`--dob`"),
            ("`query.nationality`", "`--nationality`"),
            ("`query.sex`", "`--sex`"),
        ] {
            message = message.replace(field, flag);
        }
        anyhow::anyhow!(message)
    })?;
    let reason = records::AccessReason {
        purpose: args.purpose,
        case_ref: args.case_ref,
    };
    let mut responses =
        screening::screen(&node, &Caller::cli(), &[query], &reason, args.limit).await?;
    let response = responses.pop().context("no screening result")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&response)?);
        return Ok(ExitCode::SUCCESS);
    }
    for warning in &response.warnings {
        eprintln!("warning: {warning}");
    }
    if response.hits.is_empty() {
        println!("no hits");
    }
    for hit in &response.hits {
        let id = hit.record.id.as_deref().unwrap_or("?");
        println!(
            "{} {}/{} (owner {}) score {:.2}",
            hit.band.to_uppercase(),
            hit.record.record_type,
            id,
            hit.record.owner,
            hit.score
        );
        for alert in &hit.alerts {
            println!("    alert {}: {}", alert.id, alert.category);
        }
        for item in &hit.explanation {
            println!("    {:+.2}  {}", item.weight, item.text);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes beside the target and renames, so a failure never leaves a partial file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (mut file, temp) = tempfile_in(directory)?;
    let written = std::io::Write::write_all(&mut file, bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))
}
