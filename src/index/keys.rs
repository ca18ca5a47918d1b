//! How values become exact index terms: entity values, for writing and for
//! filters, and the keys of documents stored in parts.
//!
//! The writer and the query compiler must fold an entity value the same way
//! or a filter misses; both call these functions. A text too long for one
//! document is indexed in parts ([`crate::parts`]): each part's key and
//! content hash are its whole document's, marked with its place
//! ([`part_key`], [`part_hash`]), so ingest can tell an unchanged document
//! from a changed one and find every part of it again.

use crate::normalize::{fold_digits, is_invisible};

/// Folds an entity value (official or plan name): digits to Arabic,
/// invisible characters dropped, whitespace runs to one space, trimmed.
pub fn entity_key(s: &str) -> String {
    let s = fold_digits(s);
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().filter(|c| !is_invisible(*c)));
    }
    out
}

/// Letter-number key: digits folded and all spacing removed, so
/// `ที่ นร 1011/ ว 4` and `นร1011/ว4` meet.
pub fn docno_key(s: &str) -> String {
    let s = entity_key(s);
    let s = s.strip_prefix("ที่").unwrap_or(&s);
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Order-number key `N/YYYY` (`๒ / ๒๕๖๖` → `2/2566`); values that are not
/// order numbers are folded and stripped of spaces.
pub fn order_key(s: &str) -> String {
    crate::tag::normalize_order_number(s).unwrap_or_else(|| entity_key(s).replace(' ', ""))
}

/// What marks a part in a key or hash: `#part:` then `I/N`.
const PART_MARK: &str = "#part:";

/// Key of part `part` (1-based) of `parts` of the document keyed `unit`
/// (a file's key, or a JSON Lines record's): `unit#part:2/9`. Every part
/// key names the count, so a run that stopped halfway through writing a
/// document's parts leaves a set that is seen to be incomplete.
pub fn part_key(unit: &str, part: usize, parts: usize) -> String {
    format!("{unit}{PART_MARK}{part}/{parts}")
}

/// The content hash stored with a part: its document's hash, marked like
/// its key, so every part has a hash of its own (copies are found part by
/// part) and the document's hash is read back from any of them.
pub fn part_hash(hash: &str, part: usize, parts: usize) -> String {
    part_key(hash, part, parts)
}

/// Splits a part key (or hash) into its document's key and the part's place
/// (`part`, `parts`); `None` for the key of a whole document.
pub fn split_part_key(key: &str) -> Option<(&str, usize, usize)> {
    let (unit, place) = key.rsplit_once(PART_MARK)?;
    let (part, parts) = place.split_once('/')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(part) || !all_digits(parts) {
        return None;
    }
    let (part, parts) = (part.parse().ok()?, parts.parse().ok()?);
    (1..=parts).contains(&part).then_some((unit, part, parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_keys_name_their_document_and_place() {
        let key = part_key("/d/ราชกิจจา.txt", 2, 9);
        assert_eq!(key, "/d/ราชกิจจา.txt#part:2/9");
        assert_eq!(split_part_key(&key), Some(("/d/ราชกิจจา.txt", 2, 9)));
        assert_eq!(
            split_part_key(&part_hash("ab12", 9, 9)),
            Some(("ab12", 9, 9))
        );
        for whole in [
            "/d/a.txt",
            "/d/a.jsonl#id:x",
            "/d/a#part:0/2",
            "/d/a#part:3/2",
            "/d/a#part:1/x",
        ] {
            assert_eq!(split_part_key(whole), None, "{whole}");
        }
    }

    #[test]
    fn keys_meet_whatever_the_spacing_and_digits() {
        assert_eq!(entity_key(" ณรงค์\u{200B}  วุ่นซิ่ว "), "ณรงค์ วุ่นซิ่ว");
        assert_eq!(docno_key("ที่ นร ๑๐๑๑/ ว ๔"), docno_key("นร1011/ว4"));
        assert_eq!(order_key("๒ / ๒๕๖๖"), "2/2566");
    }
}
