//! Thai character classes, defined once for every reader, the segmenter, the
//! tagger and search.
//!
//! The Thai block is U+0E00–U+0E7F. Within it:
//!
//! | class | characters | function |
//! | --- | --- | --- |
//! | consonants | `ก` … `ฮ` (U+0E01–U+0E2E) | [`is_consonant`] |
//! | vowels | `ะ` … `ฺ` (U+0E30–U+0E3A), `เ แ โ ใ ไ ๅ` (U+0E40–U+0E45), `็` (U+0E47) | [`is_vowel`] |
//! | combining marks | `ั`, `ิ` … `ฺ`, `็` … `๎` | [`is_mark`] |
//! | digits | `๐` … `๙` (U+0E50–U+0E59) | [`is_digit`] |
//! | signs | `ฯ ๆ ฿ ๏ ๚ ๛` | none of the above |
//!
//! A Thai *word* is spelt with consonants, vowels and marks only
//! ([`is_word_char`]); a *run* the segmenter cuts into words also carries the
//! abbreviation and repetition signs `ฯ ๆ` that belong to the word before
//! them ([`is_run_char`]).

/// True for any character of the Thai block (U+0E00–U+0E7F): letters,
/// vowels, marks, digits and signs.
#[inline]
pub fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// True for the Thai consonants `ก` … `ฮ` (U+0E01–U+0E2E).
#[inline]
pub fn is_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// True for Thai vowels: the vowel letters and signs `ะ ั า ำ ิ ี ึ ื ุ ู ฺ`
/// (U+0E30–U+0E3A), the leading vowels `เ แ โ ใ ไ`, the length sign `ๅ`
/// (U+0E40–U+0E45) and the shortener `็` (U+0E47).
#[inline]
pub fn is_vowel(c: char) -> bool {
    matches!(c, '\u{0E30}'..='\u{0E3A}' | '\u{0E40}'..='\u{0E45}' | '\u{0E47}')
}

/// True for Thai combining marks, which never stand alone: vowels above and
/// below, tone marks and signs (`ั ิ ี ึ ื ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ ๎`).
#[inline]
pub fn is_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// True for the Thai digits `๐` … `๙` (U+0E50–U+0E59).
#[inline]
pub fn is_digit(c: char) -> bool {
    ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// True for the characters Thai words are spelt with: consonants, vowels and
/// marks. False for Thai digits and for the signs that stand apart from a
/// word (`ฯ ๆ ฿ ๏ ๚ ๛`, followed by a space in careful writing).
#[inline]
pub fn is_word_char(c: char) -> bool {
    matches!(c,
        '\u{0E01}'..='\u{0E2E}'
        | '\u{0E30}'..='\u{0E3A}'
        | '\u{0E40}'..='\u{0E45}'
        | '\u{0E47}'..='\u{0E4E}')
}

/// True for the characters of a Thai run as the segmenter reads one: word
/// characters ([`is_word_char`]) and `ฯ` / `ๆ`, which abbreviate or repeat the
/// word before them. Digits, `฿`, `๏ ๚ ๛` end a run.
#[inline]
pub fn is_run_char(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E3A}' | '\u{0E40}'..='\u{0E4E}')
}

/// The largest character boundary of `text` at or before byte `i` (`i` past
/// the end gives the text's length).
#[inline]
pub fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> impl Iterator<Item = char> {
        ('\u{0E00}'..='\u{0E7F}').chain(['a', '1', ' ', '.', 'é', '\u{0E80}', '\u{0DFF}'])
    }

    #[test]
    fn every_word_character_is_a_consonant_vowel_or_mark() {
        for c in block() {
            assert_eq!(
                is_word_char(c),
                is_consonant(c) || is_vowel(c) || is_mark(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn a_run_is_word_characters_and_the_abbreviation_and_repetition_signs() {
        for c in block() {
            assert_eq!(
                is_run_char(c),
                is_word_char(c) || c == 'ฯ' || c == 'ๆ',
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn signs_and_digits_are_thai_but_not_word_characters() {
        for c in "ฯๆ฿๏๚๛๐๑๙".chars() {
            assert!(is_thai(c) && !is_word_char(c), "{c}");
        }
        assert!("๐๑๒๓๔๕๖๗๘๙".chars().all(is_digit));
        assert!(!"0ก".chars().any(is_digit));
    }

    #[test]
    fn classes_of_a_written_word() {
        // เจ้าหน้าที่: leading vowel, consonants, tone marks, vowels.
        let w = "เจ้าหน้าที่";
        assert!(w.chars().all(is_word_char));
        assert_eq!(w.chars().filter(|c| is_consonant(*c)).count(), 4);
        assert_eq!(w.chars().filter(|c| is_mark(*c)).count(), 4);
        assert!(!"ABC".chars().any(is_thai));
    }

    #[test]
    fn floor_char_steps_back_to_a_boundary() {
        let s = "กข"; // 3 bytes each
        assert_eq!(floor_char(s, 0), 0);
        assert_eq!(floor_char(s, 1), 0);
        assert_eq!(floor_char(s, 2), 0);
        assert_eq!(floor_char(s, 3), 3);
        assert_eq!(floor_char(s, 5), 3);
        assert_eq!(floor_char(s, 6), 6);
        assert_eq!(floor_char(s, 100), 6);
        assert_eq!(floor_char("", 4), 0);
    }
}
