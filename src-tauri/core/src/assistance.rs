//! An assistance record: one unit of help given to a migrant.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::codes;
use crate::error::Result;
use crate::record::{new_id, Actor, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    AssistanceCategory {
        Information = "information", LegalConsultation = "legal_consultation", LegalRepresentation = "legal_representation",
        Documents = "documents", Medical = "medical", Psychosocial = "psychosocial", HumanitarianInKind = "humanitarian_in_kind",
        HumanitarianCash = "humanitarian_cash", Shelter = "shelter", Transport = "transport", Return = "return",
        Employment = "employment", PreDeparture = "pre_departure",
    }
}

vocabulary! {
    /// Who gave the help. Partners arrive with referrals.
    Provider { Centre = "centre" }
}

vocabulary! {
    Outcome { Provided = "provided", Partial = "partial", Pending = "pending", Unsuccessful = "unsuccessful" }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AssistanceInput {
    pub migrant_id: Uuid,
    pub visit_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub category: Option<AssistanceCategory>,
    /// The day the help was given; today when left out.
    pub given_on: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub quantity: Option<i64>,
    /// Value as typed ("1 500,50" or "1500.50"), in `currency`.
    pub amount: String,
    pub currency: String,
    pub outcome: Option<Outcome>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Assistance {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub migrant_id: Uuid,
    pub visit_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub category: AssistanceCategory,
    pub provider: Provider,
    pub given_on: NaiveDate,
    pub quantity: Option<u32>,
    /// Value in hundredths of the currency unit (kopecks, dirams, cents).
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub outcome: Outcome,
    pub notes: String,
    pub meta: RecordMeta,
}

/// Reads a money amount as people type it: spaces or apostrophes between
/// thousands, a dot or a comma before at most two decimals.
pub fn parse_amount(text: &str) -> Option<i64> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{a0}').collect();
    let (units, cents) = match compact.rsplit_once(['.', ',']) {
        Some((u, c)) if !c.is_empty() && c.len() <= 2 => (u.to_string(), format!("{c:0<2}")),
        Some(_) => return None,
        None => (compact.clone(), "00".to_string()),
    };
    if units.is_empty() || !units.chars().all(|c| c.is_ascii_digit()) || !cents.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents.parse::<i64>().ok()?)
}

impl AssistanceInput {
    pub(crate) fn check(&self, today: NaiveDate, c: &mut Checks) {
        if self.category.is_none() {
            c.fail("category", "required", "is required");
        }
        if let Some(day) = self.given_on {
            c.not_future("given_on", day, today);
        }
        if matches!(self.quantity, Some(q) if !(1..=100_000).contains(&q)) {
            c.fail("quantity", "out_of_range", "must be between 1 and 100000");
        }
        let amount = self.amount.trim();
        if !amount.is_empty() {
            match parse_amount(amount) {
                None => c.fail("amount", "invalid_amount", "must be a number such as 1500 or 1500.50"),
                Some(_) if self.currency.is_empty() => c.fail("currency", "required", "is required when a value is given"),
                Some(_) => {}
            }
        }
        if !self.currency.is_empty() && !codes::is_currency(&self.currency) {
            c.fail("currency", "unknown_currency", format!("'{}' is not a known currency code", self.currency));
        }
        if self.outcome.is_none() {
            c.fail("outcome", "required", "is required");
        }
        c.notes("notes", &self.notes, 5000);
    }

    pub(crate) fn into_assistance(self, actor: &Actor, now: DateTime<Utc>) -> Assistance {
        let amount_minor = parse_amount(self.amount.trim());
        Assistance {
            id: new_id(),
            centre_id: actor.centre_id,
            migrant_id: self.migrant_id,
            visit_id: self.visit_id,
            case_id: self.case_id,
            category: self.category.unwrap_or(AssistanceCategory::Information),
            provider: Provider::Centre,
            given_on: self.given_on.unwrap_or(crate::record::local_day(now)),
            quantity: self.quantity.map(|q| q as u32),
            amount_minor,
            currency: amount_minor.map(|_| self.currency.clone()),
            outcome: self.outcome.unwrap_or(Outcome::Provided),
            notes: self.notes.trim_end().to_string(),
            meta: RecordMeta::new(actor, now),
        }
    }
}

const COLUMNS: &str = "id, centre_id, migrant_id, visit_id, case_id, category, provider, given_on, quantity, amount_minor, currency, outcome, notes";

pub(crate) fn insert(tx: &Connection, a: &Assistance) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO assistance ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
    ))?
    .execute(params![
        a.id, a.centre_id, a.migrant_id, a.visit_id, a.case_id, a.category, a.provider, a.given_on, a.quantity,
        a.amount_minor, a.currency, a.outcome, a.notes, a.meta.created_at, a.meta.updated_at, a.meta.created_by,
        a.meta.updated_by, a.meta.deleted_at,
    ])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Assistance> {
    Ok(Assistance {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        migrant_id: r.get(2)?,
        visit_id: r.get(3)?,
        case_id: r.get(4)?,
        category: r.get(5)?,
        provider: r.get(6)?,
        given_on: r.get(7)?,
        quantity: r.get(8)?,
        amount_minor: r.get(9)?,
        currency: r.get(10)?,
        outcome: r.get(11)?,
        notes: r.get(12)?,
        meta: RecordMeta::from_row(r, 13)?,
    })
}

/// A migrant's assistance records, newest first.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<Assistance>> {
    let sql = format!(
        "SELECT {COLUMNS}, {META_COLUMNS} FROM assistance WHERE migrant_id = ?1 AND deleted_at IS NULL ORDER BY given_on DESC, created_at DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn reads_amounts_as_people_type_them() {
        assert_eq!(parse_amount("1500"), Some(150_000));
        assert_eq!(parse_amount("1500.5"), Some(150_050));
        assert_eq!(parse_amount("1 500,50"), Some(150_050));
        assert_eq!(parse_amount("12'000.05"), Some(1_200_005));
        for bad in ["", "-5", "1.234", "abc", "1,2,3", "1e5", ",50"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
