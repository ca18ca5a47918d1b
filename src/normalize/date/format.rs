//! Writing dates the way Thai documents do (for display and for round-trip
//! tests of the extractor): full and abbreviated month names, Buddhist-Era
//! or Common-Era years, Thai or Arabic digits, numeric day/month/year.

use super::ymd::Ymd;

/// Full Thai month names, January first.
pub const MONTHS_FULL: [&str; 12] = [
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

/// Abbreviated Thai month names, January first.
pub const MONTHS_ABBR: [&str; 12] = [
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

/// A way of writing a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `24 มีนาคม 2566`
    Full,
    /// `๒๔ มีนาคม ๒๕๖๖`
    FullThaiDigits,
    /// `24 มีนาคม พ.ศ. 2566`
    FullBe,
    /// `24 มีนาคม ค.ศ. 2023`
    FullCe,
    /// `24 มี.ค. 2566`
    Abbr,
    /// `24 มีค 2566` (abbreviation without dots)
    AbbrBare,
    /// `24 มี.ค. 66` (2-digit Buddhist-Era year; only for BE 2500–2599)
    AbbrShortYear,
    /// `24/03/2566`
    Numeric,
    /// `24/3/66` (2-digit Buddhist-Era year; only for BE 2500–2599)
    NumericShort,
}

impl Style {
    /// Every style.
    pub const ALL: [Style; 9] = [
        Style::Full,
        Style::FullThaiDigits,
        Style::FullBe,
        Style::FullCe,
        Style::Abbr,
        Style::AbbrBare,
        Style::AbbrShortYear,
        Style::Numeric,
        Style::NumericShort,
    ];
}

/// Arabic digits → Thai digits.
pub fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0E50 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `date` written in `style`; `None` when the style cannot express it
/// (an invalid date, or a 2-digit year outside BE 2500–2599).
pub fn format_thai(date: Ymd, style: Style) -> Option<String> {
    if !date.is_valid() {
        return None;
    }
    let m = usize::from(date.month) - 1;
    let be = date.year + 543;
    let short = (2500..=2599).contains(&be).then_some(be - 2500);
    let (d, full, abbr) = (date.day, MONTHS_FULL[m], MONTHS_ABBR[m]);
    Some(match style {
        Style::Full => format!("{d} {full} {be}"),
        Style::FullThaiDigits => thai_digits(&format!("{d} {full} {be}")),
        Style::FullBe => format!("{d} {full} พ.ศ. {be}"),
        Style::FullCe => format!("{d} {full} ค.ศ. {}", date.year),
        Style::Abbr => format!("{d} {abbr} {be}"),
        Style::AbbrBare => format!("{d} {} {be}", abbr.replace('.', "")),
        Style::AbbrShortYear => format!("{d} {abbr} {:02}", short?),
        Style::Numeric => format!("{d:02}/{:02}/{be}", date.month),
        Style::NumericShort => format!("{d}/{}/{:02}", date.month, short?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_each_style() {
        let day = Ymd::new(2023, 3, 24);
        let got: Vec<String> = Style::ALL
            .iter()
            .filter_map(|s| format_thai(day, *s))
            .collect();
        assert_eq!(
            got,
            vec![
                "24 มีนาคม 2566",
                "๒๔ มีนาคม ๒๕๖๖",
                "24 มีนาคม พ.ศ. 2566",
                "24 มีนาคม ค.ศ. 2023",
                "24 มี.ค. 2566",
                "24 มีค 2566",
                "24 มี.ค. 66",
                "24/03/2566",
                "24/3/66",
            ]
        );
        assert_eq!(
            format_thai(Ymd::new(1900, 1, 1), Style::AbbrShortYear),
            None
        );
        assert_eq!(format_thai(Ymd::new(2023, 2, 29), Style::Full), None);
    }
}
