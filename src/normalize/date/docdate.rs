//! The document's own date: an act's `ให้ไว้ ณ วันที่` under its title, a
//! letter's date line under the address, a news dateline or publication
//! stamp, the `ประกาศ ณ วันที่` / `สั่ง ณ วันที่` line of an announcement or
//! order, else the first day-level date of the lead.
//! An own date written without a year, or a date line whose day cannot be
//! read (a month and year alone, or a scan's misread day before them), gives
//! `None`: it is never borrowed from another date and never guessed.

use crate::model::DateMention;

/// Non-empty lines examined for a date line or stamp (the heading of the document).
const HEADER_LINES: usize = 40;
/// A line longer than this (in characters) is body text: the heading ends there.
const BODY_LINE: usize = 160;
/// The lead is searched this far (in characters).
const LEAD_CHARS: usize = 4000;
/// At most this many characters of a date line may be something other than the date.
const LINE_SLACK: usize = 24;

/// Words that open a date line without changing whose date it is.
const LINE_PREFIXES: &[&str] = &[
    "วันพฤหัสบดีที่",
    "วันพฤหัสที่",
    "วันจันทร์ที่",
    "วันอังคารที่",
    "วันพุธที่",
    "วันศุกร์ที่",
    "วันเสาร์ที่",
    "วันอาทิตย์ที่",
    "วันพฤหัสบดี",
    "วันจันทร์",
    "วันอังคาร",
    "วันพุธ",
    "วันศุกร์",
    "วันเสาร์",
    "วันอาทิตย์",
    "วันที่",
];

/// Words showing a date on a short line is some other document's or event's.
const FOREIGN: &[&str] = &[
    "ลงวันที่",
    "ลงวัน",
    "เมื่อ",
    "ตั้งแต่",
    "ภายใน",
    "ถึง",
    "ระหว่าง",
    "ก่อน",
    "หลัง",
    "ครบกำหนด",
    "สิ้นสุด",
    "และ",
    "หรือ",
];

/// Phrases that introduce the signing date of an announcement, order or act.
const SIGNED: &[&str] = &["ประกาศณวันที่", "สั่งณวันที่", "ให้ไว้ณวันที่"];

/// Day-level mentions introduced by a signing phrase (`ประกาศ ณ วันที่`,
/// `สั่ง ณ วันที่`, `ให้ไว้ ณ วันที่`), in text order.
fn signed_mentions<'a>(text: &str, day_level: &[&'a DateMention]) -> Vec<&'a DateMention> {
    let starts: Vec<usize> = day_level.iter().map(|d| d.start).collect();
    let bytes = byte_offsets(text, &starts);
    day_level
        .iter()
        .zip(bytes)
        .filter(|(_, b)| {
            let before: String = text
                .get(..*b)
                .unwrap_or("")
                .chars()
                .rev()
                .filter(|c| !c.is_whitespace())
                .take(16)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            SIGNED.iter().any(|s| before.ends_with(s))
        })
        .map(|(d, _)| *d)
        .collect()
}

/// The value of the date an announcement, order or act was signed on (`สั่ง ณ วันที่
/// ๑๒ มีนาคม ๒๕๖๒` → `2019-03-12`), as written (partial when it has no year).
pub fn signed_date(text: &str, dates: &[DateMention]) -> Option<String> {
    let day_level: Vec<&DateMention> = dates.iter().filter(|d| is_day_level(&d.value)).collect();
    signed_mentions(text, &day_level)
        .first()
        .map(|d| d.value.clone())
}

/// The document's own date (`YYYY-MM-DD`, CE) or `None`.
///
/// `dates` are the mentions [`super::extract_dates`] found in `text`.
pub fn doc_date(text: &str, dates: &[DateMention]) -> Option<String> {
    let day_level: Vec<&DateMention> = dates.iter().filter(|d| is_day_level(&d.value)).collect();
    if day_level.is_empty() {
        return None;
    }
    let lines = heading_lines(text);
    let heading_end = lines.last().map_or(0, |l| l.end);
    // Day-level mentions introduced by a signing phrase (`ให้ไว้ ณ วันที่`…).
    let signed = signed_mentions(text, &day_level);
    // 1. An act's `ให้ไว้ ณ วันที่` under its title.
    if let Some(d) = signed.iter().find(|d| d.end <= heading_end) {
        return own(d);
    }
    // 2a. A news dateline: a heading line that is a weekday and the date alone
    // (`วันจันทร์ที่ 19 กุมภาพันธ์ 2561`), wherever the headline above it has a date.
    for d in &day_level {
        let Some(line) = lines.iter().find(|l| l.start <= d.start && d.end <= l.end) else {
            continue;
        };
        if is_weekday_line(line, d) {
            return own(d);
        }
    }
    // 2. A date line or stamp in the heading.
    for d in &day_level {
        let Some(line) = lines.iter().find(|l| l.start <= d.start && d.end <= l.end) else {
            continue;
        };
        if is_date_line(line, d) {
            return own(d);
        }
    }
    // 3. The signing line of an announcement or order.
    if let Some(d) = signed.first() {
        return own(d);
    }
    // 3b. A date line that names no day: a scan's day misread as a letter
    // (`ซกุมภาพันธ์ ๒๕๕๘` for `๗ กุมภาพันธ์ ๒๕๕๘`) or a month and year alone.
    // The own date is there without its day, so none is borrowed.
    for d in dates.iter().filter(|d| is_month_level(&d.value)) {
        if lines
            .iter()
            .any(|l| l.start <= d.start && d.end <= l.end && is_dayless_date_line(l, d))
        {
            return None;
        }
    }
    // 4. The first day-level date of the lead.
    day_level
        .first()
        .filter(|d| d.start < LEAD_CHARS)
        .and_then(|d| own(d))
}

/// `YYYY-MM-DD` of a mention's (start) day, `None` when its year is unknown.
fn own(d: &DateMention) -> Option<String> {
    let v = d.value.as_str();
    if v.starts_with("PARTIAL:") {
        return None;
    }
    v.get(..10).map(str::to_string)
}

/// Values naming a day: `2019-11-22…`, `PARTIAL:--03-24…`.
fn is_day_level(value: &str) -> bool {
    let b = value.as_bytes();
    let full = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    let partial = value.starts_with("PARTIAL:--")
        && b.len() >= 15
        && b[12] == b'-'
        && b[13..15].iter().all(u8::is_ascii_digit);
    full || partial
}

/// Values naming a month and no day: `2015-02`.
fn is_month_level(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Characters of a date line, other than the date, that may stand where a
/// misread day was.
const DAYLESS_SLACK: usize = 3;

/// A short line that is a month and year with at most a few other
/// characters before it and nothing after.
fn is_dayless_date_line(line: &Line<'_>, d: &DateMention) -> bool {
    if line.trimmed_chars > 40 || d.start < line.start {
        return false;
    }
    let chars: Vec<char> = line.text.chars().collect();
    let (a, b) = (d.start - line.start, d.end - line.start);
    if b > chars.len() {
        return false;
    }
    let before = chars[..a].iter().filter(|c| !c.is_whitespace()).count();
    let after = chars[b..].iter().filter(|c| !c.is_whitespace()).count();
    before <= DAYLESS_SLACK && after == 0
}

/// One line of the heading, in character offsets.
struct Line<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    /// Characters once leading and trailing whitespace is trimmed.
    trimmed_chars: usize,
}

/// The heading: lines up to the salutation (`เรียน`) or the first body-length line.
fn heading_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut filled = 0usize;
    for raw in text.split('\n') {
        let len = raw.chars().count();
        let trimmed = raw.trim();
        if trimmed.starts_with("เรียน") || filled >= HEADER_LINES {
            break;
        }
        if !trimmed.is_empty() {
            filled += 1;
        }
        let trimmed_chars = trimmed.chars().count();
        out.push(Line {
            start: pos,
            end: pos + len,
            text: raw,
            trimmed_chars,
        });
        if trimmed_chars > BODY_LINE {
            break;
        }
        pos += len + 1;
    }
    out
}

/// A line that is a weekday and the date, nothing else.
fn is_weekday_line(line: &Line<'_>, d: &DateMention) -> bool {
    // Such a line is short: checking only short lines keeps this linear in
    // the text (one long line may hold thousands of dates).
    if d.start < line.start || d.end > line.end || line.trimmed_chars > BODY_LINE {
        return false;
    }
    let chars: Vec<char> = line.text.chars().collect();
    let (a, b) = (d.start - line.start, d.end - line.start);
    if b > chars.len() {
        return false;
    }
    let before: String = chars[..a].iter().collect();
    let after: String = chars[b..].iter().collect();
    let before = before.trim();
    after.trim().is_empty()
        && !before.is_empty()
        && LINE_PREFIXES
            .iter()
            .filter(|p| p.starts_with("วัน") && **p != "วันที่")
            .any(|p| before == *p)
}

/// A line that is the date (with at most a weekday or a short label around it).
fn is_date_line(line: &Line<'_>, d: &DateMention) -> bool {
    // A date line is short; checking only short lines keeps this linear.
    if line.end - line.start > BODY_LINE || d.start > d.end || d.start < line.start {
        return false;
    }
    let chars: Vec<char> = line.text.chars().collect();
    let (a, b) = (d.start - line.start, d.end - line.start);
    if b > chars.len() {
        return false;
    }
    let mut before: String = chars[..a].iter().collect();
    let after: String = chars[b..].iter().collect();
    let trimmed = before.trim_end().to_string();
    for p in LINE_PREFIXES {
        if let Some(rest) = trimmed.strip_suffix(p) {
            before = rest.to_string();
            break;
        }
    }
    let rest = format!("{before} {after}");
    if FOREIGN.iter().any(|w| rest.contains(w)) {
        return false;
    }
    let slack = rest
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | ':' | '|' | '-' | ','))
        .count();
    slack <= LINE_SLACK
}

/// Byte offsets of the given ascending character offsets.
fn byte_offsets(text: &str, chars: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(chars.len());
    let mut it = text.char_indices().enumerate().peekable();
    for &c in chars {
        let mut b = text.len();
        while let Some(&(ci, (bi, _))) = it.peek() {
            if ci == c {
                b = bi;
                break;
            }
            it.next();
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::extract_dates;
    use super::*;

    fn own_date(text: &str) -> Option<String> {
        doc_date(text, &extract_dates(text))
    }

    #[test]
    fn one_long_line_of_dates_is_read_once_not_once_per_date() {
        // 20,000 dated weekdays on one line (700k characters): each date
        // used to copy the whole line, which never finished.
        let text = "วันจันทร์ที่ 19 กุมภาพันธ์ 2561 ".repeat(20_000);
        let dates = extract_dates(&text);
        assert_eq!(dates.len(), 20_000);
        assert_eq!(doc_date(&text, &dates).as_deref(), Some("2018-02-19"));
        // The same date alone on its line is still the dateline.
        let short = "ข่าวประชาสัมพันธ์\nวันจันทร์ที่ 19 กุมภาพันธ์ 2561\nเนื้อความ 1 มีนาคม 2561";
        assert_eq!(own_date(short).as_deref(), Some("2018-02-19"));
    }

    fn corpus(dir: &str, name: &str) -> String {
        let path = format!("{}/corpus/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(!text.is_empty(), "missing corpus file {name}");
        text
    }

    fn seed(name: &str) -> String {
        corpus("seeds", name)
    }

    #[test]
    fn real_documents_own_dates() {
        // News release: the dateline `วันอังคารที่ 7 กุมภาพันธ์ 2566` under the title.
        let news = corpus("real", "000_rlpd-nhrp5-cabinet-approval.txt");
        assert_eq!(own_date(&news).as_deref(), Some("2023-02-07"));
        // Act: `ให้ไว้ ณ วันที่ ๒ ธันวาคม พ.ศ. ๒๕๒๐`, not the `๒๖ มีนาคม` of its title.
        let act = corpus("real", "050_amnesty-act-pm-orders-2520.txt");
        assert_eq!(own_date(&act).as_deref(), Some("1977-12-02"));
        // Announcement: `ประกาศ ณ วันที่ ๑๐ กรกฎาคม พุทธศักราช ๒๕๕๗`.
        let ann = corpus("real", "049_ncpo-announcement-83-2557.txt");
        assert_eq!(own_date(&ann).as_deref(), Some("2014-07-10"));
    }

    #[test]
    fn seeds_own_dates() {
        // News with only `วันนี้ (24 มี.ค.)`: no year written, so no own date.
        assert_eq!(own_date(&seed("000_34a1339aa7e8c079.txt")), None);
        // News lead `เมื่อวันที่ 14 กุมภาพันธ์ 2567 เวลา 10.00 น.`.
        assert_eq!(
            own_date(&seed("001_540c5badf066de20.txt")).as_deref(),
            Some("2024-02-14")
        );
        // `วันนี้ (31 มี.ค.)`: year-less.
        assert_eq!(own_date(&seed("002_94a5e7a9c55b254b.txt")), None);
        // Circular: date line `๒๒ พฤศจิกายน ๒๕๖๒` under the address.
        assert_eq!(
            own_date(&seed("003_42c590216e999c55.txt")).as_deref(),
            Some("2019-11-22")
        );
        // Publication stamp `30 สิงหาคม 2560 / 20:07:42`.
        assert_eq!(
            own_date(&seed("004_34ed204ab4317a86.txt")).as_deref(),
            Some("2017-08-30")
        );
    }

    #[test]
    fn dateline_beats_the_date_in_the_title() {
        let text = "สรุปข่าวการประชุมคณะรัฐมนตรี 17 สิงหาคม 2559\n\nวันอังคารที่ 23 สิงหาคม 2559\n\
                    วันนี้ (17 สิงหาคม 2559) เวลา 09.00 น. ณ ห้องประชุม 501 ตึกบัญชาการ 1 ทำเนียบรัฐบาล";
        assert_eq!(own_date(text).as_deref(), Some("2016-08-23"));
    }

    #[test]
    fn cited_letter_date_is_not_the_own_date() {
        let text = "ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐\nอ้างถึง หนังสือ ลงวันที่ ๒๖ พฤศจิกายน ๒๕๖๒\n\
                    ๒ ธันวาคม ๒๕๖๒\nเรื่อง ขอเชิญประชุม\nเรียน ผู้ว่าราชการจังหวัด";
        assert_eq!(own_date(text).as_deref(), Some("2019-12-02"));
    }

    #[test]
    fn signing_line_of_an_order() {
        let text = "คำสั่งกระทรวงมหาดไทย\nที่ 2145/2566\nเรื่อง แต่งตั้งคณะกรรมการ\n\
                    ตามมติคณะรัฐมนตรีเมื่อวันที่ 10 มกราคม 2566 "
            .to_string()
            + &"ข้อความ ".repeat(30)
            + "\nสั่ง ณ วันที่ 3 สิงหาคม พ.ศ. 2566";
        assert_eq!(own_date(&text).as_deref(), Some("2023-08-03"));
    }

    #[test]
    fn no_dates_no_own_date() {
        assert_eq!(own_date("ประกาศสำนักงาน ก.พ. เรื่อง หลักเกณฑ์"), None);
        assert_eq!(own_date(""), None);
    }

    /// A scanned letter whose day was read as a letter (`ซ` for `๗`): its
    /// own date has no day, and the date in its body is another event's.
    #[test]
    fn a_date_line_without_its_day_borrows_no_other_date() {
        let letter = |date_line: &str| {
            format!(
                "ที่ มท ๙๕๒๘.๑/๘๗๒๘๔\nกระทรวงมหาดไทย\nถนนอัษฎางค์ กทม. ๑๐๒๐๐\n{date_line}\n\
                 เรื่อง การจัดทำแผนปฏิบัติการ\nเรียน ปลัดกระทรวงยุติธรรม\n\
                 คณะรัฐมนตรีรับทราบ เมื่อวันที่ 23 กุมภาพันธ์ 2566 โดยมีปลัดกระทรวงพาณิชย์\n"
            )
        };
        assert_eq!(own_date(&letter("ซกุมภาพันธ์ ๒๕๕๘")), None);
        assert_eq!(own_date(&letter("กุมภาพันธ์ ๒๕๕๘")), None);
        // Read whole, the date line is the own date.
        assert_eq!(
            own_date(&letter("๗ กุมภาพันธ์ ๒๕๕๘")).as_deref(),
            Some("2015-02-07")
        );
        // A heading that names a month is not a date line: the lead's date
        // is the own date, as before.
        assert_eq!(
            own_date(&letter("รายงานประจำเดือนกุมภาพันธ์ ๒๕๕๘")).as_deref(),
            Some("2023-02-23")
        );
    }
}
