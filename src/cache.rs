//! A small least-recently-used cache of search results, bounded in bytes.
//!
//! Entries are keyed by a string (a query) and belong to one generation of
//! the index reader: when the reader reloads (an ingest committed), the
//! first lookup or insert with the new generation drops every older entry,
//! so an answer never comes from documents that are no longer searched.
//! Sizes are the caller's estimate of each value's heap use; the cache
//! evicts the least recently used entries to stay within its budget, and a
//! value larger than the whole budget is not kept. A budget of 0 keeps
//! nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A bounded LRU cache of `Arc<V>` by string key, per reader generation.
pub struct Lru<V> {
    max_bytes: usize,
    inner: Mutex<Inner<V>>,
}

struct Entry<V> {
    value: Arc<V>,
    bytes: usize,
    used: u64,
}

struct Inner<V> {
    generation: u64,
    map: HashMap<String, Entry<V>>,
    bytes: usize,
    clock: u64,
}

impl<V> Inner<V> {
    /// Forgets everything when `generation` is not the entries' own.
    fn enter(&mut self, generation: u64) {
        if self.generation != generation {
            self.map.clear();
            self.bytes = 0;
            self.generation = generation;
        }
    }
}

/// What a key costs besides its value: the key's bytes and the table slot.
fn key_bytes(key: &str) -> usize {
    key.len() + 64
}

impl<V> Lru<V> {
    /// A cache of at most `max_bytes` (0: keeps nothing).
    pub fn new(max_bytes: usize) -> Lru<V> {
        Lru {
            max_bytes,
            inner: Mutex::new(Inner {
                generation: u64::MAX,
                map: HashMap::new(),
                bytes: 0,
                clock: 0,
            }),
        }
    }

    /// The budget in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The value of `key` in `generation`, marked as used.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<V>> {
        if self.max_bytes == 0 {
            return None;
        }
        let mut inner = self.inner.lock().ok()?;
        inner.enter(generation);
        inner.clock += 1;
        let now = inner.clock;
        let e = inner.map.get_mut(key)?;
        e.used = now;
        Some(e.value.clone())
    }

    /// Keeps `value` (about `bytes` of heap) under `key` in `generation`,
    /// replacing an earlier value and evicting the least recently used
    /// entries beyond the budget.
    pub fn insert(&self, generation: u64, key: &str, value: Arc<V>, bytes: usize) {
        let bytes = bytes.saturating_add(key_bytes(key));
        if bytes > self.max_bytes {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.enter(generation);
        inner.clock += 1;
        let used = inner.clock;
        if let Some(old) = inner
            .map
            .insert(key.to_string(), Entry { value, bytes, used })
        {
            inner.bytes -= old.bytes;
        }
        inner.bytes += bytes;
        while inner.bytes > self.max_bytes {
            let Some(oldest) = inner
                .map
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = inner.map.remove(&oldest) {
                inner.bytes -= e.bytes;
            }
        }
    }

    /// Entries kept and their bytes (as estimated).
    pub fn usage(&self) -> (usize, usize) {
        self.inner
            .lock()
            .map(|i| (i.map.len(), i.bytes))
            .unwrap_or((0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_within_budget() {
        let c: Lru<u32> = Lru::new(3 * (100 + key_bytes("a")));
        for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
            c.insert(1, k, Arc::new(v), 100);
        }
        assert_eq!(c.usage().0, 3);
        // "a" used last: "b" is the oldest and goes.
        assert_eq!(c.get(1, "a").as_deref(), Some(&1));
        c.insert(1, "d", Arc::new(4), 100);
        assert_eq!(c.get(1, "b"), None);
        assert_eq!(c.get(1, "a").as_deref(), Some(&1));
        assert_eq!(c.get(1, "d").as_deref(), Some(&4));
        assert!(c.usage().1 <= c.max_bytes());
        // Replacing a value counts its new size only.
        c.insert(1, "d", Arc::new(5), 100);
        assert_eq!(c.usage().0, 3);
        assert_eq!(c.get(1, "d").as_deref(), Some(&5));
    }

    #[test]
    fn new_generation_forgets_everything() {
        let c: Lru<u32> = Lru::new(10_000);
        c.insert(7, "q", Arc::new(1), 10);
        assert_eq!(c.get(7, "q").as_deref(), Some(&1));
        assert_eq!(c.get(8, "q"), None);
        assert_eq!(c.usage(), (0, 0));
        // An entry of the older generation is not brought back.
        assert_eq!(c.get(7, "q"), None);
    }

    #[test]
    fn zero_budget_and_oversized_values_are_not_kept() {
        let off: Lru<u32> = Lru::new(0);
        off.insert(1, "q", Arc::new(1), 0);
        assert_eq!(off.get(1, "q"), None);
        let small: Lru<u32> = Lru::new(500);
        small.insert(1, "big", Arc::new(1), 1000);
        assert_eq!(small.get(1, "big"), None);
        assert_eq!(small.usage(), (0, 0));
    }
}
