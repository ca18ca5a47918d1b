//! Page text clean-up shared by PDF text layers and OCR: paragraphs wrapped
//! over several lines are joined, and OCR's stray spaces inside Thai
//! syllables are closed.
//!
//! Thai is written without spaces between words, so a line break inside a
//! paragraph usually falls *inside* a phrase; joining two Thai lines with a
//! space would split a word (`ขับ เคลื่อน`). A line counts as wrapped when it
//! runs nearly to the width of the page's longest lines; it is then joined to
//! the next line — directly between two Thai letters, with one space
//! otherwise. Short lines (headings, addresses, signatures) stay lines.

use crate::normalize::{is_digit, is_thai, is_thai_mark};
use crate::thai::is_word_char;

/// Visual width of a line: characters that take horizontal space
/// (combining marks do not).
fn width(line: &str) -> usize {
    line.chars()
        .filter(|c| !is_thai_mark(*c) && !c.is_whitespace())
        .count()
}

/// True when a line opens a new item (`๑.`, `(2)`, `-`, `•`, `ข้อ ๓`) or a
/// part of a letter (`เรื่อง ...`, `เรียน ...`).
pub(crate) fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('-' | '•' | '●' | '○' | '■' | '□' | '*' | '–' | '(') => true,
        Some(c) if is_digit(c) => {
            let rest: String = t.chars().skip_while(|c| is_digit(*c)).take(1).collect();
            matches!(rest.as_str(), "." | ")" | "/")
        }
        _ => {
            t.starts_with("ข้อ ")
                || LETTER_LABELS
                    .iter()
                    .any(|l| t.strip_prefix(l).is_some_and(|r| r.starts_with(' ')))
        }
    }
}

/// Labels that open the parts of an official letter: never the tail of
/// the line before.
const LETTER_LABELS: [&str; 4] = ["เรื่อง", "เรียน", "อ้างถึง", "สิ่งที่ส่งมาด้วย"];

/// Joins wrapped lines of one page into paragraphs (see the module docs).
/// Blank lines are kept as paragraph breaks.
pub(crate) fn unwrap_lines(page: &str) -> String {
    let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
    let mut widths: Vec<usize> = lines.iter().map(|l| width(l)).filter(|w| *w > 0).collect();
    if widths.len() < 3 {
        return lines.join("\n");
    }
    widths.sort_unstable();
    // The width of a full line: the 90th percentile of line widths.
    let full = widths[(widths.len() * 9 / 10).min(widths.len() - 1)];
    let threshold = full * 4 / 5;
    let mut out = String::with_capacity(page.len());
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_start();
        out.push_str(line);
        let Some(next) = lines.get(i + 1).map(|l| l.trim_start()) else {
            break;
        };
        let wrapped =
            full >= 20 && width(line) >= threshold && !next.is_empty() && !starts_item(next);
        if !wrapped {
            out.push('\n');
            continue;
        }
        let last = line.chars().last();
        let first = next.chars().next();
        let glue = matches!((last, first), (Some(a), Some(b)) if is_word_char(a) && (is_word_char(b) || is_thai_mark(b)));
        if !glue {
            out.push(' ');
        }
    }
    out
}

/// Leading vowels (`เ แ โ ใ ไ`) always precede a consonant.
fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Following vowels that attach to the syllable before them.
fn is_following_vowel(c: char) -> bool {
    matches!(c, 'ะ' | 'า' | 'ำ' | 'ๅ')
}

/// Closes spaces OCR leaves inside Thai syllables: before a combining mark
/// or a following vowel, and after a leading vowel. Spaces between whole
/// Thai words are the recogniser's reading of the page and stay.
pub(crate) fn close_ocr_gaps(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' {
            let mut j = i;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\t') {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let inside_syllable = matches!((prev, next), (Some(p), Some(n))
                if is_thai(p) && (is_thai_mark(n) || is_following_vowel(n) || is_leading_vowel(p)));
            if !inside_syllable {
                out.extend(&chars[i..j]);
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER_PAGE: &str = "ศาลากลางจังหวัดระยอง\nถนนสุขุมวิท รย ๒๑๑๕๐\n\
ด้วยกระทรวงมหาดไทยแจ้งว่า กระทรวงยุติธรรมโดยกรมคุ้มครองสิทธิและ\n\
เสรีภาพ แจ้งว่า คณะรัฐมนตรีได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐ เห็นชอบ\n\
และประกาศใช้วาระแห่งชาติ \"สิทธิมนุษยชนร่วมขับเคลื่อน Thailand ๔.๐ เพื่อ\n\
การพัฒนาที่ยั่งยืน\" และสั่งการให้หน่วยงานที่เกี่ยวข้องนำวาระแห่งชาติฯ ไปสู่การ\n\
ปฏิบัติเพื่อเพิ่มขีดความสามารถในการดำเนินงาน\n\
จึงเรียนมาเพื่อโปรดทราบ";

    #[test]
    fn joins_wrapped_thai_lines_without_splitting_words() {
        let out = unwrap_lines(LETTER_PAGE);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "ศาลากลางจังหวัดระยอง");
        assert_eq!(lines[1], "ถนนสุขุมวิท รย ๒๑๑๕๐");
        assert!(
            lines[2]
                .starts_with("ด้วยกระทรวงมหาดไทยแจ้งว่า กระทรวงยุติธรรมโดยกรมคุ้มครองสิทธิและเสรีภาพ แจ้งว่า")
        );
        assert!(lines[2].contains("เห็นชอบและประกาศใช้วาระแห่งชาติ"));
        assert!(lines[2].contains("Thailand ๔.๐ เพื่อการพัฒนาที่ยั่งยืน\""));
        assert!(lines[2].ends_with("ไปสู่การปฏิบัติเพื่อเพิ่มขีดความสามารถในการดำเนินงาน"));
        assert_eq!(lines[3], "จึงเรียนมาเพื่อโปรดทราบ");
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn list_items_and_short_pages_stay_as_lines() {
        let page = "คณะกรรมการประกอบด้วยผู้แทนจากหน่วยงานต่าง ๆ ดังต่อไปนี้ ซึ่งได้รับแต่งตั้งจาก\n\
(๑) ผู้ว่าราชการจังหวัดภูเก็ต เป็นประธานคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชน\n\
(๒) อัยการคุ้มครองสิทธิและช่วยเหลือทางกฎหมายและการบังคับคดีจังหวัด รองประธาน\n\
(๓) ผู้อำนวยการสำนักงานยุติธรรมจังหวัดภูเก็ต เลขานุการ";
        assert_eq!(unwrap_lines(page).lines().count(), 4);
        assert_eq!(unwrap_lines("ก\nข"), "ก\nข");
        assert_eq!(unwrap_lines(""), "");
    }

    #[test]
    fn letter_parts_stay_lines() {
        let page = "เรื่อง ขอความร่วมมือในการดำเนินงานตามแผนสิทธิมนุษยชนแห่งชาติระยะที่สี่\n\
เรียน อธิบดีกรมคุ้มครองสิทธิและเสรีภาพ\n\
ด้วยกระทรวงยุติธรรมได้จัดทำแผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ ๕ เพื่อเป็นกรอบ\n\
การดำเนินงานของหน่วยงานทุกภาคส่วน";
        let out = unwrap_lines(page);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[1].starts_with("เรียน "));
        assert!(lines[2].ends_with("เพื่อเป็นกรอบการดำเนินงานของหน่วยงานทุกภาคส่วน"));
    }

    #[test]
    fn closes_gaps_inside_syllables_only() {
        assert_eq!(close_ocr_gaps("ผู ้ว่าราชการ เ ชียงใหม่"), "ผู้ว่าราชการ เชียงใหม่");
        assert_eq!(close_ocr_gaps("ประจํ า ปี"), "ประจํา ปี");
        assert_eq!(
            close_ocr_gaps("นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการ"),
            "นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการ"
        );
        assert_eq!(close_ocr_gaps("A ่"), "A ่");
        assert_eq!(close_ocr_gaps(" ่ "), " ่ ");
    }
}
