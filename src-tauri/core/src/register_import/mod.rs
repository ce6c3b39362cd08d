//! Importing the registers of migrants that centres have kept for years in
//! Excel or CSV, in three steps a screen or the CLI walks through:
//!
//! 1. [`read_register`] reads the file's rows and header, and
//!    [`propose_mapping`] guesses from the headers which column holds which
//!    field (English or Russian headers, any order); [`describe_register_file`]
//!    does both for a screen, with each column's first values, and
//!    [`Mapping::problems`] says what a corrected mapping still lacks;
//! 2. [`Desk::preview_register`] converts every row with the (possibly
//!    corrected) mapping, checks it with the core's own input checks, and
//!    says per row whether it adds a person, is someone already registered
//!    (or repeated on an earlier row), or what is wrong with it;
//! 3. [`Desk::import_register`] writes what the preview showed, in one
//!    transaction.
//!
//! Each row is a person, and may also record one visit and one piece of
//! help (a register of contacts lists the same person on many rows). A
//! person already registered is never added again: the row's visit and help
//! are added to them if not there yet, so the same file imported twice adds
//! nothing the second time.

mod convert;
mod mapping;
mod plan;
mod read;
mod values;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::desk::Desk;
use crate::error::{FieldError, Result};
use crate::record::now;
use crate::vocab::vocabulary;

pub use crate::partner_csv::ImportMode;
pub use mapping::{propose_mapping, recognise, ColumnMapping, Defaults, Mapping, MappingProblem, Target};
pub use read::{read_register, read_register_file, sheet_names, Cell, Sheet, SheetRow, MAX_REGISTER_BYTES, MAX_REGISTER_ROWS};
pub use values::{from_excel_serial, parse_country, parse_date, parse_sex, DateOrder};

/// The progress callback is called after this many rows, and at the end of each stage.
pub const PROGRESS_EVERY: u32 = 1_000;

/// How many values of each column `RegisterFile` shows.
pub const SAMPLE_VALUES: usize = 2;

/// A column of a register as a person choosing its field sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ColumnSample {
    /// The column's position, the first (A) being 1.
    pub column: u32,
    /// The header as the file has it (empty for a column without one).
    pub header: String,
    /// The first values under the header, as text and shortened.
    pub samples: Vec<String>,
}

/// What a register file holds, for choosing how to read it: where its
/// header is, each column with its first values, and the mapping proposed
/// from the headers (the first step of an import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisterFile {
    /// The worksheet read, for a workbook.
    pub sheet_name: Option<String>,
    /// Every worksheet of a workbook, in order; none for CSV.
    pub sheet_names: Vec<String>,
    pub header_row: u32,
    /// Data rows with a value in them.
    pub rows: u32,
    pub columns: Vec<ColumnSample>,
    pub mapping: Mapping,
}

impl RegisterFile {
    /// The sheet's columns with their first values, and the mapping its headers suggest.
    pub fn of(sheet: &Sheet, sheet_names: Vec<String>) -> RegisterFile {
        let columns = sheet
            .headers
            .iter()
            .enumerate()
            .map(|(i, header)| {
                let values = sheet.rows.iter().filter_map(|row| row.cells.get(i)).map(values::plain_text).filter(|text| !text.trim().is_empty());
                ColumnSample { column: i as u32 + 1, header: header.clone(), samples: values.take(SAMPLE_VALUES).map(|text| one_line(&text)).collect() }
            })
            .collect();
        RegisterFile {
            sheet_name: sheet.sheet_name.clone(),
            sheet_names,
            header_row: sheet.header_row,
            rows: sheet.rows.len() as u32,
            columns,
            mapping: propose_mapping(&sheet.headers),
        }
    }
}

/// A cell's text on one short line: a note over several lines is one line of a table.
fn one_line(text: &str) -> String {
    values::shown(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Reads a register file (a worksheet of it by name, or the first) and says what it holds.
pub fn describe_register_file(path: &std::path::Path, sheet: Option<&str>) -> Result<RegisterFile> {
    let bytes = read::file_bytes(path)?;
    let read = read_register(&bytes, sheet)?;
    Ok(RegisterFile::of(&read, sheet_names(&bytes)))
}

/// How cells are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ImportOptions {
    pub date_order: DateOrder,
}

vocabulary! {
    /// What a row does: `new` adds a person; `already_registered` and
    /// `repeated_in_file` (the person of an earlier row) add only the row's
    /// visit and help that are not recorded yet; `invalid` rows are not imported.
    RowStatus { New = "new", AlreadyRegistered = "already_registered", RepeatedInFile = "repeated_in_file", Invalid = "invalid" }
}

vocabulary! {
    /// How a row was recognised as someone known.
    MatchKind { Document = "document", NameAndBirthDate = "name_and_birth_date", Phone = "phone" }
}

vocabulary! { ImportStage { Checking = "checking", Writing = "writing" } }

/// What one row of the file does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowOutcome {
    /// The row as the spreadsheet shows it; the header is usually row 1.
    pub row: u32,
    /// Family and given name, to recognise the row by.
    pub name: String,
    pub status: RowStatus,
    /// The registered person the row is (also given for an invalid row, to help correct it).
    pub existing_id: Option<Uuid>,
    /// The earlier row of the file with the same person.
    pub same_as_row: Option<u32>,
    pub matched_by: Option<MatchKind>,
    /// Whether the row's visit is recorded (it is not when the person already has it).
    pub adds_visit: bool,
    pub adds_assistance: bool,
    /// What is wrong with the row, under the mapping's field names (`birth_date`, `phone`...).
    pub problems: Vec<FieldError>,
}

/// What importing the file would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisterPreview {
    pub sheet_name: Option<String>,
    pub header_row: u32,
    /// Data rows with a value in them.
    pub rows: u32,
    pub new: u32,
    pub already_registered: u32,
    pub repeated_in_file: u32,
    pub invalid: u32,
    pub visits: u32,
    pub assistance: u32,
    /// Headers of the columns that nothing is read from.
    pub ignored_columns: Vec<String>,
    /// Every row, in the file's order.
    pub outcomes: Vec<RowOutcome>,
}

/// What an import did. In all-or-nothing mode a rejected row means nothing
/// was written: the counts of what was added are then zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisterReport {
    pub added: u32,
    pub already_registered: u32,
    pub repeated_in_file: u32,
    pub visits_added: u32,
    pub assistance_added: u32,
    pub rejected: Vec<RowOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: u32,
    pub total: u32,
}

impl Desk {
    /// What importing the sheet with this mapping would do, row by row. A
    /// mapping that cannot work with the file (a column it names is not
    /// there, a required field has no column and no default) is a
    /// validation error naming every such problem.
    pub fn preview_register(&self, sheet: &Sheet, mapping: &Mapping, options: &ImportOptions) -> Result<RegisterPreview> {
        let actor = self.allowed(Action::WorkCases)?;
        let layout = mapping.layout(&sheet.headers)?;
        let at = now();
        let planned = self.store().read(|conn| plan::plan(conn, actor.centre_id, sheet, &layout, options, at, &mut |_| {}))?;
        let outcomes: Vec<RowOutcome> = planned.into_iter().map(|p| p.outcome).collect();
        let count = |status: RowStatus| outcomes.iter().filter(|o| o.status == status).count() as u32;
        Ok(RegisterPreview {
            sheet_name: sheet.sheet_name.clone(),
            header_row: sheet.header_row,
            rows: outcomes.len() as u32,
            new: count(RowStatus::New),
            already_registered: count(RowStatus::AlreadyRegistered),
            repeated_in_file: count(RowStatus::RepeatedInFile),
            invalid: count(RowStatus::Invalid),
            visits: outcomes.iter().filter(|o| o.adds_visit).count() as u32,
            assistance: outcomes.iter().filter(|o| o.adds_assistance).count() as u32,
            ignored_columns: ignored_columns(sheet, &layout),
            outcomes,
        })
    }

    /// Imports the sheet as the preview showed it, in one transaction. In
    /// `AllOrNothing` mode any invalid row means nothing is written; in
    /// `SkipInvalid` the valid rows are. Either way the report lists the
    /// invalid rows and why. `progress` hears after every
    /// [`PROGRESS_EVERY`] rows checked, then written.
    pub fn import_register(
        &mut self,
        sheet: &Sheet,
        mapping: &Mapping,
        options: &ImportOptions,
        mode: ImportMode,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<RegisterReport> {
        let actor = self.allowed(Action::WorkCases)?;
        let layout = mapping.layout(&sheet.headers)?;
        let at = now();
        self.store_mut().write(|tx| {
            let planned = plan::plan(tx, actor.centre_id, sheet, &layout, options, at, progress)?;
            let count = |status: RowStatus| planned.iter().filter(|p| p.outcome.status == status).count() as u32;
            let mut report = RegisterReport {
                added: 0,
                already_registered: count(RowStatus::AlreadyRegistered),
                repeated_in_file: count(RowStatus::RepeatedInFile),
                visits_added: 0,
                assistance_added: 0,
                rejected: planned.iter().filter(|p| p.outcome.status == RowStatus::Invalid).map(|p| p.outcome.clone()).collect(),
            };
            if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
                return Ok(report);
            }
            let written = plan::write(tx, &actor, at, planned, progress)?;
            report.added = written.added;
            report.visits_added = written.visits;
            report.assistance_added = written.assistance;
            Ok(report)
        })
    }
}

/// The headers of the file's columns that no field is read from.
fn ignored_columns(sheet: &Sheet, layout: &mapping::Layout) -> Vec<String> {
    let used = |i: usize| layout.columns.iter().any(|&(index, _)| index == i);
    sheet.headers.iter().enumerate().filter(|(i, h)| !used(*i) && !h.is_empty()).map(|(_, h)| h.clone()).collect()
}
