//! Legal cooperation between agencies, as rules without IO: request kinds and their deadlines, the lifecycle
//! of a request between the requesting and the executing side, and the dual criminality check.
//!
//! The legal sources of every rule are in `docs/legal.md`.

mod deadlines;
mod lifecycle;

pub use deadlines::{
    Availability, Deadline, DueStatus, Extension, Pause, RequestEvents, RequestKind, Urgency,
    deadlines, due_status,
};
pub use lifecycle::{Action, IllegalTransition, RequestState, Side, transition};
