//! A second reading of the digits on an OCR'd page.
//!
//! tesseract's Thai model confuses Thai digits with each other and with
//! letters (`๖` read as `๒`, `๗๐` as `ฒญ`), which breaks letter numbers and
//! dates. Here every run of digits on a line (with the low-confidence letters
//! next to it) is cut out of the page again, split into connected components,
//! and each component is compared with glyphs rendered from open Thai fonts
//! (`data/ocr_digit_glyphs.txt`, made by `scripts/train_ocr_digits.py`):
//! nearest neighbour on a 12×16 ink grid plus the glyph's size and position
//! relative to the line's x-height and baseline. A run is rewritten only when
//! every component is read as a digit or as punctuation with a clear margin;
//! otherwise tesseract's reading stays.

use std::sync::LazyLock;

use super::Gray;

const GW: usize = 12;
const GH: usize = 16;
const FEAT: usize = 2 * GW * GH + 3;
/// Added to the distance of a glyph read from pieces merged, per merge.
const MERGE_COST: f32 = 15.0;
/// Weights of the ink grid and of the nearness grid.
const INK_WEIGHT: f32 = 1.0;
const NEAR_WEIGHT: f32 = 1.0;
/// Weight of the size and position features against the ink grid.
const SHAPE_WEIGHT: f32 = 8.0;

/// One reference glyph.
struct Glyph {
    label: char,
    feat: [f32; FEAT],
    /// Rendered speckled and then despeckled (`super::despeckle`): compared
    /// only on pages cleaned that way.
    despeckled: bool,
}

static GLYPHS: LazyLock<Vec<Glyph>> =
    LazyLock::new(|| parse_glyphs(include_str!("../../../data/ocr_digit_glyphs.txt")));

/// Glyphs in the format `scripts/train_ocr_digits.py` writes.
fn parse_glyphs(data: &str) -> Vec<Glyph> {
    let mut out = Vec::new();
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 7 && f.len() != 8 {
            continue;
        }
        let (Some(label), Ok(xh), Ok(rise), Ok(w), Ok(h)) = (
            f[0].chars().next(),
            f[2].parse::<f32>(),
            f[3].parse::<f32>(),
            f[4].parse::<usize>(),
            f[5].parse::<usize>(),
        ) else {
            continue;
        };
        let mut bits = Vec::with_capacity(f[6].len() * 4);
        for c in f[6].chars() {
            let v = c.to_digit(16).unwrap_or(0);
            for k in (0..4).rev() {
                bits.push((v >> k) & 1 == 1);
            }
        }
        if w == 0 || h == 0 || bits.len() < w * h {
            continue;
        }
        let ink = Ink { w, h, bits };
        out.push(Glyph {
            label,
            feat: features(&ink, xh, rise),
            despeckled: f.get(7) == Some(&"despeckle"),
        });
    }
    out
}

/// A component's ink: `w`×`h` booleans, row by row.
pub(crate) struct Ink {
    pub w: usize,
    pub h: usize,
    pub bits: Vec<bool>,
}

/// Chamfer distance (3-4 metric, in thirds of a pixel) from each pixel of
/// `ink` to the nearest ink pixel.
fn distance_to_ink(ink: &Ink) -> Vec<u32> {
    let (w, h) = (ink.w, ink.h);
    let far = u32::MAX / 4;
    let mut d: Vec<u32> = ink.bits.iter().map(|&b| if b { 0 } else { far }).collect();
    for y in 0..h {
        for x in 0..w {
            let mut v = d[y * w + x];
            if x > 0 {
                v = v.min(d[y * w + x - 1] + 3);
            }
            if y > 0 {
                v = v.min(d[(y - 1) * w + x] + 3);
                if x > 0 {
                    v = v.min(d[(y - 1) * w + x - 1] + 4);
                }
                if x + 1 < w {
                    v = v.min(d[(y - 1) * w + x + 1] + 4);
                }
            }
            d[y * w + x] = v;
        }
    }
    for y in (0..h).rev() {
        for x in (0..w).rev() {
            let mut v = d[y * w + x];
            if x + 1 < w {
                v = v.min(d[y * w + x + 1] + 3);
            }
            if y + 1 < h {
                v = v.min(d[(y + 1) * w + x] + 3);
                if x + 1 < w {
                    v = v.min(d[(y + 1) * w + x + 1] + 4);
                }
                if x > 0 {
                    v = v.min(d[(y + 1) * w + x - 1] + 4);
                }
            }
            d[y * w + x] = v;
        }
    }
    d
}

/// Ink grid (3×3 samples per cell), the nearness of ink at each cell's
/// centre (falling with the distance to the nearest stroke: tolerant of
/// strokes a pixel thicker, thinner or shifted), then height, width and
/// rise above the baseline, all over the x-height.
fn features(ink: &Ink, xh: f32, rise: f32) -> [f32; FEAT] {
    let mut f = [0f32; FEAT];
    let dist = distance_to_ink(ink);
    let cell = ((ink.w as f32 / GW as f32) + (ink.h as f32 / GH as f32)) / 2.0;
    for gy in 0..GH {
        for gx in 0..GW {
            let mut hit = 0;
            for sy in 0..3 {
                for sx in 0..3 {
                    let x = ((gx * 3 + sx) as f32 + 0.5) / (GW * 3) as f32 * ink.w as f32;
                    let y = ((gy * 3 + sy) as f32 + 0.5) / (GH * 3) as f32 * ink.h as f32;
                    let (x, y) = ((x as usize).min(ink.w - 1), (y as usize).min(ink.h - 1));
                    if ink.bits[y * ink.w + x] {
                        hit += 1;
                    }
                }
            }
            f[gy * GW + gx] = INK_WEIGHT * hit as f32 / 9.0;
            let x = ((gx as f32 + 0.5) / GW as f32 * ink.w as f32) as usize;
            let y = ((gy as f32 + 0.5) / GH as f32 * ink.h as f32) as usize;
            let d = dist[y.min(ink.h - 1) * ink.w + x.min(ink.w - 1)] as f32 / 3.0;
            f[GW * GH + gy * GW + gx] = NEAR_WEIGHT * (-d / cell.max(1.0)).exp();
        }
    }
    let xh = xh.max(1.0);
    f[2 * GW * GH] = ink.h as f32 / xh * SHAPE_WEIGHT;
    f[2 * GW * GH + 1] = ink.w as f32 / xh * SHAPE_WEIGHT;
    f[2 * GW * GH + 2] = rise / xh * SHAPE_WEIGHT;
    f
}

/// The nearest glyph's label, its distance and the distance of the nearest
/// glyph with another label; the despeckled glyphs take part only when
/// `despeckled` (the page was cleaned by `super::despeckle`).
fn classify(feat: &[f32; FEAT], script: Script, despeckled: bool) -> Option<(char, f32, f32)> {
    classify_in(&GLYPHS, feat, script, despeckled)
}

/// Which digits a reading may use: a run of digits is set in one script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Any,
    Thai,
    Arabic,
}

impl Script {
    fn allows(self, label: char) -> bool {
        match self {
            Script::Any => true,
            Script::Thai => !label.is_ascii_digit(),
            Script::Arabic => !('๐'..='๙').contains(&label),
        }
    }
}

fn classify_in(
    glyphs: &[Glyph],
    feat: &[f32; FEAT],
    script: Script,
    despeckled: bool,
) -> Option<(char, f32, f32)> {
    let mut best: Option<(char, f32)> = None;
    let mut dist_by_label: Vec<(char, f32)> = Vec::new();
    for g in glyphs
        .iter()
        .filter(|g| script.allows(g.label) && (despeckled || !g.despeckled))
    {
        let d: f32 = g
            .feat
            .iter()
            .zip(feat.iter())
            .map(|(a, b)| (a - b).abs())
            .sum();
        match dist_by_label.iter_mut().find(|(l, _)| *l == g.label) {
            Some(e) => e.1 = e.1.min(d),
            None => dist_by_label.push((g.label, d)),
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((g.label, d));
        }
    }
    let (label, d1) = best?;
    let d2 = dist_by_label
        .iter()
        .filter(|(l, _)| *l != label && !same_digit(*l, label))
        .map(|(_, d)| *d)
        .fold(f32::INFINITY, f32::min);
    Some((label, d1, d2))
}

/// `๕` and `5` are the same digit: confusing them costs nothing.
fn same_digit(a: char, b: char) -> bool {
    matches!((digit_value(a), digit_value(b)), (Some(x), Some(y)) if x == y)
}

pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '๐'..='๙' => Some(c as u32 - '๐' as u32),
        _ => None,
    }
}

/// Most pieces (broken strokes, slices of touching digits) read as one glyph.
const MAX_GROUP: usize = 6;

/// The column where a component wider than a digit is cut in two: its
/// thinnest near the middle, again in each half still wider than a digit.
/// Empty for a component no wider than a digit.
fn middle_cut(c: &Comp, xh: f32) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut todo = vec![(c.x0, c.x1)];
    let mut cols = vec![0usize; c.x1 - c.x0 + 1];
    for &(x, _) in &c.pixels {
        cols[x - c.x0] += 1;
    }
    while let Some((x0, x1)) = todo.pop() {
        let w = x1 - x0 + 1;
        if (w as f32) <= xh * 1.35 || w < 6 {
            continue;
        }
        let mid = w / 2;
        let Some(cut) = (w * 3 / 10..=w * 7 / 10)
            .min_by_key(|&x| (cols[x0 - c.x0 + x], x.abs_diff(mid)))
            .map(|x| x0 + x)
        else {
            continue;
        };
        cuts.push(cut);
        todo.push((x0, cut - 1));
        todo.push((cut, x1));
    }
    cuts.sort_unstable();
    cuts
}

/// Columns (relative to the crop) where a component wider than a digit is
/// cut: the thinnest columns of its ink, local minima no thicker than a
/// stroke or two, at least a narrow glyph's width (a `/`) from each other and
/// from the ends. Empty for a component no wider than a digit.
fn cut_columns(c: &Comp, xh: f32) -> Vec<usize> {
    let w = c.x1 - c.x0 + 1;
    if (w as f32) <= xh * 1.35 || w < 6 {
        return Vec::new();
    }
    let mut cols = vec![0usize; w];
    for &(x, _) in &c.pixels {
        cols[x - c.x0] += 1;
    }
    let gap = ((xh * 0.15) as usize).max(2);
    let mut cand: Vec<usize> = (gap..w.saturating_sub(gap))
        .filter(|&x| cols[x] <= cols[x - 1] && cols[x] <= cols[x + 1])
        .collect();
    cand.sort_by_key(|&x| (cols[x], x.abs_diff(w / 2)));
    let mut cuts: Vec<usize> = Vec::new();
    for x in cand {
        if cuts.iter().all(|&k| k.abs_diff(x) >= gap) {
            cuts.push(x);
        }
    }
    if cuts.is_empty() {
        // No thin column: the thinnest near the middle, as one glyph
        // wider than a digit is not read anyway.
        let mid = w / 2;
        if let Some(x) = (w * 3 / 10..=w * 7 / 10).min_by_key(|&x| (cols[x], x.abs_diff(mid))) {
            cuts.push(x);
        }
    }
    cuts.sort_unstable();
    cuts.into_iter().map(|x| c.x0 + x).collect()
}

/// Smallest margin (see [`margin`]) of a component read as a digit.
const MIN_MARGIN: f32 = 0.08;

/// How clearly a reading beats the nearest other label: 0 (a tie) to 1.
fn margin(r: Label) -> f32 {
    let (_, d1, d2) = r;
    if d2.is_finite() && d2 > 0.0 {
        (d2 - d1) / d2
    } else {
        1.0
    }
}

/// A pixel of a crop: column, row.
type Px = (usize, usize);
/// A reading: label, its distance, the distance of the nearest other label.
type Label = (char, f32, f32);

/// One connected component of ink in a crop.
struct Comp {
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    area: usize,
    pixels: Vec<(usize, usize)>,
}

/// Connected components (8-neighbour) of dark pixels in a crop.
fn components(page: &Gray, x0: usize, y0: usize, x1: usize, y1: usize, thr: u8) -> Vec<Comp> {
    let w = x1 - x0;
    let h = y1 - y0;
    let mut seen = vec![false; w * h];
    let dark = |x: usize, y: usize| page.px[(y0 + y) * page.w + x0 + x] < thr;
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for sy in 0..h {
        for sx in 0..w {
            if seen[sy * w + sx] || !dark(sx, sy) {
                continue;
            }
            seen[sy * w + sx] = true;
            stack.push((sx, sy));
            let mut c = Comp {
                x0: sx,
                x1: sx,
                y0: sy,
                y1: sy,
                area: 0,
                pixels: Vec::new(),
            };
            while let Some((x, y)) = stack.pop() {
                c.area += 1;
                c.pixels.push((x, y));
                c.x0 = c.x0.min(x);
                c.x1 = c.x1.max(x);
                c.y0 = c.y0.min(y);
                c.y1 = c.y1.max(y);
                for dy in [-1i64, 0, 1] {
                    for dx in [-1i64, 0, 1] {
                        let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                        if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                            continue;
                        }
                        let (nx, ny) = (nx as usize, ny as usize);
                        if !seen[ny * w + nx] && dark(nx, ny) {
                            seen[ny * w + nx] = true;
                            stack.push((nx, ny));
                        }
                    }
                }
            }
            out.push(c);
        }
    }
    out
}

/// The ink of the largest component inside `bx`: its height and the row
/// below its bottom (for a plain consonant: the x-height and the baseline).
/// tesseract's boxes are looser than the ink, so they are measured here.
pub(crate) fn measure_glyph(page: &Gray, bx: BoxPx) -> Option<(f32, f32)> {
    let x1 = (bx.x + bx.w).min(page.w);
    let y1 = (bx.y + bx.h).min(page.h);
    if x1 <= bx.x + 1 || y1 <= bx.y + 1 {
        return None;
    }
    let c = components(page, bx.x, bx.y, x1, y1, 128)
        .into_iter()
        .max_by_key(|c| c.area)?;
    let h = (c.y1 - c.y0 + 1) as f32;
    (c.area >= 6).then_some((h, (bx.y + c.y1 + 1) as f32))
}

/// A box on the page: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoxPx {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

/// The reading of one run of digits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading {
    /// Digits and punctuation as read.
    pub text: String,
    /// Confidence 0–100: the smallest margin between a component's best
    /// label and the next.
    pub conf: f32,
    /// Whether a parenthesis was left out at the left and the right end.
    pub parens: (bool, bool),
}

/// Reads the digits inside `run` (the union of tesseract's boxes for a run
/// of digits) on a line of x-height `xh` whose baseline is at row `base`.
/// `parens` says whether a parenthesis may stand at the run's left and
/// right end: such a component (tall, reaching below the baseline) is left
/// out of the reading. `despeckled`: the page was cleaned by
/// `super::despeckle` (its glyphs are compared too). `None` when any
/// component is not clearly a digit or punctuation.
pub(crate) fn read_run(
    page: &Gray,
    run: BoxPx,
    xh: f32,
    base: f32,
    others: &[BoxPx],
    parens: (bool, bool),
    despeckled: bool,
) -> Option<Reading> {
    read_run_with(page, run, xh, base, others, parens, despeckled, JOIN_GAP)
}

/// The widest space (in x-heights) between a run and ink beside it that no
/// other word claims, for that ink to join the run.
const JOIN_GAP: f32 = 0.4;

/// The widest such space when the run's first reading lost digits
/// tesseract found: a `1` with wide side bearings before the run.
pub(crate) const WIDE_JOIN_GAP: f32 = 0.75;

/// [`read_run`] with ink up to `join_gap` x-heights beside the run joining it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_run_with(
    page: &Gray,
    run: BoxPx,
    xh: f32,
    base: f32,
    others: &[BoxPx],
    parens: (bool, bool),
    despeckled: bool,
    join_gap: f32,
) -> Option<Reading> {
    if GLYPHS.is_empty() || xh < 4.0 {
        return None;
    }
    let pad = (xh * 3.0) as usize;
    let x0 = run.x.saturating_sub(pad);
    let x1 = (run.x + run.w + pad).min(page.w);
    let top = (base - xh * 2.3).max(0.0) as usize;
    let y0 = top.min(run.y);
    let y1 = ((base + xh * 0.6) as usize).min(page.h);
    if x1 <= x0 + 1 || y1 <= y0 + 1 {
        return None;
    }
    let tol = xh * 0.15;
    // Thin strokes of small print are grey after scanning and despeckling:
    // a lighter cut keeps them whole.
    let thr = if xh < 28.0 { 150 } else { 128 };
    let on_line: Vec<Comp> = components(page, x0, y0, x1, y1, thr)
        .into_iter()
        .filter(|c| {
            // A full stop sits on the baseline and may be smaller than the
            // specks let through elsewhere.
            let bottom = (y0 + c.y1) as f32;
            let min_area = if (bottom - base).abs() <= xh * 0.15 {
                0.006
            } else {
                0.015
            };
            let big = c.area as f32 >= (xh * xh * min_area).max(3.0);
            let clipped_side = c.x0 == 0 || c.x1 + 1 == x1 - x0;
            // Ink of the lines above and below is not part of the run.
            let on_line = bottom > base - xh * 1.2 && bottom < base + xh * 0.5;
            big && !clipped_side && on_line
        })
        .collect();
    let centre = |c: &Comp| (x0 + c.x0) as f32 + (c.x1 - c.x0) as f32 / 2.0;
    let (mut comps, rest): (Vec<Comp>, Vec<Comp>) = on_line.into_iter().partition(|c| {
        let cx = centre(c);
        cx >= run.x as f32 - tol && cx < (run.x + run.w) as f32 + tol
    });
    if comps.is_empty() {
        return None;
    }
    // Digits tesseract left out of its words at either end of the run
    // (`๐๖๑๘` read as `๖๑๘`): ink close to the run that no other word
    // claims joins it.
    let mut rest: Vec<Comp> = rest
        .into_iter()
        .filter(|c| {
            let cx = centre(c) as usize;
            !others.iter().any(|o| cx >= o.x && cx < o.x + o.w)
        })
        .collect();
    let gap_max = xh * join_gap;
    loop {
        let lo = comps.iter().map(|c| c.x0).min().unwrap_or(0) as f32;
        let hi = comps.iter().map(|c| c.x1).max().unwrap_or(0) as f32;
        let near = rest.iter().position(|c| {
            let gap_left = lo - c.x1 as f32 - 1.0;
            let gap_right = c.x0 as f32 - hi - 1.0;
            (gap_left >= -1.0 && gap_left < gap_max) || (gap_right >= -1.0 && gap_right < gap_max)
        });
        match near {
            Some(k) => comps.push(rest.swap_remove(k)),
            None => break,
        }
    }
    comps.sort_by_key(|c| c.x0);
    // A parenthesis is taller than any digit and reaches below the baseline.
    let is_paren = |c: &Comp| {
        let h = (c.y1 - c.y0 + 1) as f32;
        h > xh * 1.3 && (y0 + c.y1) as f32 > base + xh * 0.1
    };
    let mut dropped = (false, false);
    if parens.1 && comps.last().is_some_and(is_paren) {
        comps.pop();
        dropped.1 = true;
    }
    if parens.0 && comps.first().is_some_and(is_paren) {
        comps.remove(0);
        dropped.0 = true;
    }
    if comps.is_empty() {
        return None;
    }
    // A full stop: small, round-ish, on the baseline. It may sit under the
    // tail of the digit before it (`๔.`) but is never part of it.
    let is_dot = |c: &Comp| {
        let (w, h) = ((c.x1 - c.x0 + 1) as f32, (c.y1 - c.y0 + 1) as f32);
        let rise = base - (y0 + c.y1) as f32 - 1.0;
        w <= xh * 0.35 && h <= xh * 0.35 && rise.abs() <= xh * 0.15
    };
    // Pieces of one glyph stacked or overlapping (a broken stroke).
    let mut merged: Vec<Comp> = Vec::new();
    for c in comps {
        if let Some(last) = merged.last_mut() {
            let overlap = last.x1.min(c.x1) as i64 - last.x0.max(c.x0) as i64;
            let narrow = (last.x1 - last.x0).min(c.x1 - c.x0) as i64 + 1;
            if overlap * 2 > narrow && !is_dot(&c) && !is_dot(last) {
                last.x0 = last.x0.min(c.x0);
                last.x1 = last.x1.max(c.x1);
                last.y0 = last.y0.min(c.y0);
                last.y1 = last.y1.max(c.y1);
                last.area += c.area;
                last.pixels.extend(c.pixels);
                continue;
            }
        }
        merged.push(c);
    }
    // Digits printed tight touch (`๙๖` in one blob): a component wider
    // than any digit is cut at its thinnest column near the middle, and
    // when that leaves a piece no glyph matches clearly (three glyphs in
    // one blob, `๗๓/` at 200 dpi), into slices at each thin column, which
    // the reading below groups back into glyphs (free of the merge cost:
    // they were one piece of ink).
    let mut found = None;
    // With no blob to cut, slicing changes nothing.
    let wide = merged.iter().any(|c| !middle_cut(c, xh).is_empty());
    for sliced in [false, true] {
        if sliced && !wide {
            break;
        }
        let mut pieces: Vec<Comp> = Vec::new();
        // Whether each piece was cut from the same ink as the piece before it.
        let mut joined: Vec<bool> = Vec::new();
        for c in merged.iter() {
            let cuts = if sliced {
                cut_columns(c, xh)
            } else {
                middle_cut(c, xh)
            };
            let mut slices: Vec<Vec<Px>> = vec![Vec::new(); cuts.len() + 1];
            for &p in &c.pixels {
                let k = cuts.iter().take_while(|&&cut| p.0 >= cut).count();
                slices[k].push(p);
            }
            let mut first = true;
            for px in slices.into_iter().filter(|s| !s.is_empty()) {
                pieces.push(Comp {
                    x0: px.iter().map(|p| p.0).min().unwrap_or(0),
                    x1: px.iter().map(|p| p.0).max().unwrap_or(0),
                    y0: px.iter().map(|p| p.1).min().unwrap_or(0),
                    y1: px.iter().map(|p| p.1).max().unwrap_or(0),
                    area: px.len(),
                    pixels: px,
                });
                // Halves of the middle cut are read as separate pieces were.
                joined.push(sliced && !first);
                first = false;
            }
        }
        let merged = pieces;
        // Strokes broken at low resolution or by despeckling leave a digit in
        // pieces side by side: the pieces are grouped (up to three, or six
        // slices, close together, no wider than a digit) where one glyph
        // matches them better than one glyph each.
        let read_group = |i: usize, j: usize, script: Script| -> Option<(char, f32, f32)> {
            let g = &merged[i..j];
            let gx0 = g.iter().map(|c| c.x0).min()?;
            let gx1 = g.iter().map(|c| c.x1).max()?;
            let gy0 = g.iter().map(|c| c.y0).min()?;
            let gy1 = g.iter().map(|c| c.y1).max()?;
            let (w, h) = (gx1 - gx0 + 1, gy1 - gy0 + 1);
            // A component much wider than a digit: touching glyphs, not read.
            if w as f32 > xh * 2.2 {
                return None;
            }
            if g.len() > 1
                && (w as f32 > xh * 1.5
                    || g.iter().any(is_dot)
                    || g.windows(2)
                        .any(|p| p[1].x0 as f32 - p[0].x1 as f32 > xh * 0.3))
            {
                return None;
            }
            let mut bits = vec![false; w * h];
            for c in g {
                for &(x, y) in &c.pixels {
                    bits[(y - gy0) * w + (x - gx0)] = true;
                }
            }
            let rise = base - (y0 + gy1) as f32 - 1.0;
            let feat = features(&Ink { w, h, bits }, xh, rise);
            let mut r = classify(&feat, Script::Any, despeckled)?;
            if !script.allows(r.0) && margin(r) < MIN_MARGIN {
                r = classify(&feat, script, despeckled)?;
            }
            // A slice of touching ink is a digit, a `/` or a `ว`, never a dot
            // or a comma (the tail of a `๖` cut off and read as one).
            let sliced = joined[i] || joined.get(j).copied().unwrap_or(false);
            (!(sliced && matches!(r.0, '.' | ','))).then_some(r)
        };
        let n = merged.len();
        // Cheapest reading of the pieces: the cheapest reading of the first j
        // pieces is its cost, the start of its last group and that group's
        // reading. With `clear`, only groups read with a clear margin count:
        // a digit broken in two is read whole rather than as two doubtful
        // pieces.
        let segment = |script: Script, clear: bool| -> Option<(f32, Vec<Label>)> {
            let mut best: Vec<Option<(f32, usize, Label)>> = vec![None; n + 1];
            best[0] = Some((0.0, 0, (' ', 0.0, 0.0)));
            for j in 1..=n {
                let most = if sliced { MAX_GROUP } else { 3 };
                for i in j.saturating_sub(most)..j {
                    let Some((cost, _, _)) = best[i] else {
                        continue;
                    };
                    // At most three pieces of separate ink make one glyph.
                    let merges = (i + 1..j).filter(|&k| !joined[k]).count();
                    if merges > 2 {
                        continue;
                    }
                    let Some(r) = read_group(i, j, script) else {
                        continue;
                    };
                    if clear && margin(r) < MIN_MARGIN {
                        continue;
                    }
                    // Each merge of separate ink costs a little: a dot next to
                    // a digit stays a dot.
                    let cost = cost + r.1 + MERGE_COST * merges as f32;
                    if best[j].is_none_or(|b| cost < b.0) {
                        best[j] = Some((cost, i, r));
                    }
                }
            }
            let total = best[n]?.0;
            let mut groups = Vec::new();
            let mut j = n;
            while j > 0 {
                let (_, i, r) = best[j]?;
                groups.push(r);
                j = i;
            }
            groups.reverse();
            Some((total, groups))
        };
        // The run's script is the majority's of a first reading; a piece read
        // as a digit of the other script without a clear margin is read again
        // among that script's glyphs only (a `/` of a Thai number is not a `7`).
        let Some((first_cost, first)) = segment(Script::Any, false) else {
            continue;
        };
        // `๐` and `0` are one shape: they say nothing of the script.
        let thai = first.iter().filter(|g| ('๑'..='๙').contains(&g.0)).count();
        let arabic = first.iter().filter(|g| ('1'..='9').contains(&g.0)).count();
        let script = match thai.cmp(&arabic) {
            std::cmp::Ordering::Greater => Script::Thai,
            std::cmp::Ordering::Less => Script::Arabic,
            std::cmp::Ordering::Equal => Script::Any,
        };
        // A first reading all clear and in one script is also the cheapest
        // within the script (reading again only raises distances).
        let sure = first
            .iter()
            .all(|g| margin(*g) >= MIN_MARGIN && script.allows(g.0));
        let reading = if sure {
            Some((first_cost, first))
        } else {
            segment(script, true)
        };
        if let Some((cost, groups)) = reading.filter(|g| !g.1.is_empty())
            && found
                .as_ref()
                .is_none_or(|f: &(f32, Vec<Label>)| cost < f.0)
        {
            found = Some((cost, groups));
        }
    }
    let (_, groups) = found?;
    let mut text = String::new();
    let mut conf = 100f32;
    let mut thai = 0;
    let mut arabic = 0;
    let last = groups.len() - 1;
    for (k, &r) in groups.iter().enumerate() {
        let label = r.0;
        conf = conf.min(100.0 * margin(r).min(1.0) * 2.5).min(99.0);
        if label == 'ว' {
            // The `ว` of `/ว` ends the run; the caller keeps it only when
            // tesseract read it inside the run's words.
            if k == last {
                text.push('ว');
                break;
            }
            return None;
        }
        match label {
            '๐'..='๙' => thai += 1,
            '0'..='9' => arabic += 1,
            _ => {}
        }
        text.push(label);
    }
    if thai + arabic == 0 {
        return None;
    }
    // A comma between digits groups thousands (`655,365`); anywhere else
    // it is a speck or a broken stroke read as one.
    let chars: Vec<char> = text.chars().collect();
    let text: String = chars
        .iter()
        .enumerate()
        .filter(|&(k, &c)| {
            c != ',' || {
                let after = chars[k + 1..]
                    .iter()
                    .take_while(|c| digit_value(**c).is_some())
                    .count();
                after == 3 && k > 0 && digit_value(chars[k - 1]).is_some()
            }
        })
        .map(|(_, &c)| c)
        .collect();
    // One script per run: the majority's.
    let text: String = text
        .chars()
        .map(|c| match digit_value(c) {
            Some(v) if thai >= arabic => char::from_u32('๐' as u32 + v).unwrap_or(c),
            Some(v) => char::from_u32('0' as u32 + v).unwrap_or(c),
            None => c,
        })
        .collect();
    Some(Reading {
        text,
        conf: conf.max(0.0),
        parens: dropped,
    })
}

/// The day of a date line that tesseract left out of its words (`๙
/// พฤษภาคม ๒๕๕๘` read `พฤษภาคม ๒๕๕๘`): `month` is the box of the line's
/// first word, a month name followed by the year alone, on a line of
/// x-height `xh` and baseline `base`. The ink just left of it, one or two
/// glyphs of a digit's size standing on the baseline, with a space at most two
/// and a half x-heights wide before the month and nothing else to their left on
/// the line, is read by [`read_run`]; the day is kept when it is one or two
/// digits from 1 to 31. Returns the box read and the reading.
pub(crate) fn lone_day(
    page: &Gray,
    month: BoxPx,
    xh: f32,
    base: f32,
    despeckled: bool,
) -> Option<(BoxPx, Reading)> {
    if xh < 4.0 {
        return None;
    }
    // Far enough left to see the ink before a day of two digits.
    let x0 = month.x.saturating_sub((xh * 6.0) as usize);
    let x1 = month.x;
    let y0 = (base - xh * 2.3).max(0.0) as usize;
    let y1 = ((base + xh * 0.6) as usize).min(page.h);
    if x1 <= x0 + 1 || y1 <= y0 + 1 {
        return None;
    }
    let thr = if xh < 28.0 { 150 } else { 128 };
    let mut ink: Vec<Comp> = components(page, x0, y0, x1, y1, thr)
        .into_iter()
        .filter(|c| {
            // Specks are left aside; the pieces of a broken digit are not.
            let bottom = (y0 + c.y1) as f32;
            c.area as f32 >= (xh * xh * 0.02).max(3.0)
                && bottom > base - xh * 1.2
                && bottom < base + xh * 0.5
        })
        .collect();
    ink.sort_by_key(|c| std::cmp::Reverse(c.x1));
    // The glyphs next to the month, right to left, each close to the last.
    let mut lo = x1 - x0;
    let mut group: Vec<&Comp> = Vec::new();
    for c in &ink {
        let gap = lo as f32 - c.x1 as f32;
        let limit = if group.is_empty() { xh * 2.5 } else { xh * 0.5 };
        if gap > limit {
            break;
        }
        group.push(c);
        lo = lo.min(c.x0);
    }
    let gx0 = group.iter().map(|c| c.x0).min()?;
    let gx1 = group.iter().map(|c| c.x1).max()?;
    let gy0 = group.iter().map(|c| c.y0).min()?;
    let gy1 = group.iter().map(|c| c.y1).max()?;
    let (w, h) = ((gx1 - gx0 + 1) as f32, (gy1 - gy0 + 1) as f32);
    let bottom = (y0 + gy1) as f32 + 1.0;
    // One or two digits: about an x-height tall, standing on the baseline,
    // no wider than two digits.
    if !(xh * 0.7..=xh * 1.6).contains(&h)
        || w < xh * 0.3
        || w > xh * 2.6
        || (bottom - base).abs() > xh * 0.3
    {
        return None;
    }
    // Nothing else on the line to the left: the day opens the line.
    let left_ink = ink
        .iter()
        .any(|c| c.x1 < gx0 && gx0 - c.x1 < (xh * 3.0) as usize);
    if left_ink {
        return None;
    }
    let bx = BoxPx {
        x: x0 + gx0,
        y: y0 + gy0,
        w: gx1 - gx0 + 1,
        h: gy1 - gy0 + 1,
    };
    let r = read_run(page, bx, xh, base, &[month], (false, false), despeckled)?;
    let day: Option<u32> = r
        .text
        .chars()
        .map(digit_value)
        .try_fold(0, |acc, d| d.map(|d| acc * 10 + d));
    let n = r.text.chars().count();
    ((1..=2).contains(&n) && day.is_some_and(|d| (1..=31).contains(&d))).then_some((bx, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_load_and_read_themselves() {
        assert!(GLYPHS.len() > 1000, "{} glyphs", GLYPHS.len());
        for label in "๐๑๒๓๔๕๖๗๘๙0123456789./".chars() {
            assert!(
                GLYPHS.iter().any(|g| g.label == label),
                "no glyph for {label}"
            );
        }
        // Each stored glyph is nearest to a glyph of its own label (itself).
        for g in GLYPHS.iter().step_by(97) {
            let Some((label, d, _)) = classify(&g.feat, Script::Any, g.despeckled) else {
                panic!("classifies");
            };
            assert!(label == g.label || same_digit(label, g.label) || d == 0.0);
        }
    }

    /// The despeckled glyphs are compared on despeckled pages only: there
    /// each is nearest to itself; elsewhere it is not among the glyphs, so
    /// (but for a few tiny ones equal to another) nothing is that near.
    #[test]
    fn despeckled_glyphs_only_on_despeckled_pages() {
        let despeckled: Vec<&Glyph> = GLYPHS.iter().filter(|g| g.despeckled).collect();
        assert!(despeckled.len() >= 1000, "{}", despeckled.len());
        assert!(GLYPHS.iter().filter(|g| !g.despeckled).count() >= 4000);
        let (mut checked, mut away) = (0, 0);
        for g in despeckled.iter().step_by(11) {
            let Some((_, d, _)) = classify(&g.feat, Script::Any, true) else {
                panic!("classifies");
            };
            assert_eq!(d, 0.0);
            let Some((_, d, _)) = classify(&g.feat, Script::Any, false) else {
                panic!("classifies");
            };
            checked += 1;
            away += usize::from(d > 0.0);
        }
        // A few (dots, commas: a handful of pixels) equal another glyph.
        assert!(checked > 0 && away * 10 >= checked * 9, "{away}/{checked}");
    }

    /// Accuracy of the reader on held-out glyphs: `SARABAN_DIGIT_EVAL` names
    /// a file from `train_ocr_digits.py --eval --only FONT`, and
    /// `SARABAN_DIGIT_TRAIN` optionally the reference glyphs (one made with
    /// `--exclude FONT`). Run by hand:
    /// `cargo test --lib digits::tests::held_out -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn held_out_glyphs() {
        let Ok(eval) = std::env::var("SARABAN_DIGIT_EVAL") else {
            return;
        };
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let train = std::env::var("SARABAN_DIGIT_TRAIN")
            .map(|p| parse_glyphs(&read(&p)))
            .unwrap_or_default();
        let glyphs: &[Glyph] = if train.is_empty() { &GLYPHS } else { &train };
        let test = parse_glyphs(&read(&eval));
        let (mut right, mut all) = (0, 0);
        let mut wrong: std::collections::BTreeMap<(char, char), usize> = Default::default();
        for g in test.iter().filter(|g| digit_value(g.label).is_some()) {
            all += 1;
            match classify_in(glyphs, &g.feat, Script::Any, g.despeckled) {
                Some((l, _, _)) if same_digit(l, g.label) => right += 1,
                Some((l, _, _)) => *wrong.entry((g.label, l)).or_default() += 1,
                None => {}
            }
        }
        println!("{right}/{all} digits right; confusions {wrong:?}");
        assert!(all > 0 && right * 10 >= all * 9, "{right}/{all}");
    }
}
