//! Which column of a register holds which field. `propose_mapping` reads the
//! headers (English or Russian, as centres type them); the result is plain
//! JSON that a person can correct (in a file for the CLI, on a screen in the
//! app) before it is used.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::assistance::Outcome;
use crate::error::{CoreError, FieldError, Result};
use crate::migrant::{DocumentKind, MigrationStatus, Sex};
use crate::partner_csv::normalise_header;
use crate::visit::{Channel, VisitPurpose};
use crate::vocab::vocabulary;

use super::values::parse_country;

vocabulary! {
    /// What a column holds. The migrant's fields keep `MigrantInput`'s names;
    /// `full_name` is family, given and father's name in one cell (ФИО); a row
    /// may also record one visit and one piece of help.
    Target {
        FamilyName = "family_name", GivenName = "given_name", Patronymic = "patronymic", FullName = "full_name",
        FamilyNameLatin = "family_name_latin", GivenNameLatin = "given_name_latin", Sex = "sex", BirthDate = "birth_date",
        EstimatedAge = "estimated_age", Citizenship = "citizenship", Phone = "phone", DocumentNumber = "document_number",
        MigrationStatus = "migration_status", Occupation = "occupation", OriginRegion = "origin_region", CurrentCity = "current_city",
        Notes = "notes", VisitDate = "visit_date", VisitChannel = "visit_channel", AssistanceDate = "assistance_date",
        AssistanceCategory = "assistance_category",
    }
}

impl Target {
    /// Several phone or notes columns add up; any other field has one column.
    pub fn repeatable(self) -> bool {
        matches!(self, Target::Phone | Target::Notes)
    }

    /// The columns a problem with this field is found in, best first: its
    /// own, then the whole name's for a part of the name, or the visit's date
    /// for the date of the help (which it is when the file gives no other).
    pub fn found_in(self) -> Vec<Target> {
        match self {
            Target::FamilyName | Target::GivenName | Target::Patronymic => vec![self, Target::FullName],
            Target::AssistanceDate => vec![self, Target::VisitDate],
            _ => vec![self],
        }
    }

    /// Headers that mean this field, in the form `header_key` gives.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Target::FamilyName => &["фамилия", "family name", "surname", "last name"],
            Target::GivenName => &["имя", "given name", "first name", "forename"],
            Target::Patronymic => &["отчество", "patronymic", "middle name", "father s name", "fathers name"],
            Target::FullName => &["фио", "ф и о", "фамилия имя отчество", "фамилия имя", "full name", "name", "name and surname"],
            Target::FamilyNameLatin => &["фамилия латиницей", "фамилия лат", "фамилия на латинице", "family name latin", "surname latin", "last name latin"],
            Target::GivenNameLatin => &["имя латиницей", "имя лат", "имя на латинице", "given name latin", "first name latin"],
            Target::Sex => &["пол", "sex", "gender", "sex m f", "пол м ж"],
            Target::BirthDate => &["дата рождения", "дата рожд", "д р", "date of birth", "birth date", "birthdate", "dob", "d o b", "born"],
            Target::EstimatedAge => &["возраст", "полных лет", "age", "estimated age"],
            Target::Citizenship => &["гражданство", "страна гражданства", "citizenship", "nationality", "country of citizenship"],
            Target::Phone => &[
                "телефон", "тел", "номер телефона", "мобильный телефон", "моб телефон", "контактный телефон", "phone", "phone number",
                "phone no", "telephone", "tel", "mobile", "mobile phone", "contact phone",
            ],
            Target::DocumentNumber => &[
                "паспорт", "номер паспорта", "паспорта", "серия и номер паспорта", "паспорт серия номер", "номер документа", "документ",
                "passport", "passport no", "passport number", "passport nr", "passport n", "document number", "document no", "id number",
            ],
            Target::MigrationStatus => &["статус", "миграционный статус", "status", "migration status"],
            Target::Occupation => &["профессия", "род занятий", "специальность", "occupation", "profession", "job"],
            Target::OriginRegion => &["регион", "область", "регион происхождения", "region", "region of origin"],
            Target::CurrentCity => &["город", "город проживания", "city", "current city"],
            Target::Notes => &["примечание", "примечания", "комментарий", "комментарии", "notes", "note", "comments", "comment", "remarks"],
            Target::VisitDate => &["дата обращения", "дата визита", "дата посещения", "дата", "visit date", "date of visit", "date of contact", "date of application", "date"],
            Target::VisitChannel => &["канал", "канал обращения", "форма обращения", "способ обращения", "вид обращения", "channel", "contact channel", "type of contact"],
            Target::AssistanceDate => &["дата оказания помощи", "дата помощи", "assistance date", "date of assistance", "date of service"],
            Target::AssistanceCategory => &[
                "вид помощи", "тип помощи", "оказанная помощь", "помощь", "услуга", "вид услуги", "assistance", "type of assistance",
                "assistance type", "service", "service provided",
            ],
        }
    }
}

/// One column of the file and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMapping {
    /// The column's position, the first (A) being 1. When the file's columns
    /// have moved since, the header finds it.
    pub column: u32,
    /// The header as the file has it.
    pub header: String,
    /// The field the column fills; none to leave the column out.
    pub target: Option<Target>,
}

/// Values for what a register does not say: used when the file has no
/// column for the field, or the row's cell is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Defaults {
    pub sex: Option<Sex>,
    /// An ISO 3166 code, or a country's name as a cell may hold it.
    pub citizenship: Option<String>,
    pub migration_status: Option<MigrationStatus>,
    /// The kind of document in the document number column.
    pub document_kind: DocumentKind,
    pub visit_channel: Option<Channel>,
    pub visit_purpose: Option<VisitPurpose>,
    pub assistance_outcome: Option<Outcome>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            sex: None,
            citizenship: None,
            migration_status: None,
            document_kind: DocumentKind::Passport,
            visit_channel: None,
            visit_purpose: None,
            assistance_outcome: None,
        }
    }
}

/// Which column fills which field, and the values for what the file lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Mapping {
    /// Every column of the file's header, in order.
    pub columns: Vec<ColumnMapping>,
    #[serde(default)]
    pub defaults: Defaults,
}

/// A header as a key to look up: case, `ё`, punctuation (`№`, `.`, `(…)`) and
/// spacing do not matter. The second key leaves out a part in brackets, so
/// "Дата рождения (дд.мм.гггг)" is found while "Фамилия (лат.)" stays itself.
fn header_keys(header: &str) -> [String; 2] {
    let key = |text: &str| {
        let cleaned: String = normalise_header(text).replace('ё', "е").chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
        cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let without_brackets = match (header.find('('), header.rfind(')')) {
        (Some(open), Some(close)) if open < close => format!("{}{}", &header[..open], &header[close + 1..]),
        _ => header.to_string(),
    };
    [key(header), key(&without_brackets)]
}

/// The field a header names, if it is one this import knows.
pub fn recognise(header: &str) -> Option<Target> {
    header_keys(header).iter().filter(|k| !k.is_empty()).find_map(|k| Target::ALL.iter().copied().find(|t| t.aliases().contains(&k.as_str())))
}

/// A mapping from the headers alone. A field named by two columns takes the
/// first; unknown columns are left out. The defaults say only what a
/// register means by leaving a value out: no status is an `unknown` one,
/// and a contact or help it lists was a walk-in visit and help provided.
/// Sex and citizenship get no default: a wrong one would be a false record.
pub fn propose_mapping(headers: &[String]) -> Mapping {
    let mut taken = HashSet::new();
    let mut columns: Vec<ColumnMapping> = headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let target = recognise(header).filter(|t| t.repeatable() || taken.insert(*t));
            ColumnMapping { column: i as u32 + 1, header: header.trim().to_string(), target }
        })
        .collect();
    name_beside_surname(&mut columns);
    let has = |t: Target| columns.iter().any(|c| c.target == Some(t));
    let visits = has(Target::VisitDate);
    let defaults = Defaults {
        migration_status: Some(MigrationStatus::Unknown),
        visit_channel: visits.then_some(Channel::WalkIn),
        visit_purpose: visits.then_some(VisitPurpose::Other),
        assistance_outcome: has(Target::AssistanceCategory).then_some(Outcome::Provided),
        ..Defaults::default()
    };
    Mapping { columns, defaults }
}

/// "Name" next to "Surname" is the given name (a common translation of
/// Фамилия and Имя); alone it is the whole name.
fn name_beside_surname(columns: &mut [ColumnMapping]) {
    let has = |columns: &[ColumnMapping], t: Target| columns.iter().any(|c| c.target == Some(t));
    if !has(columns, Target::FamilyName) || has(columns, Target::GivenName) {
        return;
    }
    if let Some(name) = columns.iter_mut().find(|c| c.target == Some(Target::FullName) && header_keys(&c.header)[0] == "name") {
        name.target = Some(Target::GivenName);
    }
}

/// Why a mapping cannot be used with a file, for a screen to point at the
/// column or the default to change. The CLI shows `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MappingProblem {
    /// `missing_column`, `duplicate_target`, `unknown_country`, `not_mapped` or `full_name_and_parts`.
    pub code: String,
    /// The field without a column or a default (`sex`, `visit_purpose`...), or mapped twice.
    pub field: Option<String>,
    /// The column concerned, as the mapping names it.
    pub header: Option<String>,
    pub message: String,
}

/// The problems found so far.
#[derive(Default)]
struct Problems(Vec<MappingProblem>);

impl Problems {
    fn fail(&mut self, code: &str, field: impl ToString, header: Option<&str>, message: String) {
        self.0.push(MappingProblem { code: code.into(), field: Some(field.to_string()), header: header.map(str::to_string), message });
    }
}

/// A mapping applied to one file: each used column's position and field.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub columns: Vec<(usize, Target)>,
    pub defaults: Defaults,
    /// `defaults.citizenship` read as a code.
    pub citizenship: Option<String>,
}

impl Layout {
    pub fn has(&self, target: Target) -> bool {
        self.columns.iter().any(|&(_, t)| t == target)
    }
}

impl Mapping {
    /// The mapped columns that this file has, and the fields the mapping
    /// leaves without a column or a default. Every problem is named at once,
    /// each as a `mapping` field error.
    pub(crate) fn layout(&self, headers: &[String]) -> Result<Layout> {
        let (layout, problems) = self.apply(headers);
        if problems.is_empty() {
            return Ok(layout);
        }
        let errors = problems.into_iter().map(|p| FieldError { field: "mapping".into(), code: p.code, message: p.message });
        Err(CoreError::Validation(errors.collect()))
    }

    /// Why this mapping cannot be used with a file of these headers; empty when it can.
    pub fn problems(&self, headers: &[String]) -> Vec<MappingProblem> {
        self.apply(headers).1
    }

    fn apply(&self, headers: &[String]) -> (Layout, Vec<MappingProblem>) {
        let mut p = Problems::default();
        let mut columns: Vec<(usize, Target)> = Vec::new();
        for mapped in &self.columns {
            let Some(target) = mapped.target else { continue };
            let header = Some(mapped.header.as_str());
            let Some(index) = find_column(headers, mapped) else {
                p.fail("missing_column", target, header, format!("the column '{}' ({target}) is not in the file", mapped.header));
                continue;
            };
            if !target.repeatable() && columns.iter().any(|&(_, t)| t == target) {
                p.fail("duplicate_target", target, header, format!("two columns are mapped to {target}; '{}' is one of them", mapped.header));
            }
            columns.push((index, target));
        }
        let citizenship = self.defaults.citizenship.as_deref().filter(|s| !s.trim().is_empty());
        let layout = Layout { citizenship: citizenship.and_then(parse_country), columns, defaults: self.defaults.clone() };
        if let Some(text) = citizenship.filter(|_| layout.citizenship.is_none()) {
            p.fail("unknown_country", "citizenship", None, format!("the default citizenship '{text}' is not a country code such as TJ"));
        }
        required(&layout, &mut p);
        (layout, p.0)
    }

    /// The column a problem's field comes from, to point at it in the file:
    /// the first mapped of the columns [`Target::found_in`] names.
    pub fn column_for(&self, field: &str) -> Option<&ColumnMapping> {
        let target = Target::parse(field)?;
        target.found_in().iter().find_map(|&t| self.columns.iter().find(|c| c.target == Some(t)))
    }
}

/// The column at the mapped position when its header is still there, else the one column with that header.
fn find_column(headers: &[String], mapped: &ColumnMapping) -> Option<usize> {
    let wanted = header_keys(&mapped.header)[0].clone();
    let same = |i: usize| headers.get(i).is_some_and(|h| header_keys(h)[0] == wanted);
    let at = (mapped.column as usize).checked_sub(1).filter(|&i| same(i));
    at.or_else(|| {
        let mut found = (0..headers.len()).filter(|&i| same(i));
        match (found.next(), found.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    })
}

/// What `MigrantInput`, a visit and a piece of help cannot do without must
/// come from a column or a default, or every row would fail the same way.
fn required(layout: &Layout, c: &mut Problems) {
    let needs = |c: &mut Problems, field: &str, how: &str| c.fail("not_mapped", field, None, format!("nothing gives {field}: {how}"));
    let whole = layout.has(Target::FullName);
    if whole && (layout.has(Target::FamilyName) || layout.has(Target::GivenName) || layout.has(Target::Patronymic)) {
        c.fail("full_name_and_parts", Target::FullName, None, "map either full_name or the separate name columns, not both".into());
    }
    if !whole && !layout.has(Target::FamilyName) {
        needs(c, "family_name", "map a column to family_name or full_name");
    }
    if !whole && !layout.has(Target::GivenName) {
        needs(c, "given_name", "map a column to given_name or full_name");
    }
    let d = &layout.defaults;
    if !layout.has(Target::Sex) && d.sex.is_none() {
        needs(c, "sex", "map a column to sex or set defaults.sex (female, male, other, unknown)");
    }
    // An unreadable default was named above.
    if !layout.has(Target::Citizenship) && d.citizenship.as_deref().is_none_or(|s| s.trim().is_empty()) {
        needs(c, "citizenship", "map a column to citizenship or set defaults.citizenship to a country code such as \"TJ\"");
    }
    if !layout.has(Target::MigrationStatus) && d.migration_status.is_none() {
        needs(c, "migration_status", "map a column to migration_status or set defaults.migration_status (\"unknown\" if it is not known)");
    }
    if layout.has(Target::VisitDate) || layout.has(Target::VisitChannel) {
        if !layout.has(Target::VisitChannel) && d.visit_channel.is_none() {
            needs(c, "visit_channel", "map a column to visit_channel or set defaults.visit_channel (walk_in, phone...)");
        }
        if d.visit_purpose.is_none() {
            needs(c, "visit_purpose", "set defaults.visit_purpose (information, consultation, other...)");
        }
    }
    if layout.has(Target::AssistanceCategory) || layout.has(Target::AssistanceDate) {
        if d.assistance_outcome.is_none() {
            needs(c, "assistance_outcome", "set defaults.assistance_outcome (provided, partial, pending, unsuccessful)");
        }
        if !layout.has(Target::AssistanceDate) && !layout.has(Target::VisitDate) {
            needs(c, "assistance_date", "map a column to assistance_date or visit_date: help is recorded on a day");
        }
    }
}
