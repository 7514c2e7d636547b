//! Interned name tokens with everything matching needs precomputed once per distinct token: its Latin
//! forms, their skeletons, consonant skeletons, phonetic codes, and the key that counts its frequency.

use std::collections::HashMap;

use crate::keys::{
    beider_morse_codes, consonants, double_metaphone, hash_bytes, skeleton, transcription_frame,
};
use crate::names::{NameToken, TokenKind};
use crate::text::ScriptClass;
use crate::transcription::{self, Unit};
use crate::translit::{Scheme, latin_forms, pinyin_syllables};

/// Beider-Morse alternatives kept per Latin form.
const BEIDER_MORSE_LIMIT: usize = 8;

/// One Latin form of a token with its keys.
#[derive(Debug, Clone)]
pub struct FormInfo {
    pub latin: Box<str>,
    pub scheme: Scheme,
    /// Hash of the skeleton (see [`crate::keys::skeleton`]); also its blocking key.
    pub skeleton: u64,
    pub skeleton_len: u8,
    /// Hash of the consonant skeleton; also its blocking key.
    pub consonants: u64,
    pub consonants_len: u8,
    /// Double Metaphone primary and alternate, hashed (0 when empty).
    pub metaphone: [u32; 2],
    /// Beider-Morse alternatives, hashed and sorted.
    pub beider_morse: Box<[u32]>,
    /// Hash of the transcription frame (see [`crate::keys::transcription_frame`]), 0 when it has fewer
    /// than two consonants; compared only between a Latin token and a Han, Kana or Hangul one.
    pub transcription: u64,
    /// The letters present, as a bit set (bit `byte & 63`): bounds Jaro-Winkler before computing it.
    pub letters: u64,
    /// Hash of `latin`, compared before the letters themselves.
    pub latin_hash: u64,
}

/// Bit set of the bytes of a Latin form (bit `byte & 63`; collisions only loosen the bound it serves).
pub fn letter_set(latin: &str) -> u64 {
    latin.bytes().fold(0, |set, b| set | 1u64 << (b & 63))
}

/// A distinct token (by cleaned surface) and its analysis.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub surface: Box<str>,
    pub script: ScriptClass,
    pub kind: TokenKind,
    pub forms: Box<[FormInfo]>,
    /// Counts the token's frequency: the skeleton of its common spelling or first form, so MOHAMMED,
    /// MUHAMMAD and محمد are counted together.
    pub frequency_key: u64,
    /// First letter of the first Latin form (for initials).
    pub initial: u8,
}

/// A token's consonant units (see [`crate::transcription`]), kept apart from [`TokenInfo`] so that the
/// analyses scoring reads for every candidate stay small: those of a token in Arabic, Hebrew, Cyrillic,
/// Kana, Hangul or Han script, read as these scripts write foreign names, and, for a query's Latin token,
/// those of each Latin form (read once for all the native tokens it is compared with; a record's Latin
/// token is read when compared).
#[derive(Debug, Clone, Default)]
pub struct Units {
    pub native: Box<[Unit]>,
    pub forms: Box<[Box<[Unit]>]>,
}

impl Units {
    /// The native units of a token (none for Latin and the scripts without a reading).
    pub fn native(token: &NameToken) -> Box<[Unit]> {
        if !transcription::transcribes(token.script) {
            return Box::default();
        }
        let pinyin = if token.script == ScriptClass::Han {
            pinyin_syllables(&token.surface)
        } else {
            Vec::new()
        };
        transcription::native_units(&token.surface, token.script, &pinyin).into_boxed_slice()
    }

    /// The units of a query token: its native units, or those of each of its Latin forms.
    pub fn of_query(info: &TokenInfo, native: Box<[Unit]>) -> Units {
        let forms = if info.script == ScriptClass::Latin {
            let mut units = Vec::new();
            info.forms
                .iter()
                .map(|form| {
                    transcription::latin_units(&form.latin, &mut units);
                    units.clone().into_boxed_slice()
                })
                .collect()
        } else {
            Box::default()
        };
        Units { native, forms }
    }
}

impl TokenInfo {
    pub fn analyze(token: &NameToken) -> TokenInfo {
        let forms: Vec<FormInfo> = latin_forms(&token.surface, token.script, token.mixed_script)
            .into_iter()
            .enumerate()
            .map(|(index, form)| {
                let (primary, alternate) = double_metaphone(&form.text);
                let code = |s: &str| {
                    if s.is_empty() {
                        0
                    } else {
                        hash_bytes(b'd', s.as_bytes()) as u32 | 1
                    }
                };
                // Beider-Morse is the costliest key (microseconds per form): the first, most standard
                // form carries it; the other forms are covered by skeletons and Double Metaphone.
                let beider_morse = if index == 0 {
                    beider_morse_codes(&form.text, BEIDER_MORSE_LIMIT)
                } else {
                    Vec::new()
                };
                let skeleton = skeleton(&form.text);
                let consonants = consonants(&form.text);
                let frame = transcription_frame(&form.text);
                FormInfo {
                    transcription: if frame.len() >= 2 {
                        hash_bytes(b't', frame.as_bytes())
                    } else {
                        0
                    },
                    skeleton: hash_bytes(b's', skeleton.as_bytes()),
                    skeleton_len: skeleton.len().min(255) as u8,
                    consonants: hash_bytes(b'c', consonants.as_bytes()),
                    consonants_len: consonants.len().min(255) as u8,
                    metaphone: [code(&primary), code(&alternate)],
                    beider_morse: beider_morse.into_boxed_slice(),
                    letters: letter_set(&form.text),
                    latin_hash: hash_bytes(b'l', form.text.as_bytes()),
                    latin: form.text.into_boxed_str(),
                    scheme: form.scheme,
                }
            })
            .collect();
        let frequency_source = forms
            .iter()
            .find(|f| f.scheme == Scheme::CommonSpelling)
            .or_else(|| forms.first());
        let frequency_key = frequency_source
            .map(|f| f.skeleton)
            .unwrap_or_else(|| hash_bytes(b'f', token.surface.as_bytes()));
        let initial = forms
            .first()
            .and_then(|f| f.latin.bytes().next())
            .unwrap_or(0);
        TokenInfo {
            surface: token.surface.clone().into_boxed_str(),
            script: token.script,
            kind: token.kind,
            forms: forms.into_boxed_slice(),
            frequency_key,
            initial,
        }
    }

    /// Blocking keys of this token: skeletons, consonant skeletons and Double Metaphone codes of every
    /// form, plus the skeleton without an attached Arabic article (ALRASHID is also found as RASHID).
    ///
    /// Han, Kana and Hangul tokens are also indexed by their transcription frames, which a query's Latin
    /// tokens look up (`query`): the route for foreign names written in those scripts. Likewise a record's
    /// Arabic, Hebrew, Han, Kana and Hangul tokens are indexed under their consonant keys (see
    /// [`crate::transcription::blocking_keys`]), which the keys of a query's Latin tokens look up.
    pub fn blocking_keys(
        &self,
        native: &[Unit],
        forms: &[Box<[Unit]>],
        out: &mut Vec<u64>,
        query: bool,
    ) {
        if self.kind != TokenKind::Normal {
            return;
        }
        // Cyrillic tokens are found through their transliterations already.
        if !native.is_empty() && !query && self.script != ScriptClass::Cyrillic {
            transcription::blocking_keys(native, true, TRANSCRIBED_KEY, 2, out);
        } else if self.script == ScriptClass::Latin && query {
            for form in forms {
                transcription::blocking_keys(form, false, TRANSCRIBED_KEY, 2, out);
            }
        }
        let frames =
            self.script.transcribes_foreign_names() || (query && self.script == ScriptClass::Latin);
        for form in self.forms.iter() {
            if frames && form.transcription != 0 {
                out.push(form.transcription);
            }
            if form.skeleton_len == 0 {
                continue;
            }
            out.push(form.skeleton);
            if form.consonants_len >= 2 {
                out.push(form.consonants);
            }
            for code in form.metaphone {
                if code != 0 {
                    out.push(u64::from(code) | (1 << 40));
                }
            }
            if let Some(rest) = strip_attached_article(&form.latin) {
                out.push(hash_bytes(b's', skeleton(rest).as_bytes()));
            }
        }
    }
}

/// Hash tag of the consonant keys across scripts (see [`crate::transcription::blocking_keys`]).
const TRANSCRIBED_KEY: u8 = b'n';

/// ALRASHID → RASHID, ELSAYED → SAYED (long enough to be a name on its own).
pub fn strip_attached_article(latin: &str) -> Option<&str> {
    ["AL", "EL", "UL"]
        .iter()
        .find_map(|p| latin.strip_prefix(p))
        .filter(|rest| rest.len() >= 4)
}

pub type TokenId = u32;

/// The interner: one [`TokenInfo`] per distinct cleaned surface.
#[derive(Debug, Default, Clone)]
pub struct TokenTable {
    ids: HashMap<Box<str>, TokenId>,
    infos: Vec<TokenInfo>,
    /// Each token's native units, by id (see [`Units`]).
    units: Vec<Box<[Unit]>>,
}

impl TokenTable {
    pub fn intern(&mut self, token: &NameToken) -> TokenId {
        if let Some(&id) = self.ids.get(token.surface.as_str()) {
            return id;
        }
        let id = self.infos.len() as TokenId;
        self.infos.push(TokenInfo::analyze(token));
        self.units.push(Units::native(token));
        self.ids.insert(token.surface.clone().into_boxed_str(), id);
        id
    }

    pub fn lookup(&self, surface: &str) -> Option<TokenId> {
        self.ids.get(surface).copied()
    }

    pub fn get(&self, id: TokenId) -> Option<&TokenInfo> {
        self.infos.get(id as usize)
    }

    /// A token's native units (empty for Latin and the scripts without a reading).
    pub fn units(&self, id: TokenId) -> &[Unit] {
        self.units.get(id as usize).map_or(&[], |u| u)
    }

    pub fn len(&self) -> usize {
        self.infos.len()
    }
}
