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
//!
//! The same test repairs two confusions of the same kind: `ิ`/`ี` read for
//! `ึ`/`ื` (the tail lost: `กิ่งหนึ่ง` → `กึ่งหนึ่ง`) and a lower vowel read
//! from a speck under the final consonant of a syllable
//! (`เศรษฐกิจูจำเพาะ` → `เศรษฐกิจจำเพาะ`). Where the two readings are words
//! of about the same frequency (`มัน`/`มั่น`, `นำ`/`น้ำ`), a unigram cannot
//! decide: a reading is then also taken when it makes the letters around it
//! a longer dictionary word, a compound of words rare together as read
//! (`ความมันคง` → `ความมั่นคง`, `น่านนำ` → `น่านน้ำ`; `ให้นำ` stays).
//!
//! Where the letters around are words either way, the words next to the
//! one repaired decide ([`super::pairs`], counts of words printed together):
//! a reading is taken when it is at most [`PAIR_TIE`] dearer by the
//! dictionary and the words before and after it are seen with it many times
//! more often ([`PAIR_MARGIN`]) than with the word as read (`ทางนำและ` →
//! `ทางน้ำและ`, `ในชันศาลกับ` → `ในชั้นศาลกับ`, `และนำมะพร้าว` →
//! `และน้ำมะพร้าว`; `ให้นำ`, `และนำความ` stay).

use super::pairs;
use crate::segment::Segmenter;
use crate::thai::{is_consonant, is_run_char};

/// How much cheaper (in natural-log frequency units) a reading with a
/// restored mark must segment: `e^4`, about 55 times more likely.
const MARGIN: f32 = 4.0;
/// How much dearer a reading may segment and still be taken when only it
/// makes the letters around the repair a longer dictionary word (a
/// compound: `น่านนำ` → `น่านน้ำ`, `ความมันคง` → `ความมั่นคง`): where the two
/// readings are words of about the same frequency (`นำ`, `น้ำ`), a unigram
/// cannot tell them apart, the words around them can.
const COMPOUND_TIE: f32 = 0.5;
/// The cost (natural-log frequency units) from which the words read
/// where a compound would be are taken as rare together.
const RARE_SPLIT: f32 = 5.0;
/// How much dearer (natural-log frequency units) a reading may segment and
/// still be taken when the words next to it are seen with it far more often.
const PAIR_TIE: f32 = 2.5;
/// How many times more likely (natural log) the words next to a reading
/// must make it than the word as read: `e^3`, about 20 times.
const PAIR_MARGIN: f32 = 3.0;
/// The longest word looked for around a repair, in characters.
const LONGEST: usize = 16;
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

/// The readings of `cs` with the character at `i` repaired, as OCR loses
/// or confuses it: a tone mark lost over an upper vowel or before `ำ`, the
/// ring of `ำ` lost over a tone mark, `ิ`/`ี` read for `ึ`/`ื` (their tail
/// lost), a lower vowel read from a speck under a letter that has one
/// already in a word (`เศรษฐกิจูจำเพาะ`).
fn variants_at(cs: &[char], i: usize) -> Vec<Vec<char>> {
    let prev = cs[i - 1];
    let next = cs.get(i + 1).copied();
    let mut variants: Vec<Vec<char>> = Vec::new();
    let marked = next.is_some_and(is_top_mark);
    if is_upper_vowel(cs[i]) && is_consonant(prev) && !marked {
        for mark in ['\u{0E48}', '\u{0E49}'] {
            let mut v = cs.to_vec();
            v.insert(i + 1, mark);
            variants.push(v);
        }
    } else if cs[i] == 'า'
        && matches!(prev, '\u{0E48}' | '\u{0E49}')
        && i >= 2
        && is_consonant(cs[i - 2])
    {
        let mut v = cs.to_vec();
        v[i] = 'ำ';
        variants.push(v);
    } else if cs[i] == 'ำ' && is_consonant(prev) {
        for mark in ['\u{0E48}', '\u{0E49}'] {
            let mut v = cs.to_vec();
            v.insert(i, mark);
            variants.push(v);
        }
    } else if matches!(cs[i], 'ุ' | 'ู') && is_consonant(prev) && i >= 2 && is_upper_vowel(cs[i - 2])
    {
        let mut v = cs.to_vec();
        v.remove(i);
        variants.push(v);
    }
    let tailed = match cs[i] {
        'ิ' => Some('ึ'),
        'ี' => Some('ื'),
        _ => None,
    };
    if let Some(t) = tailed
        && is_consonant(prev)
    {
        let mut v = cs.to_vec();
        v[i] = t;
        if !marked {
            for mark in ['\u{0E48}', '\u{0E49}'] {
                let mut m = v.clone();
                m.insert(i + 1, mark);
                variants.push(m);
            }
        }
        variants.push(v);
    }
    variants
}

/// Whether the reading `v` of `cs` makes the letters around `at` a
/// dictionary word at least two characters longer than any `cs` has there,
/// where `cs` reads there two or more dictionary words that are rare
/// together (their cheapest split costs at least [`RARE_SPLIT`]):
/// `น่านนำ` (`น่าน` + `นำ`) becomes `น่านน้ำ`, `กิ่งหนึ่ง` becomes `กึ่งหนึ่ง`;
/// `ให้นำ`, `นำขึ้น` (common together) stay, though `ให้น้ำ`, `น้ำขึ้น` are words.
fn joins_rare_words(cs: &[char], v: &[char], at: usize, seg: &Segmenter) -> bool {
    let (now, _) = compound(cs, at, seg);
    let (len, a) = compound(v, at, seg);
    let Some(b) = (a + len + cs.len()).checked_sub(v.len()) else {
        return false;
    };
    if len < now + 2 || b <= a {
        return false;
    }
    let read: String = cs[a..b].iter().collect();
    let parts = seg.segment(&read);
    parts.len() >= 2
        && parts.iter().all(|r| seg.is_word(&read[r.clone()]))
        && seg.split_cost(&read).is_some_and(|c| c >= RARE_SPLIT)
}

/// The word of `cs` that holds the character at `at`, with the words
/// before and after it in the same run (line breaks aside), as the
/// segmenter reads [`WINDOW`] characters each side.
fn in_context(cs: &[char], at: usize, seg: &Segmenter) -> Option<[Option<String>; 3]> {
    let lo = at.saturating_sub(WINDOW);
    let hi = (at + 1 + WINDOW).min(cs.len());
    let window: Vec<char> = cs[lo..hi].iter().copied().filter(|c| *c != '\n').collect();
    let pos = at - lo - cs[lo..at].iter().filter(|c| **c == '\n').count();
    let text: String = window.iter().collect();
    // The segmenter's byte ranges, as character ranges.
    let mut words: Vec<String> = Vec::new();
    let mut k = None;
    let mut start = 0;
    for r in seg.segment(&text) {
        let w = &text[r];
        let n = w.chars().count();
        if (start..start + n).contains(&pos) {
            k = Some(words.len());
        }
        words.push(w.to_string());
        start += n;
    }
    let k = k?;
    // A word cut by the window's edge is not a neighbour.
    let left = (k >= 2 || (k == 1 && lo == 0)).then(|| words[k - 1].clone());
    let right = (k + 2 < words.len() || (k + 1 < words.len() && hi == cs.len()))
        .then(|| words[k + 1].clone());
    Some([left, Some(words[k].clone()), right])
}

/// By how much (natural log) the words next to the repaired word make the
/// reading `v` of `cs` likelier than `cs` as read, when that is at least
/// [`PAIR_MARGIN`]: both readings have the same word before and after the
/// one repaired (at least one of them), both words are common and `v`'s
/// word is seen with them.
/// The likelihood of a word `w` between `l` and `r` is
/// `count(l w) × count(w r) / count(w)` (one pair at a run's edge: its count).
fn neighbours_prefer(cs: &[char], v: &[char], at: usize, seg: &Segmenter) -> Option<f32> {
    let [l, Some(w), r] = in_context(cs, at, seg)? else {
        return None;
    };
    let [lv, Some(wv), rv] = in_context(v, at, seg)? else {
        return None;
    };
    // Two words the counts know, with the same neighbours.
    if l != lv || r != rv || (l.is_none() && r.is_none()) || w == wv {
        return None;
    }
    if pairs::word(&w) == 0 || pairs::word(&wv) == 0 {
        return None;
    }
    let score = |w: &str| {
        let mut s = 0.0f32;
        let mut seen = 0;
        let mut n = 0;
        for p in [
            l.as_deref().map(|l| pairs::pair(l, w)),
            r.as_deref().map(|r| pairs::pair(w, r)),
        ]
        .into_iter()
        .flatten()
        {
            s += (p as f32 + 1.0).ln();
            seen += usize::from(p > 0);
            n += 1;
        }
        if n == 2 {
            s -= (pairs::word(w) as f32 + 1.0).ln();
        }
        (s, seen)
    };
    let (now, _) = score(&w);
    let (with, seen) = score(&wv);
    (seen > 0 && with >= now + PAIR_MARGIN).then_some(with - now)
}

/// The length and start of the longest dictionary word of `cs` (line
/// breaks aside) that holds the character at `at`.
fn compound(cs: &[char], at: usize, seg: &Segmenter) -> (usize, usize) {
    let mut best = (0, at);
    for a in at.saturating_sub(LONGEST)..=at {
        for b in (at + 1)..=(a + LONGEST).min(cs.len()) {
            if b - a > best.0 && cs[a..b].iter().all(|c| *c != '\n') {
                let w: String = cs[a..b].iter().collect();
                if seg.is_word(&w) {
                    best = (b - a, a);
                }
            }
        }
    }
    best
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
        let variants = variants_at(&cs, i);
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
            // The window of a longer (shorter) reading ends one character
            // later (earlier).
            let end = |v: &[char]| (hi + v.len()).saturating_sub(cs.len());
            let best = variants
                .into_iter()
                .map(|v| (cost(&v, end(&v)), v))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((c, v)) = best
                && (c + MARGIN <= now
                    || (c <= now + COMPOUND_TIE && joins_rare_words(&cs, &v, i - 1, seg)))
            {
                cs = v;
            } else if let Some(v) = variants_at(&cs, i)
                .into_iter()
                .filter(|v| cost(v, end(v)) <= now + PAIR_TIE)
                .filter_map(|v| Some((neighbours_prefer(&cs, &v, i - 1, seg)?, v)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, v)| v)
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
        assert_eq!(
            fix("แก้ไขเพิ่มเติมเกี่ยวกับการใช้อำนาจของกรมเจ้าท่าในเขตเศรษฐกิจูจำเพาะ"),
            "แก้ไขเพิ่มเติมเกี่ยวกับการใช้อำนาจของกรมเจ้าท่าในเขตเศรษฐกิจจำเพาะ"
        );
        assert_eq!(
            fix("ด้วยคะแนนเสียงไม่น้อยกว่ากิ่งหนึ่งของจำนวนสมาชิกทั้งหมด"),
            "ด้วยคะแนนเสียงไม่น้อยกว่ากึ่งหนึ่งของจำนวนสมาชิกทั้งหมด"
        );
        assert_eq!(fix("การเดินเรือในน่านนำไทย"), "การเดินเรือในน่านน้ำไทย");
        assert_eq!(fix("และความมันคงของมนุษย์"), "และความมั่นคงของมนุษย์");
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
            "และให้นำความในมาตรา ๑๐ มาใช้บังคับ",
            "ได้ส่งให้รัฐบาลนำขึ้นทูลเกล้าฯ",
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
    fn the_words_around_decide_between_two_common_words() {
        // Lines as tesseract read them from scanned letters (rotated 300
        // dpi Norasi JPEG, 300 dpi Laksaman image PDF, 200 dpi Kinnari TIFF):
        // `นำ`/`น้ำ` and `ชัน`/`ชั้น` are all words, the neighbours tell.
        assert_eq!(
            fix("การพัฒนากฎหมายที่เกี่ยวข้องกับการขนส่งทางนำและพาณิชยนาวี"),
            "การพัฒนากฎหมายที่เกี่ยวข้องกับการขนส่งทางน้ำและพาณิชยนาวี"
        );
        assert_eq!(
            fix("รักษาไว้เพื่อประโยชน์ในการดำเนินคดีในชันศาลกับผู้กระทำความผิดตามข้อ"),
            "รักษาไว้เพื่อประโยชน์ในการดำเนินคดีในชั้นศาลกับผู้กระทำความผิดตามข้อ"
        );
        assert!(
            fix("สำหรับสินค้ามะพร้าวและมะพร้าวฝอย เนื่อมะพร้าวแห้ง\nและนำมะพร้าวและแฟรกชัน")
                .ends_with("แห้ง\nและน้ำมะพร้าวและแฟรกชัน")
        );
    }

    #[test]
    fn words_read_right_are_left_alone_by_the_words_around() {
        for s in [
            "และนำความกราบบังคมทูลพระกรุณา",
            "ให้นำมาใช้บังคับโดยอนุโลม",
            "เพื่อนำไปสู่การแก้ไขปัญหา",
            "การบริหารจัดการน้ำและการเกษตร",
            "ผู้นำชุมชนและนำเสนอต่อที่ประชุม",
            "ในชั้นศาลกับผู้กระทำความผิด",
            "การขนส่งทางน้ำและพาณิชยนาวี",
            "ทั้งนี้ให้ทุกชั้นปีได้เรียน",
            "ขั้นตอนการนำเข้าสินค้าทางเรือ",
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
