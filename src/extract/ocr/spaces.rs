//! Spaces that OCR puts inside Thai words, taken out by the word boxes.
//!
//! Thai is printed without spaces between words; a space stands only
//! between phrases and is as wide as a space of the font. tesseract writes
//! a space wherever the gap between two glyphs looks wide enough to it, and
//! on a noisy or levelled scan a gap inside a word sometimes does
//! (`ลักษณะต้องห้ามจะ อยู่ใน`, `เตือนภ ัย`). Such a space splits the word
//! for search: the phrase as printed is not found.
//!
//! [`join`] measures, on the word boxes of tesseract's TSV output, the gap
//! at every space between two Thai letters of a line, and takes a space
//! out only when its gap is clearly narrower than the page's own spaces
//! (at most [`NARROW`] of their median, and of the line's height) and
//! the dictionary does not prefer the two parts apart (the joined letters
//! segment no dearer than the two parts). Every other space stays, and no
//! other character changes.

use super::Word;
use crate::normalize::repair;
use crate::segment::Segmenter;
use crate::thai::{is_consonant, is_run_char};

/// A gap this share of the page's median space gap, or narrower, is not a
/// printed space.
const NARROW: f32 = 0.45;
/// Nor is a gap this share of the median line height or narrower (bounds
/// the rule on a page whose spaces are few and ragged).
const NARROW_OF_HEIGHT: f32 = 0.25;
/// How much cheaper (natural-log frequency) the letters must segment
/// without a `ว` read from a detached mark for it to be dropped.
const STRAY_MARGIN: f32 = 4.0;
/// Letters each side of a space that the readings are compared on.
const WINDOW: usize = 24;
/// Spaces measured before the page's median is trusted.
const MIN_SPACES: usize = 8;

/// `txt` (tesseract's text output) with the spaces inside Thai words
/// taken out (see the module docs), and `words` with the letters taken
/// out with them (a stray `ว`), so that the two still match word for word.
/// Both come back unchanged when the characters of `txt` cannot be matched
/// to `words`.
pub(crate) fn join(txt: &str, words: &[Word], seg: &Segmenter) -> (String, Vec<Word>) {
    let unchanged = || (txt.to_string(), words.to_vec());
    let chars: Vec<char> = txt.chars().collect();
    // Where each word is in the text (its characters, whitespace aside).
    let mut spans = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in words {
        while at < chars.len() && chars[at].is_whitespace() {
            at += 1;
        }
        let wc: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.get(at..at + wc.len()) != Some(&wc[..]) {
            return unchanged();
        }
        spans.push((at, at + wc.len()));
        at += wc.len();
    }
    // Spaces between two words of a line: (word after, gap in pixels).
    let mut spaces: Vec<(usize, f32)> = Vec::new();
    for k in 1..words.len() {
        let (a, b) = (&words[k - 1], &words[k]);
        let between = &chars[spans[k - 1].1..spans[k].0];
        if a.line != b.line || between.is_empty() || !between.iter().all(|c| *c == ' ') {
            continue;
        }
        let gap = b.bx.x as f32 - (a.bx.x + a.bx.w) as f32;
        spaces.push((k, gap.max(0.0)));
    }
    let mut gaps: Vec<f32> = spaces.iter().map(|s| s.1).collect();
    let mut heights: Vec<f32> = words.iter().map(|w| w.bx.h as f32).collect();
    let (Some(space), Some(height)) = (super::median(&mut gaps), super::median(&mut heights))
    else {
        return unchanged();
    };
    if gaps.len() < MIN_SPACES {
        return unchanged();
    }
    let limit = (NARROW * space).min(NARROW_OF_HEIGHT * height);
    let mut drop = vec![false; chars.len()];
    let mut stray = vec![false; words.len()];
    for &(k, gap) in &spaces {
        if gap > limit || near_digits(words, k) || on_number_line(words, k) {
            continue;
        }
        let (end, start) = (spans[k - 1].1, spans[k].0);
        let left = run_before(&chars, &drop, end);
        let right = run_after(&chars, start);
        match joined(&left, &right, seg) {
            Space::Keep => continue,
            Space::Join => {}
            Space::DropStray => {
                drop[start] = true;
                stray[k] = true;
            }
        }
        for d in drop.iter_mut().take(start).skip(end) {
            *d = true;
        }
    }
    let text = chars
        .iter()
        .zip(&drop)
        .filter(|(_, d)| !**d)
        .map(|(c, _)| *c)
        .collect();
    let words = words
        .iter()
        .zip(&stray)
        .filter_map(|(w, s)| {
            let mut w = w.clone();
            if *s {
                w.text = w.text.chars().skip(1).collect();
            }
            (!w.text.is_empty()).then_some(w)
        })
        .collect();
    (text, words)
}

/// Whether a word beside the space before `words[k]` holds a digit: the
/// digit reader reads such words again, by whether they are glued.
fn near_digits(words: &[Word], k: usize) -> bool {
    let line = words[k].line;
    words[k.saturating_sub(2)..(k + 2).min(words.len())]
        .iter()
        .filter(|w| w.line == line)
        .any(|w| {
            w.text
                .chars()
                .any(|c| super::digits::digit_value(c).is_some())
        })
}

/// Whether `words[k]` is on a letter's number line (`ที่ สธ ๐๒๐๑/ว ๑๒`): a
/// line opening with `ที่` (or its `ที` read without the mark) that holds
/// a digit. Its spaces stay: the line is read by them.
fn on_number_line(words: &[Word], k: usize) -> bool {
    let line = words[k].line;
    let first = (0..=k)
        .rev()
        .take_while(|&i| words[i].line == line)
        .last()
        .unwrap_or(k);
    let text: String = words[first..]
        .iter()
        .take_while(|w| w.line == line)
        .map(|w| w.text.as_str())
        .collect();
    text.starts_with("ที")
        && text
            .chars()
            .any(|c| super::digits::digit_value(c).is_some())
}

/// The last [`WINDOW`] Thai letters of `chars` before `end`, across the
/// spaces already taken out (`dropped`) and line breaks (a word wraps
/// onto the next line).
fn run_before(chars: &[char], dropped: &[bool], end: usize) -> String {
    let mut run: Vec<char> = chars[..end]
        .iter()
        .zip(dropped)
        .rev()
        .take_while(|(c, d)| **d || **c == '\n' || is_run_char(**c))
        .filter(|(c, d)| !**d && is_run_char(**c))
        .map(|(c, _)| *c)
        .take(WINDOW)
        .collect();
    run.reverse();
    run.into_iter().collect()
}

/// The first [`WINDOW`] Thai letters of `chars` from `start` on.
fn run_after(chars: &[char], start: usize) -> String {
    chars[start..]
        .iter()
        .take_while(|c| is_run_char(**c))
        .take(WINDOW)
        .collect()
}

/// What to do with a narrow space between two runs of Thai letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    /// Leave the space.
    Keep,
    /// Take the space out.
    Join,
    /// Take the space out and the `ว` after it, a detached upper vowel's
    /// stroke read as a letter (`ภ วัย` for `ภัย`).
    DropStray,
}

/// Whether `left` and `right` may be one word: both Thai letters, and the
/// joined letters segment no dearer than the two parts apart. A `ว` that
/// opens `right` after a consonant is dropped too when the letters without
/// it segment cheaper by at least [`STRAY_MARGIN`].
fn joined(left: &str, right: &str, seg: &Segmenter) -> Space {
    // The costs are of the letters as they will be stored (`ํา` is `ำ`).
    let (left, right) = (&repair(left), &repair(right));
    let both = format!("{left}{right}");
    let (Some(j), Some(l), Some(r)) = (
        seg.split_cost(&both),
        seg.split_cost(left),
        seg.split_cost(right),
    ) else {
        return Space::Keep;
    };
    if j > l + r + 1e-3 {
        return Space::Keep;
    }
    if let Some(rest) = right.strip_prefix('ว')
        && left.chars().last().is_some_and(is_consonant)
        && rest.chars().next().is_some_and(|c| c != 'ว')
        && let Some(s) = seg.split_cost(&format!("{left}{rest}"))
        && s + STRAY_MARGIN <= j
    {
        return Space::DropStray;
    }
    Space::Join
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ocr::digits::BoxPx;

    /// The words of one printed line as tesseract gives them: each part
    /// with the gap in pixels before it (glyphs 20 px wide, 40 px high).
    fn line(n: u32, parts: &[(&str, usize)]) -> Vec<Word> {
        let mut x = 100;
        parts
            .iter()
            .map(|(text, gap)| {
                x += gap;
                let w = 20 * text.chars().count();
                let word = Word {
                    line: (1, 1, n),
                    bx: BoxPx {
                        x,
                        y: 100 + 60 * n as usize,
                        w,
                        h: 40,
                    },
                    conf: 90.0,
                    text: text.to_string(),
                };
                x += w;
                word
            })
            .collect()
    }

    /// tesseract's text of `words`: a space before each word with a gap.
    fn text(words: &[Word]) -> String {
        let mut out = String::new();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                if w.line != words[k - 1].line {
                    out.push('\n');
                } else if w.bx.x > words[k - 1].bx.x + words[k - 1].bx.w {
                    out.push(' ');
                }
            }
            out.push_str(&w.text);
        }
        out
    }

    /// Two lines of a letter with the page's phrase spaces (26 px).
    fn page(narrow: &[(&str, usize)]) -> Vec<Word> {
        let mut words = line(
            1,
            &[
                ("ด้วย", 0),
                ("กระทรวง", 0),
                ("แจ้งว่า", 26),
                ("คณะรัฐมนตรี", 26),
                ("ได้มีมติ", 26),
                ("เมื่อวันที่", 26),
                ("๒๑", 25),
                ("พฤศจิกายน", 27),
                ("๒๕๖๐", 26),
                ("เห็นชอบ", 24),
            ],
        );
        words.extend(line(2, narrow));
        words.extend(line(
            3,
            &[
                ("และ", 0),
                ("ประกาศใช้", 0),
                ("วาระ", 26),
                ("แห่งชาติ", 28),
                ("เพื่อ", 25),
                ("การพัฒนา", 26),
            ],
        ));
        words
    }

    #[test]
    fn narrow_spaces_inside_words_are_taken_out() {
        let seg = Segmenter::builtin();
        let words = page(&[
            ("ผู้มีลักษณะต้องห้ามจะ", 0),
            ("อยู่ในที่ประชุม", 4),
            ("ในขณะ", 0),
            ("พิจารณา", 3),
            ("มิได้", 26),
        ]);
        let got = join(&text(&words), &words, seg).0;
        assert!(
            got.contains("ผู้มีลักษณะต้องห้ามจะอยู่ในที่ประชุมในขณะพิจารณา มิได้"),
            "{got}"
        );
        // The page's own spaces all stay.
        assert!(
            got.contains("แจ้งว่า คณะรัฐมนตรี ได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐ เห็นชอบ"),
            "{got}"
        );
        assert!(got.contains("ประกาศใช้ วาระ แห่งชาติ เพื่อ การพัฒนา"), "{got}");
    }

    #[test]
    fn a_space_as_wide_as_the_pages_stays() {
        let seg = Segmenter::builtin();
        let words = page(&[("ต้องห้ามจะ", 0), ("อยู่ในที่ประชุม", 22)]);
        let txt = text(&words);
        assert_eq!(join(&txt, &words, seg).0, txt);
    }

    #[test]
    fn a_narrow_space_next_to_digits_or_latin_stays() {
        let seg = Segmenter::builtin();
        let words = page(&[
            ("ที่", 0),
            ("๒๕๖๗", 3),
            ("ลงวันที่", 26),
            ("ABC", 3),
            ("ระบบ", 3),
        ]);
        let txt = text(&words);
        assert_eq!(join(&txt, &words, seg).0, txt);
    }

    #[test]
    fn a_wa_read_from_a_detached_vowel_is_dropped_with_the_space() {
        let seg = Segmenter::builtin();
        // `ภัย` read `ภ วัย`, `สร้าง` read `ส วร้าง`, the first across a
        // line break.
        let mut words = page(&[("ผนึกกำลังส", 0), ("วร้างสรรค์", 2)]);
        words.extend(line(4, &[("เพื่อเตือ", 0)]));
        words.extend(line(5, &[("นภ", 0), ("วัยให้ประชาชน", 1)]));
        let got = join(&text(&words), &words, seg).0;
        assert!(got.contains("\nผนึกกำลังสร้างสรรค์\n"), "{got}");
        assert!(got.ends_with("\nเพื่อเตือ\nนภัยให้ประชาชน"), "{got}");
    }

    #[test]
    fn a_wa_that_belongs_stays() {
        let seg = Segmenter::builtin();
        // `ส วน` joined is `สวน` (a garden), not `สน`.
        let words = page(&[("ไป", 0), ("เที่ยว", 26), ("ส", 26), ("วนสาธารณะ", 2)]);
        let got = join(&text(&words), &words, seg).0;
        assert!(got.contains("ไป เที่ยว สวนสาธารณะ"), "{got}");
    }

    #[test]
    fn unchanged_when_words_do_not_match_or_spaces_are_few() {
        let seg = Segmenter::builtin();
        let words = page(&[("ต้องห้ามจะ", 0), ("อยู่", 3)]);
        assert_eq!(join("อื่น ๆ", &words, seg).0, "อื่น ๆ");
        let few = line(1, &[("ต้องห้ามจะ", 0), ("อยู่", 3), ("ในที่", 26)]);
        let txt = text(&few);
        assert_eq!(join(&txt, &few, seg).0, txt);
    }

    #[test]
    fn the_spaces_of_a_number_line_stay() {
        let seg = Segmenter::builtin();
        // As read from a skewed 300 dpi Norasi letter: a word a letter, the
        // code close after the label.
        let words = page(&[
            ("ท", 0),
            ("ี่", 0),
            ("สธ์", 5),
            ("๐๖๑๘.๘๕/ว", 25),
            ("๔๑๐๑", 26),
        ]);
        let txt = text(&words);
        assert_eq!(join(&txt, &words, seg).0, txt);
        // Without a digit the line is text like any other.
        let words = page(&[("ที", 0), ("่", 0), ("สธ์", 3), ("ประชุม", 26)]);
        let got = join(&text(&words), &words, seg).0;
        assert!(got.contains("\nที่สธ์ ประชุม\n"), "{got}");
    }

    #[test]
    fn words_lose_the_stray_letter_with_the_text() {
        let seg = Segmenter::builtin();
        let words = page(&[("เตือนภ", 0), ("วั", 2), ("ยให้ประชาชน", 0)]);
        let (got, kept) = join(&text(&words), &words, seg);
        assert!(got.contains("\nเตือนภัยให้ประชาชน\n"), "{got}");
        let texts: String = kept.iter().map(|w| w.text.as_str()).collect();
        let bare: String = got.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(texts, bare);
        assert_eq!(kept.len(), words.len());
    }
}
