//! `liaison demo`: three nodes of three fictional countries (`XAA`, `XBB`, `XCC`) on this machine, each with
//! its own database and keys, loaded with a generated exercise and with a user for every role, served on
//! 127.0.0.1 until Ctrl-C. What a newcomer runs first, and what scripted tests start with `--headless`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use liaison_core::Role;
use liaison_crypto::TotpSecret;
use liaison_scenario::{ScenarioConfig, generate_to_dir};
use liaison_server::Node;
use liaison_server::services::records::{CollectIssues, ImportOptions, JsonLinesSource};
use liaison_server::services::screening::ScreeningIndex;
use liaison_server::services::{Caller, partners, records, users};
use serde_json::json;

use crate::commands::{NodeSpec, create_node};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print one JSON line describing the nodes once they are ready (no banner), for scripts.
    #[arg(long)]
    headless: bool,
    /// The first node's HTTP port; the others follow (P, P+1, P+2), federation on P+10, P+11, P+12.
    #[arg(long, default_value_t = 8080)]
    base_port: u16,
    /// Residents per country in the generated exercise.
    #[arg(long, default_value_t = 5_000)]
    persons: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Keep the nodes' data here instead of a temporary directory removed at the end.
    #[arg(long)]
    keep: Option<PathBuf>,
}

/// The roles a demo node has a user for, each user named after its role.
const ROLES: [Role; 6] = [
    Role::Officer,
    Role::Analyst,
    Role::Supervisor,
    Role::Legal,
    Role::Auditor,
    Role::Admin,
];

struct DemoUser {
    username: String,
    role: Role,
    password: String,
    totp_secret: String,
}

struct DemoNode {
    node: Node,
    url: String,
    federation_url: String,
    data_dir: PathBuf,
    users: Vec<DemoUser>,
    /// An API token of the `admin` user (users and tokens).
    token: String,
    /// An API token of the `officer` user (screening, manifests), for the examples printed.
    officer_token: String,
}

/// The exercise's sharing agreement with `partner`.
fn demo_agreement(partner: &str) -> String {
    format!(
        "partner = \"{partner}\"\n\
         purposes = [\"border_check\", \"criminal_investigation\", \"missing_person\", \"exercise\"]\n\
         categories = [\"person\", \"document\", \"vehicle\", \"alert\"]\n\
         step1 = \"category\"\n\
         step2_approval = \"manual\"\n\
         rate_limit_per_minute = 600\n\
         response_deadline_ms = 2000\n"
    )
}

/// A password a trainee can type: four groups of letters and digits from the system's random source.
fn readable_password() -> String {
    let token = liaison_crypto::random_token("demo");
    let chars: Vec<char> = token
        .expose()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .skip(4)
        .take(16)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

async fn demo_users(node: &Node) -> anyhow::Result<(Vec<DemoUser>, String, String)> {
    let caller = Caller::cli();
    let mut created = Vec::new();
    for role in ROLES {
        let username = role.as_str().to_owned();
        let password = readable_password();
        users::create_user(node, &caller, &username, &[role], Some(&password)).await?;
        // Enrolled already, so a trainee logs in with the password and a code from the printed secret.
        let secret = TotpSecret::generate();
        let mut row = node
            .store
            .get_user(&username)
            .await?
            .context("the user just created is missing")?;
        row.totp_secret = Some(secret.base32().to_owned());
        row.totp_enabled = true;
        node.store.update_user(&row).await?;
        created.push(DemoUser {
            username,
            role,
            password,
            totp_secret: secret.base32().to_owned(),
        });
    }
    let (_, admin) = users::create_token(node, &caller, "admin", Some("demo")).await?;
    let (_, officer) = users::create_token(node, &caller, "officer", Some("demo")).await?;
    Ok((
        created,
        admin.expose().to_owned(),
        officer.expose().to_owned(),
    ))
}

async fn load_records(node: &Node, path: &Path) -> anyhow::Result<u64> {
    let path = path.to_path_buf();
    let source = JsonLinesSource {
        name: path.display().to_string(),
        open: move || std::fs::File::open(&path).map(std::io::BufReader::new),
        total_bytes: None,
    };
    let report = records::import(
        node,
        &Caller::cli(),
        &source,
        &ImportOptions::default(),
        &mut CollectIssues::default(),
    )
    .await?;
    if report.rejected > 0 {
        anyhow::bail!(
            "{} generated records were refused while loading",
            report.rejected
        );
    }
    Ok(report.inserted + report.updated)
}

pub async fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let temporary;
    let root = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.clone()
        }
        None => {
            temporary = tempfile::Builder::new()
                .prefix("liaison-demo-")
                .tempdir()
                .context("cannot create a temporary directory")?;
            temporary.path().to_path_buf()
        }
    };
    let scenario_dir = root.join("exercise");
    let summary = generate_to_dir(
        &ScenarioConfig::new(args.seed, 3, args.persons),
        &scenario_dir,
        &mut |_| {},
    )
    .context("cannot generate the exercise")?;

    let mut nodes = Vec::new();
    for (i, country) in summary.countries.iter().enumerate() {
        let port = args.base_port + i as u16;
        let federation_port = args.base_port + 10 + i as u16;
        let data_dir = root.join(&country.info.node_id);
        let spec = NodeSpec {
            node_id: country.info.node_id.clone(),
            country: country.info.code.clone(),
            database_url: None,
            federation_endpoint: Some(format!("https://127.0.0.1:{federation_port}")),
            listen: format!("127.0.0.1:{port}"),
        };
        let (mut node, _key) = create_node(&data_dir, &spec).await?;
        // Trainees log in with the codes the log-in page shows, without an authenticator app.
        node.settings.exercise_accounts = true;
        load_records(&node, &scenario_dir.join(&country.info.records_file)).await?;
        let (users, token, officer_token) = demo_users(&node).await?;
        node.screening = Some(Arc::new(ScreeningIndex::build(node.store.as_ref()).await?));
        nodes.push(DemoNode {
            node,
            url: format!("http://127.0.0.1:{port}"),
            federation_url: format!("https://127.0.0.1:{federation_port}"),
            data_dir,
            users,
            token,
            officer_token,
        });
    }

    // Every node is every other's partner: cards exchanged, agreements set for investigations, border
    // checks and exercises, with disclosure decided by a supervisor.
    let mut cards = Vec::new();
    for n in &nodes {
        cards.push(partners::own_card(
            &n.node,
            &format!("{} police (exercise)", n.node.country),
        )?);
    }
    for (i, n) in nodes.iter().enumerate() {
        for (j, card) in cards.iter().enumerate() {
            if i == j {
                continue;
            }
            partners::add_partner(
                &n.node,
                &Caller::cli(),
                card.as_bytes(),
                &demo_agreement(nodes[j].node.id.as_str()),
            )
            .await?;
        }
    }

    let (stop_federation, federation_stopped) = tokio::sync::watch::channel(false);
    let mut background = Vec::new();
    for n in &nodes {
        let address = n.federation_url.trim_start_matches("https://").to_owned();
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .with_context(|| format!("cannot listen on {address} (choose another --base-port)"))?;
        background.extend(liaison_server::federation::spawn_federation(
            n.node.clone(),
            listener,
            federation_stopped.clone(),
        )?);
    }

    // Requests with running deadlines, delivered by the federation just started.
    let seeded: Vec<&Node> = nodes.iter().map(|n| &n.node).collect();
    crate::demo_legal::seed(&seeded).await?;

    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut servers = Vec::new();
    for demo_node in &nodes {
        let address = demo_node.url.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .with_context(|| format!("cannot listen on {address} (choose another --base-port)"))?;
        let mut stopped = stop.subscribe();
        let node = demo_node.node.clone();
        servers.push(tokio::spawn(async move {
            liaison_server::http::serve(listener, node, async move {
                let _ = stopped.recv().await;
            })
            .await
        }));
    }

    if args.headless {
        let described: Vec<_> = nodes
            .iter()
            .map(|n| {
                json!({
                    "id": n.node.id.as_str(),
                    "country": n.node.country.as_str(),
                    "url": n.url,
                    "federation_url": n.federation_url,
                    "data_dir": n.data_dir.display().to_string(),
                    "users": n.users.iter().map(|u| json!({
                        "username": u.username,
                        "roles": [u.role.as_str()],
                        "password": u.password,
                        "totp_secret": u.totp_secret,
                    })).collect::<Vec<_>>(),
                    "token": n.token,
                })
            })
            .collect();
        println!("{}", json!({ "nodes": described }));
    } else {
        print_banner(&nodes, &scenario_dir, started.elapsed().as_secs_f64());
    }

    let _ = tokio::signal::ctrl_c().await;
    let _ = stop.send(());
    let _ = stop_federation.send(true);
    for server in servers {
        let _ = server.await;
    }
    for task in background {
        let _ = task.await;
    }
    if !args.headless {
        println!("Stopped.");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_banner(nodes: &[DemoNode], scenario_dir: &Path, seconds: f64) {
    println!("Three Liaison nodes are running ({seconds:.1} s to start).");
    println!(
        "Open a node's address in a browser and log in with a user and its password below; the log-in page shows"
    );
    println!("each account's current 6-digit code (an exercise node needs no authenticator app).");
    println!();
    for n in nodes {
        println!(
            "  {} ({})  {}  (API docs {}/api/docs; federation {})",
            n.node.id, n.node.country, n.url, n.url, n.federation_url
        );
        println!("    data: {}", n.data_dir.display());
        println!(
            "    API tokens: admin {}  officer {}",
            n.token, n.officer_token
        );
        for u in &n.users {
            println!(
                "    {:<10} password {}  TOTP secret {}",
                u.username, u.password, u.totp_secret
            );
        }
        println!();
    }
    println!(
        "The exercise (records, PAXLST and PNRGOV manifests, ground truth) is in {}.",
        scenario_dir.display()
    );
    println!("Try, with a node's officer token in $TOKEN:");
    println!(
        "  curl -H \"Authorization: Bearer $TOKEN\" --data-binary @{}/manifests/<file>.paxlst.edi {}/api/v1/manifests",
        scenario_dir.display(),
        nodes.first().map_or("", |n| n.url.as_str())
    );
    println!("Press Ctrl-C to stop the nodes.");
}
