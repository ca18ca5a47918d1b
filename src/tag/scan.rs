//! Small text-scanning helpers shared by the taggers: character classes, whitespace
//! skipping, number reading and byte ↔ character offset conversion.
//!
//! Taggers work on byte offsets into the `&str` (cheap slicing, memchr and
//! aho-corasick friendly) and convert to character offsets once, at the end.

use crate::normalize::{fold_digit, is_digit};
use crate::thai::is_word_char;

/// True for horizontal whitespace (space, tab and the other spacing characters).
#[inline]
pub(crate) fn is_hspace(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// The character that ends just before byte `pos`, if any.
#[inline]
pub(crate) fn prev_char(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

/// The character that starts at byte `pos`, if any.
#[inline]
pub(crate) fn next_char(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|s| s.chars().next())
}

/// Skips at most `max` horizontal whitespace characters from `pos`.
pub(crate) fn skip_hspace(text: &str, pos: usize, max: usize) -> usize {
    let mut p = pos;
    for (n, c) in text[pos..].chars().enumerate() {
        if n >= max || !is_hspace(c) {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// Skips whitespace from `pos`, crossing at most `max_newlines` line breaks.
pub(crate) fn skip_space_lines(text: &str, pos: usize, max_newlines: usize) -> usize {
    let mut p = pos;
    let mut lines = 0;
    for c in text[pos..].chars() {
        if c == '\n' {
            if lines == max_newlines {
                break;
            }
            lines += 1;
        } else if !c.is_whitespace() {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// End of the run of Thai letters starting at `pos` (== `pos` when there is none).
pub(crate) fn thai_run_end(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[pos..].chars() {
        if !is_word_char(c) {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// End of the token starting at `pos`: everything up to whitespace or one of `stops`.
pub(crate) fn token_end(text: &str, pos: usize, stops: &[char]) -> usize {
    let mut p = pos;
    for c in text[pos..].chars() {
        if c.is_whitespace() || stops.contains(&c) {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// Reads a run of Thai or Arabic digits at `pos`: (ASCII digits, end byte).
pub(crate) fn read_digits(text: &str, pos: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut p = pos;
    for c in text[pos..].chars() {
        if !is_digit(c) {
            break;
        }
        out.push(fold_digit(c));
        p += c.len_utf8();
    }
    if out.is_empty() { None } else { Some((out, p)) }
}

/// Reads digits separated by single dots (`๐๐๑๗.๒`, `0202.3.7`): (ASCII form, end byte).
pub(crate) fn read_dotted_digits(text: &str, pos: usize) -> Option<(String, usize)> {
    let (mut out, mut p) = read_digits(text, pos)?;
    while text[p..].starts_with('.') {
        match read_digits(text, p + 1) {
            Some((more, q)) => {
                out.push('.');
                out.push_str(&more);
                p = q;
            }
            None => break,
        }
    }
    Some((out, p))
}

/// Whitespace runs folded to one space, ends trimmed.
pub(crate) fn fold_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// A 4-digit year, or a 2-digit one read as B.E. 25YY.
pub(crate) fn full_year(y: &str) -> Option<String> {
    match y.len() {
        4 => Some(y.to_string()),
        2 => Some(format!("25{y}")),
        _ => None,
    }
}

/// Byte ↔ character offset conversion for one text, built in one pass.
///
/// Stores the number of characters before every 64-byte block; a lookup counts the
/// characters inside one block at most.
pub(crate) struct CharIndex<'a> {
    text: &'a str,
    blocks: Vec<u32>,
}

const BLOCK: usize = 64;

impl<'a> CharIndex<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut count: u32 = 0;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(count);
            count += chunk.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
        }
        blocks.push(count);
        CharIndex { text, blocks }
    }

    /// Character offset of byte offset `byte` (clamped to the text).
    pub(crate) fn char_at(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let b = byte / BLOCK;
        let base = self.blocks.get(b).copied().unwrap_or(0) as usize;
        let start = b * BLOCK;
        base + self.text.as_bytes()[start..byte]
            .iter()
            .filter(|&&x| (x as i8) >= -0x40)
            .count()
    }

    /// Byte offset of character offset `ch` (clamped to the text).
    pub(crate) fn byte_at(&self, ch: usize) -> usize {
        // Last block whose starting character count is <= ch.
        let b = match self
            .blocks
            .binary_search(&(ch.min(u32::MAX as usize) as u32))
        {
            Ok(mut i) => {
                // Several blocks can share a count only if a block had no char starts,
                // impossible for blocks of 64 bytes; still take the first.
                while i > 0 && self.blocks[i - 1] == self.blocks[i] {
                    i -= 1;
                }
                i
            }
            Err(i) => i.saturating_sub(1),
        };
        let mut count = self.blocks.get(b).copied().unwrap_or(0) as usize;
        let start = (b * BLOCK).min(self.text.len());
        let bytes = self.text.as_bytes();
        let mut p = start;
        while p < bytes.len() {
            if (bytes[p] as i8) >= -0x40 {
                if count == ch {
                    return p;
                }
                count += 1;
            }
            p += 1;
        }
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_round_trips_on_thai() {
        let text = "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒ ".repeat(20) + "ab";
        let idx = CharIndex::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_at(bi), ci);
            assert_eq!(idx.byte_at(ci), bi);
        }
        let n = text.chars().count();
        assert_eq!(idx.char_at(text.len()), n);
        assert_eq!(idx.byte_at(n), text.len());
    }

    #[test]
    fn reads_thai_and_dotted_digits() {
        assert_eq!(read_digits("๒๕๖๖/", 0), Some(("2566".into(), 12)));
        assert_eq!(
            read_dotted_digits("๐๐๑๗.๒/ว", 0).map(|x| x.0),
            Some("0017.2".into())
        );
        assert_eq!(
            read_dotted_digits("0202.3.7/ว79", 0).map(|x| x.0),
            Some("0202.3.7".into())
        );
    }

    #[test]
    fn classes_and_folding() {
        assert!(is_word_char('ก') && is_word_char('่') && !is_word_char('๒'));
        assert!(!is_word_char('ฯ'));
        assert_eq!(fold_ws(" ผศ.\n ดร.  สุชาติ "), "ผศ. ดร. สุชาติ");
        assert_eq!(full_year("66").as_deref(), Some("2566"));
    }
}
