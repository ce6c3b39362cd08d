//! The migrant (beneficiary): who they are, where from, how to reach them,
//! their documents, status and vulnerabilities, and their consent.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::codes;
use crate::error::{CoreError, Result};
use crate::record::{json_column, new_id, Actor, Page, RecordMeta, META_COLUMNS};
use crate::validate::{tidy, Checks};
use crate::vocab::vocabulary;

/// A migrant's name as lists show it, in SQL over a migrant aliased `m`. A
/// macro, so that queries stay string literals (`concat!`).
macro_rules! display_name {
    () => {
        "m.family_name || ' ' || m.given_name"
    };
}
pub(crate) use display_name;

vocabulary! { Sex { Female = "female", Male = "male", Other = "other", Unknown = "unknown" } }

vocabulary! {
    MigrationStatus {
        Potential = "potential", Regular = "regular", Irregular = "irregular",
        Returnee = "returnee", FamilyLeftBehind = "family_left_behind", Unknown = "unknown",
    }
}

vocabulary! {
    Vulnerability {
        Trafficking = "trafficking", ForcedLabour = "forced_labour", UnpaidWages = "unpaid_wages",
        UnaccompaniedMinor = "unaccompanied_minor", Disability = "disability", SeriousIllness = "serious_illness",
        Detained = "detained", EntryBan = "entry_ban",
    }
}

vocabulary! {
    DocumentKind {
        Passport = "passport", NationalId = "national_id", WorkPermit = "work_permit", Patent = "patent",
        ResidenceRegistration = "residence_registration", ResidencePermit = "residence_permit",
        MigrationCard = "migration_card", BirthCertificate = "birth_certificate", Other = "other",
    }
}

vocabulary! {
    Messenger { None = "none", WhatsApp = "whatsapp", Telegram = "telegram", Viber = "viber", Imo = "imo", Signal = "signal" }
}

vocabulary! {
    ConsentScope { DataProcessing = "data_processing", ShareWithPartners = "share_with_partners", ContactByPhone = "contact_by_phone" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Phone {
    pub number: String,
    pub messenger: Messenger,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdentityDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub issuing_country: String,
    pub expires_on: Option<NaiveDate>,
}

/// What a caseworker fills in to register or edit a migrant. Optional
/// choices are `Option` so a missing one is named as a field error, not a
/// malformed request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct MigrantInput {
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub family_name_latin: String,
    pub given_name_latin: String,
    pub sex: Option<Sex>,
    /// Exact date of birth, when known.
    pub birth_date: Option<NaiveDate>,
    /// Age in years when the date is not known; stored as an estimated date.
    #[ts(type = "number | null")]
    pub estimated_age: Option<i64>,
    pub citizenship: String,
    pub birth_country: String,
    pub origin_region: String,
    pub origin_town: String,
    pub current_country: String,
    pub current_city: String,
    pub phones: Vec<Phone>,
    pub languages: Vec<String>,
    pub documents: Vec<IdentityDocument>,
    pub migration_status: Option<MigrationStatus>,
    pub occupation: String,
    pub vulnerabilities: Vec<Vulnerability>,
    pub consent_given: bool,
    pub consent_scope: Vec<ConsentScope>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Migrant {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub family_name_latin: String,
    pub given_name_latin: String,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub birth_date_estimated: bool,
    pub citizenship: String,
    pub birth_country: String,
    pub origin_region: String,
    pub origin_town: String,
    pub current_country: String,
    pub current_city: String,
    pub phones: Vec<Phone>,
    pub languages: Vec<String>,
    pub documents: Vec<IdentityDocument>,
    pub migration_status: MigrationStatus,
    pub occupation: String,
    pub vulnerabilities: Vec<Vulnerability>,
    pub consent_given: bool,
    pub consent_scope: Vec<ConsentScope>,
    pub consent_date: Option<NaiveDate>,
    pub notes: String,
    /// When the person's identity was removed for good (see `anonymise.rs`).
    pub anonymised_at: Option<DateTime<Utc>>,
    pub meta: RecordMeta,
}

/// One line of the migrant list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MigrantSummary {
    pub id: Uuid,
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub family_name_latin: String,
    pub given_name_latin: String,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub birth_date_estimated: bool,
    pub citizenship: String,
    pub phone: Option<String>,
    pub open_cases: u32,
    pub last_visit: Option<DateTime<Utc>>,
    /// In a search, the spelling or number that matched (a Latin name, a phone).
    pub matched: Option<String>,
}

vocabulary! { MigrantSort { Name = "name", Recent = "recent" } }

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MigrantQuery {
    /// Words that must all appear in a name (any script), a phone number or a document number.
    pub text: String,
    pub sort: MigrantSort,
    pub page: u32,
    pub page_size: u32,
    /// Narrows the list or the search; none lets everyone through.
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<MigrantFilter>,
}

impl Default for MigrantQuery {
    fn default() -> Self {
        MigrantQuery { text: String::new(), sort: MigrantSort::Name, page: 0, page_size: 50, filter: None }
    }
}

/// Who the list shows; every field left empty lets everyone through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MigrantFilter {
    pub sex: Option<Sex>,
    /// Age today, in whole years, from and to (both included).
    pub age_from: Option<u32>,
    pub age_to: Option<u32>,
    /// ISO code; empty for any.
    pub citizenship: String,
    pub status: Option<MigrationStatus>,
    pub vulnerability: Option<Vulnerability>,
    /// People this staff member registered, or whose case they hold.
    pub caseworker: Option<Uuid>,
    /// Registered on or after, on or before (the centre's days).
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
}

impl MigrantQuery {
    /// The query's filter as SQL (see [`MigrantFilter::sql`]), ages counted today.
    pub(crate) fn filter_sql(&self, values: &mut Vec<rusqlite::types::Value>) -> String {
        let today = crate::record::local_day(crate::record::now());
        self.filter.as_ref().map(|f| f.sql(today, values)).unwrap_or_default()
    }
}

impl MigrantFilter {
    /// The filter as ` AND ...` conditions over a migrant `m`, its values
    /// appended to `values` and numbered after them (`?N`).
    pub(crate) fn sql(&self, today: NaiveDate, values: &mut Vec<rusqlite::types::Value>) -> String {
        use rusqlite::types::Value;
        let mut sql = String::new();
        let mut add = |condition: &str, value: Value| {
            values.push(value);
            sql.push_str(&condition.replace('?', &format!("?{}", values.len())));
        };
        let text = |s: &str| Value::Text(s.to_string());
        let years_ago = |years: u32| today.checked_sub_months(chrono::Months::new(years.min(200) * 12)).unwrap_or(NaiveDate::MIN);
        if let Some(sex) = self.sex {
            add(" AND m.sex = ?", text(sex.as_str()));
        }
        if let Some(from) = self.age_from {
            add(" AND m.birth_date <= ?", text(&years_ago(from).to_string()));
        }
        if let Some(to) = self.age_to {
            add(" AND m.birth_date > ?", text(&years_ago(to.saturating_add(1)).to_string()));
        }
        if !self.citizenship.is_empty() {
            add(" AND m.citizenship = ?", text(&self.citizenship));
        }
        if let Some(status) = self.status {
            add(" AND m.migration_status = ?", text(status.as_str()));
        }
        if let Some(v) = self.vulnerability {
            add(" AND EXISTS (SELECT 1 FROM json_each(m.vulnerabilities) WHERE value = ?)", text(v.as_str()));
        }
        if let Some(staff) = self.caseworker {
            let id = Value::Blob(staff.as_bytes().to_vec());
            add(" AND (m.created_by = ?", id.clone());
            add(" OR EXISTS (SELECT 1 FROM case_file c WHERE c.migrant_id = m.id AND c.assigned_to = ? AND c.deleted_at IS NULL))", id);
        }
        if let Some(from) = self.registered_from {
            add(" AND local_day(m.created_at) >= ?", text(&from.to_string()));
        }
        if let Some(to) = self.registered_to {
            add(" AND local_day(m.created_at) <= ?", text(&to.to_string()));
        }
        sql
    }
}

impl MigrantInput {
    /// Checks every field against the rules; `today` decides what "future" means.
    pub(crate) fn check(&self, today: NaiveDate) -> Result<()> {
        let mut c = Checks::new();
        c.text("family_name", &self.family_name, true, 100);
        c.text("given_name", &self.given_name, true, 100);
        c.text("patronymic", &self.patronymic, false, 100);
        c.text("family_name_latin", &self.family_name_latin, false, 100);
        c.text("given_name_latin", &self.given_name_latin, false, 100);
        if self.sex.is_none() {
            c.fail("sex", "required", "is required");
        }
        self.check_birth(&mut c, today);
        c.country("citizenship", &self.citizenship, true);
        c.country("birth_country", &self.birth_country, false);
        c.country("current_country", &self.current_country, false);
        for (field, value) in [("origin_region", &self.origin_region), ("origin_town", &self.origin_town), ("current_city", &self.current_city), ("occupation", &self.occupation)] {
            c.text(field, value, false, 100);
        }
        self.check_phones(&mut c);
        for (i, code) in self.languages.iter().enumerate() {
            if !codes::is_language(code) {
                c.fail(format!("languages.{i}"), "unknown_language", format!("'{code}' is not an ISO 639-1 language code"));
            }
        }
        for (i, doc) in self.documents.iter().enumerate() {
            c.text(&format!("documents.{i}.number"), &doc.number, true, 50);
            c.country(&format!("documents.{i}.issuing_country"), &doc.issuing_country, false);
        }
        if self.migration_status.is_none() {
            c.fail("migration_status", "required", "is required");
        }
        if !self.consent_given && !self.consent_scope.is_empty() {
            c.fail("consent_scope", "consent_not_given", "needs consent to be given");
        }
        c.notes("notes", &self.notes, 5000);
        c.finish()
    }

    fn check_birth(&self, c: &mut Checks, today: NaiveDate) {
        match (self.birth_date, self.estimated_age) {
            (Some(_), Some(_)) => c.fail("estimated_age", "date_and_age", "give either the date of birth or an estimated age, not both"),
            (Some(date), None) => {
                c.not_future("birth_date", date, today);
                if date.year() < 1900 {
                    c.fail("birth_date", "too_old", "must be after 1900");
                }
            }
            (None, Some(age)) if !(0..=120).contains(&age) => c.fail("estimated_age", "out_of_range", "must be between 0 and 120"),
            _ => {}
        }
    }

    fn check_phones(&self, c: &mut Checks) {
        for (i, phone) in self.phones.iter().enumerate() {
            let field = format!("phones.{i}.number");
            let digits = phone.number.chars().filter(char::is_ascii_digit).count();
            if phone.number.trim().is_empty() {
                c.fail(field, "required", "is required");
            } else if phone.number.chars().any(|ch| !(ch.is_ascii_digit() || " +-().".contains(ch))) {
                c.fail(field, "invalid_phone", "may hold only digits, spaces, + - ( ) and .");
            } else if !(5..=15).contains(&digits) {
                c.fail(field, "invalid_phone", "must have 5 to 15 digits");
            }
        }
    }

    /// The stored date of birth: exact, or estimated from the age as half a
    /// year past that birthday, so the person is that age today and for the
    /// next six months. An unchanged estimate keeps its stored date, so
    /// editing other fields never moves it.
    pub(crate) fn birth(&self, today: NaiveDate, existing: Option<&Migrant>) -> (Option<NaiveDate>, bool) {
        match (self.birth_date, self.estimated_age) {
            (Some(date), _) => (Some(date), false),
            (None, Some(age)) => match existing {
                Some(Migrant { birth_date: Some(kept), birth_date_estimated: true, .. }) if crate::age::age_on(*kept, today) as i64 == age => (Some(*kept), true),
                _ => (today.checked_sub_months(chrono::Months::new(age as u32 * 12 + 6)), true),
            },
            (None, None) => (None, false),
        }
    }
}

/// Builds the record from checked input; `existing` keeps identity and history on edit.
pub(crate) fn from_input(input: &MigrantInput, actor: &Actor, now: DateTime<Utc>, existing: Option<&Migrant>) -> Migrant {
    let today = crate::record::local_day(now);
    let (birth_date, birth_date_estimated) = input.birth(today, existing);
    let consent_date = match existing {
        Some(old) if old.consent_given && input.consent_given => old.consent_date,
        _ if input.consent_given => Some(today),
        _ => None,
    };
    let mut meta = existing.map(|m| m.meta.clone()).unwrap_or_else(|| RecordMeta::new(actor, now));
    meta.updated_at = now;
    meta.updated_by = actor.staff_id;
    Migrant {
        id: existing.map(|m| m.id).unwrap_or_else(new_id),
        centre_id: existing.map(|m| m.centre_id).unwrap_or(actor.centre_id),
        family_name: tidy(&input.family_name),
        given_name: tidy(&input.given_name),
        patronymic: tidy(&input.patronymic),
        family_name_latin: tidy(&input.family_name_latin),
        given_name_latin: tidy(&input.given_name_latin),
        sex: input.sex.unwrap_or(Sex::Unknown),
        birth_date,
        birth_date_estimated,
        citizenship: input.citizenship.clone(),
        birth_country: input.birth_country.clone(),
        origin_region: tidy(&input.origin_region),
        origin_town: tidy(&input.origin_town),
        current_country: input.current_country.clone(),
        current_city: tidy(&input.current_city),
        phones: input.phones.iter().map(|p| Phone { number: tidy(&p.number), messenger: p.messenger }).collect(),
        languages: input.languages.clone(),
        documents: input.documents.iter().map(|d| IdentityDocument { number: tidy(&d.number), ..d.clone() }).collect(),
        migration_status: input.migration_status.unwrap_or(MigrationStatus::Unknown),
        occupation: tidy(&input.occupation),
        vulnerabilities: input.vulnerabilities.clone(),
        consent_given: input.consent_given,
        consent_scope: if input.consent_given { input.consent_scope.clone() } else { Vec::new() },
        consent_date,
        notes: input.notes.trim_end().to_string(),
        anonymised_at: existing.and_then(|m| m.anonymised_at),
        meta,
    }
}

const COLUMNS: &str = "id, centre_id, family_name, given_name, patronymic, family_name_latin, given_name_latin, sex, \
    birth_date, birth_date_estimated, citizenship, birth_country, origin_region, origin_town, current_country, current_city, \
    phones, languages, documents, migration_status, occupation, vulnerabilities, consent_given, consent_scope, consent_date, notes";

/// Inserts or replaces the whole row; the caller has checked the input.
pub(crate) fn save(tx: &Connection, m: &Migrant) -> Result<()> {
    let sql = format!(
        "INSERT INTO migrant ({COLUMNS}, {META_COLUMNS}) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31) \
         ON CONFLICT(id) DO UPDATE SET family_name = excluded.family_name, given_name = excluded.given_name, \
         patronymic = excluded.patronymic, family_name_latin = excluded.family_name_latin, given_name_latin = excluded.given_name_latin, \
         sex = excluded.sex, birth_date = excluded.birth_date, birth_date_estimated = excluded.birth_date_estimated, \
         citizenship = excluded.citizenship, birth_country = excluded.birth_country, origin_region = excluded.origin_region, \
         origin_town = excluded.origin_town, current_country = excluded.current_country, current_city = excluded.current_city, \
         phones = excluded.phones, languages = excluded.languages, documents = excluded.documents, \
         migration_status = excluded.migration_status, occupation = excluded.occupation, vulnerabilities = excluded.vulnerabilities, \
         consent_given = excluded.consent_given, consent_scope = excluded.consent_scope, consent_date = excluded.consent_date, \
         notes = excluded.notes, updated_at = excluded.updated_at, updated_by = excluded.updated_by"
    );
    tx.prepare_cached(&sql)?.execute(params![
        m.id, m.centre_id, m.family_name, m.given_name, m.patronymic, m.family_name_latin, m.given_name_latin, m.sex,
        m.birth_date, m.birth_date_estimated, m.citizenship, m.birth_country, m.origin_region, m.origin_town,
        m.current_country, m.current_city, serde_json::to_string(&m.phones)?, serde_json::to_string(&m.languages)?,
        serde_json::to_string(&m.documents)?, m.migration_status, m.occupation, serde_json::to_string(&m.vulnerabilities)?,
        m.consent_given, serde_json::to_string(&m.consent_scope)?, m.consent_date, m.notes,
        m.meta.created_at, m.meta.updated_at, m.meta.created_by, m.meta.updated_by, m.meta.deleted_at,
    ])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Migrant> {
    Ok(Migrant {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        family_name: r.get(2)?,
        given_name: r.get(3)?,
        patronymic: r.get(4)?,
        family_name_latin: r.get(5)?,
        given_name_latin: r.get(6)?,
        sex: r.get(7)?,
        birth_date: r.get(8)?,
        birth_date_estimated: r.get(9)?,
        citizenship: r.get(10)?,
        birth_country: r.get(11)?,
        origin_region: r.get(12)?,
        origin_town: r.get(13)?,
        current_country: r.get(14)?,
        current_city: r.get(15)?,
        phones: json_column(r, 16)?,
        languages: json_column(r, 17)?,
        documents: json_column(r, 18)?,
        migration_status: r.get(19)?,
        occupation: r.get(20)?,
        vulnerabilities: json_column(r, 21)?,
        consent_given: r.get(22)?,
        consent_scope: json_column(r, 23)?,
        consent_date: r.get(24)?,
        notes: r.get(25)?,
        meta: RecordMeta::from_row(r, 26)?,
        anonymised_at: r.get(31)?,
    })
}

/// A migrant of the centre that is not deleted.
pub(crate) fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<Migrant> {
    let sql = format!("SELECT {COLUMNS}, {META_COLUMNS}, anonymised_at FROM migrant WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL");
    conn.prepare_cached(&sql)?
        .query_row(params![id, centre_id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("migrant", id))
}

/// A page of the centre's migrants: everyone in name or recent order, or
/// those a search finds, closest first (`search::find`).
pub(crate) fn list(conn: &Connection, centre_id: Uuid, query: &MigrantQuery) -> Result<Page<MigrantSummary>> {
    if !query.text.trim().is_empty() {
        return crate::search::find(conn, centre_id, query);
    }
    let page_size = query.page_size.clamp(1, 500);
    let mut values = vec![rusqlite::types::Value::Blob(centre_id.as_bytes().to_vec())];
    let filter = query.filter_sql(&mut values);
    let params = rusqlite::params_from_iter(values.iter());
    let total: u32 = conn
        .prepare_cached(&format!("SELECT count(*) FROM migrant m WHERE m.centre_id = ?1 AND m.deleted_at IS NULL{filter}"))?
        .query_row(params.clone(), |r| r.get(0))?;
    let order = match query.sort {
        MigrantSort::Name => "m.family_name, m.given_name, m.id",
        MigrantSort::Recent => "m.updated_at DESC, m.id",
    };
    let sql = format!(
        "{SUMMARY} WHERE m.centre_id = ?1 AND m.deleted_at IS NULL{filter} ORDER BY {order} LIMIT {page_size} OFFSET {}",
        query.page as u64 * page_size as u64
    );
    let items = conn.prepare_cached(&sql)?.query_map(params, summary_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page { items, total, page: query.page, page_size, capped: false })
}

/// The list's view of a migrant, with open cases and the last visit.
const SUMMARY: &str = "SELECT m.id, m.family_name, m.given_name, m.patronymic, m.family_name_latin, m.given_name_latin, m.sex, m.birth_date, \
     m.birth_date_estimated, m.citizenship, m.phones, \
     (SELECT count(*) FROM case_file c WHERE c.migrant_id = m.id AND c.status != 'closed' AND c.deleted_at IS NULL), \
     (SELECT max(occurred_at) FROM visit v WHERE v.migrant_id = m.id AND v.deleted_at IS NULL) \
     FROM migrant m";

fn summary_row(r: &Row) -> rusqlite::Result<MigrantSummary> {
    let phones: Vec<Phone> = json_column(r, 10)?;
    Ok(MigrantSummary {
        id: r.get(0)?,
        family_name: r.get(1)?,
        given_name: r.get(2)?,
        patronymic: r.get(3)?,
        family_name_latin: r.get(4)?,
        given_name_latin: r.get(5)?,
        sex: r.get(6)?,
        birth_date: r.get(7)?,
        birth_date_estimated: r.get(8)?,
        citizenship: r.get(9)?,
        phone: phones.into_iter().next().map(|p| p.number),
        open_cases: r.get(11)?,
        last_visit: r.get(12)?,
        matched: None,
    })
}

/// The summaries of these migrants, in the order given.
pub(crate) fn summaries(conn: &Connection, ids: &[Uuid]) -> Result<Vec<MigrantSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY} WHERE m.id = ?1"))?;
    ids.iter().map(|id| Ok(stmt.query_row([id], summary_row)?)).collect()
}

/// Checks that a migrant exists in the centre, for records that point to one.
pub(crate) fn exists(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM migrant WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL")?
        .exists(params![id, centre_id])?)
}
