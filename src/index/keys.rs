//! How entity values become exact index terms, for writing and for filters.
//!
//! The writer and the query compiler must fold an entity value the same way
//! or a filter misses; both call these functions.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_meet_whatever_the_spacing_and_digits() {
        assert_eq!(entity_key(" ณรงค์\u{200B}  วุ่นซิ่ว "), "ณรงค์ วุ่นซิ่ว");
        assert_eq!(docno_key("ที่ นร ๑๐๑๑/ ว ๔"), docno_key("นร1011/ว4"));
        assert_eq!(order_key("๒ / ๒๕๖๖"), "2/2566");
    }
}
