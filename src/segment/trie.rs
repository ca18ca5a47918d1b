//! A compact character trie over the Thai block: the word lookup behind the segmenter.
//!
//! Every character a dictionary word may contain maps to a one-byte symbol
//! ([`code`]): the Thai block `U+0E01..U+0E7F` to `1..=127` and the full stop to
//! `0` (for abbreviations such as `พ.ศ.`). The trie is built once from a map of
//! words to costs, then flattened breadth-first so that each node's children sit
//! side by side; the root keeps a dense table because every walk starts there.

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

/// Nodes with at least this many children get a dense 128-entry child table.
const DENSE_FROM: usize = 8;

/// Marker for "this node has no dense table".
const NO_TABLE: u32 = u32::MAX;

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

    /// Freezes the builder into the breadth-first layout used for lookups.
    pub(crate) fn build(self) -> Trie {
        let n = self.nodes.len();
        // New index of each build node, assigned in breadth-first order.
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut new_id = vec![0u32; n];
        order.push(0);
        let mut head = 0;
        while head < order.len() {
            let old = order[head] as usize;
            head += 1;
            for &(_, child) in &self.nodes[old].children {
                new_id[child as usize] = order.len() as u32;
                order.push(child);
            }
        }
        let mut nodes = Vec::with_capacity(n + 1);
        let mut labels = Vec::with_capacity(n);
        for &old in &order {
            let node = &self.nodes[old as usize];
            nodes.push((labels.len() as u32, node.cost));
            for &(sym, _) in &node.children {
                labels.push(sym);
            }
        }
        nodes.push((labels.len() as u32, NONE));
        // In breadth-first order the children of consecutive nodes are consecutive
        // nodes, so a node's first child id is its first edge index + 1.
        let mut root = [0u32; 128];
        for &(sym, child) in &self.nodes[0].children {
            root[sym as usize] = new_id[child as usize];
        }
        // Wide nodes (the first letters of many words) get a dense table, so a
        // step from them is one load instead of a scan over dozens of labels.
        let mut dense_of = vec![NO_TABLE; nodes.len()];
        let mut dense = Vec::new();
        for (new, &old) in order.iter().enumerate() {
            let children = &self.nodes[old as usize].children;
            if children.len() < DENSE_FROM {
                continue;
            }
            dense_of[new] = (dense.len() / 128) as u32;
            let at = dense.len();
            dense.resize(at + 128, 0u32);
            for &(sym, child) in children {
                dense[at + sym as usize] = new_id[child as usize];
            }
        }
        Trie {
            root,
            nodes,
            labels,
            dense_of,
            dense,
        }
    }
}

/// A frozen trie: breadth-first nodes, each `(first edge, cost)`; the children of
/// node `i` are the edges `nodes[i].0..nodes[i + 1].0`, and edge `e` leads to node
/// `e + 1`. A trailing sentinel node closes the last range.
pub(crate) struct Trie {
    root: [u32; 128],
    nodes: Vec<(u32, f32)>,
    labels: Vec<u8>,
    /// Per node, the index of its dense child table in `dense`, or [`NO_TABLE`].
    dense_of: Vec<u32>,
    /// Dense child tables, 128 entries each: child node id, or 0 for none.
    dense: Vec<u32>,
}

impl Trie {
    /// Calls `found(len, cost)` for every word that is a prefix of `symbols`,
    /// shortest first (`len` counts symbols).
    #[inline]
    pub(crate) fn prefixes(&self, symbols: &[u8], mut found: impl FnMut(usize, f32)) {
        let Some((&s0, rest)) = symbols.split_first() else {
            return;
        };
        let mut node = self.root[(s0 & 0x7F) as usize] as usize;
        if node == 0 {
            return;
        }
        let mut len = 1;
        loop {
            let (lo, c) = self.nodes[node];
            if c < NONE {
                found(len, c);
            }
            let Some(&sym) = rest.get(len - 1) else {
                return;
            };
            let table = self.dense_of[node];
            if table != NO_TABLE {
                let child = self.dense[table as usize * 128 + (sym & 0x7F) as usize];
                if child == 0 {
                    return;
                }
                node = child as usize;
            } else {
                let lo = lo as usize;
                let hi = self.nodes[node + 1].0 as usize;
                match self.labels[lo..hi].iter().position(|&l| l == sym) {
                    Some(k) => node = lo + k + 1,
                    None => return,
                }
            }
            len += 1;
        }
    }

    /// The cost of `word` if it is in the trie.
    #[cfg(test)]
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
        self.nodes.len() * std::mem::size_of::<(u32, f32)>()
            + self.labels.len()
            + self.dense_of.len() * 4
            + self.dense.len() * 4
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
