//! The life of a disclosure request (step 2), the same on the requester's and the owner's node: pending
//! until the owner approves or refuses it, or until its deadline passes.

/// Where a disclosure request stands. Every state but `Pending` is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisclosureState {
    Pending,
    Approved,
    Refused,
    Expired,
}

/// What can happen to a disclosure request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisclosureEvent {
    /// The owner approved (a supervisor, or the owner's node under an automatic agreement); on the
    /// requester's node, an approving `disclosure.decision` arrived.
    Approve,
    /// The owner refused, or a refusing `disclosure.decision` arrived.
    Refuse,
    /// The deadline passed without a decision.
    Expire,
}

/// A request was asked to change in a way its state does not allow (for example approving a request that
/// was already refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a disclosure request that is {}", event.verb(), from.as_str())]
pub struct IllegalTransition {
    pub from: DisclosureState,
    pub event: DisclosureEvent,
}

impl DisclosureEvent {
    fn verb(self) -> &'static str {
        match self {
            DisclosureEvent::Approve => "approve",
            DisclosureEvent::Refuse => "refuse",
            DisclosureEvent::Expire => "expire",
        }
    }
}

impl DisclosureState {
    /// Every state, in order.
    pub const ALL: &'static [DisclosureState] = &[
        DisclosureState::Pending,
        DisclosureState::Approved,
        DisclosureState::Refused,
        DisclosureState::Expired,
    ];

    /// The spelling of the HTTP API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            DisclosureState::Pending => "pending",
            DisclosureState::Approved => "approved",
            DisclosureState::Refused => "refused",
            DisclosureState::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        DisclosureState::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
    }

    pub fn is_final(self) -> bool {
        self != DisclosureState::Pending
    }

    /// The state after `event`, or why the event is not allowed.
    pub fn transition(self, event: DisclosureEvent) -> Result<DisclosureState, IllegalTransition> {
        transition(self, event)
    }
}

/// The state after `event` happens to a request in state `from`. Only a pending request changes; a decision
/// that arrives after expiry (or twice) is refused, so what the requester saw stays what was decided.
pub fn transition(
    from: DisclosureState,
    event: DisclosureEvent,
) -> Result<DisclosureState, IllegalTransition> {
    match (from, event) {
        (DisclosureState::Pending, DisclosureEvent::Approve) => Ok(DisclosureState::Approved),
        (DisclosureState::Pending, DisclosureEvent::Refuse) => Ok(DisclosureState::Refused),
        (DisclosureState::Pending, DisclosureEvent::Expire) => Ok(DisclosureState::Expired),
        _ => Err(IllegalTransition { from, event }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DisclosureEvent::*;
    use DisclosureState::*;

    #[test]
    fn transition_table() {
        let table = [
            (Pending, Approve, Some(Approved)),
            (Pending, Refuse, Some(Refused)),
            (Pending, Expire, Some(Expired)),
            (Approved, Approve, None),
            (Approved, Refuse, None),
            (Approved, Expire, None),
            (Refused, Approve, None),
            (Refused, Refuse, None),
            (Refused, Expire, None),
            (Expired, Approve, None),
            (Expired, Refuse, None),
            (Expired, Expire, None),
        ];
        for (from, event, to) in table {
            assert_eq!(transition(from, event).ok(), to, "{from:?} + {event:?}");
            assert_eq!(from.transition(event).ok(), to);
        }
        assert_eq!(
            transition(Expired, Approve).map_err(|e| e.to_string()),
            Err("cannot approve a disclosure request that is expired".to_owned())
        );
    }

    #[test]
    fn spellings_round_trip() {
        for state in DisclosureState::ALL {
            assert_eq!(DisclosureState::parse(state.as_str()), Some(*state));
        }
        assert_eq!(DisclosureState::parse("done"), None);
        assert!(!Pending.is_final() && Approved.is_final());
    }
}
