//! Liaison's matching engine: finds the records of a person however their name was written (script,
//! transliteration, typos, order), weighs the evidence (names, dates of birth, sex, nationality, documents)
//! and explains every hit in words an officer understands. Pure and deterministic: no IO, no clock.
//!
//! The entry points are [`MatchIndex`] (build with [`MatchIndex::upsert`], screen with
//! [`MatchIndex::screen`]) and [`score_pair`] for one query against one record. The method is described in
//! `docs/matching.md`; every weight and threshold is in [`weights`].

mod compare;
pub mod eval;
mod evidence;
pub mod features;
mod icu;
mod index;
mod keys;
mod model;
mod mrz;
mod names;
mod score;
mod text;
mod tokens;
mod transcription;
mod translit;
pub mod weights;

pub use index::{MatchIndex, ScreenOptions};
pub use model::{
    Band, Contribution, DocumentKey, Hit, IndexedPerson, NameInput, Query, ScreenResult,
};
pub use mrz::parse_mrz_name;
pub use weights::{POSSIBLE_THRESHOLD, STRONG_THRESHOLD};

use score::{Frequencies, PreparedQuery, ScoringCache, ScoringContext, make_hit};
use tokens::TokenTable;

/// Scores one query against one record without an index, for evaluation on labelled pairs.
///
/// Unlike [`MatchIndex::screen`], nothing is filtered: the hit always carries the score and the full
/// explanation, even below [`POSSIBLE_THRESHOLD`] (its `band` is then `Possible` by convention; use
/// [`band_for`] to tell). Name frequencies are neutral here (every token counts as a name of typical
/// frequency), because there is no index to learn them from; screening against an index weighs common
/// names down and rare ones up, so scores can differ slightly from [`MatchIndex::screen`].
pub fn score_pair(query: &Query, person: &IndexedPerson) -> Hit {
    let mut table = TokenTable::default();
    let stored = index::store_person(&mut table, person.clone());
    let prepared = PreparedQuery::new(query, &table);
    let ctx = ScoringContext {
        table: &table,
        frequencies: Frequencies::Neutral,
    };
    let mut cache = ScoringCache::default();
    let mut scratch = Vec::new();
    make_hit(&ctx, &prepared, query, &stored, &mut cache, &mut scratch)
}

/// The band a score falls in, `None` below [`POSSIBLE_THRESHOLD`].
pub fn band_for(score: f64) -> Option<Band> {
    score::band_of(score)
}
