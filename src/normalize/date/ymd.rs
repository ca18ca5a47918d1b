//! Civil dates in the proleptic Gregorian calendar, the calendar every date
//! `value` is written in (Buddhist-Era years are converted before they get here).

use std::fmt;

/// A civil date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    /// Common-Era year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

/// True when `year` (CE, proleptic Gregorian) has a 29 February.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` of `year`; 0 for a month outside 1..=12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Ymd {
    /// The earliest date filters and ranges use (open lower end).
    pub const MIN: Ymd = Ymd {
        year: 1,
        month: 1,
        day: 1,
    };
    /// The latest date filters and ranges use (open upper end).
    pub const MAX: Ymd = Ymd {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// A date from its parts (not checked; see [`Ymd::is_valid`]).
    pub const fn new(year: i32, month: u8, day: u8) -> Ymd {
        Ymd { year, month, day }
    }

    /// True when the date exists (month 1..=12, day within the month, year 1..=9999).
    pub fn is_valid(&self) -> bool {
        (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// 1 January of `year`.
    pub fn first_of_year(year: i32) -> Ymd {
        Ymd::new(year, 1, 1)
    }

    /// 31 December of `year`.
    pub fn last_of_year(year: i32) -> Ymd {
        Ymd::new(year, 12, 31)
    }

    /// The first day of a Thai fiscal year named by the CE year it ends in (1 October before).
    pub fn fiscal_start(fy: i32) -> Ymd {
        Ymd::new(fy - 1, 10, 1)
    }

    /// The last day of a Thai fiscal year named by the CE year it ends in (30 September).
    pub fn fiscal_end(fy: i32) -> Ymd {
        Ymd::new(fy, 9, 30)
    }

    /// The last day of `month` of `year`.
    pub fn month_end(year: i32, month: u8) -> Ymd {
        Ymd::new(year, month, days_in_month(year, month))
    }

    /// Days since 1970-01-01 (negative before), for indexing and comparisons.
    pub fn to_days(&self) -> i64 {
        // Days-from-civil over 400-year eras (March-based years).
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (inverse of [`Ymd::to_days`]).
    pub fn from_days(days: i64) -> Ymd {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Ymd::new(year as i32, month as u8, day as u8)
    }

    /// The following day.
    pub fn succ(&self) -> Ymd {
        Ymd::from_days(self.to_days() + 1)
    }
}

impl fmt::Display for Ymd {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(Ymd::new(1970, 1, 1).to_days(), 0);
        assert_eq!(Ymd::new(2000, 3, 1).to_days(), 11_017);
        assert_eq!(Ymd::new(1969, 12, 31).to_days(), -1);
        assert_eq!(Ymd::from_days(19_440), Ymd::new(2023, 3, 24));
    }

    #[test]
    fn day_numbers_round_trip_and_are_consecutive() {
        let start = Ymd::new(1800, 1, 1).to_days();
        let end = Ymd::new(2200, 12, 31).to_days();
        let mut prev = Ymd::from_days(start - 1);
        for d in start..=end {
            let ymd = Ymd::from_days(d);
            assert!(ymd.is_valid(), "{ymd}");
            assert_eq!(ymd.to_days(), d);
            assert!(ymd > prev);
            assert_eq!(prev.succ(), ymd);
            prev = ymd;
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap(2024) && is_leap(2000) && !is_leap(1900) && !is_leap(2023));
        assert!(Ymd::new(2024, 2, 29).is_valid());
        assert!(!Ymd::new(2023, 2, 29).is_valid());
        assert!(!Ymd::new(2023, 4, 31).is_valid());
        assert!(!Ymd::new(2023, 13, 1).is_valid());
        assert!(!Ymd::new(2023, 1, 0).is_valid());
    }

    #[test]
    fn display_is_iso() {
        assert_eq!(Ymd::new(2019, 11, 22).to_string(), "2019-11-22");
        assert_eq!(Ymd::fiscal_start(2019).to_string(), "2018-10-01");
        assert_eq!(Ymd::fiscal_end(2019).to_string(), "2019-09-30");
    }
}
