//! Thai character clusters: where a word boundary may fall inside a run of Thai letters.
//!
//! Thai writes vowels before, above, below and after consonants, and tone marks above
//! them. A word never ends between a consonant and its marks, after a leading vowel,
//! before a following vowel, inside the two-letter vowels `เ–ีย`, `เ–ือ`, `เ–อ`, `–ัว`,
//! or before a silent consonant carrying the karan `์`. [`boundaries`] marks every other
//! position as a possible boundary; the spans between them are the clusters the
//! segmenter never splits, and the units it groups when a word is unknown.

use crate::thai::is_mark;

/// Tone marks (`่ ้ ๊ ๋`).
#[inline]
fn is_tone(c: char) -> bool {
    matches!(c, '\u{0E48}'..='\u{0E4B}')
}

/// Thai consonants `ก`..`ฮ`.
#[inline]
fn is_consonant(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E2E}')
}

/// Leading vowels written before their consonant (`เ แ โ ใ ไ`).
#[inline]
fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Following vowels that cannot start a word (`ะ า ำ ๅ`).
#[inline]
fn is_following_vowel(c: char) -> bool {
    matches!(c, '\u{0E30}' | '\u{0E32}' | '\u{0E33}' | '\u{0E45}')
}

const KARAN: char = '\u{0E4C}';
const MAI_HAN_AKAT: char = '\u{0E31}';

/// Fills `out` with one flag per position `0..=chars.len()`: `true` where a word
/// boundary may fall (before `chars[i]`). Both ends are always boundaries.
pub(crate) fn boundaries(chars: &[char], out: &mut Vec<bool>) {
    let n = chars.len();
    out.clear();
    out.push(true);
    out.extend((1..n).map(|i| can_break(chars, i)));
    if n > 0 {
        out.push(true);
    }
}

/// Whether a boundary may fall between `chars[i - 1]` and `chars[i]`.
fn can_break(chars: &[char], i: usize) -> bool {
    let prev = chars[i - 1];
    let cur = chars[i];
    if cur == '.' || prev == '.' {
        return true;
    }
    if is_mark(cur) || is_following_vowel(cur) {
        return false;
    }
    if is_leading_vowel(prev) || prev == MAI_HAN_AKAT {
        return false;
    }
    // A consonant silenced by the karan belongs to the syllable before it:
    // `ศักดิ์`, `พันธุ์`, `จันทร์`.
    if is_consonant(cur) {
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        if next == Some(KARAN)
            || (matches!(next, Some('\u{0E34}' | '\u{0E38}')) && after == Some(KARAN))
        {
            return false;
        }
    }
    // Two-letter vowels: the second letter closes the vowel, not a new syllable.
    if cur == 'ย' || cur == 'อ' || cur == 'ว' {
        let (base, vowel) = vowel_before(chars, i);
        match (cur, vowel) {
            ('ย', Some('\u{0E35}')) if base_has_leading_e(chars, base) => return false,
            ('อ', Some('\u{0E37}')) if base_has_leading_e(chars, base) => return false,
            ('อ', None) if base_has_leading_e(chars, base) => return false,
            ('ว', Some(MAI_HAN_AKAT)) => return false,
            _ => {}
        }
    }
    true
}

/// Looks back from position `i` over tone marks to the syllable's vowel mark:
/// returns the index of the consonant the marks sit on and the vowel mark, if any.
fn vowel_before(chars: &[char], i: usize) -> (Option<usize>, Option<char>) {
    let mut k = i;
    while k > 0 && is_tone(chars[k - 1]) {
        k -= 1;
    }
    if k == 0 {
        return (None, None);
    }
    let c = chars[k - 1];
    if is_mark(c) {
        let base = k.checked_sub(2).filter(|&b| is_consonant(chars[b]));
        (base, Some(c))
    } else if is_consonant(c) {
        (Some(k - 1), None)
    } else {
        (None, None)
    }
}

/// True when the consonant at `base` directly follows `เ` (`เCีย`, `เCือ`, `เCอ`).
fn base_has_leading_e(chars: &[char], base: Option<usize>) -> bool {
    match base {
        Some(b) if b > 0 => chars[b - 1] == 'เ',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `s` at every permitted boundary.
    fn clusters(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let mut b = Vec::new();
        boundaries(&chars, &mut b);
        let mut out = Vec::new();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && b[i] {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        out.push(cur);
        out
    }

    #[test]
    fn marks_and_vowels_stay_with_their_consonant() {
        assert_eq!(clusters("ผู้ว่า"), ["ผู้", "ว่า"]);
        assert_eq!(clusters("เกาะ"), ["เกาะ"]);
        assert_eq!(clusters("จังหวัด"), ["จัง", "ห", "วัด"]);
    }

    #[test]
    fn two_letter_vowels_and_karan() {
        assert_eq!(clusters("เรียน"), ["เรีย", "น"]);
        assert_eq!(clusters("เมือง"), ["เมือ", "ง"]);
        assert_eq!(clusters("ตัว"), ["ตัว"]);
        assert_eq!(clusters("ศักดิ์"), ["ศักดิ์"]);
        assert_eq!(clusters("จันทร์"), ["จัน", "ทร์"]);
    }

    #[test]
    fn no_panic_on_stray_marks() {
        assert_eq!(clusters("่า"), ["่า"]);
        assert_eq!(clusters("เ"), ["เ"]);
        assert_eq!(clusters("ก."), ["ก", "."]);
    }
}
