//! The words of the report files: read from the UI's own catalogues
//! (`ui/src/lib/i18n/*.json`), so the dashboard, the files and the CLI say
//! the same thing in the same language.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mrc_core::age::AgeBand;
use mrc_core::migrant::{MigrationStatus, Sex};
use mrc_core::report::{HeadlineId, Period, Report, SectionId};

use crate::Language;

const ENGLISH: &str = include_str!("../../../ui/src/lib/i18n/en.json");
const RUSSIAN: &str = include_str!("../../../ui/src/lib/i18n/ru.json");

/// Captions, vocabulary names and number formatting for one language.
#[derive(Debug, Clone)]
pub struct ReportText {
    pub language: Language,
    messages: HashMap<String, String>,
    /// Country names by ISO code, as the UI resolves them (CLDR through
    /// `Intl.DisplayNames`); a code without a name prints as the code.
    countries: HashMap<String, String>,
}

impl ReportText {
    pub fn new(language: Language) -> ReportText {
        let source = match language {
            Language::English => ENGLISH,
            Language::Russian => RUSSIAN,
        };
        // The catalogue is compiled in and checked by a test below.
        let messages = serde_json::from_str(source).unwrap_or_default();
        ReportText { language, messages, countries: HashMap::new() }
    }

    /// Adds country names for the citizenship columns.
    pub fn with_countries(mut self, countries: HashMap<String, String>) -> ReportText {
        self.countries = countries;
        self
    }

    /// The message under `key`, or the key itself so a gap shows, not hides.
    pub fn get(&self, key: &str) -> String {
        self.messages.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    pub fn title(&self) -> String {
        self.get("report.title")
    }

    pub fn section(&self, id: SectionId) -> String {
        self.get(&format!("report.section.{id}"))
    }

    pub fn headline(&self, id: HeadlineId) -> String {
        self.get(&format!("report.headline.{id}"))
    }

    /// The caption of a row: the row's label (partners) or the vocabulary
    /// name its key stands for in this section.
    pub fn row(&self, section: SectionId, key: &str, label: Option<&str>) -> String {
        use SectionId as S;
        if let Some(label) = label {
            return label.to_owned();
        }
        let prefix = match section {
            _ if ["total", "assisted", "new", "any"].contains(&key) => "report.row",
            S::ReferralsByPartner => return self.get("report.row.no_partner"),
            S::Contacts | S::AnonymousContacts => "channel",
            S::AssistanceRecords | S::AssistancePersons | S::ReferralsByService => "category",
            S::ReferralsByStatus => "referral_status",
            S::CasesOpened | S::CasesOpenAtEnd => "case_type",
            S::CasesClosed => "closure",
            S::SessionParticipants => "session_kind",
            S::VulnerablePersons => "vulnerability",
            S::Persons => "report.row",
        };
        self.get(&format!("{prefix}.{key}"))
    }

    pub fn sex(&self, index: usize) -> String {
        Sex::ALL.get(index).map(|s| self.get(&format!("sex.{s}"))).unwrap_or_default()
    }

    pub fn age_band(&self, index: usize) -> String {
        AgeBand::ALL.get(index).map(|a| self.get(&format!("age_band.{a}"))).unwrap_or_default()
    }

    pub fn status(&self, index: usize) -> String {
        MigrationStatus::ALL.get(index).map(|s| self.get(&format!("status.{s}"))).unwrap_or_default()
    }

    pub fn citizenship(&self, code: &str) -> String {
        if code.is_empty() {
            return self.get("report.citizenship_unknown");
        }
        self.countries.get(code).cloned().unwrap_or_else(|| code.to_owned())
    }

    /// A count as printed: hidden counts as "<5".
    pub fn cell(&self, cell: Option<u32>) -> String {
        match cell {
            Some(n) => self.number(n as u64),
            None => self.get("report.hidden"),
        }
    }

    /// Thousands grouped the way the language writes them.
    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let sep = match self.language {
            Language::English => ",",
            Language::Russian => "\u{a0}",
        };
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(ch);
        }
        out
    }

    pub fn percent(&self, rate: Option<f64>) -> String {
        match (rate, self.language) {
            (None, _) => "—".to_owned(),
            (Some(r), Language::English) => format!("{r:.1}%"),
            (Some(r), Language::Russian) => format!("{}\u{a0}%", format!("{r:.1}").replace('.', ",")),
        }
    }

    pub fn date(&self, day: NaiveDate) -> String {
        match self.language {
            Language::English => day.format("%d/%m/%Y").to_string(),
            Language::Russian => day.format("%d.%m.%Y").to_string(),
        }
    }

    pub fn period(&self, p: Period) -> String {
        format!("{} – {}", self.date(p.from), self.date(p.to))
    }

    pub fn timestamp(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&chrono::Local);
        format!("{} {}", self.date(local.date_naive()), local.format("%H:%M"))
    }

    /// The centre line of a report: its centres, or "All centres".
    pub fn centres(&self, report: &Report) -> String {
        if report.request.centre_id.is_none() && report.centres.len() > 1 {
            format!("{} ({})", self.get("report.all_centres"), report.centres.join(", "))
        } else {
            report.centres.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_headline_and_row_has_words_in_both_languages() {
        for language in [Language::English, Language::Russian] {
            let text = ReportText::new(language);
            for id in SectionId::ALL {
                assert!(!text.section(*id).starts_with("report."), "{id}");
            }
            for id in HeadlineId::ALL {
                assert!(!text.headline(*id).starts_with("report."), "{id}");
            }
            assert_eq!(text.row(SectionId::Contacts, "walk_in", None), if language == Language::English { "Walk-in".to_owned() } else { text.get("channel.walk_in") });
            assert!(!text.row(SectionId::CasesClosed, "resolved", None).starts_with("closure."));
            assert!(!text.age_band(0).is_empty() && !text.sex(0).is_empty() && !text.status(0).is_empty());
        }
    }

    #[test]
    fn numbers_and_hidden_counts() {
        let en = ReportText::new(Language::English);
        let ru = ReportText::new(Language::Russian);
        assert_eq!(en.number(1234567), "1,234,567");
        assert_eq!(ru.number(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(en.cell(None), "<5");
        assert_eq!(en.cell(Some(12)), "12");
        assert_eq!(ru.percent(Some(42.5)), "42,5\u{a0}%");
    }
}
