//! Printable documents as PDF.
//!
//! The referral slip takes plain data and knows nothing of the database; the
//! monthly report files are written from the core's [`mrc_core::report::Report`]
//! with the words of the UI's catalogues ([`ReportText`]). For the slip, the caller resolves and translates everything that
//! comes from the case (service label, urgency, country names, formatted
//! dates); the crate adds the fixed captions in the chosen [`Language`],
//! lays the page out and embeds the fonts (DejaVu Sans, compiled in, so
//! Cyrillic prints the same on every machine).
//!
//! ```
//! use mrc_documents::{referral_slip, Language, SlipData};
//!
//! let data = SlipData {
//!     centre_name: "MRC Dushanbe".into(),
//!     partner_name: "Legal Aid Bureau".into(),
//!     reference: "REF-2026-0042".into(),
//!     migrant_name: "Рахмонов Фаррух".into(),
//!     ..SlipData::default()
//! };
//! let pdf = referral_slip(&data, Language::Russian).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```

mod canvas;
mod font;
mod labels;
mod report_csv;
mod report_export;
mod report_pdf;
mod report_text;
mod report_xlsx;
mod sheet;
mod slip;
mod subject_access_pdf;
mod wrap;

pub use report_csv::write_report_csv;
pub use report_export::export_report;
pub use report_pdf::report_pdf;
pub use report_text::ReportText;
pub use report_xlsx::write_report_xlsx;
pub use sheet::{sheet_pdf, Sheet, SheetSection};
pub use subject_access_pdf::subject_access_pdf;

pub use labels::SlipLabels;

/// Language a document is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    Russian,
}

impl Language {
    /// Every language documents are printed in (the fonts and words they need are here).
    pub const ALL: [Language; 2] = [Language::English, Language::Russian];

    /// From an ISO 639-1 code such as "en" or "ru". A region or script
    /// suffix ("ru-KZ", "en_GB") and letter case are ignored.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "ru" => Some(Language::Russian),
            _ => None,
        }
    }

    /// The ISO 639-1 code ("en", "ru").
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Russian => "ru",
        }
    }
}

/// Everything printed on a referral slip, already resolved and translated.
///
/// Empty strings are allowed: an empty value prints as a dash, an empty
/// phone or opening-hours line is left out, and an empty list leaves out its
/// whole section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlipData {
    /// The referring Migrants Resource Centre.
    pub centre_name: String,
    /// City and country, names already resolved.
    pub centre_address: String,
    /// May be empty.
    pub centre_phone: String,
    /// The partner organisation the migrant is referred to.
    pub partner_name: String,
    pub partner_address: String,
    pub partner_phones: String,
    pub partner_opening_hours: String,
    /// Referral number, printed prominently.
    pub reference: String,
    /// Already formatted for the language, e.g. "27.11.2026".
    pub date: String,
    /// As written in the migrant's documents (any script DejaVu Sans covers).
    pub migrant_name: String,
    /// Translated label of the service requested.
    pub service: String,
    /// Free text; wrapped, and continued on a further page if long.
    pub reason: String,
    /// Translated urgency label.
    pub urgency: String,
    pub caseworker: String,
    /// What the migrant should bring, one translated line each.
    pub bring: Vec<String>,
    /// What was shared with the partner, one translated line each.
    pub shared_data: Vec<String>,
}

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// An embedded font could not be read or subset.
    #[error("font {font}: {reason}")]
    Font { font: &'static str, reason: String },
    /// A report file could not be written (folder missing, disk full...).
    #[error("could not write {path}: {reason}")]
    Write { path: String, reason: String },
}

/// An A4 referral slip as PDF bytes, in `lang`.
pub fn referral_slip(data: &SlipData, lang: Language) -> Result<Vec<u8>, DocumentError> {
    slip::render(data, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(Language::from_code("en"), Some(Language::English));
        assert_eq!(Language::from_code("ru"), Some(Language::Russian));
        assert_eq!(Language::from_code("RU"), Some(Language::Russian));
        assert_eq!(Language::from_code("ru-KZ"), Some(Language::Russian));
        assert_eq!(Language::from_code("en_GB"), Some(Language::English));
        assert_eq!(Language::from_code("tg"), None);
        assert_eq!(Language::from_code(""), None);
        for lang in [Language::English, Language::Russian] {
            assert_eq!(Language::from_code(lang.code()), Some(lang));
        }
    }

    #[test]
    fn an_empty_slip_still_renders() {
        let pdf = referral_slip(&SlipData::default(), Language::English).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
