//! The monthly report as CSV files, one per table, in the column order of
//! the XLSX sheets. UTF-8 with a byte order mark, or Excel reads Cyrillic as
//! the local code page; and no text cell a spreadsheet could run.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use mrc_core::report::{Cell, Report, Section};

use crate::report_xlsx::{completed_rates, headline_rows, row_caption, row_cells, section_groups, summary_columns};
use crate::{DocumentError, ReportText};

const BOM: &str = "\u{feff}";

/// Writes one CSV file per table of `report` into `dir`, each named
/// `<stem>-<table>.csv`; returns the files written, the summary first.
pub fn write_report_csv(report: &Report, text: &ReportText, dir: &Path, stem: &str) -> Result<Vec<PathBuf>, DocumentError> {
    let mut tables = vec![("summary", summary_table(report, text))];
    for section in &report.sections {
        tables.push((section.id.as_str(), section_table(report, section, text)));
    }
    let mut written = Vec::with_capacity(tables.len());
    for (name, records) in tables {
        let path = dir.join(format!("{stem}-{name}.csv"));
        let bytes = encode(&records).map_err(|e| failure(&path, e))?;
        write_atomically(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

fn summary_table(report: &Report, text: &ReportText) -> Vec<Vec<String>> {
    let mut records = vec![summary_columns(text).iter().map(|h| safe(h)).collect()];
    for (caption, cells) in headline_rows(report, text) {
        let mut record = vec![safe(&caption)];
        record.extend(cells.into_iter().map(|c| count(c, text)));
        records.push(record);
    }
    let mut rate = vec![safe(&text.get("report.completed_rate"))];
    // A percentage, as the caption says; empty when there is none to give.
    rate.extend(completed_rates(report).into_iter().map(|r| r.map(|r| r.to_string()).unwrap_or_default()));
    records.push(rate);
    records
}

fn section_table(report: &Report, section: &Section, text: &ReportText) -> Vec<Vec<String>> {
    let groups = section_groups(report, text);
    let mut header = vec![safe(&text.get("report.column.item"))];
    for (i, group) in groups.iter().enumerate() {
        for name in &group.names {
            // One header row only, so breakdown columns carry their group:
            // "Unknown" is both an age band and a migration status.
            let name = if i == 0 { name.clone() } else { format!("{}: {name}", group.caption) };
            header.push(safe(&name));
        }
    }
    let mut records = vec![header];
    for row in &section.rows {
        let mut record = vec![safe(&row_caption(section, row, text))];
        record.extend(row_cells(row).into_iter().map(|c| count(c, text)));
        records.push(record);
    }
    records
}

/// Plain digits, no grouping, so every spreadsheet reads a number.
fn count(cell: Cell, text: &ReportText) -> String {
    match cell {
        Some(n) => n.to_string(),
        None => text.cell(None),
    }
}

/// Text a spreadsheet would run as a formula gets an apostrophe in front.
/// A signed number ("-5") runs nothing and is left as it is.
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_signed_number(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn is_signed_number(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['+', '-']) else { return false };
    rest.chars().all(|c| c.is_ascii_digit() || c == '.') && rest.parse::<f64>().is_ok()
}

fn encode(records: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = BOM.as_bytes().to_vec();
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
    for record in records {
        writer.write_record(record)?;
    }
    writer.flush()?;
    drop(writer);
    Ok(out)
}

fn failure(path: &Path, reason: impl std::fmt::Display) -> DocumentError {
    DocumentError::Write { path: path.display().to_string(), reason: reason.to_string() }
}

/// Tells apart the temporary files of writes running at the same time.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place once complete, so that a full disk or a crash never
/// leaves half a report where a whole one is expected.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DocumentError> {
    let Some(name) = path.file_name() else {
        return Err(failure(path, "not a file name"));
    };
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let temp = path.with_file_name(format!(".{}.{}-{n}.part", name.to_string_lossy(), std::process::id()));
    let result = write_then_rename(&temp, path, bytes);
    if result.is_err() {
        // Best effort: the write's own error is the one worth reporting.
        let _ = fs::remove_file(&temp);
    }
    result.map_err(|e| failure(path, e))
}

fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)
}

#[cfg(test)]
mod tests {
    use mrc_core::report::SectionId;

    use super::*;
    use crate::report_xlsx::tests::{demo_report, expected_columns, with_partner_named};
    use crate::Language;

    struct Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    }

    fn read(path: &Path) -> Table {
        let bytes = fs::read(path).unwrap();
        let body = bytes.strip_prefix(BOM.as_bytes()).unwrap_or_else(|| panic!("{} has no BOM", path.display()));
        assert!(body.windows(2).any(|w| w == b"\r\n"));
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
        let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
        Table { header, rows }
    }

    fn written(report: &Report, text: &ReportText) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let files = write_report_csv(report, text, dir.path(), "report-2025-06").unwrap();
        (dir, files)
    }

    fn expect_count(got: &str, cell: Cell, place: &str) {
        match cell {
            Some(n) => assert_eq!(got, n.to_string(), "{place}"),
            None => assert_eq!(got, "<5", "{place}"),
        }
    }

    fn check_summary(table: &Table, report: &Report, text: &ReportText) {
        assert_eq!(table.header, ["Item", "This period", "Previous period", "Year to date"]);
        assert_eq!(table.rows.len(), report.headline.len() + 1);
        for (h, line) in report.headline.iter().zip(&table.rows) {
            assert_eq!(line[0], text.headline(h.id));
            for (j, cell) in [h.current, h.previous, h.year_to_date].into_iter().enumerate() {
                expect_count(&line[1 + j], cell, &format!("summary / {}", h.id));
            }
        }
        let rate = &table.rows[report.headline.len()];
        assert_eq!(rate[0], text.get("report.completed_rate"));
        for (j, expected) in completed_rates(report).into_iter().enumerate() {
            match expected {
                None => assert_eq!(rate[1 + j], ""),
                Some(r) => assert_eq!(rate[1 + j].parse::<f64>().unwrap(), r),
            }
        }
    }

    fn check_section(table: &Table, section: &Section, report: &Report, text: &ReportText) {
        assert_eq!(table.rows.len(), section.rows.len(), "{}", section.id);
        assert_eq!(table.header[0], "Item");
        assert_eq!(table.header[1], "This period");
        assert_eq!(table.header[4], "By sex: Female");
        for (row, line) in section.rows.iter().zip(&table.rows) {
            assert_eq!(line[0], text.row(section.id, &row.key, row.label.as_deref()));
            let columns = expected_columns(report, row, text);
            assert_eq!(line.len(), 1 + columns.len());
            assert_eq!(table.header.len(), 1 + columns.len());
            for (j, (name, cell)) in columns.into_iter().enumerate() {
                assert!(table.header[1 + j].ends_with(&name), "{} / {name}", table.header[1 + j]);
                expect_count(&line[1 + j], cell, &format!("{} / {} / {name}", section.id, row.key));
            }
        }
    }

    #[test]
    fn report_csv_every_number_matches_the_model() {
        let text = ReportText::new(Language::English);
        for for_sharing in [false, true] {
            let report = demo_report(for_sharing);
            let (dir, files) = written(&report, &text);
            let mut expected = vec![dir.path().join("report-2025-06-summary.csv")];
            expected.extend(report.sections.iter().map(|s| dir.path().join(format!("report-2025-06-{}.csv", s.id.as_str()))));
            assert_eq!(files, expected);
            let mut on_disk: Vec<PathBuf> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
            on_disk.sort();
            expected.sort();
            assert_eq!(on_disk, expected, "no temporary file left behind");
            check_summary(&read(&files[0]), &report, &text);
            for (section, file) in report.sections.iter().zip(&files[1..]) {
                check_section(&read(file), section, &report, &text);
            }
        }
    }

    #[test]
    fn report_csv_for_sharing_has_no_count_from_one_to_four() {
        let text = ReportText::new(Language::English);
        let report = demo_report(true);
        let (_dir, files) = written(&report, &text);
        let mut hidden = 0;
        for file in &files[1..] {
            for line in read(file).rows {
                for value in &line[1..] {
                    assert!(!matches!(value.parse::<u32>(), Ok(1..=4)), "{}: {value}", file.display());
                    hidden += usize::from(value == "<5");
                }
            }
        }
        assert!(hidden > 0);
    }

    #[test]
    fn report_csv_formula_looking_text_is_defused() {
        let text = ReportText::new(Language::English);
        let mut report = demo_report(false);
        for name in ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tlabel", "\rlabel", "-5", "Legal Aid"] {
            report = with_partner_named(report, name);
        }
        let (_dir, files) = written(&report, &text);
        let index = report.sections.iter().position(|s| s.id == SectionId::ReferralsByPartner).unwrap();
        let labels: Vec<String> = read(&files[1 + index]).rows.into_iter().map(|r| r[0].clone()).collect();
        for expected in ["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tlabel", "'\rlabel", "-5", "Legal Aid"] {
            assert!(labels.iter().any(|l| l == expected), "{expected:?} in {labels:?}");
        }
    }

    #[test]
    fn report_csv_russian_is_utf8_with_bom() {
        let text = ReportText::new(Language::Russian);
        let report = demo_report(false);
        let (_dir, files) = written(&report, &text);
        let summary = read(&files[0]);
        assert_eq!(summary.header[0], "Показатель");
        assert_eq!(summary.rows[0][0], text.headline(report.headline[0].id));
    }

    #[test]
    fn report_csv_write_failure_is_a_document_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = write_report_csv(&demo_report(false), &ReportText::new(Language::English), &missing, "r").unwrap_err();
        assert!(matches!(err, DocumentError::Write { .. }), "{err}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn report_csv_safe_leaves_numbers_alone() {
        assert_eq!(safe("=A1"), "'=A1");
        assert_eq!(safe("-12"), "-12");
        assert_eq!(safe("+3.5"), "+3.5");
        assert_eq!(safe("-"), "'-");
        assert_eq!(safe("12"), "12");
        assert_eq!(safe("Walk-in"), "Walk-in");
    }
}
