//! A compact character trie over the Thai block: the word lookup behind the segmenter.
//!
//! Every character a dictionary word may contain maps to a one-byte symbol
//! ([`code`]): the Thai block `U+0E01..U+0E7F` to `1..=127` and the full stop to
//! `0` (for abbreviations such as `พ.ศ.`). The trie is built once from a map of
//! words to costs, then frozen into a double array (Aoe's layout): one slot per
//! node holding its children's base, its parent check and the word cost, so each
//! letter of a walk is one memory access.

/// Symbol used for `.` inside abbreviations (`U+0E00` is unassigned, so `0` is free).
pub(crate) const DOT: u8 = 0;

/// The trie symbol of a character, or `None` when no word can contain it.
#[inline]
pub(crate) fn code(c: char) -> Option<u8> {
    match c {
        '\u{0E01}'..='\u{0E7F}' => Some((c as u32 - 0x0E00) as u8),
        '.' => Some(DOT),
        _ => None,
    }
}

/// Marker for "no word ends here".
const NONE: f32 = f32::INFINITY;

/// A trie node while building: children sorted by symbol, cost of the word ending here.
struct BuildNode {
    children: Vec<(u8, u32)>,
    cost: f32,
}

/// Collects words, then freezes them into a [`Trie`].
pub(crate) struct TrieBuilder {
    nodes: Vec<BuildNode>,
}

impl TrieBuilder {
    /// An empty builder.
    pub(crate) fn new() -> Self {
        TrieBuilder {
            nodes: vec![BuildNode {
                children: Vec::new(),
                cost: NONE,
            }],
        }
    }

    /// Adds `word` with `cost`; a word added twice keeps the lower cost. Words with a
    /// character outside the trie alphabet are ignored (no Thai run can contain them).
    pub(crate) fn insert(&mut self, word: &str, cost: f32) {
        if word.is_empty() || word.chars().any(|c| code(c).is_none()) {
            return;
        }
        let mut node = 0usize;
        for c in word.chars() {
            let Some(sym) = code(c) else { return };
            node = match self.nodes[node]
                .children
                .binary_search_by_key(&sym, |&(s, _)| s)
            {
                Ok(k) => self.nodes[node].children[k].1 as usize,
                Err(k) => {
                    let id = self.nodes.len();
                    self.nodes.push(BuildNode {
                        children: Vec::new(),
                        cost: NONE,
                    });
                    self.nodes[node].children.insert(k, (sym, id as u32));
                    id
                }
            };
        }
        let slot = &mut self.nodes[node].cost;
        if cost < *slot {
            *slot = cost;
        }
    }

    /// Freezes the builder into a double array (see [`Trie`]).
    pub(crate) fn build(self) -> Trie {
        let mut slots = vec![Slot::FREE; 256];
        slots[0] = Slot {
            base: 0,
            check: ROOT_CHECK,
            cost: self.nodes[0].cost,
        };
        // Occupied slots as a bitmap, so the search for a base skips full stretches
        // 64 slots at a time.
        let mut used = FreeMap::default();
        used.set(0);
        let mut first_free = 1usize;
        let mut multi_from = 1usize;
        let mut queue = std::collections::VecDeque::from([(0usize, 0usize)]);
        while let Some((node, slot)) = queue.pop_front() {
            let children = &self.nodes[node].children;
            let Some(&(first_sym, _)) = children.first() else {
                continue;
            };
            let first_sym = first_sym as usize;
            first_free = used.next_free(first_free);
            multi_from = multi_from.max(first_free);
            // Smallest base >= 1 (past `multi_from` for nodes with several children)
            // whose slots for every child symbol are free: try each free slot for
            // the first child in turn.
            let multi = children.len() > 1;
            let mut at = if multi { multi_from } else { first_free }.max(first_sym + 1);
            let mut tries = 0;
            let base = loop {
                let f = used.next_free(at);
                let base = f - first_sym;
                if children
                    .iter()
                    .all(|&(sym, _)| !used.get(base + sym as usize))
                {
                    // Holes that many tries could not use are left to single children.
                    if multi && tries > 16 {
                        multi_from = f;
                    }
                    break base;
                }
                at = f + 1;
                tries += 1;
            };
            if slots.len() < base + 128 {
                slots.resize(base + 128, Slot::FREE);
            }
            slots[slot].base = base as u32;
            for &(sym, child) in children {
                let t = base + sym as usize;
                used.set(t);
                slots[t] = Slot {
                    base: 0,
                    check: slot as u32,
                    cost: self.nodes[child as usize].cost,
                };
                queue.push_back((child as usize, t));
            }
        }
        while slots.last().is_some_and(|s| s.check == FREE) {
            slots.pop();
        }
        Trie {
            slots: Slots::Owned(slots),
        }
    }
}

/// Which double-array slots are taken.
#[derive(Default)]
struct FreeMap {
    words: Vec<u64>,
}

impl FreeMap {
    fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn set(&mut self, i: usize) {
        if self.words.len() <= i / 64 {
            self.words.resize(i / 64 + 1, 0);
        }
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// The first free slot at or after `from`.
    fn next_free(&self, from: usize) -> usize {
        let mut w = from / 64;
        let mut bits = match self.words.get(w) {
            Some(&word) => !word & (!0u64 << (from % 64)),
            None => return from,
        };
        loop {
            if bits != 0 {
                return w * 64 + bits.trailing_zeros() as usize;
            }
            w += 1;
            match self.words.get(w) {
                Some(&word) => bits = !word,
                None => return w * 64,
            }
        }
    }
}

/// Marker for a free slot (`check`).
const FREE: u32 = u32::MAX;
/// `check` of the root slot, which is nobody's child.
const ROOT_CHECK: u32 = u32::MAX - 1;

/// One double-array slot: a trie node. Laid out as the cache file stores it
/// (three little-endian 4-byte words), so a mapped file is read in place.
#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    /// Children of this node sit at `base + symbol`; 0 when it has none.
    base: u32,
    /// The parent's slot ([`FREE`] when unused).
    check: u32,
    /// Cost of the word ending here, or [`NONE`].
    cost: f32,
}

impl Slot {
    const FREE: Slot = Slot {
        base: 0,
        check: FREE,
        cost: NONE,
    };
}

/// A frozen trie as a double array: the child of the node in slot `s` by symbol
/// `c` is slot `t = base(s) + c` when `check(t) == s`. A step reads one slot,
/// which holds the next step's base and the word cost as well, so a walk costs
/// about one cache line per letter.
pub(crate) struct Trie {
    slots: Slots,
}

/// Where a trie's slots live: built in memory, or a frozen cache file mapped
/// read-only (only the pages a walk touches are ever read).
enum Slots {
    Owned(Vec<Slot>),
    Mapped {
        map: memmap2::Mmap,
        /// Byte offset of the first slot in `map` (a multiple of 4).
        offset: usize,
        len: usize,
    },
}

impl Trie {
    #[inline]
    fn slots(&self) -> &[Slot] {
        match &self.slots {
            Slots::Owned(v) => v,
            // SAFETY: `Trie::mapped` checked that `offset + len * 12` bytes lie in
            // the map, that the first is 4-aligned and that the target is little-
            // endian; `Slot` is `repr(C)` of three 4-byte words, for which every bit
            // pattern is a value. The map is read-only and lives as long as `self`;
            // the cache file is only ever replaced by rename, never rewritten in place.
            Slots::Mapped { map, offset, len } => unsafe {
                std::slice::from_raw_parts(map.as_ptr().add(*offset).cast::<Slot>(), *len)
            },
        }
    }

    /// The trie stored in `map` from byte `offset` on (as [`Trie::to_bytes`]
    /// wrote it), read in place; `None` when the bytes cannot be one or cannot
    /// be read in place (then [`Trie::from_bytes`] reads a copy).
    pub(crate) fn mapped(map: memmap2::Mmap, offset: usize) -> Option<Trie> {
        let bytes = map.get(offset..)?;
        let aligned = (bytes.as_ptr() as usize).is_multiple_of(std::mem::align_of::<Slot>());
        if cfg!(target_endian = "big")
            || std::mem::size_of::<Slot>() != 12
            || !aligned
            || bytes.is_empty()
            || !bytes.len().is_multiple_of(12)
        {
            return None;
        }
        let len = bytes.len() / 12;
        Some(Trie {
            slots: Slots::Mapped { map, offset, len },
        })
    }

    /// Calls `found(len, cost)` for every word that is a prefix of `symbols`,
    /// shortest first (`len` counts symbols).
    #[inline]
    pub(crate) fn prefixes(&self, symbols: &[u8], mut found: impl FnMut(usize, f32)) {
        let slots = self.slots();
        let mut s = 0usize;
        for (k, &sym) in symbols.iter().enumerate() {
            let base = slots[s].base as usize;
            if base == 0 {
                return;
            }
            let t = base + (sym & 0x7F) as usize;
            match slots.get(t) {
                Some(slot) if slot.check == s as u32 => {
                    if slot.cost < NONE {
                        found(k + 1, slot.cost);
                    }
                    s = t;
                }
                _ => return,
            }
        }
    }

    /// The slots as bytes (12 per slot, little-endian), for [`Trie::from_bytes`].
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let slots = self.slots();
        let mut out = Vec::with_capacity(slots.len() * 12);
        for s in slots {
            out.extend_from_slice(&s.base.to_le_bytes());
            out.extend_from_slice(&s.check.to_le_bytes());
            out.extend_from_slice(&s.cost.to_le_bytes());
        }
        out
    }

    /// A trie from [`Trie::to_bytes`]; `None` when the bytes cannot be one.
    /// Any slot values are safe: a walk only follows slots that exist.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Trie> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(12) {
            return None;
        }
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let slots = bytes
            .chunks_exact(12)
            .map(|c| Slot {
                base: word(&c[0..4]),
                check: word(&c[4..8]),
                cost: f32::from_bits(word(&c[8..12])),
            })
            .collect();
        Some(Trie {
            slots: Slots::Owned(slots),
        })
    }

    /// The cost of `word` if it is in the trie.
    pub(crate) fn get(&self, word: &str) -> Option<f32> {
        let symbols: Option<Vec<u8>> = word.chars().map(code).collect();
        let symbols = symbols?;
        let mut hit = None;
        self.prefixes(&symbols, |len, cost| {
            if len == symbols.len() {
                hit = Some(cost);
            }
        });
        hit
    }

    /// Bytes held by the trie's arrays.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(self.slots())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_prefix_word_shortest_first() {
        let mut b = TrieBuilder::new();
        b.insert("ผู้", 5.0);
        b.insert("ผู้ว่า", 9.0);
        b.insert("ผู้ว่าราชการ", 12.0);
        b.insert("ราชการ", 7.0);
        let t = b.build();
        let text: Vec<u8> = "ผู้ว่าราชการจังหวัด".chars().filter_map(code).collect();
        let mut seen = Vec::new();
        t.prefixes(&text, |len, cost| seen.push((len, cost)));
        assert_eq!(seen, vec![(3, 5.0), (6, 9.0), (12, 12.0)]);
        assert_eq!(t.get("ราชการ"), Some(7.0));
        assert_eq!(t.get("ราช"), None);
    }

    #[test]
    fn survives_a_round_trip_through_bytes() {
        let mut b = TrieBuilder::new();
        b.insert("ผู้", 5.0);
        b.insert("ผู้ว่า", 9.0);
        b.insert("พ.ศ.", 4.0);
        let t = b.build();
        let back = Trie::from_bytes(&t.to_bytes()).expect("valid bytes");
        assert_eq!(back.get("ผู้ว่า"), Some(9.0));
        assert_eq!(back.get("พ.ศ."), Some(4.0));
        assert_eq!(back.get("ผู้ว"), None);
        assert!(Trie::from_bytes(&t.to_bytes()[1..]).is_none());
        assert!(Trie::from_bytes(&[]).is_none());
    }

    #[test]
    fn a_mapped_file_is_read_in_place_as_the_trie_it_holds() {
        let mut b = TrieBuilder::new();
        let words = ["ผู้", "ผู้ว่า", "ผู้ว่าราชการ", "ราชการ", "พ.ศ.", "จังหวัด"];
        for (i, w) in words.iter().enumerate() {
            b.insert(w, i as f32 + 1.0);
        }
        let t = b.build();
        let mut file = tempfile::tempfile().expect("tempfile");
        let head = b"12345678";
        std::io::Write::write_all(&mut file, head).expect("write");
        std::io::Write::write_all(&mut file, &t.to_bytes()).expect("write");
        // SAFETY: the file is private to this test and not changed while mapped.
        let map = |f: &std::fs::File| unsafe { memmap2::Mmap::map(f) }.expect("map");
        let mapped = Trie::mapped(map(&file), head.len()).expect("maps in place");
        assert!(matches!(mapped.slots, Slots::Mapped { .. }));
        for w in words.iter().chain(&["ผู้ว", "ราช", "จังหวัดภูเก็ต"])
        {
            assert_eq!(mapped.get(w), t.get(w), "{w}");
        }
        let text: Vec<u8> = "ผู้ว่าราชการจังหวัด".chars().filter_map(code).collect();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        mapped.prefixes(&text, |len, cost| a.push((len, cost)));
        t.prefixes(&text, |len, cost| b.push((len, cost)));
        assert_eq!(a, b);
        assert_eq!(mapped.to_bytes(), t.to_bytes());
        // Not a whole number of slots, or not aligned: not read in place.
        assert!(Trie::mapped(map(&file), head.len() + 12 + 1).is_none());
        assert!(Trie::mapped(map(&file), 2).is_none());
    }

    #[test]
    fn keeps_lower_cost_and_ignores_foreign_words() {
        let mut b = TrieBuilder::new();
        b.insert("จังหวัด", 8.0);
        b.insert("จังหวัด", 6.0);
        b.insert("จังหวัด", 7.0);
        b.insert("COVID", 1.0);
        b.insert("พ.ศ.", 4.0);
        let t = b.build();
        assert_eq!(t.get("จังหวัด"), Some(6.0));
        assert_eq!(t.get("COVID"), None);
        assert_eq!(t.get("พ.ศ."), Some(4.0));
    }
}
