//! Compact string storage for millions of short keys: one buffer plus offsets, and an open-addressing
//! index over it, so interning a key allocates nothing per key.

use std::hash::Hasher;

use rustc_hash::FxHasher;

/// Strings appended one after another into one buffer; string `i` is `text[starts[i]..starts[i + 1]]`.
#[derive(Clone, Debug)]
pub(crate) struct StrTable {
    text: String,
    starts: Vec<usize>,
}

impl Default for StrTable {
    fn default() -> Self {
        Self::with_capacity(0, 0)
    }
}

impl StrTable {
    pub(crate) fn with_capacity(strings: usize, bytes: usize) -> Self {
        let mut starts = Vec::with_capacity(strings + 1);
        starts.push(0);
        Self {
            text: String::with_capacity(bytes),
            starts,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub(crate) fn push(&mut self, s: &str) -> u32 {
        let ix = u32::try_from(self.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        self.starts.push(self.text.len());
        ix
    }

    pub(crate) fn get(&self, ix: u32) -> &str {
        let i = ix as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&s), Some(&e)) => self.text.get(s..e).unwrap_or(""),
            _ => "",
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.starts.capacity() * size_of::<usize>()
    }
}

pub(crate) fn hash_str(tag: u8, s: &str) -> u32 {
    let mut h = FxHasher::default();
    h.write_u8(tag);
    h.write(s.as_bytes());
    let x = h.finish();
    // Fold the well-mixed high half into the low half: slots are chosen by the low bits.
    ((x >> 32) ^ x) as u32
}

const EMPTY: u64 = u64::MAX;

/// Open-addressing (linear probing) index from a 32-bit hash to an id; the caller says when an id is a hit,
/// so the strings are never copied into the index. Slots pack `id << 32 | hash`.
#[derive(Clone, Debug)]
pub(crate) struct KeyIndex {
    slots: Vec<u64>,
    len: usize,
}

impl Default for KeyIndex {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl KeyIndex {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let cap = (n.saturating_mul(2)).max(16).next_power_of_two();
        Self {
            slots: vec![EMPTY; cap],
            len: 0,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    pub(crate) fn find(&self, hash: u32, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        let mask = self.mask();
        let mut pos = hash as usize & mask;
        loop {
            let slot = *self.slots.get(pos)?;
            if slot == EMPTY {
                return None;
            }
            if slot as u32 == hash {
                let id = (slot >> 32) as u32;
                if is(id) {
                    return Some(id);
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    /// Inserts an id the caller knows is absent.
    pub(crate) fn insert(&mut self, hash: u32, id: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(hash, id);
        self.len += 1;
    }

    fn place(&mut self, hash: u32, id: u32) {
        let mask = self.mask();
        let mut pos = hash as usize & mask;
        while let Some(slot) = self.slots.get_mut(pos) {
            if *slot == EMPTY {
                *slot = (u64::from(id) << 32) | u64::from(hash);
                return;
            }
            pos = (pos + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let doubled = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for slot in old {
            if slot != EMPTY {
                self.place(slot as u32, (slot >> 32) as u32);
            }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<u64>()
    }
}

/// Strings stored once each, with their ids in insertion order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    pub(crate) strings: StrTable,
    index: KeyIndex,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        let hash = hash_str(0, s);
        let strings = &self.strings;
        if let Some(id) = self.index.find(hash, |id| strings.get(id) == s) {
            return id;
        }
        let id = self.strings.push(s);
        self.index.insert(hash, id);
        id
    }

    pub(crate) fn get(&self, id: u32) -> &str {
        self.strings.get(id)
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.strings.shrink_to_fit();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.strings.heap_bytes() + self.index.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_returns_the_same_id_for_the_same_string() {
        let mut i = Interner::default();
        let ids: Vec<u32> = (0..1000).map(|k| i.intern(&format!("k{k}"))).collect();
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(i.intern(&format!("k{k}")), *id);
            assert_eq!(i.get(*id), format!("k{k}"));
        }
        assert_eq!(i.intern(""), 1000);
        assert_eq!(i.get(1000), "");
    }
}
