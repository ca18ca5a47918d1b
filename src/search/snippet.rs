//! Snippets: a short window of the document as written, matches in `<b>…</b>`.
//!
//! Matches are found in the match view of the text (digits and spacing
//! folded exactly as for searching) and mapped back to the source, so a query
//! `2/2566` highlights `๒/๒๕๖๖` in a Thai-digit document and the snippet shows
//! the document's own digits, and a phrase found across a wrapped Thai line
//! (the line break is not a space in the match view) is highlighted from its
//! first character on one line to its last on the next. Highlighted runs that
//! touch (or are separated by spaces only) are merged into one. The snippet is
//! one line: line breaks of the text are shown as one space.

use crate::index::analyzer::{DIGIT_EDGE, Folded, fold_for_match};
use crate::normalize::{fold_digit, is_invisible};
use crate::thai::floor_char;

/// Texts shorter than this (in bytes) are folded whole: looking for
/// windows first would not save anything.
const WINDOWS_FROM_BYTES: usize = 8 * 1024;

/// True for a character that folding keeps as it is and that ends any
/// whitespace run or digit run before it: not whitespace, not invisible,
/// not a digit of either script.
fn plain(c: char) -> bool {
    !c.is_whitespace() && !is_invisible(c) && !fold_digit(c).is_ascii_digit()
}

/// Folds from byte `at` restart exactly as a fold of the whole text would
/// be there: the characters on both sides of `at` are [`plain`] (or `at`
/// is an end of the text).
fn restarts_at(text: &str, at: usize) -> bool {
    if at == 0 || at >= text.len() {
        return true;
    }
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    before.is_some_and(plain) && after.is_some_and(plain)
}

/// The ways `c` (a folded character) can be written in the text: a digit
/// in either script, anything else as itself.
fn written_as(c: char) -> Vec<char> {
    match c.to_digit(10) {
        Some(d) if c.is_ascii_digit() => {
            vec![c, char::from_u32(0x0E50 + d).unwrap_or(c)]
        }
        _ => vec![c],
    }
}

/// Byte offsets in `text` where one of `forms` is written, in order.
fn places(text: &str, forms: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for f in forms {
        out.extend(memchr::memmem::find_iter(
            text.as_bytes(),
            f.encode_utf8(&mut buf).as_bytes(),
        ));
    }
    if forms.len() > 1 {
        out.sort_unstable();
    }
    out
}

/// Byte ranges of `text` that contain every occurrence of the folded
/// string `q`, each starting and ending where folding restarts (so the
/// fold of a range is the whole text's fold there): around each place of
/// `q`'s rarest character (a digit in either script), widened by as many
/// visible characters as `q` has on each side. `None` when `q` has only
/// spaces and marks.
fn windows(text: &str, q: &[char]) -> Option<Vec<(usize, usize)>> {
    // The rarest of a few characters of the string.
    let mut anchor: Option<(Vec<usize>, usize)> = None;
    let mut tried: Vec<char> = Vec::new();
    for (k, &c) in q.iter().enumerate() {
        // Marks (digit edges) are not in the text.
        if c.is_whitespace() || c.is_control() || is_invisible(c) || tried.contains(&c) {
            continue;
        }
        tried.push(c);
        let at = places(text, &written_as(c));
        let n = at.len();
        if anchor.as_ref().is_none_or(|(m, _)| n < m.len()) {
            anchor = Some((at, k));
        }
        if tried.len() >= 3 || n == 0 {
            break;
        }
    }
    let (at, k) = anchor?;
    let (before, after) = (k + 1, q.len() - k);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for b in at {
        // Back over `before` visible characters, then to a restart.
        let mut s = b;
        let mut seen = 0;
        for (i, ch) in text[..b].char_indices().rev() {
            if seen >= before && restarts_at(text, i + ch.len_utf8()) {
                break;
            }
            s = i;
            if !ch.is_whitespace() && !is_invisible(ch) {
                seen += 1;
            }
        }
        if seen < before || !restarts_at(text, s) {
            s = 0;
        }
        let mut e = text.len();
        let mut seen = 0;
        for (i, ch) in text[b..].char_indices() {
            if seen >= after && restarts_at(text, b + i) {
                e = b + i;
                break;
            }
            if !ch.is_whitespace() && !is_invisible(ch) {
                seen += 1;
            }
        }
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    Some(out)
}

/// Appends the byte ranges (in `text`) of the folded string `q` found in
/// `folded`, the fold of `text[base..]` up to some end.
fn find_in(
    text: &str,
    folded: &Folded,
    base: usize,
    q: &str,
    q_chars: usize,
    spans: &mut Vec<(usize, usize)>,
) {
    let mut fstr = String::with_capacity(folded.chars.len() * 3);
    let mut starts = Vec::with_capacity(folded.chars.len());
    for c in &folded.chars {
        starts.push(fstr.len());
        fstr.push(*c);
    }
    for pos in memchr::memmem::find_iter(fstr.as_bytes(), q.as_bytes()) {
        let Ok(first) = starts.binary_search(&pos) else {
            continue;
        };
        let last = first + q_chars - 1;
        let (Some(&s), Some(&e)) = (folded.src.get(first), folded.src.get(last)) else {
            continue;
        };
        let (s, e) = (base + s, base + e);
        let e = e + text[e..].chars().next().map_or(0, char::len_utf8);
        if s < e {
            spans.push((s, e));
        }
    }
}

/// Byte ranges in `text` where any of `needles` (raw query strings) occurs
/// after folding; sorted and merged. A long text is folded only around the
/// places where a needle can be ([`windows`]).
pub fn match_spans(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let mut whole: Option<Folded> = None;
    let mut spans = Vec::new();
    for needle in needles {
        let qf = fold_for_match(needle);
        let q: String = qf.as_string();
        let q_chars = qf.chars.len();
        if q_chars == 0 {
            continue;
        }
        let ranges = if text.len() >= WINDOWS_FROM_BYTES {
            windows(text, &qf.chars)
        } else {
            None
        };
        match ranges {
            Some(ranges) => {
                for (s, e) in ranges {
                    let folded = fold_for_match(&text[s..e]);
                    find_in(text, &folded, s, &q, q_chars, &mut spans);
                }
            }
            None => {
                let folded = whole.get_or_insert_with(|| fold_for_match(text));
                find_in(text, folded, 0, &q, q_chars, &mut spans);
            }
        }
    }
    spans.sort_unstable();
    spans.dedup();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        if let Some(last) = merged.last_mut() {
            let gap = text.get(last.1..s).unwrap_or("x");
            if s <= last.1 || gap.chars().all(|c| c == ' ' || c == DIGIT_EDGE) {
                last.1 = last.1.max(e);
                continue;
            }
        }
        merged.push((s, e));
    }
    merged
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\t' | '\r' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
}

/// Byte index `n` characters before `i` (or 0).
fn back_chars(text: &str, i: usize, n: usize) -> usize {
    text[..i]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(b, _)| b)
}

/// Byte index `n` characters after `i` (or the end).
fn forward_chars(text: &str, i: usize, n: usize) -> usize {
    text[i..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(b, _)| i + b)
}

/// The span (index in `spans`, sorted and disjoint) whose window of
/// `width` characters from its start holds the most whole spans; the first
/// of equals. Counts characters once, up to the last span, however many
/// spans a long text has.
fn densest(text: &str, spans: &[(usize, usize)], width: usize) -> usize {
    // Character offsets of each span's start and end.
    let mut at = Vec::with_capacity(spans.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for &(s, e) in spans {
        let (Some(gap), Some(span)) = (text.get(byte..s), text.get(s..e)) else {
            return densest_slow(text, spans, width);
        };
        chars += gap.chars().count();
        let start = chars;
        chars += span.chars().count();
        byte = e;
        at.push((start, chars));
    }
    let mut best = (0usize, 0usize);
    let mut j = 0;
    for (i, &(s, _)) in at.iter().enumerate() {
        // The spans that end within the window only grow in number as the
        // window moves right.
        j = j.max(i);
        while at.get(j).is_some_and(|&(_, e)| e <= s + width) {
            j += 1;
        }
        if j - i > best.1 {
            best = (i, j - i);
        }
    }
    best.0
}

/// [`densest`] the plain way: each span's window measured on its own.
fn densest_slow(text: &str, spans: &[(usize, usize)], width: usize) -> usize {
    let mut best = (0usize, 0usize);
    for (i, (s, _)) in spans.iter().enumerate() {
        let limit = forward_chars(text, *s, width);
        let count = spans[i..].iter().take_while(|(_, e)| *e <= limit).count();
        if count > best.1 {
            best = (i, count);
        }
    }
    best.0
}

/// A snippet of about `width` characters around the densest cluster of
/// matches, with `<b>` marks (`open`/`close` let a terminal use its own).
pub fn snippet(text: &str, needles: &[String], width: usize, open: &str, close: &str) -> String {
    let spans = match_spans(text, needles);
    let best = densest(text, &spans, width);
    let (start, end) = match spans.get(best) {
        Some((s, _)) => {
            let start = back_chars(text, *s, width / 5);
            (start, forward_chars(text, start, width))
        }
        None => (0, forward_chars(text, 0, width)),
    };
    let start = floor_char(text, start);
    let end = floor_char(text, end);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &(s, e) in &spans {
        if e <= start || s >= end {
            continue;
        }
        let (s, e) = (s.max(start), e.min(end));
        escape_into(&mut out, &text[at..s]);
        out.push_str(open);
        escape_into(&mut out, &text[s..e]);
        out.push_str(close);
        at = e;
    }
    escape_into(&mut out, &text[at..end]);
    let trimmed = out.trim().to_string();
    if end < text.len() {
        trimmed + "…"
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_densest_window_is_found_alike_counting_once_or_per_span() {
        // Real text with Thai marks, digits in both scripts, line breaks
        // and zero-width spaces, repeated so spans crowd in places.
        let para = "จังหวัดเชียงใหม่ ๒/๒๕๖๖\nศาลากลางจังหวัด\u{200B}ลำพูน 2/2566 จังหวัด";
        let text: String = (0..40)
            .map(|i| format!("{para}{}", "ก".repeat(i * 7 % 90)))
            .collect();
        for needles in [
            vec!["จังหวัด".to_string()],
            vec!["2/2566".to_string(), "ลำพูน".to_string()],
            vec!["ก".to_string()],
            vec!["ไม่มี".to_string()],
        ] {
            let spans = match_spans(&text, &needles);
            for width in [0, 1, 5, 30, 160, 100_000] {
                assert_eq!(
                    densest(&text, &spans, width),
                    densest_slow(&text, &spans, width),
                    "{needles:?} width {width}"
                );
            }
        }
    }

    #[test]
    fn highlights_the_documents_own_digits() {
        let text = "ตามคำสั่งที่ ๒/๒๕๖๖ และที่ ๑๒/๒๕๖๖";
        let s = snippet(text, &["2/2566".to_string()], 80, "<b>", "</b>");
        assert_eq!(s, "ตามคำสั่งที่ <b>๒/๒๕๖๖</b> และที่ ๑๒/๒๕๖๖");
    }

    #[test]
    fn merges_adjacent_matches_and_escapes() {
        let text = "a<b> นายณรงค์ วุ่นซิ่ว ผู้ว่า";
        let s = snippet(
            text,
            &["นายณรงค์".to_string(), "วุ่นซิ่ว".to_string()],
            80,
            "<b>",
            "</b>",
        );
        assert_eq!(s, "a&lt;b&gt; <b>นายณรงค์ วุ่นซิ่ว</b> ผู้ว่า");
    }

    #[test]
    fn spacing_around_slash_and_whitespace_runs_match() {
        let text = "คำสั่งที่ 2739 /  2566\nเรื่อง";
        let spans = match_spans(text, &["2739/2566".to_string()]);
        assert_eq!(spans.len(), 1);
        let (s, e) = spans[0];
        assert_eq!(&text[s..e], "2739 /  2566");
    }

    #[test]
    fn a_phrase_across_a_wrapped_line_is_highlighted_as_written() {
        let text = "คณะกรรมการ\r\nการขับเคลื่อน\nงานสิทธิมนุษยชน ๒๕๖๖\nปี";
        let spans = match_spans(text, &["การขับเคลื่อนงานสิทธิมนุษยชน".to_string()]);
        assert_eq!(spans.len(), 1);
        let (s, e) = spans[0];
        // Byte offsets into the original text, break included.
        assert_eq!(&text[s..e], "การขับเคลื่อน\nงานสิทธิมนุษยชน");
        assert_eq!(&text[..s], "คณะกรรมการ\r\n");
        let snip = snippet(
            text,
            &["การขับเคลื่อนงานสิทธิมนุษยชน".to_string()],
            80,
            "<b>",
            "</b>",
        );
        assert_eq!(snip, "คณะกรรมการ <b>การขับเคลื่อน งานสิทธิมนุษยชน</b> ๒๕๖๖ ปี");
        // The query with a space does not match the joined break, and a
        // break next to a digit is still a space.
        assert!(match_spans(text, &["การขับเคลื่อน งาน".to_string()]).is_empty());
        let spans = match_spans(text, &["2566 ปี".to_string()]);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].0..spans[0].1], "๒๕๖๖\nปี");
        // The break as written in the query folds the same way.
        let spans = match_spans(text, &["คณะกรรมการ\nการ".to_string()]);
        assert_eq!(&text[spans[0].0..spans[0].1], "คณะกรรมการ\r\nการ");
    }

    /// The spans of the whole text's fold, for comparison.
    fn spans_of_whole(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let folded = fold_for_match(text);
        for n in needles {
            let q = fold_for_match(n);
            if !q.chars.is_empty() {
                find_in(text, &folded, 0, &q.as_string(), q.chars.len(), &mut spans);
            }
        }
        let mut out = match_spans("", &[]);
        spans.sort_unstable();
        spans.dedup();
        for (s, e) in spans {
            match out.last_mut() {
                Some(last)
                    if s <= last.1
                        || text
                            .get(last.1..s)
                            .unwrap_or("x")
                            .chars()
                            .all(|c| c == ' ' || c == DIGIT_EDGE) =>
                {
                    last.1 = last.1.max(e)
                }
                _ => out.push((s, e)),
            }
        }
        out
    }

    #[test]
    fn long_texts_folded_in_windows_give_the_spans_of_the_whole_fold() {
        // Digits of both scripts, spacing around slashes, wrapped Thai
        // lines, invisible characters and whitespace runs, far apart in a
        // long text.
        let filler = "ข้อความทั่วไปของเอกสารราชการ ".repeat(400);
        let parts = [
            "ตามคำสั่งที่ ๒/๒๕๖๖ และที่ ๑๒/๒๕๖๖",
            "ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐ ลงวันที่",
            "คำสั่งที่ 2739 /  2566\nเรื่อง",
            "คณะกรรมการ\r\nการขับเคลื่อน\nงานสิทธิ\u{200B}มนุษยชน ๒๕๖๖\nปี",
            "รย 0017.2/ว 5512",
            "2/25662/2566 22/2566",
        ];
        let mut text = String::new();
        for p in parts {
            text.push_str(&filler);
            text.push_str(p);
        }
        text.push_str(&filler);
        assert!(text.len() >= WINDOWS_FROM_BYTES);
        for needles in [
            vec!["2/2566"],
            vec!["มท 0211.4/ว 7160"],
            vec!["2739/2566", "เรื่อง"],
            vec!["การขับเคลื่อนงานสิทธิมนุษยชน", "2566 ปี"],
            vec!["รย 0017.2/ว 5512", "ว"],
            vec!["ทั่วไป"],
            vec!["2566"],
            vec!["5"],
            vec!["5512", "2/2566"],
            vec!["ไม่มีในเอกสาร"],
        ] {
            let needles: Vec<String> = needles.into_iter().map(String::from).collect();
            let got = match_spans(&text, &needles);
            assert_eq!(got, spans_of_whole(&text, &needles), "{needles:?}");
        }
        // Only the Thai-digit order itself: digit runs are whole.
        assert_eq!(match_spans(&text, &["2/2566".to_string()]).len(), 1);
        assert_eq!(match_spans(&text, &["ทั่วไป".to_string()]).len(), 2800);
    }

    #[test]
    fn windows_are_character_safe() {
        let text = "ก".repeat(500) + "สิทธิมนุษยชน" + &"ข".repeat(500);
        let s = snippet(&text, &["สิทธิมนุษยชน".to_string()], 60, "[", "]");
        assert!(s.contains("[สิทธิมนุษยชน]"));
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}
