//! Paragraph breaks of an OCR'd page checked against the page's geometry.
//!
//! tesseract's text output puts a blank line between the text blocks it
//! finds, and on a levelled or noisy scan it sometimes ends a block inside a
//! paragraph — after an indented first line, for example. A blank line is a
//! paragraph break for the rest of the pipeline: wrapped lines are joined
//! only across single breaks, so a wrong break splits a phrase
//! (`งานยุติธรร` ⏎⏎ `มแห่งชาติ` is never found as `งานยุติธรรมแห่งชาติ`).
//!
//! [`regroup`] removes such a blank line only when the word boxes prove the
//! two lines are one paragraph: the line above runs to the right margin of
//! the text beside it and ends in a Thai letter, the line below starts at
//! the paragraph's left edge (not indented, not an item or a letter label)
//! with a Thai letter, in the same column, as close below as the lines of a
//! block are. Every other break stays, and only whitespace ever changes.

use super::Word;
use crate::extract::layout::starts_item;
use crate::thai::is_word_char;

/// One printed line: its text in the output and its box.
#[derive(Debug, Clone, Copy)]
struct Line {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// The text of tesseract's output with blank lines inside paragraphs
/// removed (see the module docs). Lines of stray marks (see
/// [`super::stray_marks`]) between two lines of a paragraph are moved to the
/// end of the line above, so that dropping them later leaves no blank line.
/// Returns `txt` unchanged when its lines cannot be matched one to one with
/// the lines of `words`.
pub(crate) fn regroup(txt: &str, words: &[Word]) -> String {
    let stray_words = super::stray_marks(words);
    // Boxes of the TSV lines in reading order, their text, and whether
    // every word of the line is a stray mark.
    let mut boxes: Vec<(Line, String, bool)> = Vec::new();
    let mut last_id = None;
    for (w, stray) in words.iter().zip(&stray_words) {
        let (x0, y0) = (w.bx.x, w.bx.y);
        let (x1, y1) = (w.bx.x + w.bx.w, w.bx.y + w.bx.h);
        let text: String = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        match boxes.last_mut() {
            Some((l, t, s)) if last_id == Some(w.line) => {
                l.x0 = l.x0.min(x0);
                l.y0 = l.y0.min(y0);
                l.x1 = l.x1.max(x1);
                l.y1 = l.y1.max(y1);
                t.push_str(&text);
                *s &= *stray;
            }
            _ => boxes.push((Line { x0, y0, x1, y1 }, text, *stray)),
        }
        last_id = Some(w.line);
    }
    // The output's lines: each non-blank one must be the next TSV line.
    let lines: Vec<&str> = txt.lines().collect();
    let mut line_of: Vec<Option<(Line, bool)>> = vec![None; lines.len()];
    let mut k = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let text: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        match boxes.get(k) {
            Some((b, t, stray)) if *t == text => line_of[i] = Some((*b, *stray)),
            _ => return txt.to_string(),
        }
        k += 1;
    }
    let text_lines: Vec<Line> = boxes.iter().filter(|b| !b.2).map(|b| b.0).collect();
    if k != boxes.len() || text_lines.len() < 3 {
        return txt.to_string();
    }
    let mut heights: Vec<usize> = text_lines.iter().map(|b| b.y1 - b.y0).collect();
    heights.sort_unstable();
    let height = heights[heights.len() / 2] as f64;
    // How far below each other the lines of one block are.
    let mut pitches: Vec<f64> = Vec::new();
    for pair in line_of.windows(2) {
        if let [Some((a, false)), Some((b, false))] = pair
            && overlap(*a, *b)
            && let Some(d) = below_by(*a, *b)
        {
            pitches.push(d);
        }
    }
    if pitches.is_empty() {
        return txt.to_string();
    }
    pitches.sort_by(f64::total_cmp);
    let page = Page {
        height,
        pitch: pitches[pitches.len() / 2],
        indents: false,
    };
    // Does the page set its paragraphs with an indented first line? Then a
    // line at the margin right below another is never a paragraph's start.
    // The evidence: an indented line that tesseract itself kept in one block
    // with the line at the margin below it, or two lines indented alike.
    let kept_together = line_of.windows(2).any(|w| match w {
        [Some((a, false)), Some((b, false))] => {
            let (left, right) = margins(&text_lines, *b);
            page.at_margin(*b, left) && page.indented(*a, left, right) && page.close(*a, *b)
        }
        _ => false,
    });
    let mut firsts: Vec<usize> = text_lines
        .iter()
        .filter(|l| {
            let (left, right) = margins(&text_lines, **l);
            page.indented(**l, left, right)
        })
        .map(|l| l.x0)
        .collect();
    firsts.sort_unstable();
    let alike = firsts
        .windows(2)
        .any(|w| ((w[1] - w[0]) as f64) <= 0.5 * page.height);
    let indents = kept_together || alike;
    let page = Page { indents, ..page };
    let mut out = String::with_capacity(txt.len());
    let mut i = 0;
    while i < lines.len() {
        out.push_str(lines[i]);
        // Past blank lines and lines of stray marks to the next text line.
        let mut j = i + 1;
        while j < lines.len() && line_of[j].is_none_or(|(_, stray)| stray) {
            j += 1;
        }
        let joined = match (line_of[i], line_of.get(j).copied().flatten()) {
            (Some((a, false)), Some((b, false))) if j > i + 1 => {
                let edges = (margins(&text_lines, b).0, margins(&text_lines, a).1);
                page.one_paragraph(lines[i], a, lines[j], b, edges)
            }
            _ => false,
        };
        if joined {
            for stray in lines[i + 1..j].iter().filter(|l| !l.trim().is_empty()) {
                out.push(' ');
                out.push_str(stray.trim());
            }
            out.push('\n');
            i = j;
        } else {
            out.push('\n');
            i += 1;
        }
    }
    if !txt.ends_with('\n') {
        out.pop();
    }
    out
}

/// Whether a line of text reads as a letter's number line: a short first
/// word starting with `ท` (`ที่`, its marks perhaps lost), then a number
/// with a slash.
fn is_number_line(line: &str) -> bool {
    let line = line.trim();
    let first = line.split_whitespace().next().unwrap_or("");
    let digits = line
        .chars()
        .filter(|c| super::digits::digit_value(*c).is_some())
        .count();
    first.starts_with('ท') && first.chars().count() <= 4 && digits >= 3 && line.contains('/')
}

/// The text with a letter's number line put back before the letterhead
/// lines beside it. The number line stands at the top left and the
/// agency's name and address at the top right; tesseract sometimes reads
/// the right block first (on a levelled page, where the number line sits a
/// little lower), which puts the number after the address. When the first
/// number line of the page comes after at most three lines that all lie
/// wholly to its right and it stands beside them (its middle between the
/// top of the first and the bottom of the last), it is moved before them.
/// Anything else is returned as it is.
///
/// `read` is the text as tesseract's words give it, where the lines are
/// found; `txt` the same lines after their digits were read again, which
/// are moved.
pub(crate) fn number_line_first(read: &str, txt: &str, words: &[Word]) -> String {
    let lines: Vec<&str> = read.split('\n').collect();
    let moved: Vec<&str> = txt.split('\n').collect();
    if moved.len() != lines.len() {
        return txt.to_string();
    }
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .take(4)
        .collect();
    let Some(q) = nonblank
        .iter()
        .position(|&i| is_number_line(lines[i]))
        .filter(|&q| q > 0)
    else {
        return txt.to_string();
    };
    // The box of the TSV line whose text is the output line's.
    let box_of = |line: &str| -> Option<Line> {
        let text: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        let mut ids: Vec<super::LineId> = words.iter().map(|w| w.line).collect();
        ids.dedup();
        ids.into_iter().find_map(|id| {
            let ws: Vec<&Word> = words.iter().filter(|w| w.line == id).collect();
            let t: String = ws
                .iter()
                .flat_map(|w| w.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            (t == text).then(|| Line {
                x0: ws.iter().map(|w| w.bx.x).min().unwrap_or(0),
                y0: ws.iter().map(|w| w.bx.y).min().unwrap_or(0),
                x1: ws.iter().map(|w| w.bx.x + w.bx.w).max().unwrap_or(0),
                y1: ws.iter().map(|w| w.bx.y + w.bx.h).max().unwrap_or(0),
            })
        })
    };
    let at = nonblank[q];
    let Some(number) = box_of(lines[at]) else {
        return txt.to_string();
    };
    let before: Option<Vec<Line>> = nonblank[..q].iter().map(|&i| box_of(lines[i])).collect();
    let Some(before) = before else {
        return txt.to_string();
    };
    let middle = (number.y0 + number.y1) / 2;
    let right_of = before.iter().all(|b| b.x0 > number.x1);
    let beside = before.first().is_some_and(|f| f.y0 <= middle)
        && before.last().is_some_and(|l| middle <= l.y1);
    if !(right_of && beside) {
        return txt.to_string();
    }
    let mut head: Vec<&str> = moved[..at].to_vec();
    while head.last().is_some_and(|l| l.trim().is_empty()) {
        head.pop();
    }
    let mut out: Vec<&str> = vec![moved[at]];
    out.extend(head);
    out.extend(&moved[at + 1..]);
    out.join("\n")
}

/// True when two lines share some of their width (one column).
fn overlap(a: Line, b: Line) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1
}

/// The left and right edges of the text in the column of `a`: the 10th
/// percentile of the left ends and the 90th of the right ends of the lines
/// that share its width.
fn margins(lines: &[Line], a: Line) -> (usize, usize) {
    let beside: Vec<Line> = lines.iter().copied().filter(|b| overlap(*b, a)).collect();
    let mut starts: Vec<usize> = beside.iter().map(|b| b.x0).collect();
    let mut ends: Vec<usize> = beside.iter().map(|b| b.x1).collect();
    starts.sort_unstable();
    ends.sort_unstable();
    (
        starts.get(starts.len() / 10).copied().unwrap_or(a.x0),
        ends.get(ends.len() * 9 / 10).copied().unwrap_or(a.x1),
    )
}

/// How far `b` is below `a`: the smaller of the distances between their
/// tops and between their bottoms (marks above or below one line stretch
/// only one of its edges). `None` when `b` is not below `a`.
fn below_by(a: Line, b: Line) -> Option<f64> {
    let d = (b.y0 as f64 - a.y0 as f64).min(b.y1 as f64 - a.y1 as f64);
    (d > 0.0).then_some(d)
}

/// What a page's lines measure.
#[derive(Debug, Clone, Copy)]
struct Page {
    /// Median height of a line.
    height: f64,
    /// Median distance between two lines of a block.
    pitch: f64,
    /// Whether paragraphs begin with an indented line.
    indents: bool,
}

impl Page {
    /// `b` is as close below `a` as the lines of a block are.
    fn close(&self, a: Line, b: Line) -> bool {
        below_by(a, b).is_some_and(|d| d <= self.pitch + 0.2 * self.height)
    }

    /// `l` starts at the left margin.
    fn at_margin(&self, l: Line, left: usize) -> bool {
        l.x0 as f64 <= left as f64 + 0.5 * self.height
    }

    /// `l` starts as a paragraph's indented first line does: clearly in
    /// from the margin, but in the left part of the column.
    fn indented(&self, l: Line, left: usize, right: usize) -> bool {
        let x = l.x0 as f64 - left as f64;
        x >= 1.5 * self.height && x <= 0.3 * right.saturating_sub(left) as f64
    }

    /// Whether the blank line between `above` and `below` falls inside one
    /// paragraph (see the module docs).
    fn one_paragraph(
        &self,
        above: &str,
        a: Line,
        below: &str,
        b: Line,
        (left, right): (usize, usize),
    ) -> bool {
        let below = below.trim_start();
        let thai_break = above.trim_end().chars().last().is_some_and(is_word_char)
            && below.chars().next().is_some_and(is_word_char);
        // The line above starts at the margin or as a first line, and ends
        // near the right margin — unless the page indents its paragraphs,
        // where a line at the margin continues the one above whatever its
        // length.
        let starts = self.at_margin(a, left) || self.indented(a, left, right);
        let full = self.indents || a.x1 as f64 + 1.5 * self.height >= right as f64;
        thai_break
            && starts
            && full
            && self.at_margin(b, left)
            && self.close(a, b)
            && overlap(a, b)
            && !starts_item(below)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ocr::digits::BoxPx;

    /// A line of one word at `(x, y)`, `w` pixels wide, 60 high.
    fn word(line: u32, block: u32, x: usize, y: usize, w: usize, text: &str) -> Word {
        Word {
            line: (block, 1, line),
            bx: BoxPx { x, y, w, h: 60 },
            conf: 90.0,
            text: text.to_string(),
        }
    }

    /// A letter's top as tesseract read a levelled Umpush page (the page
    /// benchmark's seed 2 page 062): the agency's name and address at the
    /// right first, then the number line beside them at the left.
    #[test]
    fn number_line_read_after_the_letterhead_beside_it_comes_first() {
        let words = vec![
            word(1, 1, 1400, 290, 500, "ศาลากลางจังหวัดภูเก็ต"),
            word(2, 1, 1400, 370, 500, "ถนนนริศร ภก ๘๓๐๐๐"),
            word(1, 2, 350, 310, 560, "ที่ ภก ๘๐๔๐.๔/๑๘๓๑๙"),
            word(1, 3, 1200, 520, 400, "๓๐ กันยายน ๒๕๕๘"),
        ];
        let txt = "ศาลากลางจังหวัดภูเก็ต\nถนนนริศร ภก ๘๓๐๐๐\n\nที่ ภก ๘๐๔๐.๔/๑๘๓๑๙\n\n๓๐ กันยายน ๒๕๕๘\n";
        assert_eq!(
            number_line_first(txt, txt, &words),
            "ที่ ภก ๘๐๔๐.๔/๑๘๓๑๙\nศาลากลางจังหวัดภูเก็ต\nถนนนริศร ภก ๘๓๐๐๐\n\n๓๐ กันยายน ๒๕๕๘\n"
        );
        // Already first: unchanged.
        let first = "ที่ ภก ๘๐๔๐.๔/๑๘๓๑๙\nศาลากลางจังหวัดภูเก็ต\nถนนนริศร ภก ๘๓๐๐๐\n";
        assert_eq!(number_line_first(first, first, &words), first);
        // A number line below the block, or under it (not wholly to its
        // left), stays where it was read.
        let mut below = words.clone();
        below[2].bx.y = 460;
        assert_eq!(number_line_first(txt, txt, &below), txt);
        let mut under = words.clone();
        under[2].bx.x = 1300;
        assert_eq!(number_line_first(txt, txt, &under), txt);
        // The lines found in the text read, moved in the text corrected.
        let corrected = txt.replace("๘๐๔๐", "๘๐๔๑");
        assert!(number_line_first(txt, &corrected, &words).starts_with("ที่ ภก ๘๐๔๑.๔/"));
    }

    /// A paragraph with an indented first line that tesseract made a block
    /// of its own, followed by a real second paragraph.
    fn page() -> (String, Vec<Word>) {
        let words = vec![
            word(
                1,
                1,
                300,
                100,
                1700,
                "ปลัดกระทรวงยุติธรรมกล่าวว่าแผนแม่บทการบริหารงานยุติธรร",
            ),
            word(
                1,
                2,
                100,
                180,
                1890,
                "มแห่งชาติเป็นสิ่งที่จะเป็นตัวกำหนดทิศทางในการบริหาร",
            ),
            word(
                2,
                2,
                100,
                260,
                1900,
                "งานยุติธรรมต่อไปในอนาคตแผนที่ขับเคลื่อนไปสู่เป้าหมาย",
            ),
            word(3, 2, 100, 340, 700, "ในทิศทางเดียวกัน"),
            word(
                1,
                3,
                300,
                440,
                1700,
                "คณะรัฐมนตรีรับทราบตามที่สำนักงานสภาพัฒนาการเศรษฐกิจ",
            ),
            word(2, 3, 100, 520, 1000, "และสังคมแห่งชาติเสนอ"),
        ];
        let txt = "ปลัดกระทรวงยุติธรรมกล่าวว่าแผนแม่บทการบริหารงานยุติธรร\n\n\
                   มแห่งชาติเป็นสิ่งที่จะเป็นตัวกำหนดทิศทางในการบริหาร\n\
                   งานยุติธรรมต่อไปในอนาคตแผนที่ขับเคลื่อนไปสู่เป้าหมาย\n\
                   ในทิศทางเดียวกัน\n\n\
                   คณะรัฐมนตรีรับทราบตามที่สำนักงานสภาพัฒนาการเศรษฐกิจ\n\
                   และสังคมแห่งชาติเสนอ\n";
        (txt.to_string(), words)
    }

    #[test]
    fn a_block_break_inside_a_paragraph_is_removed() {
        let (txt, words) = page();
        let out = regroup(&txt, &words);
        assert!(out.contains("งานยุติธรร\nมแห่งชาติ"), "{out}");
        // The real paragraph break (short line, indented line below) stays.
        assert!(out.contains("ในทิศทางเดียวกัน\n\nคณะรัฐมนตรี"), "{out}");
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squeeze(&out), squeeze(&txt));
    }

    #[test]
    fn on_a_page_of_indented_paragraphs_a_short_line_is_continued() {
        // The first line wraps early (at a space), but the line below starts
        // at the margin of a page whose paragraphs begin indented.
        let (txt, mut words) = page();
        words[0].bx.w = 1200;
        assert!(regroup(&txt, &words).contains("งานยุติธรร\nมแห่งชาติ"));
    }

    #[test]
    fn breaks_the_geometry_does_not_prove_stay() {
        let (txt, mut words) = page();
        // The line below is far lower than the lines of a block are.
        words[1].bx.y = 400;
        for w in &mut words[2..] {
            w.bx.y += 300;
        }
        assert_eq!(regroup(&txt, &words), txt);
        // The line above stops short of the margin, on a page whose
        // paragraphs are not indented.
        let (txt, mut words) = page();
        words[0].bx.w = 1200;
        words[4].bx.x = 100;
        assert_eq!(regroup(&txt, &words), txt);
        // The line above is below and to the right, as an address is.
        let (txt, mut words) = page();
        words[0].bx.x = 1000;
        words[0].bx.w = 1000;
        assert_eq!(regroup(&txt, &words), txt);
        // The line below is indented: a new paragraph.
        let (txt, mut words) = page();
        words[1].bx.x = 300;
        words[1].bx.w = 1690;
        assert_eq!(regroup(&txt, &words), txt);
        // The line below opens an item.
        let (txt, mut words) = page();
        let item = "(๒) มแห่งชาติเป็นสิ่งที่จะเป็นตัวกำหนดทิศทางในการบริหาร";
        words[1].text = item.to_string();
        let txt = txt.replace("มแห่งชาติเป็นสิ่งที่จะเป็นตัวกำหนดทิศทางในการบริหาร", item);
        assert_eq!(regroup(&txt, &words), txt);
    }

    #[test]
    fn stray_marks_between_two_lines_of_a_paragraph_leave_no_break() {
        let (txt, mut words) = page();
        // Tone marks over the first line, read as a line of their own with
        // a blank line on each side (as tesseract writes a block of its own).
        let mut mark = word(1, 9, 1500, 150, 60, "๕");
        mark.bx.h = 20;
        mark.conf = 40.0;
        words.insert(1, mark);
        let txt = txt.replacen("ยุติธรร\n\n", "ยุติธรร\n\n๕\n\n", 1);
        assert!(super::super::stray_marks(&words)[1]);
        let out = regroup(&txt, &words);
        assert!(out.contains("งานยุติธรร ๕\nมแห่งชาติ"), "{out}");
        assert!(out.contains("ในทิศทางเดียวกัน\n\nคณะรัฐมนตรี"), "{out}");
        // Without the blank lines, the mark line alone would have become one
        // once its reading is dropped: it is moved all the same.
        let tight = txt.replace("ยุติธรร\n\n๕\n\n", "ยุติธรร\n๕\n");
        assert!(regroup(&tight, &words).contains("งานยุติธรร ๕\nมแห่งชาติ"));
    }

    #[test]
    fn text_that_does_not_match_the_words_is_left_alone() {
        let (txt, words) = page();
        let other = txt.replace("ในทิศทางเดียวกัน", "ในทิศทางเดียว");
        assert_eq!(regroup(&other, &words), other);
        assert_eq!(regroup(&txt, &words[..4]), txt);
        assert_eq!(regroup("", &[]), "");
    }

    /// Real scans (see `tests/fixtures/ocr_paragraphs/README.md`): the
    /// phrase across the wrapped line is found in the match view.
    #[test]
    fn wrapped_lines_split_by_tesseract_blocks_are_one_paragraph() {
        use crate::extract::tests::fixture;
        use crate::extract::{ExtractOptions, Kind, Tools, extract_bytes};
        use crate::index::analyzer::fold_for_match;
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        for (file, phrase) in [
            ("letter_rotated_kinnari.jpg", "งานยุติธรรมแห่งชาติ"),
            ("letter_rotated_garuda.jpg", "เศรษฐกิจและสังคม"),
        ] {
            let bytes = fixture(&format!("tests/fixtures/ocr_paragraphs/{file}"));
            let ex = match extract_bytes(&bytes, Kind::Image, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            let folded = fold_for_match(&ex.text).as_string();
            assert!(
                folded.contains(phrase),
                "{file}: {phrase} not in\n{}",
                ex.text
            );
        }
    }
}
