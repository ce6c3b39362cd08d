//! Text output for people: aligned tables and a readable profile. Scripts
//! (Cyrillic, Armenian) are one column per character, so width is counted in chars.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Datelike, Utc};
use mrc_core::desk::MigrantProfile;
use mrc_core::migrant::{MigrantSummary, Sex};
use mrc_core::record::Page;

use crate::error::Result;

/// 12345 -> "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Rows of cells, each column as wide as its widest cell (up to its limit).
pub fn table(header: &[&str], limits: &[usize], rows: &[Vec<String>], out: &mut dyn Write) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().zip(limits).map(|(cell, &limit)| clip(cell, limit)).collect()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Female => "F",
        Sex::Male => "M",
        Sex::Other => "other",
        Sex::Unknown => "?",
    }
}

fn joined(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn born(date: Option<chrono::NaiveDate>, estimated: bool) -> String {
    match date {
        Some(d) if estimated => format!("~{}", d.year()),
        Some(d) => d.to_string(),
        None => String::new(),
    }
}

pub fn migrant_table(page: &Page<MigrantSummary>, out: &mut dyn Write) -> Result<()> {
    if page.total == 0 {
        writeln!(out, "No migrants found.")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|m| {
            vec![
                m.id.to_string(),
                joined(&[&m.family_name, &m.given_name, &m.patronymic]),
                joined(&[&m.family_name_latin, &m.given_name_latin]),
                sex(m.sex).to_string(),
                born(m.birth_date, m.birth_date_estimated),
                m.citizenship.clone(),
                m.phone.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(&["ID", "NAME", "LATIN", "SEX", "BORN", "CIT", "PHONE"], &[36, 40, 30, 5, 10, 3, 20], &rows, out)?;
    let pages = page.total.div_ceil(page.page_size.max(1));
    let first = page.page as usize * page.page_size as usize + 1;
    let last = first + page.items.len() - 1;
    if page.items.is_empty() {
        writeln!(out, "Page {} of {}: past the end ({} migrants).", page.page + 1, pages, thousands(page.total as usize))?;
    } else {
        writeln!(out, "Migrants {first}-{last} of {} (page {} of {}).", thousands(page.total as usize), page.page + 1, pages)?;
    }
    Ok(())
}

pub fn profile(p: &MigrantProfile, out: &mut dyn Write) -> Result<()> {
    let m = &p.migrant;
    let latin = joined(&[&m.family_name_latin, &m.given_name_latin]);
    let name = joined(&[&m.family_name, &m.given_name, &m.patronymic]);
    if latin.is_empty() {
        writeln!(out, "{name}")?;
    } else {
        writeln!(out, "{name} ({latin})")?;
    }
    let mut fields: Vec<(&str, String)> = vec![
        ("id", m.id.to_string()),
        ("sex", m.sex.to_string()),
        ("born", match m.birth_date {
            Some(d) if m.birth_date_estimated => format!("about {} (estimated)", d.year()),
            Some(d) => d.to_string(),
            None => "unknown".into(),
        }),
        ("citizenship", m.citizenship.clone()),
        ("born in", m.birth_country.clone()),
        ("from", [m.origin_region.as_str(), m.origin_town.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ")),
        ("lives in", [m.current_country.as_str(), m.current_city.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ")),
        ("status", m.migration_status.to_string()),
        ("occupation", m.occupation.clone()),
        ("languages", m.languages.join(", ")),
    ];
    for (i, phone) in m.phones.iter().enumerate() {
        let messenger = if phone.messenger.as_str() == "none" { String::new() } else { format!(" ({})", phone.messenger) };
        fields.push((if i == 0 { "phones" } else { "" }, format!("{}{messenger}", phone.number)));
    }
    let today = Utc::now().date_naive();
    for (i, doc) in m.documents.iter().enumerate() {
        let expiry = match doc.expires_on {
            Some(d) if d < today => format!(", expired {d}"),
            Some(d) => format!(", expires {d}"),
            None => String::new(),
        };
        let country = if doc.issuing_country.is_empty() { String::new() } else { format!(" ({})", doc.issuing_country) };
        fields.push((if i == 0 { "documents" } else { "" }, format!("{} {}{country}{expiry}", doc.kind, doc.number)));
    }
    let flags: Vec<&str> = m.vulnerabilities.iter().map(|v| v.as_str()).collect();
    fields.push(("vulnerable", flags.join(", ")));
    fields.push(("consent", match (m.consent_given, m.consent_date) {
        (true, date) => {
            let scope: Vec<&str> = m.consent_scope.iter().map(|s| s.as_str()).collect();
            format!("given{}: {}", date.map(|d| format!(" on {d}")).unwrap_or_default(), scope.join(", "))
        }
        (false, _) => "not given".into(),
    }));
    fields.push(("notes", m.notes.replace('\n', " / ")));
    fields.push(("registered", format!("{} UTC", time(m.meta.created_at))));
    for (label, value) in fields.iter().filter(|(_, v)| !v.is_empty()) {
        writeln!(out, "  {label:<12}{value}")?;
    }

    if !p.family.is_empty() {
        writeln!(out, "\nFamily ({})", p.family.len())?;
        let rows: Vec<Vec<String>> = p.family.iter().map(|f| vec![f.relation.to_string(), joined(&[&f.family_name, &f.given_name]), f.relative_id.to_string()]).collect();
        indented(&["RELATION", "NAME", "ID"], &[10, 40, 36], &rows, out)?;
    }

    let references: HashMap<_, _> = p.cases.iter().map(|c| (c.id, c.reference.clone())).collect();
    if !p.cases.is_empty() {
        writeln!(out, "\nCases ({})", p.cases.len())?;
        let rows: Vec<Vec<String>> = p
            .cases
            .iter()
            .map(|c| {
                let status = match c.closure_reason {
                    Some(reason) => format!("{} ({reason})", c.status),
                    None => c.status.to_string(),
                };
                vec![c.reference.clone(), c.case_type.to_string(), status, c.priority.to_string(), c.opened_on.to_string(), c.closed_on.map(|d| d.to_string()).unwrap_or_default(), c.summary.clone()]
            })
            .collect();
        indented(&["REFERENCE", "TYPE", "STATUS", "PRIORITY", "OPENED", "CLOSED", "SUMMARY"], &[14, 20, 30, 8, 10, 10, 40], &rows, out)?;
    }

    if !p.visits.is_empty() {
        writeln!(out, "\nVisits ({}, newest first, times in UTC)", p.visits.len())?;
        let rows: Vec<Vec<String>> = p
            .visits
            .iter()
            .map(|v| {
                vec![
                    time(v.occurred_at),
                    v.channel.to_string(),
                    v.purpose.to_string(),
                    v.duration_minutes.map(|m| format!("{m} min")).unwrap_or_default(),
                    v.case_id.and_then(|id| references.get(&id).cloned()).unwrap_or_default(),
                    v.notes.replace('\n', " / "),
                ]
            })
            .collect();
        indented(&["WHEN", "CHANNEL", "PURPOSE", "LENGTH", "CASE", "NOTES"], &[16, 10, 14, 8, 14, 50], &rows, out)?;
    }

    if !p.assistance.is_empty() {
        writeln!(out, "\nAssistance ({})", p.assistance.len())?;
        let rows: Vec<Vec<String>> = p
            .assistance
            .iter()
            .map(|a| {
                let value = match (a.amount_minor, &a.currency) {
                    (Some(minor), Some(currency)) => format!("{}.{:02} {currency}", thousands((minor / 100) as usize), minor % 100),
                    _ => String::new(),
                };
                vec![
                    a.given_on.to_string(),
                    a.category.to_string(),
                    a.outcome.to_string(),
                    a.quantity.map(|q| format!("×{q}")).unwrap_or_default(),
                    value,
                    a.case_id.and_then(|id| references.get(&id).cloned()).unwrap_or_default(),
                    a.notes.replace('\n', " / "),
                ]
            })
            .collect();
        indented(&["GIVEN", "CATEGORY", "OUTCOME", "QTY", "VALUE", "CASE", "NOTES"], &[10, 22, 12, 6, 18, 14, 40], &rows, out)?;
    }
    Ok(())
}

fn indented(header: &[&str], limits: &[usize], rows: &[Vec<String>], out: &mut dyn Write) -> Result<()> {
    let mut buffer = Vec::new();
    table(header, limits, rows, &mut buffer)?;
    for line in String::from_utf8_lossy(&buffer).lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_clipping() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(clip("Раҳимов", 10), "Раҳимов");
        assert_eq!(clip("Հովհաննիսյան", 5), "Հովհ…");
    }
}
