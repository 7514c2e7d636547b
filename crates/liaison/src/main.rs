//! `liaison`: the one binary of a Liaison node. Commands set up a node, run it, load and export its records,
//! manage users and tokens, and check the audit log.

mod border;
mod commands;
mod config;
mod demo;
mod demo_legal;
mod exercise;
mod legal;
mod partner;
mod scenario;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "liaison", version, about = "Liaison: a node for cross-border law-enforcement cooperation", long_about = None)]
struct Cli {
    /// The node's data directory (configuration, keys, embedded database).
    #[arg(
        long,
        global = true,
        default_value = "./liaison-data",
        env = "LIAISON_DATA_DIR"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a node: data directory, configuration, signing key, database, and an `admin` user whose one-time
    /// password is printed once.
    Init(commands::InitArgs),
    /// Run the node: the HTTP API on one port (`--listen`).
    Serve(commands::ServeArgs),
    /// Load records from Liaison JSON Lines (or persons from CSV). Bad lines are reported with their line
    /// number and field and skipped; with `--strict` any bad line refuses the whole file. Exit status: 0 all
    /// imported, 2 some lines rejected, 1 refused or failed.
    Import(commands::ImportArgs),
    /// Write every record of this node as Liaison JSON Lines (the same format `import` reads).
    Export(commands::ExportArgs),
    /// Screen one person against this node's records: hits with a score, a band (strong or possible) and an
    /// explanation. Every screening states a purpose and is audited.
    Screen(commands::ScreenArgs),
    /// Check a travel document's machine-readable zone.
    Mrz {
        #[command(subcommand)]
        command: border::MrzCommand,
    },
    /// Screen every traveller of a passenger manifest (PAXLST, PNRGOV or CSV) against wanted and missing
    /// persons, listed documents and risk rules; a report per traveller, audited with its purpose.
    ScreenManifest(border::ScreenManifestArgs),
    /// Three federated nodes on this machine (XAA, XBB, XCC), loaded with a generated exercise, with a user
    /// for every role; runs until Ctrl-C.
    Demo(demo::DemoArgs),
    /// Federation onboarding: this node's card, partners and their agreements.
    Partner {
        #[command(subcommand)]
        command: partner::PartnerCommand,
    },
    /// Legal cooperation: requests with their deadlines and actions, evidence with its chain of custody, the
    /// offence catalogue, dual criminality, turnaround statistics and the ICCS.
    Legal {
        #[command(subcommand)]
        command: legal::LegalCommand,
    },
    /// Score what trainees did on the nodes of an exercise against its ground truth.
    Exercise {
        #[command(subcommand)]
        command: exercise::ExerciseCommand,
    },
    /// Exercise data with ground truth.
    Scenario {
        #[command(subcommand)]
        command: scenario::ScenarioCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: commands::UserCommand,
    },
    /// Manage API tokens for machine clients.
    Token {
        #[command(subcommand)]
        command: commands::TokenCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: commands::AuditCommand,
    },
}

/// Output piped into a program that stops reading (`liaison legal iccs | head`) makes `println!` fail with
/// a broken pipe; a command line tool then ends quietly, as `cat` does, instead of reporting a crash.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            // 128 + SIGPIPE, the status a shell reports for a pipe closed under a writer.
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let verbose = matches!(cli.command, Command::Serve(_));
    init_tracing(verbose);
    // One TLS provider for the whole process (federation listener and partner clients).
    liaison_crypto::install_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Init(args) => commands::init(&cli.data_dir, args).await,
            Command::Serve(args) => commands::serve(&cli.data_dir, args).await,
            Command::Import(args) => commands::import(&cli.data_dir, args).await,
            Command::Export(args) => commands::export(&cli.data_dir, args).await,
            Command::Screen(args) => commands::screen(&cli.data_dir, args).await,
            Command::Mrz { command } => border::mrz(&cli.data_dir, command).await,
            Command::ScreenManifest(args) => border::screen_manifest(&cli.data_dir, args).await,
            Command::Demo(args) => demo::demo(args).await,
            Command::Partner { command } => partner::partner(&cli.data_dir, command).await,
            Command::Legal { command } => legal::legal(&cli.data_dir, command).await,
            Command::Exercise { command } => exercise::exercise(command).await,
            Command::Scenario { command } => scenario::scenario(&cli.data_dir, command),
            Command::User { command } => commands::user(&cli.data_dir, command).await,
            Command::Token { command } => commands::token(&cli.data_dir, command).await,
            Command::Audit { command } => commands::audit(&cli.data_dir, command).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error; `LIAISON_LOG` (or `RUST_LOG`) overrides the level, `LIAISON_LOG_FORMAT=json`
/// switches to JSON lines for log collectors.
fn init_tracing(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if verbose { "info" } else { "warn" };
    let filter = EnvFilter::try_from_env("LIAISON_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("LIAISON_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
