//! Deadlines of legal cooperation requests: which rule applies, from which event, and how pauses and
//! extensions move the due date.

use chrono::{DateTime, Duration, Utc};

use crate::ValidationError;

/// The kind of a legal cooperation request, which decides the deadlines that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKind {
    /// European Investigation Order.
    Eio,
    /// European Arrest Warrant.
    Eaw,
    /// Classic mutual legal assistance.
    Mla,
    Extradition,
    /// Information exchange between law-enforcement authorities.
    InformationRequest,
    /// Supplementary information after a hit on an alert.
    HitFollowUp,
}

impl RequestKind {
    pub const ALL: &'static [RequestKind] = &[
        RequestKind::Eio,
        RequestKind::Eaw,
        RequestKind::Mla,
        RequestKind::Extradition,
        RequestKind::InformationRequest,
        RequestKind::HitFollowUp,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "eio",
        "eaw",
        "mla",
        "extradition",
        "information_request",
        "hit_follow_up",
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Eio => "eio",
            RequestKind::Eaw => "eaw",
            RequestKind::Mla => "mla",
            RequestKind::Extradition => "extradition",
            RequestKind::InformationRequest => "information_request",
            RequestKind::HitFollowUp => "hit_follow_up",
        }
    }

    /// Parses the exact wire spelling.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        RequestKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| ValidationError::not_one_of(value, Self::NAMES))
    }

    /// What the request is called on paper and on screen.
    pub fn title(self) -> &'static str {
        match self {
            RequestKind::Eio => "European Investigation Order",
            RequestKind::Eaw => "European Arrest Warrant",
            RequestKind::Mla => "Mutual legal assistance request",
            RequestKind::Extradition => "Extradition request",
            RequestKind::InformationRequest => "Information request",
            RequestKind::HitFollowUp => "Hit follow-up",
        }
    }

    /// The instrument the request is made under.
    pub fn legal_basis(self) -> &'static str {
        match self {
            RequestKind::Eio => {
                "Directive 2014/41/EU regarding the European Investigation Order in criminal matters"
            }
            RequestKind::Eaw => {
                "Council Framework Decision 2002/584/JHA on the European arrest warrant and the surrender procedures between Member States"
            }
            RequestKind::Mla => {
                "European Convention on Mutual Assistance in Criminal Matters (1959) and the EU Convention of 29 May 2000, or a bilateral treaty"
            }
            RequestKind::Extradition => {
                "European Convention on Extradition (1957) or a bilateral extradition treaty"
            }
            RequestKind::InformationRequest => {
                "Directive (EU) 2023/977 on the exchange of information between the law enforcement authorities of Member States"
            }
            RequestKind::HitFollowUp => {
                "Regulation (EU) 2018/1862 (SIS police cooperation) and the SIRENE Manual"
            }
        }
    }
}

impl std::fmt::Display for RequestKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the requester marked the request urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Urgency {
    Urgent,
    Normal,
}

/// Whether the executing side holds the requested data in a database its officers can query directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    Direct,
    Indirect,
}

/// Time during which the clock of every deadline stood still (a request for information, a court's stay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    reason: String,
}

impl Pause {
    /// A pause from `from` until `until` (`None`: not resumed yet). A pause needs a reason and must not end
    /// before it starts.
    pub fn new(
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        reason: &str,
    ) -> Result<Self, ValidationError> {
        let reason = required_reason("pause", reason)?;
        if let Some(until) = until
            && until < from
        {
            return Err(ValidationError::Format {
                what: "pause",
                value: format!("{from} to {until}"),
                reason: "the resume is before the pause".to_owned(),
            });
        }
        Ok(Pause {
            from,
            until,
            reason,
        })
    }

    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    pub fn until(&self) -> Option<DateTime<Utc>> {
        self.until
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// More time granted for one deadline (named as in [`Deadline::name`]), with the reasons given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    deadline: String,
    by: Duration,
    reason: String,
}

impl Extension {
    /// An extension of the deadline `deadline` by `days` calendar days; it needs a reason.
    pub fn new(deadline: &str, days: u32, reason: &str) -> Result<Self, ValidationError> {
        let reason = required_reason("extension", reason)?;
        if days == 0 {
            return Err(ValidationError::Format {
                what: "extension",
                value: days.to_string(),
                reason: "an extension is at least one day".to_owned(),
            });
        }
        Ok(Extension {
            deadline: deadline.to_owned(),
            by: Duration::days(i64::from(days)),
            reason,
        })
    }

    pub fn deadline(&self) -> &str {
        &self.deadline
    }

    pub fn by(&self) -> Duration {
        self.by
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

fn required_reason(what: &'static str, reason: &str) -> Result<String, ValidationError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ValidationError::Format {
            what,
            value: String::new(),
            reason: "a reason is required".to_owned(),
        });
    }
    Ok(reason.to_owned())
}

/// What happened to a request so far: the events deadlines run from, and the pauses and extensions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestEvents {
    /// When the executing side received the request.
    pub received: Option<DateTime<Utc>>,
    /// When the requested person was arrested (EAW).
    pub arrested: Option<DateTime<Utc>>,
    /// When the arrested person consented to surrender (EAW).
    pub consented: Option<DateTime<Utc>>,
    /// When the executing side decided to recognise the order (EIO).
    pub recognised: Option<DateTime<Utc>>,
    /// A target date agreed between the sides or set by the requester (MLA, extradition).
    pub target_date: Option<DateTime<Utc>>,
    pub pauses: Vec<Pause>,
    pub extensions: Vec<Extension>,
}

/// One deadline of a request. `due` is `None` when the event it runs from has not happened, when no date
/// was set, or while a pause is still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub name: &'static str,
    pub due: Option<DateTime<Utc>>,
    pub rule: &'static str,
}

/// Where a deadline stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueStatus {
    /// No due date is known.
    Unknown,
    OnTime,
    /// Due within [`DUE_SOON_HOURS`]; `hours` left, rounded up.
    DueSoon {
        hours: i64,
    },
    Overdue {
        by: Duration,
    },
}

/// A deadline is reported due soon this many hours before it falls.
pub const DUE_SOON_HOURS: i64 = 24;

/// The deadlines of a request of `kind`, computed from the events that start them.
pub fn deadlines(
    kind: RequestKind,
    urgency: Urgency,
    availability: Availability,
    events: &RequestEvents,
) -> Vec<Deadline> {
    match kind {
        RequestKind::InformationRequest => {
            let (length, rule) = match (urgency, availability) {
                (Urgency::Urgent, Availability::Direct) => (
                    Duration::hours(8),
                    "Directive (EU) 2023/977 Art. 5(1)(a): 8 hours from receipt for an urgent request for directly accessible information",
                ),
                (Urgency::Urgent, Availability::Indirect) => (
                    Duration::days(3),
                    "Directive (EU) 2023/977 Art. 5(1)(b): 3 calendar days from receipt for an urgent request for indirectly accessible information",
                ),
                (Urgency::Normal, _) => (
                    Duration::days(7),
                    "Directive (EU) 2023/977 Art. 5(1)(c): 7 calendar days from receipt for any other request",
                ),
            };
            vec![running("reply", events.received, length, rule, events)]
        }
        RequestKind::HitFollowUp => vec![running(
            "supplementary_information",
            events.received,
            Duration::hours(12),
            "SIRENE Manual: supplementary information after a hit within 12 hours of receipt",
            events,
        )],
        RequestKind::Eio => vec![
            running(
                "recognition",
                events.received,
                Duration::days(30),
                "Directive 2014/41/EU Art. 12(3): recognition decision within 30 days of receipt",
                events,
            ),
            running(
                "execution",
                events.recognised,
                Duration::days(90),
                "Directive 2014/41/EU Art. 12(4): execution within 90 days of the recognition decision",
                events,
            ),
        ],
        RequestKind::Eaw => match events.consented {
            Some(consented) => vec![running(
                "surrender_decision",
                Some(consented),
                Duration::days(10),
                "FD 2002/584/JHA Art. 17(2): final decision within 10 days after the person consented to surrender; extendable by 30 days with reasons (Art. 17(4))",
                events,
            )],
            None => vec![running(
                "surrender_decision",
                events.arrested,
                Duration::days(60),
                "FD 2002/584/JHA Art. 17(3): final decision within 60 days after the arrest; extendable by 30 days with reasons (Art. 17(4))",
                events,
            )],
        },
        RequestKind::Mla | RequestKind::Extradition => {
            let due = events
                .target_date
                .and_then(|date| date.checked_add_signed(extensions_for("target_date", events)));
            vec![Deadline {
                name: "target_date",
                due,
                rule: "no statutory deadline: the target date agreed between the sides or set by the requester",
            }]
        }
    }
}

fn extensions_for(name: &str, events: &RequestEvents) -> Duration {
    events
        .extensions
        .iter()
        .filter(|extension| extension.deadline == name)
        .fold(Duration::zero(), |total, extension| {
            total.checked_add(&extension.by).unwrap_or(Duration::MAX)
        })
}

/// A deadline that runs `length` from `start`, moved by its extensions and by the pauses that fall before
/// it (the clock stops during a pause, so each pause pushes the due date by its length).
fn running(
    name: &'static str,
    start: Option<DateTime<Utc>>,
    length: Duration,
    rule: &'static str,
    events: &RequestEvents,
) -> Deadline {
    let due = start.and_then(|start| {
        // Out-of-range dates (a target in year 200,000) give no due date rather than an overflow.
        let mut due = start
            .checked_add_signed(length)?
            .checked_add_signed(extensions_for(name, events))?;
        let mut pauses: Vec<&Pause> = events.pauses.iter().collect();
        pauses.sort_by_key(|pause| pause.from);
        // Pauses may overlap; time already counted as paused is not counted twice.
        let mut paused_until = start;
        for pause in pauses {
            let from = pause.from.max(paused_until);
            if from >= due {
                continue;
            }
            match pause.until {
                None => return None,
                Some(until) if until > from => {
                    due = due.checked_add_signed(until - from)?;
                    paused_until = until;
                }
                Some(_) => {}
            }
        }
        Some(due)
    });
    Deadline { name, due, rule }
}

/// Where `deadline` stands at `now`.
pub fn due_status(deadline: &Deadline, now: DateTime<Utc>) -> DueStatus {
    let Some(due) = deadline.due else {
        return DueStatus::Unknown;
    };
    if now > due {
        return DueStatus::Overdue { by: now - due };
    }
    let left = due - now;
    if left <= Duration::hours(DUE_SOON_HOURS) {
        let minutes = left.num_minutes();
        DueStatus::DueSoon {
            hours: (minutes + 59) / 60,
        }
    } else {
        DueStatus::OnTime
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    type Due = Option<DateTime<Utc>>;
    type Case<'a> = (
        RequestKind,
        Urgency,
        Availability,
        &'a RequestEvents,
        Vec<(&'static str, Due)>,
    );

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    fn due(
        kind: RequestKind,
        urgency: Urgency,
        availability: Availability,
        events: &RequestEvents,
    ) -> Vec<(&'static str, Option<DateTime<Utc>>)> {
        deadlines(kind, urgency, availability, events)
            .into_iter()
            .map(|d| (d.name, d.due))
            .collect()
    }

    #[test]
    fn every_rule_from_its_event() {
        use Availability::*;
        use RequestKind::*;
        use Urgency::*;
        let received = RequestEvents {
            received: Some(at(1, 9)),
            ..RequestEvents::default()
        };
        let recognised = RequestEvents {
            received: Some(at(1, 9)),
            recognised: Some(at(10, 12)),
            ..RequestEvents::default()
        };
        let arrested = RequestEvents {
            received: Some(at(1, 9)),
            arrested: Some(at(2, 6)),
            ..RequestEvents::default()
        };
        let consented = RequestEvents {
            arrested: Some(at(2, 6)),
            consented: Some(at(3, 15)),
            ..RequestEvents::default()
        };
        let target = RequestEvents {
            received: Some(at(1, 9)),
            target_date: Some(at(28, 0)),
            ..RequestEvents::default()
        };
        let nothing = RequestEvents::default();
        let march = |day, hour| Some(at(day, hour));
        let table: Vec<Case> = vec![
            (
                InformationRequest,
                Urgent,
                Direct,
                &received,
                vec![("reply", march(1, 17))],
            ),
            (
                InformationRequest,
                Urgent,
                Indirect,
                &received,
                vec![("reply", march(4, 9))],
            ),
            (
                InformationRequest,
                Normal,
                Direct,
                &received,
                vec![("reply", march(8, 9))],
            ),
            (
                InformationRequest,
                Normal,
                Indirect,
                &received,
                vec![("reply", march(8, 9))],
            ),
            (
                InformationRequest,
                Urgent,
                Direct,
                &nothing,
                vec![("reply", None)],
            ),
            (
                HitFollowUp,
                Normal,
                Direct,
                &received,
                vec![("supplementary_information", march(1, 21))],
            ),
            (
                Eio,
                Normal,
                Direct,
                &received,
                vec![("recognition", march(31, 9)), ("execution", None)],
            ),
            (
                Eio,
                Normal,
                Direct,
                &recognised,
                vec![
                    ("recognition", march(31, 9)),
                    (
                        "execution",
                        Some(Utc.with_ymd_and_hms(2026, 6, 8, 12, 0, 0).unwrap()),
                    ),
                ],
            ),
            (
                Eaw,
                Normal,
                Direct,
                &arrested,
                vec![(
                    "surrender_decision",
                    Some(Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap()),
                )],
            ),
            (
                Eaw,
                Normal,
                Direct,
                &consented,
                vec![("surrender_decision", march(13, 15))],
            ),
            (
                Eaw,
                Normal,
                Direct,
                &nothing,
                vec![("surrender_decision", None)],
            ),
            (
                Mla,
                Normal,
                Direct,
                &target,
                vec![("target_date", march(28, 0))],
            ),
            (Mla, Normal, Direct, &received, vec![("target_date", None)]),
            (
                Extradition,
                Normal,
                Direct,
                &target,
                vec![("target_date", march(28, 0))],
            ),
            (
                Extradition,
                Normal,
                Direct,
                &nothing,
                vec![("target_date", None)],
            ),
        ];
        for (kind, urgency, availability, events, expected) in table {
            assert_eq!(
                due(kind, urgency, availability, events),
                expected,
                "{kind} {urgency:?} {availability:?}"
            );
        }
    }

    #[test]
    fn every_deadline_names_its_rule_and_kind_its_basis() {
        for &kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Ok(kind));
            assert!(!kind.legal_basis().is_empty());
            for d in deadlines(
                kind,
                Urgency::Urgent,
                Availability::Direct,
                &RequestEvents::default(),
            ) {
                assert!(!d.rule.is_empty());
            }
        }
        assert!(RequestKind::parse("EIO").is_err());
    }

    #[test]
    fn pauses_and_extensions_shift_due_dates() {
        let base = RequestEvents {
            received: Some(at(1, 9)),
            ..RequestEvents::default()
        };
        let pause = |from, until: Option<DateTime<Utc>>| {
            Pause::new(from, until, "information requested").unwrap()
        };
        let reply = |events: &RequestEvents| {
            deadlines(
                RequestKind::InformationRequest,
                Urgency::Normal,
                Availability::Direct,
                events,
            )[0]
            .due
        };
        let cases: Vec<(Vec<Pause>, Vec<Extension>, Due)> = vec![
            (vec![], vec![], Some(at(8, 9))),
            // two days paused inside the period
            (
                vec![pause(at(2, 9), Some(at(4, 9)))],
                vec![],
                Some(at(10, 9)),
            ),
            // still paused: no due date
            (vec![pause(at(2, 9), None)], vec![], None),
            // paused after the due date: no effect
            (
                vec![pause(at(9, 9), Some(at(12, 9)))],
                vec![],
                Some(at(8, 9)),
            ),
            // begun before receipt: only the part after receipt counts
            (
                vec![pause(at(1, 3), Some(at(1, 21)))],
                vec![],
                Some(at(8, 21)),
            ),
            // overlapping pauses count once
            (
                vec![
                    pause(at(2, 9), Some(at(4, 9))),
                    pause(at(3, 9), Some(at(5, 9))),
                ],
                vec![],
                Some(at(11, 9)),
            ),
            (
                vec![],
                vec![Extension::new("reply", 3, "volume of data").unwrap()],
                Some(at(11, 9)),
            ),
            // an extension of another deadline does not move this one
            (
                vec![],
                vec![Extension::new("execution", 3, "volume").unwrap()],
                Some(at(8, 9)),
            ),
            // a pause that falls in the extended period moves the extended date
            (
                vec![pause(at(9, 9), Some(at(10, 9)))],
                vec![Extension::new("reply", 3, "volume").unwrap()],
                Some(at(12, 9)),
            ),
        ];
        for (pauses, extensions, expected) in cases {
            let events = RequestEvents {
                pauses: pauses.clone(),
                extensions: extensions.clone(),
                ..base.clone()
            };
            assert_eq!(reply(&events), expected, "{pauses:?} {extensions:?}");
        }
        let eaw = RequestEvents {
            arrested: Some(at(1, 0)),
            extensions: vec![Extension::new("surrender_decision", 30, "appeal pending").unwrap()],
            ..RequestEvents::default()
        };
        assert_eq!(
            deadlines(
                RequestKind::Eaw,
                Urgency::Normal,
                Availability::Direct,
                &eaw
            )[0]
            .due,
            Some(Utc.with_ymd_and_hms(2026, 5, 30, 0, 0, 0).unwrap())
        );
        let mla = RequestEvents {
            target_date: Some(at(20, 0)),
            extensions: vec![Extension::new("target_date", 5, "translation").unwrap()],
            ..RequestEvents::default()
        };
        assert_eq!(
            deadlines(
                RequestKind::Mla,
                Urgency::Normal,
                Availability::Direct,
                &mla
            )[0]
            .due,
            Some(at(25, 0))
        );
    }

    #[test]
    fn pauses_and_extensions_need_reasons() {
        assert!(Pause::new(at(1, 0), Some(at(2, 0)), " ").is_err());
        assert!(Pause::new(at(2, 0), Some(at(1, 0)), "stay").is_err());
        assert!(Extension::new("reply", 3, "").is_err());
        assert!(Extension::new("reply", 0, "volume").is_err());
        let pause = Pause::new(at(1, 0), None, " court stay ").unwrap();
        assert_eq!(
            (pause.from(), pause.until(), pause.reason()),
            (at(1, 0), None, "court stay")
        );
    }

    #[test]
    fn status_at_a_moment() {
        let deadline = |due| Deadline {
            name: "reply",
            due,
            rule: "test",
        };
        let cases = [
            (deadline(None), at(1, 0), DueStatus::Unknown),
            (deadline(Some(at(5, 0))), at(1, 0), DueStatus::OnTime),
            (deadline(Some(at(5, 0))), at(3, 23), DueStatus::OnTime),
            (
                deadline(Some(at(5, 0))),
                at(4, 0),
                DueStatus::DueSoon { hours: 24 },
            ),
            (
                deadline(Some(at(5, 0))),
                at(4, 23) + Duration::minutes(30),
                DueStatus::DueSoon { hours: 1 },
            ),
            (
                deadline(Some(at(5, 0))),
                at(5, 0),
                DueStatus::DueSoon { hours: 0 },
            ),
            (
                deadline(Some(at(5, 0))),
                at(5, 6),
                DueStatus::Overdue {
                    by: Duration::hours(6),
                },
            ),
        ];
        for (deadline, now, expected) in cases {
            assert_eq!(due_status(&deadline, now), expected, "{now}");
        }
    }

    #[test]
    fn dates_out_of_range_give_no_due_date_instead_of_an_overflow() {
        let mut events = RequestEvents {
            received: Some(at(1, 9)),
            target_date: Some(DateTime::<Utc>::MAX_UTC),
            ..RequestEvents::default()
        };
        events
            .extensions
            .push(Extension::new("recognition", u32::MAX, "a very long stay").unwrap());
        events
            .extensions
            .push(Extension::new("target_date", u32::MAX, "and again").unwrap());
        let eio = deadlines(
            RequestKind::Eio,
            Urgency::Normal,
            Availability::Indirect,
            &events,
        );
        assert_eq!(eio[0].due, None);
        let mla = deadlines(
            RequestKind::Mla,
            Urgency::Normal,
            Availability::Indirect,
            &events,
        );
        assert_eq!(mla[0].due, None);
    }
}
