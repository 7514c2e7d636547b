//! The score as a sum of features times weights: which piece of evidence contributed how much, so that
//! the weights can be fitted by logistic regression on labelled pairs (`examples/fit_weights.rs`) rather
//! than set by hand. Scoring itself reads the weights from [`crate::weights`]; a test checks that the two
//! agree.

use crate::compare::Likeness;
use crate::evidence::DateAgreement;
use crate::text::ScriptClass;
use crate::weights::*;

/// One piece of evidence with its own weight. Name agreements are grouped by how the tokens agree: each
/// group's feature is the credit its tokens earned at the current weights (token frequency, similarity,
/// diminishing returns), and its weight a factor on that credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    Bias,
    NameExact,
    NameTransliteration,
    NameCommonSpelling,
    NameSkeleton,
    NameConsonants,
    NameSoundsAlike,
    NameTypo1,
    NameTypo2,
    NameSimilar,
    NameTranscribed,
    NameTranscribedWeak,
    NameTranscribedHan,
    NameFrame,
    NameParticleAttached,
    ParticleAgrees,
    InitialAgrees,
    UnmatchedQueryMain,
    UnmatchedQueryMiddle,
    UnmatchedQueryPatronymic,
    UnmatchedQueryInitial,
    UnmatchedRecordMain,
    UnmatchedRecordMiddle,
    UnmatchedRecordPatronymic,
    NoNameAgreement,
    NameOnlyBias,
    NameOnlyUnmatchedQuery,
    NameOnlyUnmatchedRecord,
    NameOnlyShortfall,
    NameOnlySystematicShortfall,
    DobExact,
    DobYearMonth,
    DobYearOnly,
    DobDayMonthSwapped,
    DobOneDigit,
    DobYearOffByOne,
    DobPartialOneDigit,
    DobSameYearOnly,
    DobNearYear,
    DobConflict,
    SexAgrees,
    SexDiffers,
    NationalityAgrees,
    NationalityDiffers,
    DocumentExact,
    DocumentOcr,
}

impl Feature {
    pub const COUNT: usize = Feature::DocumentOcr as usize + 1;

    pub const ALL: [Feature; Feature::COUNT] = [
        Feature::Bias,
        Feature::NameExact,
        Feature::NameTransliteration,
        Feature::NameCommonSpelling,
        Feature::NameSkeleton,
        Feature::NameConsonants,
        Feature::NameSoundsAlike,
        Feature::NameTypo1,
        Feature::NameTypo2,
        Feature::NameSimilar,
        Feature::NameTranscribed,
        Feature::NameTranscribedWeak,
        Feature::NameTranscribedHan,
        Feature::NameFrame,
        Feature::NameParticleAttached,
        Feature::ParticleAgrees,
        Feature::InitialAgrees,
        Feature::UnmatchedQueryMain,
        Feature::UnmatchedQueryMiddle,
        Feature::UnmatchedQueryPatronymic,
        Feature::UnmatchedQueryInitial,
        Feature::UnmatchedRecordMain,
        Feature::UnmatchedRecordMiddle,
        Feature::UnmatchedRecordPatronymic,
        Feature::NoNameAgreement,
        Feature::NameOnlyBias,
        Feature::NameOnlyUnmatchedQuery,
        Feature::NameOnlyUnmatchedRecord,
        Feature::NameOnlyShortfall,
        Feature::NameOnlySystematicShortfall,
        Feature::DobExact,
        Feature::DobYearMonth,
        Feature::DobYearOnly,
        Feature::DobDayMonthSwapped,
        Feature::DobOneDigit,
        Feature::DobYearOffByOne,
        Feature::DobPartialOneDigit,
        Feature::DobSameYearOnly,
        Feature::DobNearYear,
        Feature::DobConflict,
        Feature::SexAgrees,
        Feature::SexDiffers,
        Feature::NationalityAgrees,
        Feature::NationalityDiffers,
        Feature::DocumentExact,
        Feature::DocumentOcr,
    ];

    /// The weight the scorer gives the feature (the constant of the same name in [`crate::weights`]).
    pub fn weight(self) -> f64 {
        match self {
            Feature::Bias => BIAS,
            Feature::NameExact => CREDIT_EXACT,
            Feature::NameTransliteration => CREDIT_TRANSLITERATION,
            Feature::NameCommonSpelling => CREDIT_COMMON_SPELLING,
            Feature::NameSkeleton => CREDIT_SKELETON,
            Feature::NameConsonants => CREDIT_CONSONANTS,
            Feature::NameSoundsAlike => CREDIT_SOUNDS_ALIKE,
            Feature::NameTypo1 => CREDIT_TYPO_1,
            Feature::NameTypo2 => CREDIT_TYPO_2,
            Feature::NameSimilar => CREDIT_SIMILAR,
            Feature::NameTranscribed => CREDIT_TRANSCRIBED,
            Feature::NameTranscribedWeak => CREDIT_TRANSCRIBED_WEAK,
            Feature::NameTranscribedHan => CREDIT_TRANSCRIBED_HAN,
            Feature::NameFrame => CREDIT_FRAME,
            Feature::NameParticleAttached => CREDIT_PARTICLE_ATTACHED,
            Feature::ParticleAgrees => PARTICLE_WEIGHT_FACTOR,
            Feature::InitialAgrees => INITIAL_WEIGHT,
            Feature::UnmatchedQueryMain => UNMATCHED_QUERY_GIVEN_OR_FAMILY,
            Feature::UnmatchedQueryMiddle => UNMATCHED_QUERY_MIDDLE,
            Feature::UnmatchedQueryPatronymic => UNMATCHED_QUERY_PATRONYMIC,
            Feature::UnmatchedQueryInitial => UNMATCHED_QUERY_INITIAL,
            Feature::UnmatchedRecordMain => UNMATCHED_RECORD_GIVEN_OR_FAMILY,
            Feature::UnmatchedRecordMiddle => UNMATCHED_RECORD_MIDDLE,
            Feature::UnmatchedRecordPatronymic => UNMATCHED_RECORD_PATRONYMIC,
            Feature::NoNameAgreement => NO_NAME_AGREEMENT,
            Feature::NameOnlyBias => NAME_ONLY_BIAS,
            Feature::NameOnlyUnmatchedQuery => NAME_ONLY_UNMATCHED_QUERY,
            Feature::NameOnlyUnmatchedRecord => NAME_ONLY_UNMATCHED_RECORD,
            Feature::NameOnlyShortfall => -NAME_ONLY_SHORTFALL_FACTOR,
            Feature::NameOnlySystematicShortfall => -NAME_ONLY_SYSTEMATIC_SHORTFALL_FACTOR,
            Feature::DobExact => DOB_EXACT,
            Feature::DobYearMonth => DOB_YEAR_MONTH,
            Feature::DobYearOnly => DOB_YEAR_ONLY,
            Feature::DobDayMonthSwapped => DOB_DAY_MONTH_SWAPPED,
            Feature::DobOneDigit => DOB_ONE_DIGIT,
            Feature::DobYearOffByOne => DOB_YEAR_OFF_BY_ONE,
            Feature::DobPartialOneDigit => DOB_PARTIAL_ONE_DIGIT,
            Feature::DobSameYearOnly => DOB_SAME_YEAR_ONLY,
            Feature::DobNearYear => DOB_NEAR_YEAR,
            Feature::DobConflict => DOB_CONFLICT,
            Feature::SexAgrees => SEX_AGREES,
            Feature::SexDiffers => SEX_DIFFERS,
            Feature::NationalityAgrees => NATIONALITY_AGREES,
            Feature::NationalityDiffers => NATIONALITY_DIFFERS,
            Feature::DocumentExact => DOCUMENT_EXACT,
            Feature::DocumentOcr => DOCUMENT_OCR,
        }
    }

    /// The name of the weight in [`crate::weights`], for the fitting report.
    pub fn constant(self) -> &'static str {
        match self {
            Feature::Bias => "BIAS",
            Feature::NameExact => "CREDIT_EXACT",
            Feature::NameTransliteration => "CREDIT_TRANSLITERATION",
            Feature::NameCommonSpelling => "CREDIT_COMMON_SPELLING",
            Feature::NameSkeleton => "CREDIT_SKELETON",
            Feature::NameConsonants => "CREDIT_CONSONANTS",
            Feature::NameSoundsAlike => "CREDIT_SOUNDS_ALIKE",
            Feature::NameTypo1 => "CREDIT_TYPO_1",
            Feature::NameTypo2 => "CREDIT_TYPO_2",
            Feature::NameSimilar => "CREDIT_SIMILAR",
            Feature::NameTranscribed => "CREDIT_TRANSCRIBED",
            Feature::NameTranscribedWeak => "CREDIT_TRANSCRIBED_WEAK",
            Feature::NameTranscribedHan => "CREDIT_TRANSCRIBED_HAN",
            Feature::NameFrame => "CREDIT_FRAME",
            Feature::NameParticleAttached => "CREDIT_PARTICLE_ATTACHED",
            Feature::ParticleAgrees => "PARTICLE_WEIGHT_FACTOR",
            Feature::InitialAgrees => "INITIAL_WEIGHT",
            Feature::UnmatchedQueryMain => "UNMATCHED_QUERY_GIVEN_OR_FAMILY",
            Feature::UnmatchedQueryMiddle => "UNMATCHED_QUERY_MIDDLE",
            Feature::UnmatchedQueryPatronymic => "UNMATCHED_QUERY_PATRONYMIC",
            Feature::UnmatchedQueryInitial => "UNMATCHED_QUERY_INITIAL",
            Feature::UnmatchedRecordMain => "UNMATCHED_RECORD_GIVEN_OR_FAMILY",
            Feature::UnmatchedRecordMiddle => "UNMATCHED_RECORD_MIDDLE",
            Feature::UnmatchedRecordPatronymic => "UNMATCHED_RECORD_PATRONYMIC",
            Feature::NoNameAgreement => "NO_NAME_AGREEMENT",
            Feature::NameOnlyBias => "NAME_ONLY_BIAS",
            Feature::NameOnlyUnmatchedQuery => "NAME_ONLY_UNMATCHED_QUERY",
            Feature::NameOnlyUnmatchedRecord => "NAME_ONLY_UNMATCHED_RECORD",
            Feature::NameOnlyShortfall => "-NAME_ONLY_SHORTFALL_FACTOR",
            Feature::NameOnlySystematicShortfall => "-NAME_ONLY_SYSTEMATIC_SHORTFALL_FACTOR",
            Feature::DobExact => "DOB_EXACT",
            Feature::DobYearMonth => "DOB_YEAR_MONTH",
            Feature::DobYearOnly => "DOB_YEAR_ONLY",
            Feature::DobDayMonthSwapped => "DOB_DAY_MONTH_SWAPPED",
            Feature::DobOneDigit => "DOB_ONE_DIGIT",
            Feature::DobYearOffByOne => "DOB_YEAR_OFF_BY_ONE",
            Feature::DobPartialOneDigit => "DOB_PARTIAL_ONE_DIGIT",
            Feature::DobSameYearOnly => "DOB_SAME_YEAR_ONLY",
            Feature::DobNearYear => "DOB_NEAR_YEAR",
            Feature::DobConflict => "DOB_CONFLICT",
            Feature::SexAgrees => "SEX_AGREES",
            Feature::SexDiffers => "SEX_DIFFERS",
            Feature::NationalityAgrees => "NATIONALITY_AGREES",
            Feature::NationalityDiffers => "NATIONALITY_DIFFERS",
            Feature::DocumentExact => "DOCUMENT_EXACT",
            Feature::DocumentOcr => "DOCUMENT_OCR",
        }
    }

    /// The name-agreement group of a kind of likeness (`None` for initials, which count apart).
    pub(crate) fn of_likeness(likeness: Likeness) -> Option<Feature> {
        Some(match likeness {
            Likeness::Identical | Likeness::AccentsIgnored => Feature::NameExact,
            Likeness::Transliteration(_) => Feature::NameTransliteration,
            Likeness::CommonSpelling => Feature::NameCommonSpelling,
            Likeness::SpellingVariant => Feature::NameSkeleton,
            Likeness::Consonants => Feature::NameConsonants,
            Likeness::SoundsAlike | Likeness::BeiderMorse => Feature::NameSoundsAlike,
            Likeness::Typo(1) => Feature::NameTypo1,
            Likeness::Typo(_) => Feature::NameTypo2,
            Likeness::Similar => Feature::NameSimilar,
            // Chinese characters also write native Chinese and Japanese names, whose pinyin meets foreign
            // names by chance more often than a transcription in another script does.
            Likeness::Transcribed {
                script: ScriptClass::Han,
                ..
            } => Feature::NameTranscribedHan,
            Likeness::Transcribed { exact: true, .. } => Feature::NameTranscribed,
            Likeness::Transcribed { exact: false, .. } => Feature::NameTranscribedWeak,
            Likeness::ForeignTranscription => Feature::NameFrame,
            Likeness::ParticleAttached => Feature::NameParticleAttached,
            Likeness::Initial => return None,
        })
    }

    pub(crate) fn of_date(agreement: DateAgreement) -> Feature {
        match agreement {
            DateAgreement::Exact => Feature::DobExact,
            DateAgreement::YearMonth => Feature::DobYearMonth,
            DateAgreement::YearOnly => Feature::DobYearOnly,
            DateAgreement::DayMonthSwapped => Feature::DobDayMonthSwapped,
            DateAgreement::OneDigit => Feature::DobOneDigit,
            DateAgreement::YearOffByOne => Feature::DobYearOffByOne,
            DateAgreement::PartialOneDigit => Feature::DobPartialOneDigit,
            DateAgreement::SameYearOnly => Feature::DobSameYearOnly,
            DateAgreement::NearYear => Feature::DobNearYear,
            DateAgreement::Conflict => Feature::DobConflict,
        }
    }
}

/// The features of one scored pair; the log-odds before caps is their dot product with the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureVector(pub [f64; Feature::COUNT]);

impl Default for FeatureVector {
    fn default() -> Self {
        FeatureVector([0.0; Feature::COUNT])
    }
}

impl FeatureVector {
    pub fn add(&mut self, feature: Feature, value: f64) {
        self.0[feature as usize] += value;
    }

    pub fn get(&self, feature: Feature) -> f64 {
        self.0[feature as usize]
    }

    /// Σ weight × feature, with the scorer's weights.
    pub fn log_odds(&self) -> f64 {
        Feature::ALL
            .iter()
            .map(|f| f.weight() * self.0[*f as usize])
            .sum()
    }
}
