//! The report's tables as words and numbers, built from the model; the
//! drawing is [`super::table`]'s.

use mrc_core::age::AgeBand;
use mrc_core::migrant::{MigrationStatus, Sex};
use mrc_core::report::{Breakdown, Cell, Section};

use super::table::{Column, Group, Row, Table};
use super::{Doc, MISSING};
use crate::ReportText;

/// This period, previous period, year to date.
const PERIOD_COLUMN: f32 = 52.0;
/// One sex or one age band.
const SPLIT_COLUMN: f32 = 42.0;
const SUMMARY_COLUMN: f32 = 74.0;
/// By citizenship and by status: a column per row of the persons section.
const TRANSPOSED_COLUMN: f32 = 110.0;
const TRANSPOSED_CAPTION: f32 = 250.0;

/// Page 1: every headline figure and the referral completed rate.
pub(super) fn summary(doc: &Doc) -> Table {
    let text = doc.text;
    let mut rows: Vec<Row> = doc
        .report
        .headline
        .iter()
        .map(|h| Row {
            caption: text.headline(h.id),
            cells: vec![text.cell(h.current), text.cell(h.previous), text.cell(h.year_to_date)],
            strong: false,
        })
        .collect();
    let rate = doc.report.referral_completed_rate;
    rows.push(Row {
        caption: text.get("report.completed_rate"),
        cells: vec![text.percent(rate.current), text.percent(rate.previous), text.percent(rate.year_to_date)],
        strong: false,
    });
    Table {
        title: text.get("report.summary"),
        note: String::new(),
        caption_label: text.get("report.column.item"),
        caption_width: None,
        columns: period_columns(text, SUMMARY_COLUMN),
        groups: Vec::new(),
        rows,
    }
}

/// A section: its rows over the three periods, this period by sex and by age band.
pub(super) fn section(doc: &Doc, section: &Section) -> Table {
    let text = doc.text;
    let (sexes, ages) = (Sex::ALL.len(), AgeBand::ALL.len());
    let mut columns = period_columns(text, PERIOD_COLUMN);
    columns.extend((0..sexes).map(|i| Column { label: text.sex(i), width: SPLIT_COLUMN }));
    columns.extend((0..ages).map(|i| Column { label: text.age_band(i), width: SPLIT_COLUMN }));
    let groups = vec![
        Group { label: text.get("report.column.sex"), columns: 3..3 + sexes },
        Group { label: text.get("report.column.age"), columns: 3 + sexes..3 + sexes + ages },
    ];
    let rows = section
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![text.cell(row.current.total), text.cell(row.previous), text.cell(row.year_to_date)];
            cells.extend(cells_of(text, &row.current.by_sex, sexes));
            cells.extend(cells_of(text, &row.current.by_age, ages));
            Row { caption: text.row(section.id, &row.key, row.label.as_deref()), cells, strong: row.key == "total" }
        })
        .collect();
    Table {
        title: text.section(section.id),
        note: format!("({})", text.get(&format!("report.unit.{}", section.unit))),
        caption_label: text.get("report.column.item"),
        caption_width: None,
        columns,
        groups,
        rows,
    }
}

/// The persons section in this period, one row per citizenship.
pub(super) fn by_citizenship(doc: &Doc, persons: &Section) -> Table {
    let text = doc.text;
    let names = doc.report.citizenships.iter().map(|code| text.citizenship(code));
    transposed(text, persons, "report.column.citizenship", names.collect(), |b| &b.by_citizenship)
}

/// The persons section in this period, one row per migration status.
pub(super) fn by_status(doc: &Doc, persons: &Section) -> Table {
    let text = doc.text;
    let names = (0..MigrationStatus::ALL.len()).map(|i| text.status(i));
    transposed(text, persons, "report.column.status", names.collect(), |b| &b.by_status)
}

/// The rows of `section` as columns and the values of one breakdown as
/// rows: there may be many citizenships, and a long country name reads
/// better as a caption than squeezed into a column header.
fn transposed(
    text: &ReportText,
    section: &Section,
    split_key: &str,
    names: Vec<String>,
    split: impl Fn(&Breakdown) -> &Vec<Cell>,
) -> Table {
    let columns = section
        .rows
        .iter()
        .map(|row| Column { label: text.row(section.id, &row.key, row.label.as_deref()), width: TRANSPOSED_COLUMN })
        .collect();
    let mut rows = vec![Row {
        caption: text.get("report.column.total"),
        cells: section.rows.iter().map(|row| text.cell(row.current.total)).collect(),
        strong: true,
    }];
    rows.extend(names.into_iter().enumerate().map(|(i, caption)| Row {
        caption,
        cells: section.rows.iter().map(|row| cell_text(text, split(&row.current).get(i).copied())).collect(),
        strong: false,
    }));
    let split_label = text.get(split_key);
    Table {
        title: format!("{} — {}", text.section(section.id), split_label),
        note: String::new(),
        caption_label: split_label,
        caption_width: Some(TRANSPOSED_CAPTION),
        columns,
        groups: Vec::new(),
        rows,
    }
}

fn period_columns(text: &ReportText, width: f32) -> Vec<Column> {
    ["report.column.current", "report.previous", "report.year_to_date"]
        .iter()
        .map(|key| Column { label: text.get(key), width })
        .collect()
}

/// The first `count` cells of a split, a dash for any the model lacks.
fn cells_of<'a>(text: &'a ReportText, cells: &'a [Cell], count: usize) -> impl Iterator<Item = String> + 'a {
    (0..count).map(move |i| cell_text(text, cells.get(i).copied()))
}

/// A cell as printed; `None` when the model has no such cell at all.
fn cell_text(text: &ReportText, cell: Option<Cell>) -> String {
    cell.map_or_else(|| MISSING.to_owned(), |c| text.cell(c))
}
