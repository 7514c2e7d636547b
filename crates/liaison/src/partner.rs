//! `liaison partner`: federation onboarding. `card` prints this node's signed card for partners to pin;
//! `add` pins a partner's card with a sharing agreement; `list` shows partners and agreement versions.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use liaison_server::services::{Caller, ServiceError, partners};

use crate::commands::open_node;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Print this node's card (JSON, signed with its signing key): id, country, federation endpoint, TLS
    /// certificate and fingerprint, signing key. Give it to partners out of band.
    Card {
        /// The agency's name, for people.
        #[arg(long)]
        name: Option<String>,
    },
    /// Pin a partner: check its card's signature and certificate, and store the sharing agreement (TOML)
    /// as the next version. Audited.
    Add {
        /// The partner's card, as printed by its `liaison partner card`.
        card: PathBuf,
        /// The sharing agreement with that partner.
        #[arg(long)]
        agreement: PathBuf,
    },
    /// List partners with their status and current agreement version.
    List,
}

fn explain(error: ServiceError) -> anyhow::Error {
    match error {
        ServiceError::BadRequest { detail, .. } => anyhow::anyhow!(detail),
        other => other.into(),
    }
}

pub async fn partner(data_dir: &Path, command: PartnerCommand) -> anyhow::Result<ExitCode> {
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    match command {
        PartnerCommand::Card { name } => {
            let name = name.unwrap_or_else(|| node.id.to_string());
            println!("{}", partners::own_card(&node, &name).map_err(explain)?);
        }
        PartnerCommand::Add { card, agreement } => {
            let card_bytes =
                std::fs::read(&card).with_context(|| format!("cannot read {}", card.display()))?;
            let agreement_text = std::fs::read_to_string(&agreement)
                .with_context(|| format!("cannot read {}", agreement.display()))?;
            let (row, version) =
                partners::add_partner(&node, &Caller::cli(), &card_bytes, &agreement_text)
                    .await
                    .map_err(explain)?;
            println!(
                "partner `{}` ({}, {}) pinned: certificate {}, agreement version {version}",
                row.node_id, row.name, row.endpoint, row.tls_fingerprint
            );
        }
        PartnerCommand::List => {
            let list = partners::list_partners(&node, &Caller::cli()).await?;
            if list.is_empty() {
                println!("no partners");
            }
            for (row, version) in list {
                println!(
                    "{} {} ({}) {} {} agreement v{}",
                    row.node_id,
                    row.status,
                    row.country,
                    row.endpoint,
                    row.tls_fingerprint,
                    version.map_or_else(|| "-".to_owned(), |v| v.to_string())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
