//! Age bands, as the monthly report and anonymous counts use them.

use chrono::{Datelike, NaiveDate};

use crate::vocab::vocabulary;

vocabulary! {
    AgeBand {
        Under18 = "0-17", From18To24 = "18-24", From25To34 = "25-34", From35To49 = "35-49",
        From50To59 = "50-59", From60 = "60+", Unknown = "unknown",
    }
}

/// Whole years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

impl AgeBand {
    /// The band of a person born on `birth` (when known) on the day `on`.
    pub fn of(birth: Option<NaiveDate>, on: NaiveDate) -> AgeBand {
        match birth.map(|b| age_on(b, on)) {
            None => AgeBand::Unknown,
            Some(a) if a < 0 => AgeBand::Unknown,
            Some(0..=17) => AgeBand::Under18,
            Some(18..=24) => AgeBand::From18To24,
            Some(25..=34) => AgeBand::From25To34,
            Some(35..=49) => AgeBand::From35To49,
            Some(50..=59) => AgeBand::From50To59,
            Some(_) => AgeBand::From60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_band_changes_on_the_birthday() {
        let birth = d(2008, 11, 28);
        assert_eq!(AgeBand::of(Some(birth), d(2026, 11, 27)), AgeBand::Under18);
        assert_eq!(AgeBand::of(Some(birth), d(2026, 11, 28)), AgeBand::From18To24);
        assert_eq!(AgeBand::of(Some(d(1966, 1, 1)), d(2026, 1, 1)), AgeBand::From60);
        assert_eq!(AgeBand::of(None, d(2026, 1, 1)), AgeBand::Unknown);
        assert_eq!(age_on(d(2000, 2, 29), d(2001, 2, 28)), 0);
    }
}
