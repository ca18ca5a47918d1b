//! Document type from the document's own form, read from its first lines.
//!
//! - an order header at the top (`คำสั่ง... ที่ N/YYYY`) → order (and that number is the
//!   document's own);
//! - a letter number at the start of a line (`ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒`) with a salutation
//!   (`เรียน`) → circular when the number has `/ว`, else letter;
//! - `ประกาศ...` at the top → announcement;
//! - a news page or reporting style (`วันนี้ (24 มี.ค.)`, `ข่าว...`, a news site's
//!   header, `กล่าวว่า`) → news;
//! - anything else → other.

use crate::model::{DocType, OrderKind};

use super::orders::{RawDocNumber, RawOrder};

/// Header of pages from the Royal Thai Government news site.
const THAIGOV: &str = "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-";

/// Lines of page furniture skipped before the document's first real line.
const FURNITURE: &[&str] = &["พิมพ์", "xs", "xsm", "sm", "md", "lg", "-", "+", "A A A"];

/// How many leading content lines are read.
const HEAD_LINES: usize = 16;

/// A content line: byte offset of its first non-space character and its trimmed text.
struct Line<'a> {
    start: usize,
    text: &'a str,
}

fn head_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let t = raw.trim().trim_start_matches('\u{feff}');
        if t.is_empty() || FURNITURE.contains(&t) || t.chars().count() < 2 {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        out.push(Line {
            start: start + lead,
            text: t,
        });
        if out.len() >= HEAD_LINES {
            break;
        }
    }
    out
}

/// Classifies `text`; returns the type and, for an order, its own number.
pub(crate) fn classify(
    text: &str,
    orders: &[RawOrder],
    doc_numbers: &[RawDocNumber],
) -> (DocType, Option<String>) {
    let lines = head_lines(text);
    let mut thaigov = false;
    // Where each of the first lines really starts (after a news site's header).
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0
            && let Some(rest) = l.text.strip_prefix(THAIGOV)
        {
            thaigov = true;
            starts.push((l.start + THAIGOV.len(), rest.trim_start()));
            continue;
        }
        starts.push((l.start, l.text));
    }

    // An order header among the first lines.
    let top = if thaigov { 1 } else { 4 };
    for &(s, t) in starts.iter().take(top) {
        if !t.starts_with("คำสั่ง") {
            continue;
        }
        if let Some(o) = orders
            .iter()
            .find(|o| o.kind == OrderKind::Order && o.start == s && o.number.is_some())
        {
            return (DocType::Order, o.number.clone());
        }
    }

    // A letter: its number opens a line near the top and a salutation follows.
    let letter_no = doc_numbers.iter().find(|d| {
        starts
            .iter()
            .take(10)
            .any(|&(s, t)| t.starts_with("ที่") && d.start == s)
    });
    if let Some(d) = letter_no {
        let salutation = text.lines().take(80).any(|l| {
            let l = l.trim_start();
            l.starts_with("เรียน") || l.starts_with("สิ่งที่ส่งมาด้วย") || l.starts_with("อ้างถึง")
        });
        if salutation {
            let kind = if d.number.contains("/ว") {
                DocType::Circular
            } else {
                DocType::Letter
            };
            return (kind, None);
        }
    }

    // An announcement heading.
    let top = if thaigov { 1 } else { 3 };
    if let Some(&(s, _)) = starts
        .iter()
        .take(top)
        .find(|&&(_, t)| t.starts_with("ประกาศ") && !t.starts_with("ประกาศว่า"))
    {
        // Its own number when the heading is a numbered announcement.
        let own = orders
            .iter()
            .find(|o| o.kind == OrderKind::Announcement && o.start == s)
            .and_then(|o| o.number.clone());
        return (DocType::Announcement, own);
    }

    if thaigov || news_score(text, &lines) >= 2 {
        return (DocType::News, None);
    }
    (DocType::Other, None)
}

/// Evidence of a news report.
fn news_score(text: &str, lines: &[Line<'_>]) -> u32 {
    let head: String = text.chars().take(3000).collect();
    let mut score = 0;
    if head.contains("วันนี้ (") || head.contains("วันนี้(") {
        score += 2;
    }
    if lines.iter().take(6).any(|l| l.text.contains("ข่าว")) {
        score += 2;
    }
    // A news release's dateline under its headline: วันจันทร์ที่ 19 กุมภาพันธ์ 2561.
    if lines.iter().take(4).any(|l| is_dateline(l.text)) {
        score += 2;
    }
    if head.contains("เผยแพร่:") || head.contains("MGR Online") || head.contains("สำนักข่าว")
    {
        score += 2;
    }
    if lines
        .iter()
        .take(12)
        .any(|l| l.text.starts_with("เมื่อวันที่") || l.text.starts_with("วันนี้"))
    {
        score += 1;
    }
    if text.contains("กล่าวว่า") || text.contains("เปิดเผยว่า")
    {
        score += 1;
    }
    if text.contains("ที่มา :") || text.contains("ที่มา:") {
        score += 1;
    }
    score
}

/// Weekdays that open a news dateline.
const WEEKDAYS: &[&str] = &[
    "วันจันทร์",
    "วันอังคาร",
    "วันพุธ",
    "วันพฤหัสบดี",
    "วันพฤหัส",
    "วันศุกร์",
    "วันเสาร์",
    "วันอาทิตย์",
];

/// A line that is a weekday and a date with its year and nothing else
/// (`วันอังคารที่ 23 สิงหาคม 2559`).
fn is_dateline(line: &str) -> bool {
    let Some(rest) = WEEKDAYS.iter().find_map(|w| line.strip_prefix(w)) else {
        return false;
    };
    let rest = rest.strip_prefix("ที่").unwrap_or(rest).trim();
    let mut words = rest.split_whitespace();
    let day = words.next().unwrap_or("");
    let year = rest.split_whitespace().last().unwrap_or("");
    let digits = |w: &str| !w.is_empty() && w.chars().all(crate::normalize::is_digit);
    digits(day) && digits(year) && year.chars().count() == 4 && rest.split_whitespace().count() <= 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::orders::{find_doc_numbers, find_orders};

    fn kind(text: &str) -> DocType {
        let orders = find_orders(text, &[]);
        let codes = ["รย", "มท"].iter().map(|c| c.to_string()).collect();
        let nums = find_doc_numbers(text, &codes);
        classify(text, &orders, &nums).0
    }

    #[test]
    fn order_page_from_news_site() {
        let text = "\u{feff}รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-คำสั่งสำนักนายกรัฐมนตรีที่ ๗๖ / ๒๕๖๓\n\nวันพุธที่ 18 มีนาคม 2563\nคำสั่งสำนักนายกรัฐมนตรีที่ ๗๖ / ๒๕๖๓\nเรื่อง จัดตั้งศูนย์\n"
            .trim_start_matches('\u{feff}');
        let orders = find_orders(text, &[]);
        let (t, own) = classify(text, &orders, &[]);
        assert_eq!(t, DocType::Order);
        assert_eq!(own.as_deref(), Some("76/2563"));
    }

    #[test]
    fn plain_order_and_announcement() {
        assert_eq!(
            kind("คำสั่งกระทรวงมหาดไทย\nที่ ๒๗๓๙/๒๕๖๖\nเรื่อง แต่งตั้งคณะกรรมการ\n"),
            DocType::Order
        );
        assert_eq!(
            kind("ประกาศคณะรักษาความสงบแห่งชาติ\nประกาศคณะรักษาความสงบแห่งชาติ\nฉบับที่\n๘๓/๒๕๕๗\n"),
            DocType::Announcement
        );
    }

    #[test]
    fn circular_letter() {
        let text = "\n\nด่วนที่สุด\n\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\n\nศาลากลางจังหวัดระยอง\n\n๒๒ พฤศจิกายน ๒๕๖๒\n\nเรื่อง ติดตามรายงาน\n\nเรียน หัวหน้าส่วนราชการ\n";
        assert_eq!(kind(text), DocType::Circular);
        let text = "ที่ มท ๐๒๑๑.๔/๗๑๖๐\nกระทรวงมหาดไทย\nเรื่อง ขอความร่วมมือ\nเรียน ผู้ว่าราชการจังหวัด\n";
        assert_eq!(kind(text), DocType::Letter);
    }

    #[test]
    fn news_and_other() {
        assert_eq!(
            kind("วันนี้ (31 มี.ค.) ณ ห้องประชุม 5 นายนิรัตน์ พงษ์สิทธิถาวร ผู้ว่าราชการจังหวัดเชียงใหม่"),
            DocType::News
        );
        assert_eq!(
            kind("รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-สรุปข่าวการประชุมคณะรัฐมนตรี\nวันอังคารที่ 21 มีนาคม 2566\n"),
            DocType::News
        );
        // A news page about an order is news, not the order.
        assert_eq!(
            kind(
                "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-“ยุติธรรม” ประชุมคณะกรรมการ ผลการดำเนินงานตามคำสั่ง คสช.ที่ ๒๒/๒๕๕๘\n"
            ),
            DocType::News
        );
        assert_eq!(
            kind("พระราชบัญญัติ\nนิรโทษกรรมแก่ผู้กระทำการอันเป็นความผิด\nพ.ศ. ๒๕๒๐\n"),
            DocType::Other
        );
        // A news release whose site header was removed: its dateline tells.
        assert_eq!(
            kind(
                "เร่งป้อนแรงงาน “1 แสนตำแหน่ง” สู่อุตสาหกรรมอีอีซี\n\nวันอังคารที่ 15 สิงหาคม 2566\nการพัฒนาเขตพัฒนาพิเศษภาคตะวันออก (EEC) นั้น ถือว่าประสบความเสร็จด้วยดี\n"
            ),
            DocType::News
        );
        assert!(!is_dateline("วันอังคารที่ 15 สิงหาคม 2566 ครม. มีมติ"));
        // The site header after a byte-order mark still marks a news page.
        assert_eq!(
            kind("\u{feff}รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-กรมบัญชีกลาง ยัน ! งบประมาณผูกพันข้ามปี\n"),
            DocType::News
        );
    }
}
