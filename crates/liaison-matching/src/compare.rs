//! Token similarity (over every pair of Latin forms: equality after transliteration, common spellings,
//! skeletons, consonants for abjads, phonetic codes, Jaro-Winkler and Damerau-Levenshtein) and the
//! order-independent one-to-one alignment of two names' tokens.

use rapidfuzz::distance::{jaro_winkler, osa};

use crate::features::Feature;
use crate::names::{Role, TokenKind};
use crate::text::ScriptClass;
use crate::tokens::{FormInfo, TokenInfo, Units, strip_attached_article};
use crate::transcription::{self, Unit, alignment_cost, latin_units, substance};
use crate::translit::Scheme;
use crate::weights::*;

/// Why two tokens were found alike; worded in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    Identical,
    AccentsIgnored,
    Transliteration(Scheme),
    CommonSpelling,
    SpellingVariant,
    Consonants,
    SoundsAlike,
    BeiderMorse,
    Typo(u8),
    Similar,
    Initial,
    ParticleAttached,
    ForeignTranscription,
    /// Consonants correspond as the script (of the non-Latin side) writes foreign names; `exact` when
    /// every consonant is explained.
    Transcribed {
        script: ScriptClass,
        exact: bool,
    },
}

impl Likeness {
    pub fn describe(self) -> String {
        match self {
            Likeness::Identical => "same spelling".to_owned(),
            Likeness::AccentsIgnored => "accents ignored".to_owned(),
            Likeness::Transliteration(scheme) => format!("transliteration, {}", scheme.label()),
            Likeness::CommonSpelling => "spelling variant of the same name".to_owned(),
            Likeness::SpellingVariant => "spelling variant".to_owned(),
            Likeness::Consonants => "same consonants, vowels unwritten in the original".to_owned(),
            Likeness::SoundsAlike => "sounds alike".to_owned(),
            Likeness::BeiderMorse => "sounds alike (Beider-Morse)".to_owned(),
            Likeness::Typo(1) => "one letter differs".to_owned(),
            Likeness::Typo(n) => format!("{n} letters differ"),
            Likeness::Similar => "similar spelling".to_owned(),
            Likeness::Initial => "initial".to_owned(),
            Likeness::ParticleAttached => "same name with its particle attached".to_owned(),
            Likeness::ForeignTranscription => {
                "same consonants as the name's phonetic transcription (a weak sign)".to_owned()
            }
            Likeness::Transcribed { script, exact } => {
                let how = match script {
                    ScriptClass::Arabic => "as Arabic script writes the name, vowels unwritten",
                    ScriptClass::Hebrew => "as Hebrew script writes the name, vowels unwritten",
                    ScriptClass::Kana => {
                        "as katakana writes the name, with a vowel after each consonant"
                    }
                    ScriptClass::Hangul => {
                        "as hangul writes the name, with a vowel after each consonant"
                    }
                    ScriptClass::Han => {
                        "as Chinese characters transcribe the name, syllable by syllable"
                    }
                    _ => "as the other script writes the name",
                };
                if exact {
                    format!("consonants correspond {how}")
                } else {
                    format!("consonants correspond {how}, but for one sound")
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenMatch {
    pub similarity: f64,
    pub likeness: Likeness,
}

fn is_translit(scheme: Scheme) -> bool {
    !matches!(scheme, Scheme::AsWritten | Scheme::CommonSpelling)
}

fn sorted_intersect(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Agreement of two forms on their precomputed keys alone: the same letters, skeleton or consonants.
fn compare_keys(q: &FormInfo, r: &FormInfo, abjad: bool, same_surface: bool) -> Option<TokenMatch> {
    if q.latin_hash == r.latin_hash && q.latin == r.latin {
        let likeness = if same_surface {
            Likeness::Identical
        } else if q.scheme == Scheme::CommonSpelling || r.scheme == Scheme::CommonSpelling {
            Likeness::CommonSpelling
        } else if is_translit(r.scheme) {
            Likeness::Transliteration(r.scheme)
        } else if is_translit(q.scheme) {
            Likeness::Transliteration(q.scheme)
        } else {
            Likeness::AccentsIgnored
        };
        let similarity = match likeness {
            Likeness::Identical | Likeness::AccentsIgnored => 1.0,
            Likeness::CommonSpelling => SIM_NAME_VARIANT,
            _ => SIM_TRANSLITERATION,
        };
        return Some(TokenMatch {
            similarity,
            likeness,
        });
    }
    if q.skeleton == r.skeleton && q.skeleton_len > 0 {
        let similarity = if q.skeleton_len >= 4 {
            SIM_SKELETON
        } else {
            SIM_SKELETON_SHORT
        };
        return Some(TokenMatch {
            similarity,
            likeness: Likeness::SpellingVariant,
        });
    }
    // Two consonants are shared by too many names (SR: SHIRAI, سراج, ياسر); those are left to the
    // letter-by-letter reading of `compare_transcribed`, which knows which letter each one is.
    if abjad && q.consonants_len >= 3 && q.consonants == r.consonants {
        return Some(TokenMatch {
            similarity: SIM_CONSONANTS_ABJAD,
            likeness: Likeness::Consonants,
        });
    }
    None
}

/// Jaro-Winkler below which spelling and sound are not compared.
const JW_CUTOFF: f64 = 0.70;

/// An upper bound of the Jaro-Winkler similarity of two forms from their lengths and letter sets alone.
/// Jaro counts at most `c` matching characters, where each letter one side has and the other lacks
/// removes at least one position: jaro ≤ (c/la + c/lb + 1)/3, and the Winkler prefix bonus (at most 4
/// letters × 0.1) adds at most 0.4 of what is left.
fn jaro_winkler_bound(q: &FormInfo, r: &FormInfo) -> f64 {
    let (la, lb) = (q.latin.len(), r.latin.len());
    if la == 0 || lb == 0 {
        return 1.0;
    }
    let only_q = (q.letters & !r.letters).count_ones() as usize;
    let only_r = (r.letters & !q.letters).count_ones() as usize;
    let common = la.saturating_sub(only_q).min(lb.saturating_sub(only_r));
    let c = common as f64;
    let jaro = (c / la as f64 + c / lb as f64 + 1.0) / 3.0;
    jaro + 0.4 * (1.0 - jaro)
}

/// Agreement of two forms by spelling and sound: Jaro-Winkler, phonetic codes, a glued particle.
fn compare_spelling(q: &FormInfo, r: &FormInfo) -> TokenMatch {
    // Below 0.70 only key agreements (checked before) could lift a pair, so the cut-off lets
    // Jaro-Winkler stop early; most pairs of a query's tokens with a candidate's are unrelated names,
    // which the bound on shared letters rejects without computing it.
    let jw = if jaro_winkler_bound(q, r) < JW_CUTOFF - 1e-9 {
        0.0
    } else {
        jaro_winkler::similarity_with_args(
            q.latin.bytes(),
            r.latin.bytes(),
            &jaro_winkler::Args::default().score_cutoff(JW_CUTOFF),
        )
        .unwrap_or(0.0)
    };
    let mut best = TokenMatch {
        similarity: jw,
        likeness: Likeness::Similar,
    };
    if jw >= 0.70 {
        let metaphone_shared = q.metaphone[0] != 0
            && (q.metaphone.contains(&r.metaphone[0]) || q.metaphone.contains(&r.metaphone[1]));
        if metaphone_shared && SIM_PHONETIC > jw {
            best = TokenMatch {
                similarity: SIM_PHONETIC,
                likeness: Likeness::SoundsAlike,
            };
        } else if !metaphone_shared
            && jw < SIM_BEIDER_MORSE
            && sorted_intersect(&q.beider_morse, &r.beider_morse)
        {
            best = TokenMatch {
                similarity: SIM_BEIDER_MORSE,
                likeness: Likeness::BeiderMorse,
            };
        }
    }
    if best.likeness == Likeness::Similar && jw >= TOKEN_MATCH_MIN_SIMILARITY {
        let edits = osa::distance(q.latin.bytes(), r.latin.bytes());
        if edits <= 2 {
            best.likeness = Likeness::Typo(edits as u8);
        }
    }
    // A particle glued to the name (ALRASHID / RASHID).
    if best.similarity < SIM_SKELETON
        && q.latin.len().abs_diff(r.latin.len()) == 2
        && let Some(rest) =
            strip_attached_article(&q.latin).or_else(|| strip_attached_article(&r.latin))
        && (rest == &*r.latin || rest == &*q.latin)
    {
        best = TokenMatch {
            similarity: SIM_SKELETON,
            likeness: Likeness::ParticleAttached,
        };
    }
    best
}

/// Similarity of two tokens: the best over their Latin forms; `None` when they are not alike.
///
/// Key agreements (equal letters after transliteration, skeleton, consonants) are checked over all pairs
/// of forms first; only when none reaches the skeleton level are spellings compared, which is where the
/// time goes.
pub fn compare_tokens(
    q: &TokenInfo,
    q_units: &Units,
    r: &TokenInfo,
    r_native: &[Unit],
) -> Option<TokenMatch> {
    if q.kind == TokenKind::Initial || r.kind == TokenKind::Initial {
        let other = if q.kind == TokenKind::Initial { r } else { q };
        let initial = if q.kind == TokenKind::Initial {
            q.initial
        } else {
            r.initial
        };
        let agrees = initial != 0
            && other
                .forms
                .iter()
                .any(|f| f.latin.as_bytes().first() == Some(&initial));
        return agrees.then_some(TokenMatch {
            similarity: 1.0,
            likeness: Likeness::Initial,
        });
    }
    let abjad = q.script.is_abjad() || r.script.is_abjad();
    let same_surface = q.surface == r.surface;
    let mut best: Option<TokenMatch> = None;
    for qf in q.forms.iter() {
        for rf in r.forms.iter() {
            if let Some(m) = compare_keys(qf, rf, abjad, same_surface)
                && best.is_none_or(|b| m.similarity > b.similarity)
            {
                if m.similarity >= 1.0 {
                    return Some(m);
                }
                best = Some(m);
            }
        }
    }
    if best.is_some_and(|b| b.similarity >= SIM_SKELETON) {
        return best;
    }
    for qf in q.forms.iter() {
        for rf in r.forms.iter() {
            let m = compare_spelling(qf, rf);
            if best.is_none_or(|b| m.similarity > b.similarity) {
                best = Some(m);
            }
        }
    }
    // A foreign name written in Arabic, Hebrew, Han, Kana or Hangul against its Latin spelling.
    if let Some(m) = compare_transcribed(q, q_units, r, r_native)
        && best.is_none_or(|b| m.similarity > b.similarity)
    {
        return Some(m);
    }
    // A foreign name written phonetically in Han, Kana or Hangul against its Latin spelling.
    let transcribed = (q.script.transcribes_foreign_names() && r.script == ScriptClass::Latin)
        || (r.script.transcribes_foreign_names() && q.script == ScriptClass::Latin);
    if transcribed
        && best.is_none_or(|b| b.similarity < SIM_TRANSCRIPTION)
        && q.forms.iter().any(|qf| {
            qf.transcription != 0
                && r.forms
                    .iter()
                    .any(|rf| rf.transcription == qf.transcription)
        })
    {
        return Some(TokenMatch {
            similarity: SIM_TRANSCRIPTION,
            likeness: Likeness::ForeignTranscription,
        });
    }
    let best = best?;
    // Different scripts read alike through a scheme: say so even when the spelling also differs a bit.
    let best = if best.likeness == Likeness::Similar && q.script != r.script {
        TokenMatch {
            likeness: Likeness::Transliteration(Scheme::Icao),
            ..best
        }
    } else {
        best
    };
    (best.similarity >= TOKEN_MATCH_MIN_SIMILARITY).then_some(best)
}

/// A native-script token against a Latin one, consonant by consonant (see [`crate::transcription`]).
fn compare_transcribed(
    q: &TokenInfo,
    q_units: &Units,
    r: &TokenInfo,
    r_native: &[Unit],
) -> Option<TokenMatch> {
    let (native, native_units, latin, latin_units_read): (_, &[Unit], _, &[Box<[Unit]>]) =
        if !q_units.native.is_empty() && r.script == ScriptClass::Latin {
            (q, &q_units.native, r, &[])
        } else if !r_native.is_empty() && q.script == ScriptClass::Latin {
            (r, r_native, q, &q_units.forms)
        } else {
            return None;
        };
    let native_substance = substance(native_units);
    if native_substance == 0 {
        return None;
    }
    let drops_coda_r = transcription::drops_coda_r(native.script);
    let mut read = Vec::new();
    let mut best: Option<TokenMatch> = None;
    for (k, form) in latin.forms.iter().enumerate() {
        let units: &[Unit] = match latin_units_read.get(k) {
            Some(units) => units,
            None => {
                latin_units(&form.latin, &mut read);
                &read
            }
        };
        let evidence = native_substance.min(substance(units));
        let Some(cost) = alignment_cost(native_units, units, drops_coda_r, 2) else {
            continue;
        };
        // Half a point is an R the script drops, which its writers do by rule.
        // Chinese characters of a native name read in pinyin meet many foreign names by chance: only
        // three consonants or more count there.
        let short_allowed = native.script != ScriptClass::Han;
        let similarity = match (cost, evidence) {
            (0 | 1, 4..) => SIM_TRANSCRIBED_LONG,
            (0 | 1, 3) => SIM_TRANSCRIBED,
            (0 | 1, 2) if short_allowed => SIM_TRANSCRIBED_SHORT,
            (0, 1) if short_allowed => SIM_TRANSCRIBED_SINGLE,
            (2, 4..) => SIM_TRANSCRIBED_ONE_OFF,
            _ => continue,
        };
        if best.is_none_or(|b| similarity > b.similarity) {
            best = Some(TokenMatch {
                similarity,
                likeness: Likeness::Transcribed {
                    script: native.script,
                    exact: cost <= 1 && evidence >= 2,
                },
            });
        }
    }
    best
}

/// Share of a token's weight earned at a given similarity.
pub fn credit(similarity: f64) -> f64 {
    if similarity >= SIM_FULL_CREDIT {
        return 1.0;
    }
    let span = SIM_FULL_CREDIT - TOKEN_MATCH_MIN_SIMILARITY;
    let t = ((similarity - TOKEN_MATCH_MIN_SIMILARITY) / span).clamp(0.0, 1.0);
    PARTIAL_CREDIT_AT_MIN + (1.0 - PARTIAL_CREDIT_AT_MIN) * t
}

/// The penalty feature of a query token with no counterpart (`None`: particles cost nothing).
pub fn unmatched_query_feature(role: Role, kind: TokenKind) -> Option<Feature> {
    match kind {
        TokenKind::Particle => None,
        TokenKind::Initial => Some(Feature::UnmatchedQueryInitial),
        TokenKind::Normal => Some(match role {
            Role::Given | Role::Family | Role::Unknown => Feature::UnmatchedQueryMain,
            Role::Middle => Feature::UnmatchedQueryMiddle,
            Role::Patronymic => Feature::UnmatchedQueryPatronymic,
        }),
    }
}

/// The penalty feature of a record token the query does not mention.
pub fn unmatched_record_feature(role: Role, kind: TokenKind) -> Option<Feature> {
    match kind {
        TokenKind::Particle => None,
        TokenKind::Initial => Some(Feature::UnmatchedRecordMiddle),
        TokenKind::Normal => Some(match role {
            Role::Given | Role::Family | Role::Unknown => Feature::UnmatchedRecordMain,
            Role::Middle => Feature::UnmatchedRecordMiddle,
            Role::Patronymic => Feature::UnmatchedRecordPatronymic,
        }),
    }
}

/// Most tokens per name that alignment considers (names are cut to fewer tokens on analysis anyway).
pub const ALIGN_MAX: usize = 32;

/// Pairs (query token index, record token index) chosen one-to-one, best similarity first, regardless of
/// order; returns how many pairs were written to `out`. `sims[i * n + j]` holds the similarity of query
/// token i and record token j, or a negative value when they are not alike. Ties go to the lower indices,
/// so the result is deterministic. Greedy best-first is optimal whenever the best pairs do not compete,
/// which is the case for names of a few tokens; it allocates nothing.
pub fn align(sims: &[f64], m: usize, n: usize, out: &mut [(u8, u8); ALIGN_MAX]) -> usize {
    let m = m.min(ALIGN_MAX);
    let n = n.min(ALIGN_MAX);
    let mut used_q: u64 = 0;
    let mut used_r: u64 = 0;
    let mut count = 0;
    while count < m.min(n) {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..m {
            if used_q & (1 << i) != 0 {
                continue;
            }
            for j in 0..n {
                if used_r & (1 << j) != 0 {
                    continue;
                }
                let s = sims[i * n + j];
                if s >= 0.0 && best.is_none_or(|(b, _, _)| s > b) {
                    best = Some((s, i, j));
                }
            }
        }
        let Some((_, i, j)) = best else {
            break;
        };
        used_q |= 1 << i;
        used_r |= 1 << j;
        out[count] = (i as u8, j as u8);
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::letter_set;

    fn form(latin: &str) -> FormInfo {
        FormInfo {
            latin: latin.into(),
            scheme: Scheme::AsWritten,
            skeleton: 0,
            skeleton_len: 0,
            consonants: 0,
            consonants_len: 0,
            metaphone: [0, 0],
            beider_morse: Box::new([]),
            transcription: 0,
            letters: letter_set(latin),
            latin_hash: 0,
        }
    }

    /// The shortcut must never change a result: the bound is at least the true Jaro-Winkler.
    #[test]
    fn jaro_winkler_bound_is_an_upper_bound() {
        let names = [
            "SMITH",
            "SMYTH",
            "SCHMIDT",
            "MOHAMMED",
            "MUHAMMAD",
            "MHMD",
            "ANNA",
            "ANA",
            "NNAA",
            "ALRASHID",
            "RASHID",
            "SHCHERBAKOV",
            "SCHERBAKOW",
            "LI",
            "IL",
            "AAAAB",
            "BAAAA",
            "MOOR",
            "MOORE",
            "ROOM",
            "KARL",
            "XARL",
            "CHELSEA",
            "O",
            "JOHNSON",
            "JONES",
        ];
        for a in names {
            for b in names {
                let jw = jaro_winkler::similarity(a.bytes(), b.bytes());
                let bound = jaro_winkler_bound(&form(a), &form(b));
                assert!(bound + 1e-12 >= jw, "{a} / {b}: bound {bound} < {jw}");
            }
        }
        assert!(jaro_winkler_bound(&form("SMITH"), &form("OKAFOR")) < JW_CUTOFF);
    }
}
