//! Tone marks that OCR loses above upper vowels, restored by the dictionary.
//!
//! tesseract reads each word from a crop of the page whose top is the
//! line's ascender height. A tone mark stacked over an upper vowel (`ยิ่ง`,
//! `เกี่ยว`, `ที่`, `ทั้ง`) stands above that height, so it is cut off
//! before the recogniser sees it, though it is plainly printed: the word is
//! read without it (`ยิง`, `เกียว`, `ที`, `ทัง`). For the same reason the
//! ring of `ำ` over a tone mark is lost (`ย้ำ` read `ย้า`).
//!
//! [`restore`] puts such a mark back only where the dictionary shows it was
//! lost: in a run of Thai letters, at an upper vowel with no tone mark (or
//! an `า` after a tone mark), the reading with the mark replaces the one
//! read when the run's cheapest segmentation (negative log word frequency,
//! see [`crate::segment`]) becomes cheaper by at least [`MARGIN`] — the
//! words with the mark are many times more common (`ทีอำเภอ` → `ที่อำเภอ`) or
//! only with it are the letters words at all (`เกียวกับ` → `เกี่ยวกับ`). A run
//! that is a dictionary word as read is never changed, and neither is any
//! other character.

use crate::segment::Segmenter;
use crate::thai::{is_consonant, is_run_char};

/// How much cheaper (in natural-log frequency units) a reading with a
/// restored mark must segment: `e^4`, about 55 times more likely.
const MARGIN: f32 = 4.0;
/// Characters each side of a candidate that the two readings are compared on.
const WINDOW: usize = 24;

/// Upper vowels a tone mark stacks on.
fn is_upper_vowel(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E37}')
}

/// Tone marks, and the marks that take a tone mark's place (`็`, `์`).
fn is_top_mark(c: char) -> bool {
    matches!(c, '\u{0E47}'..='\u{0E4C}')
}

/// Titles before a person's name: a name is not a dictionary word and may
/// be spelled without a mark that common words have (`นายเรืองศักดิ์`,
/// `น.ส.ทิพานัน`), so a name and the surname after it are left as read
/// (with the rest of a run after a title: `นายกรัฐมนตรี` loses no mark).
const TITLES: [&str; 5] = ["นางสาว", "นาย", "นาง", "น.ส.", "ดร."];

/// `text` with lost tone marks restored (see the module docs); other text
/// comes back unchanged.
pub(crate) fn restore(text: &str, seg: &Segmenter) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut run = String::new();
    // Whether the last run was a titled name, and what followed it since.
    let mut name_before = false;
    let mut gap = String::new();
    let flush = |out: &mut String, run: &mut String, name_before: &mut bool, gap: &mut String| {
        let before = out.trim_end();
        let after_title = TITLES.iter().any(|t| before.ends_with(t));
        let surname = *name_before && gap.as_str() == " ";
        // A title inside the run (`โดยมีนายเรืองศักดิ์`): what comes before
        // it is repaired, the name is not.
        let title_at = TITLES.iter().filter_map(|t| run.find(t)).min();
        if after_title || surname {
            out.push_str(run);
        } else if let Some(k) = title_at {
            out.push_str(&restore_run(&run[..k], seg));
            out.push_str(&run[k..]);
        } else {
            out.push_str(&restore_run(run, seg));
        }
        *name_before = after_title || title_at.is_some();
        gap.clear();
        run.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        // A word wrapped at a single line break is one run: the break
        // stays where it is, the letters are read across it.
        let wrapped = c == '\n'
            && run.chars().last().is_some_and(is_run_char)
            && chars.get(k + 1).copied().is_some_and(is_run_char);
        if is_run_char(c) || wrapped {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            flush(&mut out, &mut run, &mut name_before, &mut gap);
        }
        gap.push(c);
        out.push(c);
    }
    if !run.is_empty() {
        flush(&mut out, &mut run, &mut name_before, &mut gap);
    }
    out
}

/// One run of Thai letters with its lost marks restored.
fn restore_run(run: &str, seg: &Segmenter) -> String {
    let mut cs: Vec<char> = run.chars().collect();
    if cs.len() < 2 || seg.is_word(run) {
        return run.to_string();
    }
    let mut i = 1;
    while i < cs.len() {
        let prev = cs[i - 1];
        let next = cs.get(i + 1).copied();
        let mut variants: Vec<Vec<char>> = Vec::new();
        if is_upper_vowel(cs[i]) && is_consonant(prev) && !next.is_some_and(is_top_mark) {
            for mark in ['\u{0E48}', '\u{0E49}'] {
                let mut v = cs.clone();
                v.insert(i + 1, mark);
                variants.push(v);
            }
        } else if cs[i] == 'า'
            && matches!(prev, '\u{0E48}' | '\u{0E49}')
            && i >= 2
            && is_consonant(cs[i - 2])
        {
            let mut v = cs.clone();
            v[i] = 'ำ';
            variants.push(v);
        }
        if !variants.is_empty() {
            let lo = i.saturating_sub(WINDOW);
            let cost = |v: &[char], hi: usize| {
                let s: String = v[lo..hi.min(v.len())]
                    .iter()
                    .filter(|c| **c != '\n')
                    .collect();
                seg.split_cost(&s).unwrap_or(f32::INFINITY)
            };
            let hi = i + 1 + WINDOW;
            let now = cost(&cs, hi);
            let best = variants
                .into_iter()
                .map(|v| {
                    // The window of a longer reading ends one character later.
                    let c = cost(&v, hi + v.len() - cs.len());
                    (c, v)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((c, v)) = best
                && c + MARGIN <= now
            {
                cs = v;
            }
        }
        i += 1;
    }
    cs.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        restore(s, Segmenter::builtin())
    }

    #[test]
    fn marks_lost_above_upper_vowels_are_restored() {
        // Read by tesseract from a 300 dpi letter in Kinnari (the marks
        // printed, cut off the recogniser's crop).
        assert_eq!(
            fix("บทบัญญัติบางประการเกียวกับการจำกัดสิทธิ"),
            "บทบัญญัติบางประการเกี่ยวกับการจำกัดสิทธิ"
        );
        assert_eq!(fix("พื้นทีอำเภอแม่สาย"), "พื้นที่อำเภอแม่สาย");
        assert_eq!(
            fix("ขอส่งสำเนาคำสังแต่งตังคณะกรรมการ"),
            "ขอส่งสำเนาคำสั่งแต่งตั้งคณะกรรมการ"
        );
        assert_eq!(fix("ขอย้าให้ทุกหน่วยงาน"), "ขอย้ำให้ทุกหน่วยงาน");
        // Past a name, the text is repaired again.
        assert_eq!(
            fix("นายเรืองศักดิ์ สุวารี ทีอำเภอแม่สาย"),
            "นายเรืองศักดิ์ สุวารี ที่อำเภอแม่สาย"
        );
    }

    #[test]
    fn words_read_right_are_left_alone() {
        for s in [
            "ที่ผ่านมา",
            "ทีมงานของกระทรวง",
            "ยิงปืน",
            "ที",
            "มัน",
            "สิทธิและเสรีภาพของบุคคล",
            "การประชุมครั้งที่ ๒",
            "ทีละคน",
            "hello ที่ 12",
            // Names, after a title, and the surname after a titled name.
            "โดยมีนายเรืองศักดิ์ สุวารี อธิบดี",
            "น.ส.ทิพานัน ศิริชนะ กล่าวว่า",
            "นายสมเดช บุญเรืองขาว ปลัดกระทรวง",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn marks_are_restored_in_a_word_wrapped_at_a_line_break() {
        // `เรื่อง` read `เรือง` (a word too) at the end of a line of a
        // rotated 300 dpi Norasi letter: the next line decides.
        assert_eq!(
            fix("ประกาศ ลงวันที่ ๑ มกราคม ๒๕๖๓ เรือง\nการกำหนดเงื่อนไขในการ"),
            "ประกาศ ลงวันที่ ๑ มกราคม ๒๕๖๓ เรื่อง\nการกำหนดเงื่อนไขในการ"
        );
        // The break stays where it was; a name wrapped after its title is
        // left as read; a paragraph break is not crossed.
        for s in [
            "โดยมีนาย\nเรืองศักดิ์ สุวารี เป็นประธาน",
            "ขอแสดงความนับถือ\n\nยิง",
            "เรือง\n\nการกำหนดเงื่อนไขในการ",
        ] {
            assert_eq!(fix(s), s);
        }
    }
}
