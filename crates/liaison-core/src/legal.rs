//! Legal cooperation between agencies, as rules without IO: request kinds and their deadlines, the lifecycle
//! of a request between the requesting and the executing side, and the dual criminality check.
//!
//! The legal sources of every rule are in `docs/legal.md`.

mod deadlines;
mod dual_criminality;
mod lifecycle;

pub use deadlines::{
    Availability, Deadline, DueStatus, Extension, Pause, RequestEvents, RequestKind, Urgency,
    deadlines, due_status,
};
pub use dual_criminality::{
    Assessment, CATALOGUE_FIELDS, DualCriminality, ICCS_DIVISIONS, ICCS_SECTIONS,
    LISTED_CATEGORIES, LISTED_CATEGORY_MIN_YEARS, ListedCategory, NationalOffence,
    OffenceCatalogue, assess, listed_category,
};
pub use lifecycle::{Action, IllegalTransition, RequestState, Side, transition};
