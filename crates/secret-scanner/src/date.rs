//! Calendar dates for `.secretsignore` expiry, on `jiff` (the date crate
//! the workspace already uses for commit dates): one date type, no
//! hand-written calendar arithmetic.

/// A calendar date, ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Parses `YYYY-MM-DD`; `None` for anything else or a date that does
    /// not exist (`2026-02-30`).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() != 10 {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Date)
    }

    /// Today in UTC.
    pub fn today() -> Date {
        Date(
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2026-99-99"), None);
        assert_eq!(Date::parse("2026-1-1"), None);
        assert_eq!(Date::parse("soon"), None);
        assert!(Date::today() > Date::parse("2025-01-01").unwrap());
    }
}
