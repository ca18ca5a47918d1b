//! Orders (`คำสั่ง<issuer> ที่ N/YYYY [ลงวันที่ ...] [เรื่อง <subject>]`), cabinet
//! resolutions (`มติคณะรัฐมนตรีเมื่อวันที่ ...`, `คณะรัฐมนตรีได้มีมติ (...)`) and letter
//! numbers introduced by `ที่` (`ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒`).
//!
//! Each form is found by a literal keyword (memchr's substring search) and parsed
//! forward from it, so the cost is linear in the text. Numbers are normalized to Arabic
//! digits with B.E. years as written; resolution and order dates are taken from the
//! document's date mentions by position.

use std::collections::HashSet;

use memchr::memmem;

use crate::model::OrderKind;
use crate::thai::{floor_char, is_consonant, is_word_char};

use super::scan::{
    fold_ws, full_year, is_hspace, next_char, read_digits, read_dotted_digits, skip_hspace,
    skip_space_lines,
};

/// A date mention in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateSpan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) value: String,
}

/// An order or resolution in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawOrder {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: OrderKind,
    pub(crate) number: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) is_self: bool,
}

/// A letter number in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawDocNumber {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) number: String,
}

const ORDER: &str = "คำสั่ง";
const THI: &str = "ที่";

/// Words glued before `ที่` that make it an ordinal, not an order number
/// (`ครั้งที่ 1/2566` is a meeting).
const ORDINAL_HEADS: &[&str] = &[
    "ครั้ง",
    "ฉบับ",
    "ข้อ",
    "ลำดับ",
    "หมู่",
    "ชุด",
    "รุ่น",
    "ระยะ",
    "มาตรา",
    "วรรค",
    "ประเภท",
    "หน้า",
    "เล่ม",
    "ตอน",
    "ปี",
    "ภาค",
    "เขต",
    "ห้อง",
    "ชั้น",
    "คน",
];

/// Words that end an order's subject when they start a new word after a space.
const SUBJECT_BREAKS: &[&str] = &[
    "โดย",
    "ซึ่ง",
    "ทั้งนี้",
    "ลงวันที่",
    "และคำสั่ง",
    "ผู้ว่าราชการ",
    "ตาม",
    "เมื่อ",
    "จึง",
    "เพื่อให้",
    "นั้น",
    "แล้ว",
    "ต่อไป",
    "และได้",
    "ที่ประชุม",
    "เป็นต้นไป",
    "ประกอบด้วย",
    "ได้แก่",
    "สั่ง",
    "กล่าว",
    "มีผล",
    "ให้",
    "นาย",
    "นาง",
    "มี",
    "ได้",
    "จะ",
    "เป็น",
    "และมี",
    "ในการนี้",
    "ดังนั้น",
    "ส่วน",
    "นอกจากนี้",
    "รวมทั้ง",
    "รวมถึง",
    "คือ",
    "พร้อมทั้ง",
    "อีกทั้ง",
];

/// Longest subject kept, in characters.
const MAX_SUBJECT_CHARS: usize = 400;

/// Finds orders and cabinet resolutions, in text order. `dates` are sorted by start.
pub(crate) fn find_orders(text: &str, dates: &[DateSpan]) -> Vec<RawOrder> {
    let mut out: Vec<RawOrder> = Vec::new();
    for k in memmem::find_iter(text.as_bytes(), ORDER.as_bytes()) {
        if let Some(o) = parse_order(text, k, dates) {
            out.push(o);
        }
    }
    for m in memmem::find_iter(text.as_bytes(), "มติ".as_bytes()) {
        if let Some(o) = parse_resolution(text, m, dates)
            && !out.iter().any(|x| x.start < o.end && o.start < x.end)
        {
            out.push(o);
        }
    }
    out.sort_by_key(|o| o.start);
    out
}

fn parse_order(text: &str, k: usize, dates: &[DateSpan]) -> Option<RawOrder> {
    let issuer_start = skip_hspace(text, k + ORDER.len(), 3);
    let limit = floor_char(text, (issuer_start + 420).min(text.len()));
    let region = &text[issuer_start..limit];
    let mut found: Option<(usize, String, usize)> = None;
    for off in memmem::find_iter(region.as_bytes(), THI.as_bytes()) {
        let t = issuer_start + off;
        let issuer_part = &text[issuer_start..t];
        if issuer_part.contains(ORDER)
            || issuer_part.matches('\n').count() > 1
            || issuer_part.contains("\n\n")
        {
            return None;
        }
        if ORDINAL_HEADS.iter().any(|h| issuer_part.ends_with(h)) {
            return None;
        }
        if let Some((number, n_end)) = order_number_at(text, t + THI.len()) {
            found = Some((t, number, n_end));
            break;
        }
    }
    let (t, number, n_end) = found?;
    let issuer = fold_ws(&text[issuer_start..t]);
    let issuer = issuer.strip_prefix("ของ").map(str::trim).unwrap_or(&issuer);
    let issuer = Some(issuer.to_string()).filter(|s| !s.is_empty());

    let mut cur = n_end;
    let mut date = None;
    let q = skip_hspace(text, cur, 3);
    if let Some(kw) = ["ลงวันที่", "ลงวันที"]
        .iter()
        .find(|k| text[q..].starts_with(**k))
    {
        let after_kw = skip_hspace(text, q + kw.len(), 3);
        if let Some(d) = date_near(dates, q, after_kw + 3) {
            date = Some(d.value.clone());
            cur = d.end;
        }
    }
    // The subject, on this line or the next ones; the date may follow it:
    // เรื่อง ... ลงวันที่ ๑๖ เมษายน ๒๕๕๘.
    let (subject, s_end, s_date) = subject_after(text, cur, dates);
    let end = if subject.is_some() { s_end } else { cur };
    if date.is_none() {
        date = s_date;
    }
    Some(RawOrder {
        start: k,
        end,
        kind: OrderKind::Order,
        number: Some(number),
        issuer,
        subject,
        date,
        is_self: false,
    })
}

/// Heads of numbered announcements and orders of councils, and the kind they make.
const NUMBERED_HEADS: &[(&str, OrderKind)] = &[
    ("ประกาศ", OrderKind::Announcement),
    ("คำสั่ง", OrderKind::Order),
];

/// Words before a council's name that keep it the issuer (`คำสั่งหัวหน้า คสช.`).
const ISSUER_LEADS: &[&str] = &["หัวหน้า", "ประธาน"];

/// Finds numbered announcements and orders of the bodies in `councils`
/// (`ประกาศคณะรักษาความสงบแห่งชาติ ฉบับที่ ๑๐๘/๒๕๕๗`, `ประกาศของคณะปฏิวัติ ฉบับที่ ๔๔`),
/// in text order. A number written without its year is kept as `N`.
pub(crate) fn find_numbered(text: &str, councils: &[String], dates: &[DateSpan]) -> Vec<RawOrder> {
    let mut out = Vec::new();
    for (head, kind) in NUMBERED_HEADS {
        for k in memmem::find_iter(text.as_bytes(), head.as_bytes()) {
            if let Some(o) = parse_numbered(text, k, head.len(), *kind, councils, dates) {
                out.push(o);
            }
        }
    }
    out.sort_by_key(|o| o.start);
    out
}

fn parse_numbered(
    text: &str,
    k: usize,
    head_len: usize,
    kind: OrderKind,
    councils: &[String],
    dates: &[DateSpan],
) -> Option<RawOrder> {
    let mut p = skip_hspace(text, k + head_len, 2);
    if text[p..].starts_with("ของ") {
        p = skip_hspace(text, p + "ของ".len(), 2);
    }
    let issuer_start = p;
    if let Some(lead) = ISSUER_LEADS.iter().find(|l| text[p..].starts_with(**l)) {
        p = skip_hspace(text, p + lead.len(), 2);
    }
    let council = councils
        .iter()
        .filter(|c| text[p..].starts_with(c.as_str()))
        .max_by_key(|c| c.len())?;
    let issuer_end = p + council.len();
    let q = skip_space_lines(text, issuer_end, 2);
    if !text[q..].starts_with("ฉบับที่") {
        return None;
    }
    let q = skip_space_lines(text, q + "ฉบับที่".len(), 1);
    let (n, n_end) = read_digits(text, q)?;
    let n = n.trim_start_matches('0');
    if n.is_empty() || n.len() > 4 {
        return None;
    }
    let mut number = n.to_string();
    let mut end = n_end;
    let y = skip_hspace(text, n_end, 1);
    if text[y..].starts_with('/') {
        let (yy, y_end) = read_digits(text, skip_hspace(text, y + 1, 1))?;
        number = format!("{n}/{}", full_year(&yy)?);
        end = y_end;
    }
    if next_char(text, end).is_some_and(|c| c.is_ascii_digit() || is_word_char(c)) {
        return None;
    }
    let (subject, s_end, mut date) = subject_after(text, end, dates);
    if subject.is_some() {
        end = s_end;
    } else {
        // ฉบับที่ ๑๘๙ ⏎ ลงวันที่ ๒๓ กรกฎาคม พ.ศ. ๒๕๑๕.
        let q = skip_space_lines(text, end, 1);
        if text[q..].starts_with("ลงวันที่") {
            let after_kw = skip_space_lines(text, q + "ลงวันที่".len(), 1);
            if let Some(d) = date_near(dates, q, after_kw + 3) {
                date = Some(d.value.clone());
                end = d.end;
            }
        }
    }
    Some(RawOrder {
        start: k,
        end,
        kind,
        number: Some(number),
        issuer: Some(fold_ws(&text[issuer_start..issuer_end])),
        subject,
        date,
        is_self: false,
    })
}

/// `เรื่อง <subject>` after an order's number (on the same line or the next ones), and a
/// `ลงวันที่ <date>` after it: (subject, end byte, date value).
fn subject_after(
    text: &str,
    from: usize,
    dates: &[DateSpan],
) -> (Option<String>, usize, Option<String>) {
    // A footnote mark after the number: ฉบับที่ ๔๔[๑].
    let mut cur = from;
    if text[cur..].starts_with('[')
        && let Some(close) = text[cur..].find(']')
        && close <= 8
    {
        cur += close + 1;
    }
    let q = skip_space_lines(text, cur, 2);
    if !text[q..].starts_with("เรื่อง") {
        return (None, from, None);
    }
    let s0 = skip_space_lines(text, q + "เรื่อง".len(), 1);
    let s_end = subject_end_lines(text, s0);
    let sub = fold_ws(&text[s0..s_end]);
    if sub.is_empty() {
        return (None, from, None);
    }
    let mut end = s_end;
    let mut date = None;
    // The date after the subject, on its line or the next: … เรื่อง … ⏎ ลงวันที่ ….
    let q = skip_space_lines(text, end, 1);
    if text[q..].starts_with("ลงวันที่") {
        let after_kw = skip_hspace(text, q + "ลงวันที่".len(), 3);
        if let Some(d) = date_near(dates, q, after_kw + 3) {
            date = Some(d.value.clone());
            end = d.end;
        }
    }
    (Some(sub), end, date)
}

/// Longest line of a heading whose subject may go on to the next line (in characters).
const WRAPPED_LINE: usize = 110;

/// End of a subject that may wrap over short lines, as in an order's or announcement's
/// heading: `เรื่อง` ⏎ `การปฏิบัติต่อ…` ⏎ `เพื่อเข้าสู่…[๑]`. A footnote mark at its end
/// is left out.
fn subject_end_lines(text: &str, s0: usize) -> usize {
    let mut end = subject_end(text, s0);
    for _ in 0..3 {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        // Only when the subject reached the end of a short line.
        if text[end..line_end].trim() != "" || text[line_start..end].chars().count() > WRAPPED_LINE
        {
            break;
        }
        let next = line_end + 1;
        if next >= text.len() {
            break;
        }
        let n_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        let line = text[next..n_end].trim();
        if line.is_empty()
            || line.chars().count() > WRAPPED_LINE
            || SUBJECT_BREAKS.iter().any(|b| line.starts_with(b))
            || ["ที่", "ข้อ", "(", "["].iter().any(|b| line.starts_with(b))
            || line.starts_with(|c: char| c.is_ascii_digit() || crate::normalize::is_digit(c))
        {
            break;
        }
        let p = skip_hspace(text, next, 8);
        end = subject_end(text, p);
    }
    // A footnote mark: …ฟื้นฟู[๑].
    let t = &text[s0..end];
    if t.ends_with(']')
        && let Some(open) = t.rfind('[')
        && t[open + 1..t.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit() || crate::normalize::is_digit(c))
    {
        return trim_end_ws(text, s0, s0 + open);
    }
    end
}

/// Reads `N/YYYY` after `ที่` (optionally `สกอ ๑๔๓๕/๒๕๖๐`): (normalized, end byte).
fn order_number_at(text: &str, pos: usize) -> Option<(String, usize)> {
    let mut p = skip_hspace(text, pos, 3);
    // An agency code before the number (คำสั่งกระทรวงศึกษาธิการ ที่ สกอ ๑๔๓๕/๒๕๖๐).
    let code_end = consonant_run_end(text, p);
    let code_len = text[p..code_end].chars().count();
    if (2..=5).contains(&code_len) {
        let dot = if text[code_end..].starts_with('.') {
            code_end + 1
        } else {
            code_end
        };
        let q = skip_hspace(text, dot, 2);
        if q > code_end {
            p = q;
        }
    }
    let (n, n_end) = read_digits(text, p)?;
    if n.len() > 5 {
        return None;
    }
    let q = skip_hspace(text, n_end, 2);
    if !text[q..].starts_with('/') {
        return None;
    }
    let q = skip_hspace(text, q + 1, 2);
    let (y, y_end) = read_digits(text, q)?;
    let year = full_year(&y)?;
    if next_char(text, y_end) == Some('/') {
        return None;
    }
    let n = n.trim_start_matches('0');
    if n.is_empty() {
        return None;
    }
    Some((format!("{n}/{year}"), y_end))
}

/// End of an order's subject starting at `s0`: the end of the line, or before the
/// first word that starts a new clause.
fn subject_end(text: &str, s0: usize) -> usize {
    // The subject stops after MAX_SUBJECT_CHARS characters anyway: look for
    // the line end no further (a long line made this quadratic).
    let mut horizon = (s0 + 4 * (MAX_SUBJECT_CHARS + 1)).min(text.len());
    while !text.is_char_boundary(horizon) {
        horizon -= 1;
    }
    let line_end = text[s0..horizon].find('\n').map_or(horizon, |i| s0 + i);
    let mut end = s0;
    let mut chars = 0;
    for (i, c) in text[s0..line_end].char_indices() {
        chars += 1;
        if chars > MAX_SUBJECT_CHARS {
            break;
        }
        if is_hspace(c) {
            let next = s0 + i + c.len_utf8();
            let next = skip_hspace(text, next, 8);
            if SUBJECT_BREAKS.iter().any(|b| text[next..].starts_with(b))
                || list_marker_at(text, next)
            {
                return trim_end_ws(text, s0, end);
            }
        }
        end = s0 + i + c.len_utf8();
    }
    trim_end_ws(text, s0, end)
}

/// A list item marker at `pos`: `5)`, `(5)`, `5.` followed by a space.
fn list_marker_at(text: &str, pos: usize) -> bool {
    let p = if text[pos..].starts_with('(') {
        pos + 1
    } else {
        pos
    };
    match read_digits(text, p) {
        Some((n, e)) if n.len() <= 2 => {
            text[e..].starts_with(')') || (text[e..].starts_with(". ") && p == pos)
        }
        _ => false,
    }
}

fn trim_end_ws(text: &str, s0: usize, end: usize) -> usize {
    let mut t = text[s0..end].trim_end().trim_end_matches([',', ';', ':']);
    for c in ["และ", "หรือ"] {
        if let Some(r) = t.strip_suffix(c)
            && r.ends_with(|ch: char| ch.is_whitespace())
        {
            t = r.trim_end();
        }
    }
    s0 + t.len()
}

/// Forms that name a cabinet resolution and are followed by its date.
const RESOLUTION_HEADS: &[&str] = &["มติคณะรัฐมนตรี", "มติ ครม.", "มติครม.", "มติ ครม", "มติครม"];

/// Bodies that resolve, written before `มีมติ` (`คณะรัฐมนตรีได้มีมติ`).
const CABINET: &[&str] = &["คณะรัฐมนตรี", "ครม.", "ครม"];

fn parse_resolution(text: &str, m: usize, dates: &[DateSpan]) -> Option<RawOrder> {
    let rest = &text[m..];
    if let Some(head) = RESOLUTION_HEADS.iter().find(|h| rest.starts_with(**h)) {
        if let Some((date, end)) = date_after(text, m + head.len(), dates) {
            return Some(resolution(m, end, Some(date), None));
        }
        // A resolution named by its subject: มติคณะรัฐมนตรี เรื่อง ...
        let q = skip_hspace(text, m + head.len(), 3);
        if text[q..].starts_with("เรื่อง") {
            let s0 = skip_hspace(text, q + "เรื่อง".len(), 3);
            let s_end = subject_end(text, s0);
            let sub = fold_ws(&text[s0..s_end]);
            if !sub.is_empty() {
                return Some(resolution(m, s_end, None, Some(sub)));
            }
        }
        return None;
    }
    // คณะรัฐมนตรี(ได้)มีมติ ...
    let before = text[..m].strip_suffix("มี")?;
    let before = before.trim_end_matches(|c: char| is_hspace(c));
    let before = before.strip_suffix("ได้").unwrap_or(before);
    let before = before.trim_end_matches(|c: char| is_hspace(c));
    let body = CABINET.iter().find(|c| before.ends_with(**c))?;
    let start = before.len() - body.len();
    let m_end = m + "มติ".len();
    if let Some((date, end)) = date_after(text, m_end, dates) {
        return Some(resolution(start, end, Some(date), None));
    }
    // เมื่อวันที่ <date> คณะรัฐมนตรีได้มีมติ
    let lead = text[..start].trim_end_matches(|c: char| is_hspace(c));
    let i = dates.partition_point(|d| d.start < lead.len());
    let d = dates[..i]
        .iter()
        .rev()
        .take(4)
        .find(|d| d.end == lead.len())?;
    let kw_zone = text[..d.start].trim_end_matches(|c: char| is_hspace(c));
    let kw_start = ["เมื่อวันที่", "วันที่"]
        .iter()
        .find(|k| kw_zone.ends_with(**k))
        .map(|k| kw_zone.len() - k.len())
        .or_else(|| {
            // The date mention may itself include วันที่.
            ["เมื่อ"]
                .iter()
                .find(|k| kw_zone.ends_with(**k))
                .map(|k| kw_zone.len() - k.len())
        })?;
    Some(resolution(kw_start, m_end, Some(d.value.clone()), None))
}

fn resolution(start: usize, end: usize, date: Option<String>, subject: Option<String>) -> RawOrder {
    RawOrder {
        start,
        end,
        kind: OrderKind::CabinetResolution,
        number: None,
        issuer: Some("คณะรัฐมนตรี".to_string()),
        subject,
        date,
        is_self: false,
    }
}

/// The date written right after `pos` (`เมื่อวันที่ <date>`, `(<date>)`): (value, end).
fn date_after(text: &str, pos: usize, dates: &[DateSpan]) -> Option<(String, usize)> {
    let p = skip_hspace(text, pos, 3);
    let rest = &text[p..];
    let (r, paren) = if let Some(k) = ["เมื่อวันที่", "ลงวันที่", "วันที่", "เมื่อ"]
        .iter()
        .find(|k| rest.starts_with(**k))
    {
        (p + k.len(), false)
    } else if rest.starts_with('(') {
        (p + 1, true)
    } else {
        // The date right after the head: มติ ครม. 4 กุมภาพันธ์ 2563.
        let d = date_near(dates, p, p)?;
        return Some((d.value.clone(), d.end));
    };
    let d = date_near(dates, p, skip_hspace(text, r, 3) + 3)?;
    if paren {
        let q = skip_hspace(text, d.end, 2);
        if text[q..].starts_with(')') {
            return Some((d.value.clone(), q + 1));
        }
        return None;
    }
    Some((d.value.clone(), d.end))
}

/// The first date mention starting in `[from, to]`.
/// `dates` are sorted by start.
fn date_near(dates: &[DateSpan], from: usize, to: usize) -> Option<&DateSpan> {
    let i = dates.partition_point(|d| d.start < from);
    dates.get(i).filter(|d| d.start <= to)
}

/// Finds letter numbers introduced by `ที่`, in text order.
///
/// `codes` are the known agency and province codes; a number after an unknown code
/// must look like a letter number (four digits or a dotted unit: `0017.2`).
pub(crate) fn find_doc_numbers(text: &str, codes: &HashSet<String>) -> Vec<RawDocNumber> {
    let mut out = Vec::new();
    for t in memmem::find_iter(text.as_bytes(), THI.as_bytes()) {
        if let Some(d) = doc_number_at(text, t, codes) {
            out.push(d);
        }
    }
    out
}

fn doc_number_at(text: &str, t: usize, codes: &HashSet<String>) -> Option<RawDocNumber> {
    let p = skip_hspace(text, t + THI.len(), 3);
    let code_end = consonant_run_end(text, p);
    let code = &text[p..code_end];
    let code_len = code.chars().count();
    if !(2..=5).contains(&code_len) {
        return None;
    }
    // The code is a whole word: no vowel or mark glued after it.
    if next_char(text, code_end).is_some_and(is_word_char) {
        return None;
    }
    let mut q = code_end;
    if text[q..].starts_with('.') {
        q += 1;
    }
    let q = skip_hspace(text, q, 2);
    let (n1, e1) = read_dotted_digits(text, q)?;
    let digits = n1.chars().filter(char::is_ascii_digit).count();
    let known = codes.contains(code);
    if digits < 3 || (!known && digits < 4 && !n1.contains('.')) {
        return None;
    }
    let s = skip_hspace(text, e1, 2);
    if !text[s..].starts_with('/') {
        return None;
    }
    let mut r = skip_hspace(text, s + 1, 2);
    let mut circular = false;
    if text[r..].starts_with('ว') {
        let after = r + 'ว'.len_utf8();
        let after = if text[after..].starts_with('.') {
            after + 1
        } else {
            after
        };
        let after_ws = skip_hspace(text, after, 2);
        if next_char(text, after_ws).is_some_and(crate::normalize::is_digit) {
            circular = true;
            r = after_ws;
        }
    }
    let (n2, e2) = read_digits(text, r)?;
    let number = if circular {
        format!("{code} {n1}/ว {n2}")
    } else {
        format!("{code} {n1}/{n2}")
    };
    Some(RawDocNumber {
        start: t,
        end: e2,
        number,
    })
}

/// End of the run of Thai consonants at `pos`.
fn consonant_run_end(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[pos..].chars() {
        if !is_consonant(c) {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// `๒ / ๒๕๖๖` → `2/2566`; `ที่ 2/2566` and two-digit years (`2/66`) are accepted.
/// `None` when `s` is not an order number.
pub fn normalize_order_number(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.strip_prefix(THI).unwrap_or(t);
    let p = skip_hspace(t, 0, 8);
    let (n, n_end) = read_digits(t, p)?;
    let q = skip_hspace(t, n_end, 4);
    if !t[q..].starts_with('/') {
        return None;
    }
    let q = skip_hspace(t, q + 1, 4);
    let (y, y_end) = read_digits(t, q)?;
    if !t[y_end..].trim().is_empty() {
        return None;
    }
    let year = full_year(&y)?;
    let n = n.trim_start_matches('0');
    if n.is_empty() || n.len() > 5 {
        return None;
    }
    Some(format!("{n}/{year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders(text: &str) -> Vec<RawOrder> {
        find_orders(text, &[])
    }

    fn councils() -> Vec<String> {
        ["คณะรักษาความสงบแห่งชาติ", "คสช.", "คณะปฏิวัติ", "คณะรัฐมนตรี"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn numbered_announcements_of_councils() {
        // thai-law-667 34/710555: the heading of an NCPO announcement.
        let text = "ประกาศคณะรักษาความสงบแห่งชาติ\n\nฉบับที่\n๑๐๘/๒๕๕๗\nเรื่อง\nการปฏิบัติต่อผู้ต้องสงสัยว่ากระทำผิดตามกฎหมายเกี่ยวกับยาเสพติด\nเพื่อเข้าสู่การบำบัดฟื้นฟูและการดูแลผู้ผ่านการบำบัดฟื้นฟู[๑]\n\nเพื่อให้การดำเนินการบำบัดฟื้นฟูผู้เสพยาเสพติดเป็นไปโดยเหมาะสม\n";
        let o = find_numbered(text, &councils(), &[]);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].kind, OrderKind::Announcement);
        assert_eq!(o[0].number.as_deref(), Some("108/2557"));
        assert_eq!(o[0].issuer.as_deref(), Some("คณะรักษาความสงบแห่งชาติ"));
        assert_eq!(
            o[0].subject.as_deref(),
            Some(
                "การปฏิบัติต่อผู้ต้องสงสัยว่ากระทำผิดตามกฎหมายเกี่ยวกับยาเสพติด เพื่อเข้าสู่การบำบัดฟื้นฟูและการดูแลผู้ผ่านการบำบัดฟื้นฟู"
            )
        );
        // Without a year, and with ของ before the issuer.
        let text = "ประกาศของคณะปฏิวัติ\n\nฉบับที่ ๔๔[๑]\n\nโดยที่ปรากฏว่า";
        let o = find_numbered(text, &councils(), &[]);
        assert_eq!(o[0].number.as_deref(), Some("44"));
        assert_eq!(o[0].issuer.as_deref(), Some("คณะปฏิวัติ"));
        assert_eq!(o[0].subject, None);
        // An abbreviation in running text.
        let o = find_numbered(
            "ตามประกาศ คสช. ฉบับที่ 57/2557 เรื่อง แก้ไขเพิ่มเติมกฎหมาย ลงวันที่ 10 มิถุนายน 2557",
            &councils(),
            &[],
        );
        assert_eq!(o[0].number.as_deref(), Some("57/2557"));
        assert_eq!(o[0].issuer.as_deref(), Some("คสช."));
        assert_eq!(o[0].subject.as_deref(), Some("แก้ไขเพิ่มเติมกฎหมาย"));
        // The date under the number or under the subject.
        let text = "ประกาศคณะรักษาความสงบแห่งชาติ ฉบับที่ ๗๔/๒๕๕๗ เรื่อง\nการประชุมผ่านสื่ออิเล็กทรอนิกส์\nลงวันที่ ๒๗ มิถุนายน พุทธศักราช ๒๕๕๗ ให้ถือว่า";
        let at = text.find("๒๗ มิถุนายน").unwrap_or(0);
        let dates = vec![DateSpan {
            start: at,
            end: at + "๒๗ มิถุนายน พุทธศักราช ๒๕๕๗".len(),
            value: "2014-06-27".into(),
        }];
        let o = find_numbered(text, &councils(), &dates);
        assert_eq!(o[0].subject.as_deref(), Some("การประชุมผ่านสื่ออิเล็กทรอนิกส์"));
        assert_eq!(o[0].date.as_deref(), Some("2014-06-27"));
        let text = "บัญชีท้ายประกาศของคณะปฏิวัติ\nฉบับที่ ๑๘๙\nลงวันที่ ๒๓ กรกฎาคม พ.ศ.\n๒๕๑๕\n";
        let at = text.find("๒๓ กรกฎาคม").unwrap_or(0);
        let dates = vec![DateSpan {
            start: at,
            end: text.len() - 1,
            value: "1972-07-23".into(),
        }];
        let o = find_numbered(text, &councils(), &dates);
        assert_eq!(o[0].number.as_deref(), Some("189"));
        assert_eq!(o[0].date.as_deref(), Some("1972-07-23"));
        // Not a council: an agency's own numbered notice is left to other rules.
        assert!(find_numbered("ประกาศกระทรวงการคลัง ฉบับที่ 3", &councils(), &[]).is_empty());
    }

    #[test]
    fn cabinet_resolution_abbreviated_with_its_date() {
        let text = "ตามมติ ครม. 4 กุมภาพันธ์ 2563 และมติ ครม. วันที่ 5 มีนาคม 2563 ให้ดำเนินการ";
        let d1 = text.find("4 กุมภาพันธ์ 2563").unwrap_or(0);
        let d2 = text.find("5 มีนาคม 2563").unwrap_or(0);
        let dates = vec![
            DateSpan {
                start: d1,
                end: d1 + "4 กุมภาพันธ์ 2563".len(),
                value: "2020-02-04".into(),
            },
            DateSpan {
                start: d2,
                end: d2 + "5 มีนาคม 2563".len(),
                value: "2020-03-05".into(),
            },
        ];
        let o = find_orders(text, &dates);
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(o.iter().all(|o| o.kind == OrderKind::CabinetResolution));
        assert_eq!(o[0].date.as_deref(), Some("2020-02-04"));
        assert_eq!(&text[o[0].start..o[0].end], "มติ ครม. 4 กุมภาพันธ์ 2563");
        assert_eq!(o[1].date.as_deref(), Some("2020-03-05"));
    }

    #[test]
    fn order_subject_on_the_next_lines() {
        let text = "คำสั่งหัวหน้าคณะรักษาความสงบแห่งชาติ\nที่ ๕/๒๕๕๙\n\nเรื่อง\nการแต่งตั้งพนักงานเจ้าหน้าที่\n\nโดยที่เป็นการสมควร";
        let o = orders(text);
        assert_eq!(o[0].number.as_deref(), Some("5/2559"));
        assert_eq!(o[0].issuer.as_deref(), Some("หัวหน้าคณะรักษาความสงบแห่งชาติ"));
        assert_eq!(o[0].subject.as_deref(), Some("การแต่งตั้งพนักงานเจ้าหน้าที่"));
        let o = orders("ตามคำสั่งหัวหน้า คสช. ที่ 5/2559 ลงวันที่ 1 มีนาคม 2559");
        assert_eq!(o[0].number.as_deref(), Some("5/2559"));
        assert_eq!(o[0].issuer.as_deref(), Some("หัวหน้า คสช."));
    }

    #[test]
    fn order_with_glued_issuer_and_subject() {
        let text = "ทั้งนี้ ภายหลังจากที่มีคำสั่งคณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทยที่ 2/2566 เรื่องแต่งตั้งคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด และกรุงเทพมหานคร ผู้ว่าราชการจังหวัดภูเก็ตได้เล็งถึง";
        let o = orders(text);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].number.as_deref(), Some("2/2566"));
        assert_eq!(
            o[0].issuer.as_deref(),
            Some("คณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทย")
        );
        assert_eq!(
            o[0].subject.as_deref(),
            Some("แต่งตั้งคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด และกรุงเทพมหานคร")
        );
        assert!(text[o[0].start..o[0].end].starts_with("คำสั่งคณะกรรมการ"));
        assert!(text[o[0].start..o[0].end].ends_with("และกรุงเทพมหานคร"));
    }

    #[test]
    fn spaced_thai_digits_and_abbreviated_issuers() {
        let o = orders(
            "ตามคำสั่งกระทรวงมหาดไทย ที่ 2739 / 2566 เรื่อง แต่งตั้งคณะกรรมการอำนวยการป้องกันและปราบปรามผู้มีอิทธิพล โดยสั่งการ",
        );
        assert_eq!(o[0].number.as_deref(), Some("2739/2566"));
        assert_eq!(o[0].issuer.as_deref(), Some("กระทรวงมหาดไทย"));
        assert_eq!(
            o[0].subject.as_deref(),
            Some("แต่งตั้งคณะกรรมการอำนวยการป้องกันและปราบปรามผู้มีอิทธิพล")
        );
        let o = orders(
            "คำสั่งสำนักนายกรัฐมนตรีที่ ๗๖ / ๒๕๖๓\nเรื่อง จัดตั้งศูนย์บริหารสถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (โควิด-19)\n",
        );
        assert_eq!(o[0].number.as_deref(), Some("76/2563"));
        assert_eq!(o[0].issuer.as_deref(), Some("สำนักนายกรัฐมนตรี"));
        assert!(
            o[0].subject
                .as_deref()
                .is_some_and(|s| s.ends_with("(โควิด-19)"))
        );
        let o = orders("มีกำหนด 5 ปี ตามคำสั่ง คสช. ที่ 22/2558 ต่อไป");
        assert_eq!(o[0].issuer.as_deref(), Some("คสช."));
        assert_eq!(o[0].number.as_deref(), Some("22/2558"));
        let o = orders("ผลการดำเนินงานตามคำสั่ง คสช.ที่ ๒๒/๒๕๕๘");
        assert_eq!(o[0].issuer.as_deref(), Some("คสช."));
        let o = orders("(ตามคำสั่งที่ ๖/๒๕๖๓) ครั้งที่ ๒/ ๒๕๖๓");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].issuer, None);
        assert_eq!(o[0].number.as_deref(), Some("6/2563"));
        let o = orders("คำสั่งของนายกรัฐมนตรี ที่ ๒/๒๕๒๐");
        assert_eq!(o[0].issuer.as_deref(), Some("นายกรัฐมนตรี"));
        let o = orders("@ คำสั่งกระทรวงศึกษาธิการ ที่ สกอ ๑๔๓๕/๒๕๖๐ เรื่อง ให้เลิกกิจการวิทยาลัยศรีโสภณ");
        assert_eq!(o[0].number.as_deref(), Some("1435/2560"));
        assert_eq!(o[0].issuer.as_deref(), Some("กระทรวงศึกษาธิการ"));
    }

    #[test]
    fn order_date_comes_from_date_mentions() {
        let text = "ตามคำสั่งคณะกรรมการทรัพยากรน้ำแห่งชาติที่ 4/2566 ลงวันที่ 25 มกราคม 2566 เรื่อง เพิ่มอนุกรรมการในคณะอนุกรรมการอำนวยการด้านการบริหารจัดการทรัพยากรน้ำ และ 5) การรายงานสภาพอากาศ สถานการณ์น้ำปัจจุบัน";
        let ds = text.find("25 มกราคม").unwrap_or(0);
        let de = ds + "25 มกราคม 2566".len();
        let dates = vec![DateSpan {
            start: ds,
            end: de,
            value: "2023-01-25".into(),
        }];
        let o = find_orders(text, &dates);
        assert_eq!(o[0].date.as_deref(), Some("2023-01-25"));
        assert_eq!(o[0].issuer.as_deref(), Some("คณะกรรมการทรัพยากรน้ำแห่งชาติ"));
        assert_eq!(
            o[0].subject.as_deref(),
            Some("เพิ่มอนุกรรมการในคณะอนุกรรมการอำนวยการด้านการบริหารจัดการทรัพยากรน้ำ")
        );
    }

    #[test]
    fn meeting_numbers_and_numberless_orders_are_not_orders() {
        assert!(orders("การประชุมพิจารณาอุทธรณ์คำสั่งทางปกครองในการปฏิรูปที่ดิน ครั้งที่ 2/2566 โดยมี").is_empty());
        assert!(orders("อุทธรณ์คำสั่งคณะกรรมการปฏิรูปที่ดินจังหวัดสกลนคร (คปจ.สกลนคร) ที่สั่งให้สิ้นสิทธิ").is_empty());
        assert!(orders("ประชุมคณะอนุกรรมการ ครั้งที่ 1/2566 ผ่านสื่ออิเล็กทรอนิกส์").is_empty());
    }

    #[test]
    fn cabinet_resolutions_with_dates() {
        let text = "แจ้งว่า คณะรัฐมนตรีได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐ เห็นชอบ";
        let ds = text.find("๒๑").unwrap_or(0);
        let dates = vec![DateSpan {
            start: ds,
            end: ds + "๒๑ พฤศจิกายน ๒๕๖๐".len(),
            value: "2017-11-21".into(),
        }];
        let o = find_orders(text, &dates);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].kind, OrderKind::CabinetResolution);
        assert_eq!(o[0].date.as_deref(), Some("2017-11-21"));
        assert_eq!(
            &text[o[0].start..o[0].end],
            "คณะรัฐมนตรีได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐"
        );

        let text = "เป็นไปตามมติคณะรัฐมนตรี (29 พฤศจิกายน 2548) ที่รับทราบ";
        let ds = text.find("29").unwrap_or(0);
        let dates = vec![DateSpan {
            start: ds,
            end: ds + "29 พฤศจิกายน 2548".len(),
            value: "2005-11-29".into(),
        }];
        let o = find_orders(text, &dates);
        assert_eq!(
            &text[o[0].start..o[0].end],
            "มติคณะรัฐมนตรี (29 พฤศจิกายน 2548)"
        );

        // Without a written date or subject there is no resolution to identify.
        assert!(find_orders("ไม่น้อยกว่า 3 ชั่วโมง ตามมติคณะรัฐมนตรี โครงการ", &[]).is_empty());
        let o = find_orders(
            "3) มติคณะรัฐมนตรี เรื่อง สรุปผลการประชุมสหประชาชาติด้านมหาสมุทร ค.ศ.2022\n",
            &[],
        );
        assert_eq!(o[0].kind, OrderKind::CabinetResolution);
        assert_eq!(o[0].date, None);
        assert_eq!(
            o[0].subject.as_deref(),
            Some("สรุปผลการประชุมสหประชาชาติด้านมหาสมุทร ค.ศ.2022")
        );
    }

    #[test]
    fn letter_numbers() {
        let nums = |t: &str| -> Vec<String> {
            let codes: HashSet<String> = ["รย", "มท", "นร", "สธ"]
                .iter()
                .map(|c| c.to_string())
                .collect();
            find_doc_numbers(t, &codes)
                .into_iter()
                .map(|d| d.number)
                .collect()
        };
        assert_eq!(
            nums("ด่วนที่สุด\n\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\n"),
            vec!["รย 0017.2/ว 5512"]
        );
        assert_eq!(
            nums("หนังสือกระทรวงมหาดไทย ด่วนที่สุด ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐"),
            vec!["มท 0211.4/ว 7160"]
        );
        assert_eq!(
            nums("ได้ลงนามหนังสือเวียนที่ นร 1011/ ว 4 เรื่อง"),
            vec!["นร 1011/ว 4"]
        );
        assert_eq!(nums("ด่วนที่สุด ที่ นร 0503/ว61 ลงวันที่"), vec!["นร 0503/ว 61"]);
        assert_eq!(
            nums("ตามหนังสือที่ สธ 0202.3.7/ว79 ลงวันที่"),
            vec!["สธ 0202.3.7/ว 79"]
        );
        assert_eq!(
            nums("คำสั่งกระทรวงศึกษาธิการ ที่ สกอ ๑๔๓๕/๒๕๖๐"),
            vec!["สกอ 1435/2560"]
        );
        // Postal codes, phones, village numbers, warrants with one-letter codes.
        assert!(nums("ศาลากลางจังหวัดระยอง\nถนนสุขุมวิท รย ๒๑๑๕๐").is_empty());
        assert!(nums("โทรศัพท์ ๐-๓๘๖๙-๔๐๔๓ / โทรสาร ๐-๓๘๖๙-๔๑๖๐").is_empty());
        assert!(nums("1 ราย ที่ ม.4 ต.เขาทอง").is_empty());
        assert!(nums("ตามหมายจับศาลอาญาที่ จ 2011/2566 ลงวันที่").is_empty());
    }

    #[test]
    fn normalizes_filter_values() {
        assert_eq!(
            normalize_order_number("๒ / ๒๕๖๖").as_deref(),
            Some("2/2566")
        );
        assert_eq!(
            normalize_order_number("ที่ 2739/2566").as_deref(),
            Some("2739/2566")
        );
        assert_eq!(normalize_order_number("2/66").as_deref(), Some("2/2566"));
        assert_eq!(normalize_order_number("แผน 2/2566"), None);
        assert_eq!(normalize_order_number("2/2566/1"), None);
        assert_eq!(normalize_order_number(""), None);
    }
}
