//! The parts of a Thai official letter, recovered from OCR text.
//!
//! A letter's `ที่` line (its number), its date line and its `เรื่อง` /
//! `เรียน` lines are what an archivist searches by, and OCR often garbles
//! exactly their labels: a tone mark lost (`ที` for `ที่`, `เรือง` for
//! `เรื่อง`), a month name one letter off, a two-letter agency code read by
//! the English model as Latin letters (`un` for `นร`). These corrections
//! apply to the start of a line only, and only when the rest of the line
//! confirms what the line is (a letter number after `ที่`, a day and a year
//! around the month); anything else is left as OCR read it.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::digits::digit_value;
use crate::thai::{is_mark, is_thai};

pub(crate) const MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// The months' abbreviations (`มิ.ย.`), in the order of [`MONTHS`].
const MONTH_ABBREVIATIONS: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// The month name a word of a date line stands for, full or abbreviated,
/// when OCR misread it a little (`มีนาคน`, `มอนายน` for `มิถุนายน`): the one
/// month nearest to it, either letter by letter or with the marks above
/// and below the letters left out (the marks are what OCR most often
/// drops or merges: `มิถุ` read `มอ`). A word as near to two months as to
/// one is none of them, and so is a word far from every month.
pub(crate) fn nearest_month(word: &str) -> Option<&'static str> {
    if MONTHS.contains(&word) || MONTH_ABBREVIATIONS.contains(&word) {
        return MONTHS
            .iter()
            .zip(MONTH_ABBREVIATIONS)
            .find(|(m, a)| **m == word || *a == word)
            .map(|(m, a)| if *m == word { *m } else { a });
    }
    let bare = |s: &str| -> String { s.chars().filter(|c| !is_mark(*c)).collect() };
    let word_bare = bare(word);
    let n = word_bare.chars().count();
    // Thai letters only: a digit read glued to the month (`๙เมษายน`) is
    // the day's, not a letter of the month.
    let letter = |c: char| (is_thai(c) && digit_value(c).is_none()) || c == '.';
    if n < 3 || !word.chars().all(letter) {
        return None;
    }
    // Each month's distance letter by letter and without marks; the
    // abbreviations are short, so only one edit from them counts.
    let mut near: Vec<(usize, &'static str)> = MONTHS
        .iter()
        .map(|m| {
            let d = distance(word, m).min(distance(&word_bare, &bare(m)));
            (
                if d <= (n / 4).clamp(1, 2) {
                    d
                } else {
                    usize::MAX
                },
                *m,
            )
        })
        .chain(MONTH_ABBREVIATIONS.iter().map(|a| {
            let d = distance(word, a);
            (if d <= 1 { d } else { usize::MAX }, *a)
        }))
        .filter(|(d, _)| *d != usize::MAX)
        .collect();
    near.sort();
    match near.as_slice() {
        [(_, one)] => Some(one),
        [(d0, one), (d1, _), ..] if d0 < d1 => Some(one),
        _ => None,
    }
}

/// Letter-number codes of agencies and provinces (`มท`, `นร`, `รย`), from
/// the dictionaries the tagger uses.
static CODES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut codes = HashSet::new();
    let data = |s: &'static str| {
        s.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    };
    for line in data(include_str!("../../../dictionaries/agencies.txt")) {
        if let Some(c) = line.split('\t').next().map(str::trim)
            && c != "-"
            && !c.is_empty()
        {
            codes.insert(c.to_string());
        }
    }
    for line in data(include_str!("../../../dictionaries/provinces.tsv")) {
        if let Some(c) = line.split('\t').nth(3).map(str::trim)
            && !c.is_empty()
        {
            codes.insert(c.to_string());
        }
    }
    codes
});

/// Agency names with their letter-number code (`กระทรวงสาธารณสุข` → `สธ`),
/// and `จังหวัด` + province name with the province's code.
static NAMED: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let data = |s: &'static str| {
        s.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    };
    for line in data(include_str!("../../../dictionaries/agencies.txt")) {
        let mut f = line.split('\t').map(str::trim);
        if let (Some(code), Some(name)) = (f.next(), f.next())
            && code != "-"
            && !code.is_empty()
            && !name.is_empty()
        {
            out.push((code.to_string(), name.to_string()));
        }
    }
    for line in data(include_str!("../../../dictionaries/provinces.tsv")) {
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if let (Some(name), Some(code)) = (f.first(), f.get(3))
            && !code.is_empty()
        {
            out.push((code.to_string(), format!("จังหวัด{name}")));
        }
    }
    out
});

/// Codes of the agencies a letterhead names (`context`: the number line
/// and the lines next to it), in full or cut short with `ฯ`.
fn named_codes(context: &str) -> Vec<&'static str> {
    let flat: String = context.chars().filter(|c| !c.is_whitespace()).collect();
    // Names cut short: `กระทรวงการพัฒนาสังคมฯ`.
    let short: Vec<String> = context
        .split_whitespace()
        .filter_map(|w| w.split('ฯ').next().filter(|_| w.contains('ฯ')))
        .filter(|p| p.chars().count() >= 10)
        .map(str::to_string)
        .collect();
    let mut out: Vec<&'static str> = NAMED
        .iter()
        .filter(|(_, name)| {
            flat.contains(name.as_str()) || short.iter().any(|p| name.starts_with(p.as_str()))
        })
        .map(|(code, _)| code.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The code read on a number line, confirmed or corrected by the
/// letterhead: when the letterhead names no agency of the code read but
/// exactly one whose code is a letter away (`สร` read for `สธ` under
/// `กระทรวงสาธารณสุข`), that code. A code read as Latin letters that no
/// look-alike recovers (`At` for `กษ`) is no Thai code at all: the one
/// agency the letterhead names gives it.
fn code_from_letterhead(code: &str, named: &[&'static str]) -> Option<String> {
    if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic()) {
        return match named {
            [one] => Some((*one).to_string()),
            _ => None,
        };
    }
    let thai: String = code
        .chars()
        .filter(|c| is_thai(*c) && !is_mark(*c) && digit_value(*c).is_none())
        .collect();
    if thai.is_empty() || named.contains(&thai.as_str()) {
        return None;
    }
    let n = thai.chars().count();
    let limit = if n >= 3 { 2 } else { 1 };
    let near: Vec<&&str> = named
        .iter()
        .filter(|c| distance(&thai, c) <= limit)
        .collect();
    match near.as_slice() {
        [one] => Some((**one).to_string()),
        _ => None,
    }
}

/// Thai letters the English model reads as each Latin letter (shapes that
/// look alike in Thai print), likeliest first.
fn thai_lookalikes(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'u' => "นบมย",
        'n' => "รกทภห",
        'h' => "ห",
        'w' => "พฟ",
        's' => "รธ",
        'a' => "ลสอค",
        'o' => "อ",
        'v' => "ข",
        'y' => "ช",
        'e' => "ย",
        'j' => "ป",
        'k' => "ห",
        'r' => "ร",
        'g' => "ด",
        _ => "",
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether `rest` (what follows the label) reads as a letter number: a
/// short code, then digits within the next few characters. The code may
/// hold one Arabic digit among Thai letters: a consonant of small print
/// read as one (`ศ5` for `ศธ`), which only the letterhead can correct.
fn looks_like_number(rest: &str) -> bool {
    let head: String = rest.chars().take(24).collect();
    let digits = head.chars().filter(|c| digit_value(*c).is_some()).count();
    let first = rest.split_whitespace().next().unwrap_or("");
    let letter = |c: char| (is_thai(c) && digit_value(c).is_none()) || c.is_ascii_alphabetic();
    let misread = first.chars().filter(char::is_ascii_digit).count();
    let code_like = first.chars().count() <= 4
        && first.chars().any(|c| letter(c) && !is_mark(c))
        && misread <= 1
        && first
            .chars()
            .all(|c| is_thai(c) || c.is_ascii_alphanumeric() || c == '.');
    digits >= 3 && code_like
}

/// The `ที่` label as OCR may garble it: `ท` with no or other marks.
fn is_garbled_thi(label: &str) -> bool {
    let mut it = label.chars();
    it.next() == Some('ท') && label != "ที่" && {
        let rest: Vec<char> = it.collect();
        !rest.is_empty() && rest.len() <= 2 && rest.iter().all(|c| is_mark(*c))
    }
}

/// A Latin code read from Thai print, back to the known code it most
/// likely is (look-alikes ranked; a tie recovers nothing).
fn recover_code(latin: &str) -> Option<String> {
    if !(2..=3).contains(&latin.len()) || !latin.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut found: Vec<(String, usize)> = vec![(String::new(), 0)];
    for c in latin.chars() {
        let alts = thai_lookalikes(c);
        if alts.is_empty() {
            return None;
        }
        found = found
            .iter()
            .flat_map(|(p, r)| {
                alts.chars()
                    .enumerate()
                    .map(move |(k, a)| (format!("{p}{a}"), r + k))
            })
            .collect();
    }
    let mut known: Vec<(usize, String)> = found
        .into_iter()
        .filter(|(c, _)| CODES.contains(c))
        .map(|(c, r)| (r, c))
        .collect();
    known.sort();
    match known.as_slice() {
        [(_, one)] => Some(one.clone()),
        [(r1, one), (r2, _), ..] if r1 < r2 => Some(one.clone()),
        _ => None,
    }
}

/// A three-letter code with one letter too many (`สรธ`, `ภภก`): the one
/// known code left by dropping a letter.
fn one_letter_extra(code: &str) -> Option<String> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 3 || CODES.contains(code) || !chars.iter().all(|c| is_thai(*c)) {
        return None;
    }
    let mut found: Vec<String> = (0..3)
        .map(|k| {
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, c)| *c)
                .collect::<String>()
        })
        .filter(|c| CODES.contains(c))
        .collect();
    found.dedup();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The number after the code, with what OCR does to its `/ว` and dots
/// undone, in the number itself only (up to the first wide gap, where the
/// letterhead begins): `/)` and `/./)` for `/ว`, `/วว` for `/ว`, a slash
/// read as `๗` before `ว` when there is no slash, and a lone letter
/// between a digit and a dot or slash (`๗๓๔๙ส.๘`).
fn tidy_number(after: &str) -> String {
    let (num, tail) = match after.find("  ") {
        Some(k) => after.split_at(k),
        None => (after, ""),
    };
    let mut c: Vec<char> = num.chars().collect();
    let is_digit = |c: Option<&char>| c.is_some_and(|c| digit_value(*c).is_some());
    let mut out: Vec<char> = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '/' {
            // `/)`, `/./)`, `/(`: the ว of a circular.
            let mut j = i + 1;
            while j < c.len() && matches!(c[j], ')' | '(' | '.' | '|' | '/') {
                j += 1;
            }
            if j > i + 1 && (c.get(j) == Some(&' ') || is_digit(c.get(j))) {
                out.extend(['/', 'ว']);
                i = j;
                continue;
            }
            if c.get(i + 1) == Some(&'ว') && c.get(i + 2) == Some(&'ว') {
                out.extend(['/', 'ว']);
                i += 3;
                continue;
            }
        }
        // A lone consonant between a digit and `.` or `/`.
        if is_thai(ch)
            && !is_mark(ch)
            && ch != 'ว'
            && digit_value(ch).is_none()
            && is_digit(out.last())
            && matches!(c.get(i + 1), Some('.' | '/'))
        {
            i += 1;
            continue;
        }
        out.push(ch);
        i += 1;
    }
    c = out;
    if !c.contains(&'/')
        && let Some(k) = c.iter().position(|&x| x == 'ว')
        && k >= 2
        && is_digit(c.get(k - 1))
        && is_digit(c.get(k - 2))
        && c[..k].contains(&'.')
        && c[..k - 1]
            .iter()
            .rposition(|&x| x == '.')
            .is_some_and(|d| d + 1 < k - 1)
    {
        c[k - 1] = '/';
    }
    format!("{}{tail}", c.into_iter().collect::<String>())
}

/// Corrects one line's start (see the module docs); `context` is the
/// line with its neighbours, where a letterhead names the agency.
fn correct_line(line: &str, context: &str) -> Option<String> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let (first, rest) = match body.split_once(char::is_whitespace) {
        Some((f, r)) => (f, r.trim_start()),
        None => return None,
    };
    // The label glued to the code (`ทีมท ๖๔๖๙.๖/...`).
    if let Some(code) = first.strip_prefix('ท') {
        let code: String = code.chars().skip_while(|c| is_mark(*c)).collect();
        let digits = rest
            .chars()
            .take(12)
            .filter(|c| digit_value(*c).is_some())
            .count();
        if code.chars().count() == 2 && CODES.contains(&code) && digits >= 3 {
            return Some(format!("{indent}ที่ {code} {rest}"));
        }
    }
    // The label, a dot and the code glued to the number (`ที่.ภก8473.3/ว`).
    if let Some(glued) = first.strip_prefix("ที่") {
        let glued = glued.trim_start_matches('.');
        let code: String = glued
            .chars()
            .take_while(|c| is_thai(*c) && digit_value(*c).is_none())
            .collect();
        let number = &glued[code.len()..];
        if CODES.contains(&code)
            && number
                .chars()
                .next()
                .is_some_and(|c| digit_value(c).is_some())
        {
            return Some(format!(
                "{indent}ที่ {code} {}",
                tidy_number(&format!("{number} {rest}"))
            ));
        }
    }
    // The number line: `ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐`.
    if (first == "ที่" || is_garbled_thi(first)) && looks_like_number(rest) {
        let (code, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let thai_after = after.chars().any(is_thai);
        // A stray mark on the code (`สธ์`).
        let bare: String = code.chars().filter(|c| !is_mark(*c)).collect();
        let code = match recover_code(code) {
            Some(c) if thai_after => c,
            _ if bare != code && CODES.contains(&bare) => bare,
            _ => one_letter_extra(&bare).unwrap_or_else(|| code.to_string()),
        };
        let code = code_from_letterhead(&code, &named_codes(context)).unwrap_or(code);
        let fixed = format!("{indent}ที่ {code} {}", tidy_number(after));
        let fixed = fixed.trim_end().to_string();
        return (fixed != line).then_some(fixed);
    }
    // `เรื่อง` and `เรียน` with a mark lost or one letter misread.
    for label in ["เรื่อง", "เรียน"] {
        if first != label && first.chars().count() >= 4 && distance(first, label) == 1 {
            let other = if label == "เรื่อง" {
                "เรียน"
            } else {
                "เรื่อง"
            };
            if distance(first, other) > 1 && rest.chars().any(is_thai) {
                return Some(format!("{indent}{label} {rest}"));
            }
        }
    }
    // The date line: day, month (a letter or two off), year.
    let parts: Vec<&str> = body.split_whitespace().collect();
    if parts.len() == 3 {
        let is_num = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.chars().count()) && s.chars().all(|c| digit_value(c).is_some())
        };
        if is_num(parts[0], 1..=2)
            && is_num(parts[2], 4..=4)
            && let Some(month) = nearest_month(parts[1])
            && month != parts[1]
        {
            return Some(format!("{indent}{} {month} {}", parts[0], parts[2]));
        }
    }
    None
}

/// A letter number with no label: a known agency code, then digits,
/// `.`, `/`, `ว` (`ศธ ๐๒๐๘.๗/ว ๔๕๑๘`).
fn is_unlabelled_number(body: &str) -> bool {
    let Some((code, rest)) = body.split_once(char::is_whitespace) else {
        return false;
    };
    if !CODES.contains(code) {
        return false;
    }
    let number: String = rest.trim_start().chars().take(20).collect();
    let mut digits = 0;
    let mut slash = false;
    for c in number.chars() {
        if digit_value(c).is_some() {
            digits += 1;
        } else if c == '/' && digits >= 2 {
            slash = true;
        } else if !matches!(c, '.' | 'ว' | ' ') {
            break;
        }
    }
    slash && digits >= 4
}

/// Lines at the top of a page where a letter's number line may stand.
const HEAD_LINES: usize = 5;

/// Corrects the labels at the start of a letter's lines (see the module
/// docs); every other line is returned as it is.
pub(crate) fn correct(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut seen = 0;
    let lines: Vec<&str> = text.split('\n').collect();
    // The number line and up to two lines each side, less the subject and
    // addressee (which name other agencies).
    let context = |i: usize| -> String {
        lines[i.saturating_sub(2)..(i + 3).min(lines.len())]
            .iter()
            .filter(|l| {
                let t = l.trim_start();
                !t.starts_with("เรื่อง") && !t.starts_with("เรียน")
            })
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (i, line) in lines.iter().enumerate() {
        let line = *line;
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        if !body.is_empty() {
            seen += 1;
        }
        // The label lost altogether (read as noise or on a line of its own).
        if seen <= HEAD_LINES && is_unlabelled_number(body) {
            let indent = &line[..line.len() - body.len()];
            out.push_str(&format!("{indent}ที่ {body}"));
            continue;
        }
        match correct_line(line, &context(i)) {
            Some(fixed) => out.push_str(&fixed),
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_line_label_is_restored() {
        assert_eq!(correct("ที มท ๐๒๑๑.๔/ว ๗๑๖๐"), "ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐");
        assert_eq!(correct("  ที้ รย 0017.2/ว 5512"), "  ที่ รย 0017.2/ว 5512");
        assert_eq!(correct("ทีมท ๖๔๖๙.๖/๒๙๘๔๓"), "ที่ มท ๖๔๖๙.๖/๒๙๘๔๓");
        assert_eq!(correct("ที่ สธ์ ๖๑๘.๘๕/ว ๔๑๐๑"), "ที่ สธ ๖๑๘.๘๕/ว ๔๑๐๑");
        // สธ and สร (Surin) are both one letter away: left as read.
        assert_eq!(correct("ที่ สรธ ๒๑๒๘.๑/ว ๑๐๕๔๔"), "ที่ สรธ ๒๑๒๘.๑/ว ๑๐๕๔๔");
        assert_eq!(correct("ที่ ภภก ๘๑๙๘.๓/ว ๓๐๕๕๕"), "ที่ ภก ๘๑๙๘.๓/ว ๓๐๕๕๕");
        assert_eq!(one_letter_extra("สรธ"), None);
        // The letterhead settles it.
        assert_eq!(
            correct("ที่ สรธ ๒๑๒๘.๑/ว ๑๐๕๔๔      กระทรวงสาธารณสุข"),
            "ที่ สธ ๒๑๒๘.๑/ว ๑๐๕๔๔      กระทรวงสาธารณสุข"
        );
        // A word that merely starts like it stays.
        assert_eq!(correct("ทหาร ๒๕๖๗ นาย"), "ทหาร ๒๕๖๗ นาย");
        // A line that merely starts with ที and no number is left alone.
        assert_eq!(correct("ที ประชุม ได้มีมติ"), "ที ประชุม ได้มีมติ");
        assert_eq!(correct("ทั้ง ๓ หน่วยงาน"), "ทั้ง ๓ หน่วยงาน");
        // Not at the start of a line: untouched.
        assert_eq!(
            correct("หนังสือ ที มท ๐๒๑๑.๔/ว ๗๑๖๐"),
            "หนังสือ ที มท ๐๒๑๑.๔/ว ๗๑๖๐"
        );
    }

    #[test]
    fn what_ocr_does_to_slashes_and_dots_is_undone() {
        assert_eq!(correct("ที่ สธ ๐๖๑๘.๘๕/) ๔๑๐๑"), "ที่ สธ ๐๖๑๘.๘๕/ว ๔๑๐๑");
        assert_eq!(correct("ที่ นร ๔๕๘๔.๒/./) ๙๒๑๕"), "ที่ นร ๔๕๘๔.๒/ว ๙๒๑๕");
        assert_eq!(correct("ที่ ศธ ๗๓๔๙ส.๘/ว ๙๔๖๙๓"), "ที่ ศธ ๗๓๔๙.๘/ว ๙๔๖๙๓");
        assert_eq!(correct("ที่ ศธ ๑๕๖๓.๔๗ว ๖๐๙๓๔"), "ที่ ศธ ๑๕๖๓.๔/ว ๖๐๙๓๔");
        assert_eq!(
            correct("ที่.ภก8473.3/วว 57523      ศาลากลาง"),
            "ที่ ภก 8473.3/ว 57523      ศาลากลาง"
        );
        // A right number, and the letterhead after the gap, are left alone.
        let right = "ที่ ศธ ๑๕๖๓.๔/ว ๖๐๙๓๔     ถนนราชดำเนิน ๑๐๓๐๐";
        assert_eq!(correct(right), right);
        assert_eq!(correct("ที่ ศธ ๑๕๖๓.๔/๖๐๙๓๔"), "ที่ ศธ ๑๕๖๓.๔/๖๐๙๓๔");
    }

    #[test]
    fn letterhead_corrects_a_misread_code() {
        let fix = |s: &str| correct(s).lines().next().unwrap_or_default().to_string();
        // Surin's code read under the Ministry of Public Health's letterhead.
        assert_eq!(
            fix("ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗     กระทรวงสาธารณสุข\nถนนติวานนท์"),
            "ที่ สธ ๙๓๔๕.๖/ว ๒๘๖๑๗     กระทรวงสาธารณสุข"
        );
        assert_eq!(
            fix("ที่ กก ๐๒๗๘.๑/๖๗๙๔๕    ศาลากลางจังหวัดภูเก็ต"),
            "ที่ ภก ๐๒๗๘.๑/๖๗๙๔๕    ศาลากลางจังหวัดภูเก็ต"
        );
        assert_eq!(
            fix("ที่ สบข ๕๑๑๕.๑๐/๕๓๕๓๓\nศาลากลางจังหวัดสงขลา"),
            "ที่ สข ๕๑๑๕.๑๐/๕๓๕๓๓"
        );
        assert_eq!(
            fix("ที่ พน ๘๔๙๐.๙/๓๖๖๒๙   กระทรวงการพัฒนาสังคมฯ"),
            "ที่ พม ๘๔๙๐.๙/๓๖๖๒๙   กระทรวงการพัฒนาสังคมฯ"
        );
        // Surin's own letterhead, or an addressee naming another agency:
        // the code stays as read.
        let surin = "ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗     ศาลากลางจังหวัดสุรินทร์";
        assert_eq!(fix(surin), surin.to_string());
        let addressed = "ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗\nเรียน ปลัดกระทรวงสาธารณสุข";
        assert_eq!(fix(addressed), "ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗");
        // No agency named: as read.
        assert_eq!(fix("ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗"), "ที่ สร ๙๓๔๕.๖/ว ๒๘๖๑๗");
    }

    #[test]
    fn code_letter_read_as_a_digit_is_corrected_by_the_letterhead() {
        let fix = |s: &str| correct(s).lines().next().unwrap_or_default().to_string();
        // A speckled 200 dpi letter in Laksaman: `ธ` of `ศธ` read as `5`,
        // with or without a stray mark.
        assert_eq!(
            fix("ที ศ5 ๘๙๙๑.๔/ว ๖๔๓๓๔            กระทรวงศึกษาธิการ"),
            "ที่ ศธ ๘๙๙๑.๔/ว ๖๔๓๓๔            กระทรวงศึกษาธิการ"
        );
        assert_eq!(
            fix("ที ศี5 ๘๗๖๒.๗/ว ๘๓๖๓            กระทรวงศึกษาธิการ"),
            "ที่ ศธ ๘๗๖๒.๗/ว ๘๓๖๓            กระทรวงศึกษาธิการ"
        );
        // No letterhead to confirm it, or a number where the code should
        // be: the line stays as read (but for its label).
        assert_eq!(fix("ที่ ศ5 ๘๙๙๑.๔/ว ๖๔๓๓๔"), "ที่ ศ5 ๘๙๙๑.๔/ว ๖๔๓๓๔");
        let numbers = "ที่ 15 ๘๙๙๑.๔/ว ๖๔๓๓๔            กระทรวงศึกษาธิการ";
        assert_eq!(fix(numbers), numbers.to_string());
    }

    #[test]
    fn latin_code_no_lookalike_recovers_is_taken_from_the_letterhead() {
        let fix = |s: &str| correct(s).lines().next().unwrap_or_default().to_string();
        // A clean 300 dpi letter in Laksaman: `กษ` read `At` by the English
        // model, under the Ministry of Agriculture's letterhead.
        assert_eq!(
            fix("ที่ At ๙๑๓๖.๗/ว ๑๒๔๓๐          กระทรวงเกษตรและสหกรณ์"),
            "ที่ กษ ๙๑๓๖.๗/ว ๑๒๔๓๐          กระทรวงเกษตรและสหกรณ์"
        );
        // No letterhead, or two agencies named: the code stays as read.
        assert_eq!(fix("ที่ At ๙๑๓๖.๗/ว ๑๒๔๓๐"), "ที่ At ๙๑๓๖.๗/ว ๑๒๔๓๐");
        let two = "ที่ At ๙๑๓๖.๗/ว ๑๒๔๓๐   กระทรวงเกษตรและสหกรณ์\nกระทรวงสาธารณสุข";
        assert_eq!(fix(two), "ที่ At ๙๑๓๖.๗/ว ๑๒๔๓๐   กระทรวงเกษตรและสหกรณ์");
    }

    #[test]
    fn latin_agency_code_is_recovered_only_when_certain() {
        assert_eq!(correct("ที un ๐๕๐๕/ว ๑๒๓"), "ที่ นร ๐๕๐๕/ว ๑๒๓");
        assert_eq!(correct("ที่ uN ๐๕๐๕/ว ๑๒๓"), "ที่ นร ๐๕๐๕/ว ๑๒๓");
        // The rest of the line is not Thai: the code stays as read.
        assert_eq!(correct("ที่ un 0505/123"), "ที่ un 0505/123");
        // Latin letters with no Thai look-alike code stay.
        assert_eq!(correct("ที่ xq ๐๕๐๕/ว ๑๒๓"), "ที่ xq ๐๕๐๕/ว ๑๒๓");
        assert_eq!(recover_code("un").as_deref(), Some("นร"));
        assert_eq!(recover_code("u"), None);
    }

    #[test]
    fn a_lost_label_is_restored_at_the_top_only() {
        assert_eq!(
            correct("สธ 0208.7/4518      กระทรวงสาธารณสุข"),
            "ที่ สธ 0208.7/4518      กระทรวงสาธารณสุข"
        );
        assert_eq!(correct("ศธ ๐๒๐๘.๗/ว ๔๕๑๘"), "ที่ ศธ ๐๒๐๘.๗/ว ๔๕๑๘");
        // Not a known code, or not a number's shape: unchanged.
        assert_eq!(correct("ขอ 0208.7/4518"), "ขอ 0208.7/4518");
        assert_eq!(correct("สธ ๒๕๖๗ ได้มีมติ"), "สธ ๒๕๖๗ ได้มีมติ");
        // Further down the page it is a citation, not the letter's number.
        let deep = "ก\nข\nค\nง\nจ\nสธ 0208.7/4518";
        assert_eq!(correct(deep), deep);
    }

    #[test]
    fn subject_and_addressee_labels() {
        assert_eq!(
            correct("เรือง ขอเชิญประชุม\nเรียบ ผู้ว่าราชการจังหวัด"),
            "เรื่อง ขอเชิญประชุม\nเรียน ผู้ว่าราชการจังหวัด"
        );
        assert_eq!(correct("เรื่อง ขอเชิญประชุม"), "เรื่อง ขอเชิญประชุม");
        // Words one letter from a label but followed by no Thai text.
        assert_eq!(correct("เรือง 2"), "เรือง 2");
    }

    #[test]
    fn month_names_in_date_lines() {
        assert_eq!(correct("๑๒ มีนาคน ๒๕๖๗"), "๑๒ มีนาคม ๒๕๖๗");
        assert_eq!(correct("๑๕ กรกฏาคม ๒๕๖๐"), "๑๕ กรกฎาคม ๒๕๖๐");
        assert_eq!(correct("12 มีนาคม 2567"), "12 มีนาคม 2567");
        // Not a date line (words around), or too far from any month.
        assert_eq!(correct("๑๒ แมว ๒๕๖๗"), "๑๒ แมว ๒๕๖๗");
        assert_eq!(correct("วันที่ ๑๒ มีนาคน ๒๕๖๗ เวลา"), "วันที่ ๑๒ มีนาคน ๒๕๖๗ เวลา");
        // The marks of `มิถุ` lost and `ถ` read `อ`: three edits from four
        // months letter by letter, one from `มิถุนายน` without the marks.
        assert_eq!(correct("5 มอนายน 2559"), "5 มิถุนายน 2559");
        // An abbreviation one edit off.
        assert_eq!(correct("๖ มิ.ย ๒๕๖๔"), "๖ มิ.ย. ๒๕๖๔");
        // Words of the same shape that are no month stay.
        assert_eq!(correct("๑๒ นายน ๒๕๖๗"), "๑๒ นายน ๒๕๖๗");
        assert_eq!(correct("๓ คน ๒๕๖๗"), "๓ คน ๒๕๖๗");
    }

    #[test]
    fn a_misread_month_is_read_only_when_one_month_is_nearest() {
        assert_eq!(nearest_month("มอนายน"), Some("มิถุนายน"));
        assert_eq!(nearest_month("มีนาคน"), Some("มีนาคม"));
        assert_eq!(nearest_month("ธันวาคม"), Some("ธันวาคม"));
        assert_eq!(nearest_month("ก.ค."), Some("ก.ค."));
        // `ก.ด.` is one edit from `ก.ค.`, `ก.พ.` and `ก.ย.`, from none alone.
        assert_eq!(nearest_month("ก.ด."), None);
        assert_eq!(nearest_month("แมว"), None);
        assert_eq!(nearest_month("ราคา"), None);
        assert_eq!(nearest_month("2559"), None);
        assert_eq!(nearest_month("๙เมษายน"), None);
    }
}
