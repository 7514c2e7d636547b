//! Scoring one query against one stored record: name alignment weighted by token frequency, date of birth,
//! sex, nationality and documents summed as log-odds, squashed to [0, 1], and explained in words.

use liaison_core::{PartialDate, RecordType};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::compare::{
    ALIGN_MAX, Likeness, TokenMatch, align, compare_tokens, credit, unmatched_query_feature,
    unmatched_record_feature,
};
use crate::evidence::{
    DocumentAgreement, best_date, compare_documents, compare_nationality, compare_sex,
    normalize_document,
};
use crate::features::{Feature, FeatureVector};
use crate::model::{Band, Contribution, Hit, Query};
use crate::names::{AnalyzedName, Role, TokenKind, analyze_text_variants};
use crate::text::ScriptClass;
use crate::tokens::{TokenId, TokenInfo, TokenTable, Units};
use crate::transcription;
use crate::weights::*;

/// How frequent name tokens are: learned from the index, or neutral when scoring a lone pair.
#[derive(Debug, Clone, Copy)]
pub enum Frequencies<'a> {
    Neutral,
    Index {
        counts: &'a FxHashMap<u64, u32>,
        population: usize,
    },
}

impl Frequencies<'_> {
    /// Weight of one agreeing token, from its frequency among indexed persons (pulled towards the neutral
    /// frequency by a pseudo-count, so a small index does not make every name look rare).
    pub fn token_weight(&self, frequency_key: u64) -> f64 {
        let relative = match self {
            Frequencies::Neutral => NEUTRAL_TOKEN_FREQUENCY,
            Frequencies::Index { counts, population } => {
                let count = f64::from(counts.get(&frequency_key).copied().unwrap_or(0));
                (count + FREQUENCY_PRIOR_COUNT * NEUTRAL_TOKEN_FREQUENCY)
                    / (*population as f64 + FREQUENCY_PRIOR_COUNT)
            }
        };
        let decades = (NEUTRAL_TOKEN_FREQUENCY / relative).log10();
        (TOKEN_WEIGHT_BASE + TOKEN_WEIGHT_PER_DECADE * decades)
            .clamp(TOKEN_WEIGHT_MIN, TOKEN_WEIGHT_MAX)
    }

    fn is_learned(&self) -> bool {
        matches!(self, Frequencies::Index { .. })
    }
}

/// A name token as stored for a record: the interned token and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredToken {
    pub id: TokenId,
    pub role: Role,
    /// Copied from the token's analysis so that scoring needs no table lookup for it.
    pub kind: TokenKind,
    /// Which of the record's names the token belongs to (names are stored one after the other).
    pub name: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub number: Box<str>,
    pub record_id: Option<Box<str>>,
}

/// A record as the index keeps it: compact, with interned name tokens.
#[derive(Debug, Clone)]
pub struct StoredPerson {
    pub record_type: RecordType,
    pub id: Box<str>,
    /// The tokens of all the record's names, name after name, in one allocation: scoring a candidate
    /// touches the record and this array only.
    pub tokens: Box<[StoredToken]>,
    pub birth_dates: SmallVec<[PartialDate; 2]>,
    pub sex: Option<liaison_core::Sex>,
    pub nationalities: Box<[liaison_core::CountryCode]>,
    pub documents: Box<[StoredDocument]>,
}

impl StoredPerson {
    /// The record's names, each as its run of tokens.
    pub fn names(&self) -> impl Iterator<Item = &[StoredToken]> {
        self.tokens.chunk_by(|a, b| a.name == b.name)
    }
}

/// A query token: its analysis (shared with the index when the token is known there) and role.
#[derive(Debug, Clone)]
pub struct QueryToken {
    pub info: TokenInfo,
    pub units: Units,
    pub known_id: Option<TokenId>,
    pub role: Role,
    /// Position among all query tokens (for the per-query similarity cache).
    pub slot: usize,
}

/// A query analysed once, then compared with many candidates.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuery {
    pub names: Vec<Vec<QueryToken>>,
    pub token_count: usize,
    pub documents: Vec<String>,
    pub warnings: Vec<String>,
}

impl PreparedQuery {
    pub fn new(query: &Query, table: &TokenTable) -> PreparedQuery {
        let mut warnings = Vec::new();
        if query.names.len() > MAX_QUERY_NAMES {
            warnings.push(format!(
                "query has more than {MAX_QUERY_NAMES} names: only the first are used"
            ));
        }
        let mut names = Vec::new();
        let mut slot = 0;
        let readings = query
            .names
            .iter()
            .take(MAX_QUERY_NAMES)
            .flat_map(|text| {
                analyze_text_variants(text, &mut warnings)
                    .into_iter()
                    .map(move |analyzed| (text, analyzed))
            })
            .collect::<Vec<_>>();
        for (text, analyzed) in readings {
            let analyzed: AnalyzedName = analyzed;
            if analyzed.tokens.is_empty() {
                if !text.trim().is_empty() {
                    warnings.push(format!("name {text:?} has no letters to match on"));
                }
                continue;
            }
            let mut tokens = Vec::with_capacity(analyzed.tokens.len());
            for token in &analyzed.tokens {
                let known_id = table.lookup(&token.surface);
                let (info, native) = match known_id.and_then(|id| table.get(id).map(|i| (id, i))) {
                    Some((id, info)) => (info.clone(), Box::from(table.units(id))),
                    None => (TokenInfo::analyze(token), Units::native(token)),
                };
                let units = Units::of_query(&info, native);
                if info.forms.is_empty() {
                    warnings.push(format!(
                        "{} has no Latin reading (script {}): compared as written",
                        token.surface,
                        info.script.name()
                    ));
                }
                tokens.push(QueryToken {
                    info,
                    units,
                    known_id,
                    role: token.role,
                    slot,
                });
                slot += 1;
            }
            names.push(tokens);
        }
        let mut documents = Vec::new();
        for number in query.documents.iter().take(MAX_QUERY_DOCUMENTS) {
            let normalized = normalize_document(number);
            if normalized.len() < DOCUMENT_MIN_LEN {
                warnings.push(format!(
                    "document number {number:?} is too short to search on"
                ));
                continue;
            }
            documents.push(number.clone());
        }
        PreparedQuery {
            names,
            token_count: slot,
            documents,
            warnings,
        }
    }
}

/// Per-query cache: each distinct record token is compared with the query tokens once.
#[derive(Debug)]
pub struct ScoringCache {
    index: FxHashMap<TokenId, u32>,
    matches: Vec<Option<TokenMatch>>,
    weights: Vec<f64>,
}

impl Default for ScoringCache {
    fn default() -> Self {
        // Sized for a typical query (a few hundred candidates of a few names each), so that the map is
        // not rehashed while scoring.
        ScoringCache {
            index: FxHashMap::with_capacity_and_hasher(4096, Default::default()),
            matches: Vec::with_capacity(8192),
            weights: Vec::with_capacity(4096),
        }
    }
}

impl ScoringCache {
    pub fn clear(&mut self) {
        self.index.clear();
        self.matches.clear();
        self.weights.clear();
    }
}

/// One record's evaluation, enough to rank it; explanation is built only for the hits shown.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation {
    pub log_odds: f64,
}

/// The log-odds at which a score reaches `score` (the inverse of [`logistic`]).
pub fn logit(score: f64) -> f64 {
    let p = score.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

pub fn logistic(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

pub fn band_of(score: f64) -> Option<Band> {
    if score >= STRONG_THRESHOLD {
        Some(Band::Strong)
    } else if score >= POSSIBLE_THRESHOLD {
        Some(Band::Possible)
    } else {
        None
    }
}

/// Everything the scorer needs besides the query and the record.
#[derive(Debug, Clone, Copy)]
pub struct ScoringContext<'a> {
    pub table: &'a TokenTable,
    pub frequencies: Frequencies<'a>,
}

/// Display of a token: Latin in capitals as travel documents print them, other cased scripts in title case.
fn display(info: &TokenInfo) -> String {
    if matches!(
        info.script,
        ScriptClass::Cyrillic | ScriptClass::Greek | ScriptClass::Armenian
    ) {
        let mut chars = info.surface.chars();
        let mut out: String = chars.next().map(String::from).unwrap_or_default();
        out.extend(chars.flat_map(char::to_lowercase));
        out
    } else {
        info.surface.to_string()
    }
}

struct NameOutcome {
    log_odds: f64,
    /// Every part of both names agrees, closely, on at least two rare substantive parts: strong enough to
    /// stand without a date of birth.
    exceptional: bool,
    /// Every given and family name of each side agrees with the other's, each closely (the same name in
    /// another spelling or transliteration), on at least two substantive parts.
    complete: bool,
    /// What inexact agreements fell short of full credit (weight × (1 − credit)), summed: for letters
    /// that differ, and for systematic readings.
    shortfall: [f64; 2],
    /// Query given or family names the record lacks.
    unmatched_main: u32,
    /// Record given or family names the query lacks.
    unmatched_record_main: u32,
    /// Before the cap of [`NAME_LOG_ODDS_MAX`].
    uncapped: f64,
    pairs: Vec<(usize, usize, TokenMatch, f64)>,
    unmatched_query: Vec<(usize, f64)>,
    unmatched_record: Vec<(usize, f64)>,
    /// The name features (with `keep_detail`): what each kind of agreement and omission contributed.
    features: Option<FeatureVector>,
}

fn record_token_entry(
    ctx: &ScoringContext<'_>,
    query: &PreparedQuery,
    cache: &mut ScoringCache,
    id: TokenId,
) -> usize {
    if let Some(&at) = cache.index.get(&id) {
        return at as usize;
    }
    let at = cache.weights.len();
    let q_count = query.token_count;
    let info = ctx.table.get(id);
    let mut alike = false;
    // Only tokens of the scripts read consonant by consonant have units: the others (most of them) do
    // not touch the table of units at all.
    let r_units = match info {
        Some(info) if transcription::transcribes(info.script) => ctx.table.units(id),
        _ => &[],
    };
    for name in &query.names {
        for qt in name {
            let m = match info {
                Some(_) if qt.known_id == Some(id) => Some(TokenMatch {
                    similarity: 1.0,
                    likeness: Likeness::Identical,
                }),
                Some(info) => compare_tokens(&qt.info, &qt.units, info, r_units),
                None => None,
            };
            alike |= m.is_some();
            cache.matches.push(m);
        }
    }
    // The weight is read only for tokens alike some query token: most candidates' other tokens are
    // not, and their frequency is not looked up.
    let weight = if alike {
        info.map_or(TOKEN_WEIGHT_BASE, |i| {
            ctx.frequencies.token_weight(i.frequency_key)
        })
    } else {
        0.0
    };
    cache.weights.push(weight);
    debug_assert_eq!(cache.matches.len(), (at + 1) * q_count);
    cache.index.insert(id, at as u32);
    at
}

fn compare_names(
    ctx: &ScoringContext<'_>,
    query: &PreparedQuery,
    cache: &mut ScoringCache,
    q_name: &[QueryToken],
    r_name: &[StoredToken],
    scratch: &mut Vec<f64>,
    keep_detail: bool,
) -> NameOutcome {
    let m = q_name.len();
    let n = r_name.len();
    scratch.clear();
    scratch.resize(m * n, -1.0);
    let mut entries = [0usize; ALIGN_MAX];
    for (j, rt) in r_name.iter().enumerate().take(ALIGN_MAX) {
        entries[j] = record_token_entry(ctx, query, cache, rt.id);
    }
    compare_names_with(query, cache, q_name, r_name, &entries, scratch, keep_detail)
}

/// Whether any token of the query name is alike any token of the record name (`entries` are the record
/// name's cache entries): when none is, the names do not agree at all and need no alignment.
fn any_agreement(
    cache: &ScoringCache,
    q_count: usize,
    q_name: &[QueryToken],
    entries: &[usize],
) -> bool {
    entries.iter().any(|&e| {
        let row = &cache.matches[e * q_count..(e + 1) * q_count];
        q_name.iter().any(|qt| row[qt.slot].is_some())
    })
}

#[allow(clippy::too_many_arguments)] // the scorer's state is threaded explicitly: no hidden caches
fn compare_names_with(
    query: &PreparedQuery,
    cache: &mut ScoringCache,
    q_name: &[QueryToken],
    r_name: &[StoredToken],
    entries: &[usize; ALIGN_MAX],
    scratch: &mut Vec<f64>,
    keep_detail: bool,
) -> NameOutcome {
    let m = q_name.len();
    let n = r_name.len();
    scratch.clear();
    scratch.resize(m * n, -1.0);
    let q_count = query.token_count;
    for (i, qt) in q_name.iter().enumerate() {
        for j in 0..n.min(ALIGN_MAX) {
            if let Some(tm) = cache.matches[entries[j] * q_count + qt.slot] {
                scratch[i * n + j] = tm.similarity;
            }
        }
    }
    let mut aligned = [(0u8, 0u8); ALIGN_MAX];
    let aligned_count = align(scratch, m, n, &mut aligned);

    let mut log_odds = 0.0;
    let mut penalties = 0.0;
    let mut substantive = false;
    // Substantive gains, for diminishing returns; and what makes the names exceptional.
    let mut top = [0.0f64; 3];
    let mut gain_total = 0.0;
    let mut rare_close = 0usize;
    let mut all_close = true;
    let mut all_alike = true;
    let mut agreeing = 0usize;
    let mut shortfall = [0.0; 2];
    let mut unmatched_main = 0u32;
    let mut unmatched_record_main = 0u32;
    let mut q_used: u64 = 0;
    let mut r_used: u64 = 0;
    let mut pairs = Vec::new();
    let mut features = keep_detail.then(FeatureVector::default);
    // With detail: each substantive agreement's group, credit before its group's factor, and gain.
    let mut agreements: Vec<(Feature, f64, f64)> = Vec::new();
    for &(i, j) in &aligned[..aligned_count] {
        let (i, j) = (usize::from(i), usize::from(j));
        let qt = &q_name[i];
        let Some(tm) = cache.matches[entries[j] * q_count + qt.slot] else {
            continue;
        };
        let r_kind = r_name[j].kind;
        let particle = qt.info.kind == TokenKind::Particle || r_kind == TokenKind::Particle;
        let token_credit = credit(tm.similarity);
        let group = Feature::of_likeness(tm.likeness);
        let (weight, gained) = match group {
            None => (INITIAL_WEIGHT, INITIAL_WEIGHT * token_credit),
            Some(_) if particle => {
                let weight = cache.weights[entries[j]] * PARTICLE_WEIGHT_FACTOR;
                (weight, weight * token_credit)
            }
            Some(group) => {
                substantive = true;
                let weight = cache.weights[entries[j]];
                (weight, weight * token_credit * group.weight())
            }
        };
        if let Some(features) = features.as_mut() {
            match group {
                None => features.add(Feature::InitialAgrees, token_credit),
                Some(_) if particle => features.add(
                    Feature::ParticleAgrees,
                    cache.weights[entries[j]] * token_credit,
                ),
                Some(group) => agreements.push((group, weight * token_credit, gained)),
            }
        }
        // Letters that differ (a typo, a similar spelling, a similar sound) are what tell namesakes
        // apart; a systematic reading (another transliteration scheme, unwritten vowels, a phonetic
        // transcription) is looser by nature, so what it falls short counts less.
        let systematic = matches!(
            tm.likeness,
            Likeness::SpellingVariant
                | Likeness::Consonants
                | Likeness::Transliteration(_)
                | Likeness::CommonSpelling
                | Likeness::ForeignTranscription
                | Likeness::Transcribed { .. }
        );
        shortfall[usize::from(systematic)] += weight * (1.0 - token_credit);
        if group.is_some() && !particle {
            gain_total += gained;
            if gained > top[2] {
                top[2] = gained;
                if top[2] > top[1] {
                    top.swap(1, 2);
                    if top[1] > top[0] {
                        top.swap(0, 1);
                    }
                }
            }
            agreeing += 1;
            // Spellings of the same name, or the same consonants in an abjad, not a phonetic reading
            // that many names share.
            all_alike &= tm.similarity >= NAME_ONLY_FLOOR_MIN_SIMILARITY
                && !matches!(
                    tm.likeness,
                    Likeness::Transcribed { .. } | Likeness::ForeignTranscription
                );
            if tm.similarity >= NAME_ONLY_STRONG_MIN_SIMILARITY {
                if weight >= NAME_ONLY_STRONG_MIN_TOKEN_WEIGHT {
                    rare_close += 1;
                }
            } else {
                all_close = false;
            }
        } else {
            log_odds += gained;
            if group.is_none() {
                all_close = false;
            }
        }
        q_used |= 1 << i;
        r_used |= 1 << j;
        if keep_detail {
            pairs.push((i, j, tm, gained));
        }
    }
    let mut unmatched_query = Vec::new();
    let mut unmatched_record = Vec::new();
    let mut omissions: Vec<Feature> = Vec::new();
    for (i, qt) in q_name.iter().enumerate().take(64) {
        if q_used & (1 << i) == 0
            && let Some(feature) = unmatched_query_feature(qt.role, qt.info.kind)
        {
            let p = feature.weight();
            if feature == Feature::UnmatchedQueryMain {
                unmatched_main += 1;
            }
            penalties += p;
            if keep_detail {
                omissions.push(feature);
                if p != 0.0 {
                    unmatched_query.push((i, p));
                }
            }
        }
    }
    for (j, rt) in r_name.iter().enumerate().take(64) {
        if r_used & (1 << j) == 0
            && let Some(feature) = unmatched_record_feature(rt.role, rt.kind)
        {
            let p = feature.weight();
            if feature == Feature::UnmatchedRecordMain {
                unmatched_record_main += 1;
            }
            penalties += p;
            if keep_detail {
                omissions.push(feature);
                if p != 0.0 {
                    unmatched_record.push((j, p));
                }
            }
        }
    }
    let scale = if penalties < UNMATCHED_TOTAL_MIN {
        UNMATCHED_TOTAL_MIN / penalties
    } else {
        1.0
    };
    // Diminishing returns: strongest agreements first, later ones count less.
    let raw_gain = log_odds + gain_total;
    log_odds += top[0] * NAME_TOKEN_FACTORS[0]
        + top[1] * NAME_TOKEN_FACTORS[1]
        + top[2] * NAME_TOKEN_FACTORS[2]
        + (gain_total - top[0] - top[1] - top[2]) * NAME_TOKEN_FACTORS[3];
    let exceptional = substantive && all_close && rare_close >= 2 && penalties == 0.0;
    let complete = agreeing >= 2 && all_alike && unmatched_main == 0 && unmatched_record_main == 0;
    if !substantive {
        let features = features.map(|_| {
            let mut f = FeatureVector::default();
            f.add(Feature::NoNameAgreement, 1.0);
            f
        });
        return NameOutcome {
            log_odds: NO_NAME_AGREEMENT,
            exceptional: false,
            complete: false,
            shortfall: [0.0; 2],
            unmatched_main,
            unmatched_record_main,
            uncapped: NO_NAME_AGREEMENT,
            pairs,
            unmatched_query,
            unmatched_record,
            features,
        };
    }
    if let Some(features) = features.as_mut() {
        // The same order as the diminishing returns above: by gain, ties in alignment order.
        agreements.sort_by(|a, b| b.2.total_cmp(&a.2));
        for (rank, (group, base, _)) in agreements.iter().enumerate() {
            let factor = NAME_TOKEN_FACTORS[rank.min(NAME_TOKEN_FACTORS.len() - 1)];
            features.add(*group, base * factor);
        }
        for feature in &omissions {
            features.add(*feature, scale);
        }
    }
    for (_, p) in unmatched_query
        .iter_mut()
        .chain(unmatched_record.iter_mut())
    {
        *p *= scale;
    }
    let saturated = log_odds + penalties * scale;
    NameOutcome {
        log_odds: saturated.min(NAME_LOG_ODDS_MAX),
        exceptional,
        complete,
        shortfall,
        unmatched_main,
        unmatched_record_main,
        uncapped: raw_gain + penalties * scale,
        pairs,
        unmatched_query,
        unmatched_record,
        features,
    }
}

/// Scores one record; with `explain`, also says why.
#[allow(clippy::too_many_arguments)] // the scorer's state is threaded explicitly: no hidden caches
pub fn evaluate(
    ctx: &ScoringContext<'_>,
    query: &PreparedQuery,
    raw: &Query,
    person: &StoredPerson,
    cache: &mut ScoringCache,
    scratch: &mut Vec<f64>,
    prune_below: Option<f64>,
    mut explanation: Option<&mut Vec<Contribution>>,
    mut features: Option<&mut FeatureVector>,
) -> Evaluation {
    // A record whose other evidence (a clear date-of-birth conflict, above all) keeps it below the
    // threshold even with the most that names can add is not compared name by name: most candidates of
    // a query with a date of birth are other people born on other days.
    if let Some(threshold) = prune_below
        && explanation.is_none()
        && features.is_none()
        && query.documents.is_empty()
        && !query.names.is_empty()
        && !person.tokens.is_empty()
    {
        let mut bound = BIAS + NAME_LOG_ODDS_MAX;
        if let Some(date) = raw.birth_date
            && let Some((agreement, _)) = best_date(date, &person.birth_dates)
        {
            bound += agreement.weight();
        }
        if let Some(agrees) = compare_sex(raw.sex, person.sex) {
            bound += if agrees { SEX_AGREES } else { SEX_DIFFERS };
        }
        if let Some(agrees) = compare_nationality(raw.nationality.as_ref(), &person.nationalities) {
            bound += if agrees {
                NATIONALITY_AGREES
            } else {
                NATIONALITY_DIFFERS
            };
        }
        if bound < threshold {
            return Evaluation { log_odds: bound };
        }
    }
    let mut log_odds = BIAS;
    if let Some(f) = features.as_deref_mut() {
        f.add(Feature::Bias, 1.0);
    }

    // Documents first: an exact document agreement changes how name disagreement is read.
    let mut document: Option<(DocumentAgreement, &str, &StoredDocument)> = None;
    for q in &query.documents {
        for d in person.documents.iter() {
            if let Some(agreement) = compare_documents(q, &d.number) {
                let better = match document {
                    None => true,
                    Some((DocumentAgreement::AfterOcrCorrection, _, _)) => {
                        agreement == DocumentAgreement::Exact
                    }
                    Some(_) => false,
                };
                if better {
                    document = Some((agreement, q.as_str(), d));
                }
            }
        }
    }

    // Names: the best pair of a query name and a record name.
    let mut names_exceptional = false;
    let mut names_complete = false;
    let mut names_shortfall = [0.0; 2];
    let mut names_unmatched = 0u32;
    let mut names_unmatched_record = 0u32;
    let mut names_compared = false;
    if !query.names.is_empty() && !person.tokens.is_empty() {
        let mut best: Option<(f64, usize, &[StoredToken])> = None;
        let q_count = query.token_count;
        // Each record name's cache entries, looked up once for all the query's names.
        let mut name_entries: SmallVec<[(&[StoredToken], [usize; ALIGN_MAX]); 4]> = SmallVec::new();
        for r_name in person.names() {
            let mut entries = [0usize; ALIGN_MAX];
            for (j, rt) in r_name.iter().enumerate().take(ALIGN_MAX) {
                entries[j] = record_token_entry(ctx, query, cache, rt.id);
            }
            name_entries.push((r_name, entries));
        }
        for (qi, q_name) in query.names.iter().enumerate() {
            for (r_name, entries) in &name_entries {
                let r_name: &[StoredToken] = r_name;
                let used = &entries[..r_name.len().min(ALIGN_MAX)];
                if !any_agreement(cache, q_count, q_name, used) {
                    // Nothing alike: the names do not agree at all (what the alignment would find).
                    if best.is_none() {
                        best = Some((NO_NAME_AGREEMENT, qi, r_name));
                        names_exceptional = false;
                        names_complete = false;
                        names_shortfall = [0.0; 2];
                        names_unmatched = 0;
                        names_unmatched_record = 0;
                    }
                    continue;
                }
                let outcome =
                    compare_names_with(query, cache, q_name, r_name, entries, scratch, false);
                if best.is_none_or(|(b, _, _)| outcome.log_odds > b) {
                    best = Some((outcome.log_odds, qi, r_name));
                    names_exceptional = outcome.exceptional;
                    names_complete = outcome.complete;
                    names_shortfall = outcome.shortfall;
                    names_unmatched = outcome.unmatched_main;
                    names_unmatched_record = outcome.unmatched_record_main;
                }
            }
        }
        if let Some((mut name_log_odds, qi, r_name)) = best {
            names_compared = name_log_odds > NO_NAME_AGREEMENT;
            let floor_applied = document.is_some_and(|(a, _, _)| a == DocumentAgreement::Exact)
                && name_log_odds < DOCUMENT_NAME_FLOOR;
            if floor_applied {
                name_log_odds = DOCUMENT_NAME_FLOOR;
            }
            log_odds += name_log_odds;
            let detail = (explanation.is_some() || features.is_some())
                .then(|| compare_names(ctx, query, cache, &query.names[qi], r_name, scratch, true));
            if let (Some(f), Some(outcome)) = (features.as_deref_mut(), detail.as_ref())
                && let Some(name_features) = &outcome.features
            {
                for (value, total) in name_features.0.iter().zip(f.0.iter_mut()) {
                    *total += value;
                }
            }
            if let (Some(out), Some(outcome)) = (explanation.as_deref_mut(), detail.as_ref()) {
                explain_names(ctx, &query.names[qi], r_name, outcome, out);
                if floor_applied {
                    out.push(Contribution {
                        feature: "name",
                        text: "names differ, but the document number agrees: the document may be used by another person".to_owned(),
                        weight: DOCUMENT_NAME_FLOOR - outcome.log_odds,
                    });
                }
            }
        }
    }

    let mut date_supports = false;
    // How far the date alone tells people apart (1 for an exact date or a conflict, 0 without one).
    let mut date_strength = 0.0;
    let mut date_compared = false;
    if let Some(date) = raw.birth_date
        && let Some((agreement, record_date)) = best_date(date, &person.birth_dates)
    {
        date_compared = true;
        date_supports = agreement.supports();
        date_strength = agreement.strength();
        let weight = agreement.weight();
        log_odds += weight;
        if let Some(f) = features.as_deref_mut() {
            f.add(Feature::of_date(agreement), 1.0);
        }
        if let Some(out) = explanation.as_deref_mut() {
            out.push(Contribution {
                feature: "birth_date",
                text: agreement.describe(date, record_date),
                weight,
            });
        }
    }

    if let Some(agrees) = compare_sex(raw.sex, person.sex) {
        let weight = if agrees { SEX_AGREES } else { SEX_DIFFERS };
        log_odds += weight;
        if let Some(f) = features.as_deref_mut() {
            f.add(
                if agrees {
                    Feature::SexAgrees
                } else {
                    Feature::SexDiffers
                },
                1.0,
            );
        }
        if let Some(out) = explanation.as_deref_mut() {
            let q = raw.sex.map_or("", |s| s.as_str());
            let r = person.sex.map_or("", |s| s.as_str());
            out.push(Contribution {
                feature: "sex",
                text: if agrees {
                    format!("sex agrees ({r})")
                } else {
                    format!("sex differs ({q} / {r})")
                },
                weight,
            });
        }
    }

    if let Some(agrees) = compare_nationality(raw.nationality.as_ref(), &person.nationalities) {
        let weight = if agrees {
            NATIONALITY_AGREES
        } else {
            NATIONALITY_DIFFERS
        };
        log_odds += weight;
        if let Some(f) = features.as_deref_mut() {
            f.add(
                if agrees {
                    Feature::NationalityAgrees
                } else {
                    Feature::NationalityDiffers
                },
                1.0,
            );
        }
        if let Some(out) = explanation.as_deref_mut() {
            let q = raw.nationality.as_ref().map_or("", |c| c.as_str());
            let r: Vec<&str> = person.nationalities.iter().map(|c| c.as_str()).collect();
            out.push(Contribution {
                feature: "nationality",
                text: if agrees {
                    format!("nationality agrees ({q})")
                } else {
                    format!("nationality differs ({q} / {})", r.join(", "))
                },
                weight,
            });
        }
    }

    // The weaker the date of birth (none, a year only, a digit off), the more the names carry the match
    // alone: a name part the record lacks and inexact agreements cost more, in proportion.
    if date_strength < 1.0 && document.is_none() && names_compared {
        let incomplete = NAME_ONLY_UNMATCHED_QUERY * f64::from(names_unmatched)
            + NAME_ONLY_UNMATCHED_RECORD * f64::from(names_unmatched_record)
            - NAME_ONLY_SHORTFALL_FACTOR * names_shortfall[0]
            - NAME_ONLY_SYSTEMATIC_SHORTFALL_FACTOR * names_shortfall[1];
        let weight = (1.0 - date_strength) * incomplete
            + if date_strength <= 0.0 {
                NAME_ONLY_BIAS
            } else {
                0.0
            };
        if let Some(f) = features.as_deref_mut() {
            let open = 1.0 - date_strength;
            f.add(
                Feature::NameOnlyUnmatchedQuery,
                open * f64::from(names_unmatched),
            );
            f.add(
                Feature::NameOnlyUnmatchedRecord,
                open * f64::from(names_unmatched_record),
            );
            f.add(Feature::NameOnlyShortfall, open * names_shortfall[0]);
            f.add(
                Feature::NameOnlySystematicShortfall,
                open * names_shortfall[1],
            );
            if date_strength <= 0.0 {
                f.add(Feature::NameOnlyBias, 1.0);
            }
        }
        if weight < 0.0 {
            log_odds += weight;
            if let Some(out) = explanation.as_deref_mut() {
                let partly = names_unmatched > 0
                    || names_unmatched_record > 0
                    || names_shortfall[0] + names_shortfall[1] > 0.05;
                out.push(Contribution {
                    feature: "name_only",
                    text: match (date_compared && date_strength > 0.0, partly) {
                        (false, true) => "no date of birth to compare, and the names agree only in part",
                        (false, false) => "no date of birth to compare: the names carry the match alone",
                        (true, _) => "the dates of birth agree only loosely, and the names agree only in part",
                    }
                    .to_owned(),
                    weight,
                });
            }
        }
    }

    // Without any date of birth, a query whose every name agrees closely with the record is worth a
    // closer look, however common such names are: at least `possible` (unless the sex differs).
    let sex_differs = compare_sex(raw.sex, person.sex) == Some(false);
    let floor = logit(POSSIBLE_THRESHOLD) + NAME_ONLY_CAP_MARGIN;
    if !date_compared && document.is_none() && names_complete && !sex_differs && log_odds < floor {
        if let Some(out) = explanation.as_deref_mut() {
            out.push(Contribution {
                feature: "band_floor",
                text: "no date of birth to compare, but every name of the query agrees: worth a closer look"
                    .to_owned(),
                weight: floor - log_odds,
            });
        }
        log_odds = floor;
    }

    // A hit without a date of birth that supports it rests on the names: at most `possible`, unless (no
    // date at all) every part of two rare names agrees. A document agreement stands on its own.
    let strong_allowed =
        date_supports || document.is_some() || (!date_compared && names_exceptional);
    let ceiling = logit(STRONG_THRESHOLD) - NAME_ONLY_CAP_MARGIN;
    if !strong_allowed && log_odds > ceiling {
        if let Some(out) = explanation.as_deref_mut() {
            out.push(Contribution {
                feature: "band_cap",
                text: if date_compared {
                    "dates of birth do not support the names: at most a possible hit".to_owned()
                } else {
                    "no date of birth to compare: a match on names alone is at most a possible hit"
                        .to_owned()
                },
                weight: ceiling - log_odds,
            });
        }
        log_odds = ceiling;
    }

    if let Some((agreement, q, d)) = document {
        let weight = match agreement {
            DocumentAgreement::Exact => DOCUMENT_EXACT,
            DocumentAgreement::AfterOcrCorrection => DOCUMENT_OCR,
        };
        log_odds += weight;
        if let Some(f) = features {
            f.add(
                match agreement {
                    DocumentAgreement::Exact => Feature::DocumentExact,
                    DocumentAgreement::AfterOcrCorrection => Feature::DocumentOcr,
                },
                1.0,
            );
        }
        if let Some(out) = explanation {
            let which = d
                .record_id
                .as_deref()
                .map(|id| format!(" (document record {id})"))
                .unwrap_or_default();
            out.push(Contribution {
                feature: "document",
                text: match agreement {
                    DocumentAgreement::Exact => {
                        format!("document number {} agrees{which}", d.number)
                    }
                    DocumentAgreement::AfterOcrCorrection => format!(
                        "document number {q} agrees with {} once OCR confusions (0/O, 1/I/L, 5/S, 8/B, 2/Z) are allowed for{which}",
                        d.number
                    ),
                },
                weight,
            });
        }
    }

    Evaluation { log_odds }
}

fn explain_names(
    ctx: &ScoringContext<'_>,
    q_name: &[QueryToken],
    r_name: &[StoredToken],
    outcome: &NameOutcome,
    out: &mut Vec<Contribution>,
) {
    if outcome.log_odds <= NO_NAME_AGREEMENT {
        out.push(Contribution {
            feature: "name",
            text: "no part of the name agrees".to_owned(),
            weight: NO_NAME_AGREEMENT,
        });
        return;
    }
    for &(i, j, tm, gained) in &outcome.pairs {
        let Some(r_info) = ctx.table.get(r_name[j].id) else {
            continue;
        };
        let q = &q_name[i];
        let role = if r_name[j].role == Role::Unknown {
            q.role
        } else {
            r_name[j].role
        };
        let record_text = display(r_info);
        let query_text = display(&q.info);
        let relation = if tm.likeness == Likeness::Identical {
            format!("{record_text} = {query_text}")
        } else {
            format!("{record_text} ≈ {query_text} ({})", tm.likeness.describe())
        };
        let mut text = format!("{} {relation}", role.label());
        if ctx.frequencies.is_learned()
            && r_info.kind == TokenKind::Normal
            && tm.likeness != Likeness::Initial
        {
            let weight = ctx.frequencies.token_weight(r_info.frequency_key);
            if weight <= TOKEN_WEIGHT_BASE - 0.5 {
                text.push_str("; a common name, weak evidence");
            } else if weight >= TOKEN_WEIGHT_BASE + 0.5 {
                text.push_str("; a rare name, strong evidence");
            }
        }
        out.push(Contribution {
            feature: role.feature(),
            text,
            weight: gained,
        });
    }
    for &(i, p) in &outcome.unmatched_query {
        let q = &q_name[i];
        out.push(Contribution {
            feature: "name_missing",
            text: format!(
                "{} {} of the query not in the record",
                q.role.label(),
                display(&q.info)
            ),
            weight: p,
        });
    }
    if outcome.uncapped > outcome.log_odds {
        out.push(Contribution {
            feature: "name",
            text: "names agree in several parts; each part beyond the second adds less".to_owned(),
            weight: outcome.log_odds - outcome.uncapped,
        });
    }
    for &(j, p) in &outcome.unmatched_record {
        let Some(info) = ctx.table.get(r_name[j].id) else {
            continue;
        };
        out.push(Contribution {
            feature: "name_missing",
            text: format!(
                "{} {} of the record not in the query",
                r_name[j].role.label(),
                display(info)
            ),
            weight: p,
        });
    }
}

/// Builds the hit for a record from its evaluation, with the explanation.
#[allow(clippy::too_many_arguments)]
pub fn make_hit(
    ctx: &ScoringContext<'_>,
    query: &PreparedQuery,
    raw: &Query,
    person: &StoredPerson,
    cache: &mut ScoringCache,
    scratch: &mut Vec<f64>,
) -> Hit {
    let mut explanation = Vec::new();
    let evaluation = evaluate(
        ctx,
        query,
        raw,
        person,
        cache,
        scratch,
        None,
        Some(&mut explanation),
        None,
    );
    let score = logistic(evaluation.log_odds);
    Hit {
        record_type: person.record_type,
        id: person.id.to_string(),
        score,
        band: band_of(score).unwrap_or(Band::Possible),
        explanation,
    }
}
