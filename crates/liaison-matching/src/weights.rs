//! Every weight and threshold of the scorer, in one place, so that calibration changes numbers here and
//! nowhere else.
//!
//! The score is a log-odds sum: [`BIAS`] plus one signed weight per piece of evidence, squashed by a
//! logistic into [0, 1]. A weight of +1 multiplies the odds that query and record are the same person by
//! e (≈ 2.7). Each weight belongs to one feature of `features.rs`; the weights marked *fitted* come from
//! `examples/fit_weights.rs`, a logistic regression on labelled pairs of the training corpora (seeds 101,
//! 102 and 103, never the seeds the evaluation reports), with a missed listed person counting three false
//! alarms. The weights marked *policy* are held where the product needs them whatever the corpora say;
//! the others (similarity levels, token frequencies, diminishing returns, caps) shape the features and
//! were set by reasoning.
//!
//! Refit after any change to the features:
//!
//! ```text
//! cargo run --release -p liaison-matching --example fit_weights -- --seeds 101,102,103 --floor 0.0001 \
//!   --miss-cost 3 --fix CREDIT_SIMILAR=0,DOB_PARTIAL_ONE_DIGIT=-1.9,DOCUMENT_EXACT=17,DOCUMENT_OCR=15.5,\
//!   CREDIT_COMMON_SPELLING=1.7,-NAME_ONLY_SYSTEMATIC_SHORTFALL_FACTOR=-0.9
//! ```

/// Score at or above which a hit is `strong`: the officer should act on it.
pub const STRONG_THRESHOLD: f64 = 0.85;
/// Score at or above which a hit is `possible`: the officer should look closer. Below it, no hit.
pub const POSSIBLE_THRESHOLD: f64 = 0.5;

/// Log-odds before any evidence: two records are, a priori, not the same person. Fitted.
pub const BIAS: f64 = -5.17;

// ---- names -------------------------------------------------------------------------------------------

/// Weight of one fully agreeing name token of typical frequency (see [`NEUTRAL_TOKEN_FREQUENCY`]).
pub const TOKEN_WEIGHT_BASE: f64 = 2.1;
/// Extra weight per decade of rarity beyond the neutral frequency (negative for common tokens).
pub const TOKEN_WEIGHT_PER_DECADE: f64 = 0.75;
/// Bounds of one token's weight: a very common name still counts a little, a unique one not unboundedly.
pub const TOKEN_WEIGHT_MIN: f64 = 0.6;
pub const TOKEN_WEIGHT_MAX: f64 = 3.4;
/// Frequency assumed for a token when nothing is known (score_pair without an index): about one person in
/// a thousand shares a given name token.
pub const NEUTRAL_TOKEN_FREQUENCY: f64 = 1.0e-3;
/// Pseudo-count that pulls observed frequencies towards the neutral one, so that a small index (a few
/// hundred records) does not call every name rare.
pub const FREQUENCY_PRIOR_COUNT: f64 = 2000.0;
/// Weight factor of tokens that are particles (al, bin, van, de...): they agree by habit, not by identity.
/// Fitted.
pub const PARTICLE_WEIGHT_FACTOR: f64 = 0.81;
/// Weight of an initial agreeing with a full token (V ~ VLADIMIR). Fitted.
pub const INITIAL_WEIGHT: f64 = 1.86;

/// Token similarity below which two tokens are not taken as the same name at all.
pub const TOKEN_MATCH_MIN_SIMILARITY: f64 = 0.78;
/// Similarity floors by kind of agreement (a transliteration variant is as good as equal).
pub const SIM_TRANSLITERATION: f64 = 0.99;
pub const SIM_NAME_VARIANT: f64 = 0.95;
pub const SIM_SKELETON: f64 = 0.93;
pub const SIM_SKELETON_SHORT: f64 = 0.86;
pub const SIM_CONSONANTS_ABJAD: f64 = 0.92;
pub const SIM_PHONETIC: f64 = 0.88;
pub const SIM_BEIDER_MORSE: f64 = 0.86;
/// A Latin name and a Han, Kana or Hangul token with the same transcription frame (COOPER / 庫珀 KUPO):
/// a weak sign, about half a token's weight.
pub const SIM_TRANSCRIPTION: f64 = 0.84;
/// A Latin name and a token in Arabic, Hebrew, Han, Kana or Hangul script whose consonants correspond one
/// by one as that script writes foreign names (GARLAND / غارلاند, TREVOR / トレバー), at least three of them
/// (see `transcription.rs`)...
pub const SIM_TRANSCRIBED: f64 = 0.92;
/// ...at least four of them...
pub const SIM_TRANSCRIBED_LONG: f64 = 0.95;
/// ...only two of them (PAUL / بول)...
pub const SIM_TRANSCRIBED_SHORT: f64 = 0.85;
/// ...only one (ORI / אורי): the vowels of a syllabic script or the letters' order must do the rest...
pub const SIM_TRANSCRIBED_SINGLE: f64 = 0.80;
/// ...or at least four with one sound left unexplained (a typo, or a letter the script writes otherwise).
pub const SIM_TRANSCRIBED_ONE_OFF: f64 = 0.85;
/// Similarity at and above which a token agreement counts in full.
pub const SIM_FULL_CREDIT: f64 = 0.985;
/// Share of a token's weight earned at [`TOKEN_MATCH_MIN_SIMILARITY`]; linear up to full credit.
pub const PARTIAL_CREDIT_AT_MIN: f64 = 0.25;

/// Factors on the credit of an agreeing name token, by how it agrees: the token earns weight ×
/// credit(similarity) × this factor. Fitted, except: a similar spelling that is no known kind of variant
/// earns nothing (policy: the fit would make it slightly negative, and an agreement should not count
/// against), and a known spelling of the same name (MUHAMMAD / MOHAMMED, 김 / KIM) counts about as a
/// transliteration (policy: the corpora hold too few to fit, and the pairs they hold are mostly common
/// Chinese and Korean surnames).
pub const CREDIT_EXACT: f64 = 2.05;
pub const CREDIT_TRANSLITERATION: f64 = 1.78;
pub const CREDIT_COMMON_SPELLING: f64 = 1.70;
pub const CREDIT_SKELETON: f64 = 2.06;
pub const CREDIT_CONSONANTS: f64 = 2.98;
pub const CREDIT_SOUNDS_ALIKE: f64 = 1.97;
pub const CREDIT_TYPO_1: f64 = 2.04;
pub const CREDIT_TYPO_2: f64 = 1.33;
pub const CREDIT_SIMILAR: f64 = 0.00;
pub const CREDIT_TRANSCRIBED: f64 = 2.73;
pub const CREDIT_TRANSCRIBED_HAN: f64 = 2.35;
pub const CREDIT_TRANSCRIBED_WEAK: f64 = 1.90;
pub const CREDIT_FRAME: f64 = 1.00;
pub const CREDIT_PARTICLE_ATTACHED: f64 = 0.50;

/// Penalties (log-odds, negative) for a query token that found no counterpart in the record, by role.
/// Fitted, as are the record's below.
pub const UNMATCHED_QUERY_GIVEN_OR_FAMILY: f64 = -2.26;
pub const UNMATCHED_QUERY_MIDDLE: f64 = -0.92;
pub const UNMATCHED_QUERY_PATRONYMIC: f64 = -2.23;
pub const UNMATCHED_QUERY_INITIAL: f64 = -1.10;
/// Penalties for a record token the query does not mention: milder, a query often omits parts.
pub const UNMATCHED_RECORD_GIVEN_OR_FAMILY: f64 = -1.79;
pub const UNMATCHED_RECORD_MIDDLE: f64 = -0.75;
pub const UNMATCHED_RECORD_PATRONYMIC: f64 = -1.12;
/// Cap on all unmatched-token penalties of one name comparison (alias lists with many tokens).
pub const UNMATCHED_TOTAL_MIN: f64 = -6.0;
/// Most that names can add: beyond it, more agreeing tokens (long Arabic names of five parts) should not
/// outweigh a clear date-of-birth conflict ([`DOB_CONFLICT`]).
pub const NAME_LOG_ODDS_MAX: f64 = 13.0;
/// Log-odds when no name token agrees at all (names given on both sides). Fitted.
pub const NO_NAME_AGREEMENT: f64 = -5.08;
/// Diminishing returns of name evidence: the agreeing tokens, strongest first, count with these factors
/// (the last for the fourth and every further one). Two agreeing parts identify a name; a third and fourth add little, because the
/// parts of one person's name are not independent (family chains, shared tribal or double surnames), so
/// a long name cannot outweigh a clear date-of-birth conflict.
pub const NAME_TOKEN_FACTORS: [f64; 4] = [1.0, 1.0, 0.5, 0.25];
/// A hit resting on names alone (no date of birth to compare, or dates that conflict) is at most
/// `possible` (the score stays this far below [`STRONG_THRESHOLD`] in log-odds)...
pub const NAME_ONLY_CAP_MARGIN: f64 = 0.01;
/// ...unless, without a date, the name evidence is exceptional: every part of both names agrees, each
/// agreement at least this similar...
pub const NAME_ONLY_STRONG_MIN_SIMILARITY: f64 = 0.95;
/// Without a date of birth on one side (and no document agreement), the names must carry the match alone:
/// a flat penalty, each query given or family name the record lacks costs this much more, and what
/// inexact agreements (typos, similar spellings) fall short of full credit is counted this many times
/// again. A traveller who shares one name and resembles another is the common false hit without a date.
/// Fitted, in proportion to how little the date tells (see `score.rs`).
pub const NAME_ONLY_BIAS: f64 = -1.32;
pub const NAME_ONLY_UNMATCHED_QUERY: f64 = -1.86;
pub const NAME_ONLY_UNMATCHED_RECORD: f64 = -0.61;
pub const NAME_ONLY_SHORTFALL_FACTOR: f64 = 1.55;
/// The same for tokens that agree through a systematic reading (another transliteration scheme,
/// unwritten vowels, a phonetic transcription) rather than differing letters. Policy: half the factor
/// for differing letters (the fit puts it as high, which would leave a name in another transliteration
/// without a date below `possible`).
pub const NAME_ONLY_SYSTEMATIC_SHORTFALL_FACTOR: f64 = 0.90;
/// When the query has no date of birth, a query whose given and family names all agree with the
/// record's and the record's with the query's, each at least this similar (a transliteration, a known
/// spelling, the consonants of an abjad: not a typo or a phonetic transcription), on two substantive
/// parts or more, is at least a `possible` hit whatever the weights say (policy).
pub const NAME_ONLY_FLOOR_MIN_SIMILARITY: f64 = 0.92;
/// ...at least two substantive parts, each at least this rare (weight; about 1 person in 3,000 or rarer).
pub const NAME_ONLY_STRONG_MIN_TOKEN_WEIGHT: f64 = 2.4;

// ---- date of birth (fitted, but for the partial year one digit off) ------------------------------------

pub const DOB_EXACT: f64 = 6.48;
/// Year and month agree, one side has no day.
pub const DOB_YEAR_MONTH: f64 = 4.77;
/// Only the year is known on one side and it agrees.
pub const DOB_YEAR_ONLY: f64 = 2.18;
pub const DOB_DAY_MONTH_SWAPPED: f64 = 5.12;
/// One digit differs (a typing error).
pub const DOB_ONE_DIGIT: f64 = 1.75;
/// Same day and month, year one apart.
pub const DOB_YEAR_OFF_BY_ONE: f64 = 4.76;
/// Year agrees but month or day clearly differ.
pub const DOB_SAME_YEAR_ONLY: f64 = -6.62;
/// Years two apart (estimated ages) with nothing else agreeing.
pub const DOB_NEAR_YEAR: f64 = -5.21;
/// Clear disagreement: a strong sign of a different person with the same name.
pub const DOB_CONFLICT: f64 = -16.82;
/// One side has a year only (or year and month) and the years differ in one digit (1988 / 1982): a typing
/// error as likely as another person; neither confirmation nor conflict. Policy: the fit puts it near
/// −2.3; the product wants it milder than −2, so exact names still make a `possible` hit.
pub const DOB_PARTIAL_ONE_DIGIT: f64 = -1.90;

// ---- sex, nationality (fitted) -------------------------------------------------------------------------

pub const SEX_AGREES: f64 = 0.08;
pub const SEX_DIFFERS: f64 = -8.28;
pub const NATIONALITY_AGREES: f64 = 0.82;
/// Nationalities are recorded differently (dual nationals, old documents): a mild sign only.
pub const NATIONALITY_DIFFERS: f64 = -1.61;

// ---- documents (policy: the corpora always present a document with its holder's name) ---------------

/// The same document number: strong alone, and more than a clear date-of-birth conflict, so that with
/// agreeing names a known document stays a hit whatever the date says (the date may be the typo).
pub const DOCUMENT_EXACT: f64 = 17.00;
/// The same number once OCR confusions (0/O, 1/I/L, 5/S, 8/B, 2/Z) are folded.
pub const DOCUMENT_OCR: f64 = 15.50;
/// The issuing country also agrees (or is unknown on one side): no change; it differs: this much less.
pub const DOCUMENT_COUNTRY_DIFFERS: f64 = -1.5;
/// With an exact document agreement, name disagreement counts at most this much: a stolen document is
/// presented under another name.
pub const DOCUMENT_NAME_FLOOR: f64 = -1.0;
/// Shortest normalised number taken as a document number at all (shorter strings are too ambiguous).
pub const DOCUMENT_MIN_LEN: usize = 5;

// ---- the index ----------------------------------------------------------------------------------------

/// A blocking key shared by more records than this is too unspecific to generate candidates on its own.
pub const MAX_POSTING_FOR_UNION: usize = 4_000;
/// The most candidates scored for one query (a single very common token, such as "MOHAMMED", alone).
pub const MAX_CANDIDATES: usize = 60_000;

// ---- input limits -------------------------------------------------------------------------------------

/// Characters of one name considered; the rest is ignored with a warning.
pub const MAX_NAME_CHARS: usize = 256;
/// Tokens of one name considered.
pub const MAX_NAME_TOKENS: usize = 10;
/// Names of one query considered.
pub const MAX_QUERY_NAMES: usize = 8;
/// Names of one indexed record considered.
pub const MAX_RECORD_NAMES: usize = 16;
/// Document numbers of one query considered.
pub const MAX_QUERY_DOCUMENTS: usize = 8;
/// Characters of one token considered (longer "tokens" are not names).
pub const MAX_TOKEN_CHARS: usize = 40;
