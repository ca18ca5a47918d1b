//! OCR with tesseract (`-l tha+eng`): scanned images and PDF pages without
//! a usable text layer.
//!
//! Pages are decoded to 8-bit grayscale here (PNG, JPEG, single- and
//! multi-page TIFF; PDF pages arrive as PGM from `pdftoppm -gray`). A page
//! sprinkled with isolated specks — typical of fax and low-resolution scans —
//! has them taken off first (below 300 dpi by [`despeckle`], above by a
//! 3×3 median filter), which on such pages cuts the character error rate
//! several-fold. A page scanned askew is levelled. Each page is one
//! tesseract run (`OMP_THREAD_LIMIT=1`), and a second one when a body set
//! in two columns was read across the gutter (see [`columns`]); pages run
//! in parallel, and the text is tidied like any other: spaces inside
//! syllables closed, wrapped lines joined, then Unicode repair.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rayon::prelude::*;

mod anatomy;
mod columns;
mod digits;
mod latin;
mod lost;
mod marks;
mod pairs;
mod paragraphs;
mod spaces;

use super::layout::{close_ocr_gaps, unwrap_lines};
use super::tools::{ScratchDir, TESSERACT_INSTALL, path_arg, run, write_scratch};
use super::{ExtractError, ExtractOptions, finish};
use crate::model::{Extracted, Format, OcrDigits};
use digits::BoxPx;

/// tesseract's models: Thai alone. With `eng` added, short Thai words at
/// line starts (`ที่ ศธ`) were read as Latin letters (`NAS`).
const OCR_LANGS: &str = "tha";
/// Time allowed for one page.
const PAGE_TIMEOUT: Duration = Duration::from_secs(180);
/// Images larger than this many pixels per page are refused.
const MAX_PIXELS: usize = 100_000_000;
/// Pages of one image file read by OCR; the rest are skipped with a warning.
pub(crate) const MAX_IMAGE_PAGES: usize = 100;
/// Share of dark pixels standing alone above which a page is despeckled.
const SPECKLE_RATIO: f64 = 0.02;
/// Below this resolution a speckled page loses only its specks (see
/// [`despeckle`]); at it and above, where strokes are several pixels wide,
/// the 3×3 median filter reads better (on the benchmark's speckled 300 and
/// 400 dpi pages the gentler filter left more errors).
const GENTLE_BELOW_DPI: u32 = 300;

/// An 8-bit grayscale page (0 black, 255 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// Reads tesseract's path or explains how to install it.
pub(crate) fn tesseract(opts: &ExtractOptions) -> Result<&Path, ExtractError> {
    opts.tools
        .tesseract
        .as_deref()
        .ok_or(ExtractError::ToolMissing {
            tool: "tesseract (with Thai: tesseract-ocr-tha)",
            install: TESSERACT_INSTALL,
        })
}

/// OCRs a scanned image (`.png .jpg .jpeg .tif .tiff`; TIFF pages up to
/// [`MAX_IMAGE_PAGES`], decoded a few at a time so memory stays bounded).
pub(crate) fn extract_image(
    bytes: &[u8],
    _path: Option<&Path>,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if !opts.ocr {
        return Err(ExtractError::Unsupported(
            "image needs OCR, which is turned off".into(),
        ));
    }
    let tess = tesseract(opts)?;
    let mut reader = PageReader::open(bytes)?;
    let dpi = reader.dpi;
    let dir = ScratchDir::new()?;
    let batch = rayon::current_num_threads().max(1);
    let mut out = Vec::new();
    let mut digit_runs = Vec::new();
    let mut n = 0;
    let mut capped = false;
    loop {
        let mut pages = Vec::with_capacity(batch);
        while pages.len() < batch {
            if n == MAX_IMAGE_PAGES {
                capped = reader.has_more();
                break;
            }
            match reader.next_page() {
                Some(page) => {
                    pages.push((n, page?));
                    n += 1;
                }
                None => break,
            }
        }
        if pages.is_empty() {
            break;
        }
        let texts: Vec<Result<OcrPage, ExtractError>> = pages
            .par_iter()
            .map(|(i, g)| ocr_page(g, dpi, tess, dir.path(), *i))
            .collect();
        drop(pages);
        for t in texts {
            let t = t?;
            out.push(t.text);
            digit_runs.extend(t.digits);
        }
    }
    if n == 0 {
        return Err(ExtractError::Corrupt("image has no pages".into()));
    }
    let mut warnings = Vec::new();
    if n > 1 {
        warnings.push(format!("{n} pages read by OCR"));
    }
    if capped {
        warnings.push(format!(
            "pages after {MAX_IMAGE_PAGES} not read (page limit)"
        ));
    }
    let mut ex = finish(&out.join("\n\n"), Format::ImageOcr, "UTF-8", None, warnings);
    ex.ocr_digits = digit_runs;
    Ok(ex)
}

/// What OCR read on one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct OcrPage {
    /// The page's text, tidied.
    pub text: String,
    /// Runs of digits read, with their confidence.
    pub digits: Vec<OcrDigits>,
}

/// OCRs one page: despeckle when needed, run tesseract (text and word
/// boxes), read the digits a second time, tidy the text.
pub(crate) fn ocr_page(
    g: &Gray,
    dpi: u32,
    tess: &Path,
    dir: &Path,
    idx: usize,
) -> Result<OcrPage, ExtractError> {
    if is_blank(g) {
        return Ok(OcrPage::default());
    }
    let filtered;
    let speckled = speckle_ratio(g) > SPECKLE_RATIO;
    let despeckled = speckled && dpi < GENTLE_BELOW_DPI;
    let page = if speckled {
        filtered = if despeckled { despeckle(g) } else { median3(g) };
        &filtered
    } else {
        g
    };
    let level;
    let slope = skew_slope(page);
    let page = match slope {
        Some(t) => {
            level = unshear(page, t);
            &level
        }
        None => page,
    };
    let (mut txt, mut words) = recognise(page, dpi, tess, dir, idx)?;
    // A body in two columns that tesseract read across the gutter, line
    // by line: read again with the left column first, then the right.
    let split;
    let bands = columns::find(page, dpi, slope);
    let page = if columns::merged_lines(&bands, &words, page.w) >= columns::MIN_MERGED {
        split = columns::rearrange(page, &bands, (dpi / 4) as usize);
        (txt, words) = recognise(&split, dpi, tess, dir, idx)?;
        &split
    } else {
        page
    };
    let (txt, words) = read_lost_lines(page, dpi, tess, dir, idx, txt, words);
    let (txt, words) = spaces::join(&txt, &words, crate::segment::Segmenter::builtin());
    let txt = paragraphs::regroup(&txt, &words);
    let latin = reread_latin(page, &words, dpi, tess, dir, idx)?;
    let (text, digits) = reread_digits(page, &txt, &words, &latin, despeckled);
    // After the digit reader, which matches the text to the words in
    // tesseract's order.
    let text = paragraphs::number_line_first(&txt, &text, &words);
    Ok(OcrPage {
        text: repair_number_labels(&tidy_ocr(&text)),
        digits,
    })
}

/// One tesseract run on a page: its text and its words.
fn recognise(
    page: &Gray,
    dpi: u32,
    tess: &Path,
    dir: &Path,
    idx: usize,
) -> Result<(String, Vec<Word>), ExtractError> {
    let file = dir.join(format!("page-{idx}.pgm"));
    let base = dir.join(format!("page-{idx}"));
    write_scratch(&file, &to_pgm(page))?;
    let mut cmd = Command::new(tess);
    cmd.arg(path_arg(&file))
        .arg(path_arg(&base))
        .args(["-l", OCR_LANGS, "--dpi"])
        .arg(dpi.to_string())
        .args(["txt", "tsv"])
        .env("OMP_THREAD_LIMIT", "1");
    let out = run(cmd, "tesseract", PAGE_TIMEOUT);
    let _ = std::fs::remove_file(&file);
    let txt_file = base.with_extension("txt");
    let tsv_file = base.with_extension("tsv");
    let txt = std::fs::read(&txt_file);
    let tsv = std::fs::read(&tsv_file);
    let _ = std::fs::remove_file(&txt_file);
    let _ = std::fs::remove_file(&tsv_file);
    let out = out?;
    if !out.success {
        return Err(out.failure("tesseract"));
    }
    let txt = txt.map_err(|e| ExtractError::ToolFailed {
        tool: "tesseract",
        reason: format!("no text written ({e})"),
    })?;
    let txt = String::from_utf8_lossy(&txt).to_string();
    let tsv = String::from_utf8_lossy(&tsv.unwrap_or_default()).to_string();
    let words = parse_tsv(&tsv);
    Ok((txt, words))
}

/// Lines no word of tesseract's covers (see [`lost`]), each read alone as
/// one line and added to the text and the words at its place. A crop
/// tesseract fails on, or reads without confidence, adds nothing.
fn read_lost_lines(
    page: &Gray,
    dpi: u32,
    tess: &Path,
    dir: &Path,
    idx: usize,
    mut txt: String,
    mut words: Vec<Word>,
) -> (String, Vec<Word>) {
    let regions = lost::find(page, &words);
    let top = words.iter().map(|w| w.line.0).max().unwrap_or(0);
    for (n, r) in regions.into_iter().enumerate() {
        let Some((img, ox, oy)) = lost::crop(page, &words, r) else {
            continue;
        };
        let file = dir.join(format!("lost-{idx}-{n}.pgm"));
        let base = dir.join(format!("lost-{idx}-{n}"));
        if write_scratch(&file, &to_pgm(&img)).is_err() {
            continue;
        }
        let mut cmd = Command::new(tess);
        cmd.arg(path_arg(&file))
            .arg(path_arg(&base))
            .args(["-l", OCR_LANGS, "--psm", "7", "--dpi"])
            .arg(dpi.to_string())
            .args(["txt", "tsv"])
            .env("OMP_THREAD_LIMIT", "1");
        let out = run(cmd, "tesseract", PAGE_TIMEOUT);
        let _ = std::fs::remove_file(&file);
        let (txt_file, tsv_file) = (base.with_extension("txt"), base.with_extension("tsv"));
        let (lt, tsv) = (std::fs::read(&txt_file), std::fs::read(&tsv_file));
        let _ = std::fs::remove_file(&txt_file);
        let _ = std::fs::remove_file(&tsv_file);
        let (Ok(o), Ok(lt), Ok(tsv)) = (out, lt, tsv) else {
            continue;
        };
        if !o.success {
            continue;
        }
        let id = (top + 1 + n as u32, 1, 1);
        let lw = parse_tsv(&String::from_utf8_lossy(&tsv));
        if let Some((line, new)) = lost::keep(&String::from_utf8_lossy(&lt), &lw, ox, oy, id) {
            (txt, words) = lost::insert(&txt, &words, &line, new);
        }
    }
    (txt, words)
}

/// Latin words the Thai model garbled, read again with `eng` (see
/// [`latin`]): word ranges of `words` and the text that replaces them.
fn reread_latin(
    page: &Gray,
    words: &[Word],
    dpi: u32,
    tess: &Path,
    dir: &Path,
    idx: usize,
) -> Result<Vec<(usize, usize, String)>, ExtractError> {
    let lines = latin::suspect_lines(words);
    let Some((img, cuts)) = latin::stack(page, words, &lines) else {
        return Ok(Vec::new());
    };
    let file = dir.join(format!("latin-{idx}.pgm"));
    let base = dir.join(format!("latin-{idx}"));
    write_scratch(&file, &to_pgm(&img))?;
    let mut cmd = Command::new(tess);
    cmd.arg(path_arg(&file))
        .arg(path_arg(&base))
        .args(["-l", "eng", "--psm", "6", "--dpi"])
        .arg(dpi.to_string())
        .arg("tsv")
        .env("OMP_THREAD_LIMIT", "1");
    let out = run(cmd, "tesseract", PAGE_TIMEOUT);
    let _ = std::fs::remove_file(&file);
    let tsv_file = base.with_extension("tsv");
    let tsv = std::fs::read(&tsv_file);
    let _ = std::fs::remove_file(&tsv_file);
    // Without the English model (or its output) the Thai reading stands.
    match (out, tsv) {
        (Ok(o), Ok(tsv)) if o.success => {
            let eng = parse_tsv(&String::from_utf8_lossy(&tsv));
            Ok(latin::replacements(words, &eng, &cuts, img.w))
        }
        _ => Ok(Vec::new()),
    }
}

/// Block, paragraph and line numbers of a line in tesseract's TSV output.
type LineId = (u32, u32, u32);

/// One word of tesseract's TSV output.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    /// Block, paragraph and line numbers: the line it is on.
    pub line: LineId,
    pub bx: BoxPx,
    pub conf: f32,
    pub text: String,
}

/// Words (level 5 rows) of tesseract's TSV output.
pub(crate) fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for row in tsv.lines() {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<u32>().ok();
        let (Some(b), Some(p), Some(l), Some(x), Some(y), Some(w), Some(h)) =
            (num(2), num(3), num(4), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        let text = f[11..].join("\t");
        if text.trim().is_empty() {
            continue;
        }
        out.push(Word {
            line: (b, p, l),
            bx: BoxPx {
                x: x as usize,
                y: y as usize,
                w: w as usize,
                h: h as usize,
            },
            conf: f[10].trim().parse().unwrap_or(0.0),
            text: text.trim().to_string(),
        });
    }
    out
}

/// Consonants with no part above the x-height or below the baseline: their
/// boxes give a line's x-height and baseline.
fn is_plain_consonant(s: &str) -> bool {
    let mut it = s.chars();
    matches!((it.next(), it.next()), (Some(c), None) if "กขคฆงจฉชซฌฑฒณดตถทธนบผพภมยรลวศษสหอฮ".contains(c))
}

fn is_digitish(s: &str) -> bool {
    s.chars()
        .all(|c| digits::digit_value(c).is_some() || matches!(c, '.' | '/' | ',' | '-'))
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| digits::digit_value(c).is_some())
}

/// A speck the Thai model read as `@`, alone or with a sign beside it
/// (`@`, `.@`, `@/`).
fn is_speck_sign(s: &str) -> bool {
    s.contains('@')
        && s.chars().count() <= 3
        && s.chars().all(|c| matches!(c, '@' | '.' | '/' | ',' | '-'))
}

/// A Thai letter or two.
fn is_short_letter(s: &str) -> bool {
    s.chars().count() <= 2 && s.chars().all(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
}

/// A letter or two read with little confidence: maybe a misread digit.
fn is_suspect(w: &Word) -> bool {
    w.conf < 70.0
        && w.text.chars().count() <= 2
        && w.text
            .chars()
            .all(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
}

/// What tesseract's Thai model reads Thai digits as, whatever its
/// confidence: `๗` as `ฆ` or `ญ`, `๘` as `ฒ`, `๖` as `อ`, `๔` as `%`,
/// a speck between digits as `@`.
fn looks_like_digit(s: &str) -> bool {
    let n = s.chars().count();
    (1..=2).contains(&n)
        && s.chars()
            .next()
            .is_some_and(|c| "ฆญฒตธขสอฝ%)(@".contains(c))
        && s.chars().skip(1).all(|c| "่้๊๋์ิ".contains(c) || c == ')')
}

/// Only Thai marks above or below a letter (tone marks, upper vowels).
fn is_mark_only(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'))
}

/// Letters the Thai model reads for `๗` and `๘` (`ฆ`, `ญ`, `ฒ`, with a
/// mark at most): never a Thai word on their own.
fn read_for_digit(s: &str) -> bool {
    let mut it = s.chars();
    it.next().is_some_and(|c| "ฆญฒ".contains(c)) && it.count() <= 1 && looks_like_digit(s)
}

/// A word mixing digits with letters tesseract read in place of digits
/// (`๕ฆ`, `ฆ่๐๒๐`, `๕๗%๖`): mostly digits, short, no era mark, no
/// parentheses, no Latin letters.
fn is_mixed_digits(s: &str) -> bool {
    let digits = s
        .chars()
        .filter(|c| digits::digit_value(*c).is_some())
        .count();
    let letters = s
        .chars()
        .filter(|c| digits::digit_value(*c).is_none() && !matches!(c, '.' | '/' | ',' | '-'))
        .filter(|c| !"่้๊๋์ิ".contains(*c))
        .count();
    digits >= 1
        && letters <= digits
        && letters <= 3
        && s.chars().count() <= 12
        && !s.contains("พ.ศ")
        && !s.contains(['(', ')'])
        && !s.contains("ค.ศ")
        && s.chars().filter(|c| !c.is_ascii_alphabetic()).count() == s.chars().count()
}

/// The text of a word without a `(` before its first digit and a `)`
/// after its last: digits in parentheses (`(๔)`, `๒๕๖๖-๒๕๗๐)`) are digits
/// all the same. (`/)` is the Thai model's `/ว`, not a parenthesis.)
fn inside_parens(s: &str) -> &str {
    let digit_at = |c: Option<char>| c.is_some_and(|c| digits::digit_value(c).is_some());
    let s = match s.strip_prefix('(') {
        Some(t) if digit_at(t.chars().next()) => t,
        _ => s,
    };
    match s.strip_suffix(')') {
        Some(t) if digit_at(t.chars().last()) => t,
        _ => s,
    }
}

/// Words after which a number is written (`มาตรา ๗`, `ข้อ ๕`, `ช่อง ๗`): a
/// lone letter read there is more likely a digit than a word.
const NUMBER_CUES: [&str; 12] = [
    "มาตรา",
    "ข้อ",
    "ช่อง",
    "ที่",
    "ครั้ง",
    "ฉบับ",
    "หมู่",
    "วรรค",
    "ลำดับ",
    "หมวด",
    "ส่วน",
    "บท",
];

/// Tesseract's confidence in a word of digits above which the digit
/// reader may not drop any of them.
const TESS_SURE: f32 = 95.0;

/// Share of the x-height at the right end of a word that holds its closing
/// parenthesis (narrower than any digit).
const PAREN_STRIP: f32 = 0.45;

/// Whether `read` has the shape of `tess`: as many characters, the same
/// signs at the same places, digits where tesseract read digits.
fn same_shape(read: &str, tess: &str) -> bool {
    let is_digit = |c: char| digits::digit_value(c).is_some();
    read.chars().count() == tess.chars().count()
        && read
            .chars()
            .zip(tess.chars())
            .all(|(r, t)| if is_digit(t) { is_digit(r) } else { r == t })
}

fn median(v: &mut [f32]) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}

/// Re-reads every run of digits of `txt` (tesseract's text) on the page;
/// returns the text with the runs the digit reader is sure of rewritten,
/// and the word ranges of `latin` replaced by their text, and every run
/// with its confidence. The text is unchanged when it cannot be matched to
/// the words. `despeckled`: the page was cleaned by `despeckle`.
pub(crate) fn reread_digits(
    page: &Gray,
    txt: &str,
    words: &[Word],
    latin: &[(usize, usize, String)],
    despeckled: bool,
) -> (String, Vec<OcrDigits>) {
    // Where each word is in the text (its characters, whitespace aside).
    let chars: Vec<char> = txt.chars().collect();
    let mut spans = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in words {
        while at < chars.len() && chars[at].is_whitespace() {
            at += 1;
        }
        let wc: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.get(at..at + wc.len()) != Some(&wc[..]) {
            return (txt.to_string(), Vec::new());
        }
        spans.push((at, at + wc.len()));
        at += wc.len();
    }
    // x-height and baseline of each line, measured on its plain consonants.
    let mut metrics: std::collections::HashMap<LineId, (Vec<f32>, Vec<f32>)> =
        std::collections::HashMap::new();
    // Line, centre column, x-height, baseline.
    let mut measured: Vec<(LineId, usize, f32, f32)> = Vec::new();
    for w in words.iter().filter(|w| is_plain_consonant(&w.text)) {
        if let Some((h, b)) = digits::measure_glyph(page, w.bx) {
            let e = metrics.entry(w.line).or_default();
            e.0.push(h);
            e.1.push(b);
            measured.push((w.line, w.bx.x + w.bx.w / 2, h, b));
        }
    }
    let mut all_xh: Vec<f32> = metrics.values().flat_map(|m| m.0.iter().copied()).collect();
    let page_xh = median(&mut all_xh);
    // Runs: consecutive digit-like words with no space between them.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    // Words glued (no space) to the word before them.
    let glued_prev = |k: usize| {
        k > 0
            && k < words.len()
            && words[k].line == words[k - 1].line
            && spans[k].0 == spans[k - 1].1
    };
    let mut is_latin = stray_marks(words);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (k, _) in is_latin.iter().enumerate().filter(|f| *f.1) {
        edits.push((spans[k].0, spans[k].1, String::new()));
    }
    for (a, b, _) in latin {
        for f in is_latin.iter_mut().take(*b).skip(*a) {
            *f = true;
        }
    }
    // The word after `k` glued to it, past marks tesseract gave words of
    // their own (`ฆ` `่` `๐` for `๙๐`).
    let next_glued = |k: usize| {
        let mut n = k + 1;
        while n < words.len() && glued_prev(n) && is_mark_only(&words[n].text) {
            n += 1;
        }
        (n < words.len() && glued_prev(n)).then_some(n)
    };
    let near_digit = |k: usize| {
        (glued_prev(k) && has_digit(&words[k - 1].text))
            || next_glued(k).is_some_and(|n| has_digit(&words[n].text))
    };
    // A word standing alone after a word that asks for a number.
    let after_cue = |k: usize| {
        k > 0 && words[k].line == words[k - 1].line && !glued_prev(k) && !glued_prev(k + 1) && {
            let before: String = chars[..spans[k].0]
                .iter()
                .rev()
                .skip_while(|c| c.is_whitespace())
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            NUMBER_CUES.iter().any(|c| before.ends_with(c))
        }
    };
    let member = |k: usize| {
        let w = &words[k];
        let t = inside_parens(&w.text);
        !is_latin[k]
            && !t.is_empty()
            && (is_digitish(t)
                || is_suspect(w)
                || is_mixed_digits(t)
                || (looks_like_digit(&w.text) && near_digit(k))
                || (read_for_digit(&w.text) && after_cue(k)))
    };
    // A letter's number line: the run follows `ที่` and a two-letter code
    // (`ที่ กษ ๐๖๐๑.๖/ว ๘๒๖๐๐`), tesseract's marks lost or not.
    let number_line = |a: usize| {
        let mut k = a;
        while k > 0 && words[k - 1].line == words[a].line {
            k -= 1;
        }
        let before: Vec<char> = words[k..a]
            .iter()
            .flat_map(|w| w.text.chars())
            .filter(|c| !c.is_whitespace() && !is_mark_only(&c.to_string()))
            .collect();
        let consonant = |c: &char| ('\u{0E01}'..='\u{0E2E}').contains(c);
        before.len() == 3 && before[0] == 'ท' && before.iter().all(consonant)
    };
    // A glyph tesseract read as a Thai letter or a sign, which a digit may
    // be: no Latin letter, no digit, at most three characters, not the `@`
    // the Thai model reads for a speck.
    let may_be_digit = |k: usize| {
        let t = &words[k].text;
        !is_latin[k]
            && !has_digit(t)
            && !t.contains('@')
            && t.chars().count() <= 3
            && !t.chars().any(|c| c.is_ascii_alphanumeric())
            && t != "ว"
    };
    // Runs on number lines with the glyphs glued after them: the word
    // after the longer run, by the run's first word.
    let mut longer: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    // Runs read through a speck word, by the run's first word: the speck
    // words inside it (each run's part around them is read alone when the
    // whole is not read).
    let mut specks: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    while i < words.len() {
        if !member(i) {
            i += 1;
            continue;
        }
        let glued = |j: usize| {
            j < words.len() && words[j].line == words[i].line && spans[j].0 == spans[j - 1].1
        };
        let mut j = i + 1;
        loop {
            // A letter tesseract reads for a digit, glued after the run's
            // digits (`๕ญฆ` for `๕๗`).
            let digit_like = |j: usize| {
                read_for_digit(&words[j].text)
                    && !is_latin[j]
                    && words[i..j].iter().any(|w| has_digit(&w.text))
            };
            if glued(j) && (member(j) || digit_like(j)) {
                j += 1;
                continue;
            }
            // A speck tesseract read as `@` with the sign beside it (`.@`),
            // glued between digits: the run goes on past it, and the digit
            // reader reads the ink there (`๔๒๒๓.@๕/๓๙๗๐๐`).
            if glued(j) && is_speck_sign(&words[j].text) && glued(j + 1) && {
                let next = &words[j + 1].text;
                has_digit(&words[j - 1].text) && has_digit(next) && !is_latin[j + 1]
            } {
                specks.entry(i).or_default().push(j);
                j += 1;
                continue;
            }
            // Marks between a letter read for a digit and the digits after it.
            if glued(j)
                && is_mark_only(&words[j].text)
                && looks_like_digit(&words[j - 1].text)
                && next_glued(j - 1).is_some_and(|n| has_digit(&words[n].text))
            {
                j += 1;
                continue;
            }
            // One or two letters glued between digits: misread digits too.
            let bridge = (1..=2).find(|&k| {
                (j..j + k).all(|m| glued(m) && !is_latin[m] && is_short_letter(&words[m].text))
                    && glued(j + k)
                    && has_digit(&words[j + k].text)
                    && has_digit(&words[j - 1].text)
            });
            match bridge {
                Some(k) => j += k + 1,
                None => break,
            }
        }
        let (mut a, mut b) = (i, j);
        // A letter at the end counts only after a digit (not `/ว`).
        while b > a && is_suspect(&words[b - 1]) && !(b - 1 > a && has_digit(&words[b - 2].text)) {
            b -= 1;
        }
        while a < b && is_suspect(&words[a]) && !words[a..b].iter().any(|w| has_digit(&w.text)) {
            a += 1;
        }
        let lone_after_cue = b == a + 1 && read_for_digit(&words[a].text) && after_cue(a);
        if a < b && (words[a..b].iter().any(|w| has_digit(&w.text)) || lone_after_cue) {
            runs.push((a, b));
            if let Some(v) = specks.remove(&i) {
                let v: Vec<usize> = v.into_iter().filter(|&k| k > a && k + 1 < b).collect();
                if !v.is_empty() {
                    specks.insert(a, v);
                }
            }
            // On a letter's number line the digits run on to the next space:
            // glyphs glued after them that tesseract read as letters or
            // signs (`๓๐๑๙ฝผ่` for `๓๐๑๙๙`, `.»/` for `.๖/`) are offered to
            // the digit reader too, with the `ว` of a `/ว`.
            if number_line(a) {
                let mut e = b;
                // Each glyph to the right of the ink before it (not ink
                // tesseract read twice).
                let right_of = |e: usize| {
                    let end = words[a..e].iter().map(|w| w.bx.x + w.bx.w).max();
                    end.is_some_and(|end| words[e].bx.x + words[e].bx.w / 2 > end)
                };
                while e < j + 3
                    && glued(e)
                    && (e < j || !member(e))
                    && may_be_digit(e)
                    && right_of(e)
                {
                    e += 1;
                }
                if e > b && glued(e) && words[e].text == "ว" && words[e - 1].text.ends_with('/') {
                    e += 1;
                }
                if e > b {
                    longer.insert(a, e);
                }
            }
        }
        i = j;
    }
    let mut glued_days: Vec<usize> = Vec::new();
    // The day of a date line read as a sign, a letter or Latin (`« มิถุนายน
    // ๒๕๖๔`, `ซกุมภาพันธ์ ๒๕๖๗`, `low เมษายน ๒๕๖๕`): up to four characters
    // opening a line that is otherwise a month and a year.
    for a in 0..words.len() {
        if (a > 0 && words[a - 1].line == words[a].line) || runs.iter().any(|r| r.0 <= a && a < r.1)
        {
            continue;
        }
        let end = a + words[a..]
            .iter()
            .take_while(|w| w.line == words[a].line)
            .count();
        let Some(m) = (a + 1..end.min(a + 5)).find(|&m| date_rest(&words[m..end])) else {
            continue;
        };
        let day: String = words[a..m].iter().map(|w| w.text.as_str()).collect();
        let day_chars = day.chars().filter(|c| !c.is_whitespace()).count();
        // Glued to the month, only a single glyph is taken for the day (a
        // word ending in a month name is not a date).
        let spaced = spans[m - 1].1 < spans[m].0;
        if day_chars == 0 || day_chars > 4 || (!spaced && day_chars > 1) {
            continue;
        }
        runs.push((a, m));
        if !spaced {
            glued_days.push(a);
        }
    }
    let mut out_runs = Vec::new();
    // A date line that opens with its month (`พฤษภาคม ๒๕๕๘`): the day
    // tesseract left out is looked for in the ink left of the month.
    for a in (0..words.len()).filter(|&a| a == 0 || words[a - 1].line != words[a].line) {
        let end = a + words[a..]
            .iter()
            .take_while(|w| w.line == words[a].line)
            .count();
        if has_digit(&words[a].text) || !date_rest(&words[a..end]) {
            continue;
        }
        let (mut xs, mut bases) = metrics.get(&words[a].line).cloned().unwrap_or_default();
        let (Some(xh), Some(base)) = (median(&mut xs).or(page_xh), median(&mut bases)) else {
            continue;
        };
        let Some((bx, r)) = digits::lone_day(page, words[a].bx, xh, base, despeckled) else {
            continue;
        };
        // tesseract may have read the day as a line of its own, which the
        // text then has apart from its date (and loses as a stray line):
        // such words are taken out, the day goes before its month.
        let over: Vec<usize> = (0..words.len())
            .filter(|&k| {
                let w = &words[k];
                let cx = w.bx.x + w.bx.w / 2;
                cx >= bx.x && cx < bx.x + bx.w && w.bx.y < bx.y + bx.h && bx.y < w.bx.y + w.bx.h
            })
            .collect();
        if over.iter().any(|&k| words[k].line == words[a].line) {
            continue;
        }
        for &k in &over {
            edits.push((spans[k].0, spans[k].1, String::new()));
        }
        edits.push((spans[a].0, spans[a].0, format!("{} ", r.text)));
        out_runs.push(OcrDigits {
            text: r.text,
            conf: r.conf,
        });
    }
    runs.sort_unstable();
    // The reading of the run of words `a..b`, what tesseract read there and
    // its least confidence.
    let read_at = |a: usize, b: usize| {
        let line = words[a].line;
        let (mut xs, mut bases) = metrics.get(&line).cloned().unwrap_or_default();
        // One or two letters measured far from the page's x-height (a `ร`
        // of `โทร.` read from a speck) say nothing about the line.
        let line_xh = median(&mut xs);
        let trusted = match (line_xh, page_xh) {
            (Some(l), Some(p)) => xs.len() >= 3 || (l >= 0.7 * p && l <= 1.4 * p),
            _ => true,
        };
        if !trusted {
            bases.clear();
        }
        let xh = line_xh.filter(|_| trusted).or(page_xh);
        // The baseline near the run: a page scanned askew is not level.
        let mid = (words[a].bx.x + words[b - 1].bx.x + words[b - 1].bx.w) / 2;
        let mut near: Vec<(usize, f32)> = measured
            .iter()
            .filter(|m| m.0 == line)
            .map(|m| (m.1.abs_diff(mid), m.3))
            .collect();
        near.sort_by_key(|n| n.0);
        if near.len() >= 3 && trusted {
            bases = near.iter().take(5).map(|n| n.1).collect();
        }
        let base = median(&mut bases).or_else(|| {
            let mut d: Vec<f32> = words[a..b]
                .iter()
                .filter(|w| has_digit(&w.text) && !w.text.contains(['(', ')']))
                .map(|w| (w.bx.y + w.bx.h) as f32)
                .collect();
            median(&mut d)
        });
        let x0 = words[a..b].iter().map(|w| w.bx.x).min().unwrap_or(0);
        let x1 = words[a..b]
            .iter()
            .map(|w| w.bx.x + w.bx.w)
            .max()
            .unwrap_or(0);
        let y0 = words[a..b].iter().map(|w| w.bx.y).min().unwrap_or(0);
        let y1 = words[a..b]
            .iter()
            .map(|w| w.bx.y + w.bx.h)
            .max()
            .unwrap_or(0);
        let bx = BoxPx {
            x: x0,
            y: y0,
            w: x1.saturating_sub(x0),
            h: y1.saturating_sub(y0),
        };
        let first_read: String = words[a..b].iter().map(|w| w.text.as_str()).collect();
        let tess_conf = words[a..b].iter().map(|w| w.conf).fold(100f32, f32::min);
        let reading = match (xh, base) {
            (Some(xh), Some(base)) => {
                let others: Vec<BoxPx> = words
                    .iter()
                    .enumerate()
                    .filter(|(k, w)| w.line == line && (*k < a || *k >= b))
                    .map(|(_, w)| w.bx)
                    .collect();
                // Parentheses around the digits: the reader leaves them out,
                // and the text gets back those tesseract's words had (and a
                // closing one it lost after `(๒`).
                let (first, last) = (&words[a].text, &words[b - 1].text);
                let open = inside_parens(first).len() < first.len() && first.starts_with('(');
                let close = inside_parens(last).len() < last.len() && last.ends_with(')');
                let next_closes = words
                    .get(b)
                    .is_some_and(|w| w.line == line && w.text.starts_with(')'));
                let unmatched = open && !close;
                let may_close = close || next_closes || unmatched;
                let whole =
                    digits::read_run(page, bx, xh, base, &others, (open, may_close), despeckled)
                        // A parenthesis read but not found: not sure of the rest.
                        .filter(|r| (!open || r.parens.0) && (!close || r.parens.1));
                // A closing parenthesis the reader did not tell from a digit
                // (`๒๕๖๖-๒๕๖๙)` read `๒๕๖๖-๒๕๖๙๑`, or nothing read): the
                // run without the word's last glyph, kept only when it has
                // the shape of tesseract's reading.
                let whole = whole.or_else(|| {
                    let strip = (xh * PAREN_STRIP) as usize;
                    if !close || bx.w <= 2 * strip {
                        return None;
                    }
                    let run = BoxPx {
                        w: bx.w - strip,
                        ..bx
                    };
                    let mut others = others.clone();
                    others.push(BoxPx {
                        x: bx.x + bx.w - strip,
                        w: strip + xh as usize,
                        ..bx
                    });
                    let inner: String =
                        words[a..b].iter().map(|w| inside_parens(&w.text)).collect();
                    digits::read_run(page, run, xh, base, &others, (open, false), despeckled)
                        .filter(|r| (!open || r.parens.0) && same_shape(&r.text, &inner))
                        .map(|r| digits::Reading {
                            parens: (r.parens.0, true),
                            ..r
                        })
                });
                // Fewer digits than tesseract read: a digit standing apart
                // from the run (Sawasdee's `1` of `1562`, outside tesseract's
                // box) is looked for a little further off, and kept only when
                // the reading then has tesseract's digits, one for one (not a
                // digit of the next group of a phone number).
                let values =
                    |t: &str| -> Vec<u32> { t.chars().filter_map(digits::digit_value).collect() };
                let count = |t: &str| values(t).len();
                let whole = whole.map(|r| {
                    if count(&r.text) >= count(&first_read) || close {
                        return r;
                    }
                    digits::read_run_with(
                        page,
                        bx,
                        xh,
                        base,
                        &others,
                        (open, may_close),
                        despeckled,
                        digits::WIDE_JOIN_GAP,
                    )
                    .filter(|w| {
                        (!open || w.parens.0)
                            && !w.parens.1
                            && values(&w.text) == values(&first_read)
                    })
                    .unwrap_or(r)
                });
                whole.map(|mut r| {
                    if open {
                        r.text.insert(0, '(');
                    }
                    if close || (unmatched && !next_closes && r.parens.1) {
                        r.text.push(')');
                    }
                    r
                })
            }
            _ => None,
        };
        // A `ว` read after the run belongs to the word that follows it,
        // unless tesseract read it (as something else) inside the run.
        let reading = reading.map(|mut r| {
            if r.text.ends_with('ว') && (is_digitish(&words[b - 1].text) || !r.text.ends_with("/ว"))
            {
                r.text.pop();
            }
            r
        });
        let reading = reading.filter(|r| has_digit(&r.text));
        (reading, first_read, tess_conf)
    };
    // A run through a speck word read whole when the reader reads every
    // digit tesseract found around the speck; else each part alone, and the
    // speck word stays as tesseract read it.
    let digit_count = |t: &str| {
        t.chars()
            .filter(|c| digits::digit_value(*c).is_some())
            .count()
    };
    let mut split = Vec::new();
    let runs: Vec<(usize, usize)> = runs
        .into_iter()
        .flat_map(|(a, b)| {
            let Some(at) = specks.get(&a) else {
                return vec![(a, b)];
            };
            let whole = read_at(a, b).0;
            let around: String = words[a..b].iter().map(|w| w.text.as_str()).collect();
            if whole.is_some_and(|r| digit_count(&r.text) >= digit_count(&around)) {
                return vec![(a, b)];
            }
            let mut parts = Vec::new();
            let mut start = a;
            for &k in at {
                parts.push((start, k));
                start = k + 1;
            }
            parts.push((start, b));
            split.push(a);
            parts
        })
        .collect();
    // The glyphs glued after a run belong to the whole, not to its first part.
    for a in split {
        longer.remove(&a);
    }
    for (a, b) in runs {
        // A number line's run with the glyphs glued after it, when the
        // digit reader reads them all; else the run alone.
        let longer_read = longer
            .get(&a)
            .map(|&e| (e, read_at(a, e)))
            .filter(|(e, r)| {
                // Only when the glyphs add to the reading of the run alone.
                let count = |t: &str| t.chars().count();
                r.0.as_ref().is_some_and(|l| {
                    read_at(a, b)
                        .0
                        .is_none_or(|s| count(&l.text) > count(&s.text))
                        && *e > b
                })
            });
        let (b, (reading, first_read, tess_conf)) = match longer_read {
            Some(r) => r,
            None => (b, read_at(a, b)),
        };
        // Digits tesseract was sure of, fewer in the reader's reading: the
        // reader lost one (a `๑` of `๑๑๐๐๐` at 97), not tesseract invented it.
        let reading = reading.filter(|r| {
            let count = |t: &str| {
                t.chars()
                    .filter(|c| digits::digit_value(*c).is_some())
                    .count()
            };
            !(tess_conf >= TESS_SURE
                && is_digitish(inside_parens(&first_read))
                && count(&r.text) < count(&first_read))
        });
        match reading {
            Some(r) => {
                // A day read glued to its month gets the space the line has.
                let space = if glued_days.contains(&a) { " " } else { "" };
                if r.text != first_read || !space.is_empty() {
                    edits.push((spans[a].0, spans[b - 1].1, format!("{}{space}", r.text)));
                }
                out_runs.push(OcrDigits {
                    text: r.text,
                    conf: r.conf.min(tess_conf.max(r.conf)),
                });
            }
            None if has_digit(&first_read) => out_runs.push(OcrDigits {
                text: first_read,
                conf: tess_conf.min(50.0),
            }),
            None => {}
        }
    }
    for (a, b, t) in latin {
        if *b > *a && *b <= spans.len() {
            let (s, e) = (spans[*a].0, spans[*b - 1].1);
            let thai = |c: Option<&char>| c.is_some_and(|c| ('\u{0E01}'..='\u{0E5B}').contains(c));
            let before = if s > 0 && thai(chars.get(s - 1)) {
                " "
            } else {
                ""
            };
            let after = if thai(chars.get(e)) { " " } else { "" };
            edits.push((s, e, format!("{before}{t}{after}")));
        }
    }
    // An insertion (a day left out) comes before an edit where it stands.
    edits.sort_by_key(|e| (e.0, e.1));
    let mut text = String::with_capacity(txt.len());
    let mut k = 0;
    for (s, e, rep) in edits {
        if s < k {
            continue;
        }
        text.extend(&chars[k..s]);
        text.push_str(&rep);
        k = e;
    }
    text.extend(&chars[k..]);
    (text, out_runs)
}

/// Whether `words` (one line's, from some word on) read as a month name and
/// a year and nothing else: `เมษายน ๒๕๖๕`, `มิถุนายน พ.ศ. 2564`.
fn date_rest(words: &[Word]) -> bool {
    let joined: String = words
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let month = anatomy::MONTHS.iter().any(|m| {
        let head: String = m.chars().take(4).collect();
        joined.starts_with(&head)
    });
    // The year's four digits, possibly two read as one (`๒๕๒` for `๒๕๖๗`)
    // or one as two (`๒๕๒๐๕` for `๒๕๖๕`): the digit reader reads them again.
    let chars: Vec<char> = joined.chars().collect();
    let year = chars
        .iter()
        .rev()
        .take_while(|c| digits::digit_value(**c).is_some())
        .count();
    if !(3..=5).contains(&year) {
        return false;
    }
    let name: String = chars[..chars.len() - year].iter().collect();
    let name = name.strip_suffix("พ.ศ.").unwrap_or(&name);
    name.chars().count() <= 11
        // Or a month name OCR misread (`มอนายน` for `มิถุนายน`).
        && (month || anatomy::nearest_month(name).is_some())
}

/// Words of lines that are only the marks above or below another line
/// (tone marks and upper vowels over a short last line of a paragraph,
/// found as a line of their own): small, doubtful, and overlapping the
/// line they belong to. Their readings are specks read as letters and
/// digits (`ฆ ๒ ๑7 9/ 1 =`), so they are dropped. So are lines whose
/// every word sits in the band of marks just over another line (see
/// [`marks_over_line`]).
fn stray_marks(words: &[Word]) -> Vec<bool> {
    let mut out = vec![false; words.len()];
    let mut hs: Vec<f32> = words.iter().map(|w| w.bx.h as f32).collect();
    let Some(page_h) = median(&mut hs) else {
        return out;
    };
    let mut lines: Vec<(LineId, usize, usize)> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        match lines.last_mut() {
            Some(l) if l.0 == w.line => l.2 = k + 1,
            _ => lines.push((w.line, k, k + 1)),
        }
    }
    let span = |a: usize, b: usize| {
        let y0 = words[a..b].iter().map(|w| w.bx.y).min().unwrap_or(0);
        let y1 = words[a..b]
            .iter()
            .map(|w| w.bx.y + w.bx.h)
            .max()
            .unwrap_or(0);
        (y0, y1)
    };
    for (i, &(_, a, b)) in lines.iter().enumerate() {
        let ws = &words[a..b];
        let mut h: Vec<f32> = ws.iter().map(|w| w.bx.h as f32).collect();
        let conf = ws.iter().map(|w| w.conf).sum::<f32>() / ws.len() as f32;
        if median(&mut h).is_none_or(|h| h >= 0.6 * page_h) || conf >= 90.0 {
            continue;
        }
        let (y0, y1) = span(a, b);
        let x0 = ws.iter().map(|w| w.bx.x).min().unwrap_or(0);
        let x1 = ws.iter().map(|w| w.bx.x + w.bx.w).max().unwrap_or(0);
        let overlaps = [i.wrapping_sub(1), i + 1].iter().any(|&j| {
            lines.get(j).is_some_and(|&(_, c, d)| {
                let (z0, z1) = span(c, d);
                let ox0 = words[c..d].iter().map(|w| w.bx.x).min().unwrap_or(0);
                let ox1 = words[c..d]
                    .iter()
                    .map(|w| w.bx.x + w.bx.w)
                    .max()
                    .unwrap_or(0);
                let v = y1.min(z1).saturating_sub(y0.max(z0));
                let hx = x1.min(ox1).saturating_sub(x0.max(ox0));
                v * 5 >= (y1 - y0) * 2 && hx * 2 >= (x1 - x0)
            })
        });
        if overlaps {
            out[a..b].iter_mut().for_each(|f| *f = true);
        }
    }
    for (i, &(_, a, b)) in lines.iter().enumerate() {
        let others = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, &(_, c, d))| &words[c..d]);
        if marks_over_line(&words[a..b], others) {
            out[a..b].iter_mut().for_each(|f| *f = true);
        }
    }
    out
}

/// Whether the words of a line are provably the marks of another line
/// read as a line of their own (`% ๘ ๑ 8๕7` over a line of a column,
/// two such lines over one line of a letter): doubtful on the whole, no
/// Thai consonant read with confidence (one at most in eight words or
/// more), every word no taller than marks
/// stacked over a letter, and every word's bottom within half an x-height
/// of the top of the x-height of a line below, across its width. A line
/// of text above another has its baseline more than an x-height higher
/// (its own marks and the line spacing lie between), so it is never
/// taken. The line below is measured on its plain consonants (three at
/// least).
fn marks_over_line<'a>(ws: &[Word], mut others: impl Iterator<Item = &'a [Word]>) -> bool {
    if ws.is_empty() || ws.len() > 12 {
        return false;
    }
    let conf = ws.iter().map(|w| w.conf).sum::<f32>() / ws.len() as f32;
    // A mark is now and then read as a letter with confidence (`ส` for
    // stacked marks): one such letter is allowed among eight words or more,
    // a line of fewer words with a sure letter is kept.
    let sure_letters = ws
        .iter()
        .filter(|w| w.conf >= 90.0 && w.text.chars().any(|c| ('ก'..='ฮ').contains(&c)))
        .count();
    if conf >= 90.0 || sure_letters * 8 > ws.len() {
        return false;
    }
    let x0 = ws.iter().map(|w| w.bx.x).min().unwrap_or(0) as f32;
    let x1 = ws.iter().map(|w| w.bx.x + w.bx.w).max().unwrap_or(0) as f32;
    others.any(|line| {
        let plain: Vec<&Word> = line
            .iter()
            .filter(|w| is_plain_consonant(&w.text))
            .collect();
        if plain.len() < 3 {
            return false;
        }
        let mut hs: Vec<f32> = plain.iter().map(|w| w.bx.h as f32).collect();
        let mut tops: Vec<f32> = plain.iter().map(|w| w.bx.y as f32).collect();
        let (Some(xh), Some(top)) = (median(&mut hs), median(&mut tops)) else {
            return false;
        };
        let lx0 = line.iter().map(|w| w.bx.x).min().unwrap_or(0) as f32;
        let lx1 = line.iter().map(|w| w.bx.x + w.bx.w).max().unwrap_or(0) as f32;
        xh >= 4.0
            && x0 >= lx0 - xh
            && x1 <= lx1 + xh
            && ws.iter().all(|w| {
                let bottom = (w.bx.y + w.bx.h) as f32;
                w.bx.h as f32 <= 1.6 * xh && (bottom - top).abs() <= 0.5 * xh
            })
    })
}

/// Slope (rise over run) of the text lines of a page scanned askew, from
/// the projection profile: the slope at which the rows' ink counts vary
/// most. `None` when the page is level (under 0.25°) or has too little ink.
pub(crate) fn skew_slope(g: &Gray) -> Option<f64> {
    let step = (g.w / 700).max(1);
    let mut pts = Vec::new();
    for y in (0..g.h).step_by(step) {
        for x in (0..g.w).step_by(step) {
            if g.px[y * g.w + x] < 128 {
                pts.push(((x / step) as f64, (y / step) as f64));
            }
        }
    }
    if pts.len() < 500 {
        return None;
    }
    let (w, h) = ((g.w / step) as f64, (g.h / step) as f64);
    let score = |t: f64| -> f64 {
        let off = (w * t.abs()).ceil();
        let mut bins = vec![0f64; (h + 2.0 * off) as usize + 2];
        for &(x, y) in &pts {
            let i = (y - (x - w / 2.0) * t + off) as usize;
            if let Some(b) = bins.get_mut(i) {
                *b += 1.0;
            }
        }
        bins.iter().map(|b| b * b).sum()
    };
    let mut best = (0.0, score(0.0));
    for k in -30..=30 {
        let t = (f64::from(k) * 0.1f64).to_radians().tan();
        let s = score(t);
        if s > best.1 {
            best = (t, s);
        }
    }
    let centre = best.0;
    for k in -5..=5 {
        let t = centre + (f64::from(k) * 0.02f64).to_radians().tan();
        let s = score(t);
        if s > best.1 {
            best = (t, s);
        }
    }
    (best.0.atan().to_degrees().abs() >= 0.25).then_some(best.0)
}

/// Levels text lines of slope `t` by shifting each column vertically
/// (small angles: a shear is as good as a rotation, and cheaper).
pub(crate) fn unshear(g: &Gray, t: f64) -> Gray {
    let mut px = vec![255u8; g.w * g.h];
    let cx = g.w as f64 / 2.0;
    for x in 0..g.w {
        let dy = ((x as f64 - cx) * t).round() as i64;
        for y in 0..g.h {
            let sy = y as i64 + dy;
            if sy >= 0 && (sy as usize) < g.h {
                px[y * g.w + x] = g.px[sy as usize * g.w + x];
            }
        }
    }
    Gray { w: g.w, h: g.h, px }
}

/// The `ที่` that opens a letter number, read without its marks (`ท`,
/// `ทฑท่`) where the tone mark and the vowel above were too small for the
/// scan: restored when a letter number follows, so that the number is
/// found as one; a space read between the slash and the `ว` of a circular
/// letter (`/ ว ๑๖๓๗๕`) is closed on such a line. A line only changes when
/// it starts with such a word (up to four Thai letters and marks, the first
/// `ท`), then a department code of two or three consonants, then digits, a
/// full stop, digits and a slash: the shape of a letter number and nothing
/// else.
pub(crate) fn repair_number_labels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        match number_label_rest(line) {
            Some(rest) => {
                out.push_str("ที่ ");
                match rest.split_once("/ ว ") {
                    Some((a, b)) => {
                        out.push_str(a);
                        out.push_str("/ว ");
                        out.push_str(b);
                    }
                    None => out.push_str(rest),
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The rest of `line` after a `ที่` (as read, or garbled) followed by a
/// letter number.
fn number_label_rest(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let (label, rest) = line.split_once(char::is_whitespace)?;
    let n = label.chars().count();
    let thai = |c: char| ('\u{0E01}'..='\u{0E4E}').contains(&c);
    if !label.starts_with('ท') || n > 4 || !label.chars().all(thai) {
        return None;
    }
    let rest = rest.trim_start();
    let (code, number) = rest.split_once(char::is_whitespace)?;
    let consonant = |c: char| ('ก'..='ฮ').contains(&c);
    let code_len = code.chars().count();
    if !(2..=3).contains(&code_len) || !code.chars().all(consonant) {
        return None;
    }
    let mut chars = number.trim_start().chars();
    // Digits up to `end` (0 when anything else comes first).
    let digits = |it: &mut std::str::Chars, end: char| {
        for (count, c) in it.by_ref().enumerate() {
            if c == end {
                return count;
            }
            if digits::digit_value(c).is_none() {
                return 0;
            }
        }
        0
    };
    let before = digits(&mut chars, '.');
    let after = digits(&mut chars, '/');
    (before >= 2 && after >= 1).then_some(rest)
}

/// A page with (next to) no ink: nothing for the recogniser to read.
pub(crate) fn is_blank(g: &Gray) -> bool {
    let dark = g.px.iter().filter(|p| **p < 160).count();
    dark * 20_000 < g.px.len()
}

/// OCR text tidied: noise lines dropped, gaps inside syllables closed,
/// paragraphs unwrapped, tone marks lost above upper vowels restored (see
/// [`marks`]).
pub(crate) fn tidy_ocr(text: &str) -> String {
    let text = crate::normalize::repair(&text.replace('\x0C', "\n"));
    let kept: Vec<&str> = text.lines().filter(|l| !is_noise_line(l)).collect();
    let text = unwrap_lines(&anatomy::correct(&close_ocr_gaps(&kept.join("\n"))));
    marks::restore(&text, crate::segment::Segmenter::builtin())
}

/// What the recogniser reads into specks, rules and stamps: a line with no
/// Thai letter and at most three letters or digits (`a`, `AA y`, `=`).
fn is_noise_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && !t.chars().any(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
        && t.chars().filter(|c| c.is_alphanumeric()).count() <= 3
}

/// The pages of an image file, decoded one at a time.
pub(crate) struct PageReader<'a> {
    /// Resolution the file records (else 300).
    pub dpi: u32,
    inner: Pages<'a>,
}

enum Pages<'a> {
    Single(Option<Gray>),
    Tiff {
        dec: Box<tiff::decoder::Decoder<Cursor<&'a [u8]>>>,
        started: bool,
        failed: bool,
    },
}

fn caught<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, ExtractError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(ExtractError::Corrupt(e)),
        Err(_) => Err(ExtractError::Corrupt("image decoder failed".into())),
    }
}

fn plausible_dpi(dpi: Option<u32>) -> u32 {
    dpi.filter(|d| (70..=1200).contains(d)).unwrap_or(300)
}

impl<'a> PageReader<'a> {
    /// Reads the header (and, for PNG and JPEG, the one page).
    pub fn open(bytes: &'a [u8]) -> Result<PageReader<'a>, ExtractError> {
        if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            let (dec, dpi) = caught(|| {
                let mut dec = tiff::decoder::Decoder::new(Cursor::new(bytes))
                    .map_err(|e| format!("TIFF: {e}"))?;
                let dpi = tiff_dpi(&mut dec);
                Ok((dec, dpi))
            })?;
            return Ok(PageReader {
                dpi: plausible_dpi(dpi),
                inner: Pages::Tiff {
                    dec: Box::new(dec),
                    started: false,
                    failed: false,
                },
            });
        }
        let (page, dpi) = caught(|| {
            if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                decode_png(bytes)
            } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                decode_jpeg(bytes)
            } else {
                Err("not a PNG, JPEG or TIFF image".to_string())
            }
        })?;
        Ok(PageReader {
            dpi: plausible_dpi(dpi),
            inner: Pages::Single(Some(page)),
        })
    }

    /// The next page, `None` after the last.
    pub fn next_page(&mut self) -> Option<Result<Gray, ExtractError>> {
        match &mut self.inner {
            Pages::Single(p) => p.take().map(Ok),
            Pages::Tiff {
                dec,
                started,
                failed,
            } => {
                if *failed {
                    return None;
                }
                if *started {
                    if !dec.more_images() {
                        return None;
                    }
                    if let Err(e) = caught(|| dec.next_image().map_err(|e| format!("TIFF: {e}"))) {
                        *failed = true;
                        return Some(Err(e));
                    }
                }
                *started = true;
                let page = caught(|| decode_tiff_page(dec));
                if page.is_err() {
                    *failed = true;
                }
                Some(page)
            }
        }
    }

    /// Whether a page follows the last one read.
    pub fn has_more(&self) -> bool {
        match &self.inner {
            Pages::Single(p) => p.is_some(),
            Pages::Tiff {
                dec,
                started,
                failed,
            } => !*failed && (!*started || dec.more_images()),
        }
    }
}

/// Decodes an image file into grayscale pages (at most
/// [`MAX_IMAGE_PAGES`]), with its resolution (DPI) when the file records one
/// (else 300).
#[cfg(test)]
pub(crate) fn decode_image(bytes: &[u8]) -> Result<(Vec<Gray>, u32), ExtractError> {
    let mut reader = PageReader::open(bytes)?;
    let mut pages = Vec::new();
    while pages.len() < MAX_IMAGE_PAGES {
        match reader.next_page() {
            Some(p) => pages.push(p?),
            None => break,
        }
    }
    if pages.is_empty() {
        return Err(ExtractError::Corrupt("image has no pages".into()));
    }
    Ok((pages, reader.dpi))
}

type Decoded = Result<(Gray, Option<u32>), String>;

fn check_size(w: usize, h: usize) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("empty image".into());
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(format!("image of {w}×{h} pixels is too large"));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Decoded {
    let mut dec = png::Decoder::new(Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| format!("PNG: {e}"))?;
    let (w, h) = (reader.info().width as usize, reader.info().height as usize);
    check_size(w, h)?;
    let dpi = reader.info().pixel_dims.and_then(|d| match d.unit {
        png::Unit::Meter => Some((f64::from(d.xppu) * 0.0254).round() as u32),
        png::Unit::Unspecified => None,
    });
    let size = reader.output_buffer_size().ok_or("PNG: size overflow")?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG: {e}"))?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("PNG: palette not expanded".into()),
    };
    let px = to_luma(&buf, info.line_size, w, h, channels);
    Ok((Gray { w, h, px }, dpi))
}

fn decode_jpeg(bytes: &[u8]) -> Decoded {
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(60_000)
        .set_max_height(60_000);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), opts);
    dec.decode_headers().map_err(|e| format!("JPEG: {e:?}"))?;
    let (w, h) = dec.dimensions().ok_or("JPEG: no dimensions")?;
    check_size(w, h)?;
    let px = dec.decode().map_err(|e| format!("JPEG: {e:?}"))?;
    let channels = px.len() / (w * h).max(1);
    if channels == 0 {
        return Err("JPEG: short image data".into());
    }
    let px = if channels == 1 {
        px
    } else {
        to_luma(&px, w * channels, w, h, channels)
    };
    Ok((Gray { w, h, px }, None))
}

type TiffDecoder<'a> = tiff::decoder::Decoder<Cursor<&'a [u8]>>;

fn tiff_dpi(dec: &mut TiffDecoder) -> Option<u32> {
    let per_cm = dec.get_tag_u32(tiff::tags::Tag::ResolutionUnit).ok() == Some(3);
    match dec.find_tag(tiff::tags::Tag::XResolution) {
        Ok(Some(tiff::decoder::ifd::Value::Rational(n, d))) if n > 0 && d > 0 => {
            let r = f64::from(n) / f64::from(d);
            Some((if per_cm { r * 2.54 } else { r }).round() as u32)
        }
        _ => None,
    }
}

/// Decodes the TIFF page the decoder stands on.
fn decode_tiff_page(dec: &mut TiffDecoder) -> Result<Gray, String> {
    use tiff::ColorType;
    use tiff::decoder::DecodingResult;
    let (w, h) = dec.dimensions().map_err(|e| format!("TIFF: {e}"))?;
    let (w, h) = (w as usize, h as usize);
    check_size(w, h)?;
    let color = dec.colortype().map_err(|e| format!("TIFF: {e}"))?;
    let data = dec.read_image().map_err(|e| format!("TIFF: {e}"))?;
    let px = match (color, data) {
        (ColorType::Gray(1), DecodingResult::U8(d)) => unpack_bits(&d, w, h),
        (ColorType::Gray(8), DecodingResult::U8(d)) => d,
        (ColorType::Gray(16), DecodingResult::U16(d)) => d.iter().map(|v| (v >> 8) as u8).collect(),
        (ColorType::GrayA(8), DecodingResult::U8(d)) => to_luma(&d, w * 2, w, h, 2),
        (ColorType::RGB(8), DecodingResult::U8(d)) => to_luma(&d, w * 3, w, h, 3),
        (ColorType::RGBA(8), DecodingResult::U8(d)) => to_luma(&d, w * 4, w, h, 4),
        (c, _) => return Err(format!("TIFF: unsupported colour type {c:?}")),
    };
    if px.len() < w * h {
        return Err("TIFF: short image data".into());
    }
    Ok(Gray { w, h, px })
}

/// 1-bit rows (padded to bytes, 1 = white after the decoder's photometric
/// handling) to 8-bit gray.
fn unpack_bits(d: &[u8], w: usize, h: usize) -> Vec<u8> {
    let stride = w.div_ceil(8);
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let bit = d
                .get(y * stride + x / 8)
                .map_or(1, |b| (b >> (7 - x % 8)) & 1);
            px.push(if bit == 1 { 255 } else { 0 });
        }
    }
    px
}

/// Interleaved gray/colour rows to luma (alpha composited on white).
fn to_luma(buf: &[u8], stride: usize, w: usize, h: usize, channels: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let i = y * stride + x * channels;
            let s = buf
                .get(i..i + channels)
                .unwrap_or(&[255, 255, 255, 255][..channels.min(4)]);
            let (v, a) = match channels {
                1 => (u32::from(s[0]), 255),
                2 => (u32::from(s[0]), u32::from(s[1])),
                3 => (
                    (u32::from(s[0]) * 299 + u32::from(s[1]) * 587 + u32::from(s[2]) * 114) / 1000,
                    255,
                ),
                _ => (
                    (u32::from(s[0]) * 299 + u32::from(s[1]) * 587 + u32::from(s[2]) * 114) / 1000,
                    u32::from(s[3]),
                ),
            };
            px.push(((v * a + 255 * (255 - a)) / 255) as u8);
        }
    }
    px
}

/// Parses a binary PGM (`P5`, 8-bit), as `pdftoppm -gray` writes.
pub(crate) fn parse_pgm(b: &[u8]) -> Option<Gray> {
    let mut fields = Vec::with_capacity(4);
    let mut i = 0;
    while fields.len() < 4 {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'#') {
            if b[i] == b'#' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(b.get(start..i)?).ok()?);
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return None;
    }
    let w: usize = fields[1].parse().ok()?;
    let h: usize = fields[2].parse().ok()?;
    let data = b.get(i + 1..)?;
    if w == 0 || h == 0 || w.checked_mul(h)? > MAX_PIXELS || data.len() < w * h {
        return None;
    }
    Some(Gray {
        w,
        h,
        px: data[..w * h].to_vec(),
    })
}

fn to_pgm(g: &Gray) -> Vec<u8> {
    let mut out = format!("P5\n{} {}\n255\n", g.w, g.h).into_bytes();
    out.extend_from_slice(&g.px);
    out
}

/// Share of dark pixels with no dark neighbour: near zero for clean text,
/// high for salt-and-pepper noise.
pub(crate) fn speckle_ratio(g: &Gray) -> f64 {
    let (w, h) = (g.w, g.h);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let dark = |x: usize, y: usize| g.px[y * w + x] < 128;
    let (mut total, mut alone) = (0usize, 0usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if !dark(x, y) {
                continue;
            }
            total += 1;
            let neighbours = [
                (x - 1, y - 1),
                (x, y - 1),
                (x + 1, y - 1),
                (x - 1, y),
                (x + 1, y),
                (x - 1, y + 1),
                (x, y + 1),
                (x + 1, y + 1),
            ];
            if !neighbours.iter().any(|&(a, b)| dark(a, b)) {
                alone += 1;
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        alone as f64 / total as f64
    }
}

/// Specks taken off a page without wearing its strokes down (a 3×3
/// median filter breaks the thin strokes of 200 dpi digits: `๗` into
/// pieces). A dark component of one or two pixels turns white; a light
/// pixel with at least seven dark neighbours (a speck of white inside a
/// stroke) turns dark. Every other pixel stays as scanned.
pub(crate) fn despeckle(g: &Gray) -> Gray {
    let (w, h) = (g.w, g.h);
    let mut px = g.px.clone();
    if w < 3 || h < 3 {
        return Gray { w, h, px };
    }
    let dark = |x: usize, y: usize| g.px[y * w + x] < 128;
    // Dark neighbours of an inner pixel, and the last one found.
    let around = |x: usize, y: usize| {
        let mut n = 0;
        let mut last = (x, y);
        for (dx, dy) in [
            (0, 0),
            (1, 0),
            (2, 0),
            (0, 1),
            (2, 1),
            (0, 2),
            (1, 2),
            (2, 2),
        ] {
            let (a, b) = (x + dx - 1, y + dy - 1);
            if dark(a, b) {
                n += 1;
                last = (a, b);
            }
        }
        (n, last)
    };
    let inner = |x: usize, y: usize| x >= 1 && y >= 1 && x + 1 < w && y + 1 < h;
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let (n, (a, b)) = around(x, y);
            if !dark(x, y) {
                if n >= 7 {
                    px[y * w + x] = 0;
                }
                continue;
            }
            let alone = n == 0 || (n == 1 && inner(a, b) && around(a, b).0 == 1);
            if alone {
                px[y * w + x] = 255;
            }
        }
    }
    Gray { w, h, px }
}

/// 3×3 median filter (edges copied).
pub(crate) fn median3(g: &Gray) -> Gray {
    let (w, h) = (g.w, g.h);
    let mut px = g.px.clone();
    if w < 3 || h < 3 {
        return Gray { w, h, px };
    }
    let mut win = [0u8; 9];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let mut k = 0;
            for dy in 0..3 {
                let row = (y + dy - 1) * w;
                win[k..k + 3].copy_from_slice(&g.px[row + x - 1..row + x + 2]);
                k += 3;
            }
            win.sort_unstable();
            px[y * w + x] = win[4];
        }
    }
    Gray { w, h, px }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(w: usize, h: usize) -> Gray {
        Gray {
            w,
            h,
            px: vec![255; w * h],
        }
    }

    #[test]
    fn number_label_read_without_its_marks_is_restored() {
        // Seed 2 pages 005 and 053 at 200 dpi, speckled: every digit right,
        // the `ที่` read without its marks.
        assert_eq!(
            repair_number_labels("ทฑท่ ภก ๒๖๖๘.๕๔/ ว ๑๖๓๗๕\nกระทรวง"),
            "ที่ ภก ๒๖๖๘.๕๔/ว ๑๖๓๗๕\nกระทรวง"
        );
        assert_eq!(
            repair_number_labels("ซ่\nท สธ ๒๑๖๑.๑๓/ว ๙๑๔๕๕"),
            "ซ่\nที่ สธ ๒๑๖๑.๑๓/ว ๙๑๔๕๕"
        );
        assert_eq!(
            repair_number_labels("ที่ ภก ๒๖๖๘.๕๔/ ว ๑๖๓๗๕"),
            "ที่ ภก ๒๖๖๘.๕๔/ว ๑๖๓๗๕"
        );
        // Anything else stays as read.
        for line in [
            "ที่ สธ ๒๑๖๑.๑๓/ว ๙๑๔๕๕",
            "ทาง หลวง ๓๒๑.๕/๒",
            "ตาม สธ ๒๑๖๑.๑๓/ ว ๙๑๔๕๕",
            "ท สธ ๒๑๖๑ ๑๓",
            "ทั้งนี้ ตามหนังสือ ๑๒.๕/๒๕๖๖",
            "ท กข1 ๒๑๖๑.๑/ว ๙",
            "โทร. ๐ ๒๑๕๔ ๙๐๒๐",
        ] {
            assert_eq!(repair_number_labels(line), line);
        }
    }

    #[test]
    fn marks_read_as_lines_over_a_line_are_dropped() {
        let w =
            |line: (u32, u32, u32), x: usize, y: usize, wd: usize, h: usize, conf: f32, t: &str| {
                Word {
                    line,
                    bx: BoxPx { x, y, w: wd, h },
                    conf,
                    text: t.into(),
                }
            };
        // Seed 2 page 013 (200 dpi, column re-read): `% ๕ ๑ 8๕7` over a
        // line whose x-height is 25 px from row 636.
        let mut words = vec![
            w((5, 1, 1), 250, 621, 18, 11, 28.0, "%"),
            w((5, 1, 1), 625, 617, 18, 16, 55.0, "๕"),
            w((5, 1, 1), 693, 622, 21, 11, 27.0, "๑"),
            w((5, 1, 1), 730, 604, 8, 39, 67.0, "8"),
            w((5, 1, 1), 737, 604, 11, 39, 58.0, "๕"),
            w((5, 1, 1), 739, 608, 21, 25, 92.0, "7"),
        ];
        for k in 0..20 {
            let t = ["ม", "ค", "ร"][k % 3];
            words.push(w((5, 1, 2), 246 + 30 * k, 636, 20, 25, 95.0, t));
        }
        // A line of text above another at single spacing (baseline 40 px
        // over the next x-height), doubtful as it may be: kept.
        for k in 0..10 {
            let t = ["๑", "ฆ", "7"][k % 3];
            words.push(w((6, 1, 1), 246 + 30 * k, 700, 20, 25, 50.0, t));
        }
        for k in 0..20 {
            let t = ["ม", "ค", "ร"][k % 3];
            words.push(w((6, 1, 2), 246 + 30 * k, 765, 20, 25, 95.0, t));
        }
        let stray = stray_marks(&words);
        assert!(stray[..6].iter().all(|f| *f), "{stray:?}");
        assert!(stray[6..].iter().all(|f| !*f), "{stray:?}");
        // A sure Thai consonant among the marks: not provably marks.
        words[2].text = "ก".into();
        words[2].conf = 93.0;
        assert!(!stray_marks(&words)[..6].iter().any(|f| *f));
    }

    #[test]
    fn marks_found_as_a_line_of_their_own_are_dropped() {
        let w = |line: u32, x: usize, y: usize, h: usize, conf: f32, text: &str| Word {
            line: (1, 1, line),
            bx: BoxPx { x, y, w: 30, h },
            conf,
            text: text.into(),
        };
        let mut words = Vec::new();
        // Tone marks over the line below, read as `ฆ ๒ =`.
        for (k, t) in ["ฆ", "๒", "="].iter().enumerate() {
            words.push(w(1, 100 + 200 * k, 195, 15, 30.0, t));
        }
        for k in 0..20 {
            words.push(w(2, 40 * k, 200, 38, 95.0, "ก"));
        }
        // A line of its own further down, printed small and read unsure.
        for (k, t) in ["๑", "๒"].iter().enumerate() {
            words.push(w(3, 100 + 40 * k, 300, 15, 50.0, t));
        }
        let drop = stray_marks(&words);
        assert!(drop[..3].iter().all(|d| *d));
        assert!(!drop[3..].iter().any(|d| *d));
        let txt = "ฆ ๒ =\nกกกกกกกกกกกกกกกกกกกก\n๑๒\n";
        let (text, _) = reread_digits(&page(1000, 400), txt, &words, &[], false);
        assert_eq!(
            text.trim_start(),
            "\nกกกกกกกกกกกกกกกกกกกก\n๑๒\n".trim_start()
        );
    }

    #[test]
    fn marks_over_a_line_with_one_letter_read_sure_are_dropped() {
        // The marks over `ซึ่งเป็นผลจากการที่รัฐบาล…` of a rotated 300 dpi
        // Garuda letter, read as a line `ส4% ๕ ส๑๐ เ7 ขย` (word boxes as
        // tesseract gave them): one `ส` read with confidence 93.
        let w = |line: u32, x: usize, y: usize, wd: usize, h: usize, conf: f32, text: &str| Word {
            line: (5, 2, line),
            bx: BoxPx { x, y, w: wd, h },
            conf,
            text: text.into(),
        };
        let marks = [
            (372, 1176, 25, 30, 42.0, "ส"),
            (387, 1172, 16, 39, 68.0, "4%"),
            (449, 1188, 24, 16, 67.0, "๕"),
            (764, 1176, 24, 28, 93.0, "ส"),
            (791, 1172, 18, 39, 82.0, "๑"),
            (808, 1189, 17, 13, 65.0, "๐"),
            (976, 1187, 21, 16, 85.0, "เ"),
            (991, 1172, 12, 38, 0.0, "7"),
            (1283, 1188, 11, 15, 81.0, "ข"),
            (1293, 1171, 16, 39, 47.0, "ย"),
        ];
        let below = [
            (368, 1180, 42, 81, 92.0, "ซึ"),
            (434, 1208, 11, 33, 96.0, "ง"),
            (522, 1207, 20, 34, 97.0, "น"),
            (591, 1208, 17, 32, 93.0, "จ"),
            (640, 1207, 23, 34, 97.0, "ก"),
            (713, 1208, 12, 32, 97.0, "ร"),
            (738, 1208, 17, 32, 93.0, "ท"),
            (795, 1180, 136, 81, 39.0, "รัฐบาล"),
            (1001, 1207, 22, 33, 97.0, "ส"),
            (1329, 1208, 20, 32, 97.0, "ก"),
        ];
        let mut words: Vec<Word> = marks
            .iter()
            .map(|&(x, y, wd, h, c, t)| w(1, x, y, wd, h, c, t))
            .collect();
        words.extend(
            below
                .iter()
                .map(|&(x, y, wd, h, c, t)| w(2, x, y, wd, h, c, t)),
        );
        let drop = stray_marks(&words);
        assert!(drop[..marks.len()].iter().all(|d| *d));
        assert!(!drop[marks.len()..].iter().any(|d| *d));
        // With a second sure letter, it is kept.
        let mut sure = words.clone();
        for w in sure.iter_mut().take(1) {
            w.text = "ก".into();
            w.conf = 95.0;
        }
        assert!(!stray_marks(&sure)[..marks.len()].iter().any(|d| *d));
    }

    #[test]
    fn words_of_misread_digits_are_told_from_text() {
        for w in ["๕ฆ", "ฆ่๐๒๐", "๕๗%๖", "ส๒ฒ๕๒9", "๖๗ญ๒"] {
            assert!(is_mixed_digits(w), "{w}");
        }
        for w in ["พ.ศ.๒๕๓๔", "(3.1)", "13ความเห็น", "SDGs2", "ข้อ๑", "กทม."]
        {
            assert!(!is_mixed_digits(w), "{w}");
        }
        for w in ["ฆ", "ฆ่", "ญ", "%", "@"] {
            assert!(looks_like_digit(w), "{w}");
        }
        for w in ["ก", "ต้อง", "น", "สธ"] {
            assert!(!looks_like_digit(w), "{w}");
        }
    }

    #[test]
    fn a_reading_without_its_parenthesis_keeps_tesseracts_shape() {
        // The reader's digits where tesseract read digits, its signs kept.
        assert!(same_shape(".๒๕๖๖-๒๕๖๙", ".๒๕๒๐-๒๕๐๑"));
        // A digit too many (the parenthesis read as `๑`) or a sign moved.
        assert!(!same_shape(".๒๕๖๖-๒๕๖๙๑", ".๒๕๒๐-๒๕๐๑"));
        assert!(!same_shape("๒๕๖๖๒-๕๖๙", "๒๕๖๖-๒๕๖๙"));
    }

    #[test]
    fn noise_lines_are_dropped() {
        let raw = "ด่วนที่สุด\n\na\n\nAA y\n=\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\nPage 12\n";
        assert_eq!(tidy_ocr(raw), "ด่วนที่สุด\n\n\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\nPage 12");
    }

    #[test]
    fn pgm_round_trip_and_bad_headers() {
        let mut g = page(4, 3);
        g.px[5] = 0;
        let Some(back) = parse_pgm(&to_pgm(&g)) else {
            panic!("PGM must parse");
        };
        assert_eq!(back, g);
        assert!(parse_pgm(b"P6\n4 3\n255\n").is_none());
        assert!(parse_pgm(b"P5\n4 3\n255\nabc").is_none());
        assert!(parse_pgm(b"P5\n# c\n").is_none());
        assert!(parse_pgm(b"").is_none());
    }

    #[test]
    fn specks_are_found_and_removed() {
        let mut g = page(40, 40);
        // A solid stroke: not specks.
        for y in 5..35 {
            g.px[y * 40 + 20] = 0;
            g.px[y * 40 + 21] = 0;
        }
        assert!(speckle_ratio(&g) < SPECKLE_RATIO);
        // Scattered isolated dots.
        for k in 0..30 {
            let (x, y) = (2 + (k * 7) % 15, 2 + (k * 11) % 36);
            g.px[y * 40 + x] = 0;
        }
        assert!(speckle_ratio(&g) > SPECKLE_RATIO);
        // Two dots side by side are a speck too.
        g.px[30 * 40 + 30] = 0;
        g.px[30 * 40 + 31] = 0;
        // A hole in a thick stroke.
        for y in 5..15 {
            for x in 30..33 {
                g.px[y * 40 + x] = 0;
            }
        }
        g.px[10 * 40 + 31] = 255;
        let m = median3(&g);
        assert!(speckle_ratio(&m) < SPECKLE_RATIO);
        assert_eq!(m.px[20 * 40 + 20], 0);
        let m = despeckle(&g);
        assert!(speckle_ratio(&m) < SPECKLE_RATIO);
        assert_eq!(m.px[30 * 40 + 30], 255);
        assert_eq!(m.px[30 * 40 + 31], 255);
        assert_eq!(m.px[10 * 40 + 31], 0);
        // The stroke survives the filter whole.
        for y in 5..35 {
            assert_eq!(m.px[y * 40 + 20], 0);
            assert_eq!(m.px[y * 40 + 21], 0);
        }
        // So does a hairline (the tail of a 200 dpi `๗`), which the
        // median filter wipes out.
        for k in 0..8 {
            g.px[(20 + k) * 40 + 24 + k] = 0;
        }
        assert_eq!(median3(&g).px[24 * 40 + 28], 255);
        let m = despeckle(&g);
        for k in 0..8 {
            assert_eq!(m.px[(20 + k) * 40 + 24 + k], 0);
        }
    }

    #[test]
    fn bits_and_colours_to_gray() {
        assert_eq!(unpack_bits(&[0b1010_0000], 3, 1), vec![255, 0, 255]);
        assert_eq!(
            to_luma(&[255, 0, 0, 255, 255, 255], 6, 2, 1, 3),
            vec![76, 255]
        );
        assert_eq!(to_luma(&[0, 0], 2, 1, 1, 2), vec![255]);
    }

    /// A TIFF of `n` small pages, each with a black bar (not blank).
    fn tiff_pages(n: usize) -> Vec<u8> {
        use tiff::encoder::{TiffEncoder, colortype};
        let mut buf = Cursor::new(Vec::new());
        let Ok(mut enc) = TiffEncoder::new(&mut buf) else {
            panic!("encoder");
        };
        let mut px = vec![255u8; 64 * 64];
        px[32 * 64..33 * 64].fill(0);
        for _ in 0..n {
            if enc.write_image::<colortype::Gray8>(64, 64, &px).is_err() {
                panic!("encode");
            }
        }
        buf.into_inner()
    }

    #[test]
    fn tiff_pages_are_read_one_at_a_time_up_to_the_cap() {
        let bytes = tiff_pages(MAX_IMAGE_PAGES + 20);
        let Ok(mut r) = PageReader::open(&bytes) else {
            panic!("TIFF must open");
        };
        let mut n = 0;
        while n < MAX_IMAGE_PAGES {
            match r.next_page() {
                Some(Ok(g)) => assert_eq!((g.w, g.h), (64, 64)),
                other => panic!("page {n}: {:?}", other.map(|p| p.map(|g| g.w))),
            }
            n += 1;
        }
        assert!(r.has_more());
        let Ok((pages, dpi)) = decode_image(&bytes) else {
            panic!("TIFF must decode");
        };
        assert_eq!((pages.len(), dpi), (MAX_IMAGE_PAGES, 300));
        let Ok((pages, _)) = decode_image(&tiff_pages(2)) else {
            panic!("TIFF must decode");
        };
        assert_eq!(pages.len(), 2);
    }

    #[test]
    fn skew_is_found_and_levelled() {
        // Ten lines of ink sloping 1.5° downwards to the right.
        let mut g = page(1400, 1000);
        let t = 1.5f64.to_radians().tan();
        for line in 0..10 {
            for x in 100..1300 {
                let y = 100 + line * 80 + ((x as f64 - 700.0) * t).round() as i64;
                for dy in 0..6 {
                    g.px[(y + dy) as usize * 1400 + x] = 0;
                }
            }
        }
        let Some(found) = skew_slope(&g) else {
            panic!("skew must be found");
        };
        assert!((found.atan().to_degrees() - 1.5).abs() < 0.1, "{found}");
        let level = unshear(&g, found);
        assert!(skew_slope(&level).is_none());
        assert!(skew_slope(&page(1400, 1000)).is_none());
    }

    #[test]
    fn blank_pages_are_told_apart() {
        let mut g = page(100, 100);
        assert!(is_blank(&g));
        g.px[..300].fill(0);
        assert!(!is_blank(&g));
    }

    #[test]
    fn undecodable_images_are_corrupt() {
        for b in [
            &b"junk"[..],
            b"\x89PNG\r\n\x1a\nxx",
            b"\xFF\xD8\xFF\xE0",
            b"II*\0\x08\0\0\0",
        ] {
            assert!(matches!(decode_image(b), Err(ExtractError::Corrupt(_))));
        }
    }

    #[test]
    fn ocr_disabled_or_missing_tesseract() {
        let mut opts = ExtractOptions::with_tools(super::super::Tools::none());
        assert!(matches!(
            extract_image(b"x", None, &opts),
            Err(ExtractError::ToolMissing { .. })
        ));
        opts.ocr = false;
        assert!(matches!(
            extract_image(b"x", None, &opts),
            Err(ExtractError::Unsupported(_))
        ));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::extract::tests::{cer, fixture};
    use crate::extract::{Kind, Tools, extract_bytes};

    #[test]
    fn fixture_scans_decode_and_specks_are_told_apart() {
        let clean = decode_image(&fixture("corpus/fixtures/scan_letter_300dpi.png"));
        let Ok((pages, dpi)) = clean else {
            panic!("PNG must decode")
        };
        assert_eq!((pages.len(), dpi), (1, 300));
        let clean_ratio = speckle_ratio(&pages[0]);
        let Ok((pages, _)) = decode_image(&fixture("corpus/fixtures/scan_letter_noisy.jpg")) else {
            panic!("JPEG must decode")
        };
        let noisy_ratio = speckle_ratio(&pages[0]);
        let Ok((pages, dpi)) =
            decode_image(&fixture("corpus/fixtures/scan_letter_speckled_200dpi.png"))
        else {
            panic!("PNG must decode")
        };
        assert_eq!(dpi, 200);
        let speck_ratio = speckle_ratio(&pages[0]);
        eprintln!(
            "speckle ratios: clean {clean_ratio:.4} noisy {noisy_ratio:.4} speckled {speck_ratio:.4}"
        );
        assert!(clean_ratio < SPECKLE_RATIO / 4.0 && noisy_ratio < SPECKLE_RATIO / 2.0);
        assert!(speck_ratio > SPECKLE_RATIO * 2.0);
        let Ok((pages, dpi)) = decode_image(&fixture("corpus/fixtures/letter_2pages.tif")) else {
            panic!("TIFF must decode")
        };
        assert_eq!((pages.len(), dpi), (2, 200));
        // Group 4 bilevel pages come out as black text on white.
        let dark = pages[0].px.iter().filter(|p| **p < 128).count();
        assert!(dark > 0 && dark * 10 < pages[0].px.len());
    }

    /// OCR of the fixture scans against the text they were printed from.
    #[test]
    fn fixture_scans_read_by_ocr() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let truth =
            String::from_utf8_lossy(&fixture("corpus/fixtures/scan_letter.truth")).to_string();
        for (file, max_cer) in [
            ("scan_letter_300dpi.png", 0.08),
            ("scan_letter_noisy.jpg", 0.10),
            ("scan_letter_speckled_200dpi.png", 0.10),
        ] {
            let bytes = fixture(&format!("corpus/fixtures/{file}"));
            let ex = match extract_bytes(&bytes, Kind::Image, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            assert_eq!(ex.format, Format::ImageOcr);
            let c = cer(&truth, &ex.text);
            eprintln!("{file}: CER {:.2}%", c * 100.0);
            assert!(c < max_cer, "{file}: CER {c:.3}\n{}", ex.text);
            assert!(ex.text.contains("ศาลากลางจังหวัดระยอง"));
        }
        let letter =
            String::from_utf8_lossy(&fixture("corpus/seeds/003_42c590216e999c55.txt")).to_string();
        let Ok(ex) = extract_bytes(
            &fixture("corpus/fixtures/letter_2pages.tif"),
            Kind::Image,
            &opts,
        ) else {
            panic!("TIFF must OCR")
        };
        let c = cer(&letter, &ex.text);
        eprintln!("letter_2pages.tif: CER {:.2}%", c * 100.0);
        assert!(c < 0.12, "CER {c}");
        assert!(ex.text.contains("ขอแสดงความนับถือ"), "second page read");
        assert_eq!(ex.warnings, ["2 pages read by OCR"]);
    }

    /// The digit path on generated letter headers: the letter number and
    /// the date are read exactly (`scripts/ocr_bench_gen.py --fixtures`).
    #[test]
    fn generated_scans_give_letter_number_and_date() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let Ok(tagger) = crate::tag::Tagger::builtin() else {
            panic!("tagger");
        };
        let truth: serde_json::Value =
            match serde_json::from_slice(&fixture("corpus/fixtures/scan_header.truth.json")) {
                Ok(v) => v,
                Err(e) => panic!("truth: {e}"),
            };
        let Some(cases) = truth.as_array() else {
            panic!("truth is a list");
        };
        assert_eq!(cases.len(), 2);
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match digits::digit_value(c) {
                    Some(v) => char::from_digit(v, 10).unwrap_or(c),
                    None => c,
                })
                .collect()
        };
        for case in cases {
            let file = case["file"].as_str().unwrap_or_default();
            let bytes = fixture(&format!("corpus/fixtures/{file}"));
            let ex = match extract_bytes(&bytes, Kind::Image, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            let t = crate::pipeline::tag_extracted(&tagger, &ex);
            let want = fold(case["number"].as_str().unwrap_or_default());
            let numbers: Vec<String> = t.doc_numbers.iter().map(|n| fold(&n.number)).collect();
            assert!(
                numbers.contains(&want),
                "{file}: number {want} not in {numbers:?}\n{}",
                ex.text
            );
            assert_eq!(
                t.doc_date.as_deref(),
                case["date"].as_str(),
                "{file}\n{}",
                ex.text
            );
            assert!(
                ex.text.contains("เรื่อง ") && ex.text.contains("เรียน "),
                "{file}"
            );
            assert!(!ex.ocr_digits.is_empty(), "{file}: digit runs kept");
        }
    }
}

#[cfg(test)]
mod digit_crop_tests {
    use super::*;
    use crate::extract::tests::fixture;
    use crate::extract::{Kind, Tools, extract_bytes};

    /// Lines cut from generated pages (`scripts/ocr_bench_gen.py
    /// --digit-crops`, kept out of corpus/fixtures so that whole-corpus tests
    /// do not take these few lines for documents) where the Thai model misreads digits: `๗` read as `ฆ`
    /// after `มาตรา` and glued after `๕`, digits in parentheses, a phone
    /// number on a line with no plain letter to measure, `๙` read as `ฆ`
    /// and a tone mark at the start of a phone number. Each line's digits
    /// come out as printed, and so does the text around them.
    #[test]
    fn misread_digits_in_body_lines_are_read_again() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let cases: serde_json::Value = match serde_json::from_slice(&fixture(
            "tests/fixtures/ocr_digits/scan_digits.truth.json",
        )) {
            Ok(v) => v,
            Err(e) => panic!("truth: {e}"),
        };
        let Some(cases) = cases.as_array() else {
            panic!("truth is a list");
        };
        assert_eq!(cases.len(), 7);
        let digits_of = |s: &str| -> String {
            s.chars()
                .filter_map(digits::digit_value)
                .filter_map(|v| char::from_digit(v, 10))
                .collect()
        };
        let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        for case in cases {
            let file = case["file"].as_str().unwrap_or_default();
            let line = case["line"].as_str().unwrap_or_default();
            let needle = case["digits"].as_str().unwrap_or_default();
            let ex = match extract_bytes(
                &fixture(&format!("tests/fixtures/ocr_digits/{file}")),
                Kind::Image,
                &opts,
            ) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            let want = digits_of(line);
            assert!(
                !want.is_empty() && digits_of(&ex.text).contains(&want),
                "{file}: digits {want} of {line:?} not read in\n{}",
                ex.text
            );
            assert!(
                squeeze(&ex.text).contains(&squeeze(needle)),
                "{file}: {needle:?} not in\n{}",
                ex.text
            );
        }
    }
    /// Date lines of scanned letters (`tests/fixtures/ocr_dates`): a day
    /// read as one blob with a sign and then taken for Latin, and a day
    /// read as a letter glued to the month; a month read a letter and its
    /// marks off (`มอนายน`) with its day read as a letter; a lone day
    /// tesseract read as a line of its own, apart from its month (found
    /// left of the month by `digits::lone_day`). The day is read by the
    /// digit reader, the line comes out as printed and the letter gets its
    /// date.
    #[test]
    fn date_lines_of_scanned_letters_are_read() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let Ok(tagger) = crate::tag::Tagger::builtin() else {
            panic!("tagger");
        };
        let cases: serde_json::Value =
            match serde_json::from_slice(&fixture("tests/fixtures/ocr_dates/truth.json")) {
                Ok(v) => v,
                Err(e) => panic!("truth: {e}"),
            };
        let Some(cases) = cases.as_array() else {
            panic!("truth is a list");
        };
        assert_eq!(cases.len(), 5);
        for case in cases {
            let file = case["file"].as_str().unwrap_or_default();
            let line = case["date_line"].as_str().unwrap_or_default();
            let iso = case["doc_date"].as_str().unwrap_or_default();
            let ex = match extract_bytes(
                &fixture(&format!("tests/fixtures/ocr_dates/{file}")),
                Kind::Image,
                &opts,
            ) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            assert!(
                ex.text.lines().any(|l| l.trim() == line),
                "{file}: {line} not a line of\n{}",
                ex.text
            );
            let t = crate::pipeline::tag_extracted(&tagger, &ex);
            assert_eq!(t.doc_date.as_deref(), Some(iso), "{file}");
        }
    }

    /// Number lines of 200 dpi letters (`tests/fixtures/ocr_numbers`):
    /// digits printed touching on a bilevel page, cut apart and read;
    /// a `/` not taken for a `7` in a Thai number; a code letter read as
    /// a digit corrected by the letterhead; Sawasdee's `๔`, `๘`, `๙` on
    /// pages with the specks taken off (not read `๕`, `๕`, `๓`); digits
    /// tesseract read as letters or signs glued after the run it gave
    /// digits (`๓๐๑๙ฝผ่` for `๓๐๑๙๙`, `.»/ว` for `.๖/ว`). The number comes
    /// out exactly as printed, and the tagger finds it.
    #[test]
    fn number_lines_of_200dpi_letters_are_read() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let Ok(tagger) = crate::tag::Tagger::builtin() else {
            panic!("tagger");
        };
        let cases: serde_json::Value = match serde_json::from_slice(&fixture(
            "tests/fixtures/ocr_numbers/scan_numbers.truth.json",
        )) {
            Ok(v) => v,
            Err(e) => panic!("truth: {e}"),
        };
        let Some(cases) = cases.as_array() else {
            panic!("truth is a list");
        };
        assert_eq!(cases.len(), 8);
        for case in cases {
            let file = case["file"].as_str().unwrap_or_default();
            let number = case["number"].as_str().unwrap_or_default();
            let ex = match extract_bytes(
                &fixture(&format!("tests/fixtures/ocr_numbers/{file}")),
                Kind::Image,
                &opts,
            ) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            assert!(
                ex.text.contains(&format!("ที่ {number}")),
                "{file}: ที่ {number} not in\n{}",
                ex.text
            );
            let t = crate::pipeline::tag_extracted(&tagger, &ex);
            let fold = |s: &str| -> String {
                s.chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| match digits::digit_value(c) {
                        Some(v) => char::from_digit(v, 10).unwrap_or(c),
                        None => c,
                    })
                    .collect()
            };
            let numbers: Vec<String> = t.doc_numbers.iter().map(|n| fold(&n.number)).collect();
            assert!(
                numbers.contains(&fold(number)),
                "{file}: {number} not in {numbers:?}"
            );
        }
    }
}

#[cfg(test)]
mod column_tests {
    use super::*;
    use crate::extract::tests::{cer, fixture};
    use crate::extract::{Kind, Tools, extract_bytes};

    /// Two-column pages of the benchmark (`scripts/ocr_bench_gen.py
    /// --column-pages tests/fixtures/ocr_columns`): the gutter is found,
    /// the left column is read before the right one (read line by line
    /// across the gutter, the text's CER is over 20%), and the letter
    /// number and date above the columns are read exactly.
    #[test]
    fn two_column_pages_are_read_column_by_column() {
        let cases: serde_json::Value = match serde_json::from_slice(&fixture(
            "tests/fixtures/ocr_columns/scan_twocol.truth.json",
        )) {
            Ok(v) => v,
            Err(e) => panic!("truth: {e}"),
        };
        let Some(cases) = cases.as_array() else {
            panic!("truth is a list");
        };
        assert!(!cases.is_empty());
        let tools = Tools::detect();
        let tesseract = tools.tesseract.is_some();
        let opts = ExtractOptions::with_tools(tools);
        let Ok(tagger) = crate::tag::Tagger::builtin() else {
            panic!("tagger");
        };
        for case in cases {
            let file = case["file"].as_str().unwrap_or_default();
            let bytes = fixture(&format!("tests/fixtures/ocr_columns/{file}"));
            let Ok((pages, dpi)) = decode_image(&bytes) else {
                panic!("{file}: PNG must decode");
            };
            let page = median3(&pages[0]);
            let bands = columns::find(&page, dpi, skew_slope(&page));
            assert_eq!(bands.len(), 1, "{file}: {bands:?}");
            if !tesseract {
                eprintln!(
                    "skipped OCR: tesseract with Thai is not installed ({TESSERACT_INSTALL})"
                );
                continue;
            }
            let ex = match extract_bytes(&bytes, Kind::Image, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            let truth = case["truth"].as_str().unwrap_or_default();
            let c = cer(truth, &ex.text);
            eprintln!("{file}: CER {:.2}%", c * 100.0);
            assert!(c < 0.10, "{file}: CER {c:.3}\n{}", ex.text);
            let t = crate::pipeline::tag_extracted(&tagger, &ex);
            let squeeze =
                |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
            let want = squeeze(case["number"].as_str().unwrap_or_default());
            let numbers: Vec<String> = t.doc_numbers.iter().map(|n| squeeze(&n.number)).collect();
            assert!(
                numbers.contains(&want),
                "{file}: {want} not in {numbers:?}\n{}",
                ex.text
            );
            assert_eq!(
                t.doc_date.as_deref(),
                case["date"].as_str(),
                "{file}\n{}",
                ex.text
            );
        }
    }
}
