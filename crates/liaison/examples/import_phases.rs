//! Times each pass of the importer (validate, resolve references, store) on a fresh SQLite database, the way
//! `liaison import` runs it, to find which pass dominates a bulk import.
//!
//! ```text
//! cargo run --release -p liaison --example import_phases -- --file persons.jsonl --db "$TMPDIR/phases.sqlite"
//! ```
//!
//! The passes report progress every 10,000 items (and after every stored batch), so a phase boundary is known to
//! within 10,000 items; the figures are wall-clock seconds from the start of the import.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use liaison_core::{CountryCode, NodeId};
use liaison_server::services::Caller;
use liaison_server::services::records::{
    self, ImportIssue, ImportObserver, ImportOptions, ImportPhase, JsonLinesSource,
};
use liaison_server::{Node, NodeSettings, SystemClock};

#[derive(Debug, Parser)]
#[command(about = "Times the importer's passes on a fresh SQLite database")]
struct Args {
    /// A Liaison JSON Lines file.
    #[arg(long)]
    file: PathBuf,
    /// The SQLite file to create; it must not exist.
    #[arg(long)]
    db: PathBuf,
    /// Records per transaction (as `liaison import --batch-size`).
    #[arg(long, default_value_t = 5_000)]
    batch_size: usize,
}

/// Remembers when each phase was first reported, and counts issues.
struct PhaseClock {
    started: Instant,
    first_seen: Vec<(ImportPhase, f64, u64)>,
    last: Option<(ImportPhase, f64, u64)>,
    errors: u64,
    warnings: u64,
}

impl ImportObserver for PhaseClock {
    fn issue(&mut self, issue: &ImportIssue) {
        if issue.warning {
            self.warnings += 1;
        } else {
            self.errors += 1;
        }
        if self.errors + self.warnings <= 5 {
            eprintln!("issue: {}", issue.error);
        }
    }

    fn progress(&mut self, phase: ImportPhase, items_done: u64) {
        let at = self.started.elapsed().as_secs_f64();
        if self.first_seen.last().is_none_or(|(p, _, _)| *p != phase) {
            self.first_seen.push((phase, at, items_done));
        }
        self.last = Some((phase, at, items_done));
    }
}

fn phase_name(phase: ImportPhase) -> &'static str {
    match phase {
        ImportPhase::Validating => "validate",
        ImportPhase::Resolving => "resolve",
        ImportPhase::Storing => "store",
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.db.exists() {
        bail!("{} exists; give a new file", args.db.display());
    }
    let total_bytes = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?
        .len();
    let store = liaison_store::open(&format!("sqlite://{}", args.db.display()))
        .await
        .context("cannot create the database")?;
    let node = Node {
        id: NodeId::parse("bench-node").map_err(|e| anyhow::anyhow!("{e}"))?,
        country: CountryCode::parse("XAA").map_err(|e| anyhow::anyhow!("{e}"))?,
        store,
        clock: Arc::new(SystemClock),
        settings: NodeSettings::default(),
        // Like `liaison import`: loading records needs no screening index.
        screening: None,
        federation: None,
        graph: Default::default(),
    };
    let path = args.file.clone();
    let source = JsonLinesSource {
        name: args.file.display().to_string(),
        open: move || std::fs::File::open(&path).map(|f| BufReader::with_capacity(256 * 1024, f)),
        total_bytes: Some(total_bytes),
    };
    let options = ImportOptions {
        strict: false,
        batch_size: args.batch_size,
        list_stored: false,
    };
    let mut clock = PhaseClock {
        started: Instant::now(),
        first_seen: Vec::new(),
        last: None,
        errors: 0,
        warnings: 0,
    };
    let report = records::import(&node, &Caller::cli(), &source, &options, &mut clock).await?;
    let total = clock.started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "imported {} records, rejected {}, warnings {} in {total:.2} s ({:.0} records/s)",
        report.imported,
        report.rejected,
        report.warnings,
        report.imported as f64 / total
    )?;
    // A phase runs from its first report to the next phase's first report (the first 10,000 items of each
    // pass are therefore counted in the pass before; the error is under 1% for a million records).
    let starts = &clock.first_seen;
    for (i, (phase, at, _)) in starts.iter().enumerate() {
        let begin = if i == 0 { 0.0 } else { *at };
        let end = starts.get(i + 1).map_or(total, |(_, next, _)| *next);
        writeln!(
            out,
            "  {:<9} {:>7.2} s  ({:.0}% of the import)",
            phase_name(*phase),
            end - begin,
            100.0 * (end - begin) / total
        )?;
    }
    Ok(())
}
