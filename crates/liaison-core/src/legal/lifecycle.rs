//! The lifecycle of a legal cooperation request: its states, the actions that move it and the side entitled
//! to each action.

/// The two sides of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The authority that issues the request.
    Requesting,
    /// The authority that recognises and executes it.
    Executing,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestState {
    Draft,
    Sent,
    Received,
    Acknowledged,
    InformationRequested,
    InformationSupplied,
    Recognised,
    Refused,
    Postponed,
    InExecution,
    PartiallyExecuted,
    Executed,
    Closed,
    Withdrawn,
}

impl RequestState {
    pub const ALL: &'static [RequestState] = &[
        RequestState::Draft,
        RequestState::Sent,
        RequestState::Received,
        RequestState::Acknowledged,
        RequestState::InformationRequested,
        RequestState::InformationSupplied,
        RequestState::Recognised,
        RequestState::Refused,
        RequestState::Postponed,
        RequestState::InExecution,
        RequestState::PartiallyExecuted,
        RequestState::Executed,
        RequestState::Closed,
        RequestState::Withdrawn,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Draft => "draft",
            RequestState::Sent => "sent",
            RequestState::Received => "received",
            RequestState::Acknowledged => "acknowledged",
            RequestState::InformationRequested => "information_requested",
            RequestState::InformationSupplied => "information_supplied",
            RequestState::Recognised => "recognised",
            RequestState::Refused => "refused",
            RequestState::Postponed => "postponed",
            RequestState::InExecution => "in_execution",
            RequestState::PartiallyExecuted => "partially_executed",
            RequestState::Executed => "executed",
            RequestState::Closed => "closed",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    /// No action leaves a final state.
    pub fn is_final(self) -> bool {
        matches!(self, RequestState::Closed | RequestState::Withdrawn)
    }
}

impl std::fmt::Display for RequestState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one side does to a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Action {
    Send,
    Receive,
    Acknowledge,
    RequestInformation,
    SupplyInformation,
    Recognise,
    /// A refusal must state its grounds (for instance Directive 2014/41/EU Art. 11, FD 2002/584/JHA Art. 3
    /// and 4).
    Refuse {
        grounds: String,
    },
    Postpone,
    /// Starts the execution.
    Execute,
    CompletePartially,
    Complete,
    Close,
    Withdraw,
}

impl Action {
    /// The wire spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Send => "send",
            Action::Receive => "receive",
            Action::Acknowledge => "acknowledge",
            Action::RequestInformation => "request_information",
            Action::SupplyInformation => "supply_information",
            Action::Recognise => "recognise",
            Action::Refuse { .. } => "refuse",
            Action::Postpone => "postpone",
            Action::Execute => "execute",
            Action::CompletePartially => "complete_partially",
            Action::Complete => "complete",
            Action::Close => "close",
            Action::Withdraw => "withdraw",
        }
    }

    /// The side entitled to the action.
    pub fn side(&self) -> Side {
        match self {
            Action::Send | Action::SupplyInformation | Action::Close | Action::Withdraw => {
                Side::Requesting
            }
            Action::Receive
            | Action::Acknowledge
            | Action::RequestInformation
            | Action::Recognise
            | Action::Refuse { .. }
            | Action::Postpone
            | Action::Execute
            | Action::CompletePartially
            | Action::Complete => Side::Executing,
        }
    }
}

/// Why an action was refused in a state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a request that is {state} as the {side:?} side: {reason}")]
pub struct IllegalTransition {
    pub state: RequestState,
    pub action: &'static str,
    pub side: Side,
    pub reason: &'static str,
}

/// The state `action` by `side` moves a request in `state` to, or why it may not.
pub fn transition(
    state: RequestState,
    action: &Action,
    side: Side,
) -> Result<RequestState, IllegalTransition> {
    use RequestState as S;
    let refuse = |reason| IllegalTransition {
        state,
        action: action.as_str(),
        side,
        reason,
    };
    if state.is_final() {
        return Err(refuse("the request is final"));
    }
    if action.side() != side {
        return Err(refuse("the other side is entitled to this action"));
    }
    let next = match (action, state) {
        (Action::Send, S::Draft) => S::Sent,
        (Action::Receive, S::Sent) => S::Received,
        (Action::Acknowledge, S::Received) => S::Acknowledged,
        (Action::RequestInformation, S::Acknowledged | S::InformationSupplied | S::Postponed) => {
            S::InformationRequested
        }
        (Action::SupplyInformation, S::InformationRequested) => S::InformationSupplied,
        (Action::Recognise, S::Acknowledged | S::InformationSupplied | S::Postponed) => {
            S::Recognised
        }
        (Action::Refuse { grounds }, _) if grounds.trim().is_empty() => {
            return Err(refuse("a refusal must state its grounds"));
        }
        (
            Action::Refuse { .. },
            S::Acknowledged | S::InformationRequested | S::InformationSupplied | S::Postponed,
        ) => S::Refused,
        (Action::Postpone, S::Acknowledged | S::InformationSupplied | S::Recognised) => {
            S::Postponed
        }
        (Action::Execute, S::Recognised) => S::InExecution,
        (Action::CompletePartially, S::InExecution) => S::PartiallyExecuted,
        (Action::Complete, S::InExecution) => S::Executed,
        (Action::Close, S::Refused | S::PartiallyExecuted | S::Executed) => S::Closed,
        (
            Action::Withdraw,
            S::Draft
            | S::Sent
            | S::Received
            | S::Acknowledged
            | S::InformationRequested
            | S::InformationSupplied
            | S::Recognised
            | S::Postponed
            | S::InExecution,
        ) => S::Withdrawn,
        _ => return Err(refuse("the action is not allowed in this state")),
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use RequestState as S;

    fn every_action() -> Vec<Action> {
        vec![
            Action::Send,
            Action::Receive,
            Action::Acknowledge,
            Action::RequestInformation,
            Action::SupplyInformation,
            Action::Recognise,
            Action::Refuse {
                grounds: "ne bis in idem".to_owned(),
            },
            Action::Refuse {
                grounds: " ".to_owned(),
            },
            Action::Postpone,
            Action::Execute,
            Action::CompletePartially,
            Action::Complete,
            Action::Close,
            Action::Withdraw,
        ]
    }

    /// The allowed graph, written out independently of `transition`.
    const GRAPH: &[(RequestState, &str, RequestState)] = &[
        (S::Draft, "send", S::Sent),
        (S::Draft, "withdraw", S::Withdrawn),
        (S::Sent, "receive", S::Received),
        (S::Sent, "withdraw", S::Withdrawn),
        (S::Received, "acknowledge", S::Acknowledged),
        (S::Received, "withdraw", S::Withdrawn),
        (
            S::Acknowledged,
            "request_information",
            S::InformationRequested,
        ),
        (S::Acknowledged, "recognise", S::Recognised),
        (S::Acknowledged, "refuse", S::Refused),
        (S::Acknowledged, "postpone", S::Postponed),
        (S::Acknowledged, "withdraw", S::Withdrawn),
        (
            S::InformationRequested,
            "supply_information",
            S::InformationSupplied,
        ),
        (S::InformationRequested, "refuse", S::Refused),
        (S::InformationRequested, "withdraw", S::Withdrawn),
        (
            S::InformationSupplied,
            "request_information",
            S::InformationRequested,
        ),
        (S::InformationSupplied, "recognise", S::Recognised),
        (S::InformationSupplied, "refuse", S::Refused),
        (S::InformationSupplied, "postpone", S::Postponed),
        (S::InformationSupplied, "withdraw", S::Withdrawn),
        (S::Postponed, "request_information", S::InformationRequested),
        (S::Postponed, "recognise", S::Recognised),
        (S::Postponed, "refuse", S::Refused),
        (S::Postponed, "withdraw", S::Withdrawn),
        (S::Recognised, "postpone", S::Postponed),
        (S::Recognised, "execute", S::InExecution),
        (S::Recognised, "withdraw", S::Withdrawn),
        (S::InExecution, "complete_partially", S::PartiallyExecuted),
        (S::InExecution, "complete", S::Executed),
        (S::InExecution, "withdraw", S::Withdrawn),
        (S::PartiallyExecuted, "close", S::Closed),
        (S::Executed, "close", S::Closed),
        (S::Refused, "close", S::Closed),
    ];

    #[test]
    fn transitions_are_exactly_the_graph() {
        for &state in RequestState::ALL {
            for action in every_action() {
                for side in [Side::Requesting, Side::Executing] {
                    let result = transition(state, &action, side);
                    let blank_grounds =
                        matches!(&action, Action::Refuse { grounds } if grounds.trim().is_empty());
                    let expected = GRAPH
                        .iter()
                        .find(|(from, name, _)| *from == state && *name == action.as_str())
                        .filter(|_| side == action.side() && !blank_grounds)
                        .map(|(_, _, to)| *to);
                    assert_eq!(result.ok(), expected, "{state} {action:?} {side:?}");
                }
            }
        }
    }

    #[test]
    fn a_request_runs_its_course() {
        let steps = [
            (Action::Send, Side::Requesting, S::Sent),
            (Action::Receive, Side::Executing, S::Received),
            (Action::Acknowledge, Side::Executing, S::Acknowledged),
            (
                Action::RequestInformation,
                Side::Executing,
                S::InformationRequested,
            ),
            (
                Action::SupplyInformation,
                Side::Requesting,
                S::InformationSupplied,
            ),
            (Action::Recognise, Side::Executing, S::Recognised),
            (Action::Execute, Side::Executing, S::InExecution),
            (Action::Complete, Side::Executing, S::Executed),
            (Action::Close, Side::Requesting, S::Closed),
        ];
        let mut state = S::Draft;
        for (action, side, expected) in steps {
            state = transition(state, &action, side).unwrap();
            assert_eq!(state, expected);
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        let error = transition(
            S::Acknowledged,
            &Action::Refuse {
                grounds: String::new(),
            },
            Side::Executing,
        )
        .unwrap_err();
        assert_eq!(error.reason, "a refusal must state its grounds");
        let error = transition(S::Sent, &Action::Receive, Side::Requesting).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot receive a request that is sent as the Requesting side: the other side is entitled to this action"
        );
        let error = transition(S::Executed, &Action::Withdraw, Side::Requesting).unwrap_err();
        assert_eq!(error.reason, "the action is not allowed in this state");
    }

    proptest! {
        #[test]
        fn no_sequence_leaves_the_graph(steps in proptest::collection::vec((0usize..14, any::<bool>()), 0..60)) {
            let actions = every_action();
            let mut state = S::Draft;
            for (index, requesting) in steps {
                let action = &actions[index % actions.len()];
                let side = if requesting { Side::Requesting } else { Side::Executing };
                if let Ok(next) = transition(state, action, side) {
                        prop_assert!(!state.is_final(), "left final state {state}");
                        prop_assert!(
                            GRAPH.iter().any(|(from, name, to)| *from == state && *name == action.as_str() && *to == next),
                            "{state} --{action:?}--> {next} is not in the graph"
                        );
                        state = next;
                }
            }
        }
    }
}
