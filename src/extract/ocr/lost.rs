//! Lines tesseract never read.
//!
//! On some pages tesseract's layout analysis leaves a whole printed line
//! out of its output: no word box covers it, so its text is lost (an
//! address line set to the right under the letterhead, with its postcode).
//! [`find`] looks for ink no word box covers, in a band as tall as a line
//! and several lines' heights wide; the caller reads each such region as
//! one line and [`insert`] puts the reading into the text and the words at
//! its place in the reading order. Specks, rule lines and frames give no
//! region, and a reading is kept only when it is confident and looks like
//! a line of text ([`keep`]).

use super::digits::BoxPx;
use super::{Gray, LineId, Word};

/// At most this many regions are read on a page.
pub(crate) const MAX_REGIONS: usize = 3;

/// A region is at least this many line heights wide.
const MIN_WIDTH_LINES: usize = 3;

/// Mean word confidence a reading needs to be kept.
const MIN_CONF: f32 = 85.0;

fn is_dark(v: u8) -> bool {
    v < 128
}

/// Boxes of the TSV lines of `words`, in reading order, with the index of
/// each line's first word.
fn line_boxes(words: &[Word]) -> Vec<(usize, BoxPx)> {
    let mut out: Vec<(usize, (usize, usize, usize, usize))> = Vec::new();
    let mut last: Option<LineId> = None;
    for (i, w) in words.iter().enumerate() {
        let (x0, y0, x1, y1) = (w.bx.x, w.bx.y, w.bx.x + w.bx.w, w.bx.y + w.bx.h);
        match out.last_mut() {
            Some((_, b)) if last == Some(w.line) => {
                b.0 = b.0.min(x0);
                b.1 = b.1.min(y0);
                b.2 = b.2.max(x1);
                b.3 = b.3.max(y1);
            }
            _ => out.push((i, (x0, y0, x1, y1))),
        }
        last = Some(w.line);
    }
    out.into_iter()
        .map(|(i, (x0, y0, x1, y1))| {
            (
                i,
                BoxPx {
                    x: x0,
                    y: y0,
                    w: x1 - x0,
                    h: y1 - y0,
                },
            )
        })
        .collect()
}

/// The median height of the page's lines of three words or more.
fn line_height(words: &[Word]) -> Option<usize> {
    let boxes = line_boxes(words);
    let mut hs: Vec<usize> = boxes
        .iter()
        .enumerate()
        .filter(|(k, (i, _))| {
            let end = boxes.get(k + 1).map_or(words.len(), |b| b.0);
            end - i >= 3
        })
        .map(|(_, (_, b))| b.h)
        .collect();
    hs.sort_unstable();
    hs.get(hs.len() / 2).copied().filter(|h| *h >= 8)
}

/// Runs of `true` in `on`, joined across gaps shorter than `gap`.
fn runs(on: impl Iterator<Item = bool>, gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, v) in on.enumerate() {
        if !v {
            continue;
        }
        match out.last_mut() {
            Some(r) if i - r.1 <= gap => r.1 = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// Which pixels the words' boxes cover: each word's box widened by a
/// quarter line height, over the full height of its line (its marks).
fn covered(page: &Gray, words: &[Word], lh: usize) -> Vec<bool> {
    let mut cov = vec![false; page.w * page.h];
    let pad = lh / 4;
    let boxes = line_boxes(words);
    for (k, (i, lb)) in boxes.iter().enumerate() {
        let end = boxes.get(k + 1).map_or(words.len(), |b| b.0);
        let y0 = lb.y.saturating_sub(pad);
        let y1 = (lb.y + lb.h + pad).min(page.h);
        for w in &words[*i..end] {
            let x0 = w.bx.x.saturating_sub(pad);
            let x1 = (w.bx.x + w.bx.w + pad).min(page.w);
            for y in y0..y1 {
                if x0 < x1 {
                    cov[y * page.w + x0..y * page.w + x1].fill(true);
                }
            }
        }
    }
    cov
}

/// Regions of ink no word covers, each the size of one printed line (see
/// the module docs), widest first, at most [`MAX_REGIONS`].
pub(crate) fn find(page: &Gray, words: &[Word]) -> Vec<BoxPx> {
    let Some(lh) = line_height(words) else {
        return Vec::new();
    };
    if page.px.len() != page.w * page.h {
        return Vec::new();
    }
    let cov = covered(page, words, lh);
    let free = |x: usize, y: usize| {
        let i = y * page.w + x;
        !cov[i] && is_dark(page.px[i])
    };
    // Rows with free ink, joined across the gaps between a line's marks
    // and its letters.
    let rows = (0..page.h).map(|y| (0..page.w).filter(|&x| free(x, y)).count() >= 2);
    let mut out: Vec<BoxPx> = Vec::new();
    for (y0, y1) in runs(rows, lh / 3) {
        let h = y1 - y0;
        // As tall as a line: not a rule, not a frame or a column of text.
        if h * 5 < lh * 2 || h > lh * 2 {
            continue;
        }
        let cols = (0..page.w).map(|x| (y0..y1).filter(|&y| free(x, y)).count() > 0);
        for (x0, x1) in runs(cols, lh) {
            let w = x1 - x0;
            if w < lh * MIN_WIDTH_LINES {
                continue;
            }
            // Ink enough for letters: a line of text darkens a tenth of its
            // box or more, a stray row of specks far less.
            let ink = (y0..y1)
                .map(|y| (x0..x1).filter(|&x| free(x, y)).count())
                .sum::<usize>();
            if ink * 20 < w * h {
                continue;
            }
            out.push(BoxPx { x: x0, y: y0, w, h });
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.w));
    out.truncate(MAX_REGIONS);
    out
}

/// The crop of `page` read for region `r`: a margin of half a line height
/// around it, with every pixel a word covers made white (parts of the read
/// lines above and below do not join the reading). Returns the crop and
/// its origin on the page.
pub(crate) fn crop(page: &Gray, words: &[Word], r: BoxPx) -> Option<(Gray, usize, usize)> {
    let lh = line_height(words)?;
    let cov = covered(page, words, lh);
    let m = lh / 2;
    let (x0, y0) = (r.x.saturating_sub(m), r.y.saturating_sub(m));
    let (x1, y1) = ((r.x + r.w + m).min(page.w), (r.y + r.h + m).min(page.h));
    let (w, h) = (x1.checked_sub(x0)?, y1.checked_sub(y0)?);
    let mut px = Vec::with_capacity(w * h);
    for y in y0..y1 {
        for x in x0..x1 {
            let i = y * page.w + x;
            px.push(if cov[i] { 255 } else { page.px[i] });
        }
    }
    Some((Gray { w, h, px }, x0, y0))
}

/// A reading of a region worth keeping: tesseract's text line and its
/// words, confident (mean word confidence of [`MIN_CONF`] or more), with
/// four Thai letters or digits or more, and words that spell the line.
/// The words are moved to the page (`ox`, `oy`) and given line `id`.
pub(crate) fn keep(
    txt: &str,
    words: &[Word],
    ox: usize,
    oy: usize,
    id: LineId,
) -> Option<(String, Vec<Word>)> {
    let line = txt.lines().map(str::trim).find(|l| !l.is_empty())?;
    if txt.lines().filter(|l| !l.trim().is_empty()).count() != 1 || words.is_empty() {
        return None;
    }
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let spelled: String = words.iter().map(|w| squeeze(&w.text)).collect();
    if spelled != squeeze(line) {
        return None;
    }
    let conf = words.iter().map(|w| w.conf).sum::<f32>() / words.len() as f32;
    let letters = line
        .chars()
        .filter(|c| ('\u{0E01}'..='\u{0E2E}').contains(c) || ('\u{0E50}'..='\u{0E59}').contains(c))
        .count();
    if conf < MIN_CONF || letters < 4 {
        return None;
    }
    let moved = words
        .iter()
        .map(|w| Word {
            line: id,
            bx: BoxPx {
                x: w.bx.x + ox,
                y: w.bx.y + oy,
                ..w.bx
            },
            conf: w.conf,
            text: w.text.clone(),
        })
        .collect();
    Some((line.to_string(), moved))
}

/// `txt` and `words` with a line read in a lost region added at its place:
/// before the first line (in reading order) that starts below the
/// region's middle or stands beside it on its right, as a paragraph of its
/// own. Returns them unchanged when
/// the text's lines cannot be matched one to one with the words' lines.
pub(crate) fn insert(txt: &str, words: &[Word], line: &str, new: Vec<Word>) -> (String, Vec<Word>) {
    let unchanged = || (txt.to_string(), words.to_vec());
    let Some(first) = new.first() else {
        return unchanged();
    };
    let y0 = new.iter().map(|w| w.bx.y).min().unwrap_or(first.bx.y);
    let y1 = new.iter().map(|w| w.bx.y + w.bx.h).max().unwrap_or(y0);
    let mid = (y0 + y1) / 2;
    let x1 = new
        .iter()
        .map(|w| w.bx.x + w.bx.w)
        .max()
        .unwrap_or(first.bx.x);
    let boxes = line_boxes(words);
    // The TSV line the new one goes before (or after the last): the first
    // below it, or beside it on its right.
    let k = boxes
        .iter()
        .position(|(_, b)| b.y > mid || (b.y + b.h >= mid && b.x >= x1))
        .unwrap_or(boxes.len());
    let at_word = boxes.get(k).map_or(words.len(), |b| b.0);
    // The text line of TSV line `k`: its non-blank lines are the TSV lines.
    let lines: Vec<&str> = txt.lines().collect();
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    if nonblank.len() != boxes.len() {
        return unchanged();
    }
    let mut out: Vec<&str> = Vec::with_capacity(lines.len() + 2);
    match nonblank.get(k) {
        Some(&i) => {
            out.extend_from_slice(&lines[..i]);
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push("");
            }
            out.push(line);
            out.push("");
            out.extend_from_slice(&lines[i..]);
        }
        None => {
            out.extend_from_slice(&lines);
            out.push("");
            out.push(line);
        }
    }
    let mut text = out.join("\n");
    if txt.ends_with('\n') {
        text.push('\n');
    }
    let mut ws = words.to_vec();
    ws.splice(at_word..at_word, new);
    (text, ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(line: u32, x: usize, y: usize, w: usize, h: usize, text: &str) -> Word {
        Word {
            line: (line, 1, 1),
            bx: BoxPx { x, y, w, h },
            conf: 95.0,
            text: text.to_string(),
        }
    }

    fn fill(g: &mut Gray, x: usize, y: usize, w: usize, h: usize) {
        for yy in y..y + h {
            g.px[yy * g.w + x..yy * g.w + x + w].fill(0);
        }
    }

    /// A page of three read lines of "letters" (blocks 30 px tall, 20 px
    /// wide, 10 px apart) and the words of tesseract over them.
    fn page() -> (Gray, Vec<Word>) {
        let mut g = Gray {
            w: 1200,
            h: 800,
            px: vec![255; 1200 * 800],
        };
        let mut words = Vec::new();
        for (n, y) in [100usize, 200, 500].into_iter().enumerate() {
            for k in 0..20 {
                let x = 100 + k * 30;
                fill(&mut g, x, y, 20, 30);
                words.push(word(n as u32 + 1, x, y, 20, 30, "ก"));
            }
        }
        (g, words)
    }

    #[test]
    fn ink_no_word_covers_is_found_as_a_line() {
        let (mut g, words) = page();
        assert!(find(&g, &words).is_empty(), "every line is read");
        // A line of ten letters between the second and the third line, at
        // the right: no word covers it.
        for k in 0..10 {
            fill(&mut g, 700 + k * 30, 350, 20, 30);
        }
        let found = find(&g, &words);
        assert_eq!(found.len(), 1, "{found:?}");
        let r = found[0];
        assert!(r.x == 700 && r.y == 350 && r.w == 290 && r.h == 30, "{r:?}");
        // The crop holds the line and none of the read lines' ink.
        let Some((c, ox, oy)) = crop(&g, &words, r) else {
            panic!("crop")
        };
        assert!(ox < 700 && oy < 350 && ox + c.w > 990 && oy + c.h > 380);
        let dark = c.px.iter().filter(|v| **v == 0).count();
        assert_eq!(dark, 10 * 20 * 30);
    }

    #[test]
    fn specks_rules_and_frames_give_no_line() {
        let (mut g, words) = page();
        // A speck, a short mark, a thin rule across the page and a tall
        // frame side.
        fill(&mut g, 900, 300, 3, 3);
        fill(&mut g, 800, 420, 40, 30);
        fill(&mut g, 50, 650, 1100, 3);
        fill(&mut g, 1150, 50, 4, 700);
        assert!(find(&g, &words).is_empty(), "{:?}", find(&g, &words));
        // A row of scattered specks as wide as a line.
        let (mut g, words) = page();
        for k in 0..30 {
            fill(&mut g, 100 + k * 33, 350 + (k * 7) % 25, 2, 2);
        }
        assert!(find(&g, &words).is_empty(), "{:?}", find(&g, &words));
    }

    #[test]
    fn a_confident_reading_is_kept_and_moved_to_the_page() {
        let read = vec![
            word(1, 10, 5, 20, 30, "กทม."),
            word(1, 40, 5, 20, 30, "๑๐๓๐๐"),
        ];
        let Some((line, ws)) = keep("กทม. ๑๐๓๐๐\n", &read, 100, 200, (9, 1, 1))
        else {
            panic!("kept")
        };
        assert_eq!(line, "กทม. ๑๐๓๐๐");
        assert_eq!(ws[1].bx.x, 140);
        assert_eq!(ws[1].bx.y, 205);
        assert!(ws.iter().all(|w| w.line == (9, 1, 1)));
        // Unsure, too short, or words that do not spell the line.
        let mut unsure = read.clone();
        unsure[1].conf = 40.0;
        assert!(keep("กทม. ๑๐๓๐๐\n", &unsure, 0, 0, (9, 1, 1)).is_none());
        assert!(keep("กท\n", &read[..1], 0, 0, (9, 1, 1)).is_none());
        assert!(keep("กทม. ๑๐๓\n", &read, 0, 0, (9, 1, 1)).is_none());
    }

    #[test]
    fn a_line_goes_in_at_its_place_in_the_reading_order() {
        let words = vec![
            word(1, 100, 100, 50, 30, "หนึ่ง"),
            word(2, 100, 200, 50, 30, "สอง"),
            word(2, 160, 200, 50, 30, "สาม"),
            word(3, 600, 300, 50, 30, "สี่"),
        ];
        let txt = "หนึ่ง\n\nสอง สาม\nสี่\n";
        // Between the first and the second line.
        let new = vec![word(9, 600, 150, 50, 30, "ใหม่")];
        let (t, ws) = insert(txt, &words, "ใหม่", new);
        assert_eq!(t, "หนึ่ง\n\nใหม่\n\nสอง สาม\nสี่\n");
        assert_eq!(ws[1].text, "ใหม่");
        // Beside a line, on its left: before it.
        let new = vec![word(9, 100, 300, 50, 30, "ซ้าย")];
        let (t, ws) = insert(txt, &words, "ซ้าย", new);
        assert_eq!(t, "หนึ่ง\n\nสอง สาม\n\nซ้าย\n\nสี่\n");
        assert_eq!(ws[3].text, "ซ้าย");
        // Below every line.
        let new = vec![word(9, 100, 400, 50, 30, "ท้าย")];
        let (t, ws) = insert(txt, &words, "ท้าย", new);
        assert_eq!(t, "หนึ่ง\n\nสอง สาม\nสี่\n\nท้าย\n");
        assert_eq!(ws[4].text, "ท้าย");
    }

    /// The top of a generated page (`tests/fixtures/ocr_lost`) where
    /// tesseract leaves the address line under the letterhead out: it is
    /// read, with its postcode, between the letterhead and the date.
    #[test]
    fn a_line_tesseract_left_out_is_read() {
        use crate::extract::tests::fixture;
        use crate::extract::{ExtractOptions, Kind, Tools, extract_bytes};
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let ex = match extract_bytes(
            &fixture("tests/fixtures/ocr_lost/lost_line_2_002.png"),
            Kind::Image,
            &opts,
        ) {
            Ok(ex) => ex,
            Err(e) => panic!("{e}"),
        };
        let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        let text = squeeze(&ex.text);
        let (Some(head), Some(line), Some(date)) = (
            text.find("สำนักนายกรัฐมนตรี"),
            text.find("ทำเนียบรัฐบาลกทม.๑๐๓๐๐"),
            text.find("๒๙ธันวาคม๒๕๖๖"),
        ) else {
            panic!("{}", ex.text)
        };
        assert!(head < line && line < date, "{}", ex.text);
    }
}
