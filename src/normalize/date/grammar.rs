//! The date grammar: from an anchor (a digit run, a month word, an era
//! marker or a fiscal-year word) read the longest date phrase that starts
//! there — day, day range, month, year, era, time, time range, range of two
//! dates — and turn it into a [`Value`].
//!
//! Positions are byte offsets into the text and always fall on character
//! boundaries: the scanner only ever moves by whole characters or by the
//! length of a matched literal. A phrase that reads as a date but names an
//! impossible one (31 เม.ย., 25:00, a range with an impossible end) is
//! reported as [`Step::Bad`] so that no part of it becomes a mention.

use super::lexicon::{Era, Form, Kw, LEXICON};
use super::value::{Point, Time, Value};
use super::ymd::Ymd;
use crate::thai::is_consonant;

/// Outcome of one grammar rule.
#[derive(Debug, Clone, Copy)]
enum Step<T> {
    /// Nothing date-like here.
    No,
    /// Date-like up to this byte, but impossible: swallow it, emit nothing.
    Bad(usize),
    /// Parsed, ending at this byte.
    Ok(T, usize),
}

/// One phrase found at an anchor: byte span and value (`None` when impossible).
#[derive(Debug, Clone)]
pub struct Found {
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The value, or `None` for a date-like phrase that names no real date.
    pub value: Option<Value>,
}

const DASHES: &[char] = &['-', '–', '—', '−', '‐', '‑', '~'];

const WEEKDAYS: &[&str] = &[
    "วันพฤหัสบดี",
    "วันพฤหัส",
    "วันจันทร์",
    "วันอังคาร",
    "วันพุธ",
    "วันศุกร์",
    "วันเสาร์",
    "วันอาทิตย์",
];

/// Words after which a number is a year (`ปี 2566`, `ปีการศึกษา 2566`).
const YEAR_WORDS: &[&str] = &["ปี", "ปีการศึกษา", "ปีบัญชี", "ปีปฏิทิน", "ปีภาษี"];

/// Words after a month that make it a month of the calendar (`ก.ย.นี้`).
const MONTH_TIME_WORDS: &[&str] = &["นี้", "ที่ผ่านมา", "ศกนี้", "ปีนี้", "ปีหน้า", "ปีที่แล้ว", "ของทุกปี"];

/// Words after which a small number is a count, not a 2-digit year.
const UNIT_WORDS: &[&str] = &[
    "เดือน",
    "วัน",
    "ปี",
    "ครั้ง",
    "คน",
    "ราย",
    "บาท",
    "ชั่วโมง",
    "ชม.",
    "นาที",
    "สัปดาห์",
    "ล้าน",
    "พัน",
    "หมื่น",
    "แสน",
    "แห่ง",
    "หน่วย",
    "ข้อ",
    "ฉบับ",
    "เรื่อง",
    "ตัว",
    "ลำ",
    "คัน",
    "หลัง",
    "งาน",
    "ตาราง",
    "ชั้น",
    "ห้อง",
    "โครงการ",
    "องค์กร",
    "หน่วยงาน",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "หมู่",
    "ชุด",
    "อันดับ",
    "เท่า",
    "เปอร์เซ็นต์",
    "นาฬิกา",
    "น.",
    "โมง",
    "ปีงบ",
    "%",
    "ชิ้น",
    "เม็ด",
    "ถุง",
    "กล่อง",
    "เล่ม",
    "แผน",
    "ตำแหน่ง",
    "องค์",
    "รูป",
    "ท่าน",
    "ทีม",
    "ประเทศ",
    "แบบ",
    "ประเภท",
    "ด้าน",
    "กลุ่ม",
    "สาย",
    "จุด",
    "ลูก",
    "ปีที่",
];

fn is_thai_alpha(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c)
}

fn is_gap_char(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{3000}' | '\u{FEFF}'
    )
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0E50}'..='\u{0E59}' => Some(c as u32 - 0x0E50),
        _ => None,
    }
}

/// A run of digits.
#[derive(Debug, Clone, Copy)]
struct Num {
    v: u32,
    nd: usize,
    end: usize,
}

/// A clock time read from the text (not yet checked).
#[derive(Debug, Clone, Copy)]
struct Clock {
    t: Time,
    /// Written with `น.`/`นาฬิกา` or with a colon.
    marked: bool,
    /// Minutes were written.
    has_min: bool,
}

/// Day and month, a possible day range, and the year when written.
#[derive(Debug, Clone, Copy)]
struct DayMonth {
    d1: u8,
    d2: Option<u8>,
    m: u8,
    y: Option<i32>,
}

/// A day-level date with its time (or time range) when written.
#[derive(Debug, Clone, Copy)]
struct Dated {
    y: Option<i32>,
    m: u8,
    d1: u8,
    d2: Option<u8>,
    t: Option<(Time, Option<Time>)>,
}

/// The text being read.
pub struct Scanner<'a> {
    s: &'a str,
}

impl<'a> Scanner<'a> {
    /// A scanner over `s`.
    pub fn new(s: &'a str) -> Scanner<'a> {
        Scanner { s }
    }

    fn ch(&self, pos: usize) -> Option<char> {
        self.s.get(pos..)?.chars().next()
    }

    fn prev(&self, pos: usize) -> Option<char> {
        self.s.get(..pos)?.chars().next_back()
    }

    fn prev2(&self, pos: usize) -> Option<char> {
        let mut it = self.s.get(..pos)?.chars();
        it.next_back()?;
        it.next_back()
    }

    fn lit(&self, pos: usize, lit: &str) -> Option<usize> {
        self.s
            .get(pos..)
            .filter(|rest| rest.starts_with(lit))
            .map(|_| pos + lit.len())
    }

    fn ends_with(&self, pos: usize, lit: &str) -> bool {
        self.s.get(..pos).is_some_and(|head| head.ends_with(lit))
    }

    fn any_lit(&self, pos: usize, lits: &[&str]) -> Option<usize> {
        lits.iter().find_map(|l| self.lit(pos, l))
    }

    /// Skips spacing (at most one line break and a bounded run); returns
    /// `pos` unchanged when the spacing is a paragraph break.
    fn gap(&self, pos: usize) -> usize {
        let mut q = pos;
        let mut newlines = 0;
        let mut count = 0;
        while let Some(c) = self.ch(q) {
            if c == '\n' || c == '\r' {
                if c == '\n' || self.ch(q + 1) != Some('\n') {
                    newlines += 1;
                }
            } else if !is_gap_char(c) {
                break;
            }
            q += c.len_utf8();
            count += 1;
            if newlines > 1 || count > 32 {
                return pos;
            }
        }
        q
    }

    /// Skips spacing backwards from `pos` (same limits as [`Scanner::gap`]).
    fn back_gap(&self, pos: usize) -> usize {
        let mut q = pos;
        let mut newlines = 0;
        let mut count = 0;
        while let Some(c) = self.prev(q) {
            if c == '\n' {
                newlines += 1;
            } else if !(c == '\r' || is_gap_char(c)) {
                break;
            }
            q -= c.len_utf8();
            count += 1;
            if newlines > 1 || count > 32 {
                return pos;
            }
        }
        q
    }

    fn num(&self, pos: usize) -> Option<Num> {
        let mut v: u32 = 0;
        let mut nd = 0;
        let mut q = pos;
        while let Some(c) = self.ch(q) {
            let Some(d) = digit_value(c) else { break };
            v = v.saturating_mul(10).saturating_add(d);
            nd += 1;
            q += c.len_utf8();
        }
        (nd > 0).then_some(Num { v, nd, end: q })
    }

    fn is_digit_at(&self, pos: usize) -> bool {
        self.ch(pos).and_then(digit_value).is_some()
    }

    /// True when `pos` starts a number of its own (not the tail of `12.5`,
    /// `1,000`, `10:30` or `0-2141`). After a slash a number may start a date:
    /// `หน้า ๙/๒๑ กรกฎาคม ๒๕๕๗` is page 9 of the gazette of 21 July 2557.
    fn starts_number(&self, pos: usize) -> bool {
        match self.prev(pos) {
            Some(c) if digit_value(c).is_some() => false,
            // `Q1`, `COVID-19`, `nsp-06-09-60.pdf`: codes, not dates.
            Some(c) if c.is_ascii_alphabetic() || c == '_' => false,
            Some('.' | ',' | ':' | '-') => !self
                .prev2(pos)
                .is_some_and(|c| digit_value(c).is_some() || c.is_ascii_alphabetic()),
            _ => true,
        }
    }

    /// True when the number at `pos` follows `digits/` (`ครั้งที่ 581/2557`).
    fn after_slash_number(&self, pos: usize) -> bool {
        self.prev(pos) == Some('/') && self.prev2(pos).is_some_and(|c| digit_value(c).is_some())
    }

    /// A number continues as a decimal, thousands group, time or number chain.
    fn continues_number(&self, pos: usize) -> bool {
        matches!(self.ch(pos), Some('.' | ',' | ':' | '/')) && self.is_digit_at(pos + 1)
    }

    /// Skips a formal `เดือน` before a month name (`วันที่ ๕ เดือนธันวาคม`).
    fn month_word(&self, pos: usize) -> usize {
        match self.lit(pos, "เดือน") {
            Some(e) if self.month_at(self.gap(e)).is_some() => self.gap(e),
            _ => pos,
        }
    }

    /// Skips an English ordinal suffix (`1st`, `22nd`, `3rd`, `24th`) after a day.
    fn ordinal(&self, pos: usize) -> usize {
        match self.any_lit(pos, &["st", "nd", "rd", "th"]) {
            Some(e) if !self.ch(e).is_some_and(|c| c.is_ascii_alphabetic()) => e,
            _ => pos,
        }
    }

    fn dash(&self, pos: usize) -> Option<usize> {
        let c = self.ch(pos)?;
        DASHES.contains(&c).then(|| pos + c.len_utf8())
    }

    /// A range connector (`-`, `–`, `ถึง`, `จนถึง`, optionally followed by
    /// `วันที่`/`เดือน`/`ปี`/`เวลา`); returns where the range end starts.
    fn range_conn(&self, pos: usize) -> Option<usize> {
        let q = self.gap(pos);
        let after = if let Some(a) = self.dash(q) {
            a
        } else {
            self.any_lit(q, &["จนถึง", "ถึง"])?
        };
        let r = self.gap(after);
        match self.any_lit(r, &["วันที่", "เดือน", "ปี", "เวลา"])
        {
            Some(w) => Some(self.gap(w)),
            None => Some(r),
        }
    }

    /// True when a count word follows `pos` (so the number before it is no year).
    fn unit_follows(&self, pos: usize) -> bool {
        let q = self.gap(pos);
        // A count word belongs to its number only on the same line.
        if self.s.get(pos..q).is_some_and(|g| g.contains('\n')) {
            return false;
        }
        self.any_lit(q, UNIT_WORDS).is_some()
    }

    /// `เดือน` written just before `pos`.
    fn month_word_before(&self, pos: usize) -> bool {
        self.ends_with(self.back_gap(pos), "เดือน")
    }

    /// `นี้`, `ที่ผ่านมา`… right after a month word ending at `end`: `ก.ย.นี้` is
    /// "this September", never the civil-service commission.
    fn month_time_word_after(&self, end: usize) -> bool {
        self.any_lit(self.gap(end), MONTH_TIME_WORDS).is_some()
    }

    /// Checks that a matched month word stands as a word of its own.
    fn month_ok(&self, start: usize, end: usize, form: Form) -> bool {
        let next = self.ch(end);
        let prev = self.prev(start);
        if prev == Some('.') {
            return false;
        }
        let prev_ok =
            form == Form::Full || !prev.is_some_and(is_thai_alpha) || self.ends_with(start, "เดือน");
        if !prev_ok {
            return false;
        }
        match form {
            Form::English => {
                !prev.is_some_and(|c| c.is_ascii_alphabetic())
                    && !next.is_some_and(|c| c.is_ascii_alphabetic())
            }
            Form::Full => true,
            Form::Informal | Form::Bare => {
                !next.is_some_and(|c| is_thai_alpha(c) || c == '.')
                    || self.any_lit(end, MONTH_TIME_WORDS).is_some()
            }
            Form::Dotted => {
                if self.s[start..end].ends_with('.') {
                    // `ก.พ.ร.`, `ก.ค.ศ.`: a longer acronym, not a month.
                    !(next.is_some_and(is_consonant) && self.ch(end + 3) == Some('.'))
                } else {
                    !next.is_some_and(|c| is_thai_alpha(c) || c == '.')
                }
            }
        }
    }

    /// A month word at `pos` that stands on its own.
    fn month_at(&self, pos: usize) -> Option<(u8, Form, usize)> {
        match LEXICON.at(self.s, pos) {
            Some((end, Kw::Month(m, form))) if self.month_ok(pos, end, form) => {
                Some((m, form, end))
            }
            _ => None,
        }
    }

    fn era_ok(&self, start: usize, end: usize, bare: bool) -> bool {
        let prev = self.prev(start);
        if prev == Some('.') || prev.is_some_and(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        if bare {
            !prev.is_some_and(is_thai_alpha) && !self.ch(end).is_some_and(is_thai_alpha)
        } else {
            true
        }
    }

    /// An era marker at `pos`.
    fn era_at(&self, pos: usize) -> Option<(Era, usize)> {
        match LEXICON.at(self.s, pos) {
            Some((end, Kw::Era(era, bare))) if self.era_ok(pos, end, bare) => Some((era, end)),
            _ => None,
        }
    }

    /// Year number → CE year, by the era written (or the contract's rules when none).
    fn year_of(era: Option<Era>, n: Num) -> Option<i32> {
        let v = i32::try_from(n.v).ok()?;
        let y = match (era, n.nd) {
            (Some(Era::Be), 4) => v - 543,
            (Some(Era::Be), 2) => 2500 + v - 543,
            (Some(Era::Ce), 4) => v,
            (Some(Era::Ce), 2) => 2000 + v,
            (Some(Era::Rs), 1..=3) => v + 1781,
            (None, 4) if (2400..=3000).contains(&v) => v - 543,
            (None, 4) if (1000..2400).contains(&v) => v,
            (None, 2) => 2500 + v - 543,
            _ => return None,
        };
        (1..=9999).contains(&y).then_some(y)
    }

    /// A 2-digit number that is a count or the start of a time, not a year.
    fn short_year_blocked(&self, n: Num) -> bool {
        n.nd == 2
            && (self.unit_follows(n.end)
                || matches!(self.ch(n.end), Some('.' | ':'))
                || self.month_at(self.gap(n.end)).is_some())
    }

    /// The year after a month: `2566`, `พ.ศ. 2566`, `66`, `ปี 2566`.
    /// `short` allows a 2-digit year (not after an English month, where a
    /// number is a day).
    fn year_after(&self, pos: usize, short: bool) -> Step<i32> {
        let mut q = self.gap(pos);
        // `พฤษภาคม ปี 2560`, `เดือนพฤษภาคมของปี พ.ศ. ๒๕๖๐`.
        let mut of_year = false;
        if let Some(a) = self.any_lit(q, &["ของปี", "ปี"]) {
            let b = self.gap(a);
            if self.is_digit_at(b) || self.era_at(b).is_some() {
                of_year = self.s[q..a].starts_with("ของ");
                q = b;
            }
        }
        let (era, q) = match self.era_at(q) {
            Some((era, e)) => (Some(era), self.gap(e)),
            None => (None, q),
        };
        let Some(n) = self.num(q) else {
            return Step::No;
        };
        if n.nd == 2 && era.is_none() && !short {
            return Step::No;
        }
        if self.continues_number(n.end) || (era.is_none() && self.short_year_blocked(n)) {
            return Step::No;
        }
        // `ของปี พ.ศ. ๒๕๖๑ และ พ.ศ. ๒๕๖๒`: the month is of several years, each its own.
        if of_year && let Some(c) = self.any_lit(self.gap(n.end), &["และ", "หรือ", ","])
        {
            let r = self.gap(c);
            if self.is_digit_at(r) || self.era_at(r).is_some() {
                return Step::No;
            }
        }
        match Self::year_of(era, n) {
            Some(y) => Step::Ok(y, n.end),
            None => Step::No,
        }
    }

    /// `d [- d] month [year]` starting at the digit at `pos`.
    fn day_month(&self, pos: usize) -> Step<DayMonth> {
        let Some(n1) = self.num(pos) else {
            return Step::No;
        };
        if n1.nd > 2 {
            return Step::No;
        }
        // `วันที่ ๑ เดือนมกราคม`: formal style; `3 เดือน ต.ค.` counts months.
        let formal = self.ends_with(self.back_gap(pos), "วันที่");
        let mut q = self.gap(self.ordinal(n1.end));
        if formal {
            q = self.month_word(q);
        }
        let mut d2 = None;
        if self.month_at(q).is_none() {
            let r = self.gap(n1.end);
            let after = self.dash(r).or_else(|| self.any_lit(r, &["ถึงวันที่", "ถึง"]));
            let Some(after) = after else {
                return Step::No;
            };
            let mut r2 = self.gap(after);
            if let Some(e) = self.lit(r2, "วันที่") {
                r2 = self.gap(e);
            }
            let Some(n2) = self.num(r2) else {
                return Step::No;
            };
            if n2.nd > 2 {
                return Step::No;
            }
            d2 = Some(n2.v as u8);
            q = self.gap(self.ordinal(n2.end));
            if formal {
                q = self.month_word(q);
            }
        }
        let Some((m, form, mend)) = self.month_at(q) else {
            return Step::No;
        };
        if self.ordinal(n1.end) != n1.end && form != Form::English {
            // An English ordinal (`1st`) before a Thai month.
            return Step::No;
        }
        let d1 = n1.v as u8;
        match self.year_after(mend, form != Form::English) {
            Step::Ok(y, end) => Step::Ok(
                DayMonth {
                    d1,
                    d2,
                    m,
                    y: Some(y),
                },
                end,
            ),
            Step::Bad(e) => Step::Bad(e),
            Step::No => Step::Ok(DayMonth { d1, d2, m, y: None }, mend),
        }
    }

    /// `dd/mm/yyyy`, `dd-mm-yy`, `dd.mm.yyyy` and `yyyy-mm-dd` at `pos`.
    fn numeric(&self, pos: usize) -> Step<DayMonth> {
        let Some(a) = self.num(pos) else {
            return Step::No;
        };
        let Some(sep) = self.ch(a.end).filter(|c| matches!(c, '/' | '-' | '.')) else {
            return Step::No;
        };
        let Some(b) = self.num(a.end + 1) else {
            return Step::No;
        };
        if self.ch(b.end) != Some(sep) {
            return Step::No;
        }
        let Some(c) = self.num(b.end + 1) else {
            return Step::No;
        };
        if self.continues_number(c.end)
            || (self.ch(c.end) == Some(sep) && self.is_digit_at(c.end + 1))
        {
            return Step::No;
        }
        let (d, m, y) = if a.nd == 4 && sep != '.' && b.nd <= 2 && c.nd <= 2 {
            (c, b, a)
        } else if a.nd <= 2 && b.nd <= 2 && (c.nd == 4 || (c.nd == 2 && sep != '.')) {
            (a, b, c)
        } else {
            return Step::No;
        };
        if a.nd <= 2 {
            // `ที่ 12/3/2566` is a number, `วันที่ 12/3/2566` a date.
            let q = self.back_gap(pos);
            if self.ends_with(q, "ที่") && !self.ends_with(q, "วันที่") {
                return Step::No;
            }
        }
        let Some(year) = Self::year_of(None, y) else {
            return Step::Bad(c.end);
        };
        if m.v == 0 || m.v > 12 || d.v == 0 || d.v > 31 {
            return Step::Bad(c.end);
        }
        Step::Ok(
            DayMonth {
                d1: d.v as u8,
                d2: None,
                m: m.v as u8,
                y: Some(year),
            },
            c.end,
        )
    }

    /// `10.00 น.`, `10:00`, `9 นาฬิกา`, `20:07:42` at `pos` (syntax only).
    fn clock(&self, pos: usize) -> Option<(Clock, usize)> {
        let h = self.num(pos).filter(|h| h.nd <= 2)?;
        let mut end = h.end;
        let mut minute = None;
        let mut second = None;
        let mut colon = false;
        if let Some(sep) = self.ch(h.end).filter(|c| matches!(c, ':' | '.'))
            && let Some(m) = self.num(h.end + 1).filter(|m| m.nd == 2)
        {
            minute = Some(m.v as u8);
            colon = sep == ':';
            end = m.end;
            if self.ch(m.end) == Some(sep)
                && let Some(s) = self.num(m.end + 1).filter(|s| s.nd == 2)
            {
                second = Some(s.v as u8);
                end = s.end;
            }
        }
        if self.continues_number(end) || self.ch(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let mut suffix = false;
        let sq = self.gap(end);
        if let Some(e) = self.lit(sq, "นาฬิกา") {
            suffix = true;
            end = e;
            // `15 นาฬิกา 52 นาที`
            if minute.is_none()
                && let Some(m) = self.num(self.gap(e)).filter(|m| m.nd <= 2)
                && let Some(e2) = self.lit(self.gap(m.end), "นาที")
            {
                minute = Some(m.v.min(99) as u8);
                end = e2;
            }
        } else if let Some(e) = self.lit(sq, "น.") {
            suffix = true;
            end = e;
        } else if let Some(e) = self.lit(sq, "น")
            && !self.ch(e).is_some_and(is_thai_alpha)
        {
            suffix = true;
            end = e;
        }
        let mut hour = h.v.min(99) as u8;
        if !suffix
            && let Some(e) = self.any_lit(sq, &["hrs.", "hrs", "hr.", "a.m.", "p.m.", "AM", "PM"])
            && !self.ch(e).is_some_and(|c| c.is_ascii_alphabetic())
        {
            let word = &self.s[sq..e];
            if word.starts_with(['a', 'A', 'p', 'P']) {
                // 12-hour clock: 12 a.m. is midnight, 1–11 p.m. add twelve.
                if hour == 0 || hour > 12 {
                    hour = 99;
                } else if word.starts_with(['p', 'P']) {
                    hour = hour % 12 + 12;
                } else {
                    hour %= 12;
                }
            }
            suffix = true;
            end = e;
        }
        let t = Time {
            h: hour,
            m: minute.unwrap_or(0),
            s: second,
        };
        Some((
            Clock {
                t,
                marked: suffix || colon,
                has_min: minute.is_some(),
            },
            end,
        ))
    }

    /// A clock time or time range: `09.30 - 12.00 น.`, `10.00 น. ถึง 12.00 น.`.
    /// After `เวลา` a time needs no `น.`; elsewhere it needs `น.`, `นาฬิกา` or a colon
    /// (the start of a range may borrow its end's mark).
    fn time_expr(&self, pos: usize, vela: bool) -> Step<(Time, Option<Time>)> {
        let Some((c1, e1)) = self.clock(pos) else {
            return Step::No;
        };
        let acceptable = |c: &Clock| c.marked || (vela && c.has_min);
        if let Some(r) = self.range_conn(e1)
            && self.is_digit_at(r)
            && let Some((c2, e2)) = self.clock(r)
            && acceptable(&c2)
            && (c1.has_min || c1.marked || !c2.has_min)
        {
            if !(c1.t.is_valid() && c2.t.is_valid()) {
                return Step::Bad(e2);
            }
            return Step::Ok((c1.t, Some(c2.t)), e2);
        }
        if !acceptable(&c1) {
            return Step::No;
        }
        if c1.t.is_valid() {
            Step::Ok((c1.t, None), e1)
        } else {
            Step::Bad(e1)
        }
    }

    /// A time written after a date: `เวลา 10.00 น.`, `/ 20:07:42`, `, 9 นาฬิกา`.
    fn time_after(&self, pos: usize) -> Step<(Time, Option<Time>)> {
        if self.ch(pos) == Some('T') && self.is_digit_at(pos + 1) {
            // ISO `2023-03-24T10:30`.
            return self.time_expr(pos + 1, false);
        }
        let mut q = self.gap(pos);
        // A date in brackets with its time after them: `วันนี้ (9 ส.ค. 62) เวลา 14.30 น.`.
        let paren = self.ch(q) == Some(')');
        if paren {
            q = self.gap(q + 1);
        }
        if matches!(self.ch(q), Some(',' | '/')) && !paren {
            q = self.gap(q + 1);
        }
        let mut vela = false;
        if let Some(e) = self.any_lit(
            q,
            &[
                "ระหว่างเวลา",
                "ตั้งแต่เวลา",
                "เมื่อเวลา",
                "ช่วงเวลา",
                "ในเวลา",
                "ณ เวลา",
                "เวลา",
            ],
        ) {
            vela = true;
            q = self.gap(e);
        } else if let Some(e) = self.any_lit(q, &["ตั้งแต่", "ระหว่าง", "at "])
        {
            q = self.gap(e);
        }
        if let Some(e) = self.lit(q, "ประมาณ") {
            q = self.gap(e);
        }
        if !self.is_digit_at(q) || (paren && !vela) {
            return Step::No;
        }
        self.time_expr(q, vela)
    }

    /// A day-level date at the digit `pos`: numeric or `d [- d] month [year]`,
    /// with its time when written.
    fn dated(&self, pos: usize) -> Step<Dated> {
        let (dm, end) = match self.numeric(pos) {
            Step::Ok(dm, e) => (dm, e),
            Step::Bad(e) => return Step::Bad(e),
            Step::No => match self.day_month(pos) {
                Step::Ok(dm, e) => (dm, e),
                Step::Bad(e) => return Step::Bad(e),
                Step::No => return Step::No,
            },
        };
        let mut out = Dated {
            y: dm.y,
            m: dm.m,
            d1: dm.d1,
            d2: dm.d2,
            t: None,
        };
        match self.time_after(end) {
            Step::Ok(t, e) => {
                out.t = Some(t);
                Step::Ok(out, e)
            }
            Step::Bad(e) => Step::Bad(e),
            Step::No => Step::Ok(out, end),
        }
    }

    /// Turns a day-level date into its value.
    fn dated_value(d: Dated) -> Value {
        let point = |day: u8, t: Option<Time>| Point::Day {
            y: d.y,
            m: d.m,
            d: day,
            t,
        };
        match (d.d2, d.t) {
            (Some(d2), None) => Value::Range(point(d.d1, None), point(d2, None)),
            (Some(d2), Some((t1, t2))) => {
                Value::Range(point(d.d1, Some(t1)), point(d2, Some(t2.unwrap_or(t1))))
            }
            (None, None) => Value::Single(point(d.d1, None)),
            (None, Some((t1, None))) => Value::Single(point(d.d1, Some(t1))),
            (None, Some((t1, Some(t2)))) => {
                let mut end = point(d.d1, Some(t2));
                if t2 < t1 {
                    // Overnight: the range ends on the next day.
                    let next = Ymd::new(d.y.unwrap_or(2000), d.m, d.d1).succ();
                    let y = if d.y.is_some() { Some(next.year) } else { None };
                    end = Point::Day {
                        y,
                        m: next.month,
                        d: next.day,
                        t: Some(t2),
                    };
                }
                Value::Range(point(d.d1, Some(t1)), end)
            }
        }
    }

    /// A date, a date with time, or a range of two dates, at the digit `pos`.
    fn date_phrase(&self, pos: usize) -> Step<Value> {
        let (x, xend) = match self.dated(pos) {
            Step::Ok(x, e) => (x, e),
            Step::Bad(e) => return Step::Bad(e),
            Step::No => return Step::No,
        };
        if x.d2.is_none()
            && let Some(r) = self.range_conn(xend)
            && self.is_digit_at(r)
        {
            match self.dated(r) {
                // A start with its own time joins only an end with a time.
                Step::Ok(y, yend) if y.d2.is_none() && (x.t.is_none() || y.t.is_some()) => {
                    return Step::Ok(Self::join_days(x, y), yend);
                }
                Step::Bad(e) => return Step::Bad(e),
                _ => {}
            }
        }
        Step::Ok(Self::dated_value(x), xend)
    }

    /// `1 ต.ค. - 30 ก.ย. 2567`: a range of two days; a missing year is taken
    /// from the other end (the year before when the start is later in the year).
    /// A time written once after the end (`… 2561 เวลา 10.30 - 21.00 น.`) opens the
    /// first day and closes the last.
    fn join_days(mut x: Dated, mut y: Dated) -> Value {
        let xt = x.t.or(y.t).map(|t| t.0);
        let yt = y.t.map(|t| t.1.unwrap_or(t.0));
        match (x.y, y.y) {
            (None, Some(yy)) => {
                x.y = Some(if (x.m, x.d1) > (y.m, y.d1) {
                    yy - 1
                } else {
                    yy
                })
            }
            (Some(xy), None) => {
                y.y = Some(if (y.m, y.d1) < (x.m, x.d1) {
                    xy + 1
                } else {
                    xy
                })
            }
            _ => {}
        }
        Value::Range(
            Point::Day {
                y: x.y,
                m: x.m,
                d: x.d1,
                t: xt,
            },
            Point::Day {
                y: y.y,
                m: y.m,
                d: y.d1,
                t: yt,
            },
        )
    }

    /// A time written before its date: `10.00 น. วันที่ 5 มี.ค. 2566`.
    fn time_then_date(&self, pos: usize) -> Step<Value> {
        let vela = self.ends_with(self.back_gap(pos), "เวลา");
        let (t, tend, bad) = match self.time_expr(pos, vela) {
            Step::Ok(t, e) => (Some(t), e, false),
            Step::Bad(e) => (None, e, true),
            Step::No => return Step::No,
        };
        let mut q = self.gap(tend);
        if let Some(e) = self.lit(q, "ของ") {
            q = self.gap(e);
        }
        if let Some(e) = self.lit(q, "วันที่") {
            q = self.gap(e);
        } else if let Some(e) = self.any_lit(q, WEEKDAYS) {
            q = self.gap(self.lit(e, "ที่").unwrap_or(e));
        }
        if !self.is_digit_at(q) {
            return Step::No;
        }
        let (d, dend) = match self.numeric(q) {
            Step::Ok(dm, e) => (dm, e),
            Step::Bad(e) => return Step::Bad(e),
            Step::No => match self.day_month(q) {
                Step::Ok(dm, e) => (dm, e),
                Step::Bad(e) => return Step::Bad(e),
                Step::No => return Step::No,
            },
        };
        if bad || d.d2.is_some() {
            return if bad { Step::Bad(dend) } else { Step::No };
        }
        let dated = Dated {
            y: d.y,
            m: d.m,
            d1: d.d1,
            d2: None,
            t,
        };
        Step::Ok(Self::dated_value(dated), dend)
    }

    /// The second year of a range after `pos` (`-2570`, ` - ๒๕๗๐`, `-62`, `ถึง พ.ศ. 2570`).
    /// `Bad` when it is written in full but runs backwards.
    fn year_range_end(&self, pos: usize, first: Num, era: Option<Era>) -> Step<i32> {
        self.year_range_end_marked(pos, first, era, false)
    }

    /// [`Scanner::year_range_end`]; `marked` when the range follows `พ.ศ.` or a
    /// fiscal-year word, so a word after it (`ปีงบประมาณ 2565-2568 แผนงาน…`) is no count
    /// unit of the second number.
    fn year_range_end_marked(
        &self,
        pos: usize,
        first: Num,
        era: Option<Era>,
        marked: bool,
    ) -> Step<i32> {
        let Some(r) = self.range_conn(pos) else {
            return Step::No;
        };
        let (era2, r) = match self.era_at(r) {
            Some((e, end)) => (Some(e), self.gap(end)),
            None => (era, r),
        };
        let Some(n) = self.num(r) else {
            return Step::No;
        };
        if self.continues_number(n.end)
            || self.ch(n.end).is_some_and(|c| c.is_ascii_alphanumeric())
            || self.month_at(self.gap(n.end)).is_some()
            || (!marked && self.unit_follows(n.end))
        {
            return Step::No;
        }
        // A bare CE `2017-31` is too often a date fragment; a marked or BE year is not.
        let abbreviable = era.is_some() || first.v >= 2400;
        let full = if n.nd == 2 && first.nd == 4 && abbreviable && era2 == era {
            // `2561-62`: the same century as the first year.
            let v = first.v / 100 * 100 + n.v;
            if v <= first.v {
                return Step::No;
            }
            Num {
                v,
                nd: 4,
                end: n.end,
            }
        } else if n.nd == first.nd {
            n
        } else {
            return Step::No;
        };
        let (Some(y1), Some(y2)) = (Self::year_of(era, first), Self::year_of(era2, full)) else {
            return Step::No;
        };
        if y2 < y1 {
            return Step::Bad(n.end);
        }
        Step::Ok(y2, n.end)
    }

    /// `[era] year [- year]` at `pos` (the number, after any marker), as plain
    /// or fiscal years.
    fn years(&self, pos: usize, era: Option<Era>, fiscal: bool) -> Step<Value> {
        let Some(n) = self.num(pos) else {
            return Step::No;
        };
        if self.continues_number(n.end) {
            return Step::No;
        }
        if n.nd == 2
            && era.is_none()
            && (self.unit_follows(n.end) || self.month_at(self.gap(n.end)).is_some())
        {
            return Step::No;
        }
        let Some(y1) = Self::year_of(era, n) else {
            return Step::No;
        };
        let wrap = |y: i32| {
            if fiscal {
                Point::Fiscal(y)
            } else {
                Point::Year(y)
            }
        };
        match self.year_range_end_marked(n.end, n, era, era.is_some() || fiscal) {
            Step::Ok(y2, end) => Step::Ok(Value::Range(wrap(y1), wrap(y2)), end),
            Step::Bad(end) => Step::Bad(end),
            Step::No => Step::Ok(Value::Single(wrap(y1)), n.end),
        }
    }

    /// A month word with its year when written, or a range of two months.
    /// An abbreviated or informal month needs a year (on either end of a range)
    /// or `เดือน` before it; a full month name stands alone.
    fn month_phrase(&self, pos: usize, need_context: bool) -> Step<Value> {
        let Some((m, form, mend)) = self.month_at(pos) else {
            return Step::No;
        };
        if form == Form::English
            && let Some(step) = self.english_month_day(m, mend)
        {
            return step;
        }
        let (y, end) = match self.year_after(mend, form != Form::English) {
            Step::Ok(y, e) => (Some(y), e),
            Step::Bad(e) => return Step::Bad(e),
            Step::No => (None, mend),
        };
        let context = form != Form::English
            && (!need_context
                || form == Form::Full
                || self.month_word_before(pos)
                || self.month_time_word_after(end));
        if let Some(r) = self.range_conn(end)
            && let Some((m2, form2, m2end)) = self.month_at(r)
        {
            let (y2, end2) = match self.year_after(m2end, form2 != Form::English) {
                Step::Ok(v, e) => (Some(v), e),
                Step::Bad(e) => return Step::Bad(e),
                Step::No => (None, m2end),
            };
            if context || y.is_some() || y2.is_some() || self.month_time_word_after(end2) {
                let (y1, y2) = match (y, y2) {
                    (None, Some(b)) => (Some(if m > m2 { b - 1 } else { b }), Some(b)),
                    (Some(a), None) => (Some(a), Some(if m2 < m { a + 1 } else { a })),
                    other => other,
                };
                return Step::Ok(
                    Value::Range(Point::Month { y: y1, m }, Point::Month { y: y2, m: m2 }),
                    end2,
                );
            }
        }
        if !context && y.is_none() {
            return Step::No;
        }
        Step::Ok(Value::Single(Point::Month { y, m }), end)
    }

    /// `November 1, 2017`, `Nov. 1st 2017`, `March 24` after an English month
    /// ending at `mend`; `None` when no day follows.
    fn english_month_day(&self, m: u8, mend: usize) -> Option<Step<Value>> {
        let n = self.num(self.gap(mend)).filter(|n| n.nd <= 2)?;
        if self.continues_number(n.end) {
            return None;
        }
        let mut end = self.ordinal(n.end);
        let mut q = self.gap(end);
        if self.ch(q) == Some(',') {
            q = self.gap(q + 1);
        }
        let y = match self.year_after(q, false) {
            Step::Ok(y, e) => {
                end = e;
                Some(y)
            }
            Step::Bad(e) => return Some(Step::Bad(e)),
            Step::No => None,
        };
        let day = Point::Day {
            y,
            m,
            d: n.v as u8,
            t: None,
        };
        Some(Step::Ok(Value::Single(day), end))
    }

    /// Everything that can start at a digit: numeric dates, times before
    /// dates, day-month dates, and years after `ปี` or as `2561-62`.
    fn at_digits(&self, pos: usize) -> Step<Value> {
        let Some(n) = self.num(pos) else {
            return Step::No;
        };
        if self.after_slash_number(pos) {
            // Only a written month makes a date here: `หน้า ๙/๒๑ กรกฎาคม ๒๕๕๗`.
            return match self.day_month(pos) {
                Step::Ok(..) | Step::Bad(_) => self.date_phrase(pos),
                Step::No => Step::No,
            };
        }
        if n.nd <= 2 {
            match self.time_then_date(pos) {
                Step::No => {}
                other => return other,
            }
            match self.date_phrase(pos) {
                Step::No => {}
                other => return other,
            }
        }
        if n.nd == 4 {
            match self.date_phrase(pos) {
                Step::No => {}
                other => return other,
            }
        }
        if n.nd == 4 || n.nd == 2 {
            let q = self.back_gap(pos);
            if YEAR_WORDS.iter().any(|w| self.ends_with(q, w)) {
                return self.years(pos, None, false);
            }
            if n.nd == 4 {
                // A bare range of Buddhist-Era years: `2561-62`, `2566-2570`.
                if let Step::Ok(y2, end) = self.year_range_end(n.end, n, None)
                    && let Some(y1) = Self::year_of(None, n)
                    && y2 - y1 <= 30
                    && y2 > y1
                {
                    return Step::Ok(Value::Range(Point::Year(y1), Point::Year(y2)), end);
                }
            }
        }
        Step::No
    }

    /// `ปี 2565 และ 2566`: a second year joined to a year mention ending at
    /// `prev_end` by `และ`/`หรือ`/`,` takes the first one's kind (plain or fiscal).
    pub fn continued_year(&self, prev_end: usize, pos: usize, fiscal: bool) -> Option<Found> {
        let q = self.gap(prev_end);
        let joined = match self.any_lit(q, &["และ", "หรือ", ",", "กับ"]) {
            Some(e) => self.gap(e),
            None => return None,
        };
        if joined != pos || self.num(pos).is_none_or(|n| n.nd != 4) {
            return None;
        }
        match self.years(pos, None, fiscal) {
            Step::Ok(v, e) => Some(Found {
                start: pos,
                end: e,
                value: v.is_valid().then_some(v),
            }),
            _ => None,
        }
    }

    /// Reads the phrase at an anchor the lexicon found.
    pub fn at_anchor(&self, start: usize, end: usize, kw: Kw) -> Option<Found> {
        let step = match kw {
            Kw::Digit => {
                if !self.starts_number(start) {
                    return None;
                }
                self.at_digits(start)
            }
            Kw::Month(..) => self.month_phrase(start, true),
            Kw::Era(era, bare) => {
                if !self.era_ok(start, end, bare) {
                    return None;
                }
                self.years(self.gap(end), Some(era), false)
            }
            Kw::Fiscal => {
                let mut q = self.gap(end);
                if let Some(e) = self.lit(q, "ปี") {
                    // `ปีงบประมาณปี2560`
                    q = self.gap(e);
                }
                let era = match self.era_at(q) {
                    Some((e, eend)) => {
                        q = self.gap(eend);
                        Some(e)
                    }
                    None => None,
                };
                self.years(q, era, true)
            }
            Kw::Fy => {
                if self.prev(start).is_some_and(|c| c.is_ascii_alphabetic()) {
                    return None;
                }
                let mut q = end;
                if self.ch(q) == Some('.') {
                    q += 1;
                }
                if self.ch(q) == Some(' ') {
                    q += 1;
                }
                match self.num(q) {
                    Some(n) if n.nd == 2 => {
                        let y = if n.v >= 50 {
                            2500 + n.v as i32 - 543
                        } else {
                            2000 + n.v as i32
                        };
                        Step::Ok(Value::Single(Point::Fiscal(y)), n.end)
                    }
                    Some(n) if n.nd == 4 => self.years(q, None, true),
                    _ => Step::No,
                }
            }
        };
        match step {
            Step::No => None,
            Step::Bad(e) => Some(Found {
                start,
                end: e.max(end),
                value: None,
            }),
            Step::Ok(v, e) => Some(Found {
                start,
                end: e,
                value: v.is_valid().then_some(v),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract_dates;

    /// (surface, value) of every mention, checking offsets against the text.
    fn found(text: &str) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        extract_dates(text)
            .into_iter()
            .map(|d| {
                let at: String = chars[d.start..d.end].iter().collect();
                assert_eq!(at, d.text, "offsets of {:?} in {text:?}", d.text);
                (d.text, d.value)
            })
            .collect()
    }

    fn expect(text: &str, want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(found(text), want, "{text}");
    }

    #[test]
    fn circular_of_seed_003() {
        expect(
            "ถนนสุขุมวิท รย ๒๑๑๕๐\n\n๒๒ พฤศจิกายน ๒๕๖๒\n",
            &[("๒๒ พฤศจิกายน ๒๕๖๒", "2019-11-22")],
        );
        expect(
            "ลงวันที่ ๒๖ พฤศจิกายน ๒๕๖๒",
            &[("๒๖ พฤศจิกายน ๒๕๖๒", "2019-11-26")],
        );
        expect(
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๑ - ๒๕๖๒ ในภาพรวม",
            &[("ปีงบประมาณ พ.ศ. ๒๕๖๑ - ๒๕๖๒", "FY2018/FY2019")],
        );
        expect(
            "เพื่อการพัฒนาที่ยั่งยืน” ประจำปีงบประมาณ พ.ศ.๒๕๖๑-๒๕๖๒",
            &[("ปีงบประมาณ พ.ศ.๒๕๖๑-๒๕๖๒", "FY2018/FY2019")],
        );
        expect(
            "คณะรัฐมนตรีได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐ เห็นชอบ",
            &[("๒๑ พฤศจิกายน ๒๕๖๐", "2017-11-21")],
        );
        expect(
            "ภายในเดือนพฤศจิกายนของปี พ.ศ. ๒๕๖๑ และ พ.ศ. ๒๕๖๒ โดย",
            &[
                ("พฤศจิกายน", "PARTIAL:--11"),
                ("พ.ศ. ๒๕๖๑", "2018"),
                ("พ.ศ. ๒๕๖๒", "2019"),
            ],
        );
    }

    #[test]
    fn letter_numbers_phones_and_postcodes_are_not_dates() {
        expect("ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒", &[]);
        expect("ด่วนที่สุด ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐", &[]);
        expect("หมายเลขโทรศัพท์ ๐ ๒๑๔๑ ๒๗๕๙ และ ๐ ๒๑๔๑ ๒๗๔๖", &[]);
        expect("โทรศัพท์ ๐-๓๘๖๙-๔๐๔๓ / โทรสาร ๐-๓๘๖๙-๔๑๖๐", &[]);
        expect("โทร. 0-5328-3734 / แฟ็กซ์. 0-5328-3738", &[]);
        expect("อำเภอเมือง เชียงใหม่ 50-100", &[]);
        expect("ถนนสุขุมวิท รย ๒๑๑๕๐", &[]);
        expect(
            "คำสั่งคณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทยที่ 2/2566 เรื่อง",
            &[],
        );
        expect("การประชุมครั้งที่ 1/2566 เมื่อ", &[]);
        expect("(บอร์ด กนอ.) ครั้งที่ 581/2557-2560 เพื่อรับทราบ", &[]);
        expect("เลขที่ 12/3/2566 ", &[]);
        expect("สถานการณ์ COVID-19 ในไทย", &[]);
    }

    #[test]
    fn time_after_a_bracketed_date() {
        expect(
            "วันนี้ (9 ส.ค. 62) เวลา 14.30 น. ณ ทำเนียบรัฐบาล",
            &[("9 ส.ค. 62) เวลา 14.30 น.", "2019-08-09T14:30")],
        );
        expect(
            "วันนี้ (10 ส.ค. 63) เวลา 13.00 น. ณ ตึกนารีสโมสร",
            &[("10 ส.ค. 63) เวลา 13.00 น.", "2020-08-10T13:00")],
        );
        // Without เวลา a number after the bracket is no time.
        expect("วันนี้ (9 ส.ค. 62) 14 จังหวัด", &[("9 ส.ค. 62", "2019-08-09")]);
    }

    #[test]
    fn month_of_the_year() {
        expect(
            "ในเดือนพฤษภาคมของปี พ.ศ. ๒๕๖๐ ที่ผ่านมา",
            &[("พฤษภาคมของปี พ.ศ. ๒๕๖๐", "2017-05")],
        );
        expect(
            "วันที่ 12 มีนาคม ของปี 2562",
            &[("12 มีนาคม ของปี 2562", "2019-03-12")],
        );
    }

    #[test]
    fn marked_year_ranges_followed_by_words() {
        expect(
            "ปีงบประมาณ 2565-2568 ด้านบริหารจัดการ",
            &[("ปีงบประมาณ 2565-2568", "FY2022/FY2025")],
        );
        expect(
            "ฉบับที่ 3\nพ.ศ. 2566 – 2570\nแผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
            &[("พ.ศ. 2566 – 2570", "2023/2027")],
        );
        // An unmarked range before a count word is no date.
        expect("จำนวน 2565 - 2570 คน", &[]);
    }

    #[test]
    fn the_civil_service_commission_is_not_february() {
        expect("เลขาธิการ ก.พ. ได้ลงนามหนังสือเวียน", &[]);
        expect(
            "ตามกฎ ก.พ. ว่าด้วยการดำเนินการทางวินัย พ.ศ. 2556",
            &[("พ.ศ. 2556", "2013")],
        );
        expect("สำนักงาน ก.พ.ร. ประจำปี", &[]);
        expect("คณะกรรมการ ก.ค.ศ. 2547", &[]);
        expect("เป็นตุลาการศาลรัฐธรรมนูญ", &[]);
        expect("ก.พ. 2567", &[("ก.พ. 2567", "2024-02")]);
    }

    #[test]
    fn news_leads_and_stamps() {
        expect(
            "เมื่อวันที่ 14 กุมภาพันธ์ 2567 เวลา 10.00 น. ที่ห้องปฏิบัติราชการ",
            &[("14 กุมภาพันธ์ 2567 เวลา 10.00 น.", "2024-02-14T10:00")],
        );
        expect(
            "echo Out 30 สิงหาคม 2560 / 20:07:42  ",
            &[("30 สิงหาคม 2560 / 20:07:42", "2017-08-30T20:07:42")],
        );
        expect(
            "วันนี้ (24 มี.ค.) ณ ห้องประชุมชั้น 4",
            &[("24 มี.ค.", "PARTIAL:--03-24")],
        );
        expect(
            "วันนี้ (11 เม.ย. 67) นายชูชีพ พงษ์ไชย",
            &[("11 เม.ย. 67", "2024-04-11")],
        );
        expect(
            "เมื่อวันที่ 11 ส.ค. 66 นายชำนาญ",
            &[("11 ส.ค. 66", "2023-08-11")],
        );
        expect(
            "วันศุกร์ที่ ๕ มีนาคม ๒๕๖๔ เวลา ๑๔.๐๐ น นายสามารถ",
            &[("๕ มีนาคม ๒๕๖๔ เวลา ๑๔.๐๐ น", "2021-03-05T14:00")],
        );
        expect(
            "วันพฤหัสบดีที่ 13  ตุลาคม 2559 เวลา 15 นาฬิกา 52 นาที ถือเป็น",
            &[("13  ตุลาคม 2559 เวลา 15 นาฬิกา 52 นาที", "2016-10-13T15:52")],
        );
        expect(
            "เมื่อเวลา 10.00 น. ของวันที่ 5 มีนาคม 2566 ที่",
            &[("10.00 น. ของวันที่ 5 มีนาคม 2566", "2023-03-05T10:00")],
        );
        expect(
            "24 มี.ค. เวลา 9 นาฬิกา",
            &[("24 มี.ค. เวลา 9 นาฬิกา", "PARTIAL:--03-24T09:00")],
        );
    }

    #[test]
    fn time_ranges_and_overnight() {
        expect(
            "ในวันที่ ๑๔ มีนาคม ๒๕๖๐ เวลา ๑๖.๐๐ - ๑๙.๐๐ น. (ตามเวลา",
            &[(
                "๑๔ มีนาคม ๒๕๖๐ เวลา ๑๖.๐๐ - ๑๙.๐๐ น.",
                "2017-03-14T16:00/2017-03-14T19:00",
            )],
        );
        expect(
            "15 ธ.ค. 66 เวลา 22.00 - 04.00 น.",
            &[(
                "15 ธ.ค. 66 เวลา 22.00 - 04.00 น.",
                "2023-12-15T22:00/2023-12-16T04:00",
            )],
        );
        expect(
            "ระหว่างวันที่ 8 กุมภาพันธ์ - 11 มีนาคม 2561 ตั้งแต่เวลา 10.30 - 21.00 น.",
            &[(
                "8 กุมภาพันธ์ - 11 มีนาคม 2561 ตั้งแต่เวลา 10.30 - 21.00 น.",
                "2018-02-08T10:30/2018-03-11T21:00",
            )],
        );
    }

    #[test]
    fn impossible_dates_and_times_give_nothing() {
        expect("วันที่ 31 เม.ย. 2566 นี้", &[]);
        expect("29 ก.พ. 2566", &[]);
        expect("29 ก.พ. 2567", &[("29 ก.พ. 2567", "2024-02-29")]);
        expect("30 ก.พ.", &[]);
        expect("วันที่ 5 มี.ค. 2566 เวลา 25.00 น.", &[]);
        expect("ระหว่างวันที่ 30 - 31 เม.ย. 2566", &[]);
        expect("24 มี.ค. 2566 - 31 เม.ย. 2566", &[]);
        expect("31/04/2566", &[]);
        expect("พ.ศ. 2570-2566", &[]);
    }

    #[test]
    fn plan_periods_and_year_ranges() {
        expect(
            "แผนสิทธิมนุษยชนแห่งชาติฉบับที่ 5 (พ.ศ. 2566-2570) และ",
            &[("พ.ศ. 2566-2570", "2023/2027")],
        );
        expect(
            "ระยะที่ ๒ (พ.ศ. ๒๕๖๖ – ๒๕๗๐)",
            &[("พ.ศ. ๒๕๖๖ – ๒๕๗๐", "2023/2027")],
        );
        expect(
            "ระหว่างปี ค.ศ. 2023-2027 เพื่อ",
            &[("ค.ศ. 2023-2027", "2023/2027")],
        );
        expect("ปี 2561-62", &[("2561-62", "2018/2019")]);
        expect("สำหรับปี 2566-2568\n", &[("2566-2568", "2023/2025")]);
        expect(
            "ยุทธศาสตร์ชาติ พ.ศ. 2561 –2580 ระยะ 20 ปี",
            &[("พ.ศ. 2561 –2580", "2018/2037")],
        );
        expect("Q1 2017 – 31", &[]);
    }

    #[test]
    fn fiscal_years() {
        expect("ปีงบ 67", &[("ปีงบ 67", "FY2024")]);
        expect("ปีงบประมาณ 2562", &[("ปีงบประมาณ 2562", "FY2019")]);
        expect("FY2019", &[("FY2019", "FY2019")]);
        expect(
            "ในปีงบประมาณ พ.ศ. 2567 จะให้",
            &[("ปีงบประมาณ พ.ศ. 2567", "FY2024")],
        );
        expect(
            "ปีงบประมาณ 2565 และ 2566",
            &[("ปีงบประมาณ 2565", "FY2022"), ("2566", "FY2023")],
        );
        expect("ปีงบประมาณ ที่ผ่านมา", &[]);
        expect("ภายในปีงบประมาณปี2560เพื่อ", &[("ปีงบประมาณปี2560", "FY2017")]);
    }

    #[test]
    fn years_after_pi_and_eras() {
        expect(
            "โครงการองค์ต้นแบบด้านสิทธมนุษยชน ปี 2566 การนำ",
            &[("2566", "2023")],
        );
        expect(
            "ในปี ๒๕๔๖ และ ๒๕๔๗ ตามลำดับ",
            &[("๒๕๔๖", "2003"), ("๒๕๔๗", "2004")],
        );
        expect("ปี 67", &[("67", "2024")]);
        expect("ภาคเรียนที่ 1 ปีการศึกษา 2566", &[("2566", "2023")]);
        expect(
            "ระยะ 3 เดือน ต.ค.- ธ.ค.60",
            &[("ต.ค.- ธ.ค.60", "2017-10/2017-12")],
        );
        expect(
            "ให้ไว้ ณ วันที่ ๕ เดือนธันวาคม พุทธศักราช ๒๕๖๐",
            &[("๕ เดือนธันวาคม พุทธศักราช ๒๕๖๐", "2017-12-05")],
        );
        expect("ค.ศ. 2019-20", &[("ค.ศ. 2019-20", "2019/2020")]);
        expect("อายุ 1 ปี 10 เดือน", &[]);
        expect("ค.ศ. 2024", &[("ค.ศ. 2024", "2024")]);
        expect(
            "พระราชบัญญัติการพนัน พุทธศักราช ๒๔๗๘",
            &[("พุทธศักราช ๒๔๗๘", "1935")],
        );
        expect("(B.E. 2557), issued", &[("B.E. 2557", "2014")]);
        expect(
            "ลงวันที่ ๒๔ พฤศจิกายน พระพุทธศักราช ๒๔๘๐",
            &[("๒๔ พฤศจิกายน พระพุทธศักราช ๒๔๘๐", "1937-11-24")],
        );
        expect("เมื่อ 2566 ราย", &[]);
    }

    #[test]
    fn informal_and_abbreviated_months() {
        expect("มค 2567", &[("มค 2567", "2024-01")]);
        expect("เดือนมีนา ที่ผ่านมา", &[("มีนา", "PARTIAL:--03")]);
        expect("มีนา 2567", &[("มีนา 2567", "2024-03")]);
        expect("เหตุการณ์ 14 ตุลา", &[("14 ตุลา", "PARTIAL:--10-14")]);
        expect("31 มี.ค. 66", &[("31 มี.ค. 66", "2023-03-31")]);
        expect("พนันออนไลน์ มิ.ย.67 มีจำนวน 1,0", &[("มิ.ย.67", "2024-06")]);
        expect("กรกฏาคม 2566", &[("กรกฏาคม 2566", "2023-07")]);
        expect("28 กพ. 60 ผู้บริหาร", &[("28 กพ. 60", "2017-02-28")]);
        expect("นางมีนา ใจดี", &[]);
        expect("จะพิจารณาเสร็จภายใน ก.ย.นี้ วงเงิน", &[("ก.ย.", "PARTIAL:--09")]);
        expect(
            "สิทธิพิเศษภายใน ก.ย. – ต.ค.นี้",
            &[("ก.ย. – ต.ค.", "PARTIAL:--09/--10")],
        );
        expect("เดือนตุลานี้", &[("ตุลา", "PARTIAL:--10")]);
        expect("เพิ่มขึ้นจากเดือน ก.พ.60 ร้อยละ 10.97", &[("ก.พ.60", "2017-02")]);
        expect(
            "เฉลี่ย ม.ค.-พ.ค.61 กก.ละ 3.56 บาท",
            &[("ม.ค.-พ.ค.61", "2018-01/2018-05")],
        );
        expect("สมคบกัน", &[]);
    }

    #[test]
    fn day_and_month_ranges() {
        expect(
            "ระหว่างวันที่ 24-25 มี.ค. 2566",
            &[("24-25 มี.ค. 2566", "2023-03-24/2023-03-25")],
        );
        expect(
            "24 - 25 มีนาคม",
            &[("24 - 25 มีนาคม", "PARTIAL:--03-24/--03-25")],
        );
        expect(
            "วันที่ 24 – วันที่ 25 มีนาคม 2566",
            &[("24 – วันที่ 25 มีนาคม 2566", "2023-03-24/2023-03-25")],
        );
        expect(
            "ในห้วงวันที่ 1 ตุลาคม 2564-30 กันยายน 2565",
            &[("1 ตุลาคม 2564-30 กันยายน 2565", "2021-10-01/2022-09-30")],
        );
        expect(
            "ระหว่างวันที่ 1 พ.ย. 66 ถึงวันที่ 30 พ.ค. 67 เพื่อ",
            &[("1 พ.ย. 66 ถึงวันที่ 30 พ.ค. 67", "2023-11-01/2024-05-30")],
        );
        expect(
            "ตั้งแต่วันที่ 28 ธ.ค. - 3 ม.ค. 2567",
            &[("28 ธ.ค. - 3 ม.ค. 2567", "2023-12-28/2024-01-03")],
        );
        expect(
            "ในช่วงเดือน ต.ค. - ธ.ค. ของทุกปี",
            &[("ต.ค. - ธ.ค.", "PARTIAL:--10/--12")],
        );
        expect(
            "ตั้งแต่เดือนกรกฎาคม 2563 – เมษายน 2566 เป็นเงิน",
            &[("กรกฎาคม 2563 – เมษายน 2566", "2020-07/2023-04")],
        );
        expect(
            "ช่วงมกราคม - มีนาคม 2567",
            &[("มกราคม - มีนาคม 2567", "2024-01/2024-03")],
        );
        expect(
            "ฤดูกาลผลิต (ม.ค. – มี.ค. 61)",
            &[("ม.ค. – มี.ค. 61", "2018-01/2018-03")],
        );
    }

    #[test]
    fn english_dates_in_translated_releases() {
        expect(
            "the press conference on August 17, 2021. Some of",
            &[("August 17, 2021", "2021-08-17")],
        );
        expect(
            "starting 1st November 2017 – 31st March 2018",
            &[(
                "1st November 2017 – 31st March 2018",
                "2017-11-01/2018-03-31",
            )],
        );
        expect("Standards Act B.E. 2511, on", &[("B.E. 2511", "1968")]);
        expect("in May 2024", &[("May 2024", "2024-05")]);
        expect("May I ask, in summary", &[]);
        expect("Mar 15", &[("Mar 15", "PARTIAL:--03-15")]);
        expect(
            "Today (22 August 2017) at 9.30 hrs.",
            &[("22 August 2017", "2017-08-22")],
        );
        expect(
            "On 22 August 2017 at 2.30 p.m. the",
            &[("22 August 2017 at 2.30 p.m.", "2017-08-22T14:30")],
        );
    }

    #[test]
    fn numeric_dates_are_day_month_year() {
        expect("พิมพ์\n07/02/2566\n", &[("07/02/2566", "2023-02-07")]);
        expect("วันผลิต 19/4/61 วันหมดอายุ", &[("19/4/61", "2018-04-19")]);
        expect("12/10/2566", &[("12/10/2566", "2023-10-12")]);
        expect("2023-03-24", &[("2023-03-24", "2023-03-24")]);
        expect(
            "2023-03-24T10:30",
            &[("2023-03-24T10:30", "2023-03-24T10:30")],
        );
        expect(
            "หน้า ๙/๒๑ กรกฎาคม ๒๕๕๗",
            &[("๒๑ กรกฎาคม ๒๕๕๗", "2014-07-21")],
        );
    }

    #[test]
    fn dates_across_a_line_break() {
        expect(
            "ลงวันที่ ๑๐\nพฤษภาคม พ.ศ. ๒๕๒๐ ไม่ว่า",
            &[("๑๐\nพฤษภาคม พ.ศ. ๒๕๒๐", "1977-05-10")],
        );
        expect("๑๐\n\nพฤษภาคม", &[("พฤษภาคม", "PARTIAL:--05")]);
    }
}
