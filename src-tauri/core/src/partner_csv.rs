//! The partner directory as CSV, so centres of one country can share it.
//!
//! The file has one fixed set of columns (see [`Column`]), English snake_case
//! headers on export, and English or Russian headers in any order on import.
//! Lists (services, languages) are `;`-separated inside their cell; kind and
//! services use the vocabulary names (`ngo`, `legal_consultation`...); active
//! is `yes` or `no`.
//!
//! Import takes `&str`: the caller reads the file's bytes and turns them into
//! text, so invalid UTF-8 is refused there with a message about the file (the
//! CLI and the desktop shell both do this), never half-read here.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::permission::Action;
use crate::assistance::AssistanceCategory;
use crate::desk::Desk;
use crate::error::{CoreError, FieldError, Result};
use crate::partner::{self, Partner, PartnerInput, PartnerKind, PartnerQuery};
use crate::validate::{tidy, Checks};

/// Larger files are refused before they are parsed.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// More data rows than this are refused: a centre has hundreds of partners at most.
pub const MAX_IMPORT_ROWS: usize = 20_000;

const BOM: char = '\u{feff}';

/// What happens to the good rows of a file that also has bad ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ImportMode {
    /// Any rejected row means nothing at all is written.
    #[serde(rename = "all_or_nothing")]
    AllOrNothing,
    /// The valid rows are written and the rejected ones listed.
    #[serde(rename = "skip_invalid")]
    SkipInvalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    pub added: u32,
    pub updated: u32,
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RejectedRow {
    /// 1-based line of the file where the row starts; the header is line 1.
    pub line: u32,
    /// Every problem with the row, with the field names and codes of `PartnerInput`.
    pub problems: Vec<FieldError>,
}

/// The columns of the file, in the order the export writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    NameLocal,
    Kind,
    Services,
    Country,
    City,
    Address,
    Phones,
    Email,
    ContactPerson,
    Languages,
    OpeningHours,
    Notes,
    Active,
}

impl Column {
    const ALL: [Column; 14] = [
        Column::Name, Column::NameLocal, Column::Kind, Column::Services, Column::Country, Column::City, Column::Address,
        Column::Phones, Column::Email, Column::ContactPerson, Column::Languages, Column::OpeningHours, Column::Notes, Column::Active,
    ];

    /// The English header, which is also the `PartnerInput` field name (`active` aside).
    fn header(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::NameLocal => "name_local",
            Column::Kind => "kind",
            Column::Services => "services",
            Column::Country => "country",
            Column::City => "city",
            Column::Address => "address",
            Column::Phones => "phones",
            Column::Email => "email",
            Column::ContactPerson => "contact_person",
            Column::Languages => "languages",
            Column::OpeningHours => "opening_hours",
            Column::Notes => "notes",
            Column::Active => "active",
        }
    }

    /// Other headers accepted on import: Russian, as a centre would type them.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["название", "наименование"],
            Column::NameLocal => &["название на местном языке", "местное название"],
            Column::Kind => &["тип", "вид"],
            Column::Services => &["услуги"],
            Column::Country => &["страна"],
            Column::City => &["город"],
            Column::Address => &["адрес"],
            Column::Phones => &["телефоны", "телефон"],
            Column::Email => &["эл. почта", "электронная почта", "e-mail"],
            Column::ContactPerson => &["контактное лицо"],
            Column::Languages => &["языки"],
            Column::OpeningHours => &["часы работы"],
            Column::Notes => &["примечания", "примечание"],
            Column::Active => &["активен", "активный"],
        }
    }

    fn required(self) -> bool {
        matches!(self, Column::Name | Column::Kind | Column::Services | Column::Country)
    }

    fn from_header(text: &str) -> Option<Column> {
        let wanted = normalise_header(text);
        Column::ALL.into_iter().find(|c| normalise_header(c.header()) == wanted || c.aliases().iter().any(|a| normalise_header(a) == wanted))
    }

    fn index(self) -> usize {
        Column::ALL.iter().position(|&c| c == self).unwrap_or(usize::MAX)
    }
}

/// Case-insensitive, surrounding space trimmed, `_` and runs of spaces alike:
/// `Contact person`, `contact_person` and ` CONTACT  PERSON ` are one header.
pub(crate) fn normalise_header(text: &str) -> String {
    text.trim_matches(|c: char| c == BOM || c.is_whitespace()).to_lowercase().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

// ----- formula guard -----
//
// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some
// also one that starts with a tab or carriage return) as a formula, so a
// partner named "=HYPERLINK(...)" could act when the file is opened. The
// export therefore never writes such a cell raw: it puts one apostrophe in
// front ("'=HYPERLINK(...)"), which spreadsheets show as text. The import
// removes exactly one leading apostrophe where the export would have added
// it, so a round trip gives back exactly what was stored.
//
// To stay lossless for values that themselves begin with apostrophes (a note
// "'=x"), the rule looks past every leading apostrophe: a value is guarded
// when, after its leading apostrophes, it starts with one of the characters
// below; and a cell is unguarded when it starts with an apostrophe and,
// after all its leading apostrophes, with one of those characters.

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn guard(value: &str) -> Cow<'_, str> {
    if value.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

pub(crate) fn invalid(field: &str, code: &str, message: impl Into<String>) -> CoreError {
    CoreError::Validation(vec![FieldError { field: field.into(), code: code.into(), message: message.into() }])
}

fn yes_no(active: bool) -> &'static str {
    if active {
        "yes"
    } else {
        "no"
    }
}

fn cells_of(p: &Partner) -> [String; 14] {
    let services: Vec<&str> = p.services.iter().map(|s| s.as_str()).collect();
    [
        p.name.clone(),
        p.name_local.clone(),
        p.kind.as_str().to_string(),
        services.join(";"),
        p.country.clone(),
        p.city.clone(),
        p.address.clone(),
        p.phones.clone(),
        p.email.clone(),
        p.contact_person.clone(),
        p.languages.join(";"),
        p.opening_hours.clone(),
        p.notes.clone(),
        yes_no(p.active).to_string(),
    ]
}

impl Desk {
    /// The centre's directory as UTF-8 CSV with a byte order mark (so Excel
    /// reads Cyrillic right) and CRLF line ends; quoting is the csv crate's,
    /// and no cell can run as a formula (see the formula guard above).
    pub fn export_partners_csv(&self, include_inactive: bool) -> Result<String> {
        self.allowed(Action::ManagePartners)?;
        let partners = self.list_partners(&PartnerQuery { include_inactive, ..Default::default() })?;
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        writer.write_record(Column::ALL.iter().map(|c| c.header())).map_err(std::io::Error::from)?;
        for p in &partners {
            let cells = cells_of(p);
            writer.write_record(cells.iter().map(|c| guard(c).into_owned())).map_err(std::io::Error::from)?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        let body = String::from_utf8(bytes).map_err(|e| CoreError::Corrupt(e.to_string()))?;
        let mut out = String::with_capacity(body.len() + 3);
        out.push(BOM);
        out.push_str(&body);
        Ok(out)
    }

    /// Adds or updates partners from a CSV file's text (see the module notes
    /// for the format). A row whose name and city match a partner of the
    /// centre, ignoring case, updates it, so importing a file twice adds
    /// nothing the second time. Problems with the file as a whole (too large,
    /// unknown or missing columns) are a validation error; problems with rows
    /// are listed in the report, and in `AllOrNothing` mode any of them means
    /// nothing is written. Everything is written in one transaction.
    pub fn import_partners_csv(&mut self, text: &str, mode: ImportMode) -> Result<ImportReport> {
        let actor = self.allowed(Action::ManagePartners)?;
        if text.len() > MAX_IMPORT_BYTES {
            return Err(invalid("file", "too_large", format!("the file is larger than {} MB", MAX_IMPORT_BYTES / (1024 * 1024))));
        }
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let mut rows = read_rows(text)?.into_iter();
        let Some(header) = rows.next() else {
            return Err(invalid("file", "empty", "the file is empty: it needs a header line naming the columns"));
        };
        let layout = Layout::from_header(&header.cells)?;
        let rows: Vec<Row> = rows.collect();

        self.store_mut().write(|tx| {
            let existing = partner::list(tx, actor.centre_id, &PartnerQuery { include_inactive: true, ..Default::default() })?;
            let mut by_key: HashMap<(String, String), usize> = HashMap::new();
            for (i, p) in existing.iter().enumerate() {
                by_key.entry(key(&p.name, &p.city)).or_insert(i);
            }

            let mut planned = Vec::new();
            let mut rejected = Vec::new();
            let mut first_line_of: HashMap<(String, String), u32> = HashMap::new();
            for row in &rows {
                let name = layout.cell(row, Column::Name).unwrap_or("");
                let city = layout.cell(row, Column::City).unwrap_or("");
                let row_key = key(name, city);
                let matched = by_key.get(&row_key).map(|&i| &existing[i]);
                let (input, active, mut problems) = layout.to_input(row, matched);
                if !row_key.0.is_empty() {
                    if let Some(first) = first_line_of.get(&row_key) {
                        problems.push(FieldError {
                            field: "name".into(),
                            code: "duplicate_in_file".into(),
                            message: format!("line {first} has the same name and city"),
                        });
                    } else {
                        first_line_of.insert(row_key, row.line);
                    }
                }
                if problems.is_empty() {
                    planned.push((input, active, matched));
                } else {
                    problems.sort_by_key(|p| field_rank(&p.field));
                    rejected.push(RejectedRow { line: row.line, problems });
                }
            }

            let mut report = ImportReport { added: 0, updated: 0, rejected };
            if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
                return Ok(report);
            }
            for (input, active, matched) in planned {
                let mut record = partner::build(&input, &actor, matched);
                if let Some(active) = active {
                    record.active = active;
                }
                partner::save(tx, &record)?;
                if matched.is_some() {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
            }
            Ok(report)
        })
    }
}

/// How a partner is recognised in a file: name and city, ignoring case and surrounding space.
fn key(name: &str, city: &str) -> (String, String) {
    (tidy(name).to_lowercase(), tidy(city).to_lowercase())
}

/// Problems are listed in the order of the columns; whole-row problems first.
fn field_rank(field: &str) -> usize {
    let base = field.split('.').next().unwrap_or(field);
    Column::ALL.iter().position(|c| c.header() == base).map_or(0, |i| i + 1)
}

/// One non-empty record of the file, its cells already unguarded.
struct Row {
    line: u32,
    cells: Vec<String>,
}

/// `;` when the first line has more semicolons than commas outside quotes
/// (what Excel writes in a Russian locale), `,` otherwise.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.trim_start_matches(['\r', '\n']).chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\n' | '\r' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Every record that has a non-blank cell, with the line it starts on.
fn read_rows(text: &str) -> Result<Vec<Row>> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sniff_delimiter(text)).from_reader(bytes);
    let mut rows = Vec::new();
    // Lines are counted here rather than taken from the reader, whose
    // position of a record includes the blank lines before it.
    let (mut counted_to, mut line) = (0usize, 1u32);
    for record in reader.records() {
        let record = record.map_err(|e| invalid("file", "invalid_csv", format!("the file could not be read as CSV: {e}")))?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).max(counted_to);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[counted_to..start.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() as u32;
        counted_to = start.min(bytes.len());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        // The header is not a data row.
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(invalid("file", "too_large", format!("the file has more than {MAX_IMPORT_ROWS} rows")));
        }
        rows.push(Row { line, cells: record.iter().map(|cell| unguard(cell).to_string()).collect() });
    }
    Ok(rows)
}

/// Which cell of a row holds which column.
struct Layout {
    /// For each column of `Column::ALL`, its position in the file.
    positions: [Option<usize>; 14],
    /// Cells past the header, or under a header left blank.
    unnamed: Vec<usize>,
    width: usize,
}

impl Layout {
    fn from_header(cells: &[String]) -> Result<Layout> {
        let mut positions = [None; 14];
        let mut unnamed = Vec::new();
        let mut c = Checks::new();
        for (i, cell) in cells.iter().enumerate() {
            if cell.trim().is_empty() {
                unnamed.push(i);
                continue;
            }
            match Column::from_header(cell) {
                Some(column) if positions[column.index()].is_some() => {
                    c.fail("columns", "duplicate_column", format!("the column '{}' appears twice (as '{}')", column.header(), cell.trim()));
                }
                Some(column) => positions[column.index()] = Some(i),
                None => {
                    let known: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
                    c.fail("columns", "unknown_column", format!("unknown column '{}' (the columns are: {})", cell.trim(), known.join(", ")));
                }
            }
        }
        for column in Column::ALL {
            if column.required() && positions[column.index()].is_none() {
                c.fail("columns", "missing_column", format!("the column '{}' is missing", column.header()));
            }
        }
        c.finish()?;
        Ok(Layout { positions, unnamed, width: cells.len() })
    }

    /// The cell of `column` in `row`: None when the file has no such column,
    /// empty when the row stops short of it.
    fn cell<'r>(&self, row: &'r Row, column: Column) -> Option<&'r str> {
        self.positions[column.index()].map(|i| row.cells.get(i).map_or("", String::as_str))
    }

    /// The row as a partner input, starting from the matched partner so a
    /// column the file does not have keeps its value; `active` when given;
    /// and every problem, those of `PartnerInput::check` included.
    fn to_input(&self, row: &Row, matched: Option<&Partner>) -> (PartnerInput, Option<bool>, Vec<FieldError>) {
        let mut input = matched.map(PartnerInput::from).unwrap_or_default();
        let mut problems = Vec::new();
        let mut fail = |field: &str, code: &str, message: String| problems.push(FieldError { field: field.into(), code: code.into(), message });

        for (i, cell) in row.cells.iter().enumerate() {
            if (i >= self.width || self.unnamed.contains(&i)) && !cell.trim().is_empty() {
                fail("columns", "unknown_column", format!("cell {} has a value but no column header", i + 1));
            }
        }
        let text = |column: Column, target: &mut String| {
            if let Some(cell) = self.cell(row, column) {
                *target = cell.to_string();
            }
        };
        text(Column::Name, &mut input.name);
        text(Column::NameLocal, &mut input.name_local);
        text(Column::City, &mut input.city);
        text(Column::Address, &mut input.address);
        text(Column::Phones, &mut input.phones);
        text(Column::Email, &mut input.email);
        text(Column::ContactPerson, &mut input.contact_person);
        text(Column::OpeningHours, &mut input.opening_hours);
        text(Column::Notes, &mut input.notes);
        if let Some(cell) = self.cell(row, Column::Country) {
            input.country = cell.trim().to_uppercase();
        }
        if let Some(cell) = self.cell(row, Column::Kind) {
            let word = vocabulary_word(cell);
            input.kind = if word.is_empty() { None } else { PartnerKind::parse(&word) };
            if !word.is_empty() && input.kind.is_none() {
                fail("kind", "unknown_kind", format!("unknown kind '{}'", cell.trim()));
            }
        }
        if let Some(cell) = self.cell(row, Column::Services) {
            input.services.clear();
            for part in list(cell) {
                match AssistanceCategory::parse(&vocabulary_word(part)) {
                    Some(service) => input.services.push(service),
                    None => fail("services", "unknown_service", format!("unknown service '{part}'")),
                }
            }
        }
        if let Some(cell) = self.cell(row, Column::Languages) {
            input.languages = list(cell).map(str::to_lowercase).collect();
        }
        let mut active = None;
        if let Some(cell) = self.cell(row, Column::Active) {
            match cell.trim().to_lowercase().as_str() {
                "" => {}
                "yes" | "y" | "true" | "1" | "да" => active = Some(true),
                "no" | "n" | "false" | "0" | "нет" => active = Some(false),
                other => fail("active", "invalid_active", format!("'{other}' is not yes or no")),
            }
        }

        // The rules live in `check`; a field already refused above is not
        // refused twice (an unknown kind is not also a missing one).
        if let Err(CoreError::Validation(errors)) = input.check() {
            let refused: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
            problems.extend(errors.into_iter().filter(|e| !refused.contains(&e.field)));
        }
        (input, active, problems)
    }
}

/// A vocabulary name as people may type it: `Legal consultation` is `legal_consultation`.
pub(crate) fn vocabulary_word(cell: &str) -> String {
    cell.trim().to_lowercase().split([' ', '-', '_']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
}

/// The items of a `;`-separated list cell, trimmed, empty ones left out.
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Reads a file to import. Bytes that are not UTF-8 get a message about the
/// file (how to save it), not a crash; a file over the limit is cut just past
/// it, so the import refuses it as too large without loading it whole.
pub fn read_import_file(file: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let opened = std::fs::File::open(file).map_err(|e| invalid("file", "unreadable", format!("could not open {}: {e}", file.display())))?;
    opened
        .take(MAX_IMPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid("file", "unreadable", format!("could not read {}: {e}", file.display())))?;
    if bytes.len() > MAX_IMPORT_BYTES {
        // The cut may fall inside a character; the content no longer matters.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes).map_err(|e| {
        invalid(
            "file",
            "not_utf8",
            format!("the file is not UTF-8 text (invalid bytes at byte {}): save it as \"CSV UTF-8\" and import it again", e.utf8_error().valid_up_to()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::StaffRole;

    fn desk() -> Desk {
        let mut desk = Desk::open_in_memory().unwrap();
        crate::sample::start_centre(&mut desk, crate::sample::dushanbe("Caseworker One", StaffRole::Administrator, "ru")).unwrap();
        desk
    }

    fn add(desk: &mut Desk, input: PartnerInput) -> Partner {
        desk.save_partner(None, input).unwrap()
    }

    fn directory(desk: &mut Desk) {
        add(desk, PartnerInput {
            name: "=HYPERLINK(\"http://evil\")".into(),
            kind: Some(PartnerKind::Other),
            services: vec![AssistanceCategory::Information],
            country: "TJ".into(),
            city: "Khujand".into(),
            phones: "+992 93 123 4567".into(),
            notes: "-starts with a minus\n@and a line with an at".into(),
            ..Default::default()
        });
        add(desk, PartnerInput {
            name: "Клиника «Надежда»".into(),
            name_local: "Дармонгоҳи Умед".into(),
            kind: Some(PartnerKind::Clinic),
            services: vec![AssistanceCategory::Medical, AssistanceCategory::Psychosocial],
            country: "TJ".into(),
            city: "Душанбе".into(),
            address: "ул. Рудаки, 12".into(),
            email: "help@clinic.tj".into(),
            contact_person: "Д-р Каримова".into(),
            languages: vec!["tg".into(), "ru".into()],
            opening_hours: "Пн–Пт 9:00–17:00".into(),
            notes: "Takes walk-ins, \"free\" for migrants;\nask for room 5\r\n'=not a formula either".into(),
            ..Default::default()
        });
        let lawyers = add(desk, PartnerInput {
            name: "Legal Aid Bureau".into(),
            kind: Some(PartnerKind::LawFirm),
            services: vec![AssistanceCategory::LegalConsultation, AssistanceCategory::LegalRepresentation],
            country: "RU".into(),
            city: "Москва".into(),
            ..Default::default()
        });
        desk.set_partner_active(lawyers.id, false).unwrap();
    }

    /// A partner without what differs between two databases.
    fn content(p: &Partner) -> [String; 14] {
        cells_of(p)
    }

    fn all(desk: &Desk) -> Vec<Partner> {
        desk.list_partners(&PartnerQuery { include_inactive: true, ..Default::default() }).unwrap()
    }

    fn contents(desk: &Desk) -> Vec<[String; 14]> {
        all(desk).iter().map(content).collect()
    }

    fn codes(err: CoreError) -> Vec<(String, String)> {
        match err {
            CoreError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other}"),
        }
    }

    fn problems(row: &RejectedRow) -> Vec<(&str, &str)> {
        row.problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    #[test]
    fn the_guard_round_trips() {
        for value in ["", "plain", "=1+1", "+992", "-x", "@x", "\tx", "\rx", "'", "'plain", "'=x", "''=x", "''", "a=b"] {
            assert_eq!(unguard(&guard(value)), value, "{value:?}");
            assert!(!guard(value).starts_with(FORMULA_STARTS), "{value:?}");
        }
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(unguard("'+992"), "+992");
        assert_eq!(unguard("'hello"), "'hello");
    }

    #[test]
    fn export_then_import_gives_the_same_directory() {
        let mut first = desk();
        directory(&mut first);
        let text = first.export_partners_csv(true).unwrap();

        let mut second = desk();
        let report = second.import_partners_csv(&text, ImportMode::AllOrNothing).unwrap();
        assert_eq!(report, ImportReport { added: 3, updated: 0, rejected: vec![] });
        assert_eq!(contents(&second), contents(&first));
        assert!(all(&second).iter().any(|p| p.name.starts_with('=')));

        // Into the same centre it changes nothing.
        let again = first.import_partners_csv(&text, ImportMode::AllOrNothing).unwrap();
        assert_eq!((again.added, again.updated), (0, 3));
        assert_eq!(contents(&first), contents(&second));

        // Only the active ones unless asked.
        let active = first.export_partners_csv(false).unwrap();
        assert!(!active.contains("Legal Aid Bureau") && text.contains("Legal Aid Bureau"));
    }

    #[test]
    fn the_export_opens_safely_in_a_spreadsheet() {
        let mut desk = desk();
        directory(&mut desk);
        let text = desk.export_partners_csv(true).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let header = text.trim_start_matches('\u{feff}').split("\r\n").next().unwrap();
        assert_eq!(header, "name,name_local,kind,services,country,city,address,phones,email,contact_person,languages,opening_hours,notes,active");
        assert!(text.starts_with(&format!("\u{feff}{header}\r\n")) && text.ends_with(",yes\r\n"));
        assert!(text.contains("medical;psychosocial") && text.contains("tg;ru") && text.contains(",no\r\n"));

        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?}");
            }
        }
        assert_eq!(cells, 14 * 4);
        assert!(text.contains("'=HYPERLINK") && text.contains("'+992") && text.contains("\"'-starts with a minus"));
    }

    #[test]
    fn excel_files_in_russian_with_semicolons_import() {
        let mut desk = desk();
        let text = "\u{feff}Город;Название;Тип;Услуги;Страна;Эл. почта;Языки;Активен;Примечания\r\n\
                    Душанбе;Клиника «Надежда»;Clinic;\"Medical; psychosocial\";TJ;help@clinic.tj;\"tg; ru\";да;\"Приём; бесплатно\"\r\n\
                    \r\n\
                    ;;;;;;;;\r\n\
                    Худжанд;'=Центр;ngo;legal consultation;tj;;;нет;\r\n";
        let report = desk.import_partners_csv(text, ImportMode::AllOrNothing).unwrap();
        assert_eq!(report, ImportReport { added: 2, updated: 0, rejected: vec![] });
        let partners = all(&desk);
        let clinic = partners.iter().find(|p| p.city == "Душанбе").unwrap();
        assert_eq!(clinic.name, "Клиника «Надежда»");
        assert_eq!((clinic.kind, clinic.services.clone()), (PartnerKind::Clinic, vec![AssistanceCategory::Medical, AssistanceCategory::Psychosocial]));
        assert_eq!((clinic.languages.clone(), clinic.notes.as_str(), clinic.active), (vec!["tg".to_string(), "ru".to_string()], "Приём; бесплатно", true));
        let centre = partners.iter().find(|p| p.city == "Худжанд").unwrap();
        assert_eq!((centre.name.as_str(), centre.country.as_str(), centre.active), ("=Центр", "TJ", false));
    }

    const MIXED: &str = "name,kind,services,country,city,notes\n\
                         Clinic of Hope,clinic,medical,TJ,Dushanbe,\"first line\n\
                         second line\"\n\
                         Bad Service,ngo,medcal;information,TJ,Dushanbe,\n\
                         \n\
                         Bad Country,ngo,information,XX,Dushanbe,\n\
                         ,ngo,information,TJ,Dushanbe,\n\
                         Shelter House,shelter,shelter,KG,Bishkek,\n\
                         clinic of hope,clinic,medical,TJ,DUSHANBE,\n";

    #[test]
    fn one_bad_row_in_all_or_nothing_writes_nothing() {
        let mut desk = desk();
        let report = desk.import_partners_csv(MIXED, ImportMode::AllOrNothing).unwrap();
        assert_eq!((report.added, report.updated), (0, 0));
        let lines: Vec<u32> = report.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![4, 6, 7, 9]);
        assert_eq!(problems(&report.rejected[0]), vec![("services", "unknown_service")]);
        assert_eq!(report.rejected[0].problems[0].message, "unknown service 'medcal'");
        assert_eq!(problems(&report.rejected[1]), vec![("country", "unknown_country")]);
        assert_eq!(problems(&report.rejected[2]), vec![("name", "required")]);
        assert_eq!(problems(&report.rejected[3]), vec![("name", "duplicate_in_file")]);
        assert_eq!(report.rejected[3].problems[0].message, "line 2 has the same name and city");
        assert!(all(&desk).is_empty());
    }

    #[test]
    fn skip_invalid_writes_the_good_rows() {
        let mut desk = desk();
        let report = desk.import_partners_csv(MIXED, ImportMode::SkipInvalid).unwrap();
        assert_eq!((report.added, report.updated, report.rejected.len()), (2, 0, 4));
        let names: Vec<String> = all(&desk).into_iter().map(|p| p.name).collect();
        assert_eq!(names, vec!["Clinic of Hope", "Shelter House"]);
        assert_eq!(all(&desk)[0].notes, "first line\nsecond line");

        // The same file again updates instead of adding.
        let again = desk.import_partners_csv(MIXED, ImportMode::SkipInvalid).unwrap();
        assert_eq!((again.added, again.updated, again.rejected.len()), (0, 2, 4));
        assert_eq!(all(&desk).len(), 2);
    }

    #[test]
    fn an_update_keeps_what_the_file_does_not_have() {
        let mut desk = desk();
        let clinic = add(&mut desk, PartnerInput {
            name: "Clinic of Hope".into(), kind: Some(PartnerKind::Clinic), services: vec![AssistanceCategory::Medical],
            country: "TJ".into(), city: "Dushanbe".into(), phones: "+992 44 600 0000".into(), ..Default::default()
        });
        let text = "name,city,kind,services,country,active\nCLINIC OF HOPE, dushanbe ,ngo,medical;shelter,TJ,no\n";
        let report = desk.import_partners_csv(text, ImportMode::AllOrNothing).unwrap();
        assert_eq!((report.added, report.updated), (0, 1));
        let after = all(&desk).remove(0);
        assert_eq!(after.id, clinic.id);
        assert_eq!((after.name.as_str(), after.city.as_str(), after.phones.as_str()), ("CLINIC OF HOPE", "dushanbe", "+992 44 600 0000"));
        assert_eq!((after.kind, after.services.len(), after.active), (PartnerKind::Ngo, 2, false));
        // ...and an active cell left empty keeps it inactive.
        desk.import_partners_csv("name,city,kind,services,country,active\nClinic of Hope,Dushanbe,ngo,medical,TJ,\n", ImportMode::AllOrNothing).unwrap();
        assert!(!all(&desk)[0].active);
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let mut desk = desk();
        let text = "name,kind,services,country,email,languages,active\nX,charity,,,not-mail,ru;xx,maybe\nY,ngo,medical,TJ,,,,surplus\n";
        let report = desk.import_partners_csv(text, ImportMode::AllOrNothing).unwrap();
        assert_eq!(
            problems(&report.rejected[0]),
            vec![("kind", "unknown_kind"), ("services", "required"), ("country", "required"), ("email", "invalid_email"), ("languages.1", "unknown_language"), ("active", "invalid_active")]
        );
        assert_eq!(problems(&report.rejected[1]), vec![("columns", "unknown_column")]);
    }

    #[test]
    fn a_bad_header_refuses_the_whole_file() {
        let mut desk = desk();
        let unknown = desk.import_partners_csv("name,kind,services,country,website\nX,ngo,medical,TJ,x.tj\n", ImportMode::SkipInvalid).unwrap_err();
        assert_eq!(codes(unknown), vec![("columns".to_string(), "unknown_column".to_string())]);
        let err = desk.import_partners_csv("name,kind,services,country,website\n", ImportMode::SkipInvalid).unwrap_err();
        assert!(err.to_string().contains("website"), "{err}");
        let missing = desk.import_partners_csv("name;тип;city\nX;ngo;Dushanbe\n", ImportMode::SkipInvalid).unwrap_err();
        assert_eq!(codes(missing), vec![("columns".into(), "missing_column".into()), ("columns".into(), "missing_column".into())]);
        let twice = desk.import_partners_csv("name,название,kind,services,country\n", ImportMode::SkipInvalid).unwrap_err();
        assert_eq!(codes(twice), vec![("columns".to_string(), "duplicate_column".to_string())]);
        assert_eq!(codes(desk.import_partners_csv("\u{feff}\r\n", ImportMode::SkipInvalid).unwrap_err()), vec![("file".into(), "empty".into())]);
        assert!(all(&desk).is_empty());
        // A header alone is an empty directory, not an error.
        assert_eq!(desk.import_partners_csv("name,kind,services,country", ImportMode::AllOrNothing).unwrap(), ImportReport { added: 0, updated: 0, rejected: vec![] });
    }

    #[test]
    fn huge_files_are_refused_without_panicking() {
        let mut desk = desk();
        let big = format!("name,kind,services,country,notes\nX,ngo,medical,TJ,{}\n", "x".repeat(MAX_IMPORT_BYTES));
        assert_eq!(codes(desk.import_partners_csv(&big, ImportMode::SkipInvalid).unwrap_err()), vec![("file".into(), "too_large".into())]);
        let mut many = String::from("name,kind,services,country\n");
        for i in 0..=MAX_IMPORT_ROWS {
            many.push_str(&format!("P{i},ngo,medical,TJ\n"));
        }
        assert_eq!(codes(desk.import_partners_csv(&many, ImportMode::SkipInvalid).unwrap_err()), vec![("file".into(), "too_large".into())]);
        // Odd bytes and unbalanced quotes are rows with problems, not crashes.
        let odd = "name,kind,services,country\n\"unclosed,ngo,medical,TJ\nA\u{0}B,ngo,medical,TJ\n";
        let report = desk.import_partners_csv(odd, ImportMode::SkipInvalid).unwrap();
        assert_eq!((report.added, report.rejected.len()), (0, 1));
        assert!(all(&desk).is_empty());
    }

    #[test]
    fn import_modes_have_their_names() {
        assert_eq!(serde_json::from_str::<ImportMode>("\"all_or_nothing\"").unwrap(), ImportMode::AllOrNothing);
        assert_eq!(serde_json::from_str::<ImportMode>("\"skip_invalid\"").unwrap(), ImportMode::SkipInvalid);
    }
}
