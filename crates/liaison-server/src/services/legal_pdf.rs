//! A legal cooperation request printed as a PDF document: the form the central authority files or sends,
//! with its parties, persons, offences, facts, measures, deadlines, timeline and evidence.

use liaison_proto::legal::{LegalRequestBody, LegalRequestForm};

use crate::Node;
use crate::pdf::{Block, Document, render as render_pdf, to_win_ansi};

fn kind_title(kind: &str) -> &'static str {
    liaison_core::legal::RequestKind::parse(kind)
        .map(|k| k.title())
        .unwrap_or("Legal Cooperation Request")
}

fn or_dash(value: Option<&str>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or("-")
        .to_owned()
}

fn authority(form_authority: Option<&liaison_proto::legal::Authority>) -> String {
    match form_authority {
        None => "-".to_owned(),
        Some(a) => {
            let mut text = a.name.clone();
            if let Some(country) = &a.country {
                text.push_str(&format!(" ({country})"));
            }
            if let Some(contact) = &a.contact {
                text.push_str(&format!("\nContact: {contact}"));
            }
            text
        }
    }
}

/// Whether any text of the form is outside what the PDF fonts show (and so was transliterated).
fn needs_transliteration(form: &LegalRequestForm) -> bool {
    let mut texts: Vec<&str> = vec![&form.facts, &form.requesting_authority.name];
    texts.extend(form.persons.iter().map(|p| p.name.as_str()));
    texts.extend(form.offences.iter().map(|o| o.national_name.as_str()));
    texts.extend(form.measures.iter().map(String::as_str));
    texts.iter().any(|text| to_win_ansi(text).1)
}

/// The document of a request as this node sees it.
pub fn document(node: &Node, request: &LegalRequestBody) -> Document {
    let form = &request.form;
    let mut blocks = vec![Block::Fields(vec![
        ("Request".to_owned(), request.id.clone()),
        ("Legal basis".to_owned(), request.legal_basis.clone()),
        ("State".to_owned(), request.state.replace('_', " ")),
        (
            "Urgency".to_owned(),
            if request.urgent {
                format!("URGENT: {}", or_dash(form.urgency_reason.as_deref()))
            } else {
                "normal".to_owned()
            },
        ),
        (
            "Case reference".to_owned(),
            or_dash(request.case_ref.as_deref()),
        ),
        (
            "Requesting node".to_owned(),
            request.requesting_node.clone(),
        ),
        ("Executing node".to_owned(), request.executing_node.clone()),
    ])];
    if needs_transliteration(form) {
        blocks.push(Block::Paragraph(
            "Names and text in scripts other than Latin are shown transliterated; the original spelling is in the request's JSON form."
                .to_owned(),
        ));
    }
    blocks.push(Block::Heading("A. Authorities".to_owned()));
    blocks.push(Block::Fields(vec![
        (
            "Requesting authority".to_owned(),
            authority(Some(&form.requesting_authority)),
        ),
        (
            "Executing authority".to_owned(),
            authority(form.executing_authority.as_ref()),
        ),
    ]));
    if !form.persons.is_empty() {
        blocks.push(Block::Heading("B. Persons concerned".to_owned()));
        blocks.push(Block::Table {
            columns: vec![
                ("Name".to_owned(), 4),
                ("Born".to_owned(), 2),
                ("Nationality".to_owned(), 2),
                ("Role".to_owned(), 2),
                ("Documents".to_owned(), 3),
            ],
            rows: form
                .persons
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        or_dash(p.birth_date.as_deref()),
                        or_dash(p.nationality.as_deref()),
                        or_dash(p.role.as_deref()).replace('_', " "),
                        if p.documents.is_empty() {
                            "-".to_owned()
                        } else {
                            p.documents.join(", ")
                        },
                    ]
                })
                .collect(),
        });
    }
    if !form.offences.is_empty() {
        blocks.push(Block::Heading("C. Offences".to_owned()));
        blocks.push(Block::Table {
            columns: vec![
                ("ICCS".to_owned(), 1),
                ("Offence (issuing state's law)".to_owned(), 4),
                ("Article".to_owned(), 2),
                ("Max. penalty".to_owned(), 2),
                ("FD 2002/584 Art. 2(2) category".to_owned(), 3),
            ],
            rows: form
                .offences
                .iter()
                .map(|o| {
                    vec![
                        o.iccs.clone(),
                        o.national_name.clone(),
                        or_dash(o.national_code.as_deref()),
                        format!("{} years", o.max_penalty_years),
                        o.listed_category
                            .as_deref()
                            .and_then(liaison_core::legal::listed_category)
                            .map(|c| format!("{}. {}", c.number, c.name))
                            .unwrap_or_else(|| "-".to_owned()),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(Block::Heading("D. Facts".to_owned()));
    blocks.push(Block::Paragraph(form.facts.clone()));
    if !form.measures.is_empty() {
        blocks.push(Block::Heading(
            "E. Measures or information requested".to_owned(),
        ));
        blocks.push(Block::Paragraph(
            form.measures
                .iter()
                .enumerate()
                .map(|(i, m)| format!("{}. {m}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    let mut other = Vec::new();
    if let Some(date) = &form.target_date {
        other.push(("Target date".to_owned(), date.clone()));
    }
    if let Some(availability) = &form.availability {
        other.push((
            "Information held".to_owned(),
            format!("{availability}ly accessible"),
        ));
    }
    if let Some(alert) = &form.related_alert {
        other.push(("Related alert or hit".to_owned(), alert.clone()));
    }
    if !other.is_empty() {
        blocks.push(Block::Fields(other));
    }
    blocks.push(Block::Heading("F. Deadlines".to_owned()));
    blocks.push(Block::Table {
        columns: vec![
            ("Deadline".to_owned(), 2),
            ("Due (UTC)".to_owned(), 2),
            ("Status".to_owned(), 1),
            ("Rule".to_owned(), 5),
        ],
        rows: request
            .deadlines
            .iter()
            .map(|d| {
                vec![
                    d.name.replace('_', " "),
                    d.due
                        .as_deref()
                        .map(short_time)
                        .unwrap_or_else(|| "not running yet".to_owned()),
                    d.status.replace('_', " "),
                    d.rule.clone(),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Heading("G. Timeline".to_owned()));
    blocks.push(Block::Table {
        columns: vec![
            ("Time (UTC)".to_owned(), 2),
            ("Action".to_owned(), 2),
            ("By".to_owned(), 3),
            ("State after".to_owned(), 2),
            ("Detail".to_owned(), 4),
        ],
        rows: request
            .timeline
            .iter()
            .map(|e| {
                vec![
                    short_time(&e.at),
                    e.action.replace('_', " "),
                    format!("{} ({}, {} side)", e.actor, e.node, e.side),
                    e.state_after.replace('_', " "),
                    or_dash(e.detail.as_deref()),
                ]
            })
            .collect(),
    });
    if !request.evidence.is_empty() {
        blocks.push(Block::Heading("H. Evidence".to_owned()));
        for item in &request.evidence {
            blocks.push(Block::Fields(vec![
                (
                    "File".to_owned(),
                    format!("{} ({}, {} bytes)", item.name, item.media_type, item.size),
                ),
                ("SHA-256".to_owned(), item.sha256.clone()),
                ("Collected by".to_owned(), item.origin.clone()),
                (
                    "Verification".to_owned(),
                    match &item.status_detail {
                        Some(detail) => format!("{}: {detail}", item.status),
                        None => item.status.clone(),
                    },
                ),
            ]));
            blocks.push(Block::Table {
                columns: vec![
                    ("#".to_owned(), 1),
                    ("Event".to_owned(), 2),
                    ("Time (UTC)".to_owned(), 3),
                    ("Node".to_owned(), 2),
                    ("By".to_owned(), 3),
                    ("Signature".to_owned(), 3),
                ],
                rows: item
                    .custody
                    .iter()
                    .map(|c| {
                        vec![
                            c.event.seq.to_string(),
                            c.event.event.clone(),
                            short_time(&c.event.at),
                            c.event.node.clone(),
                            c.event.actor.clone(),
                            c.verification.clone(),
                        ]
                    })
                    .collect(),
            });
        }
    }
    blocks.push(Block::Rule);
    blocks.push(Block::Paragraph(format!(
        "Printed by Liaison node {} from the request as the {} side holds it. The request's deadlines are computed in UTC from the events they run from.",
        node.id.as_str(),
        request.side
    )));
    let now = node.now();
    Document {
        title: kind_title(&request.kind).to_owned(),
        subtitle: Some(format!(
            "{} → {} · {}",
            request.requesting_node, request.executing_node, request.legal_basis
        )),
        created: now.format("%Y-%m-%d %H:%M UTC").to_string(),
        footer: Some(format!(
            "Liaison {} · request {} · printed {} · page {{page}} of {{pages}}",
            node.id.as_str(),
            request.id,
            now.format("%Y-%m-%d %H:%M UTC")
        )),
        blocks,
    }
}

/// `2026-03-01T09:30:00.000000Z` → `2026-03-01 09:30`.
fn short_time(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => at.to_owned(),
    }
}

/// The request as PDF bytes.
pub fn render(node: &Node, request: &LegalRequestBody) -> Vec<u8> {
    render_pdf(&document(node, request))
}
