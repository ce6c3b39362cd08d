//! Everything held about one person, for them: the JSON the core writes
//! and a readable PDF beside it, in the language of the UI.

use std::collections::HashMap;
use std::path::Path;

use mrc_core::Desk;
use mrc_documents::{subject_access_pdf, Language, ReportText};
use uuid::Uuid;

use crate::error::CommandError;

/// Writes `path` (JSON) and the same name with `.pdf`; answers both paths.
pub fn write(desk: &Desk, id: Uuid, path: &str, language: &str, countries: HashMap<String, String>) -> Result<Vec<String>, CommandError> {
    // A name chosen with .pdf still gets its JSON beside the PDF, not under it.
    let chosen = Path::new(path);
    let json_path = if chosen.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) { chosen.with_extension("json") } else { chosen.to_path_buf() };
    let json = json_path.as_path();
    let access = desk.subject_access_file(id, json)?;
    let text = ReportText::new(printed_in(language)).with_countries(countries);
    let cannot = |e: String| CommandError::invalid("path", "cannot_write", e);
    let pdf = subject_access_pdf(&access, &text).map_err(|e| cannot(e.to_string()))?;
    let pdf_path = json.with_extension("pdf");
    std::fs::write(&pdf_path, pdf).map_err(|e| cannot(e.to_string()))?;
    Ok(vec![json.display().to_string(), pdf_path.display().to_string()])
}

/// Documents print in English or Russian: the people of the centres this
/// serves read Russian more often than English, Spanish speakers English.
pub fn printed_in(language: &str) -> Language {
    Language::from_code(language).unwrap_or(if language == "es" { Language::English } else { Language::Russian })
}
