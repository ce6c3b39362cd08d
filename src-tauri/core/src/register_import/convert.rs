//! One row of a register as the core's own inputs: a `MigrantInput`, and the
//! visit and the help the row records. Reading a cell can fail here (a date
//! that is not one, an unknown country); every rule about the values is left
//! to the inputs' own checks, whose problems are added under the names of
//! the mapping's fields so each can be pointed at in the file.

use chrono::{DateTime, Local, NaiveDate, Utc};
use uuid::Uuid;

use crate::assistance::{AssistanceCategory, AssistanceInput};
use crate::error::{CoreError, FieldError};
use crate::migrant::{IdentityDocument, Messenger, MigrantInput, Phone};
use crate::record::local_day;
use crate::validate::Checks;
use crate::visit::{Channel, VisitInput};

use super::mapping::{Layout, Target};
use super::read::{Cell, SheetRow};
use super::values::{self, DateCell, DateOrder};

/// A row converted, with everything wrong with it.
pub(crate) struct Draft {
    pub input: MigrantInput,
    pub visit: Option<VisitInput>,
    pub assistance: Option<AssistanceInput>,
    pub problems: Vec<FieldError>,
}

/// What a row says about its visit and help, before they become inputs.
#[derive(Default)]
struct Records {
    visit_date: Option<NaiveDate>,
    channel: Option<Channel>,
    assistance_date: Option<NaiveDate>,
    category: Option<AssistanceCategory>,
}

pub(crate) fn convert(row: &SheetRow, layout: &Layout, order: DateOrder, now: DateTime<Utc>) -> Draft {
    let today = local_day(now);
    let mut draft = Draft { input: MigrantInput::default(), visit: None, assistance: None, problems: Vec::new() };
    let mut records = Records::default();
    for &(index, target) in &layout.columns {
        let cell = row.cells.get(index).unwrap_or(&Cell::Empty);
        draft.fill(target, cell, layout, &mut records, order, today);
    }
    draft.apply_defaults(layout);
    draft.add_records(layout, &records, now);
    draft.check(today, now);
    let rank = |field: &str| Target::parse(field).and_then(|t| layout.columns.iter().position(|&(_, c)| c == t)).unwrap_or(usize::MAX);
    draft.problems.sort_by_key(|p| rank(&p.field));
    draft
}

impl Draft {
    fn fail(&mut self, target: Target, code: &str, message: String) {
        self.problems.push(FieldError { field: target.as_str().into(), code: code.into(), message });
    }

    fn failed(&self, field: &str) -> bool {
        self.problems.iter().any(|p| p.field == field)
    }

    fn fill(&mut self, target: Target, cell: &Cell, layout: &Layout, records: &mut Records, order: DateOrder, today: NaiveDate) {
        match target {
            Target::BirthDate => self.input.birth_date = self.date(target, cell, order, today),
            Target::VisitDate => records.visit_date = self.date(target, cell, order, today),
            Target::AssistanceDate => records.assistance_date = self.date(target, cell, order, today),
            Target::EstimatedAge => self.input.estimated_age = self.age(cell),
            _ => {
                if let Some(text) = self.text(target, cell).filter(|t| !t.trim().is_empty()) {
                    self.fill_text(target, text, layout, records);
                }
            }
        }
    }

    /// The cell as text, or None with a problem when it holds no usable text.
    fn text(&mut self, target: Target, cell: &Cell) -> Option<String> {
        match cell {
            Cell::Unreadable => self.fail(target, "not_utf8", "holds bytes that are not text: save the file as \"CSV UTF-8\"".into()),
            Cell::Error(e) => self.fail(target, "cell_error", format!("the cell shows the error {}", values::shown(e))),
            Cell::Text(text) if values::looks_like_formula(text) => {
                self.fail(target, "formula", format!("'{}' is a spreadsheet formula, not a value", values::shown(text)))
            }
            _ => return Some(values::plain_text(cell)),
        }
        None
    }

    fn fill_text(&mut self, target: Target, text: String, layout: &Layout, records: &mut Records) {
        let input = &mut self.input;
        match target {
            Target::FamilyName => input.family_name = text,
            Target::GivenName => input.given_name = text,
            Target::Patronymic => input.patronymic = text,
            Target::FamilyNameLatin => input.family_name_latin = text,
            Target::GivenNameLatin => input.given_name_latin = text,
            Target::Occupation => input.occupation = text,
            Target::OriginRegion => input.origin_region = text,
            Target::CurrentCity => input.current_city = text,
            Target::FullName => split_full_name(&text, input),
            Target::Notes if input.notes.is_empty() => input.notes = text,
            Target::Notes => input.notes = format!("{}\n{text}", input.notes),
            // One cell often holds two numbers: "93 123 4567, 92 765 4321".
            Target::Phone => input.phones.extend(
                text.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()).map(|p| Phone { number: p.to_string(), messenger: Messenger::None }),
            ),
            Target::DocumentNumber => input.documents.push(IdentityDocument {
                kind: layout.defaults.document_kind,
                number: text.trim().to_string(),
                issuing_country: String::new(),
                expires_on: None,
            }),
            Target::Sex => match values::parse_sex(&text) {
                Some(sex) => input.sex = Some(sex),
                None => self.fail(target, "unknown_sex", format!("'{}' is not a sex: write М or Ж, M or F, male or female", values::shown(&text))),
            },
            Target::Citizenship => match values::parse_country(&text) {
                Some(code) => input.citizenship = code,
                None => self.fail(target, "unknown_country", format!("'{}' is not a country: write its ISO code (TJ, UZ, KG...)", values::shown(&text))),
            },
            Target::MigrationStatus => match values::parse_status(&text) {
                Some(status) => input.migration_status = Some(status),
                None => self.fail(target, "unknown_status", format!("'{}' is not a migration status ({})", values::shown(&text), names(crate::migrant::MigrationStatus::ALL))),
            },
            Target::VisitChannel => match values::parse_channel(&text) {
                Some(channel) => records.channel = Some(channel),
                None => self.fail(target, "unknown_channel", format!("'{}' is not a channel ({})", values::shown(&text), names(Channel::ALL))),
            },
            Target::AssistanceCategory => match values::parse_category(&text) {
                Some(category) => records.category = Some(category),
                None => self.fail(target, "unknown_category", format!("'{}' is not a kind of help ({})", values::shown(&text), names(AssistanceCategory::ALL))),
            },
            // Read as dates and numbers by `fill`.
            Target::BirthDate | Target::VisitDate | Target::AssistanceDate | Target::EstimatedAge => {}
        }
    }

    fn date(&mut self, target: Target, cell: &Cell, order: DateOrder, today: NaiveDate) -> Option<NaiveDate> {
        if let Cell::Text(_) | Cell::Unreadable | Cell::Error(_) = cell {
            self.text(target, cell)?;
        }
        match values::date_of(cell, order, today) {
            DateCell::Empty => None,
            DateCell::Date(date) => Some(date),
            DateCell::OnlyYear(year) => {
                self.fail(target, "only_year", format!("{year} is only a year: write the whole date, such as {}", order.example()));
                None
            }
            DateCell::NotADate => {
                let shown = values::shown(&values::plain_text(cell));
                self.fail(target, "invalid_date", format!("'{shown}' is not a date: write it as {} or 1990-10-31", order.example()));
                None
            }
        }
    }

    fn age(&mut self, cell: &Cell) -> Option<i64> {
        let text = self.text(Target::EstimatedAge, cell)?;
        let years = match cell {
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e6 => Some(*n as i64),
            // "35 лет", "35 years"
            _ => text.split_whitespace().next().and_then(|t| t.parse::<i64>().ok()),
        };
        if years.is_none() && !text.trim().is_empty() {
            self.fail(Target::EstimatedAge, "invalid_number", format!("'{}' is not a number of years", values::shown(&text)));
        }
        years
    }

    fn apply_defaults(&mut self, layout: &Layout) {
        let defaults = &layout.defaults;
        if self.input.sex.is_none() && !self.failed("sex") {
            self.input.sex = defaults.sex;
        }
        if self.input.citizenship.is_empty() && !self.failed("citizenship") {
            self.input.citizenship = layout.citizenship.clone().unwrap_or_default();
        }
        if self.input.migration_status.is_none() && !self.failed("migration_status") {
            self.input.migration_status = defaults.migration_status;
        }
        // An age column next to the date of birth is worked out from it.
        if self.input.birth_date.is_some() {
            self.input.estimated_age = None;
        }
    }

    fn add_records(&mut self, layout: &Layout, records: &Records, now: DateTime<Utc>) {
        let defaults = &layout.defaults;
        if let Some(day) = records.visit_date {
            self.visit = Some(VisitInput {
                migrant_id: Uuid::nil(),
                occurred_at: Some(visit_time(day, now)),
                channel: records.channel.or(if self.failed("visit_channel") { None } else { defaults.visit_channel }),
                purpose: defaults.visit_purpose,
                ..Default::default()
            });
        } else if records.channel.is_some() && !self.failed("visit_date") {
            self.fail(Target::VisitDate, "required", "is required when the row gives a visit channel".into());
        }
        if records.category.is_none() && records.assistance_date.is_none() {
            return;
        }
        let given_on = records.assistance_date.or(records.visit_date);
        if given_on.is_none() && !self.failed("assistance_date") && !self.failed("visit_date") {
            self.fail(Target::AssistanceDate, "required", "is required: help is recorded on the day it was given".into());
        }
        self.assistance = Some(AssistanceInput {
            migrant_id: Uuid::nil(),
            category: records.category,
            given_on,
            outcome: defaults.assistance_outcome,
            ..Default::default()
        });
    }

    /// The inputs' own checks; a field already refused while reading is not refused twice.
    fn check(&mut self, today: NaiveDate, now: DateTime<Utc>) {
        let mut found = Vec::new();
        if let Err(CoreError::Validation(errors)) = self.input.check(today) {
            found.extend(errors.into_iter().map(|e| FieldError { field: migrant_field(&e.field).into(), ..e }));
        }
        if let Some(visit) = &self.visit {
            let mut c = Checks::new();
            visit.check(now, &mut c);
            found.extend(errors_of(c).into_iter().map(|e| FieldError { field: visit_field(&e.field), ..e }));
        }
        if let Some(help) = &self.assistance {
            let mut c = Checks::new();
            help.check(today, &mut c);
            found.extend(errors_of(c).into_iter().map(|e| FieldError { field: assistance_field(&e.field), ..e }));
        }
        let refused: Vec<String> = self.problems.iter().map(|p| p.field.clone()).collect();
        self.problems.extend(found.into_iter().filter(|e| !refused.contains(&e.field)));
    }
}

fn errors_of(c: Checks) -> Vec<FieldError> {
    match c.finish() {
        Err(CoreError::Validation(errors)) => errors,
        _ => Vec::new(),
    }
}

/// `phones.1.number` is the phone column, `documents.0.number` the document's.
fn migrant_field(field: &str) -> &str {
    match field.split('.').next() {
        Some("phones") => Target::Phone.as_str(),
        Some("documents") => Target::DocumentNumber.as_str(),
        _ => field,
    }
}

fn visit_field(field: &str) -> String {
    match field {
        "occurred_at" => "visit_date".into(),
        other => format!("visit_{other}"),
    }
}

fn assistance_field(field: &str) -> String {
    match field {
        "given_on" => "assistance_date".into(),
        other => format!("assistance_{other}"),
    }
}

/// ФИО: family name, given name, then the rest as the father's name ("Карим угли" is two words).
fn split_full_name(text: &str, input: &mut MigrantInput) {
    let mut words = text.split_whitespace();
    input.family_name = words.next().unwrap_or_default().to_string();
    input.given_name = words.next().unwrap_or_default().to_string();
    input.patronymic = words.collect::<Vec<_>>().join(" ");
}

/// A visit known only by its day is put at noon there, so it stays on that
/// day wherever the report reads it; today's is put now, which is not future.
fn visit_time(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    if day == local_day(now) {
        return now;
    }
    let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default();
    noon.and_local_timezone(Local).earliest().map_or_else(|| noon.and_utc(), |t| t.with_timezone(&Utc))
}

fn names<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}
