//! The monthly assistance report as data: computed once by the core, then
//! shown by the dashboard and written as CSV, XLSX and PDF from this same
//! value, so the numbers agree everywhere.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::vocab::vocabulary;

/// What to report on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportRequest {
    /// `None`: every centre in this database together.
    pub centre_id: Option<Uuid>,
    /// First and last day of the period, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// For sharing outside the centre: no personal data, counts of 1-4 hidden.
    pub for_sharing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

vocabulary! {
    /// The tables of the report, in the order they are printed.
    SectionId {
        Persons = "persons", Contacts = "contacts", AnonymousContacts = "anonymous_contacts",
        AssistanceRecords = "assistance_records", AssistancePersons = "assistance_persons",
        ReferralsByPartner = "referrals_by_partner", ReferralsByService = "referrals_by_service",
        ReferralsByStatus = "referrals_by_status", CasesOpened = "cases_opened", CasesClosed = "cases_closed",
        CasesOpenAtEnd = "cases_open_at_end", SessionParticipants = "session_participants",
        VulnerablePersons = "vulnerable_persons",
    }
}

vocabulary! {
    /// What a section counts: distinct persons, or records.
    Unit { Persons = "persons", Records = "records" }
}

vocabulary! {
    /// The figures at the top of the report and the dashboard.
    HeadlineId {
        PersonsAssisted = "persons_assisted", NewPersons = "new_persons", Visits = "visits",
        AnonymousContacts = "anonymous_contacts", AssistanceRecords = "assistance_records",
        ReferralsMade = "referrals_made", ReferralsCompleted = "referrals_completed",
        CasesOpened = "cases_opened", CasesClosed = "cases_closed", CasesOpenAtEnd = "cases_open_at_end",
        SessionsHeld = "sessions_held", SessionParticipants = "session_participants",
        VulnerablePersons = "vulnerable_persons",
    }
}

/// A count. `None` only in a report for sharing: 1 to 4, or a cell hidden
/// so that such a count cannot be worked out from the totals ("<5").
pub type Cell = Option<u32>;

/// One count split every way the donor asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Breakdown {
    #[ts(type = "number | null")]
    pub total: Cell,
    /// In `Sex::ALL` order.
    #[ts(type = "Array<number | null>")]
    pub by_sex: Vec<Cell>,
    /// In `AgeBand::ALL` order.
    #[ts(type = "Array<number | null>")]
    pub by_age: Vec<Cell>,
    /// `[sex][age band]`, both in vocabulary order.
    #[ts(type = "Array<Array<number | null>>")]
    pub by_sex_age: Vec<Vec<Cell>>,
    /// In `Report::citizenships` order.
    #[ts(type = "Array<number | null>")]
    pub by_citizenship: Vec<Cell>,
    /// In `MigrationStatus::ALL` order.
    #[ts(type = "Array<number | null>")]
    pub by_status: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Row {
    /// `total`, a vocabulary value (category, channel, status...) or, for
    /// partners, the partner's id.
    pub key: String,
    /// The name to print when the key is not a vocabulary value (partners).
    pub label: Option<String>,
    pub current: Breakdown,
    #[ts(type = "number | null")]
    pub previous: Cell,
    #[ts(type = "number | null")]
    pub year_to_date: Cell,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Section {
    pub id: SectionId,
    pub unit: Unit,
    /// The first row is `total`. In a section of records it is the sum of
    /// the others; in a section of persons each person is counted once in
    /// it, however many rows they appear in. Persons and vulnerable persons
    /// have no `total` row: their first row (`assisted`, `any`) is it.
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Headline {
    pub id: HeadlineId,
    #[ts(type = "number | null")]
    pub current: Cell,
    #[ts(type = "number | null")]
    pub previous: Cell,
    #[ts(type = "number | null")]
    pub year_to_date: Cell,
}

/// Completed referrals as a percentage of those sent out (drafts and
/// cancelled ones never reached the partner); `None` when nothing was sent
/// or, for sharing, when the counts behind it are hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Rates {
    pub current: Option<f64>,
    pub previous: Option<f64>,
    pub year_to_date: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Report {
    pub request: ReportRequest,
    /// Names of the centres counted.
    pub centres: Vec<String>,
    pub period: Period,
    /// The period of the same length just before.
    pub previous: Period,
    /// From the first of January of the period's last year to its last day.
    pub year_to_date: Period,
    pub generated_at: DateTime<Utc>,
    /// The staff member who asked for it.
    pub generated_by: String,
    /// ISO codes in the column order of every `by_citizenship`, most
    /// frequent first; "" stands for not recorded.
    pub citizenships: Vec<String>,
    pub headline: Vec<Headline>,
    pub referral_completed_rate: Rates,
    pub sections: Vec<Section>,
}

impl Report {
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn headline(&self, id: HeadlineId) -> Option<&Headline> {
        self.headline.iter().find(|h| h.id == id)
    }
}

/// One month of the dashboard's trend. For sharing, counts of 1 to 4 are
/// hidden (`None`) like the report's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub month: String,
    #[ts(type = "number | null")]
    pub persons_assisted: Cell,
    #[ts(type = "number | null")]
    pub visits: Cell,
    #[ts(type = "number | null")]
    pub assistance_records: Cell,
    #[ts(type = "number | null")]
    pub referrals_made: Cell,
}

/// Which records are behind a number of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CellFilter {
    pub section: Option<SectionId>,
    /// A row key; `None` or `total` for every row.
    pub key: Option<String>,
    pub sex: Option<crate::migrant::Sex>,
    pub age_band: Option<crate::age::AgeBand>,
    pub citizenship: Option<String>,
    pub migration_status: Option<crate::migrant::MigrationStatus>,
}

/// A record behind a number: what it is, when, and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportRecord {
    pub record_id: Uuid,
    /// visit | assistance | referral | case | session
    pub kind: String,
    pub day: NaiveDate,
    pub key: String,
    pub migrant_id: Uuid,
    pub migrant_name: String,
}

vocabulary! {
    /// The files a report is written as.
    ReportFormat { Csv = "csv", Xlsx = "xlsx", Pdf = "pdf", Json = "json" }
}
