//! Reading a register file into rows of cells: CSV text (UTF-8 with or
//! without a byte order mark, or Windows-1251; `,` or `;`) or a workbook
//! (XLSX, and the XLS and ODS files calamine also opens).
//!
//! Nothing here knows what a column means: that is the mapping's work. The
//! reader keeps the cells' types from a workbook (a date cell stays a date,
//! a phone typed as a number stays a number) and the row numbers a
//! spreadsheet shows, so every problem can be found in the file.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::error::Result;
use crate::partner_csv::{invalid, sniff_delimiter};

use super::mapping::recognise;

/// Larger files are refused before they are parsed: years of a busy
/// centre's register are a few hundred thousand rows, tens of megabytes.
pub const MAX_REGISTER_BYTES: usize = 100 * 1024 * 1024;
/// More data rows than this are refused.
pub const MAX_REGISTER_ROWS: usize = 500_000;

/// How many rows at the top may come before the header (a title, a date, blank lines).
const HEADER_SEARCH_ROWS: usize = 10;
/// A register has a few dozen columns; values past this many are refused,
/// and empty cells past it (a stray format far right) are not kept.
const MAX_COLUMNS: usize = 1_000;
/// Cells kept in memory at most: a file of nothing but separators must not
/// fill the memory with empty cells (500,000 rows of 20 values fit).
const MAX_CELLS: usize = 10_000_000;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// Bytes that are not text in the file's encoding.
    Unreadable,
    /// An error a spreadsheet shows instead of a value (`#N/A`, `#REF!`).
    Error(String),
}

impl Cell {
    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with a value in it, numbered as the spreadsheet shows it (the first row is 1).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub row: u32,
    pub cells: Vec<Cell>,
}

/// A register read from a file: its header and the data rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet read, for a workbook.
    pub sheet_name: Option<String>,
    /// The row of the header, usually 1 (a title above it moves it down).
    pub header_row: u32,
    /// The header's cells as text, one per column from the first (A).
    pub headers: Vec<String>,
    /// The rows under the header that have a value; blank rows are left out.
    pub rows: Vec<SheetRow>,
}

/// Reads a register file, refusing one over the size limit without loading it whole.
pub fn read_register_file(path: &Path, sheet: Option<&str>) -> Result<Sheet> {
    read_register(&file_bytes(path)?, sheet)
}

/// The file's bytes, or one more than the limit allows (for `read_register` to refuse).
pub(crate) fn file_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| invalid("file", "unreadable", format!("could not open {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_REGISTER_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid("file", "unreadable", format!("could not read {}: {e}", path.display())))?;
    Ok(bytes)
}

/// The worksheets of a workbook, in order; none for CSV text (or a file
/// `read_register` refuses anyway).
pub fn sheet_names(bytes: &[u8]) -> Vec<String> {
    if !is_workbook(bytes) || bytes.len() > MAX_REGISTER_BYTES {
        return Vec::new();
    }
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map(|book| book.sheet_names()).unwrap_or_default()
}

/// Reads a register from a file's bytes. A workbook is recognised by its
/// content, not its name; `sheet` picks a worksheet by name (the first one
/// otherwise) and is refused for CSV, which has none.
pub fn read_register(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    if bytes.len() > MAX_REGISTER_BYTES {
        return Err(invalid("file", "too_large", format!("the file is larger than {} MB", MAX_REGISTER_BYTES / (1024 * 1024))));
    }
    let (sheet_name, rows) = if is_workbook(bytes) {
        let (name, rows) = read_workbook(bytes, sheet)?;
        (Some(name), rows)
    } else if let Some(name) = sheet {
        return Err(invalid("sheet", "not_a_workbook", format!("the file is CSV text, which has no sheets (asked for '{name}')")));
    } else {
        (None, read_csv(bytes)?)
    };
    into_sheet(sheet_name, rows)
}

/// XLSX, XLSB and ODS are zip archives; XLS is an OLE compound file.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0])
}

fn into_sheet(sheet_name: Option<String>, mut rows: Vec<SheetRow>) -> Result<Sheet> {
    let Some(at) = header_index(&rows) else {
        return Err(invalid("file", "empty", "the file is empty: it needs a header row naming the columns"));
    };
    let data = rows.split_off(at + 1);
    let header = rows.pop().map(|r| (r.row, r.cells)).unwrap_or_default();
    if data.len() > MAX_REGISTER_ROWS {
        return Err(invalid("file", "too_large", format!("the file has more than {MAX_REGISTER_ROWS} rows")));
    }
    let headers = header.1.iter().map(|cell| super::values::plain_text(cell).trim().to_string()).collect();
    Ok(Sheet { sheet_name, header_row: header.0, headers, rows: data })
}

/// The header is the row near the top whose cells name the most known
/// columns, so a title or a date above it is skipped; with none known, the
/// first row.
fn header_index(rows: &[SheetRow]) -> Option<usize> {
    let known = |row: &SheetRow| row.cells.iter().filter(|c| matches!(c, Cell::Text(t) if recognise(t).is_some())).count();
    let top = rows.iter().take(HEADER_SEARCH_ROWS).enumerate();
    let best = top.map(|(i, row)| (known(row), i)).filter(|&(n, _)| n >= 2).max_by_key(|&(n, i)| (n, std::cmp::Reverse(i)));
    best.map(|(_, i)| i).or(if rows.is_empty() { None } else { Some(0) })
}

/// The rows read so far, within the limits.
#[derive(Default)]
struct Rows {
    rows: Vec<SheetRow>,
    cells: usize,
}

impl Rows {
    /// Keeps a row that has a value, without its trailing empty cells. The
    /// cells come one by one so that a row of a million separators is
    /// refused or cut without being held whole.
    fn push(&mut self, row: u32, cells: impl Iterator<Item = Cell>) -> Result<()> {
        let mut kept = Vec::new();
        for (i, cell) in cells.enumerate() {
            if i < MAX_COLUMNS {
                kept.push(cell);
            } else if !cell.is_blank() {
                return Err(invalid("file", "too_wide", format!("row {row} has a value past column {MAX_COLUMNS}")));
            }
        }
        while kept.last().is_some_and(Cell::is_blank) {
            kept.pop();
        }
        if kept.is_empty() {
            return Ok(());
        }
        self.cells += kept.len();
        if self.rows.len() >= MAX_REGISTER_ROWS + HEADER_SEARCH_ROWS || self.cells > MAX_CELLS {
            return Err(invalid("file", "too_large", format!("the file has more than {MAX_REGISTER_ROWS} rows or {MAX_CELLS} cells")));
        }
        self.rows.push(SheetRow { row, cells: kept });
        Ok(())
    }
}

// ----- CSV -----

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if looks_like_windows_1251(bytes) {
        let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
        return csv_rows(text.as_bytes());
    }
    csv_rows(bytes)
}

/// A file that is not UTF-8 is either Windows-1251 (an old Excel's "CSV")
/// or UTF-8 with a few damaged bytes. Cyrillic in Windows-1251 is almost
/// never valid UTF-8, so more broken bytes than good non-ASCII letters means
/// the former; otherwise the damaged cells become row errors, and the good
/// rows are not garbled by decoding the whole file the wrong way.
fn looks_like_windows_1251(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    let (mut good, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += chunk.invalid().len();
    }
    broken > good
}

/// The delimiter of the first line that has one, so a title line above the header does not decide it.
fn delimiter(bytes: &[u8]) -> u8 {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    head.split(['\r', '\n']).find(|line| line.contains([',', ';'])).map_or(b',', sniff_delimiter)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(bytes)).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = Rows::default();
    // The reader skips blank lines, which a spreadsheet shows as rows: a
    // record's position is where the previous one ended, so the line breaks
    // from there to its first character are the blank rows before it. (A
    // quoted cell spanning lines is one row, as a spreadsheet shows it.)
    let mut row = 0u32;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(invalid("file", "invalid_csv", format!("the file could not be read as CSV: {e}"))),
        }
        let blank = blank_lines(bytes, record.position().map_or(0, |p| p.byte() as usize));
        row = row.saturating_add(1).saturating_add(u32::try_from(blank).unwrap_or(u32::MAX));
        rows.push(row, record.iter().map(text_cell))?;
    }
    Ok(rows.rows)
}

/// The line breaks (`\n`, `\r\n` or `\r`) from `from` to the next
/// record. The reader stops a record after the `\r` of its `\r\n`, so a
/// `\n` just after a `\r` ends that record rather than a blank line.
fn blank_lines(bytes: &[u8], from: usize) -> usize {
    let mut i = from.min(bytes.len());
    if i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut lines = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        lines += 1;
    }
    lines
}

fn text_cell(bytes: &[u8]) -> Cell {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => Cell::Empty,
        Ok(text) => Cell::Text(text.to_string()),
        Err(_) => Cell::Unreadable,
    }
}

// ----- workbooks -----

fn read_workbook(bytes: &[u8], wanted: Option<&str>) -> Result<(String, Vec<SheetRow>)> {
    let unreadable = |e: calamine::Error| invalid("file", "unreadable_workbook", format!("the file could not be read as a workbook: {e}"));
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(wanted) => names.iter().find(|n| n.trim().to_lowercase() == wanted.trim().to_lowercase()).cloned().ok_or_else(|| {
            invalid("sheet", "unknown_sheet", format!("the workbook has no sheet '{wanted}' (its sheets: {})", names.join(", ")))
        })?,
        None => names.first().cloned().ok_or_else(|| invalid("file", "empty", "the workbook has no sheets"))?,
    };
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    // The range starts at its first used cell; rows and columns count from
    // the sheet's top left so numbers match what the spreadsheet shows.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Rows::default();
    for (i, cells) in range.rows().enumerate() {
        let number = u32::try_from(top as usize + i + 1).unwrap_or(u32::MAX);
        rows.push(number, std::iter::repeat_n(Cell::Empty, left as usize).chain(cells.iter().map(workbook_cell)))?;
    }
    Ok((name, rows.rows))
}

fn workbook_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) if text.trim().is_empty() => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => dt.as_datetime().map_or(Cell::Number(dt.as_f64()), |at| Cell::Date(at.date())),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(text) => text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map_or(Cell::Text(text.clone()), Cell::Date),
        Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}
