//! Texts too long for one document, cut into overlapping parts.
//!
//! Indexing holds a document's text several times over (stored text, word
//! view, bigram view, their postings) until the document is written, and
//! reading one back for a snippet decompresses all of it. A text longer than
//! [`PART_BYTES`] is therefore indexed as several documents, its *parts*,
//! each a slice of the text and a document of its own (keyed by
//! [`crate::index::keys::part_key`]), so the cost of one text stays linear
//! in its length and the memory bounded by the part size.
//!
//! * A part ends after a line break near [`PART_BYTES`], else after a space,
//!   else between two characters that no match rule joins (never inside a
//!   number or before a combining mark).
//! * Consecutive parts overlap by at least [`OVERLAP_CHARS`] characters
//!   that are not spacing, as many as the longest query may hold, so every
//!   phrase a query can ask for lies whole inside one part: a phrase that
//!   crosses the end of a part starts inside the overlap.
//! * Together the parts hold every character of the text, in order:
//!   [`reassemble`] gives it back from the parts' texts alone.
//!
//! What a part does not see: words of an all-words query that occur only in
//! different parts do not make the parts a hit, as two documents would not.

use std::ops::Range;

use crate::normalize::is_invisible;
use crate::search::query::MAX_QUERY_CHARS;

/// Bytes of text (UTF-8) a part holds at most, the overlap with the next
/// part included (more only when the text is almost all spacing; see
/// [`part_ranges`]). A text of at most this many bytes is one document.
pub const PART_BYTES: usize = 4 << 20;

/// Characters other than spacing that consecutive parts share at least:
/// the longest query ([`MAX_QUERY_CHARS`]).
pub const OVERLAP_CHARS: usize = MAX_QUERY_CHARS;

/// How far back from [`PART_BYTES`] a part's end looks for a line break or
/// a space.
const SEEK_END_BYTES: usize = PART_BYTES / 8;

/// How far back a part's start looks for a space before its overlap.
const SEEK_START_BYTES: usize = 4096;

/// True for a character that counts towards a match (not spacing, not an
/// invisible character the match view drops).
fn significant(c: char) -> bool {
    !c.is_whitespace() && !is_invisible(c)
}

/// True for a digit, Arabic or Thai: a number is never cut.
fn digit(c: char) -> bool {
    c.is_ascii_digit() || crate::thai::is_digit(c)
}

/// True when the text may be cut between `before` and `after` without any
/// match rule seeing a different text on either side: no number is split and
/// no mark is parted from its base.
fn safe_between(before: char, after: char) -> bool {
    !digit(before)
        && !digit(after)
        && !crate::thai::is_mark(after)
        && !is_invisible(after)
        && !('\u{0300}'..='\u{036F}').contains(&after)
}

/// Where to cut in `text[lo..hi]`, looking back from `hi`: just after the
/// last line break, else just after the last space, else at the last safe
/// place between two characters; `None` when there is none.
fn cut_before(text: &str, lo: usize, hi: usize) -> Option<usize> {
    let mut space = None;
    let mut safe = None;
    let mut after: Option<char> = text[hi..].chars().next();
    for (i, c) in text[lo..hi].char_indices().rev() {
        let at = lo + i + c.len_utf8();
        if c == '\n' {
            return Some(at);
        }
        if space.is_none() && c.is_whitespace() {
            space = Some(at);
        }
        if safe.is_none() && after.is_some_and(|a| safe_between(c, a)) {
            safe = Some(at);
        }
        after = Some(c);
    }
    space.or(safe)
}

/// The byte where the first `count` significant characters of
/// `text[from..]` end, or the text's end when it has fewer.
fn after_significant(text: &str, from: usize, count: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text[from..].char_indices() {
        if significant(c) {
            seen += 1;
            if seen == count {
                return from + i + c.len_utf8();
            }
        }
    }
    text.len()
}

/// The byte where the last `count` significant characters of
/// `text[lo..hi]` begin, or `lo` when it has fewer.
fn before_significant(text: &str, lo: usize, hi: usize, count: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text[lo..hi].char_indices().rev() {
        if significant(c) {
            seen += 1;
            if seen == count {
                return lo + i;
            }
        }
    }
    lo
}

/// The end of the part that starts at `start`: a cut near
/// `start + PART_BYTES`, moved forward when the part would hold fewer than
/// twice [`OVERLAP_CHARS`] significant characters (spacing is cheap to
/// index, and the next part must start after this one does).
fn part_end(text: &str, start: usize) -> usize {
    let target = crate::thai::floor_char(text, start + PART_BYTES);
    let lo = crate::thai::floor_char(text, target.saturating_sub(SEEK_END_BYTES).max(start));
    let mut end = cut_before(text, lo, target)
        .filter(|&e| e > start)
        .unwrap_or(target);
    let need = 2 * OVERLAP_CHARS;
    if before_significant(text, start, end, need) == start {
        let min = after_significant(text, start, need);
        if min >= text.len() {
            return text.len();
        }
        // The first place to cut at or after `min`.
        let hi = crate::thai::floor_char(text, min + SEEK_END_BYTES);
        end = text[min..hi]
            .char_indices()
            .map(|(i, _)| min + i)
            .find(|&at| {
                let before = text[..at].chars().next_back();
                let after = text[at..].chars().next();
                match (before, after) {
                    (Some(b), Some(a)) => b.is_whitespace() || safe_between(b, a),
                    _ => true,
                }
            })
            .unwrap_or(min);
    }
    end
}

/// Where the part after the one ending at `end` starts: before the last
/// [`OVERLAP_CHARS`] significant characters of the part, at the start of a
/// word when one begins shortly before, always after `start`.
fn next_start(text: &str, start: usize, end: usize) -> usize {
    let from = before_significant(text, start, end, OVERLAP_CHARS);
    let lo = crate::thai::floor_char(text, from.saturating_sub(SEEK_START_BYTES)).max(start);
    let lo = text[lo..]
        .chars()
        .next()
        .map_or(lo, |c| if lo == start { lo + c.len_utf8() } else { lo });
    if lo >= from {
        return from.max(lo.min(end));
    }
    let mut after = text[from..].chars().next();
    let mut safe = None;
    for (i, c) in text[lo..from].char_indices().rev() {
        let at = lo + i + c.len_utf8();
        if c.is_whitespace() {
            return at;
        }
        if safe.is_none() && after.is_some_and(|a| safe_between(c, a)) {
            safe = Some(at);
        }
        after = Some(c);
    }
    safe.unwrap_or(from)
}

/// Byte ranges of the parts of `text`, in order: one range over all of it
/// when it is at most [`PART_BYTES`] long. Consecutive ranges overlap
/// (the next starts before the previous ends) and together cover the text.
pub fn part_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > PART_BYTES {
        let end = part_end(text, start);
        if end >= text.len() {
            break;
        }
        out.push(start..end);
        start = next_start(text, start, end);
    }
    out.push(start..text.len());
    out
}

/// Characters of each part that are its own: from its start to where the
/// next part starts (all of the last part). A mention that starts in the
/// overlap belongs to the next part, which holds it whole.
pub fn own_chars(text: &str, ranges: &[Range<usize>]) -> Vec<usize> {
    ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let own_end = ranges.get(i + 1).map_or(r.end, |next| next.start);
            text[r.start..own_end].chars().count()
        })
        .collect()
}

/// How a part names its place, in its title and source: `part 2 of 9`.
pub fn place(part: usize, parts: usize) -> String {
    format!("part {part} of {parts}")
}

/// The place (`part`, `parts`) a part's source or title ends with, as
/// [`place`] writes it in parentheses; `None` for a whole document.
pub fn place_in(label: &str) -> Option<(usize, usize)> {
    let (_, place) = label.strip_suffix(')')?.rsplit_once("(part ")?;
    let (part, parts) = place.split_once(" of ")?;
    let (part, parts) = (part.parse().ok()?, parts.parse().ok()?);
    (1..=parts).contains(&part).then_some((part, parts))
}

/// The text the parts were cut from: each part without its overlap with the
/// next one, then the last part whole. `parts` are the parts' texts in order.
/// Where the next part starts depends only on the part before it, so each
/// overlap is found again from that part alone.
pub fn reassemble<S: AsRef<str>>(parts: &[S]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        let part = part.as_ref();
        let own = if i + 1 < parts.len() {
            next_start(part, 0, part.len())
        } else {
            part.len()
        };
        out.push_str(&part[..own]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real text from the corpus, repeated to `bytes` bytes.
    fn corpus_text(bytes: usize, spaced: bool) -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/seeds");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("corpus/seeds")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut seed = String::new();
        for f in files {
            seed.push_str(&std::fs::read_to_string(f).expect("seed text"));
            seed.push('\n');
        }
        if !spaced {
            seed.retain(|c| !c.is_whitespace());
        }
        let mut out = String::with_capacity(bytes + seed.len());
        while out.len() < bytes {
            out.push_str(&seed);
        }
        out.truncate(crate::thai::floor_char(&out, bytes));
        out
    }

    fn check(text: &str) -> Vec<Range<usize>> {
        let ranges = part_ranges(text);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        for pair in ranges.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(a.start < b.start && b.start < a.end, "{a:?} {b:?}");
            let shared = text[b.start..a.end]
                .chars()
                .filter(|c| significant(*c))
                .count();
            assert!(shared >= OVERLAP_CHARS, "overlap of {shared}");
            // No number cut at either edge.
            for at in [a.end, b.start] {
                let before = text[..at].chars().next_back().unwrap_or(' ');
                let after = text[at..].chars().next().unwrap_or(' ');
                assert!(!(digit(before) && digit(after)), "number cut at {at}");
            }
        }
        let parts: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(reassemble(&parts), text);
        ranges
    }

    #[test]
    fn a_place_is_read_back_from_a_label() {
        let label = format!("เอกสาร.txt ({})", place(2, 9));
        assert_eq!(label, "เอกสาร.txt (part 2 of 9)");
        assert_eq!(place_in(&label), Some((2, 9)));
        assert_eq!(place_in("เอกสาร.txt"), None);
        assert_eq!(place_in("x (part 10 of 9)"), None);
    }

    #[test]
    fn a_short_text_is_one_part() {
        let text = corpus_text(100_000, true);
        assert_eq!(part_ranges(&text), vec![0..text.len()]);
        assert_eq!(
            own_chars(&text, &part_ranges(&text)),
            vec![text.chars().count()]
        );
    }

    #[test]
    fn a_long_text_is_cut_after_spaces_into_overlapping_parts() {
        let text = corpus_text(3 * PART_BYTES + 12_345, true);
        let ranges = check(&text);
        assert_eq!(ranges.len(), 4);
        for r in &ranges {
            assert!(r.len() <= PART_BYTES, "{r:?}");
        }
        for pair in ranges.windows(2) {
            let end = &text[..pair[0].end];
            assert!(end.ends_with(char::is_whitespace), "ends after spacing");
            let start = &text[..pair[1].start];
            assert!(start.ends_with(char::is_whitespace), "starts a word");
        }
        let own = own_chars(&text, &ranges);
        assert_eq!(own.iter().sum::<usize>(), text.chars().count());
    }

    #[test]
    fn a_text_without_spaces_or_with_long_spacing_is_still_cut_safely() {
        check(&corpus_text(2 * PART_BYTES + 77, false));
        // Digits only: the cut may not avoid a number, but parts still cover.
        let digits = "๑๒๓4567890".repeat(PART_BYTES / 10);
        let ranges = part_ranges(&digits);
        let parts: Vec<&str> = ranges.iter().map(|r| &digits[r.clone()]).collect();
        assert_eq!(reassemble(&parts), digits);
        // Mostly spacing: a part grows until it holds enough to overlap.
        let mut sparse = String::new();
        while sparse.len() < 3 * PART_BYTES {
            sparse.push_str("ภูเก็ต");
            sparse.push_str(&" ".repeat(20_000));
        }
        check(&sparse);
    }
}
