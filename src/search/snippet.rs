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

use crate::index::analyzer::{DIGIT_EDGE, fold_for_match};
use crate::thai::floor_char;

/// Byte ranges in `text` where any of `needles` (raw query strings) occurs
/// after folding; sorted and merged.
pub fn match_spans(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let folded = fold_for_match(text);
    let mut fstr = String::with_capacity(folded.chars.len() * 3);
    let mut starts = Vec::with_capacity(folded.chars.len());
    for c in &folded.chars {
        starts.push(fstr.len());
        fstr.push(*c);
    }
    let mut spans = Vec::new();
    for needle in needles {
        let q: String = fold_for_match(needle).as_string();
        let q_chars = q.chars().count();
        if q_chars == 0 {
            continue;
        }
        for pos in memchr::memmem::find_iter(fstr.as_bytes(), q.as_bytes()) {
            let Ok(first) = starts.binary_search(&pos) else {
                continue;
            };
            let last = first + q_chars - 1;
            let (Some(&s), Some(&e)) = (folded.src.get(first), folded.src.get(last)) else {
                continue;
            };
            let e = e + text[e..].chars().next().map_or(0, char::len_utf8);
            if s < e {
                spans.push((s, e));
            }
        }
    }
    spans.sort_unstable();
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

/// A snippet of about `width` characters around the densest cluster of
/// matches, with `<b>` marks (`open`/`close` let a terminal use its own).
pub fn snippet(text: &str, needles: &[String], width: usize, open: &str, close: &str) -> String {
    let spans = match_spans(text, needles);
    // The window starting at each span that covers the most spans wins.
    let mut best = (0usize, 0usize);
    for (i, (s, _)) in spans.iter().enumerate() {
        let limit = forward_chars(text, *s, width);
        let count = spans[i..].iter().take_while(|(_, e)| *e <= limit).count();
        if count > best.1 {
            best = (i, count);
        }
    }
    let (start, end) = match spans.get(best.0) {
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

    #[test]
    fn windows_are_character_safe() {
        let text = "ก".repeat(500) + "สิทธิมนุษยชน" + &"ข".repeat(500);
        let s = snippet(&text, &["สิทธิมนุษยชน".to_string()], 60, "[", "]");
        assert!(s.contains("[สิทธิมนุษยชน]"));
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}
