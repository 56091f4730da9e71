//! What a team decided about the rules, kept in the design file: accepted findings (waivers)
//! and per-rule levels. The rules themselves stay pure; `validate::policy` applies these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::design::NodeId;

/// A finding the team accepted on purpose: which rule, on what, why, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule id, e.g. `IC-RES-001`.
    pub rule: String,
    /// Node and edge ids; the waiver covers a finding of its rule that concerns all of them.
    pub targets: Vec<NodeId>,
    /// Why the finding is accepted. Required: an unexplained waiver is a silenced alarm.
    pub reason: String,
    /// The last day (`YYYY-MM-DD`, inclusive) the waiver holds; after it the finding counts again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Waiver {
    /// Whether the waiver has run out on `today` (`YYYY-MM-DD`). ISO dates compare as text.
    pub fn expired_on(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|d| d < today)
    }
}

/// The level a team gives a rule in place of its own severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleLevel {
    pub fn parse(text: &str) -> Option<RuleLevel> {
        match text {
            "off" => Some(RuleLevel::Off),
            "info" => Some(RuleLevel::Info),
            "warning" => Some(RuleLevel::Warning),
            "error" => Some(RuleLevel::Error),
            _ => None,
        }
    }
}

/// Design-wide settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Rule id → level, for teams whose policy differs from the defaults.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleLevel>,
}

/// `IC-<FAMILY>-<NNN>`: the shape of every rule id, checked on load so a typo is caught early
/// while ids of rules a newer release adds still load.
pub fn is_rule_id(id: &str) -> bool {
    let mut parts = id.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("IC"), Some(family), Some(number), None)
            if !family.is_empty()
                && family.bytes().all(|b| b.is_ascii_uppercase())
                && number.len() == 3
                && number.bytes().all(|b| b.is_ascii_digit())
    )
}

/// Whether `text` is a calendar date written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The civil date (`YYYY-MM-DD`, proleptic Gregorian) of a day counted from 1970-01-01
/// (H. Hinnant's `civil_from_days`), so the CLI needs no date crate to know what day it is.
pub fn date_from_unix_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_have_the_catalogue_shape() {
        assert!(is_rule_id("IC-RES-001"));
        assert!(is_rule_id("IC-DR-004"));
        for bad in [
            "",
            "IC-RES",
            "IC-res-001",
            "IC-RES-01",
            "IC-RES-001-x",
            "XX-RES-001",
            "IC--001",
        ] {
            assert!(!is_rule_id(bad), "{bad}");
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        for good in ["2026-12-03", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2023-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-1-01",
            "26-12-03",
            "2026/12/03",
            "2026-12-0x",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn unix_days_become_civil_dates() {
        assert_eq!(date_from_unix_days(0), "1970-01-01");
        assert_eq!(date_from_unix_days(-1), "1969-12-31");
        assert_eq!(date_from_unix_days(11_016), "2000-02-29");
        assert_eq!(date_from_unix_days(20_790), "2026-12-03");
        // Every day of four centuries comes out as a valid date, one after the other.
        let mut previous = date_from_unix_days(-1);
        for day in 0..146_097 {
            let date = date_from_unix_days(day);
            assert!(is_date(&date) && date > previous, "{date} after {previous}");
            previous = date;
        }
    }

    #[test]
    fn a_waiver_holds_through_its_last_day() {
        let mut w = Waiver {
            rule: "IC-RES-001".into(),
            targets: vec!["db".into()],
            reason: "on purpose".into(),
            expires: Some("2026-12-03".into()),
        };
        assert!(!w.expired_on("2026-12-03"));
        assert!(w.expired_on("2026-12-04"));
        w.expires = None;
        assert!(!w.expired_on("9999-12-31"));
    }
}
