//! Date values: the contract's value grammar (`2023-03-24`, `2023-03`, `2023`,
//! `FY2019`, `A/B` ranges, `PARTIAL:--MM-DD`…), written from parsed dates and
//! read back as inclusive day ranges for indexing and `date:`/`fy:` filters.

use super::ymd::{Ymd, days_in_month};
use crate::normalize::fold_digits;

/// A clock time written with a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    /// Hour, 0..=24 (24 only as `24:00`).
    pub h: u8,
    /// Minute.
    pub m: u8,
    /// Second, only when written.
    pub s: Option<u8>,
}

impl Time {
    /// True for a real clock time (`24:00` allowed as the end of a day).
    pub fn is_valid(&self) -> bool {
        let s = self.s.unwrap_or(0);
        self.m <= 59 && s <= 59 && (self.h <= 23 || (self.h == 24 && self.m == 0 && s == 0))
    }

    fn seconds(&self) -> u32 {
        u32::from(self.h) * 3600 + u32::from(self.m) * 60 + u32::from(self.s.unwrap_or(0))
    }

    fn write(&self, out: &mut String) {
        out.push_str(&format!("T{:02}:{:02}", self.h, self.m));
        if let Some(s) = self.s {
            out.push_str(&format!(":{s:02}"));
        }
    }
}

/// One end of a date value, CE years; `None` year means the year was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// A day, with a time when written.
    Day {
        /// CE year, if written.
        y: Option<i32>,
        /// Month.
        m: u8,
        /// Day.
        d: u8,
        /// Time of day.
        t: Option<Time>,
    },
    /// A month.
    Month {
        /// CE year, if written.
        y: Option<i32>,
        /// Month.
        m: u8,
    },
    /// A CE year.
    Year(i32),
    /// A Thai fiscal year, named by the CE year it ends in.
    Fiscal(i32),
}

impl Point {
    /// True when no year is known (a `PARTIAL:` value).
    pub fn is_partial(&self) -> bool {
        matches!(
            self,
            Point::Day { y: None, .. } | Point::Month { y: None, .. }
        )
    }

    /// True when the point names a real day / month / year.
    pub fn is_valid(&self) -> bool {
        let year_ok = |y: i32| (1..=9999).contains(&y);
        match *self {
            Point::Day { y, m, d, t } => {
                let leap_probe = y.unwrap_or(2000);
                y.is_none_or(year_ok)
                    && (1..=12).contains(&m)
                    && d >= 1
                    && d <= days_in_month(leap_probe, m)
                    && t.is_none_or(|t| t.is_valid())
            }
            Point::Month { y, m } => y.is_none_or(year_ok) && (1..=12).contains(&m),
            Point::Year(y) => year_ok(y),
            Point::Fiscal(y) => (2..=9999).contains(&y),
        }
    }

    /// Same kind of value (day, month, year, fiscal year) and both with or without a year.
    pub fn same_form(&self, other: &Point) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.is_partial() == other.is_partial()
    }

    /// A sort key within one form: (days or year number, seconds in the day).
    fn key(&self) -> (i64, u32) {
        match *self {
            Point::Day { y, m, d, t } => (
                Ymd::new(y.unwrap_or(2000), m, d).to_days(),
                t.map_or(0, |t| t.seconds()),
            ),
            Point::Month { y, m } => (i64::from(y.unwrap_or(2000)) * 12 + i64::from(m), 0),
            Point::Year(y) | Point::Fiscal(y) => (i64::from(y), 0),
        }
    }

    /// The value text of this point without the `PARTIAL:` prefix.
    fn write(&self, out: &mut String) {
        match *self {
            Point::Day { y, m, d, t } => {
                match y {
                    Some(y) => out.push_str(&format!("{y:04}-{m:02}-{d:02}")),
                    None => out.push_str(&format!("--{m:02}-{d:02}")),
                }
                if let Some(t) = t {
                    t.write(out);
                }
            }
            Point::Month { y: Some(y), m } => out.push_str(&format!("{y:04}-{m:02}")),
            Point::Month { y: None, m } => out.push_str(&format!("--{m:02}")),
            Point::Year(y) => out.push_str(&format!("{y:04}")),
            Point::Fiscal(y) => out.push_str(&format!("FY{y:04}")),
        }
    }
}

/// A single point or a range of two points of one form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// One date, month, year or fiscal year.
    Single(Point),
    /// `A/B`.
    Range(Point, Point),
}

impl Value {
    /// True when the value can be written: valid points, one form, and a
    /// range that does not run backwards (year-less ranges may wrap the year).
    pub fn is_valid(&self) -> bool {
        match self {
            Value::Single(p) => p.is_valid(),
            Value::Range(a, b) => {
                if !(a.is_valid() && b.is_valid() && a.same_form(b)) {
                    return false;
                }
                if !a.is_partial() {
                    return a.key() <= b.key();
                }
                match (a, b) {
                    // A year-less range inside one month must still run forward.
                    (Point::Day { m: m1, .. }, Point::Day { m: m2, .. }) if m1 == m2 => {
                        a.key() <= b.key()
                    }
                    _ => true,
                }
            }
        }
    }

    /// The value in the contract's grammar.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(24);
        match self {
            Value::Single(p) => {
                if p.is_partial() {
                    out.push_str("PARTIAL:");
                }
                p.write(&mut out);
            }
            Value::Range(a, b) => {
                if a.is_partial() {
                    out.push_str("PARTIAL:");
                }
                a.write(&mut out);
                out.push('/');
                b.write(&mut out);
            }
        }
        out
    }
}

/// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (optionally `THH:MM[:SS]`) or `FYYYYY`
/// into its inclusive day range. Years are taken as written (CE).
fn point_range(s: &str) -> Option<(Ymd, Ymd)> {
    if let Some(rest) = s.strip_prefix("FY") {
        let y = parse_year(rest)?;
        return Some((Ymd::fiscal_start(y), Ymd::fiscal_end(y)));
    }
    let date_part = s.split('T').next().unwrap_or(s);
    let mut parts = date_part.split('-');
    let y = parse_year(parts.next()?)?;
    let m = match parts.next() {
        None => return Some((Ymd::first_of_year(y), Ymd::last_of_year(y))),
        Some(m) => parse_small(m, 1, 12)?,
    };
    let d = match parts.next() {
        None => return Some((Ymd::new(y, m, 1), Ymd::month_end(y, m))),
        Some(d) => parse_small(d, 1, 31)?,
    };
    if parts.next().is_some() {
        return None;
    }
    let day = Ymd::new(y, m, d);
    day.is_valid().then_some((day, day))
}

fn parse_year(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1..=9999).contains(&y).then_some(y)
}

fn parse_small(s: &str, lo: u8, hi: u8) -> Option<u8> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: u8 = s.parse().ok()?;
    (lo..=hi).contains(&v).then_some(v)
}

/// Inclusive CE day range a `value` covers (`2023` → 2023-01-01..2023-12-31,
/// `FY2019` → 2018-10-01..2019-09-30, ranges span both ends); `None` for
/// `PARTIAL:` values and anything outside the grammar.
pub fn value_range(value: &str) -> Option<(Ymd, Ymd)> {
    let value = value.trim();
    if value.starts_with("PARTIAL:") {
        return None;
    }
    let (start, end) = match value.split_once('/') {
        None => point_range(value)?,
        Some((a, b)) => (point_range(a)?.0, point_range(b)?.1),
    };
    (start <= end).then_some((start, end))
}

/// Reads one side of a `date:` filter: `2566` (BE) / `2023`, `2023-03`,
/// `2566-03`, `2023-03-24`, `24/03/2566`, or any single value form.
fn filter_point(s: &str) -> Option<(Ymd, Ymd)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains('/') {
        // Day/month/year as Thai documents write it.
        let parts: Vec<&str> = s.split('/').collect();
        if let [d, m, y] = parts.as_slice() {
            let d = parse_small(d, 1, 31)?;
            let m = parse_small(m, 1, 12)?;
            let y = filter_year(y)?;
            let day = Ymd::new(y, m, d);
            return day.is_valid().then_some((day, day));
        }
        return None;
    }
    if s.starts_with("FY") {
        return point_range(s);
    }
    let (year, rest) = match s.split_once('-') {
        Some((y, rest)) => (y, Some(rest)),
        None => (s, None),
    };
    let y = filter_year(year)?;
    match rest {
        None => Some((Ymd::first_of_year(y), Ymd::last_of_year(y))),
        Some(rest) => point_range(&format!("{y:04}-{rest}")),
    }
}

/// A 4-digit filter year: ≥ 2400 is Buddhist Era, otherwise CE.
fn filter_year(s: &str) -> Option<i32> {
    let y = parse_year(s.trim())?;
    Some(if y >= 2400 { y - 543 } else { y })
}

/// A search filter argument → inclusive CE day range. `field` is `date` or `fy`.
///
/// `date`: `2023-01-01..2023-12-31`, `2566` (whole BE year; ≥ 2400 means BE,
/// else CE), `2023-03`, `2566-03`, a single day, open ends `..2023-06-30` /
/// `2023-01-01..`; Thai digits are accepted. `fy`: `2566` (BE) or `2023` (the CE
/// year it ends in) → 1 October .. 30 September; `2565..2566` spans both.
pub fn parse_filter(field: &str, arg: &str) -> Option<(Ymd, Ymd)> {
    let arg = fold_digits(arg.trim());
    let arg = arg.trim_matches('"');
    let side: fn(&str) -> Option<(Ymd, Ymd)> = match field {
        "date" => filter_point,
        "fy" => |s: &str| {
            let s = s.trim();
            let y = filter_year(s.strip_prefix("FY").unwrap_or(s))?;
            Some((Ymd::fiscal_start(y), Ymd::fiscal_end(y)))
        },
        _ => return None,
    };
    let (start, end) = match arg.split_once("..") {
        None => side(arg)?,
        Some((a, b)) => {
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() && b.is_empty() {
                return None;
            }
            let start = if a.is_empty() { Ymd::MIN } else { side(a)?.0 };
            let end = if b.is_empty() { Ymd::MAX } else { side(b)?.1 };
            (start, end)
        }
    };
    (start <= end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: &str, b: &str) -> Option<(Ymd, Ymd)> {
        let p = |s: &str| {
            let v: Vec<i32> = s.split('-').map(|x| x.parse().unwrap_or(0)).collect();
            Ymd::new(v[0], v[1] as u8, v[2] as u8)
        };
        Some((p(a), p(b)))
    }

    #[test]
    fn renders_every_form() {
        let day = |y, m, d| Point::Day { y, m, d, t: None };
        assert_eq!(
            Value::Single(day(Some(2019), 11, 22)).render(),
            "2019-11-22"
        );
        assert_eq!(Value::Single(day(None, 3, 24)).render(), "PARTIAL:--03-24");
        assert_eq!(
            Value::Range(day(None, 3, 24), day(None, 3, 25)).render(),
            "PARTIAL:--03-24/--03-25"
        );
        let t = Some(Time {
            h: 20,
            m: 7,
            s: Some(42),
        });
        let dt = Point::Day {
            y: Some(2017),
            m: 8,
            d: 30,
            t,
        };
        assert_eq!(Value::Single(dt).render(), "2017-08-30T20:07:42");
        assert_eq!(
            Value::Range(Point::Fiscal(2018), Point::Fiscal(2019)).render(),
            "FY2018/FY2019"
        );
        assert_eq!(
            Value::Single(Point::Month { y: None, m: 3 }).render(),
            "PARTIAL:--03"
        );
        assert_eq!(
            Value::Single(Point::Month {
                y: Some(2024),
                m: 1
            })
            .render(),
            "2024-01"
        );
    }

    #[test]
    fn validity_rejects_impossible_days_times_and_backward_ranges() {
        let day = |y, m, d| Point::Day { y, m, d, t: None };
        assert!(!Value::Single(day(Some(2023), 4, 31)).is_valid());
        assert!(!Value::Single(day(Some(2023), 2, 29)).is_valid());
        assert!(Value::Single(day(Some(2024), 2, 29)).is_valid());
        assert!(Value::Single(day(None, 2, 29)).is_valid());
        assert!(!Value::Single(day(None, 2, 30)).is_valid());
        let late = Point::Day {
            y: Some(2024),
            m: 2,
            d: 14,
            t: Some(Time {
                h: 25,
                m: 0,
                s: None,
            }),
        };
        assert!(!Value::Single(late).is_valid());
        assert!(!Value::Range(Point::Year(2027), Point::Year(2023)).is_valid());
        assert!(!Value::Range(day(Some(2023), 3, 24), day(Some(2023), 4, 31)).is_valid());
        assert!(
            Value::Range(
                Point::Month { y: None, m: 9 },
                Point::Month { y: None, m: 3 }
            )
            .is_valid()
        );
    }

    #[test]
    fn value_ranges() {
        assert_eq!(value_range("2023"), r("2023-01-01", "2023-12-31"));
        assert_eq!(value_range("FY2019"), r("2018-10-01", "2019-09-30"));
        assert_eq!(value_range("2024-02"), r("2024-02-01", "2024-02-29"));
        assert_eq!(
            value_range("2024-02-14T10:00"),
            r("2024-02-14", "2024-02-14")
        );
        assert_eq!(value_range("2023/2027"), r("2023-01-01", "2027-12-31"));
        assert_eq!(value_range("FY2018/FY2019"), r("2017-10-01", "2019-09-30"));
        assert_eq!(
            value_range("2023-03-24/2023-03-25"),
            r("2023-03-24", "2023-03-25")
        );
        assert_eq!(value_range("PARTIAL:--03-24"), None);
        assert_eq!(value_range("2023-02-30"), None);
        assert_eq!(value_range("2027/2023"), None);
        assert_eq!(value_range("๒๕๖๖"), None);
    }

    #[test]
    fn date_filters() {
        assert_eq!(
            parse_filter("date", "2023-01-01..2023-12-31"),
            r("2023-01-01", "2023-12-31")
        );
        assert_eq!(parse_filter("date", "2566"), r("2023-01-01", "2023-12-31"));
        assert_eq!(parse_filter("date", "๒๕๖๖"), r("2023-01-01", "2023-12-31"));
        assert_eq!(parse_filter("date", "2023"), r("2023-01-01", "2023-12-31"));
        assert_eq!(
            parse_filter("date", "2023-03"),
            r("2023-03-01", "2023-03-31")
        );
        assert_eq!(
            parse_filter("date", "2566-02"),
            r("2023-02-01", "2023-02-28")
        );
        assert_eq!(
            parse_filter("date", "2023-03-24"),
            r("2023-03-24", "2023-03-24")
        );
        assert_eq!(
            parse_filter("date", "..2023-06-30"),
            Some((Ymd::MIN, Ymd::new(2023, 6, 30)))
        );
        assert_eq!(
            parse_filter("date", "2023-01-01.."),
            Some((Ymd::new(2023, 1, 1), Ymd::MAX))
        );
        assert_eq!(
            parse_filter("date", "2566..2567"),
            r("2023-01-01", "2024-12-31")
        );
        assert_eq!(
            parse_filter("date", "24/03/2566"),
            r("2023-03-24", "2023-03-24")
        );
        assert_eq!(parse_filter("date", "2023-13"), None);
        assert_eq!(parse_filter("date", ".."), None);
        assert_eq!(parse_filter("date", "2024..2023"), None);
        assert_eq!(parse_filter("date", "soon"), None);
    }

    #[test]
    fn fiscal_filters() {
        assert_eq!(parse_filter("fy", "2566"), r("2022-10-01", "2023-09-30"));
        assert_eq!(parse_filter("fy", "2023"), r("2022-10-01", "2023-09-30"));
        assert_eq!(parse_filter("fy", "๒๕๖๒"), r("2018-10-01", "2019-09-30"));
        assert_eq!(
            parse_filter("fy", "2565..2566"),
            r("2021-10-01", "2023-09-30")
        );
        assert_eq!(parse_filter("fy", "66"), None);
        assert_eq!(parse_filter("year", "2566"), None);
    }
}
