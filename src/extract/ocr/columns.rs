//! Pages whose body is set in two columns side by side.
//!
//! tesseract takes a narrow gutter between two columns for a space between
//! words and reads a line of the left column and the line beside it in the
//! right column as one line, which mixes the two texts line by line. Here
//! the gutter is found in the ink of the page's text lines — a white band,
//! a few tenths of an inch wide, down the middle of several lines in a row
//! each with ink on both sides — and the page is rearranged before
//! recognition: the rows above the band, then the band's left column, then
//! its right column, then the rows below. Nothing is cropped away.
//!
//! What is not split: a page with no such gutter (read as it is); the
//! letterhead (the number at the left and the agency at the right share one
//! or two lines only); tables (ruled ones are crossed by their rules, and
//! in borderless ones the left cells do not run up to the gap the way the
//! wrapped lines of a column of prose do).

use std::collections::HashMap;

use super::{Gray, LineId, Word};

/// Lines read across the gutter that show tesseract took the two columns
/// for one.
pub(crate) const MIN_MERGED: usize = 2;

/// A band of rows set in two columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Band {
    /// First row of the band.
    pub top: usize,
    /// Row after the band's last.
    pub bottom: usize,
    /// Column of the gutter's middle at row 0, in columns shifted by `tilt`.
    pub split: f64,
    /// How far the gutter moves right per row down (a page scanned askew).
    pub tilt: f64,
}

impl Band {
    /// Column of the gutter's middle at row `y`: the right column starts
    /// there.
    pub fn split_at(&self, y: usize, width: usize) -> usize {
        let x = self.split + self.tilt * y as f64;
        (x.round().max(0.0) as usize).min(width)
    }
}

/// A strip of rows of the page and the columns holding ink.
struct Line {
    top: usize,
    bottom: usize,
    /// Ink in each column of the page (two dark pixels or more).
    ink: Vec<bool>,
}

fn is_dark(v: u8) -> bool {
    v < 128
}

/// The page cut into strips of `h` rows, each with the columns holding
/// ink. Strips are used rather than text lines: the lines of two columns
/// need not be level with each other (a paragraph break in one column
/// shifts the rest of it), and a row projection would merge them.
fn strips(g: &Gray, h: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut top = 0;
    while top < g.h {
        let bottom = (top + h).min(g.h);
        let mut count = vec![0u16; g.w];
        for y in top..bottom {
            for (c, v) in count.iter_mut().zip(&g.px[y * g.w..(y + 1) * g.w]) {
                if is_dark(*v) {
                    *c = c.saturating_add(1);
                }
            }
        }
        let ink: Vec<bool> = count.into_iter().map(|c| c >= 2).collect();
        // Strips with (next to) no ink neither make nor break a band.
        if ink.iter().filter(|i| **i).count() * 10 >= h {
            out.push(Line { top, bottom, ink });
        }
        top = bottom;
    }
    out
}

impl Line {
    /// Ink columns shifted left by `shift` (columns pushed past either edge
    /// are dropped).
    fn shifted(&self, shift: i64) -> impl Iterator<Item = usize> + '_ {
        let w = self.ink.len() as i64;
        self.ink
            .iter()
            .enumerate()
            .filter(|(_, i)| **i)
            .map(move |(x, _)| x as i64 - shift)
            .filter(move |x| (0..w).contains(x))
            .map(|x| x as usize)
    }

    fn mid(&self) -> usize {
        (self.top + self.bottom) / 2
    }
}

/// The widest run of `true` in `white` whose middle lies in `lo..hi`.
fn widest_run(white: &[bool], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut x = 0;
    while x < white.len() {
        if !white[x] {
            x += 1;
            continue;
        }
        let a = x;
        while x < white.len() && white[x] {
            x += 1;
        }
        let m = (a + x) / 2;
        if (lo..hi).contains(&m) && best.is_none_or(|b| x - a > b.1 - b.0) {
            best = Some((a, x));
        }
    }
    best
}

/// Finds the two-column bands of a (levelled) page. `slope` is the skew
/// the page was levelled from (rise over run), if any: a page scanned askew
/// and levelled by shearing keeps its gutter slanted the other way.
pub(crate) fn find(g: &Gray, dpi: u32, slope: Option<f64>) -> Vec<Band> {
    let dpi = dpi.max(50) as usize;
    let strip = (dpi / 10).max(4);
    let lines = strips(g, strip);
    // Strips, each with ink on both sides, that make a band: 0.8 inch
    // of them, some four lines of text.
    let min_strips = (dpi * 8).div_ceil(strip * 10);
    if lines.len() < min_strips {
        return Vec::new();
    }
    // Where text runs across the page: the ends of most lines.
    let mut firsts: Vec<usize> = Vec::new();
    let mut lasts: Vec<usize> = Vec::new();
    for l in &lines {
        if let (Some(a), Some(b)) = (
            l.ink.iter().position(|i| *i),
            l.ink.iter().rposition(|i| *i),
        ) {
            firsts.push(a);
            lasts.push(b);
        }
    }
    firsts.sort_unstable();
    lasts.sort_unstable();
    let (x0, x1) = (firsts[firsts.len() / 10], lasts[lasts.len() * 9 / 10]);
    if x1 <= x0 {
        return Vec::new();
    }
    let (lo, hi) = (x0 + (x1 - x0) / 4, x1 - (x1 - x0) / 4);
    let min_gutter = dpi * 3 / 20;
    // Band edges moved to the nearest white row, so that no line of text
    // is cut in two.
    let white_row = |y: usize| {
        y >= g.h
            || g.px[y * g.w..(y + 1) * g.w]
                .iter()
                .filter(|v| is_dark(**v))
                .count()
                < 2
    };
    // The middle of the tallest run of white rows within a strip of `y`
    // (not a thin gap between a line and its tone marks).
    let snap = |y: usize| {
        let (a, b) = (y.saturating_sub(strip), (y + strip).min(g.h));
        let mut best: Option<(usize, usize)> = None;
        let mut r = a;
        while r <= b {
            if !white_row(r) {
                r += 1;
                continue;
            }
            let start = r;
            while r <= b && white_row(r) {
                r += 1;
            }
            if best.is_none_or(|(s, e)| r - start > e - s) {
                best = Some((start, r));
            }
        }
        best.map_or(y, |(s, e)| (s + e) / 2).min(g.h)
    };
    let mut best: Vec<Band> = Vec::new();
    let mut best_lines = 0;
    let tilts = std::iter::once(0.0).chain(slope.filter(|t| *t != 0.0).map(|t| -t));
    for tilt in tilts {
        let bands = bands_at(g, &lines, tilt, (lo, hi), min_gutter, min_strips);
        let n: usize = bands.iter().map(|b| b.1).sum();
        if n > best_lines || (n == best_lines && bands.len() < best.len()) {
            best_lines = n;
            best = bands
                .into_iter()
                .map(|(b, _)| Band {
                    top: snap(b.top),
                    bottom: snap(b.bottom),
                    ..b
                })
                .collect();
        }
    }
    best
}

/// The two-column bands with the gutter slanted by `tilt`, each with the
/// number of its lines that have ink on both sides.
fn bands_at(
    g: &Gray,
    lines: &[Line],
    tilt: f64,
    (lo, hi): (usize, usize),
    min_gutter: usize,
    min_strips: usize,
) -> Vec<(Band, usize)> {
    let shift = |l: &Line| (tilt * l.mid() as f64).round() as i64;
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut white = vec![true; g.w];
        let mut j = i;
        let mut run = None;
        while j < lines.len() {
            let mut next = white.clone();
            for x in lines[j].shifted(shift(&lines[j])) {
                next[x] = false;
            }
            match widest_run(&next, lo, hi) {
                Some(r) if r.1 - r.0 >= min_gutter => {
                    white = next;
                    run = Some(r);
                    j += 1;
                }
                _ => break,
            }
        }
        match run.and_then(|r| judge(lines, i, j, r, &shift, min_gutter, min_strips)) {
            Some(both) => {
                let (top, bottom) = (lines[i].top, lines[j - 1].bottom);
                let r = run.unwrap_or_default();
                out.push((
                    Band {
                        top,
                        bottom,
                        split: (r.0 + r.1) as f64 / 2.0,
                        tilt,
                    },
                    both,
                ));
                i = j;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether strips `i..j`, white in columns `g0..g1` (shifted), are two
/// columns of prose: enough of them with ink on both sides; the left part
/// of most of those running up to near the gutter, as wrapped lines do
/// (short cells of a table do not); and no other white channel down
/// either side with ink on both its sides, as between a table's columns.
/// Returns the number of two-sided strips.
fn judge(
    lines: &[Line],
    i: usize,
    j: usize,
    (g0, g1): (usize, usize),
    shift: &dyn Fn(&Line) -> i64,
    min_gutter: usize,
    min_strips: usize,
) -> Option<usize> {
    if j - i < min_strips {
        return None;
    }
    // Ink columns of the strips with ink on both sides.
    let mut both: Vec<Vec<usize>> = Vec::new();
    for l in &lines[i..j] {
        let xs: Vec<usize> = l.shifted(shift(l)).collect();
        if xs.first().is_some_and(|x| *x < g0) && xs.last().is_some_and(|x| *x >= g1) {
            both.push(xs);
        }
    }
    if both.len() < min_strips {
        return None;
    }
    let start = both.iter().filter_map(|xs| xs.first()).min().copied()?;
    let width = g0.checked_sub(start)?;
    let full = both
        .iter()
        .filter(|xs| {
            let end = xs
                .iter()
                .copied()
                .filter(|x| *x < g0)
                .max()
                .unwrap_or(start);
            g0 - end <= width / 3
        })
        .count();
    if full * 2 < both.len() {
        return None;
    }
    let w = lines[i].ink.len();
    for (s0, s1) in [(0, g0), (g1, w)] {
        let mut white = vec![true; s1 - s0];
        for xs in &both {
            for x in xs.iter().filter(|x| (s0..s1).contains(*x)) {
                white[x - s0] = false;
            }
        }
        let mut x = 0;
        while x < white.len() {
            if !white[x] {
                x += 1;
                continue;
            }
            let a = x;
            while x < white.len() && white[x] {
                x += 1;
            }
            let (ca, cb) = (s0 + a, s0 + x);
            if cb - ca < min_gutter || ca == s0 || cb == s1 {
                continue;
            }
            let flanked = both
                .iter()
                .filter(|xs| {
                    xs.iter().any(|x| (s0..ca).contains(x))
                        && xs.iter().any(|x| (cb..s1).contains(x))
                })
                .count();
            if flanked * 5 >= both.len() * 4 {
                return None;
            }
        }
    }
    Some(both.len())
}

/// Lines of tesseract's reading (`words`, on a page `width` columns wide)
/// that hold words on both sides of a band's gutter, or a word across it:
/// lines of the two columns read as one.
pub(crate) fn merged_lines(bands: &[Band], words: &[Word], width: usize) -> usize {
    let mut sides: HashMap<LineId, (bool, bool)> = HashMap::new();
    for w in words {
        let cy = w.bx.y + w.bx.h / 2;
        let Some(b) = bands.iter().find(|b| (b.top..b.bottom).contains(&cy)) else {
            continue;
        };
        let s = b.split_at(cy, width);
        let e = sides.entry(w.line).or_default();
        e.0 |= w.bx.x < s;
        e.1 |= w.bx.x + w.bx.w > s;
    }
    sides.values().filter(|(l, r)| *l && *r).count()
}

/// The page with each band's right column moved under its left column:
/// the rows above the band, the left column, a white gap of `gap` rows, the
/// right column, a gap, and the rows below.
pub(crate) fn rearrange(g: &Gray, bands: &[Band], gap: usize) -> Gray {
    let w = g.w;
    let extra: usize = bands.iter().map(|b| b.bottom - b.top + 2 * gap).sum();
    let mut px = Vec::with_capacity(w * (g.h + extra));
    let mut y = 0;
    for b in bands {
        px.extend_from_slice(&g.px[y * w..b.top * w]);
        for left in [true, false] {
            for r in b.top..b.bottom {
                let s = b.split_at(r, w);
                let row = &g.px[r * w..(r + 1) * w];
                if left {
                    px.extend_from_slice(&row[..s]);
                    px.resize(px.len() + w - s, 255);
                } else {
                    px.resize(px.len() + s, 255);
                    px.extend_from_slice(&row[s..]);
                }
            }
            px.resize(px.len() + gap * w, 255);
        }
        y = b.bottom;
    }
    px.extend_from_slice(&g.px[y * w..]);
    Gray {
        w,
        h: px.len() / w,
        px,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page of `w`×`h`.
    fn page(w: usize, h: usize) -> Gray {
        Gray {
            w,
            h,
            px: vec![255; w * h],
        }
    }

    /// Ink like a line of words from `x0` to `x1` at row `y`: blocks of
    /// `word` columns with `space` white between them, 20 rows high.
    fn words(g: &mut Gray, y: usize, x0: usize, x1: usize, word: usize, space: usize) {
        let mut x = x0;
        while x < x1 {
            let end = (x + word).min(x1);
            for r in y..y + 20 {
                g.px[r * g.w + x..r * g.w + end].fill(0);
            }
            x = end + space;
        }
    }

    /// A 200 dpi page: a letterhead line (number left, agency right), a
    /// date line, then `body(g, y)` for ten lines, then a signature line.
    fn letter(body: impl Fn(&mut Gray, usize, usize)) -> Gray {
        let mut g = page(1600, 1400);
        words(&mut g, 100, 200, 650, 60, 12);
        words(&mut g, 100, 800, 1100, 60, 12);
        words(&mut g, 160, 700, 1000, 60, 12);
        for k in 0..10 {
            body(&mut g, 260 + k * 45, k);
        }
        words(&mut g, 1000, 700, 1050, 60, 12);
        words(&mut g, 1100, 200, 500, 60, 12);
        g
    }

    fn two_columns(g: &mut Gray, y: usize, k: usize) {
        // The left column's last line is short, as a paragraph's is.
        let left_end = if k == 6 { 400 } else { 830 };
        if k < 7 {
            words(g, y, 200, left_end, 55, 14);
        }
        words(g, y, 890, 1460, 55, 14);
    }

    #[test]
    fn two_column_body_is_found_below_the_letterhead() {
        let g = letter(two_columns);
        let bands = find(&g, 200, None);
        assert_eq!(bands.len(), 1, "{bands:?}");
        let b = bands[0];
        assert!(
            (240..=260).contains(&b.top) && (685..=705).contains(&b.bottom),
            "{b:?}"
        );
        let s = b.split_at(300, g.w);
        assert!((830..890).contains(&s), "{s}");
    }

    #[test]
    fn single_column_pages_and_tables_are_not_split() {
        // Full lines of words.
        let g = letter(|g, y, _| words(g, y, 200, 1460, 55, 14));
        assert!(find(&g, 200, None).is_empty());
        // Full lines with a wide space at the same place in a few of them,
        // and a short last line of a paragraph.
        let g = letter(|g, y, k| {
            if k % 3 == 0 {
                words(g, y, 200, 800, 55, 14);
                words(g, y, 850, 1460, 55, 14);
            } else if k == 4 {
                words(g, y, 200, 500, 55, 14);
            } else {
                words(g, y, 200, 1460, 55, 14);
            }
        });
        assert!(find(&g, 200, None).is_empty());
        // A borderless table: short cells in columns.
        let g = letter(|g, y, _| {
            words(g, y, 200, 260, 55, 14);
            words(g, y, 400, 700, 55, 14);
            words(g, y, 900, 1100, 55, 14);
            words(g, y, 1300, 1400, 55, 14);
        });
        assert!(find(&g, 200, None).is_empty());
        // A ruled table whose first column runs up to the rule.
        let g = letter(|g, y, k| {
            words(g, y, 200, 830, 55, 14);
            words(g, y, 890, 1460, 55, 14);
            if k % 2 == 0 {
                let r = y + 30;
                g.px[r * g.w + 190..r * g.w + 1470].fill(0);
                g.px[(r + 1) * g.w + 190..(r + 1) * g.w + 1470].fill(0);
            }
        });
        assert!(find(&g, 200, None).is_empty());
        // The signature block at the right over the contact lines at the
        // left: nothing on both sides.
        let g = letter(|g, y, k| {
            if k < 5 {
                words(g, y, 900, 1300, 55, 14);
            } else {
                words(g, y, 200, 700, 55, 14);
            }
        });
        assert!(find(&g, 200, None).is_empty());
    }

    #[test]
    fn a_slanted_gutter_is_followed() {
        // The gutter moves left 0.12 column per row (a page levelled from
        // a slope of 0.12).
        let g = letter(|g, y, k| {
            let dx = (y as f64 * 0.12) as usize;
            if k < 9 {
                words(g, y, 220 - dx, 850 - dx, 55, 14);
            }
            words(g, y, 910 - dx, 1480 - dx, 55, 14);
        });
        // Taken as level, no band holds all the lines.
        assert!(find(&g, 200, None).iter().all(|b| b.bottom - b.top < 400));
        let bands = find(&g, 200, Some(0.12));
        assert_eq!(bands.len(), 1, "{bands:?}");
        for y in [270, 600] {
            let s = bands[0].split_at(y, g.w);
            let dx = (y as f64 * 0.12) as usize;
            assert!((850 - dx..910 - dx).contains(&s), "{y}: {s}");
        }
    }

    #[test]
    fn lines_read_across_the_gutter_are_counted() {
        use super::super::digits::BoxPx;
        let band = Band {
            top: 100,
            bottom: 500,
            split: 800.0,
            tilt: 0.0,
        };
        let word = |line: u32, x: usize, y: usize| Word {
            line: (1, 1, line),
            bx: BoxPx {
                x,
                y,
                w: 100,
                h: 30,
            },
            conf: 90.0,
            text: "ก".into(),
        };
        // Read column by column: no line crosses.
        let apart = [
            word(1, 200, 120),
            word(1, 500, 120),
            word(2, 900, 120),
            word(3, 200, 160),
        ];
        assert_eq!(merged_lines(&[band], &apart, 1600), 0);
        // Two lines across the gutter, one word over it; a line above the
        // band (the letterhead) does not count.
        let across = [
            word(1, 200, 120),
            word(1, 900, 120),
            word(2, 760, 160),
            word(3, 200, 20),
            word(3, 900, 20),
        ];
        assert_eq!(merged_lines(&[band], &across, 1600), 2);
        assert_eq!(merged_lines(&[], &across, 1600), 0);
    }

    #[test]
    fn rearranged_page_has_the_left_column_above_the_right() {
        let g = letter(two_columns);
        let bands = find(&g, 200, None);
        let r = rearrange(&g, &bands, 30);
        let b = bands[0];
        let band_h = b.bottom - b.top;
        assert_eq!((r.w, r.h), (g.w, g.h + band_h + 60));
        // Letterhead unchanged.
        assert_eq!(r.px[..b.top * g.w], g.px[..b.top * g.w]);
        // Left column: ink at the left, none at the right.
        let row = |y: usize| &r.px[y * r.w..(y + 1) * r.w];
        let y = 265;
        assert!(row(y)[..830].contains(&0) && !row(y)[890..].contains(&0));
        // Right column, below the left one and a gap.
        let y = b.top + band_h + 30 + (265 - b.top);
        assert!(!row(y)[..860].contains(&0) && row(y)[890..].contains(&0));
        // The rows below come last, as they were.
        assert_eq!(
            r.px[(b.bottom + band_h + 60) * g.w..],
            g.px[b.bottom * g.w..]
        );
        // Every dark pixel is kept.
        let dark = |g: &Gray| g.px.iter().filter(|v| **v == 0).count();
        assert_eq!(dark(&r), dark(&g));
    }
}
