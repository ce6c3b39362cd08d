//! Cell values as people type them in registers: dates in the local and the
//! US order, Excel's serial dates, sex as М/Ж or male/female, countries by
//! name, and the vocabularies (status, channel, kind of help) in English or
//! Russian. Each reader answers `None` for what it cannot read; the caller
//! names the problem, so a new spelling is one line in a table here.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::assistance::AssistanceCategory;
use crate::codes;
use crate::migrant::{MigrationStatus, Sex};
use crate::partner_csv::vocabulary_word;
use crate::visit::Channel;

use super::read::Cell;

/// How a date written with the year last is read: 01/02/2026 is the first
/// of February day first (most of the world) and the second of January month
/// first (US-made spreadsheets). Year-first dates are always year-month-day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum DateOrder {
    #[default]
    #[serde(rename = "dmy")]
    DayFirst,
    #[serde(rename = "mdy")]
    MonthFirst,
}

impl DateOrder {
    /// An example date in this order, for messages.
    pub fn example(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "31.10.1990",
            DateOrder::MonthFirst => "10/31/1990",
        }
    }
}

/// Lower case, ё as е, single spaces, no dot at the end: `Муж.` is `муж`.
pub(crate) fn word(text: &str) -> String {
    let lower = text.trim().trim_end_matches('.').to_lowercase().replace('ё', "е");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lookup<T: Copy>(table: &[(&str, T)], text: &str) -> Option<T> {
    let wanted = word(text);
    table.iter().find(|(name, _)| *name == wanted).map(|&(_, value)| value)
}

// ----- dates -----

/// A date typed as text: 31.10.2026, 31/10/2026, 31-10-2026 (or 10/31/2026
/// month first), 2026-10-31 and 2026.10.31; a time after it is ignored, and a
/// two-digit year is in the last hundred years up to `today`.
pub fn parse_date(text: &str, order: DateOrder, today: NaiveDate) -> Option<NaiveDate> {
    let token = text.split_whitespace().next()?;
    let token = token.split_once('T').map_or(token, |(day, _)| day);
    let parts: Vec<&str> = token.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if ![a, b, c].iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    if a.len() == 4 {
        return NaiveDate::from_ymd_opt(number(a)? as i32, number(b)?, number(c)?);
    }
    let year = match c.len() {
        4 => number(c)? as i32,
        2 => full_year(number(c)? as i32, today),
        _ => return None,
    };
    let (day, month) = match order {
        DateOrder::DayFirst => (number(a)?, number(b)?),
        DateOrder::MonthFirst => (number(b)?, number(a)?),
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// 85 is 1985 and 24 is 2024 (in 2026): registers hold past dates only.
fn full_year(two_digits: i32, today: NaiveDate) -> i32 {
    let century = today.year() / 100 * 100;
    if century + two_digits > today.year() {
        century - 100 + two_digits
    } else {
        century + two_digits
    }
}

/// A day number of Excel's 1900 date system, as a number cell without a
/// date format shows it. Excel counts a 29 February 1900 that never was, so
/// days before it are one off.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let days = if days < 60 { days + 1 } else { days };
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(days))
}

/// What a date cell holds, or why it is not a date.
pub enum DateCell {
    Empty,
    Date(NaiveDate),
    /// A number that reads as a year (1990): a full date is needed.
    OnlyYear(i64),
    NotADate,
}

pub fn date_of(cell: &Cell, order: DateOrder, today: NaiveDate) -> DateCell {
    match cell {
        Cell::Empty => DateCell::Empty,
        Cell::Date(date) => DateCell::Date(*date),
        Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2100.0).contains(n) => DateCell::OnlyYear(*n as i64),
        Cell::Number(n) => from_excel_serial(*n).map_or(DateCell::NotADate, DateCell::Date),
        Cell::Text(text) if text.trim().is_empty() => DateCell::Empty,
        Cell::Text(text) => parse_date(text, order, today).map_or(DateCell::NotADate, DateCell::Date),
        _ => DateCell::NotADate,
    }
}

// ----- words -----

const SEXES: &[(&str, Sex)] = &[
    ("м", Sex::Male), ("муж", Sex::Male), ("мужской", Sex::Male), ("мужчина", Sex::Male), ("мард", Sex::Male),
    ("m", Sex::Male), ("male", Sex::Male), ("man", Sex::Male),
    ("ж", Sex::Female), ("жен", Sex::Female), ("женский", Sex::Female), ("женщина", Sex::Female), ("зан", Sex::Female),
    ("f", Sex::Female), ("female", Sex::Female), ("woman", Sex::Female), ("w", Sex::Female),
    ("другой", Sex::Other), ("иной", Sex::Other), ("other", Sex::Other),
    ("неизвестно", Sex::Unknown), ("не указан", Sex::Unknown), ("unknown", Sex::Unknown),
];

pub fn parse_sex(text: &str) -> Option<Sex> {
    // The Latin M and F look like Cyrillic М and Ж only in part; both are read.
    lookup(SEXES, text)
}

/// Country names as registers spell them, for the region the centres serve.
/// Only for reading files: the names the app shows come from the UI's
/// locale data, as `codes` explains.
const COUNTRIES: &[(&str, &[&str])] = &[
    ("TJ", &["tjk", "таджикистан", "республика таджикистан", "тоҷикистон", "tajikistan"]),
    ("UZ", &["uzb", "узбекистан", "республика узбекистан", "ўзбекистон", "uzbekistan"]),
    ("KG", &["kgz", "кыргызстан", "киргизия", "киргизстан", "кыргызская республика", "kyrgyzstan", "kyrgyz republic", "kirghizia"]),
    ("KZ", &["kaz", "казахстан", "республика казахстан", "қазақстан", "kazakhstan"]),
    ("RU", &["rus", "россия", "российская федерация", "рф", "russia", "russian federation"]),
    ("AM", &["arm", "армения", "республика армения", "հայաստան", "armenia"]),
    ("AZ", &["aze", "азербайджан", "azerbaijan"]),
    ("GE", &["geo", "грузия", "georgia"]),
    ("MD", &["mda", "молдова", "молдавия", "республика молдова", "moldova", "republic of moldova"]),
    ("BY", &["blr", "беларусь", "белоруссия", "республика беларусь", "belarus"]),
    ("UA", &["ukr", "украина", "ukraine"]),
    ("TM", &["tkm", "туркменистан", "туркмения", "turkmenistan"]),
    ("AF", &["afg", "афганистан", "afghanistan"]),
    ("CN", &["chn", "китай", "china"]),
    ("TR", &["tur", "турция", "turkey", "turkiye", "türkiye"]),
    ("IR", &["irn", "иран", "iran"]),
    ("PK", &["pak", "пакистан", "pakistan"]),
    ("IN", &["ind", "индия", "india"]),
    ("MN", &["mng", "монголия", "mongolia"]),
    ("LV", &["lva", "латвия", "latvia"]),
    ("LT", &["ltu", "литва", "lithuania"]),
    ("EE", &["est", "эстония", "estonia"]),
];

/// An ISO 3166 code (any case) or a country's name in Russian or English.
pub fn parse_country(text: &str) -> Option<String> {
    let code = text.trim().to_uppercase();
    if codes::is_country(&code) {
        return Some(code);
    }
    let wanted = word(text);
    COUNTRIES.iter().find(|(_, names)| names.contains(&wanted.as_str())).map(|(code, _)| code.to_string())
}

const STATUSES: &[(&str, MigrationStatus)] = &[
    ("регулярный", MigrationStatus::Regular), ("легальный", MigrationStatus::Regular), ("законный", MigrationStatus::Regular),
    ("документированный", MigrationStatus::Regular), ("legal", MigrationStatus::Regular),
    ("нерегулярный", MigrationStatus::Irregular), ("нелегальный", MigrationStatus::Irregular), ("незаконный", MigrationStatus::Irregular),
    ("недокументированный", MigrationStatus::Irregular), ("illegal", MigrationStatus::Irregular), ("undocumented", MigrationStatus::Irregular),
    ("потенциальный", MigrationStatus::Potential), ("потенциальный мигрант", MigrationStatus::Potential),
    ("вернувшийся", MigrationStatus::Returnee), ("вернувшийся мигрант", MigrationStatus::Returnee), ("возвратный мигрант", MigrationStatus::Returnee),
    ("returned", MigrationStatus::Returnee), ("семья мигранта", MigrationStatus::FamilyLeftBehind), ("член семьи мигранта", MigrationStatus::FamilyLeftBehind),
    ("неизвестно", MigrationStatus::Unknown), ("нет данных", MigrationStatus::Unknown),
];

pub fn parse_status(text: &str) -> Option<MigrationStatus> {
    MigrationStatus::parse(&vocabulary_word(text)).or_else(|| lookup(STATUSES, text))
}

const CHANNELS: &[(&str, Channel)] = &[
    ("лично", Channel::WalkIn), ("личный визит", Channel::WalkIn), ("визит", Channel::WalkIn), ("в офисе", Channel::WalkIn),
    ("in person", Channel::WalkIn), ("visit", Channel::WalkIn), ("office", Channel::WalkIn),
    ("телефон", Channel::Phone), ("звонок", Channel::Phone), ("по телефону", Channel::Phone), ("call", Channel::Phone),
    ("горячая линия", Channel::Hotline), ("мессенджер", Channel::Messenger), ("whatsapp", Channel::Messenger), ("telegram", Channel::Messenger),
    ("viber", Channel::Messenger), ("выезд", Channel::Outreach), ("выездная работа", Channel::Outreach), ("аутрич", Channel::Outreach),
    ("онлайн", Channel::Online), ("интернет", Channel::Online), ("email", Channel::Online), ("эл почта", Channel::Online),
];

pub fn parse_channel(text: &str) -> Option<Channel> {
    Channel::parse(&vocabulary_word(text)).or_else(|| lookup(CHANNELS, text))
}

const CATEGORIES: &[(&str, AssistanceCategory)] = &[
    ("информация", AssistanceCategory::Information), ("информирование", AssistanceCategory::Information), ("консультация", AssistanceCategory::Information),
    ("юридическая консультация", AssistanceCategory::LegalConsultation), ("правовая консультация", AssistanceCategory::LegalConsultation),
    ("юридическое представительство", AssistanceCategory::LegalRepresentation), ("представительство в суде", AssistanceCategory::LegalRepresentation),
    ("документы", AssistanceCategory::Documents), ("помощь с документами", AssistanceCategory::Documents),
    ("медицинская", AssistanceCategory::Medical), ("медицинская помощь", AssistanceCategory::Medical),
    ("психосоциальная", AssistanceCategory::Psychosocial), ("психосоциальная помощь", AssistanceCategory::Psychosocial),
    ("психологическая", AssistanceCategory::Psychosocial), ("психологическая помощь", AssistanceCategory::Psychosocial),
    ("гуманитарная помощь", AssistanceCategory::HumanitarianInKind), ("продуктовый набор", AssistanceCategory::HumanitarianInKind),
    ("денежная помощь", AssistanceCategory::HumanitarianCash), ("материальная помощь", AssistanceCategory::HumanitarianCash),
    ("жилье", AssistanceCategory::Shelter), ("приют", AssistanceCategory::Shelter), ("транспорт", AssistanceCategory::Transport),
    ("возвращение", AssistanceCategory::Return), ("помощь в возвращении", AssistanceCategory::Return),
    ("трудоустройство", AssistanceCategory::Employment), ("подготовка к выезду", AssistanceCategory::PreDeparture),
    ("legal", AssistanceCategory::LegalConsultation), ("cash", AssistanceCategory::HumanitarianCash), ("in kind", AssistanceCategory::HumanitarianInKind),
];

pub fn parse_category(text: &str) -> Option<AssistanceCategory> {
    AssistanceCategory::parse(&vocabulary_word(text)).or_else(|| lookup(CATEGORIES, text))
}

// ----- cells as text -----

/// A number as a person would read it: phone and passport numbers are often
/// typed into number cells, and must not come back as 992931234567.0.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The cell's value as text, whatever its type; unreadable cells are empty.
pub fn plain_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty | Cell::Unreadable => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Number(n) => number_text(*n),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(b) => (if *b { "yes" } else { "no" }).to_string(),
        Cell::Error(e) => e.clone(),
    }
}

/// A spreadsheet runs a cell that starts with `=` (or `+`, `-`, `@`) as a
/// formula, and `=cmd|' /C calc'!A0` runs a program. No name, date or
/// number in a register starts with `=`; phones start with `+` and a digit,
/// and notes with "-" or "@name", so those are refused only when a name
/// follows with a call, a pipe or a sheet reference: `-cmd|...`, `@SUM(A1)`.
pub fn looks_like_formula(text: &str) -> bool {
    let text = text.trim_start();
    let mut chars = text.chars();
    match chars.next() {
        Some('=') => true,
        Some('+') | Some('-') | Some('@') => chars.next().is_some_and(char::is_alphabetic) && text.contains(['(', '|', '!']),
        _ => false,
    }
}

/// A cell's value for a message: short, and with nothing that could upset a terminal.
pub fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = text.trim().chars().take(MAX).map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    if text.trim().chars().count() > MAX {
        out.push('…');
    }
    out
}
