//! The monthly report as an XLSX workbook: a cover, the headline figures,
//! then one sheet per table, with counts stored as numbers so they can be
//! summed and charted.
//!
//! Every piece of text, ours or the user's (partner names, centre names),
//! goes through `write_string`: never `write`, which would turn a partner
//! called "=HYPERLINK(...)" into a formula or a link.

use std::collections::HashSet;
use std::path::Path;

use mrc_core::age::AgeBand;
use mrc_core::migrant::{MigrationStatus, Sex};
use mrc_core::report::{Cell, Report, Row, Section};
use rust_xlsxwriter::{ColNum, Format, FormatAlign, RowNum, Workbook, Worksheet, XlsxError};

use crate::report_csv::write_atomically;
use crate::{DocumentError, ReportText};

/// Excel refuses longer sheet names.
const SHEET_NAME_MAX: usize = 31;
/// Excel refuses longer cell text.
const CELL_TEXT_MAX: usize = 32_767;
/// Title, group captions, column names.
const SECTION_HEADER_ROWS: RowNum = 3;
/// Title, column names.
const SUMMARY_HEADER_ROWS: RowNum = 2;

/// A run of columns under one caption ("By sex": Female, Male...).
pub(crate) struct Group {
    pub caption: String,
    pub names: Vec<String>,
}

/// The columns of a section after its caption column, the same in every
/// file so that a figure is found in the same place in each.
pub(crate) fn section_groups(report: &Report, text: &ReportText) -> Vec<Group> {
    let names = |n: usize, name: &dyn Fn(usize) -> String| (0..n).map(name).collect::<Vec<_>>();
    let sex_age = (0..Sex::ALL.len())
        .flat_map(|s| (0..AgeBand::ALL.len()).map(move |a| format!("{} {}", text.sex(s), text.age_band(a))))
        .collect();
    let group = |key: &str, names: Vec<String>| Group { caption: text.get(key), names };
    vec![
        group("report.column.total", summary_columns(text)[1..].to_vec()),
        group("report.column.sex", names(Sex::ALL.len(), &|i| text.sex(i))),
        group("report.column.age", names(AgeBand::ALL.len(), &|i| text.age_band(i))),
        group("report.column.sex_age", sex_age),
        group("report.column.citizenship", report.citizenships.iter().map(|c| text.citizenship(c)).collect()),
        group("report.column.status", names(MigrationStatus::ALL.len(), &|i| text.status(i))),
    ]
}

/// A row's counts in the order of [`section_groups`].
pub(crate) fn row_cells(row: &Row) -> Vec<Cell> {
    let b = &row.current;
    let mut cells = vec![b.total, row.previous, row.year_to_date];
    cells.extend(&b.by_sex);
    cells.extend(&b.by_age);
    for by_age in &b.by_sex_age {
        cells.extend(by_age);
    }
    cells.extend(&b.by_citizenship);
    cells.extend(&b.by_status);
    cells
}

/// Item, this period, previous period, year to date.
pub(crate) fn summary_columns(text: &ReportText) -> [String; 4] {
    ["report.column.item", "report.column.current", "report.previous", "report.year_to_date"].map(|key| text.get(key))
}

/// The headline figures, captioned, in the report's order.
pub(crate) fn headline_rows(report: &Report, text: &ReportText) -> Vec<(String, [Cell; 3])> {
    report.headline.iter().map(|h| (text.headline(h.id), [h.current, h.previous, h.year_to_date])).collect()
}

/// The referral completed rate in percent, in the summary's column order.
pub(crate) fn completed_rates(report: &Report) -> [Option<f64>; 3] {
    let r = report.referral_completed_rate;
    [r.current, r.previous, r.year_to_date]
}

/// The caption of a section row.
pub(crate) fn row_caption(section: &Section, row: &Row, text: &ReportText) -> String {
    text.row(section.id, &row.key, row.label.as_deref())
}

/// Writes `report` to `out` as an XLSX workbook. The file appears whole or
/// not at all: it is written beside `out` under another name first.
pub fn write_report_xlsx(report: &Report, text: &ReportText, out: &Path) -> Result<(), DocumentError> {
    let bytes = workbook(report, text).map_err(|e| DocumentError::Write { path: out.display().to_string(), reason: e.to_string() })?;
    write_atomically(out, &bytes)
}

fn workbook(report: &Report, text: &ReportText) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut names = SheetNames::default();
    let mut book = Workbook::new();
    cover(book.add_worksheet().set_name(names.take(&text.title()))?, report, text, &styles)?;
    summary(book.add_worksheet().set_name(names.take(&text.get("report.summary")))?, report, text, &styles)?;
    let groups = section_groups(report, text);
    for section in &report.sections {
        let sheet = book.add_worksheet().set_name(names.take(&text.section(section.id)))?;
        section_sheet(sheet, section, &groups, text, &styles)?;
    }
    book.save_to_buffer()
}

struct Styles {
    title: Format,
    bold: Format,
    plain: Format,
    group: Format,
    header: Format,
    count: Format,
    hidden: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            plain: Format::new(),
            group: Format::new().set_bold().set_align(FormatAlign::Center),
            header: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            count: Format::new().set_num_format("#,##0"),
            // Right-aligned like the numbers around it.
            hidden: Format::new().set_align(FormatAlign::Right),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// Sheet names Excel accepts, each used once.
#[derive(Default)]
struct SheetNames {
    /// Lower-cased: Excel compares sheet names ignoring case.
    taken: HashSet<String>,
}

impl SheetNames {
    fn take(&mut self, wanted: &str) -> String {
        let cleaned: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).collect();
        // Excel also refuses a name that starts or ends with an apostrophe.
        let edge = |c: char| c == '\'' || c.is_whitespace();
        let base = match cleaned.trim_matches(edge) {
            "" => "Sheet",
            base => base,
        };
        let mut n = 1;
        loop {
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            let head: String = base.chars().take(SHEET_NAME_MAX - suffix.chars().count()).collect();
            let name = format!("{}{suffix}", head.trim_end_matches(edge));
            let key = name.to_lowercase();
            // "History" is reserved by Excel.
            if key != "history" && self.taken.insert(key) {
                return name;
            }
            n += 1;
        }
    }
}

/// Excel refuses longer text in a cell; the start of it is still useful.
fn cut(text: &str) -> String {
    text.chars().take(CELL_TEXT_MAX).collect()
}

fn put(sheet: &mut Worksheet, row: RowNum, col: ColNum, text: &str, format: &Format) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, cut(text), format)?;
    Ok(())
}

fn put_count(sheet: &mut Worksheet, row: RowNum, col: ColNum, cell: Cell, text: &ReportText, styles: &Styles) -> Result<(), XlsxError> {
    match cell {
        Some(n) => sheet.write_number_with_format(row, col, n, &styles.count)?,
        None => sheet.write_string_with_format(row, col, text.cell(None), &styles.hidden)?,
    };
    Ok(())
}

fn column(index: usize) -> Result<ColNum, XlsxError> {
    ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

fn row_number(index: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

fn cover(sheet: &mut Worksheet, report: &Report, text: &ReportText, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 70)?;
    put(sheet, 0, 0, &text.title(), &styles.title)?;
    let mut lines = vec![
        (text.get("report.centre"), text.centres(report)),
        (text.get("report.period"), text.period(report.period)),
        (text.get("report.previous"), text.period(report.previous)),
        (text.get("report.year_to_date"), text.period(report.year_to_date)),
        (text.get("report.generated_at"), text.timestamp(report.generated_at)),
    ];
    if !report.generated_by.trim().is_empty() {
        lines.push((text.get("report.generated_by"), report.generated_by.clone()));
    }
    for (i, (caption, value)) in lines.iter().enumerate() {
        let row = row_number(2 + i)?;
        put(sheet, row, 0, caption, &styles.bold)?;
        put(sheet, row, 1, value, &styles.plain)?;
    }
    if report.request.for_sharing {
        put(sheet, row_number(3 + lines.len())?, 0, &text.get("report.for_sharing"), &styles.bold)?;
    }
    Ok(())
}

fn summary(sheet: &mut Worksheet, report: &Report, text: &ReportText, styles: &Styles) -> Result<(), XlsxError> {
    put(sheet, 0, 0, &text.get("report.summary"), &styles.title)?;
    for (col, name) in summary_columns(text).iter().enumerate() {
        put(sheet, 1, column(col)?, name, &styles.header)?;
    }
    let headlines = headline_rows(report, text);
    for (i, (caption, cells)) in headlines.iter().enumerate() {
        let row = SUMMARY_HEADER_ROWS + row_number(i)?;
        put(sheet, row, 0, caption, &styles.plain)?;
        for (j, cell) in cells.iter().enumerate() {
            put_count(sheet, row, column(1 + j)?, *cell, text, styles)?;
        }
    }
    let row = SUMMARY_HEADER_ROWS + row_number(headlines.len())?;
    put(sheet, row, 0, &text.get("report.completed_rate"), &styles.plain)?;
    for (j, rate) in completed_rates(report).iter().enumerate() {
        // Excel's percent format multiplies by a hundred.
        if let Some(rate) = rate {
            sheet.write_number_with_format(row, column(1 + j)?, rate / 100.0, &styles.percent)?;
        }
    }
    sheet.set_row_height(1, 30)?;
    sheet.set_column_width(0, 42)?;
    sheet.set_column_range_width(1, 3, 14)?;
    sheet.set_freeze_panes(SUMMARY_HEADER_ROWS, 1)?;
    Ok(())
}

fn section_sheet(sheet: &mut Worksheet, section: &Section, groups: &[Group], text: &ReportText, styles: &Styles) -> Result<(), XlsxError> {
    let unit = text.get(&format!("report.unit.{}", section.unit));
    put(sheet, 0, 0, &format!("{} ({unit})", text.section(section.id)), &styles.title)?;
    let columns = section_header(sheet, groups, text, styles)?;
    for (i, row) in section.rows.iter().enumerate() {
        let r = SECTION_HEADER_ROWS + row_number(i)?;
        // The first row is the total.
        let format = if i == 0 { &styles.bold } else { &styles.plain };
        put(sheet, r, 0, &row_caption(section, row, text), format)?;
        for (j, cell) in row_cells(row).into_iter().enumerate() {
            put_count(sheet, r, column(1 + j)?, cell, text, styles)?;
        }
    }
    sheet.set_row_height(SECTION_HEADER_ROWS - 1, 45)?;
    sheet.set_column_width(0, 45)?;
    sheet.set_column_range_width(1, column(columns)?, 11)?;
    sheet.set_freeze_panes(SECTION_HEADER_ROWS, 1)?;
    Ok(())
}

/// The group captions above the column names; returns how many figure
/// columns there are.
fn section_header(sheet: &mut Worksheet, groups: &[Group], text: &ReportText, styles: &Styles) -> Result<usize, XlsxError> {
    let (group_row, name_row) = (SECTION_HEADER_ROWS - 2, SECTION_HEADER_ROWS - 1);
    put(sheet, name_row, 0, &text.get("report.column.item"), &styles.header)?;
    let mut first = 1;
    for group in groups {
        let last = first + group.names.len();
        match group.names.len() {
            0 => {}
            // Excel refuses to merge a single cell.
            1 => put(sheet, group_row, column(first)?, &group.caption, &styles.group)?,
            _ => {
                sheet.merge_range(group_row, column(first)?, group_row, column(last - 1)?, &cut(&group.caption), &styles.group)?;
            }
        }
        for (k, name) in group.names.iter().enumerate() {
            put(sheet, name_row, column(first + k)?, name, &styles.header)?;
        }
        first = last;
    }
    Ok(first - 1)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use calamine::{open_workbook, Data, Range, Reader, Xlsx};
    use chrono::NaiveDate;
    use mrc_core::centre::{SetupInput, StaffInput, StaffRole};
    use mrc_core::demo::{seed_demo, DemoOptions};
    use mrc_core::report::{Breakdown, ReportRequest, SectionId};
    use mrc_core::Desk;

    use super::*;
    use crate::Language;

    /// A year of demo work at one centre, reported for June 2025: as the
    /// centre sees it and as shared outside.
    pub(crate) fn demo_report(for_sharing: bool) -> Report {
        static REPORTS: OnceLock<(Report, Report)> = OnceLock::new();
        let (own, shared) = REPORTS.get_or_init(|| {
            let mut desk = Desk::open_in_memory().unwrap();
            mrc_core::sample::start_centre(&mut desk, SetupInput {
                centre_name: "MRC Dushanbe".into(),
                country: "TJ".into(),
                city: "Dushanbe".into(),
                staff: StaffInput { full_name: "Caseworker One".into(), role: Some(StaffRole::Supervisor), password: mrc_core::sample::PASSWORD.into() },
                language: "en".into(),
            })
            .unwrap();
            let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            seed_demo(&mut desk, &DemoOptions::new(7, 300, 3.0, as_of)).unwrap();
            let report = |for_sharing| {
                let request = ReportRequest {
                    centre_id: None,
                    from: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                    to: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
                    for_sharing,
                };
                desk.report(&request).unwrap()
            };
            (report(false), report(true))
        });
        if for_sharing { shared.clone() } else { own.clone() }
    }

    /// Adds a partner row whose name a spreadsheet would run as a formula.
    pub(crate) fn with_partner_named(mut report: Report, name: &str) -> Report {
        let section = report.sections.iter_mut().find(|s| s.id == SectionId::ReferralsByPartner).unwrap();
        let mut row = section.rows[0].clone();
        row.key = "00000000-0000-0000-0000-000000000001".into();
        row.label = Some(name.into());
        section.rows.push(row);
        report
    }

    /// Every figure of a row with the column names it sits under, walked
    /// from the model field by field rather than through `row_cells`.
    pub(crate) fn expected_columns(report: &Report, row: &Row, text: &ReportText) -> Vec<(String, Cell)> {
        let Breakdown { total, by_sex, by_age, by_sex_age, by_citizenship, by_status } = &row.current;
        let mut out = vec![
            (text.get("report.column.current"), *total),
            (text.get("report.previous"), row.previous),
            (text.get("report.year_to_date"), row.year_to_date),
        ];
        assert_eq!(by_sex.len(), Sex::ALL.len());
        out.extend(by_sex.iter().enumerate().map(|(s, c)| (text.sex(s), *c)));
        assert_eq!(by_age.len(), AgeBand::ALL.len());
        out.extend(by_age.iter().enumerate().map(|(a, c)| (text.age_band(a), *c)));
        assert_eq!(by_sex_age.len(), Sex::ALL.len());
        for (s, ages) in by_sex_age.iter().enumerate() {
            assert_eq!(ages.len(), AgeBand::ALL.len());
            out.extend(ages.iter().enumerate().map(|(a, c)| (format!("{} {}", text.sex(s), text.age_band(a)), *c)));
        }
        assert_eq!(by_citizenship.len(), report.citizenships.len());
        out.extend(by_citizenship.iter().zip(&report.citizenships).map(|(c, code)| (text.citizenship(code), *c)));
        assert_eq!(by_status.len(), MigrationStatus::ALL.len());
        out.extend(by_status.iter().enumerate().map(|(i, c)| (text.status(i), *c)));
        out
    }

    fn written(report: &Report, text: &ReportText) -> (tempfile::TempDir, Xlsx<std::io::BufReader<std::fs::File>>) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.xlsx");
        write_report_xlsx(report, text, &out).unwrap();
        let book = open_workbook(&out).unwrap();
        (dir, book)
    }

    fn at(range: &Range<Data>, row: usize, col: usize) -> Data {
        range.get_value((row as u32, col as u32)).cloned().unwrap_or(Data::Empty)
    }

    fn expect_count(got: Data, cell: Cell, place: &str) {
        match cell {
            Some(n) => assert_eq!(got, Data::Float(n as f64), "{place}"),
            None => assert_eq!(got, Data::String("<5".into()), "{place}"),
        }
    }

    fn check_sections(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, report: &Report, text: &ReportText) {
        let names = book.sheet_names();
        for (section, name) in report.sections.iter().zip(&names[2..]) {
            let range = book.worksheet_range(name).unwrap();
            let first_row = SECTION_HEADER_ROWS as usize;
            assert_eq!(range.end().unwrap().0 as usize, first_row + section.rows.len() - 1, "{name}: one line per row");
            for (i, row) in section.rows.iter().enumerate() {
                let r = first_row + i;
                assert_eq!(at(&range, r, 0), Data::String(text.row(section.id, &row.key, row.label.as_deref())));
                let columns = expected_columns(report, row, text);
                assert_eq!(range.end().unwrap().1 as usize, columns.len(), "{name}: no column more or less");
                for (j, (header, cell)) in columns.into_iter().enumerate() {
                    assert_eq!(at(&range, first_row - 1, 1 + j), Data::String(header.clone()), "{name} column {j}");
                    expect_count(at(&range, r, 1 + j), cell, &format!("{name} / {} / {header}", row.key));
                }
            }
        }
    }

    fn check_summary(range: &Range<Data>, report: &Report, text: &ReportText) {
        for (i, h) in report.headline.iter().enumerate() {
            let r = SUMMARY_HEADER_ROWS as usize + i;
            assert_eq!(at(range, r, 0), Data::String(text.headline(h.id)));
            for (j, cell) in [h.current, h.previous, h.year_to_date].into_iter().enumerate() {
                expect_count(at(range, r, 1 + j), cell, &format!("summary / {}", h.id));
            }
        }
        let r = SUMMARY_HEADER_ROWS as usize + report.headline.len();
        assert_eq!(at(range, r, 0), Data::String(text.get("report.completed_rate")));
        for (j, rate) in completed_rates(report).into_iter().enumerate() {
            match (rate, at(range, r, 1 + j)) {
                (None, got) => assert_eq!(got, Data::Empty),
                (Some(rate), Data::Float(got)) => assert!((got - rate / 100.0).abs() < 1e-12, "{got} vs {rate}"),
                (Some(_), got) => panic!("a rate read back as {got:?}"),
            }
        }
    }

    #[test]
    fn report_xlsx_every_number_matches_the_model() {
        let text = ReportText::new(Language::English);
        for for_sharing in [false, true] {
            let report = demo_report(for_sharing);
            assert!(report.sections.iter().any(|s| s.rows.len() > 1), "the demo month has work in it");
            let (_dir, mut book) = written(&report, &text);
            let names = book.sheet_names();
            assert_eq!(names.len(), 2 + report.sections.len());
            assert_eq!(names[0], text.title());
            assert_eq!(names[1], "Summary");
            for (section, name) in report.sections.iter().zip(&names[2..]) {
                assert!(name.chars().count() <= SHEET_NAME_MAX);
                assert!(text.section(section.id).starts_with(name.as_str()), "{name}");
            }
            check_summary(&book.worksheet_range(&names[1]).unwrap(), &report, &text);
            check_sections(&mut book, &report, &text);
        }
    }

    #[test]
    fn report_xlsx_for_sharing_shows_no_count_from_one_to_four() {
        let text = ReportText::new(Language::English);
        let report = demo_report(true);
        let hidden = report.sections.iter().flat_map(|s| &s.rows).flat_map(row_cells).filter(Option::is_none).count();
        assert!(hidden > 0, "a month of a small centre has small counts to hide");
        let (_dir, mut book) = written(&report, &text);
        let names = book.sheet_names();
        let mut strings = 0;
        for name in &names[2..] {
            for (_, _, value) in book.worksheet_range(name).unwrap().used_cells() {
                match value {
                    Data::Float(n) => assert!(!(1.0..=4.0).contains(n), "{name}: {n}"),
                    Data::String(s) if s == "<5" => strings += 1,
                    _ => {}
                }
            }
        }
        assert_eq!(strings, hidden);
        let cover = book.worksheet_range(&names[0]).unwrap();
        assert!(cover.used_cells().any(|(_, _, v)| *v == Data::String(text.get("report.for_sharing"))));
        let (_dir, mut own) = written(&demo_report(false), &text);
        let cover = own.worksheet_range(&text.title()).unwrap();
        assert!(!cover.used_cells().any(|(_, _, v)| *v == Data::String(text.get("report.for_sharing"))));
    }

    #[test]
    fn report_xlsx_partner_names_stay_text() {
        let text = ReportText::new(Language::English);
        let name = "=HYPERLINK(\"http://example.com\",\"Legal aid\")";
        let report = with_partner_named(demo_report(false), name);
        let (_dir, mut book) = written(&report, &text);
        let sheet = text.section(SectionId::ReferralsByPartner);
        let range = book.worksheet_range(&sheet).unwrap();
        assert!(range.used_cells().any(|(_, _, v)| *v == Data::String(name.into())));
        for sheet in book.sheet_names() {
            let formulas = book.worksheet_formula(&sheet).unwrap();
            assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{sheet} has a formula");
        }
    }

    #[test]
    fn report_xlsx_in_russian_has_valid_distinct_sheet_names() {
        let text = ReportText::new(Language::Russian);
        let report = demo_report(false);
        let (_dir, mut book) = written(&report, &text);
        let names = book.sheet_names();
        assert_eq!(names.len(), 2 + report.sections.len());
        let distinct: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|n| n.chars().count() <= SHEET_NAME_MAX));
        check_sections(&mut book, &report, &text);
    }

    #[test]
    fn report_xlsx_sheet_names_excel_accepts() {
        let mut names = SheetNames::default();
        assert_eq!(names.take("a/b\\c[d]e:f*g?h"), "abcdefgh");
        assert_eq!(names.take("'quoted'"), "quoted");
        assert_eq!(names.take("History"), "History (2)");
        assert_eq!(names.take("???"), "Sheet");
        let long = "Cases open at the end of the period, by type";
        assert_eq!(names.take(long), "Cases open at the end of the pe");
        assert_eq!(names.take(long), "Cases open at the end of th (2)");
        assert_eq!(names.take("ABCDEFGH"), "ABCDEFGH (2)");
        for name in names.taken {
            assert!(rust_xlsxwriter::utility::check_sheet_name(&name).is_ok(), "{name}");
        }
    }

    #[test]
    fn report_xlsx_write_failure_is_a_document_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("missing").join("report.xlsx");
        let err = write_report_xlsx(&demo_report(false), &ReportText::new(Language::English), &out).unwrap_err();
        assert!(matches!(err, DocumentError::Write { ref path, .. } if path == &out.display().to_string()), "{err}");
    }
}
