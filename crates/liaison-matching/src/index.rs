//! The in-memory screening index: records kept as interned tokens, posting lists from blocking keys to
//! record slots, token frequencies learned from the indexed persons, candidate generation and top-k.

use liaison_core::RecordType;
use rustc_hash::FxHashMap;

use crate::evidence::{normalize_document, ocr_fold};
use crate::features::FeatureVector;
use crate::keys::hash_bytes;
use crate::model::{Band, Hit, IndexedPerson, Query, ScreenResult};
use crate::names::{TokenKind, analyze_input, joined_compounds};
use crate::score::{
    Frequencies, PreparedQuery, ScoringCache, ScoringContext, StoredDocument, StoredPerson,
    StoredToken, evaluate, logistic, logit, make_hit,
};
use crate::tokens::TokenTable;
use crate::weights::*;

/// How many hits to return and from which band on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenOptions {
    pub limit: usize,
    pub min_band: Band,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            limit: 10,
            min_band: Band::Possible,
        }
    }
}

/// A token whose blocking keys all have postings this small finds candidates alone, without a second
/// query token agreeing (a rare surname typed alone).
const SOLO_POSTING_LIMIT: usize = 1_500;

/// The screening index. Built by [`MatchIndex::upsert`], kept current with upserts and removals, read by
/// any number of concurrent [`MatchIndex::screen`] calls (`&self`).
#[derive(Default, Clone)]
pub struct MatchIndex {
    tokens: TokenTable,
    persons: Vec<Option<StoredPerson>>,
    slots: FxHashMap<(RecordType, Box<str>), u32>,
    free: Vec<u32>,
    postings: FxHashMap<u64, Vec<u32>>,
    frequencies: FxHashMap<u64, u32>,
    live: usize,
}

impl std::fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex")
            .field("records", &self.live)
            .field("distinct_tokens", &self.tokens.len())
            .field("blocking_keys", &self.postings.len())
            .finish()
    }
}

fn document_key(number: &str) -> Option<u64> {
    let normalized = normalize_document(number);
    (normalized.len() >= DOCUMENT_MIN_LEN)
        .then(|| hash_bytes(b'n', ocr_fold(&normalized).as_bytes()))
}

/// Turns a record into its stored form, interning its tokens.
pub(crate) fn store_person(tokens: &mut TokenTable, person: IndexedPerson) -> StoredPerson {
    let mut warnings = Vec::new();
    let mut names: Vec<Vec<StoredToken>> = Vec::new();
    for name in person.names.iter().take(MAX_RECORD_NAMES) {
        let analyzed = analyze_input(name, &mut warnings);
        if analyzed.tokens.is_empty() {
            continue;
        }
        let joined = joined_compounds(&analyzed);
        for analyzed in std::iter::once(analyzed).chain(joined) {
            let index = names.len() as u8;
            let stored: Vec<StoredToken> = analyzed
                .tokens
                .iter()
                .map(|t| StoredToken {
                    id: tokens.intern(t),
                    role: t.role,
                    kind: t.kind,
                    name: index,
                })
                .collect();
            let duplicate = names.iter().any(|n| {
                n.iter()
                    .map(|t| (t.id, t.role))
                    .eq(stored.iter().map(|t| (t.id, t.role)))
            });
            if !duplicate {
                names.push(stored);
            }
        }
    }
    // Re-number after dropping duplicates, so consecutive names never share a number.
    let flat: Vec<StoredToken> = names
        .into_iter()
        .enumerate()
        .flat_map(|(i, name)| {
            name.into_iter()
                .map(move |t| StoredToken { name: i as u8, ..t })
        })
        .collect();
    StoredPerson {
        record_type: person.record_type,
        id: person.id.into_boxed_str(),
        tokens: flat.into_boxed_slice(),
        birth_dates: person.birth_dates.into_iter().collect(),
        sex: person.sex,
        nationalities: person.nationalities.into_boxed_slice(),
        documents: person
            .documents
            .into_iter()
            .map(|d| StoredDocument {
                number: d.number.into_boxed_str(),
                record_id: d.record_id.map(String::into_boxed_str),
            })
            .collect(),
    }
}

impl MatchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds a record, or replaces the record with the same type and id.
    pub fn upsert(&mut self, person: IndexedPerson) {
        self.remove(person.record_type, &person.id);
        let stored = store_person(&mut self.tokens, person);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.persons.push(None);
                (self.persons.len() - 1) as u32
            }
        };
        let (keys, frequency_keys) = self.keys_of(&stored);
        for key in keys {
            let list = self.postings.entry(key).or_default();
            if list.last().is_none_or(|&last| last < slot) {
                list.push(slot);
            } else if let Err(at) = list.binary_search(&slot) {
                list.insert(at, slot);
            }
        }
        for key in frequency_keys {
            *self.frequencies.entry(key).or_insert(0) += 1;
        }
        self.slots
            .insert((stored.record_type, stored.id.clone()), slot);
        self.persons[slot as usize] = Some(stored);
        self.live += 1;
    }

    /// Removes a record; `false` if it was not indexed.
    pub fn remove(&mut self, record_type: RecordType, id: &str) -> bool {
        let Some(slot) = self.slots.remove(&(record_type, Box::from(id))) else {
            return false;
        };
        let Some(stored) = self.persons.get_mut(slot as usize).and_then(Option::take) else {
            return false;
        };
        let (keys, frequency_keys) = self.keys_of(&stored);
        for key in keys {
            if let Some(list) = self.postings.get_mut(&key) {
                if let Ok(at) = list.binary_search(&slot) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.postings.remove(&key);
                }
            }
        }
        for key in frequency_keys {
            if let Some(count) = self.frequencies.get_mut(&key) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.frequencies.remove(&key);
                }
            }
        }
        self.free.push(slot);
        self.live -= 1;
        true
    }

    /// Blocking keys and frequency keys of a stored record, each sorted and without duplicates.
    fn keys_of(&self, person: &StoredPerson) -> (Vec<u64>, Vec<u64>) {
        let mut keys = Vec::new();
        let mut frequency_keys = Vec::new();
        for token in person.tokens.iter() {
            if let Some(info) = self.tokens.get(token.id) {
                info.blocking_keys(self.tokens.units(token.id), &[], &mut keys, false);
                if info.kind == TokenKind::Normal {
                    frequency_keys.push(info.frequency_key);
                }
            }
        }
        for document in person.documents.iter() {
            if let Some(key) = document_key(&document.number) {
                keys.push(key);
            }
        }
        keys.sort_unstable();
        keys.dedup();
        frequency_keys.sort_unstable();
        frequency_keys.dedup();
        (keys, frequency_keys)
    }

    /// Warms the caches for the candidate `ahead` places after the one about to be scored: scoring a
    /// candidate of a name-only query reads its record, its tokens, their analyses, their Latin forms
    /// and the letters of these, each behind a pointer to the previous one, so each step is prefetched
    /// one candidate earlier than the next (a hint only: results do not depend on it).
    /// With `deep` false (a query with a date of birth, whose candidates are mostly ruled out by their
    /// date before any name is compared), only the records are warmed.
    fn warm(&self, candidates: &[u32], at: usize, deep: bool) {
        if let Some(Some(person)) = candidates
            .get(at + 4)
            .and_then(|&s| self.persons.get(s as usize))
        {
            touch(&person.record_type);
        }
        if !deep {
            return;
        }
        if let Some(Some(person)) = candidates
            .get(at + 3)
            .and_then(|&s| self.persons.get(s as usize))
            && let Some(token) = person.tokens.first()
        {
            touch(&token.id);
        }
        if let Some(Some(person)) = candidates
            .get(at + 2)
            .and_then(|&s| self.persons.get(s as usize))
        {
            for token in person.tokens.iter() {
                if let Some(info) = self.tokens.get(token.id) {
                    touch(&info.kind);
                }
            }
        }
        if let Some(Some(person)) = candidates
            .get(at + 1)
            .and_then(|&s| self.persons.get(s as usize))
        {
            for token in person.tokens.iter() {
                if let Some(info) = self.tokens.get(token.id) {
                    for form in info.forms.iter().take(2) {
                        touch(&form.latin_hash);
                        if let Some(first) = form.latin.as_bytes().first() {
                            touch(first);
                        }
                    }
                }
            }
        }
    }

    fn context(&self) -> ScoringContext<'_> {
        ScoringContext {
            table: &self.tokens,
            frequencies: Frequencies::Index {
                counts: &self.frequencies,
                population: self.live,
            },
        }
    }

    /// Candidate slots for a prepared query, sorted and without duplicates.
    fn candidates(&self, query: &PreparedQuery, warnings: &mut Vec<String>) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let mut keys = Vec::new();
        for name in &query.names {
            // Per token: the union of its selective posting lists, or, when every list is large (a very
            // common name), only its smallest list, which is consulted but not walked.
            let mut selective: Vec<Vec<u32>> = Vec::new();
            let mut common: Vec<&[u32]> = Vec::new();
            for token in name {
                keys.clear();
                token
                    .info
                    .blocking_keys(&token.units.native, &token.units.forms, &mut keys, true);
                keys.sort_unstable();
                keys.dedup();
                let lists: Vec<&[u32]> = keys
                    .iter()
                    .filter_map(|k| self.postings.get(k))
                    .map(Vec::as_slice)
                    .collect();
                let small: Vec<&[u32]> = lists
                    .iter()
                    .copied()
                    .filter(|l| l.len() <= MAX_POSTING_FOR_UNION)
                    .collect();
                if !small.is_empty() {
                    selective.push(union_sorted(&small));
                } else if let Some(smallest) = lists.iter().copied().min_by_key(|l| l.len()) {
                    common.push(smallest);
                }
            }
            common.sort_by_key(|l| l.len());
            match (selective.len(), common.len()) {
                (0, 0) => {}
                (0, 1) | (1, 0) => {
                    let list: &[u32] = match (selective.first(), common.first()) {
                        (Some(list), _) => list,
                        (None, Some(list)) => list,
                        (None, None) => &[],
                    };
                    if list.len() > MAX_CANDIDATES {
                        warnings.push(format!(
                            "name is very common: only {MAX_CANDIDATES} of {} candidates were scored; add a date of birth or another name",
                            list.len()
                        ));
                    }
                    out.extend(list.iter().take(MAX_CANDIDATES));
                }
                (0, _) => {
                    // Only common names ("MOHAMMED ALI"): records holding the two rarest of them.
                    if let [first, second, ..] = common.as_slice() {
                        out.extend(intersect_sorted(first, second));
                    }
                }
                _ => {
                    // A record qualifies when two query tokens reach it, or when one rare token does.
                    let mut counted: Vec<(u32, u8)> = Vec::new();
                    for list in &selective {
                        counted = merge_counts(&counted, list);
                    }
                    for (slot, count) in counted {
                        let reached = count >= 2
                            || common.iter().any(|list| list.binary_search(&slot).is_ok());
                        if reached {
                            out.push(slot);
                        }
                    }
                    for list in &selective {
                        if list.len() <= SOLO_POSTING_LIMIT {
                            out.extend(list.iter());
                        }
                    }
                }
            }
        }
        for number in &query.documents {
            if let Some(list) = document_key(number).and_then(|k| self.postings.get(&k)) {
                out.extend(list.iter());
            }
        }
        out.sort_unstable();
        out.dedup();
        if out.len() > MAX_CANDIDATES {
            warnings.push(format!(
                "query is very unspecific: only {MAX_CANDIDATES} of {} candidates were scored",
                out.len()
            ));
            out.truncate(MAX_CANDIDATES);
        }
        out
    }

    /// Screens one query: hits best first (ties by record type and id), with explanations and warnings.
    pub fn screen(&self, query: &Query, options: &ScreenOptions) -> ScreenResult {
        let mut cache = ScoringCache::default();
        let mut scratch = Vec::new();
        self.screen_with(query, options, &mut cache, &mut scratch)
    }

    fn screen_with(
        &self,
        query: &Query,
        options: &ScreenOptions,
        cache: &mut ScoringCache,
        scratch: &mut Vec<f64>,
    ) -> ScreenResult {
        cache.clear();
        let prepared = PreparedQuery::new(query, &self.tokens);
        let mut warnings = prepared.warnings.clone();
        if prepared.names.is_empty() && prepared.documents.is_empty() {
            warnings.push("query has no name and no document number to search on".to_owned());
            return ScreenResult {
                hits: Vec::new(),
                warnings,
            };
        }
        let candidates = self.candidates(&prepared, &mut warnings);
        let ctx = self.context();
        let threshold = match options.min_band {
            Band::Possible => POSSIBLE_THRESHOLD,
            Band::Strong => STRONG_THRESHOLD,
        };
        let mut scored: Vec<(f64, &StoredPerson)> = Vec::new();
        let deep = query.birth_date.is_none() || !prepared.documents.is_empty();
        for (at, &slot) in candidates.iter().enumerate() {
            self.warm(&candidates, at, deep);
            let Some(Some(person)) = self.persons.get(slot as usize) else {
                continue;
            };
            let evaluation = evaluate(
                &ctx,
                &prepared,
                query,
                person,
                cache,
                scratch,
                Some(logit(threshold)),
                None,
                None,
            );
            let score = logistic(evaluation.log_odds);
            if score >= threshold {
                scored.push((score, person));
            }
        }
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.record_type.cmp(&b.1.record_type))
                .then(a.1.id.cmp(&b.1.id))
        });
        scored.truncate(options.limit);
        let hits: Vec<Hit> = scored
            .into_iter()
            .map(|(_, person)| make_hit(&ctx, &prepared, query, person, cache, scratch))
            .collect();
        ScreenResult { hits, warnings }
    }

    /// Screens many queries (a passenger manifest), in order.
    pub fn screen_batch(&self, queries: &[Query], options: &ScreenOptions) -> Vec<ScreenResult> {
        let mut cache = ScoringCache::default();
        let mut scratch = Vec::new();
        queries
            .iter()
            .map(|q| self.screen_with(q, options, &mut cache, &mut scratch))
            .collect()
    }

    /// How many candidates a query would score (for benchmarks and diagnostics).
    pub fn candidate_count(&self, query: &Query) -> usize {
        let prepared = PreparedQuery::new(query, &self.tokens);
        let mut warnings = Vec::new();
        self.candidates(&prepared, &mut warnings).len()
    }

    /// Every candidate of a query that scores at least `floor`, with its score and the features the
    /// score is made of, for fitting the weights on labelled pairs (`examples/fit_weights.rs`).
    pub fn candidate_features(
        &self,
        query: &Query,
        floor: f64,
    ) -> Vec<(RecordType, String, f64, FeatureVector)> {
        let prepared = PreparedQuery::new(query, &self.tokens);
        let mut warnings = Vec::new();
        let candidates = self.candidates(&prepared, &mut warnings);
        let ctx = self.context();
        let mut cache = ScoringCache::default();
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        for &slot in &candidates {
            let Some(Some(person)) = self.persons.get(slot as usize) else {
                continue;
            };
            let evaluation = evaluate(
                &ctx,
                &prepared,
                query,
                person,
                &mut cache,
                &mut scratch,
                Some(logit(floor)),
                None,
                None,
            );
            let score = logistic(evaluation.log_odds);
            if score < floor {
                continue;
            }
            let mut features = FeatureVector::default();
            let _ = evaluate(
                &ctx,
                &prepared,
                query,
                person,
                &mut cache,
                &mut scratch,
                None,
                None,
                Some(&mut features),
            );
            out.push((person.record_type, person.id.to_string(), score, features));
        }
        out
    }

    /// Scores a query against every candidate without building hits (for throughput benchmarks);
    /// returns how many candidates were scored.
    pub fn score_candidates(&self, query: &Query) -> usize {
        let prepared = PreparedQuery::new(query, &self.tokens);
        let mut warnings = Vec::new();
        let candidates = self.candidates(&prepared, &mut warnings);
        let ctx = self.context();
        let mut cache = ScoringCache::default();
        let mut scratch = Vec::new();
        let mut scored = 0;
        let deep = query.birth_date.is_none() || !prepared.documents.is_empty();
        for (at, &slot) in candidates.iter().enumerate() {
            self.warm(&candidates, at, deep);
            if let Some(Some(person)) = self.persons.get(slot as usize) {
                let _ = evaluate(
                    &ctx,
                    &prepared,
                    query,
                    person,
                    &mut cache,
                    &mut scratch,
                    Some(logit(POSSIBLE_THRESHOLD)),
                    None,
                    None,
                );
                scored += 1;
            }
        }
        scored
    }
}

/// Reads a value the result does not use, so that its cache line is loaded before it is needed (the
/// processor overlaps such independent loads; results do not depend on it).
#[inline(always)]
fn touch<T: Copy>(value: &T) {
    std::hint::black_box(*value);
}

/// Union of sorted lists, sorted and without duplicates.
fn union_sorted(lists: &[&[u32]]) -> Vec<u32> {
    match lists {
        [] => Vec::new(),
        [one] => one.to_vec(),
        _ => {
            let total: usize = lists.iter().map(|l| l.len()).sum();
            let mut out = Vec::with_capacity(total);
            for list in lists {
                out.extend_from_slice(list);
            }
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

/// Slots in both sorted lists; walks the shorter and gallops through the longer.
fn intersect_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::new();
    let mut rest = long;
    for &slot in short {
        match rest.binary_search(&slot) {
            Ok(at) => {
                out.push(slot);
                rest = &rest[at + 1..];
            }
            Err(at) => rest = &rest[at..],
        }
        if rest.is_empty() {
            break;
        }
    }
    out
}

/// Merges a sorted list into sorted (slot, count) pairs, adding one to the count of every slot it holds.
fn merge_counts(acc: &[(u32, u8)], list: &[u32]) -> Vec<(u32, u8)> {
    let mut out = Vec::with_capacity(acc.len() + list.len());
    let (mut i, mut j) = (0, 0);
    while i < acc.len() && j < list.len() {
        match acc[i].0.cmp(&list[j]) {
            std::cmp::Ordering::Less => {
                out.push(acc[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push((list[j], 1));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((acc[i].0, acc[i].1.saturating_add(1)));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&acc[i..]);
    out.extend(list[j..].iter().map(|&s| (s, 1)));
    out
}
