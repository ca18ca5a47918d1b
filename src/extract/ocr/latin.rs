//! Latin words inside Thai text, read again with tesseract's English model.
//!
//! Thai letters quote English names and acronyms (`SDGs`, `ASEAN`,
//! `COVID-19`). The Thai model reads them as strings of Thai letters and
//! digits with low confidence (`(ครธิแผ|แไล`, `5แรเฆทล2ไว6`), which invents
//! digits that are not on the page. Lines holding such words are cut out,
//! stacked into one image and read once with `eng`; an English word read
//! with high confidence replaces the Thai words under it when the Thai model
//! was unsure of them.

use super::digits::BoxPx;
use super::{Gray, LineId, Word};

/// Thai-model confidence under which a word is doubtful.
const DOUBT: f32 = 70.0;
/// English-model confidence a word needs to replace the Thai reading.
const SURE: f32 = 85.0;
/// Mean Thai-model confidence of the words replaced must be below this.
const THAI_UNSURE: f32 = 80.0;

/// One line cut out of the page and where it went in the stacked image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cut {
    /// The line's box on the page (padded).
    pub page: BoxPx,
    /// Top row of the cut in the stacked image.
    pub top: usize,
    /// The line (tesseract's block, paragraph, line).
    pub line: LineId,
}

fn ascii_letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_ascii_alphabetic()).count()
}

/// Thai-model confidence under which a word of three characters or more
/// is a garbled Latin word on its own (`SDGs` read `50668` at 8).
const GARBLED: f32 = 20.0;

fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E5B}').contains(&c)
}

/// Thai digits next to Arabic ones (`(๐` `0` `ง` for `(CO`): a real
/// number is written in one script, so the pair is a Latin word misread.
fn mixed_digit_scripts(a: &Word, b: &Word) -> bool {
    let thai_digit = |w: &Word| w.text.chars().any(|c| ('๐'..='๙').contains(&c));
    let arabic_digit = |w: &Word| w.text.chars().any(|c| c.is_ascii_digit());
    let gap = b.bx.x as i64 - (a.bx.x + a.bx.w) as i64;
    let close = gap < (a.bx.h.max(b.bx.h) / 3) as i64;
    a.line == b.line
        && close
        && ((thai_digit(a) && arabic_digit(b)) || (arabic_digit(a) && thai_digit(b)))
}

/// Thai digits opening a chain of up to six close words of one line that
/// also holds Arabic digits (`(๐` `๐` `ง` `ไท` `-` `19)` for `(COVID-19)`):
/// one printed word, and no number is printed in both scripts. Close:
/// apart by less than half the taller word's height.
fn mixed_in_chain(words: &[Word]) -> bool {
    let thai_digit = |w: &Word| w.text.chars().any(|c| ('๐'..='๙').contains(&c));
    let Some(first) = words.first().filter(|w| thai_digit(w)) else {
        return false;
    };
    let mut prev = first;
    for w in words.iter().skip(1).take(5) {
        let gap = w.bx.x as i64 - (prev.bx.x + prev.bx.w) as i64;
        if w.line != first.line || gap >= (prev.bx.h.max(w.bx.h) / 2) as i64 {
            return false;
        }
        if w.text.chars().any(|c| c.is_ascii_digit()) {
            return true;
        }
        prev = w;
    }
    false
}

/// Lines that may hold Latin words: two doubtful words among four in a
/// row, a word with Latin letters, a longer word the Thai model could
/// hardly read, or Thai and Arabic digits side by side.
pub(crate) fn suspect_lines(words: &[Word]) -> Vec<LineId> {
    let mut out: Vec<LineId> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if out.last() == Some(&w.line) {
            continue;
        }
        let window = words[k..]
            .iter()
            .take(4)
            .take_while(|o| o.line == w.line)
            .filter(|o| o.conf < DOUBT)
            .count();
        let garbled = w.conf < GARBLED && w.text.chars().count() >= 3;
        let mixed = words.get(k + 1).is_some_and(|n| mixed_digit_scripts(w, n))
            || mixed_in_chain(&words[k..]);
        if (w.conf < DOUBT && window >= 2) || ascii_letters(&w.text) >= 2 || garbled || mixed {
            out.push(w.line);
        }
    }
    out.dedup();
    out
}

/// The suspect lines cut out and stacked one under the other on a white
/// page, with the place of each.
pub(crate) fn stack(page: &Gray, words: &[Word], lines: &[LineId]) -> Option<(Gray, Vec<Cut>)> {
    let mut cuts = Vec::new();
    let mut top = 0usize;
    let mut width = 0usize;
    for &line in lines {
        let ws: Vec<&Word> = words.iter().filter(|w| w.line == line).collect();
        let x0 = ws.iter().map(|w| w.bx.x).min()?;
        let x1 = ws.iter().map(|w| w.bx.x + w.bx.w).max()?;
        let y0 = ws.iter().map(|w| w.bx.y).min()?;
        let y1 = ws.iter().map(|w| w.bx.y + w.bx.h).max()?;
        let pad = (y1 - y0) / 3 + 4;
        let bx = BoxPx {
            x: x0.saturating_sub(pad),
            y: y0.saturating_sub(pad),
            w: (x1 + pad).min(page.w) - x0.saturating_sub(pad),
            h: (y1 + pad).min(page.h) - y0.saturating_sub(pad),
        };
        top += pad;
        cuts.push(Cut {
            page: bx,
            top,
            line,
        });
        top += bx.h;
        width = width.max(bx.w + 2 * pad);
    }
    if cuts.is_empty() {
        return None;
    }
    let h = top + cuts.last().map_or(0, |c| c.page.h / 2);
    let mut px = vec![255u8; width * h];
    for c in &cuts {
        let left = (width - c.page.w) / 2;
        for y in 0..c.page.h {
            let src = (c.page.y + y) * page.w + c.page.x;
            let dst = (c.top + y) * width + left;
            px[dst..dst + c.page.w].copy_from_slice(&page.px[src..src + c.page.w]);
        }
    }
    Some((Gray { w: width, h, px }, cuts))
}

/// Word ranges `[a, b)` of `words` (the Thai reading) to replace by the
/// text given, from the English reading `eng` of the stacked image.
pub(crate) fn replacements(
    words: &[Word],
    eng: &[Word],
    cuts: &[Cut],
    width: usize,
) -> Vec<(usize, usize, String)> {
    // Each English word mapped to the Thai words whose centres it covers.
    let mut hits: Vec<(usize, usize, String)> = Vec::new();
    for e in eng {
        if e.conf < SURE || ascii_letters(&e.text) < 2 || !e.text.is_ascii() {
            continue;
        }
        let cy = e.bx.y + e.bx.h / 2;
        let Some(cut) = cuts.iter().find(|c| c.top <= cy && cy < c.top + c.page.h) else {
            continue;
        };
        let left = (width - cut.page.w) / 2;
        let Some(x0) = (e.bx.x + cut.page.x).checked_sub(left) else {
            continue;
        };
        let x1 = x0 + e.bx.w;
        let under: Vec<usize> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.line == cut.line)
            .filter(|(_, w)| {
                let c = w.bx.x + w.bx.w / 2;
                x0 <= c && c < x1
            })
            .map(|(k, _)| k)
            .collect();
        let (Some(&a), Some(&b)) = (under.first(), under.last()) else {
            continue;
        };
        match hits.last_mut() {
            Some(h) if h.1 + 2 >= a && a >= h.0 && words[h.0].line == words[a].line => {
                h.1 = h.1.max(b);
                h.2.push(' ');
                h.2.push_str(&e.text);
            }
            _ => hits.push((a, b, e.text.clone())),
        }
    }
    hits.into_iter()
        .filter(|(a, b, t)| {
            let ws = &words[*a..=*b];
            let mean = ws.iter().map(|w| w.conf).sum::<f32>() / ws.len() as f32;
            // A short English reading may be digits taken for letters
            // (`๑๖` read `od`): only a word of four letters or more
            // overrides sure Thai, or digits however read.
            let digits_only = ws.iter().all(|w| {
                w.text
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
            });
            let long = ascii_letters(t) >= 4;
            (mean < THAI_UNSURE && (long || !digits_only)) || (long && garbled(ws))
        })
        .map(|(a, b, t)| (a, b + 1, t))
        .collect()
}

/// Thai words that are no Thai text, however sure the model was of most
/// letters: Arabic digits or Latin letters glued to Thai letters, some of
/// them doubtful (`0อ๐1อ6หลกอฮอ` for `tolerance)`), or Thai and Arabic
/// digits side by side (`(๐` `0` `ง` for `(CO`). A number after a Thai
/// word is set apart by a space and stays.
fn garbled(ws: &[Word]) -> bool {
    let doubtful = ws.iter().any(|w| w.conf < DOUBT);
    let thai_glued_to_ascii = doubtful
        && ws.iter().enumerate().any(|(k, w)| {
            let has_ascii = |w: &Word| w.text.chars().any(|c| c.is_ascii_alphanumeric());
            let has_thai = |w: &Word| w.text.chars().any(is_thai);
            let touching = |a: &Word, b: &Word| {
                a.line == b.line
                    && (b.bx.x as i64) - ((a.bx.x + a.bx.w) as i64) < (a.bx.h / 4) as i64
            };
            (has_ascii(w) && has_thai(w))
                || ws.get(k + 1).is_some_and(|n| {
                    touching(w, n)
                        && ((has_ascii(w) && has_thai(n)) || (has_thai(w) && has_ascii(n)))
                })
        });
    // Under one sure English word, Thai and Arabic digits anywhere
    // (`(๐` `๐` `ง` `ไท` `-` `19)` for `(COVID-19)`): no number is printed
    // in both scripts.
    let thai_digit = ws
        .iter()
        .any(|w| w.text.chars().any(|c| ('๐'..='๙').contains(&c)));
    let arabic_digit = ws
        .iter()
        .any(|w| w.text.chars().any(|c| c.is_ascii_digit()));
    thai_glued_to_ascii
        || (thai_digit && arabic_digit)
        || ws.windows(2).any(|p| mixed_digit_scripts(&p[0], &p[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(line: u32, x: usize, conf: f32, text: &str) -> Word {
        Word {
            line: (1, 1, line),
            bx: BoxPx {
                x,
                y: 100 * line as usize,
                w: 20,
                h: 30,
            },
            conf,
            text: text.into(),
        }
    }

    #[test]
    fn doubtful_runs_and_latin_mark_lines() {
        let words = vec![
            word(1, 0, 95.0, "ก"),
            word(1, 20, 40.0, "ฝ"),
            word(1, 40, 95.0, "ข"),
            word(1, 60, 30.0, "6แ"),
            word(2, 0, 95.0, "ก"),
            word(2, 20, 40.0, "ฝ"),
            word(3, 0, 90.0, "SDG"),
        ];
        assert_eq!(suspect_lines(&words), vec![(1, 1, 1), (1, 1, 3)]);
    }

    #[test]
    fn hardly_read_words_and_mixed_digit_scripts_mark_lines() {
        // `SDGs` read `50668` at confidence 8 among sure Thai words.
        let mut words = vec![
            word(1, 0, 96.0, "โยง"),
            word(1, 40, 8.0, "50668"),
            word(1, 200, 96.0, "กับ"),
            // `(COVID` read `(๐` `0` `ง` with confidence.
            word(2, 0, 95.0, "(๐"),
            word(2, 22, 94.0, "0"),
            word(2, 44, 78.0, "ง"),
            // A sure number after a Thai word, and a lone speck: no Latin.
            word(3, 0, 96.0, "ข้อ"),
            word(3, 60, 92.0, "108"),
            word(4, 0, 10.0, "ฯ"),
        ];
        assert_eq!(suspect_lines(&words), vec![(1, 1, 1), (1, 1, 2)]);
        // Thai digits far from Arabic ones (`๒๕๖๖` then `(2019)`) are not mixed.
        words[4].bx.x = 200;
        assert_eq!(suspect_lines(&words), vec![(1, 1, 1)]);
        // The Thai digits of `(COVID` a few close words before the Arabic
        // digits of `-19)`, every word read with some confidence.
        let covid = vec![
            word(5, 0, 96.0, "(๐"),
            word(5, 22, 82.0, "๐"),
            word(5, 44, 92.0, "ง"),
            word(5, 66, 57.0, "ไท"),
            word(5, 88, 89.0, "-"),
            word(5, 110, 92.0, "19)"),
        ];
        assert_eq!(suspect_lines(&covid), vec![(1, 1, 5)]);
        // A Thai year a space before an Arabic one: no chain.
        let years = vec![word(6, 0, 96.0, "๒๕๖๖"), word(6, 40, 96.0, "(2023)")];
        assert!(suspect_lines(&years).is_empty());
    }

    #[test]
    fn sure_english_replaces_garbled_thai_however_sure() {
        // `tolerance)` read `0อ๐1อ6หลก` with most letters sure: Arabic
        // digits glued to Thai letters are no Thai text.
        let mut words = vec![
            word(1, 0, 67.0, "0"),
            word(1, 20, 69.0, "อ"),
            word(1, 40, 88.0, "๐"),
            word(1, 60, 97.0, "1"),
            word(1, 80, 57.0, "อ"),
            word(1, 100, 70.0, "6"),
            word(1, 120, 96.0, "ห"),
            word(1, 140, 96.0, "ล"),
            word(1, 160, 92.0, "ก"),
            word(1, 180, 96.0, "อ"),
            word(1, 200, 96.0, "ฮ"),
            word(1, 220, 96.0, "อ"),
        ];
        for w in &mut words[1..] {
            w.bx.x -= 1;
        }
        let Some((img, cuts)) = stack(
            &Gray {
                w: 300,
                h: 200,
                px: vec![255; 60_000],
            },
            &words,
            &[(1, 1, 1)],
        ) else {
            panic!("stacked");
        };
        let left = (img.w - cuts[0].page.w) / 2;
        let eng = vec![Word {
            line: (1, 1, 1),
            bx: BoxPx {
                x: left,
                y: cuts[0].top + 5,
                w: 240,
                h: 20,
            },
            conf: 95.0,
            text: "tolerance)".into(),
        }];
        assert_eq!(
            replacements(&words, &eng, &cuts, img.w),
            vec![(0, 12, "tolerance)".to_string())]
        );
        // Digits read in both scripts under a short English word stay
        // (`๑๖` of a date read `๑` `6` by the Thai model, `od` by eng).
        let day = vec![word(1, 0, 92.0, "๑"), word(1, 20, 60.0, "6")];
        let Some((img, cuts)) = stack(
            &Gray {
                w: 300,
                h: 200,
                px: vec![255; 60_000],
            },
            &day,
            &[(1, 1, 1)],
        ) else {
            panic!("stacked");
        };
        assert_eq!(suspect_lines(&day), vec![(1, 1, 1)]);
        let left = (img.w - cuts[0].page.w) / 2;
        let eng = vec![Word {
            line: (1, 1, 1),
            bx: BoxPx {
                x: left + day[0].bx.x - cuts[0].page.x,
                y: cuts[0].top + 5,
                w: 40,
                h: 20,
            },
            conf: 90.0,
            text: "od".into(),
        }];
        assert!(replacements(&day, &eng, &cuts, img.w).is_empty());
        // Sure Thai letters with a number set apart by a space stay.
        let thai = vec![
            word(1, 0, 96.0, "ข้อ"),
            word(1, 25, 95.0, "ห"),
            word(1, 60, 92.0, "108"),
        ];
        let Some((img, cuts)) = stack(
            &Gray {
                w: 300,
                h: 200,
                px: vec![255; 60_000],
            },
            &thai,
            &[(1, 1, 1)],
        ) else {
            panic!("stacked");
        };
        let left = (img.w - cuts[0].page.w) / 2;
        let eng = vec![Word {
            line: (1, 1, 1),
            bx: BoxPx {
                x: left + thai[0].bx.x - cuts[0].page.x,
                y: cuts[0].top + 5,
                w: 100,
                h: 20,
            },
            conf: 90.0,
            text: "vHo 108".into(),
        }];
        assert!(replacements(&thai, &eng, &cuts, img.w).is_empty());
        // `(COVID-19)` read `(๐` `๐` `ง` `ไท` `-` `19)`, the model sure of all
        // but one word (mean 85): Thai and Arabic digits under one English word.
        let covid = vec![
            word(1, 0, 96.0, "(๐"),
            word(1, 20, 82.0, "๐"),
            word(1, 40, 92.0, "ง"),
            word(1, 60, 57.0, "ไท"),
            word(1, 80, 89.0, "-"),
            word(1, 100, 92.0, "19)"),
        ];
        let Some((img, cuts)) = stack(
            &Gray {
                w: 300,
                h: 200,
                px: vec![255; 60_000],
            },
            &covid,
            &[(1, 1, 1)],
        ) else {
            panic!("stacked");
        };
        let left = (img.w - cuts[0].page.w) / 2;
        let eng = vec![Word {
            line: (1, 1, 1),
            bx: BoxPx {
                x: left,
                y: cuts[0].top + 5,
                w: 120,
                h: 20,
            },
            conf: 91.0,
            text: "(COVID-19)".into(),
        }];
        assert_eq!(
            replacements(&covid, &eng, &cuts, img.w),
            vec![(0, 6, "(COVID-19)".to_string())]
        );
    }

    #[test]
    fn sure_english_replaces_unsure_thai_under_it() {
        let words = vec![
            word(1, 0, 95.0, "ก"),
            word(1, 20, 40.0, "ฝ"),
            word(1, 40, 60.0, "6แ"),
            word(1, 60, 95.0, "ข"),
        ];
        let Some((img, cuts)) = stack(
            &Gray {
                w: 200,
                h: 200,
                px: vec![255; 40_000],
            },
            &words,
            &[(1, 1, 1)],
        ) else {
            panic!("stacked");
        };
        let left = (img.w - cuts[0].page.w) / 2;
        let at = |x: usize| BoxPx {
            x: x + left - cuts[0].page.x,
            y: cuts[0].top + 5,
            w: 38,
            h: 20,
        };
        let eng = vec![
            Word {
                line: (1, 1, 1),
                bx: at(20),
                conf: 96.0,
                text: "SDGs".into(),
            },
            Word {
                line: (1, 1, 1),
                bx: at(60),
                conf: 40.0,
                text: "vn".into(),
            },
        ];
        assert_eq!(
            replacements(&words, &eng, &cuts, img.w),
            vec![(1, 3, "SDGs".to_string())]
        );
        // Thai the model was sure of stays.
        let mut sure = words.clone();
        sure[1].conf = 95.0;
        sure[2].conf = 95.0;
        assert!(replacements(&sure, &eng, &cuts, img.w).is_empty());
    }
}
